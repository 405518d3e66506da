//! Step 1's choice of the collectivité: a search in the official list that shows its results as the person types
//! (an island inside the step's form, sharing the step's state), and the same search posted without JavaScript,
//! whose results the server finds before rendering the island.

use leptos::prelude::*;

use crate::components::WizardForm;
use crate::model::intake::CollectiviteChoice;

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

/// The collectivités to choose from, as radio buttons (the one chosen kept first when a new search misses it).
#[component]
fn CollectiviteOptions(
    options: Vec<CollectiviteChoice>,
    selected_key: String,
    chosen: RwSignal<Option<CollectiviteChoice>>,
) -> impl IntoView {
    let form = expect_context::<WizardForm>();
    view! {
        <div class="choices collectivite-choices">
            {options.into_iter().enumerate().map(|(index, option)| {
                let id = if index == 0 { "champ-collectivite".to_string() } else { format!("champ-collectivite-{index}") };
                let key = option.key.clone();
                let checked_key = key.clone();
                let picked = option.clone();
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="collectivite" value=key.clone()
                            checked=move || form.answers.with(|a| a.get("collectivite") == checked_key)
                            prop:checked=selected_key == key
                            on:change=move |_| {
                                // The answer first: the list drawn again for `chosen` shows it ticked.
                                form.set("collectivite", key.clone(), true);
                                chosen.set(Some(picked.clone()));
                            }/>
                        <label for=id>
                            <strong>{option.name}</strong>
                            <span class="choice-detail">{option.description}</span>
                        </label>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// The collectivité's fieldset: the search box, its button (the search posted without JavaScript), the error and
/// the results (`results`: those of the search posted, found by the server). In the browser the results follow
/// the typing (250 ms after the last key; a late answer to an older text is dropped) and Enter searches at once.
#[cfg_attr(island_CollectiviteSearch, island)]
#[cfg_attr(not(island_CollectiviteSearch), component)]
pub fn CollectiviteSearch(
    /// The collectivité already chosen.
    collectivite: Option<CollectiviteChoice>,
    /// The search typed before a search posted without JavaScript.
    search: String,
    results: Vec<CollectiviteChoice>,
) -> impl IntoView {
    let form = expect_context::<WizardForm>();
    // The search whose results are shown, and its results.
    let shown = RwSignal::new((search.clone(), results));
    let chosen = RwSignal::new(collectivite);
    #[cfg(feature = "hydrate")]
    let latest = StoredValue::new(0_u64);
    let run = move |q: String| {
        #[cfg(feature = "hydrate")]
        {
            latest.update_value(|n| *n += 1);
            let asked = latest.get_value();
            leptos::task::spawn_local(async move {
                let found = if q.trim().is_empty() {
                    Ok(Vec::new())
                } else {
                    crate::endpoints::intake::chercher_collectivites(q.clone()).await
                };
                if let Ok(found) = found {
                    if asked == latest.get_value() {
                        shown.set((q, found));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = q;
    };
    #[cfg(feature = "hydrate")]
    let debounce = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let on_search_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        #[cfg(feature = "hydrate")]
        {
            let timeout = gloo_timers::callback::Timeout::new(250, move || run(value));
            debounce.update_value(|slot| *slot = Some(timeout));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = value;
    };
    // Enter in the search box searches at once (without JavaScript it presses "Rechercher").
    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            run(event_target_value(&ev));
        }
    };
    let listed = move || {
        let (q, results) = shown.get();
        let count_text = search_count(&q, results.len());
        let mut options = results;
        if let Some(current) = chosen.get() {
            if !options.iter().any(|o| o.key == current.key) {
                options.insert(0, current);
            }
        }
        let selected_key = form.answers.with_untracked(|a| a.get("collectivite").to_string());
        view! {
            <p role="status" class="search-count">{count_text}</p>
            {(!options.is_empty()).then(|| view! { <CollectiviteOptions options selected_key chosen/> })}
        }
    };
    view! {
        <fieldset class="field" class:field-has-error=move || form.error_of("collectivite").is_some()>
            <legend>"Votre collectivité"</legend>
            <p class="hint" id="champ-recherche-aide">"Recherchez-la dans la liste officielle par son nom, son code postal, son code INSEE ou son SIREN, puis choisissez-la."</p>
            <div class="search-row">
                <label for="champ-recherche">"Rechercher une collectivité"</label>
                <input id="champ-recherche" name="recherche" type="search" value=search autocomplete="off"
                    aria-describedby="champ-recherche-aide" aria-controls="resultats" on:input=on_search_input
                    on:keydown=on_search_key/>
                <button type="submit" name="intention" value="chercher" class="button button-secondary" formnovalidate>"Rechercher"</button>
            </div>
            {move || form.error_of("collectivite").map(|message| view! {
                <p class="field-error-message" id="champ-collectivite-erreur"><span class="visually-hidden">"Erreur : "</span>{message}</p>
            })}
            <div id="resultats">{listed}</div>
        </fieldset>
    }
}
