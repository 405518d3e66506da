//! The published cases the benchmarks generate (included with `#[path]` by bench-catalogue and bench-similar,
//! not part of the server library): real collectivités of the official list, every level of the AI Act, and
//! the texts a benchmark brings or short generated ones.

use app::domain::access::VisibleCase;
use app::domain::ai_act::review::{published, AiActReview};
use app::domain::ai_act::{AiActAnswers, RiskLevel};
use app::domain::collectivites::Directory;
use app::domain::diffusion::{Support, Video};
use app::domain::intake::IntakeAnswers;
use app::domain::reference::CaseReference;
use app::store::catalogue::NewPublication;
use app::store::intake::NewCase;
use app::store::*;
use server::sql::SqlStore;

const ACTIONS: &[&str] = &[
    "Analyse",
    "Rédaction",
    "Tri",
    "Synthèse",
    "Veille",
    "Détection",
    "Classement",
    "Préparation",
    "Traduction",
    "Contrôle",
];
const OBJECTS: &[(&str, &str)] = &[
    ("des marchés publics", "finances-achats"),
    ("des courriers des usagers", "relation-usagers"),
    ("des délibérations du conseil", "veille-reglementaire"),
    ("des demandes d'urbanisme", "urbanisme"),
    ("des factures fournisseurs", "finances-achats"),
    ("des arrêtés municipaux", "veille-reglementaire"),
    ("des comptes rendus de réunions", "ressources-humaines"),
    ("des signalements de voirie", "infrastructures-patrimoine"),
    ("des dossiers d'aide sociale", "action-sociale"),
    ("des données énergétiques des bâtiments", "environnement"),
    ("des candidatures aux offres d'emploi", "ressources-humaines"),
    ("des questions au standard", "relation-usagers"),
];
const BRICKS: &[&str] = &["vibe", "agents", "application", "vibe,agents", "agents,application"];
const TYPOLOGIES: &[&str] = &["produit-vibe", "application-personnalisee", "application-integree-si"];

/// The title, problem and solution of the `n`th case, when a benchmark brings its own.
pub type Texts<'a> = &'a dyn Fn(usize) -> Option<(String, String, String)>;

/// Fills the store with `cases` published cases from real collectivités of the official list, with the texts
/// `texts` gives (short generated ones otherwise).
pub async fn generate(store: &SqlStore, directory: &Directory, cases: usize, texts: Texts<'_>) -> Result<(), String> {
    generate_range(store, directory, 0..cases, texts).await
}

/// Adds the published cases numbered `range` (a database grows from one size to the next without starting
/// again).
pub async fn generate_range(
    store: &SqlStore,
    directory: &Directory,
    range: std::ops::Range<usize>,
    texts: Texts<'_>,
) -> Result<(), String> {
    let collectivites: Vec<_> = ["saint", "ville", "agglo", "commun", "depart", "region", "mont", "bourg"]
        .iter()
        .flat_map(|q| directory.search(q))
        .collect();
    if collectivites.is_empty() {
        return Err("liste officielle vide".into());
    }
    let start = 1_700_000_000_i64;
    let mut references = Vec::with_capacity(range.len());
    let numbers: Vec<usize> = range.collect();
    for chunk in numbers.chunks(500) {
        let mut tx = store.pools.write.begin().await.map_err(|e| e.to_string())?;
        for &n in chunk {
            let collectivite = collectivites[n * 7 % collectivites.len()];
            let (object, domain) = OBJECTS[n % OBJECTS.len()];
            let (title, problem, solution) = texts(n).unwrap_or_else(|| {
                (
                    format!("{} {object} ({})", ACTIONS[n / OBJECTS.len() % ACTIONS.len()], n),
                    format!("Le traitement {object} prend du temps aux agents et retarde les réponses."),
                    format!("Un assistant prépare le traitement {object} ; l'agent vérifie et valide."),
                )
            });
            let mut answers = IntakeAnswers::default();
            answers.set("titre", &title);
            answers.set("probleme", &problem);
            answers.set("solution", &solution);
            answers.set("domaine", domain);
            for brique in BRICKS[n % BRICKS.len()].split(',') {
                answers.set(&format!("brique_{brique}"), "on");
            }
            answers.set("agents", &(5 + n % 400).to_string());
            answers.set("occurrences_mois", &(10 + n % 900).to_string());
            answers.set("minutes_par_occurrence", "20");
            answers.set("part_temps_gagne", "50");
            let case = NewCase::from_answers(&answers, collectivite);
            let (_, reference) = store
                .insert_case(&mut tx, None, &answers, &case, start + n as i64 * 600)
                .await
                .map_err(|e| e.0)?;
            references.push((reference, title, problem, solution, collectivite.clone(), n));
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    for (reference, title, problem, solution, collectivite, n) in references {
        let (object, _) = OBJECTS[n % OBJECTS.len()];
        // Every fifth case not yet confirmed by the team; the others at each level but "prohibited".
        let level = [RiskLevel::Minimal, RiskLevel::Transparency, RiskLevel::HighRisk][n % 3];
        let review = AiActReview {
            pre_assessed: Some(level),
            confirmed: (n % 5 != 0).then_some(level),
            override_reason: String::new(),
        };
        let ai_act = published(&review, &AiActAnswers::default());
        store
            .publish(&NewPublication {
                case: VisibleCase::for_system(CaseReference::parse(&reference).ok_or("référence mal formée")?),
                slug: format!("{}-{n}", app::domain::catalogue::slugify(&title)),
                summary: format!(
                    "{title} : un assistant d'IA souveraine conçu avec {}.",
                    collectivite.name
                ),
                problem,
                solution,
                documentation: format!("## Mise en place\n\nRéunir les données {object}.\n"),
                videos: vec![Video {
                    title: "Démonstration".into(),
                    url: "https://videos.exemple.fr/demo".into(),
                    transcript_url: String::new(),
                }],
                supports: vec![Support {
                    title: "Guide".into(),
                    url: "https://documents.exemple.fr/guide.pdf".into(),
                }],
                contact: "Écrivez à l'équipe du programme.".into(),
                hosting: if n % 3 == 0 { "on-premise" } else { "mistral-compute" }.into(),
                collectivite_code: collectivite.code.clone(),
                collectivite_siren: collectivite.siren.clone(),
                population: collectivite.population,
                typologie: TYPOLOGIES[n % TYPOLOGIES.len()].into(),
                agents_measured: (n % 4 == 0).then_some(10 + n as i64 % 300),
                hours_measured: (n % 4 == 0).then_some(100 + n as i64 % 5_000),
                ai_act_level: ai_act.as_ref().map(|(level, _)| *level),
                ai_act_obligations: ai_act.map(|(_, obligations)| obligations).unwrap_or_default(),
                public_facing: n % 2 == 0,
                title,
                now: start + n as i64 * 600 + 86_400,
                actor: "Équipe programme".into(),
                notice: None,
                based_on: None,
            })
            .await
            .map_err(|e| e.0)?;
    }
    // The steady state of a database in service: fresh statistics and, on PostgreSQL, the visibility map that
    // autovacuum maintains (index-only scans).
    let maintenance = if store.pools.backend == server::db::Backend::Postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::query(maintenance)
        .execute(&store.pools.write)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
