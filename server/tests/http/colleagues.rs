//! What the agents of one collectivité share, against a real OpenID provider configured like ProConnect, on
//! both databases. Drafts: one started from the space is pre-filled with the collectivité and the agent, listed
//! for the collectivité's other agents, who continue it with a private link of their own; two agents on one
//! step: the second is told; filed by a colleague, it becomes a case of the collectivité; an agent of another
//! collectivité can neither see nor continue it (404), and nobody signed out can start one. Cases: the contact
//! goes to a colleague who accepts; both are emailed and the history says who and when (a colleague who declines:
//! the contact stays and whoever proposed it is emailed); an agent of another
//! collectivité can neither propose nor answer (404), and a colleague off the list is refused naming the field.
//! Colleagues: an agent invites one by email (a bad or own address, or too many in a day, refused naming the
//! field); the invitation waits until the colleague signs in. Attaching: a case filed by private link stays
//! out of the space until an agent of its collectivité confirms its link (an agent of another one is refused,
//! naming the field); then every agent of the collectivité sees it and its history says who attached it.

use app::domain::intake::IntakeAnswers;
use app::domain::proconnect::Acr;
use app::store::{AgentStore, IntakeStore};
use axum::http::StatusCode;
use axum::Router;

use crate::agents::{saint_etienne_case, sign_in_as};
use crate::common;
use crate::common::oidc::Provider;
use crate::exchange::autosave;
use common::http::*;

const START: &str = "/api/collectivite/deposer";
const CONTINUE: &str = "/api/collectivite/brouillon/continuer";
const TITLE: &str = "Tri du courrier entrant";

/// The `iaf_agent=…` pair of `email`, signed in through the provider.
async fn agent(app: &Router, email: &str) -> String {
    let reply = sign_in_as(app, email, "/collectivite").await;
    session_pair(&reply.cookie.unwrap_or_else(|| panic!("{email}: {}", reply.location)))
}

/// The token of a wizard's step URL (`/deposer/<token>/etape/1`).
fn token_of(location: &str) -> String {
    let token = location
        .strip_prefix("/deposer/")
        .and_then(|rest| rest.strip_suffix("/etape/1"))
        .unwrap_or_else(|| panic!("a step of the wizard: {location}"));
    token.to_string()
}

async fn draft(store: &server::sql::SqlStore, token: &str) -> app::store::intake::Draft {
    let hash = app::server::tokens::token_hash(token).expect("hash");
    store.load_draft(&hash).await.expect("load").expect("the draft")
}

#[tokio::test]
async fn a_draft_started_in_the_space_is_continued_by_a_colleague_and_filed_for_the_commune() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let anonymous = call(&app, "POST", START, "", None, false).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        let julien = agent(&app, "julien.bernard@saint-etienne.fr").await;
        let nadia = agent(&app, "nadia.benali@saint-etienne.fr").await;
        let marc = agent(&app, "marc.lefebvre@mairie-lyon.fr").await;

        // Julien starts a case from the space: the wizard opens pre-filled with Saint-Étienne and himself.
        let started = call(&app, "POST", START, "", Some(&julien), true).await;
        assert_eq!(started.status, StatusCode::FOUND, "{}: {}", db.label, started.body);
        let julien_link = token_of(&started.location);
        let opened = draft(&store, &julien_link).await;
        assert_eq!(opened.answers.get("collectivite"), "commune:42218", "{}", db.label);
        assert_eq!(opened.answers.get("contact_nom"), "Julien Bernard", "{}", db.label);
        assert_eq!(
            opened.answers.get("contact_email"),
            "julien.bernard@saint-etienne.fr",
            "{}",
            db.label
        );
        let step = call(&app, "GET", &started.location, "", None, true).await;
        assert_eq!(step.status, StatusCode::OK, "{}", db.label);
        assert!(step.body.contains("value=\"Julien Bernard\""), "{}", db.label);
        let (status, body) = autosave(&app, &julien_link, "julien", 2, &[("titre", TITLE)], opened.version).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.label);

        // Nadia's space lists it, started by Julien; Lyon's does not, and Marc cannot continue it.
        let space = call(&app, "GET", "/collectivite", "", Some(&nadia), true).await;
        assert!(space.body.contains(TITLE), "{}", db.label);
        assert!(space.body.contains("Julien Bernard"), "{}", db.label);
        let id = store.collectivite_drafts("commune:42218").await.expect("drafts")[0].id;
        assert!(
            space.body.contains(&format!("name=\"brouillon\" value=\"{id}\"")),
            "{}",
            db.label
        );
        let lyon = call(&app, "GET", "/collectivite", "", Some(&marc), true).await;
        assert_eq!(lyon.status, StatusCode::OK, "{}", db.label);
        assert!(!lyon.body.contains(TITLE), "{}", db.label);
        let refused = call(&app, "POST", CONTINUE, &body_of(id), Some(&marc), false).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        let refused = call(&app, "POST", CONTINUE, &body_of(id), None, false).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", db.label);

        // Nadia continues it with a link of her own, to the same draft.
        let continued = call(&app, "POST", CONTINUE, &body_of(id), Some(&nadia), true).await;
        assert_eq!(continued.status, StatusCode::FOUND, "{}: {}", db.label, continued.body);
        let nadia_link = token_of(&continued.location);
        assert_ne!(nadia_link, julien_link, "{}", db.label);
        let shared = draft(&store, &nadia_link).await;
        assert_eq!(shared.answers.get("titre"), TITLE, "{}", db.label);

        // Both on step 2: Nadia saves first; Julien, who read the same version, is told before overwriting.
        let (status, body) = autosave(
            &app,
            &nadia_link,
            "nadia",
            2,
            &[("titre", "Tri et routage du courrier")],
            shared.version,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.label);
        let (status, body) = autosave(&app, &julien_link, "julien", 2, &[("titre", "Autre")], shared.version).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}: {body}", db.label);
        assert!(body.contains("par un collègue"), "{}: {body}", db.label);
        assert_eq!(
            draft(&store, &julien_link).await.answers.get("titre"),
            "Tri et routage du courrier",
            "{}",
            db.label
        );

        // Nadia completes and files it: a case of Saint-Étienne, gone from the drafts, no longer continued.
        let mut answers = crate::hostile_world::complete_answers();
        answers.set("collectivite", "commune:42218");
        answers.set("titre", "Tri et routage du courrier");
        let hash = app::server::tokens::token_hash(&nadia_link).expect("hash");
        assert!(
            store.save_draft(&hash, &answers, 1_800_000_000).await.expect("save"),
            "{}",
            db.label
        );
        let filed = call(
            &app,
            "POST",
            "/api/depot/deposer",
            &format!("token={nadia_link}"),
            None,
            true,
        )
        .await;
        assert_eq!(filed.location, format!("/deposer/{nadia_link}/recu"), "{}", db.label);
        let receipt = call(&app, "GET", &filed.location, "", None, true).await;
        assert_eq!(receipt.status, StatusCode::OK, "{}", db.label);
        let reference = store.collectivite_references("commune:42218").await.expect("refs");
        assert_eq!(reference.len(), 1, "{}", db.label);
        assert!(receipt.body.contains(&reference[0]), "{}", db.label);
        let space = call(&app, "GET", "/collectivite", "", Some(&julien), true).await;
        assert!(space.body.contains(&reference[0]), "{}", db.label);
        assert!(space.body.contains("Aucun brouillon en cours."), "{}", db.label);
        let again = call(&app, "POST", CONTINUE, &body_of(id), Some(&julien), false).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", db.label);
        // Julien's own link now follows the filed case.
        let follow = call(&app, "GET", &format!("/deposer/{julien_link}/recu"), "", None, true).await;
        assert!(follow.body.contains(&reference[0]), "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}

/// The form of the space's « Continuer » button for the draft `id`.
fn body_of(id: i64) -> String {
    format!("brouillon={id}")
}

const PROPOSE: &str = "/api/collectivite/transfert/proposer";
const ANSWER: &str = "/api/collectivite/transfert/repondre";

/// The id of the agent of `collectivite` whose address is `email`.
async fn agent_id(store: &server::sql::SqlStore, collectivite: &str, email: &str) -> i64 {
    let colleagues = store.colleagues(collectivite).await.expect("colleagues");
    colleagues.iter().find(|c| c.email == email).expect("signed in").id
}

/// The messages queued to `to`.
async fn emails_to(store: &server::sql::SqlStore, to: &str) -> Vec<(String, String)> {
    server::mail::readable_messages(store, 100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == to)
        .map(|m| (m.subject, m.text_body))
        .collect()
}

#[tokio::test]
async fn the_contact_of_a_case_goes_to_a_colleague_who_accepts_and_both_are_emailed() {
    const CAMILLE: &str = "camille.martin@saint-etienne.fr";
    const NADIA: &str = "nadia.benali@saint-etienne.fr";
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let mut answers = IntakeAnswers::default();
        answers.set("contact_nom", "Camille Martin");
        answers.set("contact_email", CAMILLE);
        answers.set("contact_telephone", "04 77 00 00 00");
        let case = app::store::intake::NewCase {
            contact_email: CAMILLE.into(),
            ..saint_etienne_case(TITLE)
        };
        let reference = insert_case(&store, &answers, &case, 1_700_000_000).await;
        attach_to_space(&store, &reference).await;
        let julien = agent(&app, "julien.bernard@saint-etienne.fr").await;
        let nadia = agent(&app, NADIA).await;
        let marc = agent(&app, "marc.lefebvre@mairie-lyon.fr").await;
        let nadia_id = agent_id(&store, "commune:42218", NADIA).await;
        let marc_id = agent_id(&store, "commune:69123", "marc.lefebvre@mairie-lyon.fr").await;
        let page_path = app::routes::agent_case(&reference);

        // Julien's page names the contact and offers Nadia, who signed in, not Marc of Lyon.
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        let text = page.body.replace("&#x27;", "'");
        assert!(
            text.contains(&format!("L'équipe du programme écrit à Camille Martin ({CAMILLE}).")),
            "{}",
            db.label
        );
        assert!(text.contains(&format!("Nadia Benali ({NADIA})")), "{}", db.label);
        assert!(!text.contains("marc.lefebvre"), "{}", db.label);

        // Marc cannot propose on this case; Julien cannot propose Marc.
        let to_nadia = format!("reference={reference}&collegue={nadia_id}");
        let refused = call(&app, "POST", PROPOSE, &to_nadia, Some(&marc), false).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        let to_marc = format!("reference={reference}&collegue={marc_id}");
        let refused = call(&app, "POST", PROPOSE, &to_marc, Some(&julien), false).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            refused.body.contains("« Nouveau contact »"),
            "{}: {}",
            db.label,
            refused.body
        );

        // Julien proposes Nadia: she is emailed, the page says it awaits her answer.
        let proposed = call(&app, "POST", PROPOSE, &to_nadia, Some(&julien), true).await;
        assert_eq!(
            proposed.location,
            format!("{page_path}?enregistre=transfert-propose#contact"),
            "{}",
            db.label
        );
        let told = emails_to(&store, NADIA).await;
        assert_eq!(told.len(), 1, "{}", db.label);
        assert_eq!(told[0].0, format!("Devenir le contact du cas d'usage {reference}"));
        assert!(told[0].1.contains("Julien Bernard vous propose"), "{}", told[0].1);
        assert!(told[0].1.contains(&page_path), "{}", told[0].1);
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        assert!(page.body.contains("Transfert proposé à Nadia Benali"), "{}", db.label);

        // Only Nadia answers it: not Julien, not Marc.
        let transfer = store.transfers_for(nadia_id).await.expect("transfers")[0].id;
        let accept = format!("reference={reference}&transfert={transfer}&reponse=accepter");
        for other in [&julien, &marc] {
            let refused = call(&app, "POST", ANSWER, &accept, Some(other), false).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        }
        let space = call(&app, "GET", "/collectivite", "", Some(&nadia), true).await;
        let offer = format!("Accepter d&#x27;être le contact de {reference}");
        assert!(
            space.body.contains(&offer) || space.body.contains(&offer.replace("&#x27;", "'")),
            "{}",
            db.label
        );
        let accepted = call(&app, "POST", ANSWER, &accept, Some(&nadia), true).await;
        assert_eq!(
            accepted.location, "/collectivite?enregistre=transfert-accepte",
            "{}: {}",
            db.label, accepted.body
        );

        // Both contacts are emailed; the contact changed; the history says who and when; it is answered once.
        let told = emails_to(&store, NADIA).await;
        assert!(
            told.iter()
                .any(|(_, body)| body.contains("Vous êtes désormais le contact")),
            "{}",
            db.label
        );
        let former = emails_to(&store, CAMILLE).await;
        assert_eq!(former.len(), 1, "{}", db.label);
        assert!(
            former[0].1.contains("Nadia Benali est désormais le contact"),
            "{}",
            former[0].1
        );
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        let text = page.body.replace("&#x27;", "'");
        assert!(
            text.contains(&format!("L'équipe du programme écrit à Nadia Benali ({NADIA}).")),
            "{}",
            db.label
        );
        assert!(!text.contains("Transfert proposé"), "{}", db.label);
        let (actor, detail): (String, String) =
            sqlx::query_as("SELECT actor, detail FROM case_events WHERE kind = 'contact'")
                .fetch_one(&store.pools.read)
                .await
                .expect("the event");
        assert_eq!(actor, "Nadia Benali (collectivité)", "{}", db.label);
        assert_eq!(
            detail,
            format!(
                "Contact de la collectivité : Camille Martin ({CAMILLE}) remplacé par Nadia Benali ({NADIA}), à la \
                 demande de Julien Bernard."
            ),
            "{}",
            db.label
        );
        let again = call(&app, "POST", ANSWER, &accept, Some(&nadia), false).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", db.label);

        // Nadia proposes Julien, who declines: the contact stays, and Nadia is told by email.
        let julien_id = agent_id(&store, "commune:42218", "julien.bernard@saint-etienne.fr").await;
        let to_julien = format!("reference={reference}&collegue={julien_id}");
        let proposed = call(&app, "POST", PROPOSE, &to_julien, Some(&nadia), true).await;
        assert!(
            proposed.location.contains("transfert-propose"),
            "{}: {}",
            db.label,
            proposed.body
        );
        let transfer = store.transfers_for(julien_id).await.expect("transfers")[0].id;
        let decline = format!("reference={reference}&transfert={transfer}&reponse=refuser");
        let declined = call(&app, "POST", ANSWER, &decline, Some(&julien), true).await;
        assert_eq!(
            declined.location, "/collectivite?enregistre=transfert-refuse",
            "{}",
            db.label
        );
        let told = emails_to(&store, NADIA).await;
        assert!(
            told.iter().any(
                |(subject, body)| subject == &format!("Transfert du contact refusé : {reference}")
                    && body.contains("Julien Bernard a refusé de devenir le contact")
            ),
            "{}: {told:?}",
            db.label
        );
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        let text = page.body.replace("&#x27;", "'");
        assert!(
            text.contains(&format!("L'équipe du programme écrit à Nadia Benali ({NADIA}).")),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn an_agent_invites_a_colleague_who_then_appears_in_the_space() {
    const INVITE: &str = "/api/collectivite/inviter";
    const NADIA: &str = "nadia.benali@saint-etienne.fr";
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let anonymous = call(&app, "POST", INVITE, "email=a%40b.fr", None, false).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        let julien = agent(&app, "julien.bernard@saint-etienne.fr").await;
        for (body, says) in [
            ("email=nadia", "format nom@domaine.fr"),
            ("email=julien.bernard%40saint-etienne.fr", "votre propre adresse"),
        ] {
            let refused = call(&app, "POST", INVITE, body, Some(&julien), false).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
            assert!(
                refused.body.contains("« Adresse électronique du collègue »"),
                "{}",
                refused.body
            );
            assert!(refused.body.contains(says), "{}", refused.body);
        }
        let sent = call(
            &app,
            "POST",
            INVITE,
            "email=Nadia.Benali%40saint-etienne.fr",
            Some(&julien),
            true,
        )
        .await;
        assert_eq!(
            sent.location, "/collectivite?enregistre=invitation#collegues",
            "{}",
            db.label
        );
        let told = emails_to(&store, NADIA).await;
        assert_eq!(told.len(), 1, "{}", db.label);
        assert_eq!(
            told[0].0,
            "Julien Bernard vous invite dans l'espace de Saint-Étienne sur l'IA Factory"
        );
        assert!(told[0].1.contains(app::routes::AGENT_SIGN_IN), "{}", told[0].1);
        let space = call(&app, "GET", "/collectivite", "", Some(&julien), true).await;
        assert!(
            space.body.contains(&format!("{NADIA}, invité·e par Julien Bernard")),
            "{}",
            db.label
        );

        // Nadia signs in: she is a colleague, no longer an invitation waiting.
        agent(&app, NADIA).await;
        let space = call(&app, "GET", "/collectivite", "", Some(&julien), true).await;
        assert!(space.body.contains(&format!("Nadia Benali ({NADIA})")), "{}", db.label);
        assert!(!space.body.contains("invité·e par"), "{}", db.label);

        // At most a few a day.
        for n in 1..app::domain::agents::INVITATIONS_PER_DAY {
            let body = format!("email=collegue-{n}%40saint-etienne.fr");
            let sent = call(&app, "POST", INVITE, &body, Some(&julien), true).await;
            assert_eq!(sent.status, StatusCode::FOUND, "{}: {n}", db.label);
        }
        let refused = call(
            &app,
            "POST",
            INVITE,
            "email=une-de-trop%40saint-etienne.fr",
            Some(&julien),
            false,
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(refused.body.contains("réessayez demain"), "{}", refused.body);
        assert!(
            emails_to(&store, "une-de-trop@saint-etienne.fr").await.is_empty(),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
    provider.stop().await;
}

const ATTACH: &str = "/api/collectivite/rattacher";

/// A case of Saint-Étienne filed through the wizard by private link, without signing in: its token.
async fn filed_by_link(app: &Router, store: &server::sql::SqlStore) -> String {
    let token = app::server::tokens::new_token();
    let hash = app::server::tokens::token_hash(&token).expect("hash");
    store.create_draft(&hash, 1_800_000_000).await.expect("draft");
    let mut answers = crate::hostile_world::complete_answers();
    answers.set("collectivite", "commune:42218");
    answers.set("titre", "Archivage des délibérations");
    assert!(store.save_draft(&hash, &answers, 1_800_000_000).await.expect("save"));
    let filed = call(app, "POST", "/api/depot/deposer", &format!("token={token}"), None, true).await;
    assert_eq!(filed.location, format!("/deposer/{token}/recu"), "{}", filed.body);
    token
}

/// What the space of the agent of `cookie` shows of the case of `reference`: listed, a link-filed case counted
/// as waiting, and the status of its page in the space.
async fn in_space(app: &Router, cookie: &str, reference: &str) -> (bool, bool, StatusCode) {
    let space = call(app, "GET", "/collectivite", "", Some(cookie), true).await;
    let page = call(app, "GET", &app::routes::agent_case(reference), "", Some(cookie), true).await;
    (
        space.body.contains(reference),
        space.body.contains("1 dossier déposé par lien privé"),
        page.status,
    )
}

#[tokio::test]
async fn a_case_filed_by_link_joins_the_space_once_an_agent_of_its_collectivite_confirms_its_link() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let token = filed_by_link(&app, &store).await;
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        let reference = store.filed_case(&hash).await.expect("filed").expect("a case").reference;
        let julien = agent(&app, "julien.bernard@saint-etienne.fr").await;
        let nadia = agent(&app, "nadia.benali@saint-etienne.fr").await;
        let marc = agent(&app, "marc.lefebvre@mairie-lyon.fr").await;
        let form = |lien: &str| format!("lien={}", app::domain::text::encode_component(lien));
        let link = format!("https://iafactory.example/suivi/{token}");

        // Filed by link, the case is not in the space yet: the space counts it, its page is a 404.
        let seen = in_space(&app, &julien, &reference).await;
        assert_eq!(seen, (false, true, StatusCode::NOT_FOUND), "{}", db.label);

        // Signed out, malformed, a draft's link, a link to nothing, another collectivité: refused, nothing attached.
        let anonymous = call(&app, "POST", ATTACH, &form(&link), None, false).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        let nowhere = format!("https://iafactory.example/suivi/{}", "0".repeat(64));
        let draft_link = format!("https://iafactory.example/deposer/{token}/etape/2");
        for (who, lien, says) in [
            (
                &julien,
                "https://iafactory.example/suivi/123",
                "pas un lien de suivi complet",
            ),
            (&julien, draft_link.as_str(), "celui d'un brouillon"),
            (&julien, nowhere.as_str(), "ne mène à aucun dossier"),
            (&marc, link.as_str(), "au nom d'une autre collectivité"),
        ] {
            let refused = call(&app, "POST", ATTACH, &form(lien), Some(who), false).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {lien}", db.label);
            let body = refused.body.replace("\\u0027", "'").replace("\\\"", "\"");
            assert!(body.contains("« Lien privé du dossier »"), "{}: {body}", db.label);
            assert!(body.contains(says), "{}: {lien}: {body}", db.label);
        }
        assert!(store
            .collectivite_references("commune:42218")
            .await
            .expect("refs")
            .is_empty());

        // Julien confirms the link: the case joins the space, for Nadia too, and its history says who.
        let attached = call(&app, "POST", ATTACH, &form(&link), Some(&julien), true).await;
        assert_eq!(
            attached.location,
            format!("{}?enregistre=rattache", app::routes::agent_case(&reference)),
            "{}: {}",
            db.label,
            attached.body
        );
        let seen = in_space(&app, &nadia, &reference).await;
        assert_eq!(seen, (true, false, StatusCode::OK), "{}", db.label);
        let events: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT e.kind, e.actor, e.detail FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE c.reference = $1 AND e.kind = 'rattachement'",
        )
        .bind(&reference)
        .fetch_all(&store.pools.read)
        .await
        .expect("events");
        assert_eq!(events.len(), 1, "{}: {events:?}", db.label);
        assert_eq!(events[0].1, "Julien Bernard (collectivité)", "{}", db.label);
        assert!(events[0].2.contains("julien.bernard@saint-etienne.fr"), "{}", db.label);
        // The private link still works, and confirming it again changes nothing.
        let follow = call(&app, "GET", &app::routes::follow_up(&token), "", None, true).await;
        assert_eq!(follow.status, StatusCode::OK, "{}", db.label);
        let again = call(&app, "POST", ATTACH, &form(&token), Some(&nadia), true).await;
        assert!(again.location.ends_with("?enregistre=deja-rattache"), "{}", db.label);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE kind = 'rattachement'")
            .fetch_one(&store.pools.read)
            .await
            .expect("count");
        assert_eq!(count, 1, "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}
