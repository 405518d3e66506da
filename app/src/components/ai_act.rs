//! The AI Act questionnaire of step 5 and the pre-assessment it gives (`domain::ai_act`): the checkboxes, each
//! with its one-line explanation, and the level with its grounds, the deployer's obligations and the AIPD note,
//! shown live in the wizard, on the summary and on the team's case page.

use leptos::prelude::*;

use crate::domain::ai_act::{assess, dpia_reason, RiskLevel, DISCLAIMER, QUESTIONS};
use crate::domain::intake::IntakeAnswers;

use super::fields::{control_id, WizardForm};

/// The questionnaire: plain checkboxes that post without JavaScript (rendered by the server; the step's island
/// reads their changes).
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
                                checked=form.answers.with_untracked(|a| a.is_checked(name))/>
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
            {heading_at(level, heading)}
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

/// Where the wizard's pre-assessment goes (the browser reads this id, `pages::intake::live`).
pub const AI_ACT_PLACE_ID: &str = "pre-evaluation-ia";

/// The pre-assessment as the person answers, in the wizard (announced when it changes): rendered by the server
/// when the page opens, then again by the server as the answers change (`assessment_html`), put in place by the
/// step's island.
#[component]
pub fn AiActLive() -> impl IntoView {
    let form = expect_context::<WizardForm>();
    view! {
        <div aria-live="polite" id=AI_ACT_PLACE_ID>
            <AiActAssessmentView answers=form.answers.get_untracked() level=3/>
        </div>
    }
}

/// The wizard's pre-assessment of a set of answers, as the browser puts it in place.
#[cfg(feature = "ssr")]
pub fn assessment_html(answers: IntakeAnswers) -> String {
    view! { <AiActAssessmentView answers level=3/> }.to_html()
}

/// The level the team confirmed and the obligations that follow, or that the pre-assessment awaits confirmation
/// (case page, catalogue).
#[component]
pub fn AiActConfirmedView(
    level: Option<RiskLevel>,
    obligations: Vec<(String, String)>,
    #[prop(default = 2)] heading: u8,
) -> impl IntoView {
    let title = match level {
        Some(level) => format!("AI Act : {} (niveau confirmé par l'équipe du programme)", level.label()),
        None => "AI Act : niveau pas encore confirmé par l'équipe du programme".to_string(),
    };
    view! {
        <div class="ai-act-confirmed">
            {heading_at(heading, title)}
            {(!obligations.is_empty()).then(|| view! {
                <ul>
                    {obligations.into_iter().map(|(article, text)| view! { <li><strong>{format!("{article} : ")}</strong>{text}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
    .into_any()
}

/// A heading at the level the page gives (2, 3, or 4 and below), so that it nests under the page's own.
fn heading_at(level: u8, text: String) -> AnyView {
    match level {
        2 => view! { <h2>{text}</h2> }.into_any(),
        3 => view! { <h3>{text}</h3> }.into_any(),
        _ => view! { <h4>{text}</h4> }.into_any(),
    }
}

/// The AI Act badge of a board card or a list line (nothing for a minimal level).
#[component]
pub fn AiActBadge(level: RiskLevel, confirmed: bool) -> impl IntoView {
    let class = match level {
        RiskLevel::Prohibited => "badge badge-error",
        RiskLevel::HighRisk => "badge badge-warning",
        _ => "badge badge-info",
    };
    (level != RiskLevel::Minimal).then(|| {
        let text = format!(
            "AI Act : {}{}",
            level.short_label(),
            if confirmed { "" } else { " (à confirmer)" }
        );
        let title = format!(
            "{} — {}",
            level.label(),
            if confirmed {
                "niveau confirmé par l'équipe"
            } else {
                "pré-évaluation du dépôt, à confirmer"
            }
        );
        view! { <p class=class title=title>{text}</p> }
    })
}

/// The team's confirmation of the level, beside faisabilité on the qualification grid: the pre-assessment, the
/// level confirmed (preselected on the pre-assessment) and the override reason a "prohibited" one needs.
#[component]
pub fn AiActReviewFields(review: crate::domain::ai_act::review::AiActReview, answers: IntakeAnswers) -> impl IntoView {
    let pre = review.pre_assessed.unwrap_or(RiskLevel::Minimal);
    let assessment = assess(&answers.ai_act());
    // Nothing is confirmed until the team chooses: "À confirmer" stays checked.
    let selected = review.confirmed;
    let needs_override = pre == RiskLevel::Prohibited || !review.override_reason.is_empty();
    let hint = format!(
        "Pré-évaluation au dépôt : {}{}. Confirmez ce niveau, ou choisissez-en un autre si l'examen du cas le justifie ; la décision « qualifié » demande un niveau confirmé.",
        pre.label(),
        if assessment.grounds.is_empty() { String::new() } else { format!(" ({})", assessment.grounds.join(" ; ")) }
    );
    view! {
        <fieldset class="grid-line" aria-describedby="ai-act-pre">
            <legend>"Niveau AI Act confirmé par l'équipe"</legend>
            <p class="hint" id="ai-act-pre">{hint}</p>
            <div class="choice-row">
                <span class="choice">
                    <input type="radio" id="niveau-ai-act-a-confirmer" name="niveau_ai_act" value="" checked=selected.is_none()/>
                    <label for="niveau-ai-act-a-confirmer">"À confirmer"</label>
                </span>
                {[RiskLevel::Minimal, RiskLevel::Transparency, RiskLevel::HighRisk, RiskLevel::Prohibited].into_iter().map(|level| {
                    let id = format!("niveau-ai-act-{}", level.code());
                    let label = if level == pre { format!("{} (pré-évaluation)", level.label()) } else { level.label().to_string() };
                    view! {
                        <span class="choice">
                            <input type="radio" id=id.clone() name="niveau_ai_act" value=level.code() checked=Some(level) == selected/>
                            <label for=id>{label}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            {needs_override.then(|| view! {
                <div class="field">
                    <label for="derogation-ai-act">"Motif de dérogation"</label>
                    <p class="hint" id="derogation-ai-act-aide">"La pré-évaluation indique une pratique interdite (art. 5) : pour qualifier ce cas, dites pourquoi l'équipe l'écarte."</p>
                    <textarea id="derogation-ai-act" name="derogation_ai_act" rows="2" aria-describedby="derogation-ai-act-aide">{crate::components::textarea_text(&review.override_reason)}</textarea>
                </div>
            })}
        </fieldset>
    }
}
