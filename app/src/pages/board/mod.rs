//! The programme team's board: five stage columns and the reoriented cases, filters in the URL, and three ways
//! to move a card under one rule set (pointer drag from the handle, the "Déplacer" menu, keyboard drag), with
//! French announcements in one live region and live updates from the other boards. Without JavaScript the
//! menu's forms and the move page do everything.

mod card;
mod client;
mod move_dialog;
mod move_page;
mod state;
mod table;

pub use move_page::MovePage;
pub use state::{filter_key, FilterKey};
pub use table::TeamCasesPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::components::LoadError;
use crate::domain::board::{
    column_title, more_label, moved_announcement, one_more_page, refused_announcement, shown_summary, COLUMNS,
};
use crate::domain::referentiel::{BRIQUES, DOMAINES};
use crate::domain::stage::Stage;
use crate::endpoints::board::*;
use crate::error::AppError;
use crate::model::board::*;

use card::Card;
use move_dialog::MoveDialog;
use state::*;

#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    let board = Resource::new(
        move || query.with(|q| (filter_key(q), shown_of(q), kept_of(q))),
        |((p, d, r, b, t), shown, kept)| tableau(p, d, r, b, t, Some(shown), Some(kept)),
    );
    let moved_without_js = move || {
        let query = query.read();
        // Only a well-formed reference is repeated: the address cannot make the notice say anything else.
        let reference = crate::domain::reference::CaseReference::parse(&query.get("deplace")?)?;
        let stage = Stage::from_code(&query.get("vers")?)?;
        Some(moved_announcement(&reference.to_string(), stage))
    };
    view! {
        <Title text="Tableau des cas d'usage"/>
        <h1>"Tableau des cas d'usage"</h1>
        {move || moved_without_js().map(|text| view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })}
        <MoveRefusedWithoutJs/>
        <Transition fallback=|| view! { <p role="status">"Chargement du tableau…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => {
                        let (filters, shown) = query.with_untracked(|q| (filter_key(q), shown_of(q)));
                        view! { <Board board filters shown/> }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <crate::components::SignInFirst/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
        <details class="board-disclosure">
            <summary>"Exporter les cas, les décisions, les indicateurs (CSV, ODS, XLSX)"</summary>
            <crate::components::exports::ExportLinks exports=&[
                crate::routes::TeamExport::Cases,
                crate::routes::TeamExport::Decisions,
                crate::routes::TeamExport::Indicators,
            ]/>
        </details>
    }
}

/// The filters, the columns and the move dialog: everything that changes in the browser. An island, the only
/// part of the board's page that is hydrated.
#[cfg_attr(island_Board, island)]
#[cfg_attr(not(island_Board), component)]
pub fn Board(board: BoardView, filters: FilterKey, shown: Vec<u32>) -> impl IntoView {
    let state = BoardState {
        columns: RwSignal::new(board.columns),
        can_move: board.can_move,
        announcement: RwSignal::new(String::new()),
        keyboard: RwSignal::new(None),
        pointer_target: RwSignal::new(None),
        dialog: RwSignal::new(None),
        action: Action::new(|input: &DeplacerCas| input.clone().run_on_client()),
        return_to: StoredValue::new(return_path(&filters, &shown)),
        filters: StoredValue::new(filters.clone()),
        shown: StoredValue::new(shown),
        kept: StoredValue::new(Vec::new()),
    };
    provide_context(state);
    let focus_after = RwSignal::new(None::<(String, Stage)>);
    // The outcome of a move made on this page (JavaScript on).
    Effect::new(move |_| {
        let Some(outcome) = state.action.value().get() else {
            return;
        };
        match outcome {
            Ok(done) => {
                state.keep(&done.reference);
                state.announcement.set(moved_announcement(&done.reference, done.stage));
                focus_after.set(Some((done.reference, done.stage)));
            }
            Err(error) => {
                let reference = state
                    .action
                    .input()
                    .with_untracked(|input| input.as_ref().map(|i| i.reference.clone()))
                    .unwrap_or_default();
                state
                    .announcement
                    .set(refused_announcement(&reference, &error.to_string()));
            }
        }
        state.refresh();
    });
    // After a move, the focus follows the card into its new column.
    Effect::new(move |_| {
        // Runs again whenever the cards change.
        state.columns.track();
        if let Some((reference, stage)) = focus_after.get_untracked() {
            let found = state.columns.with_untracked(|columns| {
                columns
                    .iter()
                    .any(|c| c.stage == stage && c.cards.iter().any(|card| card.reference == reference))
            });
            if found {
                focus_after.set(None);
                client::focus_handle(&reference);
            }
        }
    });
    // Changes made elsewhere reach this board within a second; the focus stays where it is.
    client::listen_to_changes(move || state.refresh());

    let refusal = move || {
        state
            .action
            .value()
            .get()
            .and_then(|outcome| outcome.err())
            .map(refusal_notice)
    };
    let shown = board.shown;
    let total = board.total;
    let active = {
        let (p, d, r, b, t) = &filters;
        [p, d, r, b, t]
            .iter()
            .filter(|f| f.as_deref().is_some_and(|v| !v.trim().is_empty()))
            .count()
    };
    view! {
        <div class="board-tools">
            <details class="board-disclosure" open={active > 0}>
                <summary>{if active == 0 { "Filtres".to_string() } else { format!("Filtres ({active} actif{})", if active > 1 { "s" } else { "" }) }}</summary>
                <FilterForm periods=board.periods regions=board.regions filters=filters.clone()/>
            </details>
            {state.can_move.then(|| view! {
                <details class="board-disclosure">
                    <summary>"Comment déplacer au clavier ?"</summary>
                    <p class="hint" id="aide-glisser">
                        "Pour déplacer une carte au clavier : placez-vous sur sa poignée, Espace ou Entrée pour la soulever, "
                        "flèches gauche et droite pour changer d'étape, haut et bas pour changer de position, Espace ou Entrée pour la déposer, Échap pour annuler. "
                        "Le menu « Déplacer » de chaque carte offre les mêmes déplacements."
                    </p>
                </details>
            })}
            <p class="board-count">
                {if shown == total { format!("{total} cas d'usage.") } else { format!("{shown} cas d'usage sur {total} correspondent aux filtres.") }}
            </p>
            <p class="board-status" role="status" aria-live="polite" aria-atomic="true">{move || state.announcement.get()}</p>
        </div>
        <nav class="column-switcher" aria-label="Aller à une colonne">
            <ul>
                {COLUMNS.iter().map(|stage| view! { <li><a href=format!("#colonne-{}", stage.code())>{column_title(*stage)}</a></li> }).collect_view()}
            </ul>
        </nav>
        <div class="notice-slot">{refusal}</div>
        <div class="board" aria-label="Tableau des cinq étapes" role="region">
            {COLUMNS.iter().enumerate().map(|(index, stage)| view! { <Column index stage=*stage/> }).collect_view()}
        </div>
        <MoveDialog/>
    }
    .into_any()
}

#[component]
pub fn FilterForm(
    periods: Vec<FilterOption>,
    regions: Vec<String>,
    filters: FilterKey,
    /// The page the filters apply to (the board, or the list of cases).
    #[prop(default = "/equipe/tableau")]
    action: &'static str,
) -> impl IntoView {
    let (periode, domaine, region, brique, texte) = filters;
    let selected = |current: &Option<String>, value: &str| current.as_deref() == Some(value);
    view! {
        <form method="get" action=action class="board-filters" role="search"
            aria-label=if action == "/equipe/tableau" { "Filtrer le tableau" } else { "Filtrer la liste des cas" }>
            <div class="field">
                <label for="filtre-texte">"Rechercher"</label>
                <input id="filtre-texte" name="texte" type="search" value=texte.clone().unwrap_or_default()
                    placeholder="Référence, titre, collectivité"/>
            </div>
            <div class="field">
                <label for="filtre-periode">"Période de relève"</label>
                <select id="filtre-periode" name="periode">
                    <option value="">"Toutes"</option>
                    {periods.into_iter().map(|p| view! { <option value=p.value.clone() selected=selected(&periode, &p.value)>{p.label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-domaine">"Domaine"</label>
                <select id="filtre-domaine" name="domaine">
                    <option value="">"Tous"</option>
                    {DOMAINES.iter().map(|d| view! { <option value=d.code selected=selected(&domaine, d.code)>{d.label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-region">"Région"</label>
                <select id="filtre-region" name="region">
                    <option value="">"Toutes"</option>
                    {regions.into_iter().map(|r| view! { <option value=r.clone() selected=selected(&region, &r)>{r.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-brique">"Brique technologique"</label>
                <select id="filtre-brique" name="brique">
                    <option value="">"Toutes"</option>
                    {BRIQUES.iter().map(|b| view! { <option value=b.code selected=selected(&brique, b.code)>{b.label}</option> }).collect_view()}
                </select>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Filtrer"</button>
                <a href=action class="button button-secondary">"Réinitialiser"</a>
            </div>
        </form>
    }
    .into_any()
}

#[component]
pub fn Column(index: usize, stage: Stage) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let heading_id = format!("colonne-{}", stage.code());
    let labelled_by = heading_id.clone();
    let count = move || state.columns.with(|c| c.get(index).map(|c| c.total).unwrap_or(0));
    let partial = move || {
        state.columns.with(|c| {
            c.get(index)
                .filter(|c| c.next.is_some())
                .map(|c| (c.cards.len(), c.total as usize, c.next.clone().unwrap_or_default()))
        })
    };
    let is_target = move || {
        state.pointer_target.get() == Some(index)
            || state
                .keyboard
                .with(|k| k.as_ref().is_some_and(|k| k.column == index && k.origin != index))
    };
    let class = move || {
        let mut class = String::from("board-column");
        if stage == Stage::Reoriente {
            class.push_str(" board-column-aside");
        }
        if is_target() {
            class.push_str(" is-drop-target");
        }
        class
    };
    view! {
        <section class=class data-column=index data-stage=stage.code() aria-labelledby=labelled_by>
            <h2 id=heading_id class="column-title">
                {column_title(stage)}
                <span class="column-count">{move || format!("{} cas", crate::domain::text::group_thousands(count()))}</span>
            </h2>
            {move || is_target().then(|| view! { <p class="drop-hint">"Déposer ici"</p> })}
            <ul class="card-list">
                <For
                    each=move || state.columns.with(|c| c.get(index).map(|c| c.cards.clone()).unwrap_or_default())
                    key=|card| (card.reference.clone(), card.version)
                    children=move |card| view! { <Card card/> }
                />
            </ul>
            {move || (count() == 0).then(|| view! { <p class="hint empty-column">"Aucun cas."</p> })}
            {move || partial().map(|(shown, total, next)| view! { <MoreCards index stage shown total next/> })}
        </section>
    }
    .into_any()
}

/// Under a column that shows only its first cards: how many, and the link to the next ones (a plain link
/// without JavaScript; with it, the cards come in place and the focus goes to the first new one).
#[component]
fn MoreCards(index: usize, stage: Stage, shown: usize, total: usize, next: String) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let more = one_more_page(&state.shown.get_value(), index);
    let href = format!("{}#carte-{next}", return_path(&state.filters.get_value(), &more));
    let described_by = format!("resume-{}", stage.code());
    view! {
        <p class="hint column-shown" id=described_by.clone()>{shown_summary(shown, total)}</p>
        <p class="column-more">
            <a href=href aria-describedby=described_by on:click=move |event: leptos::ev::MouseEvent| {
                // A new tab or window keeps the plain link.
                if event.ctrl_key() || event.meta_key() || event.shift_key() {
                    return;
                }
                event.prevent_default();
                show_more(state, index);
            }>{more_label(shown, total)}</a>
        </p>
    }
}

/// Shows one more page of a column's cards, then moves the focus to the first of them and says so.
fn show_more(state: BoardState, column: usize) {
    let Some(first_new) = state
        .columns
        .with_untracked(|c| c.get(column).and_then(|c| c.next.clone()))
    else {
        return;
    };
    let shown = crate::domain::board::one_more_page(&state.shown.get_value(), column);
    state.shown.set_value(shown.clone());
    let path = return_path(&state.filters.get_value(), &shown);
    state.return_to.set_value(path.clone());
    state.refresh_then(move || {
        client::replace_address(&path);
        let (count, total) = state.columns.with_untracked(|c| {
            c.get(column)
                .map(|c| (c.cards.len(), c.total as usize))
                .unwrap_or_default()
        });
        state.announcement.set(crate::domain::board::more_announcement(
            crate::domain::board::COLUMNS[column],
            count,
            total,
        ));
        client::focus_handle(&first_new);
    });
}
