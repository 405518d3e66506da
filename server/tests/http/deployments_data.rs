//! What leaves the site about deployments, on both databases: the open data (schema 1.2: each case's
//! collectivités in service, regular agents and the deployments that agreed to be listed; a pioneer that stopped
//! is « Abandonné » in the Bibliothèque's CSV) and the team's exports in CSV, ODS and XLSX, read back with
//! independent readers (openpyxl, odfpy) to check typed cells and the frozen header row.

use app::domain::deployments::{CheckedChange, Kind, Month, Status};
use app::store::deployments::DeploymentStore;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;

use crate::common;
use crate::deployments::{declared_in_store, now, published_case, report, visible};
use common::http::*;

/// Lyon (listed) and Marseille (not listed) run the published case; each reported last month.
async fn two_replications(store: &server::sql::SqlStore) -> Month {
    let last_month = Month::of_instant(now()).plus(-1);
    let lyon = declared_in_store(store, ("commune:69123", "Lyon"), "contact@lyon.fr").await;
    let marseille = declared_in_store(store, ("commune:13055", "Marseille"), "contact@marseille.fr").await;
    sqlx::query("UPDATE deployments SET listed = $1 WHERE id = $2")
        .bind(0_i64)
        .bind(marseille)
        .execute(&store.pools.write)
        .await
        .expect("unlisted");
    for (id, regular) in [(lyon, 300), (marseille, 700)] {
        store
            .write_usage_report(&visible(store, id).await, &report(last_month, regular))
            .await
            .expect("report");
    }
    last_month
}

#[tokio::test]
async fn open_data_tells_each_case_its_deployments_and_latest_figures() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        published_case(&app, &store).await;
        let last_month = two_replications(&store).await;
        let json = call(&app, "GET", "/catalogue.json", "", None, false).await;
        let json: Value = serde_json::from_str(&json.body).expect("json");
        assert_eq!(json["version"], "1.2", "{}", db.label);
        let deployments = &json["cas"][0]["deploiements"];
        assert_eq!(
            deployments["collectivites_en_service"], 3,
            "{}: {deployments}",
            db.label
        );
        assert_eq!(deployments["agents_reguliers"], 1000, "{}: {deployments}", db.label);
        assert_eq!(deployments["mois"], last_month.iso().as_str(), "{}", db.label);
        let listed: Vec<&str> = deployments["liste"]
            .as_array()
            .expect("liste")
            .iter()
            .filter_map(|d| d["collectivite"].as_str())
            .collect();
        assert!(listed.contains(&"Lyon"), "{}: {listed:?}", db.label);
        assert!(!listed.contains(&"Marseille"), "not listed: {}: {listed:?}", db.label);
        let lyon = deployments["liste"]
            .as_array()
            .and_then(|list| list.iter().find(|d| d["collectivite"] == "Lyon"))
            .expect("Lyon");
        assert_eq!(lyon["dernier_releve"]["agents_reguliers"], 300, "{}", db.label);
        assert_eq!(lyon["type_deploiement"], "replication", "{}", db.label);

        let csv = call(&app, "GET", "/catalogue.csv", "", None, false).await.body;
        let mut lines = csv.lines();
        let header = lines.next().expect("header");
        assert!(
            header.ends_with(";ai_act_obligations;collectivites_en_service;agents_reguliers;mois_agents_reguliers"),
            "{}: {header}",
            db.label
        );
        let row = lines.next().expect("a case");
        assert!(
            row.ends_with(&format!(";3;1000;{}", last_month.iso())),
            "{}: {row}",
            db.label
        );

        // The pioneer stops: the Bibliothèque's CSV says « Abandonné » with the reason.
        let (_, pioneer) = store
            .all_deployments()
            .await
            .expect("deployments")
            .into_iter()
            .find(|(_, d)| d.kind == Kind::Pioneer)
            .expect("the pioneer");
        let change = CheckedChange {
            to: Status::Stopped,
            day: now().div_euclid(86_400),
            reason: "Le marché n'a pas été renouvelé.".into(),
        };
        store
            .change_deployment_status(
                &visible(&store, pioneer.id).await,
                pioneer.version,
                &change,
                "test",
                now(),
            )
            .await
            .expect("stopped");
        let bibliotheque = call(
            &app,
            "GET",
            "/catalogue/bibliotheque-ia-territoriale.csv",
            "",
            None,
            false,
        )
        .await;
        assert!(
            bibliotheque
                .body
                .contains(",Abandonné,Le marché n'a pas été renouvelé.,"),
            "{}: {}",
            db.label,
            bibliotheque.body
        );
        db.cleanup().await;
    }
}

/// Downloads `path` with `cookie`: its status, content type and bytes.
async fn download(app: &Router, path: &str, cookie: Option<&str>) -> (StatusCode, String, Vec<u8>) {
    let mut request = Request::builder().method("GET").uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (parts, bytes) = answered(path, app, request.body(Body::empty()).expect("request")).await;
    let kind = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (parts.status, kind, bytes.to_vec())
}

/// The spreadsheet read back by `scripts/exports/read_sheet.py` (openpyxl, odfpy) in the tests' Python
/// environment (IAF_VENV, set up by scripts/test.sh).
fn read_back(bytes: &[u8], extension: &str) -> Value {
    let venv = std::env::var("IAF_VENV").unwrap_or_else(|_| "/var/tmp/ia-factory-venv".into());
    let dir = tempfile_dir();
    let file = dir.join(format!("export.{extension}"));
    std::fs::write(&file, bytes).expect("write the export");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/exports/read_sheet.py");
    let output = std::process::Command::new(format!("{venv}/bin/python"))
        .arg(script)
        .arg(&file)
        .output()
        .expect("Python of IAF_VENV with openpyxl and odfpy (installed by scripts/test.sh)");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "read_sheet.py: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from read_sheet.py")
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("iaf-export-{}-{}", std::process::id(), rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The cell of `column` (by its header) in data row `row` (1 = first after the header).
fn cell<'a>(sheet: &'a Value, column: &str, row: usize) -> &'a Value {
    let header = &sheet["lignes"][0];
    let index = header
        .as_array()
        .expect("header")
        .iter()
        .position(|c| c[1] == column)
        .unwrap_or_else(|| panic!("no column {column}: {header}"));
    &sheet["lignes"][row][index]
}

#[tokio::test]
async fn team_exports_read_back_typed_in_ods_and_xlsx() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        published_case(&app, &store).await;
        let last_month = two_replications(&store).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let (first, second) = (last_month.year(), last_month.number());
        let month_iso = format!("{first:04}-{second:02}-01");
        for extension in ["ods", "xlsx"] {
            let path = format!("/equipe/export/releves.{extension}");
            let (status, kind, bytes) = download(&app, &path, Some(&prog)).await;
            assert_eq!(status, StatusCode::OK, "{}: {path}", db.label);
            assert!(kind.starts_with("application/vnd."), "{}: {kind}", db.label);
            let sheet = read_back(&bytes, extension);
            assert_eq!(sheet["feuille"], "Relevés", "{}", db.label);
            assert_eq!(sheet["entete_figee"], true, "{} {extension}: frozen header", db.label);
            assert_eq!(sheet["entete_gras"], true, "{} {extension}: bold header", db.label);
            assert_eq!(
                sheet["lignes"].as_array().map(Vec::len),
                Some(3),
                "{}: {sheet}",
                db.label
            );
            let regular: Vec<i64> = (1..=2)
                .map(|row| {
                    let value = cell(&sheet, "agents_reguliers", row);
                    assert_eq!(value[0], "nombre", "{} {extension}: {value}", db.label);
                    value[1].as_f64().expect("a number") as i64
                })
                .collect();
            assert!(
                regular.contains(&300) && regular.contains(&700),
                "{}: {regular:?}",
                db.label
            );
            let month = cell(&sheet, "mois", 1);
            assert_eq!(month[0], "date", "{} {extension}: {month}", db.label);
            assert!(
                month[1].as_str().is_some_and(|m| m.starts_with(&month_iso)),
                "{}: {month}",
                db.label
            );
            assert_eq!(
                cell(&sheet, "mesure_agents_reguliers", 1)[1],
                "Statistiques de l'outil",
                "{}",
                db.label
            );
        }
        // Cases: the filing day is a date, the agents a number.
        let (_, _, bytes) = download(&app, "/equipe/export/cas.xlsx", Some(&prog)).await;
        let cases = read_back(&bytes, "xlsx");
        assert_eq!(cell(&cases, "depose_le", 1)[0], "date", "{}: {cases}", db.label);
        assert_eq!(cell(&cases, "agents_concernes", 1)[0], "nombre", "{}", db.label);
        // Deployments: three, the months as dates, the latest figure a number.
        let (_, _, bytes) = download(&app, "/equipe/export/deploiements.ods", Some(&prog)).await;
        let deployments = read_back(&bytes, "ods");
        assert_eq!(deployments["lignes"].as_array().map(Vec::len), Some(4), "{}", db.label);
        assert_eq!(
            cell(&deployments, "en_service_depuis", 1)[0],
            "date",
            "{}: {deployments}",
            db.label
        );
        // Indicators: the regular agents of last month as a number, days as decimals.
        let (_, _, bytes) = download(&app, "/equipe/export/indicateurs.xlsx", Some(&prog)).await;
        let indicators = read_back(&bytes, "xlsx");
        let line = indicators["lignes"]
            .as_array()
            .and_then(|rows| {
                rows.iter()
                    .find(|r| r[0][1] == "agents_reguliers" && r[1][1] == last_month.iso().as_str())
            })
            .expect("agents_reguliers of last month");
        assert_eq!(line[3], serde_json::json!(["nombre", 1000]), "{}", db.label);
        // The CSV of the same table, and the decisions' trail.
        let csv = call(&app, "GET", "/equipe/export/releves.csv", "", Some(&prog), false).await;
        assert!(csv.body.starts_with('\u{feff}'), "{}", db.label);
        assert!(
            csv.body
                .contains(&format!(";Lyon;{};300;Statistiques de l'outil;", last_month.iso())),
            "{}: {}",
            db.label,
            csv.body
        );
        let (status, _, _) = download(&app, "/equipe/export/decisions.ods", Some(&prog)).await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        // An unknown table or format is a French 404; signed out, 401.
        let unknown = call(&app, "GET", "/equipe/export/releves.pdf", "", Some(&prog), false).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", db.label);
        assert!(unknown.body.contains("Cet export n'existe pas"), "{}", db.label);
        let (status, _, _) = download(&app, "/equipe/export/releves.xlsx", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.label);
        db.cleanup().await;
    }
}
