//! A real OpenID provider for the tests, configured like ProConnect (`scripts/oidc/provider.mjs`, npm
//! `oidc-provider`, installed by `scripts/test.sh`), and a small browser that signs an agent in on its login
//! page: cookies kept, redirects followed until the provider sends the browser back to the service.

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

/// Where the service under test is served for the provider (the redirect and logout addresses it registers).
pub const SERVICE: &str = "http://localhost";
pub const CLIENT_ID: &str = "iaf-test";
pub const CLIENT_SECRET: &str = "iaf-test-secret-0123456789abcdefghijklmnop";
pub const JSON_CLIENT_ID: &str = "iaf-test-json";
pub const JSON_CLIENT_SECRET: &str = "iaf-test-json-secret-0123456789abcdefghij";

pub struct Provider {
    pub issuer: String,
    child: tokio::process::Child,
    proxy: Option<tokio::task::JoinHandle<()>>,
}

/// What a proxy in front of the provider changes in transit, as an attacker on the wire would: a claim of the
/// ID token of the token endpoint's answer, or of the signed userinfo, rewritten after signing (the signature
/// kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// The ID token's `acr` claim set to this level.
    IdTokenAcr(&'static str),
    /// The signed userinfo's `email` claim set to this address.
    UserinfoEmail(&'static str),
}

impl Provider {
    /// Starts the provider on a free port and waits for its "ready" line (at most 30 seconds). The port is
    /// free when chosen but may be taken before the provider listens (another test's process): the provider
    /// then exits, and is started again on another port, three times at most.
    pub async fn start() -> Provider {
        for _ in 0..3 {
            if let Some((child, port)) = Provider::start_once(None).await {
                return Provider {
                    issuer: format!("http://127.0.0.1:{port}/api/v2"),
                    child,
                    proxy: None,
                };
            }
        }
        panic!("the OpenID provider did not start (node scripts/oidc/provider.mjs, three ports tried)");
    }

    /// Starts the provider behind a proxy that forwards every request and answer, except that it rewrites what
    /// `tamper` says: the issuer's address is the proxy's.
    pub async fn start_tampering(tamper: Tamper) -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
        let public = listener.local_addr().expect("proxy address").port();
        for _ in 0..3 {
            if let Some((child, port)) = Provider::start_once(Some(public)).await {
                let proxy = tokio::spawn(super::tamper::serve(listener, port, tamper));
                return Provider {
                    issuer: format!("http://127.0.0.1:{public}/api/v2"),
                    child,
                    proxy: Some(proxy),
                };
            }
        }
        panic!("the OpenID provider did not start behind its proxy (three ports tried)");
    }

    /// The provider's process and port once it is ready (issuer on `public`, its proxy's port, if given).
    async fn start_once(public: Option<u16>) -> Option<(tokio::process::Child, u16)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("free port")
            .port();
        let mut child = tokio::process::Command::new("node")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/oidc/provider.mjs"))
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_PUBLIC_PORT", public.unwrap_or(port).to_string())
            .env(
                "OIDC_REDIRECT_URI",
                format!("{SERVICE}{}", app::routes::PROCONNECT_RETURN),
            )
            .env(
                "OIDC_POST_LOGOUT_REDIRECT_URI",
                format!(
                    "{SERVICE}{} {SERVICE}{}",
                    app::routes::SIGN_IN,
                    app::routes::AGENT_SIGN_IN
                ),
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node scripts/oidc/provider.mjs (npm ci dans scripts/oidc, fait par scripts/test.sh)");
        let stdout = child.stdout.take().expect("provider stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("ready on") {
                    return true;
                }
            }
            false
        })
        .await;
        (ready == Ok(true)).then_some((child, port))
    }

    /// The service's configuration for this provider (`json`: the client whose userinfo is plain JSON).
    pub fn config(&self, team_acr: app::domain::proconnect::Acr, json: bool) -> server::proconnect::ProConnectConfig {
        let (id, secret) = if json {
            (JSON_CLIENT_ID, JSON_CLIENT_SECRET)
        } else {
            (CLIENT_ID, CLIENT_SECRET)
        };
        server::proconnect::ProConnectConfig {
            issuer: self.issuer.clone(),
            client_id: id.into(),
            client_secret: secret.into(),
            redirect_url: format!("{SERVICE}{}", app::routes::PROCONNECT_RETURN),
            post_logout_url: format!("{SERVICE}{}", app::routes::SIGN_IN),
            agent_post_logout_url: format!("{SERVICE}{}", app::routes::AGENT_SIGN_IN),
            team_acr,
            userinfo_jwt: !json,
        }
    }

    pub async fn stop(mut self) {
        if let Some(proxy) = self.proxy.take() {
            proxy.abort();
        }
        let _ = self.child.kill().await;
    }
}

/// A browser at the provider: its cookies, and no redirect followed by itself.
pub struct Browser {
    http: openidconnect::reqwest::Client,
    cookies: HashMap<String, String>,
}

impl Default for Browser {
    fn default() -> Self {
        Browser {
            http: openidconnect::reqwest::ClientBuilder::new()
                .redirect(openidconnect::reqwest::redirect::Policy::none())
                .build()
                .expect("browser"),
            cookies: HashMap::new(),
        }
    }
}

impl Browser {
    fn keep_cookies(&mut self, response: &openidconnect::reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            if let Some((name, rest)) = value.to_str().unwrap_or_default().split_once('=') {
                let value = rest.split(';').next().unwrap_or_default().to_string();
                self.cookies.insert(name.trim().to_string(), value);
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Follows the provider's redirects from `url`; the first address of the service it leads to, or the page
    /// it stops on (its body) as `Err`.
    async fn follow(&mut self, mut url: String, form: Option<Vec<(&str, &str)>>) -> Result<String, String> {
        let mut form = form;
        for _ in 0..10 {
            if url.starts_with(SERVICE) {
                return Ok(url);
            }
            let request = match form.take() {
                Some(fields) => self.http.post(&url).form(&fields),
                None => self.http.get(&url),
            };
            let response = request
                .header("cookie", self.cookie_header())
                .send()
                .await
                .expect("provider");
            self.keep_cookies(&response);
            let Some(location) = response.headers().get("location").and_then(|v| v.to_str().ok()) else {
                return Err(response.text().await.unwrap_or_default());
            };
            url = if location.starts_with('/') {
                let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
                format!("{origin}{location}")
            } else {
                location.to_string()
            };
        }
        Err("too many redirects".into())
    }

    /// Signs in as `email` from the authorization address the service sent: the service's address ProConnect
    /// sends the browser back to (its path and query).
    pub async fn sign_in(&mut self, authorize: &str, email: &str) -> String {
        self.sign_in_for(authorize, email, None).await
    }

    /// Signs in as `email` and, for an agent of several organisations, chooses the one of `siret` on the
    /// provider's organisation page (which must then be shown).
    pub async fn sign_in_for(&mut self, authorize: &str, email: &str, siret: Option<&str>) -> String {
        let page = match self.follow(authorize.to_string(), None).await {
            Ok(back) => return back.trim_start_matches(SERVICE).to_string(),
            Err(page) => page,
        };
        let action = |page: &str| {
            page.split("<form method=\"post\" action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a form of the provider")
                .to_string()
        };
        let origin = authorize.split('/').take(3).collect::<Vec<_>>().join("/");
        let mut sent = self
            .follow(format!("{origin}{}", action(&page)), Some(vec![("email", email)]))
            .await;
        if let (Err(choice), Some(siret)) = (&sent, siret) {
            assert!(
                choice.contains("Pour quelle organisation vous connectez-vous ?"),
                "{choice}"
            );
            let fields = vec![("email", email), ("siret", siret)];
            sent = self.follow(format!("{origin}{}", action(choice)), Some(fields)).await;
        }
        sent.expect("back to the service")
            .trim_start_matches(SERVICE)
            .to_string()
    }
}

/// Starts a sign-in at the service under test with `query` (`retour=…`, plus `espace=collectivite` for the
/// collectivités' space); the provider's authorization address it sends the browser to.
pub async fn start_at(app: &axum::Router, query: &str) -> String {
    let path = format!("{}?{query}", app::routes::PROCONNECT_START);
    let reply = super::http::call(app, "GET", &path, "", None, true).await;
    assert_eq!(reply.status, axum::http::StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(reply.location.contains("/api/v2/authorize?"), "{}", reply.location);
    reply.location
}

/// The whole flow for `email` at the provider: the service's answer to ProConnect's return.
pub async fn sign_in_at(app: &axum::Router, email: &str, query: &str) -> super::http::Reply {
    let authorize = start_at(app, query).await;
    let back = Browser::default().sign_in(&authorize, email).await;
    super::http::call(app, "GET", &back, "", None, true).await
}

/// The whole flow for `email`, an agent of several organisations who chooses that of `siret`.
pub async fn sign_in_for_organisation(app: &axum::Router, email: &str, siret: &str, query: &str) -> super::http::Reply {
    let authorize = start_at(app, query).await;
    let back = Browser::default().sign_in_for(&authorize, email, Some(siret)).await;
    super::http::call(app, "GET", &back, "", None, true).await
}

/// Asserts that a sign-out answered by sending the browser to `provider`'s logout with the session's ID token,
/// to come back to `sign_in_page` (a path of the service).
pub fn assert_logout_at(provider: &Provider, location: &str, sign_in_page: &str, label: &str) {
    assert!(
        location.starts_with(&format!("{}/session/end?id_token_hint=", provider.issuer)),
        "{label}: {location}"
    );
    let back = app::domain::text::encode_component(&format!("{SERVICE}{sign_in_page}"));
    assert!(
        location.contains(&format!("post_logout_redirect_uri={back}")),
        "{label}: {location}"
    );
}
