//! What the parts of the board share: the filters as the URL holds them, the state every card reads, and the
//! notice of a refused move.

use leptos::prelude::*;

use crate::domain::board::{needs_input, KeyboardDrag, NeedsInput};
use crate::domain::stage::Stage;
use crate::endpoints::board::*;
use crate::error::AppError;
use crate::model::board::*;

/// The filters as the URL holds them.
pub type FilterKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A move waiting for its reason (and destination) in the dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingMove {
    pub reference: String,
    pub version: i64,
    pub from: Stage,
    pub to: Stage,
}

/// What every card of the board shares.
#[derive(Clone, Copy)]
pub struct BoardState {
    pub columns: RwSignal<Vec<ColumnView>>,
    pub can_move: bool,
    pub announcement: RwSignal<String>,
    pub keyboard: RwSignal<Option<KeyboardDrag>>,
    /// The column under the pointer while a card is dragged.
    pub pointer_target: RwSignal<Option<usize>>,
    pub dialog: RwSignal<Option<PendingMove>>,
    /// The moves asked from this page, sent to the server function `deplacer_cas`.
    pub action: Action<DeplacerCas, Result<MoveDone, AppError>>,
    /// The board's URL with its filters, for the forms posted without JavaScript.
    pub return_to: StoredValue<String>,
    pub filters: StoredValue<FilterKey>,
    /// How many cards each column shows (in the order of the columns).
    pub shown: StoredValue<Vec<u32>>,
    /// The cases moved from this page: they stay shown in their new column whatever their rank.
    pub kept: StoredValue<Vec<String>>,
}

impl BoardState {
    /// Reloads the cards (after a move, or a change elsewhere) without touching the focus.
    pub fn refresh(&self) {
        self.refresh_then(|| {});
    }

    /// Reloads the cards, then calls `done` once they are in place.
    pub fn refresh_then(&self, done: impl FnOnce() + 'static) {
        let (p, d, r, b, t) = self.filters.get_value();
        let (shown, kept) = (self.shown.get_value(), self.kept.get_value());
        let columns = self.columns;
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = tableau(p, d, r, b, t, Some(shown), Some(kept)).await {
                columns.set(fresh.columns);
                done();
            }
        });
    }

    /// Remembers a case moved from this page, so that it stays shown where it went.
    pub fn keep(&self, reference: &str) {
        self.kept.update_value(|kept| {
            kept.retain(|k| k != reference);
            kept.push(reference.to_string());
            if kept.len() > 20 {
                kept.remove(0);
            }
        });
    }

    pub fn sizes(&self) -> [usize; 6] {
        let mut sizes = [0; 6];
        self.columns.with_untracked(|columns| {
            for (index, column) in columns.iter().enumerate().take(6) {
                sizes[index] = column.cards.len();
            }
        });
        sizes
    }

    pub fn card(&self, reference: &str) -> Option<CardView> {
        self.columns.with_untracked(|columns| {
            columns
                .iter()
                .flat_map(|c| c.cards.iter())
                .find(|card| card.reference == reference)
                .cloned()
        })
    }

    /// Asks for a move: straight to the server when the gates need nothing more, through the dialog otherwise.
    pub fn request_move(&self, reference: &str, to: Stage) {
        let Some(card) = self.card(reference) else {
            return;
        };
        let from = card.stage;
        if from == to {
            return;
        }
        match needs_input(from, to) {
            NeedsInput::Nothing => {
                self.action.dispatch(DeplacerCas {
                    reference: card.reference,
                    version: card.version,
                    vers: to.code().to_string(),
                    raison: None,
                    destination: None,
                    retour: None,
                });
            }
            _ => self.dialog.set(Some(PendingMove {
                reference: card.reference,
                version: card.version,
                from,
                to,
            })),
        }
    }
}

pub fn filter_key(query: &leptos_router::params::ParamsMap) -> FilterKey {
    (
        query.get("periode"),
        query.get("domaine"),
        query.get("region"),
        query.get("brique"),
        query.get("texte"),
    )
}

/// The refusal of a move posted from the board's menu without JavaScript (it comes back in the address);
/// rendered by the server, outside the board's island.
#[component]
pub fn MoveRefusedWithoutJs() -> impl IntoView {
    let action = ServerAction::<DeplacerCas>::new();
    move || {
        action
            .value()
            .get()
            .and_then(|outcome| outcome.err())
            .map(refusal_notice)
    }
}

/// The French notice of a refused move, with the link to what would make it possible.
pub fn refusal_notice(error: AppError) -> AnyView {
    match error {
        AppError::Refused {
            message,
            remedy_href,
            remedy_label,
        } => view! {
            <div class="alert alert-error" role="alert">
                <p>{message}</p>
                {(!remedy_href.is_empty()).then(|| view! { <p><a href=remedy_href>{remedy_label}</a></p> })}
            </div>
        }
        .into_any(),
        error => view! { <div class="alert alert-error" role="alert"><p>{error.to_string()}</p></div> }.into_any(),
    }
}

/// How many cards each column shows, as the address says (`afficher-qualification=80`).
pub fn shown_of(query: &leptos_router::params::ParamsMap) -> Vec<u32> {
    let pairs: Vec<(String, String)> = crate::domain::board::COLUMNS
        .iter()
        .filter_map(|stage| {
            let key = crate::domain::board::shown_key(*stage);
            query.get(&key).map(|value| (key, value))
        })
        .collect();
    crate::domain::board::shown_from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The case a move without JavaScript just moved (in the address it comes back to): it stays shown.
pub fn kept_of(query: &leptos_router::params::ParamsMap) -> Vec<String> {
    query
        .get("deplace")
        .and_then(|r| crate::domain::reference::CaseReference::parse(&r))
        .map(|r| vec![r.to_string()])
        .unwrap_or_default()
}

/// The board's address with its filters and the columns that show more than their first page.
pub fn return_path(filters: &FilterKey, shown: &[u32]) -> String {
    let pairs: Vec<String> = [
        ("periode", &filters.0),
        ("domaine", &filters.1),
        ("region", &filters.2),
        ("brique", &filters.3),
        ("texte", &filters.4),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value
            .as_ref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{key}={}", crate::domain::text::encode_component(v)))
    })
    .chain(
        crate::domain::board::shown_pairs(shown)
            .into_iter()
            .map(|(key, value)| format!("{key}={value}")),
    )
    .collect();
    if pairs.is_empty() {
        "/equipe/tableau".into()
    } else {
        format!("/equipe/tableau?{}", pairs.join("&"))
    }
}
