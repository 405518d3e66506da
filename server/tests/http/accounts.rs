//! Team administration through the real router, with emails delivered to a real SMTP server (aiosmtpd), on
//! SQLite and PostgreSQL: an invitation arrives and its link sets the password once, a forgotten password gets
//! the same answer whether the address exists or not, a disabled member is out at once, a role change takes
//! effect, only administrators administer, and the authentication log records it all.

use std::sync::Arc;

use app::domain::auth::Role;
use app::store::*;
use axum::http::StatusCode;
use axum::Router;
use server::config::Config;
use server::mail::{deliver_due, Mailer};
use server::sql::SqlStore;

use crate::common;
use common::http::*;
use common::smtp::{link_token, read, SmtpServer};

fn mailer(smtp_url: &str) -> Mailer {
    Mailer::from_config(&Config {
        smtp_url: smtp_url.into(),
        sender: "IA Factory <programme@ia-factory.test>".into(),
        ..Config::from_env()
    })
    .expect("mailer")
}

pub(crate) async fn admin(app: &Router, store: &Arc<SqlStore>) -> String {
    let hash = app::server::session::hash_password(PASSWORD).expect("hash");
    store
        .create_account("admin@ville.fr", "Alice Admin", Role::Admin, &hash, 0)
        .await
        .expect("admin");
    sign_in(app, "admin@ville.fr").await
}

/// Chooses `password`, typed twice, from the one-time link `token` of `usage` (`invitation`, `reinitialisation`).
async fn choose(app: &Router, token: &str, usage: &str, password: &str, accept_html: bool) -> Reply {
    let body = form(&[
        ("jeton", token),
        ("usage", usage),
        ("nouveau", password),
        ("confirmation", password),
    ]);
    call(app, "POST", "/api/equipe/lien/mot-de-passe", &body, None, accept_html).await
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", app::domain::text::encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn an_invitation_arrives_by_smtp_and_its_link_sets_the_password_once() {
    let smtp = SmtpServer::start().await;
    let mailer = mailer(&smtp.url());
    for (round, db) in common::both().await.into_iter().enumerate() {
        let (app, store) = setup(&db).await;
        let admin = admin(&app, &store).await;
        let email = format!("camille{round}@ville.fr");
        let invited = call(
            &app,
            "POST",
            "/api/equipe/comptes/inviter",
            &form(&[("email", &email), ("nom", "Camille Martin"), ("role", "programme")]),
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(
            invited.location, "/equipe/comptes?enregistre=invitation",
            "{}: {}",
            db.label, invited.body
        );
        assert_eq!(deliver_due(&store, &mailer).await, Ok(1), "{}", db.label);
        let messages = smtp.wait_for(round + 1).await;
        let received: Vec<_> = messages
            .iter()
            .map(|raw| read(raw))
            .filter(|m| m.to.contains(&email))
            .collect();
        assert_eq!(received.len(), 1, "{}: exactly one invitation", db.label);
        let message = &received[0];
        assert_eq!(
            message.subject, "Votre accès à l'espace équipe de l'IA Factory",
            "{}",
            db.label
        );
        assert!(
            message.text.contains("72 heures") && message.html.contains("72 heures"),
            "{}",
            db.label
        );
        let outbox = server::mail::readable_messages(&store, 10).await.expect("outbox");
        assert_eq!(
            outbox[0].message_id, message.message_id,
            "{}: the Message-ID is the outbox's",
            db.label
        );
        assert!(outbox[0].sent_at.is_some(), "{}", db.label);
        assert_eq!(
            deliver_due(&store, &mailer).await,
            Ok(0),
            "{}: delivered once",
            db.label
        );

        let token = link_token(&message.text, "invitation");
        let page = call(&app, "GET", &format!("/equipe/invitation/{token}"), "", None, true).await;
        assert!(
            page.body.contains("Bonjour Camille Martin"),
            "{}: {}",
            db.label,
            page.body
        );
        let weak = choose(&app, &token, "invitation", "court", false).await;
        assert!(
            weak.body.contains("« Nouveau mot de passe »"),
            "{}: {}",
            db.label,
            weak.body
        );
        let password = "une autre phrase de passe";
        let chosen = choose(&app, &token, "invitation", password, true).await;
        assert!(
            chosen.cookie.is_some(),
            "{}: signed in at once ({})",
            db.label,
            chosen.body
        );
        assert_eq!(chosen.location, "/equipe?enregistre=mot-de-passe", "{}", db.label);
        let again = choose(&app, &token, "invitation", password, false).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{}: a link serves once", db.label);
        let signed = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body(&email, password),
            None,
            true,
        )
        .await;
        assert!(signed.cookie.is_some(), "{}", db.label);
        let twice = call(
            &app,
            "POST",
            "/api/equipe/comptes/inviter",
            &form(&[("email", &email), ("nom", "Camille Martin"), ("role", "programme")]),
            Some(&admin),
            false,
        )
        .await;
        assert!(
            twice.body.contains("a déjà un compte actif"),
            "{}: {}",
            db.label,
            twice.body
        );
        db.cleanup().await;
    }
    smtp.stop().await;
}

#[tokio::test]
async fn a_forgotten_password_gets_the_same_answer_and_a_one_hour_link_for_members_only() {
    let smtp = SmtpServer::start().await;
    let mailer = mailer(&smtp.url());
    for (round, db) in common::both().await.into_iter().enumerate() {
        let (app, store) = setup(&db).await;
        let known = call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe-oublie",
            "email=prog%40ville.fr",
            None,
            true,
        )
        .await;
        let unknown = call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe-oublie",
            "email=personne%40ville.fr",
            None,
            true,
        )
        .await;
        assert_eq!(
            (known.status, &known.location),
            (unknown.status, &unknown.location),
            "{}",
            db.label
        );
        assert_eq!(known.location, "/equipe/mot-de-passe-oublie?envoye=1", "{}", db.label);
        assert_eq!(
            deliver_due(&store, &mailer).await,
            Ok(1),
            "{}: one email, to the member",
            db.label
        );
        let messages = smtp.wait_for(round + 1).await;
        let queued = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        let message = messages
            .iter()
            .map(|raw| read(raw))
            .find(|m| m.message_id == queued.message_id)
            .expect("reset email");
        assert!(
            message.to.contains("prog@ville.fr") && message.subject.contains("nouveau mot de passe"),
            "{}",
            db.label
        );
        assert!(message.text.contains("60 minutes"), "{}", db.label);
        let token = link_token(&message.text, "reinitialisation");
        let password = "ma nouvelle phrase de passe";
        let reset = choose(&app, &token, "reinitialisation", password, true).await;
        assert!(reset.cookie.is_some(), "{}: {}", db.label, reset.body);
        let old = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", PASSWORD),
            None,
            false,
        )
        .await;
        assert!(old.cookie.is_none(), "{}: the old password no longer works", db.label);
        let new = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", password),
            None,
            true,
        )
        .await;
        assert!(new.cookie.is_some(), "{}", db.label);
        db.cleanup().await;
    }
    smtp.stop().await;
}

#[tokio::test]
async fn administrators_disable_and_change_roles_and_the_log_records_it() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let admin = admin(&app, &store).await;
        let programme = sign_in(&app, "prog@ville.fr").await;
        let prog = store
            .account_by_email("prog@ville.fr")
            .await
            .expect("read")
            .expect("account");
        let me = store
            .account_by_email("admin@ville.fr")
            .await
            .expect("read")
            .expect("account");

        for (path, body) in [
            ("/api/equipe/comptes", String::new()),
            ("/api/equipe/comptes/etat", format!("compte={}&actif=false", me.id)),
            ("/api/equipe/journal-connexions", String::new()),
            ("/api/equipe/courriels", String::new()),
        ] {
            assert_eq!(
                call(&app, "POST", path, &body, None, false).await.status,
                StatusCode::UNAUTHORIZED,
                "{} {path}",
                db.label
            );
            assert_eq!(
                call(&app, "POST", path, &body, Some(&programme), false).await.status,
                StatusCode::FORBIDDEN,
                "{} {path}",
                db.label
            );
        }
        let myself = call(
            &app,
            "POST",
            "/api/equipe/comptes/etat",
            &format!("compte={}&actif=false", me.id),
            Some(&admin),
            false,
        )
        .await;
        assert_eq!(
            myself.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {}",
            db.label,
            myself.body
        );

        let demoted = call(
            &app,
            "POST",
            "/api/equipe/comptes/role",
            &format!("compte={}&role=lecture", prog.id),
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(
            demoted.location, "/equipe/comptes?enregistre=role",
            "{}: {}",
            db.label, demoted.body
        );
        let comment = call(
            &app,
            "POST",
            "/api/equipe/commenter",
            "reference=IAF-2026-00001&texte=bonjour",
            Some(&programme),
            false,
        )
        .await;
        assert_eq!(
            comment.status,
            StatusCode::FORBIDDEN,
            "{}: the new role applies at once",
            db.label
        );

        let disabled = call(
            &app,
            "POST",
            "/api/equipe/comptes/etat",
            &format!("compte={}&actif=false", prog.id),
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(
            disabled.location, "/equipe/comptes?enregistre=desactive",
            "{}",
            db.label
        );
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&programme), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "{}: the session ended",
            db.label
        );
        let refused = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", PASSWORD),
            None,
            false,
        )
        .await;
        assert!(refused.cookie.is_none(), "{}", db.label);
        call(
            &app,
            "POST",
            "/api/equipe/comptes/etat",
            &format!("compte={}&actif=true", prog.id),
            Some(&admin),
            true,
        )
        .await;
        let back = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", PASSWORD),
            None,
            true,
        )
        .await;
        assert!(back.cookie.is_some(), "{}: re-enabled", db.label);

        let list = call(&app, "POST", "/api/equipe/comptes", "", Some(&admin), false).await;
        assert!(
            list.body.contains("prog@ville.fr") && list.body.contains("\"role\":\"lecture\""),
            "{}: {}",
            db.label,
            list.body
        );
        let log = call(&app, "POST", "/api/equipe/journal-connexions", "", Some(&admin), false).await;
        for what in [
            "Connexion réussie",
            "Échec de connexion",
            "Rôle changé",
            "Compte désactivé",
            "Compte réactivé",
        ] {
            assert!(log.body.contains(what), "{}: {what} in {}", db.label, log.body);
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_idle_session_ends_and_a_member_can_end_all_their_sessions() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let first = sign_in(&app, "prog@ville.fr").await;
        let second = sign_in(&app, "prog@ville.fr").await;
        let listed = call(&app, "POST", "/api/equipe/sessions", "", Some(&first), false).await;
        let sessions: Vec<app::model::accounts::SessionView> = serde_json::from_str(&listed.body).expect("sessions");
        assert_eq!(sessions.len(), 2, "{}: {}", db.label, listed.body);
        assert_eq!(sessions.iter().filter(|s| s.current).count(), 1, "{}", db.label);

        // The second session unused for three hours: it has ended.
        let token = second.split_once('=').expect("pair").1;
        let hash = app::server::tokens::token_hash(token).expect("hash");
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(app::server::context::now() - 3 * 3_600)
            .bind(&hash)
            .execute(&store.pools.write)
            .await
            .expect("idle");
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&second), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "{}",
            db.label
        );
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&first), false)
                .await
                .status,
            StatusCode::OK,
            "{}",
            db.label
        );
        let purged = store.purge_sessions(app::server::context::now()).await.expect("purge");
        assert_eq!(purged, 1, "{}: the idle one is purged", db.label);

        let closed = call(&app, "POST", "/api/equipe/sessions/fermer", "", Some(&first), true).await;
        assert_eq!(closed.location, "/equipe/connexion?deconnecte=1", "{}", db.label);
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&first), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_member_changes_their_password_and_an_invitation_sent_again_ends_the_first_link() {
    let smtp = SmtpServer::start().await;
    let mailer = mailer(&smtp.url());
    for (round, db) in common::both().await.into_iter().enumerate() {
        let (app, store) = setup(&db).await;
        let admin = admin(&app, &store).await;
        let email = format!("dominique{round}@ville.fr");
        let invite = form(&[("email", &email), ("nom", "Dominique Durand"), ("role", "lecture")]);
        call(&app, "POST", "/api/equipe/comptes/inviter", &invite, Some(&admin), true).await;
        let id = store.account_by_email(&email).await.expect("read").expect("invited").id;
        let again = call(
            &app,
            "POST",
            "/api/equipe/comptes/renvoyer",
            &format!("compte={id}"),
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(
            again.location, "/equipe/comptes?enregistre=renvoi",
            "{}: {}",
            db.label, again.body
        );
        assert_eq!(deliver_due(&store, &mailer).await, Ok(2), "{}", db.label);
        let ids: Vec<String> = server::mail::readable_messages(&store, 2)
            .await
            .expect("outbox")
            .into_iter()
            .map(|m| m.message_id)
            .collect();
        let received: Vec<_> = smtp
            .wait_for(2 * round + 2)
            .await
            .iter()
            .map(|raw| read(raw))
            .filter(|m| ids.contains(&m.message_id))
            .collect();
        assert_eq!(received.len(), 2, "{}", db.label);
        let first = received
            .iter()
            .find(|m| m.message_id == ids[1])
            .expect("first invitation");
        let second = received
            .iter()
            .find(|m| m.message_id == ids[0])
            .expect("second invitation");
        let old = link_token(&first.text, "invitation");
        let new = link_token(&second.text, "invitation");
        let old_page = call(&app, "GET", &format!("/equipe/invitation/{old}"), "", None, true).await;
        assert_eq!(
            old_page.status,
            StatusCode::NOT_FOUND,
            "{}: the first link ended",
            db.label
        );
        let password = "la phrase de dominique";
        let chosen = choose(&app, &new, "invitation", password, true).await;
        let session = session_pair(&chosen.cookie.expect("signed in"));
        let other = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body(&email, password),
            None,
            true,
        )
        .await;
        let other = session_pair(&other.cookie.expect("second session"));

        let wrong = call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe",
            &form(&[
                ("actuel", "pas le bon"),
                ("nouveau", "une toute nouvelle phrase"),
                ("confirmation", "une toute nouvelle phrase"),
            ]),
            Some(&session),
            false,
        )
        .await;
        assert!(
            wrong.body.contains("« Mot de passe actuel »"),
            "{}: {}",
            db.label,
            wrong.body
        );
        let changed = call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe",
            &form(&[
                ("actuel", password),
                ("nouveau", "une toute nouvelle phrase"),
                ("confirmation", "une toute nouvelle phrase"),
            ]),
            Some(&session),
            true,
        )
        .await;
        assert_eq!(
            changed.location, "/equipe/mot-de-passe?enregistre=1",
            "{}: {}",
            db.label, changed.body
        );
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&session), false)
                .await
                .status,
            StatusCode::OK,
            "{}: this session stays",
            db.label
        );
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&other), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "{}: the others end",
            db.label
        );
        let signed = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body(&email, "une toute nouvelle phrase"),
            None,
            true,
        )
        .await;
        assert!(signed.cookie.is_some(), "{}", db.label);
        db.cleanup().await;
    }
    smtp.stop().await;
}
