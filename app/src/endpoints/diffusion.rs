//! The endpoints of stage 5, diffusion (§3 étape 5): the kit (stored or pre-filled), exactly what the public
//! would see of it, publication in the catalogue and withdrawal. Reads for every signed-in role; writes for
//! admin and programme.
// A form posted without JavaScript reaches its server function with one argument per field.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::domain::access::VisibleCase;
#[cfg(feature = "ssr")]
use crate::domain::diffusion::{prefill_kit, DiffusionKit};
#[cfg(feature = "ssr")]
use crate::store::case::{CaseDetail, Project};
#[cfg(feature = "ssr")]
use crate::store::catalogue::NewPublication;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::diffusion::{check_publication, public_gains};
use crate::error::AppError;
use crate::model::case::CaseHead;
use crate::model::catalogue::PublicCasePage;
use crate::model::diffusion::DiffusionView;
#[cfg(feature = "ssr")]
use crate::routes::{CasePage, Saved};
#[cfg(feature = "ssr")]
use crate::server::access::require_case;
#[cfg(feature = "ssr")]
use crate::server::context::{now, public_origin, server_context};
#[cfg(feature = "ssr")]
use crate::server::stages::*;

/// The diffusion page: the kit (stored or pre-filled), the estimate, the publication.
#[server(endpoint = "equipe/diffusion")]
pub async fn diffusion(reference: String) -> Result<DiffusionView, AppError> {
    use crate::domain::diffusion::{missing_for_publication, supports_text, videos_text};
    let (_, case, project, role) = load(&reference).await?;
    let (kit, revision) = kit_or_prefill(&case, &project);
    Ok(DiffusionView {
        head: head(&case, role),
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
        publication: project
            .publication
            .as_ref()
            .map(|p| (p.slug.clone(), p.published_at, p.withdrawn_at.is_some())),
        publishable_stage: crate::domain::diffusion::may_publish(case.summary.stage),
        saved: project.kit.is_some(),
    })
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
    use crate::domain::diffusion::{read_kit, KitForm};
    let (account, case) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
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
        return Err(AppError::Invalid(format!(
            "Le kit n'a pas été enregistré : {}",
            errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" ")
        )));
    }
    let outcome = ctx.store.save_kit(&case, revision, &kit, &account.name, now()).await?;
    finish(outcome, &case, CasePage::Diffusion, Saved::Kit, "")
}

/// Exactly what the public would see of the kit saved now.
#[server(endpoint = "equipe/diffusion/apercu")]
pub async fn apercu(reference: String) -> Result<(CaseHead, PublicCasePage), AppError> {
    let (visible, case, project, role) = load(&reference).await?;
    let (kit, _) = kit_or_prefill(&case, &project);
    let at = project.publication.as_ref().map_or(now(), |p| p.published_at);
    let publication = publication_of(&visible, &case, &project, &kit, "", at)?;
    let ctx = server_context()?;
    let collectivite = ctx.directory.by_key(&case.collectivite_key);
    let gains = public_gains(
        case.summary.agents,
        case.summary.hours_saved_per_year,
        publication.agents_measured,
        publication.hours_measured,
    );
    let detail = crate::model::catalogue::PublicCaseDetail {
        case: crate::model::catalogue::PublicCase {
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
            stage: case.summary.stage,
            agents: gains.agents,
            hours_saved_per_year: gains.hours_saved_per_year,
            gains_measured: gains.measured,
            published_at: at,
            replications: 0,
            ai_act_level: publication.ai_act_level,
            ai_act_articles: {
                let mut articles: Vec<String> = publication
                    .ai_act_obligations
                    .iter()
                    .map(|o| o.article.clone())
                    .collect();
                articles.dedup();
                articles
            },
        },
        ai_act_obligations: publication.ai_act_obligations.clone(),
        public_facing: publication.public_facing,
        filed_at: case.filed_at,
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
        head(&case, role),
        crate::model::catalogue::PublicCasePage {
            documentation_html: crate::server::markdown::render_markdown(&detail.documentation),
            canonical: format!(
                "{}{}",
                public_origin(),
                crate::routes::catalogue_case(&detail.case.slug)
            ),
            detail,
            neighbours: Vec::new(),
            twin: None,
        },
    ))
}

/// Publishes the saved kit in the public catalogue (roles admin and programme; stages conception and diffusion)
/// as the preview showed it: `version` is the case's version the preview read, and a case changed since is not
/// published (409, reload the preview).
#[server(endpoint = "equipe/diffusion/publier")]
pub async fn publier(reference: String, version: i64) -> Result<String, AppError> {
    use crate::server::outcome::{written, Writing};
    let (account, visible) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    let (case, project) = read(&visible).await?;
    let kit = check_publication(case.summary.stage, project.kit.as_ref().map(|stored| &stored.kit))
        .map_err(AppError::Invalid)?;
    let publication = NewPublication {
        based_on: Some(version),
        ..publication_of(&visible, &case, &project, kit, &account.name, now())?
    };
    let outcome = ctx.store.publish(&publication).await?;
    written(outcome, visible.as_str(), Writing::Publication)?;
    leptos_axum::redirect(&crate::routes::case(&visible).after_save(
        CasePage::Diffusion,
        Saved::Published,
        Some(("t", publication.now)),
        "",
    ));
    Ok(publication.slug)
}

/// Withdraws the case from the public catalogue (roles admin and programme).
#[server(endpoint = "equipe/diffusion/retirer")]
pub async fn retirer(reference: String) -> Result<i64, AppError> {
    let (account, case) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    let outcome = ctx.store.withdraw(&case, &account.name, now()).await?;
    finish(outcome, &case, CasePage::Diffusion, Saved::Withdrawn, "")
}

/// The publication of a case built from its kit, its cadrage and the collectivité's public facts.
#[cfg(feature = "ssr")]
pub fn publication_of(
    visible: &VisibleCase,
    case: &CaseDetail,
    project: &Project,
    kit: &DiffusionKit,
    actor: &str,
    at: i64,
) -> Result<NewPublication, AppError> {
    let ctx = server_context()?;
    let collectivite = ctx.directory.by_key(&case.collectivite_key);
    let document = project.current().map(|v| v.document.clone()).unwrap_or_default();
    let pick = |from_document: &str, from_answers: &str| {
        if from_document.is_empty() {
            from_answers.to_string()
        } else {
            from_document.to_string()
        }
    };
    let slug = match &project.publication {
        Some(publication) => publication.slug.clone(),
        None => crate::domain::catalogue::slugify(&format!("{} {}", case.summary.title, case.summary.reference)),
    };
    let ai_act = crate::domain::ai_act::review::published(&case.summary.ai_act, &case.answers.ai_act());
    Ok(NewPublication {
        case: visible.clone(),
        slug: slug.clone(),
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
        ai_act_level: ai_act.as_ref().map(|(level, _)| *level),
        ai_act_obligations: ai_act.map(|(_, obligations)| obligations).unwrap_or_default(),
        public_facing: crate::domain::ai_act::review::faces_public(&case.answers.ai_act()),
        now: at,
        actor: actor.to_string(),
        notice: Some(crate::server::context::notice(
            crate::domain::email::Notice::Published { slug: slug.clone() },
        )),
        based_on: Some(case.summary.version),
    })
}

/// The kit stored with its revision, or one pre-filled from the intake (revision 0).
#[cfg(feature = "ssr")]
pub fn kit_or_prefill(case: &CaseDetail, project: &Project) -> (DiffusionKit, i64) {
    match &project.kit {
        Some(stored) => (stored.kit.clone(), stored.revision),
        None => (
            prefill_kit(case.answers.get("probleme"), case.answers.get("solution")),
            0,
        ),
    }
}
