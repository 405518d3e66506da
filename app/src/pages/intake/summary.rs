//! The wizard's last screen: every answer to read again, the errors left, and "Déposer".

use leptos::prelude::*;

use crate::components::*;
use crate::domain::intake::{step_title, FieldError, STEP_COUNT};
use crate::endpoints::intake::*;
use crate::model::intake::*;

#[component]
pub fn Summary(token: String, draft: DraftView, show_errors: bool) -> impl IntoView {
    let action = ServerAction::<Deposer>::new();
    let answers = draft.answers.clone();
    let errors_by_step = draft.errors_by_step.clone();
    view! {
        {(show_errors && !errors_by_step.is_empty()).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus>
                <h2>"Le dossier ne peut pas encore être déposé"</h2>
                <ul>
                    {errors_by_step.iter().flat_map(|(step, errors)| {
                        let token = token.clone();
                        errors.iter().map(move |e: &FieldError| view! {
                            <li><a href=format!("/deposer/{token}/etape/{step}?erreurs=1&retour=recapitulatif")>{format!("Étape {step} — {}", e.message)}</a></li>
                        }).collect::<Vec<_>>()
                    }).collect_view()}
                </ul>
            </div>
        })}
        <p class="lead">"Relisez votre dossier. Vous pouvez modifier chaque étape avant de le déposer."</p>
        {(1..STEP_COUNT).map(|step| {
            let answers = answers.clone();
            let collectivite = draft.collectivite.clone();
            let incomplete = errors_by_step.iter().any(|(s, _)| *s == step);
            view! {
                <section class="summary-section" aria-labelledby=format!("recap-{step}")>
                    <div class="summary-head">
                        <h2 id=format!("recap-{step}")>{format!("{step}. {}", step_title(step))}</h2>
                        <a href=format!("/deposer/{token}/etape/{step}?retour=recapitulatif") class="button button-secondary">
                            "Modifier"<span class="visually-hidden">{format!(" l'étape {step} : {}", step_title(step))}</span>
                        </a>
                    </div>
                    {incomplete.then(|| view! { <p class="alert alert-warning">"Cette étape est incomplète."</p> })}
                    <StepAnswers answers=answers collectivite=collectivite step=step/>
                </section>
            }
        }).collect_view()}
        <section class="summary-section" aria-labelledby="reglement-ia">
            <h2 id="reglement-ia" class="visually-hidden">"Règlement européen sur l'IA"</h2>
            <AiActAssessmentView answers=answers.clone() level=3/>
        </section>
        <section class="notice" aria-labelledby="donnees-perso">
            <h2 id="donnees-perso">"Vos données personnelles"</h2>
            <p>
                "Les coordonnées saisies (contact, porteurs du projet) sont traitées par la Caisse des Dépôts pour "
                "instruire votre cas d'usage dans le cadre du programme Territoires d'IA et vous recontacter. Elles "
                "ne sont jamais publiées dans le catalogue public. Vous pouvez exercer vos droits d'accès, de "
                "rectification et d'effacement en écrivant à territoiresdia@caissedesdepots.fr."
            </p>
        </section>
        <ServerErrorNotice message=failure(action.value())/>
        <ActionForm action>
            <input type="hidden" name="token" value=token.clone()/>
            <div class="form-actions">
                <a href=format!("/deposer/{token}/etape/5") class="button button-secondary">"Étape précédente"</a>
                <button type="submit" class="button button-primary">"Déposer mon cas d'usage"</button>
            </div>
        </ActionForm>
    }
}
