//! The catalogue as open data and for the web's conventions: `/catalogue.csv` and `/catalogue.json` (schema 1.2,
//! documented in `docs/catalogue-donnees-ouvertes.md`), the Atom feed of newly published cases, `sitemap.xml`
//! and `robots.txt`. Built only from published cases; nothing private is selected.

use app::domain::collectivites::Kind;
use app::domain::csv;
use app::domain::dates::{iso_date, iso_datetime};
use app::domain::deployments::usage::{case_summary, CaseSummary};
use app::domain::deployments::{Kind as DeploymentKind, Month, Status};
use app::domain::referentiel::{label_of, BRIQUES, DOMAINES, HEBERGEMENTS, TYPOLOGIES};
use app::domain::text::escape_markup;
use app::model::catalogue::PublicCaseDetail;
use app::model::deployments::Deployment;
use app::server::context::{now, Site};
use app::store::CatalogueStore;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::auth::unavailable;
use super::copies::{self, BuildError, Document, Sink};
use crate::state::AppState;

/// The version of the open-data schema; a change of a field's name or meaning makes a new major version.
pub const SCHEMA_VERSION: &str = "1.2";

fn respond(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// A public CSV download: its type, a file name and five minutes of cache.
pub(crate) fn csv_response(file_name: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ],
        body,
    )
        .into_response()
}

/// INSEE code and SIREN of the collectivité pionnière (an EPCI is identified by its SIREN only).
fn codes(detail: &PublicCaseDetail) -> (String, String) {
    if detail.case.collectivite_kind == Kind::Epci.code() {
        (String::new(), detail.collectivite_code.clone())
    } else {
        (detail.collectivite_code.clone(), detail.collectivite_siren.clone())
    }
}

/// The deployments of each published case (by slug), as open data tells them: every one counts in the
/// figures, only those that agreed to be listed are named.
pub(crate) struct PublishedDeployments {
    by_case: std::collections::HashMap<String, Vec<Deployment>>,
    this_month: Month,
}

impl PublishedDeployments {
    pub(crate) async fn read(state: &AppState) -> Result<PublishedDeployments, app::store::StoreError> {
        use app::store::DeploymentStore;
        let mut by_case: std::collections::HashMap<String, Vec<Deployment>> = Default::default();
        for (_, deployment) in state.store.all_deployments().await? {
            by_case
                .entry(deployment.case_slug.clone())
                .or_default()
                .push(deployment);
        }
        Ok(PublishedDeployments {
            by_case,
            this_month: Month::of_instant(now()),
        })
    }

    fn of(&self, slug: &str) -> &[Deployment] {
        self.by_case.get(slug).map_or(&[], Vec::as_slice)
    }

    /// Collectivités in service, their regular agents from recent reports, the latest month.
    fn summary(&self, slug: &str) -> CaseSummary {
        let facts: Vec<_> = self
            .of(slug)
            .iter()
            .map(|d| (d.status, d.latest.map(|latest| (latest.month, latest.regular))))
            .collect();
        case_summary(&facts, self.this_month)
    }

    /// The pioneer's reason for stopping, when its deployment stopped.
    pub(crate) fn pioneer_stopped(&self, slug: &str) -> Option<&str> {
        self.of(slug)
            .iter()
            .find(|d| d.kind == DeploymentKind::Pioneer && d.status == Status::Stopped)
            .map(|d| d.stop_reason.as_str())
    }

    fn json(&self, slug: &str) -> JsonDeployments {
        let summary = self.summary(slug);
        JsonDeployments {
            collectivites_en_service: summary.in_service,
            agents_reguliers: summary.regular,
            mois: summary.month.map(Month::iso),
            liste: self
                .of(slug)
                .iter()
                .filter(|d| d.listed)
                .map(|d| JsonDeployment {
                    collectivite: d.collectivite_name.clone(),
                    region: d.region.clone(),
                    type_deploiement: d.kind.code(),
                    statut: d.status.code(),
                    en_service_depuis: d.in_service.map(Month::iso),
                    dernier_releve: d.latest.map(|latest| JsonLatest {
                        mois: latest.month.iso(),
                        agents_reguliers: latest.regular,
                    }),
                })
                .collect(),
        }
    }
}

/// Schema 1.2: the case's deployments and their latest figures.
#[derive(Serialize)]
struct JsonDeployments {
    collectivites_en_service: i64,
    agents_reguliers: i64,
    mois: Option<String>,
    liste: Vec<JsonDeployment>,
}

#[derive(Serialize)]
struct JsonDeployment {
    collectivite: String,
    region: String,
    type_deploiement: &'static str,
    statut: &'static str,
    en_service_depuis: Option<String>,
    dernier_releve: Option<JsonLatest>,
}

#[derive(Serialize)]
struct JsonLatest {
    mois: String,
    agents_reguliers: i64,
}

#[derive(Serialize)]
struct JsonCollectivite {
    nom: String,
    type_collectivite: String,
    code_insee: String,
    siren: String,
    region: String,
    population: Option<i64>,
}

#[derive(Serialize)]
struct JsonGains {
    agents_estimes: i64,
    heures_estimees_par_an: i64,
    agents_mesures: Option<i64>,
    heures_mesurees_par_an: Option<i64>,
}

/// Schema 1.1: the AI Act level confirmed by the team and its obligations.
#[derive(Serialize)]
struct JsonAiAct {
    niveau: &'static str,
    libelle: &'static str,
    obligations: Vec<app::domain::ai_act::review::PublishedObligation>,
}

#[derive(Serialize)]
struct JsonCase {
    reference: String,
    slug: String,
    url: String,
    titre: String,
    resume: String,
    collectivite: JsonCollectivite,
    domaine: String,
    domaine_libelle: String,
    briques: Vec<String>,
    typologie: String,
    etape: String,
    hebergement: String,
    gains: JsonGains,
    replications: i64,
    videos: Vec<app::domain::diffusion::Video>,
    supports: Vec<app::domain::diffusion::Support>,
    publie_le: String,
    mis_a_jour_le: String,
    ai_act: Option<JsonAiAct>,
    deploiements: JsonDeployments,
}

/// How many published cases a copy reads at a time.
const PAGE: i64 = 500;

/// Reads the published cases a page at a time, most recent first (at most `most`), and writes what `render` makes
/// of each page's cases to `sink`, so that every case never sits in memory at once.
pub(crate) async fn each_case(
    state: &AppState,
    sink: &mut Sink,
    most: Option<usize>,
    mut render: impl FnMut(&PublicCaseDetail, &mut String) + Send,
) -> Result<(), BuildError> {
    let page_size = most.map_or(PAGE, |most| PAGE.min(most as i64));
    let mut after = None;
    let mut written = 0;
    loop {
        let page = state.store.publications_page(after, page_size).await?;
        let mut text = String::new();
        for detail in &page.items {
            if most.is_some_and(|most| written >= most) {
                break;
            }
            render(detail, &mut text);
            written += 1;
        }
        sink.put(&text).await?;
        match page.next {
            Some(next) if most.is_none_or(|most| written < most) => after = Some(next),
            _ => return Ok(()),
        }
    }
}

fn json_case(origin: &str, detail: &PublicCaseDetail, deployments: &PublishedDeployments) -> JsonCase {
    let (code_insee, siren) = codes(detail);
    let detail = detail.clone();
    let case = detail.case;
    JsonCase {
        url: format!("{origin}{}", app::routes::catalogue_case(&case.slug)),
        collectivite: JsonCollectivite {
            nom: case.collectivite_name,
            type_collectivite: case.collectivite_kind,
            code_insee,
            siren,
            region: case.region,
            population: case.population,
        },
        domaine_libelle: label_of(DOMAINES, &case.domain).to_string(),
        domaine: case.domain,
        briques: case.briques,
        typologie: case.typologie,
        etape: case.stage.code().to_string(),
        hebergement: detail.hosting,
        gains: JsonGains {
            agents_estimes: detail.agents_estimated,
            heures_estimees_par_an: detail.hours_estimated,
            agents_mesures: detail.agents_measured,
            heures_mesurees_par_an: detail.hours_measured,
        },
        replications: case.replications,
        ai_act: case.ai_act_level.map(|level| JsonAiAct {
            niveau: level.code(),
            libelle: level.label(),
            obligations: detail.ai_act_obligations,
        }),
        videos: detail.videos,
        supports: detail.supports,
        publie_le: iso_date(case.published_at),
        mis_a_jour_le: iso_date(detail.updated_at),
        deploiements: deployments.json(&case.slug),
        reference: case.reference,
        slug: case.slug,
        titre: case.title,
        resume: case.summary,
    }
}

/// `GET /catalogue.json`, from its copy.
pub async fn catalogue_json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    copies::serve_copy!(&state, &headers, Document::Json, write_json)
}

/// Writes `/catalogue.json`: the schema's header, then one case a line.
pub(crate) async fn write_json(state: &AppState, origin: &str, sink: &mut Sink) -> Result<(), BuildError> {
    let deployments = PublishedDeployments::read(state).await?;
    let text = |value: &str| serde_json::to_string(value).map_err(|e| BuildError::Io(e.into()));
    sink.put(&format!(
        "{{\"schema\":{},\"version\":{},\"genere_le\":{},\"cas\":[\n",
        text(&format!("{origin}/docs/catalogue-donnees-ouvertes"))?,
        text(SCHEMA_VERSION)?,
        text(&iso_datetime(now()))?
    ))
    .await?;
    let mut first = true;
    let mut failure = None;
    each_case(state, sink, None, |detail, out| {
        match serde_json::to_string(&json_case(origin, detail, &deployments)) {
            Ok(json) => {
                if !first {
                    out.push_str(",\n");
                }
                first = false;
                out.push_str(&json);
            }
            Err(error) => failure = Some(error),
        }
    })
    .await?;
    if let Some(error) = failure {
        return Err(BuildError::Io(error.into()));
    }
    sink.put("\n]}\n").await
}

/// The columns of `/catalogue.csv`, in order (schema 1.1: the AI Act columns come after `version_schema`, so
/// that readers of 1.0 find every column where it was; 1.2: the deployments' columns after them).
pub const CSV_COLUMNS: [&str; 29] = [
    "reference",
    "slug",
    "url",
    "titre",
    "resume",
    "collectivite",
    "type_collectivite",
    "code_insee",
    "siren",
    "region",
    "population",
    "domaine",
    "briques",
    "typologie",
    "etape",
    "hebergement",
    "agents_estimes",
    "heures_estimees_par_an",
    "agents_mesures",
    "heures_mesurees_par_an",
    "replications",
    "publie_le",
    "mis_a_jour_le",
    "version_schema",
    "ai_act_niveau",
    "ai_act_obligations",
    "collectivites_en_service",
    "agents_reguliers",
    "mois_agents_reguliers",
];

/// `GET /catalogue.csv`: one line per published case, from its copy.
pub async fn catalogue_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    copies::serve_copy!(&state, &headers, Document::Csv, write_csv)
}

fn csv_case(origin: &str, detail: &PublicCaseDetail, deployments: &PublishedDeployments) -> String {
    let optional = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    let (code_insee, siren) = codes(detail);
    let case = &detail.case;
    let usage = deployments.summary(&case.slug);
    csv::line(&[
        case.reference.clone(),
        case.slug.clone(),
        format!("{origin}{}", app::routes::catalogue_case(&case.slug)),
        case.title.clone(),
        case.summary.clone(),
        case.collectivite_name.clone(),
        case.collectivite_kind.clone(),
        code_insee,
        siren,
        case.region.clone(),
        optional(case.population),
        case.domain.clone(),
        case.briques.join(","),
        case.typologie.clone(),
        case.stage.code().to_string(),
        detail.hosting.clone(),
        detail.agents_estimated.to_string(),
        detail.hours_estimated.to_string(),
        optional(detail.agents_measured),
        optional(detail.hours_measured),
        case.replications.to_string(),
        iso_date(case.published_at),
        iso_date(detail.updated_at),
        SCHEMA_VERSION.to_string(),
        case.ai_act_level
            .map(|level| level.code())
            .unwrap_or_default()
            .to_string(),
        detail
            .ai_act_obligations
            .iter()
            .map(|o| format!("{} : {}", o.article, o.text))
            .collect::<Vec<_>>()
            .join(" | "),
        usage.in_service.to_string(),
        usage.regular.to_string(),
        usage.month.map(Month::iso).unwrap_or_default(),
    ])
}

/// Writes `/catalogue.csv`.
pub(crate) async fn write_csv(state: &AppState, origin: &str, sink: &mut Sink) -> Result<(), BuildError> {
    let deployments = PublishedDeployments::read(state).await?;
    sink.put(&format!("{}{}", csv::BOM, csv::line(&CSV_COLUMNS))).await?;
    each_case(state, sink, None, |detail, out| {
        out.push_str(&csv_case(origin, detail, &deployments));
    })
    .await
}

/// `GET /catalogue.atom`: the 50 most recently published cases, from its copy.
pub async fn catalogue_atom(State(state): State<AppState>, headers: HeaderMap) -> Response {
    copies::serve_copy!(&state, &headers, Document::Atom, write_atom)
}

fn atom_entry(origin: &str, detail: &PublicCaseDetail) -> String {
    let case = &detail.case;
    let url = format!("{origin}{}", app::routes::catalogue_case(&case.slug));
    let briques: Vec<&str> = case.briques.iter().map(|b| label_of(BRIQUES, b)).collect();
    format!(
        "<entry>\n<title>{}</title>\n<link href=\"{}\"/>\n<id>{}</id>\n<published>{}</published>\n\
         <updated>{}</updated>\n<summary>{}</summary>\n<category term=\"{}\" label=\"{}\"/>\n\
         <content type=\"text\">{}</content>\n</entry>\n",
        escape_markup(&case.title),
        escape_markup(&url),
        escape_markup(&url),
        iso_datetime(case.published_at),
        iso_datetime(detail.updated_at.max(case.published_at)),
        escape_markup(&case.summary),
        escape_markup(&case.domain),
        escape_markup(label_of(DOMAINES, &case.domain)),
        escape_markup(&format!(
            "{} ({}). {} — {}. {}",
            case.collectivite_name,
            case.region,
            label_of(TYPOLOGIES, &case.typologie),
            briques.join(", "),
            if detail.hosting.is_empty() {
                String::new()
            } else {
                format!("Hébergement : {}.", label_of(HEBERGEMENTS, &detail.hosting))
            }
        )),
    )
}

/// Writes `/catalogue.atom`: updated at the catalogue's last change (a withdrawal too), the 50 latest cases.
pub(crate) async fn write_atom(state: &AppState, origin: &str, sink: &mut Sink) -> Result<(), BuildError> {
    let updated = state.store.catalogue_updated_at().await?.unwrap_or(0);
    sink.put(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n\
         <title>IA Factory — nouveaux cas d'usage répliquables</title>\n\
         <link href=\"{origin}/catalogue.atom\" rel=\"self\"/>\n<link href=\"{origin}/catalogue\"/>\n\
         <id>{origin}/catalogue</id>\n<updated>{}</updated>\n\
         <author><name>Programme Territoires d'IA — Banque des Territoires</name></author>\n",
        iso_datetime(updated)
    ))
    .await?;
    each_case(state, sink, Some(50), |detail, out| {
        out.push_str(&atom_entry(origin, detail))
    })
    .await?;
    sink.put("</feed>\n").await
}

/// `GET /sitemap.xml`: the public pages and every published case, from its copy.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    copies::serve_copy!(&state, &headers, Document::Sitemap, write_sitemap)
}

/// Writes `/sitemap.xml`.
pub(crate) async fn write_sitemap(state: &AppState, origin: &str, sink: &mut Sink) -> Result<(), BuildError> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/catalogue", "/programme", "/deposer"] {
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            escape_markup(&format!("{origin}{path}"))
        ));
    }
    sink.put(&xml).await?;
    each_case(state, sink, None, |detail, out| {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape_markup(&format!("{origin}{}", app::routes::catalogue_case(&detail.case.slug))),
            iso_date(detail.updated_at.max(detail.case.published_at))
        ));
    })
    .await?;
    sink.put("</urlset>\n").await
}

/// `GET /robots.txt`: the public pages are open to search engines; private links and the back office are not.
pub async fn robots(State(site): State<Site>, headers: HeaderMap) -> Response {
    let origin = site.origin(&headers);
    respond(
        "text/plain; charset=utf-8",
        format!(
            "User-agent: *\nAllow: /\nDisallow: /equipe\nDisallow: /deposer/\nDisallow: /suivi/\nDisallow: /api/\n\nSitemap: {origin}/sitemap.xml\n"
        ),
    )
}

/// `GET /docs/catalogue-donnees-ouvertes`: the schema's documentation, as Markdown text.
pub async fn schema_documentation() -> Response {
    respond(
        "text/markdown; charset=utf-8",
        include_str!("../../../docs/catalogue-donnees-ouvertes.md").to_string(),
    )
}

/// The indicators over time of `/programme`, from the event log and the usage reports.
pub(crate) async fn programme_evolution(
    state: &AppState,
) -> Result<app::domain::indicators::Evolution, app::store::StoreError> {
    use app::store::{DeploymentStore, IndicatorStore, PeriodStore};
    let timelines = state.store.timelines().await?;
    let periods = state.store.periods().await?;
    let figures = state.store.programme_figures().await?;
    let usage = state.store.programme_usage().await?;
    let series = app::domain::deployments::usage::programme_series(&usage.deployments, &usage.reports, now());
    Ok(app::domain::indicators::evolution(
        &timelines,
        &periods,
        figures.pioneers,
        &series,
        now(),
    ))
}

/// `GET /programme/indicateurs.csv`: the indicators over time of `/programme` (`;`, UTF-8 with BOM, CRLF).
pub async fn programme_csv(State(state): State<AppState>) -> Response {
    let evolution = match programme_evolution(&state).await {
        Ok(evolution) => evolution,
        Err(error) => return unavailable(error),
    };
    let mut body = String::from(csv::BOM);
    for line in app::domain::indicators::csv_lines(&evolution) {
        body.push_str(&csv::line(&line));
    }
    csv_response("indicateurs-ia-factory.csv", body)
}
