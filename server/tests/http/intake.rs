//! The intake through HTTP as a browser without JavaScript uses it (form posts, redirects, pages), on SQLite
//! and PostgreSQL: start, save with a bad value kept, French error on the page, resume, file, receipt.

use crate::common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use leptos::prelude::LeptosOptions;
use server::http::router;
use server::sql::SqlStore;
use server::state::{load_directory, AppState};

fn app(db: &common::TestDb) -> Router {
    let options = LeptosOptions::builder().output_name("ia-factory").build();
    router(AppState::new(
        options,
        Arc::new(SqlStore::new(db.pools.clone())),
        Arc::new(load_directory().expect("directory")),
        false,
        Arc::new(server::scan::DocumentFiles::scratch().expect("pieces")),
        Default::default(),
    ))
}

/// A form post as a browser sends it without JavaScript.
pub(crate) async fn post_form(app: &Router, path: &str, body: &str) -> (StatusCode, String) {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, "http://localhost/deposer")
        .body(Body::from(body.to_string()))
        .expect("request");
    let (parts, _) = crate::common::http::answered(&format!("POST {path}"), app, request).await;
    let status = parts.status;
    let location = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location)
}

async fn get_page(app: &Router, path: &str) -> (StatusCode, String) {
    let request = Request::get(path)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .expect("request");
    let (parts, bytes) = crate::common::http::answered(&format!("GET {path}"), app, request).await;
    (parts.status, String::from_utf8_lossy(&bytes).into_owned())
}

pub(crate) fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", app::domain::text::encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(crate) async fn start(app: &Router) -> String {
    let (status, location) = post_form(app, "/api/depot/commencer", "").await;
    assert_eq!(status, StatusCode::FOUND);
    let token = location
        .strip_prefix("/deposer/")
        .and_then(|rest| rest.strip_suffix("/etape/1"))
        .expect("redirect to step 1")
        .to_string();
    assert_eq!(token.len(), 64, "256-bit token");
    token
}

pub(crate) fn step_bodies(token: &str) -> Vec<(i32, String)> {
    vec![
        (
            1,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("collectivite", "commune:42218"),
                ("contact_nom", "Camille Martin"),
                ("contact_fonction", "Cheffe de projet"),
                ("contact_email", "camille.martin@saint-etienne.fr"),
                ("contact_telephone", ""),
            ]),
        ),
        (
            2,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("titre", "Pré-instruction des permis de construire"),
                (
                    "probleme",
                    "Les dossiers arrivent incomplets et les instructeurs perdent du temps.",
                ),
                (
                    "solution",
                    "Un agent IA vérifie la complétude des dossiers et prépare une note.",
                ),
                ("domaine", "urbanisme"),
                ("perimetre", "Permis de construire"),
                ("directions", "Urbanisme, DSI"),
                ("brique_agents", "on"),
                ("typologie", "application-integree-si"),
            ]),
        ),
        (
            3,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("agents", "25"),
                ("usagers", "12 000"),
                ("occurrences_mois", "200"),
                ("minutes_par_occurrence", "45"),
                ("part_temps_gagne", "50"),
            ]),
        ),
        (
            4,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("metier_nom", "Jean Dupont"),
                ("metier_fonction", "Directeur"),
            ]),
        ),
        (
            5,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("donnees_necessaires", "Dossiers de permis numérisés"),
                ("disponibilite_donnees", "disponibles"),
                ("qualite_donnees", "bonne"),
                ("donnees_personnelles", "oui"),
                ("maturite", "2"),
                ("stade_projet", "besoin-defini"),
                ("hebergement", "mistral-compute"),
                ("agents_vibe", ""),
            ]),
        ),
    ]
}

#[tokio::test]
async fn a_collectivite_files_a_case_without_javascript() {
    for db in common::both().await {
        let app = app(&db);
        let token = start(&app).await;

        // A bad email: the value is kept, the step reloads with the French error naming the field.
        let bad = encode(&[
            ("token", &token),
            ("intention", "suivant"),
            ("collectivite", "commune:42218"),
            ("contact_nom", "Camille"),
            ("contact_fonction", "Cheffe"),
            ("contact_email", "camille-at-ville"),
        ]);
        let (status, location) = post_form(&app, "/api/depot/etape1", &bad).await;
        assert_eq!(
            (status, location.as_str()),
            (
                StatusCode::FOUND,
                format!("/deposer/{token}/etape/1?erreurs=1").as_str()
            ),
            "{}",
            db.label
        );
        let (status, page) = get_page(&app, &location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("« Adresse électronique » : saisissez une adresse au format nom@domaine.fr."),
            "{}",
            db.label
        );
        assert!(
            page.contains("value=\"camille-at-ville\""),
            "{}: the typed value is kept",
            db.label
        );
        assert!(page.contains("Étape 1 sur 6"));
        assert!(page.contains("Saint-Étienne"), "the chosen collectivité is shown");

        // Every step, valid: each redirects to the next.
        for (step, body) in step_bodies(&token) {
            let (status, location) = post_form(&app, &format!("/api/depot/etape{step}"), &body).await;
            assert_eq!(status, StatusCode::FOUND);
            assert_eq!(
                location,
                format!("/deposer/{token}/etape/{}", step + 1),
                "{} step {step}",
                db.label
            );
        }

        // The summary shows the estimate and the portage alert (DSI and sponsor missing).
        let (_, summary) = get_page(&app, &format!("/deposer/{token}/etape/6")).await;
        assert!(
            summary.contains("Environ 900 heures de travail économisées par an"),
            "{}",
            db.label
        );
        assert!(
            summary.contains("Signal d&#x27;alerte") || summary.contains("Signal d'alerte"),
            "{}",
            db.label
        );

        // File it, then the receipt and the follow-up page.
        let (status, location) = post_form(&app, "/api/depot/deposer", &encode(&[("token", &token)])).await;
        assert_eq!(
            (status, location.clone()),
            (StatusCode::FOUND, format!("/deposer/{token}/recu")),
            "{}",
            db.label
        );
        let (_, receipt) = get_page(&app, &location).await;
        assert!(receipt.contains("IAF-20"), "{}: reference on the receipt", db.label);
        assert!(receipt.contains(&format!("/suivi/{token}")));
        let (status, follow) = get_page(&app, &format!("/suivi/{token}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            follow.contains("Remontée") && follow.contains("prochaine période de relève"),
            "{}",
            db.label
        );

        // Filing again creates nothing more.
        post_form(&app, "/api/depot/deposer", &encode(&[("token", &token)])).await;
        let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&db.pools.read)
            .await
            .expect("count");
        assert_eq!(cases, 1, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_incomplete_draft_is_never_filed() {
    for db in common::both().await {
        let app = app(&db);
        let token = start(&app).await;
        let (status, location) = post_form(&app, "/api/depot/deposer", &encode(&[("token", &token)])).await;
        assert_eq!(
            (status, location.clone()),
            (StatusCode::FOUND, format!("/deposer/{token}/etape/6?erreurs=1")),
            "{}",
            db.label
        );
        let (_, page) = get_page(&app, &location).await;
        assert!(
            page.contains("Le dossier ne peut pas encore être déposé"),
            "{}",
            db.label
        );
        assert!(
            page.contains("« Titre du cas d&#x27;usage » : ce champ est obligatoire.")
                || page.contains("« Titre du cas d'usage » : ce champ est obligatoire.")
        );
        let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&db.pools.read)
            .await
            .expect("count");
        assert_eq!(cases, 0, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn unknown_or_malformed_links_get_a_french_404() {
    for db in common::both().await {
        let app = app(&db);
        let (status, page) = get_page(&app, &format!("/deposer/{}/etape/1", "0".repeat(64))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", db.label);
        assert!(page.contains("Ce lien ne correspond à aucun dossier"));
        let (status, _) = get_page(&app, "/deposer/pas-un-jeton/etape/1").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = get_page(&app, "/nulle-part").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_official_list_is_complete_and_searchable() {
    use app::domain::collectivites::Kind;
    let directory = load_directory().expect("directory");
    assert_eq!(directory.count(Kind::Commune), 34_969);
    assert_eq!(directory.count(Kind::Epci), 1_255);
    assert_eq!(
        directory.count(Kind::Departement),
        110,
        "with the Collectivité européenne d'Alsace"
    );
    assert_eq!(directory.count(Kind::Region), 26);
    assert_eq!(directory.search("marseille")[0].name, "Marseille");
    assert_eq!(directory.search("69123")[0].name, "Lyon", "INSEE code");
    assert!(
        directory.search("69001").iter().any(|c| c.name == "Lyon"),
        "postal code"
    );
    assert_eq!(directory.search("200046977")[0].name, "Métropole de Lyon");
}

#[tokio::test]
async fn one_collectivite_of_each_kind_is_found_by_name_code_and_siren() {
    let directory = load_directory().expect("directory");
    // (name typed, code, SIREN, key found): a commune, an EPCI, départements, régions, and collectivités à
    // statut particulier (Corse, Martinique, Alsace, Paris, Métropole de Lyon, Mayotte, Saint-Pierre-et-Miquelon).
    let cases = [
        ("Marseille", "13055", "211300553", "commune:13055"),
        ("Rennes Métropole", "243500139", "243500139", "epci:243500139"),
        ("Département de la Vendée", "85", "228500013", "departement:85"),
        (
            "Conseil départemental d'Ille-et-Vilaine",
            "35",
            "223500018",
            "departement:35",
        ),
        ("Région Centre-Val de Loire", "24", "234500023", "region:24"),
        ("Région Occitanie", "76", "200053791", "region:76"),
        ("Collectivité de Corse", "94", "200076958", "region:94"),
        (
            "Collectivité territoriale de Martinique",
            "02",
            "200055507",
            "region:02",
        ),
        (
            "Collectivité européenne d'Alsace",
            "6AE",
            "200094332",
            "departement:6AE",
        ),
        ("Ville de Paris", "75056", "217500016", "commune:75056"),
        ("Métropole de Lyon", "200046977", "200046977", "epci:200046977"),
        ("Département de Mayotte", "976", "229850003", "departement:976"),
        ("Saint-Pierre-et-Miquelon", "975", "229750013", "departement:975"),
    ];
    // The département named, before the others holding its name.
    for (typed, first) in [
        ("Conseil départemental de la Loire", "departement:42"),
        ("Département du Rhône", "departement:69"),
        ("Département de la Marne", "departement:51"),
        ("Région Pays de la Loire", "region:52"),
        ("Mayotte", "departement:976"),
        ("Paris", "commune:75056"),
    ] {
        assert_eq!(directory.search(typed)[0].key(), first, "{typed}");
    }
    for (name, code, siren, key) in cases {
        let by_siren = directory.by_siren(siren).map(|found| found.key());
        assert_eq!(by_siren.as_deref(), Some(key), "{name}: by SIREN");
        let searched = directory.search(siren);
        assert_eq!(
            searched.first().map(|found| found.key()).as_deref(),
            Some(key),
            "{name}: SIREN typed"
        );
        let by_name: Vec<String> = directory.search(name).iter().map(|found| found.key()).collect();
        assert!(by_name.iter().any(|found| found == key), "{name}: by name, {by_name:?}");
        let by_code: Vec<String> = directory.search(code).iter().map(|found| found.key()).collect();
        assert!(by_code.iter().any(|found| found == key), "{name}: by code, {by_code:?}");
    }
    // Every département and région of the list has its SIREN, but the rows of a body that carries it on
    // another row (Corse on région 94, Alsace on 6AE, Paris on its commune, Martinique and Guyane on their
    // régions, Mayotte and the collectivités d'outre-mer on their départements) and the territories without a
    // sourced one (server/data/README.md).
    use app::domain::collectivites::Kind;
    let carried_elsewhere = [
        "departement:2A",
        "departement:2B",
        "departement:67",
        "departement:68",
        "departement:75",
        "departement:972",
        "departement:973",
        "region:06",
        "region:975",
        "region:978",
        "region:988",
    ];
    let unsourced = ["977", "984", "986", "987", "989"];
    let mut checked = 0;
    for kind in ["region", "departement"] {
        for code in (1..=999)
            .map(|n| format!("{n:02}"))
            .chain(["2A".into(), "2B".into(), "6AE".into()])
        {
            let key = format!("{kind}:{code}");
            let Some(found) = directory.by_key(&key) else { continue };
            if carried_elsewhere.contains(&key.as_str()) || unsourced.contains(&code.as_str()) {
                continue;
            }
            assert!(
                found.siren.len() == 9 && matches!(found.kind, Kind::Departement | Kind::Region),
                "{key}: {found:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 115,
        "98 départements and collectivités with their powers, 17 régions"
    );
}

#[tokio::test]
async fn the_parts_that_follow_the_typing_are_rendered_by_the_server() {
    use crate::common::http::post_json;
    use app::model::intake::StepFragment;
    for db in common::both().await {
        let app = app(&db);
        let token = start(&app).await;
        let part = |partie: &str, champs: &[(&str, &str)]| serde_json::json!({ "token": token, "partie": partie, "champs": champs });
        // Step 1's search: Lyon's collectivités, Marseille (already chosen) kept first and ticked.
        let reply = post_json(
            &app,
            "/api/depot/partie",
            &part(
                "collectivites",
                &[("recherche", "lyon"), ("collectivite", "commune:13055")],
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", db.label, reply.body);
        let found: StepFragment = serde_json::from_str(&reply.body).expect("json");
        assert!(
            found
                .announce
                .ends_with("collectivités trouvées (les plus peuplées d'abord)."),
            "{}: {}",
            db.label,
            found.announce
        );
        let marseille = found.html.find("value=\"commune:13055\"").expect("the choice kept");
        let lyon = found.html.find("value=\"commune:69123\"").expect("Lyon found");
        assert!(marseille < lyon, "{}: the choice first", db.label);
        assert_eq!(
            found.html.matches(" checked").count(),
            1,
            "{}: {}",
            db.label,
            found.html
        );
        assert!(
            found.html.contains("id=\"champ-collectivite\""),
            "{}: the first option's id",
            db.label
        );
        // A search that finds nothing says so, with what was typed (plain text, for the live region).
        let reply = post_json(
            &app,
            "/api/depot/partie",
            &part("collectivites", &[("recherche", "<b>zzqx")]),
        )
        .await;
        let none: StepFragment = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(
            none.announce,
            "Aucune collectivité ne correspond à « <b>zzqx ». Vérifiez l'orthographe ou essayez le code postal.",
            "{}",
            db.label
        );
        assert!(
            !none.html.contains("<input") && !none.html.contains("<b>"),
            "{}: {}",
            db.label,
            none.html
        );
        // Step 5's pre-assessment, from the answers as typed.
        let assessed = |ticked: &str| part("pre-evaluation", &[(ticked, "on"), ("donnees_personnelles", "non")]);
        let reply = post_json(&app, "/api/depot/partie", &assessed("ia_public")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", db.label, reply.body);
        let fragment: StepFragment = serde_json::from_str(&reply.body).expect("json");
        assert!(
            fragment
                .html
                .contains("<h3>Pré-évaluation : obligations de transparence</h3>"),
            "{}: {}",
            db.label,
            fragment.html
        );
        let reply = post_json(&app, "/api/depot/partie", &assessed("ia_aides")).await;
        let fragment: StepFragment = serde_json::from_str(&reply.body).expect("json");
        assert!(
            fragment.html.contains("Pré-évaluation : haut risque"),
            "{}: {}",
            db.label,
            fragment.html
        );
        // Only the holder of an open draft is answered.
        let stranger = serde_json::json!({ "token": "0".repeat(64), "partie": "pre-evaluation", "champs": [] });
        let reply = post_json(&app, "/api/depot/partie", &stranger).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}: {}", db.label, reply.body);
        db.cleanup().await;
    }
}
