//! Markup typed anywhere comes back escaped wherever it is shown, on SQLite and PostgreSQL: a case whose every
//! text carries a script and an attribute breakout is filed through the forms, qualified, framed, checked and
//! published with those payloads in every text the team writes too (grid, notes, comment, cadrage, signatories,
//! evidence, log, kit, messages); then every page that shows them (team, collectivité, public) carries the
//! escaped text and never the markup, the JSON gives the text back as it was, the CSV defuses formulas, the
//! XML (OpenDocument, Atom, sitemap) is well-formed with the text escaped, and the PDF shows the text.

use crate::common;

use app::store::*;
use axum::http::StatusCode;
use axum::Router;
use common::http::*;
use common::upload::{download, multipart, post_multipart};

use crate::board::{move_body, version_of};
use crate::intake::{encode, post_form, start};

const SCRIPT: &str = "<script>alert('iaf-xss')</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";
/// What an unescaped payload looks like in markup.
const RAW: [&str; 2] = ["<script>alert('iaf-xss')", "<img src=x onerror"];
/// A cell a spreadsheet would run as a formula.
const FORMULA: &str = "=HYPERLINK(\"https://evil.example\";\"Voir\")";

/// `text` followed by both payloads.
fn hostile(text: &str) -> String {
    format!("{text} {SCRIPT} {BREAKOUT}")
}

/// The title of the case: a formula first (for the CSV), then both payloads.
fn title() -> String {
    format!("{FORMULA} {SCRIPT} {BREAKOUT}")
}

/// The intake's step forms, every text answer carrying the payloads.
fn step_bodies(token: &str) -> Vec<(i32, String)> {
    let h = hostile;
    let title = title();
    vec![
        (
            1,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("collectivite", "commune:69123"),
                ("contact_nom", &h("Camille Martin")),
                ("contact_fonction", &h("Cheffe de projet")),
                ("contact_email", "camille.martin@lyon.fr"),
                ("contact_telephone", ""),
            ]),
        ),
        (
            2,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("titre", &title),
                ("probleme", &h("Les courriers des usagers attendent des semaines.")),
                ("solution", &h("Un assistant propose une réponse que l'agent relit.")),
                ("domaine", "relation-usagers"),
                ("perimetre", &h("Courriers des usagers")),
                ("directions", &h("Relation usagers")),
                ("brique_vibe", "on"),
                ("typologie", "produit-vibe"),
            ]),
        ),
        (
            3,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("agents", "25"),
                ("usagers", "12 000"),
                ("occurrences_mois", "200"),
                ("minutes_par_occurrence", "45"),
                ("part_temps_gagne", "50"),
                ("benefice_usagers", &h("Des réponses plus rapides")),
                ("empreinte_environnementale", &h("Un modèle sobre")),
            ]),
        ),
        (
            4,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("metier_nom", &h("Jean Dupont")),
                ("metier_fonction", &h("Directeur")),
                ("dsi_nom", &h("Awa Diallo")),
                ("dsi_fonction", &h("DSI")),
                ("sponsor_nom", &h("Claire Petit")),
                ("sponsor_fonction", &h("DGS")),
            ]),
        ),
        (
            5,
            encode(&[
                ("token", token),
                ("intention", "suivant"),
                ("donnees_necessaires", &h("Les courriers numérisés")),
                ("disponibilite_donnees", "disponibles"),
                ("qualite_donnees", "bonne"),
                ("donnees_personnelles", "oui"),
                ("dependances_techniques", &h("Aucune")),
                ("maturite", "2"),
                ("stade_projet", "besoin-defini"),
                ("hebergement", "mistral-compute"),
                ("agents_vibe", ""),
            ]),
        ),
    ]
}

/// A POST of the team (as the WASM client) that must be done.
async fn done(app: &Router, cookie: &str, path: &str, body: &str, label: &str) -> String {
    let reply = call(app, "POST", path, body, Some(cookie), false).await;
    assert_eq!(reply.status, StatusCode::OK, "{label} {path}: {}", reply.body);
    reply.body
}

/// A case filed with the payloads, taken to publication with the payloads in everything the team writes;
/// its reference, follow-up token and slug.
async fn publish_hostile_case(
    app: &Router,
    store: &server::sql::SqlStore,
    prog: &str,
    label: &str,
) -> (String, String, String) {
    let token = start(app).await;
    for (step, body) in step_bodies(&token) {
        let (status, location) = post_form(app, &format!("/api/depot/etape{step}"), &body).await;
        assert_eq!(
            (status, location.contains("erreurs")),
            (StatusCode::FOUND, false),
            "{label}: step {step} is valid with the payloads: {location}"
        );
    }
    // The wizard shows every answer again, the summary too.
    for step in 1..=6 {
        let page = format!("/deposer/{token}/etape/{step}");
        let reply = call(app, "GET", &page, "", None, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{label}: {page}");
        assert_escaped(&page, &reply.body, label);
    }
    let (status, location) = post_form(app, "/api/depot/deposer", &encode(&[("token", &token)])).await;
    assert_eq!(location, format!("/deposer/{token}/recu"), "{label}: filed ({status})");
    let reference = store
        .case_summaries()
        .await
        .expect("cases")
        .into_iter()
        .find(|case| case.title == title())
        .expect("the case with its title as typed")
        .reference;
    // Qualified in the relève period that follows its filing: put in qualification as the period opens.
    sqlx::query("UPDATE cases SET stage = 'qualification' WHERE reference = $1")
        .bind(&reference)
        .execute(&store.pools.write)
        .await
        .expect("stage");
    let mv = |to: &'static str| {
        let reference = reference.clone();
        async move {
            let version = version_of(store, &reference).await;
            done(
                app,
                prog,
                "/api/equipe/deplacer",
                &move_body(&reference, version, to, "", ""),
                label,
            )
            .await;
        }
    };
    let mut grid = format!(
        "reference={reference}&version={}&decision=qualifie&niveau_ai_act=minimal&notes_entretien={}",
        version_of(store, &reference).await,
        app::domain::text::encode_component(&hostile("Entretien du 3 mars"))
    );
    for code in ["replicabilite", "alignement", "impact", "portage", "faisabilite"] {
        grid.push_str(&format!(
            "&note_{code}=2&commentaire_{code}={}",
            app::domain::text::encode_component(&hostile("Conforme"))
        ));
    }
    done(app, prog, "/api/equipe/qualifier", &grid, label).await;
    let comment = encode(&[("reference", &reference), ("texte", &hostile("À revoir jeudi"))]);
    done(app, prog, "/api/equipe/commenter", &comment, label).await;
    mv("cadrage").await;

    // The cadrage: every text of the document, every signatory.
    let answers = store
        .case_detail(&crate::common::system_case(&reference))
        .await
        .expect("detail")
        .expect("case")
        .answers;
    let mut document = complete_cadrage(&answers);
    for spec in app::domain::cadrage::fields() {
        use app::domain::cadrage::FieldKind;
        match spec.kind {
            FieldKind::Text | FieldKind::LongText => document.set(spec.key, &hostile(spec.label)),
            FieldKind::Lines => document.set(spec.key, &format!("{}\n{}", hostile("Première"), hostile("Seconde"))),
            _ => {}
        }
    }
    done(
        app,
        prog,
        "/api/equipe/cadrage/enregistrer",
        &cadrage_body(&reference, 0, &document),
        label,
    )
    .await;
    signed_pdf(store, &reference).await;
    for party in ["collectivite", "caisse-des-depots", "prestataire"] {
        let piece = if party == "caisse-des-depots" {
            String::new()
        } else {
            signed_pdf_id(&reference)
        };
        let body = encode(&[
            ("reference", &reference),
            ("version", "1"),
            ("partie", party),
            ("signataire", &hostile("Mme Roy")),
            ("piece", &piece),
        ]);
        done(app, prog, "/api/equipe/cadrage/valider", &body, label).await;
    }
    mv("conception").await;
    for condition in document.lines("conditions_diffusion") {
        let body = encode(&[
            ("reference", &reference),
            ("condition", &condition),
            ("preuve", &hostile("Compte rendu")),
        ]);
        done(app, prog, "/api/equipe/conception/verifier", &body, label).await;
    }
    let log = encode(&[
        ("reference", &reference),
        ("jour", "2027-03-02"),
        ("nature", "test"),
        ("texte", &hostile("Essai avec six agents")),
    ]);
    done(app, prog, "/api/equipe/conception/journal", &log, label).await;
    let documentation = format!("## Installer\n\n{SCRIPT}\n\n{BREAKOUT}\n\n[Le guide](javascript:alert(1))");
    let kit = encode(&[
        ("reference", &reference),
        ("revision", "0"),
        ("resume", &hostile("Un tri automatique des courriers")),
        ("probleme", &hostile("Trop de courriers")),
        ("solution", &hostile("Un assistant")),
        ("documentation", &documentation),
        ("videos", &format!("Démo {SCRIPT} | https://videos.exemple.fr/demo")),
        (
            "supports",
            &format!("Guide {BREAKOUT} | https://documents.exemple.fr/guide.pdf"),
        ),
        ("contact", &hostile("Écrivez à l'équipe")),
        ("agents_mesures", "18"),
        ("heures_mesurees", "2400"),
    ]);
    done(app, prog, "/api/equipe/diffusion/enregistrer", &kit, label).await;
    mv("diffusion").await;
    let slug: String = serde_json::from_str(
        &done(
            app,
            prog,
            "/api/equipe/diffusion/publier",
            &format!("reference={reference}&version={}", version_of(store, &reference).await),
            label,
        )
        .await,
    )
    .expect("slug");

    // The thread: a message each way.
    let sent = post_multipart(
        app,
        &format!("/equipe/cas/{reference}/messages"),
        multipart(&[("texte", &hostile("Pouvez-vous préciser"))], &[]),
        Some(prog),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{label}: {}", sent.body);
    let answered = post_multipart(
        app,
        &format!("/suivi/{token}/messages"),
        multipart(&[("texte", &hostile("Voici la précision"))], &[]),
        None,
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{label}: {}", answered.body);
    (reference, token, slug)
}

/// An HTML page that shows the payloads escaped and never as markup.
fn assert_escaped(page: &str, body: &str, label: &str) {
    let lower = body.to_lowercase();
    for raw in RAW {
        if let Some(at) = lower.find(&raw.to_lowercase()) {
            let start = body.floor_char_boundary(at.saturating_sub(200));
            let end = body.ceil_char_boundary((at + 200).min(body.len()));
            panic!("{label}: {page} shows markup unescaped: …{}…", &body[start..end]);
        }
    }
    assert!(
        body.contains("&lt;script&gt;alert(") && body.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{label}: {page} does not show the escaped text (so the test proves nothing there)"
    );
}

/// The entry `name` of a ZIP archive whose entries are stored (as the OpenDocument export writes them).
fn stored_entry(zip: &[u8], name: &str) -> String {
    let mut at = 0;
    while at + 30 <= zip.len() && zip[at..at + 4] == *b"PK\x03\x04" {
        let u16_at = |i: usize| u16::from_le_bytes([zip[at + i], zip[at + i + 1]]) as usize;
        let size = u32::from_le_bytes([zip[at + 18], zip[at + 19], zip[at + 20], zip[at + 21]]) as usize;
        let (name_len, extra_len) = (u16_at(26), u16_at(28));
        let entry = &zip[at + 30..at + 30 + name_len];
        let data = at + 30 + name_len + extra_len;
        if entry == name.as_bytes() {
            return String::from_utf8(zip[data..data + size].to_vec()).expect("UTF-8");
        }
        at = data + size;
    }
    panic!("no {name} in the archive");
}

/// A well-formed XML document whose text holds the payloads and whose markup does not.
fn assert_xml_escapes(what: &str, xml: &str, label: &str) {
    let document =
        roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{label}: {what} is not well-formed XML: {e}"));
    let texts: String = document
        .descendants()
        .filter_map(|node| node.text())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        texts.contains(SCRIPT) && texts.contains(BREAKOUT),
        "{label}: {what} carries the text as typed"
    );
    assert!(
        !document
            .descendants()
            .any(|node| matches!(node.tag_name().name(), "script" | "img")),
        "{label}: {what} holds markup from the text"
    );
    for raw in RAW {
        assert!(!xml.contains(raw), "{label}: {what} has the markup unescaped");
    }
}

/// A CSV export that carries the text as typed and defuses the formula.
fn assert_csv_defuses(what: &str, csv: &str, label: &str) {
    assert!(csv.contains("alert('iaf-xss')"), "{label}: {what} carries the text");
    let occurrences = csv.matches("=HYPERLINK").count();
    assert!(occurrences > 0, "{label}: {what} carries the title");
    assert_eq!(
        csv.matches("'=HYPERLINK").count(),
        occurrences,
        "{label}: {what} starts a cell with a formula"
    );
}

#[tokio::test]
async fn markup_typed_anywhere_comes_back_escaped_wherever_it_is_shown() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let (reference, token, slug) = publish_hostile_case(&app, &store, &prog, db.label).await;

        // The pages: the team's, the collectivité's, the public's.
        // What the administrators type: a member's name, a period's name.
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        assert!(store
            .create_account("admin@ville.fr", "Admin", app::domain::auth::Role::Admin, &hash, 0)
            .await
            .expect("admin"));
        let admin = sign_in(&app, "admin@ville.fr").await;
        let invited = encode(&[
            ("email", "nouvelle@ville.fr"),
            ("nom", &hostile("Nouvelle")),
            ("role", "lecture"),
        ]);
        done(&app, &admin, "/api/equipe/comptes/inviter", &invited, db.label).await;
        let period = encode(&[
            ("nom", &hostile("Relève")),
            ("debut", "2099-01-01"),
            ("fin", "2099-03-31"),
        ]);
        done(&app, &admin, "/api/equipe/periodes/creer", &period, db.label).await;
        for page in ["/equipe/comptes", "/equipe/periodes", "/equipe/courriels"] {
            let reply = call(&app, "GET", page, "", Some(&admin), true).await;
            assert_eq!(reply.status, StatusCode::OK, "{}: {page}", db.label);
            assert_escaped(page, &reply.body, db.label);
        }

        let team = [
            "/equipe".to_string(),
            format!("/equipe/cas/{reference}/deplacer"),
            format!("/equipe/cas/{reference}/cadrage/comparer?de=1&a=1"),
            format!("/equipe/cas/{reference}"),
            format!("/equipe/cas/{reference}/cadrage"),
            format!("/equipe/cas/{reference}/cadrage/version/1"),
            format!("/equipe/cas/{reference}/conception"),
            format!("/equipe/cas/{reference}/diffusion"),
            format!("/equipe/cas/{reference}/diffusion/apercu"),
            "/equipe/tableau".to_string(),
            "/equipe/cas".to_string(),
        ];
        let public = [
            format!("/suivi/{token}"),
            format!("/deposer/{token}/recu"),
            format!("/catalogue/{slug}"),
            "/catalogue?texte=courriers".to_string(),
            "/catalogue".to_string(),
        ];
        let pages = team
            .iter()
            .map(|page| (page, Some(prog.as_str())))
            .chain(public.iter().map(|page| (page, None)));
        for (page, cookie) in pages {
            let reply = call(&app, "GET", page, "", cookie, true).await;
            assert_eq!(reply.status, StatusCode::OK, "{}: {page}", db.label);
            assert_escaped(page, &reply.body, db.label);
        }

        // JSON gives the text back exactly as typed, as JSON.
        let board = call(&app, "POST", "/api/equipe/tableau", "", Some(&prog), false).await;
        let board: app::model::board::BoardView = serde_json::from_str(&board.body).expect("board");
        assert!(
            board
                .columns
                .iter()
                .flat_map(|c| &c.cards)
                .any(|card| card.title == title()),
            "{}: the board's JSON has the title as typed",
            db.label
        );
        let catalogue = call(&app, "GET", "/catalogue.json", "", None, false).await;
        let catalogue: serde_json::Value = serde_json::from_str(&catalogue.body).expect("JSON");
        assert!(
            catalogue
                .to_string()
                .contains(&serde_json::Value::String(title()).to_string()),
            "{}: the catalogue's JSON has the title as typed",
            db.label
        );
        let dcat = call(&app, "GET", "/catalogue/dcat.jsonld", "", None, false).await;
        serde_json::from_str::<serde_json::Value>(&dcat.body).expect("the DCAT description is JSON");

        // The CSV exports carry the text and defuse the formula.
        for (path, cookie) in [
            ("/equipe/export/cas.csv", Some(prog.as_str())),
            ("/catalogue.csv", None),
            ("/catalogue/bibliotheque-ia-territoriale.csv", None),
        ] {
            let reply = call(&app, "GET", path, "", cookie, false).await;
            assert_eq!(reply.status, StatusCode::OK, "{}: {path}", db.label);
            assert_csv_defuses(path, &reply.body, db.label);
        }
        let trail = call(&app, "GET", "/equipe/export/decisions.csv", "", Some(&prog), false).await;
        assert_eq!(trail.status, StatusCode::OK, "{}", db.label);

        // The XML: the cadrage as OpenDocument, the Atom feed, the sitemap.
        let (status, _, odt) = download(
            &app,
            &format!("/equipe/cas/{reference}/cadrage/1/document.odt"),
            Some(&prog),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        for entry in ["content.xml", "meta.xml", "styles.xml"] {
            let xml = stored_entry(&odt, entry);
            if entry != "content.xml" {
                roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{}: {entry}: {e}", db.label));
            } else {
                assert_xml_escapes(entry, &xml, db.label);
            }
        }
        let feed = call(&app, "GET", "/catalogue.atom", "", None, false).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", db.label);
        assert_xml_escapes("/catalogue.atom", &feed.body, db.label);
        let sitemap = call(&app, "GET", "/sitemap.xml", "", None, false).await;
        let parsed = roxmltree::Document::parse(&sitemap.body).expect("the sitemap is well-formed");
        assert!(
            parsed
                .descendants()
                .any(|n| n.text().is_some_and(|t| t.ends_with(&format!("/catalogue/{slug}")))),
            "{}: the sitemap lists the case",
            db.label
        );

        // The attestation de dépôt shows the text as typed.
        let (status, _, pdf) = download(&app, &format!("/suivi/{token}/attestation.pdf"), None).await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        let path = std::env::temp_dir().join(format!("attestation-xss-{}-{}.pdf", std::process::id(), db.label));
        std::fs::write(&path, &pdf).expect("write");
        let output = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (paquet Debian poppler-utils, installé par scripts/test.sh)");
        let _ = std::fs::remove_file(&path);
        let text = String::from_utf8_lossy(&output.stdout).replace('\n', " ");
        assert!(
            text.contains("<script>alert('iaf-xss')</script>") && text.contains("onerror=alert(1)>"),
            "{}: the attestation shows the text as typed: {text}",
            db.label
        );
        db.cleanup().await;
    }
}
