//! Benchmark of the public catalogue (`scripts/bench.sh` runs it in release).
//!
//! - `bench-catalogue mesurer`: on a fresh SQLite file and a fresh PostgreSQL database growing from 1,000 to
//!   10,000 then 100,000 generated published cases, the server time of searches and filters through the real
//!   router, in process, with the search cache off (p50/p95; budget p95 < 10 ms at 10,000 and < 25 ms at
//!   100,000). `BENCH_CATALOGUE_MAX=10000` stops the growth earlier. Exits 1 over budget.
//! - `bench-catalogue generer URL`: fills the database at URL with the same 10,000 cases (for the throughput
//!   measure of `scripts/bench/throughput.mjs` against the release server); `generer URL N`, N cases.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use leptos::prelude::LeptosOptions;
use server::http::router;
use server::sql::SqlStore;
use server::state::{load_directory, AppState};

#[path = "../bench_published.rs"]
mod bench_published;
#[path = "../bench_support.rs"]
mod bench_support;

use bench_published::{generate, generate_range};
use bench_support::{percentile, timed_get, ScratchDatabases};

/// The published cases of `generer` (the throughput measures against the release server).
const CASES: usize = 10_000;
const ROUNDS: usize = 20;
/// The sizes the database grows through, with the budget of each (search p95, ms).
const SIZES: &[(usize, Option<f64>)] = &[(1_000, None), (10_000, Some(10.0)), (100_000, Some(25.0))];

/// The sizes measured in this run (`BENCH_CATALOGUE_MAX` leaves out the larger ones).
fn sizes() -> Vec<(usize, Option<f64>)> {
    let max = std::env::var("BENCH_CATALOGUE_MAX")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    SIZES.iter().copied().filter(|(size, _)| *size <= max).collect()
}

/// One size's figures: p50, p95, the results counted at the first round, the slowest query and its p95, and how
/// long the cases took to add.
struct Figures {
    size: usize,
    p50: f64,
    p95: f64,
    total: i64,
    slowest: (&'static str, f64),
    added: Duration,
}

/// The searches measured: text, filters, both, sorts and later pages.
const QUERIES: &[&str] = &[
    "texte=marches+publics",
    "texte=courrier",
    "texte=r%C3%A9glementaire+d%C3%A9lib%C3%A9rations",
    "texte=urbanisme&tri=impact",
    "domaine=finances-achats",
    "region=Bretagne",
    "brique=agents&population=10000-50000",
    "typologie=produit-vibe&collectivite=commune&page=3",
    "texte=factures&domaine=finances-achats&brique=vibe",
    "tri=recents&page=20",
    "",
];

async fn measure(label: &str, url: &str) -> Result<Vec<Figures>, String> {
    let store = Arc::new(SqlStore::new(server::db::connect(url).await?));
    // Every search measured reaches the database: the cache of recent searches is off.
    store.searches.set_lifetime(Duration::ZERO);
    let directory = Arc::new(load_directory()?);
    let app = router(AppState::new(
        LeptosOptions::builder().output_name("ia-factory").build(),
        store.clone(),
        directory.clone(),
        false,
        std::sync::Arc::new(server::scan::DocumentFiles::scratch()?),
        Default::default(),
    ));
    let mut figures = Vec::new();
    let mut present = 0;
    for (size, _) in sizes() {
        eprintln!("{label} : {present} → {size} cas publiés…");
        let began = std::time::Instant::now();
        generate_range(&store, &directory, present..size, &|_| None).await?;
        let added = began.elapsed();
        present = size;
        figures.push(searches(&app, size, added).await?);
    }
    store.pools.read.close().await;
    store.pools.write.close().await;
    Ok(figures)
}

/// Every query of `QUERIES` `ROUNDS` times after a first round that warms the caches.
async fn searches(app: &axum::Router, size: usize, added: Duration) -> Result<Figures, String> {
    let mut timings = Vec::new();
    let mut by_query: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut total = 0;
    for round in 0..=ROUNDS {
        for (index, query) in QUERIES.iter().enumerate() {
            let uri = format!("/api/catalogue/recherche?{query}");
            let (status, bytes, elapsed) = timed_get(app, &uri, "application/json").await?;
            if status != StatusCode::OK {
                return Err(format!("{query}: {status}"));
            }
            if round > 0 {
                timings.push(elapsed);
                by_query[index].push(elapsed);
            } else {
                let results: app::model::catalogue::SearchResults =
                    serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                total += results.total;
            }
        }
    }
    timings.sort();
    let mut slowest = ("", 0.0);
    for (query, mut times) in QUERIES.iter().zip(by_query) {
        times.sort();
        let p95 = percentile(&times, 0.95);
        if std::env::var("BENCH_DETAIL").is_ok() {
            eprintln!("  {size} {:>8.2} ms p95  « {query} »", p95);
        }
        if p95 > slowest.1 {
            slowest = (query, p95);
        }
    }
    if std::env::var("BENCH_DETAIL").is_ok() {
        eprintln!(
            "  {size} {:>8.2} ms p50, {:>8.2} ms p95  (toutes les requêtes)",
            percentile(&timings, 0.5),
            percentile(&timings, 0.95)
        );
    }
    Ok(Figures {
        size,
        p50: percentile(&timings, 0.5),
        p95: percentile(&timings, 0.95),
        total,
        slowest,
        added,
    })
}

async fn measure_both() -> Result<bool, String> {
    let databases = ScratchDatabases::create("iaf-bench-catalogue").await?;
    // `BENCH_CATALOGUE_BASE=sqlite` or `postgres` measures one database only (while working on it).
    let only = std::env::var("BENCH_CATALOGUE_BASE").unwrap_or_default();
    let mut results = Vec::new();
    if only != "postgres" {
        results.push(("SQLite", measure("SQLite", &databases.sqlite_url).await));
    }
    if only != "sqlite" {
        results.push(("PostgreSQL", measure("PostgreSQL", &databases.postgres_url).await));
    }
    databases.remove().await;
    println!(
        "\nCatalogue : recherches et filtres en processus (routeur réel, cache des recherches coupé), {} requêtes × {ROUNDS}",
        QUERIES.len()
    );
    println!(
        "{:<12} {:>9} {:>12} {:>12} {:>10} {:>12} {:>13}  requête la plus lente",
        "Base", "cas", "ajout", "p50", "p95", "budget p95", "résultats"
    );
    let mut within = true;
    for (label, result) in results {
        for figures in result.map_err(|e| format!("{label} : {e}"))? {
            let budget = sizes()
                .iter()
                .find(|(size, _)| *size == figures.size)
                .and_then(|(_, b)| *b);
            println!(
                "{label:<12} {:>9} {:>10.1} s {:>9.2} ms {:>7.2} ms {:>12} {:>13}  « {} » {:.2} ms",
                figures.size,
                figures.added.as_secs_f64(),
                figures.p50,
                figures.p95,
                budget.map_or("—".to_string(), |b| format!("< {b} ms")),
                figures.total,
                figures.slowest.0,
                figures.slowest.1
            );
            if budget.is_some_and(|budget| figures.p95 >= budget) {
                println!(
                    "  DÉPASSEMENT : recherche p95 {:.2} ms ({label}, {} cas)",
                    figures.p95, figures.size
                );
                within = false;
            }
        }
    }
    Ok(within)
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    let args: Vec<String> = std::env::args().collect();
    let outcome = match args.get(1).map(String::as_str) {
        Some("generer") => match args.get(2) {
            Some(url) => {
                async {
                    let cases = match args.get(3) {
                        Some(n) => n.parse::<usize>().map_err(|e| format!("nombre de cas « {n} » : {e}"))?,
                        None => CASES,
                    };
                    let store = SqlStore::new(server::db::connect(url).await?);
                    generate(&store, &load_directory()?, cases, &|_| None).await?;
                    println!("{cases} cas publiés ajoutés à {url}");
                    Ok(true)
                }
                .await
            }
            None => Err("usage : bench-catalogue generer sqlite://chemin.db [nombre de cas]".into()),
        },
        _ => measure_both().await,
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
