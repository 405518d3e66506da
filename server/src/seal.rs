//! The key that seals the outbox's private links at rest (ChaCha20-Poly1305, `IAF_CLE_COURRIELS`): the stored
//! bodies hold placeholders, the links are opened only to deliver the message, then wiped.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

/// The name of the environment variable that holds the key.
pub const KEY_VARIABLE: &str = "IAF_CLE_COURRIELS";

/// The key of this process: installed at start from the configuration, otherwise one of this process only.
static KEY: std::sync::OnceLock<OutboxKey> = std::sync::OnceLock::new();

/// Installs the key of this process (at start, before any email is queued); false when one was already in use.
pub fn install(key: OutboxKey) -> bool {
    KEY.set(key).is_ok()
}

/// The key of this process.
pub fn key() -> &'static OutboxKey {
    KEY.get_or_init(OutboxKey::ephemeral)
}

/// A 256-bit key sealing the outbox's private links.
pub struct OutboxKey(LessSafeKey);

impl std::fmt::Debug for OutboxKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OutboxKey(…)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

impl OutboxKey {
    fn from_bytes(bytes: &[u8]) -> Option<OutboxKey> {
        UnboundKey::new(&CHACHA20_POLY1305, bytes)
            .ok()
            .map(|k| OutboxKey(LessSafeKey::new(k)))
    }

    /// The key written as 64 hexadecimal digits, or a French message naming the variable.
    pub fn from_hex(text: &str) -> Result<OutboxKey, String> {
        unhex(text.trim())
            .filter(|bytes| bytes.len() == 32)
            .and_then(|bytes| OutboxKey::from_bytes(&bytes))
            .ok_or_else(|| {
                format!(
                    "{KEY_VARIABLE} doit contenir 64 chiffres hexadécimaux (32 octets), la clé qui chiffre les liens \
                     privés des courriels en attente : générez-la avec « openssl rand -hex 32 » puis relancez."
                )
            })
    }

    /// A key that lives only as long as the process (no SMTP: messages are delivered as files within a second).
    pub fn ephemeral() -> OutboxKey {
        use rand::RngCore;
        let mut bytes = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let Some(key) = OutboxKey::from_bytes(&bytes) else {
            unreachable!("32 octets font toujours une clé ChaCha20-Poly1305")
        };
        key
    }

    /// The key the configuration asks for: `IAF_CLE_COURRIELS`, required with SMTP; otherwise an ephemeral one.
    pub fn from_config(key: &str, smtp_url: &str) -> Result<OutboxKey, String> {
        if !key.trim().is_empty() {
            return OutboxKey::from_hex(key);
        }
        if !smtp_url.is_empty() {
            return Err(format!(
                "IAF_SMTP_URL est fixé mais {KEY_VARIABLE} ne l'est pas : les liens privés des courriels en attente \
                 (invitations, réinitialisations, liens de suivi) sont chiffrés avec cette clé. Générez-la avec \
                 « openssl rand -hex 32 », fixez {KEY_VARIABLE} à cette valeur puis relancez."
            ));
        }
        Ok(OutboxKey::ephemeral())
    }

    /// The links sealed with a fresh random nonce, as hexadecimal (nonce then ciphertext); `None` for no link.
    pub fn seal(&self, links: &[String]) -> Result<Option<String>, String> {
        if links.is_empty() {
            return Ok(None);
        }
        let mut nonce = [0_u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| "aléa indisponible".to_string())?;
        let mut data = links.join("\n").into_bytes();
        self.0
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
            .map_err(|_| "chiffrement des liens impossible".to_string())?;
        Ok(Some(format!("{}{}", hex(&nonce), hex(&data))))
    }

    /// The links sealed by `seal`, or why they cannot be opened (another key, altered data).
    pub fn open(&self, sealed: &str) -> Result<Vec<String>, String> {
        let bytes = unhex(sealed)
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or("liens scellés illisibles")?;
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| "nonce invalide".to_string())?;
        let mut data = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::empty(), &mut data)
            .map_err(|_| "les liens scellés ne s'ouvrent pas avec cette clé".to_string())?;
        let text = String::from_utf8(plain.to_vec()).map_err(|_| "liens scellés illisibles".to_string())?;
        Ok(text.split('\n').map(str::to_string).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn sealed_links_hide_them_and_open_only_with_the_same_key() {
        let key = OutboxKey::from_hex(KEY).expect("key");
        let links = vec![
            "https://x.fr/suivi/abc".to_string(),
            "https://x.fr/suivi/def".to_string(),
        ];
        let sealed = key.seal(&links).expect("seal").expect("some");
        assert!(!sealed.contains("abc") && !sealed.contains(&hex(b"suivi")));
        assert_ne!(
            key.seal(&links).expect("seal").expect("some"),
            sealed,
            "a fresh nonce each time"
        );
        assert_eq!(key.open(&sealed).expect("open"), links);
        assert!(OutboxKey::ephemeral().open(&sealed).is_err());
        assert_eq!(key.seal(&[]).expect("seal"), None);
    }

    #[test]
    fn the_key_is_required_with_smtp_and_must_be_32_bytes() {
        assert!(OutboxKey::from_config("", "smtp://127.0.0.1:25")
            .unwrap_err()
            .contains(KEY_VARIABLE));
        assert!(OutboxKey::from_config("abcd", "").unwrap_err().contains(KEY_VARIABLE));
        assert!(OutboxKey::from_config("", "").is_ok());
        assert!(OutboxKey::from_config(KEY, "smtp://127.0.0.1:25").is_ok());
    }
}
