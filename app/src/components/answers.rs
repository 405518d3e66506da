//! The answers of one step of an intake, as a person reads them: used by the wizard's summary and by the
//! team's case page, so both show the same labels and values.

use leptos::prelude::*;

use crate::domain::impact;
use crate::domain::intake::{field, portage_alert, step_fields, FieldKind, IntakeAnswers};
use crate::domain::referentiel::{label_of, BRIQUES};
use crate::domain::text::group_thousands;
use crate::model::intake::CollectiviteChoice;

/// The value of a field in words.
pub fn display_value(answers: &IntakeAnswers, name: &str, collectivite: &Option<CollectiviteChoice>) -> String {
    let raw = answers.get(name).trim();
    if raw.is_empty() {
        return "Non renseigné".to_string();
    }
    match field(name).map(|spec| spec.kind) {
        Some(FieldKind::OneOf { list, .. }) => label_of(list, raw).to_string(),
        Some(FieldKind::Collectivite) => collectivite
            .as_ref()
            .map(|c| format!("{} — {}", c.name, c.description))
            .unwrap_or_else(|| raw.to_string()),
        Some(FieldKind::Integer { .. }) => answers
            .integer(name)
            .map(group_thousands)
            .unwrap_or_else(|| raw.to_string()),
        Some(FieldKind::Checkbox) => "Oui".to_string(),
        _ => raw.to_string(),
    }
}

/// The list of one step's answers, with the bricks (step 2), the estimate (step 3) and the portage alert
/// (step 4).
#[component]
pub fn StepAnswers(answers: IntakeAnswers, collectivite: Option<CollectiviteChoice>, step: i32) -> impl IntoView {
    let briques: Vec<&str> = answers
        .briques()
        .into_iter()
        .map(|code| label_of(BRIQUES, code))
        .collect();
    let estimate = answers.hours_saved_per_year();
    let alert = portage_alert(&answers.missing_portage());
    view! {
        <dl class="summary-list">
            {step_fields(step).filter(|spec| !spec.name.starts_with("brique_")).map(|spec| view! {
                <div><dt>{spec.label}</dt><dd>{display_value(&answers, spec.name, &collectivite)}</dd></div>
            }).collect_view()}
            {(step == 2).then(|| view! {
                <div><dt>"Briques technologiques"</dt><dd>{if briques.is_empty() { "Non renseigné".to_string() } else { briques.join(", ") }}</dd></div>
            })}
            {(step == 3).then(|| view! {
                <div><dt>"Estimation"</dt><dd>{estimate.map(impact::describe).unwrap_or_else(|| "Non calculable".to_string())}</dd></div>
            })}
        </dl>
        {(step == 4).then(|| alert.map(|text| view! { <p class="alert alert-warning">{text}</p> }))}
    }
}
