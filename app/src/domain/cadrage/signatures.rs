//! Who records a party's validation of the cadrage, and how it counts (§6, issue 25): the collectivité's party
//! is validated by one of its agents in their own name (from its space, with ProConnect), the prestataire's by
//! the prestataire itself, the Caisse des Dépôts' by a team member; the team records a signature made on paper
//! only with the signed PDF, chosen among the case's documents, and marked as such.

use super::{Identification, Party};
use crate::domain::auth::Role;

/// The field of the team's form naming the signed PDF, as its errors name it.
const PDF_FIELD: &str = "« Document signé (PDF) »";

/// A document of the case, as offered for the signed PDF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDocument {
    pub public_id: String,
    pub file_name: String,
    pub media_type: String,
    /// Past the antivirus (or none configured): it may be downloaded.
    pub downloadable: bool,
}

impl CaseDocument {
    /// Whether it may be offered as a signed PDF.
    pub fn is_signed_pdf_candidate(&self) -> bool {
        self.media_type == "application/pdf" && self.downloadable
    }
}

/// Why an account may not record a validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordingRefusal {
    /// Not its party to record.
    Forbidden,
    /// Its party, but not this way: the French error naming the field and the remedy.
    Invalid(String),
}

/// How an account of `role` records `party`'s validation, given the signed PDF `piece` it chose among the
/// case's `documents` (empty: none).
pub fn team_recording(
    role: Role,
    party: Party,
    piece: &str,
    documents: &[CaseDocument],
) -> Result<Identification, RecordingRefusal> {
    if role == Role::Prestataire {
        // The prestataire validates its own party, in its own name, and nothing else.
        return if party == Party::Prestataire {
            Ok(Identification::Account)
        } else {
            Err(RecordingRefusal::Forbidden)
        };
    }
    if !role.can_act_on_cases() {
        return Err(RecordingRefusal::Forbidden);
    }
    let piece = piece.trim();
    if !piece.is_empty() {
        return signed_pdf(piece, documents).map_err(RecordingRefusal::Invalid);
    }
    match party {
        Party::CaisseDesDepots => Ok(Identification::Account),
        Party::Collectivite => Err(RecordingRefusal::Invalid(format!(
            "{PDF_FIELD} : la collectivité valide elle-même, par un de ses agents connecté à l'espace collectivité \
             avec ProConnect. Pour enregistrer une signature faite sur papier, joignez le PDF signé à un message du \
             dossier, puis choisissez-le ici."
        ))),
        Party::Prestataire => Err(RecordingRefusal::Invalid(format!(
            "{PDF_FIELD} : le prestataire valide lui-même, avec son compte. Pour enregistrer une signature faite sur \
             papier, joignez le PDF signé à un message du dossier, puis choisissez-le ici."
        ))),
    }
}

/// The paper signature whose PDF is `piece` among the case's documents, or the French error naming the field.
fn signed_pdf(piece: &str, documents: &[CaseDocument]) -> Result<Identification, String> {
    let document = documents
        .iter()
        .find(|d| d.public_id == piece)
        .ok_or_else(|| format!("{PDF_FIELD} : choisissez un document joint à ce dossier."))?;
    if document.media_type != "application/pdf" {
        return Err(format!(
            "{PDF_FIELD} : « {} » n'est pas un PDF ; joignez le document signé en PDF.",
            document.file_name
        ));
    }
    if !document.downloadable {
        return Err(format!(
            "{PDF_FIELD} : « {} » n'a pas encore passé l'analyse antivirus (ou ne l'a pas passée) ; réessayez dans \
             quelques minutes.",
            document.file_name
        ));
    }
    Ok(Identification::Paper {
        document: document.public_id.clone(),
        file_name: document.file_name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documents() -> Vec<CaseDocument> {
        let doc = |id: &str, name: &str, media: &str, ok: bool| CaseDocument {
            public_id: id.into(),
            file_name: name.into(),
            media_type: media.into(),
            downloadable: ok,
        };
        vec![
            doc("pdf", "cadrage-signe.pdf", "application/pdf", true),
            doc("scan", "en-cours.pdf", "application/pdf", false),
            doc("png", "photo.png", "image/png", true),
        ]
    }

    #[test]
    fn the_team_records_the_collectivite_or_the_prestataire_only_as_a_paper_signature_with_its_pdf() {
        let docs = documents();
        for party in [Party::Collectivite, Party::Prestataire] {
            let Err(RecordingRefusal::Invalid(error)) = team_recording(Role::Programme, party, "", &docs) else {
                panic!("{party:?} without a PDF");
            };
            assert!(error.starts_with("« Document signé (PDF) » :"), "{error}");
            assert!(error.contains("joignez le PDF signé"), "{error}");
            assert_eq!(
                team_recording(Role::Admin, party, " pdf ", &docs),
                Ok(Identification::Paper {
                    document: "pdf".into(),
                    file_name: "cadrage-signe.pdf".into()
                })
            );
        }
    }

    #[test]
    fn a_signed_pdf_is_a_pdf_of_the_case_past_the_antivirus() {
        let docs = documents();
        for (piece, says) in [
            ("autre", "choisissez un document joint à ce dossier"),
            ("png", "« photo.png » n'est pas un PDF"),
            ("scan", "« en-cours.pdf » n'a pas encore passé l'analyse antivirus"),
        ] {
            let Err(RecordingRefusal::Invalid(error)) =
                team_recording(Role::Programme, Party::Collectivite, piece, &docs)
            else {
                panic!("{piece}");
            };
            assert!(error.contains(says), "{piece}: {error}");
        }
        let offered: Vec<_> = docs
            .iter()
            .filter(|d| d.is_signed_pdf_candidate())
            .map(|d| d.public_id.as_str())
            .collect();
        assert_eq!(offered, vec!["pdf"]);
    }

    #[test]
    fn the_caisse_des_depots_is_validated_by_a_team_member_and_the_prestataire_by_itself() {
        assert_eq!(
            team_recording(Role::Programme, Party::CaisseDesDepots, "", &[]),
            Ok(Identification::Account)
        );
        assert_eq!(
            team_recording(Role::Prestataire, Party::Prestataire, "", &[]),
            Ok(Identification::Account)
        );
        for party in [Party::Collectivite, Party::CaisseDesDepots] {
            assert_eq!(
                team_recording(Role::Prestataire, party, "pdf", &documents()),
                Err(RecordingRefusal::Forbidden)
            );
        }
        assert_eq!(
            team_recording(Role::DirectionRegionale, Party::CaisseDesDepots, "", &[]),
            Err(RecordingRefusal::Forbidden)
        );
    }
}
