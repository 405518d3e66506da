//! Team administration: the one-time links of accounts (invitation 72 h, forgotten password 1 h), an
//! account's state, the checks of an invitation, and the events of the authentication log in French.

use serde::{Deserialize, Serialize};

use super::intake::is_email;
use super::text::clean_text;

/// How long an invitation link lasts, in hours.
pub const INVITATION_HOURS: i64 = 72;
/// How long a forgotten-password link lasts, in minutes.
pub const RESET_MINUTES: i64 = 60;

/// What a one-time link is for; stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenPurpose {
    #[serde(rename = "invitation")]
    Invitation,
    #[serde(rename = "reinitialisation")]
    Reset,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::Reset => "reinitialisation",
        }
    }

    /// How long a link of this kind lasts, in seconds.
    pub fn lifetime_seconds(self) -> i64 {
        match self {
            TokenPurpose::Invitation => INVITATION_HOURS * 3_600,
            TokenPurpose::Reset => RESET_MINUTES * 60,
        }
    }
}

/// Where an account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    /// Invited, no password chosen yet.
    #[serde(rename = "invite")]
    Invited,
    #[serde(rename = "actif")]
    Active,
    #[serde(rename = "desactive")]
    Disabled,
}

impl AccountState {
    pub fn of(disabled: bool, has_password: bool) -> AccountState {
        match (disabled, has_password) {
            (true, _) => AccountState::Disabled,
            (false, false) => AccountState::Invited,
            (false, true) => AccountState::Active,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountState::Invited => "Invitation envoyée",
            AccountState::Active => "Actif",
            AccountState::Disabled => "Désactivé",
        }
    }
}

/// The email and name of an invitation as typed, checked: the email lower-cased, the name 2 to 100 characters.
pub fn check_invitation(email: &str, name: &str) -> Result<(String, String), String> {
    let email = email.trim().to_lowercase();
    if !is_email(&email) {
        return Err(
            "« Adresse électronique » : saisissez une adresse valide, par exemple prenom.nom@exemple.fr.".into(),
        );
    }
    let name = clean_text(name).trim().to_string();
    if !(2..=100).contains(&name.chars().count()) {
        return Err("« Nom » : indiquez le prénom et le nom (2 à 100 caractères).".into());
    }
    Ok((email, name))
}

/// Nobody changes their own role or disables their own account: another administrator does, so an
/// administration is never left without one.
pub fn check_not_self(admin_id: i64, member_id: i64) -> Result<(), String> {
    if admin_id == member_id {
        Err("Vous ne pouvez pas changer votre propre rôle ni désactiver votre propre compte : demandez-le à un autre administrateur.".into())
    } else {
        Ok(())
    }
}

/// What the authentication log records; stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthEvent {
    #[serde(rename = "connexion")]
    SignedIn,
    #[serde(rename = "echec")]
    SignInFailed,
    #[serde(rename = "limite")]
    SignInLimited,
    #[serde(rename = "invitation")]
    Invited,
    #[serde(rename = "mot-de-passe-defini")]
    PasswordSet,
    #[serde(rename = "mot-de-passe-change")]
    PasswordChanged,
    #[serde(rename = "reinitialisation-demandee")]
    ResetRequested,
    #[serde(rename = "mot-de-passe-reinitialise")]
    PasswordReset,
    #[serde(rename = "role")]
    RoleChanged,
    #[serde(rename = "desactivation")]
    Disabled,
    #[serde(rename = "reactivation")]
    Enabled,
    #[serde(rename = "regions")]
    RegionsChanged,
    #[serde(rename = "prestataire")]
    CaseAssigned,
    #[serde(rename = "proconnect-lie")]
    ProConnectLinked,
    #[serde(rename = "proconnect-refus")]
    ProConnectRefused,
    /// Passwords turned off or on for a role, or the break-glass administrator named.
    #[serde(rename = "mots-de-passe")]
    PasswordPolicy,
}

impl AuthEvent {
    pub const ALL: [AuthEvent; 16] = [
        AuthEvent::SignedIn,
        AuthEvent::SignInFailed,
        AuthEvent::SignInLimited,
        AuthEvent::Invited,
        AuthEvent::PasswordSet,
        AuthEvent::PasswordChanged,
        AuthEvent::ResetRequested,
        AuthEvent::PasswordReset,
        AuthEvent::RoleChanged,
        AuthEvent::Disabled,
        AuthEvent::Enabled,
        AuthEvent::RegionsChanged,
        AuthEvent::CaseAssigned,
        AuthEvent::ProConnectLinked,
        AuthEvent::ProConnectRefused,
        AuthEvent::PasswordPolicy,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuthEvent::SignedIn => "connexion",
            AuthEvent::SignInFailed => "echec",
            AuthEvent::SignInLimited => "limite",
            AuthEvent::Invited => "invitation",
            AuthEvent::PasswordSet => "mot-de-passe-defini",
            AuthEvent::PasswordChanged => "mot-de-passe-change",
            AuthEvent::ResetRequested => "reinitialisation-demandee",
            AuthEvent::PasswordReset => "mot-de-passe-reinitialise",
            AuthEvent::RoleChanged => "role",
            AuthEvent::Disabled => "desactivation",
            AuthEvent::Enabled => "reactivation",
            AuthEvent::RegionsChanged => "regions",
            AuthEvent::CaseAssigned => "prestataire",
            AuthEvent::ProConnectLinked => "proconnect-lie",
            AuthEvent::ProConnectRefused => "proconnect-refus",
            AuthEvent::PasswordPolicy => "mots-de-passe",
        }
    }

    pub fn from_code(code: &str) -> Option<AuthEvent> {
        AuthEvent::ALL.into_iter().find(|event| event.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuthEvent::SignedIn => "Connexion réussie",
            AuthEvent::SignInFailed => "Échec de connexion",
            AuthEvent::SignInLimited => "Connexion refusée (trop de tentatives)",
            AuthEvent::Invited => "Invitation envoyée",
            AuthEvent::PasswordSet => "Mot de passe choisi (invitation)",
            AuthEvent::PasswordChanged => "Mot de passe changé",
            AuthEvent::ResetRequested => "Lien « mot de passe oublié » envoyé",
            AuthEvent::PasswordReset => "Mot de passe réinitialisé",
            AuthEvent::RoleChanged => "Rôle changé",
            AuthEvent::Disabled => "Compte désactivé",
            AuthEvent::Enabled => "Compte réactivé",
            AuthEvent::RegionsChanged => "Régions du compte changées",
            AuthEvent::CaseAssigned => "Cas confié ou retiré (prestataire)",
            AuthEvent::ProConnectLinked => "Compte lié à une identité ProConnect",
            AuthEvent::ProConnectRefused => "Connexion ProConnect refusée",
            AuthEvent::PasswordPolicy => "Connexion par mot de passe réglée",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_last_72_hours_or_one_hour() {
        assert_eq!(TokenPurpose::Invitation.lifetime_seconds(), 72 * 3_600);
        assert_eq!(TokenPurpose::Reset.lifetime_seconds(), 3_600);
    }

    #[test]
    fn an_account_is_invited_until_it_has_a_password() {
        assert_eq!(AccountState::of(false, false), AccountState::Invited);
        assert_eq!(AccountState::of(false, true), AccountState::Active);
        assert_eq!(AccountState::of(true, true), AccountState::Disabled);
        assert_eq!(AccountState::of(true, false), AccountState::Disabled);
    }

    #[test]
    fn an_invitation_needs_an_email_and_a_name() {
        assert_eq!(
            check_invitation(" Camille.Martin@Ville.FR ", " Camille Martin "),
            Ok(("camille.martin@ville.fr".into(), "Camille Martin".into()))
        );
        assert!(check_invitation("pas une adresse", "Camille")
            .unwrap_err()
            .contains("« Adresse électronique »"));
        assert!(check_invitation("a@b.fr", "C").unwrap_err().contains("« Nom »"));
    }

    #[test]
    fn an_administrator_does_not_administer_themselves() {
        assert!(check_not_self(7, 7).unwrap_err().contains("un autre administrateur"));
        assert_eq!(check_not_self(7, 8), Ok(()));
    }

    #[test]
    fn every_event_reads_back_from_its_code() {
        for event in AuthEvent::ALL {
            assert_eq!(AuthEvent::from_code(event.code()), Some(event));
            assert!(!event.label().is_empty());
        }
        assert_eq!(AuthEvent::from_code("autre"), None);
    }
}
