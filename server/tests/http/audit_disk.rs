//! Audit finding 1 (issue 26): drafts cannot fill the disk — a quota per draft before filing, one for all unfiled
//! drafts, and a free-space reserve that turns uploads away with a 507 while the rest of the site keeps serving.

use std::sync::Arc;

use app::domain::documents::{DocumentKind, ScanStatus, MAX_DRAFT_BYTES, MAX_FILES_PER_CASE};
use app::store::documents::{AddOutcome, DraftQuota, NewDocument};
use app::store::{DocumentStore, IntakeStore};
use axum::http::StatusCode;

use crate::common;
use crate::common::upload::{multipart, post_multipart};
use crate::intake::start;
use common::http::*;

const MB: i64 = 1024 * 1024;

fn document(size: i64) -> NewDocument {
    NewDocument {
        public_id: app::server::tokens::new_token(),
        kind: DocumentKind::Deliberation,
        file_name: "deliberation.pdf".into(),
        media_type: "application/pdf".into(),
        size,
        sha256: "0".repeat(64),
        stored_name: app::server::tokens::new_token(),
        scan_status: ScanStatus::NotScanned,
        uploaded_by: "Collectivité".into(),
    }
}

#[tokio::test]
async fn finding_1_drafts_have_a_quota_and_unfiled_drafts_share_one() {
    for db in common::both().await {
        let (_, store) = setup(&db).await;
        let now = 1_800_000_000;
        let quota = DraftQuota {
            max_files: MAX_FILES_PER_CASE,
            draft_bytes: MAX_DRAFT_BYTES,
            drafts_bytes: 100 * MB,
        };
        let first = app::server::tokens::token_hash(&"a".repeat(64)).expect("hash");
        let second = app::server::tokens::token_hash(&"b".repeat(64)).expect("hash");
        store.create_draft(&first, now).await.expect("draft");
        store.create_draft(&second, now).await.expect("draft");
        // One draft: 20 + 20 MB pass, a third 20 MB file would pass 50 MB (before, 20 × 20 MB were taken).
        for _ in 0..2 {
            let added = store
                .add_draft_documents(&first, &[document(20 * MB)], quota, now)
                .await;
            assert_eq!(added.expect("add"), AddOutcome::Added, "{}", db.label);
        }
        let full = store
            .add_draft_documents(&first, &[document(20 * MB)], quota, now)
            .await;
        assert_eq!(full.expect("add"), AddOutcome::DraftFull, "{}", db.label);
        let small = store.add_draft_documents(&first, &[document(5 * MB)], quota, now).await;
        assert_eq!(small.expect("add"), AddOutcome::Added, "{}", db.label);
        // All unfiled drafts: 45 MB held, 90 MB for all — the second draft gets 45 MB though its own quota is 50.
        let quota = DraftQuota {
            drafts_bytes: 90 * MB,
            ..quota
        };
        let shared = store
            .add_draft_documents(&second, &[document(40 * MB)], quota, now)
            .await;
        assert_eq!(shared.expect("add"), AddOutcome::Added, "{}", db.label);
        let over = store
            .add_draft_documents(&second, &[document(5 * MB + 1)], quota, now)
            .await;
        assert_eq!(over.expect("add"), AddOutcome::DraftsQuota, "{}", db.label);
        // The French refusals shown on the page name what to do.
        let refusal = app::domain::documents::Refusal::DraftFull { name: "a.pdf".into() };
        assert!(refusal.message().contains("50 Mo"), "{}", refusal.message());
        // Carried back as its code alone, shown by the page's own sentence (finding 13).
        let shown = app::domain::documents::Refusal::summaries(&[refusal.code().to_string()]);
        assert!(
            shown.len() == 1 && shown[0].contains("50 Mo"),
            "{}: {shown:?}",
            db.label
        );
    }
}

#[tokio::test]
async fn finding_1_with_the_disk_nearly_full_uploads_get_507_and_pages_still_serve() {
    for db in common::both().await {
        let mut files = server::scan::DocumentFiles::scratch().expect("pieces");
        // A reserve larger than any disk: the documents' filesystem counts as nearly full.
        files.reserve_bytes = u64::MAX / 2;
        let (app, _) = setup_full(&db, false, Arc::new(files)).await;
        let token = start(&app).await;
        let body = multipart(
            &[("nature", "deliberation")],
            &[("piece", "d.pdf", b"%PDF-1.4\n%%EOF\n")],
        );
        let reply = post_multipart(&app, &format!("/deposer/{token}/pieces"), body, None).await;
        assert_eq!(
            reply.status,
            StatusCode::INSUFFICIENT_STORAGE,
            "{}: {}",
            db.label,
            reply.body
        );
        assert!(reply.body.contains("manque momentanément de place"), "{}", reply.body);
        for path in ["/".to_string(), format!("/deposer/{token}/etape/5")] {
            let page = call(&app, "GET", &path, "", None, true).await;
            assert_eq!(page.status, StatusCode::OK, "{}: {path}", db.label);
        }
    }
}
