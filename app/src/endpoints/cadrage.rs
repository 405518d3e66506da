//! The endpoints of the tripartite cadrage (§3 étape 3, §6): the document in force or pre-filled, its
//! versions and differences, the three parties' validations, a version for printing. Reads for every
//! signed-in role; writes for admin and programme.
// A form posted without JavaScript reaches its server function with one argument per field.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::domain::cadrage::CadrageDocument;
#[cfg(feature = "ssr")]
use crate::domain::cadrage::{FieldKind, Party};
#[cfg(feature = "ssr")]
use crate::model::cadrage::{FieldView, PartyView, SectionView};
#[cfg(feature = "ssr")]
use crate::store::case::Project;
use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::cadrage::{CadrageView, DiffView, PrintView};
#[cfg(feature = "ssr")]
use crate::model::cadrage::{ChangeView, VersionView};
#[cfg(feature = "ssr")]
use crate::routes::{CasePage, Saved};
#[cfg(feature = "ssr")]
use crate::server::access::require_case;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::outcome::case_not_found;
#[cfg(feature = "ssr")]
use crate::server::stages::*;

/// The cadrage page of a case: the document in force (or pre-filled), its versions and validations.
#[server(endpoint = "equipe/cadrage")]
pub async fn cadrage(reference: String) -> Result<CadrageView, AppError> {
    use crate::domain::cadrage::{fully_validated, prefill};
    let (visible, case, project, role) = load(&reference).await?;
    let recorded = project.recorded_validations();
    let document = match project.current() {
        Some(version) => version.document.clone(),
        None => prefill(&case.answers, &crate::domain::dates::iso_date(now() + 7_200)),
    };
    let current = in_force(&project);
    let signed_pdfs = case_documents(&visible)
        .await?
        .into_iter()
        .filter(|d| d.is_signed_pdf_candidate())
        .map(|d| (d.public_id, d.file_name))
        .collect();
    Ok(CadrageView {
        signed_pdfs,
        head: head(&case, role),
        current,
        sections: sections(&document),
        versions: project
            .versions
            .iter()
            .rev()
            .map(|version| VersionView {
                number: version.number,
                author: version.author.clone(),
                at: version.created_at,
                validations: recorded.iter().filter(|v| v.version == version.number).count() as i64,
            })
            .collect(),
        parties: party_views(&project, &document),
        fully_validated: fully_validated(project.current().map(|v| v.number), &recorded),
        editable_stage: crate::domain::cadrage::document_open(case.summary.stage),
    })
}

/// Saves a new version of the cadrage document (roles admin and programme). `base` is the version the author
/// started from; `champs` every field of the form.
#[server(endpoint = "equipe/cadrage/enregistrer")]
pub async fn enregistrer_cadrage(
    reference: String,
    base: i64,
    champs: BTreeMap<String, String>,
) -> Result<i64, AppError> {
    use crate::domain::cadrage::{check, CadrageDocument};
    let (account, case) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    if champs.len() > 100 {
        return Err(AppError::Invalid("Ce formulaire contient des champs inconnus.".into()));
    }
    let detail = ctx
        .store
        .case_detail(&case)
        .await?
        .ok_or_else(|| case_not_found(case.as_str()))?;
    if !crate::domain::cadrage::document_open(detail.summary.stage) {
        return Err(AppError::Invalid(
            "Le document de cadrage s'écrit une fois le cas qualifié, à partir de l'étape « Cadrage détaillé ».".into(),
        ));
    }
    let document = CadrageDocument::from_form(champs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let errors = check(&document);
    if !errors.is_empty() {
        return Err(AppError::Invalid(format!(
            "Le document n'a pas été enregistré : {}",
            errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" ")
        )));
    }
    let outcome = ctx
        .store
        .save_cadrage(&crate::store::cadrage::CadrageSave {
            case: case.clone(),
            based_on: base,
            document,
            actor: account.name,
            notice: Some(crate::server::context::notice(
                crate::domain::email::Notice::CadrageReady,
            )),
            now: now(),
        })
        .await?;
    finish(outcome, &case, CasePage::Cadrage, Saved::CadrageVersion, "")
}

/// The case's documents, as offered for a paper signature's PDF.
#[cfg(feature = "ssr")]
async fn case_documents(
    case: &crate::domain::access::VisibleCase,
) -> Result<Vec<crate::domain::cadrage::signatures::CaseDocument>, AppError> {
    Ok(server_context()?
        .store
        .documents_of_case(case)
        .await?
        .into_iter()
        .map(|line| crate::domain::cadrage::signatures::CaseDocument {
            downloadable: line.scan_status.downloadable(),
            public_id: line.public_id,
            file_name: line.file_name,
            media_type: line.media_type,
        })
        .collect())
}

/// Records that a party validated a version: the prestataire of the case its own party, in its own name; a
/// member of the team (admin, programme) the Caisse des Dépôts' with its signatory, and the collectivité's or
/// the prestataire's only as a signature made on paper, with the signed PDF (`piece`, a document of the case).
#[server(endpoint = "equipe/cadrage/valider")]
pub async fn valider_cadrage(
    reference: String,
    version: i64,
    partie: String,
    signataire: String,
    piece: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::auth::Role;
    use crate::domain::cadrage::signatures::{team_recording, RecordingRefusal};
    let (account, case) = require_case(|role| role.can_act_on_cases() || role == Role::Prestataire, &reference).await?;
    let ctx = server_context()?;
    let party = Party::from_code(&partie).ok_or_else(|| AppError::Invalid("Partie inconnue.".into()))?;
    let documents = case_documents(&case).await?;
    let identification = team_recording(account.role, party, piece.as_deref().unwrap_or(""), &documents).map_err(
        |refusal| match refusal {
            RecordingRefusal::Forbidden => AppError::Forbidden,
            RecordingRefusal::Invalid(message) => AppError::Invalid(message),
        },
    )?;
    // The prestataire validates in its own name; the team names the signatory.
    let signatory = if account.role == Role::Prestataire {
        account.name.clone()
    } else {
        crate::domain::text::clean_text(&signataire).trim().to_string()
    };
    if signatory.is_empty() || signatory.chars().count() > 200 {
        return Err(AppError::Invalid(format!(
            "Indiquez qui a validé pour {} (nom et fonction, 200 caractères au plus).",
            party.label().to_lowercase()
        )));
    }
    let outcome = ctx
        .store
        .validate_cadrage(&crate::store::cadrage::PartyValidation {
            case: case.clone(),
            version,
            party,
            signatory,
            recorded_by: account.name,
            identification,
            at: now(),
        })
        .await?;
    finish(outcome, &case, CasePage::Cadrage, Saved::Validation, "validations")
}

/// One version of the document, for reading and printing.
#[server(endpoint = "equipe/cadrage/version")]
pub async fn version_cadrage(reference: String, numero: i64) -> Result<PrintView, AppError> {
    let (_, case, project, role) = load(&reference).await?;
    let Some(version) = project.versions.iter().find(|v| v.number == numero) else {
        return Err(AppError::NotFound(format!(
            "Le document de cadrage de {} n'a pas de version {numero}.",
            case.summary.reference
        )));
    };
    Ok(PrintView {
        head: head(&case, role),
        number: version.number,
        in_force: in_force(&project),
        author: version.author.clone(),
        at: version.created_at,
        sections: sections(&version.document),
        validations: project
            .validations
            .iter()
            .filter(|v| v.version == numero)
            .map(|v| (v.party.label().to_string(), v.signatory.clone(), v.at))
            .collect(),
    })
}

/// What changed between two versions.
#[server(endpoint = "equipe/cadrage/comparer")]
pub async fn comparer_cadrage(reference: String, de: i64, a: i64) -> Result<DiffView, AppError> {
    use crate::domain::cadrage::{diff, DiffLine};
    let (_, case, project, role) = load(&reference).await?;
    let find = |number: i64| project.versions.iter().find(|v| v.number == number);
    let (Some(before), Some(after)) = (find(de), find(a)) else {
        return Err(AppError::NotFound(
            "L'une des deux versions demandées n'existe pas.".into(),
        ));
    };
    Ok(DiffView {
        head: head(&case, role),
        from: de,
        to: a,
        numbers: project.versions.iter().map(|v| v.number).collect(),
        changes: diff(&before.document, &after.document)
            .into_iter()
            .map(|change| ChangeView {
                label: change.label.to_string(),
                lines: change
                    .lines
                    .into_iter()
                    .map(|line| match line {
                        DiffLine::Same(text) => ("same".to_string(), text),
                        DiffLine::Added(text) => ("added".to_string(), text),
                        DiffLine::Removed(text) => ("removed".to_string(), text),
                    })
                    .collect(),
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
pub fn sections(document: &CadrageDocument) -> Vec<SectionView> {
    crate::domain::cadrage::SECTIONS
        .iter()
        .map(|section| SectionView {
            title: section.title.to_string(),
            fields: section
                .fields
                .iter()
                .map(|spec| {
                    let (kind, min, max, options) = match spec.kind {
                        FieldKind::Text => ("text", 0, 0, Vec::new()),
                        FieldKind::LongText => ("long", 0, 0, Vec::new()),
                        FieldKind::Lines => ("lines", 0, 0, Vec::new()),
                        FieldKind::Integer { min, max } => ("integer", min, max, Vec::new()),
                        FieldKind::Date => ("date", 0, 0, Vec::new()),
                        FieldKind::Choice(choices) => (
                            "choice",
                            0,
                            0,
                            choices
                                .iter()
                                .map(|c| (c.code.to_string(), c.label.to_string()))
                                .collect(),
                        ),
                    };
                    FieldView {
                        key: spec.key.to_string(),
                        label: spec.label.to_string(),
                        hint: spec.hint.to_string(),
                        kind: kind.to_string(),
                        min,
                        max,
                        required: spec.required,
                        options,
                        value: document.get(spec.key).to_string(),
                        display: crate::domain::cadrage::display_value(spec, document.get(spec.key)),
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(feature = "ssr")]
pub fn party_views(project: &Project, document: &CadrageDocument) -> Vec<PartyView> {
    let current = in_force(project);
    Party::ALL
        .into_iter()
        .map(|party| PartyView {
            code: party.code().to_string(),
            label: party.label().to_string(),
            signatory: document.get(party.signatory_field()).to_string(),
            validated: project
                .validations
                .iter()
                .find(|v| v.version == current && v.party == party)
                .map(|v| (v.signatory.clone(), v.identification.describe(&v.recorded_by), v.at)),
        })
        .collect()
}
