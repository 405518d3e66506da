//! The OpenID Connect client of ProConnect (crate `openidconnect`): discovery at the issuer, the authorization
//! request (state, nonce, scopes, the level of assurance), the code exchanged and the ID token verified
//! (signature RS256 or ES256 with the provider's keys, issuer, audience, nonce, expiry), userinfo read as a
//! signed JWT (verified) or plain JSON as the client is registered, and the logout address. Configured by
//! `IAF_PROCONNECT_*`; without them there is no ProConnect at all.

use app::domain::proconnect::{claims_parameter, Acr, Refusal, Space, SCOPES};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthType, AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, RedirectUrl, Scope,
    TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

/// `IAF_PROCONNECT_*`: the client as registered with ProConnect.
#[derive(Clone, Debug)]
pub struct ProConnectConfig {
    /// `IAF_PROCONNECT_ISSUER`, e.g. `https://auth.agentconnect.gouv.fr/api/v2`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// `IAF_PROCONNECT_REDIRECT_URL`, registered exactly; by default `{IAF_PUBLIC_URL}/connexion/proconnect/retour`.
    pub redirect_url: String,
    /// `IAF_PROCONNECT_POST_LOGOUT_URL`, registered exactly; by default `{IAF_PUBLIC_URL}/equipe/connexion`.
    pub post_logout_url: String,
    /// `IAF_PROCONNECT_POST_LOGOUT_URL_COLLECTIVITE`, registered exactly too; by default
    /// `{IAF_PUBLIC_URL}/collectivite/connexion` (where an agent of a collectivité lands after the logout).
    pub agent_post_logout_url: String,
    /// `IAF_PROCONNECT_ACR_EQUIPE`: the level the team must reach (`eidas1` by default; `eidas1-mfa` requires a
    /// second factor, as Démarches Simplifiées does for its instructeurs).
    pub team_acr: Acr,
    /// `IAF_PROCONNECT_USERINFO=jwt` (as ProConnect registers clients) or `json`.
    pub userinfo_jwt: bool,
}

impl ProConnectConfig {
    /// The configuration from the environment: none without `IAF_PROCONNECT_ISSUER`; an error naming the
    /// variable when the rest is missing or wrong.
    pub fn from_env(public_url: &str) -> Result<Option<ProConnectConfig>, String> {
        ProConnectConfig::from_vars(|name| std::env::var(name).unwrap_or_default(), public_url)
    }

    /// The configuration from the variables `read` gives.
    pub fn from_vars(read: impl Fn(&str) -> String, public_url: &str) -> Result<Option<ProConnectConfig>, String> {
        let var = |name: &str| read(name).trim().to_string();
        let issuer = var("IAF_PROCONNECT_ISSUER");
        if issuer.is_empty() {
            return Ok(None);
        }
        let required = |name: &str| {
            let value = var(name);
            if value.is_empty() {
                Err(format!("{name} est requis avec IAF_PROCONNECT_ISSUER"))
            } else {
                Ok(value)
            }
        };
        let origin = public_url.trim_end_matches('/');
        let or_default = |name: &str, path: &str| {
            let value = var(name);
            match (value.is_empty(), origin.is_empty()) {
                (false, _) => Ok(value),
                (true, false) => Ok(format!("{origin}{path}")),
                (true, true) => Err(format!(
                    "{name} ou IAF_PUBLIC_URL est requis avec IAF_PROCONNECT_ISSUER"
                )),
            }
        };
        let team_acr = match var("IAF_PROCONNECT_ACR_EQUIPE").as_str() {
            "" => Acr::Eidas1,
            code => Acr::parse(code).ok_or_else(|| {
                format!("IAF_PROCONNECT_ACR_EQUIPE : « {code} » n'est pas un niveau ProConnect (eidas1, eidas1-mfa…)")
            })?,
        };
        let userinfo_jwt = match var("IAF_PROCONNECT_USERINFO").as_str() {
            "" | "jwt" => true,
            "json" => false,
            other => return Err(format!("IAF_PROCONNECT_USERINFO : « {other} » (jwt ou json)")),
        };
        Ok(Some(ProConnectConfig {
            issuer,
            client_id: required("IAF_PROCONNECT_CLIENT_ID")?,
            client_secret: required("IAF_PROCONNECT_CLIENT_SECRET")?,
            redirect_url: or_default("IAF_PROCONNECT_REDIRECT_URL", app::routes::PROCONNECT_RETURN)?,
            post_logout_url: or_default("IAF_PROCONNECT_POST_LOGOUT_URL", app::routes::SIGN_IN)?,
            agent_post_logout_url: or_default(
                "IAF_PROCONNECT_POST_LOGOUT_URL_COLLECTIVITE",
                app::routes::AGENT_SIGN_IN,
            )?,
            team_acr,
            userinfo_jwt,
        }))
    }
}

/// What ProConnect adds to the standard claims of userinfo.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AgentClaims {
    #[serde(default)]
    pub usual_name: Option<String>,
    #[serde(default)]
    pub siret: Option<String>,
    #[serde(default)]
    pub organization_label: Option<String>,
    #[serde(default)]
    pub idp_id: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

impl AdditionalClaims for AgentClaims {}

/// The agent ProConnect vouched for, verified.
#[derive(Clone, Debug)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub given_name: String,
    pub usual_name: String,
    pub siret: String,
    pub organization_label: String,
    pub idp_id: String,
    pub roles: Vec<String>,
    pub acr: Acr,
    /// The ID token, kept with the session for the logout (`id_token_hint`).
    pub id_token: String,
}

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// What discovery gave: the client and the logout endpoint.
struct Discovered {
    client: Client,
    end_session: Option<String>,
}

/// The ProConnect client of the server: discovery is made at the first sign-in and kept (made again after a
/// failure).
pub struct ProConnect {
    pub config: ProConnectConfig,
    http: openidconnect::reqwest::Client,
    discovered: tokio::sync::OnceCell<Discovered>,
}

/// The logout endpoint, read from the discovery document beside what `openidconnect` reads.
#[derive(Deserialize)]
struct LogoutMetadata {
    end_session_endpoint: Option<String>,
}

impl ProConnect {
    pub fn new(config: ProConnectConfig) -> Result<ProConnect, String> {
        // No redirect is ever followed (a provider's answer cannot send the server elsewhere).
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("client HTTP de ProConnect : {e}"))?;
        Ok(ProConnect {
            config,
            http,
            discovered: tokio::sync::OnceCell::new(),
        })
    }

    async fn discovered(&self) -> Result<&Discovered, String> {
        self.discovered
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| format!("issuer : {e}"))?;
                let metadata = CoreProviderMetadata::discover_async(issuer.clone(), &self.http)
                    .await
                    .map_err(|e| format!("découverte de ProConnect : {e}"))?;
                let document = format!(
                    "{}/.well-known/openid-configuration",
                    self.config.issuer.trim_end_matches('/')
                );
                let end_session = self
                    .http
                    .get(document)
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .map_err(|e| format!("découverte de ProConnect : {e}"))?
                    .bytes()
                    .await
                    .map_err(|e| format!("découverte de ProConnect : {e}"))?;
                let end_session = serde_json::from_slice::<LogoutMetadata>(&end_session)
                    .map_err(|e| format!("découverte de ProConnect : {e}"))?
                    .end_session_endpoint;
                let redirect =
                    RedirectUrl::new(self.config.redirect_url.clone()).map_err(|e| format!("redirect : {e}"))?;
                let client = CoreClient::from_provider_metadata(
                    metadata,
                    ClientId::new(self.config.client_id.clone()),
                    Some(ClientSecret::new(self.config.client_secret.clone())),
                )
                .set_redirect_uri(redirect)
                .set_auth_type(AuthType::RequestBody);
                Ok(Discovered { client, end_session })
            })
            .await
    }

    /// The address of ProConnect's authorization page for a sign-in `state` and `nonce`, asking `acr` (and
    /// what is stronger) as essential.
    pub async fn authorize_url(&self, state: &str, nonce: &str, acr: Acr) -> Result<String, String> {
        let discovered = self.discovered().await?;
        let (state, nonce) = (state.to_string(), nonce.to_string());
        let mut request = discovered.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state),
            move || Nonce::new(nonce),
        );
        for scope in SCOPES.iter().filter(|scope| **scope != "openid") {
            request = request.add_scope(Scope::new((*scope).to_string()));
        }
        for value in acr.at_least() {
            request = request.add_auth_context_value(AuthenticationContextClass::new(value.code().to_string()));
        }
        let (url, _, _) = request.add_extra_param("claims", claims_parameter(acr)).url();
        Ok(url.to_string())
    }

    /// Exchanges the code, verifies the ID token with `nonce` and reads userinfo: the agent, or why not (the
    /// cause goes to the log).
    pub async fn finish(&self, code: &str, nonce: &str, required: Acr) -> Result<Identity, Refusal> {
        let provider = |cause: String| {
            tracing::warn!(%cause, "ProConnect : réponse refusée");
            Refusal::Provider
        };
        let discovered = self.discovered().await.map_err(provider)?;
        let client = &discovered.client;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| provider(e.to_string()))?
            .request_async(&self.http)
            .await
            .map_err(|e| provider(format!("jeton : {e}")))?;
        let id_token = token.id_token().ok_or_else(|| provider("pas d'ID token".into()))?;
        let verifier = client.id_token_verifier().set_allowed_algs(vec![
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        ]);
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce.to_string()))
            .map_err(|e| provider(format!("ID token : {e}")))?;
        let acr = app::domain::proconnect::check_acr(claims.auth_context_ref().map(|acr| acr.as_str()), required)?;
        let subject = claims.subject().clone();
        let userinfo: UserInfoClaims<AgentClaims, CoreGenderClaim> = client
            .user_info(token.access_token().clone(), Some(subject.clone()))
            .map_err(|e| provider(format!("userinfo : {e}")))?
            .require_signed_response(self.config.userinfo_jwt)
            .request_async(&self.http)
            .await
            .map_err(|e| provider(format!("userinfo : {e}")))?;
        let extra = userinfo.additional_claims();
        let email = userinfo
            .email()
            .map(|email| email.as_str().trim().to_lowercase())
            .ok_or_else(|| provider("userinfo sans email".into()))?;
        Ok(Identity {
            issuer: claims.issuer().as_str().to_string(),
            subject: subject.as_str().to_string(),
            email,
            given_name: userinfo
                .given_name()
                .and_then(|name| name.get(None))
                .map(|name| name.as_str().to_string())
                .unwrap_or_default(),
            usual_name: extra.usual_name.clone().unwrap_or_default(),
            siret: extra.siret.clone().unwrap_or_default(),
            organization_label: extra.organization_label.clone().unwrap_or_default(),
            idp_id: extra.idp_id.clone().unwrap_or_default(),
            roles: extra.roles.clone(),
            acr,
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser once the local session has ended: ProConnect's logout with the session's ID
    /// token, a `state` and the registered return; none when the provider has no logout endpoint.
    pub async fn logout_url(&self, id_token: &str, state: &str, space: Space) -> Option<String> {
        let end_session = self.discovered().await.ok()?.end_session.clone()?;
        let mut url = openidconnect::url::Url::parse(&end_session).ok()?;
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("state", state)
            .append_pair(
                "post_logout_redirect_uri",
                match space {
                    Space::Team => &self.config.post_logout_url,
                    Space::Collectivite => &self.config.agent_post_logout_url,
                },
            );
        Some(url.to_string())
    }
}

#[async_trait::async_trait]
impl app::server::context::ProConnectLogout for ProConnect {
    async fn logout_url(&self, id_token: &str, state: &str, space: Space) -> Option<String> {
        ProConnect::logout_url(self, id_token, state, space).await
    }

    fn origin(&self) -> String {
        openidconnect::url::Url::parse(&self.config.issuer)
            .map(|url| url.origin().ascii_serialization())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)], public_url: &str) -> Result<Option<ProConnectConfig>, String> {
        let vars: std::collections::HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ProConnectConfig::from_vars(|name| vars.get(name).cloned().unwrap_or_default(), public_url)
    }

    #[test]
    fn without_an_issuer_there_is_no_proconnect_and_with_one_the_client_is_required() {
        assert!(config(&[], "https://ia-factory.fr").expect("none").is_none());
        let issuer = ("IAF_PROCONNECT_ISSUER", "https://auth.agentconnect.gouv.fr/api/v2");
        let missing = config(&[issuer], "https://ia-factory.fr").expect_err("client id");
        assert!(missing.contains("IAF_PROCONNECT_CLIENT_ID"), "{missing}");
        let client = [
            issuer,
            ("IAF_PROCONNECT_CLIENT_ID", "id"),
            ("IAF_PROCONNECT_CLIENT_SECRET", "secret"),
        ];
        let ok = config(&client, "https://ia-factory.fr").expect("config").expect("some");
        assert_eq!(ok.redirect_url, "https://ia-factory.fr/connexion/proconnect/retour");
        assert_eq!(ok.post_logout_url, "https://ia-factory.fr/equipe/connexion");
        assert_eq!(ok.agent_post_logout_url, "https://ia-factory.fr/collectivite/connexion");
        assert_eq!(ok.team_acr, Acr::Eidas1);
        assert!(ok.userinfo_jwt);
        let no_site = config(&client, "").expect_err("public url");
        assert!(no_site.contains("IAF_PROCONNECT_REDIRECT_URL"), "{no_site}");
        let mfa = [
            client[0],
            client[1],
            client[2],
            ("IAF_PROCONNECT_ACR_EQUIPE", "eidas1-mfa"),
        ];
        assert_eq!(
            config(&mfa, "https://ia-factory.fr")
                .expect("mfa")
                .expect("some")
                .team_acr,
            Acr::Eidas1Mfa
        );
        let old = [
            client[0],
            client[1],
            client[2],
            ("IAF_PROCONNECT_ACR_EQUIPE", "eidas-self-asserted"),
        ];
        assert!(config(&old, "https://ia-factory.fr").is_err());
    }
}
