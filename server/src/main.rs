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

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("creer-admin") {
        return create_admin(&args[2..]).await;
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::from_env();
    server::startup::check_site(&config)?;
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
    let mailer = Arc::new(server::mail::Mailer::from_config(&config)?);
    server::mail::spawn_sender(store.clone(), mailer);
    // The antivirus's emails are sent outside any request: their links start with the public address, or this
    // server's own when none is set.
    let site = config.site();
    let origin = if site.public_url().is_empty() {
        format!("http://{address}")
    } else {
        site.public_url().to_string()
    };
    let documents = Arc::new(server::scan::DocumentFiles::open(
        &config.documents_dir,
        &config.clamav_socket,
        &origin,
    )?);
    server::scan::spawn_scanner(store.clone(), documents.clone());
    server::jobs::spawn_purge(store.clone(), documents.clone());
    let app = router(AppState {
        leptos_options: options,
        store,
        directory,
        behind_proxy: config.behind_proxy,
        documents,
        site,
    });
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
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .map_err(|e| format!("serveur : {e}"))
}
