//! Documents in an S3-compatible bucket (`IAF_S3_BUCKET`), against a real S3 server (moto): received, scanned by
//! a real clamd and quarantined there, served from it, nothing left in the local folder; and the backup of a
//! bucket restored into another, on both databases.

use std::sync::Arc;

use app::domain::documents::ScanStatus;
use app::store::DocumentStore;
use axum::http::StatusCode;

use crate::common::clamav::{Clamd, EICAR};
use crate::common::http::setup_full;
use crate::common::s3::Moto;
use crate::common::upload::{download, multipart, post_multipart};
use crate::exchange::file_case;
use server::storage::{Bucket, Storage};

/// A PDF larger than one part of an upload (5 MiB): sent to the bucket in several parts.
fn large_pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    bytes.extend((0..6 * 1024 * 1024).map(|i| b'a' + (i % 26) as u8));
    bytes.extend_from_slice(b"\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    bytes
}

/// The documents of the case `reference`.
async fn documents_of(store: &server::sql::SqlStore, reference: &str) -> Vec<app::store::documents::DocumentLine> {
    store
        .documents_of_case(&crate::common::system_case(reference))
        .await
        .expect("docs")
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn documents_in_a_bucket_are_scanned_quarantined_and_served_from_it() {
    let moto = Moto::start().await;
    let clamd = Clamd::start().await;
    for db in crate::common::both().await {
        let dir = std::env::temp_dir().join(format!("iaf-pieces-s3-{}-{}", std::process::id(), db.label));
        let settings = moto.bucket(&format!("pieces-{}", db.label.to_lowercase())).await;
        let files = Arc::new(
            server::scan::DocumentFiles::open(
                &dir.to_string_lossy(),
                &clamd.socket.to_string_lossy(),
                "http://localhost",
            )
            .expect("pieces")
            .in_bucket(Bucket::open(&settings).expect("bucket")),
        );
        let (app, store) = setup_full(&db, false, files.clone()).await;
        let (token, reference) = file_case(&app).await;
        let large = large_pdf();
        let reply = post_multipart(
            &app,
            &format!("/suivi/{token}/messages"),
            multipart(
                &[("texte", "Trois fichiers")],
                &[
                    ("fichiers", "sain.txt", b"Bonjour"),
                    ("fichiers", "eicar.txt", EICAR),
                    ("fichiers", "dossier.pdf", &large),
                ],
            ),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        // Nothing stays in the local folder: the bucket holds the three files.
        assert!(files_in(&dir).is_empty(), "{}: {:?}", db.label, files_in(&dir));
        let mut stored: Vec<String> = files
            .storage
            .list()
            .await
            .expect("list")
            .into_iter()
            .map(|s| s.name)
            .collect();
        stored.sort();
        let documents = documents_of(&store, &reference).await;
        let mut expected: Vec<String> = documents.iter().map(|d| d.stored_name.clone()).collect();
        expected.sort();
        assert_eq!(stored, expected, "{}", db.label);
        let named = |name: &str| {
            documents
                .iter()
                .find(|d| d.file_name == name)
                .expect("document")
                .clone()
        };
        let (clean, eicar, pdf) = (named("sain.txt"), named("eicar.txt"), named("dossier.pdf"));

        // clamd reads them from the bucket: the EICAR file goes to `quarantaine/` there and is never served.
        assert_eq!(server::scan::scan_pending(&store, &files).await, 3, "{}", db.label);
        let documents = documents_of(&store, &reference).await;
        let status_of = |id: &str| documents.iter().find(|d| d.public_id == id).expect("doc").scan_status;
        assert_eq!(status_of(&clean.public_id), ScanStatus::Clean, "{}", db.label);
        assert_eq!(status_of(&pdf.public_id), ScanStatus::Clean, "{}", db.label);
        assert_eq!(status_of(&eicar.public_id), ScanStatus::Infected, "{}", db.label);
        let names: Vec<String> = files
            .storage
            .list()
            .await
            .expect("list")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert!(
            names.contains(&format!("quarantaine/{}", eicar.stored_name)),
            "{}: {names:?}",
            db.label
        );
        assert!(!names.contains(&eicar.stored_name), "{}: {names:?}", db.label);

        let (status, _, bytes) = download(&app, &format!("/suivi/{token}/pieces/{}", clean.public_id), None).await;
        assert_eq!(
            (status, bytes.as_slice()),
            (StatusCode::OK, b"Bonjour" as &[u8]),
            "{}",
            db.label
        );
        let (status, _, bytes) = download(&app, &format!("/suivi/{token}/pieces/{}", pdf.public_id), None).await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        assert!(
            bytes == large,
            "{}: the large PDF comes back whole ({} bytes)",
            db.label,
            bytes.len()
        );
        let (status, _, _) = download(&app, &format!("/suivi/{token}/pieces/{}", eicar.public_id), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", db.label);

        // A file the purge finds young and unknown is kept; one known is never touched.
        assert_eq!(
            server::jobs::sweep_documents(&store, &files).await,
            Ok(0),
            "{}",
            db.label
        );
        let _ = std::fs::remove_dir_all(&dir);
        db.cleanup().await;
    }
    clamd.stop().await;
    moto.stop().await;
}

#[tokio::test]
async fn a_backup_of_a_bucket_restores_every_document_into_another_bucket() {
    sqlx::any::install_default_drivers();
    let moto = Moto::start().await;
    for db in crate::common::both().await {
        let label = db.label.to_lowercase();
        let folder = std::env::temp_dir().join(format!("iaf_backup_s3_{}_{}", std::process::id(), label));
        std::fs::create_dir_all(&folder).expect("folder");
        let source = moto.storage(&format!("sauvegarde-{label}")).await;
        let contents = [
            ("0123456789abcdef0123456789abcdef", b"%PDF-1.4 premier".to_vec()),
            ("quarantaine/fedcba9876543210fedcba9876543210", vec![7_u8; 70_000]),
        ];
        for (name, bytes) in &contents {
            let local = folder.join("piece");
            std::fs::write(&local, bytes).expect("write");
            source.copy_in(&local, name).await.expect("into the bucket");
        }
        let archive = folder.join("sauvegarde.tar");
        let report = server::backup::back_up(&db.url, &source, &archive, 1_795_000_000)
            .await
            .expect("backup");
        assert_eq!(report.manifest.pieces, 2, "{label}");

        let target = moto.storage(&format!("restauree-{label}")).await;
        let (url, pg_name) = crate::backup::empty_like(&db, &folder).await;
        let restored = server::backup::restore(&url, &target, &archive, false)
            .await
            .expect("restore");
        assert_eq!(restored.manifest.pieces, 2, "{label}");
        let mut names: Vec<String> = target.list().await.expect("list").into_iter().map(|s| s.name).collect();
        names.sort();
        assert_eq!(
            names,
            contents.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>(),
            "{label}"
        );
        for (name, bytes) in &contents {
            let back = folder.join("relue");
            target.copy_out(name, &back).await.expect("read back");
            assert!(
                std::fs::read(&back).expect("read") == *bytes,
                "{label}: {name} restored byte for byte"
            );
        }
        // The folder kind restores the same archive too.
        let local = Storage::Folder(folder.join("pieces-locales"));
        let (url, pg_again) = crate::backup::empty_like(&db, &folder.join("encore")).await;
        std::fs::create_dir_all(folder.join("encore")).expect("folder");
        server::backup::restore(&url, &local, &archive, false)
            .await
            .expect("restore into a folder");
        assert!(folder
            .join("pieces-locales/quarantaine/fedcba9876543210fedcba9876543210")
            .is_file());
        crate::backup::drop_pg(pg_name).await;
        crate::backup::drop_pg(pg_again).await;
        let _ = std::fs::remove_dir_all(&folder);
        db.cleanup().await;
    }
    moto.stop().await;
}

#[tokio::test]
async fn a_bucket_that_does_not_answer_refuses_the_upload_with_a_503_and_records_nothing() {
    let db = crate::common::sqlite().await;
    let dir = std::env::temp_dir().join(format!("iaf-pieces-s3-absent-{}", std::process::id()));
    let settings = server::storage::BucketSettings {
        bucket: "absent".into(),
        endpoint: format!("http://127.0.0.1:{}", crate::common::process::free_port()),
        region: "eu-west-3".into(),
        access_key_id: "essai".into(),
        secret_access_key: "essai-secret".into(),
        prefix: String::new(),
    };
    let files = Arc::new(
        server::scan::DocumentFiles::open(&dir.to_string_lossy(), "", "http://localhost")
            .expect("pieces")
            .in_bucket(Bucket::open(&settings).expect("bucket")),
    );
    let (app, store) = setup_full(&db, false, files.clone()).await;
    let (token, reference) = file_case(&app).await;
    let started = std::time::Instant::now();
    let reply = post_multipart(
        &app,
        &format!("/suivi/{token}/messages"),
        multipart(&[("texte", "Un fichier")], &[("fichiers", "sain.txt", b"Bonjour")]),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert!(
        reply.body.contains("Le stockage des documents ne répond pas"),
        "{}",
        reply.body
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let documents = documents_of(&store, &reference).await;
    assert!(documents.is_empty(), "{documents:?}");
    assert!(files_in(&dir).is_empty(), "{:?}", files_in(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    db.cleanup().await;
}
