//! The six screens of the intake wizard. Each step is a real form posting to its server function (it works
//! without JavaScript); with WASM the same domain rules check fields as they change, the draft is saved while
//! typing (debounced) and a copy is kept in the browser.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use server_fn::ServerFn;

use crate::components::*;
use crate::domain::dates::format_paris;
use crate::domain::intake::{
    portage_alert, step_title, FieldError, IntakeAnswers, ALREADY_ENGAGED_WARNING, STEP_COUNT,
};
use crate::domain::referentiel::*;
use crate::endpoints::intake::*;
use crate::model::intake::*;

#[cfg(feature = "hydrate")]
use super::client;
use super::places;
use super::summary::Summary;

#[component]
pub fn WizardPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let step = move || {
        params
            .read()
            .get("etape")
            .and_then(|s| s.parse::<i32>().ok())
            .filter(|s| (1..=STEP_COUNT).contains(s))
            .unwrap_or(1)
    };
    // The query is part of the key: a form that redirects to the same step (with its errors) reloads the draft.
    let location = use_location();
    let draft = Resource::new(
        move || (token(), step(), location.search.get()),
        |(token, step, _)| charger_brouillon(token, step),
    );
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement de votre dossier…"</p> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(draft) => view! { <StepScreen draft token=token() step=step()/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StepScreen(draft: DraftView, token: String, step: i32) -> impl IntoView {
    let query = use_query_map();
    let show_errors = query.read_untracked().get("erreurs").is_some();
    let saved_notice = query.read_untracked().get("enregistre").is_some();
    let back_to_summary = query
        .read_untracked()
        .get("retour")
        .is_some_and(|r| r == "recapitulatif");
    let search = query.read_untracked().get("q").unwrap_or_default();

    if draft.case_reference.is_some() {
        return view! {
            <Title text="Dossier déjà déposé"/>
            <h1>"Ce dossier a déjà été déposé"</h1>
            <p>"Il ne peut plus être modifié. "<A href=format!("/suivi/{token}")>"Suivre le dossier"</A></p>
        }
        .into_any();
    }

    let initial_errors = if show_errors { draft.errors.clone() } else { Vec::new() };
    let title = format!("Étape {step} sur {STEP_COUNT} — {}", step_title(step));
    let resume_path = format!("/deposer/{token}/etape/{step}");
    let resume_link = format!("{}{resume_path}", draft.origin);
    view! {
        <Title text=title.clone()/>
        <nav aria-label="Étapes du dépôt" class="stepper">
            <ol>
                {(1..=STEP_COUNT).map(|n| {
                    let current = (n == step).then_some("step");
                    let done = draft.errors_by_step.iter().all(|(s, _)| *s != n) && n < step;
                    view! {
                        <li class:current=n == step class:done=done>
                            <a href=format!("/deposer/{token}/etape/{n}") aria-current=current>
                                <span class="step-number">{n}</span>" "{step_title(n)}
                                {done.then(|| view! { <span aria-hidden="true">" ✓"</span><span class="visually-hidden">" (complétée)"</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
        <p class="step-count">{format!("Étape {step} sur {STEP_COUNT}")}</p>
        <h1 tabindex="-1" id="titre-etape">{step_title(step)}</h1>
        {draft.replicates.clone().map(|(slug, title)| view! {
            <p class="alert alert-info">
                "Vous proposez de répliquer le cas « "<a href=crate::routes::catalogue_case(&slug)>{title}</a>" » : son domaine, ses briques et sa typologie sont déjà remplis, vous pouvez les modifier."
            </p>
        })}
        {saved_notice.then(|| view! { <p class="alert alert-success" role="status">"Votre brouillon est enregistré. Vous pouvez le reprendre plus tard avec votre lien de reprise."</p> })}
        {draft.similar.clone().map(|similar| view! { <crate::pages::similar::SimilarForCollectiviteView similar/> })}
        {if step < STEP_COUNT {
            let form_token = token.clone();
            view! {
                <StepServerError step/>
                <StepForm token=token.clone() step answers=draft.answers.clone() errors=initial_errors
                    updated_at=draft.updated_at version=draft.version>
                    {match step {
                        1 => view! { <Step1 token=form_token collectivite=draft.collectivite.clone() back_to_summary search/> }.into_any(),
                        2 => view! { <Step2 token=form_token back_to_summary/> }.into_any(),
                        3 => view! { <Step3 token=form_token back_to_summary/> }.into_any(),
                        4 => view! { <Step4 token=form_token back_to_summary/> }.into_any(),
                        _ => view! { <Step5 token=form_token back_to_summary/> }.into_any(),
                    }}
                </StepForm>
                {(step == 5).then(|| view! { <super::documents::WizardDocuments token=token.clone()/> })}
            }
            .into_any()
        } else {
            view! { <Summary token=token.clone() draft show_errors/> }.into_any()
        }}
        <aside class="resume-box" aria-labelledby="reprise-titre">
            <h2 id="reprise-titre">"Votre lien de reprise"</h2>
            <p>"Ce lien personnel permet de reprendre votre dossier plus tard, depuis n'importe quel appareil. Copiez-le et gardez-le pour vous :"</p>
            <p class="resume-link"><a href=resume_path>{resume_link}</a></p>
        </aside>
    }
    .into_any()
}

/// The French message of a step's save that failed on the server (a form posted without JavaScript comes back
/// with it in the address); rendered by the server only, outside the step's island.
#[component]
fn StepServerError(step: i32) -> impl IntoView {
    let message = match step {
        1 => failure(ServerAction::<EnregistrerEtape1>::new().value()),
        2 => failure(ServerAction::<EnregistrerEtape2>::new().value()),
        3 => failure(ServerAction::<EnregistrerEtape3>::new().value()),
        4 => failure(ServerAction::<EnregistrerEtape4>::new().value()),
        _ => failure(ServerAction::<EnregistrerEtape5>::new().value()),
    };
    view! { <ServerErrorNotice message/> }
}

/// The form of one step (1 to 5), with everything it does in the browser: instant checks with the domain
/// rules, the error summary, save while typing and the copy kept in the browser. An island whose fields are its
/// children, rendered by the server only: the browser reads what is typed from the events that reach the
/// island, and shows each field's state in place (`super::dom`), so the step's WebAssembly holds no field's
/// view. The parts that follow the typing (the collectivité search's results, the similar cases, the AI Act
/// pre-assessment) are rendered by the server and put in place by the island (`super::live`).
#[cfg_attr(island_StepForm, island)]
#[cfg_attr(not(island_StepForm), component)]
fn StepForm(
    token: String,
    step: i32,
    answers: IntakeAnswers,
    /// The errors shown when the page opens (after a submit).
    errors: Vec<FieldError>,
    updated_at: i64,
    version: i64,
    children: Children,
) -> impl IntoView {
    let summary_errors = RwSignal::new(errors.clone());
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let form = WizardForm {
        step,
        answers: RwSignal::new(answers),
        errors: RwSignal::new(errors),
        revision: RwSignal::new(0),
        summary: summary_errors,
        summary_ref,
    };
    provide_context(form);
    let save_state = RwSignal::new(SaveState::Idle);
    let restored_notice = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    client::enhance(client::Enhance {
        token: token.clone(),
        step,
        updated_at,
        version,
        form,
        save_state,
        restored_notice,
        summary_ref,
        summary_errors,
    });
    #[cfg(feature = "hydrate")]
    super::dom::keep_in_step(form);
    #[cfg(feature = "hydrate")]
    let live = super::live::keep_live(form, token.clone());
    #[cfg(not(feature = "hydrate"))]
    let _ = (token, updated_at, version);

    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            super::dom::field_event(form, &ev, false);
            live.on_input(form, &ev);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        super::dom::field_event(form, &ev, true);
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if super::dom::is_primary_button(&ev) {
            form.guard_submit(&ev);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        #[cfg(feature = "hydrate")]
        if step == 1 {
            super::dom::enter_in_step1(&ev);
            live.on_keydown(form, &ev);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <div class="notice-slot">
            {move || restored_notice.get().then(|| view! {
                <p class="alert alert-info" role="status">"Nous avons restauré la saisie conservée dans ce navigateur, plus récente que la dernière sauvegarde sur le serveur."</p>
            })}
        </div>
        <ErrorSummary errors=summary_errors.into() node_ref=summary_ref/>
        <div class="step-form" on:input=on_input on:change=on_change on:click=on_click on:keydown=on_keydown>
            {children()}
        </div>
        <p class="save-status" role="status">
            {move || match save_state.get() {
                SaveState::Idle => String::new(),
                SaveState::Saving => "Enregistrement du brouillon…".to_string(),
                SaveState::Saved(at) => format!("Brouillon enregistré le {}.", format_paris(at)),
                SaveState::LocalOnly => "Connexion au serveur impossible : votre saisie est conservée dans ce navigateur et sera enregistrée dès que possible.".to_string(),
                SaveState::Stale => "Cette étape a été modifiée dans un autre onglet, sur un autre appareil ou par un collègue : rechargez la page pour reprendre la dernière version. Votre saisie reste conservée dans ce navigateur.".to_string(),
            }}
        </p>
    }
}

/// The hidden token and the buttons at the bottom of a step.
#[component]
fn StepButtons(token: String, step: i32, back_to_summary: bool) -> impl IntoView {
    // The primary button comes first: it is the one Enter in a field presses.
    let (intention, label) = if back_to_summary {
        ("recapitulatif", "Enregistrer et revenir au récapitulatif")
    } else {
        ("suivant", "Enregistrer et continuer")
    };
    view! {
        <input type="hidden" name="token" value=token/>
        <div class="form-actions">
            <button type="submit" name="intention" value=intention class="button button-primary">{label}</button>
            {(step > 1).then(|| view! {
                <button type="submit" name="intention" value="precedent" class="button button-secondary">"Étape précédente"</button>
            })}
            <button type="submit" name="intention" value="enregistrer" class="button button-secondary">"Enregistrer le brouillon"</button>
        </div>
    }
}

#[component]
fn RequiredNote() -> impl IntoView {
    view! { <p class="hint">"Tous les champs sont obligatoires, sauf mention « facultatif »."</p> }
}

/// Step 1: the collectivité (an island of its own: its search renders in the browser) and the contact.
#[component]
fn Step1(
    token: String,
    collectivite: Option<CollectiviteChoice>,
    back_to_summary: bool,
    search: String,
) -> impl IntoView {
    // The results of a search posted without JavaScript, found before the island is rendered.
    let asked = search.clone();
    let found = Resource::new(
        move || asked.clone(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                chercher_collectivites(q).await
            }
        },
    );
    view! {
        <form method="post" action={EnregistrerEtape1::url()} novalidate=true>
            <RequiredNote/>
            <Suspense fallback=|| view! { <p role="status">"Recherche…"</p> }>
                {move || {
                    let (collectivite, search) = (collectivite.clone(), search.clone());
                    Suspend::new(async move {
                        let results = found.await.unwrap_or_default();
                        view! { <super::collectivite::CollectiviteSearch collectivite search results/> }
                    })
                }}
            </Suspense>
            <fieldset class="group">
                <legend>"La personne à contacter"</legend>
                <TextField name="contact_nom" autocomplete="name"/>
                <TextField name="contact_fonction" autocomplete="organization-title"/>
                <TextField name="contact_email" input_type="email" autocomplete="email" hint="Par exemple : prenom.nom@mairie.fr."/>
                <TextField name="contact_telephone" input_type="tel" autocomplete="tel"/>
            </fieldset>
            <StepButtons token step=1 back_to_summary/>
        </form>
    }
}

#[component]
fn Step2(token: String, back_to_summary: bool) -> impl IntoView {
    view! {
        <form method="post" action={EnregistrerEtape2::url()} novalidate=true>
            <RequiredNote/>
            <TextField name="titre" hint="Un titre court qui dit ce que fait la solution. Par exemple : « Pré-instruction des permis de construire »."/>
            <TextField name="probleme" multiline=true hint="Comment le travail se fait aujourd'hui, ce qui coûte du temps ou de la qualité."/>
            <TextField name="solution" multiline=true hint="Ce que l'IA ferait, pour qui, et ce qui changerait pour les agents et les usagers."/>
            <RadioGroup name="domaine" choices=DOMAINES/>
            <TextField name="perimetre" multiline=true hint="Les processus, services ou territoires couverts par le cas d'usage."/>
            <TextField name="directions" hint="Par exemple : direction de l'urbanisme, direction des systèmes d'information."/>
            <BriquesField/>
            <RadioGroup name="typologie" choices=TYPOLOGIES hint="La typologie retenue dans le document de cadrage tripartite."/>
            <StepButtons token=token.clone() step=2 back_to_summary/>
        </form>
        <crate::pages::similar::SimilarLive/>
    }
}

#[component]
fn Step3(token: String, back_to_summary: bool) -> impl IntoView {
    let form = expect_context::<WizardForm>();
    let estimate = move || form.answers.with_untracked(IntakeAnswers::hours_saved_per_year);
    view! {
        <form method="post" action={EnregistrerEtape3::url()} novalidate=true>
            <RequiredNote/>
            <TextField name="agents" numeric=true hint="Les agents dont le travail serait aidé par la solution."/>
            <TextField name="usagers" numeric=true hint="Les habitants ou usagers touchés chaque année ; 0 si le processus est interne."/>
            <fieldset class="group">
                <legend>"Le temps de travail économisé"</legend>
                <TextField name="occurrences_mois" numeric=true hint="Combien de fois par mois le processus est réalisé (dossiers, demandes, réunions…)."/>
                <TextField name="minutes_par_occurrence" numeric=true hint="Le temps passé par un agent sur une occurrence aujourd'hui."/>
                <TextField name="part_temps_gagne" numeric=true hint="La part de ce temps que la solution devrait économiser, de 1 à 100."/>
                <div class="estimate" aria-live="polite">
                    <h2 class="estimate-title">"Estimation"</h2>
                    <p id=places::ESTIMATE_ID>{places::estimate_sentence(estimate())}</p>
                    <p class="hint">"Calcul : occurrences par mois × 12 × minutes par occurrence × part économisée."</p>
                </div>
            </fieldset>
            <TextField name="benefice_usagers" multiline=true hint="Délais, qualité de service, accessibilité…"/>
            <TextField name="empreinte_environnementale" multiline=true hint="Le programme demande une attention à la maîtrise de l'empreinte environnementale : volume de traitements, choix d'un modèle proportionné…"/>
            <StepButtons token step=3 back_to_summary/>
        </form>
    }
}

#[component]
fn Step4(token: String, back_to_summary: bool) -> impl IntoView {
    let form = expect_context::<WizardForm>();
    let alert = move || form.answers.with_untracked(|a| portage_alert(&a.missing_portage()));
    view! {
        <form method="post" action={EnregistrerEtape4::url()} novalidate=true>
            <p class="lead">
                "La réussite d'un cas d'usage repose sur l'engagement conjoint des équipes métier, des directions SI/Data "
                "et d'un sponsor politique identifié. Indiquez pour chacun un nom et une fonction."
            </p>
            <fieldset class="group">
                <legend>"Porteur métier"</legend>
                <TextField name="metier_nom" autocomplete="off"/>
                <TextField name="metier_fonction" autocomplete="off"/>
            </fieldset>
            <fieldset class="group">
                <legend>"Porteur DSI ou data"</legend>
                <TextField name="dsi_nom" autocomplete="off"/>
                <TextField name="dsi_fonction" autocomplete="off"/>
            </fieldset>
            <fieldset class="group">
                <legend>"Sponsor politique (DGS, DGA ou élu)"</legend>
                <TextField name="sponsor_nom" autocomplete="off"/>
                <TextField name="sponsor_fonction" autocomplete="off"/>
            </fieldset>
            <div aria-live="polite" id=places::PORTAGE_ALERT_ID>
                {alert().map(|text| view! { <p class="alert alert-warning">{text}</p> })}
            </div>
            <StepButtons token step=4 back_to_summary/>
        </form>
    }
}

#[component]
fn Step5(token: String, back_to_summary: bool) -> impl IntoView {
    let form = expect_context::<WizardForm>();
    let engaged = move || form.answers.with_untracked(|a| a.get("stade_projet") == "deja-engage");
    view! {
        <form method="post" action={EnregistrerEtape5::url()} novalidate=true>
            <RequiredNote/>
            <TextField name="donnees_necessaires" multiline=true hint="Les données que la solution utiliserait : documents, bases, référentiels…"/>
            <RadioGroup name="disponibilite_donnees" choices=DISPONIBILITES/>
            <RadioGroup name="qualite_donnees" choices=QUALITES/>
            <RadioGroup name="donnees_personnelles" choices=DONNEES_PERSONNELLES hint="Des données relatives à des personnes physiques (usagers, agents) seraient-elles traitées ?"/>
            <TextField name="dependances_techniques" multiline=true hint="Logiciels métier, accès, contrats ou chantiers dont dépend le projet."/>
            <RadioGroup name="maturite" choices=MATURITES/>
            <RadioGroup name="stade_projet" choices=STADES_PROJET/>
            <div aria-live="polite" id=places::ENGAGED_ALERT_ID>
                {engaged().then(|| view! { <p class="alert alert-warning">{ALREADY_ENGAGED_WARNING}</p> })}
            </div>
            <RadioGroup name="hebergement" choices=HEBERGEMENTS hint="L'hébergement des données est assuré par Mistral AI sur Mistral Compute, dans l'Union européenne, sauf hébergement sur site retenu par la collectivité."/>
            <TextField name="agents_vibe" numeric=true hint="Une collectivité pionnière peut bénéficier d'un accès à Vibe pour ses agents identifiés."/>
            <AiActField/>
            <AiActLive/>
            <StepButtons token step=5 back_to_summary/>
        </form>
    }
}
