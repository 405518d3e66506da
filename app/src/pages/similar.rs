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

/// Where the close cases go on the need's step, and the live region that says when they change (the browser
/// reads these ids, `pages::intake::live`).
pub const SIMILAR_PLACE_ID: &str = "cas-proches-en-direct";
pub const SIMILAR_STATUS_ID: &str = "cas-proches-annonce";

/// On the need's step, with JavaScript: the close cases as the person types the title, problem or solution,
/// rendered by the server (`similar_fragment`) and put in place by the step's island, with a short sentence
/// announced politely when they change — the list itself is not read again at each pause. Empty when the page
/// opens; without JavaScript the next screen shows them.
#[component]
pub fn SimilarLive() -> impl IntoView {
    view! {
        <p class="visually-hidden" role="status" id=SIMILAR_STATUS_ID></p>
        <div class="similar-live" id=SIMILAR_PLACE_ID></div>
    }
}

/// The close cases as the need's step shows them, and the sentence its live region says of them.
#[cfg(feature = "ssr")]
pub fn similar_fragment(similar: SimilarForCollectivite) -> crate::model::intake::StepFragment {
    let announce = match similar.published.len() {
        0 if !similar.library.is_empty() => {
            "Des projets semblables déjà menés ailleurs sont listés sous le formulaire.".to_string()
        }
        0 if similar.others_sentence.is_none() => String::new(),
        0 => "Des cas proches du vôtre ont été déposés.".to_string(),
        1 => "1 cas publié ressemble à votre besoin : il est listé sous le formulaire.".to_string(),
        n => format!("{n} cas publiés ressemblent à votre besoin : ils sont listés sous le formulaire."),
    };
    crate::model::intake::StepFragment {
        html: view! { <SimilarForCollectiviteView similar/> }.to_html(),
        announce,
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
