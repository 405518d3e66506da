//! The SQL of the public catalogue: French full-text search (SQLite FTS5 over folded, stemmed words; PostgreSQL
//! with its French configuration and `unaccent`), filters, sorting and pages, publishing, replication drafts and
//! the programme's indicators. Only publication columns and counts are selected: nothing private.

use app::domain::ai_act::review::PublishedObligation;
use app::domain::ai_act::RiskLevel;
use app::domain::catalogue::{search_words, CatalogueQuery};
use app::domain::diffusion::{public_gains, Support, Video};
use app::domain::gates::{self, GateRequest};
use app::domain::history::EventKind;
use app::domain::intake::IntakeAnswers;
use app::domain::stage::Stage;
use app::model::catalogue::{
    CatalogueGeneration, LabelledCount, ProgrammeFigures, PublicCase, PublicCaseDetail, PublicationCursor,
    PublicationsPage, SearchResults,
};
use app::store::catalogue::{CatalogueStore, NewPublication};
use app::store::{StoreError, WriteOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;

mod search;

use super::{fail, stage_of, BoardChange, SqlStore};
use crate::db::Backend;

/// The French stem of a folded word (Snowball, as PostgreSQL's `french_stem`).
pub fn stem(word: &str) -> String {
    static STEMMER: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French))
        .stem(word)
        .into_owned()
}

const CARD_BASE: &str = "p.id, p.slug, c.reference, p.title, p.summary, p.collectivite_name, \
    p.collectivite_kind, p.region, p.population, p.domain, p.briques, p.typologie, c.stage, p.agents_estimated, \
    p.hours_estimated, p.agents_measured, p.hours_measured, p.published_at, p.ai_act_level, p.ai_act_obligations";

const CARD_COLUMNS: &str = "p.id, p.slug, c.reference, p.title, p.summary, p.collectivite_name, \
    p.collectivite_kind, p.region, p.population, p.domain, p.briques, p.typologie, c.stage, p.agents_estimated, \
    p.hours_estimated, p.agents_measured, p.hours_measured, p.published_at, p.ai_act_level, p.ai_act_obligations, \
    (SELECT COUNT(*) FROM cases r WHERE r.replicates = p.slug) AS replications";

const DETAIL_COLUMNS: &str = "p.problem, p.solution, p.documentation, p.videos, p.supports, p.contact, p.hosting, \
    p.collectivite_code, p.collectivite_siren, p.updated_at, p.ai_act_obligations, p.public_facing, \
    c.created_at AS filed_at";

/// The AI Act obligations published with a case (JSON `[{"article", "texte"}]`).
fn obligations_from(row: &AnyRow) -> Result<Vec<PublishedObligation>, StoreError> {
    let text: String = row.try_get("ai_act_obligations").map_err(fail("obligations"))?;
    serde_json::from_str(&text).map_err(|e| StoreError(format!("obligations: {e}")))
}

fn card_from(row: &AnyRow) -> Result<PublicCase, StoreError> {
    let briques: String = row.try_get("briques").map_err(fail("card briques"))?;
    let agents_measured: Option<i64> = row.try_get("agents_measured").map_err(fail("card agents measured"))?;
    let hours_measured: Option<i64> = row.try_get("hours_measured").map_err(fail("card hours measured"))?;
    let agents_estimated: i64 = row.try_get("agents_estimated").map_err(fail("card agents"))?;
    let hours_estimated: i64 = row.try_get("hours_estimated").map_err(fail("card hours"))?;
    let gains = public_gains(agents_estimated, hours_estimated, agents_measured, hours_measured);
    let stage: String = row.try_get("stage").map_err(fail("card stage"))?;
    Ok(PublicCase {
        slug: row.try_get("slug").map_err(fail("card slug"))?,
        reference: row.try_get("reference").map_err(fail("card reference"))?,
        title: row.try_get("title").map_err(fail("card title"))?,
        summary: row.try_get("summary").map_err(fail("card summary"))?,
        collectivite_name: row.try_get("collectivite_name").map_err(fail("card name"))?,
        collectivite_kind: row.try_get("collectivite_kind").map_err(fail("card kind"))?,
        region: row.try_get("region").map_err(fail("card region"))?,
        population: row.try_get("population").map_err(fail("card population"))?,
        domain: row.try_get("domain").map_err(fail("card domain"))?,
        briques: briques
            .split(',')
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .collect(),
        typologie: row.try_get("typologie").map_err(fail("card typologie"))?,
        stage: stage_of(&stage)?,
        agents: gains.agents,
        hours_saved_per_year: gains.hours_saved_per_year,
        gains_measured: gains.measured,
        published_at: row.try_get("published_at").map_err(fail("card published"))?,
        replications: row.try_get("replications").map_err(fail("card replications"))?,
        ai_act_articles: {
            let mut articles: Vec<String> = obligations_from(row)?.into_iter().map(|o| o.article).collect();
            articles.dedup();
            articles
        },
        ai_act_level: {
            let code: String = row.try_get("ai_act_level").map_err(fail("card ai_act"))?;
            match code.as_str() {
                "" => None,
                code => {
                    Some(RiskLevel::from_code(code).ok_or_else(|| StoreError(format!("unknown AI Act level {code}")))?)
                }
            }
        },
    })
}

fn detail_from(row: &AnyRow) -> Result<PublicCaseDetail, StoreError> {
    let videos: String = row.try_get("videos").map_err(fail("detail videos"))?;
    let supports: String = row.try_get("supports").map_err(fail("detail supports"))?;
    Ok(PublicCaseDetail {
        case: card_from(row)?,
        problem: row.try_get("problem").map_err(fail("detail problem"))?,
        solution: row.try_get("solution").map_err(fail("detail solution"))?,
        documentation: row.try_get("documentation").map_err(fail("detail documentation"))?,
        videos: serde_json::from_str::<Vec<Video>>(&videos).map_err(|e| StoreError(format!("videos: {e}")))?,
        supports: serde_json::from_str::<Vec<Support>>(&supports).map_err(|e| StoreError(format!("supports: {e}")))?,
        contact: row.try_get("contact").map_err(fail("detail contact"))?,
        hosting: row.try_get("hosting").map_err(fail("detail hosting"))?,
        collectivite_code: row.try_get("collectivite_code").map_err(fail("detail code"))?,
        collectivite_siren: row.try_get("collectivite_siren").map_err(fail("detail siren"))?,
        agents_estimated: row.try_get("agents_estimated").map_err(fail("detail agents"))?,
        hours_estimated: row.try_get("hours_estimated").map_err(fail("detail hours"))?,
        agents_measured: row.try_get("agents_measured").map_err(fail("detail agents measured"))?,
        hours_measured: row.try_get("hours_measured").map_err(fail("detail hours measured"))?,
        updated_at: row.try_get("updated_at").map_err(fail("detail updated"))?,
        ai_act_obligations: obligations_from(row)?,
        public_facing: row.try_get::<i64, _>("public_facing").map_err(fail("detail public"))? == 1,
        filed_at: row.try_get("filed_at").map_err(fail("detail filed"))?,
    })
}

/// The statement that inserts or updates a publication; PostgreSQL also keeps the raw text (`$21`), which its
/// French configuration indexes.
fn upsert_publication_sql(backend: Backend) -> String {
    let document_column = if backend == Backend::Postgres {
        ", search_document"
    } else {
        ""
    };
    let document_value = if backend == Backend::Postgres { ", $21" } else { "" };
    let document_update = if backend == Backend::Postgres {
        ", search_document = excluded.search_document"
    } else {
        ""
    };
    format!(
        "INSERT INTO publications (case_id, slug, title, summary, problem, solution, documentation, videos, \
         supports, contact, hosting, collectivite_name, collectivite_kind, collectivite_code, collectivite_siren, \
         region, population, domain, briques, typologie, agents_estimated, hours_estimated, agents_measured, \
         hours_measured, search_text, published_at, updated_at{document_column}) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, collectivite_name, collectivite_kind, $12, $13, \
         region, $14, domain, $15, $16, agents, hours_saved_per_year, $17, $18, $19, $20, $20{document_value} \
         FROM cases WHERE id = $1 \
         ON CONFLICT (case_id) DO UPDATE SET slug = excluded.slug, title = excluded.title, \
         summary = excluded.summary, problem = excluded.problem, solution = excluded.solution, \
         documentation = excluded.documentation, videos = excluded.videos, supports = excluded.supports, \
         contact = excluded.contact, hosting = excluded.hosting, collectivite_code = excluded.collectivite_code, \
         collectivite_siren = excluded.collectivite_siren, population = excluded.population, \
         typologie = excluded.typologie, agents_measured = excluded.agents_measured, \
         hours_measured = excluded.hours_measured, search_text = excluded.search_text, \
         updated_at = excluded.updated_at, withdrawn_at = NULL{document_update}"
    )
}

impl SqlStore {
    /// Writes the publication of the locked case `case_id` (its row, its AI Act obligations, its search index);
    /// whether the case was published before.
    async fn upsert_publication_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        case_id: i64,
        publication: &NewPublication,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT id, collectivite_name, collectivite_kind, region, domain, briques, agents, hours_saved_per_year, \
             published FROM cases WHERE id = $1",
        )
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(fail("publish case"))?;
        let was_published = row.try_get::<i64, _>("published").map_err(fail("publish flag"))? == 1;
        let collectivite_name: String = row.try_get("collectivite_name").map_err(fail("publish name"))?;
        let region: String = row.try_get("region").map_err(fail("publish region"))?;
        let briques: String = row.try_get("briques").map_err(fail("publish briques"))?;
        let document = [
            publication.title.as_str(),
            &publication.summary,
            &publication.problem,
            &publication.solution,
            &publication.documentation,
            &collectivite_name,
            &region,
        ]
        .join("\n");
        let search_text = search_words(&document, &stem).join(" ");
        let videos = serde_json::to_string(&publication.videos).map_err(|e| StoreError(e.to_string()))?;
        let supports = serde_json::to_string(&publication.supports).map_err(|e| StoreError(e.to_string()))?;
        let sql = upsert_publication_sql(self.pools.backend);
        let mut statement = sqlx::query(&sql)
            .bind(case_id)
            .bind(&publication.slug)
            .bind(&publication.title)
            .bind(&publication.summary)
            .bind(&publication.problem)
            .bind(&publication.solution)
            .bind(&publication.documentation)
            .bind(videos)
            .bind(supports)
            .bind(&publication.contact)
            .bind(&publication.hosting)
            .bind(&publication.collectivite_code)
            .bind(&publication.collectivite_siren)
            .bind(publication.population)
            .bind(format!(",{},", briques.trim_matches(',')))
            .bind(&publication.typologie)
            .bind(publication.agents_measured)
            .bind(publication.hours_measured)
            .bind(search_text)
            .bind(publication.now);
        // PostgreSQL also keeps the raw text, which its French configuration indexes.
        if self.pools.backend == Backend::Postgres {
            statement = statement.bind(document);
        }
        statement.execute(&mut **tx).await.map_err(fail("publish insert"))?;
        let obligations =
            serde_json::to_string(&publication.ai_act_obligations).map_err(|e| StoreError(e.to_string()))?;
        sqlx::query(
            "UPDATE publications SET ai_act_level = $1, ai_act_obligations = $2, public_facing = $3 WHERE case_id = $4",
        )
        .bind(publication.ai_act_level.map(|level| level.code()).unwrap_or_default())
        .bind(obligations)
        .bind(i64::from(publication.public_facing))
        .bind(case_id)
        .execute(&mut **tx)
        .await
        .map_err(fail("publish ai_act"))?;
        self.index_publication_in(
            tx,
            case_id,
            &publication.title,
            &publication.problem,
            &publication.solution,
        )
        .await?;
        Ok(was_published)
    }
}

#[async_trait::async_trait]
impl CatalogueStore for SqlStore {
    async fn search_publications(&self, query: &CatalogueQuery) -> Result<SearchResults, StoreError> {
        if !self.searches.is_on() {
            return self.search_uncached(query).await;
        }
        // Whichever process or command changed the catalogue, the number tells (one row read).
        let generation = self.catalogue_generation().await?.generation;
        if let Some(results) = self.searches.get(query, generation) {
            return Ok(results);
        }
        let results = self.search_uncached(query).await?;
        self.searches.put(query, generation, &results);
        Ok(results)
    }

    async fn publication(&self, slug: &str) -> Result<Option<PublicCaseDetail>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS}, {DETAIL_COLUMNS} FROM publications p JOIN cases c ON c.id = p.case_id \
             WHERE p.slug = $1 AND p.withdrawn_at IS NULL"
        ))
        .bind(slug)
        .fetch_optional(&self.pools.read)
        .await
        .map_err(fail("publication"))?;
        row.as_ref().map(detail_from).transpose()
    }

    async fn catalogue_updated_at(&self) -> Result<Option<i64>, StoreError> {
        // A withdrawal changes the catalogue too: harvesters must see the case go.
        sqlx::query_scalar(
            "SELECT MAX(CASE WHEN withdrawn_at IS NOT NULL AND withdrawn_at > updated_at THEN withdrawn_at \
             ELSE updated_at END) FROM publications",
        )
        .fetch_one(self.read())
        .await
        .map_err(fail("catalogue updated"))
    }

    async fn publications(&self) -> Result<Vec<PublicCaseDetail>, StoreError> {
        sqlx::query(&format!(
            "SELECT {CARD_COLUMNS}, {DETAIL_COLUMNS} FROM publications p JOIN cases c ON c.id = p.case_id \
             WHERE p.withdrawn_at IS NULL ORDER BY p.published_at DESC, p.id DESC"
        ))
        .fetch_all(&self.pools.read)
        .await
        .map_err(fail("publications"))?
        .iter()
        .map(detail_from)
        .collect()
    }

    async fn publications_page(
        &self,
        after: Option<PublicationCursor>,
        limit: i64,
    ) -> Result<PublicationsPage, StoreError> {
        let (published_at, id) = after.map_or((i64::MAX, i64::MAX), |c| (c.published_at, c.id));
        let rows = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS}, {DETAIL_COLUMNS} FROM publications p JOIN cases c ON c.id = p.case_id \
             WHERE p.withdrawn_at IS NULL AND (p.published_at < $1 OR (p.published_at = $1 AND p.id < $2)) \
             ORDER BY p.published_at DESC, p.id DESC LIMIT $3"
        ))
        .bind(published_at)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await
        .map_err(fail("publications page"))?;
        let next = match rows.last() {
            Some(last) if rows.len() as i64 == limit => Some(PublicationCursor {
                published_at: last.try_get("published_at").map_err(fail("page published_at"))?,
                id: last.try_get("id").map_err(fail("page id"))?,
            }),
            _ => None,
        };
        Ok(PublicationsPage {
            items: rows.iter().map(detail_from).collect::<Result<_, _>>()?,
            next,
        })
    }

    async fn catalogue_generation(&self) -> Result<CatalogueGeneration, StoreError> {
        // PostgreSQL keeps the number in 32 rows, one raised by each writing connection (its migration 0033);
        // SQLite in one.
        let row = sqlx::query(
            "SELECT CAST(SUM(generation) AS BIGINT) AS generation, MAX(changed_at) AS changed_at \
             FROM catalogue_generation",
        )
        .fetch_one(self.read())
        .await
        .map_err(fail("catalogue generation"))?;
        Ok(CatalogueGeneration {
            generation: row.try_get("generation").map_err(fail("generation"))?,
            changed_at: row.try_get("changed_at").map_err(fail("generation changed_at"))?,
        })
    }

    async fn publish(&self, publication: &NewPublication) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.pools.write.begin().await.map_err(fail("publish begin"))?;
        let Some(case) = self.lock_case(&mut tx, publication.case.as_str()).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if let Some(based_on) = publication.based_on {
            if case.version != based_on {
                return Ok(WriteOutcome::Conflict {
                    by: case.updated_by,
                    at: case.updated_at,
                });
            }
            let record = self.gate_record_in(&mut tx, &case).await?;
            if let Err(refusal) = gates::check(&GateRequest::Publish, &record, publication.now) {
                return Ok(WriteOutcome::Refused(refusal));
            }
        }
        let case_id = case.id;
        let was_published = self.upsert_publication_in(&mut tx, case_id, publication).await?;
        super::deployments::create_pioneer_in(&mut tx, case_id, publication.now).await?;
        sqlx::query(
            "UPDATE cases SET published = 1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $1",
        )
        .bind(case_id)
        .bind(publication.now)
        .bind(&publication.actor)
        .execute(&mut *tx)
        .await
        .map_err(fail("publish flag"))?;
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, $3, NULL, NULL, $4, $5)",
        )
        .bind(case_id)
        .bind(&publication.actor)
        .bind(EventKind::Published.code())
        .bind(
            app::domain::history::EventDetail::Published {
                slug: publication.slug.clone(),
            }
            .stored(),
        )
        .bind(publication.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("publish event"))?;
        // The collectivité is told of the first publication, not of each update of its page.
        if let Some(notice) = publication.notice.as_ref().filter(|_| !was_published) {
            super::links::queue_notice_in(&mut tx, case_id, notice, publication.now).await?;
        }
        // Open boards learn the new version, as after a move (or their next move would be a conflict).
        let change = BoardChange {
            reference: publication.case.to_string(),
            stage: case.stage.code().into(),
            version: case.version + 1,
            actor: publication.actor.clone(),
        };
        self.notify_in(&mut tx, &change).await?;
        tx.commit().await.map_err(fail("publish commit"))?;
        self.announce(change);
        if let Ok(mut cache) = self.regions.lock() {
            *cache = None;
        }
        self.searches.clear();
        // A project of the Bibliothèque by the same collectivité about the same need is now shown with it.
        if let Err(error) = self.refresh_pairs().await {
            tracing::warn!("paires Bibliothèque / cas publiés : {}", error.0);
        }
        Ok(WriteOutcome::Done {
            version: case.version + 1,
        })
    }

    async fn create_replication_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        slug: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let answers = serde_json::to_string(answers).map_err(|e| StoreError(e.to_string()))?;
        sqlx::query(
            "INSERT INTO drafts (token_hash, answers, created_at, updated_at, replicates) VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(answers)
        .bind(now)
        .bind(slug)
        .execute(&self.pools.write)
        .await
        .map_err(fail("replication draft"))?;
        Ok(())
    }

    async fn programme_figures(&self) -> Result<ProgrammeFigures, StoreError> {
        let read = &self.pools.read;
        let stage_rows = sqlx::query("SELECT stage, COUNT(*) AS total FROM cases GROUP BY stage")
            .fetch_all(read)
            .await
            .map_err(fail("figures stages"))?;
        let count_of = |code: &str| -> i64 {
            stage_rows
                .iter()
                .find(|row| row.try_get::<String, _>("stage").ok().as_deref() == Some(code))
                .and_then(|row| row.try_get::<i64, _>("total").ok())
                .unwrap_or(0)
        };
        let by_stage = Stage::PIPELINE
            .into_iter()
            .chain([Stage::Reoriente])
            .map(|stage| LabelledCount {
                label: stage.label().to_string(),
                count: count_of(stage.code()),
            })
            .collect();
        let by_region =
            sqlx::query("SELECT region, COUNT(*) AS total FROM cases GROUP BY region ORDER BY total DESC, region")
                .fetch_all(read)
                .await
                .map_err(fail("figures regions"))?
                .iter()
                .map(|row| {
                    Ok(LabelledCount {
                        label: row.try_get("region").map_err(fail("figures region"))?,
                        count: row.try_get("total").map_err(fail("figures region total"))?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
        let scalar = |sql: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(read)
                .await
                .map_err(fail("figures scalar"))
        };
        Ok(ProgrammeFigures {
            by_stage,
            by_region,
            pioneers: scalar(
                "SELECT COUNT(DISTINCT collectivite_key) FROM cases WHERE stage IN ('cadrage', 'conception', 'diffusion')",
            )
            .await?,
            replications: scalar("SELECT COUNT(*) FROM cases WHERE replicates IS NOT NULL").await?,
            published: scalar("SELECT COUNT(*) FROM publications WHERE withdrawn_at IS NULL").await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_plurals_like_the_french_configuration() {
        assert_eq!(stem("marches"), stem("marche"));
        assert_eq!(stem("publics"), stem("public"));
    }
}
