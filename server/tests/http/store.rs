//! The SQL store on SQLite and PostgreSQL: drafts, resume, submission in one transaction, no duplicate,
//! unique references under concurrency, append-only events, demo seed.

use crate::common;

use std::sync::Arc;

use app::domain::intake::IntakeAnswers;
use app::domain::stage::Stage;
use app::store::intake::NewCase;
use app::store::*;
use server::sql::SqlStore;

fn answers(title: &str) -> IntakeAnswers {
    let mut a = IntakeAnswers::default();
    a.set("titre", title);
    a.set("contact_email", "camille@ville.fr");
    a
}

fn new_case(title: &str) -> NewCase {
    NewCase {
        title: title.into(),
        domain: "urbanisme".into(),
        collectivite_key: "commune:42218".into(),
        collectivite_name: "Saint-Étienne".into(),
        collectivite_kind: "commune".into(),
        region: "Auvergne-Rhône-Alpes".into(),
        agents: 25,
        hours_saved_per_year: 900,
        portage_missing: "sponsor".into(),
        briques: "vibe".into(),
        contact_email: String::new(),
    }
}

const NOW: i64 = 1_795_000_000; // 2026-11-18

#[tokio::test]
async fn drafts_are_saved_and_resumed() {
    for db in common::both().await {
        let store = SqlStore::new(db.pools.clone());
        store.create_draft("hash-a", NOW).await.expect("create");
        let draft = store.load_draft("hash-a").await.expect("load").expect("exists");
        assert_eq!(draft.answers, IntakeAnswers::default(), "{}", db.label);
        assert!(store
            .save_draft("hash-a", &answers("Titre"), NOW + 5)
            .await
            .expect("save"));
        let draft = store.load_draft("hash-a").await.expect("load").expect("exists");
        assert_eq!(draft.answers.get("titre"), "Titre", "{}", db.label);
        assert_eq!(draft.updated_at, NOW + 5);
        assert_eq!(draft.case_reference, None);
        assert!(
            !store.save_draft("unknown", &answers("x"), NOW).await.expect("save"),
            "{}",
            db.label
        );
        assert!(store.load_draft("unknown").await.expect("load").is_none());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn submitting_files_one_case_with_its_first_event_and_never_twice() {
    for db in common::both().await {
        let store = SqlStore::new(db.pools.clone());
        store.create_draft("hash-b", NOW).await.expect("create");
        let first = store
            .submit_draft("hash-b", &answers("PLU"), &new_case("PLU"), None, NOW + 10)
            .await
            .expect("submit")
            .expect("filed");
        assert_eq!(first.reference, "IAF-2026-00001", "{}", db.label);
        assert_eq!(first.stage, Stage::Remontee);
        let again = store
            .submit_draft("hash-b", &answers("Autre"), &new_case("Autre"), None, NOW + 20)
            .await
            .expect("submit again")
            .expect("filed");
        assert_eq!(again, first, "{}: a second submit returns the first case", db.label);
        let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&db.pools.read)
            .await
            .expect("count");
        let events: Vec<(String, String)> = sqlx::query_as("SELECT kind, to_stage FROM case_events")
            .fetch_all(&db.pools.read)
            .await
            .expect("events");
        assert_eq!(cases, 1, "{}", db.label);
        assert_eq!(
            events,
            vec![("depose".to_string(), "remontee".to_string())],
            "{}",
            db.label
        );
        assert!(
            !store
                .save_draft("hash-b", &answers("changed"), NOW + 30)
                .await
                .expect("save"),
            "filed drafts are closed"
        );
        let draft = store.load_draft("hash-b").await.expect("load").expect("exists");
        assert_eq!(draft.case_reference.as_deref(), Some("IAF-2026-00001"));
        assert_eq!(
            store.filed_case("hash-b").await.expect("filed").expect("some").title,
            "PLU"
        );
        assert!(store
            .submit_draft("nothing", &answers("x"), &new_case("x"), None, NOW)
            .await
            .expect("ok")
            .is_none());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn concurrent_submissions_get_distinct_references() {
    for db in common::both().await {
        let store = Arc::new(SqlStore::new(db.pools.clone()));
        for i in 0..20 {
            store.create_draft(&format!("h{i}"), NOW).await.expect("create");
        }
        let mut tasks = Vec::new();
        for i in 0..20 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let hash = format!("h{i}");
                store
                    .submit_draft(&hash, &answers("t"), &new_case("t"), None, NOW)
                    .await
            }));
        }
        let mut references = Vec::new();
        for task in tasks {
            references.push(
                task.await
                    .expect("join")
                    .expect("no SQLITE_BUSY, no error")
                    .expect("filed")
                    .reference,
            );
        }
        references.sort();
        references.dedup();
        assert_eq!(references.len(), 20, "{}", db.label);
        assert_eq!(references.last().map(String::as_str), Some("IAF-2026-00020"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_event_log_is_append_only() {
    for db in common::both().await {
        let store = SqlStore::new(db.pools.clone());
        store.create_draft("hash-c", NOW).await.expect("create");
        store
            .submit_draft("hash-c", &answers("t"), &new_case("t"), None, NOW)
            .await
            .expect("submit");
        let update = sqlx::query("UPDATE case_events SET detail = 'x'")
            .execute(&db.pools.write)
            .await;
        assert!(update.is_err(), "{}: update refused", db.label);
        let delete = sqlx::query("DELETE FROM case_events").execute(&db.pools.write).await;
        assert!(delete.is_err(), "{}: delete refused", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn demo_seed_fills_an_empty_database_once() {
    let directory = server::state::load_directory().expect("directory");
    for db in common::both().await {
        let store = SqlStore::new(db.pools.clone());
        assert_eq!(
            server::seed::seed_demo(&store, &directory, NOW).await.expect("seed"),
            12,
            "{}",
            db.label
        );
        assert_eq!(server::seed::seed_demo(&store, &directory, NOW).await.expect("seed"), 0);
        assert_eq!(
            server::seed::seed_demo_accounts(&store, NOW).await.expect("accounts"),
            5,
            "{}",
            db.label
        );
        assert_eq!(
            server::seed::seed_demo_accounts(&store, NOW).await.expect("accounts"),
            0
        );
        let demo = |email: &'static str| {
            let store = &store;
            async move {
                store
                    .account_by_email(email)
                    .await
                    .expect("read")
                    .expect("demo account")
            }
        };
        let direction = demo("direction-regionale@demo.ia-factory.fr").await;
        assert_eq!(
            store.account_regions(direction.id).await.expect("regions"),
            ["Bretagne"],
            "{}",
            db.label
        );
        let prestataire = demo("prestataire@demo.ia-factory.fr").await;
        assert_eq!(
            store.assigned_references(prestataire.id).await.expect("assigned").len(),
            1,
            "{}",
            db.label
        );
        let stages: Vec<String> = sqlx::query_scalar("SELECT DISTINCT stage FROM cases ORDER BY stage")
            .fetch_all(&db.pools.read)
            .await
            .expect("stages");
        assert_eq!(
            stages,
            [
                "cadrage",
                "conception",
                "diffusion",
                "qualification",
                "remontee",
                "reoriente"
            ],
            "{}",
            db.label
        );
        let mismatched: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases c WHERE c.stage <> COALESCE((SELECT e.to_stage FROM case_events e \
             WHERE e.case_id = c.id AND e.to_stage IS NOT NULL ORDER BY e.id DESC LIMIT 1), '')",
        )
        .fetch_one(&db.pools.read)
        .await
        .expect("agree");
        assert_eq!(mismatched, 0, "{}: cases and their last move agree", db.label);
        // Cases past a gate satisfy it: three validations of the cadrage in force, phase 4 conditions checked.
        use app::domain::cadrage::{fully_validated, phase4_complete, ConditionCheck};
        use app::domain::stage::Stage;
        for case in store.case_summaries().await.expect("cases") {
            let follow = store
                .project(&crate::common::system_case(&case.reference))
                .await
                .expect("follow")
                .expect("case");
            let current = follow.current().map(|v| v.number);
            let conditions = follow
                .current()
                .map(|v| v.document.lines("conditions_diffusion"))
                .unwrap_or_default();
            let checks: Vec<ConditionCheck> = follow.checks.iter().map(|c| c.check.clone()).collect();
            let validated = fully_validated(current, &follow.recorded_validations());
            match case.stage {
                Stage::Cadrage => assert!(current.is_some() && !validated, "{} {}", db.label, case.reference),
                Stage::Conception => assert!(validated && !phase4_complete(&conditions, &checks), "{}", db.label),
                Stage::Diffusion => assert!(validated && phase4_complete(&conditions, &checks), "{}", db.label),
                _ => assert!(current.is_none(), "{}", db.label),
            }
        }
        db.cleanup().await;
    }
}
