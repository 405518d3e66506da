//! Who may reach which case (§2, §3 étape 2, §6): the programme team all of them, a direction régionale those
//! of its régions, the prestataire technique those assigned to it, the holder of a private link its own case,
//! an agent of a collectivité those of its collectivité.
//! A case is reached only as a `VisibleCase`, which only this module makes: every read and write of one case
//! in the store takes it, and every list (the board, its counts, the live stream, the exports) is filtered by
//! `Viewer::keep_visible`; a deployment of a case, likewise, only as a `VisibleDeployment`. No other module checks
//! a scope.

use super::auth::Role;
use super::reference::CaseReference;

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
    fn sees(&self, region: &str, reference: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Regions(regions) => regions.iter().any(|r| r == region),
            Scope::Assigned(references) => references.iter().any(|r| r == reference),
        }
    }
}

/// Who asks about a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// A signed-in account of the team (programme, direction régionale, prestataire) within its scope.
    Team { account_id: i64, role: Role, scope: Scope },
    /// The holder of the private follow-up link of one case (the collectivité that filed it).
    Link { reference: CaseReference },
    /// An agent of a collectivité signed in with ProConnect: the cases attached to the space of that collectivité
    /// (`kind:code`): filed from it, or filed by private link and attached by an agent who confirmed the link.
    Agent {
        agent_id: i64,
        collectivite: String,
        references: Vec<String>,
    },
}

/// Something that belongs to one case: what a list of cases is filtered on.
pub trait OfCase {
    fn case_reference(&self) -> &str;
    fn case_region(&self) -> &str;
}

impl Viewer {
    /// A team account with the cases it may see.
    pub fn team(account_id: i64, role: Role, scope: Scope) -> Viewer {
        Viewer::Team {
            account_id,
            role,
            scope,
        }
    }

    fn may_see(&self, region: &str, reference: &str) -> bool {
        match self {
            Viewer::Team { scope, .. } => scope.sees(region, reference),
            Viewer::Link { reference: own } => own.as_str() == reference,
            Viewer::Agent { references, .. } => references.iter().any(|r| r == reference),
        }
    }

    /// Whether this viewer sees every case (the programme team), so that a list needs no filtering.
    pub fn sees_every_case(&self) -> bool {
        matches!(self, Viewer::Team { scope: Scope::All, .. })
    }

    /// The items of the cases this viewer may see, in their order.
    pub fn keep_visible<T: OfCase>(&self, items: impl IntoIterator<Item = T>) -> Vec<T> {
        items
            .into_iter()
            .filter(|item| self.may_see(item.case_region(), item.case_reference()))
            .collect()
    }

    /// The items of the cases this viewer may see, each with its case to read further.
    pub fn grant_each<T: OfCase>(&self, items: impl IntoIterator<Item = T>) -> Vec<(VisibleCase, T)> {
        items
            .into_iter()
            .filter_map(|item| {
                let reference = CaseReference::parse(item.case_reference())?;
                let case = VisibleCase::grant(self, reference, item.case_region())?;
                Some((case, item))
            })
            .collect()
    }
}

/// A case its viewer may reach: the only key the store takes to read or write one case. It is made by
/// `VisibleCase::grant` from a viewer and the case's région, or by `VisibleCase::for_system` for what the
/// server does on nobody's behalf (its jobs, seeds, benchmarks and tests; a test keeps it out of request code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisibleCase {
    reference: CaseReference,
}

impl VisibleCase {
    /// The case of `reference`, which lies in `region`, if `viewer` may see it; None otherwise, which callers
    /// answer as if the case did not exist.
    pub fn grant(viewer: &Viewer, reference: CaseReference, region: &str) -> Option<VisibleCase> {
        viewer
            .may_see(region, reference.as_str())
            .then_some(VisibleCase { reference })
    }

    /// The case of `reference` for the server's own work, which no viewer asked for.
    pub fn for_system(reference: CaseReference) -> VisibleCase {
        VisibleCase { reference }
    }

    pub fn reference(&self) -> &CaseReference {
        &self.reference
    }

    pub fn as_str(&self) -> &str {
        self.reference.as_str()
    }
}

impl std::fmt::Display for VisibleCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.reference.fmt(f)
    }
}

/// A draft started in a collectivité's space that its viewer may continue: only an agent of that collectivité.
/// Like `VisibleCase`, the only key the store takes to open a shared draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisibleDraft {
    id: i64,
}

impl VisibleDraft {
    /// The draft `id`, started in the space of `collectivite` (`kind:code`), if `viewer` is one of its agents;
    /// None otherwise, which callers answer as if the draft did not exist.
    pub fn grant(viewer: &Viewer, id: i64, collectivite: &str) -> Option<VisibleDraft> {
        match viewer {
            Viewer::Agent { collectivite: own, .. } if own == collectivite => Some(VisibleDraft { id }),
            _ => None,
        }
    }

    pub fn id(&self) -> i64 {
        self.id
    }
}

/// What decides who reaches a deployment (`super::deployments`): the collectivité running it (`kind:code`),
/// its région, the published case it runs and, when the collectivité filed one, its own case (the pioneer's, or
/// a replication filed after « Je veux répliquer »).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentScope {
    pub collectivite: String,
    pub region: String,
    pub case_reference: String,
    pub own_reference: Option<String>,
}

/// A deployment its viewer may reach, the only key the store takes to read or write one: the programme team
/// every one; a direction régionale those in its régions (the région of the collectivité running it); the
/// prestataire those of a case assigned to it (the case run, or the collectivité's own); an agent those of its
/// collectivité; a private link those of its own case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisibleDeployment {
    id: i64,
}

impl VisibleDeployment {
    /// The deployment `id`, of `scope`, if `viewer` may reach it; None otherwise, which callers answer as if it
    /// did not exist.
    pub fn grant(viewer: &Viewer, id: i64, scope: &DeploymentScope) -> Option<VisibleDeployment> {
        let own = scope.own_reference.as_deref();
        let reaches = match viewer {
            Viewer::Team { scope: team, .. } => {
                team.sees(&scope.region, &scope.case_reference) || own.is_some_and(|own| team.sees(&scope.region, own))
            }
            Viewer::Agent { collectivite, .. } => *collectivite == scope.collectivite,
            Viewer::Link { reference } => own == Some(reference.as_str()),
        };
        reaches.then_some(VisibleDeployment { id })
    }

    pub fn id(&self) -> i64 {
        self.id
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

    fn reference(text: &str) -> CaseReference {
        CaseReference::parse(text).expect("well-formed")
    }

    #[test]
    fn a_case_is_granted_only_to_a_viewer_who_may_see_it() {
        let direction = Viewer::team(7, Role::DirectionRegionale, Scope::Regions(vec!["Bretagne".into()]));
        assert!(VisibleCase::grant(&direction, reference("IAF-2026-00001"), "Bretagne").is_some());
        assert!(VisibleCase::grant(&direction, reference("IAF-2026-00001"), "Occitanie").is_none());
        let link = Viewer::Link {
            reference: reference("IAF-2026-00002"),
        };
        assert!(VisibleCase::grant(&link, reference("IAF-2026-00002"), "Occitanie").is_some());
        assert!(
            VisibleCase::grant(&link, reference("IAF-2026-00003"), "Occitanie").is_none(),
            "a private link opens its own case only"
        );
        let agent = Viewer::Agent {
            agent_id: 3,
            collectivite: "commune:42218".into(),
            references: vec!["IAF-2026-00004".into()],
        };
        assert!(VisibleCase::grant(&agent, reference("IAF-2026-00004"), "Bretagne").is_some());
        assert!(
            VisibleCase::grant(&agent, reference("IAF-2026-00005"), "Bretagne").is_none(),
            "an agent opens the cases of its collectivité only"
        );
        let team = Viewer::team(1, Role::Lecture, Scope::All);
        assert!(team.sees_every_case() && !direction.sees_every_case() && !link.sees_every_case());
        assert!(!agent.sees_every_case());
    }

    #[test]
    fn a_shared_draft_is_granted_to_the_agents_of_its_collectivite_only() {
        let agent = Viewer::Agent {
            agent_id: 3,
            collectivite: "commune:42218".into(),
            references: vec![],
        };
        assert_eq!(VisibleDraft::grant(&agent, 9, "commune:42218").map(|d| d.id()), Some(9));
        assert!(VisibleDraft::grant(&agent, 9, "commune:69123").is_none());
        let team = Viewer::team(1, Role::Admin, Scope::All);
        assert!(
            VisibleDraft::grant(&team, 9, "commune:42218").is_none(),
            "the team continues no draft"
        );
        let link = Viewer::Link {
            reference: reference("IAF-2026-00002"),
        };
        assert!(VisibleDraft::grant(&link, 9, "commune:42218").is_none());
    }

    #[test]
    fn a_deployment_is_granted_by_its_collectivite_region_cases_or_link() {
        let scope = DeploymentScope {
            collectivite: "commune:42218".into(),
            region: "Auvergne-Rhône-Alpes".into(),
            case_reference: "IAF-2026-00001".into(),
            own_reference: Some("IAF-2026-00007".into()),
        };
        let granted = |viewer: &Viewer| VisibleDeployment::grant(viewer, 5, &scope).map(|d| d.id());
        assert_eq!(granted(&Viewer::team(1, Role::Lecture, Scope::All)), Some(5));
        let region = |name: &str| Viewer::team(2, Role::DirectionRegionale, Scope::Regions(vec![name.into()]));
        assert_eq!(granted(&region("Auvergne-Rhône-Alpes")), Some(5));
        assert_eq!(granted(&region("Bretagne")), None, "another région");
        let assigned = |case: &str| Viewer::team(3, Role::Prestataire, Scope::Assigned(vec![case.into()]));
        assert_eq!(granted(&assigned("IAF-2026-00001")), Some(5), "the case run");
        assert_eq!(
            granted(&assigned("IAF-2026-00007")),
            Some(5),
            "the collectivité's own case"
        );
        assert_eq!(granted(&assigned("IAF-2026-00002")), None);
        let agent = |collectivite: &str| Viewer::Agent {
            agent_id: 4,
            collectivite: collectivite.into(),
            references: vec!["IAF-2026-00001".into()],
        };
        assert_eq!(granted(&agent("commune:42218")), Some(5));
        assert_eq!(
            granted(&agent("commune:69123")),
            None,
            "an agent of another collectivité, even one that sees the case run"
        );
        let link = |case: &str| Viewer::Link {
            reference: reference(case),
        };
        assert_eq!(granted(&link("IAF-2026-00007")), Some(5));
        assert_eq!(
            granted(&link("IAF-2026-00001")),
            None,
            "the pioneer's link opens not a replication"
        );
        let declared = DeploymentScope {
            own_reference: None,
            ..scope.clone()
        };
        assert!(VisibleDeployment::grant(&link("IAF-2026-00007"), 5, &declared).is_none());
    }

    #[test]
    fn lists_keep_the_cases_the_viewer_sees_in_their_order() {
        struct Line(&'static str, &'static str);
        impl OfCase for Line {
            fn case_reference(&self) -> &str {
                self.0
            }
            fn case_region(&self) -> &str {
                self.1
            }
        }
        let prestataire = Viewer::team(
            3,
            Role::Prestataire,
            Scope::Assigned(vec!["IAF-2026-00003".into(), "IAF-2026-00001".into()]),
        );
        let kept = prestataire.keep_visible([
            Line("IAF-2026-00001", "Bretagne"),
            Line("IAF-2026-00002", "Bretagne"),
            Line("IAF-2026-00003", "Corse"),
        ]);
        assert_eq!(
            kept.iter().map(|l| l.0).collect::<Vec<_>>(),
            ["IAF-2026-00001", "IAF-2026-00003"]
        );
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
