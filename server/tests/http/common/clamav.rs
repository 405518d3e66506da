//! A real ClamAV daemon for the tests: Debian's `clamav-daemon`, started in the foreground on a Unix socket of
//! its own with a signature database holding only the EICAR test signature (`scripts/clamav/eicar.hdb`): no
//! signature download is needed.

use std::path::PathBuf;
use std::time::Duration;

/// The EICAR test file (68 bytes), which every antivirus reports.
pub const EICAR: &[u8] = br"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

pub struct Clamd {
    pub socket: PathBuf,
    dir: PathBuf,
    child: tokio::process::Child,
}

impl Clamd {
    /// Starts clamd and waits until its socket answers (at most 60 seconds).
    pub async fn start() -> Clamd {
        let dir = std::env::temp_dir().join(format!(
            "iaf-clamd-{}-{}",
            std::process::id(),
            server::scan::new_stored_name()
        ));
        let database = dir.join("signatures");
        std::fs::create_dir_all(&database).expect("clamd folders");
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/clamav/eicar.hdb"),
            database.join("eicar.hdb"),
        )
        .expect("EICAR signature");
        let socket = dir.join("clamd.sock");
        let config = dir.join("clamd.conf");
        std::fs::write(
            &config,
            format!(
                "Foreground yes\nLocalSocket {}\nDatabaseDirectory {}\nTemporaryDirectory {}\nLogFile {}\n{}",
                socket.display(),
                database.display(),
                dir.display(),
                dir.join("clamd.log").display(),
                include_str!("../../../../scripts/clamav/limits.conf")
            ),
        )
        .expect("clamd config");
        let child = tokio::process::Command::new("/usr/sbin/clamd")
            .arg("-c")
            .arg(&config)
            .kill_on_drop(true)
            .spawn()
            .expect("clamd (paquet Debian clamav-daemon, installé par scripts/test.sh)");
        for _ in 0..600 {
            if tokio::net::UnixStream::connect(&socket).await.is_ok() {
                return Clamd { socket, dir, child };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("clamd did not open {}", socket.display());
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
