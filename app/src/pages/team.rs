//! The programme team's own pages: sign-in, the team's home with the pipeline by stage, the relève periods.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::components::{failure, LoadError, ServerErrorNotice};
use crate::domain::dates::format_paris_date;
use crate::domain::referentiel::{label_of, DOMAINES};
use crate::domain::stage::Stage;
use crate::domain::text::group_thousands;
use crate::endpoints::team::*;
use crate::error::AppError;
use crate::model::team::*;

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
    let cases = Resource::new(|| (), |_| cas_du_programme());
    let sign_out = ServerAction::<SeDeconnecter>::new();
    let query = use_query_map();
    let password_chosen = move || query.read().get("enregistre").is_some_and(|v| v == "mot-de-passe");
    view! {
        <Title text="Espace équipe"/>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match (account.await, cases.await) {
                    (Ok(Some(account)), Ok(cases)) => {
                        let role = account.role.label();
                        view! {
                            <div class="team-head">
                                <h1>"Espace équipe"</h1>
                                <div>
                                    <p>{format!("{} — {role}", account.name)}</p>
                                    <ActionForm action=sign_out>
                                        <button type="submit" class="button button-secondary">"Se déconnecter"</button>
                                    </ActionForm>
                                </div>
                            </div>
                            <p class="lead">{format!("{} cas d'usage dans le programme.", cases.len())}</p>
                            {move || password_chosen().then(|| view! { <p class="alert alert-success" role="status">"Votre mot de passe est enregistré : vous êtes connecté·e."</p> })}
                            <p>
                                <a href="/equipe/tableau">"Tableau des cas d'usage"</a>" · "<a href="/equipe/periodes">"Périodes de relève"</a>
                                " · "<a href="/equipe/mot-de-passe">"Changer mon mot de passe"</a>
                                " · "<a href="/equipe/sessions">"Mes sessions"</a>
                                {account.role.can_administer().then(|| view! {
                                    " · "<a href="/equipe/comptes">"Comptes de l'équipe"</a>
                                    " · "<a href="/equipe/journal-connexions">"Journal des connexions"</a>
                                    " · "<a href="/equipe/courriels">"Courriels envoyés"</a>
                                })}
                            </p>
                            <UnreadMessages cases=cases.clone()/>
                            <CasesByStage cases/>
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
                        .into_any()
                    }
                    (Ok(None), _) | (_, Err(AppError::Unauthorized)) => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CasesByStage(cases: Vec<CaseSummaryView>) -> impl IntoView {
    Stage::PIPELINE
        .into_iter()
        .chain([Stage::Reoriente])
        .map(|stage| {
            let in_stage: Vec<CaseSummaryView> = cases.iter().filter(|c| c.stage == stage).cloned().collect();
            let heading = match stage.number() {
                Some(n) => format!("{n}. {} ({})", stage.label(), in_stage.len()),
                None => format!("Réorientés ({})", in_stage.len()),
            };
            view! {
                <section class="stage-section" aria-labelledby=format!("etape-{}", stage.code())>
                    <h2 id=format!("etape-{}", stage.code())>{heading}</h2>
                    {if in_stage.is_empty() {
                        view! { <p class="hint">"Aucun cas à cette étape."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table>
                                    <thead><tr>
                                        <th scope="col">"Référence"</th>
                                        <th scope="col">"Cas d'usage"</th>
                                        <th scope="col">"Collectivité"</th>
                                        <th scope="col">"Domaine"</th>
                                        <th scope="col">"Heures économisées par an"</th>
                                        <th scope="col">"Portage"</th>
                                        <th scope="col">"À cette étape depuis le"</th>
                                    </tr></thead>
                                    <tbody>
                                        {in_stage.into_iter().map(|case| view! {
                                            <tr>
                                                <td class="reference-cell"><a href=format!("/equipe/cas/{}", case.reference)>{case.reference.clone()}</a></td>
                                                <th scope="row">{case.title}</th>
                                                <td>{case.collectivite_name}<span class="choice-detail">{case.region}</span></td>
                                                <td>{label_of(DOMAINES, &case.domain).to_string()}</td>
                                                <td class="number">{group_thousands(case.hours_saved_per_year)}</td>
                                                <td>{if case.portage_missing { "Signal d'alerte" } else { "Complet" }}</td>
                                                <td>{format_paris_date(case.stage_entered_at)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </section>
            }
        })
        .collect_view()
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

/// The cases whose thread holds messages the reader has not read, most first.
#[component]
fn UnreadMessages(cases: Vec<crate::model::team::CaseSummaryView>) -> impl IntoView {
    let mut unread: Vec<_> = cases.into_iter().filter(|case| case.unread > 0).collect();
    unread.sort_by_key(|case| std::cmp::Reverse(case.unread));
    let total: i64 = unread.iter().map(|case| case.unread).sum();
    view! {
        <section aria-labelledby="non-lus" class="case-section">
            <h2 id="non-lus">{if total == 0 { "Messages".to_string() } else { format!("Messages non lus ({total})") }}</h2>
            {if unread.is_empty() {
                view! { <p class="hint">"Aucun message non lu : vous êtes à jour."</p> }.into_any()
            } else {
                view! {
                    <ul class="unread-list">
                        {unread.into_iter().map(|case| view! {
                            <li>
                                <a href=format!("/equipe/cas/{}#messages", case.reference)>{format!("{} — {}", case.reference, case.title)}</a>
                                <span class="badge badge-unread">{crate::domain::messages::unread_label(case.unread)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
