//! What the endpoints of stages 3 to 5 (cadrage, conception, diffusion) share: reading a case with its
//! stages 3 to 5, the header of their pages, the version in force and the end of a form's write.

use crate::domain::access::VisibleCase;
use crate::domain::auth::Role;
use crate::error::AppError;
use crate::model::case::CaseHead;
use crate::routes::{CasePage, Saved};
use crate::server::access::require_case;
use crate::server::context::server_context;
use crate::server::outcome::{case_not_found, written, Writing};
use crate::store::case::{CaseDetail, Project};
use crate::store::WriteOutcome;

/// The case and its project for any signed-in role who may see it, or a French 404; with the caller's role.
pub async fn load(reference: &str) -> Result<(VisibleCase, CaseDetail, Project, Role), AppError> {
    let (account, case) = require_case(Role::can_read, reference).await?;
    let (detail, project) = read(&case).await?;
    Ok((case, detail, project, account.role))
}

/// The case and its project, or a French 404.
pub async fn read(case: &VisibleCase) -> Result<(CaseDetail, Project), AppError> {
    let ctx = server_context()?;
    let (detail, project) = tokio::join!(ctx.store.case_detail(case), ctx.store.project(case));
    match (detail?, project?) {
        (Some(detail), Some(project)) => Ok((detail, project)),
        _ => Err(case_not_found(case.as_str())),
    }
}

pub fn head(case: &CaseDetail, role: Role) -> CaseHead {
    CaseHead {
        reference: case.summary.reference.clone(),
        title: case.summary.title.clone(),
        collectivite_name: case.summary.collectivite_name.clone(),
        stage: case.summary.stage,
        version: case.summary.version,
        can_act: role.can_act_on_cases(),
        role,
    }
}

/// Ends a write of a form: on success a redirect to `page` of the case with its `saved` confirmation and the new
/// version in its address (no-JS posts follow it, JS calls ignore it), so every open page reads the case again,
/// even after two saves of the same kind in a row; otherwise the error of the outcome.
pub fn finish(
    outcome: WriteOutcome,
    case: &VisibleCase,
    page: CasePage,
    saved: Saved,
    fragment: &str,
) -> Result<i64, AppError> {
    let version = written(outcome, case.as_str(), Writing::Form)?;
    leptos_axum::redirect(&crate::routes::case(case).after_save(page, saved, Some(("v", version)), fragment));
    Ok(version)
}

pub fn in_force(project: &Project) -> i64 {
    project.current().map_or(0, |version| version.number)
}
