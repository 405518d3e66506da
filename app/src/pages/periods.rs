//! The relève periods page: each period with the cases it examines, and the form to plan one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{failure, LoadError, ServerErrorNotice};
use crate::domain::dates::format_paris_date;
use crate::endpoints::periods::{periodes_de_releve, CreerPeriode};
use crate::error::AppError;

#[component]
pub fn PeriodsPage() -> impl IntoView {
    let create = ServerAction::<CreerPeriode>::new();
    // Reloaded after each creation (with JavaScript the page stays in place).
    let page = Resource::new(move || create.version().get(), |_| periodes_de_releve());
    let query = use_query_map();
    let created = move || query.read().get("creee").is_some();
    let long = move || query.read().get("avertissement").is_some();
    view! {
        <Title text="Périodes de relève"/>
        <p><a href="/equipe">"← Espace équipe"</a></p>
        <h1>"Périodes de relève"</h1>
        <p class="lead">
            "Les cas d'usage sont qualifiés pendant des périodes de relève d'au plus 3 mois. Un cas est examiné lors "
            "de la première période qui commence après son dépôt ; une seule période est ouverte à la fois."
        </p>
        {move || created().then(|| view! {
            <div class="alert alert-success" role="status">
                <p>"La période de relève a été créée."</p>
                {long().then(|| view! { <p>"Attention : elle dépasse 3 mois, la durée maximale d'analyse prévue par le cadre d'intervention."</p> })}
            </div>
        })}
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        {if page.periods.is_empty() {
                            view! { <p>"Aucune période de relève n'a encore été planifiée."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll"><table>
                                    <thead><tr>
                                        <th scope="col">"Période"</th><th scope="col">"Du"</th><th scope="col">"Au"</th>
                                        <th scope="col">"État"</th><th scope="col">"Cas à examiner"</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.periods.into_iter().map(|p| view! {
                                            <tr>
                                                <th scope="row">{p.name}</th>
                                                <td>{format_paris_date(p.starts_at)}</td>
                                                <td>{format_paris_date(p.ends_at - 1)}</td>
                                                <td>{p.status.label()}</td>
                                                <td class="number">{p.cases}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any()
                        }}
                        {page.can_create.then(|| view! {
                            <h2>"Planifier une période"</h2>
                            <ServerErrorNotice message=failure(create.value())/>
                            <ActionForm action=create attr:novalidate=true attr:class="narrow-form">
                                <div class="field">
                                    <label for="champ-nom-periode">"Nom de la période"</label>
                                    <p class="hint" id="champ-nom-periode-aide">"Par exemple : Relève du printemps 2027. De 3 à 100 caractères."</p>
                                    <input id="champ-nom-periode" name="nom" type="text" aria-describedby="champ-nom-periode-aide"/>
                                </div>
                                <div class="field">
                                    <label for="champ-debut">"Premier jour"</label>
                                    <input id="champ-debut" name="debut" type="date"/>
                                </div>
                                <div class="field">
                                    <label for="champ-fin">"Dernier jour"</label>
                                    <input id="champ-fin" name="fin" type="date"/>
                                </div>
                                <div class="form-actions">
                                    <button type="submit" class="button button-primary">"Créer la période"</button>
                                </div>
                            </ActionForm>
                        })}
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <crate::components::SignInFirst/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
