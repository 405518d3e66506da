//! Starts IA Factory: reads the configuration, connects and migrates the database, seeds the demonstration
//! content on first start and serves the site.

use std::sync::Arc;

use app::server::context::now;
use leptos::prelude::get_configuration;
use server::config::Config;
use server::http::router;
use server::sql::SqlStore;
use server::state::{load_directory, AppState};

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("Erreur : {message}");
        std::process::exit(1);
    }
}

/// `server creer-admin --email E --nom N`: creates the first administrator; the password is read from
/// `IAF_ADMIN_PASSWORD` or, when unset, from the first line of standard input.
async fn create_admin(args: &[String]) -> Result<(), String> {
    use app::domain::auth::{password_problem, Role};
    use app::store::AccountStore;
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let usage = "usage : server creer-admin --email adresse@exemple.fr --nom \"Prénom Nom\" (mot de passe dans IAF_ADMIN_PASSWORD ou sur l'entrée standard)";
    let email = value_of("--email").ok_or(usage)?.trim().to_lowercase();
    let name = value_of("--nom").ok_or(usage)?.trim().to_string();
    if !app::domain::intake::is_email(&email) || name.chars().count() < 2 {
        return Err(usage.into());
    }
    let password = match std::env::var("IAF_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("lecture du mot de passe : {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if let Some(problem) = password_problem(&password) {
        return Err(problem);
    }
    let config = Config::from_env();
    let store = SqlStore::new(server::db::connect(&config.database_url).await?);
    let hash = tokio::task::spawn_blocking(move || app::server::session::hash_password(&password))
        .await
        .map_err(|e| e.to_string())??;
    let created = store
        .create_account(&email, &name, Role::Admin, &hash, now())
        .await
        .map_err(|e| e.0)?;
    if created {
        println!("Compte administrateur créé : {email}");
        Ok(())
    } else {
        Err(format!("Un compte existe déjà pour {email}."))
    }
}

/// `server sauvegarder FICHIER` and `server restaurer FICHIER [--ecraser]` (see `server::backup`).
async fn backup_command(command: &str, args: &[String]) -> Result<(), String> {
    let usage = "usage : server sauvegarder FICHIER | server restaurer FICHIER [--ecraser] (base : DATABASE_URL, pièces : IAF_PIECES_DIR ou IAF_S3_BUCKET)";
    let file = args.iter().find(|a| !a.starts_with("--")).ok_or(usage)?;
    let config = Config::from_env();
    let documents = server::storage::Storage::from_config(&config)?;
    let report = if command == "sauvegarder" {
        server::backup::back_up(&config.database_url, &documents, std::path::Path::new(file), now()).await?
    } else {
        let overwrite = args.iter().any(|a| a == "--ecraser");
        server::backup::restore(&config.database_url, &documents, std::path::Path::new(file), overwrite).await?
    };
    let rows: i64 = report.manifest.tables.iter().map(|t| t.rows).sum();
    let verb = if command == "sauvegarder" {
        "Sauvegarde écrite"
    } else {
        "Sauvegarde restaurée et vérifiée"
    };
    println!(
        "{verb} : {file} ({} Kio, base {}, {} tables, {rows} lignes, {} pièces) en {:.2} s",
        report.bytes / 1024,
        report.manifest.base,
        report.manifest.tables.len(),
        report.manifest.pieces,
        report.seconds
    );
    Ok(())
}

/// `server importer-bibliotheque FICHIER|URL`: imports the Bibliothèque d'IA territoriales' data file into the
/// catalogue and prints the report, per record.
async fn import_library(args: &[String]) -> Result<(), String> {
    let usage = "usage : server importer-bibliotheque FICHIER|URL (fichier CSV publié par la Bibliothèque d'IA territoriales ; base : DATABASE_URL)";
    let origin = args.iter().find(|a| !a.starts_with("--")).ok_or(usage)?;
    let config = Config::from_env();
    let directory = load_directory()?;
    let store = SqlStore::new(server::db::connect(&config.database_url).await?);
    match server::library_import::import(&store, &directory, origin, now()).await? {
        None => println!("{origin} : inchangé depuis le dernier import (réponse 304 de la source)."),
        Some(report) => {
            for line in report.lines() {
                println!("{line}");
            }
        }
    }
    Ok(())
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("creer-admin") => return create_admin(&args[2..]).await,
        Some(command @ ("sauvegarder" | "restaurer")) => return backup_command(command, &args[2..]).await,
        Some("importer-bibliotheque") => return import_library(&args[2..]).await,
        _ => {}
    }
    server::logging::init();
    let config = Config::from_env();
    server::startup::check_site(&config)?;
    server::startup::install_outbox_key(&config)?;
    let leptos = get_configuration(None).map_err(|e| format!("configuration Leptos : {e}"))?;
    let mut options = leptos.leptos_options;
    // A release build by cargo-leptos names its assets with a hash of their content and lists them in a file
    // beside the binary: use those names (served with a one-year cache lifetime).
    if !options.hash_files {
        options.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)))
            .is_some_and(|path| path.is_file());
    }
    let address = options.site_addr;
    let directory = Arc::new(load_directory()?);
    let pools = server::db::connect(&config.database_url).await?;
    let store = Arc::new(SqlStore::new(pools));
    store.listen(&config.database_url).await?;
    let (cases, accounts) = server::startup::prepare_demo(&store, &directory, &config, now()).await?;
    if cases + accounts > 0 {
        tracing::info!("démonstration : {cases} cas et {accounts} comptes ajoutés");
    }
    // Cases filed before their words and AI Act level were recorded get them now (a no-op once done).
    loop {
        let done = app::store::SimilarStore::index_pending_cases(store.as_ref(), 500)
            .await
            .map_err(|e| format!("index des cas : {}", e.0))?;
        if done == 0 {
            break;
        }
        tracing::info!("{done} cas indexés pour la recherche de cas proches");
    }
    // The antivirus's emails and the daily digests are sent outside any request: their links start with the
    // public address, or this server's own when none is set.
    let site = config.site().serving_at(address);
    let origin = site.link_origin().to_string();
    let mailer = Arc::new(server::mail::Mailer::from_config(&config)?);
    let sender = server::mail::spawn_sender(store.clone(), mailer, origin.clone());
    let documents = Arc::new(server::scan::DocumentFiles::from_config(&config, &origin)?);
    server::scan::spawn_scanner(store.clone(), documents.clone());
    server::jobs::spawn_purge(store.clone(), documents.clone());
    // The Bibliothèque d'IA territoriales refreshed daily from its published file, only when its URL is set.
    if let Some(url) = std::env::var("IAF_BIBLIOTHEQUE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
    {
        server::library_import::spawn_refresh(store.clone(), directory.clone(), url.trim().to_string());
    }
    // Metrics on their own address only (IAF_METRIQUES_ADDR, e.g. 127.0.0.1:9464), never on the public one.
    if !config.metrics_addr.is_empty() {
        let handle = server::http::metrics::install()?;
        let metrics_listener = tokio::net::TcpListener::bind(&config.metrics_addr)
            .await
            .map_err(|e| format!("écoute des métriques sur {} : {e}", config.metrics_addr))?;
        let metrics_app = server::http::metrics::router(handle, store.clone());
        println!("Métriques Prometheus sur http://{}/metrics", config.metrics_addr);
        tokio::spawn(async move {
            if let Err(error) = axum::serve(metrics_listener, metrics_app).await {
                tracing::error!(cause = %error, "serveur des métriques");
            }
        });
    }
    let proconnect = server::proconnect::ProConnectConfig::from_env(site.link_origin())?
        .map(server::proconnect::ProConnect::new)
        .transpose()?;
    let mut state = AppState::new(options, store, directory, config.behind_proxy, documents, site);
    if let Some(proconnect) = proconnect {
        tracing::info!(issuer = %proconnect.config.issuer, "connexion avec ProConnect proposée");
        state = state.with_proconnect(Arc::new(proconnect));
    }
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("écoute sur {address} : {e}"))?;
    println!("IA Factory est servi sur http://{address}");
    // Without TCP_NODELAY a response written in two parts waits for the client's delayed acknowledgement
    // (about 40 ms) on a kept-alive connection.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(server::shutdown::wait_for_signal());
    let stop = server::shutdown::signal();
    let serving = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move { stop.cancelled().await });
    // After the signal: the requests in progress get REQUESTS_GRACE, the outbox the rest of DEADLINE.
    let stop = server::shutdown::signal();
    let served = tokio::select! {
        result = serving => result.map_err(|e| format!("serveur : {e}")),
        _ = async {
            stop.cancelled().await;
            tokio::time::sleep(server::shutdown::REQUESTS_GRACE).await;
        } => {
            tracing::warn!("requêtes encore en cours après {} s : arrêt", server::shutdown::REQUESTS_GRACE.as_secs());
            Ok(())
        }
    };
    let left = server::shutdown::DEADLINE.saturating_sub(server::shutdown::REQUESTS_GRACE);
    if tokio::time::timeout(left, sender).await.is_err() {
        tracing::warn!("courriels encore en cours d'envoi à l'arrêt : ils partiront au prochain démarrage");
    }
    tracing::info!("arrêt terminé");
    served
}
