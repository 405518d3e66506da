//! The intake's endpoints (server functions): start a draft, save its steps, file it, read the filed case.
//! Each reads its context, calls the domain, calls the store and maps errors; without JavaScript the same
//! functions answer the forms' POSTs and redirect to the next page.

// A step's form fields are its server function's arguments (that is how a form posts without JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::intake::{CollectiviteChoice, DraftView, FiledCaseView, StepFragment, StepPart};
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::tokens::new_token;

/// The hash of a draft's token, or the French 404 of a link that leads nowhere.
#[cfg(feature = "ssr")]
fn draft_hash(token: &str) -> Result<String, AppError> {
    crate::server::tokens::token_hash(token).ok_or_else(not_found)
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    AppError::NotFound(
        "Ce lien ne correspond à aucun dossier. Vérifiez qu'il a été copié en entier. Un lien de suivi inutilisé pendant 12 mois prend fin : demandez-en un nouveau avec « Lien perdu ? », ou commencez un nouveau dépôt."
            .into(),
    )
}

/// Starts a new intake and leads to its first step.
#[server(endpoint = "depot/commencer")]
pub async fn commencer_depot() -> Result<(), AppError> {
    let ctx = server_context()?;
    let token = new_token();
    ctx.store.create_draft(&draft_hash(&token)?, now()).await?;
    leptos_axum::redirect(&format!("/deposer/{token}/etape/1"));
    Ok(())
}

/// The draft behind `token`, with the errors of `etape`.
#[server(endpoint = "depot/brouillon")]
pub async fn charger_brouillon(token: String, etape: i32) -> Result<DraftView, AppError> {
    use crate::domain::intake::{validate_all, validate_step};
    let ctx = server_context()?;
    let draft = ctx
        .store
        .load_draft(&draft_hash(&token)?)
        .await?
        .ok_or_else(not_found)?;
    if draft.case_reference.is_some() {
        // Once filed, the link opens the follow-up page, never the answers with the contact's details.
        leptos_axum::redirect(&format!("/suivi/{token}"));
        return Ok(DraftView {
            errors: Vec::new(),
            errors_by_step: Vec::new(),
            answers: Default::default(),
            collectivite: None,
            updated_at: draft.updated_at,
            case_reference: draft.case_reference,
            replicates: None,
            origin: crate::server::context::link_origin(),
            version: draft.version,
            similar: None,
        });
    }
    let directory = ctx.directory.clone();
    let known = move |key: &str| directory.by_key(key).is_some();
    let collectivite = ctx
        .directory
        .by_key(draft.answers.get("collectivite"))
        .map(CollectiviteChoice::of);
    // Without JavaScript, the cases close to the need show on the screen after it.
    let similar = if etape == 3 {
        let answers = &draft.answers;
        // A failure here must not cost the person the step: no similar cases are shown then.
        match crate::endpoints::similar::for_collectivite(
            answers.get("titre"),
            answers.get("probleme"),
            answers.get("solution"),
        )
        .await
        {
            Ok(similar) => Some(similar),
            Err(error) => {
                tracing::warn!(%error, "cas proches");
                None
            }
        }
    } else {
        None
    };
    Ok(DraftView {
        similar,
        errors: validate_step(etape, &draft.answers, &known),
        errors_by_step: validate_all(&draft.answers, &known),
        answers: draft.answers,
        collectivite,
        updated_at: draft.updated_at,
        version: draft.version,
        case_reference: draft.case_reference,
        replicates: match draft.replicates.as_deref() {
            Some(slug) => ctx.store.publication(slug).await?.map(|p| (p.case.slug, p.case.title)),
            None => None,
        },
        origin: crate::server::context::link_origin(),
    })
}

/// Collectivités of the official list matching a name, postal code, INSEE code or SIREN.
#[server(endpoint = "collectivites")]
pub async fn chercher_collectivites(q: String) -> Result<Vec<CollectiviteChoice>, AppError> {
    let ctx = server_context()?;
    Ok(ctx
        .directory
        .search(&q)
        .into_iter()
        .map(CollectiviteChoice::of)
        .collect())
}

/// A part of a step that follows the typing (`partie`: step 1's search results, step 2's close cases, step 5's
/// AI Act pre-assessment), from the step's fields as typed (`champs`), for the holder of a draft not filed yet:
/// rendered by the server as the step shows it, with what its live region says.
#[server(endpoint = "depot/partie", input = server_fn::codec::Json)]
pub async fn partie_etape(
    token: String,
    partie: StepPart,
    champs: Vec<(String, String)>,
) -> Result<StepFragment, AppError> {
    let ctx = server_context()?;
    if champs.len() > 100 {
        return Err(AppError::Invalid("Cette étape n'a pas autant de champs.".into()));
    }
    let draft = ctx.store.load_draft(&draft_hash(&token)?).await?;
    if draft.is_none_or(|draft| draft.case_reference.is_some()) {
        return Err(AppError::NotFound(
            "Ce lien ne correspond à aucun dossier en cours.".into(),
        ));
    }
    let field = |name: &str| {
        champs
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.as_str())
    };
    Ok(match partie {
        StepPart::Collectivites => {
            let q = field("recherche");
            let found = if q.trim().is_empty() {
                Vec::new()
            } else {
                ctx.directory
                    .search(q)
                    .into_iter()
                    .map(CollectiviteChoice::of)
                    .collect()
            };
            let chosen = ctx
                .directory
                .by_key(field("collectivite").trim())
                .map(CollectiviteChoice::of);
            crate::pages::intake::collectivite::results_fragment(q, found, chosen)
        }
        StepPart::CasProches => {
            let similar =
                crate::endpoints::similar::for_collectivite(field("titre"), field("probleme"), field("solution"))
                    .await?;
            crate::pages::similar::similar_fragment(similar)
        }
        StepPart::PreEvaluation => {
            let mut answers = crate::domain::intake::IntakeAnswers::default();
            answers.apply_step(5, &champs);
            StepFragment {
                html: crate::components::ai_act::assessment_html(answers),
                announce: String::new(),
            }
        }
    })
}

/// Saves the fields of one step while the person types (no validation: nothing typed is lost). `version` is
/// the draft's version this tab last read or saved: another tab's save of another step is merged; of the same
/// step, it is told to reload (its typing stays in the browser).
#[server(endpoint = "depot/sauvegarder", input = server_fn::codec::Json)]
pub async fn sauvegarder_brouillon(
    token: String,
    etape: i32,
    champs: Vec<(String, String)>,
    version: i64,
    onglet: String,
) -> Result<crate::model::intake::DraftSaved, AppError> {
    let hash = draft_hash(&token)?;
    if !(1..crate::domain::intake::STEP_COUNT).contains(&etape) || champs.len() > 100 {
        return Err(AppError::Invalid("Cette étape n'existe pas.".into()));
    }
    let at = now();
    let tab: String = crate::domain::text::clean_text(&onglet).chars().take(64).collect();
    let (version, _) = save_merged(&hash, etape, &champs, Some((version, tab.as_str())), at, None).await?;
    Ok(crate::model::intake::DraftSaved { at, version })
}

/// Merges one step's fields into the latest answers and saves them (optimistic locking: read again and merge
/// when another save came first). `base`: the version the writer read, to refuse overwriting the same step
/// saved since by another tab, and the writing tab (None: a form posted without JavaScript, the last one wins).
/// `read`: the draft as the caller just read it (none: read here). The new version and the answers saved.
#[cfg(feature = "ssr")]
async fn save_merged(
    hash: &str,
    step: i32,
    fields: &[(String, String)],
    base: Option<(i64, &str)>,
    at: i64,
    mut read: Option<crate::store::intake::Draft>,
) -> Result<(i64, crate::domain::intake::IntakeAnswers), AppError> {
    let ctx = server_context()?;
    for _ in 0..5 {
        let draft = match read.take() {
            Some(draft) => draft,
            None => ctx.store.load_draft(hash).await?.ok_or_else(not_found)?,
        };
        if draft.case_reference.is_some() {
            return Err(AppError::Invalid(
                "Ce dossier a déjà été déposé ; il ne peut plus être modifié.".into(),
            ));
        }
        if let Some((base, tab)) = base {
            crate::domain::intake::check_autosave(step, base, tab, &draft.step_versions).map_err(AppError::Conflict)?;
        }
        let mut answers = draft.answers.clone();
        answers.apply_step(step, fields);
        if let Some(version) = ctx
            .store
            .save_draft_step(hash, &answers, step, base.map_or("", |(_, tab)| tab), &draft, at)
            .await?
        {
            return Ok((version, answers));
        }
    }
    Err(AppError::Unavailable)
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
    let ctx = server_context()?;
    let hash = draft_hash(&token)?;
    let draft = ctx.store.load_draft(&hash).await?.ok_or_else(not_found)?;
    if draft.case_reference.is_some() {
        leptos_axum::redirect(&format!("/deposer/{token}/recu"));
        return Ok(());
    }
    let pairs: Vec<(String, String)> = fields
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name.to_string(), value)))
        .collect();
    // The draft just read is merged into; the answers validated are the ones saved (one read per step).
    let (_, answers) = save_merged(&hash, step, &pairs, None, now(), Some(draft)).await?;
    let directory = ctx.directory.clone();
    let known = move |key: &str| directory.by_key(key).is_some();
    let here = format!("/deposer/{token}/etape/{step}");
    let intention = intention.unwrap_or_default();
    let target = match intention.as_str() {
        "precedent" => format!("/deposer/{token}/etape/{}", (step - 1).max(1)),
        "chercher" => format!(
            "{here}?q={}#resultats",
            crate::domain::text::encode_component(search.as_deref().unwrap_or_default().trim())
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
    ia_public: Option<String>,
    ia_contenus: Option<String>,
    ia_aides: Option<String>,
    ia_urgences: Option<String>,
    ia_agents: Option<String>,
    ia_education: Option<String>,
    ia_reseaux: Option<String>,
    ia_biometrie: Option<String>,
    ia_profilage: Option<String>,
    ia_preparatoire: Option<String>,
    ia_interdit: Option<String>,
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
        ("ia_public", ia_public),
        ("ia_contenus", ia_contenus),
        ("ia_aides", ia_aides),
        ("ia_urgences", ia_urgences),
        ("ia_agents", ia_agents),
        ("ia_education", ia_education),
        ("ia_reseaux", ia_reseaux),
        ("ia_biometrie", ia_biometrie),
        ("ia_profilage", ia_profilage),
        ("ia_preparatoire", ia_preparatoire),
        ("ia_interdit", ia_interdit),
    ];
    save_step(token, 5, intention, fields, None).await
}

/// Files the draft as a case, in one transaction, once every step is valid; the receipt follows.
#[server(endpoint = "depot/deposer")]
pub async fn deposer(token: String) -> Result<(), AppError> {
    use crate::domain::intake::validate_all;
    use crate::store::intake::NewCase;
    let ctx = server_context()?;
    let hash = draft_hash(&token)?;
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
    let at = now();
    let periods = ctx.store.periods().await?;
    let review = crate::domain::periods::review_sentence(
        crate::domain::periods::period_for_case(at, &periods).map(|p| (p.name.as_str(), p.starts_at, p.ends_at - 1)),
    );
    let notice = crate::server::context::notice(crate::domain::email::Notice::Filed { review });
    ctx.store
        .submit_draft(&hash, &answers, &case, Some(&notice), at)
        .await?
        .ok_or_else(not_found)?;
    leptos_axum::redirect(&format!("/deposer/{token}/recu"));
    Ok(())
}

/// The case filed from the draft behind `token`.
#[server(endpoint = "depot/dossier")]
pub async fn dossier_depose(token: String) -> Result<FiledCaseView, AppError> {
    let ctx = server_context()?;
    let case = ctx
        .store
        .filed_case(&draft_hash(&token)?)
        .await?
        .ok_or_else(not_found)?;
    let periods = ctx.store.periods().await?;
    let review_period = crate::domain::periods::period_for_case(case.filed_at, &periods)
        .map(|p| (p.name.clone(), p.starts_at, p.ends_at - 1));
    Ok(FiledCaseView {
        review_period,
        origin: crate::server::context::link_origin(),
        reference: case.reference,
        title: case.title,
        collectivite_name: case.collectivite_name,
        stage: case.stage,
        filed_at: case.filed_at,
        updated_at: case.updated_at,
    })
}
