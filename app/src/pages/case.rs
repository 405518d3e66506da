//! The team's page of one case: every intake answer, the qualification grid and decision, the summary of
//! stages 3 to 5, the history and the comments.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{failure, CaseSaved, LoadError, ServerErrorNotice};
use crate::endpoints::case::*;
use crate::error::AppError;
use crate::model::case::*;

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
                        let stage = case.summary.stage;
                        let answers = case.answers.clone();
                        let collectivite = case.collectivite.clone();
                        view! {
                            <Title text=format!("{} — {}", case.summary.reference, case.summary.title)/>
                            <p class="step-count">{case.summary.reference.clone()}</p>
                            <h1>{case.summary.title.clone()}</h1>
                            <p class="lead">
                                {format!("{} · {} · étape : {}", case.summary.collectivite_name, case.summary.region, stage.label())}
                            </p>
                            <p>
                                <a href=format!("/equipe/tableau?texte={}", case.summary.reference)>"Voir sur le tableau"</a>
                                {case.can_act.then(|| view! { " · "<a href=crate::routes::case(&case.summary.reference).move_page()>"Déplacer ce cas"</a> })}
                            </p>
                            <CaseSaved/>
                            <CaseSummary case=case.clone()/>
                            <section id="depot" aria-labelledby="depot-titre" class="case-section">
                                <h2 id="depot-titre">"Dépôt"</h2>
                                <p>{format!("Déposé le {}.", crate::domain::dates::format_paris(case.filed_at))}" "
                                    {case.period_name.clone().map(|p| format!("Période de relève : {p}.")).unwrap_or_else(|| "Aucune période de relève planifiée pour ce cas.".into())}</p>
                                {(1..crate::domain::intake::STEP_COUNT).map(|step| view! {
                                    <section class="summary-section" aria-labelledby=format!("reponses-{step}")>
                                        <h3 id=format!("reponses-{step}")>{format!("{step}. {}", crate::domain::intake::step_title(step))}</h3>
                                        <crate::components::StepAnswers answers=answers.clone() collectivite=collectivite.clone() step=step/>
                                    </section>
                                }).collect_view()}
                                <section aria-labelledby="reglement-ia" class="summary-section">
                                    <h3 id="reglement-ia">"Règlement européen sur l'IA"</h3>
                                    <crate::components::AiActConfirmedView
                                        level=case.ai_act.confirmed
                                        obligations=if case.ai_act.confirmed.is_some() { case.ai_act_obligations.clone() } else { Vec::new() }
                                        heading=4/>
                                    <crate::components::AiActAssessmentView answers=case.answers.clone() level=4/>
                                </section>
                            </section>
                            <crate::pages::similar::TeamSimilarSection similar=case.similar.clone()/>
                            <QualificationSection case=case.clone()/>
                            <AvisSection case=case.clone()/>
                            <ProjectSection case=case.clone()/>
                            <PrestataireSection case=case.clone()/>
                            <crate::pages::messages::TeamThreadSection reference=case.summary.reference.clone()/>
                            <CommentsSection case=case.clone()/>
                            <section aria-labelledby="historique">
                                <h2 id="historique">"Historique"</h2>
                                <ol class="history">
                                    {case.events.into_iter().map(|event| view! {
                                        <li>
                                            <strong>{event.what}</strong>
                                            <span class="choice-detail">{format!("{} — {}", crate::domain::dates::format_paris(event.at), event.actor)}</span>
                                            {(!event.detail.is_empty()).then(|| view! { <span class="choice-detail">{event.detail}</span> })}
                                        </li>
                                    }).collect_view()}
                                </ol>
                            </section>
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

/// The top of the case page: where the case stands and what comes next, and the in-page menu of its sections
/// (a sticky bar; without JavaScript the same anchors).
#[component]
fn CaseSummary(case: CaseDetailView) -> impl IntoView {
    let stage = case.summary.stage;
    let decision = case.decision.map(|d| d.label()).unwrap_or("pas encore prise");
    let ai_act = match case.ai_act.confirmed {
        Some(level) => format!("{} (confirmé)", level.label()),
        None => format!("{} (pré-évaluation à confirmer)", case.ai_act.level().label()),
    };
    let mut sections = vec![
        ("depot", "Dépôt"),
        ("cas-proches", "Cas proches"),
        ("qualification", "Qualification"),
        ("avis", "Avis"),
    ];
    if !case.project.is_empty() {
        sections.push(("accompagnement", "Cadrage, conception, diffusion"));
    }
    sections.extend([
        ("prestataire", "Prestataire"),
        ("messages", "Messages et documents"),
        ("commentaires", "Commentaires"),
        ("historique", "Historique"),
    ]);
    view! {
        <dl class="case-summary">
            <div><dt>"Étape"</dt><dd>{stage.label()}</dd></div>
            <div><dt>"Période de relève"</dt><dd>{case.period_name.clone().unwrap_or_else(|| "aucune".into())}</dd></div>
            <div><dt>"Décision"</dt><dd>{decision}</dd></div>
            <div><dt>"AI Act"</dt><dd>{ai_act}</dd></div>
            <div><dt>"Prochaine étape attendue"</dt><dd>{crate::domain::due::expected_next(stage, case.decision)}</dd></div>
            {case.project.iter().find(|line| line.href.ends_with("/cadrage")).map(|line| view! {
                <div><dt>"Cadrage"</dt><dd>{line.status.clone()}</dd></div>
            })}
        </dl>
        <nav class="case-toc" aria-label="Sections du cas">
            <ul>
                {sections.into_iter().map(|(id, label)| view! { <li><a href=format!("#{id}")>{label}</a></li> }).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn QualificationSection(case: CaseDetailView) -> impl IntoView {
    let save = ServerAction::<EnregistrerQualification>::new();
    let decision_label = case.decision.map(|d| d.label()).unwrap_or("non prise");
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
                {case.destination.map(|d| format!(" Réorienté vers : {}.", d.label()))}</p>
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
                    <p>{format!(
                        "Niveau AI Act : {}.",
                        match case.ai_act.confirmed {
                            Some(level) => format!("{} (confirmé par l'équipe)", level.label()),
                            None => format!("{} (pré-évaluation, pas encore confirmée)", case.ai_act.level().label()),
                        }
                    )}</p>
                    <h3>"Notes des entretiens d'approfondissement"</h3>
                    <p class="preserve-lines">{if case.interview_notes.is_empty() { "Aucune note.".to_string() } else { case.interview_notes.clone() }}</p>
                }.into_any()
            } else {
                view! {
                    <ServerErrorNotice message=failure(save.value())/>
                    <ActionForm action=save attr:novalidate=true attr:class="grid-form">
                        <input type="hidden" name="reference" value=case.summary.reference.clone()/>
                        <input type="hidden" name="version" value=case.version/>
                        {case.grid.iter().map(|line| view! { <GridLineFields line=line.clone()/> }).collect_view()}
                        <crate::components::AiActReviewFields review=case.ai_act.clone() answers=case.answers.clone()/>
                        <div class="field">
                            <label for="notes-entretien">"Notes des entretiens d'approfondissement"</label>
                            <textarea id="notes-entretien" name="notes_entretien" rows="6">{crate::components::textarea_text(&case.interview_notes)}</textarea>
                        </div>
                        <fieldset class="field">
                            <legend>"Décision"</legend>
                            {[("", "Pas encore de décision"), ("qualifie", "Qualifié"), ("non-qualifie", "Non qualifié (à réorienter)")].into_iter().map(|(value, label)| {
                                let id = format!("decision-{}", if value.is_empty() { "aucune" } else { value });
                                let checked = case.decision.map(|d| d.code()).unwrap_or_default() == value;
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

/// One criterion of the qualification grid as a form: its score (with the suggestion) and its comment.
#[component]
fn GridLineFields(line: crate::model::case::GridLineView) -> impl IntoView {
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
                <textarea id=comment_id name=format!("commentaire_{code}") rows="2">{crate::components::textarea_text(&line.comment)}</textarea>
            </div>
        </fieldset>
    }
}

/// Stages 3 to 5 of the case: where its cadrage, phase 4 and diffusion stand, with links to their pages.
#[component]
fn ProjectSection(case: CaseDetailView) -> impl IntoView {
    if case.project.is_empty() {
        return ().into_any();
    }
    view! {
        <section aria-labelledby="accompagnement" class="case-section">
            <h2 id="accompagnement">"Accompagnement"</h2>
            <ul class="follow-up-list">
                {case.project.into_iter().map(|line| view! {
                    <li><a href=line.href>{line.label}</a>" — "{line.status}</li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn CommentsSection(case: CaseDetailView) -> impl IntoView {
    let comment = ServerAction::<Commenter>::new();
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
            {case.can_comment.then(|| view! {
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

/// The prestataire technique the case is assigned to, and for the programme team the form to change it.
#[component]
fn PrestataireSection(case: CaseDetailView) -> impl IntoView {
    let assign = ServerAction::<AssignerPrestataire>::new();
    let current = case.assignee.clone();
    view! {
        <section aria-labelledby="prestataire" class="case-section">
            <h2 id="prestataire">"Prestataire technique"</h2>
            <p>{match &current {
                Some(name) => format!("Cas confié à {name}, qui le voit, tient le journal de la phase 4 et valide le cadrage."),
                None => "Aucun prestataire n'est encore désigné pour ce cas.".to_string(),
            }}</p>
            {case.can_act.then(|| view! {
                <ServerErrorNotice message=failure(assign.value())/>
                <ActionForm action=assign attr:class="narrow-form">
                    <input type="hidden" name="reference" value=case.summary.reference.clone()/>
                    <div class="field">
                        <label for="champ-prestataire">"Prestataire"</label>
                        <select id="champ-prestataire" name="compte">
                            <option value="">"Aucun"</option>
                            {case.prestataires.iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=current.as_deref() == Some(name.as_str())>{name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-secondary">"Désigner le prestataire"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

/// The avis of the directions régionales and of the prestataire, beside the grid: those given, those awaited,
/// the team's form to ask for one and the form of the person asked.
#[component]
fn AvisSection(case: CaseDetailView) -> impl IntoView {
    use crate::domain::avis::Opinion;
    let ask = ServerAction::<DemanderAvis>::new();
    let give = ServerAction::<DonnerAvis>::new();
    let reference = case.summary.reference.clone();
    let give_reference = reference.clone();
    let given = case.avis.iter().filter(|a| a.opinion.is_some()).count();
    view! {
        <section aria-labelledby="avis" class="case-section">
            <h2 id="avis">{format!("Avis ({given} sur {})", case.avis.len())}</h2>
            {if case.avis.is_empty() {
                view! { <p class="hint">"Aucun avis demandé pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="history">
                        {case.avis.iter().map(|avis| {
                            let asked = format!("demandé par {} le {}", avis.requested_by, crate::domain::dates::format_paris(avis.requested_at));
                            view! {
                                <li>
                                    <strong>{format!("{} ({})", avis.name, avis.role.label())}</strong>
                                    {match (avis.opinion, avis.given_at) {
                                        (Some(opinion), Some(at)) => view! {
                                            <span>{format!(" : avis {} le {}", opinion.label().to_lowercase(), crate::domain::dates::format_paris(at))}</span>
                                            <p class="preserve-lines">{avis.text.clone()}</p>
                                        }.into_any(),
                                        _ => view! { <span>" : avis attendu"</span> }.into_any(),
                                    }}
                                    <span class="choice-detail">{asked}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!case.avis_candidates.is_empty()).then(|| view! {
                <ServerErrorNotice message=failure(ask.value())/>
                <ActionForm action=ask attr:class="narrow-form">
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <div class="field">
                        <label for="avis-compte">"Avis demandé à"</label>
                        <select id="avis-compte" name="compte">
                            {case.avis_candidates.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-secondary">"Demander un avis"</button>
                    </div>
                </ActionForm>
            })}
            {case.avis_asked_of_me.then(|| view! {
                <h3>"Votre avis"</h3>
                <ServerErrorNotice message=failure(give.value())/>
                <ActionForm action=give attr:novalidate=true attr:class="narrow-form">
                    <input type="hidden" name="reference" value=give_reference.clone()/>
                    <fieldset class="field">
                        <legend>"Avis"</legend>
                        {Opinion::ALL.into_iter().map(|opinion| {
                            let id = format!("avis-{}", opinion.code());
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name="avis" value=opinion.code()/>
                                    <label for=id>{opinion.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="field">
                        <label for="avis-texte">"Motivation"</label>
                        <textarea id="avis-texte" name="texte" rows="4"></textarea>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Donner mon avis"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
