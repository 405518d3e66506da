//! The team's live and exported views outside the Leptos pages: the server-sent events that tell open boards
//! a case changed, the CSV exports of the cases and of the decision trail, and a cadrage version as
//! OpenDocument text. Each checks the session.

use std::convert::Infallible;
use std::time::Duration;

use app::domain::csv;
use app::store::{Account, Store};
use app::team::session::{session_hash, token_from_headers};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

use crate::routes::AppState;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The account of the request's live session, if any.
pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Option<Account>, Response> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(None);
    };
    state
        .store
        .session_account(&session_hash(&token), now())
        .await
        .map_err(|error| {
            tracing::error!(cause = %error.0, "session check");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Le service est momentanément indisponible.",
            )
                .into_response()
        })
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Connectez-vous à l'espace équipe.",
    )
        .into_response()
}

/// How often a live stream checks that its session is still valid (sign-out, disabled account).
const SESSION_RECHECK: Duration = Duration::from_secs(30);

/// `GET /equipe/flux`: one `changement` event per changed case (JSON: reference, stage, version, actor).
pub async fn board_events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match signed_in(&state, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return unauthorized(),
        Err(response) => return response,
    }
    let token = token_from_headers(&headers).unwrap_or_default();
    let receiver = state.store.subscribe();
    let stream = futures::stream::unfold((receiver, state, token), |(mut receiver, state, token)| async move {
        loop {
            match tokio::time::timeout(SESSION_RECHECK, receiver.recv()).await {
                Ok(Ok(change)) => {
                    let data = serde_json::to_string(&change).unwrap_or_default();
                    let event = Event::default().event("changement").data(data);
                    return Some((Ok::<Event, Infallible>(event), (receiver, state, token)));
                }
                Ok(Err(RecvError::Lagged(_))) => {
                    let event = Event::default().event("changement").data("{\"reference\":\"*\"}");
                    return Some((Ok(event), (receiver, state, token)));
                }
                Ok(Err(RecvError::Closed)) => return None,
                Err(_elapsed) => {
                    let live = state.store.session_account(&session_hash(&token), now()).await;
                    if !matches!(live, Ok(Some(_))) {
                        return None;
                    }
                }
            }
        }
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

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

fn unavailable(error: app::store::StoreError) -> Response {
    tracing::error!(cause = %error.0, "export");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Le service est momentanément indisponible : réessayez dans quelques instants.",
    )
        .into_response()
}

/// `GET /equipe/export/cas.csv`: one line per case.
pub async fn export_cases(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use app::domain::board::days_in_stage;
    use app::domain::collectivites::Kind;
    use app::domain::dates::format_paris_date;
    use app::domain::qualification::period_for_case;
    use app::domain::referentiel::{label_of, BRIQUES, DOMAINES};
    match signed_in(&state, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return unauthorized(),
        Err(response) => return response,
    }
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
    for case in cases {
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
pub async fn export_trail(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use app::domain::dates::format_paris;
    use app::domain::stage::Stage;
    match signed_in(&state, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return unauthorized(),
        Err(response) => return response,
    }
    let trail = match state.store.decision_trail().await {
        Ok(trail) => trail,
        Err(error) => return unavailable(error),
    };
    let label = |code: &Option<String>| {
        code.as_deref()
            .and_then(Stage::from_code)
            .map(|s| s.label().to_string())
            .unwrap_or_default()
    };
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
    for entry in trail {
        let event = entry.event;
        body.push_str(&csv::line(&[
            entry.reference,
            format_paris(event.created_at),
            event.actor.clone(),
            app::team::describe_event(&event.kind, event.from_stage.as_deref(), event.to_stage.as_deref()),
            label(&event.from_stage),
            label(&event.to_stage),
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
    axum::extract::Path((reference, number)): axum::extract::Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    use crate::odt::{write_odt, OdtBlock, OdtDocument};
    use app::domain::cadrage::{display_value, FieldKind, SECTIONS};
    use app::domain::dates::{format_paris, format_paris_date};
    match signed_in(&state, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return unauthorized(),
        Err(response) => return response,
    }
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Cette version du document de cadrage n'existe pas.",
        )
            .into_response()
    };
    if reference.len() > 20 {
        return not_found();
    }
    let (case, follow_up) = match tokio::join!(state.store.case_detail(&reference), state.store.follow_up(&reference)) {
        (Ok(Some(case)), Ok(Some(follow_up))) => (case, follow_up),
        (Ok(_), Ok(_)) => return not_found(),
        (Err(error), _) | (_, Err(error)) => return unavailable(error),
    };
    let Some(version) = follow_up.versions.iter().find(|v| v.number == number) else {
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
    let rows: Vec<Vec<String>> = follow_up
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
