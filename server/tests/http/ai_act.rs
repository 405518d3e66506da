//! Issue 16 through HTTP on SQLite and PostgreSQL: the AI Act level recorded at filing and badged on the board,
//! the gates it sets (a "prohibited" pre-assessment needs an override reason; a high-risk cadrage must list the
//! impact assessment), similar cases (a collectivité sees published cases and a count, the team the cases and
//! the suggested réplicabilité), and the open data other registers read (Bibliothèque CSV, DCAT-AP, schema 1.2).

use crate::board::{grid_body, move_body, version_of};
use crate::common;

use app::domain::intake::IntakeAnswers;
use app::domain::registers::BIBLIOTHEQUE_COLUMNS;
use app::store::intake::NewCase;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use server::sql::SqlStore;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

fn answers(title: &str, problem: &str, solution: &str, ticked: &[&str]) -> IntakeAnswers {
    let mut answers = IntakeAnswers::default();
    answers.set("titre", title);
    answers.set("probleme", problem);
    answers.set("solution", solution);
    for name in ticked {
        answers.set(name, "on");
    }
    answers
}

fn case_of(title: &str, key: &str, name: &str, region: &str) -> NewCase {
    NewCase {
        collectivite_kind: key.split(':').next().unwrap_or_default().into(),
        collectivite_key: key.into(),
        collectivite_name: name.into(),
        region: region.into(),
        ..lyon_case(title)
    }
}

async fn stage(store: &SqlStore, reference: &str, stage: &str) {
    sqlx::query("UPDATE cases SET stage = $1 WHERE reference = $2")
        .bind(stage)
        .bind(reference)
        .execute(&store.pools.write)
        .await
        .expect("stage");
}

async fn column(store: &SqlStore, reference: &str, column: &str) -> Option<String> {
    sqlx::query_scalar(&format!("SELECT {column} FROM cases WHERE reference = $1"))
        .bind(reference)
        .fetch_one(&store.pools.read)
        .await
        .expect("column")
}

#[tokio::test]
async fn the_pre_assessment_is_recorded_at_filing_and_badged_on_the_board() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let aid = answers(
            "Éligibilité aux aides",
            "Les demandes d'aide sont nombreuses.",
            "Le système décide l'éligibilité.",
            &["ia_aides"],
        );
        let aid_ref = insert_case(&store, &aid, &lyon_case("Éligibilité aux aides"), now()).await;
        let chat = answers("Agent du site", "Trop d'appels.", "Un agent répond.", &["ia_public"]);
        let chat_ref = insert_case(&store, &chat, &lyon_case("Agent du site"), now()).await;
        let plain = answers("Comptes rendus", "Trop de notes.", "Un assistant résume.", &[]);
        let plain_ref = insert_case(&store, &plain, &lyon_case("Comptes rendus"), now()).await;
        assert_eq!(
            column(&store, &aid_ref, "ai_act_level").await.as_deref(),
            Some("haut-risque"),
            "{}",
            db.label
        );
        assert_eq!(
            column(&store, &chat_ref, "ai_act_level").await.as_deref(),
            Some("transparence"),
            "{}",
            db.label
        );
        assert_eq!(
            column(&store, &plain_ref, "ai_act_level").await.as_deref(),
            Some("minimal"),
            "{}",
            db.label
        );
        let board = call(&app, "GET", "/equipe/tableau", "", Some(&prog), true).await;
        assert_eq!(board.status, StatusCode::OK, "{}", db.label);
        assert!(
            board.body.contains("AI Act : haut risque (à confirmer)"),
            "{}",
            db.label
        );
        assert!(
            board.body.contains("AI Act : transparence (à confirmer)"),
            "{}",
            db.label
        );
        assert_eq!(
            board.body.matches("AI Act :").count(),
            2,
            "{}: no badge for minimal",
            db.label
        );
        let page = call(&app, "GET", &format!("/equipe/cas/{aid_ref}"), "", Some(&prog), true).await;
        assert!(page.body.contains("Art. 27"), "{}", db.label);
        assert!(
            page.body.contains("Niveau AI Act confirmé par l&#x27;équipe")
                || page.body.contains("Niveau AI Act confirmé par l'équipe"),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_prohibited_pre_assessment_is_qualified_only_with_an_override_reason() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let prohibited = answers(
            "Notation des habitants",
            "Trop de demandes.",
            "Un score social.",
            &["ia_interdit"],
        );
        let reference = insert_case(&store, &prohibited, &lyon_case("Notation des habitants"), now()).await;
        stage(&store, &reference, "qualification").await;
        let post = |body: String| {
            let app = app.clone();
            let prog = prog.clone();
            async move { call(&app, "POST", "/api/equipe/qualifier", &body, Some(&prog), false).await }
        };
        let kept = grid_body(&reference, 1, "3", "qualifie").replace("niveau_ai_act=minimal", "niveau_ai_act=interdit");
        let refused = post(kept).await;
        assert_ne!(refused.status, StatusCode::OK, "{}", db.label);
        assert!(
            refused.body.contains("ne peut pas être qualifié"),
            "{}: {}",
            db.label,
            refused.body
        );
        let silent = post(grid_body(&reference, 1, "3", "qualifie")).await;
        assert!(
            silent.body.contains("motif de dérogation"),
            "{}: {}",
            db.label,
            silent.body
        );
        assert_eq!(
            column(&store, &reference, "decision").await,
            None,
            "{}: nothing saved",
            db.label
        );
        let overridden = post(format!(
            "{}&derogation_ai_act=Case+coch%C3%A9e+par+erreur+%3A+aucune+notation",
            grid_body(&reference, 1, "3", "qualifie")
        ))
        .await;
        assert_eq!(overridden.status, StatusCode::OK, "{}: {}", db.label, overridden.body);
        assert_eq!(
            column(&store, &reference, "ai_act_confirmed").await.as_deref(),
            Some("minimal"),
            "{}",
            db.label
        );
        assert_eq!(
            column(&store, &reference, "ai_act_override").await.as_deref(),
            Some("Case cochée par erreur : aucune notation"),
            "{}",
            db.label
        );
        let version = version_of(&store, &reference).await;
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, version, "cadrage", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        // Without the override, the gate holds the case in qualification even with a full grid.
        let other = insert_case(&store, &prohibited, &lyon_case("Notation bis"), now()).await;
        stage(&store, &other, "qualification").await;
        sqlx::query("UPDATE cases SET decision = 'qualifie', ai_act_confirmed = 'minimal' WHERE reference = $1")
            .bind(&other)
            .execute(&store.pools.write)
            .await
            .expect("decision");
        let ids: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(&other)
            .fetch_one(&store.pools.read)
            .await
            .expect("id");
        for criterion in ["replicabilite", "alignement", "impact", "portage", "faisabilite"] {
            sqlx::query("INSERT INTO case_scores (case_id, criterion, score, comment) VALUES ($1, $2, 3, '')")
                .bind(ids)
                .bind(criterion)
                .execute(&store.pools.write)
                .await
                .expect("score");
        }
        let held = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&other, 1, "cadrage", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(held.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(held.body.contains("pratique interdite"), "{}: {}", db.label, held.body);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_high_risk_case_leaves_the_cadrage_only_with_the_impact_assessment_listed() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let aid = answers(
            "Éligibilité aux aides",
            "Beaucoup de demandes.",
            "Le système décide.",
            &["ia_aides"],
        );
        let reference = insert_case(&store, &aid, &lyon_case("Éligibilité aux aides"), now()).await;
        signed_pdf(&store, &reference).await;
        stage(&store, &reference, "cadrage").await;
        let mut document = complete_cadrage(&aid);
        assert!(
            document
                .get("livrables_cadrage")
                .contains("Analyse d'impact sur les droits fondamentaux"),
            "{}: the prefill lists it for a high-risk case",
            db.label
        );
        document.set("livrables_cadrage", "Étude de faisabilité");
        let save = |base: i64, document: app::domain::cadrage::CadrageDocument| {
            let app = app.clone();
            let prog = prog.clone();
            let reference = reference.clone();
            async move {
                call(
                    &app,
                    "POST",
                    "/api/equipe/cadrage/enregistrer",
                    &cadrage_body(&reference, base, &document),
                    Some(&prog),
                    true,
                )
                .await
            }
        };
        let validate = |version: i64| {
            let app = app.clone();
            let prog = prog.clone();
            let reference = reference.clone();
            async move {
                for party in ["collectivite", "caisse-des-depots", "prestataire"] {
                    let done = call(
                        &app,
                        "POST",
                        "/api/equipe/cadrage/valider",
                        &validation_body(&reference, version, party),
                        Some(&prog),
                        true,
                    )
                    .await;
                    assert!(done.location.contains("enregistre=validation"), "{}", done.body);
                }
            }
        };
        assert!(
            save(0, document.clone()).await.location.contains("enregistre=version"),
            "{}",
            db.label
        );
        validate(1).await;
        let version = version_of(&store, &reference).await;
        let refused = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, version, "conception", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(refused.body.contains("art. 27"), "{}: {}", db.label, refused.body);
        document.set(
            "livrables_cadrage",
            "Étude de faisabilité\nAnalyse d'impact (AI Act, art. 27)",
        );
        assert!(
            save(1, document).await.location.contains("enregistre=version"),
            "{}",
            db.label
        );
        validate(2).await;
        let version = version_of(&store, &reference).await;
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, version, "conception", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        db.cleanup().await;
    }
}

/// A publication of `reference` with plain values; tests change what they look at.
pub(crate) fn publication(reference: &str, slug: &str, title: &str) -> app::store::catalogue::NewPublication {
    app::store::catalogue::NewPublication {
        case: crate::common::system_case(reference),
        slug: slug.into(),
        title: title.into(),
        summary: "Un résumé.".into(),
        problem: "Trop de travail.".into(),
        solution: "Un assistant.".into(),
        documentation: String::new(),
        videos: Vec::new(),
        supports: Vec::new(),
        contact: "Écrivez à l'équipe.".into(),
        hosting: "mistral-compute".into(),
        collectivite_code: String::new(),
        collectivite_siren: String::new(),
        population: None,
        typologie: "produit-vibe".into(),
        agents_measured: None,
        hours_measured: None,
        ai_act_level: None,
        ai_act_obligations: Vec::new(),
        public_facing: false,
        now: now(),
        actor: "Équipe".into(),
        notice: None,
        based_on: None,
    }
}

const NEED_TITLE: &str = "Analyse automatique des marchés publics";
const NEED_PROBLEM: &str = "Les agents lisent à la main les pièces des marchés publics et les offres des entreprises.";
const NEED_SOLUTION: &str = "Un assistant analyse les offres des marchés publics et prépare le rapport d'analyse.";

#[tokio::test]
async fn similar_cases_show_published_ones_and_only_count_the_others() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let close = answers(NEED_TITLE, NEED_PROBLEM, NEED_SOLUTION, &[]);
        // Two close cases of other collectivités (one of them published), one of the same collectivité, one far.
        let published = insert_case(
            &store,
            &close,
            &case_of("Analyse des offres des marchés", "commune:35238", "Rennes", "Bretagne"),
            now(),
        )
        .await;
        let private = insert_case(
            &store,
            &close,
            &case_of(
                "Rapport d'analyse des offres",
                "commune:13055",
                "Marseille",
                "Provence-Alpes-Côte d'Azur",
            ),
            now(),
        )
        .await;
        let own = insert_case(
            &store,
            &close,
            &case_of("Marchés de Lyon", "commune:69123", "Lyon", "Auvergne-Rhône-Alpes"),
            now(),
        )
        .await;
        let far = answers(
            "Comptes rendus de réunions",
            "Les notes de réunion sont longues à rédiger.",
            "Un assistant résume les réunions.",
            &[],
        );
        insert_case(
            &store,
            &far,
            &case_of("Comptes rendus", "commune:75056", "Paris", "Île-de-France"),
            now(),
        )
        .await;
        store
            .publish(&app::store::catalogue::NewPublication {
                problem: NEED_PROBLEM.into(),
                solution: NEED_SOLUTION.into(),
                collectivite_code: "35238".into(),
                collectivite_siren: "213502388".into(),
                ..publication(&published, "analyse-des-offres", "Analyse des offres des marchés")
            })
            .await
            .expect("publish");
        // A collectivité (Lyon) describing the same need in its draft.
        let started = call(&app, "POST", "/api/depot/commencer", "", None, true).await;
        let token = started
            .location
            .strip_prefix("/deposer/")
            .and_then(|rest| rest.split('/').next())
            .expect("token")
            .to_string();
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        let mut draft_answers = IntakeAnswers::default();
        draft_answers.set("collectivite", "commune:69123");
        store.save_draft(&hash, &draft_answers, now()).await.expect("draft");
        let body = close_cases_body(
            &token,
            "Analyser les offres des marchés publics",
            "Les offres des entreprises aux marchés publics sont lues à la main.",
            "Un assistant prépare l'analyse des offres.",
        );
        let found = post_json(&app, "/api/depot/partie", &body).await;
        assert_eq!(found.status, StatusCode::OK, "{}: {}", db.label, found.body);
        // Rendered as the step shows them: one published case to replicate, and the count of the others.
        let similar: app::model::intake::StepFragment = serde_json::from_str(&found.body).expect("json");
        assert_eq!(
            similar.html.matches("Répliquer ce cas : ").count(),
            1,
            "{}: {:?}",
            db.label,
            similar
        );
        let link = format!("href=\"{}\"", app::routes::catalogue_case("analyse-des-offres"));
        assert!(similar.html.contains(&link), "{}: {:?}", db.label, similar);
        assert_eq!(
            similar.announce, "1 cas publié ressemble à votre besoin : il est listé sous le formulaire.",
            "{}",
            db.label
        );
        assert!(
            similar
                .html
                .contains("2 collectivités ont déjà déposé un cas proche du vôtre, pas encore publié."),
            "{}: Marseille and Lyon counted (the collectivité named at step 1 is not proven), Rennes is published",
            db.label
        );
        assert!(
            !found.body.contains(&private) && !found.body.contains("Marseille"),
            "{}: nothing private",
            db.label
        );
        // Without JavaScript, the next screen shows them.
        draft_answers.set("titre", "Analyser les offres des marchés publics");
        draft_answers.set(
            "probleme",
            "Les offres des entreprises aux marchés publics sont lues à la main.",
        );
        draft_answers.set("solution", "Un assistant prépare l'analyse des offres.");
        store.save_draft(&hash, &draft_answers, now()).await.expect("draft");
        let step3 = call(&app, "GET", &format!("/deposer/{token}/etape/3"), "", None, true).await;
        assert!(step3.body.contains("Des cas proches du vôtre"), "{}", db.label);
        assert!(step3.body.contains("Répliquer ce cas"), "{}", db.label);
        assert!(!step3.body.contains("Marseille"), "{}", db.label);
        // A published case is found by what was published, never by the words of its private intake.
        let private_words = answers(
            "Déneigement des routes communales",
            "Les saleuses partent sans connaître l'état des routes verglacées du plateau.",
            "Un modèle prévoit le verglas et planifie les tournées des saleuses.",
            &[],
        );
        let snow = insert_case(
            &store,
            &private_words,
            &case_of(
                "Déneigement",
                "commune:63113",
                "Clermont-Ferrand",
                "Auvergne-Rhône-Alpes",
            ),
            now(),
        )
        .await;
        store
            .publish(&app::store::catalogue::NewPublication {
                problem: "Les comptes rendus de réunion prennent du temps.".into(),
                solution: "Un assistant rédige les comptes rendus.".into(),
                ..publication(&snow, "comptes-rendus-clermont", "Comptes rendus de réunion")
            })
            .await
            .expect("publish");
        let body = close_cases_body(
            &token,
            "Déneigement des routes verglacées",
            "Nos saleuses partent sans connaître l'état des routes du plateau.",
            "Prévoir le verglas et planifier les tournées des saleuses.",
        );
        let probed = post_json(&app, "/api/depot/partie", &body).await;
        let probed: app::model::intake::StepFragment = serde_json::from_str(&probed.body).expect("json");
        assert!(
            !probed.html.contains("Répliquer ce cas") && !probed.html.contains("ont déjà déposé"),
            "{}: {:?}",
            db.label,
            probed
        );
        // A token that opens nothing gets nothing.
        let refused = post_json(&app, "/api/depot/partie", &close_cases_body("inconnu", "a", "b", "c")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", db.label);
        // The team sees the close cases of other collectivités, their count, and the suggested réplicabilité.
        let page = call(&app, "GET", &format!("/equipe/cas/{own}"), "", Some(&prog), true).await;
        assert!(
            page.body.contains("Cas proches : 2 autres collectivités"),
            "{}",
            db.label
        );
        assert!(
            page.body.contains(&private) && page.body.contains(&published),
            "{}",
            db.label
        );
        assert!(
            page.body
                .contains("Score suggéré : 3 / 3 — 2 autres collectivités ont déposé un cas proche."),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_open_data_speaks_the_registers_models_and_schema_1_2() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let chat = answers("Agent du site", "Trop d'appels.", "Un agent répond.", &["ia_public"]);
        let reference = insert_case(
            &store,
            &chat,
            &case_of("Agent du site", "region:53", "Région Bretagne", "Bretagne"),
            now(),
        )
        .await;
        let obligations = vec![app::domain::ai_act::review::PublishedObligation {
            article: "Art. 50".into(),
            text: "Informer clairement les personnes.".into(),
        }];
        store
            .publish(&app::store::catalogue::NewPublication {
                summary: "Un agent répond aux usagers, \"vite\".".into(),
                solution: "Un agent répond, avec des virgules.".into(),
                hosting: "on-premise".into(),
                collectivite_code: "53".into(),
                ai_act_level: Some(app::domain::ai_act::RiskLevel::Transparency),
                ai_act_obligations: obligations,
                public_facing: true,
                ..publication(&reference, "agent-du-site", "Agent du site")
            })
            .await
            .expect("publish");
        let csv = call(
            &app,
            "GET",
            "/catalogue/bibliotheque-ia-territoriale.csv",
            "",
            None,
            false,
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", db.label);
        let mut lines = csv.body.split("\r\n");
        assert_eq!(
            lines.next(),
            Some(BIBLIOTHEQUE_COLUMNS.join(",").as_str()),
            "{}: header, no BOM",
            db.label
        );
        let row = lines.next().expect("row");
        assert!(
            row.starts_with("Région Bretagne,Agent du site,NSP,,,Région,"),
            "{}: {row}",
            db.label
        );
        assert!(
            row.contains("\"Un agent répond aux usagers, \"\"vite\"\".\""),
            "{}: RFC 4180 quoting",
            db.label
        );
        assert!(
            row.contains(",Grand public,en interne de l'administration,"),
            "{}: {row}",
            db.label
        );
        assert!(
            row.contains(",Art. 50 : Informer clairement les personnes.,risque limité,"),
            "{}: {row}",
            db.label
        );
        let json = call(&app, "GET", "/catalogue.json", "", None, false).await;
        let json: serde_json::Value = serde_json::from_str(&json.body).expect("json");
        assert_eq!(json["version"], "1.2", "{}", db.label);
        assert_eq!(json["cas"][0]["ai_act"]["niveau"], "transparence", "{}", db.label);
        assert_eq!(
            json["cas"][0]["ai_act"]["obligations"][0]["article"], "Art. 50",
            "{}",
            db.label
        );
        let csv = call(&app, "GET", "/catalogue.csv", "", None, false).await;
        let header = csv.body.lines().next().expect("header");
        assert!(
            header.contains(";version_schema;ai_act_niveau;ai_act_obligations;"),
            "{}: {header}",
            db.label
        );
        assert!(
            csv.body.contains(";1.2;transparence;Art. 50 : Informer"),
            "{}",
            db.label
        );
        let dcat = call(&app, "GET", "/catalogue/dcat.jsonld", "", None, false).await;
        assert_eq!(dcat.status, StatusCode::OK, "{}", db.label);
        let dcat: serde_json::Value = serde_json::from_str(&dcat.body).expect("json-ld");
        let distributions = dcat["dcat:dataset"][0]["dcat:distribution"]
            .as_array()
            .expect("distributions")
            .clone();
        assert_eq!(distributions.len(), 4, "{}", db.label);
        for distribution in distributions {
            let url = distribution["dcat:downloadURL"]["@id"]
                .as_str()
                .expect("url")
                .to_string();
            // Requests without a Host header get links relative to the site (scripts/opendata checks absolute ones).
            let path = match url.split_once("://") {
                Some((_, rest)) => rest[rest.find('/').expect("path")..].to_string(),
                None => url.clone(),
            };
            let fetched = call(&app, "GET", &path, "", None, false).await;
            assert_eq!(fetched.status, StatusCode::OK, "{}: {url}", db.label);
        }
        let docs = call(&app, "GET", "/docs/correspondances-registres", "", None, false).await;
        assert!(docs.body.contains("Algoritmeregister"), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn cases_indexed_before_the_whole_texts_get_their_words_at_start_up_and_keep_their_level() {
    for db in common::both().await {
        let (_app, store) = setup(&db).await;
        let need = answers(NEED_TITLE, NEED_PROBLEM, NEED_SOLUTION, &[]);
        let lyon = insert_case(&store, &need, &lyon_case("Marchés de Lyon"), now()).await;
        let rennes = insert_case(
            &store,
            &need,
            &case_of("Marchés de Rennes", "commune:35238", "Rennes", "Bretagne"),
            now(),
        )
        .await;
        // As a database migrated from the first 40 words holds them: no document, a level set by the team's
        // former rules that the job must not recompute.
        sqlx::query("DELETE FROM similarity_documents")
            .execute(&store.pools.write)
            .await
            .expect("clear");
        sqlx::query("UPDATE cases SET ai_act_level = 'transparence' WHERE reference = $1")
            .bind(&lyon)
            .execute(&store.pools.write)
            .await
            .expect("level");
        let lyon_case = app::domain::access::VisibleCase::for_system(
            app::domain::reference::CaseReference::parse(&lyon).expect("reference"),
        );
        assert!(
            store.close_to_case(&lyon_case).await.expect("close").is_empty(),
            "{}",
            db.label
        );
        assert_eq!(store.index_pending_cases(500).await.expect("job"), 2, "{}", db.label);
        assert_eq!(
            store.index_pending_cases(500).await.expect("job"),
            0,
            "{}: done once",
            db.label
        );
        let close = store.close_to_case(&lyon_case).await.expect("close");
        assert_eq!(
            close.iter().map(|case| case.reference.as_str()).collect::<Vec<_>>(),
            vec![rennes.as_str()],
            "{}: found by the same process, whose index reads the new rows",
            db.label
        );
        assert_eq!(
            column(&store, &lyon, "ai_act_level").await.as_deref(),
            Some("transparence"),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}
