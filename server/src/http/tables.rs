//! The team's tables (cases, decisions, deployments, usage reports, indicators) as typed cells, each holding
//! only what the viewer may see; `exports` writes them as CSV, ODS or XLSX.

use app::domain::access::Viewer;
use app::error::AppError;
use app::routes::TeamExport;
use app::server::context::now;
use app::store::{CaseStore, DeploymentStore, PeriodStore, StoreError};

use crate::sheets::{Cell, Table};
use crate::state::AppState;

/// The table `export` for `viewer`.
pub async fn table(state: &AppState, viewer: &Viewer, export: TeamExport) -> Result<Table, AppError> {
    Ok(match export {
        TeamExport::Cases => cases(state, viewer).await?,
        TeamExport::Decisions => decisions(state, viewer).await?,
        TeamExport::Deployments => deployments(state, viewer).await?,
        TeamExport::Reports => reports(state, viewer).await?,
        TeamExport::Indicators => indicators(state).await?,
    })
}

fn yes_no(value: bool) -> Cell {
    Cell::text(if value { "oui" } else { "non" })
}

/// One line per case the viewer may see.
async fn cases(state: &AppState, viewer: &Viewer) -> Result<Table, StoreError> {
    use app::domain::board::days_in_stage;
    use app::domain::collectivites::Kind;
    use app::domain::periods::period_for_case;
    use app::domain::referentiel::{label_of, BRIQUES, DOMAINES};
    let (cases, periods) = tokio::join!(state.store.case_summaries(), state.store.periods());
    let (cases, periods) = (cases?, periods?);
    let at = now();
    let rows = viewer
        .keep_visible(cases)
        .into_iter()
        .map(|case| {
            let briques: Vec<&str> = case
                .briques
                .split(',')
                .filter(|b| !b.is_empty())
                .map(|b| label_of(BRIQUES, b))
                .collect();
            vec![
                Cell::text(case.reference.clone()),
                Cell::text(case.title.clone()),
                Cell::text(case.collectivite_name.clone()),
                Cell::text(Kind::from_code(&case.collectivite_kind).map_or("", |k| k.label())),
                Cell::text(case.region.clone()),
                Cell::text(label_of(DOMAINES, &case.domain)),
                Cell::text(briques.join(", ")),
                Cell::text(case.stage.label()),
                Cell::Integer(days_in_stage(case.stage_entered_at, at)),
                Cell::Integer(case.agents),
                Cell::Integer(case.hours_saved_per_year),
                yes_no(!case.portage_missing.is_empty()),
                Cell::text(period_for_case(case.filed_at, &periods).map_or("", |p| p.name.as_str())),
                Cell::text(case.decision.map_or("", |d| d.label())),
                Cell::Date(case.filed_at),
            ]
        })
        .collect();
    Ok(Table {
        name: "Cas",
        header: vec![
            "reference",
            "titre",
            "collectivite",
            "type_collectivite",
            "region",
            "domaine",
            "briques",
            "etape",
            "jours_dans_etape",
            "agents_concernes",
            "heures_economisees_par_an",
            "portage_incomplet",
            "periode_de_releve",
            "decision",
            "depose_le",
        ],
        rows,
    })
}

/// Every event of every case the viewer may see (moves, grids, validations), oldest first.
async fn decisions(state: &AppState, viewer: &Viewer) -> Result<Table, StoreError> {
    use app::domain::history::describe_event;
    use app::domain::stage::Stage;
    let visible: std::collections::HashSet<String> = viewer
        .keep_visible(state.store.case_summaries().await?)
        .into_iter()
        .map(|case| case.reference)
        .collect();
    let trail = state.store.decision_trail().await?;
    let label = |stage: Option<Stage>| Cell::text(stage.map_or("", |s| s.label()));
    let rows = trail
        .into_iter()
        .filter(|entry| visible.contains(&entry.reference))
        .map(|entry| {
            let event = entry.event;
            vec![
                Cell::text(entry.reference),
                Cell::DateTime(event.created_at),
                Cell::text(event.actor.clone()),
                Cell::text(describe_event(event.kind, event.from_stage, event.to_stage)),
                label(event.from_stage),
                label(event.to_stage),
                Cell::text(event.detail.stored()),
            ]
        })
        .collect();
    Ok(Table {
        name: "Décisions",
        header: vec!["reference", "date", "auteur", "action", "de", "vers", "detail"],
        rows,
    })
}

/// The month cell of a month, empty without one.
fn month(value: Option<app::domain::deployments::Month>) -> Cell {
    value.map_or(Cell::Empty, |month| Cell::Month(month.year(), month.number()))
}

/// One line per deployment the viewer may see, with its latest report.
async fn deployments(state: &AppState, viewer: &Viewer) -> Result<Table, AppError> {
    use app::domain::deployments::{is_silent, Month};
    let list = app::server::access::visible_deployments(state.store.as_ref(), viewer).await?;
    let this_month = Month::of_instant(now());
    let rows = list
        .into_iter()
        .map(|d| {
            let silent = is_silent(d.status, d.reported_or_started(), this_month);
            vec![
                Cell::Integer(d.id),
                Cell::text(d.case_title.clone()),
                Cell::text(d.collectivite_name.clone()),
                Cell::text(d.region.clone()),
                Cell::text(d.kind.label()),
                Cell::text(d.status.label()),
                // A day number read at midnight UTC stays that day in Paris.
                d.status_day.map_or(Cell::Empty, |day| Cell::Date(day * 86_400)),
                month(d.in_service),
                month(d.stopped),
                Cell::text(d.stop_reason.clone()),
                yes_no(d.listed),
                Cell::integer_or_empty(d.vibe_agreed),
                Cell::text(d.recorded_by.clone()),
                month(d.latest.map(|latest| latest.month)),
                Cell::integer_or_empty(d.latest.map(|latest| latest.regular)),
                yes_no(silent),
                Cell::Date(d.created_at),
            ]
        })
        .collect();
    Ok(Table {
        name: "Déploiements",
        header: vec![
            "numero",
            "cas",
            "collectivite",
            "region",
            "type",
            "statut",
            "statut_depuis",
            "en_service_depuis",
            "arrete_depuis",
            "motif_arret",
            "affiche_au_catalogue",
            "sieges_vibe_convenus",
            "enregistre_par_l_equipe",
            "dernier_releve",
            "agents_reguliers_dernier_releve",
            "sans_releve_depuis_deux_mois",
            "cree_le",
        ],
        rows,
    })
}

/// One line per usage report of the deployments the viewer may see, each month once (its latest correction).
async fn reports(state: &AppState, viewer: &Viewer) -> Result<Table, AppError> {
    let grants = app::server::access::visible_deployment_grants(state.store.as_ref(), viewer).await?;
    let mut rows = Vec::new();
    for (grant, deployment) in grants {
        for report in state.store.usage_reports(&grant).await? {
            let measure = |figure: &app::domain::deployments::report::Figure| Cell::text(figure.measure.label());
            rows.push(vec![
                Cell::Integer(deployment.id),
                Cell::text(deployment.case_title.clone()),
                Cell::text(deployment.collectivite_name.clone()),
                Cell::Month(report.month.year(), report.month.number()),
                Cell::Integer(report.regular.value),
                measure(&report.regular),
                Cell::Integer(report.occasional.value),
                measure(&report.occasional),
                Cell::Integer(report.usagers.value),
                measure(&report.usagers),
                Cell::integer_or_empty(report.hours.map(|hours| hours.value)),
                report.hours.as_ref().map_or(Cell::Empty, measure),
                Cell::integer_or_empty(report.vibe.map(|(activated, _)| activated)),
                Cell::integer_or_empty(report.vibe.map(|(_, regular)| regular)),
                Cell::text(report.author.clone()),
                Cell::DateTime(report.updated_at),
                Cell::Integer(report.corrections),
            ]);
        }
    }
    Ok(Table {
        name: "Relevés",
        header: vec![
            "deploiement",
            "cas",
            "collectivite",
            "mois",
            "agents_reguliers",
            "mesure_agents_reguliers",
            "agents_occasionnels",
            "mesure_agents_occasionnels",
            "usagers_touches",
            "mesure_usagers",
            "heures_economisees",
            "mesure_heures",
            "sieges_vibe_actives",
            "utilisateurs_reguliers_vibe",
            "auteur",
            "enregistre_le",
            "corrections",
        ],
        rows,
    })
}

/// The indicators of `/programme` over time, as `/programme/indicateurs.csv` has them.
async fn indicators(state: &AppState) -> Result<Table, StoreError> {
    use app::domain::indicators::{indicator_lines, IndicatorValue, INDICATOR_COLUMNS};
    let evolution = super::open_data::programme_evolution(state).await?;
    let rows = indicator_lines(&evolution)
        .into_iter()
        .map(|line| {
            vec![
                Cell::Text(line.name),
                Cell::Text(line.period),
                Cell::Text(line.stage),
                match line.value {
                    IndicatorValue::Count(count) => Cell::Integer(count),
                    IndicatorValue::Days(days) => Cell::Decimal(days),
                    IndicatorValue::Text(text) => Cell::Text(text),
                },
            ]
        })
        .collect();
    Ok(Table {
        name: "Indicateurs",
        header: INDICATOR_COLUMNS.to_vec(),
        rows,
    })
}
