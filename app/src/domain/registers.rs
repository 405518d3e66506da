//! Our published cases in the data model of the Bibliothèque d'IA territoriales (the French register of AI use
//! cases in collectivités): its 38 columns in order, and how each is filled from what we hold — or, where the
//! model requires a field we do not hold, with its own "ne sait pas" (`NSP`). The mapping is documented in
//! `docs/correspondances-registres.md`.

use super::ai_act::review::{bibliotheque_category, PublishedObligation};
use super::ai_act::RiskLevel;
use super::collectivites::Kind;
use super::dates::iso_date;
use super::library::values::{BodyType, Status};
use super::referentiel::{label_of, BRIQUES};
use super::stage::Stage;

/// The columns of the Bibliothèque's Table Schema, in its order.
pub const BIBLIOTHEQUE_COLUMNS: [&str; 38] = [
    "Nom_collectivite",
    "Nom_du_projet",
    "SIRET",
    "Latitude",
    "Longitude",
    "Type_de_collectivite",
    "Date_de_demarrage",
    "Statut_du_projet",
    "status_abandon",
    "Partenaires",
    "projet_contact",
    "financement",
    "budget",
    "Description_service",
    "mise_en_oeuvre",
    "Theme",
    "Sous_Theme",
    "Audience",
    "herbergement",
    "nom_algorithme",
    "algorithme_description",
    "algorithme_operations",
    "type_algorithme",
    "impact_environnement",
    "donnees_source",
    "donnees_acces",
    "risque",
    "risque_categorie",
    "proportionalite",
    "decision",
    "erreur",
    "explicabilite",
    "reversibilite",
    "objection",
    "URL_Service",
    "url_ressources",
    "URL_Logo",
    "Date_de_derniere_mise_a_jour",
];

/// The model's own value for "not known" (its enums offer it; used for required fields we do not hold).
pub const UNKNOWN: &str = "NSP";

/// What a published case gives the Bibliothèque.
#[derive(Clone, Debug, Default)]
pub struct PublishedFacts<'a> {
    pub collectivite_name: &'a str,
    pub collectivite_kind: &'a str,
    pub collectivite_siren: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub solution: &'a str,
    pub contact: &'a str,
    pub domain: &'a str,
    pub briques: &'a [String],
    pub hosting: &'a str,
    pub stage: Option<Stage>,
    pub public_facing: bool,
    pub ai_act_level: Option<RiskLevel>,
    pub ai_act_obligations: &'a [PublishedObligation],
    pub filed_at: i64,
    pub updated_at: i64,
    /// Our public page of the case.
    pub url: &'a str,
    /// The pioneer's reason for stopping its deployment, when it stopped (the Bibliothèque's « Abandonné »).
    pub pioneer_stopped: Option<&'a str>,
}

fn kind_label(kind: &str) -> &'static str {
    match Kind::from_code(kind) {
        Some(Kind::Commune) | None => BodyType::Commune.label(),
        Some(Kind::Epci) => BodyType::Epci.label(),
        Some(Kind::Departement) => BodyType::Departement.label(),
        Some(Kind::Region) => BodyType::Region.label(),
    }
}

/// The Bibliothèque's main theme for one of our domains.
pub fn theme(domain: &str) -> &'static str {
    match domain {
        "urbanisme" => "Attractivité et développement",
        "infrastructures-patrimoine" => "Gouvernance et socles technologiques",
        "relation-usagers" | "action-sociale" => "Citoyenneté, santé et solidarité",
        "environnement" => "Transition écologique et énergétique",
        _ => "Administration et organisation interne",
    }
}

/// Its sub-theme, where one matches our domain honestly.
pub fn sub_theme(domain: &str) -> &'static str {
    match domain {
        "urbanisme" => "Construction et aménagement",
        "finances-achats" => "Gestion des marchés publics",
        "infrastructures-patrimoine" => "Immobilier",
        "veille-reglementaire" => "Aide juridique",
        "relation-usagers" => "Lien social et relation aux usagers",
        "ressources-humaines" => "Gestion des ressources humaines",
        _ => "",
    }
}

fn status(stage: Option<Stage>) -> &'static str {
    match stage {
        Some(Stage::Diffusion) => Status::Deploiement.label(),
        _ => Status::Experimentation.label(),
    }
}

fn hosting(code: &str) -> &'static str {
    match code {
        "mistral-compute" => "cloud chez un tiers",
        "on-premise" => "en interne de l'administration",
        _ => UNKNOWN,
    }
}

/// `AAAA-MM-JJ` → (`MM/AAAA`, `JJ/MM/AAAA`).
fn french_dates(unix_seconds: i64) -> (String, String) {
    let iso = iso_date(unix_seconds);
    let mut parts = iso.split('-');
    let (year, month, day) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    (format!("{month}/{year}"), format!("{day}/{month}/{year}"))
}

fn obligations_text(obligations: &[PublishedObligation]) -> String {
    obligations
        .iter()
        .map(|o| format!("{} : {}", o.article, o.text))
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// One line of the Bibliothèque's CSV, in the order of [`BIBLIOTHEQUE_COLUMNS`].
pub fn bibliotheque_row(case: &PublishedFacts<'_>) -> Vec<String> {
    let generative = case.briques.iter().any(|b| b == "vibe" || b == "agents");
    let algorithm_name = case
        .briques
        .iter()
        .map(|code| label_of(BRIQUES, code))
        .collect::<Vec<_>>()
        .join(" + ");
    let (started, _) = french_dates(case.filed_at);
    let (_, updated) = french_dates(case.updated_at);
    [
        case.collectivite_name.to_string(),
        case.title.to_string(),
        // We hold the SIREN (9 digits), not the SIRET of the siège (14): a SIREN in a SIRET column would mislead
        // whoever joins on it, so the model's "ne sait pas" (our own catalogue gives the SIREN).
        UNKNOWN.into(),
        String::new(),
        String::new(),
        kind_label(case.collectivite_kind).into(),
        started,
        if case.pioneer_stopped.is_some() {
            Status::Abandonne.label()
        } else {
            status(case.stage)
        }
        .into(),
        case.pioneer_stopped.unwrap_or_default().to_string(),
        "Banque des Territoires (programme Territoires d'IA) ; prestataire technique du programme".into(),
        case.contact.to_string(),
        "Banque des Territoires — programme Territoires d'IA".into(),
        String::new(),
        case.summary.to_string(),
        "mobilisation de prestataire(s)".into(),
        theme(case.domain).into(),
        sub_theme(case.domain).into(),
        if case.public_facing { "Grand public" } else { "Agent" }.into(),
        hosting(case.hosting).into(),
        if algorithm_name.is_empty() {
            case.title.to_string()
        } else {
            algorithm_name
        },
        case.solution.to_string(),
        String::new(),
        if generative { "IA générative" } else { UNKNOWN }.into(),
        String::new(),
        UNKNOWN.into(),
        UNKNOWN.into(),
        obligations_text(case.ai_act_obligations),
        case.ai_act_level.map(bibliotheque_category).unwrap_or_default().into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        case.url.to_string(),
        String::new(),
        UNKNOWN.into(),
        updated,
    ]
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = include_str!("../../../scripts/opendata/schemas/interconnectes_IA-schema.json");

    fn schema_fields() -> Vec<serde_json::Value> {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        schema["fields"].as_array().unwrap().clone()
    }

    fn facts<'a>(briques: &'a [String], obligations: &'a [PublishedObligation]) -> PublishedFacts<'a> {
        PublishedFacts {
            collectivite_name: "Région Bretagne",
            collectivite_kind: "region",
            collectivite_siren: "",
            title: "Agent conversationnel",
            summary: "Répond aux usagers.",
            solution: "Un agent répond.",
            contact: "Écrivez à l'équipe.",
            domain: "relation-usagers",
            briques,
            hosting: "mistral-compute",
            stage: Some(Stage::Diffusion),
            public_facing: true,
            ai_act_level: Some(RiskLevel::Transparency),
            ai_act_obligations: obligations,
            filed_at: 1_767_225_600,   // 2026-01-01 00:00 UTC
            updated_at: 1_772_323_200, // 2026-03-01 00:00 UTC
            url: "https://exemple.fr/catalogue/agent",
            pioneer_stopped: None,
        }
    }

    #[test]
    fn the_columns_are_the_schema_fields_in_order() {
        let names: Vec<String> = schema_fields()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, BIBLIOTHEQUE_COLUMNS.to_vec());
    }

    #[test]
    fn every_value_is_in_its_enum_and_every_required_field_is_filled() {
        let domains = super::super::referentiel::DOMAINES;
        let obligations = vec![PublishedObligation {
            article: "Art. 50".into(),
            text: "Informer.".into(),
        }];
        for domain in domains {
            for (briques, hosting, stage, level, kind, public) in [
                (
                    vec!["vibe".to_string()],
                    "mistral-compute",
                    Some(Stage::Diffusion),
                    Some(RiskLevel::HighRisk),
                    "commune",
                    true,
                ),
                (
                    vec!["application".to_string()],
                    "on-premise",
                    Some(Stage::Conception),
                    None,
                    "epci",
                    false,
                ),
                (vec![], "", None, Some(RiskLevel::Prohibited), "departement", false),
            ] {
                let row = bibliotheque_row(&PublishedFacts {
                    domain: domain.code,
                    briques: &briques,
                    hosting,
                    stage,
                    ai_act_level: level,
                    collectivite_kind: kind,
                    public_facing: public,
                    ..facts(&[], &obligations)
                });
                assert_eq!(row.len(), 38);
                for (field, value) in schema_fields().iter().zip(&row) {
                    let name = field["name"].as_str().unwrap();
                    let required = field["constraints"]["required"].as_bool().unwrap_or(false);
                    assert!(!required || !value.is_empty(), "{name} is required");
                    if let Some(allowed) = field["constraints"]["enum"].as_array() {
                        assert!(
                            value.is_empty() || allowed.iter().any(|a| a == value.as_str()),
                            "{name}: {value} not in its enum"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_mapping_fills_what_we_hold_and_says_nsp_for_the_rest() {
        let briques = vec!["agents".to_string(), "application".to_string()];
        let obligations = vec![
            PublishedObligation {
                article: "Art. 50".into(),
                text: "Informer les personnes.".into(),
            },
            PublishedObligation {
                article: "Art. 4".into(),
                text: "Former les agents.".into(),
            },
        ];
        let row = bibliotheque_row(&facts(&briques, &obligations));
        let value = |name: &str| row[BIBLIOTHEQUE_COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(value("SIRET"), "NSP", "no SIRET is held");
        assert_eq!(value("Type_de_collectivite"), "Région");
        assert_eq!(value("Date_de_demarrage"), "01/2026");
        assert_eq!(value("Date_de_derniere_mise_a_jour"), "01/03/2026");
        assert_eq!(value("Statut_du_projet"), "En déploiement");
        assert_eq!(value("Audience"), "Grand public");
        assert_eq!(value("herbergement"), "cloud chez un tiers");
        assert_eq!(value("nom_algorithme"), "Agents IA + Application personnalisée");
        assert_eq!(value("type_algorithme"), "IA générative");
        assert_eq!(value("risque_categorie"), "risque limité");
        assert_eq!(
            value("risque"),
            "Art. 50 : Informer les personnes. ; Art. 4 : Former les agents."
        );
        assert_eq!(value("Theme"), "Citoyenneté, santé et solidarité");
        assert_eq!(value("URL_Logo"), "NSP");
        let epci = bibliotheque_row(&PublishedFacts {
            collectivite_siren: "200046977",
            ..facts(&briques, &obligations)
        });
        assert_eq!(epci[2], "NSP", "a SIREN is not a SIRET");
    }

    #[test]
    fn a_pioneer_that_stopped_is_abandoned_with_its_reason() {
        let (briques, obligations) = (vec!["vibe".to_string()], vec![]);
        let row = bibliotheque_row(&PublishedFacts {
            pioneer_stopped: Some("Marché non renouvelé."),
            ..facts(&briques, &obligations)
        });
        let column = |name: &str| BIBLIOTHEQUE_COLUMNS.iter().position(|c| *c == name).unwrap();
        assert_eq!(row[column("Statut_du_projet")], "Abandonné");
        assert_eq!(row[column("status_abandon")], "Marché non renouvelé.");
        let running = bibliotheque_row(&facts(&briques, &obligations));
        assert_eq!(running[column("Statut_du_projet")], "En déploiement");
        assert_eq!(running[column("status_abandon")], "");
    }

    #[test]
    fn the_fields_the_import_keeps_are_columns_of_the_schema() {
        for field in crate::domain::library::record::KEPT {
            assert!(BIBLIOTHEQUE_COLUMNS.contains(&field), "{field}");
        }
    }
}
