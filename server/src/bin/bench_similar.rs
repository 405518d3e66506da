//! Benchmark of similar cases (`scripts/bench.sh` runs it in release): on a fresh SQLite file and a fresh
//! PostgreSQL database holding 10,000 published cases and 1,000 imported projects of the Bibliothèque whose
//! texts are sentences of the calibration sets mixed (100–150 words each), the server time of the store's
//! similarity queries, in-process: a need as typed at step 2 or a whole description (`close_to_need` and
//! `library_close_to_need`, both asked at step 2), a filed case (`close_to_case`, the team's case page) and a
//! catalogue page (`neighbours`). p50/p95, budget p95 < 20 ms; the first query, which loads the index, and the
//! import of the 1,000 projects are printed apart. Exits 1 over budget.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::access::VisibleCase;
use app::domain::reference::CaseReference;
use app::store::similar::SimilarStore;
use server::sql::SqlStore;
use server::state::load_directory;

#[path = "../bench_published.rs"]
mod bench_published;
#[path = "../bench_support.rs"]
mod bench_support;

use bench_published::generate;
use bench_support::{percentile, ScratchDatabases};

const CASES: usize = 10_000;
const IMPORTED: usize = 1_000;
const ROUNDS: usize = 5;
const BUDGET_MS: f64 = 20.0;

const SETS: [&str; 2] = [
    include_str!("../../../app/src/domain/similar/calibration/projets.tsv"),
    include_str!("../../../app/src/domain/similar/calibration/controle/projets.tsv"),
];
const QUERIES: [&str; 2] = [
    include_str!("../../../app/src/domain/similar/calibration/requetes.tsv"),
    include_str!("../../../app/src/domain/similar/calibration/controle/requetes.tsv"),
];

/// Rows of a calibration file (header left out), split on tabs.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().skip(1).map(|line| line.split('\t').collect())
}

/// The titles and the sentences of the calibration projects.
fn pools() -> (Vec<String>, Vec<String>) {
    let (mut titles, mut sentences) = (Vec::new(), Vec::new());
    for row in SETS.iter().flat_map(|set| rows(set)).filter(|row| row.len() == 6) {
        titles.push(row[3].to_string());
        for text in [row[4], row[5]] {
            sentences.extend(
                text.split_inclusive(". ")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
    }
    (titles, sentences)
}

/// The `n`th case's title, problem and solution: a calibration title and three sentences each, mixed.
fn texts(titles: &[String], sentences: &[String], n: usize) -> (String, String, String) {
    let pick = |k: usize| sentences[(n.wrapping_mul(2_654_435_761).wrapping_add(k * 40_503)) % sentences.len()].clone();
    (
        format!("{} {n}", titles[n * 7 % titles.len()]),
        [pick(1), pick(2), pick(3)].join(" "),
        [pick(4), pick(5), pick(6)].join(" "),
    )
}

/// The needs measured: every short need of the sets and every whole description.
fn needs() -> Vec<(String, String, String)> {
    let short = QUERIES.iter().flat_map(|set| rows(set)).filter(|row| row.len() == 4);
    let whole = SETS.iter().flat_map(|set| rows(set)).filter(|row| row.len() == 6);
    short
        .map(|row| (row[1].to_string(), row[2].to_string(), row[3].to_string()))
        .chain(whole.map(|row| (row[3].to_string(), row[4].to_string(), row[5].to_string())))
        .collect()
}

/// The Bibliothèque's file of the benchmark: `IMPORTED` projects with texts like the cases'.
fn library_file(titles: &[String], sentences: &[String]) -> app::domain::library::ReadFile {
    use app::domain::library::values::Status;
    use app::domain::library::{LibraryProject, ReadFile, ReadRecord};
    let records = (0..IMPORTED)
        .map(|i| {
            let (title, problem, solution) = texts(titles, sentences, CASES + i);
            ReadRecord {
                line: i + 2,
                problems: Vec::new(),
                project: LibraryProject {
                    key: format!("bench:{i}"),
                    slug: format!("projet-bibliotheque-{i}"),
                    collectivite_name: format!("Collectivité {i}"),
                    project_name: title,
                    siret: String::new(),
                    siren: String::new(),
                    collectivite_key: String::new(),
                    collectivite_kind: String::new(),
                    region: String::new(),
                    population: None,
                    body_type: None,
                    latitude: None,
                    longitude: None,
                    started: "2024-01".into(),
                    status: Some(Status::Deploiement),
                    abandon_reason: String::new(),
                    partners: String::new(),
                    description: format!("{problem} {solution}"),
                    theme: "Administration et organisation interne".into(),
                    sub_themes: Vec::new(),
                    audiences: vec!["Agent".into()],
                    url_service: String::new(),
                    url_logo: String::new(),
                    source_updated: "2025-01-01".into(),
                    domain: "autre".into(),
                },
            }
        })
        .collect();
    ReadFile {
        records,
        refused: Vec::new(),
        ignored_columns: Vec::new(),
    }
}

struct Figures {
    first: Duration,
    import: Duration,
    need: Vec<Duration>,
    case: Vec<Duration>,
    page: Vec<Duration>,
    found: usize,
}

async fn measure(label: &str, url: &str) -> Result<Figures, String> {
    let store = Arc::new(SqlStore::new(server::db::connect(url).await?));
    let (titles, sentences) = pools();
    eprintln!("{label} : génération de {CASES} cas publiés…");
    let provide = |n: usize| Some(texts(&titles, &sentences, n));
    generate(&store, &load_directory()?, CASES, &provide).await?;
    eprintln!("{label} : import de {IMPORTED} projets de la Bibliothèque…");
    let started = Instant::now();
    app::store::LibraryStore::import_library(
        store.as_ref(),
        &app::store::library::LibraryImport {
            origin: "bench".into(),
            read: library_file(&titles, &sentences),
            licence: app::domain::library::DEFAULT_LICENCE.into(),
            source_url: app::domain::library::SOURCE_PAGE.into(),
            etag: String::new(),
            last_modified: String::new(),
            now: app::server::context::now(),
        },
    )
    .await
    .map_err(|e| e.0)?;
    let import = started.elapsed();
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM publications ORDER BY id LIMIT 20")
        .fetch_all(&store.pools.read)
        .await
        .map_err(|e| e.to_string())?;
    let references: Vec<String> = sqlx::query_scalar("SELECT reference FROM cases ORDER BY id LIMIT 40")
        .fetch_all(&store.pools.read)
        .await
        .map_err(|e| e.to_string())?;
    let needs = needs();
    let started = Instant::now();
    store
        .close_to_need(&needs[0].0, &needs[0].1, &needs[0].2)
        .await
        .map_err(|e| e.0)?;
    let first = started.elapsed();
    let (mut need, mut case, mut page, mut found) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for _ in 0..ROUNDS {
        for (title, problem, solution) in &needs {
            // Step 2 asks both: the cases, and the projects of the Bibliothèque.
            let started = Instant::now();
            let (_, close) = store.close_to_need(title, problem, solution).await.map_err(|e| e.0)?;
            let library = store
                .library_close_to_need(title, problem, solution)
                .await
                .map_err(|e| e.0)?;
            need.push(started.elapsed());
            found += close.len() + library.len();
        }
        for (n, slug) in slugs.iter().enumerate() {
            let (slug, library) = if n % 2 == 0 {
                (slug.clone(), false)
            } else {
                (format!("projet-bibliotheque-{n}"), true)
            };
            let started = Instant::now();
            let close = store.neighbours(&slug, library).await.map_err(|e| e.0)?;
            page.push(started.elapsed());
            found += close.len();
        }
        for reference in &references {
            let visible = VisibleCase::for_system(CaseReference::parse(reference).ok_or("référence mal formée")?);
            let started = Instant::now();
            let close = store.close_to_case(&visible).await.map_err(|e| e.0)?;
            case.push(started.elapsed());
            found += close.len();
        }
    }
    need.sort();
    case.sort();
    page.sort();
    store.pools.read.close().await;
    store.pools.write.close().await;
    Ok(Figures {
        first,
        import,
        need,
        case,
        page,
        found: found / ROUNDS,
    })
}

async fn measure_both() -> Result<bool, String> {
    let databases = ScratchDatabases::create("iaf-bench-similar").await?;
    let results = [
        ("SQLite", measure("SQLite", &databases.sqlite_url).await),
        ("PostgreSQL", measure("PostgreSQL", &databases.postgres_url).await),
    ];
    databases.remove().await;
    println!(
        "\nCas proches : {CASES} cas publiés et {IMPORTED} projets importés (21 000 textes indexés), {} besoins \
         (cas et Bibliothèque), 40 cas et 20 pages du catalogue × {ROUNDS}, en processus",
        needs().len()
    );
    println!(
        "{:<12} {:>12} {:>13} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>9}",
        "Base",
        "import 1 000",
        "1re (index)",
        "besoin p50",
        "besoin p95",
        "cas p50",
        "cas p95",
        "page p50",
        "page p95",
        "trouvés"
    );
    let mut within = true;
    for (label, result) in results {
        let figures = result.map_err(|e| format!("{label} : {e}"))?;
        let (need50, need95) = (percentile(&figures.need, 0.5), percentile(&figures.need, 0.95));
        let (case50, case95) = (percentile(&figures.case, 0.5), percentile(&figures.case, 0.95));
        let (page50, page95) = (percentile(&figures.page, 0.5), percentile(&figures.page, 0.95));
        let first = figures.first.as_secs_f64() * 1000.0;
        let import = figures.import.as_secs_f64() * 1000.0;
        println!(
            "{label:<12} {import:>9.0} ms {first:>10.1} ms {need50:>9.2} ms {need95:>9.2} ms {case50:>9.2} ms \
             {case95:>9.2} ms {page50:>9.2} ms {page95:>9.2} ms {:>9}",
            figures.found
        );
        for (what, p95) in [("besoin", need95), ("cas", case95), ("page", page95)] {
            if p95 >= BUDGET_MS {
                println!("  DÉPASSEMENT : {what} p95 {p95:.2} ms ≥ {BUDGET_MS} ms ({label})");
                within = false;
            }
        }
    }
    println!("Budget : p95 < {BUDGET_MS} ms par requête.");
    Ok(within)
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    match measure_both().await {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(message) => {
            eprintln!("Erreur : {message}");
            std::process::exit(2);
        }
    }
}
