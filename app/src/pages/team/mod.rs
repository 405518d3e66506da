//! The programme team's own pages: sign-in, the team's home ("À traiter": what the signed-in person must act
//! on), the relève periods; the list of every case is in `cases.rs`, the team's header in `nav.rs`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::components::{failure, LoadError, ServerErrorNotice};
use crate::domain::dates::format_paris_date;
use crate::domain::due::{DueItem, DueKind};
use crate::endpoints::team::*;
use crate::error::AppError;

mod cases;
mod nav;
pub use cases::TeamCasesPage;
pub use nav::SiteNav;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SeConnecter>::new();
    let query = use_query_map();
    let signed_out = move || query.read().get("deconnecte").is_some();
    view! {
        <Title text="Connexion à l'espace équipe"/>
        <h1>"Connexion à l'espace équipe"</h1>
        <p class="lead">"Réservé à l'équipe du programme Territoires d'IA et aux directions régionales."</p>
        {move || signed_out().then(|| view! { <p class="alert alert-success" role="status">"Vous êtes déconnecté·e."</p> })}
        <ServerErrorNotice message=failure(sign_in.value())/>
        <ActionForm action=sign_in attr:novalidate=true attr:class="narrow-form">
            <div class="field">
                <label for="champ-email">"Adresse électronique"</label>
                <input id="champ-email" name="email" type="email" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="champ-mot-de-passe">"Mot de passe"</label>
                <input id="champ-mot-de-passe" name="mot_de_passe" type="password" autocomplete="current-password" required/>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Se connecter"</button>
            </div>
        </ActionForm>
        <p><a href="/equipe/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
    }
}

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
                            "Tous les cas du programme : "<a href="/equipe/cas">"liste des cas"</a>" ou "<a href="/equipe/tableau">"tableau des cas d'usage"</a>"."
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
                    (Ok(None), _) | (_, Err(AppError::Unauthorized)) => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
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
                    Err(AppError::Unauthorized) => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
