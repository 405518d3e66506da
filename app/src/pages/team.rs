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
                            <p><a href="/equipe/tableau">"Tableau des cas d'usage"</a>" · "<a href="/equipe/periodes">"Périodes de relève"</a></p>
                            <CasesByStage cases/>
                            {(account.role_code == "admin").then(|| view! {
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
    let location = leptos_router::hooks::use_location();
    let case = Resource::new(
        move || (reference(), location.search.get()),
        |(reference, _)| dossier_equipe(reference),
    );
    view! {
        <p><a href="/equipe/tableau">"← Tableau"</a></p>
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
                            <p>{format!("Déposé le {}.", crate::domain::dates::format_paris(case.filed_at))}" "
                                {case.period_name.clone().map(|p| format!("Période de relève : {p}.")).unwrap_or_else(|| "Aucune période de relève planifiée pour ce cas.".into())}</p>
                            <p>
                                <a href=format!("/equipe/tableau?texte={}", case.summary.reference)>"Voir sur le tableau"</a>
                                {case.can_act.then(|| view! { " · "<a href=format!("/equipe/cas/{}/deplacer", case.summary.reference)>"Déplacer ce cas"</a> })}
                            </p>
                            <SavedNotice/>
                            <QualificationSection case=case.clone()/>
                            <FollowUpSection case=case.clone()/>
                            <CommentsSection case=case.clone()/>
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

/// The confirmation of a save on the case page (the save redirects with `?enregistre=…`).
#[component]
fn SavedNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        let text = match query.read().get("enregistre").as_deref() {
            Some("qualification") => "La qualification a été enregistrée.",
            Some("commentaire") => "Votre commentaire a été ajouté.",
            _ => return None,
        };
        Some(view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })
    }
}

#[component]
fn QualificationSection(case: CaseDetailView) -> impl IntoView {
    use crate::domain::gates::Decision;
    let save = ServerAction::<crate::board::EnregistrerQualification>::new();
    let decision_label = case
        .decision_code
        .as_deref()
        .and_then(Decision::from_code)
        .map(Decision::label)
        .unwrap_or("non prise");
    let warnings = case.warnings.clone();
    let readonly = !case.can_act;
    view! {
        <section aria-labelledby="qualification" class="case-section">
            <h2 id="qualification">"Qualification"</h2>
            <p class="hint">
                "Chaque critère est noté de 0 à 3 (principes du cadre d'intervention). Le score suggéré est calculé à partir du dépôt ; "
                "il éclaire la note de l'équipe sans la remplacer."
            </p>
            {(!warnings.is_empty()).then(|| view! {
                <div class="alert alert-warning">
                    <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                </div>
            })}
            <p>{format!("Décision : {decision_label}.")}
                {case.destination_label.clone().map(|d| format!(" Réorienté vers : {d}."))}</p>
            {if readonly {
                view! {
                    <div class="table-scroll"><table>
                        <thead><tr><th scope="col">"Critère"</th><th scope="col">"Note"</th><th scope="col">"Score suggéré"</th><th scope="col">"Commentaire"</th></tr></thead>
                        <tbody>
                            {case.grid.iter().map(|line| view! {
                                <tr>
                                    <th scope="row">{line.label.clone()}</th>
                                    <td>{line.score.map(|s| format!("{s} / 3")).unwrap_or_else(|| "non noté".into())}</td>
                                    <td>{line.suggested.map(|s| format!("{s} / 3")).unwrap_or_else(|| "—".into())}</td>
                                    <td>{line.comment.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                    <h3>"Notes des entretiens d'approfondissement"</h3>
                    <p class="preserve-lines">{if case.interview_notes.is_empty() { "Aucune note.".to_string() } else { case.interview_notes.clone() }}</p>
                }.into_any()
            } else {
                view! {
                    <ServerErrorNotice message=failure(save.value())/>
                    <ActionForm action=save attr:novalidate=true attr:class="grid-form">
                        <input type="hidden" name="reference" value=case.summary.reference.clone()/>
                        <input type="hidden" name="version" value=case.version/>
                        {case.grid.iter().map(|line| {
                            let code = line.code.clone();
                            let hint_id = format!("suggestion-{code}");
                            let described_by = hint_id.clone();
                            let comment_id = format!("commentaire-{code}");
                            view! {
                                <fieldset class="grid-line" aria-describedby=described_by>
                                    <legend>{line.label.clone()}</legend>
                                    <p class="hint" id=hint_id>
                                        {match line.suggested {
                                            Some(s) => format!("Score suggéré : {s} / 3 — {}", line.suggestion_reason),
                                            None => "Pas de score suggéré : à apprécier par l'équipe.".to_string(),
                                        }}
                                    </p>
                                    <div class="choice-row">
                                        {[None, Some(0), Some(1), Some(2), Some(3)].into_iter().map(|value| {
                                            let id = format!("note-{code}-{}", value.map(|v| v.to_string()).unwrap_or_else(|| "aucune".into()));
                                            view! {
                                                <span class="choice">
                                                    <input type="radio" id=id.clone() name=format!("note_{code}")
                                                        value=value.map(|v| v.to_string()).unwrap_or_default()
                                                        checked=line.score == value/>
                                                    <label for=id>{value.map(|v| v.to_string()).unwrap_or_else(|| "Non noté".into())}</label>
                                                </span>
                                            }
                                        }).collect_view()}
                                    </div>
                                    <div class="field">
                                        <label for=comment_id.clone()>{format!("Commentaire ({})", line.label.to_lowercase())}</label>
                                        <textarea id=comment_id name=format!("commentaire_{code}") rows="2">{line.comment.clone()}</textarea>
                                    </div>
                                </fieldset>
                            }
                        }).collect_view()}
                        <div class="field">
                            <label for="notes-entretien">"Notes des entretiens d'approfondissement"</label>
                            <textarea id="notes-entretien" name="notes_entretien" rows="6">{case.interview_notes.clone()}</textarea>
                        </div>
                        <fieldset class="field">
                            <legend>"Décision"</legend>
                            {[("", "Pas encore de décision"), ("qualifie", "Qualifié"), ("non-qualifie", "Non qualifié (à réorienter)")].into_iter().map(|(value, label)| {
                                let id = format!("decision-{}", if value.is_empty() { "aucune" } else { value });
                                let checked = case.decision_code.as_deref().unwrap_or_default() == value;
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=id.clone() name="decision" value=value checked=checked/>
                                        <label for=id>{label}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <div class="form-actions">
                            <button type="submit" class="button button-primary">"Enregistrer la qualification"</button>
                        </div>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Stages 3 to 5 of the case: where its cadrage, phase 4 and diffusion stand, with links to their pages.
#[component]
fn FollowUpSection(case: CaseDetailView) -> impl IntoView {
    if case.follow_up.is_empty() {
        return ().into_any();
    }
    view! {
        <section aria-labelledby="accompagnement" class="case-section">
            <h2 id="accompagnement">"Accompagnement"</h2>
            <ul class="follow-up-list">
                {case.follow_up.into_iter().map(|line| view! {
                    <li><a href=line.href>{line.label}</a>" — "{line.status}</li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn CommentsSection(case: CaseDetailView) -> impl IntoView {
    let comment = ServerAction::<crate::board::Commenter>::new();
    view! {
        <section aria-labelledby="commentaires" class="case-section">
            <h2 id="commentaires">"Commentaires de l'équipe"</h2>
            {if case.comments.is_empty() {
                view! { <p class="hint">"Aucun commentaire pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        {case.comments.iter().map(|c| view! {
                            <li>
                                <p class="preserve-lines">{c.body.clone()}</p>
                                <span class="choice-detail">{format!("{} — {}", c.author, crate::domain::dates::format_paris(c.at))}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {case.can_act.then(|| view! {
                <ServerErrorNotice message=failure(comment.value())/>
                <ActionForm action=comment attr:novalidate=true>
                    <input type="hidden" name="reference" value=case.summary.reference.clone()/>
                    <div class="field">
                        <label for="nouveau-commentaire">"Ajouter un commentaire"</label>
                        <textarea id="nouveau-commentaire" name="texte" rows="3"></textarea>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-secondary">"Ajouter le commentaire"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}
