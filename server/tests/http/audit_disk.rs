//! Audit finding 1 (issue 26): drafts cannot fill the disk — a quota per draft before filing, one for all unfiled
//! drafts, and a free-space reserve that turns uploads away with a 507 while the rest of the site keeps serving;
//! the documents of a draft idle for 30 days are purged.

use std::sync::Arc;

use app::domain::documents::{DocumentKind, ScanStatus, MAX_DRAFT_BYTES, MAX_FILES_PER_CASE};
use app::store::documents::{AddOutcome, DraftQuota, NewDocument};
use app::store::{DocumentStore, IntakeStore};
use axum::http::StatusCode;

use crate::common;
use crate::common::upload::{multipart, post_multipart, post_multipart_accepting};
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

#[tokio::test]
async fn finding_1_an_upload_past_the_draft_quota_gets_413_and_past_the_shared_quota_507() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let token = start(&app).await;
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        let quota = DraftQuota {
            max_files: MAX_FILES_PER_CASE,
            draft_bytes: MAX_DRAFT_BYTES,
            drafts_bytes: i64::MAX,
        };
        // 49.99 MB already held: one more small file passes the draft's 50 MB.
        let held = store
            .add_draft_documents(&hash, &[document(MAX_DRAFT_BYTES - 10)], quota, 1_800_000_000)
            .await;
        assert_eq!(held.expect("add"), AddOutcome::Added, "{}", db.label);
        let body = || {
            multipart(
                &[("nature", "deliberation")],
                &[("piece", "note.pdf", b"%PDF-1.4\n%%EOF\n")],
            )
        };
        let path = format!("/deposer/{token}/pieces");
        let page = post_multipart(&app, &path, body(), None).await;
        assert_eq!(
            page.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}: {}",
            db.label,
            page.body
        );
        assert!(page.body.contains("<html lang=\"fr\">"), "{}", page.body);
        assert!(
            page.body
                .replace("&apos;", "'")
                .contains("« note.pdf » n'a pas été ajouté"),
            "{}",
            page.body
        );
        assert!(page.body.contains("50 Mo"), "{}", page.body);
        assert!(
            page.body.contains(&format!("href=\"/deposer/{token}/etape/5#pieces\"")),
            "{}",
            page.body
        );
        // The progress bar's request gets the same refusal as plain text, one line a file.
        let text = post_multipart_accepting(&app, &path, body(), None, "*/*").await;
        assert_eq!(text.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", db.label);
        assert!(
            text.body.starts_with("« note.pdf »") && !text.body.contains('<'),
            "{}",
            text.body
        );
        assert_eq!(
            store.document_count_for_token(&hash).await.expect("count"),
            Some(1),
            "{}",
            db.label
        );

        // All unfiled drafts together hold more than `IAF_QUOTA_BROUILLONS_MO`: 507, nothing kept.
        let mut files = server::scan::DocumentFiles::scratch().expect("pieces");
        files.drafts_quota_bytes = MAX_DRAFT_BYTES;
        let app = app_on(&db, Arc::new(files));
        let other = start(&app).await;
        let full = post_multipart(&app, &format!("/deposer/{other}/pieces"), body(), None).await;
        assert_eq!(
            full.status,
            StatusCode::INSUFFICIENT_STORAGE,
            "{}: {}",
            db.label,
            full.body
        );
        assert!(
            full.body
                .replace("&apos;", "'")
                .contains("l'espace réservé aux dossiers en préparation est plein"),
            "{}",
            full.body
        );
        let other_hash = app::server::tokens::token_hash(&other).expect("hash");
        assert_eq!(
            store.document_count_for_token(&other_hash).await.expect("count"),
            Some(0),
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn finding_1_the_documents_of_a_draft_idle_for_30_days_are_purged_and_the_draft_kept() {
    use app::domain::retention::DRAFT_DOCUMENTS_RETENTION_DAYS;
    for db in common::both().await {
        let (_, store) = setup(&db).await;
        let now = 1_800_000_000;
        let day = 86_400;
        let quota = DraftQuota {
            max_files: MAX_FILES_PER_CASE,
            draft_bytes: MAX_DRAFT_BYTES,
            drafts_bytes: i64::MAX,
        };
        let idle = app::server::tokens::token_hash(&"c".repeat(64)).expect("hash");
        let active = app::server::tokens::token_hash(&"d".repeat(64)).expect("hash");
        let last_change = now - (DRAFT_DOCUMENTS_RETENTION_DAYS + 1) * day;
        store.create_draft(&idle, last_change).await.expect("draft");
        store.create_draft(&active, last_change).await.expect("draft");
        for hash in [&idle, &active] {
            let added = store
                .add_draft_documents(hash, &[document(MB)], quota, last_change)
                .await;
            assert_eq!(added.expect("add"), AddOutcome::Added, "{}", db.label);
        }
        // The active draft changed yesterday: its documents stay.
        let touched = store
            .add_draft_documents(&active, &[document(MB)], quota, now - day)
            .await;
        assert_eq!(touched.expect("add"), AddOutcome::Added, "{}", db.label);
        assert_eq!(
            store.purge_idle_draft_documents(now).await.expect("purge"),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            store.document_count_for_token(&idle).await.expect("count"),
            Some(0),
            "{}",
            db.label
        );
        assert_eq!(
            store.document_count_for_token(&active).await.expect("count"),
            Some(2),
            "{}",
            db.label
        );
        // The draft itself stays until its own delay; a second run finds nothing.
        assert_eq!(
            store.purge_abandoned_drafts(now).await.expect("drafts"),
            0,
            "{}",
            db.label
        );
        assert_eq!(
            store.purge_idle_draft_documents(now).await.expect("again"),
            0,
            "{}",
            db.label
        );
    }
}
