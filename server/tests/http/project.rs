//! Stages 3 to 5 through the real router on SQLite and PostgreSQL: cadrage versions (conflicts, refusals,
//! difference), the parties' validations and their clearing by a new version, the OpenDocument export, phase 4
//! checks and log, the diffusion kit, publication and withdrawal, the history, and every endpoint's rights.

use crate::common;

use app::domain::intake::IntakeAnswers;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use server::sql::SqlStore;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Files a case and puts it at `stage`; returns its reference.
async fn case_at(store: &SqlStore, title: &str, stage: &str) -> String {
    let mut answers = IntakeAnswers::default();
    answers.set("titre", title);
    answers.set("probleme", "Les courriers s'accumulent.");
    answers.set("solution", "Un assistant propose les réponses.");
    let reference = insert_case(store, &answers, &lyon_case(title), now() - 86_400).await;
    set_stage(store, &reference, stage).await;
    reference
}

async fn set_stage(store: &SqlStore, reference: &str, stage: &str) {
    sqlx::query("UPDATE cases SET stage = $1 WHERE reference = $2")
        .bind(stage)
        .bind(reference)
        .execute(&store.pools.write)
        .await
        .expect("stage");
}

/// A case whose cadrage the programme member saved and which is now in conception: its reference and that
/// member's session.
pub(crate) async fn in_conception(app: &axum::Router, store: &SqlStore, title: &str, label: &str) -> (String, String) {
    let prog = sign_in(app, "prog@ville.fr").await;
    let reference = case_at(store, title, "cadrage").await;
    let answers = store
        .case_detail(&crate::common::system_case(&reference))
        .await
        .expect("detail")
        .expect("case")
        .answers;
    let saved = call(
        app,
        "POST",
        "/api/equipe/cadrage/enregistrer",
        &cadrage_body(&reference, 0, &document(&answers)),
        Some(&prog),
        false,
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{label}: {}", saved.body);
    set_stage(store, &reference, "conception").await;
    (reference, prog)
}

fn document(store_answers: &IntakeAnswers) -> app::domain::cadrage::CadrageDocument {
    complete_cadrage(store_answers)
}

#[tokio::test]
async fn versions_validations_difference_and_export() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reference = case_at(&store, "Réponse aux courriers", "cadrage").await;
        signed_pdf(&store, &reference).await;
        let answers = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case")
            .answers;
        let post = |path: &'static str, body: String| {
            let app = app.clone();
            let prog = prog.clone();
            async move { call(&app, "POST", path, &body, Some(&prog), false).await }
        };

        // Before any save, the page offers the intake's pre-filling.
        let page = post("/api/equipe/cadrage", format!("reference={reference}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}: {}", db.label, page.body);
        assert!(page.body.contains("\"current\":0"), "{}", db.label);
        assert!(page.body.contains("Un assistant propose les réponses."), "{}", db.label);

        // An incomplete document is refused in French and nothing is saved.
        let mut incomplete = document(&answers);
        incomplete.set("objectifs", "");
        incomplete.set("jalon_diffusion", "2026-12-02");
        let refused = post(
            "/api/equipe/cadrage/enregistrer",
            cadrage_body(&reference, 0, &incomplete),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            refused.body.contains("Renseignez « Objectifs opérationnels »"),
            "{}: {}",
            db.label,
            refused.body
        );
        assert!(
            refused.body.contains("Le jalon de diffusion doit suivre"),
            "{}: {}",
            db.label,
            refused.body
        );
        assert!(store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("follow")
            .expect("case")
            .versions
            .is_empty());

        // Version 1, then a second save from the same base is a conflict naming the author.
        let first = document(&answers);
        let saved = post("/api/equipe/cadrage/enregistrer", cadrage_body(&reference, 0, &first)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}: {}", db.label, saved.body);
        assert_eq!(saved.body, "1", "{}", db.label);
        let stale = post("/api/equipe/cadrage/enregistrer", cadrage_body(&reference, 0, &first)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", db.label);
        assert!(stale.body.contains("Agent"), "{}: {}", db.label, stale.body);

        // The team records the collectivité's validation only as a paper signature, with its signed PDF.
        let unsigned = post(
            "/api/equipe/cadrage/valider",
            format!("reference={reference}&version=1&partie=collectivite&signataire=Mme+Martin"),
        )
        .await;
        assert_eq!(unsigned.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            unsigned
                .body
                .contains("« Document signé (PDF) » : la collectivité valide elle-même"),
            "{}: {}",
            db.label,
            unsigned.body
        );
        // Two parties validate version 1; one of them cannot validate twice.
        for party in ["collectivite", "prestataire"] {
            let validated = post("/api/equipe/cadrage/valider", validation_body(&reference, 1, party)).await;
            assert_eq!(validated.status, StatusCode::OK, "{}: {}", db.label, validated.body);
        }
        let twice = post(
            "/api/equipe/cadrage/valider",
            validation_body(&reference, 1, "prestataire"),
        )
        .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(twice.body.contains("déjà validé"), "{}: {}", db.label, twice.body);

        // Version 2 clears them: the old version can no longer be validated, the new one starts at zero.
        let mut second = first.clone();
        second.set(
            "conditions_diffusion",
            "Solution testée par les agents en conditions réelles\nTaux d'adoption supérieur à 50 %",
        );
        let saved = post("/api/equipe/cadrage/enregistrer", cadrage_body(&reference, 1, &second)).await;
        assert_eq!(saved.body, "2", "{}: {}", db.label, saved.body);
        let old = post(
            "/api/equipe/cadrage/valider",
            validation_body(&reference, 1, "caisse-des-depots"),
        )
        .await;
        assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(old.body.contains("validez la version 2"), "{}: {}", db.label, old.body);
        let page = post("/api/equipe/cadrage", format!("reference={reference}")).await;
        assert!(page.body.contains("\"current\":2"), "{}", db.label);
        assert!(page.body.contains("\"fully_validated\":false"), "{}", db.label);
        assert!(
            !page.body.contains("\"validated\":["),
            "{}: no validation counts for v2",
            db.label
        );
        let follow = store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("follow")
            .expect("case");
        assert_eq!(follow.versions.len(), 2, "{}", db.label);
        assert_eq!(
            follow.validations.len(),
            2,
            "{}: the old validations stay in the record",
            db.label
        );

        // The difference from 1 to 2, line by line.
        let diff = post(
            "/api/equipe/cadrage/comparer",
            format!("reference={reference}&de=1&a=2"),
        )
        .await;
        assert_eq!(diff.status, StatusCode::OK, "{}: {}", db.label, diff.body);
        assert!(
            diff.body.contains("[\"added\",\"Taux d'adoption supérieur à 50 %\"]"),
            "{}: {}",
            db.label,
            diff.body
        );
        assert!(
            diff.body.contains("[\"removed\",\"Retours des tests pris en compte\"]"),
            "{}",
            db.label
        );
        let missing = post(
            "/api/equipe/cadrage/comparer",
            format!("reference={reference}&de=1&a=9"),
        )
        .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", db.label);

        // The three parties validate version 2.
        for party in ["collectivite", "caisse-des-depots", "prestataire"] {
            let validated = call(
                &app,
                "POST",
                "/api/equipe/cadrage/valider",
                &validation_body(&reference, 2, party),
                Some(&prog),
                true,
            )
            .await;
            assert!(
                validated.location.contains("enregistre=validation"),
                "{}: {}",
                db.label,
                validated.body
            );
        }
        let page = post("/api/equipe/cadrage", format!("reference={reference}")).await;
        assert!(page.body.contains("\"fully_validated\":true"), "{}", db.label);

        // The OpenDocument export: a ZIP whose first entry is the mimetype; signed-in only.
        let path = format!("/equipe/cas/{reference}/cadrage/2/document.odt");
        let export = call(&app, "GET", &path, "", Some(&prog), false).await;
        assert_eq!(export.status, StatusCode::OK, "{}", db.label);
        assert!(export.body.starts_with("PK"), "{}", db.label);
        assert!(
            export.body.contains("application/vnd.oasis.opendocument.text"),
            "{}",
            db.label
        );
        assert_eq!(
            call(&app, "GET", &path, "", None, false).await.status,
            StatusCode::UNAUTHORIZED
        );
        let absent = format!("/equipe/cas/{reference}/cadrage/7/document.odt");
        assert_eq!(
            call(&app, "GET", &absent, "", Some(&prog), false).await.status,
            StatusCode::NOT_FOUND
        );

        // Every action is in the history.
        let events = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case")
            .events;
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.code()).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == "cadrage").count(),
            2,
            "{}: {kinds:?}",
            db.label
        );
        assert_eq!(
            kinds.iter().filter(|k| **k == "validation-cadrage").count(),
            5,
            "{}",
            db.label
        );
        assert!(
            events.iter().any(|e| e.detail.stored().contains("ne valent plus")),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn phase4_checks_the_kit_publication_and_withdrawal() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let (reference, prog) = in_conception(&app, &store, "Tri des courriers entrants", db.label).await;
        let post = |path: &'static str, body: String| {
            let app = app.clone();
            let prog = prog.clone();
            async move { call(&app, "POST", path, &body, Some(&prog), false).await }
        };

        // Conditions: only those of the version in force, and never without evidence.
        let unknown = post(
            "/api/equipe/conception/verifier",
            format!("reference={reference}&condition=Inventee&preuve=CR"),
        )
        .await;
        assert_eq!(
            unknown.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {}",
            db.label,
            unknown.body
        );
        assert!(unknown.body.contains("ne figure plus"), "{}", db.label);
        let condition = "Solution testée par les agents en conditions réelles";
        let no_evidence = post(
            "/api/equipe/conception/verifier",
            format!(
                "reference={reference}&condition={}&preuve=+",
                app::domain::text::encode_component(condition)
            ),
        )
        .await;
        assert!(
            no_evidence.body.contains("Indiquez la preuve"),
            "{}: {}",
            db.label,
            no_evidence.body
        );
        let checked = post(
            "/api/equipe/conception/verifier",
            format!(
                "reference={reference}&condition={}&preuve=Compte+rendu+du+2+mars",
                app::domain::text::encode_component(condition)
            ),
        )
        .await;
        assert_eq!(checked.status, StatusCode::OK, "{}: {}", db.label, checked.body);
        let page = post("/api/equipe/conception", format!("reference={reference}")).await;
        assert!(
            page.body.contains("Compte rendu du 2 mars"),
            "{}: {}",
            db.label,
            page.body
        );

        // The log: a dated entry of a known kind.
        let bad = post(
            "/api/equipe/conception/journal",
            format!("reference={reference}&jour=02%2F03%2F2027&nature=test&texte=Essai"),
        )
        .await;
        assert!(bad.body.contains("date"), "{}: {}", db.label, bad.body);
        let logged = post(
            "/api/equipe/conception/journal",
            format!("reference={reference}&jour=2027-03-02&nature=test&texte=Essai+avec+six+agents"),
        )
        .await;
        assert_eq!(logged.status, StatusCode::OK, "{}: {}", db.label, logged.body);
        let follow = store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("follow")
            .expect("case");
        assert_eq!(follow.log.len(), 1, "{}", db.label);
        assert_eq!(follow.checks.len(), 1, "{}", db.label);

        // Publication needs a saved, complete kit.
        let version = crate::board::version_of(&store, &reference).await;
        let early = post(
            "/api/equipe/diffusion/publier",
            format!("reference={reference}&version={version}"),
        )
        .await;
        assert!(
            early.body.contains("Enregistrez d'abord le kit"),
            "{}: {}",
            db.label,
            early.body
        );
        let kit = |revision: i64, summary: &str| {
            format!(
                "reference={reference}&revision={revision}&resume={}&probleme=Trop+de+courriers&solution=Un+assistant\
                 &documentation=%23%23+Installer&videos=D%C3%A9mo+%7C+https%3A%2F%2Fv.exemple.fr%2F1\
                 &supports=&contact=equipe%40exemple.fr&agents_mesures=18&heures_mesurees=2400",
                app::domain::text::encode_component(summary)
            )
        };
        let bad_kit = post(
            "/api/equipe/diffusion/enregistrer",
            kit(0, "ok").replace("agents_mesures=18", "agents_mesures=-1"),
        )
        .await;
        assert_eq!(bad_kit.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            bad_kit.body.contains("nombre entier positif"),
            "{}: {}",
            db.label,
            bad_kit.body
        );
        let saved = post(
            "/api/equipe/diffusion/enregistrer",
            kit(0, "Un tri automatique des courriers."),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}: {}", db.label, saved.body);
        let stale = post("/api/equipe/diffusion/enregistrer", kit(0, "Autre résumé")).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", db.label);

        // The preview is what the public will see; publishing puts it in the catalogue.
        let preview = post("/api/equipe/diffusion/apercu", format!("reference={reference}")).await;
        assert!(
            preview.body.contains("Un tri automatique des courriers."),
            "{}",
            db.label
        );
        assert!(preview.body.contains("\"agents_measured\":18"), "{}", db.label);
        let version = crate::board::version_of(&store, &reference).await;
        let published = post(
            "/api/equipe/diffusion/publier",
            format!("reference={reference}&version={version}"),
        )
        .await;
        assert_eq!(published.status, StatusCode::OK, "{}: {}", db.label, published.body);
        let slug: String = serde_json::from_str(&published.body).expect("slug");
        let public = store.publication(&slug).await.expect("publication").expect("published");
        assert_eq!(public.case.summary, "Un tri automatique des courriers.", "{}", db.label);
        assert_eq!(public.hours_measured, Some(2400), "{}", db.label);
        let search = call(
            &app,
            "GET",
            "/api/catalogue/recherche?texte=tri+automatique",
            "",
            None,
            false,
        )
        .await;
        assert!(search.body.contains(&slug), "{}: {}", db.label, search.body);

        // Withdrawn: gone from the public catalogue and its search, kept for the team.
        let withdrawn = post("/api/equipe/diffusion/retirer", format!("reference={reference}")).await;
        assert_eq!(withdrawn.status, StatusCode::OK, "{}: {}", db.label, withdrawn.body);
        assert!(
            store.publication(&slug).await.expect("publication").is_none(),
            "{}",
            db.label
        );
        let search = call(
            &app,
            "GET",
            "/api/catalogue/recherche?texte=tri+automatique",
            "",
            None,
            false,
        )
        .await;
        assert!(!search.body.contains(&slug), "{}", db.label);
        let again = post("/api/equipe/diffusion/retirer", format!("reference={reference}")).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        let kinds: Vec<String> = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case")
            .events
            .into_iter()
            .map(|e| e.kind.code().to_string())
            .collect();
        for kind in ["cadrage", "condition", "journal", "kit", "publie", "retire"] {
            assert!(kinds.iter().any(|k| k == kind), "{}: {kind} in {kinds:?}", db.label);
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn every_follow_up_endpoint_checks_the_session_and_the_role() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let reference = case_at(&store, "Dossier confidentiel", "conception").await;
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let answers = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case")
            .answers;
        let writes = [
            ("/api/equipe/cadrage/enregistrer", cadrage_body(&reference, 0, &document(&answers))),
            ("/api/equipe/cadrage/valider", validation_body(&reference, 1, "collectivite")),
            (
                "/api/equipe/conception/verifier",
                format!("reference={reference}&condition=x&preuve=y"),
            ),
            (
                "/api/equipe/conception/journal",
                format!("reference={reference}&jour=2027-01-01&nature=test&texte=x"),
            ),
            (
                "/api/equipe/diffusion/enregistrer",
                format!("reference={reference}&revision=0&resume=a&probleme=b&solution=c&documentation=&videos=&supports=&contact=d&agents_mesures=&heures_mesurees="),
            ),
            ("/api/equipe/diffusion/publier", format!("reference={reference}&version=1")),
            ("/api/equipe/diffusion/retirer", format!("reference={reference}")),
        ];
        for (path, body) in &writes {
            let anonymous = call(&app, "POST", path, body, None, false).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{} {path}", db.label);
            assert!(!anonymous.body.contains("confidentiel"), "{} {path}", db.label);
            let read_only = call(&app, "POST", path, body, Some(&reader), false).await;
            assert_eq!(read_only.status, StatusCode::FORBIDDEN, "{} {path}", db.label);
        }
        let follow = store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("follow")
            .expect("case");
        assert!(
            follow.versions.is_empty() && follow.kit.is_none() && follow.log.is_empty(),
            "{}",
            db.label
        );
        assert_eq!(
            store
                .case_detail(&crate::common::system_case(&reference))
                .await
                .expect("detail")
                .expect("case")
                .summary
                .version,
            1,
            "{}: nothing changed",
            db.label
        );

        // Reads: anonymous refused, a reader allowed (read-only pages), unknown cases a French 404.
        for path in [
            "/api/equipe/cadrage",
            "/api/equipe/conception",
            "/api/equipe/diffusion",
            "/api/equipe/diffusion/apercu",
        ] {
            let body = format!("reference={reference}");
            assert_eq!(
                call(&app, "POST", path, &body, None, false).await.status,
                StatusCode::UNAUTHORIZED
            );
            let read = call(&app, "POST", path, &body, Some(&reader), false).await;
            assert_eq!(read.status, StatusCode::OK, "{} {path}: {}", db.label, read.body);
            assert!(read.body.contains("\"can_act\":false"), "{} {path}", db.label);
            let unknown = call(&app, "POST", path, "reference=IAF-1999-9999", Some(&reader), false).await;
            assert!(
                unknown.body.contains("Aucun cas d'usage ne porte la référence"),
                "{} {path}",
                db.label
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_preview_and_the_public_page_show_the_same_gains_when_only_hours_are_measured() {
    use app::model::case::CaseHead;
    use app::model::catalogue::PublicCasePage;
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let (reference, prog) = in_conception(&app, &store, "Réponses aux usagers", db.label).await;
        let post = |path: &'static str, body: String| {
            let app = app.clone();
            let prog = prog.clone();
            async move { call(&app, "POST", path, &body, Some(&prog), false).await }
        };
        let kit = post(
            "/api/equipe/diffusion/enregistrer",
            format!(
                "reference={reference}&revision=0&resume=Des+r%C3%A9ponses+plus+rapides.&probleme=Attente\
                 &solution=Un+assistant&documentation=&videos=&supports=&contact=equipe%40exemple.fr\
                 &agents_mesures=&heures_mesurees=2400"
            ),
        )
        .await;
        assert_eq!(kit.status, StatusCode::OK, "{}: {}", db.label, kit.body);

        let preview = post("/api/equipe/diffusion/apercu", format!("reference={reference}")).await;
        assert_eq!(preview.status, StatusCode::OK, "{}: {}", db.label, preview.body);
        let (head, preview): (CaseHead, PublicCasePage) = serde_json::from_str(&preview.body).expect("preview");
        let published = post(
            "/api/equipe/diffusion/publier",
            format!("reference={reference}&version={}", head.version),
        )
        .await;
        assert_eq!(published.status, StatusCode::OK, "{}: {}", db.label, published.body);
        let slug: String = serde_json::from_str(&published.body).expect("slug");
        let public = call(&app, "GET", &format!("/api/catalogue/cas?slug={slug}"), "", None, false).await;
        assert_eq!(public.status, StatusCode::OK, "{}: {}", db.label, public.body);
        let public: PublicCasePage = serde_json::from_str(&public.body).expect("public page");

        let gains = |page: &PublicCasePage| {
            (
                page.detail.case.gains_measured,
                page.detail.case.agents,
                page.detail.case.hours_saved_per_year,
            )
        };
        assert_eq!(
            gains(&preview),
            gains(&public),
            "{}: preview and public page agree",
            db.label
        );
        assert!(
            public.detail.case.gains_measured,
            "{}: measured hours are measured gains",
            db.label
        );
        assert_eq!(public.detail.case.hours_saved_per_year, 2400, "{}", db.label);
        assert_eq!(
            public.detail.case.agents, public.detail.agents_estimated,
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}
