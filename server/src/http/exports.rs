//! The team's exports outside the Leptos pages: the cases and the decision trail as CSV, and a cadrage version
//! as OpenDocument text. Each asks for a signed-in account.

use app::domain::csv;
use app::domain::reference::CaseReference;
use app::server::context::now;
use app::store::{CaseStore, ProjectStore};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::{unavailable, SignedIn};
use crate::state::AppState;

fn csv_response(file_name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /equipe/export/cas.csv`: one line per case.
pub async fn export_cases(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    use app::domain::board::days_in_stage;
    use app::domain::collectivites::Kind;
    use app::domain::dates::format_paris_date;
    use app::domain::periods::period_for_case;
    use app::domain::referentiel::{label_of, BRIQUES, DOMAINES};
    let scope = match signed_in.scope(&state).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let (cases, periods) = match tokio::join!(state.store.case_summaries(), state.store.periods()) {
        (Ok(cases), Ok(periods)) => (cases, periods),
        (Err(error), _) | (_, Err(error)) => return unavailable(error),
    };
    let at = now();
    let mut body = String::from(csv::BOM);
    body.push_str(&csv::line(&[
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
    ]));
    for case in cases
        .into_iter()
        .filter(|case| scope.sees(&case.region, &case.reference))
    {
        let briques: Vec<&str> = case
            .briques
            .split(',')
            .filter(|b| !b.is_empty())
            .map(|b| label_of(BRIQUES, b))
            .collect();
        body.push_str(&csv::line(&[
            case.reference.clone(),
            case.title.clone(),
            case.collectivite_name.clone(),
            Kind::from_code(&case.collectivite_kind)
                .map(|k| k.label().to_string())
                .unwrap_or_default(),
            case.region.clone(),
            label_of(DOMAINES, &case.domain).to_string(),
            briques.join(", "),
            case.stage.label().to_string(),
            days_in_stage(case.stage_entered_at, at).to_string(),
            case.agents.to_string(),
            case.hours_saved_per_year.to_string(),
            if case.portage_missing.is_empty() { "non" } else { "oui" }.to_string(),
            period_for_case(case.filed_at, &periods)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            case.decision.map(|d| d.label().to_string()).unwrap_or_default(),
            format_paris_date(case.filed_at),
        ]));
    }
    csv_response("ia-factory-cas.csv", body)
}

/// `GET /equipe/export/decisions.csv`: every event of every case (moves, grids, validations), oldest first.
pub async fn export_trail(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    use app::domain::dates::format_paris;
    use app::domain::history::describe_event;
    use app::domain::stage::Stage;
    let scope = match signed_in.scope(&state).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    // The région of each case, to keep only the lines of the cases the account may see.
    let regions: std::collections::HashMap<String, String> = match state.store.case_summaries().await {
        Ok(cases) => cases.into_iter().map(|case| (case.reference, case.region)).collect(),
        Err(error) => return unavailable(error),
    };
    let trail = match state.store.decision_trail().await {
        Ok(trail) => trail,
        Err(error) => return unavailable(error),
    };
    let label = |stage: Option<Stage>| stage.map(|s| s.label().to_string()).unwrap_or_default();
    let mut body = String::from(csv::BOM);
    body.push_str(&csv::line(&[
        "reference",
        "date",
        "auteur",
        "action",
        "de",
        "vers",
        "detail",
    ]));
    let visible = |reference: &str| {
        regions
            .get(reference)
            .is_some_and(|region| scope.sees(region, reference))
    };
    for entry in trail.into_iter().filter(|entry| visible(&entry.reference)) {
        let event = entry.event;
        body.push_str(&csv::line(&[
            entry.reference,
            format_paris(event.created_at),
            event.actor.clone(),
            describe_event(event.kind, event.from_stage, event.to_stage),
            label(event.from_stage),
            label(event.to_stage),
            event.detail.clone(),
        ]));
    }
    csv_response("ia-factory-decisions.csv", body)
}

/// `GET /equipe/cas/{reference}/cadrage/{numero}/document.odt`: one version of the cadrage document as
/// OpenDocument text, the format the Référentiel général d'interopérabilité asks administrations to exchange
/// editable documents in (LibreOffice, Word and others open it). Any signed-in role.
pub async fn export_cadrage_odt(
    State(state): State<AppState>,
    signed_in: SignedIn,
    axum::extract::Path((reference, number)): axum::extract::Path<(String, i64)>,
) -> Response {
    use crate::odt::{write_odt, OdtBlock, OdtDocument};
    use app::domain::cadrage::{display_value, FieldKind, SECTIONS};
    use app::domain::dates::{format_paris, format_paris_date};
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Cette version du document de cadrage n'existe pas.",
        )
            .into_response()
    };
    let Some(reference) = CaseReference::parse(&reference) else {
        return not_found();
    };
    let (case, project) = match tokio::join!(
        state.store.case_detail(reference.as_str()),
        state.store.project(reference.as_str())
    ) {
        (Ok(Some(case)), Ok(Some(project))) => (case, project),
        (Ok(_), Ok(_)) => return not_found(),
        (Err(error), _) | (_, Err(error)) => return unavailable(error),
    };
    match signed_in.scope(&state).await {
        Ok(scope) if scope.sees(&case.summary.region, &case.summary.reference) => {}
        Ok(_) => return not_found(),
        Err(response) => return response,
    }
    let Some(version) = project.versions.iter().find(|v| v.number == number) else {
        return not_found();
    };
    let mut blocks = vec![
        OdtBlock::Heading {
            level: 1,
            text: format!("Document de cadrage tripartite : {}", case.summary.title),
        },
        OdtBlock::Paragraph(format!(
            "{} — {} ({}). Version {} enregistrée le {} par {}.",
            case.summary.reference,
            case.summary.collectivite_name,
            case.summary.region,
            version.number,
            format_paris(version.created_at),
            version.author
        )),
        OdtBlock::Paragraph(
            "Entre la collectivité, la Caisse des Dépôts et le prestataire technique, pour la réalisation du cas \
             d'usage dans le cadre de l'IA Factory du programme Territoires d'IA."
                .into(),
        ),
    ];
    for section in SECTIONS {
        blocks.push(OdtBlock::Heading {
            level: 2,
            text: section.title.to_string(),
        });
        for spec in section.fields {
            blocks.push(OdtBlock::Heading {
                level: 3,
                text: spec.label.to_string(),
            });
            match spec.kind {
                FieldKind::Lines => {
                    let items = version.document.lines(spec.key);
                    if items.is_empty() {
                        blocks.push(OdtBlock::Paragraph("Non renseigné".into()));
                    } else {
                        blocks.push(OdtBlock::Bullets(items));
                    }
                }
                _ => {
                    let value = display_value(spec, version.document.get(spec.key));
                    blocks.push(OdtBlock::Paragraph(if value.is_empty() {
                        "Non renseigné".into()
                    } else {
                        value
                    }));
                }
            }
        }
    }
    blocks.push(OdtBlock::Heading {
        level: 2,
        text: "Validations de cette version".into(),
    });
    let rows: Vec<Vec<String>> = project
        .validations
        .iter()
        .filter(|v| v.version == number)
        .map(|v| {
            vec![
                v.party.label().to_string(),
                v.signatory.clone(),
                format_paris_date(v.at),
            ]
        })
        .collect();
    if rows.is_empty() {
        blocks.push(OdtBlock::Paragraph(
            "Aucune partie n'a encore validé cette version.".into(),
        ));
    } else {
        blocks.push(OdtBlock::Table {
            header: vec!["Partie".into(), "Signataire".into(), "Date".into()],
            rows,
        });
    }
    let bytes = write_odt(&OdtDocument {
        title: format!("Document de cadrage {} — version {}", case.summary.reference, number),
        running_header: format!("{} — document de cadrage, version {}", case.summary.reference, number),
        blocks,
    });
    let disposition = format!(
        "attachment; filename=\"cadrage-{}-v{}.odt\"",
        case.summary.reference.to_lowercase(),
        number
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.oasis.opendocument.text".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
