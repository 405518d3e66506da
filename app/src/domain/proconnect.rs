//! ProConnect (the State's OpenID Connect sign-in for public agents) as rules, without network nor database:
//! the levels of assurance (`acr`) and their order, what the server asks and checks, who may get in, and the
//! French refusals, each saying what to do.

/// How long a sign-in started at ProConnect may be completed (its `state` and `nonce` then expire).
pub const REQUEST_SECONDS: i64 = 600;

/// The least length of the `state` and `nonce` sent (ProConnect asks for 32 characters at least).
pub const MIN_STATE_CHARS: usize = 32;

/// The scopes asked: the identity and the organisation the agent chose at sign-in (`organization_label` and
/// `roles` are scopes of their own at ProConnect).
pub const SCOPES: [&str; 10] = [
    "openid",
    "email",
    "given_name",
    "usual_name",
    "siret",
    "uid",
    "idp_id",
    "organizational_unit",
    "organization_label",
    "roles",
];

/// Which space a ProConnect sign-in was started for: the team's or a collectivité's (each has its button).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    Team,
    Collectivite,
}

impl Space {
    pub fn code(self) -> &'static str {
        match self {
            Space::Team => "equipe",
            Space::Collectivite => "collectivite",
        }
    }

    pub fn from_code(code: &str) -> Option<Space> {
        [Space::Team, Space::Collectivite]
            .into_iter()
            .find(|space| space.code() == code)
    }

    /// Its sign-in page, where refusals lead.
    pub fn sign_in_page(self) -> &'static str {
        match self {
            Space::Team => crate::routes::SIGN_IN,
            Space::Collectivite => crate::routes::AGENT_SIGN_IN,
        }
    }
}

/// The `roles` value of an agent of a collectivité territoriale.
pub const TERRITORIAL_ROLE: &str = "agent_public_territorial";

/// A level of assurance of ProConnect (values since June 2026), weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Acr {
    Eidas0,
    Eidas0Mfa,
    Eidas1,
    Eidas1Mfa,
    Eidas2,
    Eidas3,
}

impl Acr {
    pub const ALL: [Acr; 6] = [
        Acr::Eidas0,
        Acr::Eidas0Mfa,
        Acr::Eidas1,
        Acr::Eidas1Mfa,
        Acr::Eidas2,
        Acr::Eidas3,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Acr::Eidas0 => "eidas0",
            Acr::Eidas0Mfa => "eidas0-mfa",
            Acr::Eidas1 => "eidas1",
            Acr::Eidas1Mfa => "eidas1-mfa",
            Acr::Eidas2 => "eidas2",
            Acr::Eidas3 => "eidas3",
        }
    }

    /// The value ProConnect returned; none for any other (the old `…/self-asserted` ones included).
    pub fn parse(code: &str) -> Option<Acr> {
        Acr::ALL.into_iter().find(|acr| acr.code() == code)
    }

    /// The levels that meet `self` when it is required: itself and every stronger one.
    pub fn at_least(self) -> Vec<Acr> {
        Acr::ALL.into_iter().filter(|acr| *acr >= self).collect()
    }

    /// In French, for the pages and the log.
    pub fn label(self) -> &'static str {
        match self {
            Acr::Eidas0 => "niveau faible (eidas0)",
            Acr::Eidas0Mfa => "niveau faible avec double facteur (eidas0-mfa)",
            Acr::Eidas1 => "niveau substantiel (eidas1)",
            Acr::Eidas1Mfa => "niveau substantiel avec double facteur (eidas1-mfa)",
            Acr::Eidas2 => "niveau substantiel renforcé (eidas2)",
            Acr::Eidas3 => "niveau élevé (eidas3)",
        }
    }
}

/// The `claims` request parameter that makes `required` (and what is stronger) essential in the ID token.
pub fn claims_parameter(required: Acr) -> String {
    let values: Vec<String> = required
        .at_least()
        .iter()
        .map(|acr| format!("\"{}\"", acr.code()))
        .collect();
    format!(
        "{{\"id_token\":{{\"acr\":{{\"essential\":true,\"values\":[{}]}}}}}}",
        values.join(",")
    )
}

/// The `acr` an ID token carried, checked on the server against the level required: never trusted because it
/// was asked for.
pub fn check_acr(returned: Option<&str>, required: Acr) -> Result<Acr, Refusal> {
    match returned.and_then(Acr::parse) {
        Some(acr) if acr >= required => Ok(acr),
        got => Err(Refusal::WeakAcr {
            got: got.map_or_else(|| returned.unwrap_or("aucun").to_string(), |acr| acr.code().to_string()),
            required,
        }),
    }
}

/// The SIREN (nine digits) of a SIRET (fourteen digits, checked by its Luhn key); none when it is not one.
pub fn siren_of(siret: &str) -> Option<&str> {
    let digits: Vec<u32> = siret.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 14 {
        return None;
    }
    // La Poste's establishments (SIREN 356000000) keep another key: their SIRET digits add to a multiple of 5.
    let valid = if siret.starts_with("356000000") {
        digits.iter().sum::<u32>().is_multiple_of(5)
    } else {
        luhn(&digits)
    };
    valid.then(|| &siret[..9])
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Why a ProConnect sign-in did not open a session, each in French with what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The `state` is unknown, already used or expired (a reload, a link opened twice, a long pause).
    Expired,
    /// ProConnect answered an error, or its answer did not verify (signature, issuer, audience, nonce).
    Provider,
    /// The person cancelled at ProConnect.
    Cancelled,
    /// The level of assurance is weaker than required.
    WeakAcr { got: String, required: Acr },
    /// No team account is open for this agent.
    UnknownMember { email: String },
    /// The team account is disabled.
    Disabled,
}

impl Refusal {
    /// A short code, carried by the sign-in page's address (`proconnect=<code>`), never free text.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Expired => "expire",
            Refusal::Provider => "fournisseur",
            Refusal::Cancelled => "annule",
            Refusal::WeakAcr { .. } => "niveau",
            Refusal::UnknownMember { .. } => "inconnu",
            Refusal::Disabled => "desactive",
        }
    }

    pub const CODES: [&'static str; 6] = ["expire", "fournisseur", "annule", "niveau", "inconnu", "desactive"];

    /// The sentence of a code carried by the address, for the sign-in page; none for any other text.
    pub fn notice(code: &str) -> Option<&'static str> {
        Some(match code {
            "expire" => "La connexion avec ProConnect a expiré ou a déjà servi : recommencez en cliquant sur « S'identifier avec ProConnect ».",
            "fournisseur" => "ProConnect n'a pas pu confirmer votre identité : recommencez ; si le problème persiste, écrivez à l'équipe IA Factory.",
            "annule" => "La connexion avec ProConnect a été annulée : rien n'a changé.",
            "niveau" => "Votre connexion ProConnect n'a pas le niveau de sécurité demandé pour l'équipe : reconnectez-vous avec une double authentification (application ou clé de sécurité) auprès de votre fournisseur d'identité.",
            "inconnu" => "Aucun compte de l'équipe IA Factory n'est ouvert pour l'adresse que ProConnect nous a transmise : demandez à un administrateur de l'IA Factory de vous inviter avec cette adresse, puis reconnectez-vous.",
            "desactive" => "Votre compte de l'équipe IA Factory est désactivé : adressez-vous à un administrateur de l'IA Factory.",
            _ => return None,
        })
    }

    /// What the log keeps of it (the address and levels in it are the agent's own).
    pub fn detail(&self) -> String {
        match self {
            Refusal::WeakAcr { got, required } => format!("niveau {got} au lieu de {} au moins", required.code()),
            Refusal::UnknownMember { email } => format!("aucun compte pour {email}"),
            other => other.code().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_the_required_one_asks_for_itself_and_stronger() {
        assert!(Acr::Eidas1Mfa > Acr::Eidas1 && Acr::Eidas2 > Acr::Eidas1Mfa);
        assert_eq!(
            Acr::Eidas1Mfa.at_least(),
            vec![Acr::Eidas1Mfa, Acr::Eidas2, Acr::Eidas3]
        );
        assert_eq!(
            claims_parameter(Acr::Eidas1Mfa),
            r#"{"id_token":{"acr":{"essential":true,"values":["eidas1-mfa","eidas2","eidas3"]}}}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&claims_parameter(Acr::Eidas1)).expect("JSON");
        assert_eq!(parsed["id_token"]["acr"]["values"][0], "eidas1");
    }

    #[test]
    fn the_returned_level_is_checked_and_the_old_values_are_refused() {
        assert_eq!(check_acr(Some("eidas2"), Acr::Eidas1Mfa), Ok(Acr::Eidas2));
        assert_eq!(
            check_acr(Some("eidas1"), Acr::Eidas1Mfa),
            Err(Refusal::WeakAcr {
                got: "eidas1".into(),
                required: Acr::Eidas1Mfa
            })
        );
        let old = "https://proconnect.gouv.fr/assurance/self-asserted";
        assert!(check_acr(Some(old), Acr::Eidas0).is_err());
        assert!(check_acr(None, Acr::Eidas0).is_err());
    }

    #[test]
    fn a_siret_gives_its_siren_only_when_its_key_is_right() {
        // Commune de Saint-Étienne, Caisse des Dépôts.
        assert_eq!(siren_of("21420218600018"), Some("214202186"));
        assert_eq!(siren_of("18002002600019"), Some("180020026"));
        assert_eq!(siren_of("21420218600019"), None);
        assert_eq!(siren_of("2142021860001"), None);
        assert_eq!(siren_of("2142021860001a"), None);
        // La Poste: the sum of the digits is a multiple of 5.
        assert_eq!(siren_of("35600000000010"), Some("356000000"));
    }

    #[test]
    fn a_notice_comes_only_from_a_known_code() {
        for code in Refusal::CODES {
            assert!(Refusal::notice(code).is_some(), "{code}");
        }
        assert_eq!(Refusal::notice("Votre compte est bloqué, appelez le 0800"), None);
        assert_eq!(Refusal::Expired.code(), "expire");
    }
}
