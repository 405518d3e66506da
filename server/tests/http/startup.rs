//! What a server does with the demonstration at start, on SQLite and PostgreSQL: a bare server adds no account
//! and no case, `IAF_DEMO=1` adds them, and a public site (`IAF_PUBLIC_URL=https://…`) refuses to start while
//! it asks for the demonstration or a demonstration account is active.

use app::store::*;
use server::config::Config;
use server::seed::DEMO_ACCOUNTS;
use server::sql::SqlStore;
use server::startup::prepare_demo;

use crate::common;

fn config(url: &str, seed_demo: bool, public_url: &str) -> Config {
    Config {
        database_url: url.into(),
        seed_demo,
        public_url: public_url.into(),
        ..Config::from_env()
    }
}

#[tokio::test]
async fn a_bare_server_adds_nothing_and_a_public_site_refuses_the_demonstration() {
    let directory = server::state::load_directory().expect("directory");
    for db in common::both().await {
        let store = SqlStore::new(db.pools.clone());
        let now = 1_795_000_000;

        let bare = prepare_demo(&store, &directory, &config(&db.url, false, ""), now).await;
        assert_eq!(bare, Ok((0, 0)), "{}", db.label);
        assert!(store.case_summaries().await.expect("cases").is_empty(), "{}", db.label);
        for (email, _, _) in DEMO_ACCOUNTS {
            assert_eq!(
                store.account_by_email(email).await.expect("account"),
                None,
                "{}",
                db.label
            );
        }

        let asked_in_public =
            prepare_demo(&store, &directory, &config(&db.url, true, "https://ia-factory.fr"), now).await;
        let message = asked_in_public.expect_err("refused");
        assert!(
            message.contains("IAF_DEMO=1") && message.contains("Retirez IAF_DEMO"),
            "{}: {message}",
            db.label
        );
        assert!(
            store.case_summaries().await.expect("cases").is_empty(),
            "{}: nothing added",
            db.label
        );

        let (cases, accounts) = prepare_demo(&store, &directory, &config(&db.url, true, ""), now)
            .await
            .expect("demo");
        assert!(cases > 0, "{}", db.label);
        assert_eq!(accounts, DEMO_ACCOUNTS.len(), "{}", db.label);

        let public = config(&db.url, false, "https://ia-factory.fr");
        let message = prepare_demo(&store, &directory, &public, now)
            .await
            .expect_err("refused");
        assert!(
            message.contains("admin@demo.ia-factory.fr est actif") && message.contains("Désactivez-le"),
            "{}: {message}",
            db.label
        );
        for (email, _, _) in DEMO_ACCOUNTS {
            let account = store
                .account_by_email(email)
                .await
                .expect("account")
                .expect("demo account");
            store.set_account_disabled(account.id, true).await.expect("disable");
        }
        assert_eq!(
            prepare_demo(&store, &directory, &public, now).await,
            Ok((0, 0)),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

/// Behind a reverse proxy the site is served over HTTPS, and with SMTP its emails reach real mailboxes: without
/// a public address the server refuses to start, saying what to set; a malformed address is refused too.
#[test]
fn behind_a_proxy_or_with_smtp_the_public_address_is_required() {
    use server::startup::check_site;
    let with = |public_url: &str, behind_proxy: bool| Config {
        public_url: public_url.into(),
        behind_proxy,
        ..Config::from_env()
    };
    let refused = check_site(&with("", true)).expect_err("refused");
    assert!(
        refused.contains("IAF_PROXY=1") && refused.contains("IAF_PUBLIC_URL=https://"),
        "{refused}"
    );
    assert_eq!(check_site(&with("https://ia-factory.fr", true)), Ok(()));
    assert_eq!(check_site(&with("", false)), Ok(()), "a laptop needs none");
    let mailing = Config {
        smtp_url: "smtp://127.0.0.1:2525".into(),
        ..with("", false)
    };
    let refused = check_site(&mailing).expect_err("refused");
    assert!(
        refused.contains("IAF_SMTP_URL") && refused.contains("IAF_PUBLIC_URL=https://"),
        "{refused}"
    );
    let mailing_public = Config {
        smtp_url: "smtp://127.0.0.1:2525".into(),
        ..with("https://ia-factory.fr", false)
    };
    assert_eq!(check_site(&mailing_public), Ok(()));
    let malformed = check_site(&with("https://ia-factory.fr/equipe", false)).expect_err("refused");
    assert!(
        malformed.contains("IAF_PUBLIC_URL=https://ia-factory.fr/equipe"),
        "{malformed}"
    );
}

/// With SMTP, emails wait in the outbox with their private links sealed by `IAF_CLE_COURRIELS`: a server started
/// without that key, or with a malformed one, refuses to start and names the variable; with it, it starts.
#[tokio::test]
async fn with_smtp_the_key_of_the_outbox_links_is_required() {
    let refusal = |key: &'static str| async move {
        let started = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", "sqlite::memory:")
            .env("IAF_SMTP_URL", "smtp://127.0.0.1:2525")
            .env("IAF_PUBLIC_URL", "https://ia-factory.fr")
            .env("IAF_CLE_COURRIELS", key)
            .env(
                "LEPTOS_SITE_ADDR",
                format!("127.0.0.1:{}", common::process::free_port()),
            )
            .kill_on_drop(true)
            .output();
        // Before the fix the server started and served: it would never have exited.
        let output = tokio::time::timeout(std::time::Duration::from_secs(20), started)
            .await
            .unwrap_or_else(|_| panic!("started without a valid key « {key} »"))
            .expect("server process");
        assert!(!output.status.success(), "started without a valid key « {key} »");
        String::from_utf8_lossy(&output.stderr).to_string()
    };
    for key in [
        "",
        "abcd",
        "zz3c2a91d04e6b58c1f09a2e3d7b4c6a8e5f1029b3c4d5e6f708192a3b4c5d6e",
    ] {
        let said = refusal(key).await;
        assert!(
            said.contains("IAF_CLE_COURRIELS") && said.contains("openssl rand -hex 32"),
            "« {key} »: {said}"
        );
    }
    let config = |key: &str| Config {
        smtp_url: "smtp://127.0.0.1:2525".into(),
        outbox_key: key.into(),
        ..Config::from_env()
    };
    assert!(server::seal::OutboxKey::from_config(&config(common::process::OUTBOX_KEY).outbox_key, "smtp://x").is_ok());
    assert!(server::startup::install_outbox_key(&config("")).is_err());
}
