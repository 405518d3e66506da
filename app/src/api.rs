//! The intake's public endpoints (server functions): each one reads its context, calls the domain, calls the
//! store and maps errors. The browser calls them through actions; without JavaScript the same functions answer
//! the forms' POSTs and redirect to the next page.

// A step's form fields are its server function's arguments (that is how a form posts without JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::intake::{FieldError, IntakeAnswers};
use crate::error::AppError;

/// A collectivité as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiviteChoice {
    pub key: String,
    pub name: String,
    pub description: String,
}

/// A draft as one step of the wizard needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub answers: IntakeAnswers,
    /// The errors of the requested step, checked by the server against the official list.
    pub errors: Vec<FieldError>,
    /// Errors of every step (steps 1–5), for the summary before "Déposer".
    pub errors_by_step: Vec<(i32, Vec<FieldError>)>,
    pub collectivite: Option<CollectiviteChoice>,
    pub updated_at: i64,
    /// Set when the draft is already filed.
    pub case_reference: Option<String>,
    /// The published case this intake replicates (its catalogue slug and title).
    pub replicates: Option<(String, String)>,
    /// The site's address as the person reached it, to show private links in full.
    pub origin: String,
}

/// A filed case, for the receipt and the follow-up page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiledCaseView {
    pub origin: String,
    /// The relève period that will examine the case (name, first day, last day), when one is planned.
    pub review_period: Option<(String, i64, i64)>,
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub stage_code: String,
    pub filed_at: i64,
    pub updated_at: i64,
}

#[cfg(feature = "ssr")]
pub mod context {
    //! What the server functions find in the Leptos context, and the helpers they share.

    use std::sync::Arc;

    use leptos::prelude::*;
    use sha2::{Digest, Sha256};

    use crate::domain::collectivites::{Collectivite, Directory};
    use crate::error::AppError;
    use crate::store::SharedStore;

    use super::CollectiviteChoice;

    /// Everything a server function may use, provided once per request by the server.
    #[derive(Clone)]
    pub struct ServerContext {
        pub store: SharedStore,
        pub directory: Arc<Directory>,
        /// Failed sign-ins per IP and per account.
        pub limiter: Arc<std::sync::Mutex<crate::domain::auth::AttemptLimiter>>,
    }

    pub fn server_context() -> Result<ServerContext, AppError> {
        use_context::<ServerContext>().ok_or_else(|| {
            tracing::error!("ServerContext missing from the Leptos context");
            AppError::Unavailable
        })
    }

    /// A new private token: 256 random bits, hex encoded.
    pub fn new_token() -> String {
        use rand::RngCore;
        let mut bytes = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    }

    /// The hash stored for a token; a malformed token is refused before any database access.
    pub fn token_hash(token: &str) -> Result<String, AppError> {
        let well_formed = token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
        if !well_formed {
            return Err(not_found());
        }
        Ok(hex::encode(Sha256::digest(token.as_bytes())))
    }

    pub fn not_found() -> AppError {
        AppError::NotFound(
            "Ce lien ne correspond à aucun dossier. Vérifiez qu'il a été copié en entier, ou commencez un nouveau dépôt."
                .into(),
        )
    }

    pub fn now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }

    pub fn choice(collectivite: &Collectivite) -> CollectiviteChoice {
        CollectiviteChoice {
            key: collectivite.key(),
            name: collectivite.name.clone(),
            description: collectivite.description(),
        }
    }

    /// The site's public address: `IAF_PUBLIC_URL` when set, else the scheme and host of the request.
    pub fn public_origin() -> String {
        match use_context::<axum::http::request::Parts>() {
            Some(parts) => origin_from_headers(&parts.headers),
            None => origin_from_headers(&axum::http::HeaderMap::new()),
        }
    }

    /// `IAF_PUBLIC_URL`, or the scheme and host a request was sent to (empty when the host looks wrong).
    pub fn origin_from_headers(headers: &axum::http::HeaderMap) -> String {
        if let Ok(url) = std::env::var("IAF_PUBLIC_URL") {
            if !url.trim().is_empty() {
                return url.trim().trim_end_matches('/').to_string();
            }
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let host = header("host").unwrap_or_default();
        let well_formed = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !well_formed {
            return String::new();
        }
        let scheme = match header("x-forwarded-proto").as_deref() {
            Some("https") => "https",
            _ => "http",
        };
        format!("{scheme}://{host}")
    }

    /// Percent-encodes a value for a query string.
    pub fn encode_query(value: &str) -> String {
        crate::domain::board::encode_component(value)
    }

    /// Markdown written by the team, as HTML safe to insert in a public page: raw HTML is shown as text,
    /// links and images keep only `https://`, `http://` and `mailto:` addresses, links get `rel="nofollow"`.
    pub fn render_markdown(markdown: &str) -> String {
        use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};
        let safe = |url: &CowStr| {
            let url = url.trim();
            url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:")
        };
        let events =
            Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(
                |event| match event {
                    Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                    Event::Start(Tag::Link {
                        dest_url,
                        title,
                        id,
                        link_type,
                    }) => Event::Start(Tag::Link {
                        dest_url: if safe(&dest_url) { dest_url } else { CowStr::from("#") },
                        title,
                        id,
                        link_type,
                    }),
                    Event::Start(Tag::Image {
                        dest_url,
                        title,
                        id,
                        link_type,
                    }) => Event::Start(Tag::Image {
                        dest_url: if safe(&dest_url) { dest_url } else { CowStr::from("") },
                        title,
                        id,
                        link_type,
                    }),
                    other => other,
                },
            );
        let mut out = String::new();
        html::push_html(&mut out, events);
        out.replace("<a href=", "<a rel=\"nofollow\" href=")
    }
}

/// Starts a new intake and leads to its first step.
#[server(endpoint = "depot/commencer")]
pub async fn commencer_depot() -> Result<(), AppError> {
    use context::*;
    let ctx = server_context()?;
    let token = new_token();
    ctx.store.create_draft(&token_hash(&token)?, now()).await?;
    leptos_axum::redirect(&format!("/deposer/{token}/etape/1"));
    Ok(())
}

/// The draft behind `token`, with the errors of `etape`.
#[server(endpoint = "depot/brouillon")]
pub async fn charger_brouillon(token: String, etape: i32) -> Result<DraftView, AppError> {
    use crate::domain::intake::{validate_all, validate_step};
    use context::*;
    let ctx = server_context()?;
    let draft = ctx
        .store
        .load_draft(&token_hash(&token)?)
        .await?
        .ok_or_else(not_found)?;
    let directory = ctx.directory.clone();
    let known = move |key: &str| directory.by_key(key).is_some();
    let collectivite = ctx.directory.by_key(draft.answers.get("collectivite")).map(choice);
    Ok(DraftView {
        errors: validate_step(etape, &draft.answers, &known),
        errors_by_step: validate_all(&draft.answers, &known),
        answers: draft.answers,
        collectivite,
        updated_at: draft.updated_at,
        case_reference: draft.case_reference,
        replicates: match draft.replicates.as_deref() {
            Some(slug) => ctx.store.publication(slug).await?.map(|p| (p.case.slug, p.case.title)),
            None => None,
        },
        origin: public_origin(),
    })
}

/// Collectivités of the official list matching a name, postal code, INSEE code or SIREN.
#[server(endpoint = "collectivites")]
pub async fn chercher_collectivites(q: String) -> Result<Vec<CollectiviteChoice>, AppError> {
    use context::*;
    let ctx = server_context()?;
    Ok(ctx.directory.search(&q).into_iter().map(choice).collect())
}

/// Saves the fields of one step while the person types (no validation: nothing typed is lost).
#[server(endpoint = "depot/sauvegarder", input = server_fn::codec::Json)]
pub async fn sauvegarder_brouillon(token: String, etape: i32, champs: Vec<(String, String)>) -> Result<i64, AppError> {
    use context::*;
    let ctx = server_context()?;
    let hash = token_hash(&token)?;
    if !(1..crate::domain::intake::STEP_COUNT).contains(&etape) || champs.len() > 100 {
        return Err(AppError::Invalid("Cette étape n'existe pas.".into()));
    }
    let draft = ctx.store.load_draft(&hash).await?.ok_or_else(not_found)?;
    if draft.case_reference.is_some() {
        return Err(AppError::Invalid(
            "Ce dossier a déjà été déposé ; il ne peut plus être modifié.".into(),
        ));
    }
    let mut answers = draft.answers;
    answers.apply_step(etape, &champs);
    let at = now();
    if !ctx.store.save_draft(&hash, &answers, at).await? {
        return Err(not_found());
    }
    Ok(at)
}

/// Where a step's form leads once saved: back, to the summary, to a search, or on when the step is valid.
#[cfg(feature = "ssr")]
async fn save_step(
    token: String,
    step: i32,
    intention: Option<String>,
    fields: Vec<(&str, Option<String>)>,
    search: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::intake::validate_step;
    use context::*;
    let ctx = server_context()?;
    let hash = token_hash(&token)?;
    let draft = ctx.store.load_draft(&hash).await?.ok_or_else(not_found)?;
    if draft.case_reference.is_some() {
        leptos_axum::redirect(&format!("/deposer/{token}/recu"));
        return Ok(());
    }
    let pairs: Vec<(String, String)> = fields
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name.to_string(), value)))
        .collect();
    let mut answers = draft.answers;
    answers.apply_step(step, &pairs);
    if !ctx.store.save_draft(&hash, &answers, now()).await? {
        return Err(not_found());
    }
    let directory = ctx.directory.clone();
    let known = move |key: &str| directory.by_key(key).is_some();
    let here = format!("/deposer/{token}/etape/{step}");
    let intention = intention.unwrap_or_default();
    let target = match intention.as_str() {
        "precedent" => format!("/deposer/{token}/etape/{}", (step - 1).max(1)),
        "chercher" => format!(
            "{here}?q={}#resultats",
            encode_query(search.as_deref().unwrap_or_default().trim())
        ),
        "enregistrer" => format!("{here}?enregistre=1"),
        _ => {
            if validate_step(step, &answers, &known).is_empty() {
                if intention == "recapitulatif" {
                    format!("/deposer/{token}/etape/6")
                } else {
                    format!("/deposer/{token}/etape/{}", step + 1)
                }
            } else {
                let back = if intention == "recapitulatif" {
                    "&retour=recapitulatif"
                } else {
                    ""
                };
                format!("{here}?erreurs=1{back}")
            }
        }
    };
    leptos_axum::redirect(&target);
    Ok(())
}

#[server(endpoint = "depot/etape1")]
pub async fn enregistrer_etape1(
    token: String,
    intention: Option<String>,
    recherche: Option<String>,
    collectivite: Option<String>,
    contact_nom: Option<String>,
    contact_fonction: Option<String>,
    contact_email: Option<String>,
    contact_telephone: Option<String>,
) -> Result<(), AppError> {
    let fields = vec![
        ("collectivite", collectivite),
        ("contact_nom", contact_nom),
        ("contact_fonction", contact_fonction),
        ("contact_email", contact_email),
        ("contact_telephone", contact_telephone),
    ];
    save_step(token, 1, intention, fields, recherche).await
}

#[server(endpoint = "depot/etape2")]
pub async fn enregistrer_etape2(
    token: String,
    intention: Option<String>,
    titre: Option<String>,
    probleme: Option<String>,
    solution: Option<String>,
    domaine: Option<String>,
    perimetre: Option<String>,
    directions: Option<String>,
    brique_vibe: Option<String>,
    brique_agents: Option<String>,
    brique_application: Option<String>,
    typologie: Option<String>,
) -> Result<(), AppError> {
    let fields = vec![
        ("titre", titre),
        ("probleme", probleme),
        ("solution", solution),
        ("domaine", domaine),
        ("perimetre", perimetre),
        ("directions", directions),
        ("brique_vibe", brique_vibe),
        ("brique_agents", brique_agents),
        ("brique_application", brique_application),
        ("typologie", typologie),
    ];
    save_step(token, 2, intention, fields, None).await
}

#[server(endpoint = "depot/etape3")]
pub async fn enregistrer_etape3(
    token: String,
    intention: Option<String>,
    agents: Option<String>,
    usagers: Option<String>,
    occurrences_mois: Option<String>,
    minutes_par_occurrence: Option<String>,
    part_temps_gagne: Option<String>,
    benefice_usagers: Option<String>,
    empreinte_environnementale: Option<String>,
) -> Result<(), AppError> {
    let fields = vec![
        ("agents", agents),
        ("usagers", usagers),
        ("occurrences_mois", occurrences_mois),
        ("minutes_par_occurrence", minutes_par_occurrence),
        ("part_temps_gagne", part_temps_gagne),
        ("benefice_usagers", benefice_usagers),
        ("empreinte_environnementale", empreinte_environnementale),
    ];
    save_step(token, 3, intention, fields, None).await
}

#[server(endpoint = "depot/etape4")]
pub async fn enregistrer_etape4(
    token: String,
    intention: Option<String>,
    metier_nom: Option<String>,
    metier_fonction: Option<String>,
    dsi_nom: Option<String>,
    dsi_fonction: Option<String>,
    sponsor_nom: Option<String>,
    sponsor_fonction: Option<String>,
) -> Result<(), AppError> {
    let fields = vec![
        ("metier_nom", metier_nom),
        ("metier_fonction", metier_fonction),
        ("dsi_nom", dsi_nom),
        ("dsi_fonction", dsi_fonction),
        ("sponsor_nom", sponsor_nom),
        ("sponsor_fonction", sponsor_fonction),
    ];
    save_step(token, 4, intention, fields, None).await
}

#[server(endpoint = "depot/etape5")]
pub async fn enregistrer_etape5(
    token: String,
    intention: Option<String>,
    donnees_necessaires: Option<String>,
    disponibilite_donnees: Option<String>,
    qualite_donnees: Option<String>,
    donnees_personnelles: Option<String>,
    dependances_techniques: Option<String>,
    maturite: Option<String>,
    stade_projet: Option<String>,
    hebergement: Option<String>,
    agents_vibe: Option<String>,
) -> Result<(), AppError> {
    let fields = vec![
        ("donnees_necessaires", donnees_necessaires),
        ("disponibilite_donnees", disponibilite_donnees),
        ("qualite_donnees", qualite_donnees),
        ("donnees_personnelles", donnees_personnelles),
        ("dependances_techniques", dependances_techniques),
        ("maturite", maturite),
        ("stade_projet", stade_projet),
        ("hebergement", hebergement),
        ("agents_vibe", agents_vibe),
    ];
    save_step(token, 5, intention, fields, None).await
}

/// Files the draft as a case, in one transaction, once every step is valid; the receipt follows.
#[server(endpoint = "depot/deposer")]
pub async fn deposer(token: String) -> Result<(), AppError> {
    use crate::domain::intake::validate_all;
    use crate::store::NewCase;
    use context::*;
    let ctx = server_context()?;
    let hash = token_hash(&token)?;
    let draft = ctx.store.load_draft(&hash).await?.ok_or_else(not_found)?;
    if draft.case_reference.is_some() {
        leptos_axum::redirect(&format!("/deposer/{token}/recu"));
        return Ok(());
    }
    let answers = draft.answers;
    let directory = ctx.directory.clone();
    let known = move |key: &str| directory.by_key(key).is_some();
    if !validate_all(&answers, &known).is_empty() {
        leptos_axum::redirect(&format!("/deposer/{token}/etape/6?erreurs=1"));
        return Ok(());
    }
    let collectivite = ctx
        .directory
        .by_key(answers.get("collectivite"))
        .ok_or_else(|| AppError::Invalid("Collectivité inconnue.".into()))?;
    let case = NewCase::from_answers(&answers, collectivite);
    ctx.store
        .submit_draft(&hash, &answers, &case, now())
        .await?
        .ok_or_else(not_found)?;
    leptos_axum::redirect(&format!("/deposer/{token}/recu"));
    Ok(())
}

/// The case filed from the draft behind `token`.
#[server(endpoint = "depot/dossier")]
pub async fn dossier_depose(token: String) -> Result<FiledCaseView, AppError> {
    use context::*;
    let ctx = server_context()?;
    let case = ctx
        .store
        .filed_case(&token_hash(&token)?)
        .await?
        .ok_or_else(not_found)?;
    let periods = ctx.store.periods().await?;
    let review_period = crate::domain::qualification::period_for_case(case.filed_at, &periods)
        .map(|p| (p.name.clone(), p.starts_at, p.ends_at - 1));
    Ok(FiledCaseView {
        review_period,
        origin: public_origin(),
        reference: case.reference,
        title: case.title,
        collectivite_name: case.collectivite_name,
        stage_code: case.stage.code().to_string(),
        filed_at: case.filed_at,
        updated_at: case.updated_at,
    })
}
