//! Graceful shutdown on SIGTERM or Ctrl-C, within 10 seconds: stop accepting connections, let the requests in
//! progress finish, end the live streams (they would otherwise keep the server waiting), then deliver the
//! outbox's due emails one last time.

use std::sync::OnceLock;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// The longest a shutdown takes, from the signal to the end of the process.
pub const DEADLINE: Duration = Duration::from_secs(10);
/// Of which the requests in progress may use this much; the outbox gets the rest.
pub const REQUESTS_GRACE: Duration = Duration::from_secs(7);

/// The process's shutdown signal, cancelled once SIGTERM or Ctrl-C arrived.
pub fn signal() -> CancellationToken {
    static SIGNAL: OnceLock<CancellationToken> = OnceLock::new();
    SIGNAL.get_or_init(CancellationToken::new).clone()
}

/// Waits for SIGTERM or Ctrl-C, then cancels `signal()`.
pub async fn wait_for_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("arrêt demandé : plus de nouvelle connexion, fin des requêtes en cours");
    signal().cancel();
}
