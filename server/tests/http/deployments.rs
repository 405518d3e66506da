//! Deployments and their monthly usage reports, against a real OpenID provider configured like ProConnect, on
//! both databases: a published case gets its pioneer's deployment; another collectivité declares it runs it and
//! reports; a wrong figure is refused naming its field, with what was typed shown back; a second report for a
//! month is refused and the correction replaces it (the replaced figures kept); concurrent posts for one month
//! leave one report; a collectivité cannot reach another's deployment; stale reports are left out of the
//! programme's count and counted apart; the monthly reminder is queued once per month (clock injected).

use app::domain::access::{Scope, Viewer, VisibleDeployment};
use app::domain::auth::Role;
use app::domain::deployments::report::{Figure, Measure, Report};
use app::domain::deployments::Month;
use app::domain::proconnect::Acr;
use app::store::deployments::{DeploymentStore, NewDeployment, ReportWritten, UsageWrite};
use axum::http::StatusCode;
use axum::Router;
use server::sql::SqlStore;

use crate::agents::sign_in_as;
use crate::common;
use crate::common::oidc::Provider;
use common::http::*;

const LYON: &str = "marc.lefebvre@mairie-lyon.fr";
const SAINT_ETIENNE: &str = "julien.bernard@saint-etienne.fr";
const REPORT: &str = "/api/collectivite/deploiement/releve";
const SLUG: &str = "tri-des-courriers";

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Saint-Étienne's case filed through the wizard and published: its pioneer's deployment exists.
pub(crate) async fn published_case(app: &Router, store: &SqlStore) -> String {
    let (_, reference) = crate::exchange::file_case(app).await;
    let outcome = app::store::CatalogueStore::publish(
        store,
        &crate::ai_act::publication(&reference, SLUG, "Tri des courriers"),
    )
    .await
    .expect("publish");
    assert!(matches!(outcome, app::store::WriteOutcome::Done { .. }), "{outcome:?}");
    reference
}

/// An agent's session cookie.
async fn agent(app: &Router, email: &str) -> String {
    session_pair(
        &sign_in_as(app, email, "/collectivite")
            .await
            .cookie
            .expect("agent session"),
    )
}

/// The report form's body for `month` with `regular` regular agents.
fn report_body(id: i64, month: Month, regular: &str, extra: &str) -> String {
    format!(
        "deploiement={id}&mois={}&effectif=3000&agents_reguliers={regular}&mesure_agents_reguliers=statistiques\
         &agents_occasionnels=40&mesure_agents_occasionnels=enquete&usagers=0&mesure_usagers=estimation&heures={extra}",
        month.iso()
    )
}

/// Posts a report as the form does without JavaScript: where it leads.
async fn post_report(app: &Router, agent: &str, body: &str) -> String {
    call(app, "POST", REPORT, body, Some(agent), true).await.location
}

/// The page a refused report leads back to, as the agent reads it.
async fn shown(app: &Router, agent: &str, location: &str) -> String {
    call(app, "GET", &location.replace("#releve", ""), "", Some(agent), true)
        .await
        .body
}

/// Lyon declares it runs the published case, in service since two months ago: its deployment's id.
async fn lyon_declares(app: &Router, lyon: &str) -> i64 {
    let since = app::domain::dates::iso_date(now() - 62 * 86_400);
    let body = format!("cas={SLUG}&statut=en-service&date={since}&liste=oui");
    let declared = call(
        app,
        "POST",
        "/api/collectivite/deploiements/declarer",
        &body,
        Some(lyon),
        true,
    )
    .await;
    assert_eq!(declared.status, StatusCode::FOUND, "{}", declared.body);
    let id = declared
        .location
        .strip_prefix("/collectivite/deploiements/")
        .and_then(|rest| rest.strip_suffix("?enregistre=declare"))
        .expect("the deployment's page");
    id.parse().expect("an id")
}

fn team_viewer() -> Viewer {
    Viewer::team(1, Role::Programme, Scope::All)
}

pub(crate) async fn visible(store: &SqlStore, id: i64) -> VisibleDeployment {
    let scope = store.deployment_scope(id).await.expect("scope").expect("a deployment");
    VisibleDeployment::grant(&team_viewer(), id, &scope).expect("the team sees it")
}

#[tokio::test]
async fn a_replication_is_declared_reported_refused_by_field_and_corrected() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        published_case(&app, &store).await;
        let pioneers = store.collectivite_deployments("commune:42218").await.expect("pioneers");
        assert_eq!(pioneers.len(), 1, "{}: the pioneer's deployment", db.label);
        assert_eq!(pioneers[0].kind, app::domain::deployments::Kind::Pioneer);

        let lyon = agent(&app, LYON).await;
        let id = lyon_declares(&app, &lyon).await;
        let page = call(&app, "GET", &app::routes::agent_deployment(id), "", Some(&lyon), true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert!(page.body.contains("Déploiement : Tri des courriers"), "{}", db.label);
        // Declaring it again leads to the same deployment.
        let since = app::domain::dates::iso_date(now() - 62 * 86_400);
        let again = call(
            &app,
            "POST",
            "/api/collectivite/deploiements/declarer",
            &format!("cas={SLUG}&statut=en-service&date={since}"),
            Some(&lyon),
            true,
        )
        .await;
        assert!(
            again.location.ends_with(&format!("/{id}?enregistre=deja-declare")),
            "{}",
            again.location
        );

        let this_month = Month::of_instant(now());
        let last_month = this_month.plus(-1);
        for (month, regular) in [(last_month, "100"), (this_month, "120")] {
            let sent = post_report(&app, &lyon, &report_body(id, month, regular, "")).await;
            assert!(sent.ends_with("?enregistre=releve#releves"), "{}: {sent}", db.label);
        }

        // A negative figure: nothing written, the form back with what was typed and the field named.
        let wrong = post_report(&app, &lyon, &report_body(id, last_month, "-5", "")).await;
        assert!(wrong.contains("agents_reguliers=-5"), "{}: {wrong}", db.label);
        let page = shown(&app, &lyon, &wrong).await;
        let negative = "« Agents réguliers » : un nombre ne peut pas être négatif.";
        assert!(page.contains(negative), "{}", db.label);
        assert!(page.contains("value=\"-5\""), "{}: the typed figure is kept", db.label);
        // More regular agents than the staff.
        let absurd = post_report(&app, &lyon, &report_body(id, last_month, "5000", "")).await;
        let page = shown(&app, &lyon, &absurd).await;
        assert!(page.contains("« Agents réguliers » : 5000 dépasse"), "{}", db.label);

        // A second report for last month is refused and the correction offered.
        let second = post_report(&app, &lyon, &report_body(id, last_month, "90", "")).await;
        assert!(second.contains("refus=deja"), "{}: {second}", db.label);
        let page = shown(&app, &lyon, &second).await;
        assert!(page.contains("un relevé existe déjà pour"), "{}", db.label);
        assert!(page.contains("Corriger le relevé de"), "{}", db.label);

        // The correction replaces the month and keeps the figures it replaced.
        let visible = visible(&store, id).await;
        let reports = store.usage_reports(&visible).await.expect("reports");
        let version = reports
            .iter()
            .find(|r| r.month == last_month)
            .expect("last month")
            .version;
        let body = format!("{}&corrige={version}", report_body(id, last_month, "90", ""));
        let corrected = post_report(&app, &lyon, &body).await;
        assert!(corrected.ends_with("?enregistre=releve-corrige#releves"), "{corrected}");
        let reports = store.usage_reports(&visible).await.expect("reports");
        assert_eq!(reports.len(), 2, "{}", db.label);
        let corrected = reports.iter().find(|r| r.month == last_month).expect("last month");
        assert_eq!(
            (corrected.regular.value, corrected.corrections),
            (90, 1),
            "{}",
            db.label
        );
        // The same version again is stale: nothing written.
        let stale = post_report(&app, &lyon, &body).await;
        assert!(stale.contains("refus=perime"), "{stale}");

        // The catalogue page and /programme count it.
        let public = call(&app, "GET", &format!("/catalogue/{SLUG}"), "", None, true).await;
        assert!(
            public
                .body
                .contains("En service dans 2 collectivités, 120 agents réguliers"),
            "{}",
            db.label
        );
        assert!(public.body.contains("Lyon"), "{}: listed", db.label);
        let programme = call(&app, "GET", "/programme", "", None, true).await;
        let total = format!(
            "120 agents utilisateurs réguliers sur un objectif de {}",
            app::domain::text::group_thousands(100_000)
        );
        assert!(programme.body.contains(&total), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_collectivite_cannot_reach_another_collectivites_deployment() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        published_case(&app, &store).await;
        let lyon = agent(&app, LYON).await;
        let id = lyon_declares(&app, &lyon).await;
        let saint_etienne = agent(&app, SAINT_ETIENNE).await;
        let page = call(
            &app,
            "GET",
            &app::routes::agent_deployment(id),
            "",
            Some(&saint_etienne),
            true,
        )
        .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", db.label);
        let month = Month::of_instant(now());
        let post = call(
            &app,
            "POST",
            REPORT,
            &report_body(id, month, "10", ""),
            Some(&saint_etienne),
            false,
        )
        .await;
        assert_eq!(post.status, StatusCode::NOT_FOUND, "{}: {}", db.label, post.body);
        let status = format!("deploiement={id}&version=1&statut=arrete&date=2026-01-01&motif=Fin");
        let post = call(
            &app,
            "POST",
            "/api/collectivite/deploiement/statut",
            &status,
            Some(&saint_etienne),
            false,
        )
        .await;
        assert_eq!(post.status, StatusCode::NOT_FOUND, "{}", db.label);
        let signed_out = call(&app, "POST", REPORT, &report_body(id, month, "10", ""), None, false).await;
        assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED, "{}", db.label);
        assert!(store
            .usage_reports(&visible(&store, id).await)
            .await
            .expect("reports")
            .is_empty());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn concurrent_reports_for_one_month_leave_one() {
    let provider = Provider::start().await;
    for db in common::both().await {
        let (app, store) = setup_proconnect(&db, provider.config(Acr::Eidas1, false)).await;
        published_case(&app, &store).await;
        let lyon = agent(&app, LYON).await;
        let id = lyon_declares(&app, &lyon).await;
        let month = Month::of_instant(now());
        let posts = (0..8).map(|n| {
            let (app, lyon) = (app.clone(), lyon.clone());
            tokio::spawn(async move {
                let body = report_body(id, month, &format!("{}", 10 + n), "");
                call(&app, "POST", REPORT, &body, Some(&lyon), true).await.location
            })
        });
        let mut saved = 0;
        for post in futures::future::join_all(posts).await {
            let location = post.expect("post");
            if location.ends_with("?enregistre=releve#releves") {
                saved += 1;
            } else {
                assert!(location.contains("refus=deja"), "{}: {location}", db.label);
            }
        }
        assert_eq!(saved, 1, "{}", db.label);
        let reports = store.usage_reports(&visible(&store, id).await).await.expect("reports");
        assert_eq!(reports.len(), 1, "{}", db.label);
        db.cleanup().await;
    }
}

/// The collectivité `key` declares in the store that it runs the published case, in service for 200 days: the
/// deployment's id.
pub(crate) async fn declared_in_store(store: &SqlStore, (key, name): (&str, &str), contact: &str) -> i64 {
    let declared = store
        .declare_deployment(&NewDeployment {
            slug: SLUG.into(),
            collectivite_key: key.into(),
            collectivite_name: name.into(),
            region: "Auvergne-Rhône-Alpes".into(),
            contact_email: contact.into(),
            status: app::domain::deployments::Status::InService,
            day: (now() - 200 * 86_400).div_euclid(86_400),
            listed: true,
            recorded_by: String::new(),
            now: now(),
        })
        .await
        .expect("declare");
    match declared {
        app::store::deployments::Declared::Created(id) => id,
        other => panic!("{other:?}"),
    }
}

pub(crate) fn report(month: Month, regular: i64) -> UsageWrite {
    let figure = |value| Figure {
        value,
        measure: Measure::ToolStatistics,
    };
    UsageWrite {
        report: Report {
            month,
            regular: figure(regular),
            occasional: figure(0),
            usagers: figure(0),
            hours: None,
            staff: 1000,
            vibe: None,
        },
        staff_typed: None,
        correcting: None,
        author: "test".into(),
        now: now(),
    }
}

#[tokio::test]
async fn stale_reports_are_left_out_of_the_total_and_counted_apart() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        published_case(&app, &store).await;
        let this_month = Month::of_instant(now());
        // Two replications: one reported last month, the other four months ago (stale now).
        let mut ids = Vec::new();
        for collectivite in [("commune:69123", "Lyon"), ("commune:13055", "Marseille")] {
            ids.push(declared_in_store(&store, collectivite, "contact@exemple.fr").await);
        }
        // Read once before the reports: the figures kept then must not outlive the writes below.
        let before = call(&app, "GET", "/api/programme/passage-a-l-echelle", "", None, false).await;
        let before: app::domain::deployments::usage::Scale = serde_json::from_str(&before.body).expect("scale");
        assert_eq!(before.series.last().map(|p| p.regular), Some(0), "{}", db.label);
        let written = store
            .write_usage_report(&visible(&store, ids[0]).await, &report(this_month.plus(-1), 300))
            .await
            .expect("write");
        assert_eq!(written, ReportWritten::Saved);
        store
            .write_usage_report(&visible(&store, ids[1]).await, &report(this_month.plus(-4), 700))
            .await
            .expect("write");
        let scale = call(&app, "GET", "/api/programme/passage-a-l-echelle", "", None, false).await;
        let scale: app::domain::deployments::usage::Scale = serde_json::from_str(&scale.body).expect("scale");
        let last = scale.series.last().expect("this month");
        assert_eq!(last.month, this_month);
        assert_eq!((last.regular, last.counted, last.stale), (300, 1, 1), "{}", db.label);
        // Four months ago, Marseille's report counted.
        let then = scale
            .series
            .iter()
            .find(|p| p.month == this_month.plus(-4))
            .expect("then");
        assert_eq!((then.regular, then.counted), (700, 1), "{}", db.label);
        assert_eq!((scale.deployments, scale.collectivites), (3, 3), "{}", db.label);
        db.cleanup().await;
    }
}

/// The reminders queued to `email`.
async fn reminders_to(store: &SqlStore, email: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND subject LIKE 'Relevé d''usage de %'")
        .bind(email)
        .fetch_one(&store.pools.read)
        .await
        .expect("count")
}

#[tokio::test]
async fn the_monthly_reminder_is_queued_once_per_month_and_not_after_a_report() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        published_case(&app, &store).await;
        let contact = "referente@mairie-lyon.fr";
        let id = declared_in_store(&store, ("commune:69123", "Lyon"), contact).await;
        // The clock: the 1st of next month at 9 h, then the month after.
        let this_month = Month::of_instant(now());
        let first_of = |month: Month| {
            let day = app::domain::dates::day_number(&format!("{}-01", month.iso())).expect("a day");
            day * 86_400 + 9 * 3_600
        };
        let origin = "https://ia.exemple.fr";
        let next = first_of(this_month.plus(1));
        // Lyon's and the pioneer's (Saint-Étienne reports nothing in this test).
        assert_eq!(
            server::mail::queue_usage_reminders(&store, origin, next).await,
            Ok(2),
            "{}",
            db.label
        );
        assert_eq!(
            server::mail::queue_usage_reminders(&store, origin, next + 3_600).await,
            Ok(0),
            "{}",
            db.label
        );
        assert_eq!(
            reminders_to(&store, contact).await,
            1,
            "{}: once for the month",
            db.label
        );
        let body: String = sqlx::query_scalar("SELECT text_body FROM outbox WHERE recipient = $1")
            .bind(contact)
            .fetch_one(&store.pools.read)
            .await
            .expect("the reminder");
        assert!(
            body.contains(&format!("{origin}/collectivite/deploiements/{id}")),
            "{body}"
        );
        assert!(body.contains("n'est pas encore envoyé"), "{body}");
        // This month is reported: the 1st of the month after, no reminder; the month after that, one.
        store
            .write_usage_report(&visible(&store, id).await, &report(this_month.plus(1), 50))
            .await
            .expect("report");
        assert_eq!(
            server::mail::queue_usage_reminders(&store, origin, first_of(this_month.plus(2))).await,
            Ok(1),
            "{}: the pioneer's only",
            db.label
        );
        assert_eq!(reminders_to(&store, contact).await, 1, "{}: Lyon reported", db.label);
        assert_eq!(
            server::mail::queue_usage_reminders(&store, origin, first_of(this_month.plus(3))).await,
            Ok(2),
            "{}",
            db.label
        );
        assert_eq!(reminders_to(&store, contact).await, 2, "{}", db.label);
        db.cleanup().await;
    }
}
