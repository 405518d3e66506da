//! Demonstration content for a new database: a dozen realistic cases drawn from the examples of the cadre
//! d'intervention (§4), from collectivités of different kinds, sizes and regions, spread over the five stages.

use app::domain::accounts::AuthEvent;
use app::domain::auth::Role;
use app::domain::collectivites::Directory;
use app::domain::history::EventDetail;
use app::domain::intake::IntakeAnswers;
use app::domain::qualification::Destination;
use app::domain::stage::Stage;
use app::store::accounts::AuthEntry;
use app::store::intake::NewCase;

use crate::sql::SqlStore;

mod catalogue;
use catalogue::publish_demo;

pub(crate) struct DemoCase {
    collectivite: &'static str,
    title: &'static str,
    domain: &'static str,
    problem: &'static str,
    solution: &'static str,
    bricks: &'static [&'static str],
    typology: &'static str,
    agents: i64,
    per_month: i64,
    minutes: i64,
    share: i64,
    stage: Stage,
    sponsor: bool,
    days_ago: i64,
}

const DEMO_CASES: &[DemoCase] = &[
    DemoCase { collectivite: "epci:200046977", title: "Accélération de la révision du PLU", domain: "urbanisme",
        problem: "La révision du plan local d'urbanisme mobilise des milliers de pages de documents et d'avis à analyser à la main.",
        solution: "Un agent IA synthétise les avis des personnes publiques associées et vérifie la cohérence des pièces du PLU.",
        bricks: &["agents", "vibe"], typology: "application-personnalisee", agents: 60, per_month: 120, minutes: 90, share: 40,
        stage: Stage::Diffusion, sponsor: true, days_ago: 300 },
    DemoCase { collectivite: "region:44", title: "Détection de fraude aux achats", domain: "finances-achats",
        problem: "Les contrôles des factures et des marchés sont faits par échantillonnage et laissent passer des doublons et des anomalies.",
        solution: "Une application analyse toutes les factures et signale les doublons, les fournisseurs à risque et les montants atypiques.",
        bricks: &["application"], typology: "application-integree-si", agents: 45, per_month: 4000, minutes: 3, share: 60,
        stage: Stage::Conception, sponsor: true, days_ago: 240 },
    DemoCase { collectivite: "departement:76", title: "Détection des pathologies routières", domain: "infrastructures-patrimoine",
        problem: "Le repérage des nids-de-poule et fissures sur 6 000 km de routes repose sur des tournées visuelles.",
        solution: "Des images prises par les véhicules de service sont analysées pour classer les pathologies et prioriser les travaux.",
        bricks: &["application", "agents"], typology: "application-personnalisee", agents: 120, per_month: 300, minutes: 30, share: 50,
        stage: Stage::Cadrage, sponsor: true, days_ago: 180 },
    DemoCase { collectivite: "commune:21231", title: "Maintenance prédictive du patrimoine bâti", domain: "infrastructures-patrimoine",
        problem: "Les interventions sur les écoles et gymnases sont surtout curatives ; les signalements arrivent par plusieurs canaux.",
        solution: "Un assistant regroupe les signalements, les historiques d'intervention et propose un plan de maintenance priorisé.",
        bricks: &["agents"], typology: "application-integree-si", agents: 35, per_month: 250, minutes: 20, share: 35,
        stage: Stage::Qualification, sponsor: false, days_ago: 90 },
    DemoCase { collectivite: "departement:35", title: "Veille réglementaire des services", domain: "veille-reglementaire",
        problem: "Chaque direction suit seule les évolutions des textes ; les juristes sont sollicités pour des synthèses répétitives.",
        solution: "Un outil de veille lit le Journal officiel et les bulletins, résume les textes et les adresse aux directions concernées.",
        bricks: &["vibe", "agents"], typology: "produit-vibe", agents: 200, per_month: 400, minutes: 25, share: 50,
        stage: Stage::Qualification, sponsor: true, days_ago: 75 },
    DemoCase { collectivite: "commune:35238", title: "Prise de notes et comptes rendus de réunions", domain: "autre",
        problem: "La rédaction des comptes rendus de réunions internes et des conseils de quartier prend plusieurs heures par semaine.",
        solution: "L'assistant Vibe transcrit, structure et propose un compte rendu que l'agent relit et valide.",
        bricks: &["vibe"], typology: "produit-vibe", agents: 800, per_month: 1500, minutes: 45, share: 50,
        stage: Stage::Diffusion, sponsor: true, days_ago: 320 },
    DemoCase { collectivite: "epci:243300316", title: "Génération des pièces de marchés publics", domain: "finances-achats",
        problem: "La rédaction des CCTP et règlements de consultation repart souvent de zéro et varie d'un service à l'autre.",
        solution: "Un assistant propose des pièces de marché à partir des modèles de la collectivité et des besoins exprimés.",
        bricks: &["vibe", "application"], typology: "application-personnalisee", agents: 90, per_month: 60, minutes: 480, share: 30,
        stage: Stage::Conception, sponsor: true, days_ago: 210 },
    DemoCase { collectivite: "commune:87085", title: "Veille des appels à projets et subventions", domain: "veille-reglementaire",
        problem: "Des financements sont manqués faute de temps pour suivre les appels à projets de l'État, de l'Europe et des partenaires.",
        solution: "Un agent IA repère les appels à projets adaptés aux projets de la collectivité et prépare une fiche d'éligibilité.",
        bricks: &["agents"], typology: "application-personnalisee", agents: 25, per_month: 80, minutes: 60, share: 60,
        stage: Stage::Remontee, sponsor: false, days_ago: 20 },
    DemoCase { collectivite: "commune:97411", title: "Agent conversationnel du site web", domain: "relation-usagers",
        problem: "L'accueil téléphonique est saturé par des questions simples sur les démarches, les horaires et les pièces à fournir.",
        solution: "Un agent conversationnel intégré au site répond aux questions courantes et oriente vers la bonne démarche.",
        bricks: &["agents", "application"], typology: "application-integree-si", agents: 40, per_month: 6000, minutes: 5, share: 40,
        stage: Stage::Remontee, sponsor: true, days_ago: 12 },
    DemoCase { collectivite: "epci:200066793", title: "Pré-instruction des autorisations d'urbanisme", domain: "urbanisme",
        problem: "Les dossiers de permis arrivent souvent incomplets et les instructeurs perdent du temps en allers-retours.",
        solution: "Un agent vérifie la complétude des dossiers déposés en ligne et prépare une note de pré-instruction.",
        bricks: &["agents"], typology: "application-integree-si", agents: 30, per_month: 350, minutes: 40, share: 30,
        stage: Stage::Cadrage, sponsor: true, days_ago: 150 },
    DemoCase { collectivite: "commune:64445", title: "Aide à l'instruction des aides sociales facultatives", domain: "action-sociale",
        problem: "Les demandes d'aides facultatives du CCAS sont instruites à partir de pièces hétérogènes et de règlements complexes.",
        solution: "Un assistant vérifie les pièces et rappelle les règles applicables, l'agent restant seul décideur.",
        bricks: &["vibe", "agents"], typology: "application-personnalisee", agents: 18, per_month: 220, minutes: 35, share: 30,
        stage: Stage::Reoriente, sponsor: false, days_ago: 130 },
    DemoCase { collectivite: "region:53", title: "Tri et réponse aux courriers des usagers", domain: "relation-usagers",
        problem: "Des milliers de courriels et courriers arrivent chaque mois et doivent être orientés vers le bon service.",
        solution: "Un agent IA classe les courriers, propose le service destinataire et un projet de réponse.",
        bricks: &["agents", "vibe"], typology: "application-integree-si", agents: 150, per_month: 3000, minutes: 8, share: 50,
        stage: Stage::Remontee, sponsor: true, days_ago: 5 },
];

pub(crate) fn answers_for(demo: &DemoCase) -> IntakeAnswers {
    let mut answers = IntakeAnswers::default();
    let agents = demo.agents.to_string();
    let per_month = demo.per_month.to_string();
    let minutes = demo.minutes.to_string();
    let share = demo.share.to_string();
    let mut pairs: Vec<(&str, &str)> = vec![
        ("collectivite", demo.collectivite),
        ("contact_nom", "Claire Dubois"),
        ("contact_fonction", "Cheffe de projet transformation numérique"),
        ("contact_email", "claire.dubois@exemple-collectivite.fr"),
        ("titre", demo.title),
        ("probleme", demo.problem),
        ("solution", demo.solution),
        ("domaine", demo.domain),
        (
            "perimetre",
            "Les services concernés de la collectivité, sur l'ensemble du territoire.",
        ),
        (
            "directions",
            "Direction métier concernée, direction des systèmes d'information",
        ),
        ("typologie", demo.typology),
        ("agents", &agents),
        ("usagers", "10000"),
        ("occurrences_mois", &per_month),
        ("minutes_par_occurrence", &minutes),
        ("part_temps_gagne", &share),
        (
            "benefice_usagers",
            "Des réponses plus rapides et un service plus homogène.",
        ),
        (
            "empreinte_environnementale",
            "Modèle proportionné au besoin, traitements regroupés.",
        ),
        ("metier_nom", "Paul Moreau"),
        ("metier_fonction", "Directeur métier"),
        ("dsi_nom", "Inès Lambert"),
        ("dsi_fonction", "Directrice des systèmes d'information"),
        (
            "donnees_necessaires",
            "Documents et bases de données métier de la collectivité.",
        ),
        ("disponibilite_donnees", "disponibles"),
        ("qualite_donnees", "moyenne"),
        ("donnees_personnelles", "non"),
        ("maturite", "2"),
        ("stade_projet", "besoin-defini"),
        ("hebergement", "mistral-compute"),
        ("agents_vibe", "50"),
    ];
    if demo.sponsor {
        pairs.push(("sponsor_nom", "Sophie Bernard"));
        pairs.push(("sponsor_fonction", "Directrice générale des services"));
    }
    for brick in demo.bricks {
        answers.set(&format!("brique_{brick}"), "on");
    }
    for question in demo_ai_act(demo.title) {
        answers.set(question, "on");
    }
    for (name, value) in pairs {
        answers.set(name, value);
    }
    answers
}

/// The case of `reference` for the seeding, which acts on nobody's behalf.
fn system_case(reference: &str) -> Result<app::domain::access::VisibleCase, String> {
    app::domain::reference::CaseReference::parse(reference)
        .map(app::domain::access::VisibleCase::for_system)
        .ok_or_else(|| format!("référence mal formée : {reference}"))
}

/// The AI Act questions a demonstration case ticks: a chatbot (transparency), published documents
/// (transparency), an aid instructed by an agent who alone decides (Annex III 5(a) with the Art. 6(3) exception).
fn demo_ai_act(title: &str) -> &'static [&'static str] {
    match title {
        "Agent conversationnel du site web" => &["ia_public"],
        "Génération des pièces de marchés publics" => &["ia_contenus"],
        "Aide à l'instruction des aides sociales facultatives" => &["ia_aides", "ia_preparatoire"],
        _ => &[],
    }
}

/// The password of the demonstration accounts (printed by scripts/run.sh; never use it in production).
pub const DEMO_PASSWORD: &str = "territoires-ia-demo";

/// The demonstration accounts, one per role.
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    ("admin@demo.ia-factory.fr", "Alice Admin (démonstration)", Role::Admin),
    (
        "programme@demo.ia-factory.fr",
        "Paul Programme (démonstration)",
        Role::Programme,
    ),
    (
        "lecture@demo.ia-factory.fr",
        "Léa Lecture (démonstration)",
        Role::Lecture,
    ),
    (
        "direction-regionale@demo.ia-factory.fr",
        "Diane Direction régionale Bretagne (démonstration)",
        Role::DirectionRegionale,
    ),
    (
        "prestataire@demo.ia-factory.fr",
        "Pierre Prestataire (démonstration)",
        Role::Prestataire,
    ),
];

/// The région of the demonstration direction régionale.
pub const DEMO_REGION: &str = "Bretagne";

/// Adds the demonstration accounts that do not exist yet; returns how many were added.
pub async fn seed_demo_accounts(store: &SqlStore, now: i64) -> Result<usize, String> {
    use app::store::*;
    let hash = tokio::task::spawn_blocking(|| app::server::session::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| format!("seed hash: {e}"))??;
    let mut added = 0;
    for (email, name, role) in DEMO_ACCOUNTS {
        if store
            .create_account(email, name, *role, &hash, now)
            .await
            .map_err(|e| e.0)?
        {
            added += 1;
        }
    }
    // The direction régionale sees Bretagne; the prestataire gets the first case carried from the cadrage on.
    for (email, _, role) in DEMO_ACCOUNTS {
        let Some(account) = store.account_by_email(email).await.map_err(|e| e.0)? else {
            continue;
        };
        if *role == Role::DirectionRegionale && store.account_regions(account.id).await.map_err(|e| e.0)?.is_empty() {
            store
                .set_account_regions(
                    account.id,
                    &[DEMO_REGION.to_string()],
                    &AuthEntry::by_system(AuthEvent::RegionsChanged, email, now),
                )
                .await
                .map_err(|e| e.0)?;
        }
        if *role == Role::Prestataire && store.assigned_references(account.id).await.map_err(|e| e.0)?.is_empty() {
            let carried = store
                .case_summaries()
                .await
                .map_err(|e| e.0)?
                .into_iter()
                .find(|case| matches!(case.stage, Stage::Cadrage | Stage::Conception));
            if let Some(case) = carried {
                store
                    .assign_prestataire(
                        &system_case(&case.reference)?,
                        Some(account.id),
                        &AuthEntry::by_system(AuthEvent::CaseAssigned, email, now),
                    )
                    .await
                    .map_err(|e| e.0)?;
            }
        }
    }
    Ok(added)
}

/// Adds the demonstration cases when the database has no case yet; returns how many were added.
pub async fn seed_demo(store: &SqlStore, directory: &Directory, now: i64) -> Result<usize, String> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&store.pools.read)
        .await
        .map_err(|e| format!("seed count: {e}"))?;
    if count > 0 {
        return Ok(0);
    }
    for demo in DEMO_CASES {
        let collectivite = directory
            .by_key(demo.collectivite)
            .ok_or_else(|| format!("seed: collectivité inconnue {}", demo.collectivite))?;
        let answers = answers_for(demo);
        let filed_at = now - demo.days_ago * 86_400;
        let case = NewCase::from_answers(&answers, collectivite);
        let mut tx = store
            .pools
            .write
            .begin()
            .await
            .map_err(|e| format!("seed begin: {e}"))?;
        let (case_id, reference) = store
            .insert_case(&mut tx, None, &answers, &case, filed_at)
            .await
            .map_err(|e| e.0)?;
        let path: Vec<Stage> = match demo.stage {
            Stage::Reoriente => vec![Stage::Qualification, Stage::Reoriente],
            target => Stage::PIPELINE
                .into_iter()
                .skip(1)
                .take_while(|s| s.number() <= target.number())
                .collect(),
        };
        let mut from = Stage::Remontee;
        let step_days = (demo.days_ago / (path.len() as i64 + 1)).max(1);
        for (index, to) in path.iter().enumerate() {
            let at = filed_at + (index as i64 + 1) * step_days * 86_400;
            sqlx::query(
                "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
                 VALUES ($1, $2, 'deplace', $3, $4, $5, $6)",
            )
            .bind(case_id)
            .bind(DEMO_ACTOR)
            .bind(from.code())
            .bind(to.code())
            .bind(if *to == Stage::Reoriente {
                EventDetail::of_move(
                    Some(Destination::GuichetCofinancement),
                    "Projet déjà financé par un autre dispositif.",
                )
                .stored()
            } else {
                String::new()
            })
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("seed event: {e}"))?;
            sqlx::query("UPDATE cases SET stage = $1, version = version + 1, updated_at = $2, stage_entered_at = $2 WHERE id = $3")
                .bind(to.code())
                .bind(at)
                .bind(case_id)
                .execute(&mut *tx)
                .await
                .map_err(|e| format!("seed move: {e}"))?;
            from = *to;
        }
        if demo.stage.number().unwrap_or(2) >= 3 || demo.stage == Stage::Reoriente {
            seed_qualification(&mut tx, case_id, demo.stage).await?;
        }
        if demo.stage.number().unwrap_or(0) >= 3 {
            seed_follow_up(&mut tx, case_id, demo.stage, &answers, filed_at).await?;
        }
        tx.commit().await.map_err(|e| format!("seed commit: {e}"))?;
        if matches!(demo.stage, Stage::Diffusion | Stage::Conception) {
            publish_demo(store, demo, collectivite, &reference, now).await?;
        }
    }
    seed_periods(store, now).await?;
    Ok(DEMO_CASES.len())
}

pub(crate) const DEMO_ACTOR: &str = "Équipe programme (démonstration)";

/// The grid and decision of a demonstration case that went past qualification (or was reoriented).
async fn seed_qualification(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: i64,
    stage: Stage,
) -> Result<(), String> {
    use app::domain::qualification::Criterion;
    let qualified = stage != Stage::Reoriente;
    for (index, criterion) in Criterion::ALL.iter().enumerate() {
        let score: i64 = if qualified { 2 + (index as i64 % 2) } else { 1 };
        sqlx::query("INSERT INTO case_scores (case_id, criterion, score, comment) VALUES ($1, $2, $3, '')")
            .bind(case_id)
            .bind(criterion.code())
            .bind(score)
            .execute(&mut **tx)
            .await
            .map_err(|e| format!("seed score: {e}"))?;
    }
    sqlx::query(
        "UPDATE cases SET decision = $1, destination = $2, updated_by = $3, \
         interview_notes = 'Entretien d''approfondissement mené avec le porteur métier et la DSI.', \
         ai_act_confirmed = ai_act_level WHERE id = $4",
    )
    .bind(if qualified { "qualifie" } else { "non-qualifie" })
    .bind(if qualified { None } else { Some("guichet-cofinancement") })
    .bind(DEMO_ACTOR)
    .bind(case_id)
    .execute(&mut **tx)
    .await
    .map_err(|e| format!("seed decision: {e}"))?;
    Ok(())
}

/// Stages 3 to 5 of a demonstration case: a cadrage version (validated by the three parties once the case is
/// past the cadrage, by the collectivité only while it is in it), and for phase 4 the log and, in diffusion,
/// every condition checked with its evidence.
async fn seed_follow_up(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: i64,
    stage: Stage,
    answers: &app::domain::intake::IntakeAnswers,
    filed_at: i64,
) -> Result<(), String> {
    use app::domain::cadrage::{check, prefill, Party};
    let at = filed_at + 20 * 86_400;
    let mut document = prefill(answers, &app::domain::dates::iso_date(at));
    document.set(
        "signataire_cdc",
        "Claire Moreau, directrice régionale de la Banque des Territoires",
    );
    document.set("signataire_prestataire", "Hugo Lefèvre, Mistral AI");
    document.set("agents_tests", "6");
    if document.get("signataire_collectivite").is_empty() {
        document.set("signataire_collectivite", "Le directeur général des services");
    }
    if let Some(problem) = check(&document).first() {
        return Err(format!("seed cadrage: {}", problem.message));
    }
    let text = serde_json::to_string(&document).map_err(|e| format!("seed cadrage JSON: {e}"))?;
    sqlx::query(
        "INSERT INTO cadrage_versions (case_id, number, document, author, created_at) VALUES ($1, 1, $2, $3, $4)",
    )
    .bind(case_id)
    .bind(text)
    .bind(DEMO_ACTOR)
    .bind(at)
    .execute(&mut **tx)
    .await
    .map_err(|e| format!("seed cadrage: {e}"))?;
    let parties: &[Party] = if stage == Stage::Cadrage {
        &[Party::Collectivite]
    } else {
        &Party::ALL
    };
    for (index, party) in parties.iter().enumerate() {
        sqlx::query(
            "INSERT INTO cadrage_validations (case_id, version, party, signatory, recorded_by, created_at) \
             VALUES ($1, 1, $2, $3, $4, $5)",
        )
        .bind(case_id)
        .bind(party.code())
        .bind(document.get(party.signatory_field()).to_string())
        .bind(DEMO_ACTOR)
        .bind(at + (index as i64 + 1) * 86_400)
        .execute(&mut **tx)
        .await
        .map_err(|e| format!("seed validation: {e}"))?;
    }
    if stage == Stage::Cadrage {
        return Ok(());
    }
    let log = [
        (
            "iteration",
            "Première version présentée au service : les agents demandent des réponses plus courtes.",
        ),
        (
            "test",
            "Test en conditions réelles avec six agents pendant deux semaines : 80 % des propositions reprises.",
        ),
        (
            "ajustement",
            "Consignes de rédaction ajustées et modèle de réponse ajouté à la demande des agents.",
        ),
    ];
    for (index, (kind, body)) in log.iter().enumerate() {
        let day = at + (40 + 15 * index as i64) * 86_400;
        sqlx::query(
            "INSERT INTO phase4_log (case_id, day, kind, body, author, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case_id)
        .bind(app::domain::dates::iso_date(day))
        .bind(*kind)
        .bind(*body)
        .bind(DEMO_ACTOR)
        .bind(day)
        .execute(&mut **tx)
        .await
        .map_err(|e| format!("seed log: {e}"))?;
    }
    if stage != Stage::Diffusion {
        return Ok(());
    }
    for condition in document.lines("conditions_diffusion") {
        sqlx::query(
            "INSERT INTO condition_checks (case_id, condition_text, evidence, checked_by, checked_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case_id)
        .bind(condition)
        .bind("Compte rendu du comité de projet tripartite.")
        .bind(DEMO_ACTOR)
        .bind(at + 100 * 86_400)
        .execute(&mut **tx)
        .await
        .map_err(|e| format!("seed check: {e}"))?;
    }
    Ok(())
}

/// A relève period open since 15 days (the oldest case in remontée belongs to it) and the next one.
async fn seed_periods(store: &SqlStore, now: i64) -> Result<(), String> {
    use app::store::*;
    let day = 86_400;
    let today = now - now.rem_euclid(day);
    for (name, start, end) in [
        (
            "Relève de l'automne (démonstration)",
            today - 15 * day,
            today + 75 * day,
        ),
        ("Relève suivante (démonstration)", today + 90 * day, today + 180 * day),
    ] {
        store.create_period(name, start, end, now).await.map_err(|e| e.0)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_case_is_a_valid_intake_apart_from_the_collectivite_check() {
        for demo in DEMO_CASES {
            let errors = app::domain::intake::validate_all(&answers_for(demo), &|_| true);
            assert!(errors.is_empty(), "{}: {errors:?}", demo.title);
        }
    }

    #[test]
    fn demo_covers_the_five_stages_and_reorientation() {
        for stage in Stage::PIPELINE.into_iter().chain([Stage::Reoriente]) {
            assert!(DEMO_CASES.iter().any(|d| d.stage == stage), "{stage:?}");
        }
        assert!(DEMO_CASES.len() >= 12);
    }
}
