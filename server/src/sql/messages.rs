//! The SQL of the thread between a collectivité and the team: messages with their documents in one
//! transaction with the emails they cause, followers, reads, the private follow-up links, and the notices
//! every other write queues to the collectivité (each with a new follow-up link).

use app::domain::access::VisibleCase;
use app::domain::email::{lost_links, message_to_team};
use app::domain::messages::excerpt;
use app::store::documents::AddOutcome;
use app::store::messages::{CaseEmail, LinkedCase, MessageLine, MessageStore, NewMessage, Thread};
use app::store::StoreError;
use sqlx::Row;

use super::links::{draft_of_link, issue_link_in, queue_notice_in};
use super::{fail, from_json, BoardChange, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The case of a thread: its id, reference, stage code, version, title and région.
struct ThreadCase {
    id: i64,
    reference: String,
    stage: String,
    version: i64,
    title: String,
    region: String,
}

/// The case of a thread, locked on PostgreSQL until the message is recorded (two posts at once cannot both
/// pass the documents' limit; SQLite has a single writer).
async fn thread_case(tx: &mut Tx<'_>, thread: &Thread, lock: &str) -> Result<Option<ThreadCase>, StoreError> {
    const COLUMNS: &str = "id, reference, stage, version, title, region";
    let row = match thread {
        Thread::Case(reference) => sqlx::query(&format!("SELECT {COLUMNS} FROM cases WHERE reference = $1{lock}"))
            .bind(reference.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(fail("thread case"))?,
        Thread::Link(hash) => {
            let Some(draft_id) = draft_of_link(&mut **tx, hash).await? else {
                return Ok(None);
            };
            sqlx::query(&format!("SELECT {COLUMNS} FROM cases WHERE draft_id = $1{lock}"))
                .bind(draft_id)
                .fetch_optional(&mut **tx)
                .await
                .map_err(fail("thread case by link"))?
        }
    };
    row.map(|row| {
        Ok(ThreadCase {
            id: row.try_get("id").map_err(fail("thread id"))?,
            reference: row.try_get("reference").map_err(fail("thread reference"))?,
            stage: row.try_get("stage").map_err(fail("thread stage"))?,
            version: row.try_get("version").map_err(fail("thread version"))?,
            title: row.try_get("title").map_err(fail("thread title"))?,
            region: row.try_get("region").map_err(fail("thread region"))?,
        })
    })
    .transpose()
}

/// How many documents a case holds, those of its intake included.
pub(crate) async fn case_document_count(tx: &mut Tx<'_>, case_id: i64) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE case_id = $1 \
         OR draft_id = (SELECT draft_id FROM cases WHERE id = $1)",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(fail("count documents"))
}

#[async_trait::async_trait]
impl MessageStore for SqlStore {
    async fn post_message(
        &self,
        thread: &Thread,
        message: &NewMessage,
    ) -> Result<(AddOutcome, Option<i64>), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("message begin"))?;
        let lock = if self.pools.backend == crate::db::Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let Some(case) = thread_case(&mut tx, thread, lock).await? else {
            return Ok((AddOutcome::NotFound, None));
        };
        let held = case_document_count(&mut tx, case.id).await? as usize;
        if held + message.documents.len() > message.max_documents {
            return Ok((
                AddOutcome::TooMany {
                    room: message.max_documents.saturating_sub(held),
                },
                None,
            ));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO case_messages (case_id, from_collectivite, account_id, author_name, author_role, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(case.id)
        .bind(i64::from(message.from_collectivite))
        .bind(message.account_id)
        .bind(&message.author_name)
        .bind(&message.author_role)
        .bind(&message.body)
        .bind(message.now)
        .fetch_one(&mut *tx)
        .await
        .map_err(fail("insert message"))?;
        for document in &message.documents {
            super::documents::insert_document(&mut tx, document, None, Some(case.id), Some(id), message.now).await?;
        }
        if let Some(account_id) = message.account_id {
            // The writer has read everything up to their own message.
            mark_read_in(&mut tx, case.id, account_id, id).await?;
        }
        if let Some(notice) = &message.notice {
            queue_notice_in(&mut tx, case.id, notice, message.now).await?;
        }
        if message.from_collectivite {
            let followers = sqlx::query(&format!(
                "SELECT a.id, a.name, a.email, a.role FROM accounts a WHERE a.disabled = 0 AND {} AND (\
                 a.id IN (SELECT account_id FROM case_followers WHERE case_id = $1) \
                 OR a.id = (SELECT last_mover_id FROM cases WHERE id = $1))",
                super::accounts::ACTIVE_MEMBER
            ))
            .bind(case.id)
            .fetch_all(&mut *tx)
            .await
            .map_err(fail("followers"))?;
            let link = format!(
                "{}{}",
                message.origin,
                app::routes::case(&case.reference).section(app::routes::Section::Messages)
            );
            let body = excerpt(&message.body, 1_500);
            for follower in followers {
                // Only those who may still see the case (régions, assignment or role may have changed).
                if !still_sees(&mut tx, &follower, &case).await? {
                    continue;
                }
                let name: String = follower.try_get("name").map_err(fail("follower name"))?;
                let email: String = follower.try_get("email").map_err(fail("follower email"))?;
                let email = message_to_team(
                    &email,
                    &name,
                    &message.author_name,
                    &case.reference,
                    &case.title,
                    &body,
                    &link,
                );
                super::outbox::queue_in(&mut tx, &email, message.now).await?;
            }
        }
        let change = BoardChange {
            reference: case.reference.clone(),
            stage: case.stage.clone(),
            version: case.version,
            actor: message.author_name.clone(),
        };
        self.notify_in(&mut tx, &change).await?;
        tx.commit().await.map_err(fail("message commit"))?;
        self.announce(change);
        Ok((AddOutcome::Added, Some(id)))
    }

    async fn thread(&self, case: &VisibleCase) -> Result<Vec<MessageLine>, StoreError> {
        let reference = case.as_str();
        let rows = sqlx::query(
            "SELECT m.id, m.from_collectivite, m.account_id, m.author_name, m.author_role, m.body, m.created_at \
             FROM case_messages m JOIN cases c ON c.id = m.case_id WHERE c.reference = $1 ORDER BY m.id",
        )
        .bind(reference)
        .fetch_all(self.read())
        .await
        .map_err(fail("thread"))?;
        rows.iter()
            .map(|row| {
                Ok(MessageLine {
                    id: row.try_get("id").map_err(fail("message id"))?,
                    from_collectivite: row
                        .try_get::<i64, _>("from_collectivite")
                        .map_err(fail("message side"))?
                        == 1,
                    account_id: row.try_get("account_id").map_err(fail("message account"))?,
                    author_name: row.try_get("author_name").map_err(fail("message author"))?,
                    author_role: row.try_get("author_role").map_err(fail("message role"))?,
                    body: row.try_get("body").map_err(fail("message body"))?,
                    created_at: row.try_get("created_at").map_err(fail("message at"))?,
                })
            })
            .collect()
    }

    async fn linked_case(&self, token_hash: &str) -> Result<Option<LinkedCase>, StoreError> {
        let row = sqlx::query(
            "SELECT c.reference, c.region, c.answers FROM cases c JOIN follow_up_links l ON l.draft_id = c.draft_id \
             WHERE l.token_hash = $1 AND l.ended_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.read())
        .await
        .map_err(fail("linked case"))?;
        if row.is_some() {
            super::links::touch_link(self.write(), token_hash, app::server::context::now()).await?;
        }
        row.map(|row| {
            let answers: String = row.try_get("answers").map_err(fail("linked answers"))?;
            Ok(LinkedCase {
                reference: row.try_get("reference").map_err(fail("linked reference"))?,
                region: row.try_get("region").map_err(fail("linked region"))?,
                contact_name: from_json(&answers)?.get("contact_nom").to_string(),
            })
        })
        .transpose()
    }

    async fn mark_read(&self, case: &VisibleCase, account_id: i64, up_to: i64) -> Result<(), StoreError> {
        let reference = case.as_str();
        let mut tx = self.write().begin().await.map_err(fail("read begin"))?;
        let case_id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("read case"))?;
        if let Some(case_id) = case_id {
            // Never backwards: a page read earlier does not make newer messages unread again.
            sqlx::query(
                "INSERT INTO message_reads (case_id, account_id, last_read_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (case_id, account_id) DO UPDATE SET last_read_id = excluded.last_read_id \
                 WHERE message_reads.last_read_id < excluded.last_read_id",
            )
            .bind(case_id)
            .bind(account_id)
            .bind(up_to)
            .execute(&mut *tx)
            .await
            .map_err(fail("mark read"))?;
        }
        tx.commit().await.map_err(fail("read commit"))
    }

    async fn unread_counts(&self, account_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference, COUNT(m.id) AS unread FROM case_messages m JOIN cases c ON c.id = m.case_id \
             LEFT JOIN message_reads r ON r.case_id = m.case_id AND r.account_id = $1 \
             WHERE (m.account_id IS NULL OR m.account_id <> $1) AND m.id > COALESCE(r.last_read_id, 0) \
             GROUP BY c.reference",
        )
        .bind(account_id)
        .fetch_all(self.read())
        .await
        .map_err(fail("unread"))?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("reference").map_err(fail("unread reference"))?,
                    row.try_get("unread").map_err(fail("unread count"))?,
                ))
            })
            .collect()
    }

    async fn set_following(&self, case: &VisibleCase, account_id: i64, follow: bool) -> Result<bool, StoreError> {
        let reference = case.as_str();
        let case_id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(self.read())
            .await
            .map_err(fail("follow case"))?;
        let Some(case_id) = case_id else {
            return Ok(false);
        };
        let query = if follow {
            "INSERT INTO case_followers (case_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM case_followers WHERE case_id = $1 AND account_id = $2"
        };
        sqlx::query(query)
            .bind(case_id)
            .bind(account_id)
            .execute(self.write())
            .await
            .map_err(fail("follow"))?;
        Ok(true)
    }

    async fn is_following(&self, case: &VisibleCase, account_id: i64) -> Result<bool, StoreError> {
        let reference = case.as_str();
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_followers f JOIN cases c ON c.id = f.case_id WHERE c.reference = $1 AND f.account_id = $2",
        )
        .bind(reference)
        .bind(account_id)
        .fetch_one(self.read())
        .await
        .map_err(fail("is following"))?;
        Ok(count > 0)
    }

    async fn case_emails(&self, case: &VisibleCase) -> Result<Vec<CaseEmail>, StoreError> {
        let reference = case.as_str();
        let rows = sqlx::query(
            "SELECT o.recipient, o.subject, o.created_at, o.sent_at, o.held, o.digest_id, \
             (SELECT d.sent_at FROM outbox d WHERE d.id = o.digest_id) AS digest_sent_at \
             FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.reference = $1 ORDER BY o.id DESC",
        )
        .bind(reference)
        .fetch_all(self.read())
        .await
        .map_err(fail("case emails"))?;
        rows.iter()
            .map(|row| {
                Ok(CaseEmail {
                    recipient: row.try_get("recipient").map_err(fail("email recipient"))?,
                    subject: row.try_get("subject").map_err(fail("email subject"))?,
                    created_at: row.try_get("created_at").map_err(fail("email created"))?,
                    delivery: super::outbox::delivery_of(row)?,
                })
            })
            .collect()
    }

    async fn renew_link(&self, token_hash: &str, new_hash: &str, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("renew begin"))?;
        let draft_id: Option<i64> =
            sqlx::query_scalar("SELECT draft_id FROM follow_up_links WHERE token_hash = $1 AND ended_at IS NULL")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail("renew link"))?;
        let Some(draft_id) = draft_id else {
            return Ok(false);
        };
        for (query, context) in [
            (
                "UPDATE follow_up_links SET ended_at = $2 WHERE draft_id = $1 AND ended_at IS NULL",
                "end links",
            ),
            (
                "INSERT INTO follow_up_links (token_hash, draft_id, created_at) VALUES ($3, $1, $2)",
                "new link",
            ),
            (
                "UPDATE drafts SET token_hash = $3, updated_at = $2 WHERE id = $1",
                "draft link",
            ),
        ] {
            sqlx::query(query)
                .bind(draft_id)
                .bind(now)
                .bind(new_hash)
                .execute(&mut *tx)
                .await
                .map_err(fail(context))?;
        }
        tx.commit().await.map_err(fail("renew commit"))?;
        Ok(true)
    }

    async fn send_lost_links(&self, email: &str, origin: &str, now: i64) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("lost begin"))?;
        let rows = sqlx::query(
            "SELECT id, reference, title, draft_id FROM cases WHERE contact_email = $1 AND draft_id IS NOT NULL ORDER BY id",
        )
        .bind(email.trim().to_lowercase())
        .fetch_all(&mut *tx)
        .await
        .map_err(fail("lost cases"))?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut cases = Vec::new();
        for row in &rows {
            let draft_id: i64 = row.try_get("draft_id").map_err(fail("lost draft"))?;
            let token = issue_link_in(&mut tx, draft_id, now).await?;
            cases.push((
                row.try_get::<String, _>("reference").map_err(fail("lost reference"))?,
                row.try_get::<String, _>("title").map_err(fail("lost title"))?,
                format!("{origin}/suivi/{token}"),
            ));
        }
        super::outbox::queue_in(&mut tx, &lost_links(email.trim(), &cases), now).await?;
        tx.commit().await.map_err(fail("lost commit"))
    }
}

async fn mark_read_in(tx: &mut Tx<'_>, case_id: i64, account_id: i64, last: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO message_reads (case_id, account_id, last_read_id) VALUES ($1, $2, $3) \
         ON CONFLICT (case_id, account_id) DO UPDATE SET last_read_id = excluded.last_read_id",
    )
    .bind(case_id)
    .bind(account_id)
    .bind(last)
    .execute(&mut **tx)
    .await
    .map_err(fail("mark read"))?;
    Ok(())
}

/// Whether a follower may still see the case (the scope rule of `app::domain::access`).
async fn still_sees(tx: &mut Tx<'_>, follower: &sqlx::any::AnyRow, case: &ThreadCase) -> Result<bool, StoreError> {
    use app::domain::access::{Scope, Viewer};
    use app::domain::auth::Role;
    use app::domain::reference::CaseReference;
    let id: i64 = follower.try_get("id").map_err(fail("follower id"))?;
    let role: String = follower.try_get("role").map_err(fail("follower role"))?;
    let role = Role::from_code(&role).ok_or_else(|| StoreError(format!("unknown role {role}")))?;
    let regions: Vec<String> = sqlx::query_scalar("SELECT region FROM account_regions WHERE account_id = $1")
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(fail("follower regions"))?;
    let assigned: Vec<String> = sqlx::query_scalar(
        "SELECT c.reference FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.account_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
    .map_err(fail("follower cases"))?;
    let viewer = Viewer::team(id, role, Scope::of(role, regions, assigned));
    Ok(CaseReference::parse(&case.reference)
        .and_then(|reference| VisibleCase::grant(&viewer, reference, &case.region))
        .is_some())
}
