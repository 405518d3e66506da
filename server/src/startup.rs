//! What the server checks at start: a well-formed public address, required behind a reverse proxy (where the
//! site is served over HTTPS); and the demonstration, refused on a public site, added when asked
//! (`IAF_DEMO=1`), otherwise nothing.

use app::domain::collectivites::Directory;

use crate::seed::{seed_demo, seed_demo_accounts, DEMO_ACCOUNTS};
use crate::sql::SqlStore;

/// Refuses to serve without a trustworthy address: a malformed `IAF_PUBLIC_URL`, or none when emails go out by
/// SMTP (`IAF_SMTP_URL`) or behind a reverse proxy (`IAF_PROXY=1`), which is how the site is served over HTTPS — there the `Host` a request names must not
/// decide links, the cross-site check and the session cookie. The French message says what to do.
pub fn check_site(config: &crate::config::Config) -> Result<(), String> {
    if config.public_url.is_empty() && !config.smtp_url.is_empty() {
        return Err(
            "IAF_SMTP_URL est fixé : les courriels partent vers de vraies boîtes, et leurs liens doivent mener au \
             site public. Fixez IAF_PUBLIC_URL à l'adresse publique du site (par exemple \
             IAF_PUBLIC_URL=https://ia-factory.banquedesterritoires.fr) puis relancez."
                .into(),
        );
    }
    if config.public_url.is_empty() {
        if config.behind_proxy {
            return Err(
                "IAF_PROXY=1 : derrière un mandataire inverse, le site est servi en HTTPS et l'en-tête Host \
                        des requêtes ne peut pas faire foi. Fixez IAF_PUBLIC_URL à l'adresse publique du site (par \
                        exemple IAF_PUBLIC_URL=https://ia-factory.banquedesterritoires.fr) puis relancez."
                    .into(),
            );
        }
        return Ok(());
    }
    match app::server::context::public_url_problem(&config.public_url) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// Installs the key sealing the outbox's private links (`IAF_CLE_COURRIELS`): required when emails go out by
/// SMTP, where messages may wait; without SMTP they are written as files at once, under a key of this process.
pub fn install_outbox_key(config: &crate::config::Config) -> Result<(), String> {
    let key = crate::seal::OutboxKey::from_config(&config.outbox_key, &config.smtp_url)?;
    if !crate::seal::install(key) {
        return Err("la clé des courriels était déjà en usage".into());
    }
    Ok(())
}

/// Refuses a public site (`IAF_PUBLIC_URL=https://…`) that asks for the demonstration or still has an active
/// demonstration account, whose password is published: the French message says what to do.
pub async fn refuse_public_demo(store: &SqlStore, config: &crate::config::Config) -> Result<(), String> {
    use app::store::*;
    if !config.is_public() {
        return Ok(());
    }
    if config.seed_demo {
        return Err(format!(
            "IAF_DEMO=1 ajoute des comptes dont le mot de passe est public : il est refusé pour un site public \
             (IAF_PUBLIC_URL={}). Retirez IAF_DEMO puis relancez.",
            config.public_url
        ));
    }
    for (email, _, _) in DEMO_ACCOUNTS {
        let account = store.account_by_email(email).await.map_err(|e| e.0)?;
        if account.is_some_and(|account| !account.disabled) {
            return Err(format!(
                "Le compte de démonstration {email} est actif alors que le site est public (IAF_PUBLIC_URL={}) : \
                 son mot de passe est publié. Désactivez-le dans /equipe/comptes (en démarrant une fois sans \
                 IAF_PUBLIC_URL) ou supprimez-le de la base, puis relancez.",
                config.public_url
            ));
        }
    }
    Ok(())
}

/// What the server does with the demonstration at start: refuses it on a public site, adds it when asked
/// (`IAF_DEMO=1`), and otherwise adds nothing. Returns the cases and accounts added.
pub async fn prepare_demo(
    store: &SqlStore,
    directory: &Directory,
    config: &crate::config::Config,
    now: i64,
) -> Result<(usize, usize), String> {
    refuse_public_demo(store, config).await?;
    if !config.seed_demo {
        return Ok((0, 0));
    }
    let seeded = (
        seed_demo(store, directory, now).await?,
        seed_demo_accounts(store, now).await?,
    );
    seed_demo_library(store, directory, now).await?;
    Ok(seeded)
}

/// The demonstration's catalogue also holds the 17 real projects of the Bibliothèque's sample, imported once.
async fn seed_demo_library(store: &SqlStore, directory: &Directory, now: i64) -> Result<(), String> {
    use app::store::LibraryStore;
    if store.last_library_import().await.map_err(|e| e.0)?.is_some() {
        return Ok(());
    }
    let text = include_str!("../data/bibliotheque-echantillon.csv");
    let read = app::domain::library::read_file(text, directory)?;
    let import = app::store::library::LibraryImport {
        origin: "server/data/bibliotheque-echantillon.csv (démonstration)".into(),
        read,
        licence: app::domain::library::DEFAULT_LICENCE.into(),
        source_url: app::domain::library::SOURCE_PAGE.into(),
        etag: String::new(),
        last_modified: String::new(),
        now,
    };
    let report = store.import_library(&import).await.map_err(|e| e.0)?;
    tracing::info!("démonstration : {}", report.summary());
    Ok(())
}
