//! The catalogue for other registers and portals: `/catalogue/bibliotheque-ia-territoriale.csv` (the published
//! cases in the Bibliothèque d'IA territoriales' Table Schema, mapped by `domain::registers`), the DCAT-AP
//! description of our datasets (`/catalogue/dcat.jsonld`) that a national portal harvests, and the mapping
//! documentation. Built only from published cases.

use app::domain::csv;
use app::domain::dates::iso_datetime;
use app::domain::registers::{bibliotheque_row, PublishedFacts, BIBLIOTHEQUE_COLUMNS};
use app::server::context::now;
use app::store::CatalogueStore;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::copies::{self, BuildError, Document, Sink};
use crate::state::AppState;

/// The Table Schema the Bibliothèque's CSV follows.
const BIBLIOTHEQUE_SCHEMA: &str =
    "https://github.com/LesInterconnectes/Bibliotheque-IA-territoriale/blob/main/json/interconnectes_IA-schema.json";
/// Licence Ouverte 2.0 (Etalab), the licence of French public open data.
const LICENCE: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const MEDIA_TYPE: &str = "http://www.iana.org/assignments/media-types/";

/// `GET /catalogue/bibliotheque-ia-territoriale.csv`: RFC 4180 (`,`, CRLF, UTF-8 without BOM), header = the
/// schema's field names in order; from its copy.
pub async fn bibliotheque_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    copies::serve_copy!(&state, &headers, Document::Bibliotheque, write_bibliotheque)
}

/// Writes the Bibliothèque CSV.
pub(crate) async fn write_bibliotheque(state: &AppState, origin: &str, sink: &mut Sink) -> Result<(), BuildError> {
    let deployments = super::open_data::PublishedDeployments::read(state).await?;
    sink.put(&csv::line_with(&BIBLIOTHEQUE_COLUMNS, ',')).await?;
    super::open_data::each_case(state, sink, None, |detail, out| {
        let case = &detail.case;
        let url = format!("{origin}{}", app::routes::catalogue_case(&case.slug));
        let row = bibliotheque_row(&PublishedFacts {
            collectivite_name: &case.collectivite_name,
            collectivite_kind: &case.collectivite_kind,
            collectivite_siren: &detail.collectivite_siren,
            title: &case.title,
            summary: &case.summary,
            solution: &detail.solution,
            contact: &detail.contact,
            domain: &case.domain,
            briques: &case.briques,
            hosting: &detail.hosting,
            stage: Some(case.stage),
            public_facing: detail.public_facing,
            ai_act_level: case.ai_act_level,
            ai_act_obligations: &detail.ai_act_obligations,
            filed_at: detail.filed_at,
            updated_at: detail.updated_at,
            url: &url,
            pioneer_stopped: deployments.pioneer_stopped(&case.slug),
        });
        out.push_str(&csv::line_with(&row, ','));
    })
    .await
}

fn distribution(
    origin: &str,
    path: &str,
    title: &str,
    format: &str,
    media: &str,
    modified: &str,
    conforms: &str,
) -> serde_json::Value {
    let url = format!("{origin}{path}");
    json!({
        "@id": format!("{url}#distribution"),
        "@type": "dcat:Distribution",
        "dct:title": {"@value": title, "@language": "fr"},
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": format!("{FILE_TYPE}{format}")},
        "dcat:mediaType": {"@id": format!("{MEDIA_TYPE}{media}")},
        "dct:license": {"@id": LICENCE},
        "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
        "dct:conformsTo": {"@id": conforms},
    })
}

/// `GET /catalogue/dcat.jsonld`: one catalogue, one dataset and its four distributions (DCAT-AP), from its copy.
pub async fn dcat(State(state): State<AppState>, headers: HeaderMap) -> Response {
    copies::serve_copy!(&state, &headers, Document::Dcat, write_dcat)
}

/// Writes the DCAT-AP description.
pub(crate) async fn write_dcat(state: &AppState, origin: &str, sink: &mut Sink) -> Result<(), BuildError> {
    let last = state.store.catalogue_updated_at().await?.unwrap_or_else(now);
    let origin = origin.to_string();
    let modified = iso_datetime(last);
    let ours = format!("{origin}/docs/catalogue-donnees-ouvertes");
    let dataset = json!({
        "@id": format!("{origin}/catalogue#jeu-de-donnees"),
        "@type": "dcat:Dataset",
        "dct:title": {"@value": "Catalogue des cas d'usage d'IA répliquables — IA Factory", "@language": "fr"},
        "dct:description": {
            "@value": "Les cas d'usage d'intelligence artificielle des collectivités accompagnées par le programme \
                       Territoires d'IA de la Banque des Territoires et publiés pour être répliqués : collectivité \
                       pionnière, domaine, briques technologiques, gains estimés et mesurés, niveau AI Act confirmé, \
                       collectivités où chacun est en service et agents utilisateurs réguliers déclarés chaque mois.",
            "@language": "fr"
        },
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "Banque des Territoires"},
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": "Équipe du programme Territoires d'IA",
            "vcard:hasEmail": {"@id": "mailto:territoiresdia@caissedesdepots.fr"}
        },
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
        "dct:license": {"@id": LICENCE},
        "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
        "dcat:landingPage": {"@id": format!("{origin}/catalogue")},
        "dcat:keyword": ["intelligence artificielle", "collectivités", "cas d'usage", "AI Act"],
        "dcat:distribution": [
            distribution(&origin, "/catalogue.csv", "Catalogue (CSV, schéma IA Factory)", "CSV", "text/csv", &modified, &ours),
            distribution(&origin, "/catalogue.json", "Catalogue (JSON, schéma IA Factory)", "JSON", "application/json", &modified, &ours),
            distribution(
                &origin,
                "/catalogue/bibliotheque-ia-territoriale.csv",
                "Catalogue au modèle de la Bibliothèque d'IA territoriales (CSV)",
                "CSV",
                "text/csv",
                &modified,
                BIBLIOTHEQUE_SCHEMA,
            ),
            distribution(&origin, "/catalogue.atom", "Nouveaux cas publiés (flux Atom)", "ATOM", "application/atom+xml", &modified, &ours),
        ],
    });
    let document = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@id": format!("{origin}/catalogue/dcat.jsonld#catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "IA Factory — données ouvertes", "@language": "fr"},
        "dct:description": {"@value": "Les jeux de données ouverts de l'IA Factory (programme Territoires d'IA).", "@language": "fr"},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "Banque des Territoires"},
        "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
        "foaf:homepage": {"@id": format!("{origin}/")},
        "dcat:dataset": [dataset],
    });
    let body = serde_json::to_string_pretty(&document).map_err(|e| BuildError::Io(e.into()))?;
    sink.put(&body).await
}

/// `GET /docs/correspondances-registres`: the mapping to the other registers (Markdown).
pub async fn mapping_documentation() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        include_str!("../../../docs/correspondances-registres.md"),
    )
        .into_response()
}
