//! Private tokens (draft links, sessions): 256 random bits, hex encoded; only their SHA-256 reaches the database.

use sha2::{Digest, Sha256};

/// A new private token: 256 random bits, lower-case hex.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether `token` has the form `new_token` gives (64 lower-case hex digits).
pub fn is_well_formed(token: &str) -> bool {
    token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// The hash stored for a token; None for a malformed token, refused before any database access.
pub fn token_hash(token: &str) -> Option<String> {
    is_well_formed(token).then(|| hex::encode(Sha256::digest(token.as_bytes())))
}

/// The French 404 of a private link that leads to no case.
pub fn link_not_found() -> crate::error::AppError {
    crate::error::AppError::NotFound(
        "Ce lien ne correspond à aucun dossier. Il a peut-être été remplacé, ou il a pris fin après 12 mois sans être utilisé : demandez un nouveau lien avec « Lien perdu ? »."
            .into(),
    )
}

/// The hash of a private link's token, or the 404 of a link that leads nowhere (a malformed token is one).
pub fn link_hash(token: &str) -> Result<String, crate::error::AppError> {
    token_hash(token).ok_or_else(link_not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_tokens_are_well_formed_and_hash_to_64_hex_digits() {
        let token = new_token();
        assert!(is_well_formed(&token));
        assert_eq!(token_hash(&token).map(|h| h.len()), Some(64));
        assert_ne!(new_token(), token);
    }

    #[test]
    fn malformed_tokens_have_no_hash() {
        assert_eq!(token_hash(&"A".repeat(64)), None, "upper case");
        assert_eq!(token_hash(&"a".repeat(63)), None, "too short");
        assert_eq!(token_hash(&"g".repeat(64)), None, "not hex");
    }
}
