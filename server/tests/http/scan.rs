//! The antivirus as the pages and the scanner tell it, on both databases: a server without a scanner says its
//! files are not scanned (forms and each document), a file the scanner keeps failing on is set aside and the
//! team told, and an archive over the scan limits is never clean.

use std::sync::Arc;

use app::domain::documents::{ScanStatus, MAX_SCAN_ATTEMPTS};
use app::store::{DocumentStore, OutboxStore};
use axum::http::StatusCode;

use crate::common::clamav::Clamd;
use crate::common::http::{call, setup_full, sign_in};
use crate::common::upload::{download, multipart, post_multipart};
use crate::exchange::file_case;

#[tokio::test]
async fn without_a_scanner_the_pages_say_files_are_not_scanned_and_each_document_shows_it() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, _store) = setup_full(&db, false, files.clone()).await;
        let (token, reference) = file_case(&app).await;
        let reply = post_multipart(
            &app,
            &format!("/suivi/{token}/messages"),
            multipart(&[("texte", "Un fichier")], &[("fichiers", "note.txt", b"Bonjour")]),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        let team = sign_in(&app, "prog@ville.fr").await;
        for (page, cookie) in [
            (format!("/suivi/{token}"), None),
            (format!("/equipe/cas/{reference}"), Some(team.as_str())),
        ] {
            let body = call(&app, "GET", &page, "", cookie, true).await.body;
            let body = body.replace("&#x27;", "'");
            assert!(!body.contains("absence de virus"), "{}: {page} claims a scan", db.label);
            assert!(
                body.contains("ne sont pas analysés par un antivirus"),
                "{}: {page} does not say files are not scanned",
                db.label
            );
            assert!(
                body.contains("note.txt") && body.contains("non analysé par un antivirus"),
                "{}: {page} does not show the document unscanned",
                db.label
            );
        }
        db.cleanup().await;
    }
}

/// The CRC-32 (IEEE) of `bytes`, for the zip below.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A DOCX-looking zip (stored entries) holding more files than clamd's `MaxFiles` (10 000).
fn docx_over_max_files() -> Vec<u8> {
    let mut entries: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), b"<Types/>".to_vec()),
        ("word/document.xml".into(), b"<document/>".to_vec()),
    ];
    entries.extend((0..10_050).map(|i| (format!("word/media/f{i}.txt"), b"a".to_vec())));
    let (mut zip, mut central) = (Vec::new(), Vec::new());
    for (name, data) in &entries {
        let offset = zip.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_len = name.len() as u16;
        zip.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
        zip.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        zip.extend_from_slice(&crc.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&name_len.to_le_bytes());
        zip.extend_from_slice(&0_u16.to_le_bytes());
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = zip.len() as u32;
    let count = entries.len() as u16;
    zip.extend_from_slice(&central);
    zip.extend_from_slice(&0x0605_4b50_u32.to_le_bytes());
    zip.extend_from_slice(&[0; 4]);
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&(central.len() as u32).to_le_bytes());
    zip.extend_from_slice(&central_offset.to_le_bytes());
    zip.extend_from_slice(&0_u16.to_le_bytes());
    zip
}

#[tokio::test]
async fn an_archive_over_the_scan_limits_is_not_clean() {
    let clamd = Clamd::start().await;
    let archive = docx_over_max_files();
    for db in crate::common::both().await {
        let dir = std::env::temp_dir().join(format!("iaf-pieces-limits-{}-{}", std::process::id(), db.label));
        let files = Arc::new(
            server::scan::DocumentFiles::open(
                &dir.to_string_lossy(),
                &clamd.socket.to_string_lossy(),
                "http://localhost",
            )
            .expect("pieces"),
        );
        let (app, store) = setup_full(&db, false, files.clone()).await;
        let (token, reference) = file_case(&app).await;
        let reply = post_multipart(
            &app,
            &format!("/suivi/{token}/messages"),
            multipart(&[("texte", "Une archive")], &[("fichiers", "rapport.docx", &archive)]),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        assert_eq!(server::scan::scan_pending(&store, &files).await, 1, "{}", db.label);
        let documents = store
            .documents_of_case(&crate::common::system_case(&reference))
            .await
            .expect("docs");
        let document = documents
            .iter()
            .find(|d| d.file_name == "rapport.docx")
            .expect("the archive");
        assert_eq!(document.scan_status, ScanStatus::Infected, "{}", db.label);
        assert!(
            document.scan_detail.contains("Limits.Exceeded"),
            "{}: {}",
            db.label,
            document.scan_detail
        );
        let (status, _, _) = download(&app, &format!("/suivi/{token}/pieces/{}", document.public_id), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", db.label);
        // The collectivité is told why, without being told it sent a virus.
        let told: Vec<_> = store
            .recent_messages(200)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.subject.contains("Fichier non transmis"))
            .collect();
        assert_eq!(told.len(), 1, "{}", db.label);
        assert!(
            told[0].text_body.contains("trop volumineux ou trop imbriqué"),
            "{}",
            db.label
        );
        assert!(!told[0].text_body.contains("virus selon"), "{}", db.label);
        let _ = std::fs::remove_dir_all(&dir);
        db.cleanup().await;
    }
    clamd.stop().await;
}

/// A daemon that answers PONG to PING and an error to every scan (a real Unix socket peer), like clamd failing
/// on one file.
async fn failing_daemon(socket: std::path::PathBuf) -> tokio::task::JoinHandle<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::UnixListener::bind(&socket).expect("failing daemon socket");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut command = [0_u8; 10];
                if stream.read_exact(&mut command[..6]).await.is_err() {
                    return;
                }
                let answer: &[u8] = if command.starts_with(b"zPING") {
                    b"PONG\0"
                } else {
                    b"Can't allocate memory ERROR\0"
                };
                let _ = stream.write_all(answer).await;
                let _ = stream.shutdown().await;
            });
        }
    })
}

#[tokio::test]
async fn a_file_the_scanner_cannot_read_is_retried_then_set_aside_and_the_team_told() {
    for db in crate::common::both().await {
        let dir = std::env::temp_dir().join(format!("iaf-pieces-aside-{}-{}", std::process::id(), db.label));
        std::fs::create_dir_all(&dir).expect("dir");
        let socket = dir.join("failing.sock");
        let daemon = failing_daemon(socket.clone()).await;
        let files = Arc::new(
            server::scan::DocumentFiles::open(
                &dir.join("pieces").to_string_lossy(),
                &socket.to_string_lossy(),
                "http://localhost",
            )
            .expect("pieces"),
        );
        let (app, store) = setup_full(&db, false, files.clone()).await;
        let (token, reference) = file_case(&app).await;
        let reply = post_multipart(
            &app,
            &format!("/suivi/{token}/messages"),
            multipart(&[("texte", "Un fichier")], &[("fichiers", "illisible.txt", b"Bonjour")]),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        let status = || async {
            let documents = store
                .documents_of_case(&crate::common::system_case(&reference))
                .await
                .expect("docs");
            documents
                .iter()
                .find(|d| d.file_name == "illisible.txt")
                .expect("doc")
                .clone()
        };
        for attempt in 1..MAX_SCAN_ATTEMPTS {
            server::scan::scan_pending(&store, &files).await;
            assert_eq!(
                status().await.scan_status,
                ScanStatus::Pending,
                "{}: attempt {attempt}",
                db.label
            );
            assert_eq!(store.pending_scans(50).await.expect("queue").len(), 1, "{}", db.label);
        }
        server::scan::scan_pending(&store, &files).await;
        let document = status().await;
        assert_eq!(document.scan_status, ScanStatus::SetAside, "{}", db.label);
        // Out of the queue: the other files go on, this one is not retried.
        assert!(store.pending_scans(50).await.expect("queue").is_empty(), "{}", db.label);
        // Never served.
        let (code, _, _) = download(&app, &format!("/suivi/{token}/pieces/{}", document.public_id), None).await;
        assert_eq!(code, StatusCode::CONFLICT, "{}", db.label);
        // The team is told, once.
        let told: Vec<_> = store
            .recent_messages(200)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.recipient == "prog@ville.fr" && m.subject.contains("Document à vérifier"))
            .collect();
        assert_eq!(told.len(), 1, "{}", db.label);
        assert!(told[0].text_body.contains("illisible.txt"), "{}", db.label);
        // Its link opens the case the file was sent to.
        assert!(
            told[0].text_body.contains(&format!("/equipe/cas/{reference}")),
            "{}: {}",
            db.label,
            told[0].text_body
        );
        let team = sign_in(&app, "prog@ville.fr").await;
        let page = call(&app, "GET", &format!("/equipe/cas/{reference}"), "", Some(&team), true).await;
        assert!(
            page.body
                .replace("&#x27;", "'")
                .contains("à vérifier : l'antivirus n'a pas pu l'analyser"),
            "{}",
            db.label
        );
        daemon.abort();
        let _ = std::fs::remove_dir_all(&dir);
        db.cleanup().await;
    }
}
