//! Benchmark of the board (`scripts/bench.sh` runs it in release): on a fresh SQLite file and a fresh
//! PostgreSQL database holding 2,000 generated cases, the server time of the board's data (p50/p95, budget
//! p95 < 50 ms) and the round trip of a move with 20 concurrent movers (p50/p95, budget p95 < 30 ms). Requests
//! go through the real router (sessions, roles, gates, transactions), in process. Exits 1 over budget.
//! `bench-tableau generer URL [N]` fills the database at URL with N cases (2,500 by default) spread over the
//! six columns, and the account `mesure@ia-factory.fr`, for the board measured in Chromium
//! (`scripts/bench/board-browser.mjs`).

use std::sync::Arc;
use std::time::Instant;

use app::domain::auth::Role;
use app::domain::intake::IntakeAnswers;
use app::server::context::now;
use app::store::intake::NewCase;
use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use leptos::prelude::LeptosOptions;
use server::http::router;
use server::sql::SqlStore;
use server::state::{load_directory, AppState};
use tower::ServiceExt;

#[path = "../bench_support.rs"]
mod bench_support;

use bench_support::{percentile, ScratchDatabases};

const CASES: usize = 2_000;
const MOVERS: usize = 20;
const MOVES_PER_MOVER: usize = 50;
const BOARD_LOADS: usize = 200;
const BOARD_BUDGET_MS: f64 = 50.0;
const MOVE_BUDGET_MS: f64 = 30.0;
const PASSWORD: &str = "mesure du tableau 2026";
const DAY: i64 = 86_400;

async fn send(app: &Router, path: &str, body: String, cookie: Option<&str>) -> (StatusCode, String, Option<String>) {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app
        .clone()
        .oneshot(
            request
                .body(Body::from(body))
                .map_err(|e| e.to_string())
                .unwrap_or_default(),
        )
        .await
        .map_err(|e| e.to_string());
    let Ok(response) = response else {
        return (StatusCode::INTERNAL_SERVER_ERROR, String::new(), None);
    };
    let status = response.status();
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    (status, String::from_utf8_lossy(&bytes).into_owned(), cookie)
}

/// Fills the database: accounts, a relève period open now, `count` cases in remontée filed before it started.
async fn prepare(
    store: &SqlStore,
    directory: &app::domain::collectivites::Directory,
    count: usize,
) -> Result<Vec<String>, String> {
    let hash = app::server::session::hash_password(PASSWORD)?;
    store
        .create_account("mesure@ia-factory.fr", "Mesure", Role::Programme, &hash, now())
        .await
        .map_err(|e| e.0)?;
    let domains = [
        "urbanisme",
        "finances-achats",
        "relation-usagers",
        "ressources-humaines",
        "action-sociale",
    ];
    let collectivites: Vec<_> = directory.search("sa").into_iter().take(50).collect();
    let filed_at = now() - 30 * DAY;
    let mut references = Vec::with_capacity(count);
    for chunk in 0..count.div_ceil(100) {
        let mut tx = store.pools.write.begin().await.map_err(|e| e.to_string())?;
        for n in (chunk * 100)..count.min(chunk * 100 + 100) {
            let collectivite = collectivites[n % collectivites.len().max(1)];
            let mut answers = IntakeAnswers::default();
            answers.set("titre", &format!("Cas d'usage généré numéro {n}"));
            answers.set("domaine", domains[n % domains.len()]);
            answers.set("briques", if n % 2 == 0 { "vibe" } else { "agents,application" });
            answers.set("agents", &(10 + n % 300).to_string());
            let case = NewCase::from_answers(&answers, collectivite);
            let (_, reference) = store
                .insert_case(&mut tx, None, &answers, &case, filed_at + n as i64)
                .await
                .map_err(|e| e.0)?;
            references.push(reference);
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    store
        .create_period("Relève mesurée", filed_at + DAY, now() + 30 * DAY, now())
        .await
        .map_err(|e| e.0)?;
    Ok(references)
}

struct Figures {
    board_p50: f64,
    board_p95: f64,
    move_p50: f64,
    move_p95: f64,
    moves: usize,
    failures: usize,
}

async fn measure(label: &str, url: &str) -> Result<Figures, String> {
    let pools = server::db::connect(url).await?;
    let store = Arc::new(SqlStore::new(pools));
    let directory = Arc::new(load_directory()?);
    eprintln!("{label} : génération de {CASES} cas…");
    let references = prepare(&store, &directory, CASES).await?;
    let app = router(AppState::new(
        LeptosOptions::builder().output_name("ia-factory").build(),
        store.clone(),
        directory,
        false,
        std::sync::Arc::new(server::scan::DocumentFiles::scratch()?),
        Default::default(),
    ));
    let sign_in = format!(
        "email=mesure%40ia-factory.fr&mot_de_passe={}",
        PASSWORD.replace(' ', "+")
    );
    let mut cookies = Vec::new();
    for _ in 0..MOVERS {
        let (status, body, cookie) = send(&app, "/api/equipe/connexion", sign_in.clone(), None).await;
        cookies.push(cookie.ok_or_else(|| format!("connexion refusée ({status}) : {body}"))?);
    }

    // Board data: warm up, then sequential loads.
    for _ in 0..5 {
        send(&app, "/api/equipe/tableau", String::new(), Some(&cookies[0])).await;
    }
    let mut board = Vec::with_capacity(BOARD_LOADS);
    for _ in 0..BOARD_LOADS {
        let started = Instant::now();
        let (status, body, _) = send(&app, "/api/equipe/tableau", String::new(), Some(&cookies[0])).await;
        board.push(started.elapsed());
        if status != StatusCode::OK || !body.contains("\"total\":2000") {
            return Err(format!("tableau : réponse inattendue {status}"));
        }
    }
    board.sort();

    // Moves: 20 movers at once, each moving its own cases forward then back (with a reason).
    eprintln!("{label} : {MOVERS} personnes déplacent {MOVES_PER_MOVER} cartes chacune…");
    let mut tasks = Vec::new();
    for (mover, cookie) in cookies.into_iter().enumerate() {
        let app = app.clone();
        let mine: Vec<String> = references
            .iter()
            .skip(mover)
            .step_by(MOVERS)
            .take(MOVES_PER_MOVER / 2)
            .cloned()
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut timings = Vec::new();
            let mut failures = 0;
            for reference in mine {
                for (version, to, reason) in [(1, "qualification", ""), (2, "remontee", "Retour+mesure")] {
                    let body = format!("reference={reference}&version={version}&vers={to}&raison={reason}");
                    let started = Instant::now();
                    let (status, _, _) = send(&app, "/api/equipe/deplacer", body, Some(&cookie)).await;
                    timings.push(started.elapsed());
                    if status != StatusCode::OK {
                        failures += 1;
                    }
                }
            }
            (timings, failures)
        }));
    }
    let mut moves = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (timings, failed) = task.await.map_err(|e| e.to_string())?;
        moves.extend(timings);
        failures += failed;
    }
    moves.sort();
    store.pools.read.close().await;
    store.pools.write.close().await;
    Ok(Figures {
        board_p50: percentile(&board, 0.5),
        board_p95: percentile(&board, 0.95),
        move_p50: percentile(&moves, 0.5),
        move_p95: percentile(&moves, 0.95),
        moves: moves.len(),
        failures,
    })
}

async fn run() -> Result<bool, String> {
    let databases = ScratchDatabases::create("iaf-bench-tableau").await?;
    let results = [
        ("SQLite", measure("SQLite", &databases.sqlite_url).await),
        ("PostgreSQL", measure("PostgreSQL", &databases.postgres_url).await),
    ];
    databases.remove().await;

    println!("\nTableau : {CASES} cas, {BOARD_LOADS} chargements ; déplacements : {MOVERS} personnes en parallèle");
    println!(
        "{:<12} {:>14} {:>14} {:>16} {:>16} {:>10}",
        "Base", "tableau p50", "tableau p95", "déplacement p50", "déplacement p95", "échecs"
    );
    let mut within = true;
    for (label, result) in results {
        let figures = result.map_err(|e| format!("{label} : {e}"))?;
        println!(
            "{:<12} {:>11.2} ms {:>11.2} ms {:>13.2} ms {:>13.2} ms {:>6}/{}",
            label,
            figures.board_p50,
            figures.board_p95,
            figures.move_p50,
            figures.move_p95,
            figures.failures,
            figures.moves
        );
        if figures.board_p95 >= BOARD_BUDGET_MS {
            println!(
                "  DÉPASSEMENT : tableau p95 {:.2} ms ≥ {BOARD_BUDGET_MS} ms ({label})",
                figures.board_p95
            );
            within = false;
        }
        if figures.move_p95 >= MOVE_BUDGET_MS {
            println!(
                "  DÉPASSEMENT : déplacement p95 {:.2} ms ≥ {MOVE_BUDGET_MS} ms ({label})",
                figures.move_p95
            );
            within = false;
        }
        if figures.failures > 0 {
            println!("  {} déplacements refusés ou en échec ({label})", figures.failures);
            within = false;
        }
    }
    println!("Budgets : tableau p95 < {BOARD_BUDGET_MS} ms, déplacement p95 < {MOVE_BUDGET_MS} ms.");
    Ok(within)
}

/// `generer URL [N]`: N cases over the six columns as a busy programme has them (most waiting in remontée and
/// qualification), each entered its stage on another day.
async fn generate(url: &str, count: usize) -> Result<bool, String> {
    let store = SqlStore::new(server::db::connect(url).await?);
    prepare(&store, &load_directory()?, count).await?;
    let spread = "UPDATE cases SET stage = CASE \
        WHEN id % 20 < 8 THEN 'remontee' WHEN id % 20 < 14 THEN 'qualification' WHEN id % 20 < 16 THEN 'cadrage' \
        WHEN id % 20 < 18 THEN 'conception' WHEN id % 20 < 19 THEN 'diffusion' ELSE 'reoriente' END, \
        stage_entered_at = stage_entered_at - (id % 97) * 86400";
    sqlx::query(spread)
        .execute(&store.pools.write)
        .await
        .map_err(|e| e.to_string())?;
    println!("{count} cas ajoutés à {url} ; compte mesure@ia-factory.fr, mot de passe « {PASSWORD} »");
    Ok(true)
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    let args: Vec<String> = std::env::args().collect();
    let outcome = match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("generer"), Some(url)) => generate(url, args.get(3).and_then(|n| n.parse().ok()).unwrap_or(2_500)).await,
        (Some(_), _) => Err("usage : bench-tableau [generer URL [nombre de cas]]".into()),
        (None, _) => run().await,
    };
    match outcome {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(message) => {
            eprintln!("Erreur : {message}");
            std::process::exit(2);
        }
    }
}
