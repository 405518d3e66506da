//! The team's exports outside the Leptos pages: the cases and the decision trail as CSV, and a cadrage version
//! as OpenDocument text. Each asks for a signed-in account.

use app::domain::csv;
use app::server::context::now;
use app::store::{CaseStore, PeriodStore};
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
    let viewer = match signed_in.viewer(&state).await {
        Ok(viewer) => viewer,
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
    for case in viewer.keep_visible(cases) {
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
    let viewer = match signed_in.viewer(&state).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    // The cases the account may see, to keep only their lines.
    let visible: std::collections::HashSet<String> = match state.store.case_summaries().await {
        Ok(cases) => viewer
            .keep_visible(cases)
            .into_iter()
            .map(|case| case.reference)
            .collect(),
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
    for entry in trail.into_iter().filter(|entry| visible.contains(&entry.reference)) {
        let event = entry.event;
        body.push_str(&csv::line(&[
            entry.reference,
            format_paris(event.created_at),
            event.actor.clone(),
            describe_event(event.kind, event.from_stage, event.to_stage),
            label(event.from_stage),
            label(event.to_stage),
            event.detail.stored(),
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
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Cette version du document de cadrage n'existe pas.",
        )
            .into_response()
    };
    let visible = match signed_in.case(&state, &reference).await {
        Ok(visible) => visible,
        Err(response) if response.status() == StatusCode::NOT_FOUND => return not_found(),
        Err(response) => return response,
    };
    let (case, project) = match tokio::join!(state.store.case_detail(&visible), state.store.project(&visible)) {
        (Ok(Some(case)), Ok(Some(project))) => (case, project),
        (Ok(_), Ok(_)) => return not_found(),
        (Err(error), _) | (_, Err(error)) => return unavailable(error),
    };
    let Some(document) = cadrage_document(&case, &project, number) else {
        return not_found();
    };
    let bytes = crate::odt::write_odt(&document);
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

/// Version `number` of the case's cadrage document as OpenDocument blocks: its heading, the sections and fields
/// the cadrage page shows (`app::endpoints::cadrage::sections`), and the validations of that version.
fn cadrage_document(
    case: &app::store::case::CaseDetail,
    project: &app::store::case::Project,
    number: i64,
) -> Option<crate::odt::OdtDocument> {
    use crate::odt::{OdtBlock, OdtDocument};
    use app::domain::dates::{format_paris, format_paris_date};
    let version = project.versions.iter().find(|v| v.number == number)?;
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
    for section in app::endpoints::cadrage::sections(&version.document) {
        blocks.push(OdtBlock::Heading {
            level: 2,
            text: section.title,
        });
        for field in section.fields {
            blocks.push(OdtBlock::Heading {
                level: 3,
                text: field.label,
            });
            let items = version.document.lines(&field.key);
            blocks.push(match field.kind.as_str() {
                "lines" if !items.is_empty() => OdtBlock::Bullets(items),
                _ if field.kind != "lines" && !field.display.is_empty() => OdtBlock::Paragraph(field.display),
                _ => OdtBlock::Paragraph("Non renseigné".into()),
            });
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
    blocks.push(if rows.is_empty() {
        OdtBlock::Paragraph("Aucune partie n'a encore validé cette version.".into())
    } else {
        OdtBlock::Table {
            header: vec!["Partie".into(), "Signataire".into(), "Date".into()],
            rows,
        }
    });
    Some(OdtDocument {
        title: format!("Document de cadrage {} — version {}", case.summary.reference, number),
        running_header: format!("{} — document de cadrage, version {}", case.summary.reference, number),
        blocks,
    })
}
