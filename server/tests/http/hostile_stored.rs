//! After the hostile calls: nothing stored is half-valid. Every row the calls could write is read back and
//! checked by the domain's own rules (the intake's for a case, the cadrage's for a version, the log's, the
//! evidence's, the kit's, the grid's, a period's, an account's), and each check counts its rows: at least as
//! many as the test made and the successful calls added, so an empty loop cannot pass.

use std::collections::HashMap;

use app::domain::text::clean_text;
use app::store::*;
use server::sql::SqlStore;

use crate::hostile_world::World;

/// The rows checked, by kind.
#[derive(Debug, Default)]
struct Checked {
    cases: usize,
    comments: usize,
    grid_lines: usize,
    versions: usize,
    validations: usize,
    log_entries: usize,
    condition_checks: usize,
    kits: usize,
    periods: usize,
    accounts: usize,
}

/// A text as the app stores it: cleaned of control characters and trimmed.
fn is_clean(text: &str) -> bool {
    clean_text(text) == text && text.trim() == text
}

pub async fn nothing_half_valid(store: &SqlStore, world: &World, done: &HashMap<&str, usize>, label: &str) {
    use app::domain::cadrage::{check, check_evidence, check_log_entry};
    use app::domain::diffusion::{read_kit, supports_text, videos_text, KitForm};
    let successes = |path: &str| done.get(path).copied().unwrap_or_default();
    let directory = server::state::load_directory().expect("directory");
    let known = |key: &str| directory.by_key(key).is_some();
    let mut checked = Checked::default();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&store.pools.read)
        .await
        .expect("count");
    for summary in store.case_summaries().await.expect("cases") {
        let reference = summary.reference;
        let detail = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case");
        let errors = app::domain::intake::validate_all(&detail.answers, &known);
        assert!(errors.is_empty(), "{label}: {reference} filed half-valid: {errors:?}");
        checked.cases += 1;
        for comment in &detail.comments {
            assert!(
                !comment.body.is_empty()
                    && comment.body.chars().count() <= app::endpoints::case::MAX_COMMENT_CHARS
                    && is_clean(&comment.body),
                "{label}: {reference} has the comment {:?}",
                comment.body.chars().take(80).collect::<String>()
            );
            checked.comments += 1;
        }
        for line in &detail.assessment.lines {
            assert!(
                line.score.is_none_or(|score| (0..=3).contains(&score))
                    && line.comment.chars().count() <= app::domain::qualification::MAX_GRID_COMMENT_CHARS
                    && is_clean(&line.comment),
                "{label}: {reference} has the grid line {line:?}"
            );
            checked.grid_lines += 1;
        }
        assert!(
            detail.assessment.interview_notes.chars().count() <= app::domain::qualification::MAX_NOTES_CHARS
                && is_clean(&detail.assessment.interview_notes),
            "{label}: {reference}'s interview notes"
        );
        let project = store
            .project(&crate::common::system_case(&reference))
            .await
            .expect("project")
            .expect("case");
        for version in &project.versions {
            let errors = check(&version.document);
            assert!(
                errors.is_empty(),
                "{label}: {reference} version {} stored half-valid: {errors:?}",
                version.number
            );
            checked.versions += 1;
        }
        for validation in &project.validations {
            assert!(
                !validation.signatory.is_empty()
                    && validation.signatory.chars().count() <= 200
                    && is_clean(&validation.signatory)
                    && project.versions.iter().any(|v| v.number == validation.version),
                "{label}: {reference} has the validation {validation:?}"
            );
            checked.validations += 1;
        }
        for entry in &project.log {
            assert_eq!(
                check_log_entry(&entry.day, &entry.kind, &entry.body),
                Ok((entry.day.clone(), entry.kind.as_str(), entry.body.clone())),
                "{label}: {reference} has the log entry {entry:?}"
            );
            checked.log_entries += 1;
        }
        for recorded in &project.checks {
            assert_eq!(
                check_evidence(&recorded.check.evidence),
                Ok(recorded.check.evidence.clone()),
                "{label}: {reference}"
            );
            assert!(
                project.versions.iter().any(|v| v
                    .document
                    .lines("conditions_diffusion")
                    .contains(&recorded.check.condition)),
                "{label}: {reference} checked a condition no version sets: {recorded:?}"
            );
            checked.condition_checks += 1;
        }
        if let Some(stored) = &project.kit {
            let kit = &stored.kit;
            let (videos, supports) = (videos_text(&kit.videos), supports_text(&kit.supports));
            let (agents, hours) = (
                kit.agents_measured.map(|n| n.to_string()).unwrap_or_default(),
                kit.hours_measured.map(|n| n.to_string()).unwrap_or_default(),
            );
            let (again, errors) = read_kit(&KitForm {
                summary: &kit.summary,
                problem: &kit.problem,
                solution: &kit.solution,
                documentation: &kit.documentation,
                videos: &videos,
                supports: &supports,
                contact: &kit.contact,
                agents_measured: &agents,
                hours_measured: &hours,
            });
            assert!(
                errors.is_empty() && &again == kit,
                "{label}: {reference} has a kit its own form refuses: {errors:?}"
            );
            checked.kits += 1;
        }
    }
    assert_eq!(checked.cases as i64, rows, "{label}: every case was read");
    let periods = store.periods().await.expect("periods");
    for period in &periods {
        let others: Vec<_> = periods.iter().filter(|p| p.id != period.id).cloned().collect();
        assert!(
            is_clean(&period.name)
                && app::domain::periods::check_new_period(&period.name, period.starts_at, period.ends_at, &others)
                    .is_ok(),
            "{label}: the period {period:?}"
        );
        checked.periods += 1;
    }
    for line in store.accounts().await.expect("accounts") {
        let account = line.account;
        assert!(
            app::domain::intake::is_email(&account.email)
                && account.email == account.email.to_lowercase()
                && !account.name.trim().is_empty()
                && is_clean(&account.name),
            "{label}: the account {} <{}>",
            account.name,
            account.email
        );
        checked.accounts += 1;
    }
    eprintln!("{label}: rows checked after the hostile calls: {checked:?}");
    let at_least = [
        (
            "cases",
            checked.cases,
            world.cases_made + successes("/api/depot/deposer"),
        ),
        ("comments", checked.comments, successes("/api/equipe/commenter")),
        ("grid lines", checked.grid_lines, 5),
        (
            "cadrage versions",
            checked.versions,
            world.versions_made + successes("/api/equipe/cadrage/enregistrer"),
        ),
        (
            "validations",
            checked.validations,
            successes("/api/equipe/cadrage/valider"),
        ),
        (
            "log entries",
            checked.log_entries,
            successes("/api/equipe/conception/journal"),
        ),
        ("condition checks", checked.condition_checks, 1),
        ("kits", checked.kits, 3),
        ("periods", checked.periods, 1 + successes("/api/equipe/periodes/creer")),
        (
            "accounts",
            checked.accounts,
            9 + successes("/api/equipe/comptes/inviter"),
        ),
    ];
    for (kind, rows, expected) in at_least {
        assert!(
            rows >= expected && rows > 0,
            "{label}: {rows} {kind} checked, at least {expected} expected"
        );
    }
}
