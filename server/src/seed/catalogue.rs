//! The demonstration cases in conception and diffusion published in the catalogue, with their diffusion kit and
//! the AI Act level the team confirmed.

use app::domain::stage::Stage;

use super::{answers_for, DemoCase, DEMO_ACTOR};
use crate::sql::SqlStore;

/// Publishes a demonstration case in the catalogue with a diffusion kit (gains measured for cases in diffusion).
pub(super) async fn publish_demo(
    store: &SqlStore,
    demo: &DemoCase,
    collectivite: &app::domain::collectivites::Collectivite,
    reference: &str,
    now: i64,
) -> Result<(), String> {
    use app::domain::catalogue::slugify;
    use app::domain::diffusion::{Support, Video};
    use app::store::*;
    let slug = slugify(demo.title);
    let measured = demo.stage == Stage::Diffusion;
    let answers = answers_for(demo);
    let estimate = answers.hours_saved_per_year().unwrap_or_default();
    let documentation = format!(
        "## Ce que fait la solution\n\n{}\n\n## Mettre en place\n\n1. Désigner un porteur métier et un référent DSI.\n\
         2. Rassembler les données décrites dans la fiche de cadrage.\n3. Former un premier groupe d'agents (deux \
         demi-journées).\n\n## Pour aller plus loin\n\nLe [cadre d'intervention de l'IA Factory](https://www.banquedesterritoires.fr/) \
         décrit l'accompagnement proposé aux collectivités.\n",
        demo.solution
    );
    // The team confirmed the pre-assessment at qualification (seed_qualification).
    let level = app::domain::ai_act::assess(&answers.ai_act()).level;
    let review = app::domain::ai_act::review::AiActReview {
        pre_assessed: Some(level),
        confirmed: Some(level),
        override_reason: String::new(),
    };
    let obligations = app::domain::ai_act::review::published(&review, &answers.ai_act())
        .map(|(_, obligations)| obligations)
        .unwrap_or_default();
    let publication = app::store::catalogue::NewPublication {
        case: super::system_case(reference)?,
        slug: slug.clone(),
        title: demo.title.to_string(),
        summary: format!("{} — solution conçue avec {}.", demo.title, collectivite.name),
        problem: demo.problem.to_string(),
        solution: demo.solution.to_string(),
        documentation,
        videos: vec![
            Video {
                title: format!("Démonstration : {}", demo.title),
                url: format!("https://videos.exemple-ia-factory.fr/{slug}"),
                transcript_url: format!("https://videos.exemple-ia-factory.fr/{slug}/transcription"),
            },
            Video {
                title: "Témoignage des agents (sans transcription)".into(),
                url: format!("https://videos.exemple-ia-factory.fr/{slug}/temoignage"),
                transcript_url: String::new(),
            },
        ],
        supports: vec![Support {
            title: "Guide de prise en main (PDF)".into(),
            url: format!("https://documents.exemple-ia-factory.fr/{slug}/guide.pdf"),
        }],
        contact: "Écrivez à l'équipe du programme : territoiresdia@caissedesdepots.fr, elle vous met en relation avec la collectivité pionnière.".into(),
        hosting: answers.get("hebergement").to_string(),
        collectivite_code: collectivite.code.clone(),
        collectivite_siren: collectivite.siren.clone(),
        population: collectivite.population,
        typologie: demo.typology.to_string(),
        agents_measured: measured.then_some(demo.agents * 3 / 4),
        hours_measured: measured.then_some(estimate * 9 / 10),
        ai_act_level: Some(level),
        ai_act_obligations: obligations,
        public_facing: app::domain::ai_act::review::faces_public(&answers.ai_act()),
        now: now - demo.days_ago * 86_400 / 4,
        actor: DEMO_ACTOR.to_string(),
        notice: None,
        based_on: None,
    };
    match store.publish(&publication).await.map_err(|e| e.0)? {
        WriteOutcome::Done { .. } => {}
        other => return Err(format!("publication de démonstration de {reference} : {other:?}")),
    }
    // The team's kit holds what was published.
    let kit = app::domain::diffusion::DiffusionKit {
        summary: publication.summary.clone(),
        problem: publication.problem.clone(),
        solution: publication.solution.clone(),
        documentation: publication.documentation.clone(),
        videos: publication.videos.clone(),
        supports: publication.supports.clone(),
        contact: publication.contact.clone(),
        agents_measured: publication.agents_measured,
        hours_measured: publication.hours_measured,
    };
    sqlx::query(
        "INSERT INTO diffusion_kits (case_id, kit, revision, updated_by, updated_at) \
         SELECT id, $1, 1, $2, $3 FROM cases WHERE reference = $4",
    )
    .bind(serde_json::to_string(&kit).map_err(|e| format!("seed kit JSON: {e}"))?)
    .bind(DEMO_ACTOR)
    .bind(publication.now)
    .bind(reference)
    .execute(&store.pools.write)
    .await
    .map_err(|e| format!("seed kit: {e}"))?;
    Ok(())
}
