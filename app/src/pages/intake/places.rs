//! Where a wizard step shows what follows from its answers (step 3's estimate, the alerts of steps 4 and 5):
//! rendered by the server, kept up to date in the browser by `super::dom`.

/// The ids of step 3's estimate and of the alerts of steps 4 and 5.
pub const ESTIMATE_ID: &str = "estimation-heures";
pub const PORTAGE_ALERT_ID: &str = "alerte-portage";
pub const ENGAGED_ALERT_ID: &str = "alerte-stade-projet";

/// The estimate of step 3 as a sentence (or what it needs).
pub fn estimate_sentence(hours: Option<i64>) -> String {
    match hours {
        Some(hours) => crate::domain::impact::describe(hours),
        None => {
            "Renseignez les trois champs ci-dessus pour obtenir l'estimation des heures économisées par an.".to_string()
        }
    }
}
