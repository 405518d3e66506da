//! Every route that takes a case reference refuses a viewer out of its scope, on SQLite and PostgreSQL: each
//! server function with a `reference` field (listed by the router, called with its valid template), each page
//! under `/equipe/cas/:reference` and each axum route under it (`app::routes`), called by a direction
//! régionale attached to no région of the case (for the collectivités' space, an agent of another
//! collectivité). It gets 403 (its role may not act) or the French 404 of an
//! unknown case, never the case; the same calls by the template's own role are not refused as unknown.

use app::domain::auth::Role;
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
        // A direction régionale attached to no région and a prestataire assigned no case: no case is in their
        // scope, and between them every role that a server function of a case admits beyond the team's; for the
        // functions of the collectivités' space, an agent of another collectivité.
        let outsiders = [
            session_of(&store, world.dr2_id).await,
            session_of(&store, world.account("presta2@ville.fr", Role::Prestataire).await).await,
        ];
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
            // The collectivités' space: an agent of another collectivité.
            let outsiders_here = if path.starts_with("/api/collectivite/") {
                vec![crate::hostile_world::outside_agent_session(&store, index as i64).await]
            } else {
                outsiders.to_vec()
            };
            for (who, outsider) in outsiders_here.iter().enumerate() {
                let as_outsider = Template {
                    cookie: Some(outsider.clone()),
                    fields: template.fields.clone(),
                    encoding: template.encoding,
                };
                let address = 1_000 * (who as u32 + 1) + index as u32;
                let refused = send(&world.app, path, &as_outsider, as_outsider.encode(None), false, address)
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
        for (page, outsider) in pages.iter().flat_map(|page| outsiders.iter().map(move |o| (page, o))) {
            let reply = call(&world.app, "GET", page, "", Some(outsider), true).await;
            assert!(
                reply.body.contains(UNKNOWN_CASE) || reply.status == StatusCode::FORBIDDEN,
                "{}: {page} shows the case out of scope ({}): {}",
                db.label,
                reply.status,
                reply.body
            );
            assert!(!reply.body.contains(&format!("{reference} —")), "{}: {page}", db.label);
        }

        for outsider in &outsiders {
            // The message is a valid multipart form, so only the access check can refuse it.
            let message = post_multipart(
                &world.app,
                &url.messages_post(),
                multipart(&[("texte", "Une question.")], &[]),
                Some(outsider),
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
        }
        let downloads = [url.document("piece-inconnue"), url.cadrage_odt(1)];
        assert_eq!(
            downloads.len() + 1,
            app::routes::axum_paths::CASE_ROUTES.len(),
            "every axum route of a case"
        );
        for (path, outsider) in downloads
            .iter()
            .flat_map(|path| outsiders.iter().map(move |o| (path, o)))
        {
            let reply = call(&world.app, "GET", path, "", Some(outsider), false).await;
            assert!(
                matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{}: GET {path} answers {} out of scope: {}",
                db.label,
                reply.status,
                reply.body
            );
        }
        // The collectivités' space: an agent of another collectivité gets the French 404 of an unknown case.
        let outside_agent = crate::hostile_world::outside_agent_session(&store, 900).await;
        let agent_urls = app::routes::ThreadUrls::Agent(reference.clone());
        for page in [
            app::routes::agent_case(&reference),
            app::routes::agent_cadrage(&reference),
        ] {
            let reply = call(&world.app, "GET", &page, "", Some(&outside_agent), true).await;
            assert!(
                reply.body.contains(UNKNOWN_CASE),
                "{}: {page}: {}",
                db.label,
                reply.body
            );
            assert!(
                !reply.body.contains(&format!("Dossier {reference}")),
                "{}: {page}",
                db.label
            );
        }
        let message = post_multipart(
            &world.app,
            &agent_urls.post(),
            multipart(&[("texte", "Une question.")], &[]),
            Some(&outside_agent),
        )
        .await;
        assert_eq!(message.status, StatusCode::NOT_FOUND, "{}: {}", db.label, message.body);
        assert!(message.body.contains(UNKNOWN_CASE), "{}: {}", db.label, message.body);
        let document = call(
            &world.app,
            "GET",
            &agent_urls.document("piece-inconnue"),
            "",
            Some(&outside_agent),
            false,
        )
        .await;
        assert_eq!(
            document.status,
            StatusCode::NOT_FOUND,
            "{}: {}",
            db.label,
            document.body
        );
        db.cleanup().await;
    }
}

/// Every page of the Leptos router is listed in `app::routes::SITE_MAP`, with the same parameters.
#[test]
fn every_page_of_the_router_is_in_the_site_map() {
    let _ = server::state::load_directory();
    let routes = server::http::route_list();
    assert!(routes.len() > 20, "the router lists its pages");
    for route in routes {
        let shown = route
            .path()
            .split('/')
            .map(|segment| match segment.strip_prefix(':') {
                Some(name) => format!("{{{name}}}"),
                None => segment.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let shown = if shown.is_empty() { "/".to_string() } else { shown };
        assert!(
            app::routes::SITE_MAP.iter().any(|(path, _)| *path == shown),
            "{shown} is a page of the router missing from app::routes::SITE_MAP"
        );
    }
}
