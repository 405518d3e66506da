//! The SQL of deduplication (`domain::library::pairs`): the pairs of a project of the Bibliothèque and a case
//! published here by the same collectivité about the same need, found again after each import and publication,
//! the team's decisions, and what each page shows of its twin.

use std::collections::HashMap;

use app::domain::library::pairs::{is_pair, PairDecision};
use app::model::library::LibraryPair;
use app::model::similar::{LibraryMatch, PublishedMatch};
use app::store::StoreError;
use sqlx::Row;

use crate::sql::similar::DocKind;
use crate::sql::{fail, SqlStore};

impl SqlStore {
    /// Finds the pairs again: each project and published case of the same SIREN, scored; a new pair is
    /// proposed, a known one keeps the team's decision, a proposed one no longer close is dropped. How many
    /// pairs are proposed or confirmed.
    pub(crate) async fn refresh_pairs(&self) -> Result<usize, StoreError> {
        let rows = sqlx::query(
            "SELECT l.id AS library_id, l.siren AS library_siren, p.case_id, p.collectivite_siren \
             FROM library_projects l JOIN publications p ON p.collectivite_siren = l.siren \
             WHERE l.siren <> '' AND l.withdrawn_at IS NULL AND p.withdrawn_at IS NULL",
        )
        .fetch_all(self.read())
        .await
        .map_err(fail("pair candidates"))?;
        let mut found: Vec<(i64, i64, f32)> = Vec::new();
        for row in &rows {
            let library_id: i64 = row.try_get("library_id").map_err(fail("pair library"))?;
            let case_id: i64 = row.try_get("case_id").map_err(fail("pair case"))?;
            let library_siren: String = row.try_get("library_siren").map_err(fail("pair siren"))?;
            let case_siren: String = row.try_get("collectivite_siren").map_err(fail("pair case siren"))?;
            let score = self
                .closeness((DocKind::Library, library_id), (DocKind::Publication, case_id))
                .await?;
            if is_pair(&library_siren, &case_siren, score) {
                found.push((library_id, case_id, score));
            }
        }
        let mut tx = self.pools.write.begin().await.map_err(fail("pairs begin"))?;
        let known = sqlx::query("SELECT library_id, case_id FROM library_pairs WHERE decision = $1")
            .bind(PairDecision::Proposed.code())
            .fetch_all(&mut *tx)
            .await
            .map_err(fail("pairs known"))?;
        for row in &known {
            let key: (i64, i64) = (
                row.try_get("library_id").map_err(fail("pair known library"))?,
                row.try_get("case_id").map_err(fail("pair known case"))?,
            );
            if !found.iter().any(|(l, c, _)| (*l, *c) == key) {
                sqlx::query("DELETE FROM library_pairs WHERE library_id = $1 AND case_id = $2 AND decision = $3")
                    .bind(key.0)
                    .bind(key.1)
                    .bind(PairDecision::Proposed.code())
                    .execute(&mut *tx)
                    .await
                    .map_err(fail("pair drop"))?;
            }
        }
        for (library_id, case_id, score) in &found {
            sqlx::query(
                "INSERT INTO library_pairs (library_id, case_id, score) VALUES ($1, $2, $3) \
                 ON CONFLICT (library_id, case_id) DO UPDATE SET score = excluded.score",
            )
            .bind(*library_id)
            .bind(*case_id)
            .bind(f64::from(*score))
            .execute(&mut *tx)
            .await
            .map_err(fail("pair upsert"))?;
        }
        tx.commit().await.map_err(fail("pairs commit"))?;
        self.searches.clear();
        Ok(found.len())
    }

    /// Every pair, for the team: the project, the case, how close, the decision.
    pub(crate) async fn pairs(&self) -> Result<Vec<LibraryPair>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.slug AS library_slug, l.title AS library_title, l.collectivite_name AS library_name, \
             p.slug, p.title, p.collectivite_name, p.region, lp.score, lp.decision, lp.decided_by, lp.decided_at \
             FROM library_pairs lp JOIN library_projects l ON l.id = lp.library_id \
             JOIN publications p ON p.case_id = lp.case_id \
             WHERE l.withdrawn_at IS NULL AND p.withdrawn_at IS NULL ORDER BY lp.decision DESC, p.title",
        )
        .fetch_all(self.read())
        .await
        .map_err(fail("pairs"))?;
        rows.iter()
            .map(|row| {
                let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("pair"));
                let decision = text("decision")?;
                Ok(LibraryPair {
                    library: LibraryMatch {
                        slug: text("library_slug")?,
                        title: text("library_title")?,
                        collectivite: text("library_name")?,
                    },
                    case: PublishedMatch {
                        slug: text("slug")?,
                        title: text("title")?,
                        collectivite: text("collectivite_name")?,
                        region: text("region")?,
                    },
                    closeness_percent: (row.try_get::<f64, _>("score").map_err(fail("pair score"))? * 100.0).round()
                        as i64,
                    decision: PairDecision::from_code(&decision)
                        .ok_or_else(|| StoreError(format!("décision de paire inconnue : {decision}")))?,
                    decided_by: text("decided_by")?,
                    decided_at: row.try_get("decided_at").map_err(fail("pair decided at"))?,
                })
            })
            .collect()
    }

    /// Records the team's decision on the pair of these two pages; false when there is no such pair.
    pub(crate) async fn decide_pair(
        &self,
        library_slug: &str,
        case_slug: &str,
        decision: PairDecision,
        actor: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE library_pairs SET decision = $1, decided_by = $2, decided_at = $3 \
             WHERE library_id = (SELECT id FROM library_projects WHERE slug = $4) \
             AND case_id = (SELECT case_id FROM publications WHERE slug = $5)",
        )
        .bind(decision.code())
        .bind(actor)
        .bind(now)
        .bind(library_slug)
        .bind(case_slug)
        .execute(&self.pools.write)
        .await
        .map_err(fail("pair decision"))?;
        self.searches.clear();
        Ok(done.rows_affected() > 0)
    }

    /// The project of the Bibliothèque each of these published cases is shown with, by case slug.
    pub(crate) async fn library_twins(
        &self,
        case_slugs: &[String],
    ) -> Result<HashMap<String, LibraryMatch>, StoreError> {
        if case_slugs.is_empty() {
            return Ok(HashMap::new());
        }
        let placeholders: Vec<String> = (2..case_slugs.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT p.slug AS case_slug, l.slug, l.title, l.collectivite_name FROM library_pairs lp \
             JOIN library_projects l ON l.id = lp.library_id AND l.withdrawn_at IS NULL \
             JOIN publications p ON p.case_id = lp.case_id \
             WHERE lp.decision <> $1 AND p.slug IN ({}) ORDER BY lp.score DESC",
            placeholders.join(", ")
        );
        let mut statement = sqlx::query(&sql).bind(PairDecision::Split.code());
        for slug in case_slugs {
            statement = statement.bind(slug.clone());
        }
        let mut twins = HashMap::new();
        for row in statement.fetch_all(self.read()).await.map_err(fail("library twins"))? {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("library twin"));
            twins.entry(text("case_slug")?).or_insert(LibraryMatch {
                slug: text("slug")?,
                title: text("title")?,
                collectivite: text("collectivite_name")?,
            });
        }
        Ok(twins)
    }

    /// The published case a project of the Bibliothèque is shown with, if any.
    pub(crate) async fn case_twin_of(&self, library_slug: &str) -> Result<Option<PublishedMatch>, StoreError> {
        let row = sqlx::query(
            "SELECT p.slug, p.title, p.collectivite_name, p.region FROM library_pairs lp \
             JOIN library_projects l ON l.id = lp.library_id \
             JOIN publications p ON p.case_id = lp.case_id AND p.withdrawn_at IS NULL \
             WHERE lp.decision <> $1 AND l.slug = $2 ORDER BY lp.score DESC LIMIT 1",
        )
        .bind(PairDecision::Split.code())
        .bind(library_slug)
        .fetch_optional(self.read())
        .await
        .map_err(fail("case twin"))?;
        row.map(|row| {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("case twin"));
            Ok(PublishedMatch {
                slug: text("slug")?,
                title: text("title")?,
                collectivite: text("collectivite_name")?,
                region: text("region")?,
            })
        })
        .transpose()
    }
}
