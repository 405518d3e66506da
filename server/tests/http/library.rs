//! Issue 28 through HTTP on SQLite and PostgreSQL: the Bibliothèque d'IA territoriales imported with its
//! provenance (17 real records twice: 17 projects once, a report naming each record's problems), a record
//! changed in place and one withdrawn, a conditional re-fetch by URL, the command `importer-bibliotheque`,
//! and the catalogue's one search over both sources with its facet « source ».

use std::sync::Arc;

use crate::common;

use app::domain::library::report::{ImportReport, Outcome};
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use server::sql::SqlStore;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bibliotheque-echantillon.csv");

/// A fresh folder of this test run (removed by the test).
fn scratch(name: &str) -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!(
        "iaf-bibliotheque-{name}-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&folder).expect("folder");
    folder
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

async fn import(store: &SqlStore, origin: &str, at: i64) -> Option<ImportReport> {
    let directory = server::state::load_directory().expect("directory");
    server::library_import::import(store, &directory, origin, at)
        .await
        .expect("import")
}

async fn count(store: &SqlStore, filter: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM library_projects WHERE {filter}"))
        .fetch_one(&store.pools.read)
        .await
        .expect("count")
}

/// The projects' versions and update times, to tell that nothing changed.
async fn versions(store: &SqlStore) -> Vec<(String, i64, i64)> {
    let rows: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT key, version, updated_at FROM library_projects ORDER BY key")
            .fetch_all(&store.pools.read)
            .await
            .expect("versions");
    rows
}

#[tokio::test]
async fn importing_the_sample_twice_gives_seventeen_projects_once_with_a_report_per_record() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let first = import(&store, SAMPLE, now() - 100).await.expect("first import");
        assert_eq!(first.count(Outcome::Created), 17, "{}", db.label);
        assert!(first.refused.is_empty(), "{}: {:?}", db.label, first.refused);
        let lines = first.lines().join("\n");
        assert!(lines.contains("17 enregistrements lus : 17 nouveaux"), "{lines}");
        assert!(
            lines.contains("« ViPARE » (Ville de Metz) : nouveau, 1 réserve(s)"),
            "{lines}"
        );
        assert!(lines.contains("est celui de Metz Métropole"), "{lines}");
        assert!(
            lines.contains("SIREN 200057982 n'est pas celui d'une collectivité"),
            "{lines}"
        );
        assert!(
            lines.contains("« DIAT Vendée Numérique » (Département de la Vendée) : nouveau, sans réserve."),
            "{lines}"
        );
        let before = versions(&store).await;
        assert_eq!(before.len(), 17, "{}", db.label);

        let second = import(&store, SAMPLE, now()).await.expect("second import");
        assert_eq!(second.count(Outcome::Unchanged), 17, "{}", db.label);
        assert_eq!(
            second.count(Outcome::Created) + second.count(Outcome::Updated),
            0,
            "{}",
            db.label
        );
        assert!(second.withdrawn.is_empty(), "{}", db.label);
        assert_eq!(
            versions(&store).await,
            before,
            "{}: a re-import changed nothing",
            db.label
        );
        assert_eq!(count(&store, "withdrawn_at IS NULL").await, 17, "{}", db.label);
        // The report is kept with the import.
        let last = store.last_library_import().await.expect("last").expect("recorded");
        assert_eq!(last.report, second, "{}", db.label);

        // Each project has its page, marked as the Bibliothèque's, with its link and licence.
        let page = call(&app, "GET", "/catalogue/bibliotheque/vipare-metz", "", None, true).await;
        assert_eq!(page.status, StatusCode::OK, "{}: {}", db.label, page.body);
        assert!(
            page.body.contains("<h1 id=\"titre-projet\">ViPARE</h1>"),
            "{}",
            db.label
        );
        assert!(page
            .body
            .contains("Bibliothèque d'IA territoriales · projet non mené par l'IA Factory"));
        assert!(
            page.body.contains("Licence : Aucune licence indiquée par la source."),
            "{}",
            db.label
        );
        assert!(page
            .body
            .contains("https://github.com/LesInterconnectes/Bibliotheque-IA-territoriale"));
        assert!(page
            .body
            .contains("https://metz.fr/conseil_municipal/seances/point-6832.php"));
        let missing = call(&app, "GET", "/catalogue/bibliotheque/inconnu", "", None, true).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_changed_record_updates_in_place_and_a_record_gone_from_the_source_is_withdrawn() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        import(&store, SAMPLE, now() - 100).await.expect("first import");
        let text = std::fs::read_to_string(SAMPLE).expect("sample");
        // ViPARE leaves the source; PREVIZO's status changes.
        let changed: String = text
            .split_inclusive('\n')
            .filter(|line| !line.starts_with("Ville de Metz,ViPARE"))
            .collect::<String>()
            .replacen(
                "Région,01/2023,En expérimentation,",
                "Région,01/2023,En déploiement,",
                1,
            );
        assert!(changed.contains("En déploiement"), "the sample changed");
        let folder = scratch("change");
        let path = folder.join("data.csv");
        std::fs::write(&path, &changed).expect("write");
        let report = import(&store, path.to_str().expect("path"), now())
            .await
            .expect("import");
        assert_eq!(
            report.withdrawn,
            vec![("ViPARE".to_string(), "Ville de Metz".to_string())],
            "{}",
            db.label
        );
        assert_eq!(
            report.count(Outcome::Updated),
            1,
            "{}: {}",
            db.label,
            report.lines().join("\n")
        );
        assert_eq!(report.count(Outcome::Unchanged), 15, "{}", db.label);
        assert_eq!(count(&store, "withdrawn_at IS NOT NULL").await, 1, "{}", db.label);
        assert_eq!(count(&store, "version = 2").await, 2, "{}", db.label);
        // Withdrawn, not deleted: its page answers 404, the row stays; back in the source, it comes back.
        let page = call(&app, "GET", "/catalogue/bibliotheque/vipare-metz", "", None, true).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", db.label);
        assert_eq!(count(&store, "1 = 1").await, 17, "{}", db.label);
        let back = import(&store, SAMPLE, now() + 10).await.expect("import");
        assert_eq!(back.count(Outcome::Restored), 1, "{}", db.label);
        let page = call(&app, "GET", "/catalogue/bibliotheque/vipare-metz", "", None, true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        let _ = std::fs::remove_dir_all(&folder);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_malformed_file_is_refused_with_its_line_and_column_and_nothing_is_imported() {
    let db = common::sqlite().await;
    let (_, store) = setup(&db).await;
    let folder = scratch("casse");
    let path = folder.join("casse.csv");
    let text = std::fs::read_to_string(SAMPLE).expect("sample");
    std::fs::write(
        &path,
        text.replacen("Ville de Metz,ViPARE", "Ville de Metz,Vi\"PARE", 1),
    )
    .expect("write");
    let directory = server::state::load_directory().expect("directory");
    let error = server::library_import::import(&store, &directory, path.to_str().expect("path"), now())
        .await
        .expect_err("refused");
    assert!(error.contains("ligne 2, colonne 17"), "{error}");
    assert_eq!(count(&store, "1 = 1").await, 0);
    let _ = std::fs::remove_dir_all(&folder);
    db.cleanup().await;
}

/// A source answering with an ETag, and 304 to a request carrying it; counts the full answers.
async fn source_server(text: String) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use axum::http::HeaderMap;
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = served.clone();
    let app = axum::Router::new().route(
        "/data.csv",
        axum::routing::get(move |headers: HeaderMap| {
            let text = text.clone();
            let counter = counter.clone();
            async move {
                if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some("\"v1\"") {
                    return (StatusCode::NOT_MODIFIED, [("etag", "\"v1\"")], String::new());
                }
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                (StatusCode::OK, [("etag", "\"v1\"")], text)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{address}/data.csv"), served)
}

#[tokio::test]
async fn by_url_the_file_is_fetched_again_only_when_the_source_says_it_changed() {
    let db = common::sqlite().await;
    let (_, store) = setup(&db).await;
    let (url, served) = source_server(std::fs::read_to_string(SAMPLE).expect("sample")).await;
    let first = import(&store, &url, now()).await.expect("first fetch");
    assert_eq!(first.count(Outcome::Created), 17);
    let last = store.last_library_import().await.expect("last").expect("recorded");
    assert_eq!(last.etag, "\"v1\"");
    assert_eq!(import(&store, &url, now()).await, None, "304: nothing read again");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1);
    db.cleanup().await;
}

#[tokio::test]
async fn the_command_imports_a_file_and_prints_its_report() {
    let folder = scratch("commande");
    let url = format!("sqlite://{}?mode=rwc", folder.join("base.db").display());
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["importer-bibliotheque", SAMPLE])
            .env("DATABASE_URL", &url)
            .output()
            .expect("command")
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.starts_with("17 enregistrements lus : 17 nouveaux"), "{out}");
    assert!(
        out.contains("Ligne 2 — « ViPARE » (Ville de Metz) : nouveau, 1 réserve(s) :"),
        "{out}"
    );
    assert!(
        out.contains("    SIRET — Le SIRET 20003986500106 est celui de Metz Métropole"),
        "{out}"
    );
    let second = run();
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        out.starts_with("17 enregistrements lus : 0 nouveaux, 0 mis à jour, 17 inchangés"),
        "{out}"
    );
    let wrong = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["importer-bibliotheque", "/nulle/part.csv"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("command");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("Erreur : lecture de /nulle/part.csv"));
    let _ = std::fs::remove_dir_all(&folder);
}

/// The text of the catalogue's count (`role="status"`).
fn status_of(body: &str) -> String {
    let marker = "class=\"search-count\">";
    let start = body.find(marker).unwrap_or_else(|| panic!("status: {body}")) + marker.len();
    body[start..].split('<').next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn one_search_over_both_sources_with_the_source_facet() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        crate::catalogue::fill(&store).await;
        import(&store, SAMPLE, now()).await.expect("import");
        let get = |query: &'static str| {
            let app = app.clone();
            async move {
                let reply = call(&app, "GET", &format!("/catalogue{query}"), "", None, true).await;
                assert_eq!(reply.status, StatusCode::OK, "{query}");
                reply.body
            }
        };
        // A word of a sample project finds it, marked as the Bibliothèque's (plural and accents folded).
        let body = get("?texte=dechet").await;
        assert!(
            body.contains("href=\"/catalogue/bibliotheque/vipare-metz\""),
            "{}",
            db.label
        );
        assert!(body.contains("Bibliothèque d'IA territoriales · projet non mené par l'IA Factory"));
        // The facet: only the Bibliothèque, only the programme's cases, both.
        let library = get("?source=bibliotheque").await;
        assert_eq!(
            status_of(&library),
            "17 projets de la Bibliothèque d'IA territoriales.",
            "{}",
            db.label
        );
        let ours = get("?source=ia-factory").await;
        assert!(!ours.contains("/catalogue/bibliotheque/"), "{}", db.label);
        assert!(status_of(&ours).ends_with(" cas d'usage répliquables."), "{}", db.label);
        let all = get("").await;
        // Without search words, the programme's cases come first (a collectivité replicates them with it).
        let first_card = all.split("<ol class=\"catalogue-list\">").nth(1).expect("list");
        assert!(
            first_card.find("href=\"/catalogue/").expect("card") < first_card.find("source-mark").expect("mark"),
            "{}",
            db.label
        );
        assert!(
            status_of(&all).ends_with(" cas d'usage répliquables et 17 projets de la Bibliothèque d'IA territoriales."),
            "{}",
            db.label
        );
        assert!(
            all.contains("<option value=\"bibliotheque\">Bibliothèque d&#x27;IA territoriales</option>")
                || all.contains("<option value=\"bibliotheque\">Bibliothèque d'IA territoriales</option>"),
            "{}",
            db.label
        );
        // Themes mapped to the programme's domains; a brick filter is only the programme's.
        let environment = get("?source=bibliotheque&domaine=environnement").await;
        assert!(environment.contains("vipare-metz"), "{}", db.label);
        let brick = get("?brique=vibe").await;
        assert!(!brick.contains("/catalogue/bibliotheque/"), "{}", db.label);
        // The région filter offers the régions of the projects recognised.
        assert!(all.contains(">Occitanie</option>"), "{}", db.label);
        let occitanie = get("?source=bibliotheque&region=Occitanie").await;
        assert!(occitanie.contains("pep-bioccia"), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn at_step_two_a_need_close_to_a_project_of_the_bibliotheque_proposes_it() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        import(&store, SAMPLE, now()).await.expect("import");
        let started = call(&app, "POST", "/api/depot/commencer", "", None, true).await;
        let token = started
            .location
            .strip_prefix("/deposer/")
            .and_then(|rest| rest.split('/').next())
            .expect("token")
            .to_string();
        let ask = |title: &str, problem: &str, solution: &str| close_cases_body(&token, title, problem, solution);
        // A need as a collectivité types it: litter in the streets, found by video.
        let body = ask(
            "Mesurer la propreté des rues et les déchets",
            "Nous ne savons pas mesurer l'effet du nettoiement sur la quantité de déchets dans les rues.",
            "Une application sur smartphone repère les déchets par la vidéo et cartographie la propreté.",
        );
        let found = post_json(&app, "/api/depot/partie", &body).await;
        assert_eq!(found.status, StatusCode::OK, "{}: {}", db.label, found.body);
        let similar: app::model::intake::StepFragment = serde_json::from_str(&found.body).expect("json");
        let project = format!("<a href=\"{}\">ViPARE</a>", app::routes::library_project("vipare-metz"));
        assert!(
            similar.html.contains("Déjà mené par Ville de Metz : ") && similar.html.contains(&project),
            "{}: {similar:?}",
            db.label
        );
        // An unrelated need proposes none.
        let body = ask(
            "Comptes rendus du conseil municipal",
            "Les comptes rendus des séances sont longs à rédiger par les secrétaires.",
            "Un assistant rédige un premier jet du compte rendu à partir de l'enregistrement.",
        );
        let found = post_json(&app, "/api/depot/partie", &body).await;
        let similar: app::model::intake::StepFragment = serde_json::from_str(&found.body).expect("json");
        assert!(!similar.html.contains("Déjà mené par"), "{}: {similar:?}", db.label);
        db.cleanup().await;
    }
}

/// The section « Projets proches » of a page.
fn neighbours_of(body: &str) -> String {
    let section = body
        .split("id=\"projets-proches\"")
        .nth(1)
        .expect("section « Projets proches »");
    section.split("</section>").next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn each_catalogue_page_lists_its_close_projects_of_both_sources() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        import(&store, SAMPLE, now()).await.expect("import");
        // A case published here about the same need as ViPARE (litter in the streets, found by video).
        let mut answers = app::domain::intake::IntakeAnswers::default();
        answers.set("titre", "Propreté des rues");
        let reference = insert_case(&store, &answers, &lyon_case("Propreté des rues"), now()).await;
        store
            .publish(&app::store::catalogue::NewPublication {
                problem: "Mesurer la quantité de déchets dans les rues et l'effet des actions de nettoiement sur la \
                          propreté."
                    .into(),
                solution: "Une application sur smartphone identifie les déchets par capture vidéo et cartographie \
                           les points noirs de propreté des voiries."
                    .into(),
                ..crate::ai_act::publication(&reference, "proprete-des-rues", "Propreté des rues et déchets")
            })
            .await
            .expect("publish");
        let case_page = call(&app, "GET", "/catalogue/proprete-des-rues", "", None, true).await;
        assert_eq!(case_page.status, StatusCode::OK, "{}", db.label);
        let section = neighbours_of(&case_page.body);
        assert!(
            section.contains("href=\"/catalogue/bibliotheque/vipare-metz\""),
            "{}: {section}",
            db.label
        );
        let library_page = call(&app, "GET", "/catalogue/bibliotheque/vipare-metz", "", None, true).await;
        let section = neighbours_of(&library_page.body);
        assert!(
            section.contains("href=\"/catalogue/proprete-des-rues\""),
            "{}: {section}",
            db.label
        );
        assert!(!section.contains("vipare-metz"), "{}: not itself", db.label);
        // A project nothing resembles says so.
        let alone = call(
            &app,
            "GET",
            "/catalogue/bibliotheque/previzo-centre-val-de-loire",
            "",
            None,
            true,
        )
        .await;
        assert!(
            neighbours_of(&alone.body).contains("Aucun autre projet du catalogue"),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

/// Publishes, as Metz (the commune's SIREN), a case about the same need as ViPARE.
async fn publish_metz_litter_case(store: &SqlStore) {
    let mut answers = app::domain::intake::IntakeAnswers::default();
    answers.set("titre", "Propreté des rues");
    let case = app::store::intake::NewCase {
        collectivite_key: "commune:57463".into(),
        collectivite_name: "Metz".into(),
        region: "Grand Est".into(),
        ..lyon_case("Propreté des rues")
    };
    let reference = insert_case(store, &answers, &case, now()).await;
    store
        .publish(&app::store::catalogue::NewPublication {
            problem: "Mesurer la quantité de déchets dans les rues et l'effet des actions de nettoiement sur la \
                      propreté, pour améliorer la salubrité publique."
                .into(),
            solution: "Une application sur smartphone identifie les déchets par capture vidéo, géolocalise les \
                       données et cartographie les points noirs de propreté des voiries."
                .into(),
            collectivite_code: "57463".into(),
            collectivite_siren: "215704636".into(),
            ..crate::ai_act::publication(&reference, "proprete-des-rues-metz", "Propreté des rues (ViPARE)")
        })
        .await
        .expect("publish");
}

#[tokio::test]
async fn a_project_and_a_case_of_the_same_collectivite_for_the_same_need_show_once_until_the_team_splits_them() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        import(&store, SAMPLE, now()).await.expect("import");
        publish_metz_litter_case(&store).await;
        let pairs = store.library_pairs().await.expect("pairs");
        assert_eq!(pairs.len(), 1, "{}: {pairs:?}", db.label);
        assert_eq!(
            (pairs[0].library.slug.as_str(), pairs[0].case.slug.as_str()),
            ("vipare-metz", "proprete-des-rues-metz"),
            "{}",
            db.label
        );
        // One entry: the case, carrying the Bibliothèque's link; ViPARE is not listed apart.
        let found = call(&app, "GET", "/catalogue?texte=dechets", "", None, true).await;
        assert!(
            found
                .body
                .contains("Aussi dans la Bibliothèque d&#x27;IA territoriales")
                || found.body.contains("Aussi dans la Bibliothèque d'IA territoriales"),
            "{}",
            db.label
        );
        assert_eq!(
            found
                .body
                .matches("href=\"/catalogue/bibliotheque/vipare-metz\"")
                .count(),
            1,
            "{}",
            db.label
        );
        assert!(
            !found.body.contains("id=\"bibliotheque-vipare-metz\""),
            "{}: no card of its own",
            db.label
        );
        let project = call(&app, "GET", "/catalogue/bibliotheque/vipare-metz", "", None, true).await;
        assert!(
            project.body.contains("href=\"/catalogue/proprete-des-rues-metz\""),
            "{}",
            db.label
        );

        // The team sees the pair; a direction régionale may not decide; the programme splits it.
        let prog = sign_in(&app, "prog@ville.fr").await;
        let page = call(&app, "GET", "/equipe/bibliotheque", "", Some(&prog), true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert!(
            page.body.contains("Proposée (affichée comme un seul projet)"),
            "{}",
            db.label
        );
        assert!(page.body.contains("17 enregistrements lus"), "{}", db.label);
        let split = call(
            &app,
            "POST",
            "/api/equipe/bibliotheque/paire",
            "projet=vipare-metz&cas=proprete-des-rues-metz&decision=separee",
            Some(&prog),
            true,
        )
        .await;
        assert_eq!(split.status.as_u16() / 100, 3, "{}: {}", db.label, split.body);
        assert_eq!(
            split.location, "/equipe/bibliotheque?enregistre=separee",
            "{}",
            db.label
        );
        let found = call(&app, "GET", "/catalogue?texte=dechets", "", None, true).await;
        assert!(
            found.body.contains("id=\"bibliotheque-vipare-metz\""),
            "{}: two entries now",
            db.label
        );
        assert!(!found.body.contains("Aussi dans la Bibliothèque"), "{}", db.label);
        // The decision holds over a re-import.
        import(&store, SAMPLE, now() + 5).await.expect("import");
        assert_eq!(
            store.library_pairs().await.expect("pairs")[0].decision,
            app::domain::library::pairs::PairDecision::Split
        );
        let confirm = call(
            &app,
            "POST",
            "/api/equipe/bibliotheque/paire",
            "projet=vipare-metz&cas=proprete-des-rues-metz&decision=confirmee",
            Some(&prog),
            true,
        )
        .await;
        assert_eq!(confirm.status.as_u16() / 100, 3, "{}: {}", db.label, confirm.body);
        let found = call(&app, "GET", "/catalogue?texte=dechets", "", None, true).await;
        assert!(
            !found.body.contains("id=\"bibliotheque-vipare-metz\""),
            "{}: one entry again",
            db.label
        );
        let unknown = call(
            &app,
            "POST",
            "/api/equipe/bibliotheque/paire",
            "projet=previzo-centre-val-de-loire&cas=proprete-des-rues-metz&decision=separee",
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", db.label);
        let anonymous = call(
            &app,
            "POST",
            "/api/equipe/bibliotheque/paire",
            "projet=vipare-metz&cas=proprete-des-rues-metz&decision=separee",
            None,
            false,
        )
        .await;
        assert_eq!(anonymous.status.as_u16() / 100, 4, "{}", db.label);
        db.cleanup().await;
    }
}
