//! Publishing in the catalogue on SQLite and PostgreSQL: the case's stage and version are checked in the
//! publishing transaction (a publication from a stale page is refused with a conflict naming the remedy), and
//! open boards are told the case's new version, so their next move is not refused.

use crate::common;

use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::*;
use tower::ServiceExt;

use crate::board::{move_body, version_of, wait_for_change};
use crate::project::in_conception;

/// The version carried by the last `changement` event of `reference` in `seen`.
fn event_version(seen: &str, reference: &str) -> i64 {
    let data = seen
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .rfind(|data| data.contains(reference))
        .unwrap_or_else(|| panic!("no event for {reference}: {seen}"));
    let change: serde_json::Value = serde_json::from_str(data).expect("event JSON");
    change["version"].as_i64().expect("version")
}

#[tokio::test]
async fn a_stale_publication_is_refused_and_open_boards_get_the_new_version() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        store.listen(&db.url).await.expect("listen");
        let (reference, prog) = in_conception(&app, &store, "Tri des courriers entrants", db.label).await;
        let post = |path: &'static str, body: String| {
            let app = app.clone();
            let prog = prog.clone();
            async move { call(&app, "POST", path, &body, Some(&prog), false).await }
        };
        let kit = post(
            "/api/equipe/diffusion/enregistrer",
            format!(
                "reference={reference}&revision=0&resume=Un+tri+automatique.&probleme=Trop+de+courriers\
                 &solution=Un+assistant&documentation=&videos=&supports=&contact=equipe%40exemple.fr\
                 &agents_mesures=&heures_mesurees="
            ),
        )
        .await;
        assert_eq!(kit.status, StatusCode::OK, "{}: {}", db.label, kit.body);
        let seen_by_page = version_of(&store, &reference).await;

        // Someone changes the case after the preview was read: publishing from that page is refused.
        let changed = post(
            "/api/equipe/diffusion/enregistrer",
            format!(
                "reference={reference}&revision=1&resume=Un+autre+r%C3%A9sum%C3%A9.&probleme=Trop+de+courriers\
                 &solution=Un+assistant&documentation=&videos=&supports=&contact=equipe%40exemple.fr\
                 &agents_mesures=&heures_mesurees="
            ),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}: {}", db.label, changed.body);
        let stale = post(
            "/api/equipe/diffusion/publier",
            format!("reference={reference}&version={seen_by_page}"),
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}: {}", db.label, stale.body);
        assert!(
            stale.body.contains("Rechargez l'aperçu"),
            "{}: {}",
            db.label,
            stale.body
        );
        let project = store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("project")
            .expect("case");
        assert!(project.publication.is_none(), "{}: nothing published", db.label);

        // A board is open when the case is published from an up-to-date page.
        let stream = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri("/equipe/flux")
                    .header(header::COOKIE, &prog)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(stream.status(), StatusCode::OK, "{}", db.label);
        let mut board = stream.into_body();
        let current = version_of(&store, &reference).await;
        let published = post(
            "/api/equipe/diffusion/publier",
            format!("reference={reference}&version={current}"),
        )
        .await;
        assert_eq!(published.status, StatusCode::OK, "{}: {}", db.label, published.body);
        let seen = wait_for_change(&mut board, &reference).await;
        let shown = event_version(&seen, &reference);
        assert_eq!(shown, version_of(&store, &reference).await, "{}: {seen}", db.label);
        assert!(shown > current, "{}", db.label);

        // The board's next move, with the version it was told, goes through.
        let moved = post(
            "/api/equipe/deplacer",
            move_body(&reference, shown, "cadrage", "Livrables à reprendre", ""),
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        drop(board);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_case_moved_back_before_publishing_is_not_published() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let (reference, prog) = in_conception(&app, &store, "Réponses aux usagers", db.label).await;
        let kit = call(
            &app,
            "POST",
            "/api/equipe/diffusion/enregistrer",
            &format!(
                "reference={reference}&revision=0&resume=Des+r%C3%A9ponses.&probleme=Attente\
                 &solution=Un+assistant&documentation=&videos=&supports=&contact=equipe%40exemple.fr\
                 &agents_mesures=&heures_mesurees="
            ),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(kit.status, StatusCode::OK, "{}: {}", db.label, kit.body);
        let seen_by_page = version_of(&store, &reference).await;
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, seen_by_page, "cadrage", "Livrables à reprendre", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        for version in [seen_by_page, version_of(&store, &reference).await] {
            let refused = call(
                &app,
                "POST",
                "/api/equipe/diffusion/publier",
                &format!("reference={reference}&version={version}"),
                Some(&prog),
                false,
            )
            .await;
            assert!(
                refused.status == StatusCode::CONFLICT || refused.status == StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {} {}",
                db.label,
                refused.status,
                refused.body
            );
        }
        let project = store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("project")
            .expect("case");
        assert!(project.publication.is_none(), "{}: nothing published", db.label);
        db.cleanup().await;
    }
}

/// The case page's history says a move's reason once, and a publication as its public page, never as a reason
/// (the demo once showed « Motif : Motif : … » and « Motif : Publié au catalogue public : … »).
#[tokio::test]
async fn the_history_says_each_reason_once_and_a_publication_is_no_reason() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let (reference, prog) = in_conception(&app, &store, "Tri des courriers entrants", db.label).await;
        let kit = format!(
            "reference={reference}&revision=0&resume=Un+tri+automatique.&probleme=Trop+de+courriers\
             &solution=Un+assistant&documentation=&videos=&supports=&contact=equipe%40exemple.fr\
             &agents_mesures=&heures_mesurees="
        );
        let steps = [
            ("/api/equipe/diffusion/enregistrer", kit),
            (
                "/api/equipe/diffusion/publier",
                format!("reference={reference}&version="),
            ),
            ("/api/equipe/deplacer", String::new()),
        ];
        for (path, body) in steps {
            let version = version_of(&store, &reference).await;
            let body = match path {
                "/api/equipe/diffusion/publier" => format!("{body}{version}"),
                "/api/equipe/deplacer" => move_body(&reference, version, "cadrage", "Retour pour ajustement", ""),
                _ => body,
            };
            let reply = call(&app, "POST", path, &body, Some(&prog), false).await;
            assert_eq!(reply.status, StatusCode::OK, "{}: {path}: {}", db.label, reply.body);
        }

        let page = call(
            &app,
            "GET",
            &app::routes::case(&reference).page(),
            "",
            Some(&prog),
            true,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        let history = page
            .body
            .split("id=\"historique\"")
            .nth(1)
            .expect("the history section");
        assert_eq!(
            history.matches("Motif : Retour pour ajustement").count(),
            1,
            "{}: {history}",
            db.label
        );
        assert!(!history.contains("Motif : Motif"), "{}: {history}", db.label);
        assert!(!history.contains("Motif : Publié"), "{}: {history}", db.label);
        assert!(
            history.contains("Page publique : /catalogue/"),
            "{}: {history}",
            db.label
        );
        db.cleanup().await;
    }
}
