//! The SQL of similar cases: each filed case's words (folded and stemmed as the catalogue's) in `case_terms`,
//! written in the filing transaction with the AI Act pre-assessment, and the cases sharing words with a need.

use app::domain::access::VisibleCase;
use app::domain::ai_act::assess;
use app::domain::intake::IntakeAnswers;
use app::domain::similar::{terms_of, MIN_SHARED};
use app::store::similar::{CloseCase, SimilarStore};
use app::store::StoreError;
use sqlx::Row;

use super::catalogue::stem;
use super::{fail, from_json, stage_of, SqlStore};

/// The most candidates read before the domain keeps the close ones.
const CANDIDATES: i64 = 200;

fn need_terms(answers: &IntakeAnswers) -> Vec<String> {
    terms_of(
        answers.get("titre"),
        answers.get("probleme"),
        answers.get("solution"),
        &stem,
    )
}

impl SqlStore {
    /// Records a filed case's words and AI Act pre-assessment (inside the filing transaction, or the
    /// start-up job's for cases filed before).
    pub(crate) async fn index_case_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        case_id: i64,
        answers: &IntakeAnswers,
    ) -> Result<(), StoreError> {
        let terms = need_terms(answers);
        sqlx::query("DELETE FROM case_terms WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut **tx)
            .await
            .map_err(fail("terms clear"))?;
        for term in &terms {
            sqlx::query("INSERT INTO case_terms (term, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(term)
                .bind(case_id)
                .execute(&mut **tx)
                .await
                .map_err(fail("terms insert"))?;
        }
        sqlx::query("UPDATE cases SET term_count = $1, terms_indexed = 1, ai_act_level = $2 WHERE id = $3")
            .bind(terms.len() as i64)
            .bind(assess(&answers.ai_act()).level.code())
            .bind(case_id)
            .execute(&mut **tx)
            .await
            .map_err(fail("terms count"))?;
        Ok(())
    }

    /// Records a publication's own words (inside the publishing transaction, or the start-up job's).
    pub(crate) async fn index_publication_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        case_id: i64,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM publication_terms WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut **tx)
            .await
            .map_err(fail("publication terms clear"))?;
        for term in terms_of(title, problem, solution, &stem) {
            sqlx::query("INSERT INTO publication_terms (term, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(term)
                .bind(case_id)
                .execute(&mut **tx)
                .await
                .map_err(fail("publication terms insert"))?;
        }
        Ok(())
    }

    async fn close_to_terms(&self, terms: &[String], source: Source) -> Result<Vec<CloseCase>, StoreError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=terms.len()).map(|n| format!("${n}")).collect();
        let matches = |table: &str| {
            format!(
                "SELECT case_id, COUNT(*) AS shared FROM {table} WHERE term IN ({}) GROUP BY case_id \
                 HAVING COUNT(*) >= {MIN_SHARED}",
                placeholders.join(", ")
            )
        };
        let sql = match source {
            // Published cases by the words of what was published, named as published.
            Source::Publications => format!(
                "SELECT c.reference, p.title, c.collectivite_key, p.collectivite_name, p.region, c.stage, \
                 (SELECT COUNT(*) FROM publication_terms x WHERE x.case_id = p.case_id) AS term_count, \
                 m.shared, p.slug, p.title AS public_title \
                 FROM ({}) m JOIN publications p ON p.case_id = m.case_id AND p.withdrawn_at IS NULL \
                 JOIN cases c ON c.id = p.case_id ORDER BY m.shared DESC, c.id DESC LIMIT {CANDIDATES}",
                matches("publication_terms")
            ),
            // Filed cases by the words of their need; `unpublished_only` for what a collectivité may count.
            Source::Cases { unpublished_only } => format!(
                "SELECT c.reference, c.title, c.collectivite_key, c.collectivite_name, c.region, c.stage, \
                 c.term_count, m.shared, p.slug, p.title AS public_title \
                 FROM ({}) m JOIN cases c ON c.id = m.case_id \
                 LEFT JOIN publications p ON p.case_id = c.id AND p.withdrawn_at IS NULL \
                 {} ORDER BY m.shared DESC, c.id DESC LIMIT {CANDIDATES}",
                matches("case_terms"),
                if unpublished_only { "WHERE p.id IS NULL" } else { "" }
            ),
        };
        let mut query = sqlx::query(&sql);
        for term in terms {
            query = query.bind(term);
        }
        let rows = query.fetch_all(self.read()).await.map_err(fail("close cases"))?;
        let mut cases = Vec::new();
        for row in &rows {
            let stage: String = row.try_get("stage").map_err(fail("close stage"))?;
            let slug: Option<String> = row.try_get("slug").map_err(fail("close slug"))?;
            let public_title: Option<String> = row.try_get("public_title").map_err(fail("close public title"))?;
            cases.push(CloseCase {
                reference: row.try_get("reference").map_err(fail("close reference"))?,
                title: row.try_get("title").map_err(fail("close title"))?,
                collectivite_key: row.try_get("collectivite_key").map_err(fail("close key"))?,
                collectivite_name: row.try_get("collectivite_name").map_err(fail("close name"))?,
                region: row.try_get("region").map_err(fail("close region"))?,
                stage: stage_of(&stage)?,
                shared: row.try_get::<i64, _>("shared").map_err(fail("close shared"))? as usize,
                term_count: row.try_get::<i64, _>("term_count").map_err(fail("close count"))? as usize,
                publication: slug.zip(public_title),
            });
        }
        Ok(cases)
    }
}

/// Where close cases are looked for.
#[derive(Clone, Copy)]
enum Source {
    Publications,
    Cases { unpublished_only: bool },
}

#[async_trait::async_trait]
impl SimilarStore for SqlStore {
    async fn close_to_need(
        &self,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<(usize, Vec<CloseCase>), StoreError> {
        let terms = terms_of(title, problem, solution, &stem);
        let mut cases = self.close_to_terms(&terms, Source::Publications).await?;
        cases.extend(
            self.close_to_terms(&terms, Source::Cases { unpublished_only: true })
                .await?,
        );
        Ok((terms.len(), cases))
    }

    async fn close_to_case(&self, case: &VisibleCase) -> Result<(usize, Vec<CloseCase>), StoreError> {
        let reference = case.as_str();
        let terms: Vec<String> = sqlx::query_scalar(
            "SELECT t.term FROM case_terms t JOIN cases c ON c.id = t.case_id WHERE c.reference = $1",
        )
        .bind(reference)
        .fetch_all(self.read())
        .await
        .map_err(fail("case terms"))?;
        let mut cases = self
            .close_to_terms(
                &terms,
                Source::Cases {
                    unpublished_only: false,
                },
            )
            .await?;
        cases.retain(|case| case.reference != reference);
        Ok((terms.len(), cases))
    }

    async fn index_pending_cases(&self, limit: i64) -> Result<usize, StoreError> {
        let rows = sqlx::query("SELECT id, answers FROM cases WHERE terms_indexed = 0 ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(self.read())
            .await
            .map_err(fail("pending terms"))?;
        let publications = sqlx::query(
            "SELECT case_id, title, problem, solution FROM publications p \
             WHERE NOT EXISTS (SELECT 1 FROM publication_terms t WHERE t.case_id = p.case_id) \
             ORDER BY case_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.read())
        .await
        .map_err(fail("pending publication terms"))?;
        let mut tx = self.write().begin().await.map_err(fail("terms begin"))?;
        for row in &rows {
            let id: i64 = row.try_get("id").map_err(fail("pending id"))?;
            let answers: String = row.try_get("answers").map_err(fail("pending answers"))?;
            self.index_case_in(&mut tx, id, &from_json(&answers)?).await?;
        }
        let mut indexed = 0;
        for row in &publications {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("pending publication"));
            let case_id: i64 = row.try_get("case_id").map_err(fail("pending publication case"))?;
            let (title, problem, solution) = (text("title")?, text("problem")?, text("solution")?);
            // A publication without a word to index is not looked at again at each start.
            if terms_of(&title, &problem, &solution, &stem).is_empty() {
                continue;
            }
            self.index_publication_in(&mut tx, case_id, &title, &problem, &solution)
                .await?;
            indexed += 1;
        }
        tx.commit().await.map_err(fail("terms commit"))?;
        Ok(rows.len() + indexed)
    }
}
