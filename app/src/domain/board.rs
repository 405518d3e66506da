//! The board's rules that do not depend on the screen: which cards a filter keeps, how long a card has been in
//! its stage, and the keyboard drag (lift, move between columns and positions, drop, cancel) with the French
//! sentences announced to screen-reader users. The browser and the tests run the same code.

use super::stage::Stage;
use super::text::normalize;

/// The board's columns, left to right: the five stages, then the reoriented cases.
pub const COLUMNS: [Stage; 6] = [
    Stage::Remontee,
    Stage::Qualification,
    Stage::Cadrage,
    Stage::Conception,
    Stage::Diffusion,
    Stage::Reoriente,
];

pub fn column_index(stage: Stage) -> usize {
    COLUMNS.iter().position(|s| *s == stage).unwrap_or(0)
}

/// The column's heading: "1 Remontée" … and "Réorientés".
pub fn column_title(stage: Stage) -> String {
    match stage.number() {
        Some(number) => format!("{number} {}", stage.label()),
        None => "Réorientés".to_string(),
    }
}

/// The filters of the board, as they stand in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// A period id, "aucune" for the cases no period examines yet, or empty for all.
    pub periode: String,
    pub domaine: String,
    pub region: String,
    pub brique: String,
    pub texte: String,
}

/// What a filter looks at in a card.
pub struct FilterableCase<'a> {
    pub reference: &'a str,
    pub title: &'a str,
    pub collectivite_name: &'a str,
    pub domain: &'a str,
    pub region: &'a str,
    /// Comma-separated brick codes.
    pub briques: &'a str,
    pub period_id: Option<i64>,
}

impl BoardFilter {
    /// Reads the filter from the URL's query pairs; unknown keys are ignored and values are bounded.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> BoardFilter {
        let mut filter = BoardFilter::default();
        for (key, value) in pairs {
            let value: String = value.trim().chars().take(120).collect();
            match key {
                "periode" => filter.periode = value,
                "domaine" => filter.domaine = value,
                "region" => filter.region = value,
                "brique" => filter.brique = value,
                "texte" => filter.texte = value,
                _ => {}
            }
        }
        filter
    }

    /// The non-empty filters as URL query pairs, in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("periode", &self.periode),
            ("domaine", &self.domaine),
            ("region", &self.region),
            ("brique", &self.brique),
            ("texte", &self.texte),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (key, value.clone()))
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.to_pairs().is_empty()
    }

    pub fn matches(&self, case: &FilterableCase<'_>) -> bool {
        let period_ok = match self.periode.as_str() {
            "" => true,
            "aucune" => case.period_id.is_none(),
            id => id.parse::<i64>().ok().is_some_and(|id| case.period_id == Some(id)),
        };
        let text_ok = self.texte.is_empty() || {
            let wanted = normalize(&self.texte);
            let haystack = normalize(&format!("{} {} {}", case.reference, case.title, case.collectivite_name));
            wanted.split_whitespace().all(|word| haystack.contains(word))
        };
        period_ok
            && text_ok
            && (self.domaine.is_empty() || case.domain == self.domaine)
            && (self.region.is_empty() || case.region == self.region)
            && (self.brique.is_empty() || case.briques.split(',').any(|b| b == self.brique))
    }
}

/// Whole days since a case entered its stage.
pub fn days_in_stage(entered_at: i64, now: i64) -> i64 {
    ((now - entered_at) / 86_400).max(0)
}

/// "aujourd'hui", "depuis 1 jour", "depuis 12 jours".
pub fn days_label(days: i64) -> String {
    match days {
        0 => "entré aujourd'hui".to_string(),
        1 => "depuis 1 jour".to_string(),
        n => format!("depuis {n} jours"),
    }
}

/// A card lifted with the keyboard: where it came from and where it would land.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyboardDrag {
    pub reference: String,
    pub origin: usize,
    pub column: usize,
    /// Zero-based position in the target column.
    pub position: usize,
}

/// A key the keyboard drag understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DragKey {
    Lift,
    Left,
    Right,
    Up,
    Down,
    Drop,
    Cancel,
}

impl DragKey {
    /// The key of a `KeyboardEvent.key`, when lifted or not.
    pub fn from_key(key: &str, lifted: bool) -> Option<DragKey> {
        match key {
            " " | "Enter" | "Spacebar" => Some(if lifted { DragKey::Drop } else { DragKey::Lift }),
            "ArrowLeft" | "Left" if lifted => Some(DragKey::Left),
            "ArrowRight" | "Right" if lifted => Some(DragKey::Right),
            "ArrowUp" | "Up" if lifted => Some(DragKey::Up),
            "ArrowDown" | "Down" if lifted => Some(DragKey::Down),
            "Escape" | "Esc" if lifted => Some(DragKey::Cancel),
            _ => None,
        }
    }
}

/// What a key press did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DragStep {
    /// Still lifted (or just lifted), at the new place.
    Lifted(KeyboardDrag),
    /// Dropped: ask the server to move the case to this column.
    Dropped(KeyboardDrag),
    Cancelled(KeyboardDrag),
}

fn place(drag: &KeyboardDrag, sizes: &[usize; 6]) -> String {
    let stage = COLUMNS[drag.column];
    // In another column the card adds one place.
    let count = sizes[drag.column] + usize::from(drag.column != drag.origin);
    format!(
        "Colonne « {} », position {} sur {}.",
        column_title(stage),
        drag.position + 1,
        count.max(1)
    )
}

/// Applies one key to the keyboard drag. `sizes` is the number of cards in each column now; `start` is where
/// the card stands (column, position) when it is lifted.
pub fn drag_key(
    current: Option<&KeyboardDrag>,
    reference: &str,
    start: (usize, usize),
    key: DragKey,
    sizes: &[usize; 6],
) -> Option<(DragStep, String)> {
    match (current, key) {
        (None, DragKey::Lift) => {
            let drag = KeyboardDrag {
                reference: reference.to_string(),
                origin: start.0,
                column: start.0,
                position: start.1,
            };
            let text = format!(
                "Carte {} soulevée. {} Flèches gauche et droite pour changer d'étape, haut et bas pour changer de position, Espace ou Entrée pour déposer, Échap pour annuler.",
                reference,
                place(&drag, sizes)
            );
            Some((DragStep::Lifted(drag), text))
        }
        (Some(drag), DragKey::Left | DragKey::Right) => {
            let column = if key == DragKey::Left {
                drag.column.checked_sub(1)?
            } else if drag.column + 1 < COLUMNS.len() {
                drag.column + 1
            } else {
                return None;
            };
            let moved = KeyboardDrag {
                column,
                position: if column == drag.origin { 0 } else { sizes[column] },
                ..drag.clone()
            };
            let text = place(&moved, sizes);
            Some((DragStep::Lifted(moved), text))
        }
        (Some(drag), DragKey::Up | DragKey::Down) => {
            let count = sizes[drag.column] + usize::from(drag.column != drag.origin);
            let position = if key == DragKey::Up {
                drag.position.checked_sub(1)?
            } else if drag.position + 1 < count {
                drag.position + 1
            } else {
                return None;
            };
            let moved = KeyboardDrag {
                position,
                ..drag.clone()
            };
            let text = place(&moved, sizes);
            Some((DragStep::Lifted(moved), text))
        }
        (Some(drag), DragKey::Drop) => {
            let text = if drag.column == drag.origin {
                format!(
                    "Carte {} déposée à sa place, dans « {} ».",
                    drag.reference,
                    column_title(COLUMNS[drag.column])
                )
            } else {
                format!(
                    "Carte {} déposée dans « {} ». Enregistrement…",
                    drag.reference,
                    column_title(COLUMNS[drag.column])
                )
            };
            Some((DragStep::Dropped(drag.clone()), text))
        }
        (Some(drag), DragKey::Cancel) => {
            let text = format!(
                "Déplacement annulé. La carte {} reste dans « {} ».",
                drag.reference,
                column_title(COLUMNS[drag.origin])
            );
            Some((DragStep::Cancelled(drag.clone()), text))
        }
        _ => None,
    }
}

/// The sentence announced once the server moved a card.
pub fn moved_announcement(reference: &str, to: Stage) -> String {
    format!("Carte {reference} déplacée dans « {} ».", column_title(to))
}

/// The sentence announced when the server refused a move.
pub fn refused_announcement(reference: &str, message: &str) -> String {
    format!("Déplacement de la carte {reference} refusé : {message}")
}

/// The move a "Déplacer" menu entry or a drop asks for, and whether it needs a reason (and a destination).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeedsInput {
    Nothing,
    Reason,
    ReasonAndDestination,
}

/// What a move from `from` to `to` asks of the person before it is sent.
pub fn needs_input(from: Stage, to: Stage) -> NeedsInput {
    if to == Stage::Reoriente {
        return NeedsInput::ReasonAndDestination;
    }
    match (from.number(), to.number()) {
        (Some(a), Some(b)) if b > a => NeedsInput::Nothing,
        _ => NeedsInput::Reason,
    }
}

/// The next and previous stages of the pipeline.
pub fn next_stage(stage: Stage) -> Option<Stage> {
    let n = stage.number()?;
    Stage::PIPELINE.get(n as usize).copied()
}

pub fn previous_stage(stage: Stage) -> Option<Stage> {
    let n = stage.number()?;
    (n >= 2).then(|| Stage::PIPELINE[n as usize - 2])
}

/// How many parties validated the cadrage in force, as its card's badge says it ("1/3"); the parties' lines are
/// behind it.
pub fn signatures_summary(validated: usize) -> String {
    format!("{validated}/{}", super::cadrage::Party::ALL.len())
}

/// What a card at the cadrage stage says of the version in force: each party in the document's order, who
/// validated it and how they were identified (`(party, signatory, how)`), or that it has not yet. Empty when no
/// party validated, so that most cards stay light.
pub fn signature_lines(validated: &[(super::cadrage::Party, String, String)]) -> Vec<String> {
    if validated.is_empty() {
        return Vec::new();
    }
    super::cadrage::Party::ALL
        .into_iter()
        .map(|party| match validated.iter().find(|(p, _, _)| *p == party) {
            Some((_, signatory, how)) => format!("{} : validé par {signatory} ({how})", party.label()),
            None => format!("{} : pas encore validé", party.label()),
        })
        .collect()
}

/// Cards a column shows at first; each « Afficher plus » adds as many. A screen shows five or six cards of a
/// column and a person scans its first ones (the longest waiting): rendering 2,500 cards made the board slow for
/// everyone (measured in Chromium by `scripts/bench/board-browser.mjs`).
pub const CARDS_PER_PAGE: u32 = 20;
/// The most cards one column shows at once (the list of cases, `/equipe/cas`, shows every case).
pub const MOST_CARDS_SHOWN: u32 = 2_000;

/// The address parameter of a column's count of cards shown: `afficher-qualification`.
pub fn shown_key(stage: Stage) -> String {
    format!("afficher-{}", stage.code())
}

/// How many cards a column shows for the count its address asks: whole pages, at least one, at most
/// [`MOST_CARDS_SHOWN`]; no count (or an unreadable one) is the first page.
pub fn shown_count(requested: Option<u32>) -> u32 {
    let asked = requested.unwrap_or(CARDS_PER_PAGE).clamp(1, MOST_CARDS_SHOWN);
    asked
        .div_ceil(CARDS_PER_PAGE)
        .saturating_mul(CARDS_PER_PAGE)
        .min(MOST_CARDS_SHOWN)
}

/// The counts of cards shown by column, in the order of [`COLUMNS`], from the address's query pairs.
pub fn shown_from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u32> {
    let mut shown = vec![CARDS_PER_PAGE; COLUMNS.len()];
    for (key, value) in pairs {
        if let Some(index) = COLUMNS.iter().position(|stage| shown_key(*stage) == key) {
            shown[index] = shown_count(value.trim().parse().ok());
        }
    }
    shown
}

/// The query pairs of the columns that show more than their first page, for links that keep them.
pub fn shown_pairs(shown: &[u32]) -> Vec<(String, String)> {
    COLUMNS
        .iter()
        .zip(shown)
        .filter(|(_, count)| **count > CARDS_PER_PAGE)
        .map(|(stage, count)| (shown_key(*stage), count.to_string()))
        .collect()
}

/// The counts once a column shows one more page.
pub fn one_more_page(shown: &[u32], column: usize) -> Vec<u32> {
    let mut more = shown.to_vec();
    if let Some(count) = more.get_mut(column) {
        *count = shown_count(Some(count.saturating_add(CARDS_PER_PAGE)));
    }
    more
}

/// The column's link to its next cards: "Afficher 20 cas de plus (1 480 non affichés)".
pub fn more_label(shown: usize, total: usize) -> String {
    let hidden = total.saturating_sub(shown);
    let next = hidden.min(CARDS_PER_PAGE as usize);
    let more = if next == 1 {
        "le dernier cas".to_string()
    } else if next == hidden {
        format!("les {next} derniers cas")
    } else {
        format!("{next} cas de plus")
    };
    format!(
        "Afficher {more} ({} non affiché{})",
        group(hidden),
        if hidden > 1 { "s" } else { "" }
    )
}

/// What a column says when it shows only some of its cards.
pub fn shown_summary(shown: usize, total: usize) -> String {
    format!(
        "{} cas affichés sur {} (les plus anciens à cette étape d'abord).",
        group(shown),
        group(total)
    )
}

/// What is announced once a column shows more cards.
pub fn more_announcement(stage: Stage, shown: usize, total: usize) -> String {
    format!(
        "Colonne « {} » : {} cas affichés sur {}.",
        column_title(stage),
        group(shown),
        group(total)
    )
}

fn group(n: usize) -> String {
    super::text::group_thousands(n as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::encode_component;

    fn case<'a>(period_id: Option<i64>) -> FilterableCase<'a> {
        FilterableCase {
            reference: "IAF-2026-0007",
            title: "Analyse des marchés publics",
            collectivite_name: "Métropole de Lyon",
            domain: "finances-achats",
            region: "Auvergne-Rhône-Alpes",
            briques: "vibe,agents",
            period_id,
        }
    }

    #[test]
    fn filters_read_from_the_url_and_back() {
        let filter = BoardFilter::from_pairs([("domaine", "urbanisme"), ("texte", " lyon "), ("autre", "x")]);
        assert_eq!(filter.domaine, "urbanisme");
        assert_eq!(filter.texte, "lyon");
        assert_eq!(
            filter.to_pairs(),
            vec![("domaine", "urbanisme".to_string()), ("texte", "lyon".to_string())]
        );
        assert!(BoardFilter::default().is_empty());
    }

    #[test]
    fn every_filter_keeps_only_matching_cards() {
        let all = BoardFilter::default();
        assert!(all.matches(&case(None)));
        let by = |f: BoardFilter| f.matches(&case(Some(3)));
        assert!(by(BoardFilter {
            domaine: "finances-achats".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            domaine: "urbanisme".into(),
            ..Default::default()
        }));
        assert!(by(BoardFilter {
            brique: "agents".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            brique: "application".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            region: "Bretagne".into(),
            ..Default::default()
        }));
        assert!(by(BoardFilter {
            periode: "3".into(),
            ..Default::default()
        }));
        assert!(!by(BoardFilter {
            periode: "aucune".into(),
            ..Default::default()
        }));
        assert!(BoardFilter {
            periode: "aucune".into(),
            ..Default::default()
        }
        .matches(&case(None)));
    }

    #[test]
    fn text_filter_ignores_accents_and_case_and_needs_every_word() {
        let f = |t: &str| {
            BoardFilter {
                texte: t.into(),
                ..Default::default()
            }
            .matches(&case(None))
        };
        assert!(f("MARCHES lyon"));
        assert!(f("iaf-2026-0007"));
        assert!(!f("marchés bordeaux"));
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_component("Île-de-France & co"), "%C3%8Ele-de-France%20%26%20co");
    }

    #[test]
    fn days_in_stage_counts_whole_days() {
        assert_eq!(days_in_stage(0, 86_399), 0);
        assert_eq!(days_in_stage(0, 3 * 86_400 + 5), 3);
        assert_eq!(days_in_stage(100, 0), 0);
        assert_eq!(days_label(1), "depuis 1 jour");
        assert_eq!(days_label(4), "depuis 4 jours");
    }

    #[test]
    fn keyboard_drag_lifts_moves_and_drops_with_announcements() {
        let sizes = [3, 2, 0, 0, 0, 0];
        let (step, text) = drag_key(None, "IAF-1", (0, 1), DragKey::Lift, &sizes).expect("lift");
        assert!(text.starts_with("Carte IAF-1 soulevée."));
        assert!(text.contains("position 2 sur 3"));
        let DragStep::Lifted(drag) = step else { panic!() };
        let (step, text) = drag_key(Some(&drag), "IAF-1", (0, 1), DragKey::Right, &sizes).expect("right");
        assert_eq!(text, "Colonne « 2 Qualification », position 3 sur 3.");
        let DragStep::Lifted(drag) = step else { panic!() };
        let (step, text) = drag_key(Some(&drag), "IAF-1", (0, 1), DragKey::Up, &sizes).expect("up");
        assert_eq!(text, "Colonne « 2 Qualification », position 2 sur 3.");
        let DragStep::Lifted(drag) = step else { panic!() };
        assert!(drag_key(Some(&drag), "IAF-1", (0, 1), DragKey::Down, &sizes).is_some());
        let (step, text) = drag_key(Some(&drag), "IAF-1", (0, 1), DragKey::Drop, &sizes).expect("drop");
        assert!(matches!(step, DragStep::Dropped(ref d) if d.column == 1));
        assert!(text.contains("déposée dans « 2 Qualification »"));
    }

    #[test]
    fn keyboard_drag_stops_at_the_edges_and_cancels() {
        let sizes = [1, 0, 0, 0, 0, 0];
        let (DragStep::Lifted(drag), _) = drag_key(None, "IAF-1", (0, 0), DragKey::Lift, &sizes).expect("lift") else {
            panic!()
        };
        assert!(drag_key(Some(&drag), "IAF-1", (0, 0), DragKey::Left, &sizes).is_none());
        assert!(drag_key(Some(&drag), "IAF-1", (0, 0), DragKey::Up, &sizes).is_none());
        assert!(drag_key(Some(&drag), "IAF-1", (0, 0), DragKey::Down, &sizes).is_none());
        let (step, text) = drag_key(Some(&drag), "IAF-1", (0, 0), DragKey::Cancel, &sizes).expect("cancel");
        assert!(matches!(step, DragStep::Cancelled(_)));
        assert_eq!(text, "Déplacement annulé. La carte IAF-1 reste dans « 1 Remontée ».");
        let far = KeyboardDrag { column: 5, ..drag };
        assert!(drag_key(Some(&far), "IAF-1", (0, 0), DragKey::Right, &sizes).is_none());
    }

    #[test]
    fn keys_map_to_drag_actions() {
        assert_eq!(DragKey::from_key(" ", false), Some(DragKey::Lift));
        assert_eq!(DragKey::from_key("Enter", true), Some(DragKey::Drop));
        assert_eq!(DragKey::from_key("ArrowLeft", false), None);
        assert_eq!(DragKey::from_key("Escape", true), Some(DragKey::Cancel));
    }

    #[test]
    fn moves_back_and_reorientations_ask_for_a_reason() {
        assert_eq!(needs_input(Stage::Remontee, Stage::Qualification), NeedsInput::Nothing);
        assert_eq!(needs_input(Stage::Cadrage, Stage::Qualification), NeedsInput::Reason);
        assert_eq!(
            needs_input(Stage::Qualification, Stage::Reoriente),
            NeedsInput::ReasonAndDestination
        );
        assert_eq!(needs_input(Stage::Reoriente, Stage::Qualification), NeedsInput::Reason);
        assert_eq!(next_stage(Stage::Remontee), Some(Stage::Qualification));
        assert_eq!(next_stage(Stage::Diffusion), None);
        assert_eq!(previous_stage(Stage::Remontee), None);
        assert_eq!(previous_stage(Stage::Cadrage), Some(Stage::Qualification));
        assert_eq!(column_title(Stage::Reoriente), "Réorientés");
    }

    #[test]
    fn a_cadrage_card_names_each_party_and_how_its_signatory_was_identified() {
        use crate::domain::cadrage::Party;
        assert!(signature_lines(&[]).is_empty(), "no validation: nothing on the card");
        assert_eq!(signatures_summary(1), "1/3");
        let lines = signature_lines(&[(
            Party::Collectivite,
            "Julien Bernard".into(),
            "en son nom, identifié·e par ProConnect, eidas1".into(),
        )]);
        assert_eq!(
            lines,
            vec![
                "La collectivité : validé par Julien Bernard (en son nom, identifié·e par ProConnect, eidas1)",
                "La Caisse des Dépôts : pas encore validé",
                "Le prestataire technique : pas encore validé",
            ]
        );
    }
    #[test]
    fn a_column_shows_whole_pages_within_bounds() {
        assert_eq!(CARDS_PER_PAGE, 20);
        assert_eq!(shown_count(None), 20);
        assert_eq!(shown_count(Some(0)), 20);
        assert_eq!(shown_count(Some(21)), 40);
        assert_eq!(shown_count(Some(60)), 60);
        assert_eq!(shown_count(Some(u32::MAX)), MOST_CARDS_SHOWN);
    }

    #[test]
    fn the_address_says_how_many_cards_each_column_shows() {
        let shown = shown_from_pairs([
            ("afficher-qualification", "40"),
            ("afficher-reoriente", "n'importe quoi"),
            ("afficher-inconnue", "400"),
            ("texte", "120"),
        ]);
        assert_eq!(shown, vec![20, 40, 20, 20, 20, 20]);
        assert_eq!(
            shown_pairs(&shown),
            vec![("afficher-qualification".to_string(), "40".to_string())]
        );
        let more = one_more_page(&shown, 1);
        assert_eq!(more, vec![20, 60, 20, 20, 20, 20]);
        assert_eq!(one_more_page(&more, 9), more);
    }

    #[test]
    fn the_more_link_says_what_it_adds_and_what_stays_hidden() {
        assert_eq!(
            more_label(20, 1_500),
            "Afficher 20 cas de plus (1\u{202f}480 non affichés)"
        );
        assert_eq!(more_label(20, 35), "Afficher les 15 derniers cas (15 non affichés)");
        assert_eq!(more_label(20, 21), "Afficher le dernier cas (1 non affiché)");
        assert_eq!(
            shown_summary(20, 1_500),
            "20 cas affichés sur 1\u{202f}500 (les plus anciens à cette étape d'abord)."
        );
        assert_eq!(
            more_announcement(Stage::Qualification, 40, 1_500),
            "Colonne « 2 Qualification » : 40 cas affichés sur 1\u{202f}500."
        );
    }
}
