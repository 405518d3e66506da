//! The closed lists of the Bibliothèque d'IA territoriales' Table Schema (`interconnectes_IA-schema.json`):
//! the value each field allows, the variants real files write for them (« Métropole », « Terminé », « Élu »)
//! read as the schema's value, and how its themes fall into the programme's domains.

use crate::domain::collectivites::Kind;
use crate::domain::text::normalize;

/// `Type_de_collectivite`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BodyType {
    Commune,
    Epci,
    Departement,
    Region,
    SyndicatMixte,
    Operateur,
}

impl BodyType {
    pub const ALL: [BodyType; 6] = [
        BodyType::Commune,
        BodyType::Epci,
        BodyType::Departement,
        BodyType::Region,
        BodyType::SyndicatMixte,
        BodyType::Operateur,
    ];

    /// The schema's value.
    pub fn label(self) -> &'static str {
        match self {
            BodyType::Commune => "Commune",
            BodyType::Epci => "EPCI",
            BodyType::Departement => "Département",
            BodyType::Region => "Région",
            BodyType::SyndicatMixte => "Syndicat mixte",
            BodyType::Operateur => "Opérateur",
        }
    }

    /// The kind of collectivité of the official list this type is, if it is one.
    pub fn kind(self) -> Option<Kind> {
        match self {
            BodyType::Commune => Some(Kind::Commune),
            BodyType::Epci => Some(Kind::Epci),
            BodyType::Departement => Some(Kind::Departement),
            BodyType::Region => Some(Kind::Region),
            BodyType::SyndicatMixte | BodyType::Operateur => None,
        }
    }

    /// The schema's value for what a file wrote: the value itself or a usual name of that kind of body.
    pub fn read(text: &str) -> Option<BodyType> {
        let folded = fold(text);
        if let Some(exact) = BodyType::ALL.into_iter().find(|t| fold(t.label()) == folded) {
            return Some(exact);
        }
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| folded.starts_with(p));
        if starts(&["ville", "mairie"]) {
            Some(BodyType::Commune)
        } else if starts(&[
            "metropole",
            "communaute",
            "ept",
            "etablissement public territorial",
            "etablissement public de cooperation",
        ]) {
            Some(BodyType::Epci)
        } else if starts(&["syndicat"]) {
            Some(BodyType::SyndicatMixte)
        } else if starts(&["conseil departemental", "departement"]) {
            Some(BodyType::Departement)
        } else if starts(&["conseil regional", "region"]) {
            Some(BodyType::Region)
        } else {
            None
        }
    }
}

/// `Statut_du_projet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Experimentation,
    Deploiement,
    Terminee,
    Abandonne,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Experimentation,
        Status::Deploiement,
        Status::Terminee,
        Status::Abandonne,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Experimentation => "En expérimentation",
            Status::Deploiement => "En déploiement",
            Status::Terminee => "Terminée",
            Status::Abandonne => "Abandonné",
        }
    }

    /// The schema's value for what a file wrote (« Terminé » and « Abandonnée » are read too).
    pub fn read(text: &str) -> Option<Status> {
        let folded = fold(text);
        let folded = folded.trim_end_matches('e');
        Status::ALL
            .into_iter()
            .find(|s| fold(s.label()).trim_end_matches('e') == folded)
    }
}

/// `Theme`: one of six.
pub const THEMES: &[&str] = &[
    "Transition écologique et énergétique",
    "Attractivité et développement",
    "Citoyenneté, santé et solidarité",
    "Mobilités",
    "Gouvernance et socles technologiques",
    "Administration et organisation interne",
];

/// `Sous_Theme`: one or two of these.
pub const SUB_THEMES: &[&str] = &[
    "Performance énergétique",
    "Commerce et développement économique",
    "Education",
    "Logistique urbaine",
    "Modélisation et jumeau numérique",
    "Gestion des ressources humaines",
    "Eclairage public",
    "Agriculture",
    "Santé et accès aux soins",
    "Multimodalités",
    "Outillage système d’information",
    "Gestion des assemblées",
    "Gestion de l’eau",
    "Culture et loisirs",
    "Accessibilité et handicap",
    "Flux et trafic",
    "Infrastructures numériques",
    "Gestion des marchés publics",
    "Déchets et économie circulaire",
    "Construction et aménagement",
    "Lien social et relation aux usagers",
    "Mobilité décarbonée",
    "Gouvernance et stratégie numérique responsable",
    "Aide à la rédaction et gestion documentaire",
    "Qualité de l’air et nuisances sonores",
    "Immobilier",
    "Inclusion numérique",
    "Stationnement",
    "Plateforme de données",
    "Aide juridique",
    "Biodiversité et préservation des espaces naturels",
    "Participation citoyenne",
    "Cybersécurité",
    "Prévention et gestion des risques",
];

/// `Audience`: one or more of these.
pub const AUDIENCES: &[&str] = &[
    "Grand public",
    "Bénéficiaire",
    "Agent",
    "Association",
    "Elu",
    "Entreprises",
    "Collectivités",
    "Etablissement scolaire",
    "Etablissement santé",
];

/// Folded for comparison: no accents or case, typographic apostrophes as plain ones, spaces collapsed.
fn fold(text: &str) -> String {
    normalize(&text.replace(['’', '‘'], "'"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of `list` that `text` names, whatever its accents, case and apostrophes.
pub fn label_in(list: &[&'static str], text: &str) -> Option<&'static str> {
    let folded = fold(text);
    list.iter().copied().find(|label| fold(label) == folded)
}

/// The programme's domain (`referentiel::DOMAINES`) of a sub-theme, if it says one.
fn domain_of_sub_theme(sub_theme: &str) -> Option<&'static str> {
    Some(match sub_theme {
        "Construction et aménagement" | "Modélisation et jumeau numérique" => "urbanisme",
        "Gestion des marchés publics" => "finances-achats",
        "Gestion de l’eau"
        | "Eclairage public"
        | "Immobilier"
        | "Infrastructures numériques"
        | "Flux et trafic"
        | "Stationnement"
        | "Multimodalités"
        | "Mobilité décarbonée"
        | "Logistique urbaine" => "infrastructures-patrimoine",
        "Aide juridique" => "veille-reglementaire",
        "Lien social et relation aux usagers"
        | "Participation citoyenne"
        | "Accessibilité et handicap"
        | "Inclusion numérique"
        | "Culture et loisirs"
        | "Education" => "relation-usagers",
        "Gestion des ressources humaines" => "ressources-humaines",
        "Santé et accès aux soins" => "action-sociale",
        "Déchets et économie circulaire"
        | "Biodiversité et préservation des espaces naturels"
        | "Qualité de l’air et nuisances sonores"
        | "Performance énergétique"
        | "Prévention et gestion des risques"
        | "Agriculture" => "environnement",
        _ => return None,
    })
}

/// The programme's domain of a project of the Bibliothèque: that of its first sub-theme that names one, else
/// that of its theme, else « autre ».
pub fn domain_of(theme: &str, sub_themes: &[String]) -> &'static str {
    if let Some(domain) = sub_themes.iter().find_map(|s| domain_of_sub_theme(s)) {
        return domain;
    }
    match theme {
        "Transition écologique et énergétique" => "environnement",
        "Mobilités" => "infrastructures-patrimoine",
        "Citoyenneté, santé et solidarité" => "action-sociale",
        _ => "autre",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::referentiel::DOMAINES;

    #[test]
    fn variants_of_real_files_read_as_the_schema_values() {
        assert_eq!(BodyType::read("Commune"), Some(BodyType::Commune));
        assert_eq!(BodyType::read("Métropole"), Some(BodyType::Epci));
        assert_eq!(BodyType::read("Communauté d'agglomérations"), Some(BodyType::Epci));
        assert_eq!(BodyType::read("EPT"), Some(BodyType::Epci));
        assert_eq!(BodyType::read("departement"), Some(BodyType::Departement));
        assert_eq!(BodyType::read("Syndicat mixte"), Some(BodyType::SyndicatMixte));
        assert_eq!(BodyType::read("Association"), None);
        assert_eq!(Status::read("Terminé"), Some(Status::Terminee));
        assert_eq!(Status::read("en déploiement"), Some(Status::Deploiement));
        assert_eq!(Status::read("Abandonnée"), Some(Status::Abandonne));
        assert_eq!(Status::read("Suspendu"), None);
        assert_eq!(label_in(AUDIENCES, "Élu"), Some("Elu"));
        assert_eq!(label_in(SUB_THEMES, "Gestion de l'eau"), Some("Gestion de l’eau"));
        assert_eq!(label_in(THEMES, "Mobilite"), None);
    }

    #[test]
    fn every_theme_and_sub_theme_falls_in_a_domain_of_the_programme() {
        for sub_theme in SUB_THEMES {
            for theme in THEMES {
                let domain = domain_of(theme, &[sub_theme.to_string()]);
                assert!(DOMAINES.iter().any(|d| d.code == domain), "{sub_theme}");
            }
        }
        let subs = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            domain_of(
                "Gouvernance et socles technologiques",
                &subs(&["Plateforme de données"])
            ),
            "autre"
        );
        assert_eq!(
            domain_of(
                "Administration et organisation interne",
                &subs(&["Gestion des marchés publics", "Aide juridique"])
            ),
            "finances-achats"
        );
        assert_eq!(domain_of("Mobilités", &[]), "infrastructures-patrimoine");
    }
}
