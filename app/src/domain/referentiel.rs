//! The closed lists of the intake (domains, bricks, typologies…) with their French labels, taken from the
//! cadre d'intervention (§4, §5, §6). Stored values are short stable codes; labels are for people.

/// One choice of a closed list: the stored code and the French label shown to people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
}

const fn choice(code: &'static str, label: &'static str) -> Choice {
    Choice { code, label }
}

/// Domains of action of the use case (§4 gives the examples).
pub const DOMAINES: &[Choice] = &[
    choice("urbanisme", "Urbanisme"),
    choice("finances-achats", "Finances et achats"),
    choice("infrastructures-patrimoine", "Infrastructures et patrimoine"),
    choice("veille-reglementaire", "Veille réglementaire"),
    choice("relation-usagers", "Relation aux usagers"),
    choice("ressources-humaines", "Ressources humaines"),
    choice("action-sociale", "Action sociale"),
    choice("environnement", "Environnement"),
    choice("autre", "Autre"),
];

/// The three technology bricks, which may be combined (§4).
pub const BRIQUES: &[Choice] = &[
    choice("vibe", "Assistant Vibe (assistant conversationnel)"),
    choice("agents", "Agents IA"),
    choice("application", "Application personnalisée"),
];

/// The typology fixed by the cadrage document (§6).
pub const TYPOLOGIES: &[Choice] = &[
    choice("produit-vibe", "Cas d'usage produit Vibe"),
    choice("application-personnalisee", "Application personnalisée"),
    choice("application-integree-si", "Application intégrée au SI"),
];

/// Availability of the data the use case needs (§5, faisabilité technique).
pub const DISPONIBILITES: &[Choice] = &[
    choice("disponibles", "Disponibles"),
    choice("partielles", "Partielles"),
    choice("a-constituer", "À constituer"),
];

/// Data quality as the collectivité judges it.
pub const QUALITES: &[Choice] = &[
    choice("bonne", "Bonne : données structurées, à jour et documentées"),
    choice("moyenne", "Moyenne : données exploitables après nettoyage"),
    choice("faible", "Faible : données incomplètes ou dispersées"),
    choice("inconnue", "Je ne sais pas encore"),
];

/// Whether personal data is involved.
pub const DONNEES_PERSONNELLES: &[Choice] = &[
    choice("non", "Non"),
    choice("oui", "Oui"),
    choice("ne-sait-pas", "Je ne sais pas"),
];

/// The four described levels of data and AI maturity (§5).
pub const MATURITES: &[Choice] = &[
    choice(
        "1",
        "Niveau 1 — Découverte : pas encore d'usage de l'IA, données peu outillées",
    ),
    choice(
        "2",
        "Niveau 2 — Expérimentation : quelques essais individuels, données partiellement structurées",
    ),
    choice(
        "3",
        "Niveau 3 — Structuration : une équipe ou une direction data identifiée, premiers projets menés",
    ),
    choice(
        "4",
        "Niveau 4 — Industrialisation : gouvernance des données en place, solutions d'IA en production",
    ),
];

/// How advanced the project already is (§5: not too advanced, or it leaves the IA Factory's scope).
pub const STADES_PROJET: &[Choice] = &[
    choice("idee", "Idée : le besoin est pressenti"),
    choice("besoin-defini", "Besoin défini : le besoin est décrit et partagé"),
    choice("deja-engage", "Déjà engagé : un projet est en cours"),
];

/// Hosting of the data (§6): Mistral Compute in the EU unless the collectivité chooses its own (« on premise »).
pub const HEBERGEMENTS: &[Choice] = &[
    choice(
        "mistral-compute",
        "Mistral Compute, sur le territoire de l'Union européenne",
    ),
    choice("on-premise", "Sur site, dans l'infrastructure de la collectivité"),
];

/// The label of `code` in `list`, or the code itself when it is unknown (never panics on old data).
pub fn label_of<'a>(list: &'static [Choice], code: &'a str) -> &'a str {
    list.iter()
        .find(|choice| choice.code == code)
        .map(|choice| choice.label)
        .unwrap_or(code)
}

/// Whether `code` is one of `list`.
pub fn is_choice(list: &[Choice], code: &str) -> bool {
    list.iter().any(|choice| choice.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_in_every_list() {
        for list in [
            DOMAINES,
            BRIQUES,
            TYPOLOGIES,
            DISPONIBILITES,
            QUALITES,
            MATURITES,
            STADES_PROJET,
            HEBERGEMENTS,
        ] {
            let mut codes: Vec<_> = list.iter().map(|c| c.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
        }
    }

    #[test]
    fn label_of_falls_back_to_the_code() {
        assert_eq!(label_of(DOMAINES, "urbanisme"), "Urbanisme");
        assert_eq!(label_of(DOMAINES, "inconnu"), "inconnu");
    }

    #[test]
    fn maturity_has_four_levels() {
        assert_eq!(MATURITES.len(), 4);
    }
}
