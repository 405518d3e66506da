//! The SQL of the documents: recording the files of a draft or a message, listing them for a private link or
//! a case, and the antivirus's verdicts.

use app::domain::access::VisibleCase;
use app::domain::documents::{DocumentKind, ScanStatus, MAX_SCAN_ATTEMPTS};
use app::domain::email::{document_set_aside, CollectiviteNotice};
use app::store::documents::{AddOutcome, DocumentLine, DocumentStore, DraftQuota, NewDocument};
use app::store::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::links::{draft_of_link, drafts_of_link};
use super::{fail, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The PostgreSQL advisory lock under which the quota of all unfiled drafts is checked (any constant of ours).
const DRAFTS_QUOTA_LOCK: i64 = 0x1AF0_0001;

const COLUMNS: &str = "public_id, kind, file_name, media_type, size_bytes, sha256, stored_name, scan_status, \
    scan_detail, uploaded_by, created_at, message_id, scan_attempts";

/// Records one document in the transaction, owned by a draft, a case or a message of the case.
pub(crate) async fn insert_document(
    tx: &mut Tx<'_>,
    document: &NewDocument,
    draft_id: Option<i64>,
    case_id: Option<i64>,
    message_id: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO documents (public_id, draft_id, case_id, message_id, kind, file_name, media_type, size_bytes, \
         sha256, stored_name, scan_status, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&document.public_id)
    .bind(draft_id)
    .bind(case_id)
    .bind(message_id)
    .bind(document.kind.code())
    .bind(&document.file_name)
    .bind(&document.media_type)
    .bind(document.size)
    .bind(&document.sha256)
    .bind(&document.stored_name)
    .bind(document.scan_status.code())
    .bind(&document.uploaded_by)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(fail("insert document"))?;
    Ok(())
}

fn document_from(row: &AnyRow) -> Result<DocumentLine, StoreError> {
    let kind: String = row.try_get("kind").map_err(fail("document kind"))?;
    let status: String = row.try_get("scan_status").map_err(fail("document status"))?;
    Ok(DocumentLine {
        public_id: row.try_get("public_id").map_err(fail("document id"))?,
        kind: DocumentKind::parse(&kind).ok_or_else(|| StoreError(format!("unknown document kind {kind}")))?,
        file_name: row.try_get("file_name").map_err(fail("document name"))?,
        media_type: row.try_get("media_type").map_err(fail("document type"))?,
        size: row.try_get("size_bytes").map_err(fail("document size"))?,
        sha256: row.try_get("sha256").map_err(fail("document sha"))?,
        stored_name: row.try_get("stored_name").map_err(fail("document stored"))?,
        scan_status: ScanStatus::parse(&status)
            .ok_or_else(|| StoreError(format!("unknown scan status {status}")))?
            .with_attempts(row.try_get("scan_attempts").map_err(fail("document attempts"))?),
        scan_detail: row.try_get("scan_detail").map_err(fail("document detail"))?,
        uploaded_by: row.try_get("uploaded_by").map_err(fail("document by"))?,
        created_at: row.try_get("created_at").map_err(fail("document at"))?,
        message_id: row.try_get("message_id").map_err(fail("document message"))?,
    })
}

impl SqlStore {
    /// The documents of a draft and of the case filed from it.
    async fn documents_of_draft(&self, draft_id: i64) -> Result<Vec<DocumentLine>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents WHERE draft_id = $1 \
             OR case_id = (SELECT id FROM cases WHERE draft_id = $1) ORDER BY id"
        ))
        .bind(draft_id)
        .fetch_all(self.read())
        .await
        .map_err(fail("documents of draft"))?;
        rows.iter().map(document_from).collect()
    }
}

#[async_trait::async_trait]
impl DocumentStore for SqlStore {
    async fn add_draft_documents(
        &self,
        token_hash: &str,
        documents: &[NewDocument],
        quota: DraftQuota,
        now: i64,
    ) -> Result<AddOutcome, StoreError> {
        let max = quota.max_files;
        let mut tx = self.write().begin().await.map_err(fail("documents begin"))?;
        // The draft is locked before its documents are counted, so that parallel uploads cannot all pass the
        // limit (SQLite has one writer at a time; PostgreSQL needs the row lock).
        let lock = if self.pools.backend == crate::db::Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let draft_id: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM drafts WHERE id IN {} AND submitted_at IS NULL{lock}",
            drafts_of_link(1)
        ))
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("documents draft"))?;
        let Some(draft_id) = draft_id else {
            return Ok(AddOutcome::NotFound);
        };
        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE draft_id = $1")
            .bind(draft_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(fail("documents count"))?;
        let held = held as usize;
        if held + documents.len() > max {
            return Ok(AddOutcome::TooMany {
                room: max.saturating_sub(held),
            });
        }
        let adding: i64 = documents.iter().map(|d| d.size).sum();
        let draft_bytes: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM documents WHERE draft_id = $1",
        )
        .bind(draft_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(fail("documents draft bytes"))?;
        if draft_bytes + adding > quota.draft_bytes {
            return Ok(AddOutcome::DraftFull);
        }
        if self.pools.backend == crate::db::Backend::Postgres {
            // All unfiled drafts share one quota: uploads to different drafts are summed one at a time (always
            // after the draft's own lock, so the two locks are taken in one order).
            sqlx::query("SELECT CAST(1 AS BIGINT) AS locked FROM pg_advisory_xact_lock($1)")
                .bind(DRAFTS_QUOTA_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(fail("documents drafts quota lock"))?;
        }
        let drafts_bytes: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(d.size_bytes), 0) AS BIGINT) FROM documents d \
             JOIN drafts r ON r.id = d.draft_id WHERE r.submitted_at IS NULL",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(fail("documents drafts bytes"))?;
        if drafts_bytes + adding > quota.drafts_bytes {
            return Ok(AddOutcome::DraftsQuota);
        }
        for document in documents {
            insert_document(&mut tx, document, Some(draft_id), None, None, now).await?;
        }
        sqlx::query("UPDATE drafts SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(draft_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("documents touch"))?;
        tx.commit().await.map_err(fail("documents commit"))?;
        Ok(AddOutcome::Added)
    }

    async fn remove_draft_document(&self, token_hash: &str, public_id: &str) -> Result<Option<String>, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("remove begin"))?;
        let stored: Option<String> = sqlx::query_scalar(&format!(
            "SELECT d.stored_name FROM documents d JOIN drafts r ON r.id = d.draft_id \
             WHERE r.id IN {} AND r.submitted_at IS NULL AND d.public_id = $2",
            drafts_of_link(1)
        ))
        .bind(token_hash)
        .bind(public_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("remove find"))?;
        if stored.is_some() {
            sqlx::query("DELETE FROM documents WHERE public_id = $1")
                .bind(public_id)
                .execute(&mut *tx)
                .await
                .map_err(fail("remove document"))?;
        }
        tx.commit().await.map_err(fail("remove commit"))?;
        Ok(stored)
    }

    async fn documents_for_token(&self, token_hash: &str) -> Result<Vec<DocumentLine>, StoreError> {
        match draft_of_link(self.read(), token_hash).await? {
            Some(draft_id) => self.documents_of_draft(draft_id).await,
            None => Ok(Vec::new()),
        }
    }

    async fn documents_of_case(&self, case: &VisibleCase) -> Result<Vec<DocumentLine>, StoreError> {
        let reference = case.as_str();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents WHERE case_id = (SELECT id FROM cases WHERE reference = $1) \
             OR draft_id = (SELECT draft_id FROM cases WHERE reference = $1) ORDER BY id"
        ))
        .bind(reference)
        .fetch_all(self.read())
        .await
        .map_err(fail("documents of case"))?;
        rows.iter().map(document_from).collect()
    }

    async fn document_count_for_token(&self, token_hash: &str) -> Result<Option<usize>, StoreError> {
        match draft_of_link(self.read(), token_hash).await? {
            Some(draft_id) => Ok(Some(self.documents_of_draft(draft_id).await?.len())),
            None => Ok(None),
        }
    }

    async fn pending_scans(&self, limit: i64) -> Result<Vec<DocumentLine>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents WHERE scan_status = 'en-analyse' AND scan_attempts < $2 \
             ORDER BY id LIMIT $1"
        ))
        .bind(limit)
        .bind(MAX_SCAN_ATTEMPTS)
        .fetch_all(self.read())
        .await
        .map_err(fail("pending scans"))?;
        rows.iter().map(document_from).collect()
    }

    async fn record_scan_failure(
        &self,
        public_id: &str,
        reason: &str,
        origin: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("scan failure begin"))?;
        let counted = sqlx::query(
            "UPDATE documents SET scan_attempts = scan_attempts + 1, scan_detail = $1 \
             WHERE public_id = $2 AND scan_status = 'en-analyse' AND scan_attempts < $3",
        )
        .bind(reason.chars().take(200).collect::<String>())
        .bind(public_id)
        .bind(MAX_SCAN_ATTEMPTS)
        .execute(&mut *tx)
        .await
        .map_err(fail("count scan failure"))?;
        if counted.rows_affected() != 1 {
            return Ok(false);
        }
        // The case the file belongs to (sent with a message, or with the draft it was filed from), if any.
        let row = sqlx::query(
            "SELECT d.file_name, d.scan_attempts, COALESCE(c.reference, f.reference) AS reference \
             FROM documents d LEFT JOIN cases c ON c.id = d.case_id \
             LEFT JOIN cases f ON d.draft_id IS NOT NULL AND f.draft_id = d.draft_id WHERE d.public_id = $1",
        )
        .bind(public_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(fail("scan attempts"))?;
        let attempts: i64 = row.try_get("scan_attempts").map_err(fail("scan attempts"))?;
        let set_aside = ScanStatus::Pending.with_attempts(attempts) == ScanStatus::SetAside;
        if set_aside {
            let file_name: String = row.try_get("file_name").map_err(fail("scan file name"))?;
            let team = sqlx::query(&format!(
                "SELECT a.name, a.email FROM accounts a WHERE a.disabled = 0 AND {} \
                 AND a.role IN ('admin', 'programme') ORDER BY a.id",
                super::accounts::ACTIVE_MEMBER
            ))
            .fetch_all(&mut *tx)
            .await
            .map_err(fail("scan team"))?;
            let reference: Option<String> = row.try_get("reference").map_err(fail("scan case"))?;
            let page = reference.map_or_else(|| app::routes::TEAM_HOME.to_string(), |r| app::routes::case(r).page());
            let link = format!("{origin}{page}");
            for member in team {
                let name: String = member.try_get("name").map_err(fail("member name"))?;
                let email: String = member.try_get("email").map_err(fail("member email"))?;
                let email = document_set_aside(&email, &name, &file_name, reason, attempts, &link);
                super::outbox::queue_in(&mut tx, &email, now).await?;
            }
        }
        tx.commit().await.map_err(fail("scan failure commit"))?;
        Ok(set_aside)
    }

    async fn record_scan(
        &self,
        public_id: &str,
        status: ScanStatus,
        detail: &str,
        notice: Option<&CollectiviteNotice>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("scan begin"))?;
        let updated = sqlx::query(
            "UPDATE documents SET scan_status = $1, scan_detail = $2 WHERE public_id = $3 AND scan_status = 'en-analyse'",
        )
        .bind(status.code())
        .bind(detail.chars().take(200).collect::<String>())
        .bind(public_id)
        .execute(&mut *tx)
        .await
        .map_err(fail("record scan"))?;
        if updated.rows_affected() == 1 && status == ScanStatus::Infected {
            if let Some(notice) = notice {
                // Only the collectivité's own files are emailed about (the team sees the verdict on the page).
                let row = sqlx::query(
                    "SELECT COALESCE(d.case_id, c.id) AS case_id, \
                     COALESCE((SELECT m.from_collectivite FROM case_messages m WHERE m.id = d.message_id), 1) AS own \
                     FROM documents d LEFT JOIN cases c ON c.draft_id = d.draft_id WHERE d.public_id = $1",
                )
                .bind(public_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(fail("scan case"))?;
                let case_id: Option<i64> = row.try_get("case_id").map_err(fail("scan case id"))?;
                let own: i64 = row.try_get("own").map_err(fail("scan side"))?;
                if let Some(case_id) = case_id.filter(|_| own == 1) {
                    super::links::queue_notice_in(&mut tx, case_id, notice, now).await?;
                }
            }
        }
        tx.commit().await.map_err(fail("scan commit"))
    }

    async fn stored_names(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT stored_name FROM documents")
            .fetch_all(self.read())
            .await
            .map_err(fail("stored names"))
    }
}
