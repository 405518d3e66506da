//! An agent's email notices, against a real OpenID provider configured like ProConnect, on both databases. An
//! agent who chose the daily digest gets no email per notice about their collectivité's cases; once 8 h in Paris
//! has passed (clock injected), one digest lists them with links to the space and no private link, queued once;
//! the case's page in the space and the team's list of emails say the notices went out in the digest. Back to
//! each notice, those still held go out at once. Nobody signed out chooses, and an unknown choice is refused.

use app::domain::notices::{digest_cutoff, Delivery};
use app::domain::proconnect::Acr;
use axum::http::StatusCode;
use axum::Router;
use server::config::Config;
use server::mail::{deliver_due, queue_digests, readable_messages, Mailer};
use server::sql::SqlStore;

use crate::agents::sign_in_as;
use crate::common;
use crate::common::oidc::Provider;
use crate::common::upload::{multipart, post_multipart};
use common::http::*;

const CAMILLE: &str = "camille.martin@saint-etienne.fr";
const CHOOSE: &str = "/api/collectivite/avis";
const ORIGIN: &str = "https://ia.exemple.fr";

/// A case of Saint-Étienne filed through the wizard, whose contact is Camille, then put in the space.
async fn camille_case(app: &Router, store: &SqlStore) -> String {
    let (_, reference) = crate::exchange::file_case(app).await;
    attach_to_space(store, &reference).await;
    reference
}

/// The team writes `text` to the collectivité on the case.
async fn team_writes(app: &Router, team: &str, reference: &str, text: &str) {
    let path = format!("/equipe/cas/{reference}/messages");
    let sent = post_multipart(app, &path, multipart(&[("texte", text)], &[]), Some(team)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

/// The emails to Camille, oldest first, with what became of each.
async fn to_camille(store: &SqlStore) -> Vec<app::store::outbox::OutboxMessage> {
    let mut messages: Vec<_> = readable_messages(store, 100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == CAMILLE)
        .collect();
    messages.reverse();
    messages
}

/// The case's page in the space, as Camille reads it.
async fn case_page(app: &Router, camille: &str, reference: &str) -> String {
    call(app, "GET", &app::routes::agent_case(reference), "", Some(camille), true)
        .await
        .body
}

/// How many notices held for a digest still keep their sealed private links.
async fn sealed_held(store: &SqlStore) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE held = 1 AND sealed_links IS NOT NULL")
        .fetch_one(&store.pools.read)
        .await
        .expect("count")
}

fn mailer(label: &str) -> Mailer {
    let dir = std::env::temp_dir().join(format!("iaf-avis-{}-{label}", std::process::id()));
    Mailer::from_config(&Config {
        smtp_url: String::new(),
        emails_dir: dir.display().to_string(),
        ..Config::from_env()
    })
    .expect("mailer")
}

#[tokio::test]
async fn an_agent_on_the_daily_digest_gets_one_email_a_day_that_lists_each_notice() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let mailer = mailer(db.label);
        let reference = camille_case(&app, &store).await;
        // The receipt went before anything was chosen.
        assert_eq!(deliver_due(&store, &mailer).await, Ok(1), "{}", db.label);
        let camille = session_pair(
            &sign_in_as(&app, CAMILLE, "/collectivite")
                .await
                .cookie
                .expect("Camille"),
        );
        let team = sign_in(&app, "prog@ville.fr").await;

        // Signed out, nobody chooses; an unknown choice is refused; Camille chooses the digest.
        let anonymous = call(&app, "POST", CHOOSE, "choix=quotidien", None, false).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        let unknown = call(&app, "POST", CHOOSE, "choix=hebdomadaire", Some(&camille), false).await;
        assert!(unknown.status.is_client_error(), "{}: {}", db.label, unknown.status);
        let chosen = call(&app, "POST", CHOOSE, "choix=quotidien", Some(&camille), true).await;
        assert_eq!(
            chosen.location, "/collectivite?enregistre=avis-quotidien#avis",
            "{}",
            db.label
        );
        let space = call(
            &app,
            "GET",
            "/collectivite?enregistre=avis-quotidien",
            "",
            Some(&camille),
            true,
        )
        .await;
        let radio = space
            .body
            .split("id=\"avis-quotidien\"")
            .nth(1)
            .expect("the choice")
            .split('>')
            .next();
        assert!(
            radio.is_some_and(|attributes| attributes.contains("checked")),
            "{}",
            db.label
        );
        assert!(
            space.body.contains("vous recevrez un récapitulatif par jour"),
            "{}",
            db.label
        );

        // The team writes twice: nothing goes to Camille on its own.
        team_writes(&app, &team, &reference, "Pouvez-vous nous envoyer la délibération ?").await;
        team_writes(&app, &team, &reference, "Et le budget prévisionnel, s'il vous plaît.").await;
        assert_eq!(deliver_due(&store, &mailer).await, Ok(0), "{}", db.label);
        let held = to_camille(&store).await.split_off(1);
        assert_eq!(held.len(), 2, "{}", db.label);
        assert!(
            held.iter().all(|m| m.delivery == Delivery::AwaitingDigest),
            "{}",
            db.label
        );
        assert_eq!(
            sealed_held(&store).await,
            2,
            "{}: their links kept sealed meanwhile",
            db.label
        );
        assert!(
            case_page(&app, &camille, &reference)
                .await
                .contains("groupé dans le récapitulatif quotidien, envoyé à 8 h"),
            "{}",
            db.label
        );

        // Say they were written two days ago: before the next 8 h in Paris nothing is queued; from it, one
        // digest, once (the sender then delivers it, at the real time).
        let written = held[0].created_at - 2 * 86_400;
        sqlx::query("UPDATE outbox SET created_at = $1 WHERE held = 1")
            .bind(written)
            .execute(&store.pools.write)
            .await
            .expect("two days ago");
        let eight = digest_cutoff(written) + 86_400;
        assert_eq!(queue_digests(&store, ORIGIN, eight - 1).await, Ok(0), "{}", db.label);
        assert_eq!(queue_digests(&store, ORIGIN, eight).await, Ok(1), "{}", db.label);
        assert_eq!(queue_digests(&store, ORIGIN, eight + 60).await, Ok(0), "{}", db.label);
        assert_eq!(deliver_due(&store, &mailer).await, Ok(1), "{}", db.label);
        let after = to_camille(&store).await.split_off(1);
        assert_eq!(after.len(), 3, "{}", db.label);
        let digest = &after[2];
        assert_eq!(
            digest.subject, "Récapitulatif du jour : 2 avis sur 1 dossier",
            "{}",
            db.label
        );
        let space_link = format!("{ORIGIN}{}", app::routes::agent_case(&reference));
        assert!(
            digest.text_body.contains(&space_link),
            "{}: {}",
            db.label,
            digest.text_body
        );
        assert!(!digest.text_body.contains("/suivi/"), "{}: no private link", db.label);
        assert_eq!(
            digest
                .text_body
                .matches(&format!("Nouveau message sur votre dossier {reference}"))
                .count(),
            2,
            "{}: {}",
            db.label,
            digest.text_body
        );
        for notice in &after[..2] {
            assert!(matches!(notice.delivery, Delivery::InDigest(Some(_))), "{}", db.label);
        }
        assert_eq!(
            sealed_held(&store).await,
            0,
            "{}: the private links never sent are wiped",
            db.label
        );
        assert!(
            case_page(&app, &camille, &reference)
                .await
                .contains("envoyé dans le récapitulatif quotidien remis le"),
            "{}",
            db.label
        );
        let admin = crate::accounts::admin(&app, &store).await;
        let listed = call(&app, "POST", "/api/equipe/courriels", "", Some(&admin), false).await;
        assert_eq!(
            listed.body.matches("\"InDigest\":").count(),
            2,
            "{}: {}",
            db.label,
            listed.body
        );

        // Back to each notice: what is held goes out at once, and what follows goes on its own.
        team_writes(&app, &team, &reference, "Une dernière question sur les données.").await;
        assert_eq!(
            to_camille(&store).await[4].delivery,
            Delivery::AwaitingDigest,
            "{}",
            db.label
        );
        let back = call(&app, "POST", CHOOSE, "choix=chacun", Some(&camille), true).await;
        assert_eq!(
            back.location, "/collectivite?enregistre=avis-liberes#avis",
            "{}",
            db.label
        );
        team_writes(&app, &team, &reference, "Merci, tout est complet.").await;
        assert_eq!(deliver_due(&store, &mailer).await, Ok(2), "{}", db.label);
        let last = to_camille(&store).await;
        assert_eq!(last.len(), 6, "{}", db.label);
        assert!(
            last[4..].iter().all(|m| matches!(m.delivery, Delivery::Sent(_))),
            "{}",
            db.label
        );
        assert_eq!(
            queue_digests(&store, ORIGIN, eight + 86_400 * 2).await,
            Ok(0),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}
