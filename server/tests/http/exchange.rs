//! The collectivité in the loop, on both databases: the thread between a collectivité and the team with its
//! emails, the documents (who may fetch them, the limits, the type checked by content, a cut-off upload), the
//! private link after filing, lost links, the attestation de dépôt and the antivirus.

use std::sync::Arc;

use app::domain::auth::Role;
use app::store::{AccountStore, DocumentStore, IntakeStore, MessageStore};
use axum::http::{header, StatusCode};
use axum::Router;

use crate::common::clamav::{Clamd, EICAR};
use crate::common::http::{call, setup_full, sign_in, PASSWORD};
use crate::common::upload::{download, multipart, post_multipart};
use crate::intake::{encode, post_form, start, step_bodies};

const CONTACT: &str = "camille.martin@saint-etienne.fr";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Files a complete case of Saint-Étienne through the forms; its private token and reference.
pub(crate) async fn file_case(app: &Router) -> (String, String) {
    let token = start(app).await;
    for (step, body) in step_bodies(&token) {
        post_form(app, &format!("/api/depot/etape{step}"), &body).await;
    }
    let (status, _) = post_form(app, "/api/depot/deposer", &encode(&[("token", &token)])).await;
    assert_eq!(status, StatusCode::FOUND);
    let page = call(app, "GET", &format!("/deposer/{token}/recu"), "", None, true)
        .await
        .body;
    let start = page.find("IAF-20").expect("reference on the receipt");
    let reference: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (token, reference)
}

/// The messages queued to `to`, oldest first.
async fn emails_to(store: &server::sql::SqlStore, to: &str) -> Vec<app::store::outbox::OutboxMessage> {
    let mut messages: Vec<_> = server::mail::readable_messages(store, 200)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == to)
        .collect();
    messages.reverse();
    messages
}

/// The follow-up token in an email's text.
fn link_token(text: &str) -> String {
    let start = text.find("/suivi/").expect("a follow-up link") + "/suivi/".len();
    text[start..start + 64].to_string()
}

fn documents_dir_files(files: &server::scan::DocumentFiles) -> Vec<String> {
    std::fs::read_dir(&files.dir)
        .expect("documents folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test]
async fn the_team_and_the_collectivite_write_to_each_other_with_emails_and_a_pdf() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files.clone()).await;
        let (token, reference) = file_case(&app).await;

        // The deposit receipt went to the contact, with a follow-up link of its own that works.
        let receipt = emails_to(&store, CONTACT).await;
        assert_eq!(receipt.len(), 1, "{}", db.label);
        assert!(receipt[0].subject.contains(&reference) && receipt[0].subject.contains("Accusé de dépôt"));
        let emailed = link_token(&receipt[0].text_body);
        assert_ne!(emailed, token);
        let reply = call(&app, "GET", &format!("/suivi/{emailed}"), "", None, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", db.label);
        assert!(reply.body.contains(&reference));

        // The team asks a question: the collectivité is emailed the text with a link.
        let team = sign_in(&app, "prog@ville.fr").await;
        let question = "Pouvez-vous nous envoyer la délibération ?";
        let sent = post_multipart(
            &app,
            &format!("/equipe/cas/{reference}/messages"),
            multipart(&[("texte", question)], &[]),
            Some(&team),
        )
        .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}: {}", db.label, sent.body);
        assert_eq!(sent.location, format!("/equipe/cas/{reference}?envoye=1#messages"));
        let to_collectivite = emails_to(&store, CONTACT).await;
        assert_eq!(to_collectivite.len(), 2, "{}", db.label);
        assert!(to_collectivite[1].text_body.contains(question), "{}", db.label);

        // The member follows the case; the collectivité answers with a PDF from its page.
        let follow = call(
            &app,
            "POST",
            "/api/equipe/suivre",
            &format!("reference={reference}&suivre=oui"),
            Some(&team),
            true,
        )
        .await;
        assert_eq!(follow.status, StatusCode::FOUND, "{}", db.label);
        let answer = post_multipart(
            &app,
            &format!("/suivi/{token}/messages"),
            multipart(&[("texte", "La voici.")], &[("fichiers", "délibération.pdf", PDF)]),
            None,
        )
        .await;
        assert_eq!(
            answer.location,
            format!("/suivi/{token}?envoye=1#messages"),
            "{}",
            db.label
        );
        let alert = emails_to(&store, "prog@ville.fr").await;
        assert_eq!(alert.len(), 1, "{}: the follower is told", db.label);
        assert!(alert[0].text_body.contains("La voici.") && alert[0].text_body.contains(&reference));

        // One unread message for the member, cleared when the thread is read.
        let account = store
            .account_by_email("prog@ville.fr")
            .await
            .expect("read")
            .expect("account");
        let unread = store.unread_counts(account.id).await.expect("unread");
        assert_eq!(unread, vec![(reference.clone(), 1)], "{}", db.label);
        let thread = call(
            &app,
            "POST",
            "/api/equipe/fil",
            &format!("reference={reference}"),
            Some(&team),
            false,
        )
        .await;
        assert_eq!(thread.status, StatusCode::OK, "{}", db.label);
        assert!(thread.body.contains("délibération.pdf") && thread.body.contains(question));
        assert!(
            store.unread_counts(account.id).await.expect("unread").is_empty(),
            "{}",
            db.label
        );

        // The team downloads the PDF: the same bytes, as an attachment that is never run.
        let documents = store
            .documents_of_case(&crate::common::system_case(&reference))
            .await
            .expect("documents");
        assert_eq!(documents.len(), 1);
        let id = &documents[0].public_id;
        assert_eq!(documents[0].media_type, "application/pdf");
        assert_eq!(documents[0].sha256.len(), 64);
        let (status, headers, bytes) =
            download(&app, &format!("/equipe/cas/{reference}/pieces/{id}"), Some(&team)).await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        assert_eq!(bytes, PDF);
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().expect("header");
        assert!(disposition.starts_with("attachment;") && disposition.contains("d%C3%A9lib%C3%A9ration.pdf"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .contains("sandbox"));
        let (status, _, bytes) = download(&app, &format!("/suivi/{token}/pieces/{id}"), None).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF), "{}", db.label);

        // The follow-up page lists the thread and the emails sent.
        let page = call(&app, "GET", &format!("/suivi/{token}"), "", None, true).await;
        assert!(page.body.contains(question) && page.body.contains("Courriels envoyés"));
        assert!(page.body.contains("Nouveau message sur votre dossier"), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn threads_and_files_are_refused_to_whoever_may_not_see_the_case() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files).await;
        let (token, reference) = file_case(&app).await;
        let (other_token, _) = file_case(&app).await;
        post_multipart(
            &app,
            &format!("/suivi/{token}/messages"),
            multipart(&[("texte", "Secret")], &[("fichiers", "note.txt", b"note interne")]),
            None,
        )
        .await;
        let id = store
            .documents_of_case(&crate::common::system_case(&reference))
            .await
            .expect("documents")[0]
            .public_id
            .clone();
        // Another case's private link, nobody, a direction régionale of another région.
        let (status, _, _) = download(&app, &format!("/suivi/{other_token}/pieces/{id}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", db.label);
        let (status, _, _) = download(&app, &format!("/equipe/cas/{reference}/pieces/{id}"), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.label);
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        store
            .create_account("dr@bretagne.fr", "DR Bretagne", Role::DirectionRegionale, &hash, 0)
            .await
            .expect("account");
        let dr = store
            .account_by_email("dr@bretagne.fr")
            .await
            .expect("read")
            .expect("dr");
        store
            .set_account_regions(
                dr.id,
                &["Bretagne".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("régions");
        let breton = sign_in(&app, "dr@bretagne.fr").await;
        let (status, _, _) = download(&app, &format!("/equipe/cas/{reference}/pieces/{id}"), Some(&breton)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", db.label);
        let thread = call(
            &app,
            "POST",
            "/api/equipe/fil",
            &format!("reference={reference}"),
            Some(&breton),
            false,
        )
        .await;
        assert_eq!(thread.status, StatusCode::NOT_FOUND, "{}", db.label);
        let write = post_multipart(
            &app,
            &format!("/equipe/cas/{reference}/messages"),
            multipart(&[("texte", "Intrusion")], &[]),
            Some(&breton),
        )
        .await;
        assert_eq!(write.status, StatusCode::NOT_FOUND, "{}", db.label);
        // The read-only role reads the thread but does not write.
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let write = post_multipart(
            &app,
            &format!("/equipe/cas/{reference}/messages"),
            multipart(&[("texte", "Lecture")], &[]),
            Some(&reader),
        )
        .await;
        assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", db.label);
        let thread = store
            .thread(&crate::common::system_case(&reference))
            .await
            .expect("thread");
        assert_eq!(
            thread.len(),
            1,
            "{}: nothing was added by the refused writers",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn uploads_over_the_limits_or_not_what_they_claim_are_refused_and_not_stored() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files.clone()).await;
        let token = start(&app).await;
        let path = format!("/deposer/{token}/pieces");

        // An executable named .pdf.
        let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
        elf.extend(std::iter::repeat_n(0_u8, 4_000));
        let reply = post_multipart(
            &app,
            &path,
            multipart(&[("nature", "deliberation")], &[("fichiers", "deliberation.pdf", &elf)]),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", db.label);
        assert!(
            reply.location.contains("refus=contenu"),
            "{}: {}",
            db.label,
            reply.location
        );

        // 21 MB.
        let big = vec![b'a'; 21 * 1024 * 1024];
        let reply = post_multipart(&app, &path, multipart(&[], &[("fichiers", "gros.txt", &big)]), None).await;
        assert!(
            reply.location.contains("refus=taille"),
            "{}: {}",
            db.label,
            reply.location
        );
        assert!(store
            .documents_for_token(&app::server::tokens::token_hash(&token).expect("hash"))
            .await
            .expect("docs")
            .is_empty());
        assert!(
            documents_dir_files(&files).is_empty(),
            "{}: nothing left on disk",
            db.label
        );

        // Twenty files are accepted, the twenty-first is not.
        let names: Vec<String> = (1..=20).map(|n| format!("donnees-{n}.csv")).collect();
        let batch: Vec<(&str, &str, &[u8])> = names
            .iter()
            .map(|n| ("fichiers", n.as_str(), b"a;b\n1;2\n" as &[u8]))
            .collect();
        let reply = post_multipart(&app, &path, multipart(&[("nature", "exemple-donnees")], &batch), None).await;
        assert!(reply.location.contains("pieces=20"), "{}: {}", db.label, reply.location);
        let reply = post_multipart(
            &app,
            &path,
            multipart(&[], &[("fichiers", "de-trop.csv", b"a;b\n")]),
            None,
        )
        .await;
        assert!(
            reply.location.contains("refus=nombre"),
            "{}: {}",
            db.label,
            reply.location
        );
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        assert_eq!(
            store.documents_for_token(&hash).await.expect("docs").len(),
            20,
            "{}",
            db.label
        );
        assert_eq!(documents_dir_files(&files).len(), 20, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_upload_cut_off_midway_stores_nothing() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files.clone()).await;
        let (token, reference) = file_case(&app).await;
        let mut body = multipart(&[("texte", "Voici deux fichiers")], &[("fichiers", "un.pdf", PDF)]);
        // A second file whose part never ends: the connection was cut.
        body.truncate(body.len() - format!("--{}--\r\n", crate::common::upload::BOUNDARY).len());
        body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"deux.pdf\"\r\n\r\n%PDF-1.4 début",
                crate::common::upload::BOUNDARY
            )
            .as_bytes(),
        );
        let reply = post_multipart(&app, &format!("/suivi/{token}/messages"), body, None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", db.label);
        assert!(reply.body.contains("rien n'a été enregistré"));
        assert!(
            store
                .thread(&crate::common::system_case(&reference))
                .await
                .expect("thread")
                .is_empty(),
            "{}: no message",
            db.label
        );
        assert!(
            store
                .documents_of_case(&crate::common::system_case(&reference))
                .await
                .expect("docs")
                .is_empty(),
            "{}: no document",
            db.label
        );
        let left: Vec<_> = std::fs::read_dir(&files.dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .collect();
        assert!(left.is_empty(), "{}: no file left on disk", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn after_filing_the_link_opens_the_follow_up_lost_links_are_sent_and_a_new_link_ends_the_old() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files).await;
        let (token, reference) = file_case(&app).await;

        // The wizard's link now leads to the follow-up page, without the answers.
        let reply = call(&app, "GET", &format!("/deposer/{token}/etape/1"), "", None, true).await;
        assert!(
            !reply.body.contains(CONTACT),
            "{}: the contact's address is not shown",
            db.label
        );
        assert!(
            reply.location == format!("/suivi/{token}") || reply.body.contains(&format!("/suivi/{token}")),
            "{}: {} {}",
            db.label,
            reply.status,
            reply.location
        );

        // Lost links: the same answer for a known and an unknown address; only the known one gets an email.
        let before = server::mail::readable_messages(&store, 200)
            .await
            .expect("outbox")
            .len();
        for address in [CONTACT, "inconnu@exemple.fr"] {
            let reply = call(
                &app,
                "POST",
                "/api/suivi/lien-perdu",
                &format!("courriel={address}"),
                None,
                true,
            )
            .await;
            assert_eq!(
                (reply.status, reply.location.as_str()),
                (StatusCode::FOUND, "/lien-perdu?envoye=1"),
                "{}",
                db.label
            );
        }
        assert_eq!(
            server::mail::readable_messages(&store, 200)
                .await
                .expect("outbox")
                .len(),
            before + 1,
            "{}",
            db.label
        );
        let lost = emails_to(&store, CONTACT).await.pop().expect("lost links email");
        assert!(lost.text_body.contains(&reference));
        let emailed = link_token(&lost.text_body);
        assert_eq!(
            call(&app, "GET", &format!("/suivi/{emailed}"), "", None, true)
                .await
                .status,
            StatusCode::OK
        );

        // A new link ends every other one, once the holder confirmed it understood (RGAA 11.12).
        let unconfirmed = call(
            &app,
            "POST",
            "/api/suivi/nouveau-lien",
            &format!("token={token}"),
            None,
            false,
        )
        .await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(unconfirmed.body.contains("J'ai compris"), "{}", db.label);
        let reply = call(
            &app,
            "POST",
            "/api/suivi/nouveau-lien",
            &format!("token={token}&confirmation=oui"),
            None,
            true,
        )
        .await;
        assert_eq!(reply.status, StatusCode::FOUND, "{}", db.label);
        let fresh = reply
            .location
            .strip_prefix("/suivi/")
            .and_then(|rest| rest.strip_suffix("?enregistre=lien"))
            .expect("the new link")
            .to_string();
        assert_eq!(
            call(&app, "GET", &format!("/suivi/{fresh}"), "", None, true)
                .await
                .status,
            StatusCode::OK
        );
        for old in [&token, &emailed] {
            let reply = call(&app, "GET", &format!("/suivi/{old}"), "", None, true).await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{}: an old link no longer works",
                db.label
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_attestation_de_depot_is_a_pdf_that_reads_back_with_the_reference_and_the_collectivite() {
    let db = crate::common::sqlite().await;
    let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
    let (app, _) = setup_full(&db, false, files).await;
    let (token, reference) = file_case(&app).await;
    let (status, headers, bytes) = download(&app, &format!("/suivi/{token}/attestation.pdf"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    // The fonts are reduced to the glyphs used (the two whole fonts weigh 1.4 MB).
    assert!(bytes.len() < 300_000, "{} bytes", bytes.len());
    let path = std::env::temp_dir().join(format!("attestation-{}.pdf", std::process::id()));
    std::fs::write(&path, &bytes).expect("write");
    let output = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (paquet Debian poppler-utils, installé par scripts/test.sh)");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains("Saint-Étienne"), "{text}");
    assert!(text.contains("Pré-instruction des permis de construire"), "{text}");
    assert!(text.contains("Camille Martin"), "{text}");
    // A PDF travels further than an email: it carries no private link (which grants writing), only where to
    // ask for one (finding 9).
    assert!(!text.contains(&token) && !text.contains("/suivi/"), "{text}");
    assert!(text.contains("/lien-perdu"), "{text}");
    let fonts = std::process::Command::new("pdffonts")
        .arg(&path)
        .output()
        .expect("pdffonts");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let font_lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        !font_lines.is_empty()
            && font_lines
                .iter()
                .all(|line| line.contains("TrueType") && line.contains(" yes ")),
        "every font is embedded: {fonts}"
    );
    let _ = std::fs::remove_file(&path);
    // No attestation before filing.
    let draft = start(&app).await;
    let (status, _, _) = download(&app, &format!("/suivi/{draft}/attestation.pdf"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    db.cleanup().await;
}

#[tokio::test]
async fn clamd_clears_a_clean_file_and_quarantines_the_eicar_file_which_is_never_served() {
    let clamd = Clamd::start().await;
    for db in crate::common::both().await {
        let dir = std::env::temp_dir().join(format!("iaf-pieces-av-{}-{}", std::process::id(), db.label));
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
            multipart(
                &[("texte", "Deux fichiers")],
                &[("fichiers", "sain.txt", b"Bonjour"), ("fichiers", "eicar.txt", EICAR)],
            ),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {}", db.label, reply.body);
        let documents = store
            .documents_of_case(&crate::common::system_case(&reference))
            .await
            .expect("docs");
        assert!(documents
            .iter()
            .all(|d| d.scan_status == app::domain::documents::ScanStatus::Pending));
        let eicar = documents
            .iter()
            .find(|d| d.file_name == "eicar.txt")
            .expect("eicar")
            .clone();
        let clean = documents
            .iter()
            .find(|d| d.file_name == "sain.txt")
            .expect("clean")
            .clone();
        // Waiting for the antivirus: not served yet.
        let (status, _, _) = download(&app, &format!("/suivi/{token}/pieces/{}", clean.public_id), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", db.label);

        assert_eq!(server::scan::scan_pending(&store, &files).await, 2, "{}", db.label);
        let documents = store
            .documents_of_case(&crate::common::system_case(&reference))
            .await
            .expect("docs");
        let status_of = |id: &str| documents.iter().find(|d| d.public_id == id).expect("doc").clone();
        assert_eq!(
            status_of(&clean.public_id).scan_status,
            app::domain::documents::ScanStatus::Clean
        );
        let infected = status_of(&eicar.public_id);
        assert_eq!(
            infected.scan_status,
            app::domain::documents::ScanStatus::Infected,
            "{}",
            db.label
        );
        assert!(
            infected.scan_detail.contains("Eicar-Test-Signature"),
            "{}",
            infected.scan_detail
        );
        let (status, _, bytes) = download(&app, &format!("/suivi/{token}/pieces/{}", clean.public_id), None).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, b"Bonjour" as &[u8]));
        let (status, _, body) = download(&app, &format!("/suivi/{token}/pieces/{}", eicar.public_id), None).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(String::from_utf8_lossy(&body).contains("bloqué par l'antivirus"));
        assert!(
            files.dir.join("quarantaine").join(&eicar.stored_name).is_file(),
            "{}: quarantined",
            db.label
        );
        assert!(!files.dir.join(&eicar.stored_name).exists());
        // The collectivité is told; its page says the file was blocked.
        let told = emails_to(&store, CONTACT).await;
        assert!(
            told.iter()
                .any(|m| m.subject.contains("bloqué par l'antivirus") && m.text_body.contains("eicar.txt")),
            "{}",
            db.label
        );
        let page = call(&app, "GET", &format!("/suivi/{token}"), "", None, true).await;
        assert!(
            page.body.contains("bloqué par l&#x27;antivirus") || page.body.contains("bloqué par l'antivirus"),
            "{}",
            db.label
        );
        let _ = std::fs::remove_dir_all(&dir);
        db.cleanup().await;
    }
    clamd.stop().await;
}

/// An autosave as the wizard's client sends it (JSON).
pub(crate) async fn autosave(
    app: &Router,
    token: &str,
    tab: &str,
    step: i32,
    fields: &[(&str, &str)],
    version: i64,
) -> (StatusCode, String) {
    use tower::ServiceExt;
    let body = serde_json::json!({
        "token": token,
        "etape": step,
        "champs": fields.iter().map(|(k, v)| [k.to_string(), v.to_string()]).collect::<Vec<_>>(),
        "version": version,
        "onglet": tab,
    });
    let request = axum::http::Request::post("/api/depot/sauvegarder")
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn two_tabs_saving_different_steps_keep_both_and_the_same_step_saved_elsewhere_is_refused() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files).await;
        let token = start(&app).await;
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        let opened = store.load_draft(&hash).await.expect("load").expect("draft").version;
        // Tab A on step 2, tab B on step 3, both opened at the same version.
        let (status, saved) = autosave(&app, &token, "a", 2, &[("titre", "Tri du courrier")], opened).await;
        assert_eq!(status, StatusCode::OK, "{}: {saved}", db.label);
        let (status, _) = autosave(&app, &token, "b", 3, &[("agents", "12")], opened).await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        let draft = store.load_draft(&hash).await.expect("load").expect("draft");
        assert_eq!(draft.answers.get("titre"), "Tri du courrier", "{}", db.label);
        assert_eq!(draft.answers.get("agents"), "12", "{}", db.label);
        // Tab B then types on step 2, which tab A saved after B opened: B is told to reload, nothing is lost.
        let (status, body) = autosave(&app, &token, "b", 2, &[("titre", "Autre titre")], opened).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}: {body}", db.label);
        assert!(body.contains("autre onglet"), "{body}");
        assert_eq!(
            store
                .load_draft(&hash)
                .await
                .expect("load")
                .expect("draft")
                .answers
                .get("titre"),
            "Tri du courrier"
        );
        // Tab a, whose own save's answer was lost (it still holds the version it opened), saves again.
        let (status, body) = autosave(&app, &token, "a", 2, &[("titre", "Tri du courrier entrant")], opened).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_follower_who_can_no_longer_see_the_case_is_not_emailed_its_messages() {
    for db in crate::common::both().await {
        let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
        let (app, store) = setup_full(&db, false, files).await;
        let (token, reference) = file_case(&app).await;
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        store
            .create_account("dr@ara.fr", "DR ARA", Role::DirectionRegionale, &hash, 0)
            .await
            .expect("account");
        let dr = store.account_by_email("dr@ara.fr").await.expect("read").expect("dr");
        store
            .set_account_regions(
                dr.id,
                &["Auvergne-Rhône-Alpes".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("régions");
        assert!(store
            .set_following(&crate::common::system_case(&reference), dr.id, true)
            .await
            .expect("follow"));
        let post = |text: &'static str| {
            let app = app.clone();
            let token = token.clone();
            async move {
                post_multipart(
                    &app,
                    &format!("/suivi/{token}/messages"),
                    multipart(&[("texte", text)], &[]),
                    None,
                )
                .await
            }
        };
        post("Premier message").await;
        assert_eq!(
            emails_to(&store, "dr@ara.fr").await.len(),
            1,
            "{}: the follower is told",
            db.label
        );
        // The direction régionale moves to another région: it no longer sees the case, nor hears of it.
        store
            .set_account_regions(
                dr.id,
                &["Bretagne".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("régions");
        post("Second message").await;
        assert_eq!(emails_to(&store, "dr@ara.fr").await.len(), 1, "{}", db.label);
        db.cleanup().await;
    }
}
