//! The team's home, "À traiter": what the signed-in person must act on, grouped by kind, and for
//! administrators the export of a person's data.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::LoadError;
use crate::domain::dates::format_paris_date;
use crate::domain::due::{DueItem, DueKind};
use crate::endpoints::due::a_traiter;
use crate::endpoints::sign_in::compte_courant;
use crate::error::AppError;

#[component]
pub fn TeamHomePage() -> impl IntoView {
    let account = Resource::new(|| (), |_| compte_courant());
    let due = Resource::new(|| (), |_| a_traiter());
    let query = use_query_map();
    let password_chosen = move || query.read().get("enregistre").is_some_and(|v| v == "mot-de-passe");
    view! {
        <Title text="À traiter"/>
        <h1>"Espace équipe"</h1>
        {move || password_chosen().then(|| view! { <p class="alert alert-success" role="status">"Votre mot de passe est enregistré : vous êtes connecté·e."</p> })}
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match (account.await, due.await) {
                    (Ok(Some(account)), Ok(items)) => view! {
                        <DueList items/>
                        <p class="hint">
                            "Tous les cas du programme : "<a href="/equipe/cas">"liste des cas"</a>" ou "<a href="/equipe/tableau">"tableau des cas d'usage"</a>" ; leurs "<a href=crate::routes::TEAM_DEPLOYMENTS>"déploiements"</a>"."
                        </p>
                        {account.role.can_administer().then(|| view! {
                            <section aria-labelledby="rgpd" class="case-section">
                                <h2 id="rgpd">"Données d'une personne (RGPD)"</h2>
                                <p class="hint" id="rgpd-aide">
                                    "Pour répondre à une demande d'accès : tout ce que le service conserve sur une adresse électronique "
                                    "(compte, propositions déposées et brouillons dont elle est le contact, actions enregistrées), au format JSON."
                                </p>
                                <form method="get" action="/equipe/export/personne.json" class="narrow-form">
                                    <div class="field">
                                        <label for="rgpd-email">"Adresse électronique"</label>
                                        <input id="rgpd-email" type="email" name="email" required=true aria-describedby="rgpd-aide"/>
                                    </div>
                                    <button type="submit" class="button button-secondary">"Exporter ses données"</button>
                                </form>
                            </section>
                        })}
                    }
                    .into_any(),
                    (Ok(None), _) | (_, Err(AppError::Unauthorized)) => view! { <crate::components::SignInFirst/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// "À traiter": what is due, grouped by kind with its count, each line linking to the place where it is done.
#[component]
fn DueList(items: Vec<DueItem>) -> impl IntoView {
    let total = items.len();
    view! {
        <section aria-labelledby="a-traiter">
            <h2 id="a-traiter">{if total == 0 { "À traiter".to_string() } else { format!("À traiter ({total})") }}</h2>
            {if total == 0 {
                view! { <p>"Rien n'attend votre action pour l'instant : vous êtes à jour."</p> }.into_any()
            } else {
                DueKind::ALL
                    .into_iter()
                    .filter_map(|kind| {
                        let of_kind = kind.of(&items);
                        (!of_kind.is_empty()).then(|| {
                            let id = format!("a-traiter-{}", kind.code());
                            let labelled_by = id.clone();
                            view! {
                                <section class="due-group" aria-labelledby=labelled_by>
                                    <h3 id=id>{format!("{} ({})", kind.title(), of_kind.len())}</h3>
                                    <ul class="due-list">
                                        {of_kind.into_iter().map(|item| view! {
                                            <li>
                                                <a href=item.href>{item.label}</a>
                                                <span class="choice-detail">{format!(" — {} (depuis le {})", item.detail, format_paris_date(item.since))}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }
                        })
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}
