//! Starts IA Factory: reads the configuration, connects and migrates the database, seeds the demonstration
//! content on first start and serves the site.

use std::sync::Arc;

use leptos::prelude::get_configuration;
use server::config::Config;
use server::routes::{load_directory, router, AppState};
use server::store::SqlStore;

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("Erreur : {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::from_env();
    let leptos = get_configuration(None).map_err(|e| format!("configuration Leptos : {e}"))?;
    let options = leptos.leptos_options;
    let address = options.site_addr;
    let directory = Arc::new(load_directory()?);
    let pools = server::db::connect(&config.database_url).await?;
    let store = Arc::new(SqlStore::new(pools));
    if config.seed_demo {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        let added = server::seed::seed_demo(&store, &directory, now).await?;
        if added > 0 {
            tracing::info!("{added} cas de démonstration ajoutés");
        }
    }
    let app = router(AppState {
        leptos_options: options,
        store,
        directory,
    });
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("écoute sur {address} : {e}"))?;
    println!("IA Factory est servi sur http://{address}");
    axum::serve(listener, app).await.map_err(|e| format!("serveur : {e}"))
}
