//! The team's sign-in and its guarded endpoints through HTTP, on SQLite and PostgreSQL: wrong password,
//! session cookie, anonymous and disabled accounts refused, sign-out ends the session, attempts limited.

use crate::common;

use app::domain::auth::Role;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;

#[tokio::test]
async fn sign_in_opens_a_session_that_the_guarded_endpoints_require() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;

        // Anonymous: refused, nothing leaks.
        let anonymous = call(&app, "POST", "/api/equipe/cas", "", None, false).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        assert!(!anonymous.body.contains("IAF-"), "{}", db.label);
        let page = call(&app, "GET", "/equipe", "", None, true).await;
        assert_eq!(
            page.location, "/equipe/connexion",
            "{}: the team home sends anonymous people to sign in",
            db.label
        );

        // Wrong password: a French error, no cookie.
        let wrong = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", "mauvais mot de passe"),
            None,
            false,
        )
        .await;
        // The same refusal whether the address or the password is wrong (nothing tells which), as the
        // app's French error with its status: 422, like every refused form.
        assert_eq!(
            (wrong.status, wrong.body.as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "{\"Invalid\":\"Adresse électronique ou mot de passe incorrect.\"}"
            ),
            "{}",
            db.label
        );
        assert!(wrong.cookie.is_none());
        let unknown = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("personne@ville.fr", PASSWORD),
            None,
            false,
        )
        .await;
        assert_eq!(
            (unknown.status, unknown.body.as_str(), unknown.cookie.is_none()),
            (wrong.status, wrong.body.as_str(), true),
            "{}: an unknown address gets the very same answer",
            db.label
        );

        // Right password (any case in the email): HttpOnly session cookie and a redirect header.
        let good = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("Prog@Ville.fr ", PASSWORD),
            None,
            true,
        )
        .await;
        assert_eq!(
            (good.status, good.location.as_str()),
            (StatusCode::FOUND, "/equipe"),
            "{}",
            db.label
        );
        let set_cookie = good.cookie.expect("cookie");
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let cookie = session_pair(&set_cookie);
        let listed = call(&app, "POST", "/api/equipe/cas", "", Some(&cookie), false).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", db.label);
        let home = call(&app, "GET", "/equipe", "", Some(&cookie), true).await;
        assert!(
            home.body.contains("Espace équipe") && home.body.contains("Équipe programme"),
            "{}",
            db.label
        );

        // A new session id at every sign-in.
        let again = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", PASSWORD),
            None,
            true,
        )
        .await;
        assert_ne!(session_pair(&again.cookie.expect("cookie")), cookie);

        // Sign-out ends the session on the server.
        let out = call(&app, "POST", "/api/equipe/deconnexion", "", Some(&cookie), true).await;
        assert!(out.cookie.unwrap_or_default().contains("Max-Age=0"));
        let after = call(&app, "POST", "/api/equipe/cas", "", Some(&cookie), false).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", db.label);

        // Disabling an account ends its sessions.
        let lecture_cookie = sign_in(&app, "lecture@ville.fr").await;
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&lecture_cookie), false)
                .await
                .status,
            StatusCode::OK
        );
        let account = store
            .account_by_email("lecture@ville.fr")
            .await
            .expect("read")
            .expect("exists");
        store.set_account_disabled(account.id, true).await.expect("disable");
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&lecture_cookie), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let refused = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("lecture@ville.fr", PASSWORD),
            None,
            false,
        )
        .await;
        assert!(
            refused.cookie.is_none(),
            "{}: a disabled account cannot sign in",
            db.label
        );

        // A forged cookie is refused.
        let forged = format!("iaf_session={}", "a".repeat(64));
        assert_eq!(
            call(&app, "POST", "/api/equipe/cas", "", Some(&forged), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn sign_in_attempts_are_limited() {
    let db = common::sqlite().await;
    let (app, _) = setup(&db).await;
    for _ in 0..5 {
        let reply = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", "mauvais mot de passe"),
            None,
            false,
        )
        .await;
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let limited = call(
        &app,
        "POST",
        "/api/equipe/connexion",
        &sign_in_body("prog@ville.fr", PASSWORD),
        None,
        false,
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("TooManyAttempts"), "{}", limited.body);
    assert_eq!(
        app::error::AppError::TooManyAttempts.to_string(),
        "Trop de tentatives de connexion : réessayez dans 15 minutes."
    );
    assert!(limited.cookie.is_none(), "even the right password waits");
    db.cleanup().await;
}

#[tokio::test]
async fn only_administrators_plan_periods_and_the_follow_up_page_names_the_next_one() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        assert!(store
            .create_account("admin@ville.fr", "Admin", Role::Admin, &hash, 0)
            .await
            .expect("admin"));
        let admin = sign_in(&app, "admin@ville.fr").await;
        let programme = sign_in(&app, "prog@ville.fr").await;
        let body = "nom=Rel%C3%A8ve+de+printemps+2099&debut=2099-03-01&fin=2099-05-31";

        let refused = call(
            &app,
            "POST",
            "/api/equipe/periodes/creer",
            body,
            Some(&programme),
            false,
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", db.label);
        let anonymous = call(&app, "POST", "/api/equipe/periodes/creer", body, None, false).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        assert!(
            store.periods().await.expect("periods").is_empty(),
            "{}: nothing created",
            db.label
        );

        let created = call(&app, "POST", "/api/equipe/periodes/creer", body, Some(&admin), true).await;
        assert_eq!(
            (created.status, created.location.as_str()),
            (StatusCode::FOUND, "/equipe/periodes?creee=1"),
            "{}",
            db.label
        );
        let overlapping = "nom=Chevauchement&debut=2099-05-01&fin=2099-06-30";
        let refused = call(
            &app,
            "POST",
            "/api/equipe/periodes/creer",
            overlapping,
            Some(&admin),
            false,
        )
        .await;
        assert!(refused.body.contains("chevauche"), "{}: {}", db.label, refused.body);
        let bad_date = call(
            &app,
            "POST",
            "/api/equipe/periodes/creer",
            "nom=Mauvaise&debut=2099-02-30&fin=2099-03-01",
            Some(&admin),
            false,
        )
        .await;
        assert!(bad_date.body.contains("« Premier jour »"), "{}", db.label);
        let long = call(
            &app,
            "POST",
            "/api/equipe/periodes/creer",
            "nom=Longue&debut=2100-01-01&fin=2100-06-30",
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(
            long.location, "/equipe/periodes?creee=1&avertissement=duree",
            "{}",
            db.label
        );
        let periods = store.periods().await.expect("periods");
        assert_eq!(periods.len(), 2);
        assert_eq!(
            app::domain::dates::format_paris(periods[0].starts_at),
            "1er mars 2099 à 0 h 00"
        );

        // The periods page, for a reader.
        let page = call(&app, "GET", "/equipe/periodes", "", Some(&programme), true).await;
        assert!(
            page.body.contains("Relève de printemps 2099") && page.body.contains("à venir"),
            "{}",
            db.label
        );
        assert!(
            !page.body.contains("Créer la période"),
            "{}: only admins see the form",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_case_page_shows_answers_and_history_to_signed_in_readers_only() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let directory = server::state::load_directory().expect("directory");
        server::seed::seed_demo(&store, &directory, 1_795_000_000)
            .await
            .expect("seed");
        let reference = store
            .case_summaries()
            .await
            .expect("cases")
            .into_iter()
            .find(|c| c.title == "Accélération de la révision du PLU")
            .expect("demo case")
            .reference;
        let body = format!("reference={reference}");
        assert_eq!(
            call(&app, "POST", "/api/equipe/dossier", &body, None, false)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let cookie = sign_in(&app, "lecture@ville.fr").await;
        let page = call(
            &app,
            "GET",
            &format!("/equipe/cas/{reference}"),
            "",
            Some(&cookie),
            true,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert!(page.body.contains("Métropole de Lyon"), "{}", db.label);
        assert!(
            page.body.contains("Cas d&#x27;usage déposé") || page.body.contains("Cas d'usage déposé"),
            "{}",
            db.label
        );
        assert!(
            page.body.contains("Diffusion et passage à l&#x27;échelle")
                || page.body.contains("Diffusion et passage à l'échelle")
        );
        assert!(
            page.body.contains("claire.dubois@exemple-collectivite.fr"),
            "{}: the team sees the contact",
            db.label
        );
        let missing = call(&app, "GET", "/equipe/cas/IAF-1999-00001", "", Some(&cookie), true).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_team_home_lists_what_is_due_and_the_cases_page_sorts_them() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        let day = 86_400;
        // The open period ends in five days; the cases filed before it started are examined in it.
        store
            .create_period("Relève d'automne", now - 10 * day, now + 5 * day, now)
            .await
            .expect("period");
        let mut answers = app::domain::intake::IntakeAnswers::default();
        answers.set("titre", "Tri des courriers");
        let unscored = insert_case(&store, &answers, &lyon_case("Tri des courriers"), now - 20 * day).await;
        let decided = insert_case(&store, &answers, &lyon_case("Réponses aux usagers"), now - 20 * day).await;
        for reference in [&unscored, &decided] {
            sqlx::query("UPDATE cases SET stage = 'qualification' WHERE reference = $1")
                .bind(reference)
                .execute(&store.pools.write)
                .await
                .expect("stage");
        }
        sqlx::query("UPDATE cases SET decision = 'qualifie' WHERE reference = $1")
            .bind(&decided)
            .execute(&store.pools.write)
            .await
            .expect("decision");
        let prog = sign_in(&app, "prog@ville.fr").await;
        let due = call(&app, "POST", "/api/equipe/a-traiter", "", Some(&prog), false).await;
        assert_eq!(due.status, StatusCode::OK, "{}: {}", db.label, due.body);
        let items: Vec<app::domain::due::DueItem> = serde_json::from_str(&due.body).expect("json");
        let of = |kind| {
            items
                .iter()
                .filter(|item| item.kind == kind)
                .map(|item| item.href.clone())
                .collect::<Vec<_>>()
        };
        use app::domain::due::DueKind;
        assert!(
            of(DueKind::Unscored).contains(&format!("/equipe/cas/{unscored}#qualification")),
            "{}: {items:?}",
            db.label
        );
        assert_eq!(
            of(DueKind::Decided),
            vec![format!("/equipe/cas/{decided}/deplacer")],
            "{}",
            db.label
        );
        assert_eq!(
            of(DueKind::PeriodEnding),
            vec!["/equipe/periodes".to_string()],
            "{}",
            db.label
        );
        // The read-only role has nothing to move or score.
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let read_only = call(&app, "POST", "/api/equipe/a-traiter", "", Some(&reader), false).await;
        let read_only: Vec<app::domain::due::DueItem> = serde_json::from_str(&read_only.body).expect("json");
        assert!(read_only.is_empty(), "{}: {read_only:?}", db.label);
        // The home shows them under the team's header; anonymous readers are sent to the sign-in.
        let home = call(&app, "GET", "/equipe", "", Some(&prog), true).await;
        assert!(
            home.body.contains("Menu de l&#x27;équipe") || home.body.contains("Menu de l'équipe"),
            "{}",
            db.label
        );
        assert!(
            home.body.contains("Décisions prises, cas encore en qualification (1)"),
            "{}",
            db.label
        );
        assert!(home.body.contains("Se déconnecter"), "{}", db.label);
        let public = call(&app, "GET", "/catalogue", "", None, true).await;
        assert!(
            public.body.contains("Menu principal") && !public.body.contains("Se déconnecter"),
            "{}",
            db.label
        );
        // The list of cases, sorted by title.
        let listed = call(&app, "GET", "/equipe/cas?tri=titre", "", Some(&prog), true).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", db.label);
        let first = listed.body.find("Réponses aux usagers").expect("listed");
        let second = listed.body.find("Tri des courriers").expect("listed");
        assert!(first < second, "{}: sorted by title", db.label);
        assert!(listed.body.contains("aria-sort=\"ascending\""), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_signed_out_request_for_a_team_page_is_sent_to_sign_in_which_returns_there() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let answers = app::domain::intake::IntakeAnswers::default();
        let reference = insert_case(&store, &answers, &lyon_case("Tri des courriers"), 1_700_000_000).await;
        let case_page = app::routes::case(&reference).page();

        // Without a session, every team page answers 303 to the sign-in page, with the page asked for (query
        // included): no empty page, with or without JavaScript.
        for (asked, retour) in [
            ("/equipe/tableau".to_string(), "%2Fequipe%2Ftableau".to_string()),
            (
                format!("{case_page}?enregistre=avis"),
                app::domain::text::encode_component(&format!("{case_page}?enregistre=avis")),
            ),
            ("/equipe/periodes".to_string(), "%2Fequipe%2Fperiodes".to_string()),
        ] {
            let page = call(&app, "GET", &asked, "", None, true).await;
            assert_eq!(
                (page.status, page.location.as_str()),
                (
                    StatusCode::SEE_OTHER,
                    format!("/equipe/connexion?retour={retour}").as_str()
                ),
                "{}: {asked}",
                db.label
            );
            assert!(!page.body.contains("Tri des courriers"), "{}", db.label);
        }
        let home = call(&app, "GET", "/equipe", "", None, true).await;
        assert_eq!(
            (home.status, home.location.as_str()),
            (StatusCode::SEE_OTHER, "/equipe/connexion"),
            "{}: the team's home is where sign-in leads anyway",
            db.label
        );
        // The pages before the sign-in are served; the files served by axum still answer 401.
        for open in ["/equipe/connexion", "/equipe/mot-de-passe-oublie"] {
            let page = call(&app, "GET", open, "", None, true).await;
            assert_eq!(page.status, StatusCode::OK, "{}: {open}", db.label);
        }
        let export = call(&app, "GET", "/equipe/export/cas.csv", "", None, true).await;
        assert_eq!(export.status, StatusCode::UNAUTHORIZED, "{}", db.label);

        // Signing in with the page asked for leads there.
        let body = format!(
            "{}&retour={}",
            sign_in_body("prog@ville.fr", PASSWORD),
            app::domain::text::encode_component(&format!("{case_page}?enregistre=avis"))
        );
        let signed_in = call(&app, "POST", "/api/equipe/connexion", &body, None, true).await;
        assert_eq!(
            (signed_in.status, signed_in.location.as_str()),
            (StatusCode::FOUND, format!("{case_page}?enregistre=avis").as_str()),
            "{}",
            db.label
        );
        let cookie = session_pair(&signed_in.cookie.expect("cookie"));
        let page = call(&app, "GET", &case_page, "", Some(&cookie), true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert!(page.body.contains("Tri des courriers"), "{}", db.label);

        // An address elsewhere is never followed: the team's home instead.
        for elsewhere in [
            "https://ailleurs.example/equipe",
            "//ailleurs.example/equipe",
            "/\\ailleurs.example",
            "/catalogue",
        ] {
            let body = format!(
                "{}&retour={}",
                sign_in_body("prog@ville.fr", PASSWORD),
                app::domain::text::encode_component(elsewhere)
            );
            let reply = call(&app, "POST", "/api/equipe/connexion", &body, None, true).await;
            assert_eq!(
                (reply.status, reply.location.as_str()),
                (StatusCode::FOUND, "/equipe"),
                "{}: {elsewhere}",
                db.label
            );
        }
    }
}
