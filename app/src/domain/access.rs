//! Which cases an account may see (§2, §3 étape 2, §6): the programme team all of them, a direction régionale
//! those of its régions, the prestataire technique those assigned to it. Every read and write of a case, the
//! board, its counts, the live stream and the exports ask this one rule.

use super::auth::Role;

/// The cases an account may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    /// The régions (official names) of a direction régionale.
    Regions(Vec<String>),
    /// The references of the cases assigned to a prestataire.
    Assigned(Vec<String>),
}

impl Scope {
    /// The scope of a role, given the régions attached to the account and the cases assigned to it.
    pub fn of(role: Role, regions: Vec<String>, assigned: Vec<String>) -> Scope {
        match role {
            Role::DirectionRegionale => Scope::Regions(regions),
            Role::Prestataire => Scope::Assigned(assigned),
            Role::Admin | Role::Programme | Role::Lecture => Scope::All,
        }
    }

    /// Whether the case of `reference` in `region` is visible.
    pub fn sees(&self, region: &str, reference: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Regions(regions) => regions.iter().any(|r| r == region),
            Scope::Assigned(references) => references.iter().any(|r| r == reference),
        }
    }
}

/// The régions typed for a direction régionale (separated by commas or line breaks), checked against the
/// official names; the French error names the one that is not a région.
pub fn parse_regions(text: &str, official: &[String]) -> Result<Vec<String>, String> {
    let mut regions = Vec::new();
    for typed in text.split([',', '\n', ';']).map(str::trim).filter(|t| !t.is_empty()) {
        let found = official
            .iter()
            .find(|name| super::text::normalize(name) == super::text::normalize(typed))
            .ok_or_else(|| {
                format!(
                    "« Régions » : « {} » n'est pas le nom d'une région.",
                    typed.chars().take(60).collect::<String>()
                )
            })?;
        if !regions.contains(found) {
            regions.push(found.clone());
        }
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_sees_everything_a_direction_its_regions_a_prestataire_its_cases() {
        for role in [Role::Admin, Role::Programme, Role::Lecture] {
            assert!(Scope::of(role, vec![], vec![]).sees("Occitanie", "IAF-2026-00001"));
        }
        let bretagne = Scope::of(
            Role::DirectionRegionale,
            vec!["Bretagne".into()],
            vec!["IAF-2026-00001".into()],
        );
        assert!(bretagne.sees("Bretagne", "IAF-2026-00002"));
        assert!(
            !bretagne.sees("Occitanie", "IAF-2026-00001"),
            "assignments do not widen a direction"
        );
        let prestataire = Scope::of(
            Role::Prestataire,
            vec!["Occitanie".into()],
            vec!["IAF-2026-00001".into()],
        );
        assert!(prestataire.sees("Bretagne", "IAF-2026-00001"));
        assert!(
            !prestataire.sees("Occitanie", "IAF-2026-00002"),
            "régions do not widen a prestataire"
        );
        assert!(!Scope::of(Role::DirectionRegionale, vec![], vec![]).sees("Bretagne", "IAF-2026-00001"));
    }

    #[test]
    fn regions_are_read_against_the_official_names() {
        let official = vec![
            "Bretagne".to_string(),
            "Occitanie".to_string(),
            "Île-de-France".to_string(),
        ];
        assert_eq!(
            parse_regions("bretagne, Ile-de-France\nBretagne", &official),
            Ok(vec!["Bretagne".to_string(), "Île-de-France".to_string()])
        );
        assert_eq!(parse_regions("", &official), Ok(vec![]));
        assert!(parse_regions("Bretagne, Atlantide", &official)
            .unwrap_err()
            .contains("« Atlantide »"));
    }
}
