//! The public catalogue through HTTP on SQLite and PostgreSQL: French search (accents and plurals do not
//! matter) with the same results on both, every filter, sorting and pages, the privacy rule on every public
//! output (HTML, JSON, CSV, feed, sitemap), replication, and the open-data conventions.

use crate::common;

use app::domain::catalogue::{COUNT_BOUND, PER_PAGE};
use app::domain::diffusion::{Support, Video};
use app::domain::intake::IntakeAnswers;
use app::model::catalogue::{CatalogueItem, PublicCase, SearchResults};
use app::store::catalogue::NewPublication;
use app::store::intake::NewCase;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use server::sql::SqlStore;

/// What must never reach a public page.
const SECRET_EMAIL: &str = "agent.secret@ville-pionniere.fr";
const SECRET_NAME: &str = "Bérénice Confidentielle";
const SECRET_NOTES: &str = "Note d'entretien confidentielle";
const UNPUBLISHED_TITLE: &str = "Projet interne jamais publié";

pub(crate) struct Fixture {
    title: &'static str,
    summary: &'static str,
    domain: &'static str,
    briques: &'static str,
    typologie: &'static str,
    kind: &'static str,
    region: &'static str,
    population: i64,
    hours: i64,
}

pub(crate) const FIXTURES: &[Fixture] = &[
    Fixture {
        title: "Génération des pièces de marchés publics",
        summary: "Rédiger plus vite les pièces des marchés publics.",
        domain: "finances-achats",
        briques: "vibe,agents",
        typologie: "produit-vibe",
        kind: "commune",
        region: "Auvergne-Rhône-Alpes",
        population: 520_000,
        hours: 4_000,
    },
    Fixture {
        title: "Veille reglementaire des services",
        summary: "Une veille juridique partagée entre les services.",
        domain: "veille-reglementaire",
        briques: "agents",
        typologie: "application-personnalisee",
        kind: "epci",
        region: "Bretagne",
        population: 45_000,
        hours: 900,
    },
    Fixture {
        title: "Tri et réponse aux courriers des usagers",
        summary: "Les courriers classés et une réponse proposée.",
        domain: "relation-usagers",
        briques: "application",
        typologie: "application-integree-si",
        kind: "departement",
        region: "Occitanie",
        population: 1_200_000,
        hours: 12_000,
    },
    Fixture {
        title: "Comptes rendus de réunions",
        summary: "Un compte rendu prêt à relire après chaque réunion.",
        domain: "ressources-humaines",
        briques: "vibe",
        typologie: "produit-vibe",
        kind: "commune",
        region: "Bretagne",
        population: 1_500,
        hours: 300,
    },
];

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

async fn insert(store: &SqlStore, title: &str, fixture: &Fixture, at: i64) -> String {
    let mut answers = IntakeAnswers::default();
    answers.set("titre", title);
    answers.set("contact_email", SECRET_EMAIL);
    answers.set("contact_nom", SECRET_NAME);
    let case = NewCase {
        title: title.into(),
        domain: fixture.domain.into(),
        collectivite_key: format!("{}:12345", fixture.kind),
        collectivite_name: format!("Collectivité de {title}"),
        collectivite_kind: fixture.kind.into(),
        region: fixture.region.into(),
        agents: 30,
        hours_saved_per_year: fixture.hours,
        portage_missing: String::new(),
        briques: fixture.briques.into(),
        contact_email: String::new(),
    };
    let mut tx = store.pools.write.begin().await.expect("begin");
    let (_, reference) = store
        .insert_case(&mut tx, None, &answers, &case, at)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    reference
}

pub(crate) async fn publish(store: &SqlStore, fixture: &Fixture, slug: &str, at: i64) {
    let reference = insert(store, fixture.title, fixture, at).await;
    store
        .publish(&NewPublication {
            case: crate::common::system_case(&reference),
            slug: slug.into(),
            title: fixture.title.into(),
            summary: fixture.summary.into(),
            problem: "Un travail répétitif et long.".into(),
            solution: "Un assistant d'IA souveraine.".into(),
            documentation: "## Installer\n\n<script>alert('x')</script>\n\nVoir [le guide](javascript:alert(1)) et [le site](https://exemple.fr).".into(),
            videos: vec![Video {
                title: "Démonstration".into(),
                url: "https://videos.exemple.fr/demo".into(),
                transcript_url: String::new(),
            }],
            supports: vec![Support {
                title: "Guide".into(),
                url: "https://documents.exemple.fr/guide.pdf".into(),
            }],
            contact: "Écrivez à l'équipe du programme.".into(),
            hosting: "mistral-compute".into(),
            collectivite_code: "12345".into(),
            collectivite_siren: "212345678".into(),
            population: Some(fixture.population),
            typologie: fixture.typologie.into(),
            agents_measured: None,
            hours_measured: None,
            ai_act_level: None,
            ai_act_obligations: Vec::new(),
            public_facing: false,
            now: at,
            actor: "Équipe programme".into(),
            notice: None,
            based_on: None,
        })
        .await
        .expect("publish");
}

pub(crate) async fn fill(store: &SqlStore) {
    let base = now() - 100 * 86_400;
    for (index, fixture) in FIXTURES.iter().enumerate() {
        let slug = app::domain::catalogue::slugify(fixture.title);
        publish(store, fixture, &slug, base + index as i64 * 86_400).await;
    }
    // A case that is not published, with private notes: it must never show.
    let reference = insert(store, UNPUBLISHED_TITLE, &FIXTURES[0], base).await;
    store
        .add_comment(&crate::common::system_case(&reference), "Agent", SECRET_NOTES, base)
        .await
        .expect("comment");
}

async fn search(app: &axum::Router, query: &str) -> SearchResults {
    let reply = call(
        app,
        "GET",
        &format!("/api/catalogue/recherche?{query}"),
        "",
        None,
        false,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{query}: {e}: {}", reply.body))
}

fn titles(results: &SearchResults) -> Vec<String> {
    results
        .items
        .iter()
        .map(|item| match item {
            CatalogueItem::Case(case) => case.title.clone(),
            CatalogueItem::Library(card) => card.project.project_name.clone(),
        })
        .collect()
}

/// The published cases of a page of results.
fn cases(results: &SearchResults) -> Vec<&PublicCase> {
    results
        .items
        .iter()
        .filter_map(|item| match item {
            CatalogueItem::Case(case) => Some(case),
            CatalogueItem::Library(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn french_search_ignores_accents_and_plurals_with_the_same_results_on_both_databases() {
    let mut answers_by_db = Vec::new();
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        fill(&store).await;
        let mut answers = Vec::new();
        for query in [
            "texte=marches+publics",
            "texte=march%C3%A9+public",
            "texte=r%C3%A9glementaire",
            "texte=courrier",
            "texte=REUNION",
            "texte=les+des",
            "texte=introuvable+zzz",
        ] {
            answers.push(titles(&search(&app, query).await));
        }
        assert_eq!(answers[0], ["Génération des pièces de marchés publics"], "{}", db.label);
        assert_eq!(answers[1], answers[0], "{}: singular and accents", db.label);
        assert_eq!(answers[2], ["Veille reglementaire des services"], "{}", db.label);
        assert_eq!(answers[3], ["Tri et réponse aux courriers des usagers"], "{}", db.label);
        assert_eq!(answers[4], ["Comptes rendus de réunions"], "{}", db.label);
        assert_eq!(
            answers[5].len(),
            FIXTURES.len(),
            "{}: only stopwords = no text filter",
            db.label
        );
        assert!(answers[6].is_empty(), "{}", db.label);
        answers_by_db.push(answers);
        db.cleanup().await;
    }
    if !common::sqlite_only() {
        assert_eq!(answers_by_db[0], answers_by_db[1], "SQLite and PostgreSQL agree");
    }
}

#[tokio::test]
async fn every_filter_sort_and_page() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        fill(&store).await;
        let count = |results: SearchResults| results.total;
        assert_eq!(count(search(&app, "").await), 4, "{}", db.label);
        assert_eq!(
            titles(&search(&app, "domaine=relation-usagers").await),
            ["Tri et réponse aux courriers des usagers"],
            "{}",
            db.label
        );
        assert_eq!(count(search(&app, "brique=vibe").await), 2, "{}", db.label);
        assert_eq!(count(search(&app, "brique=agents").await), 2, "{}", db.label);
        assert_eq!(count(search(&app, "typologie=produit-vibe").await), 2, "{}", db.label);
        assert_eq!(
            titles(&search(&app, "collectivite=epci").await),
            ["Veille reglementaire des services"],
            "{}",
            db.label
        );
        assert_eq!(
            titles(&search(&app, "population=moins-2000").await),
            ["Comptes rendus de réunions"],
            "{}",
            db.label
        );
        assert_eq!(count(search(&app, "population=plus-200000").await), 2, "{}", db.label);
        assert_eq!(count(search(&app, "region=Bretagne").await), 2, "{}", db.label);
        assert_eq!(
            count(search(&app, "region=Bretagne&brique=vibe").await),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            search(&app, "").await.regions,
            ["Auvergne-Rhône-Alpes", "Bretagne", "Occitanie"],
            "{}",
            db.label
        );
        let impact = titles(&search(&app, "tri=impact").await);
        assert_eq!(impact[0], "Tri et réponse aux courriers des usagers", "{}", db.label);
        assert_eq!(impact[3], "Comptes rendus de réunions", "{}", db.label);
        let recent = titles(&search(&app, "tri=recents").await);
        assert_eq!(recent[0], "Comptes rendus de réunions", "{}", db.label);

        // Pages of PER_PAGE.
        let base = now();
        for n in 0..PER_PAGE {
            publish(&store, &FIXTURES[3], &format!("cas-en-plus-{n}"), base + n).await;
        }
        let first = search(&app, "").await;
        assert_eq!(first.total, 4 + PER_PAGE, "{}", db.label);
        assert_eq!(first.items.len() as i64, PER_PAGE, "{}", db.label);
        assert_eq!(search(&app, "page=2").await.items.len(), 4, "{}", db.label);
        assert!(search(&app, "page=9").await.items.is_empty(), "{}", db.label);
        db.cleanup().await;
    }
}

/// Words and filters together: on SQLite the filters are also words of the full-text index (`facets`), which
/// must keep the same values as the rows (hyphens, accents, a région of several words).
#[tokio::test]
async fn words_and_filters_together_keep_exactly_the_filtered_matches() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        fill(&store).await;
        let expected: [(&str, &[&str]); 9] = [
            (
                "texte=march%C3%A9s&domaine=finances-achats",
                &["Génération des pièces de marchés publics"],
            ),
            ("texte=march%C3%A9s&domaine=relation-usagers", &[]),
            (
                "texte=march%C3%A9s&region=Auvergne-Rh%C3%B4ne-Alpes",
                &["Génération des pièces de marchés publics"],
            ),
            ("texte=march%C3%A9s&region=Bretagne", &[]),
            (
                "texte=reunion&brique=vibe&typologie=produit-vibe",
                &["Comptes rendus de réunions"],
            ),
            ("texte=reunion&brique=agents", &[]),
            (
                "texte=courriers&collectivite=departement",
                &["Tri et réponse aux courriers des usagers"],
            ),
            ("texte=courriers&collectivite=commune", &[]),
            (
                "texte=services&region=Bretagne&tri=impact",
                &["Veille reglementaire des services"],
            ),
        ];
        for (query, titles_expected) in expected {
            assert_eq!(
                titles(&search(&app, query).await),
                titles_expected,
                "{query} {}",
                db.label
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn nothing_private_reaches_a_public_page_feed_or_export() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        fill(&store).await;
        let slug = app::domain::catalogue::slugify(FIXTURES[0].title);
        let mut outputs = Vec::new();
        for path in [
            "/catalogue".to_string(),
            "/catalogue?texte=march%C3%A9s".to_string(),
            format!("/catalogue/{slug}"),
            "/api/catalogue/recherche?texte=".to_string(),
            format!("/api/catalogue/cas?slug={slug}"),
            "/catalogue.json".to_string(),
            "/catalogue.csv".to_string(),
            "/catalogue.atom".to_string(),
            "/sitemap.xml".to_string(),
            "/programme".to_string(),
            "/catalogue/bibliotheque-ia-territoriale.csv".to_string(),
            "/catalogue/dcat.jsonld".to_string(),
        ] {
            let reply = call(
                &app,
                "GET",
                &path,
                "",
                None,
                path.starts_with("/catalogue") && !path.contains('.'),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{} {path}: {}", db.label, reply.body);
            for secret in [SECRET_EMAIL, SECRET_NAME, SECRET_NOTES, UNPUBLISHED_TITLE] {
                assert!(!reply.body.contains(secret), "{} {path} leaks {secret}", db.label);
            }
            // The documentation's Markdown is data in JSON; in HTML, raw HTML never passes.
            let is_data = path.starts_with("/api/") || path.ends_with(".json");
            assert!(
                is_data || !reply.body.contains("<script>alert"),
                "{} {path}: unescaped HTML",
                db.label
            );
            outputs.push((path, reply.body));
        }
        let page = &outputs[2].1;
        assert!(
            page.contains("Génération des pièces de marchés publics"),
            "{}",
            db.label
        );
        assert!(
            page.contains("&lt;script&gt;alert"),
            "{}: raw HTML shown as text",
            db.label
        );
        assert!(
            !page.contains("href=\"javascript:"),
            "{}: unsafe links dropped",
            db.label
        );
        assert!(
            page.contains("<a rel=\"nofollow\" href=\"https://exemple.fr\">le site</a>"),
            "{}",
            db.label
        );
        assert!(page.contains("rel=\"canonical\""), "{}", db.label);
        assert!(page.contains("og:title"), "{}", db.label);
        assert!(
            !page.contains("/pkg/ia-factory.js"),
            "{}: no WebAssembly on public pages",
            db.label
        );
        let json: serde_json::Value = serde_json::from_str(&outputs[5].1).expect("json");
        assert_eq!(json["version"], "1.2", "{}", db.label);
        assert_eq!(json["cas"].as_array().map(Vec::len), Some(4), "{}", db.label);
        assert_eq!(json["cas"][0]["collectivite"]["siren"], "212345678", "{}", db.label);
        let csv = &outputs[6].1;
        assert!(csv.starts_with("\u{feff}reference;slug;url;titre"), "{}", db.label);
        assert_eq!(csv.lines().count(), 5, "{}", db.label);
        assert!(
            outputs[7].1.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
            "{}",
            db.label
        );
        assert!(
            outputs[8].1.contains(&format!("/catalogue/{slug}</loc>")),
            "{}",
            db.label
        );
        let robots = call(&app, "GET", "/robots.txt", "", None, false).await;
        assert!(
            robots.body.contains("Disallow: /equipe") && robots.body.contains("Sitemap:"),
            "{}",
            db.label
        );
        let missing = call(&app, "GET", "/catalogue/projet-interne-jamais-publie", "", None, true).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", db.label);
        let wizard = call(&app, "GET", "/deposer", "", None, true).await;
        assert!(
            wizard.body.contains("/pkg/ia-factory.js"),
            "{}: the wizard hydrates",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn replicating_a_case_prefills_the_wizard_and_counts() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        fill(&store).await;
        let slug = app::domain::catalogue::slugify(FIXTURES[0].title);
        let reply = call(
            &app,
            "POST",
            "/api/catalogue/repliquer",
            &format!("slug={slug}"),
            None,
            true,
        )
        .await;
        let token = reply
            .location
            .strip_prefix("/deposer/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("{}: {}", db.label, reply.location))
            .to_string();
        assert!(
            reply.location.ends_with(&format!("/etape/1?replique={slug}")),
            "{}",
            db.label
        );
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        let draft = store.load_draft(&hash).await.expect("load").expect("draft");
        assert_eq!(draft.answers.get("domaine"), "finances-achats", "{}", db.label);
        assert_eq!(draft.answers.briques(), ["vibe", "agents"], "{}", db.label);
        assert_eq!(draft.answers.get("typologie"), "produit-vibe", "{}", db.label);
        assert_eq!(draft.replicates.as_deref(), Some(slug.as_str()), "{}", db.label);
        let page = call(&app, "GET", &format!("/deposer/{token}/etape/1"), "", None, true).await;
        assert!(page.body.contains("Vous proposez de répliquer le cas"), "{}", db.label);

        // Once filed, the published case counts one replication.
        let case = NewCase {
            title: "Nos marchés publics".into(),
            domain: "finances-achats".into(),
            collectivite_key: "commune:99999".into(),
            collectivite_name: "Autre ville".into(),
            collectivite_kind: "commune".into(),
            region: "Normandie".into(),
            agents: 5,
            hours_saved_per_year: 100,
            portage_missing: String::new(),
            briques: "vibe,agents".into(),
            contact_email: String::new(),
        };
        store
            .submit_draft(&hash, &draft.answers, &case, None, now())
            .await
            .expect("submit")
            .expect("filed");
        let results = search(&app, "texte=march%C3%A9s+publics").await;
        assert_eq!(cases(&results)[0].replications, 1, "{}", db.label);
        let unknown = call(&app, "POST", "/api/catalogue/repliquer", "slug=inconnu", None, false).await;
        assert_eq!(unknown.status.as_u16() / 100, 4, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn past_the_count_bound_the_catalogue_says_more_than_and_every_page_stays_reachable() {
    // 1,010 published cases: the count stops at the bound, the pages go on while they are full.
    let published = COUNT_BOUND + 10;
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let base = now() - 2 * 86_400;
        for index in 0..published {
            publish(
                &store,
                &FIXTURES[index as usize % FIXTURES.len()],
                &format!("cas-{index}"),
                base + index,
            )
            .await;
        }
        let results = search(&app, "source=ia-factory").await;
        assert_eq!(results.total, COUNT_BOUND + 1, "{}: counted up to the bound", db.label);
        assert_eq!(results.items.len() as i64, PER_PAGE, "{}", db.label);
        let counted_pages = (COUNT_BOUND + 1 + PER_PAGE - 1) / PER_PAGE;
        let real_pages = (published + PER_PAGE - 1) / PER_PAGE;
        assert!(real_pages > counted_pages, "the bound hides a page");
        let page = |n: i64| format!("/catalogue?source=ia-factory&page={n}");
        let first = call(&app, "GET", &page(1), "", None, false).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(
            first.body.contains("Plus de 1\u{202f}000 cas d"),
            "{}: {}",
            db.label,
            first.body
        );
        assert!(
            first.body.contains("plus de 1\u{202f}000 résultats (page 1)"),
            "{}",
            db.label
        );
        // The last counted page is full: it offers the next one, which holds the last cases.
        let last_counted = call(&app, "GET", &page(counted_pages), "", None, false).await;
        assert!(
            last_counted
                .body
                .contains(&format!("page={}\" rel=\"next\"", counted_pages + 1)),
            "{}",
            db.label
        );
        let beyond = search(&app, &format!("source=ia-factory&page={real_pages}")).await;
        assert_eq!(
            beyond.items.len() as i64,
            published - (real_pages - 1) * PER_PAGE,
            "{}",
            db.label
        );
        let last = call(&app, "GET", &page(real_pages), "", None, false).await;
        assert!(
            !last.body.contains("rel=\"next\""),
            "{}: the last page ends the list",
            db.label
        );
        // Under the bound the count stays exact.
        let exact = search(&app, "source=ia-factory&texte=introuvable+zzz").await;
        assert_eq!(exact.total, 0);
        db.cleanup().await;
    }
}
