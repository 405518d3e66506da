//! The team's phase 4 page: the validation conditions of the cadrage in force with their checks, and the log.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::case_head::{failed_load, reference_param, Head};
use crate::components::{failure, CaseSaved, ServerErrorNotice};
use crate::domain::dates::format_paris;
use crate::endpoints::conception::*;
use crate::model::conception::*;

#[component]
pub fn ConceptionPage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| conception(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ConceptionContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConceptionContent(page: ConceptionView) -> impl IntoView {
    view! {
        <Head head=page.head.clone() title="Conception et implémentation"/>
        <CaseSaved/>
        <ConditionsSection page=page.clone()/>
        <LogSection page/>
    }
    .into_any()
}

/// The validation conditions of phase 4 fixed by the cadrage in force, each with its check and evidence.
#[component]
fn ConditionsSection(page: ConceptionView) -> impl IntoView {
    let check = ServerAction::<VerifierCondition>::new();
    let reference = page.head.reference.clone();
    let can_act = page.head.can_act;
    let checks_reference = reference.clone();
    let checked = page.conditions.iter().filter(|c| c.checked.is_some()).count();
    let total = page.conditions.len();
    view! {
        <section aria-labelledby="conditions" class="case-section">
            <h2 id="conditions">"Conditions de validation de la phase 4"</h2>
            {if page.current == 0 {
                view! {
                    <p>"Aucun document de cadrage n'est enregistré : c'est lui qui fixe les conditions du passage à la diffusion. "
                        <a href=crate::routes::case(&reference).cadrage()>"Rédiger le document de cadrage"</a></p>
                }.into_any()
            } else if total == 0 {
                view! {
                    <p>"La version en vigueur du document de cadrage ne fixe aucune condition de passage à la diffusion. "
                        <a href=crate::routes::case(&reference).cadrage_at("champ-conditions_diffusion")>"Compléter le document de cadrage"</a></p>
                }.into_any()
            } else {
                view! {
                    <p class=if checked == total { "alert alert-success" } else { "" }>
                        {format!("Conditions fixées par la version {} du document de cadrage : {checked} vérifiée{} sur {total}.", page.current, if checked > 1 { "s" } else { "" })}
                        {(checked == total).then_some(" Le cas peut passer à la diffusion.")}
                    </p>
                    <ServerErrorNotice message=failure(check.value())/>
                    <ol class="condition-list">
                        {page.conditions.into_iter().enumerate().map(|(index, condition)| {
                            let reference = checks_reference.clone();
                            let field_id = format!("preuve-{}", index + 1);
                            let (evidence, status) = match &condition.checked {
                                Some((evidence, by, at)) => (evidence.clone(), format!("Vérifiée par {by} le {}. Preuve : {evidence}", format_paris(*at))),
                                None => (String::new(), "Pas encore vérifiée.".to_string()),
                            };
                            view! {
                                <li>
                                    <p><strong>{condition.text.clone()}</strong></p>
                                    <p class=if condition.checked.is_some() { "condition-done" } else { "hint" }>{status}</p>
                                    {can_act.then(|| view! {
                                        <ActionForm action=check attr:class="inline-form">
                                            <input type="hidden" name="reference" value=reference.clone()/>
                                            <input type="hidden" name="condition" value=condition.text.clone()/>
                                            <div class="field">
                                                <label for=field_id.clone()>{format!("Preuve : « {} »", condition.text)}</label>
                                                <p class="hint" id=format!("{field_id}-aide")>"Une note (compte rendu, date, résultat) ou un lien vers le document qui l'établit."</p>
                                                <textarea id=field_id.clone() name="preuve" rows="2" required=true aria-describedby=format!("{field_id}-aide")>{crate::components::textarea_text(&evidence)}</textarea>
                                            </div>
                                            <button type="submit" class="button button-secondary">
                                                {if condition.checked.is_some() { "Mettre à jour la preuve" } else { "Vérifier cette condition" }}
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The dated log of phase 4, and its form for who may write it.
#[component]
fn LogSection(page: ConceptionView) -> impl IntoView {
    let log = ServerAction::<Journaliser>::new();
    let reference = page.head.reference.clone();
    let can_log = page.head.role.can_write_log();
    view! {
        <section aria-labelledby="journal" class="case-section">
            <h2 id="journal">"Journal de la phase 4"</h2>
            <p class="hint">"Itérations, tests, expérimentations et ajustements, datés : la conception associe les équipes métiers et les prestataires."</p>
            {if page.log.is_empty() {
                view! { <p>"Le journal est vide pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        {page.log.into_iter().map(|entry| view! {
                            <li>
                                <strong>{format!("{} — {}", crate::domain::dates::day_number(&entry.day).map(crate::domain::dates::french_of_day).unwrap_or(entry.day.clone()), entry.kind)}</strong>
                                <p class="preserve-lines">{entry.body}</p>
                                <span class="choice-detail">{entry.author}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {can_log.then(|| view! {
                <h3>"Ajouter une entrée"</h3>
                <ServerErrorNotice message=failure(log.value())/>
                <ActionForm action=log attr:class="narrow-form">
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <div class="field">
                        <label for="journal-jour">"Date"</label>
                        <input id="journal-jour" type="date" name="jour" value=page.today.clone() required=true class="input-short"/>
                    </div>
                    <div class="field">
                        <label for="journal-nature">"Nature"</label>
                        <select id="journal-nature" name="nature" required=true>
                            {crate::domain::cadrage::LOG_KINDS.iter().map(|kind| view! { <option value=kind.code>{kind.label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="journal-texte">"Ce qui a été fait et ce qui en ressort"</label>
                        <textarea id="journal-texte" name="texte" rows="4" required=true></textarea>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Ajouter au journal"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
