//! The programme team's board: five stage columns and the reoriented cases, filters in the URL, and three ways
//! to move a card under one rule set (pointer drag from the handle, the "Déplacer" menu, keyboard drag), with
//! French announcements in one live region and live updates from the other boards. Without JavaScript the
//! menu's forms and the move page do everything.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use crate::board::*;
use crate::components::LoadError;
use crate::domain::board::{
    column_title, days_label, drag_key, moved_announcement, needs_input, next_stage, previous_stage,
    refused_announcement, DragKey, DragStep, KeyboardDrag, NeedsInput, COLUMNS,
};
use crate::domain::collectivites::group_thousands;
use crate::domain::gates::Destination;
use crate::domain::referentiel::{label_of, BRIQUES, DOMAINES};
use crate::domain::stage::Stage;
use crate::error::AppError;

/// The filters as the URL holds them.
type FilterKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A move waiting for its reason (and destination) in the dialog.
#[derive(Clone, Debug, PartialEq)]
struct PendingMove {
    reference: String,
    version: i64,
    from: Stage,
    to: Stage,
}

/// What every card of the board shares.
#[derive(Clone, Copy)]
struct BoardState {
    columns: RwSignal<Vec<ColumnView>>,
    can_move: bool,
    announcement: RwSignal<String>,
    keyboard: RwSignal<Option<KeyboardDrag>>,
    /// The column under the pointer while a card is dragged.
    pointer_target: RwSignal<Option<usize>>,
    dialog: RwSignal<Option<PendingMove>>,
    /// The moves asked from this page, sent to the server function `deplacer_cas`.
    action: Action<DeplacerCas, Result<MoveDone, AppError>>,
    /// The board's URL with its filters, for the forms posted without JavaScript.
    return_to: StoredValue<String>,
    filters: StoredValue<FilterKey>,
}

impl BoardState {
    /// Reloads the cards (after a move, or a change elsewhere) without touching the focus.
    fn refresh(&self) {
        let (p, d, r, b, t) = self.filters.get_value();
        let columns = self.columns;
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = tableau(p, d, r, b, t).await {
                columns.set(fresh.columns);
            }
        });
    }

    fn sizes(&self) -> [usize; 6] {
        let mut sizes = [0; 6];
        self.columns.with_untracked(|columns| {
            for (index, column) in columns.iter().enumerate().take(6) {
                sizes[index] = column.cards.len();
            }
        });
        sizes
    }

    fn card(&self, reference: &str) -> Option<CardView> {
        self.columns.with_untracked(|columns| {
            columns
                .iter()
                .flat_map(|c| c.cards.iter())
                .find(|card| card.reference == reference)
                .cloned()
        })
    }

    /// Asks for a move: straight to the server when the gates need nothing more, through the dialog otherwise.
    fn request_move(&self, reference: &str, to: Stage) {
        let Some(card) = self.card(reference) else {
            return;
        };
        let from = Stage::from_code(&card.stage_code).unwrap_or(Stage::Remontee);
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

fn filter_key(query: &leptos_router::params::ParamsMap) -> FilterKey {
    (
        query.get("periode"),
        query.get("domaine"),
        query.get("region"),
        query.get("brique"),
        query.get("texte"),
    )
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    let board = Resource::new(move || query.with(filter_key), |(p, d, r, b, t)| tableau(p, d, r, b, t));
    let moved_without_js = move || {
        let query = query.read();
        let reference = query.get("deplace")?;
        let stage = Stage::from_code(&query.get("vers")?)?;
        Some(moved_announcement(&reference, stage))
    };
    view! {
        <Title text="Tableau des cas d'usage"/>
        <p><a href="/equipe">"← Espace équipe"</a></p>
        <h1>"Tableau des cas d'usage"</h1>
        {move || moved_without_js().map(|text| view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })}
        <MoveRefusedWithoutJs/>
        <Transition fallback=|| view! { <p role="status">"Chargement du tableau…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <Board board filters=query.with_untracked(filter_key)/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The refusal of a move posted from the board's menu without JavaScript (it comes back in the address);
/// rendered by the server, outside the board's island.
#[component]
fn MoveRefusedWithoutJs() -> impl IntoView {
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
fn refusal_notice(error: AppError) -> AnyView {
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

fn return_path(filters: &FilterKey) -> String {
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
            .map(|v| format!("{key}={}", crate::domain::board::encode_component(v)))
    })
    .collect();
    if pairs.is_empty() {
        "/equipe/tableau".into()
    } else {
        format!("/equipe/tableau?{}", pairs.join("&"))
    }
}

/// The filters, the columns and the move dialog: everything that changes in the browser. An island, the only
/// part of the board's page that is hydrated.
#[island]
fn Board(board: BoardView, filters: FilterKey) -> impl IntoView {
    let state = BoardState {
        columns: RwSignal::new(board.columns),
        can_move: board.can_move,
        announcement: RwSignal::new(String::new()),
        keyboard: RwSignal::new(None),
        pointer_target: RwSignal::new(None),
        dialog: RwSignal::new(None),
        action: Action::new(|input: &DeplacerCas| input.clone().run_on_client()),
        return_to: StoredValue::new(return_path(&filters)),
        filters: StoredValue::new(filters.clone()),
    };
    provide_context(state);
    let focus_after = RwSignal::new(None::<(String, String)>);
    // The outcome of a move made on this page (JavaScript on).
    Effect::new(move |_| {
        let Some(outcome) = state.action.value().get() else {
            return;
        };
        match outcome {
            Ok(done) => {
                let to = Stage::from_code(&done.stage_code).unwrap_or(Stage::Remontee);
                state.announcement.set(moved_announcement(&done.reference, to));
                focus_after.set(Some((done.reference, done.stage_code)));
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
                    .any(|c| c.stage_code == stage && c.cards.iter().any(|card| card.reference == reference))
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
    view! {
        <FilterForm periods=board.periods regions=board.regions filters=filters.clone()/>
        <p class="board-count">
            {if shown == total { format!("{total} cas d'usage.") } else { format!("{shown} cas d'usage sur {total} correspondent aux filtres.") }}
            " "<a href="/equipe/export/cas.csv">"Exporter les cas (CSV)"</a>
            " · "<a href="/equipe/export/decisions.csv">"Exporter l'historique des décisions (CSV)"</a>
        </p>
        {state.can_move.then(|| view! {
            <p class="hint" id="aide-glisser">
                "Pour déplacer une carte au clavier : placez-vous sur sa poignée, Espace ou Entrée pour la soulever, "
                "flèches gauche et droite pour changer d'étape, haut et bas pour changer de position, Espace ou Entrée pour la déposer, Échap pour annuler. "
                "Le menu « Déplacer » de chaque carte offre les mêmes déplacements."
            </p>
        })}
        <p class="board-status" role="status" aria-live="polite" aria-atomic="true">{move || state.announcement.get()}</p>
        <div class="notice-slot">{refusal}</div>
        <div class="board" aria-label="Tableau des cinq étapes" role="region">
            {COLUMNS.iter().enumerate().map(|(index, stage)| view! { <Column index stage=*stage/> }).collect_view()}
        </div>
        <MoveDialog/>
    }
    .into_any()
}

#[component]
fn FilterForm(periods: Vec<FilterOption>, regions: Vec<String>, filters: FilterKey) -> impl IntoView {
    let (periode, domaine, region, brique, texte) = filters;
    let selected = |current: &Option<String>, value: &str| current.as_deref() == Some(value);
    view! {
        <form method="get" action="/equipe/tableau" class="board-filters" role="search" aria-label="Filtrer le tableau">
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
                <a href="/equipe/tableau" class="button button-secondary">"Réinitialiser"</a>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn Column(index: usize, stage: Stage) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let heading_id = format!("colonne-{}", stage.code());
    let labelled_by = heading_id.clone();
    let count = move || state.columns.with(|c| c.get(index).map(|c| c.cards.len()).unwrap_or(0));
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
                <span class="column-count">{move || format!("{} cas", count())}</span>
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
        </section>
    }
    .into_any()
}

#[component]
fn Card(card: CardView) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let stage = Stage::from_code(&card.stage_code).unwrap_or(Stage::Remontee);
    let reference = card.reference.clone();
    let lifted = {
        let reference = reference.clone();
        move || {
            state
                .keyboard
                .with(|k| k.as_ref().is_some_and(|k| k.reference == reference))
        }
    };
    let class = {
        let lifted = lifted.clone();
        move || if lifted() { "card is-lifted" } else { "card" }
    };
    let on_key = {
        let reference = reference.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let current = state.keyboard.get_untracked();
            let Some(key) = DragKey::from_key(&event.key(), current.is_some()) else {
                return;
            };
            event.prevent_default();
            let sizes = state.sizes();
            let start = state.columns.with_untracked(|columns| {
                columns
                    .iter()
                    .enumerate()
                    .find_map(|(c, column)| {
                        column
                            .cards
                            .iter()
                            .position(|card| card.reference == reference)
                            .map(|p| (c, p))
                    })
                    .unwrap_or((0, 0))
            });
            let Some((step, text)) = drag_key(current.as_ref(), &reference, start, key, &sizes) else {
                return;
            };
            state.announcement.set(text);
            match step {
                DragStep::Lifted(drag) => state.keyboard.set(Some(drag)),
                DragStep::Cancelled(_) => state.keyboard.set(None),
                DragStep::Dropped(drag) => {
                    state.keyboard.set(None);
                    if drag.column != drag.origin {
                        state.request_move(&reference, COLUMNS[drag.column]);
                    }
                }
            }
        }
    };
    let on_blur = {
        let reference = reference.clone();
        move |_| {
            if let Some(drag) = state.keyboard.get_untracked().filter(|d| d.reference == reference) {
                state.keyboard.set(None);
                state.announcement.set(format!(
                    "Déplacement annulé. La carte {} reste dans « {} ».",
                    drag.reference,
                    column_title(COLUMNS[drag.origin])
                ));
            }
        }
    };
    let on_pointer_down = {
        let reference = reference.clone();
        move |event: leptos::ev::PointerEvent| client::pointer_down(&event, &reference, state)
    };
    let handle_label = format!("Déplacer la carte {} (glisser)", card.reference);
    let card_id = format!("carte-{}", card.reference);
    let title_id = format!("titre-{}", card.reference);
    let labelled_by = title_id.clone();
    let kind = card.collectivite_kind.clone();
    view! {
        <li class="card-item">
            <article class=class id=card_id data-reference=card.reference.clone() aria-labelledby=labelled_by>
                <div class="card-top">
                    {state.can_move.then(|| view! {
                        <button type="button" class="card-handle" data-handle=reference.clone()
                            aria-label=handle_label aria-describedby="aide-glisser"
                            aria-pressed=move || if lifted() { "true" } else { "false" }
                            on:keydown=on_key on:blur=on_blur on:pointerdown=on_pointer_down>
                            <span aria-hidden="true">"⠿"</span>
                        </button>
                    })}
                    <a class="card-reference" href=format!("/equipe/cas/{}", card.reference)>{card.reference.clone()}</a>
                </div>
                <h3 class="card-title" id=title_id>{card.title.clone()}</h3>
                <p class="card-meta">{format!("{} ({kind}), {}", card.collectivite_name, card.region)}</p>
                <p class="card-meta">{label_of(DOMAINES, &card.domain).to_string()}</p>
                <dl class="card-figures">
                    <div><dt>"Agents"</dt><dd>{group_thousands(card.agents)}</dd></div>
                    <div><dt>"Heures/an"</dt><dd>{group_thousands(card.hours_saved_per_year)}</dd></div>
                </dl>
                {card.portage_missing.then(|| view! { <p class="badge badge-alert">"Portage incomplet"</p> })}
                {card.decision.clone().map(|d| view! { <p class="badge">{format!("Décision : {d}")}</p> })}
                <p class="card-meta">{card.period_name.clone().unwrap_or_else(|| "Aucune période planifiée".into())}</p>
                <p class="card-meta">{days_label(card.days_in_stage)}</p>
                {state.can_move.then(|| view! { <MoveMenu card=card.clone() stage/> })}
            </article>
        </li>
    }
    .into_any()
}

#[component]
fn MoveMenu(card: CardView, stage: Stage) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let menu_label = format!(" la carte {}", card.reference);
    let next_form = (card.reference.clone(), card.version);
    let move_page = format!("/equipe/cas/{}/deplacer", card.reference);
    let (card_reference, card_version) = (card.reference.clone(), card.version);
    let dialog_link = move |to: Option<Stage>, label: String| {
        let href = match to {
            Some(to) => format!("{move_page}?vers={}", to.code()),
            None => move_page.clone(),
        };
        let reference = card_reference.clone();
        let version = card_version;
        view! {
            <li>
                <a href=href on:click=move |event: leptos::ev::MouseEvent| {
                    event.prevent_default();
                    let target = to.unwrap_or_else(|| next_stage(stage).or(previous_stage(stage)).unwrap_or(Stage::Qualification));
                    state.dialog.set(Some(PendingMove { reference: reference.clone(), version, from: stage, to: target }));
                }>{label}</a>
            </li>
        }
    };
    let next = next_stage(stage);
    let previous = previous_stage(stage);
    view! {
        <details class="move-menu">
            <summary>"Déplacer"<span class="visually-hidden">{menu_label}</span></summary>
            <ul>
                {next.map(|next| {
                    let next_reference = next_form.0.clone();
                    view! {
                    <li>
                        <form method="post" action={DeplacerCas::url()} on:submit=move |event: leptos::ev::SubmitEvent| {
                            event.prevent_default();
                            state.action.dispatch(DeplacerCas {
                                reference: next_reference.clone(),
                                version: next_form.1,
                                vers: next.code().to_string(),
                                raison: None,
                                destination: None,
                                retour: None,
                            });
                        }>
                            <input type="hidden" name="reference" value=next_form.0.clone()/>
                            <input type="hidden" name="version" value=next_form.1/>
                            <input type="hidden" name="vers" value=next.code()/>
                            <input type="hidden" name="retour" value=state.return_to.get_value()/>
                            <button type="submit" class="link-button">{format!("Étape suivante : {}", column_title(next))}</button>
                        </form>
                    </li>
                }})}
                {previous.map(|previous| dialog_link(Some(previous), format!("Étape précédente : {}…", column_title(previous))))}
                {(stage == Stage::Reoriente).then(|| dialog_link(Some(Stage::Qualification), "Reprendre en qualification…".to_string()))}
                {dialog_link(None, "Déplacer vers…".to_string())}
                {(stage == Stage::Qualification).then(|| dialog_link(Some(Stage::Reoriente), "Réorienter…".to_string()))}
            </ul>
        </details>
    }
    .into_any()
}

/// The fields of a move that needs a reason (and a destination): shared by the board's dialog and the move
/// page used without JavaScript.
#[component]
fn MoveFields(from: Stage, to: RwSignal<Stage>, id_prefix: &'static str) -> impl IntoView {
    let targets: Vec<Stage> = COLUMNS.iter().copied().filter(|s| *s != from).collect();
    let select_id = format!("{id_prefix}-vers");
    let reason_id = format!("{id_prefix}-raison");
    let reason_hint = format!("{id_prefix}-raison-aide");
    view! {
        <div class="field">
            <label for=select_id.clone()>"Étape de destination"</label>
            <select id=select_id name="vers" on:change=move |event| {
                if let Some(stage) = Stage::from_code(&event_target_value(&event)) { to.set(stage) }
            }>
                {targets.into_iter().map(|s| view! {
                    <option value=s.code() selected=move || to.get() == s>{column_title(s)}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=reason_id.clone()>"Raison"</label>
            <p class="hint" id=reason_hint.clone()>"Obligatoire pour un retour en arrière et pour une réorientation (5 caractères au moins)."</p>
            <textarea id=reason_id name="raison" rows="3" aria-describedby=reason_hint></textarea>
        </div>
        <fieldset class="field" hidden=move || to.get() != Stage::Reoriente>
            <legend>"Destination de la réorientation"</legend>
            {[Destination::Ingenierie, Destination::GuichetCofinancement].into_iter().map(|d| {
                let id = format!("{id_prefix}-destination-{}", d.code());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="destination" value=d.code()/>
                        <label for=id>{d.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// The move page's fields: an island, so that choosing "Réorienté" shows the choice of destination at once.
#[island]
fn MovePageFields(from: String, to: String) -> impl IntoView {
    let from = Stage::from_code(&from).unwrap_or(Stage::Remontee);
    let to = RwSignal::new(Stage::from_code(&to).unwrap_or(Stage::Qualification));
    view! { <MoveFields from to id_prefix="deplacer"/> }
}

#[component]
fn MoveDialog() -> impl IntoView {
    let state = expect_context::<BoardState>();
    let target = RwSignal::new(Stage::Qualification);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(pending) = state.dialog.get() {
            target.set(pending.to);
            client::focus_first_field("dialogue-deplacer");
        }
    });
    let close = move || {
        if let Some(pending) = state.dialog.get_untracked() {
            state.dialog.set(None);
            client::focus_handle(&pending.reference);
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(pending) = state.dialog.get_untracked() else {
            return;
        };
        let (reason, destination) = client::reason_and_destination(form_ref);
        state.dialog.set(None);
        state.action.dispatch(DeplacerCas {
            reference: pending.reference.clone(),
            version: pending.version,
            vers: target.get_untracked().code().to_string(),
            raison: Some(reason),
            destination,
            retour: None,
        });
        client::focus_handle(&pending.reference);
    };
    move || {
        state.dialog.get().map(|pending| {
            view! {
                <div class="dialog-backdrop">
                    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialogue-deplacer-titre" id="dialogue-deplacer"
                        on:keydown=move |event: leptos::ev::KeyboardEvent| if event.key() == "Escape" { event.prevent_default(); close() }>
                        <h2 id="dialogue-deplacer-titre">{format!("Déplacer la carte {}", pending.reference)}</h2>
                        <p>{format!("Étape actuelle : {}.", column_title(pending.from))}</p>
                        <form node_ref=form_ref on:submit=submit novalidate=true>
                            <MoveFields from=pending.from to=target id_prefix="dialogue"/>
                            <div class="form-actions">
                                <button type="submit" class="button button-primary">"Confirmer le déplacement"</button>
                                <button type="button" class="button button-secondary" on:click=move |_| close()>"Annuler"</button>
                            </div>
                        </form>
                    </div>
                </div>
            }
        })
    }
}

/// `/equipe/cas/<référence>/deplacer`: the move form on its own page (the "Déplacer" menu without JavaScript).
#[component]
pub fn MovePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let case = Resource::new(reference, crate::team::dossier_equipe);
    let action = ServerAction::<DeplacerCas>::new();
    // The same notice as on the board, without the link back to this very page.
    let problem = move || {
        action
            .value()
            .get()
            .and_then(|outcome| outcome.err())
            .map(|error| match error {
                AppError::Refused {
                    message,
                    remedy_href,
                    remedy_label,
                } if remedy_href.ends_with("/deplacer") => refusal_notice(AppError::Refused {
                    message,
                    remedy_href: String::new(),
                    remedy_label,
                }),
                error => refusal_notice(error),
            })
    };
    view! {
        <p><a href="/equipe/tableau">"← Tableau"</a></p>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let from = Stage::from_code(&case.summary.stage_code).unwrap_or(Stage::Remontee);
                        let wanted = query.with_untracked(|q| q.get("vers")).and_then(|c| Stage::from_code(&c))
                            .filter(|s| *s != from)
                            .or_else(|| next_stage(from))
                            .or_else(|| previous_stage(from))
                            .unwrap_or(Stage::Qualification);
                        view! {
                            <Title text=format!("Déplacer {}", case.summary.reference)/>
                            <h1>{format!("Déplacer la carte {}", case.summary.reference)}</h1>
                            <p class="lead">{case.summary.title.clone()}</p>
                            <p>{format!("Étape actuelle : {}.", column_title(from))}</p>
                            <div class="notice-slot">{problem}</div>
                            {if case.can_act {
                                view! {
                                    <ActionForm action attr:novalidate=true attr:class="narrow-form">
                                        <input type="hidden" name="reference" value=case.summary.reference.clone()/>
                                        <input type="hidden" name="version" value=case.version/>
                                        <input type="hidden" name="retour" value="/equipe/tableau"/>
                                        <MovePageFields from=from.code().to_string() to=wanted.code().to_string()/>
                                        <div class="form-actions">
                                            <button type="submit" class="button button-primary">"Confirmer le déplacement"</button>
                                            <a class="button button-secondary" href="/equipe/tableau">"Annuler"</a>
                                        </div>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <p class="alert alert-error">"Votre rôle (lecture) ne permet pas de déplacer les cas."</p> }.into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    //! Browser-only behaviour of the board: pointer drag, focus placement, the dialog's fields and the stream of
    //! changes from the server.

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use super::BoardState;
    use crate::domain::board::COLUMNS;

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// Focuses the handle of a card once it is in the page (it may be re-rendered a moment later).
    pub fn focus_handle(reference: &str) {
        let selector = format!("[data-handle=\"{reference}\"]");
        let attempt = move || {
            document()
                .and_then(|d| d.query_selector(&selector).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                .map(|e| e.focus().is_ok())
                .unwrap_or(false)
        };
        leptos::task::spawn_local(async move {
            for _ in 0..20 {
                gloo_timers::future::TimeoutFuture::new(30).await;
                if attempt() {
                    return;
                }
            }
        });
    }

    pub fn focus_first_field(dialog_id: &'static str) {
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            if let Some(field) = document()
                .and_then(|d| d.query_selector(&format!("#{dialog_id} select")).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = field.focus();
            }
        });
    }

    pub fn reason_and_destination(form: NodeRef<leptos::html::Form>) -> (String, Option<String>) {
        let Some(form) = form.get_untracked() else {
            return (String::new(), None);
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return (String::new(), None);
        };
        let reason = data.get("raison").as_string().unwrap_or_default();
        let destination = data.get("destination").as_string().filter(|d| !d.is_empty());
        (reason, destination)
    }

    /// Listens to `/equipe/flux` and calls `refresh` for every change.
    pub fn listen_to_changes(refresh: impl Fn() + 'static) {
        let Ok(source) = web_sys::EventSource::new("/equipe/flux") else {
            return;
        };
        let on_change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_event: web_sys::MessageEvent| refresh());
        let _ = source.add_event_listener_with_callback("changement", on_change.as_ref().unchecked_ref());
        on_change.forget();
        // Lets end-to-end tests know the board listens.
        let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let _ = js_sys::Reflect::set(&leptos::prelude::window(), &"__iafLive".into(), &true.into());
        });
        let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
        on_open.forget();
        let source = StoredValue::new_local(source);
        on_cleanup(move || source.with_value(|s| s.close()));
    }

    /// The column under a point of the screen.
    fn column_at(x: f64, y: f64) -> Option<usize> {
        let document = document()?;
        let columns = document.query_selector_all("[data-column]").ok()?;
        (0..columns.length()).find_map(|i| {
            let element = columns.item(i)?.dyn_into::<web_sys::Element>().ok()?;
            let rect = element.get_bounding_client_rect();
            let inside = x >= rect.left() && x < rect.right() && y >= rect.top() && y < rect.bottom();
            if inside {
                element.get_attribute("data-column")?.parse().ok()
            } else {
                None
            }
        })
    }

    /// The drag of one card with a pointer: mouse and pen at once, touch after a hold of 400 ms.
    struct PointerDrag {
        start: (f64, f64),
        origin: usize,
        armed: bool,
        dragging: bool,
    }

    pub fn pointer_down(event: &web_sys::PointerEvent, reference: &str, state: BoardState) {
        if event.button() != 0 || state.keyboard.get_untracked().is_some() {
            return;
        }
        let Some(handle) = event
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let Some(card) = document().and_then(|d| d.get_element_by_id(&format!("carte-{reference}"))) else {
            return;
        };
        let Some(card) = card.dyn_into::<web_sys::HtmlElement>().ok() else {
            return;
        };
        let origin = card
            .closest("[data-column]")
            .ok()
            .flatten()
            .and_then(|c| c.get_attribute("data-column"))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let touch = event.pointer_type() == "touch";
        let _ = handle.set_pointer_capture(event.pointer_id());
        let drag = std::rc::Rc::new(std::cell::RefCell::new(PointerDrag {
            start: (event.client_x() as f64, event.client_y() as f64),
            origin,
            armed: !touch,
            dragging: false,
        }));
        if touch {
            let drag = drag.clone();
            let card = card.clone();
            gloo_timers::callback::Timeout::new(400, move || {
                drag.borrow_mut().armed = true;
                let _ = card.class_list().add_1("is-armed");
            })
            .forget();
        }
        let reset = {
            let card = card.clone();
            move || {
                let _ = card.style().remove_property("transform");
                let _ = card.class_list().remove_2("is-dragging", "is-armed");
                state.pointer_target.set(None);
            }
        };
        let on_move = {
            let drag = drag.clone();
            let card = card.clone();
            Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |event: web_sys::PointerEvent| {
                let mut drag = drag.borrow_mut();
                let (dx, dy) = (
                    event.client_x() as f64 - drag.start.0,
                    event.client_y() as f64 - drag.start.1,
                );
                if !drag.armed {
                    return;
                }
                if !drag.dragging && dx.hypot(dy) < 4.0 {
                    return;
                }
                drag.dragging = true;
                let _ = card.class_list().add_1("is-dragging");
                let _ = card
                    .style()
                    .set_property("transform", &format!("translate({dx}px, {dy}px)"));
                let target = column_at(event.client_x() as f64, event.client_y() as f64);
                state.pointer_target.set(target.filter(|t| *t != drag.origin));
            })
        };
        let on_up = {
            let drag = drag.clone();
            let reference = reference.to_string();
            let reset = reset.clone();
            Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |event: web_sys::PointerEvent| {
                let drag = drag.borrow();
                let target = column_at(event.client_x() as f64, event.client_y() as f64);
                reset();
                if drag.dragging {
                    if let Some(target) = target.filter(|t| *t != drag.origin) {
                        state.request_move(&reference, COLUMNS[target]);
                    }
                }
            })
        };
        let on_cancel = Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_event: web_sys::PointerEvent| reset());
        let _ = handle.add_event_listener_with_callback("pointermove", on_move.as_ref().unchecked_ref());
        // The listeners live for this one drag: removed on the first pointerup or pointercancel.
        let remove = {
            let handle = handle.clone();
            let on_move = on_move.as_ref().clone();
            let on_up_fn = on_up.as_ref().clone();
            let on_cancel_fn = on_cancel.as_ref().clone();
            move || {
                let _ = handle.remove_event_listener_with_callback("pointermove", on_move.unchecked_ref());
                let _ = handle.remove_event_listener_with_callback("pointerup", on_up_fn.unchecked_ref());
                let _ = handle.remove_event_listener_with_callback("pointercancel", on_cancel_fn.unchecked_ref());
            }
        };
        let remove_after_up = remove.clone();
        let cleanup_up =
            Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_e: web_sys::PointerEvent| remove_after_up());
        let cleanup_cancel = Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_e: web_sys::PointerEvent| remove());
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = handle.add_event_listener_with_callback("pointerup", on_up.as_ref().unchecked_ref());
        let _ = handle.add_event_listener_with_callback("pointercancel", on_cancel.as_ref().unchecked_ref());
        let _ = handle.add_event_listener_with_callback_and_add_event_listener_options(
            "pointerup",
            cleanup_up.as_ref().unchecked_ref(),
            &once,
        );
        let _ = handle.add_event_listener_with_callback_and_add_event_listener_options(
            "pointercancel",
            cleanup_cancel.as_ref().unchecked_ref(),
            &once,
        );
        on_move.forget();
        on_up.forget();
        on_cancel.forget();
        cleanup_up.forget();
        cleanup_cancel.forget();
    }
}

#[cfg(not(feature = "hydrate"))]
mod client {
    //! On the server the board has no browser behaviour.

    use leptos::prelude::*;

    use super::BoardState;

    pub fn focus_handle(_reference: &str) {}
    pub fn focus_first_field(_dialog_id: &'static str) {}
    pub fn reason_and_destination(_form: NodeRef<leptos::html::Form>) -> (String, Option<String>) {
        (String::new(), None)
    }
    pub fn listen_to_changes(_refresh: impl Fn() + 'static) {}
    pub fn pointer_down(_event: &leptos::ev::PointerEvent, _reference: &str, _state: BoardState) {}
}
