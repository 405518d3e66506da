//! A real S3-compatible server for the tests: moto in server mode (PyPI `moto[server]`, installed by
//! `scripts/test.sh` in `IAF_VENV`), started on a free port of its own; each test creates its own buckets.

use std::time::Duration;

use server::storage::{Bucket, BucketSettings, Storage};

pub struct Moto {
    pub endpoint: String,
    child: tokio::process::Child,
}

impl Moto {
    /// Starts moto and waits until it answers (at most 60 seconds).
    pub async fn start() -> Moto {
        let venv = std::env::var("IAF_VENV").unwrap_or_else(|_| "/var/tmp/ia-factory-venv".into());
        let port = super::process::free_port();
        let child = tokio::process::Command::new(format!("{venv}/bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("moto_server of IAF_VENV (PyPI moto[server], installed by scripts/test.sh)");
        let endpoint = format!("http://127.0.0.1:{port}");
        for _ in 0..600 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Moto { endpoint, child };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto did not listen on {port}");
    }

    /// Creates the bucket `name` (an S3 `PUT /name`) and returns how the server reaches it.
    pub async fn bucket(&self, name: &str) -> BucketSettings {
        let created = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .expect("create bucket");
        assert!(created.status().is_success(), "bucket {name}: {}", created.status());
        BucketSettings {
            bucket: name.into(),
            endpoint: self.endpoint.clone(),
            region: "eu-west-3".into(),
            access_key_id: "essai".into(),
            secret_access_key: "essai-secret".into(),
            prefix: String::new(),
        }
    }

    /// The storage of a new bucket `name`.
    pub async fn storage(&self, name: &str) -> Storage {
        Storage::Bucket(Bucket::open(&self.bucket(name).await).expect("bucket client"))
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
