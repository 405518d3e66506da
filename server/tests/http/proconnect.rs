//! Signing the team in with ProConnect, against a real OpenID provider configured like it
//! (`common::oidc`), on both databases: the invited member gets in and lands on the page asked; an unknown
//! agent, a replayed or expired `state`, a wrong nonce, a weaker level than required, a userinfo unsigned where a
//! JWT is expected, an ID token or a signed userinfo rewritten in transit are refused in French with nothing
//! created; an address elsewhere in `retour` is ignored. Passwords turned off for a role by an administrator
//! leave ProConnect and the break-glass administrator; a forgotten password of such a role is answered with the
//! way in, not a link.

use app::domain::auth::Role;
use app::domain::proconnect::Acr;
use app::store::AccountStore;
use axum::http::StatusCode;
use axum::Router;

use crate::common;
use crate::common::oidc::{Browser, Provider, Tamper};
use common::http::*;

/// The team member of the provider's accounts, invited here (no password yet).
const MEMBER: &str = "programme@demo.ia-factory.fr";

/// Starts a sign-in asking `retour`; the provider's authorization address.
async fn start(app: &Router, retour: &str) -> String {
    let retour = app::domain::text::encode_component(retour);
    crate::common::oidc::start_at(app, &format!("retour={retour}")).await
}

/// The whole flow for `email`: the service's answer to ProConnect's return.
async fn sign_in_as(app: &Router, email: &str, retour: &str) -> Reply {
    let retour = app::domain::text::encode_component(retour);
    crate::common::oidc::sign_in_at(app, email, &format!("retour={retour}")).await
}

async fn invite(store: &server::sql::SqlStore, email: &str) {
    assert!(store
        .create_account(email, "Élise Moreau", Role::Programme, "", 0)
        .await
        .expect("account"));
}

#[tokio::test]
async fn an_invited_member_signs_in_with_proconnect_and_lands_on_the_page_asked() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        invite(&store, MEMBER).await;
        let reply = sign_in_as(&app, MEMBER, "/equipe/tableau?vue=table").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        assert_eq!(reply.location, "/equipe/tableau?vue=table", "{}", db.label);
        let cookie = session_pair(&reply.cookie.expect("session cookie"));
        let home = call(&app, "GET", "/equipe", "", Some(&cookie), true).await;
        assert_eq!(home.status, StatusCode::OK, "{}", db.label);
        assert!(home.body.contains("Élise Moreau"), "{}", db.label);
        // Linked once, then found by (issuer, subject); the log says how.
        let again = sign_in_as(&app, MEMBER, "/equipe").await;
        assert_eq!(again.location, "/equipe", "{}", db.label);
        let log = store.auth_log(20).await.expect("log");
        let linked = log
            .iter()
            .filter(|e| e.kind == app::domain::accounts::AuthEvent::ProConnectLinked)
            .count();
        assert_eq!(linked, 1, "{}", db.label);
        assert!(
            log.iter().any(|e| e.detail.starts_with("ProConnect, eidas1")),
            "{}: {log:?}",
            db.label
        );
        // Signing out ends the session here first, then sends the browser to ProConnect's logout.
        let out = call(&app, "POST", "/api/equipe/deconnexion", "", Some(&cookie), true).await;
        crate::common::oidc::assert_logout_at(&provider, &out.location, app::routes::SIGN_IN, db.label);
        let after = call(&app, "GET", "/equipe", "", Some(&cookie), true).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", db.label);
        // Elsewhere is never a return address.
        let elsewhere = sign_in_as(&app, MEMBER, "https://ailleurs.example/equipe").await;
        assert_eq!(elsewhere.location, "/equipe", "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn an_agent_without_an_account_is_refused_in_french_and_nothing_is_created() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let before = store.accounts().await.expect("accounts").len();
        let reply = sign_in_as(&app, "julien.bernard@saint-etienne.fr", "/equipe").await;
        assert_eq!(reply.location, "/equipe/connexion?proconnect=inconnu", "{}", db.label);
        assert!(reply.cookie.is_none(), "{}", db.label);
        assert_eq!(store.accounts().await.expect("accounts").len(), before, "{}", db.label);
        let page = call(&app, "GET", &reply.location, "", None, true).await;
        assert!(
            page.body
                .replace("&#x27;", "'")
                .contains("demandez à un administrateur de l'IA Factory de vous inviter"),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn a_replayed_expired_or_tampered_state_and_a_wrong_nonce_are_refused() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        invite(&store, MEMBER).await;
        let authorize = start(&app, "/equipe").await;
        let back = Browser::default().sign_in(&authorize, MEMBER).await;
        assert!(
            call(&app, "GET", &back, "", None, true).await.cookie.is_some(),
            "{}",
            db.label
        );
        // The same answer a second time: its `state` was used.
        let replayed = call(&app, "GET", &back, "", None, true).await;
        assert_eq!(replayed.location, "/equipe/connexion?proconnect=expire", "{}", db.label);
        assert!(replayed.cookie.is_none(), "{}", db.label);
        // A `state` older than 10 minutes.
        let authorize = start(&app, "/equipe").await;
        db.execute("UPDATE proconnect_requests SET created_at = created_at - 601")
            .await;
        let back = Browser::default().sign_in(&authorize, MEMBER).await;
        let expired = call(&app, "GET", &back, "", None, true).await;
        assert_eq!(expired.location, "/equipe/connexion?proconnect=expire", "{}", db.label);
        // An unknown `state`.
        let forged = back.replace("state=", "state=0");
        let forged = call(&app, "GET", &forged, "", None, true).await;
        assert_eq!(forged.location, "/equipe/connexion?proconnect=expire", "{}", db.label);
        // The nonce of the ID token is not the one this sign-in sent.
        let authorize = start(&app, "/equipe").await;
        db.execute("UPDATE proconnect_requests SET nonce = 'un-autre-nonce-de-plus-de-32-caracteres'")
            .await;
        let back = Browser::default().sign_in(&authorize, MEMBER).await;
        let wrong = call(&app, "GET", &back, "", None, true).await;
        assert_eq!(
            wrong.location, "/equipe/connexion?proconnect=fournisseur",
            "{}",
            db.label
        );
        assert!(wrong.cookie.is_none(), "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn a_level_weaker_than_required_is_refused_whether_the_provider_refuses_or_downgrades() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1Mfa, false)).await;
        // Julien reaches eidas1 only and the provider refuses; Nadia's provider returns eidas1 anyway.
        for email in ["julien.bernard@saint-etienne.fr", "nadia.benali@saint-etienne.fr"] {
            invite(&store, email).await;
            let reply = sign_in_as(&app, email, "/equipe").await;
            assert_eq!(
                reply.location, "/equipe/connexion?proconnect=niveau",
                "{}: {email}",
                db.label
            );
            assert!(reply.cookie.is_none(), "{}", db.label);
        }
        // Camille reaches eidas1-mfa.
        invite(&store, "camille.martin@saint-etienne.fr").await;
        let reply = sign_in_as(&app, "camille.martin@saint-etienne.fr", "/equipe").await;
        assert!(reply.cookie.is_some(), "{}: {}", db.label, reply.location);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn userinfo_is_read_as_json_when_so_registered_and_refused_unsigned_when_a_jwt_is_expected() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, true)).await;
        invite(&store, MEMBER).await;
        let reply = sign_in_as(&app, MEMBER, "/equipe").await;
        assert!(reply.cookie.is_some(), "{}: {}", db.label, reply.location);
        // The JSON client, but the service expects a signed JWT.
        let mut config = provider.config(Acr::Eidas1, true);
        config.userinfo_jwt = true;
        let (app, _) = setup_proconnect_again(&db, config).await;
        let reply = sign_in_as(&app, MEMBER, "/equipe").await;
        assert_eq!(
            reply.location, "/equipe/connexion?proconnect=fournisseur",
            "{}",
            db.label
        );
        db.cleanup().await;
    }
    provider.stop().await;
}

/// Sessions and identities linked, of the team and of the collectivités' agents.
async fn signed_in_anyone(db: &common::TestDb) -> i64 {
    let count = |table: &str| format!("SELECT COUNT(*) FROM {table}");
    let mut total = 0;
    for table in ["sessions", "account_identities", "agents", "agent_sessions"] {
        let n: i64 = sqlx::query_scalar(&count(table))
            .fetch_one(&db.pools.read)
            .await
            .expect("count");
        total += n;
    }
    total
}

#[tokio::test]
async fn an_id_token_or_a_signed_userinfo_rewritten_in_transit_is_refused_and_nothing_is_created() {
    // Nadia reaches eidas1 only and her provider answers eidas1 where MFA is required: on the wire, her ID token
    // is made to say eidas1-mfa. Camille, who reaches eidas1-mfa, goes through the same proxy untouched.
    let provider = Provider::start_tampering(Tamper::IdTokenAcr("eidas1-mfa")).await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1Mfa, false)).await;
        invite(&store, "nadia.benali@saint-etienne.fr").await;
        let reply = sign_in_as(&app, "nadia.benali@saint-etienne.fr", "/equipe").await;
        assert_eq!(
            reply.location, "/equipe/connexion?proconnect=fournisseur",
            "{}",
            db.label
        );
        assert!(reply.cookie.is_none(), "{}", db.label);
        assert_eq!(signed_in_anyone(&db).await, 0, "{}", db.label);
        invite(&store, "camille.martin@saint-etienne.fr").await;
        let reply = sign_in_as(&app, "camille.martin@saint-etienne.fr", "/equipe").await;
        assert!(
            reply.cookie.is_some(),
            "{}: the proxy alone lets a sign-in through",
            db.label
        );
        db.cleanup().await;
    }
    provider.stop().await;
    // Julien has no account: on the wire, his signed userinfo is made to carry the invited member's address,
    // for the team and for the collectivité's space alike.
    let provider = Provider::start_tampering(Tamper::UserinfoEmail(MEMBER)).await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        invite(&store, MEMBER).await;
        let reply = sign_in_as(&app, "julien.bernard@saint-etienne.fr", "/equipe").await;
        assert_eq!(
            reply.location, "/equipe/connexion?proconnect=fournisseur",
            "{}",
            db.label
        );
        let query = "espace=collectivite&retour=%2Fcollectivite";
        let reply = crate::common::oidc::sign_in_at(&app, "julien.bernard@saint-etienne.fr", query).await;
        assert!(
            reply.location.starts_with(app::routes::AGENT_SIGN_IN) && reply.location.contains("proconnect=fournisseur"),
            "{}: {}",
            db.label,
            reply.location
        );
        assert!(reply.cookie.is_none(), "{}", db.label);
        assert_eq!(signed_in_anyone(&db).await, 0, "{}", db.label);
        // The member's own userinfo already carries that address: untouched, it lets them in.
        let reply = sign_in_as(&app, MEMBER, "/equipe").await;
        assert!(reply.cookie.is_some(), "{}: {}", db.label, reply.location);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn without_proconnect_the_sign_in_page_has_no_button_and_the_route_answers_404() {
    for db in common::both().await {
        let (app, _) = setup(&db).await;
        let page = call(&app, "GET", app::routes::SIGN_IN, "", None, true).await;
        assert!(!page.body.contains("ProConnect"), "{}", db.label);
        let start = call(&app, "GET", app::routes::PROCONNECT_START, "", None, true).await;
        assert_eq!(start.status, StatusCode::NOT_FOUND, "{}", db.label);
        db.cleanup().await;
    }
}

const POLICY: &str = "/api/equipe/comptes/mots-de-passe/regler";
const BREAK_GLASS: &str = "/api/equipe/comptes/secours";

#[tokio::test]
async fn passwords_turned_off_for_a_role_leave_proconnect_and_the_break_glass_admin() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        for (email, name) in [("admin@ville.fr", "Alice Admin"), ("admin2@ville.fr", "Bruno Admin")] {
            assert!(store
                .create_account(email, name, Role::Admin, &hash, 0)
                .await
                .expect("admin"));
        }
        invite(&store, MEMBER).await;
        let id_of = |email: &'static str| {
            let store = store.clone();
            async move { store.account_by_email(email).await.expect("read").expect("account").id }
        };
        let alice = session_pair(&with_password(&app, "admin@ville.fr").await.cookie.expect("Alice"));
        let prog = session_pair(&with_password(&app, "prog@ville.fr").await.cookie.expect("prog"));

        // Only administrators decide; the administrators' passwords go off only once a break-glass admin is named.
        let refused = call(
            &app,
            "POST",
            POLICY,
            "role=programme&choix=desactiver",
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", db.label);
        let no_break_glass = call(&app, "POST", POLICY, "role=admin&choix=desactiver", Some(&alice), false).await;
        assert_eq!(no_break_glass.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            no_break_glass.body.contains("administrateur de secours"),
            "{}",
            db.label
        );

        // Programme: ProConnect only. The right password is refused in French, nothing opened; ProConnect works.
        let off = call(
            &app,
            "POST",
            POLICY,
            "role=programme&choix=desactiver",
            Some(&alice),
            true,
        )
        .await;
        assert_eq!(
            off.location, "/equipe/comptes?enregistre=mots-de-passe#mots-de-passe",
            "{}",
            db.label
        );
        assert!(
            with_password(&app, "prog@ville.fr").await.cookie.is_none(),
            "{}",
            db.label
        );
        let closed = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", PASSWORD),
            None,
            false,
        )
        .await;
        assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            closed.body.contains("désactivée pour les comptes « Équipe programme »"),
            "{}: {}",
            db.label,
            closed.body
        );
        let by_proconnect = sign_in_as(&app, MEMBER, "/equipe").await;
        assert!(by_proconnect.cookie.is_some(), "{}: {}", db.label, by_proconnect.body);
        // A forgotten password of that role gets the way in, not a link that would not open the space.
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
        let told = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        assert_eq!(
            (told.recipient.as_str(), told.subject.as_str()),
            ("prog@ville.fr", "Connexion à l'IA Factory : utilisez ProConnect"),
            "{}",
            db.label
        );
        assert!(
            told.text_body.contains("/equipe/connexion") && !told.text_body.contains("reinitialisation"),
            "{}: {}",
            db.label,
            told.text_body
        );
        assert!(
            with_password(&app, "lecture@ville.fr").await.cookie.is_some(),
            "{}",
            db.label
        );

        // A break-glass admin is an active admin with a password; then the admins' passwords may go off too.
        let lecture = format!("compte={}", id_of("lecture@ville.fr").await);
        let not_admin = call(&app, "POST", BREAK_GLASS, &lecture, Some(&alice), false).await;
        assert_eq!(not_admin.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        let named = format!("compte={}", id_of("admin@ville.fr").await);
        let named = call(&app, "POST", BREAK_GLASS, &named, Some(&alice), true).await;
        assert_eq!(
            named.location, "/equipe/comptes?enregistre=secours#mots-de-passe",
            "{}",
            db.label
        );
        let admins_off = call(&app, "POST", POLICY, "role=admin&choix=desactiver", Some(&alice), true).await;
        assert!(admins_off.location.contains("enregistre=mots-de-passe"), "{}", db.label);
        assert!(
            with_password(&app, "admin@ville.fr").await.cookie.is_some(),
            "{}: break-glass",
            db.label
        );
        assert!(
            with_password(&app, "admin2@ville.fr").await.cookie.is_none(),
            "{}",
            db.label
        );
        let policy = call(
            &app,
            "POST",
            "/api/equipe/comptes/mots-de-passe",
            "",
            Some(&alice),
            false,
        )
        .await;
        assert!(
            policy.body.contains("\"break_glass\":\"Alice Admin (admin@ville.fr)\""),
            "{}: {}",
            db.label,
            policy.body
        );

        // Back on for the programme; the log keeps every decision.
        call(
            &app,
            "POST",
            POLICY,
            "role=programme&choix=autoriser",
            Some(&alice),
            true,
        )
        .await;
        assert!(
            with_password(&app, "prog@ville.fr").await.cookie.is_some(),
            "{}",
            db.label
        );
        let log = store.auth_log(50).await.expect("log");
        let decisions = log
            .iter()
            .filter(|e| e.kind == app::domain::accounts::AuthEvent::PasswordPolicy)
            .count();
        assert_eq!(decisions, 4, "{}: {log:?}", db.label);
        assert!(
            log.iter().any(|e| e.detail == "mot de passe désactivé pour ce rôle"),
            "{}",
            db.label
        );

        // Without ProConnect on the service, no role loses its password.
        let files = std::sync::Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let plain = app_on(&db, files);
        let alone = call(
            &plain,
            "POST",
            POLICY,
            "role=lecture&choix=desactiver",
            Some(&alice),
            false,
        )
        .await;
        assert_eq!(alone.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(alone.body.contains("Configurez d'abord ProConnect"), "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}
