//! Real server processes, for the tests that need several on one database: the server binary built with the
//! tests (`CARGO_BIN_EXE_server`), and raw HTTP/1.1 over TCP to talk to them.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The key sealing the outbox's private links in the test servers (`IAF_CLE_COURRIELS`, required with SMTP):
/// the same for every process, so that one delivers what another queued.
pub const OUTBOX_KEY: &str = "7f3c2a91d04e6b58c1f09a2e3d7b4c6a8e5f1029b3c4d5e6f708192a3b4c5d6e";

/// Server processes listening on their own ports, stopped by `stop`.
pub struct Servers {
    pub ports: Vec<u16>,
    children: Vec<tokio::process::Child>,
    site: std::path::PathBuf,
}

/// A port nothing listens on yet.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

impl Servers {
    /// Starts `count` server processes on `database_url`.
    pub fn start(database_url: &str, count: usize) -> Servers {
        Servers::start_with(database_url, count, &[])
    }

    /// `start`, with more environment variables.
    pub fn start_with(database_url: &str, count: usize, env: &[(&str, &str)]) -> Servers {
        let site = std::env::temp_dir().join(format!("iaf-site-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&site).expect("site dir");
        let ports: Vec<u16> = (0..count).map(|_| free_port()).collect();
        let children = ports
            .iter()
            .map(|port| {
                tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
                    .env("DATABASE_URL", database_url)
                    .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                    .env("LEPTOS_SITE_ROOT", &site)
                    .env("LEPTOS_OUTPUT_NAME", "ia-factory")
                    .env("IAF_COURRIELS_DIR", site.join("courriels"))
                    .env("IAF_CLE_COURRIELS", OUTBOX_KEY)
                    .env("RUST_LOG", "warn")
                    .envs(env.iter().copied())
                    .kill_on_drop(true)
                    .spawn()
                    .expect("server process")
            })
            .collect();
        Servers { ports, children, site }
    }

    /// Kills every process at once (`SIGKILL`): nothing is flushed, as in a crash.
    pub async fn kill(&mut self) {
        for child in &mut self.children {
            let _ = child.kill().await;
        }
    }

    pub async fn stop(mut self) {
        for child in &mut self.children {
            let _ = child.kill().await;
        }
        let _ = std::fs::remove_dir_all(&self.site);
    }
}

/// A connection to the server on `port`, once it listens.
pub async fn connect(port: u16) -> tokio::net::TcpStream {
    for _ in 0..100 {
        if let Ok(stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            return stream;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server on port {port} did not start");
}

/// Sends `head` (request line and headers, each ending in CRLF) with `body`; returns the whole reply.
pub async fn request(port: u16, head: String, body: &str) -> String {
    let mut stream = connect(port).await;
    let text = format!(
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).await.expect("write");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.expect("read");
    reply
}

/// The head of a form post to a server function, as the browser's client sends it.
pub fn form_post(path: &str, cookie: Option<&str>) -> String {
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n{cookie}"
    )
}

/// Signs `email` in through the server function on the process at `port`; the session cookie pair.
pub async fn sign_in_cookie(port: u16, email: &str, password: &str) -> String {
    let reply = request(
        port,
        form_post("/api/equipe/connexion", None),
        &super::http::sign_in_body(email, password),
    )
    .await;
    reply
        .lines()
        .find_map(|line| {
            line.strip_prefix("set-cookie: ")
                .or_else(|| line.strip_prefix("Set-Cookie: "))
        })
        .map(super::http::session_pair)
        .unwrap_or_else(|| panic!("no cookie in {reply}"))
}
