//! What the endpoints of stages 3 to 5 (cadrage, conception, diffusion) and the case page share: reading a case
//! with its project, the header of their pages, the document's sections, the publication built from the kit,
//! and the summary lines of the case page.

use crate::domain::access::VisibleCase;
use crate::domain::auth::Role;
use crate::domain::cadrage::{
    self, current_validations, unchecked_conditions, CadrageDocument, ConditionCheck, FieldKind, Party,
};
use crate::domain::diffusion::{prefill_kit, DiffusionKit};
use crate::error::AppError;
use crate::model::project::{CaseHead, FieldView, PartyView, ProjectLine, SectionView};
use crate::routes::{CasePage, Saved};
use crate::server::access::require_case;
use crate::server::context::server_context;
use crate::server::outcome::{case_not_found, written, Writing};
use crate::store::case::CaseDetail;
use crate::store::catalogue::NewPublication;
use crate::store::project::Project;
use crate::store::WriteOutcome;

/// The case and its project for any signed-in role who may see it, or a French 404; with the caller's role.
pub async fn load(reference: &str) -> Result<(VisibleCase, CaseDetail, Project, Role), AppError> {
    let (account, case) = require_case(Role::can_read, reference).await?;
    let (detail, project) = read(&case).await?;
    Ok((case, detail, project, account.role))
}

/// The case and its project, or a French 404.
pub async fn read(case: &VisibleCase) -> Result<(CaseDetail, Project), AppError> {
    let ctx = server_context()?;
    let (detail, project) = tokio::join!(ctx.store.case_detail(case), ctx.store.project(case));
    match (detail?, project?) {
        (Some(detail), Some(project)) => Ok((detail, project)),
        _ => Err(case_not_found(case.as_str())),
    }
}

pub fn head(case: &CaseDetail, role: Role) -> CaseHead {
    CaseHead {
        reference: case.summary.reference.clone(),
        title: case.summary.title.clone(),
        collectivite_name: case.summary.collectivite_name.clone(),
        stage: case.summary.stage,
        version: case.summary.version,
        can_act: role.can_act_on_cases(),
        role,
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

/// Ends a write of a form: on success a redirect to `page` of the case with its `saved` confirmation and the new
/// version in its address (no-JS posts follow it, JS calls ignore it), so every open page reads the case again,
/// even after two saves of the same kind in a row; otherwise the error of the outcome.
pub fn finish(
    outcome: WriteOutcome,
    case: &VisibleCase,
    page: CasePage,
    saved: Saved,
    fragment: &str,
) -> Result<i64, AppError> {
    let version = written(outcome, case.as_str(), Writing::Form)?;
    leptos_axum::redirect(&crate::routes::case(case).after_save(page, saved, Some(("v", version)), fragment));
    Ok(version)
}

pub fn in_force(project: &Project) -> i64 {
    project.current().map_or(0, |version| version.number)
}

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
                .map(|v| (v.signatory.clone(), v.recorded_by.clone(), v.at)),
        })
        .collect()
}

/// The publication of a case built from its kit, its cadrage and the collectivité's public facts.
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
pub fn kit_or_prefill(case: &CaseDetail, project: &Project) -> (DiffusionKit, i64) {
    match &project.kit {
        Some(stored) => (stored.kit.clone(), stored.revision),
        None => (
            prefill_kit(case.answers.get("probleme"), case.answers.get("solution")),
            0,
        ),
    }
}

/// The lines of the case page's "Accompagnement" section, for cases from the cadrage on.
/// What "À traiter" reads of a case's project: the cadrage version in force (who has not validated it, its
/// start and duration) and how many phase-4 conditions are not checked yet.
pub fn due_facts(project: &Project) -> (Option<crate::domain::due::CadrageFacts>, usize) {
    use crate::domain::cadrage::Party;
    let Some(version) = project.current() else {
        return (None, 0);
    };
    let validated = current_validations(Some(version.number), &project.recorded_validations());
    let conditions = version.document.lines("conditions_diffusion");
    let checks: Vec<ConditionCheck> = project.checks.iter().map(|c| c.check.clone()).collect();
    let facts = crate::domain::due::CadrageFacts {
        version: version.number,
        version_at: version.created_at,
        missing: Party::ALL
            .into_iter()
            .filter(|party| !validated.contains(party))
            .collect(),
        start_day: version.document.get("debut").to_string(),
        months: version.document.get("duree_mois").trim().parse().ok(),
    };
    (Some(facts), unchecked_conditions(&conditions, &checks).len())
}

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
