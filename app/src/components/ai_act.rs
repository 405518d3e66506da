//! The AI Act questionnaire of step 5 and the pre-assessment it gives (`domain::ai_act`): the checkboxes, each
//! with its one-line explanation, and the level with its grounds, the deployer's obligations and the AIPD note,
//! shown live in the wizard, on the summary and on the team's case page.

use leptos::prelude::*;

use crate::domain::ai_act::{assess, dpia_reason, RiskLevel, DISCLAIMER, QUESTIONS};
use crate::domain::intake::IntakeAnswers;

use super::fields::{control_id, WizardForm};

/// The questionnaire: plain checkboxes that post without JavaScript.
#[component]
pub fn AiActField() -> impl IntoView {
    let form = expect_context::<WizardForm>();
    view! {
        <fieldset class="field" aria-describedby="questionnaire-ia-aide">
            <legend>"Règlement européen sur l'IA : quelques questions"</legend>
            <p class="hint" id="questionnaire-ia-aide">"Cochez ce qui s'applique à votre projet. Ces réponses donnent une première idée des obligations qui en découlent."</p>
            <div class="choices">
                {QUESTIONS.into_iter().map(|(name, question, explanation)| {
                    let id = control_id(name);
                    let hint = format!("{id}-aide");
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=name value="on" aria-describedby=hint.clone()
                                checked=move || form.answers.with(|a| a.is_checked(name))
                                on:change=move |ev| {
                                    let ticked = event_target_checked(&ev);
                                    form.answers.update(|a| a.set(name, if ticked { "on" } else { "" }));
                                    form.revision.update(|r| *r += 1);
                                }/>
                            <label for=id>{question}</label>
                            <p class="hint choice-detail" id=hint>{explanation}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The pre-assessment of a set of answers.
#[component]
pub fn AiActAssessmentView(answers: IntakeAnswers, #[prop(default = 2)] level: u8) -> impl IntoView {
    let assessment = assess(&answers.ai_act());
    let dpia = dpia_reason(answers.personal_data(), &answers.ai_act());
    let class = match assessment.level {
        RiskLevel::Prohibited => "alert alert-error",
        RiskLevel::HighRisk => "alert alert-warning",
        _ => "alert alert-info",
    };
    let heading = format!("Pré-évaluation : {}", assessment.level.label());
    view! {
        <div class=format!("{class} ai-act")>
            {if level == 2 { view! { <h2>{heading}</h2> }.into_any() } else { view! { <h3>{heading}</h3> }.into_any() }}
            {(!assessment.grounds.is_empty()).then(|| view! { <p>{format!("Fondement : {}.", assessment.grounds.join(" ; "))}</p> })}
            {assessment.exception.map(|e| view! { <p>{e}</p> })}
            <ul>
                {assessment.obligations.iter().map(|o| view! { <li><strong>{format!("{} : ", o.article)}</strong>{o.text}</li> }).collect_view()}
            </ul>
            {dpia.map(|d| view! { <p>{d}</p> })}
            <p class="hint">{DISCLAIMER}</p>
        </div>
    }
    .into_any()
}

/// The pre-assessment as the person answers, in the wizard (announced when it changes).
#[component]
pub fn AiActLive() -> impl IntoView {
    let form = expect_context::<WizardForm>();
    view! {
        <div aria-live="polite">
            {move || view! { <AiActAssessmentView answers=form.answers.get() level=3/> }}
        </div>
    }
}
