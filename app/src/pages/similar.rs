//! Similar cases on screen: beside the need in the wizard (live with JavaScript, on the next screen without),
//! with "Répliquer ce cas" for the published ones, and on the team's case page with the count of collectivités.

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::endpoints::catalogue::Repliquer;
use crate::model::similar::{Neighbour, SimilarForCollectivite, SimilarForTeam};

/// The published cases close to a need and the count of the others; nothing when there are none.
#[component]
pub fn SimilarForCollectiviteView(similar: SimilarForCollectivite) -> impl IntoView {
    if similar.published.is_empty() && similar.library.is_empty() && similar.others_sentence.is_none() {
        return ().into_any();
    }
    view! {
        <section class="alert alert-info similar-cases" aria-labelledby="cas-proches-titre">
            <h2 id="cas-proches-titre">"Des cas proches du vôtre"</h2>
            {(!similar.published.is_empty()).then(|| view! {
                <p>"Ces cas publiés au catalogue ressemblent à votre besoin : les répliquer fait gagner du temps à tous."</p>
                <ul class="similar-list">
                    {similar.published.into_iter().map(|case| {
                        let label = format!("Répliquer ce cas : {}", case.title);
                        view! {
                            <li>
                                <a href=crate::routes::catalogue_case(&case.slug)>{case.title.clone()}</a>
                                <span class="choice-detail">{format!(" — {}, {}", case.collectivite, case.region)}</span>
                                <form method="post" action=Repliquer::url() class="inline-form">
                                    <input type="hidden" name="slug" value=case.slug/>
                                    <button type="submit" class="button button-secondary" aria-label=label>"Répliquer ce cas"</button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!similar.library.is_empty()).then(|| view! {
                <p>"Des projets semblables ont déjà été menés ailleurs (Bibliothèque d'IA territoriales) :"</p>
                <ul class="similar-list">
                    {similar.library.into_iter().map(|project| view! {
                        <li>
                            {format!("Déjà mené par {} : ", project.collectivite)}
                            <a href=crate::routes::library_project(&project.slug)>{project.title}</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {similar.others_sentence.map(|sentence| view! { <p>{sentence}" L'équipe du programme en tiendra compte."</p> })}
        </section>
    }
    .into_any()
}

/// With JavaScript, on the need's step: the close cases as the person types the title, problem or solution
/// (debounced; a late answer to an older text is dropped), with a short sentence announced politely when they
/// change — the list itself is not read again at each pause. An island inside the step's form, reading the
/// step's answers from its context.
#[cfg_attr(island_SimilarLive, island)]
#[cfg_attr(not(island_SimilarLive), component)]
pub fn SimilarLive(token: String) -> impl IntoView {
    let found = RwSignal::new(SimilarForCollectivite::default());
    let announce = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let form = expect_context::<crate::components::fields::WizardForm>();
        let need = Memo::new(move |_| {
            form.answers.with(|a| {
                (
                    a.get("titre").to_string(),
                    a.get("probleme").to_string(),
                    a.get("solution").to_string(),
                )
            })
        });
        let debounce = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        let latest = StoredValue::new(0_u64);
        Effect::new(move |_| {
            let (title, problem, solution) = need.get();
            let token = token.clone();
            latest.update_value(|n| *n += 1);
            let asked = latest.get_value();
            let timeout = gloo_timers::callback::Timeout::new(600, move || {
                leptos::task::spawn_local(async move {
                    let answer = crate::endpoints::similar::cas_proches(token, title, problem, solution).await;
                    if let Ok(similar) = answer {
                        if asked == latest.get_value() && found.with_untracked(|current| *current != similar) {
                            announce.set(match similar.published.len() {
                                0 if !similar.library.is_empty() => {
                                    "Des projets semblables déjà menés ailleurs sont listés sous le formulaire."
                                        .to_string()
                                }
                                0 if similar.others_sentence.is_none() => String::new(),
                                0 => "Des cas proches du vôtre ont été déposés.".to_string(),
                                1 => "1 cas publié ressemble à votre besoin : il est listé sous le formulaire."
                                    .to_string(),
                                n => format!(
                                    "{n} cas publiés ressemblent à votre besoin : ils sont listés sous le formulaire."
                                ),
                            });
                            found.set(similar);
                        }
                    }
                });
            });
            debounce.update_value(|slot| *slot = Some(timeout));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = token;
    view! {
        <p class="visually-hidden" role="status">{move || announce.get()}</p>
        <div class="similar-live">
            {move || view! { <SimilarForCollectiviteView similar=found.get()/> }}
        </div>
    }
}

/// On the team's case page: the close cases other collectivités filed, with their count (evidence of
/// réplicabilité).
#[component]
pub fn TeamSimilarSection(similar: SimilarForTeam) -> impl IntoView {
    let count = similar.other_collectivites;
    let heading = match count {
        0 => "Cas proches : aucun déposé par une autre collectivité".to_string(),
        1 => "Cas proches : 1 autre collectivité".to_string(),
        n => format!("Cas proches : {n} autres collectivités"),
    };
    let hidden = count > 0 && similar.cases.is_empty();
    view! {
        <section aria-labelledby="cas-proches" class="case-section">
            <h2 id="cas-proches">{heading}</h2>
            {(count > 0).then(|| view! {
                <p class="hint">"Plusieurs collectivités qui demandent la même chose : c'est un signe de réplicabilité, repris dans le score suggéré de la grille."</p>
            })}
            {(!similar.cases.is_empty()).then(|| view! {
                <ul class="similar-list">
                    {similar.cases.into_iter().map(|case| view! {
                        <li>
                            <a href=crate::routes::case(&case.reference).page()>{format!("{} — {}", case.reference, case.title)}</a>
                            <span class="choice-detail">{format!(" — {}, {} · {}", case.collectivite, case.region, case.stage.label())}</span>
                            {case.published_slug.map(|slug| view! { " · "<a href=crate::routes::catalogue_case(&slug)>"publié au catalogue"</a> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {hidden.then(|| view! { <p class="hint">"Ces cas relèvent d'autres régions que les vôtres."</p> })}
        </section>
    }
}

/// « Projets proches » on a catalogue page: the published cases and projects of the Bibliothèque closest to it.
#[component]
pub fn NeighboursSection(neighbours: Vec<Neighbour>) -> impl IntoView {
    view! {
        <section aria-labelledby="projets-proches">
            <h2 id="projets-proches">"Projets proches"</h2>
            {if neighbours.is_empty() {
                view! { <p>"Aucun autre projet du catalogue ne ressemble assez à celui-ci pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="similar-list">
                        {neighbours.into_iter().map(|neighbour| match neighbour {
                            Neighbour::Case(case) => view! {
                                <li>
                                    <a href=crate::routes::catalogue_case(&case.slug)>{case.title}</a>
                                    <span class="choice-detail">{format!(" — {}, {} (IA Factory)", case.collectivite, case.region)}</span>
                                </li>
                            }.into_any(),
                            Neighbour::Library(project) => view! {
                                <li>
                                    <a href=crate::routes::library_project(&project.slug)>{project.title}</a>
                                    <span class="choice-detail">{format!(" — {} (Bibliothèque d'IA territoriales)", project.collectivite)}</span>
                                </li>
                            }.into_any(),
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
