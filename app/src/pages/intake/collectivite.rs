//! Step 1's choice of the collectivité: a search in the official list whose results the server renders, in the
//! page for a search posted without JavaScript and as a part the browser puts in place as the person types
//! (`super::live`): the step's WebAssembly holds none of these views.

use leptos::prelude::*;

use crate::components::{control_id, described_ids, FieldErrorLine, WizardForm};
use crate::model::intake::CollectiviteChoice;
#[cfg(feature = "ssr")]
use crate::model::intake::StepFragment;

/// Where the results go, and the live region that counts them (the browser reads these ids).
pub const RESULTS_ID: &str = "resultats";
pub const COUNT_ID: &str = "recherche-compte";
/// The search box.
pub const SEARCH_ID: &str = "champ-recherche";

/// What the search found, said to the person (empty before a search).
fn search_count(q: &str, found: usize) -> String {
    if q.trim().is_empty() {
        String::new()
    } else if found == 0 {
        format!(
            "Aucune collectivité ne correspond à « {} ». Vérifiez l'orthographe ou essayez le code postal.",
            q.trim()
        )
    } else if found == 1 {
        "1 collectivité trouvée.".to_string()
    } else {
        format!("{found} collectivités trouvées (les plus peuplées d'abord).")
    }
}

/// The collectivités to choose from, the one already chosen kept first (and ticked) when the search misses it.
fn listed(results: Vec<CollectiviteChoice>, chosen: Option<CollectiviteChoice>) -> (Vec<CollectiviteChoice>, String) {
    let mut options = results;
    let chosen_key = chosen.as_ref().map(|c| c.key.clone()).unwrap_or_default();
    if let Some(current) = chosen {
        if !options.iter().any(|o| o.key == current.key) {
            options.insert(0, current);
        }
    }
    (options, chosen_key)
}

/// The collectivités to choose from, as radio buttons.
#[component]
fn CollectiviteOptions(options: Vec<CollectiviteChoice>, chosen_key: String) -> impl IntoView {
    (!options.is_empty()).then(|| {
        view! {
            <div class="choices collectivite-choices">
                {options.into_iter().enumerate().map(|(index, option)| {
                    let id = if index == 0 { control_id("collectivite") } else { format!("{}-{index}", control_id("collectivite")) };
                    let checked = option.key == chosen_key;
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="collectivite" value=option.key checked=checked/>
                            <label for=id>
                                <strong>{option.name}</strong>
                                <span class="choice-detail">{option.description}</span>
                            </label>
                        </div>
                    }
                }).collect_view()}
            </div>
        }
    })
}

/// The results of a search as the browser puts them in place (`q`: the text searched; `results`: what it found;
/// `chosen`: the collectivité already chosen), with the sentence that counts them.
#[cfg(feature = "ssr")]
pub fn results_fragment(q: &str, results: Vec<CollectiviteChoice>, chosen: Option<CollectiviteChoice>) -> StepFragment {
    let announce = search_count(q, results.len());
    let (options, chosen_key) = listed(results, chosen);
    StepFragment {
        html: view! { <CollectiviteOptions options chosen_key/> }.to_html(),
        announce,
    }
}

/// The collectivité's fieldset: the search box, its button (the search posted without JavaScript), the error,
/// the sentence that counts the results and the results (`results`: those of the search posted, found by the
/// server). In the browser the results follow the typing (`super::live`).
#[component]
pub fn CollectiviteSearch(
    /// The collectivité already chosen.
    collectivite: Option<CollectiviteChoice>,
    /// The search typed before a search posted without JavaScript.
    search: String,
    results: Vec<CollectiviteChoice>,
) -> impl IntoView {
    let form = expect_context::<WizardForm>();
    let has_error = form.error_of("collectivite").is_some();
    let count = search_count(&search, results.len());
    let (options, chosen_key) = listed(results, collectivite);
    view! {
        <fieldset class="field" class:field-has-error=has_error data-champ="collectivite"
            aria-describedby=described_ids("collectivite", false, has_error)>
            <legend>"Votre collectivité"</legend>
            <p class="hint" id="champ-recherche-aide">"Recherchez-la dans la liste officielle par son nom, son code postal, son code INSEE ou son SIREN, puis choisissez-la."</p>
            <FieldErrorLine name="collectivite"/>
            <div class="search-row">
                <label for=SEARCH_ID>"Rechercher une collectivité"</label>
                <input id=SEARCH_ID name="recherche" type="search" value=search autocomplete="off"
                    aria-describedby="champ-recherche-aide" aria-controls=RESULTS_ID/>
                <button type="submit" name="intention" value="chercher" class="button button-secondary" formnovalidate>"Rechercher"</button>
            </div>
            <p role="status" class="search-count" id=COUNT_ID>{count}</p>
            <div id=RESULTS_ID><CollectiviteOptions options chosen_key/></div>
        </fieldset>
    }
}
