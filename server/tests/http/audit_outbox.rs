//! Audit finding 4 (issue 26): the outbox keeps no private link in clear. A reset email's body is stored with a
//! placeholder, its link sealed with `IAF_CLE_COURRIELS`; the administrators' view shows it masked; the link is
//! put back only in the delivered message, and wiped from the database once delivered.

use axum::http::StatusCode;
use server::config::Config;
use server::mail::{deliver_due, Mailer};
use sqlx::Row;

use crate::common;
use common::http::*;
use common::smtp::{link_token, read, SmtpServer};

#[tokio::test]
async fn outbox_keeps_private_links_sealed_and_wipes_them_after_delivery() {
    let smtp = SmtpServer::start().await;
    for (round, db) in common::both().await.into_iter().enumerate() {
        let (app, store) = setup(&db).await;
        let admin = crate::accounts::admin(&app, &store).await;
        let asked = call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe-oublie",
            "email=prog%40ville.fr",
            None,
            true,
        )
        .await;
        assert_eq!(asked.location, "/equipe/mot-de-passe-oublie?envoye=1", "{}", db.label);

        let readable = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        let token = link_token(&readable.text_body, "reinitialisation");
        assert_eq!(token.len(), 64, "{}: {}", db.label, readable.text_body);
        let row = sqlx::query("SELECT text_body, html_body, sealed_links FROM outbox WHERE id = $1")
            .bind(readable.id)
            .fetch_one(&store.pools.read)
            .await
            .expect("row");
        let text: String = row.get("text_body");
        let html: String = row.get("html_body");
        let sealed: Option<String> = row.get("sealed_links");
        let sealed = sealed.expect("the link sealed until delivery");
        for stored in [&text, &html, &sealed] {
            assert!(
                !stored.contains(&token),
                "{}: a link in clear at rest: {stored}",
                db.label
            );
            assert!(!stored.contains("/equipe/reinitialisation/"), "{}: {stored}", db.label);
        }
        assert!(
            text.contains("[lien masqué n°1]") && html.contains("[lien masqué n°1]"),
            "{}",
            db.label
        );

        let view = call(&app, "POST", "/api/equipe/courriels", "", Some(&admin), false).await;
        assert_eq!(view.status, StatusCode::OK, "{}: {}", db.label, view.body);
        assert!(view.body.contains("lien masqué"), "{}: {}", db.label, view.body);
        assert!(
            !view.body.contains(&token),
            "{}: the administrators' view shows the link",
            db.label
        );

        let mailer = Mailer::from_config(&Config {
            smtp_url: smtp.url(),
            ..Config::from_env()
        })
        .expect("mailer");
        assert_eq!(deliver_due(&store, &mailer).await, Ok(1), "{}", db.label);
        let received = smtp.wait_for(round + 1).await;
        let delivered = received
            .iter()
            .map(|raw| read(raw))
            .find(|m| m.message_id == readable.message_id)
            .expect("the delivered reset");
        assert_eq!(link_token(&delivered.text, "reinitialisation"), token, "{}", db.label);
        assert!(delivered.html.contains(&token), "{}", db.label);
        let wiped: Option<String> = sqlx::query_scalar("SELECT sealed_links FROM outbox WHERE id = $1")
            .bind(readable.id)
            .fetch_one(&store.pools.read)
            .await
            .expect("row");
        assert_eq!(wiped, None, "{}: the sealed link wiped once delivered", db.label);

        // The delivered link works: the new password is accepted.
        let password = "nouvelle-phrase-de-passe-solide";
        let changed = call(
            &app,
            "POST",
            "/api/equipe/lien/mot-de-passe",
            &format!("jeton={token}&usage=reinitialisation&nouveau={password}&confirmation={password}"),
            None,
            true,
        )
        .await;
        assert!(
            changed.status.is_redirection() || changed.status.is_success(),
            "{}: {}",
            db.label,
            changed.body
        );
        let new = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", password),
            None,
            true,
        )
        .await;
        assert!(new.cookie.is_some(), "{}: the delivered link works", db.label);
        db.cleanup().await;
    }
    smtp.stop().await;
}
