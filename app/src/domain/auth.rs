//! Programme-team accounts: the roles and what each may do, and the password rule, so every check is the same
//! on every path and tested here.

use serde::{Deserialize, Serialize};

/// The roles of the programme team.
/// On the wire a role is its code (`admin`, `programme`, `lecture`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts and relève periods, and everything `Programme` does.
    Admin,
    /// Moves, scores and decides.
    Programme,
    /// Reads only.
    Lecture,
    /// A direction régionale of the Banque des Territoires: reads and comments the cases of its régions.
    #[serde(rename = "direction-regionale")]
    DirectionRegionale,
    /// The prestataire technique: reads the cases assigned to it, writes the phase 4 journal and validates the
    /// cadrage as the prestataire party.
    Prestataire,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Programme,
        Role::Lecture,
        Role::DirectionRegionale,
        Role::Prestataire,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Programme => "programme",
            Role::Lecture => "lecture",
            Role::DirectionRegionale => "direction-regionale",
            Role::Prestataire => "prestataire",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administration",
            Role::Programme => "Équipe programme",
            Role::Lecture => "Lecture seule",
            Role::DirectionRegionale => "Direction régionale",
            Role::Prestataire => "Prestataire technique",
        }
    }

    /// Reading the back office: every role.
    pub fn can_read(self) -> bool {
        true
    }

    /// Moving, scoring and deciding on cases.
    pub fn can_act_on_cases(self) -> bool {
        matches!(self, Role::Admin | Role::Programme)
    }

    /// Managing accounts and relève periods.
    pub fn can_administer(self) -> bool {
        self == Role::Admin
    }

    /// Commenting the cases one may see.
    pub fn can_comment(self) -> bool {
        !matches!(self, Role::Lecture)
    }

    /// Writing to the collectivité of the cases one may see (the thread of §1 of the issue).
    pub fn can_write_messages(self) -> bool {
        !matches!(self, Role::Lecture)
    }

    /// Writing the phase 4 journal of the cases one may see.
    pub fn can_write_log(self) -> bool {
        matches!(self, Role::Admin | Role::Programme | Role::Prestataire)
    }
}

/// The shortest and longest passwords accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The longest email address (RFC 5321's path limit): a longer one typed at sign-in is refused before anything
/// is counted or written.
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a password is refused, in French; none when it is acceptable.
pub fn password_problem(password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        Some(format!(
            "Le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères."
        ))
    } else if length > MAX_PASSWORD_CHARS {
        Some(format!(
            "Le mot de passe doit compter au plus {MAX_PASSWORD_CHARS} caractères."
        ))
    } else if password.chars().all(|c| c == password.chars().next().unwrap_or(' ')) {
        Some("Le mot de passe ne peut pas répéter un seul caractère.".into())
    } else if is_common_password(password) {
        Some(
            "Ce mot de passe figure parmi les plus courants : choisissez une phrase de passe propre à ce compte."
                .into(),
        )
    } else {
        None
    }
}

/// The most common passwords (see the file's header for its source), one per line, lower case.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Whether the password, ignoring case and the digits and signs added at its start or end, is one of the most
/// common passwords.
pub fn is_common_password(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    let core = lower.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace());
    COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|common| common == lower || (core.chars().count() >= 6 && common == core))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_have_increasing_rights() {
        assert!(Role::Lecture.can_read() && !Role::Lecture.can_act_on_cases() && !Role::Lecture.can_administer());
        assert!(Role::Programme.can_act_on_cases() && !Role::Programme.can_administer());
        assert!(Role::Admin.can_act_on_cases() && Role::Admin.can_administer());
        assert!(Role::DirectionRegionale.can_comment() && !Role::DirectionRegionale.can_act_on_cases());
        assert!(!Role::DirectionRegionale.can_write_log() && !Role::Lecture.can_comment());
        assert!(Role::Prestataire.can_write_log() && !Role::Prestataire.can_act_on_cases());
        assert_eq!(
            serde_json::to_string(&Role::DirectionRegionale).ok().as_deref(),
            Some("\"direction-regionale\"")
        );
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn common_passwords_are_refused_even_padded() {
        for common in [
            "password1234",
            "Azertyuiop123",
            "motdepasse2024!",
            "123456789012",
            "!!Soleil123456",
        ] {
            assert!(password_problem(common).is_some(), "{common}");
        }
        assert!(password_problem("territoires-ia-demo").is_none());
        assert!(password_problem("une phrase de passe solide").is_none());
        assert!(COMMON_PASSWORDS.lines().filter(|l| !l.starts_with('#')).count() > 20_000);
    }

    #[test]
    fn passwords_need_twelve_to_128_characters() {
        assert!(password_problem("court").is_some());
        assert!(password_problem("aaaaaaaaaaaaaaa").is_some());
        assert!(password_problem("une phrase de passe").is_none());
        assert!(password_problem(&"ab".repeat(65)).is_some());
        assert!(
            password_problem("éléphant-rose").is_none(),
            "counted in characters, not bytes"
        );
    }
}
