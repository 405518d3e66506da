//! The collectivités' space, against a real OpenID provider configured like ProConnect (`common::oidc`), on
//! both databases: an agent of a commune signs in and sees every case of the commune (whoever filed it) and
//! none of another; an organisation off the official list and an agent who is not territorial are refused in
//! French, naming the organisation, with nothing created; signed-out pages of the space go to its sign-in page
//! and come back; an agent's session does not open the team's space; the logout ends here first, then at
//! ProConnect; an agent validates the cadrage in their own name, which the team's page shows, and an agent of
//! another collectivité can neither read nor validate it (404); an agent answers the team's message from the
//! space with a document, in their own name, which the team's followers are emailed; an agent of two
//! collectivités chooses one at the provider and gets the space of that one only.

use app::domain::intake::IntakeAnswers;
use app::domain::proconnect::Acr;
use axum::http::StatusCode;
use axum::Router;

use crate::common;
use crate::common::oidc::Provider;
use common::http::*;

/// A case of Saint-Étienne (commune 42218) titled `title`.
pub(crate) fn saint_etienne_case(title: &str) -> app::store::intake::NewCase {
    app::store::intake::NewCase {
        collectivite_key: "commune:42218".into(),
        collectivite_name: "Saint-Étienne".into(),
        ..lyon_case(title)
    }
}

/// The whole flow for `email`: the service's answer to ProConnect's return.
pub(crate) async fn sign_in_as(app: &Router, email: &str, retour: &str) -> Reply {
    let retour = app::domain::text::encode_component(retour);
    crate::common::oidc::sign_in_at(app, email, &format!("espace=collectivite&retour={retour}")).await
}

async fn agents_count(store: &server::sql::SqlStore) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM agents")
        .fetch_one(&store.pools.read)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_agent_of_a_commune_signs_in_and_sees_every_case_of_its_commune_only() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let answers = IntakeAnswers::default();
        let by_link = insert_case(
            &store,
            &answers,
            &saint_etienne_case("Tri du courrier entrant"),
            1_700_000_000,
        )
        .await;
        let from_space = insert_case(
            &store,
            &answers,
            &saint_etienne_case("Comptes rendus de conseil"),
            1_700_100_000,
        )
        .await;
        let lyon = insert_case(
            &store,
            &answers,
            &lyon_case("Accueil téléphonique lyonnais"),
            1_700_200_000,
        )
        .await;
        // One of Saint-Étienne's cases was filed from its space; the other by private link, attached since.
        for reference in [&by_link, &from_space, &lyon] {
            attach_to_space(&store, reference).await;
        }
        insert_case(
            &store,
            &answers,
            &saint_etienne_case("Archivage électronique non rattaché"),
            1_700_150_000,
        )
        .await;
        db.execute(&format!(
            "INSERT INTO case_messages (case_id, from_collectivite, author_name, author_role, body, created_at) \
             SELECT id, 0, 'Équipe', 'programme', 'Pouvez-vous préciser ?', 1700300000 FROM cases \
             WHERE reference = '{by_link}'"
        ))
        .await;
        // Signed out, the space sends the browser to its sign-in page, with the page asked.
        let out = call(&app, "GET", "/collectivite", "", None, true).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", db.label);
        assert_eq!(out.location, "/collectivite/connexion", "{}", db.label);
        let asked = call(&app, "GET", "/collectivite?tri=recent", "", None, true).await;
        assert_eq!(
            asked.location, "/collectivite/connexion?retour=%2Fcollectivite%3Ftri%3Drecent",
            "{}",
            db.label
        );
        let page = call(&app, "GET", "/collectivite/connexion", "", None, true).await;
        assert!(
            page.body
                .contains("Agents des collectivités : connexion avec ProConnect"),
            "{}",
            db.label
        );

        let reply = sign_in_as(&app, "julien.bernard@saint-etienne.fr", "/collectivite?tri=recent").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        assert_eq!(reply.location, "/collectivite?tri=recent", "{}", db.label);
        let set_cookie = reply.cookie.expect("agent cookie");
        assert!(set_cookie.starts_with("iaf_agent="), "{set_cookie}");
        let cookie = session_pair(&set_cookie);
        let space = call(&app, "GET", "/collectivite", "", Some(&cookie), true).await;
        assert_eq!(space.status, StatusCode::OK, "{}", db.label);
        let body = space.body.replace("&#x27;", "'");
        assert!(
            body.contains("Espace de la collectivité : Saint-Étienne"),
            "{}",
            db.label
        );
        assert!(body.contains("Julien Bernard"), "{}", db.label);
        assert!(body.contains("Tri du courrier entrant"), "{}", db.label);
        assert!(body.contains("Comptes rendus de conseil"), "{}", db.label);
        assert!(!body.contains("Accueil téléphonique lyonnais"), "{}", db.label);
        assert!(!body.contains("Archivage électronique non rattaché"), "{}", db.label);
        assert!(
            body.contains("1 dossier déposé par lien privé au nom de votre collectivité n'est pas encore rattaché"),
            "{}",
            db.label
        );
        assert!(body.contains(&by_link), "{}", db.label);
        assert!(
            body.contains("<td>1</td>"),
            "{}: the team's message awaits an answer",
            db.label
        );
        // The agent's session opens the space, not the team's.
        let team = call(&app, "GET", "/equipe", "", Some(&cookie), true).await;
        assert_eq!(team.status, StatusCode::SEE_OTHER, "{}", db.label);
        assert!(team.location.starts_with("/equipe/connexion"), "{}", db.label);

        // An agent of Lyon sees Lyon's case and none of Saint-Étienne's.
        let lyon = sign_in_as(&app, "marc.lefebvre@mairie-lyon.fr", "/collectivite").await;
        let lyon_cookie = session_pair(&lyon.cookie.expect("Lyon's cookie"));
        let lyon_space = call(&app, "GET", "/collectivite", "", Some(&lyon_cookie), true).await;
        assert!(
            lyon_space.body.contains("Accueil téléphonique lyonnais"),
            "{}",
            db.label
        );
        assert!(!lyon_space.body.contains("Tri du courrier entrant"), "{}", db.label);
        assert!(!lyon_space.body.contains(&by_link), "{}", db.label);
        assert_eq!(agents_count(&store).await, 2, "{}", db.label);

        // Elsewhere is never a return address.
        let elsewhere = sign_in_as(
            &app,
            "julien.bernard@saint-etienne.fr",
            "https://ailleurs.example/collectivite",
        )
        .await;
        assert_eq!(elsewhere.location, "/collectivite", "{}", db.label);
        assert_eq!(agents_count(&store).await, 2, "{}: one agent per identity", db.label);

        // Signing out ends the session here first, then sends the browser to ProConnect's logout.
        let out = call(&app, "POST", "/api/collectivite/deconnexion", "", Some(&cookie), true).await;
        crate::common::oidc::assert_logout_at(&provider, &out.location, app::routes::AGENT_SIGN_IN, db.label);
        let after = call(&app, "GET", "/collectivite", "", Some(&cookie), true).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn an_organisation_off_the_list_or_an_agent_not_territorial_is_refused_naming_it_and_nothing_is_created() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let cases = [
            (
                "claire.petit@danone.com",
                "« Danone » (SIRET 55203253400646), n'est pas une collectivité",
            ),
            (
                "thomas.roux@numerique.gouv.fr",
                "« Direction interministérielle du numérique (DINUM) » (SIRET 13002526500013)",
            ),
            (
                "sophie.girard@mairie-lyon.fr",
                "ProConnect ne nous indique pas que vous êtes agent de « Commune de Lyon »",
            ),
        ];
        for (email, expected) in cases {
            let reply = sign_in_as(&app, email, "/collectivite").await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}: {email}", db.label);
            assert!(reply.cookie.is_none(), "{}: {email}", db.label);
            assert!(reply.body.contains("<html lang=\"fr\">"), "{}", db.label);
            let text = reply.body.replace("&apos;", "'");
            assert!(text.contains(expected), "{}: {email}: {text}", db.label);
            assert!(text.contains("href=\"/collectivite/connexion\""), "{}", db.label);
        }
        assert_eq!(agents_count(&store).await, 0, "{}", db.label);
        let log = app::store::AccountStore::auth_log(store.as_ref(), 20)
            .await
            .expect("log");
        let refused = log
            .iter()
            .filter(|e| e.kind == app::domain::accounts::AuthEvent::ProConnectRefused)
            .count();
        assert_eq!(refused, 3, "{}: {log:?}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn an_agent_validates_the_cadrage_in_their_own_name_and_the_team_sees_how_they_were_identified() {
    use app::store::CadrageStore;
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let answers = IntakeAnswers::default();
        let reference = insert_case(
            &store,
            &answers,
            &saint_etienne_case("Tri du courrier entrant"),
            1_700_000_000,
        )
        .await;
        attach_to_space(&store, &reference).await;
        db.execute(&format!(
            "UPDATE cases SET stage = 'cadrage' WHERE reference = '{reference}'"
        ))
        .await;
        let saved = store
            .save_cadrage(&app::store::cadrage::CadrageSave {
                case: common::system_case(&reference),
                based_on: 0,
                document: complete_cadrage(&answers),
                actor: "Élise Moreau".into(),
                notice: None,
                now: 1_700_100_000,
            })
            .await
            .expect("cadrage");
        assert!(matches!(saved, app::store::WriteOutcome::Done { .. }), "{saved:?}");
        let page_path = app::routes::agent_cadrage(&reference);
        let validate = format!("reference={reference}&version=1");

        // Signed out: the page goes to the space's sign-in, the validation is refused.
        let out = call(&app, "GET", &page_path, "", None, true).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", db.label);
        assert!(
            out.location.starts_with("/collectivite/connexion?retour="),
            "{}",
            db.label
        );
        let anonymous = call(
            &app,
            "POST",
            "/api/collectivite/cadrage/valider",
            &validate,
            None,
            false,
        )
        .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);

        // An agent of Lyon neither reads nor validates Saint-Étienne's cadrage.
        let lyon = sign_in_as(&app, "marc.lefebvre@mairie-lyon.fr", "/collectivite").await;
        let lyon = session_pair(&lyon.cookie.expect("Lyon's cookie"));
        let read = call(
            &app,
            "POST",
            "/api/collectivite/cadrage",
            &format!("reference={reference}"),
            Some(&lyon),
            false,
        )
        .await;
        assert_eq!(read.status, StatusCode::NOT_FOUND, "{}", db.label);
        let signed = call(
            &app,
            "POST",
            "/api/collectivite/cadrage/valider",
            &validate,
            Some(&lyon),
            false,
        )
        .await;
        assert_eq!(signed.status, StatusCode::NOT_FOUND, "{}", db.label);

        // Julien, of Saint-Étienne, reads the version in force and validates it in his own name.
        let julien = sign_in_as(&app, "julien.bernard@saint-etienne.fr", "/collectivite").await;
        let julien = session_pair(&julien.cookie.expect("Julien's cookie"));
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert!(
            page.body.contains("Valider la version 1 au nom de Saint-Étienne"),
            "{}",
            db.label
        );
        let done = call(
            &app,
            "POST",
            "/api/collectivite/cadrage/valider",
            &validate,
            Some(&julien),
            true,
        )
        .await;
        assert_eq!(done.status, StatusCode::FOUND, "{}: {}", db.label, done.body);
        assert_eq!(
            done.location,
            format!("{page_path}?enregistre=validation"),
            "{}",
            db.label
        );
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        let how = "validé par Julien Bernard (julien.bernard@saint-etienne.fr) (en son nom, identifié·e par ProConnect, niveau substantiel (eidas1)";
        assert!(page.body.contains(how), "{}: {}", db.label, page.body);
        assert!(!page.body.contains("Valider la version 1 au nom"), "{}", db.label);
        let again = call(
            &app,
            "POST",
            "/api/collectivite/cadrage/valider",
            &validate,
            Some(&julien),
            false,
        )
        .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            again.body.contains("a déjà validé la version 1"),
            "{}: {}",
            db.label,
            again.body
        );

        // The team's board and cadrage page say who signed for the collectivité and how they were identified.
        let team = sign_in(&app, "prog@ville.fr").await;
        let board = call(&app, "GET", "/equipe/tableau", "", Some(&team), true).await;
        assert!(
            board.body.contains("La collectivité : validé par Julien Bernard (julien.bernard@saint-etienne.fr) (en son nom, identifié·e par ProConnect, niveau substantiel (eidas1)"),
            "{}",
            db.label
        );
        assert!(
            board.body.contains("Le prestataire technique : pas encore validé"),
            "{}",
            db.label
        );
        let team_page = call(
            &app,
            "GET",
            &app::routes::case(&reference).cadrage(),
            "",
            Some(&team),
            true,
        )
        .await;
        assert_eq!(team_page.status, StatusCode::OK, "{}", db.label);
        assert!(team_page.body.contains(how), "{}", db.label);
        let recorded: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cadrage_validations WHERE method = 'proconnect' AND acr = 'eidas1'",
        )
        .fetch_one(&store.pools.read)
        .await
        .expect("count");
        assert_eq!(recorded, 1, "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn an_agent_answers_the_team_from_the_space_with_a_document_and_the_follower_is_emailed() {
    use crate::common::upload::{download, multipart, post_multipart};
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let reference = insert_case(
            &store,
            &IntakeAnswers::default(),
            &saint_etienne_case("Tri du courrier entrant"),
            1_700_000_000,
        )
        .await;
        attach_to_space(&store, &reference).await;
        let team = sign_in(&app, "prog@ville.fr").await;
        let asked = post_multipart(
            &app,
            &app::routes::case(&reference).messages_post(),
            multipart(&[("texte", "Pouvez-vous préciser le volume de courrier ?")], &[]),
            Some(&team),
        )
        .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}: {}", db.label, asked.body);
        let follow = format!("reference={reference}&suivre=oui");
        let followed = call(&app, "POST", "/api/equipe/suivre", &follow, Some(&team), true).await;
        assert_eq!(followed.status, StatusCode::FOUND, "{}", db.label);
        let page_path = app::routes::agent_case(&reference);
        let urls = app::routes::ThreadUrls::Agent(reference.clone());

        // Signed out: the page goes to the space's sign-in, a message is refused.
        let out = call(&app, "GET", &page_path, "", None, true).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", db.label);
        let anonymous = post_multipart(&app, &urls.post(), multipart(&[("texte", "Bonjour")], &[]), None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);

        // Julien reads the team's question on the case's page, where it stands, and answers with a PDF.
        let julien = sign_in_as(&app, "julien.bernard@saint-etienne.fr", "/collectivite").await;
        let julien = session_pair(&julien.cookie.expect("Julien's cookie"));
        let space = call(&app, "GET", "/collectivite", "", Some(&julien), true).await;
        assert!(space.body.contains(&format!("href=\"{page_path}\"")), "{}", db.label);
        assert!(space.body.contains("<td>1</td>"), "{}: one question awaits", db.label);
        let page = call(&app, "GET", &page_path, "", Some(&julien), true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        let text = page.body.replace("&#x27;", "'");
        assert!(
            text.contains("Pouvez-vous préciser le volume de courrier ?"),
            "{}",
            db.label
        );
        assert!(text.contains("Écrire à l'équipe du programme"), "{}", db.label);
        assert!(text.contains("(étape actuelle)"), "{}", db.label);
        let answer = post_multipart(
            &app,
            &urls.post(),
            multipart(
                &[("texte", "Environ 300 plis par jour.")],
                &[("fichiers", "volumes.pdf", PDF)],
            ),
            Some(&julien),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}: {}", db.label, answer.body);
        assert_eq!(
            answer.location,
            format!("{page_path}?envoye=1#messages"),
            "{}",
            db.label
        );

        // The follower is emailed the answer, signed with Julien's name; the question is answered.
        let alerts: Vec<_> = server::mail::readable_messages(store.as_ref(), 50)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.recipient == "prog@ville.fr")
            .collect();
        assert_eq!(alerts.len(), 1, "{}", db.label);
        assert!(
            alerts[0].text_body.contains("Environ 300 plis par jour."),
            "{}",
            db.label
        );
        assert!(alerts[0].text_body.contains(&reference), "{}", db.label);
        let space = call(&app, "GET", "/collectivite", "", Some(&julien), true).await;
        assert!(
            space.body.contains("<td>0</td>"),
            "{}: nothing awaits an answer",
            db.label
        );
        let thread = call(
            &app,
            "POST",
            "/api/equipe/fil",
            &format!("reference={reference}"),
            Some(&team),
            false,
        )
        .await;
        assert!(
            thread.body.contains("Julien Bernard (collectivité)"),
            "{}: {}",
            db.label,
            thread.body
        );
        assert!(thread.body.contains("volumes.pdf"), "{}", db.label);

        // The document comes back from the space to its agents only.
        let documents = app::store::DocumentStore::documents_of_case(store.as_ref(), &common::system_case(&reference))
            .await
            .expect("documents");
        assert_eq!(documents.len(), 1, "{}", db.label);
        let document_path = urls.document(&documents[0].public_id);
        let (status, _, bytes) = download(&app, &document_path, Some(&julien)).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF), "{}", db.label);
        let lyon = sign_in_as(&app, "marc.lefebvre@mairie-lyon.fr", "/collectivite").await;
        let lyon = session_pair(&lyon.cookie.expect("Lyon's cookie"));
        let (status, _, _) = download(&app, &document_path, Some(&lyon)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", db.label);
        let (status, headers, _) = download(&app, &document_path, None).await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "{}: signed out, to the sign-in page",
            db.label
        );
        assert!(headers[axum::http::header::LOCATION]
            .to_str()
            .expect("location")
            .starts_with("/collectivite/connexion?retour="));
        db.cleanup().await;
    }
    provider.stop().await;
}

#[tokio::test]
async fn an_agent_of_two_collectivites_chooses_one_at_sign_in_and_gets_the_space_of_that_one_only() {
    const MATHIEU: &str = "mathieu.garnier@saint-etienne-metropole.fr";
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        let answers = IntakeAnswers::default();
        let commune = insert_case(
            &store,
            &answers,
            &saint_etienne_case("Tri du courrier entrant"),
            1_700_000_000,
        )
        .await;
        let metropole_case = app::store::intake::NewCase {
            collectivite_key: "epci:244200770".into(),
            collectivite_name: "Saint-Étienne Métropole".into(),
            collectivite_kind: "epci".into(),
            ..lyon_case("Collecte des déchets optimisée")
        };
        let metropole = insert_case(&store, &answers, &metropole_case, 1_700_100_000).await;
        for reference in [&commune, &metropole] {
            attach_to_space(&store, reference).await;
        }
        let query = "espace=collectivite&retour=%2Fcollectivite";
        let spaces = [
            ("24420077000018", "Saint-Étienne Métropole", &metropole, &commune),
            ("21420218600018", "Saint-Étienne", &commune, &metropole),
        ];
        for (siret, name, own, other) in spaces {
            // At the provider, Mathieu picks the organisation; the service opens that collectivité's space.
            let reply = crate::common::oidc::sign_in_for_organisation(&app, MATHIEU, siret, query).await;
            assert_eq!(reply.location, "/collectivite", "{}: {siret}: {}", db.label, reply.body);
            let cookie = session_pair(&reply.cookie.expect("agent cookie"));
            let space = call(&app, "GET", "/collectivite", "", Some(&cookie), true).await;
            assert!(
                space.body.contains(&format!("Espace de la collectivité : {name}</h1>")),
                "{}: {siret}",
                db.label
            );
            assert!(space.body.contains(own.as_str()), "{}: {siret}", db.label);
            assert!(!space.body.contains(other.as_str()), "{}: {siret}", db.label);
            let elsewhere = call(&app, "GET", &app::routes::agent_case(other), "", Some(&cookie), true).await;
            assert_eq!(elsewhere.status, StatusCode::NOT_FOUND, "{}: {siret}", db.label);
        }
        // One agent per collectivité chosen, the same ProConnect identity.
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT siren, subject FROM agents WHERE email = $1 ORDER BY siren")
                .bind(MATHIEU)
                .fetch_all(&store.pools.read)
                .await
                .expect("agents");
        assert_eq!(rows.len(), 2, "{}: {rows:?}", db.label);
        assert_eq!(
            (rows[0].0.as_str(), rows[1].0.as_str()),
            ("214202186", "244200770"),
            "{}",
            db.label
        );
        assert_eq!(rows[0].1, rows[1].1, "{}", db.label);
        db.cleanup().await;
    }
    provider.stop().await;
}
