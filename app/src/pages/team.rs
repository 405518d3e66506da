//! The programme team's pages: sign-in, and the team's home listing every case by stage (read-only for now;
//! the board with its moves comes with the board issue).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::components::{failure, LoadError, ServerErrorNotice};
use crate::domain::auth::Role;
use crate::domain::collectivites::group_thousands;
use crate::domain::dates::format_paris_date;
use crate::domain::referentiel::{label_of, DOMAINES};
use crate::domain::stage::Stage;
use crate::error::AppError;
use crate::team::*;

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
    }
}

#[component]
pub fn TeamHomePage() -> impl IntoView {
    let account = Resource::new(|| (), |_| compte_courant());
    let cases = Resource::new(|| (), |_| cas_du_programme());
    let sign_out = ServerAction::<SeDeconnecter>::new();
    view! {
        <Title text="Espace équipe"/>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match (account.await, cases.await) {
                    (Ok(Some(account)), Ok(cases)) => {
                        let role = Role::from_code(&account.role_code).map(Role::label).unwrap_or_default();
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
                            <p><a href="/equipe/periodes">"Périodes de relève"</a></p>
                            <CasesByStage cases/>
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
            let in_stage: Vec<CaseSummaryView> = cases.iter().filter(|c| c.stage_code == stage.code()).cloned().collect();
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
                                                <td>{p.status}</td>
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

#[component]
pub fn TeamCasePage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let case = Resource::new(reference, dossier_equipe);
    view! {
        <p><a href="/equipe">"← Espace équipe"</a></p>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let stage = Stage::from_code(&case.summary.stage_code).unwrap_or(Stage::Remontee);
                        let answers = case.answers.clone();
                        let collectivite = case.collectivite.clone();
                        view! {
                            <Title text=format!("{} — {}", case.summary.reference, case.summary.title)/>
                            <p class="step-count">{case.summary.reference.clone()}</p>
                            <h1>{case.summary.title.clone()}</h1>
                            <p class="lead">
                                {format!("{} · {} · étape : {}", case.summary.collectivite_name, case.summary.region, stage.label())}
                            </p>
                            <p>{format!("Déposé le {}.", crate::domain::dates::format_paris(case.filed_at))}</p>
                            <section aria-labelledby="historique">
                                <h2 id="historique">"Historique"</h2>
                                <ol class="history">
                                    {case.events.into_iter().map(|event| view! {
                                        <li>
                                            <strong>{event.what}</strong>
                                            <span class="choice-detail">{format!("{} — {}", crate::domain::dates::format_paris(event.at), event.actor)}</span>
                                            {(!event.detail.is_empty()).then(|| view! { <span class="choice-detail">{format!("Motif : {}", event.detail)}</span> })}
                                        </li>
                                    }).collect_view()}
                                </ol>
                            </section>
                            {(1..crate::domain::intake::STEP_COUNT).map(|step| view! {
                                <section class="summary-section" aria-labelledby=format!("reponses-{step}")>
                                    <h2 id=format!("reponses-{step}")>{format!("{step}. {}", crate::domain::intake::step_title(step))}</h2>
                                    <crate::components::StepAnswers answers=answers.clone() collectivite=collectivite.clone() step=step/>
                                </section>
                            }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
