//! The one place a store's outcome becomes what the caller is told: the new version, or the French error whose
//! kind sets the HTTP status (the server's `server_fn_statuses` middleware reads it; nothing else sets one).

use crate::domain::dates::format_paris;
use crate::domain::gates::Remedy;
use crate::error::AppError;
use crate::routes::{case, Section};
use crate::store::WriteOutcome;

/// Where a write came from, which the wording of a conflict depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writing {
    /// A move on the board: the board is refreshed, the card is where the other person put it.
    Board,
    /// A form: the writer's text is still on the page.
    Form,
    /// A publication from the preview: what the preview showed may no longer be what would be published.
    Publication,
}

/// The French 404 of a case reference that leads nowhere; it repeats only the letters, digits and dashes of
/// what was sent, never markup.
pub fn case_not_found(reference: &str) -> AppError {
    let shown: String = reference
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    AppError::NotFound(format!("Aucun cas d'usage ne porte la référence « {shown} »."))
}

/// Where a refused gate can be satisfied, as a link and its label.
pub fn remedy_link(remedy: Remedy, reference: &str) -> (String, String) {
    match remedy {
        Remedy::Periods => ("/equipe/periodes".into(), "Voir les périodes de relève".into()),
        Remedy::QualificationGrid => (
            case(reference).section(Section::Qualification),
            "Ouvrir la grille de qualification".into(),
        ),
        Remedy::Cadrage => (
            case(reference).cadrage_at("validations"),
            "Ouvrir le document de cadrage et ses validations".into(),
        ),
        Remedy::Phase4Conditions => (
            case(reference).conception_at("conditions"),
            "Vérifier les conditions de la phase 4".into(),
        ),
        Remedy::Reason => (case(reference).move_page(), "Indiquer la raison du déplacement".into()),
        Remedy::None => (String::new(), String::new()),
    }
}

/// The case's new version, or the error a refused, conflicting or unknown write means.
pub fn written(outcome: WriteOutcome, reference: &str, writing: Writing) -> Result<i64, AppError> {
    match outcome {
        WriteOutcome::Done { version } => Ok(version),
        WriteOutcome::Refused(refusal) => {
            let (remedy_href, remedy_label) = remedy_link(refusal.remedy, reference);
            Err(AppError::Refused {
                message: refusal.message,
                remedy_href,
                remedy_label,
            })
        }
        WriteOutcome::Conflict { by, at } => {
            let who = if by.is_empty() {
                "une autre personne"
            } else {
                by.as_str()
            };
            let when = format_paris(at);
            Err(AppError::Conflict(match writing {
                Writing::Board => format!(
                    "Ce cas a été modifié par {who} le {when} pendant que vous le regardiez : le tableau a été actualisé, vérifiez sa place avant de recommencer."
                ),
                Writing::Form => format!(
                    "{who} a enregistré une modification le {when} pendant que vous écriviez : rechargez la page pour partir de la dernière version (copiez d'abord votre texte si besoin)."
                ),
                Writing::Publication => format!(
                    "{who} a modifié ce cas le {when} depuis l'ouverture de l'aperçu : rien n'a été publié. Rechargez l'aperçu pour vérifier ce que verra le public, puis publiez de nouveau."
                ),
            }))
        }
        WriteOutcome::NotFound => Err(case_not_found(reference)),
    }
}
