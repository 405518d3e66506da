//! Similar cases: the selections the wizard reads as a collectivité describes its need (step 2, through
//! `endpoints::intake::partie_etape`, and the next screen) and the team's case page reads. What each reader may
//! learn is decided here: a collectivité gets published cases and a count; the team gets the cases its scope
//! covers. Server only.
#![cfg(feature = "ssr")]

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::similar::SimilarForCollectivite;
#[cfg(feature = "ssr")]
use crate::model::similar::{FiledMatch, PublishedMatch, SimilarForTeam};
#[cfg(feature = "ssr")]
use crate::store::similar::CloseCase;

/// The most characters of each text compared (the wizard's own limits).
#[cfg(feature = "ssr")]
const MAX_TEXT_CHARS: usize = 3_000;

/// What a collectivité may see of the cases close to a need: the published ones, and how many collectivités
/// filed unpublished ones.
#[cfg(feature = "ssr")]
pub(crate) async fn for_collectivite(
    title: &str,
    problem: &str,
    solution: &str,
) -> Result<SimilarForCollectivite, AppError> {
    use crate::domain::similar::{other_collectivites, others_sentence, MAX_LISTED};
    let ctx = crate::server::context::server_context()?;
    let bounded = |text: &str| text.chars().take(MAX_TEXT_CHARS).collect::<String>();
    let (terms, close) = ctx
        .store
        .close_to_need(&bounded(title), &bounded(problem), &bounded(solution))
        .await?;
    let library = ctx
        .store
        .library_close_to_need(&bounded(title), &bounded(problem), &bounded(solution))
        .await?
        .into_iter()
        .take(MAX_LISTED)
        .collect();
    let others = other_collectivites(
        close
            .iter()
            .filter(|case| case.publication.is_none())
            .map(|case| case.collectivite_key.as_str()),
        "",
    );
    Ok(SimilarForCollectivite {
        published: close
            .into_iter()
            .filter_map(|case| {
                case.publication.map(|(slug, title)| PublishedMatch {
                    slug,
                    title,
                    collectivite: case.collectivite_name,
                    region: case.region,
                })
            })
            .take(MAX_LISTED)
            .collect(),
        library,
        others_sentence: others_sentence(terms, others),
    })
}

/// The close cases of a filed case, as `viewer` may see them, and the count of the other collectivités that
/// filed them.
#[cfg(feature = "ssr")]
pub(crate) async fn for_team(
    case: &crate::domain::access::VisibleCase,
    own: &str,
    viewer: &crate::domain::access::Viewer,
) -> Result<SimilarForTeam, AppError> {
    use crate::domain::similar::{other_collectivites, MAX_LISTED};
    let ctx = crate::server::context::server_context()?;
    let close: Vec<CloseCase> = ctx
        .store
        .close_to_case(case)
        .await?
        .into_iter()
        .filter(|case| case.collectivite_key != own)
        .collect();
    Ok(SimilarForTeam {
        other_collectivites: other_collectivites(close.iter().map(|case| case.collectivite_key.as_str()), own),
        cases: viewer
            .keep_visible(close)
            .into_iter()
            .take(MAX_LISTED * 2)
            .map(|case| FiledMatch {
                reference: case.reference,
                title: case.title,
                collectivite: case.collectivite_name,
                region: case.region,
                stage: case.stage,
                published_slug: case.publication.map(|(slug, _)| slug),
            })
            .collect(),
    })
}
