//! The team's case page endpoints: one case with its answers, grid, history and comments; saving the
//! qualification grid and decision; adding a comment. Every endpoint checks the session and the role.
// A form posted without JavaScript reaches its server function with one argument per field.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::domain::cadrage::{current_validations, unchecked_conditions, ConditionCheck};
#[cfg(feature = "ssr")]
use crate::model::case::ProjectLine;
#[cfg(feature = "ssr")]
use crate::store::case::Project;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::case::{CaseDetailView, CaseSummaryView};
#[cfg(feature = "ssr")]
use crate::routes::{self, CasePage, Saved, Section};
#[cfg(feature = "ssr")]
use crate::server::access::{require_case, require_viewer};
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::outcome::{case_not_found, written, Writing};

/// One case with its answers and history, for any signed-in role who may see it.
#[server(endpoint = "equipe/dossier")]
pub async fn dossier_equipe(reference: String) -> Result<CaseDetailView, AppError> {
    use crate::domain::stage::Stage;
    use crate::model::case::CommentView;
    use crate::model::intake::CollectiviteChoice;
    let (account, viewer) = require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let visible = crate::server::access::open_case(ctx.store.as_ref(), &viewer, &reference).await?;
    let case = ctx
        .store
        .case_detail(&visible)
        .await?
        .ok_or_else(|| case_not_found(&reference))?;
    let assignee = ctx.store.case_assignee(&visible).await?;
    let avis = ctx.store.case_avis(&visible).await?;
    let avis_asked_of_me = avis
        .iter()
        .any(|line| line.account_id == account.id && line.given.is_none());
    let can_act = account.role.can_act_on_cases();
    let avis_candidates = if can_act && crate::domain::avis::check_request_stage(case.summary.stage).is_ok() {
        avis_candidates(&visible, &case.summary.region, assignee.as_ref()).await?
    } else {
        Vec::new()
    };
    let prestataires = if can_act {
        prestataire_choices().await?
    } else {
        Vec::new()
    };
    let periods = ctx.store.periods().await?;
    let project = ctx.store.project(&visible).await?;
    let similar = crate::endpoints::similar::for_team(&visible, &case.collectivite_key, &viewer).await?;
    let mut suggestions = crate::domain::qualification::suggest(&case.answers);
    suggestions.scores.push(crate::domain::similar::suggest_replicabilite(
        similar.other_collectivites,
        case.replicates.is_some(),
    ));
    let ai_act = case.summary.ai_act.clone();
    let ai_act_obligations = crate::domain::ai_act::review::obligations_for(ai_act.level(), &case.answers.ai_act())
        .into_iter()
        .map(|o| (o.article.to_string(), o.text.to_string()))
        .collect();
    Ok(CaseDetailView {
        collectivite: ctx.directory.by_key(&case.collectivite_key).map(CollectiviteChoice::of),
        period_name: crate::domain::periods::period_for_case(case.filed_at, &periods).map(|p| p.name.clone()),
        grid: grid_view(&case.assessment, &suggestions.scores),
        answers: case.answers,
        filed_at: case.filed_at,
        events: case.events.into_iter().map(event_view).collect(),
        version: case.summary.version,
        warnings: suggestions.warnings,
        interview_notes: case.assessment.interview_notes,
        decision: case.assessment.decision,
        destination: case.assessment.destination,
        project: match (case.summary.stage, &project) {
            (Stage::Cadrage | Stage::Conception | Stage::Diffusion, Some(project)) => {
                project_lines(&case.summary.reference, project)
            }
            _ => Vec::new(),
        },
        comments: case
            .comments
            .into_iter()
            .map(|c| CommentView {
                author: c.author,
                body: c.body,
                at: c.created_at,
            })
            .collect(),
        can_act,
        can_comment: account.role.can_comment(),
        assignee: assignee.map(|(_, name)| name),
        avis: avis.into_iter().map(avis_view).collect(),
        avis_candidates,
        avis_asked_of_me,
        ai_act,
        ai_act_obligations,
        similar,
        prestataires,
        summary: summary_view(case.summary),
    })
}

/// The qualification grid: the team's score and comment beside the score the intake suggests, per criterion.
#[cfg(feature = "ssr")]
fn grid_view(
    assessment: &crate::store::case::Assessment,
    suggested: &[crate::domain::qualification::Suggestion],
) -> Vec<crate::model::case::GridLineView> {
    crate::domain::qualification::Criterion::ALL
        .into_iter()
        .map(|criterion| {
            let line = assessment.lines.iter().find(|line| line.criterion == criterion);
            let suggestion = suggested.iter().find(|s| s.criterion == criterion);
            crate::model::case::GridLineView {
                code: criterion.code().to_string(),
                label: criterion.label().to_string(),
                score: line.and_then(|line| line.score),
                comment: line.map(|line| line.comment.clone()).unwrap_or_default(),
                suggested: suggestion.map(|s| s.score),
                suggestion_reason: suggestion.map(|s| s.reason.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// An event of the history as the case page shows it (its detail in its one French rendering).
#[cfg(feature = "ssr")]
fn event_view(event: crate::store::case::CaseEvent) -> crate::model::case::EventView {
    crate::model::case::EventView {
        at: event.created_at,
        what: crate::domain::history::describe_event(event.kind, event.from_stage, event.to_stage),
        actor: event.actor,
        detail: event.detail.french(),
    }
}

#[cfg(feature = "ssr")]
fn avis_view(line: crate::store::case::AvisLine) -> crate::model::case::AvisView {
    crate::model::case::AvisView {
        name: line.name,
        role: line.role,
        requested_by: line.requested_by,
        requested_at: line.requested_at,
        opinion: line.given.as_ref().map(|given| given.0),
        text: line.given.as_ref().map(|given| given.1.clone()).unwrap_or_default(),
        given_at: line.given.map(|given| given.2),
    }
}

/// The active prestataires' accounts a case can be assigned to (id, name).
#[cfg(feature = "ssr")]
async fn prestataire_choices() -> Result<Vec<(i64, String)>, AppError> {
    Ok(server_context()?
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|line| line.account.role == crate::domain::auth::Role::Prestataire && !line.account.disabled)
        .map(|line| (line.account.id, line.account.name))
        .collect())
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
    niveau_ai_act: Option<String>,
    derogation_ai_act: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::ai_act::review::MAX_OVERRIDE_CHARS;
    use crate::domain::ai_act::RiskLevel;
    use crate::domain::qualification::{check_grid, parse_score, Criterion, Decision, GridLine, MAX_NOTES_CHARS};
    use crate::domain::text::clean_text;
    use crate::store::case::AssessmentUpdate;
    let (account, case) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
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
    let ai_act_confirmed = match niveau_ai_act.as_deref().unwrap_or_default() {
        "" => None,
        code => Some(RiskLevel::from_code(code).ok_or_else(|| AppError::Invalid("Niveau AI Act inconnu.".into()))?),
    };
    let ai_act_override: String = clean_text(derogation_ai_act.as_deref().unwrap_or_default())
        .trim()
        .chars()
        .take(MAX_OVERRIDE_CHARS + 1)
        .collect();
    let update = AssessmentUpdate {
        ai_act_confirmed,
        ai_act_override,
        case: case.clone(),
        expected_version: version,
        lines,
        interview_notes: notes.trim().to_string(),
        decision,
        actor: account.name,
        notice: crate::domain::email::Notice::of_decision(decision).map(crate::server::context::notice),
        now: now(),
    };
    let outcome = ctx.store.save_assessment(&update).await?;
    let version = written(outcome, case.as_str(), Writing::Board)?;
    // The new version in the address makes the page read the case again (a second save in a row too).
    leptos_axum::redirect(&routes::case(&case).after_save(
        CasePage::Detail,
        Saved::Qualification,
        Some(("v", version)),
        Section::Qualification.id(),
    ));
    Ok(())
}

pub const MAX_COMMENT_CHARS: usize = 5_000;

/// Adds a comment to a case (roles admin and programme).
#[server(endpoint = "equipe/commenter")]
pub async fn commenter(reference: String, texte: String) -> Result<(), AppError> {
    let (account, case) = require_case(crate::domain::auth::Role::can_comment, &reference).await?;
    let ctx = server_context()?;
    let body = crate::domain::text::clean_text(&texte).trim().to_string();
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
    let at = now();
    if !ctx.store.add_comment(&case, &account.name, &body, at).await? {
        return Err(case_not_found(case.as_str()));
    }
    leptos_axum::redirect(&routes::case(&case).after_save(
        CasePage::Detail,
        Saved::Comment,
        Some(("t", at)),
        Section::Comments.id(),
    ));
    Ok(())
}

/// Assigns the case to a prestataire technique's account, or to nobody (`compte` empty): the prestataire then
/// sees the case, writes its phase 4 journal and validates its cadrage (roles admin and programme).
#[server(endpoint = "equipe/assigner")]
pub async fn assigner_prestataire(reference: String, compte: Option<String>) -> Result<(), AppError> {
    use crate::domain::auth::Role;
    let (member, case) = require_case(Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    let account = match compte.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(id) => {
            let id: i64 = id
                .parse()
                .map_err(|_| AppError::Invalid("« Prestataire » : choisissez un compte de la liste.".into()))?;
            let account = ctx
                .store
                .account_by_id(id)
                .await?
                .filter(|account| account.role == Role::Prestataire && !account.disabled)
                .ok_or_else(|| {
                    AppError::Invalid("« Prestataire » : ce compte n'est pas celui d'un prestataire actif.".into())
                })?;
            Some(account.id)
        }
    };
    // The accounts concerned are named by the store, in its transaction (the former prestataire, the new one).
    let log = crate::server::session::change_entry(
        crate::domain::accounts::AuthEvent::CaseAssigned,
        "",
        &member.name,
        String::new(),
    )
    .await;
    if !ctx.store.assign_prestataire(&case, account, &log).await? {
        return Err(case_not_found(case.as_str()));
    }
    leptos_axum::redirect(&routes::case(&case).after_save(
        CasePage::Detail,
        Saved::Prestataire,
        Some(("t", now())),
        Section::Prestataire.id(),
    ));
    Ok(())
}

/// Whom an avis may be asked of on `case`, which lies in `region`: the active directions régionales that may see
/// it (those of its région) and the case's prestataire (id, "name — role").
#[cfg(feature = "ssr")]
async fn avis_candidates(
    case: &crate::domain::access::VisibleCase,
    region: &str,
    assignee: Option<&(i64, String)>,
) -> Result<Vec<(i64, String)>, AppError> {
    use crate::domain::auth::Role;
    let ctx = server_context()?;
    let mut candidates = Vec::new();
    for line in ctx.store.accounts().await? {
        let account = line.account;
        if account.disabled || account.role != Role::DirectionRegionale {
            continue;
        }
        if crate::server::access::account_sees(ctx.store.as_ref(), &account, case, region).await? {
            candidates.push((account.id, format!("{} — {}", account.name, account.role.label())));
        }
    }
    if let Some((id, name)) = assignee {
        candidates.push((*id, format!("{name} — {}", Role::Prestataire.label())));
    }
    Ok(candidates)
}

/// Asks a direction régionale of the case's région, or its prestataire, for an avis during qualification; the
/// person is emailed (roles admin and programme).
#[server(endpoint = "equipe/avis/demander")]
pub async fn demander_avis(reference: String, compte: i64) -> Result<(), AppError> {
    let (account, visible) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    let case = ctx
        .store
        .case_detail(&visible)
        .await?
        .ok_or_else(|| case_not_found(visible.as_str()))?;
    crate::domain::avis::check_request_stage(case.summary.stage).map_err(AppError::Invalid)?;
    let assignee = ctx.store.case_assignee(&visible).await?;
    if !avis_candidates(&visible, &case.summary.region, assignee.as_ref())
        .await?
        .iter()
        .any(|(id, _)| *id == compte)
    {
        return Err(AppError::Invalid(
            "« Avis demandé à » : choisissez une direction régionale de la région du cas ou son prestataire.".into(),
        ));
    }
    let asked = ctx
        .store
        .account_by_id(compte)
        .await?
        .ok_or_else(|| AppError::NotFound("Ce compte n'existe pas.".into()))?;
    let link = format!(
        "{}{}",
        crate::server::context::link_origin(),
        routes::case(&visible).section(Section::Avis)
    );
    let message = crate::domain::email::avis_request(
        &asked.email,
        &asked.name,
        &account.name,
        &case.summary.title,
        visible.as_str(),
        &link,
    );
    let request = crate::store::case::AvisRequest {
        case: visible.clone(),
        account_id: asked.id,
        requested_by: account.name,
        message,
        now: now(),
    };
    if !ctx.store.request_avis(&request).await? {
        return Err(case_not_found(visible.as_str()));
    }
    leptos_axum::redirect(&routes::case(&visible).after_save(
        CasePage::Detail,
        Saved::AvisAsked,
        Some(("t", now())),
        Section::Avis.id(),
    ));
    Ok(())
}

/// Gives the avis asked of the signed-in account on a case it may see: favorable, réservé or défavorable, and
/// why.
#[server(endpoint = "equipe/avis/donner")]
pub async fn donner_avis(reference: String, avis: String, texte: String) -> Result<(), AppError> {
    let (account, case) = require_case(crate::domain::auth::Role::can_read, &reference).await?;
    let ctx = server_context()?;
    let (opinion, body) = crate::domain::avis::check_avis(&avis, &texte).map_err(AppError::Invalid)?;
    if !ctx.store.give_avis(&case, account.id, opinion, &body, now()).await? {
        return Err(AppError::Invalid("Aucun avis ne vous est demandé sur ce cas.".into()));
    }
    leptos_axum::redirect(&routes::case(&case).after_save(
        CasePage::Detail,
        Saved::Avis,
        Some(("t", now())),
        Section::Avis.id(),
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
pub fn project_lines(reference: &str, project: &Project) -> Vec<ProjectLine> {
    let current = project.current();
    let recorded = project.recorded_validations();
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
    let checks: Vec<ConditionCheck> = project.checks.iter().map(|c| c.check.clone()).collect();
    let done = conditions.len() - unchecked_conditions(&conditions, &checks).len();
    let publication = match &project.publication {
        Some(p) if p.withdrawn_at.is_none() => format!("publié au catalogue (/catalogue/{})", p.slug),
        Some(_) => "retiré du catalogue".to_string(),
        None if project.kit.is_some() => "kit enregistré, non publié".to_string(),
        None => "kit pas encore rédigé".to_string(),
    };
    let url = crate::routes::case(reference);
    vec![
        ProjectLine {
            href: url.cadrage(),
            label: "Document de cadrage tripartite".into(),
            status: cadrage,
        },
        ProjectLine {
            href: url.conception(),
            label: "Phase 4 : conditions de validation et journal".into(),
            status: format!(
                "{done} condition{} vérifiée{} sur {}, {} entrée{} au journal",
                if done > 1 { "s" } else { "" },
                if done > 1 { "s" } else { "" },
                conditions.len(),
                project.log.len(),
                if project.log.len() > 1 { "s" } else { "" }
            ),
        },
        ProjectLine {
            href: url.diffusion(),
            label: "Kit de diffusion et publication".into(),
            status: publication,
        },
    ]
}

/// Every case of the pipeline, for any signed-in role.
#[server(endpoint = "equipe/cas")]
pub async fn cas_du_programme() -> Result<Vec<CaseSummaryView>, AppError> {
    let (account, viewer) = require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let unread: std::collections::HashMap<String, i64> =
        ctx.store.unread_counts(account.id).await?.into_iter().collect();
    Ok(viewer
        .keep_visible(ctx.store.case_summaries().await?)
        .into_iter()
        .map(|case| {
            let count = unread.get(&case.reference).copied().unwrap_or_default();
            CaseSummaryView {
                unread: count,
                ..summary_view(case)
            }
        })
        .collect())
}

/// A case of the store as the pipeline list shows it.
#[cfg(feature = "ssr")]
fn summary_view(case: crate::store::case::CaseSummary) -> CaseSummaryView {
    CaseSummaryView {
        unread: 0,
        reference: case.reference,
        title: case.title,
        collectivite_name: case.collectivite_name,
        region: case.region,
        domain: case.domain,
        stage: case.stage,
        agents: case.agents,
        hours_saved_per_year: case.hours_saved_per_year,
        portage_missing: !case.portage_missing.is_empty(),
        stage_entered_at: case.stage_entered_at,
    }
}
