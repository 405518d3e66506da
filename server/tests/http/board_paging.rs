//! The board shows each column's first cards (the longest at their stage) and a link to the next ones, on
//! SQLite and PostgreSQL: counts stay exact, the link works without JavaScript, a case just moved stays shown,
//! and the list of cases (the server function without a bound) still has every case.

use crate::board::file_case;
use crate::common;
use crate::hostile_world::{now, DAY};

use axum::http::StatusCode;
use common::http::*;

fn cards(page: &str) -> usize {
    page.matches("class=\"card-item\"").count()
}

#[tokio::test]
async fn a_column_shows_its_first_cards_then_the_next_ones_and_keeps_a_moved_case() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let reader = sign_in(&app, "lecture@ville.fr").await;
        // 25 cases in « Remontée »: case 0 filed yesterday, case 24 25 days ago.
        let mut references = Vec::new();
        for n in 0..25 {
            references.push(file_case(&store, &format!("Cas numéro {n}"), now() - (n + 1) * DAY).await);
        }
        let page = |path: String| {
            let (app, reader) = (app.clone(), reader.clone());
            async move {
                let reply = call(&app, "GET", &path, "", Some(&reader), true).await;
                assert_eq!(reply.status, StatusCode::OK, "{path}");
                reply.body
            }
        };

        let first = page("/equipe/tableau".into()).await;
        assert_eq!(cards(&first), 20, "{}: the first page of the column", db.label);
        assert!(
            first.contains("25 cas d&#x27;usage.") || first.contains("25 cas d'usage."),
            "{}",
            db.label
        );
        assert!(first.contains(">25 cas<"), "{}: the column counts every case", db.label);
        assert!(first.contains(&references[24]) && !first.contains(&format!("id=\"carte-{}\"", references[4])));
        assert!(
            first.contains("20 cas affichés sur 25 (les plus anciens à cette étape d&#x27;abord).")
                || first.contains("20 cas affichés sur 25 (les plus anciens à cette étape d'abord)."),
            "{}",
            db.label
        );
        let link = format!("/equipe/tableau?afficher-remontee=40#carte-{}", references[4]);
        assert!(
            first.contains(&format!("href=\"{link}\"")),
            "{}: the link leads to the 21st card",
            db.label
        );
        assert!(
            first.contains("Afficher les 5 derniers cas (5 non affichés)"),
            "{}",
            db.label
        );

        let more = page("/equipe/tableau?afficher-remontee=40".into()).await;
        assert_eq!(cards(&more), 25, "{}: the next page, without JavaScript", db.label);
        assert!(!more.contains("Afficher les"), "{}: nothing left to show", db.label);

        // Filters keep the links' bound, and the bound keeps the filters.
        let filtered = page("/equipe/tableau?texte=cas&afficher-remontee=20".into()).await;
        assert_eq!(cards(&filtered), 20, "{}", db.label);
        assert!(
            filtered.contains("/equipe/tableau?texte=cas&amp;afficher-remontee=40#carte-"),
            "{}",
            db.label
        );

        // A case just moved (without JavaScript the address names it) stays shown beyond the bound.
        let moved = page(format!("/equipe/tableau?deplace={}&vers=remontee", references[0])).await;
        assert_eq!(cards(&moved), 21, "{}", db.label);
        assert!(
            moved.contains(&format!("id=\"carte-{}\"", references[0])),
            "{}",
            db.label
        );

        // The server function without a bound (the list of cases) has them all.
        let all = call(&app, "POST", "/api/equipe/tableau", "", Some(&reader), false).await;
        assert_eq!(all.body.matches("\"reference\":").count(), 25, "{}", db.label);
        let bounded = call(
            &app,
            "POST",
            "/api/equipe/tableau",
            "afficher%5B0%5D=20",
            Some(&reader),
            false,
        )
        .await;
        assert_eq!(bounded.status, StatusCode::OK, "{}: {}", db.label, bounded.body);
        assert_eq!(bounded.body.matches("\"reference\":").count(), 20, "{}", db.label);
        assert!(bounded.body.contains("\"total\":25"), "{}", db.label);
        db.cleanup().await;
    }
}
