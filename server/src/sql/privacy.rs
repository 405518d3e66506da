//! The SQL of personal data (RGPD): the purge of abandoned drafts after the published delay, and everything
//! held about one email address.

use app::domain::access::{Viewer, VisibleCase};
use app::domain::history::{describe_event, EventKind};
use app::domain::intake::IntakeAnswers;
use app::domain::reference::CaseReference;
use app::domain::retention::{draft_documents_cutoff, draft_expiry_cutoff, normalized_email};
use app::store::StoreError;
use serde::Serialize;
use sqlx::Row;

use super::{fail, SqlStore};

/// Everything held about one email address.
#[derive(Debug, Serialize)]
pub struct PersonalData {
    pub email: String,
    pub exported_at: String,
    /// The team account of that address, without its password's hash.
    pub account: Option<AccountData>,
    /// Cases whose contact is that address, with every answer.
    pub cases: Vec<CaseData>,
    /// Drafts not filed whose contact is that address.
    pub drafts: Vec<DraftData>,
    /// What the account did, as the cases' histories record it.
    pub actions: Vec<ActionData>,
    /// The messages of the threads of those cases.
    pub messages: Vec<MessageData>,
    /// The documents of those cases and drafts (each downloadable by an administrator at its `href`).
    pub documents: Vec<DocumentData>,
}

#[derive(Debug, Serialize)]
pub struct MessageData {
    pub reference: String,
    pub author: String,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct DocumentData {
    pub reference: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub scan_status: String,
    pub at: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct AccountData {
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct CaseData {
    pub reference: String,
    pub title: String,
    pub filed_at: String,
    pub answers: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub struct DraftData {
    pub created_at: String,
    pub updated_at: String,
    pub answers: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub struct ActionData {
    pub reference: String,
    pub kind: String,
    pub detail: String,
    pub at: String,
}

fn answers_map(text: &str) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
    let answers: IntakeAnswers = serde_json::from_str(text).map_err(|e| StoreError(format!("answers JSON: {e}")))?;
    Ok(answers.pairs().into_iter().collect())
}

fn contact_of(text: &str) -> Option<String> {
    let answers: IntakeAnswers = serde_json::from_str(text).ok()?;
    normalized_email(answers.get("contact_email"))
}

impl SqlStore {
    /// Deletes the drafts never filed whose last change is older than the retention delay; returns how many.
    /// Their documents go with them (the files are then removed by the sweep of the documents' folder).
    pub async fn purge_abandoned_drafts(&self, now: i64) -> Result<u64, StoreError> {
        const ABANDONED: &str = "SELECT id FROM drafts WHERE submitted_at IS NULL AND updated_at < $1 \
             AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.draft_id = drafts.id)";
        let mut tx = self.pools.write.begin().await.map_err(fail("purge begin"))?;
        sqlx::query(&format!("DELETE FROM documents WHERE draft_id IN ({ABANDONED})"))
            .bind(draft_expiry_cutoff(now))
            .execute(&mut *tx)
            .await
            .map_err(fail("purge draft documents"))?;
        let deleted = sqlx::query(&format!("DELETE FROM drafts WHERE id IN ({ABANDONED})"))
            .bind(draft_expiry_cutoff(now))
            .execute(&mut *tx)
            .await
            .map_err(fail("purge drafts"))?;
        tx.commit().await.map_err(fail("purge commit"))?;
        Ok(deleted.rows_affected())
    }

    /// Deletes the documents of the drafts never filed whose last change is older than
    /// `DRAFT_DOCUMENTS_RETENTION_DAYS` (the drafts stay until their own delay); returns how many. The files are
    /// then removed by the sweep of the documents' folder.
    pub async fn purge_idle_draft_documents(&self, now: i64) -> Result<u64, StoreError> {
        let deleted = sqlx::query(
            "DELETE FROM documents WHERE draft_id IN (SELECT id FROM drafts WHERE submitted_at IS NULL \
             AND updated_at < $1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.draft_id = drafts.id))",
        )
        .bind(draft_documents_cutoff(now))
        .execute(self.write())
        .await
        .map_err(fail("purge idle draft documents"))?;
        Ok(deleted.rows_affected())
    }

    /// Ends the follow-up links unused for `LINK_IDLE_DAYS` (their last use, or their creation when never used);
    /// returns how many.
    pub async fn end_unused_links(&self, now: i64) -> Result<u64, StoreError> {
        let ended = sqlx::query(
            "UPDATE follow_up_links SET ended_at = $1 WHERE ended_at IS NULL \
             AND COALESCE(last_used_at, created_at) < $2",
        )
        .bind(now)
        .bind(app::domain::retention::link_idle_cutoff(now))
        .execute(self.write())
        .await
        .map_err(fail("end unused links"))?;
        Ok(ended.rows_affected())
    }

    /// Everything held about `email` (already normalised), as `viewer` (an administrator) may read it.
    pub async fn personal_data(&self, viewer: &Viewer, email: &str, now: i64) -> Result<PersonalData, StoreError> {
        use app::domain::dates::iso_datetime;
        let pool = &self.pools.read;
        // The answers are JSON: the address is searched as JSON writes it, then checked exactly.
        let encoded = serde_json::to_string(email).map_err(|e| StoreError(format!("email to JSON: {e}")))?;
        let pattern = super::like_containing(encoded.trim_matches('"'));
        let account = sqlx::query("SELECT name, role, disabled, created_at FROM accounts WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await
            .map_err(fail("personal account"))?;
        let account = account
            .map(|row| {
                let disabled: i64 = row.try_get("disabled").map_err(fail("personal disabled"))?;
                Ok::<_, StoreError>(AccountData {
                    name: row.try_get("name").map_err(fail("personal name"))?,
                    role: row.try_get("role").map_err(fail("personal role"))?,
                    disabled: disabled != 0,
                    created_at: iso_datetime(row.try_get("created_at").map_err(fail("personal created"))?),
                })
            })
            .transpose()?;
        let mut cases = Vec::new();
        // The cases the viewer may read the thread and documents of.
        let mut keys = Vec::new();
        for row in sqlx::query(
            "SELECT reference, region, title, created_at, answers FROM cases WHERE LOWER(answers) LIKE $1 \
             ESCAPE '\\' ORDER BY id",
        )
        .bind(&pattern)
        .fetch_all(pool)
        .await
        .map_err(fail("personal cases"))?
        {
            let answers: String = row.try_get("answers").map_err(fail("personal answers"))?;
            if contact_of(&answers).as_deref() == Some(email) {
                let reference: String = row.try_get("reference").map_err(fail("personal reference"))?;
                let region: String = row.try_get("region").map_err(fail("personal region"))?;
                if let Some(key) =
                    CaseReference::parse(&reference).and_then(|parsed| VisibleCase::grant(viewer, parsed, &region))
                {
                    keys.push(key);
                }
                cases.push(CaseData {
                    reference: row.try_get("reference").map_err(fail("personal reference"))?,
                    title: row.try_get("title").map_err(fail("personal title"))?,
                    filed_at: iso_datetime(row.try_get("created_at").map_err(fail("personal filed"))?),
                    answers: answers_map(&answers)?,
                });
            }
        }
        let mut drafts = Vec::new();
        for row in sqlx::query(
            "SELECT created_at, updated_at, answers FROM drafts WHERE submitted_at IS NULL AND LOWER(answers) LIKE $1 \
             ESCAPE '\\' ORDER BY id",
        )
        .bind(&pattern)
        .fetch_all(pool)
        .await
        .map_err(fail("personal drafts"))?
        {
            let answers: String = row.try_get("answers").map_err(fail("personal draft answers"))?;
            if contact_of(&answers).as_deref() == Some(email) {
                drafts.push(DraftData {
                    created_at: iso_datetime(row.try_get("created_at").map_err(fail("personal draft created"))?),
                    updated_at: iso_datetime(row.try_get("updated_at").map_err(fail("personal draft updated"))?),
                    answers: answers_map(&answers)?,
                });
            }
        }
        let mut actions = Vec::new();
        if let Some(account) = &account {
            for row in sqlx::query(
                "SELECT c.reference, e.kind, e.detail, e.created_at FROM case_events e JOIN cases c ON c.id = e.case_id \
                 WHERE e.actor = $1 ORDER BY e.id",
            )
            .bind(&account.name)
            .fetch_all(pool)
            .await
            .map_err(fail("personal actions"))?
            {
                let kind: String = row.try_get("kind").map_err(fail("personal kind"))?;
                let kind =
                    EventKind::from_code(&kind).ok_or_else(|| StoreError(format!("unknown event kind {kind}")))?;
                actions.push(ActionData {
                    reference: row.try_get("reference").map_err(fail("personal action reference"))?,
                    kind: describe_event(kind, None, None),
                    detail: row.try_get("detail").map_err(fail("personal detail"))?,
                    at: iso_datetime(row.try_get("created_at").map_err(fail("personal at"))?),
                });
            }
        }
        let (messages, documents) = self.exchanges_of(&keys).await?;
        Ok(PersonalData {
            email: email.to_string(),
            exported_at: iso_datetime(now),
            account,
            cases,
            drafts,
            actions,
            messages,
            documents,
        })
    }

    /// The messages and documents of the cases a person filed.
    async fn exchanges_of(&self, cases: &[VisibleCase]) -> Result<(Vec<MessageData>, Vec<DocumentData>), StoreError> {
        use app::domain::dates::iso_datetime;
        let mut messages = Vec::new();
        let mut documents = Vec::new();
        for case in cases {
            for line in app::store::MessageStore::thread(self, case).await? {
                messages.push(MessageData {
                    reference: case.to_string(),
                    author: app::domain::messages::author_line(
                        line.from_collectivite,
                        &line.author_name,
                        &line.author_role,
                    ),
                    body: line.body,
                    at: iso_datetime(line.created_at),
                });
            }
            for line in app::store::DocumentStore::documents_of_case(self, case).await? {
                documents.push(DocumentData {
                    reference: case.to_string(),
                    href: app::routes::case(case).document(&line.public_id),
                    file_name: line.file_name,
                    media_type: line.media_type,
                    size_bytes: line.size,
                    sha256: line.sha256,
                    scan_status: line.scan_status.code().to_string(),
                    at: iso_datetime(line.created_at),
                });
            }
        }
        Ok((messages, documents))
    }
}
