//! The team's exports outside the Leptos pages: its tables (cases, decisions, deployments, usage reports,
//! indicators) as CSV, ODS or XLSX, and a cadrage version as OpenDocument text. Each asks for a signed-in account.

use app::store::CaseStore;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::{refusal, unavailable, SignedIn};
use crate::state::AppState;

/// `GET /equipe/export/{fichier}`: a table of `TeamExport` in a `SheetFormat` (`cas.csv`, `releves.ods`,
/// `indicateurs.xlsx`…), holding only what the account may see; any signed-in role.
pub async fn export_table(
    State(state): State<AppState>,
    signed_in: SignedIn,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some((export, format)) = app::routes::parse_team_export(&file) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Cet export n'existe pas : les exports sont listés sur le tableau de bord de l'équipe.",
        )
            .into_response();
    };
    let viewer = match signed_in.viewer(&state).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    let table = match super::tables::table(&state, &viewer, export).await {
        Ok(table) => table,
        Err(error) => return refusal(&error),
    };
    let bytes = match crate::sheets::write(&table, format) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, file, "export non écrit");
            return refusal(&app::error::AppError::Unavailable);
        }
    };
    let disposition = format!("attachment; filename=\"ia-factory-{file}\"");
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
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
