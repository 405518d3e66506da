//! The avis of a direction régionale or of the prestataire on a case in qualification (§3 étape 2): what it
//! says, how it is checked, and how the board counts them.

use serde::{Deserialize, Serialize};

use super::text::clean_text;

/// The opinion of an avis; stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opinion {
    #[serde(rename = "favorable")]
    Favorable,
    #[serde(rename = "reserve")]
    Reserved,
    #[serde(rename = "defavorable")]
    Unfavorable,
}

impl Opinion {
    pub const ALL: [Opinion; 3] = [Opinion::Favorable, Opinion::Reserved, Opinion::Unfavorable];

    pub fn code(self) -> &'static str {
        match self {
            Opinion::Favorable => "favorable",
            Opinion::Reserved => "reserve",
            Opinion::Unfavorable => "defavorable",
        }
    }

    pub fn from_code(code: &str) -> Option<Opinion> {
        Opinion::ALL.into_iter().find(|opinion| opinion.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Opinion::Favorable => "Favorable",
            Opinion::Reserved => "Réservé",
            Opinion::Unfavorable => "Défavorable",
        }
    }
}

/// The longest text of an avis, in characters.
pub const MAX_AVIS_CHARS: usize = 5_000;

/// An avis as typed, checked: an opinion of the list and a text of 1 to 5,000 characters.
pub fn check_avis(opinion: &str, text: &str) -> Result<(Opinion, String), String> {
    let opinion = Opinion::from_code(opinion)
        .ok_or_else(|| "« Avis » : choisissez favorable, réservé ou défavorable.".to_string())?;
    let text = clean_text(text).trim().to_string();
    if text.is_empty() {
        return Err("« Motivation » : expliquez votre avis en quelques phrases.".into());
    }
    if text.chars().count() > MAX_AVIS_CHARS {
        return Err(format!("« Motivation » : {MAX_AVIS_CHARS} caractères au plus."));
    }
    Ok((opinion, text))
}

/// An avis is asked for while the case is in qualification (§3 étape 2).
pub fn check_request_stage(stage: super::stage::Stage) -> Result<(), String> {
    if stage == super::stage::Stage::Qualification {
        Ok(())
    } else {
        Err("Un avis se demande pendant la qualification du cas.".into())
    }
}

/// The board's badge of a case's avis ("avis 1/2": given over requested), none when none was requested.
pub fn avis_badge(given: i64, requested: i64) -> Option<String> {
    (requested > 0).then(|| format!("avis {given}/{requested}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_avis_needs_an_opinion_and_a_text() {
        assert_eq!(
            check_avis("reserve", "  À revoir.  "),
            Ok((Opinion::Reserved, "À revoir.".into()))
        );
        assert!(check_avis("peut-etre", "Texte").unwrap_err().contains("« Avis »"));
        assert!(check_avis("favorable", "   ").unwrap_err().contains("« Motivation »"));
        assert!(check_avis("favorable", &"a".repeat(MAX_AVIS_CHARS + 1)).is_err());
        for opinion in Opinion::ALL {
            assert_eq!(Opinion::from_code(opinion.code()), Some(opinion));
        }
    }

    #[test]
    fn an_avis_is_asked_during_qualification_only() {
        use crate::domain::stage::Stage;
        assert_eq!(check_request_stage(Stage::Qualification), Ok(()));
        for stage in [Stage::Remontee, Stage::Cadrage, Stage::Reoriente] {
            assert!(check_request_stage(stage).is_err(), "{stage:?}");
        }
    }

    #[test]
    fn the_badge_counts_given_over_requested() {
        assert_eq!(avis_badge(0, 0), None);
        assert_eq!(avis_badge(1, 2).as_deref(), Some("avis 1/2"));
    }
}
