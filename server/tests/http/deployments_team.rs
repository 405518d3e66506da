//! The team's side of the deployments, on both databases: the programme records one on a collectivité's
//! behalf (the collectivité named by its name or code, an ambiguous name refused naming the field; a reader may
//! not), marked as such; a deployment in service without a report for over two months is marked in
//! `/equipe/deploiements` and listed in "À traiter", linking to it; the pioneer just published is not.

use app::domain::due::{DueItem, DueKind};
use axum::http::StatusCode;

use crate::common;
use common::http::*;

const RECORD: &str = "/api/equipe/deploiements/enregistrer";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

#[tokio::test]
async fn the_team_records_a_deployment_and_sees_when_its_reports_stop() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let (_, reference) = crate::exchange::file_case(&app).await;
        app::store::CatalogueStore::publish(
            store.as_ref(),
            &crate::ai_act::publication(&reference, "tri", "Tri des courriers"),
        )
        .await
        .expect("publish");
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let since = app::domain::dates::iso_date(now() - 200 * 86_400);
        let body = |collectivite: &str| {
            format!(
                "cas=tri&collectivite={collectivite}&contact=referente@mairie-lyon.fr&statut=en-service&date={since}"
            )
        };

        let ambiguous = call(&app, "POST", RECORD, &body("Saint"), Some(&prog), false).await;
        assert_eq!(ambiguous.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            ambiguous
                .body
                .contains("« Collectivité » : plusieurs collectivités correspondent"),
            "{}",
            ambiguous.body
        );
        let forbidden = call(&app, "POST", RECORD, &body("commune:69123"), Some(&reader), false).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{}", db.label);
        let recorded = call(&app, "POST", RECORD, &body("commune:69123"), Some(&prog), true).await;
        assert_eq!(
            recorded.location, "/equipe/deploiements?enregistre=enregistre",
            "{}",
            db.label
        );

        let page = call(&app, "GET", "/equipe/deploiements", "", Some(&prog), true).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.label);
        assert!(page.body.contains("Lyon (déclaré par l'équipe)"), "{}", db.label);
        assert!(
            page.body.contains("sans relevé depuis plus de deux mois"),
            "{}",
            db.label
        );
        assert!(page.body.contains("2 déploiements, dont 1 sans relevé"), "{}", db.label);

        let due = call(&app, "POST", "/api/equipe/a-traiter", "", Some(&prog), false).await;
        let items: Vec<DueItem> = serde_json::from_str(&due.body).expect("items");
        let silent: Vec<&DueItem> = items.iter().filter(|i| i.kind == DueKind::SilentDeployment).collect();
        assert_eq!(
            silent.len(),
            1,
            "{}: Lyon's only, not the pioneer's: {silent:?}",
            db.label
        );
        assert!(silent[0].label.starts_with("Lyon — "), "{:?}", silent[0]);
        assert!(
            silent[0].href.starts_with("/equipe/deploiements#deploiement-"),
            "{:?}",
            silent[0]
        );
        // A reader acts on nothing: no such item.
        let due = call(&app, "POST", "/api/equipe/a-traiter", "", Some(&reader), false).await;
        let items: Vec<DueItem> = serde_json::from_str(&due.body).expect("items");
        assert!(
            items.iter().all(|i| i.kind != DueKind::SilentDeployment),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}
