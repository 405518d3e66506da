//! Every case of the pipeline as a table (`/equipe/cas`): the board's data and filters, sortable by column
//! through links (so it works without JavaScript), each case linking to its page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{filter_key, FilterForm};
use crate::components::{AiActBadge, LoadError};
use crate::domain::board::days_label;
use crate::domain::referentiel::{label_of, DOMAINES};
use crate::domain::text::{encode_component, group_thousands};
use crate::endpoints::board::tableau;
use crate::error::AppError;
use crate::model::board::CardView;

/// The sortable columns: query code and header.
const SORTS: [(&str, &str); 6] = [
    ("reference", "Référence"),
    ("titre", "Cas d'usage"),
    ("collectivite", "Collectivité"),
    ("etape", "Étape"),
    ("jours", "Jours à l'étape"),
    ("heures", "Heures économisées par an"),
];

fn sort(cards: &mut [CardView], by: &str) {
    match by {
        "reference" => cards.sort_by(|a, b| a.reference.cmp(&b.reference)),
        "titre" => cards.sort_by_key(|c| crate::domain::text::normalize(&c.title)),
        "collectivite" => cards.sort_by_key(|c| crate::domain::text::normalize(&c.collectivite_name)),
        "jours" => cards.sort_by_key(|c| std::cmp::Reverse(c.days_in_stage)),
        "heures" => cards.sort_by_key(|c| std::cmp::Reverse(c.hours_saved_per_year)),
        _ => cards.sort_by_key(|c| {
            (
                crate::domain::board::column_index(c.stage),
                std::cmp::Reverse(c.days_in_stage),
            )
        }),
    }
}

#[component]
pub fn TeamCasesPage() -> impl IntoView {
    let query = use_query_map();
    let board = Resource::new(
        move || query.with(filter_key),
        |(p, d, r, b, t)| tableau(p, d, r, b, t, None, None),
    );
    view! {
        <Title text="Cas du programme"/>
        <h1>"Cas du programme"</h1>
        <Transition fallback=|| view! { <p role="status">"Chargement des cas…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => {
                        let filters = query.with_untracked(filter_key);
                        let by = query.with_untracked(|q| q.get("tri")).unwrap_or_else(|| "etape".into());
                        let mut cards: Vec<CardView> = board.columns.into_iter().flat_map(|c| c.cards).collect();
                        sort(&mut cards, &by);
                        // The filters kept in each sorting link.
                        let kept: String = query.with_untracked(|q| {
                            ["periode", "domaine", "region", "brique", "texte"]
                                .into_iter()
                                .filter_map(|key| q.get(key).filter(|v| !v.is_empty()).map(|v| format!("&{key}={}", encode_component(&v))))
                                .collect()
                        });
                        view! {
                            <FilterForm periods=board.periods regions=board.regions filters action="/equipe/cas"/>
                            <p role="status">{format!("{} cas affichés sur {}.", board.shown, board.total)}</p>
                            {if cards.is_empty() {
                                view! { <p>"Aucun cas ne correspond à ces filtres."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="cases-table">
                                            <caption class="visually-hidden">"Cas du programme, triables par colonne"</caption>
                                            <thead><tr>
                                                {SORTS.into_iter().map(|(code, label)| {
                                                    let order = match (code == by, code) {
                                                        (false, _) => "none",
                                                        (true, "jours" | "heures") => "descending",
                                                        (true, _) => "ascending",
                                                    };
                                                    // The arrow is in the page (visible without the style sheet);
                                                    // `aria-sort` says it to assistive technologies.
                                                    let arrow = match order {
                                                        "ascending" => " ▲",
                                                        "descending" => " ▼",
                                                        _ => "",
                                                    };
                                                    view! {
                                                        <th scope="col" aria-sort=order>
                                                            <a href=format!("/equipe/cas?tri={code}{kept}")>{label}<span aria-hidden="true">{arrow}</span></a>
                                                        </th>
                                                    }
                                                }).collect_view()}
                                                <th scope="col">"Signaux"</th>
                                            </tr></thead>
                                            <tbody>
                                                {cards.into_iter().map(|card| view! {
                                                    <tr>
                                                        <td class="reference-cell"><a href=crate::routes::case(&card.reference).page()>{card.reference.clone()}</a></td>
                                                        <th scope="row">{card.title.clone()}<span class="choice-detail">{label_of(DOMAINES, &card.domain).to_string()}</span></th>
                                                        <td>{card.collectivite_name.clone()}<span class="choice-detail">{card.region.clone()}</span></td>
                                                        <td>{card.stage.label()}</td>
                                                        <td>{days_label(card.days_in_stage)}</td>
                                                        <td class="number">{group_thousands(card.hours_saved_per_year)}</td>
                                                        <td>
                                                            {card.portage_missing.then(|| view! { <p class="badge badge-alert">"Portage incomplet"</p> })}
                                                            {card.decision.map(|d| view! { <p class="badge">{format!("Décision : {}", d.label())}</p> })}
                                                            <AiActBadge level=card.ai_act_level confirmed=card.ai_act_confirmed/>
                                                            {(card.unread > 0).then(|| view! { <p class="badge badge-unread">{crate::domain::messages::unread_label(card.unread)}</p> })}
                                                        </td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <crate::components::SignInFirst/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
