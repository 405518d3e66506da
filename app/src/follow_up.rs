//! The endpoints of stages 3 to 5 (cadre d'intervention §3 and §6): the tripartite cadrage document (versions,
//! difference, the three parties' validations, print view), the phase 4 conditions and log, the diffusion kit
//! with its preview, publication and withdrawal. Reads for every signed-in role; writes for admin and programme.
// A form posted without JavaScript reaches its server function with one argument per field.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A field of the cadrage document as a form or the print view shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub hint: String,
    /// `text`, `long`, `lines`, `integer`, `date` or `choice`.
    pub kind: String,
    pub min: i64,
    pub max: i64,
    pub required: bool,
    /// (code, label) of a choice.
    pub options: Vec<(String, String)>,
    pub value: String,
    /// The value as a person reads it (a choice's label, a date in words).
    pub display: String,
}

/// A titled group of fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub title: String,
    pub fields: Vec<FieldView>,
}

/// A saved version, listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub number: i64,
    pub author: String,
    pub at: i64,
    /// How many of the three parties validated it.
    pub validations: i64,
}

/// A party's validation of the version in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyView {
    pub code: String,
    pub label: String,
    /// The signatory named by the document (pre-fills the form).
    pub signatory: String,
    /// Who signed, who recorded it and when, once validated.
    pub validated: Option<(String, String, i64)>,
}

/// The header every follow-up page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHead {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub stage_code: String,
    pub stage_label: String,
    /// The signed-in role may write.
    pub can_act: bool,
}

/// The cadrage page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadrageView {
    pub head: CaseHead,
    /// The version in force, 0 before the first save.
    pub current: i64,
    /// The document in force, or the pre-filled first version.
    pub sections: Vec<SectionView>,
    /// Newest first.
    pub versions: Vec<VersionView>,
    pub parties: Vec<PartyView>,
    pub fully_validated: bool,
    /// The document may be edited at this stage.
    pub editable_stage: bool,
}

/// One version as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintView {
    pub head: CaseHead,
    pub number: i64,
    pub in_force: i64,
    pub author: String,
    pub at: i64,
    pub sections: Vec<SectionView>,
    /// (party, signatory, when) of this version.
    pub validations: Vec<(String, String, i64)>,
}

/// A changed field between two versions: (`same`/`added`/`removed`, text) per line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub label: String,
    pub lines: Vec<(String, String)>,
}

/// The difference between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffView {
    pub head: CaseHead,
    pub from: i64,
    pub to: i64,
    pub numbers: Vec<i64>,
    pub changes: Vec<ChangeView>,
}

/// A phase 4 condition with its check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionView {
    pub text: String,
    /// Evidence, who checked, when.
    pub checked: Option<(String, String, i64)>,
}

/// A phase 4 log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    pub day: String,
    pub kind: String,
    pub body: String,
    pub author: String,
}

/// The phase 4 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptionView {
    pub head: CaseHead,
    pub current: i64,
    pub conditions: Vec<ConditionView>,
    pub log: Vec<LogView>,
    /// `AAAA-MM-JJ`, the default day of a new entry.
    pub today: String,
}

/// The diffusion page: the kit as the form shows it, the estimate and the publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffusionView {
    pub head: CaseHead,
    pub revision: i64,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub documentation: String,
    pub videos: String,
    pub supports: String,
    pub contact: String,
    pub agents_measured: String,
    pub hours_measured: String,
    pub agents_estimated: i64,
    pub hours_estimated: i64,
    /// Slug, published at, withdrawn.
    pub publication: Option<(String, i64, bool)>,
    /// What the kit lacks before publication.
    pub missing: Vec<String>,
    /// The stage allows publication (conception or diffusion).
    pub publishable_stage: bool,
    pub saved: bool,
}

/// What the follow-up section of the case page says of stages 3 to 5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpLine {
    pub href: String,
    pub label: String,
    pub status: String,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::api::context::server_context;
    use crate::domain::cadrage::{self, CadrageDocument, FieldKind, Party};
    use crate::domain::stage::Stage;
    use crate::store::{CaseDetail, FollowUp, WriteOutcome};
    use crate::team::session::{require, set_error_status};

    pub fn not_found(reference: &str) -> AppError {
        AppError::NotFound(format!(
            "Aucun cas d'usage ne porte la référence « {} ».",
            reference.chars().take(40).collect::<String>()
        ))
    }

    /// The case and its follow-up, or a French 404.
    pub async fn load(reference: &str) -> Result<(CaseDetail, FollowUp, bool), AppError> {
        let account = require(crate::domain::auth::Role::can_read).await?;
        let ctx = server_context()?;
        if reference.len() > 20 {
            return Err(not_found(reference));
        }
        let (case, follow_up) = tokio::join!(ctx.store.case_detail(reference), ctx.store.follow_up(reference));
        let (Some(case), Some(follow_up)) = (case?, follow_up?) else {
            set_error_status(axum::http::StatusCode::NOT_FOUND);
            return Err(not_found(reference));
        };
        Ok((case, follow_up, account.role.can_act_on_cases()))
    }

    pub fn head(case: &CaseDetail, can_act: bool) -> CaseHead {
        CaseHead {
            reference: case.summary.reference.clone(),
            title: case.summary.title.clone(),
            collectivite_name: case.summary.collectivite_name.clone(),
            stage_code: case.summary.stage.code().to_string(),
            stage_label: case.summary.stage.label().to_string(),
            can_act,
        }
    }

    pub fn sections(document: &CadrageDocument) -> Vec<SectionView> {
        cadrage::SECTIONS
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
                            display: cadrage::display_value(spec, document.get(spec.key)),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// Maps the end of a write to the caller: redirect on success (no-JS posts follow it, JS calls ignore it).
    pub fn finish(outcome: WriteOutcome, reference: &str, success: &str) -> Result<i64, AppError> {
        match outcome {
            WriteOutcome::Done { version } => {
                // The new version in the address makes every open page read the case again, even after two
                // saves of the same kind in a row.
                let (path, fragment) = success.split_once('#').unwrap_or((success, ""));
                let fragment = if fragment.is_empty() {
                    String::new()
                } else {
                    format!("#{fragment}")
                };
                leptos_axum::redirect(&format!("{path}&v={version}{fragment}"));
                Ok(version)
            }
            WriteOutcome::Refused(refusal) => {
                set_error_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
                Err(AppError::Invalid(refusal.message))
            }
            WriteOutcome::Conflict { by, at } => {
                set_error_status(axum::http::StatusCode::CONFLICT);
                let who = if by.is_empty() {
                    "une autre personne"
                } else {
                    by.as_str()
                };
                Err(AppError::Conflict(format!(
                    "{who} a enregistré une modification le {} pendant que vous écriviez : rechargez la page pour partir de la dernière version (copiez d'abord votre texte si besoin).",
                    crate::domain::dates::format_paris(at)
                )))
            }
            WriteOutcome::NotFound => {
                set_error_status(axum::http::StatusCode::NOT_FOUND);
                Err(not_found(reference))
            }
        }
    }

    pub fn clean_reference(reference: &str) -> String {
        reference.trim().chars().take(20).collect()
    }

    pub fn in_force(follow_up: &FollowUp) -> i64 {
        follow_up.current().map_or(0, |version| version.number)
    }

    pub fn party_views(follow_up: &FollowUp, document: &CadrageDocument) -> Vec<PartyView> {
        let current = in_force(follow_up);
        Party::ALL
            .into_iter()
            .map(|party| PartyView {
                code: party.code().to_string(),
                label: party.label().to_string(),
                signatory: document.get(party.signatory_field()).to_string(),
                validated: follow_up
                    .validations
                    .iter()
                    .find(|v| v.version == current && v.party == party)
                    .map(|v| (v.signatory.clone(), v.recorded_by.clone(), v.at)),
            })
            .collect()
    }

    /// The publication of a case built from its kit, its cadrage and the collectivité's public facts.
    pub fn publication_of(
        case: &CaseDetail,
        follow_up: &FollowUp,
        kit: &crate::domain::diffusion::DiffusionKit,
        actor: &str,
        at: i64,
    ) -> Result<crate::store::NewPublication, AppError> {
        let ctx = server_context()?;
        let collectivite = ctx.directory.by_key(&case.collectivite_key);
        let document = follow_up.current().map(|v| v.document.clone()).unwrap_or_default();
        let pick = |from_document: &str, from_answers: &str| {
            if from_document.is_empty() {
                from_answers.to_string()
            } else {
                from_document.to_string()
            }
        };
        let slug = match &follow_up.publication {
            Some(publication) => publication.slug.clone(),
            None => crate::domain::catalogue::slugify(&format!("{} {}", case.summary.title, case.summary.reference)),
        };
        Ok(crate::store::NewPublication {
            reference: case.summary.reference.clone(),
            slug,
            title: case.summary.title.clone(),
            summary: kit.summary.clone(),
            problem: kit.problem.clone(),
            solution: kit.solution.clone(),
            documentation: kit.documentation.clone(),
            videos: kit.videos.clone(),
            supports: kit.supports.clone(),
            contact: kit.contact.clone(),
            hosting: pick(document.get("hebergement"), case.answers.get("hebergement")),
            collectivite_code: collectivite.map(|c| c.code.clone()).unwrap_or_default(),
            collectivite_siren: collectivite.map(|c| c.siren.clone()).unwrap_or_default(),
            population: collectivite.and_then(|c| c.population),
            typologie: pick(document.get("typologie"), case.answers.get("typologie")),
            agents_measured: kit.agents_measured,
            hours_measured: kit.hours_measured,
            now: at,
            actor: actor.to_string(),
        })
    }

    /// The kit stored, or one pre-filled from the intake.
    pub fn kit_or_prefill(case: &CaseDetail, follow_up: &FollowUp) -> (crate::domain::diffusion::DiffusionKit, i64) {
        match &follow_up.kit {
            Some(stored) => (stored.kit.clone(), stored.revision),
            None => (
                crate::domain::diffusion::DiffusionKit {
                    summary: String::new(),
                    problem: case.answers.get("probleme").to_string(),
                    solution: case.answers.get("solution").to_string(),
                    ..Default::default()
                },
                0,
            ),
        }
    }

    pub fn stage_of(case: &CaseDetail) -> Stage {
        case.summary.stage
    }
}

/// The cadrage page of a case: the document in force (or pre-filled), its versions and validations.
#[server(endpoint = "equipe/cadrage")]
pub async fn cadrage(reference: String) -> Result<CadrageView, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::cadrage::{fully_validated, prefill};
            use server::*;
            let (case, follow_up, can_act) = load(&reference).await?;
            let recorded = follow_up.recorded_validations();
            let document = match follow_up.current() {
                Some(version) => version.document.clone(),
                None => prefill(
                    &case.answers,
                    &crate::domain::dates::iso_date(crate::api::context::now() + 7_200),
                ),
            };
            let current = in_force(&follow_up);
            Ok(CadrageView {
                head: head(&case, can_act),
                current,
                sections: sections(&document),
                versions: follow_up
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
                parties: party_views(&follow_up, &document),
                fully_validated: fully_validated(follow_up.current().map(|v| v.number), &recorded),
                editable_stage: crate::domain::cadrage::document_open(stage_of(&case)),
            })
        }
        .await,
    )
}

/// Saves a new version of the cadrage document (roles admin and programme). `base` is the version the author
/// started from; `champs` every field of the form.
#[server(endpoint = "equipe/cadrage/enregistrer")]
pub async fn enregistrer_cadrage(
    reference: String,
    base: i64,
    champs: BTreeMap<String, String>,
) -> Result<i64, AppError> {
    crate::team::session::with_status(async move {
        use crate::domain::cadrage::{check, CadrageDocument};
        use server::*;
        let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
        let ctx = crate::api::context::server_context()?;
        let reference = clean_reference(&reference);
        if champs.len() > 100 {
            return Err(AppError::Invalid("Ce formulaire contient des champs inconnus.".into()));
        }
        let case = ctx
            .store
            .case_detail(&reference)
            .await?
            .ok_or_else(|| not_found(&reference))?;
        if !crate::domain::cadrage::document_open(case.summary.stage) {
            return Err(AppError::Invalid(
                "Le document de cadrage s'écrit une fois le cas qualifié, à partir de l'étape « Cadrage détaillé ».".into(),
            ));
        }
        let document = CadrageDocument::from_form(champs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let errors = check(&document);
        if !errors.is_empty() {
            crate::team::session::set_error_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            return Err(AppError::Invalid(format!(
                "Le document n'a pas été enregistré : {}",
                errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" ")
            )));
        }
        let outcome = ctx
            .store
            .save_cadrage(&crate::store::CadrageSave {
                reference: reference.clone(),
                based_on: base,
                document,
                actor: account.name,
                now: crate::api::context::now(),
            })
            .await?;
        finish(
            outcome,
            &reference,
            &format!("/equipe/cas/{reference}/cadrage?enregistre=version"),
        )
    }
    .await)
}

/// Records that a party validated a version (roles admin and programme): the party, its signatory.
#[server(endpoint = "equipe/cadrage/valider")]
pub async fn valider_cadrage(
    reference: String,
    version: i64,
    partie: String,
    signataire: String,
) -> Result<i64, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::cadrage::{check_validation, Party};
            use server::*;
            let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
            let ctx = crate::api::context::server_context()?;
            let reference = clean_reference(&reference);
            let party = Party::from_code(&partie).ok_or_else(|| AppError::Invalid("Partie inconnue.".into()))?;
            let signatory = crate::domain::intake::clean_text(&signataire).trim().to_string();
            if signatory.is_empty() || signatory.chars().count() > 200 {
                return Err(AppError::Invalid(format!(
                    "Indiquez qui a validé pour {} (nom et fonction, 200 caractères au plus).",
                    party.label().to_lowercase()
                )));
            }
            let check = move |current: Option<i64>, recorded: &[crate::domain::cadrage::RecordedValidation]| {
                check_validation(current, version, party, recorded)
            };
            let outcome = ctx
                .store
                .validate_cadrage(
                    &crate::store::PartyValidation {
                        reference: reference.clone(),
                        version,
                        party,
                        signatory,
                        recorded_by: account.name,
                        at: crate::api::context::now(),
                    },
                    &check,
                )
                .await?;
            finish(
                outcome,
                &reference,
                &format!("/equipe/cas/{reference}/cadrage?enregistre=validation#validations"),
            )
        }
        .await,
    )
}

/// One version of the document, for reading and printing.
#[server(endpoint = "equipe/cadrage/version")]
pub async fn version_cadrage(reference: String, numero: i64) -> Result<PrintView, AppError> {
    crate::team::session::with_status(
        async move {
            use server::*;
            let (case, follow_up, can_act) = load(&reference).await?;
            let Some(version) = follow_up.versions.iter().find(|v| v.number == numero) else {
                return Err(AppError::NotFound(format!(
                    "Le document de cadrage de {} n'a pas de version {numero}.",
                    case.summary.reference
                )));
            };
            Ok(PrintView {
                head: head(&case, can_act),
                number: version.number,
                in_force: in_force(&follow_up),
                author: version.author.clone(),
                at: version.created_at,
                sections: sections(&version.document),
                validations: follow_up
                    .validations
                    .iter()
                    .filter(|v| v.version == numero)
                    .map(|v| (v.party.label().to_string(), v.signatory.clone(), v.at))
                    .collect(),
            })
        }
        .await,
    )
}

/// What changed between two versions.
#[server(endpoint = "equipe/cadrage/comparer")]
pub async fn comparer_cadrage(reference: String, de: i64, a: i64) -> Result<DiffView, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::cadrage::{diff, DiffLine};
            use server::*;
            let (case, follow_up, can_act) = load(&reference).await?;
            let find = |number: i64| follow_up.versions.iter().find(|v| v.number == number);
            let (Some(before), Some(after)) = (find(de), find(a)) else {
                return Err(AppError::NotFound(
                    "L'une des deux versions demandées n'existe pas.".into(),
                ));
            };
            Ok(DiffView {
                head: head(&case, can_act),
                from: de,
                to: a,
                numbers: follow_up.versions.iter().map(|v| v.number).collect(),
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
        .await,
    )
}

/// The phase 4 page: the validation conditions of the version in force with their checks, and the log.
#[server(endpoint = "equipe/conception")]
pub async fn conception(reference: String) -> Result<ConceptionView, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::referentiel::label_of;
            use server::*;
            let (case, follow_up, can_act) = load(&reference).await?;
            let conditions = follow_up
                .current()
                .map(|v| v.document.lines("conditions_diffusion"))
                .unwrap_or_default();
            Ok(ConceptionView {
                head: head(&case, can_act),
                current: in_force(&follow_up),
                conditions: conditions
                    .into_iter()
                    .map(|text| ConditionView {
                        checked: follow_up
                            .checks
                            .iter()
                            .find(|c| c.check.condition == text)
                            .map(|c| (c.check.evidence.clone(), c.checked_by.clone(), c.at)),
                        text,
                    })
                    .collect(),
                log: follow_up
                    .log
                    .iter()
                    .map(|entry| LogView {
                        day: entry.day.clone(),
                        kind: label_of(crate::domain::cadrage::LOG_KINDS, &entry.kind).to_string(),
                        body: entry.body.clone(),
                        author: entry.author.clone(),
                    })
                    .collect(),
                today: crate::domain::dates::iso_date(crate::api::context::now() + 7_200),
            })
        }
        .await,
    )
}

/// Checks a phase 4 condition of the version in force with its evidence (roles admin and programme).
#[server(endpoint = "equipe/conception/verifier")]
pub async fn verifier_condition(reference: String, condition: String, preuve: String) -> Result<i64, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::cadrage::{check_evidence, ConditionCheck};
            use server::*;
            let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
            let ctx = crate::api::context::server_context()?;
            let reference = clean_reference(&reference);
            let follow_up = ctx
                .store
                .follow_up(&reference)
                .await?
                .ok_or_else(|| not_found(&reference))?;
            let conditions = follow_up
                .current()
                .map(|v| v.document.lines("conditions_diffusion"))
                .unwrap_or_default();
            if !conditions.iter().any(|c| c == condition.trim()) {
                return Err(AppError::Invalid(
                "Cette condition ne figure plus dans la version en vigueur du document de cadrage : rechargez la page."
                    .into(),
            ));
            }
            let evidence = check_evidence(&preuve).map_err(AppError::Invalid)?;
            let outcome = ctx
                .store
                .check_condition(
                    &reference,
                    &ConditionCheck {
                        condition: condition.trim().to_string(),
                        evidence,
                    },
                    &account.name,
                    crate::api::context::now(),
                )
                .await?;
            finish(
                outcome,
                &reference,
                &format!("/equipe/cas/{reference}/conception?enregistre=condition#conditions"),
            )
        }
        .await,
    )
}

/// Adds an entry to the phase 4 log (roles admin and programme).
#[server(endpoint = "equipe/conception/journal")]
pub async fn journaliser(reference: String, jour: String, nature: String, texte: String) -> Result<i64, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::cadrage::check_log_entry;
            use server::*;
            let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
            let ctx = crate::api::context::server_context()?;
            let reference = clean_reference(&reference);
            let (day, kind, body) = check_log_entry(&jour, &nature, &texte).map_err(AppError::Invalid)?;
            let outcome = ctx
                .store
                .add_log_entry(
                    &reference,
                    &crate::store::LogEntry {
                        day,
                        kind: kind.to_string(),
                        body,
                        author: account.name,
                        created_at: crate::api::context::now(),
                    },
                )
                .await?;
            finish(
                outcome,
                &reference,
                &format!("/equipe/cas/{reference}/conception?enregistre=journal#journal"),
            )
        }
        .await,
    )
}

/// The diffusion page: the kit (stored or pre-filled), the estimate, the publication.
#[server(endpoint = "equipe/diffusion")]
pub async fn diffusion(reference: String) -> Result<DiffusionView, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::diffusion::{missing_for_publication, supports_text, videos_text};
            use server::*;
            let (case, follow_up, can_act) = load(&reference).await?;
            let (kit, revision) = kit_or_prefill(&case, &follow_up);
            Ok(DiffusionView {
                head: head(&case, can_act),
                revision,
                missing: missing_for_publication(&kit).into_iter().map(str::to_string).collect(),
                summary: kit.summary,
                problem: kit.problem,
                solution: kit.solution,
                documentation: kit.documentation,
                videos: videos_text(&kit.videos),
                supports: supports_text(&kit.supports),
                contact: kit.contact,
                agents_measured: kit.agents_measured.map(|n| n.to_string()).unwrap_or_default(),
                hours_measured: kit.hours_measured.map(|n| n.to_string()).unwrap_or_default(),
                agents_estimated: case.summary.agents,
                hours_estimated: case.summary.hours_saved_per_year,
                publication: follow_up
                    .publication
                    .as_ref()
                    .map(|p| (p.slug.clone(), p.published_at, p.withdrawn_at.is_some())),
                publishable_stage: crate::domain::diffusion::may_publish(case.summary.stage),
                saved: follow_up.kit.is_some(),
            })
        }
        .await,
    )
}

/// Saves the diffusion kit (roles admin and programme).
#[server(endpoint = "equipe/diffusion/enregistrer")]
pub async fn enregistrer_kit(
    reference: String,
    revision: i64,
    resume: String,
    probleme: String,
    solution: String,
    documentation: String,
    videos: String,
    supports: String,
    contact: String,
    agents_mesures: String,
    heures_mesurees: String,
) -> Result<i64, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::diffusion::{read_kit, KitForm};
            use server::*;
            let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
            let ctx = crate::api::context::server_context()?;
            let reference = clean_reference(&reference);
            let (kit, errors) = read_kit(&KitForm {
                summary: &resume,
                problem: &probleme,
                solution: &solution,
                documentation: &documentation,
                videos: &videos,
                supports: &supports,
                contact: &contact,
                agents_measured: &agents_mesures,
                hours_measured: &heures_mesurees,
            });
            if !errors.is_empty() {
                crate::team::session::set_error_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
                return Err(AppError::Invalid(format!(
                    "Le kit n'a pas été enregistré : {}",
                    errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" ")
                )));
            }
            let outcome = ctx
                .store
                .save_kit(&reference, revision, &kit, &account.name, crate::api::context::now())
                .await?;
            finish(
                outcome,
                &reference,
                &format!("/equipe/cas/{reference}/diffusion?enregistre=kit"),
            )
        }
        .await,
    )
}

/// Exactly what the public would see of the kit saved now.
#[server(endpoint = "equipe/diffusion/apercu")]
pub async fn apercu(reference: String) -> Result<(CaseHead, crate::catalogue::PublicCasePage), AppError> {
    crate::team::session::with_status(
        async move {
            use server::*;
            let (case, follow_up, can_act) = load(&reference).await?;
            let (kit, _) = kit_or_prefill(&case, &follow_up);
            let at = follow_up
                .publication
                .as_ref()
                .map_or(crate::api::context::now(), |p| p.published_at);
            let publication = publication_of(&case, &follow_up, &kit, "", at)?;
            let ctx = crate::api::context::server_context()?;
            let collectivite = ctx.directory.by_key(&case.collectivite_key);
            let detail = crate::catalogue::PublicCaseDetail {
                case: crate::catalogue::PublicCase {
                    slug: publication.slug.clone(),
                    reference: case.summary.reference.clone(),
                    title: publication.title.clone(),
                    summary: publication.summary.clone(),
                    collectivite_name: case.summary.collectivite_name.clone(),
                    collectivite_kind: collectivite
                        .map(|c| c.kind.code().to_string())
                        .unwrap_or_else(|| case.summary.collectivite_kind.clone()),
                    region: case.summary.region.clone(),
                    population: publication.population,
                    domain: case.summary.domain.clone(),
                    briques: case
                        .summary
                        .briques
                        .split(',')
                        .filter(|b| !b.is_empty())
                        .map(str::to_string)
                        .collect(),
                    typologie: publication.typologie.clone(),
                    stage: case.summary.stage.code().to_string(),
                    agents: publication.agents_measured.unwrap_or(case.summary.agents),
                    hours_saved_per_year: publication.hours_measured.unwrap_or(case.summary.hours_saved_per_year),
                    gains_measured: publication.agents_measured.is_some() && publication.hours_measured.is_some(),
                    published_at: at,
                    replications: 0,
                },
                documentation: publication.documentation.clone(),
                problem: publication.problem,
                solution: publication.solution,
                videos: publication.videos,
                supports: publication.supports,
                contact: publication.contact,
                hosting: publication.hosting,
                collectivite_code: publication.collectivite_code,
                collectivite_siren: publication.collectivite_siren,
                agents_estimated: case.summary.agents,
                hours_estimated: case.summary.hours_saved_per_year,
                agents_measured: publication.agents_measured,
                hours_measured: publication.hours_measured,
                updated_at: at,
            };
            Ok((
                head(&case, can_act),
                crate::catalogue::PublicCasePage {
                    documentation_html: crate::api::context::render_markdown(&detail.documentation),
                    canonical: format!(
                        "{}/catalogue/{}",
                        crate::api::context::public_origin(),
                        detail.case.slug
                    ),
                    detail,
                },
            ))
        }
        .await,
    )
}

/// Publishes the saved kit in the public catalogue (roles admin and programme; stages conception and diffusion).
#[server(endpoint = "equipe/diffusion/publier")]
pub async fn publier(reference: String) -> Result<String, AppError> {
    crate::team::session::with_status(
        async move {
            use crate::domain::diffusion::missing_for_publication;
            use server::*;
            let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
            let ctx = crate::api::context::server_context()?;
            let reference = clean_reference(&reference);
            let (case, follow_up) = tokio::join!(ctx.store.case_detail(&reference), ctx.store.follow_up(&reference));
            let (Some(case), Some(follow_up)) = (case?, follow_up?) else {
                return Err(not_found(&reference));
            };
            if !crate::domain::diffusion::may_publish(case.summary.stage) {
                return Err(AppError::Invalid(
                    "Un cas se publie au catalogue à partir de l'étape « Conception et implémentation ».".into(),
                ));
            }
            let Some(stored) = &follow_up.kit else {
                return Err(AppError::Invalid(
                    "Enregistrez d'abord le kit de diffusion : c'est lui que le public verra.".into(),
                ));
            };
            let missing = missing_for_publication(&stored.kit);
            if !missing.is_empty() {
                return Err(AppError::Invalid(format!(
                    "Avant de publier, complétez le kit de diffusion : {}.",
                    missing.join(", ")
                )));
            }
            let publication = publication_of(
                &case,
                &follow_up,
                &stored.kit,
                &account.name,
                crate::api::context::now(),
            )?;
            ctx.store.publish(&publication).await?;
            leptos_axum::redirect(&format!(
                "/equipe/cas/{reference}/diffusion?enregistre=publie&t={}",
                publication.now
            ));
            Ok(publication.slug)
        }
        .await,
    )
}

/// Withdraws the case from the public catalogue (roles admin and programme).
#[server(endpoint = "equipe/diffusion/retirer")]
pub async fn retirer(reference: String) -> Result<i64, AppError> {
    crate::team::session::with_status(
        async move {
            use server::*;
            let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
            let ctx = crate::api::context::server_context()?;
            let reference = clean_reference(&reference);
            let outcome = ctx
                .store
                .withdraw(&reference, &account.name, crate::api::context::now())
                .await?;
            finish(
                outcome,
                &reference,
                &format!("/equipe/cas/{reference}/diffusion?enregistre=retire"),
            )
        }
        .await,
    )
}

/// The lines of the case page's "Accompagnement" section, for cases from the cadrage on.
#[cfg(feature = "ssr")]
pub fn follow_up_lines(reference: &str, follow_up: &crate::store::FollowUp) -> Vec<FollowUpLine> {
    use crate::domain::cadrage::{current_validations, unchecked_conditions};
    let current = follow_up.current();
    let recorded = follow_up.recorded_validations();
    let cadrage = match current {
        None => "pas encore rédigé".to_string(),
        Some(version) => format!(
            "version {} en vigueur, validée par {} partie{} sur 3",
            version.number,
            current_validations(Some(version.number), &recorded).len(),
            if current_validations(Some(version.number), &recorded).len() > 1 {
                "s"
            } else {
                ""
            }
        ),
    };
    let conditions = current
        .map(|v| v.document.lines("conditions_diffusion"))
        .unwrap_or_default();
    let checks: Vec<crate::domain::cadrage::ConditionCheck> =
        follow_up.checks.iter().map(|c| c.check.clone()).collect();
    let done = conditions.len() - unchecked_conditions(&conditions, &checks).len();
    let publication = match &follow_up.publication {
        Some(p) if p.withdrawn_at.is_none() => format!("publié au catalogue (/catalogue/{})", p.slug),
        Some(_) => "retiré du catalogue".to_string(),
        None if follow_up.kit.is_some() => "kit enregistré, non publié".to_string(),
        None => "kit pas encore rédigé".to_string(),
    };
    vec![
        FollowUpLine {
            href: format!("/equipe/cas/{reference}/cadrage"),
            label: "Document de cadrage tripartite".into(),
            status: cadrage,
        },
        FollowUpLine {
            href: format!("/equipe/cas/{reference}/conception"),
            label: "Phase 4 : conditions de validation et journal".into(),
            status: format!(
                "{done} condition{} vérifiée{} sur {}, {} entrée{} au journal",
                if done > 1 { "s" } else { "" },
                if done > 1 { "s" } else { "" },
                conditions.len(),
                follow_up.log.len(),
                if follow_up.log.len() > 1 { "s" } else { "" }
            ),
        },
        FollowUpLine {
            href: format!("/equipe/cas/{reference}/diffusion"),
            label: "Kit de diffusion et publication".into(),
            status: publication,
        },
    ]
}
