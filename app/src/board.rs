//! The board's endpoints: the cards of the five stages (filtered), a move of one case (gates, version, one
//! transaction), and the qualification grid and comments of the case page. Every endpoint
//! checks the session and the role on the server.
// A form posted without JavaScript reaches its server function with one argument per field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One card of the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub collectivite_kind: String,
    pub region: String,
    pub domain: String,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    pub portage_missing: bool,
    pub period_name: Option<String>,
    pub days_in_stage: i64,
    pub stage_code: String,
    pub version: i64,
    pub decision: Option<String>,
}

/// One column of the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnView {
    pub stage_code: String,
    pub title: String,
    pub cards: Vec<CardView>,
}

/// A choice of a filter: value and label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOption {
    pub value: String,
    pub label: String,
}

/// The board as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    pub columns: Vec<ColumnView>,
    pub periods: Vec<FilterOption>,
    pub regions: Vec<String>,
    pub can_move: bool,
    pub total: i64,
    pub shown: i64,
}

/// The board's cards for any signed-in role, filtered as the URL says.
#[server(endpoint = "equipe/tableau")]
pub async fn tableau(
    periode: Option<String>,
    domaine: Option<String>,
    region: Option<String>,
    brique: Option<String>,
    texte: Option<String>,
) -> Result<BoardView, AppError> {
    use crate::api::context::{now, server_context};
    use crate::domain::board::{column_title, days_in_stage, BoardFilter, FilterableCase, COLUMNS};
    use crate::domain::collectivites::Kind;
    use crate::domain::qualification::period_for_case;
    let account = crate::team::session::require(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let filter = BoardFilter::from_pairs([
        ("periode", periode.as_deref().unwrap_or_default()),
        ("domaine", domaine.as_deref().unwrap_or_default()),
        ("region", region.as_deref().unwrap_or_default()),
        ("brique", brique.as_deref().unwrap_or_default()),
        ("texte", texte.as_deref().unwrap_or_default()),
    ]);
    let (cases, periods) = tokio::join!(ctx.store.case_summaries(), ctx.store.periods());
    let (cases, periods) = (cases?, periods?);
    let at = now();
    let mut regions: Vec<String> = cases.iter().map(|case| case.region.clone()).collect();
    regions.sort();
    regions.dedup();
    let total = cases.len() as i64;
    let mut columns: Vec<ColumnView> = COLUMNS
        .iter()
        .map(|stage| ColumnView {
            stage_code: stage.code().to_string(),
            title: column_title(*stage),
            cards: Vec::new(),
        })
        .collect();
    let mut shown = 0;
    for case in cases {
        let period = period_for_case(case.filed_at, &periods);
        let keep = filter.matches(&FilterableCase {
            reference: &case.reference,
            title: &case.title,
            collectivite_name: &case.collectivite_name,
            domain: &case.domain,
            region: &case.region,
            briques: &case.briques,
            period_id: period.map(|p| p.id),
        });
        if !keep {
            continue;
        }
        shown += 1;
        let index = crate::domain::board::column_index(case.stage);
        columns[index].cards.push(CardView {
            period_name: period.map(|p| p.name.clone()),
            days_in_stage: days_in_stage(case.stage_entered_at, at),
            stage_code: case.stage.code().to_string(),
            collectivite_kind: Kind::from_code(&case.collectivite_kind)
                .map(|kind| kind.label().to_string())
                .unwrap_or_default(),
            decision: case.decision.map(|d| d.label().to_string()),
            portage_missing: !case.portage_missing.is_empty(),
            reference: case.reference,
            title: case.title,
            collectivite_name: case.collectivite_name,
            region: case.region,
            domain: case.domain,
            agents: case.agents,
            hours_saved_per_year: case.hours_saved_per_year,
            version: case.version,
        });
    }
    // Longest waiting first in each column.
    for column in &mut columns {
        column.cards.sort_by_key(|card| std::cmp::Reverse(card.days_in_stage));
    }
    let mut period_options: Vec<FilterOption> = periods
        .iter()
        .map(|p| FilterOption {
            value: p.id.to_string(),
            label: p.name.clone(),
        })
        .collect();
    period_options.push(FilterOption {
        value: "aucune".into(),
        label: "Aucune période planifiée".into(),
    });
    Ok(BoardView {
        columns,
        periods: period_options,
        regions,
        can_move: account.role.can_act_on_cases(),
        total,
        shown,
    })
}

/// A move that happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveDone {
    pub reference: String,
    pub stage_code: String,
    pub version: i64,
}

/// Where a refused gate can be satisfied, as a link and its label.
pub fn remedy_link(remedy: crate::domain::gates::Remedy, reference: &str) -> (String, String) {
    use crate::domain::gates::Remedy;
    match remedy {
        Remedy::Periods => ("/equipe/periodes".into(), "Voir les périodes de relève".into()),
        Remedy::QualificationGrid => (
            format!("/equipe/cas/{reference}#qualification"),
            "Ouvrir la grille de qualification".into(),
        ),
        Remedy::Cadrage => (
            format!("/equipe/cas/{reference}/cadrage#validations"),
            "Ouvrir le document de cadrage et ses validations".into(),
        ),
        Remedy::Phase4Conditions => (
            format!("/equipe/cas/{reference}/conception#conditions"),
            "Vérifier les conditions de la phase 4".into(),
        ),
        Remedy::Reason => (
            format!("/equipe/cas/{reference}/deplacer"),
            "Indiquer la raison du déplacement".into(),
        ),
        Remedy::None => (String::new(), String::new()),
    }
}

#[cfg(feature = "ssr")]
fn conflict(by: &str, at: i64) -> AppError {
    use crate::domain::dates::format_paris;
    let who = if by.is_empty() { "une autre personne" } else { by };
    AppError::Conflict(format!(
        "Ce cas a été modifié par {who} le {} pendant que vous le regardiez : le tableau a été actualisé, vérifiez sa place avant de recommencer.",
        format_paris(at)
    ))
}

#[cfg(feature = "ssr")]
use crate::team::session::{posted_without_javascript, set_error_status as set_status};

/// Only pages of the team may be returned to after a form post.
#[cfg(feature = "ssr")]
fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(path) if path.starts_with("/equipe/") && !path.starts_with("//") && !path.contains(['\r', '\n']) => {
            path.chars().take(500).collect()
        }
        _ => "/equipe/tableau".into(),
    }
}

#[cfg(feature = "ssr")]
fn with_query(path: &str, pair: &str) -> String {
    let (base, fragment) = path.split_once('#').map_or((path, ""), |(b, f)| (b, f));
    let separator = if base.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    format!("{base}{separator}{pair}{fragment}")
}

/// Moves a case to another stage (roles admin and programme): the version the mover saw, the target stage,
/// and the reason (and destination) the gates ask for.
#[server(endpoint = "equipe/deplacer")]
pub async fn deplacer_cas(
    reference: String,
    version: i64,
    vers: String,
    raison: Option<String>,
    destination: Option<String>,
    retour: Option<String>,
) -> Result<MoveDone, AppError> {
    use crate::api::context::{now, server_context};
    use crate::domain::gates::{check_move, facts_of, CadrageFacts, Destination, Move, MAX_REASON_CHARS};
    use crate::domain::stage::Stage;
    use crate::store::{MoveRequest, WriteOutcome};
    let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
    let ctx = server_context()?;
    let to = Stage::from_code(&vers).ok_or_else(|| AppError::Invalid("Étape de destination inconnue.".into()))?;
    let reason: String = crate::domain::intake::clean_text(raison.as_deref().unwrap_or_default())
        .trim()
        .chars()
        .take(MAX_REASON_CHARS + 1)
        .collect();
    let destination = destination.as_deref().and_then(Destination::from_code);
    let reference: String = reference.trim().chars().take(20).collect();
    let request = MoveRequest {
        reference: reference.clone(),
        expected_version: version,
        to,
        reason: reason.clone(),
        destination,
        actor: account.name.clone(),
        now: now(),
    };
    let at = request.now;
    let gate = move |inputs: &crate::store::GateInputs| {
        let facts = facts_of(
            inputs.filed_at,
            inputs.grid_complete,
            inputs.decision,
            &CadrageFacts {
                current_version: inputs.cadrage_version,
                validations: &inputs.validations,
                phase4_conditions: &inputs.phase4_conditions,
                checks: &inputs.checks,
            },
            &inputs.periods,
            at,
        );
        check_move(
            &Move {
                from: inputs.stage,
                to,
                reason: &reason,
                destination,
            },
            &facts,
        )
    };
    match ctx.store.move_case(&request, &gate).await? {
        WriteOutcome::Done { version } => {
            if posted_without_javascript() {
                let back = safe_return(retour.as_deref());
                leptos_axum::redirect(&with_query(&back, &format!("deplace={reference}&vers={}", to.code())));
            }
            Ok(MoveDone {
                reference,
                stage_code: to.code().to_string(),
                version,
            })
        }
        WriteOutcome::Refused(refusal) => {
            set_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            let (remedy_href, remedy_label) = remedy_link(refusal.remedy, &reference);
            Err(AppError::Refused {
                message: refusal.message,
                remedy_href,
                remedy_label,
            })
        }
        WriteOutcome::Conflict { by, at } => {
            set_status(axum::http::StatusCode::CONFLICT);
            Err(conflict(&by, at))
        }
        WriteOutcome::NotFound => {
            set_status(axum::http::StatusCode::NOT_FOUND);
            Err(AppError::NotFound("Ce cas d'usage n'existe pas.".into()))
        }
    }
}

/// Saves the qualification grid, the interview notes and the decision (roles admin and programme).
#[server(endpoint = "equipe/qualifier")]
pub async fn enregistrer_qualification(
    reference: String,
    version: i64,
    note_replicabilite: Option<String>,
    commentaire_replicabilite: Option<String>,
    note_alignement: Option<String>,
    commentaire_alignement: Option<String>,
    note_impact: Option<String>,
    commentaire_impact: Option<String>,
    note_portage: Option<String>,
    commentaire_portage: Option<String>,
    note_faisabilite: Option<String>,
    commentaire_faisabilite: Option<String>,
    notes_entretien: Option<String>,
    decision: Option<String>,
) -> Result<(), AppError> {
    use crate::api::context::{now, server_context};
    use crate::domain::gates::Decision;
    use crate::domain::intake::clean_text;
    use crate::domain::qualification::{check_grid, parse_score, Criterion, GridLine, MAX_NOTES_CHARS};
    use crate::store::{AssessmentUpdate, WriteOutcome};
    let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
    let ctx = server_context()?;
    let pairs = [
        (Criterion::Replicabilite, note_replicabilite, commentaire_replicabilite),
        (Criterion::Alignement, note_alignement, commentaire_alignement),
        (Criterion::Impact, note_impact, commentaire_impact),
        (Criterion::Portage, note_portage, commentaire_portage),
        (Criterion::Faisabilite, note_faisabilite, commentaire_faisabilite),
    ];
    let mut lines = Vec::new();
    for (criterion, score, comment) in pairs {
        let score = parse_score(criterion, score.as_deref().unwrap_or_default()).map_err(AppError::Invalid)?;
        lines.push(GridLine {
            criterion,
            score,
            comment: clean_text(comment.as_deref().unwrap_or_default()).trim().to_string(),
        });
    }
    let decision = match decision.as_deref().unwrap_or_default() {
        "" => None,
        code => Some(Decision::from_code(code).ok_or_else(|| AppError::Invalid("Décision inconnue.".into()))?),
    };
    check_grid(&lines, decision).map_err(AppError::Invalid)?;
    let notes = clean_text(notes_entretien.as_deref().unwrap_or_default());
    if notes.chars().count() > MAX_NOTES_CHARS {
        return Err(AppError::Invalid(format!(
            "Les notes d'entretien dépassent {MAX_NOTES_CHARS} caractères."
        )));
    }
    let reference: String = reference.trim().chars().take(20).collect();
    let update = AssessmentUpdate {
        reference: reference.clone(),
        expected_version: version,
        lines,
        interview_notes: notes.trim().to_string(),
        decision,
        actor: account.name,
        now: now(),
    };
    match ctx.store.save_assessment(&update).await? {
        WriteOutcome::Done { version } => {
            // The new version in the address makes the page read the case again (a second save in a row too).
            leptos_axum::redirect(&format!(
                "/equipe/cas/{reference}?enregistre=qualification&v={version}#qualification"
            ));
            Ok(())
        }
        WriteOutcome::Conflict { by, at } => {
            set_status(axum::http::StatusCode::CONFLICT);
            Err(conflict(&by, at))
        }
        WriteOutcome::Refused(refusal) => Err(AppError::Invalid(refusal.message)),
        WriteOutcome::NotFound => Err(AppError::NotFound("Ce cas d'usage n'existe pas.".into())),
    }
}

pub const MAX_COMMENT_CHARS: usize = 5_000;

/// Adds a comment to a case (roles admin and programme).
#[server(endpoint = "equipe/commenter")]
pub async fn commenter(reference: String, texte: String) -> Result<(), AppError> {
    use crate::api::context::{now, server_context};
    let account = crate::team::session::require(crate::domain::auth::Role::can_act_on_cases).await?;
    let ctx = server_context()?;
    let body = crate::domain::intake::clean_text(&texte).trim().to_string();
    if body.is_empty() {
        return Err(AppError::Invalid(
            "Écrivez votre commentaire avant de l'ajouter.".into(),
        ));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::Invalid(format!(
            "Un commentaire compte au plus {MAX_COMMENT_CHARS} caractères."
        )));
    }
    let reference: String = reference.trim().chars().take(20).collect();
    let at = now();
    if !ctx.store.add_comment(&reference, &account.name, &body, at).await? {
        return Err(AppError::NotFound("Ce cas d'usage n'existe pas.".into()));
    }
    leptos_axum::redirect(&format!(
        "/equipe/cas/{reference}?enregistre=commentaire&t={at}#commentaires"
    ));
    Ok(())
}
