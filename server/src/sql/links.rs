//! The private follow-up links of filed cases (several may be valid at once: the first, and one per email
//! sent) and the notices to a collectivité, queued in the transaction of the write that causes them.

use app::domain::email::{collectivite_notice, CollectiviteNotice, NoticeFacts};
use app::server::tokens::{new_token, token_hash};
use app::store::StoreError;
use sqlx::Row;

use super::{fail, from_json};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The draft behind a private link: a draft not yet filed by its own token, or a filed case's valid link.
pub(crate) async fn draft_of_link<'e, E>(executor: E, token_hash: &str) -> Result<Option<i64>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "SELECT id FROM drafts WHERE token_hash = $1 AND submitted_at IS NULL \
         UNION ALL SELECT draft_id FROM follow_up_links WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(executor)
    .await
    .map_err(fail("draft of link"))
}

/// The SQL set of the draft behind the private link bound at `$n` (for `id IN …`): the draft's own token, or a
/// valid follow-up link (a filed case's, or an agent's link to a shared draft).
pub(crate) fn drafts_of_link(n: u8) -> String {
    format!(
        "(SELECT id FROM drafts WHERE token_hash = ${n} \
         UNION ALL SELECT draft_id FROM follow_up_links WHERE token_hash = ${n} AND ended_at IS NULL)"
    )
}

/// Records that a follow-up link was used at `now`, at most once per `LINK_USE_GRANULARITY_SECONDS`: a link in
/// use does not reach the end of unused links.
pub(crate) async fn touch_link<'e, E>(executor: E, token_hash: &str, now: i64) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "UPDATE follow_up_links SET last_used_at = $2 WHERE token_hash = $1 AND ended_at IS NULL \
         AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(token_hash)
    .bind(now)
    .bind(now - app::domain::retention::LINK_USE_GRANULARITY_SECONDS)
    .execute(executor)
    .await
    .map_err(fail("touch link"))?;
    Ok(())
}

/// Issues a new follow-up link of a draft in the transaction; the token, to put in an email.
pub(crate) async fn issue_link_in(tx: &mut Tx<'_>, draft_id: i64, now: i64) -> Result<String, StoreError> {
    issue_link_for_in(tx, draft_id, None, now).await
}

/// Issues a new private link of a draft in the transaction, for an agent (of a shared draft) or not; the token.
pub(crate) async fn issue_link_for_in(
    tx: &mut Tx<'_>,
    draft_id: i64,
    agent_id: Option<i64>,
    now: i64,
) -> Result<String, StoreError> {
    let token = new_token();
    let hash = token_hash(&token).ok_or_else(|| StoreError("new token not well formed".into()))?;
    sqlx::query("INSERT INTO follow_up_links (token_hash, draft_id, created_at, agent_id) VALUES ($1, $2, $3, $4)")
        .bind(hash)
        .bind(draft_id)
        .bind(now)
        .bind(agent_id)
        .execute(&mut **tx)
        .await
        .map_err(fail("issue link"))?;
    Ok(token)
}

/// Queues a notice to the collectivité of a case, with a new follow-up link, in the write's transaction.
/// Nothing is sent for a case without an intake (demo data) or without a contact address.
pub(crate) async fn queue_notice_in(
    tx: &mut Tx<'_>,
    case_id: i64,
    notice: &CollectiviteNotice,
    now: i64,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT reference, title, contact_email, answers, draft_id, \
         (SELECT MAX(number) FROM cadrage_versions v WHERE v.case_id = cases.id) AS cadrage_version \
         FROM cases WHERE id = $1",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(fail("notice case"))?;
    let to: String = row.try_get("contact_email").map_err(fail("notice email"))?;
    let draft_id: Option<i64> = row.try_get("draft_id").map_err(fail("notice draft"))?;
    let Some(draft_id) = draft_id.filter(|_| !to.is_empty()) else {
        return Ok(());
    };
    let answers: String = row.try_get("answers").map_err(fail("notice answers"))?;
    let token = issue_link_in(tx, draft_id, now).await?;
    let facts = NoticeFacts {
        to,
        contact_name: from_json(&answers)?.get("contact_nom").to_string(),
        reference: row.try_get("reference").map_err(fail("notice reference"))?,
        title: row.try_get("title").map_err(fail("notice title"))?,
        link: format!("{}/suivi/{token}", notice.origin),
        cadrage_version: row.try_get("cadrage_version").map_err(fail("notice version"))?,
    };
    let wait = if app::domain::notices::may_wait(&notice.notice) {
        super::outbox::Wait::MayWait
    } else {
        super::outbox::Wait::Never
    };
    super::outbox::queue_about(tx, &collectivite_notice(notice, &facts), Some(case_id), wait, now)
        .await
        .map(|_| ())
}
