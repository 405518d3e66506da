//! Benchmark of the public catalogue (`scripts/bench.sh` runs it in release).
//!
//! - `bench-catalogue mesurer`: on a fresh SQLite file and a fresh PostgreSQL database holding 10,000 generated
//!   published cases, the server time of searches and filters through the real router (p50/p95, budget
//!   p95 < 20 ms). Exits 1 over budget.
//! - `bench-catalogue generer URL`: fills the database at URL with the same 10,000 cases (for the throughput
//!   measure of `scripts/bench/throughput.mjs` against the release server).

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

use bench_published::generate;
use bench_support::{percentile, timed_get, ScratchDatabases};

const CASES: usize = 10_000;
const ROUNDS: usize = 20;
const BUDGET_MS: f64 = 20.0;

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

async fn measure(label: &str, url: &str) -> Result<(f64, f64, i64), String> {
    let store = Arc::new(SqlStore::new(server::db::connect(url).await?));
    // Every search measured reaches the database: the cache of recent searches is off.
    store.searches.set_lifetime(Duration::ZERO);
    let directory = Arc::new(load_directory()?);
    eprintln!("{label} : génération de {CASES} cas publiés…");
    generate(&store, &directory, CASES, &|_| None).await?;
    let app = router(AppState::new(
        LeptosOptions::builder().output_name("ia-factory").build(),
        store.clone(),
        directory,
        false,
        std::sync::Arc::new(server::scan::DocumentFiles::scratch()?),
        Default::default(),
    ));
    let mut timings = Vec::new();
    let mut by_query: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
    let mut total_results = 0;
    for round in 0..=ROUNDS {
        for (index, query) in QUERIES.iter().enumerate() {
            let uri = format!("/api/catalogue/recherche?{query}");
            let (status, bytes, elapsed) = timed_get(&app, &uri, "application/json").await?;
            if status != StatusCode::OK {
                return Err(format!("{query}: {status}"));
            }
            // Round 0 warms the caches.
            if round > 0 {
                timings.push(elapsed);
                by_query[index].push(elapsed);
            } else {
                let results: app::model::catalogue::SearchResults =
                    serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                total_results += results.total;
            }
        }
    }
    timings.sort();
    if std::env::var("BENCH_DETAIL").is_ok() {
        for (query, mut times) in QUERIES.iter().zip(by_query) {
            times.sort();
            eprintln!("  {label} {:>8.2} ms p50  « {query} »", percentile(&times, 0.5));
        }
    }
    store.pools.read.close().await;
    store.pools.write.close().await;
    Ok((percentile(&timings, 0.5), percentile(&timings, 0.95), total_results))
}

async fn measure_both() -> Result<bool, String> {
    let databases = ScratchDatabases::create("iaf-bench-catalogue").await?;
    let results = [
        ("SQLite", measure("SQLite", &databases.sqlite_url).await),
        ("PostgreSQL", measure("PostgreSQL", &databases.postgres_url).await),
    ];
    databases.remove().await;
    println!(
        "\nCatalogue : {CASES} cas publiés, {} recherches et filtres × {ROUNDS}",
        QUERIES.len()
    );
    println!(
        "{:<12} {:>16} {:>16} {:>22}",
        "Base", "recherche p50", "recherche p95", "résultats (1er tour)"
    );
    let mut within = true;
    for (label, result) in results {
        let (p50, p95, total) = result.map_err(|e| format!("{label} : {e}"))?;
        println!("{label:<12} {p50:>13.2} ms {p95:>13.2} ms {total:>22}");
        if p95 >= BUDGET_MS {
            println!("  DÉPASSEMENT : recherche p95 {p95:.2} ms ≥ {BUDGET_MS} ms ({label})");
            within = false;
        }
    }
    println!("Budget : recherche p95 < {BUDGET_MS} ms.");
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
                    let store = SqlStore::new(server::db::connect(url).await?);
                    generate(&store, &load_directory()?, CASES, &|_| None).await?;
                    println!("{CASES} cas publiés ajoutés à {url}");
                    Ok(true)
                }
                .await
            }
            None => Err("usage : bench-catalogue generer sqlite://chemin.db".into()),
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
