//! Every server function, fed random and hostile values (huge strings, control and right-to-left characters,
//! emoji, negative and overflowing numbers, HTML and SQL fragments, missing and extra fields), anonymous and
//! signed in, on SQLite and PostgreSQL: never a 500, nothing stored half-valid, HTML escaped on the way out.
//! Also: no server function that changes state answers GET.

use crate::common;

use app::domain::intake::validate_all;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The server functions that only read, and so may be GET (a shared search link, for instance).
const READ_ONLY_GET: &[&str] = &[
    "/api/catalogue/recherche",
    "/api/catalogue/cas",
    "/api/programme/indicateurs",
    "/api/programme/evolution",
];

#[test]
fn no_state_changing_server_function_answers_get() {
    // Registering the routes registers every server function.
    let _ = server::state::load_directory();
    leptos_axum::generate_route_list(app::app::App);
    let functions: Vec<(&str, axum::http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(functions.len() > 30, "every server function is listed: {functions:?}");
    for (path, method) in functions {
        if method == axum::http::Method::GET {
            assert!(
                READ_ONLY_GET.contains(&path),
                "{path} answers GET: a GET must never change anything (links, prefetch, cross-site images)"
            );
        }
    }
}

const HOSTILE: &[&str] = &[
    "<script>alert('iaf')</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE cases; --",
    "1 OR 1=1",
    "\u{202e}gnp.exe\u{202c}",
    "\u{0}\u{1}\u{7}\u{1b}[31m",
    "🦀🇫🇷👩🏽‍💻",
    "-1",
    "-9223372036854775808",
    "99999999999999999999999999",
    "NaN",
    "",
    " ",
    "../../etc/passwd",
    "%00%0d%0aSet-Cookie:x=y",
    "IAF-2026-0001",
    "cadrage",
    "qualifie",
    "2026-02-30",
    "javascript:alert(1)",
];

const FIELD_NAMES: &[&str] = &[
    "reference",
    "version",
    "vers",
    "raison",
    "destination",
    "retour",
    "token",
    "etape",
    "intention",
    "texte",
    "q",
    "slug",
    "email",
    "mot_de_passe",
    "nom",
    "debut",
    "fin",
    "decision",
    "note_impact",
    "commentaire_impact",
    "notes_entretien",
    "base",
    "champs[objectifs]",
    "champs[agents]",
    "champs[debut]",
    "partie",
    "signataire",
    "numero",
    "de",
    "a",
    "condition",
    "preuve",
    "jour",
    "nature",
    "revision",
    "resume",
    "probleme",
    "solution",
    "documentation",
    "videos",
    "supports",
    "contact",
    "agents_mesures",
    "heures_mesurees",
    "titre",
    "champs",
    "collectivite",
    "contact_email",
    "agents",
    "page",
    "tri",
    "domaine",
];

fn hostile_value(rng: &mut StdRng) -> String {
    match rng.gen_range(0..4) {
        0 => "A".repeat(rng.gen_range(1_000..200_000)),
        1 => (0..rng.gen_range(1..40))
            .map(|_| char::from_u32(rng.gen_range(0..0x11_0000)).unwrap_or('\u{fffd}'))
            .collect(),
        _ => HOSTILE.choose(rng).copied().unwrap_or_default().to_string(),
    }
}

fn hostile_body(rng: &mut StdRng, reference: &str) -> String {
    let count = rng.gen_range(0..12);
    (0..count)
        .map(|_| {
            let name = FIELD_NAMES.choose(rng).copied().unwrap_or("x");
            let value = if name == "reference" && rng.gen_bool(0.5) {
                reference.to_string()
            } else {
                hostile_value(rng)
            };
            format!(
                "{}={}",
                app::domain::text::encode_component(name),
                app::domain::text::encode_component(&value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn hostile_values_never_cause_a_500_nor_half_valid_data() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reference = {
            let mut answers = app::domain::intake::IntakeAnswers::default();
            answers.set("titre", "Cas de référence");
            insert_case(&store, &answers, &lyon_case("Cas de référence"), 0).await
        };
        leptos_axum::generate_route_list(app::app::App);
        let mut paths: Vec<(&str, axum::http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
        paths.sort_by_key(|(path, _)| *path);
        let mut rng = StdRng::seed_from_u64(0x1AF);
        let mut calls = 0;
        for (path, method) in &paths {
            if *path == "/api/equipe/deconnexion" {
                continue; // would end the session the rest of the run uses
            }
            for round in 0..24 {
                let body = hostile_body(&mut rng, &reference);
                let cookie = if round % 3 == 0 { None } else { Some(prog.as_str()) };
                let accept_html = round % 2 == 0;
                let reply = if *method == axum::http::Method::GET {
                    // An address has a length limit of its own: long values go in bodies.
                    let query: String = body.chars().take(4_000).collect();
                    call(&app, "GET", &format!("{path}?{query}"), "", cookie, accept_html).await
                } else {
                    call(&app, "POST", path, &body, cookie, accept_html).await
                };
                calls += 1;
                if reply.status.as_u16() >= 500 && reply.status != StatusCode::SERVICE_UNAVAILABLE {
                    let _ = std::fs::write("/tmp/iaf-hostile-failure.txt", &body);
                }
                assert!(
                    reply.status.as_u16() < 500 || reply.status == StatusCode::SERVICE_UNAVAILABLE,
                    "{}: {path} answered {} to {}: {}",
                    db.label,
                    reply.status,
                    body.chars().take(300).collect::<String>(),
                    reply.body.chars().take(300).collect::<String>()
                );
                assert!(
                    !reply.body.contains("<script>alert"),
                    "{}: {path} echoes raw HTML",
                    db.label
                );
                for leak in [
                    "sqlx",
                    "SQLSTATE",
                    "syntax error",
                    "/work/",
                    "panicked",
                    "constraint failed",
                ] {
                    assert!(
                        !reply.body.contains(leak),
                        "{}: {path} leaks «{leak}»: {}",
                        db.label,
                        reply.body
                    );
                }
            }
        }

        // Nothing stored half-valid: every filed case passes the intake's checks; every cadrage version its own.
        let directory = server::state::load_directory().expect("directory");
        let known = |key: &str| directory.by_key(key).is_some();
        for summary in store.case_summaries().await.expect("cases") {
            if summary.reference == reference {
                continue;
            }
            let detail = store
                .case_detail(&summary.reference)
                .await
                .expect("detail")
                .expect("case");
            assert!(
                validate_all(&detail.answers, &known).is_empty(),
                "{}: {} filed half-valid",
                db.label,
                summary.reference
            );
        }
        let follow = store.project(&reference).await.expect("follow").expect("case");
        for version in &follow.versions {
            assert!(
                app::domain::cadrage::check(&version.document).is_empty(),
                "{}",
                db.label
            );
        }

        // The pages that show what was typed escape it.
        for page in [
            format!("/equipe/cas/{reference}"),
            "/equipe/tableau".to_string(),
            format!("/equipe/cas/{reference}/cadrage"),
        ] {
            let reply = call(&app, "GET", &page, "", Some(&prog), true).await;
            assert!(!reply.body.contains("<script>alert"), "{}: {page}", db.label);
            assert!(!reply.body.contains("<img src=x"), "{}: {page}", db.label);
        }
        assert!(calls > 700, "{}: {calls} calls", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_database_failure_shows_a_generic_french_message() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let mut answers = app::domain::intake::IntakeAnswers::default();
        answers.set("titre", "Cas");
        let reference = insert_case(&store, &answers, &lyon_case("Cas"), 0).await;
        // Break the database under the running app: tables the pages read disappear.
        sqlx::query("DROP TABLE publications_fts")
            .execute(&store.pools.write)
            .await
            .ok();
        for table in [
            "publications",
            "case_scores",
            "case_comments",
            "cadrage_validations",
            "cadrage_versions",
        ] {
            sqlx::query(&format!("DROP TABLE {table}"))
                .execute(&store.pools.write)
                .await
                .ok();
        }
        for (path, body) in [
            ("/api/equipe/cadrage", format!("reference={reference}")),
            ("/api/equipe/dossier", format!("reference={reference}")),
        ] {
            let reply = call(&app, "POST", path, &body, Some(&prog), false).await;
            assert_eq!(
                reply.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{} {path}: {}",
                db.label,
                reply.body
            );
            assert!(
                reply.body.contains("Unavailable"),
                "{} {path}: {}",
                db.label,
                reply.body
            );
            for leak in ["no such table", "does not exist", "sqlx", "SQLSTATE", "publications"] {
                assert!(
                    !reply.body.contains(leak),
                    "{} {path} leaks «{leak}»: {}",
                    db.label,
                    reply.body
                );
            }
        }
        let page = call(&app, "GET", "/catalogue/un-cas", "", None, true).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", db.label);
        assert!(page.body.contains("momentanément indisponible"), "{}", db.label);
        assert!(
            !page.body.contains("no such table") && !page.body.contains("does not exist"),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}
