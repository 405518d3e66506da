//! Object-level access through the real router, on SQLite and PostgreSQL: a direction régionale of Bretagne
//! never reaches a case of Occitanie (pages' data, board, counts, comments, cadrage, conception, diffusion,
//! exports, live stream) and cannot act on any case; a prestataire sees only the cases assigned to it, writes
//! their phase 4 journal and validates their cadrage as the prestataire party, in its own name.

use std::time::Duration;

use app::domain::auth::Role;
use app::domain::intake::IntakeAnswers;
use app::store::intake::NewCase;
use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use server::sql::SqlStore;
use tower::ServiceExt;

use crate::board::{move_body, wait_for_change};
use crate::common;
use common::http::*;

const DAY: i64 = 86_400;

pub(crate) async fn case_in(store: &SqlStore, title: &str, region: &str, filed_at: i64) -> String {
    let mut answers = IntakeAnswers::default();
    answers.set("titre", title);
    let case = NewCase {
        region: region.into(),
        ..lyon_case(title)
    };
    insert_case(store, &answers, &case, filed_at).await
}

pub(crate) async fn member(app: &axum::Router, store: &SqlStore, email: &str, role: Role) -> (i64, String) {
    let hash = app::server::session::hash_password(PASSWORD).expect("hash");
    store
        .create_account(email, "Membre", role, &hash, 0)
        .await
        .expect("account");
    let id = store.account_by_email(email).await.expect("read").expect("account").id;
    (id, sign_in(app, email).await)
}

#[tokio::test]
async fn a_direction_regionale_reaches_only_the_cases_of_its_regions() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        store.listen(&db.url).await.expect("listen");
        let now = app::server::context::now();
        let filed_at = now - 10 * DAY;
        store
            .create_period("Relève", filed_at + DAY, now + DAY, now)
            .await
            .expect("period");
        let bzh = case_in(&store, "Cas de Rennes", "Bretagne", filed_at).await;
        let occ = case_in(&store, "Cas de Toulouse", "Occitanie", filed_at).await;
        let (dr_id, dr) = member(&app, &store, "dr@bretagne.fr", Role::DirectionRegionale).await;
        store
            .set_account_regions(
                dr_id,
                &["Bretagne".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("regions");
        let prog = sign_in(&app, "prog@ville.fr").await;

        for path in ["/api/equipe/cas", "/api/equipe/tableau"] {
            let list = call(&app, "POST", path, "", Some(&dr), false).await;
            assert_eq!(list.status, StatusCode::OK, "{} {path}", db.label);
            assert!(
                list.body.contains(&bzh) && !list.body.contains(&occ),
                "{} {path}: {}",
                db.label,
                list.body
            );
        }
        for path in [
            "/api/equipe/dossier",
            "/api/equipe/cadrage",
            "/api/equipe/conception",
            "/api/equipe/diffusion",
            "/api/equipe/diffusion/apercu",
        ] {
            let refused = call(&app, "POST", path, &format!("reference={occ}"), Some(&dr), false).await;
            assert_eq!(
                refused.status,
                StatusCode::NOT_FOUND,
                "{} {path}: {}",
                db.label,
                refused.body
            );
            assert!(!refused.body.contains("Toulouse"), "{} {path}", db.label);
            let allowed = call(&app, "POST", path, &format!("reference={bzh}"), Some(&dr), false).await;
            assert_eq!(allowed.status, StatusCode::OK, "{} {path}: {}", db.label, allowed.body);
        }
        let comment = |reference: &str| format!("reference={reference}&texte=Avis+de+la+direction");
        let refused = call(&app, "POST", "/api/equipe/commenter", &comment(&occ), Some(&dr), false).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        let allowed = call(&app, "POST", "/api/equipe/commenter", &comment(&bzh), Some(&dr), true).await;
        assert!(
            allowed.location.contains("enregistre=commentaire"),
            "{}: {}",
            db.label,
            allowed.body
        );
        let move_ = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&bzh, 1, "qualification", "", ""),
            Some(&dr),
            false,
        )
        .await;
        assert_eq!(
            move_.status,
            StatusCode::FORBIDDEN,
            "{}: a direction does not move cases",
            db.label
        );

        for path in ["/equipe/export/cas.csv", "/equipe/export/decisions.csv"] {
            let export = call(&app, "GET", path, "", Some(&dr), false).await;
            assert_eq!(export.status, StatusCode::OK, "{} {path}", db.label);
            assert!(
                export.body.contains(&bzh) && !export.body.contains(&occ),
                "{} {path}: {}",
                db.label,
                export.body
            );
        }

        // The live stream: a move of the Toulouse case is not sent to it, the Rennes one is.
        let stream = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri("/equipe/flux")
                    .header(header::COOKIE, &dr)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(stream.status(), StatusCode::OK, "{}", db.label);
        let mut body = stream.into_body();
        for reference in [&occ, &bzh] {
            let moved = call(
                &app,
                "POST",
                "/api/equipe/deplacer",
                &move_body(reference, 1, "qualification", "", ""),
                Some(&prog),
                false,
            )
            .await;
            assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        }
        let seen = wait_for_change(&mut body, &bzh).await;
        assert!(!seen.contains(&occ), "{}: the stream leaked {occ}: {seen}", db.label);
        // Nothing else arrives: the Toulouse change was dropped, not delayed.
        let more = tokio::time::timeout(Duration::from_millis(300), body.frame()).await;
        if let Ok(Some(Ok(frame))) = more {
            let text = frame
                .into_data()
                .map(|d| String::from_utf8_lossy(&d).into_owned())
                .unwrap_or_default();
            assert!(!text.contains(&occ), "{}: {text}", db.label);
        }
        drop(body);

        // A cadrage version of each, exported as OpenDocument: only the Rennes one reaches the direction.
        for reference in [&occ, &bzh] {
            sqlx::query("UPDATE cases SET stage = 'cadrage' WHERE reference = $1")
                .bind(reference)
                .execute(&store.pools.write)
                .await
                .expect("stage");
            let answers = store
                .case_detail(&crate::common::system_case(reference))
                .await
                .expect("detail")
                .expect("case")
                .answers;
            let saved = call(
                &app,
                "POST",
                "/api/equipe/cadrage/enregistrer",
                &cadrage_body(reference, 0, &complete_cadrage(&answers)),
                Some(&prog),
                false,
            )
            .await;
            assert_eq!(saved.status, StatusCode::OK, "{}: {}", db.label, saved.body);
        }
        let odt = |reference: &str| format!("/equipe/cas/{reference}/cadrage/1/document.odt");
        assert_eq!(
            call(&app, "GET", &odt(&occ), "", Some(&dr), false).await.status,
            StatusCode::NOT_FOUND,
            "{}",
            db.label
        );
        assert_eq!(
            call(&app, "GET", &odt(&bzh), "", Some(&dr), false).await.status,
            StatusCode::OK,
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_prestataire_sees_its_assigned_cases_writes_their_journal_and_validates_as_prestataire() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let now = app::server::context::now();
        let assigned = case_in(&store, "Cas confié", "Occitanie", now - DAY).await;
        let other = case_in(&store, "Cas d'un autre", "Occitanie", now - DAY).await;
        let (presta_id, presta) = member(&app, &store, "presta@mistral.fr", Role::Prestataire).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reader = sign_in(&app, "lecture@ville.fr").await;

        // Assigning is the programme team's: not a reader's, not a non-prestataire account.
        let body = format!("reference={assigned}&compte={presta_id}");
        assert_eq!(
            call(&app, "POST", "/api/equipe/assigner", &body, Some(&reader), false)
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{}",
            db.label
        );
        let prog_id = store
            .account_by_email("prog@ville.fr")
            .await
            .expect("read")
            .expect("prog")
            .id;
        let wrong = call(
            &app,
            "POST",
            "/api/equipe/assigner",
            &format!("reference={assigned}&compte={prog_id}"),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {}",
            db.label,
            wrong.body
        );
        let done = call(&app, "POST", "/api/equipe/assigner", &body, Some(&prog), true).await;
        assert!(
            done.location.contains("enregistre=prestataire"),
            "{}: {}",
            db.label,
            done.body
        );

        let list = call(&app, "POST", "/api/equipe/cas", "", Some(&presta), false).await;
        assert!(
            list.body.contains(&assigned) && !list.body.contains(&other),
            "{}: {}",
            db.label,
            list.body
        );
        let refused = call(
            &app,
            "POST",
            "/api/equipe/dossier",
            &format!("reference={other}"),
            Some(&presta),
            false,
        )
        .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        let page = call(
            &app,
            "POST",
            "/api/equipe/dossier",
            &format!("reference={assigned}"),
            Some(&presta),
            false,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}: {}", db.label, page.body);

        let log = |reference: &str| {
            format!("reference={reference}&jour=2026-11-30&nature=iteration&texte=Choix+du+mod%C3%A8le")
        };
        let refused = call(
            &app,
            "POST",
            "/api/equipe/conception/journal",
            &log(&other),
            Some(&presta),
            false,
        )
        .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        let written = call(
            &app,
            "POST",
            "/api/equipe/conception/journal",
            &log(&assigned),
            Some(&presta),
            false,
        )
        .await;
        assert_eq!(written.status, StatusCode::OK, "{}: {}", db.label, written.body);

        // The cadrage: written by the team, validated by the prestataire for its own party only.
        let answers = store
            .case_detail(&crate::common::system_case(&assigned))
            .await
            .expect("detail")
            .expect("case")
            .answers;
        sqlx::query("UPDATE cases SET stage = 'cadrage' WHERE reference = $1")
            .bind(&assigned)
            .execute(&store.pools.write)
            .await
            .expect("stage");
        let saved = call(
            &app,
            "POST",
            "/api/equipe/cadrage/enregistrer",
            &cadrage_body(&assigned, 0, &complete_cadrage(&answers)),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}: {}", db.label, saved.body);
        let as_collectivite = format!("reference={assigned}&version=1&partie=collectivite&signataire=Moi");
        assert_eq!(
            call(
                &app,
                "POST",
                "/api/equipe/cadrage/valider",
                &as_collectivite,
                Some(&presta),
                false
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{}",
            db.label
        );
        let own = format!("reference={assigned}&version=1&partie=prestataire&signataire=Quelqu%27un+d%27autre");
        let validated = call(&app, "POST", "/api/equipe/cadrage/valider", &own, Some(&presta), false).await;
        assert_eq!(validated.status, StatusCode::OK, "{}: {}", db.label, validated.body);
        let project = store
            .project(&crate::common::system_case(&assigned))
            .await
            .expect("project")
            .expect("case");
        assert_eq!(project.validations.len(), 1, "{}", db.label);
        assert_eq!(
            project.validations[0].signatory, "Membre",
            "{}: in its own name",
            db.label
        );
        let kit = call(
            &app,
            "POST",
            "/api/equipe/diffusion/publier",
            &format!("reference={assigned}&version=1"),
            Some(&presta),
            false,
        )
        .await;
        assert_eq!(
            kit.status,
            StatusCode::FORBIDDEN,
            "{}: publishing stays the team's",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_team_asks_a_direction_regionale_for_an_avis_which_it_gives_and_the_board_counts() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let now = app::server::context::now();
        let reference = case_in(&store, "Cas à qualifier", "Bretagne", now - DAY).await;
        sqlx::query("UPDATE cases SET stage = 'qualification' WHERE reference = $1")
            .bind(&reference)
            .execute(&store.pools.write)
            .await
            .expect("stage");
        let (dr_id, dr) = member(&app, &store, "dr@bretagne.fr", Role::DirectionRegionale).await;
        store
            .set_account_regions(
                dr_id,
                &["Bretagne".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("regions");
        let (other_id, other) = member(&app, &store, "dr@occitanie.fr", Role::DirectionRegionale).await;
        store
            .set_account_regions(
                other_id,
                &["Occitanie".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("regions");
        let prog = sign_in(&app, "prog@ville.fr").await;

        let wrong = call(
            &app,
            "POST",
            "/api/equipe/avis/demander",
            &format!("reference={reference}&compte={other_id}"),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: not a direction of the case's région",
            db.label
        );
        let by_dr = call(
            &app,
            "POST",
            "/api/equipe/avis/demander",
            &format!("reference={reference}&compte={dr_id}"),
            Some(&dr),
            false,
        )
        .await;
        assert_eq!(
            by_dr.status,
            StatusCode::FORBIDDEN,
            "{}: asking is the team's",
            db.label
        );
        let asked = call(
            &app,
            "POST",
            "/api/equipe/avis/demander",
            &format!("reference={reference}&compte={dr_id}"),
            Some(&prog),
            true,
        )
        .await;
        assert!(
            asked.location.contains("enregistre=avis-demande"),
            "{}: {}",
            db.label,
            asked.body
        );
        let email = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        assert_eq!(email.recipient, "dr@bretagne.fr", "{}", db.label);
        assert!(
            email.subject.contains(&reference) && email.text_body.contains("#avis"),
            "{}: {email:?}",
            db.label
        );
        let board = call(&app, "POST", "/api/equipe/tableau", "", Some(&prog), false).await;
        assert!(
            board.body.contains("\"avis\":\"avis 0/1\""),
            "{}: {}",
            db.label,
            board.body
        );

        let form = |opinion: &str| format!("reference={reference}&avis={opinion}&texte=Projet+port%C3%A9+par+la+DGS.");
        let not_asked = call(
            &app,
            "POST",
            "/api/equipe/avis/donner",
            &form("favorable"),
            Some(&other),
            false,
        )
        .await;
        assert_eq!(
            not_asked.status,
            StatusCode::NOT_FOUND,
            "{}: another région does not even see it",
            db.label
        );
        let bad = call(
            &app,
            "POST",
            "/api/equipe/avis/donner",
            &form("peut-etre"),
            Some(&dr),
            false,
        )
        .await;
        assert!(bad.body.contains("« Avis »"), "{}: {}", db.label, bad.body);
        let given = call(
            &app,
            "POST",
            "/api/equipe/avis/donner",
            &form("reserve"),
            Some(&dr),
            true,
        )
        .await;
        assert!(
            given.location.contains("enregistre=avis"),
            "{}: {}",
            db.label,
            given.body
        );
        let twice = call(
            &app,
            "POST",
            "/api/equipe/avis/donner",
            &form("favorable"),
            Some(&dr),
            false,
        )
        .await;
        assert!(
            twice.body.contains("Aucun avis ne vous est demandé"),
            "{}: {}",
            db.label,
            twice.body
        );

        let page = call(
            &app,
            "POST",
            "/api/equipe/dossier",
            &format!("reference={reference}"),
            Some(&prog),
            false,
        )
        .await;
        let detail: app::model::case::CaseDetailView = serde_json::from_str(&page.body).expect("detail");
        assert_eq!(detail.avis.len(), 1, "{}", db.label);
        assert_eq!(
            detail.avis[0].opinion,
            Some(app::domain::avis::Opinion::Reserved),
            "{}",
            db.label
        );
        assert_eq!(detail.avis[0].text, "Projet porté par la DGS.", "{}", db.label);
        let board = call(&app, "POST", "/api/equipe/tableau", "", Some(&prog), false).await;
        assert!(
            board.body.contains("\"avis\":\"avis 1/1\""),
            "{}: {}",
            db.label,
            board.body
        );
        db.cleanup().await;
    }
}
