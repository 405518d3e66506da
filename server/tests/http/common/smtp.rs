//! A real SMTP server for the tests: Debian's `python3-aiosmtpd`, started on a free port, storing what it
//! receives in a Maildir that the tests read back.

use std::path::PathBuf;
use std::time::Duration;

pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: tokio::process::Child,
}

impl SmtpServer {
    /// Starts aiosmtpd and waits until it accepts connections.
    pub async fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("port")
            .local_addr()
            .expect("addr")
            .port();
        let maildir = std::env::temp_dir().join(format!("iaf-smtp-{}-{port}", std::process::id()));
        let child = tokio::process::Command::new("/usr/bin/python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .kill_on_drop(true)
            .spawn()
            .expect("aiosmtpd (paquet Debian python3-aiosmtpd, installé par scripts/test.sh)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return SmtpServer { port, maildir, child };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The raw messages received so far.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(|entry| std::fs::read(entry.ok()?.path()).ok())
            .collect()
    }

    /// The messages received, once there are at least `count` (at most 10 seconds).
    pub async fn wait_for(&self, count: usize) -> Vec<Vec<u8>> {
        for _ in 0..100 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {count} message(s), got {}", self.messages().len());
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// A received message: its headers by lower-cased name and its plain-text part.
pub struct Received {
    pub subject: String,
    pub to: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

pub fn read(raw: &[u8]) -> Received {
    use mailparse::MailHeaderMap;
    let parsed = mailparse::parse_mail(raw).expect("a MIME message");
    let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
    let part = |mime: &str| {
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == mime)
            .map(|p| p.get_body().expect("body"))
            .unwrap_or_default()
    };
    Received {
        subject: header("Subject"),
        to: header("To"),
        message_id: header("Message-ID"),
        text: part("text/plain"),
        html: part("text/html"),
    }
}

/// The one-time token of a link `/equipe/<kind>/<token>` in a text.
pub fn link_token(text: &str, kind: &str) -> String {
    let marker = format!("/equipe/{kind}/");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} link in {text}"))
        + marker.len();
    text[start..].chars().take_while(|c| c.is_ascii_hexdigit()).collect()
}
