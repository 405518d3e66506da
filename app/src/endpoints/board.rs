//! The board's endpoints: the cards of the five stages (filtered) and a move of one case (gates, version, one
//! transaction). Every endpoint checks the session and the role on the server.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::board::{BoardView, MoveDone};
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::session;

/// The board's cards for any signed-in role, filtered as the URL says. `afficher` bounds the cards of each
/// column (in the order of the columns; every card without it, as the list of cases wants); the cases of
/// `garder` (moved from this page) stay shown beyond the bound.
#[server(endpoint = "equipe/tableau")]
pub async fn tableau(
    periode: Option<String>,
    domaine: Option<String>,
    region: Option<String>,
    brique: Option<String>,
    texte: Option<String>,
    afficher: Option<Vec<u32>>,
    garder: Option<Vec<String>>,
) -> Result<BoardView, AppError> {
    use crate::domain::board::{column_title, BoardFilter, FilterableCase, COLUMNS};
    use crate::domain::periods::period_for_case;
    use crate::model::board::ColumnView;
    let (account, viewer) = crate::server::access::require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let filter = BoardFilter::from_pairs([
        ("periode", periode.as_deref().unwrap_or_default()),
        ("domaine", domaine.as_deref().unwrap_or_default()),
        ("region", region.as_deref().unwrap_or_default()),
        ("brique", brique.as_deref().unwrap_or_default()),
        ("texte", texte.as_deref().unwrap_or_default()),
    ]);
    let (cases, periods, unread, validations) = tokio::join!(
        ctx.store.case_summaries(),
        ctx.store.periods(),
        ctx.store.unread_counts(account.id),
        ctx.store.validations_in_force()
    );
    let (cases, periods) = (cases?, periods?);
    let mut signatures = signatures_by_case(validations?);
    let unread: std::collections::HashMap<String, i64> = unread?.into_iter().collect();
    let cases = viewer.keep_visible(cases);
    let at = now();
    let mut regions: Vec<String> = cases.iter().map(|case| case.region.clone()).collect();
    regions.sort();
    regions.dedup();
    let total = cases.len() as i64;
    let mut columns: Vec<ColumnView> = COLUMNS
        .iter()
        .map(|stage| ColumnView {
            stage: *stage,
            title: column_title(*stage),
            cards: Vec::new(),
            total: 0,
            next: None,
        })
        .collect();
    let mut shown = 0;
    for case in cases {
        let period = period_for_case(case.filed_at, &periods);
        let keep = filter.matches(&FilterableCase {
            reference: &case.reference,
            title: &case.title,
            collectivite_name: &case.collectivite_name,
            domain: &case.domain,
            region: &case.region,
            briques: &case.briques,
            period_id: period.map(|p| p.id),
        });
        if !keep {
            continue;
        }
        shown += 1;
        let index = crate::domain::board::column_index(case.stage);
        let unread_count = unread.get(&case.reference).copied().unwrap_or_default();
        let period_name = period.map(|p| p.name.clone());
        let mut card = card_view(case, period_name, unread_count, at);
        if let Some((summary, lines)) = signatures.remove(&card.reference) {
            card.signatures_summary = summary;
            card.signatures = lines;
        }
        columns[index].cards.push(card);
    }
    // Longest waiting first in each column.
    for (index, column) in columns.iter_mut().enumerate() {
        column.cards.sort_by_key(|card| std::cmp::Reverse(card.days_in_stage));
        column.total = column.cards.len() as i64;
        if let Some(shown) = &afficher {
            let bound = crate::domain::board::shown_count(shown.get(index).copied()) as usize;
            keep_first(column, bound, garder.as_deref().unwrap_or_default());
        }
    }
    Ok(BoardView {
        columns,
        periods: period_options(&periods),
        regions,
        can_move: account.role.can_act_on_cases(),
        total,
        shown,
    })
}

/// Keeps the first `bound` cards of a column, and those of `kept` beyond it; notes the first card left out.
#[cfg(feature = "ssr")]
fn keep_first(column: &mut crate::model::board::ColumnView, bound: usize, kept: &[String]) {
    if column.cards.len() <= bound {
        return;
    }
    let is_kept = |reference: &str| kept.iter().take(50).any(|kept| kept == reference);
    column.next = column.cards[bound..]
        .iter()
        .find(|card| !is_kept(&card.reference))
        .map(|card| card.reference.clone());
    let mut index = 0;
    column.cards.retain(|card| {
        index += 1;
        index <= bound || is_kept(&card.reference)
    });
}

/// The lines each card at the cadrage stage shows of its validations in force, by reference.
#[cfg(feature = "ssr")]
fn signatures_by_case(
    validations: Vec<crate::store::cadrage::ValidationInForce>,
) -> std::collections::HashMap<String, (String, Vec<String>)> {
    let mut by_case: std::collections::HashMap<String, Vec<_>> = std::collections::HashMap::new();
    for v in validations {
        let how = v.identification.describe(&v.recorded_by);
        by_case
            .entry(v.reference)
            .or_default()
            .push((v.party, v.signatory, how));
    }
    by_case
        .into_iter()
        .map(|(reference, validated)| {
            let summary = crate::domain::board::signatures_summary(validated.len());
            (reference, (summary, crate::domain::board::signature_lines(&validated)))
        })
        .collect()
}

/// A card of the board: the case as the team scans it.
#[cfg(feature = "ssr")]
fn card_view(
    case: crate::store::case::CaseSummary,
    period_name: Option<String>,
    unread: i64,
    at: i64,
) -> crate::model::board::CardView {
    use crate::domain::collectivites::Kind;
    crate::model::board::CardView {
        period_name,
        days_in_stage: crate::domain::board::days_in_stage(case.stage_entered_at, at),
        stage: case.stage,
        collectivite_kind: Kind::from_code(&case.collectivite_kind)
            .map(|kind| kind.label().to_string())
            .unwrap_or_default(),
        decision: case.decision,
        ai_act_level: case.ai_act.level(),
        ai_act_confirmed: case.ai_act.confirmed.is_some(),
        avis: crate::domain::avis::avis_badge(case.avis_given, case.avis_requested),
        unread,
        portage_missing: !case.portage_missing.is_empty(),
        reference: case.reference,
        title: case.title,
        collectivite_name: case.collectivite_name,
        region: case.region,
        domain: case.domain,
        agents: case.agents,
        hours_saved_per_year: case.hours_saved_per_year,
        version: case.version,
        signatures_summary: String::new(),
        signatures: Vec::new(),
    }
}

/// The board's period filter: every relève period, and the cases planned in none.
#[cfg(feature = "ssr")]
fn period_options(periods: &[crate::domain::periods::Period]) -> Vec<crate::model::board::FilterOption> {
    use crate::model::board::FilterOption;
    let mut options: Vec<FilterOption> = periods
        .iter()
        .map(|p| FilterOption {
            value: p.id.to_string(),
            label: p.name.clone(),
        })
        .collect();
    options.push(FilterOption {
        value: "aucune".into(),
        label: "Aucune période planifiée".into(),
    });
    options
}

/// Only pages of the team may be returned to after a form post, and only by an address a `Location` header can
/// carry (no control character: the redirect would fail).
#[cfg(feature = "ssr")]
fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(path) if path.starts_with("/equipe/") && !path.starts_with("//") && !path.contains(char::is_control) => {
            path.chars().take(500).collect()
        }
        _ => "/equipe/tableau".into(),
    }
}

#[cfg(feature = "ssr")]
fn with_query(path: &str, pair: &str) -> String {
    let (base, fragment) = path.split_once('#').map_or((path, ""), |(b, f)| (b, f));
    let separator = if base.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    format!("{base}{separator}{pair}{fragment}")
}

/// Moves a case to another stage (roles admin and programme): the version the mover saw, the target stage,
/// and the reason (and destination) the gates ask for.
#[server(endpoint = "equipe/deplacer")]
pub async fn deplacer_cas(
    reference: String,
    version: i64,
    vers: String,
    raison: Option<String>,
    destination: Option<String>,
    retour: Option<String>,
) -> Result<MoveDone, AppError> {
    use crate::domain::gates::MAX_REASON_CHARS;
    use crate::domain::qualification::Destination;
    use crate::domain::stage::Stage;
    use crate::server::outcome::{written, Writing};
    use crate::store::case::MoveRequest;
    let (account, case) =
        crate::server::access::require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    let to = Stage::from_code(&vers).ok_or_else(|| AppError::Invalid("Étape de destination inconnue.".into()))?;
    let reason: String = crate::domain::text::clean_text(raison.as_deref().unwrap_or_default())
        .trim()
        .chars()
        .take(MAX_REASON_CHARS + 1)
        .collect();
    let destination = destination.as_deref().and_then(Destination::from_code);
    let request = MoveRequest {
        case: case.clone(),
        expected_version: version,
        to,
        reason: reason.clone(),
        destination,
        actor: account.name.clone(),
        mover_id: Some(account.id),
        notice: crate::domain::email::Notice::of_move(to, destination, &reason).map(crate::server::context::notice),
        now: now(),
    };
    let outcome = ctx.store.move_case(&request).await?;
    let version = written(outcome, case.as_str(), Writing::Board)?;
    let reference = case;
    if session::posted_without_javascript() {
        let back = safe_return(retour.as_deref());
        leptos_axum::redirect(&with_query(&back, &format!("deplace={reference}&vers={}", to.code())));
    }
    Ok(MoveDone {
        reference: reference.to_string(),
        stage: to,
        version,
    })
}
