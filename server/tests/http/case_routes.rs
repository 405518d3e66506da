//! Every route that takes a case reference refuses a viewer out of its scope, on SQLite and PostgreSQL: each
//! server function with a `reference` field (listed by the router, called with its valid template), each page
//! under `/equipe/cas/:reference` and each axum route under it (`app::routes`), called by a direction
//! régionale attached to no région of the case. It gets 403 (its role may not act) or the French 404 of an
//! unknown case, never the case; the same calls by the template's own role are not refused as unknown.

use axum::http::StatusCode;

use crate::common;
use crate::hostile_input::{send, server_functions};
use crate::hostile_templates::Template;
use crate::hostile_world::{session_of, World};
use common::http::*;
use common::upload::{multipart, post_multipart};

const UNKNOWN_CASE: &str = "Aucun cas d'usage ne porte la référence";

#[tokio::test]
async fn every_route_taking_a_case_refuses_a_viewer_out_of_its_scope() {
    for db in common::both().await {
        let (app, store) = setup_with(&db, true).await;
        let mut world = World::new(app.clone(), store.clone()).await;
        // A direction régionale attached to no région: no case is in its scope.
        let outsider = session_of(&store, world.dr2_id).await;
        let mut covered = Vec::new();
        for (index, (path, _)) in server_functions().into_iter().enumerate() {
            let Some(template) = world.template(path).await else {
                continue;
            };
            if !template.fields.iter().any(|(name, _)| name == "reference") {
                continue;
            }
            let own = send(&world.app, path, &template, template.encode(None), false, index as u32)
                .await
                .unwrap_or_else(|error| panic!("{}: {path} panicked: {error}", db.label));
            assert!(
                !own.body.contains(UNKNOWN_CASE),
                "{}: {path} refuses its own template's caller: {}",
                db.label,
                own.body
            );
            let as_outsider = Template {
                cookie: Some(outsider.clone()),
                fields: template.fields.clone(),
                encoding: template.encoding,
            };
            let refused = send(
                &world.app,
                path,
                &as_outsider,
                as_outsider.encode(None),
                false,
                1_000 + index as u32,
            )
            .await
            .unwrap_or_else(|error| panic!("{}: {path} panicked: {error}", db.label));
            match refused.status {
                StatusCode::FORBIDDEN => {}
                StatusCode::NOT_FOUND => assert!(
                    refused.body.contains(UNKNOWN_CASE),
                    "{}: {path} answers 404 without saying the case is unknown: {}",
                    db.label,
                    refused.body
                ),
                other => panic!("{}: {path} answers {other} out of scope: {}", db.label, refused.body),
            }
            covered.push(path);
        }
        assert!(
            covered.len() >= 22,
            "{}: every server function of a case is covered: {covered:?}",
            db.label
        );

        let reference = world.cadrage.clone();
        let url = app::routes::case(&reference);
        let pages = [
            url.page(),
            url.move_page(),
            url.cadrage(),
            url.cadrage_version(1),
            url.cadrage_diff(1, 2),
            url.conception(),
            url.diffusion(),
            url.preview(),
        ];
        assert_eq!(pages.len(), app::routes::CasePage::ALL.len(), "every page of a case");
        for page in pages {
            let reply = call(&world.app, "GET", &page, "", Some(&outsider), true).await;
            assert!(
                reply.body.contains(UNKNOWN_CASE) || reply.status == StatusCode::FORBIDDEN,
                "{}: {page} shows the case out of scope ({}): {}",
                db.label,
                reply.status,
                reply.body
            );
            assert!(!reply.body.contains(&format!("{reference} —")), "{}: {page}", db.label);
        }

        // The message is a valid multipart form, so only the access check can refuse it.
        let message = post_multipart(
            &world.app,
            &url.messages_post(),
            multipart(&[("texte", "Une question.")], &[]),
            Some(&outsider),
        )
        .await;
        assert!(
            matches!(message.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN)
                && message.body.contains(UNKNOWN_CASE),
            "{}: a message is posted out of scope ({}): {}",
            db.label,
            message.status,
            message.body
        );
        let downloads = [url.document("piece-inconnue"), url.cadrage_odt(1)];
        assert_eq!(
            downloads.len() + 1,
            app::routes::axum_paths::CASE_ROUTES.len(),
            "every axum route of a case"
        );
        for path in downloads {
            let reply = call(&world.app, "GET", &path, "", Some(&outsider), false).await;
            assert!(
                matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{}: GET {path} answers {} out of scope: {}",
                db.label,
                reply.status,
                reply.body
            );
        }
        db.cleanup().await;
    }
}
