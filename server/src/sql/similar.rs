//! The SQL of similar cases: each filed case's need and each publication's text, as counted words
//! (`domain::similar::words`), in `similarity_documents`, written in the filing or publishing transaction with a
//! change number; each server process keeps them in an in-memory index (`domain::similar::index`) that it brings
//! up to date before each query by reading the rows changed since, whichever process wrote them.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use app::domain::access::VisibleCase;
use app::domain::ai_act::assess;
use app::domain::intake::IntakeAnswers;
use app::domain::similar::index::{Close, SimilarityIndex};
use app::domain::similar::words::WordCounts;
use app::domain::similar::MIN_SCORE;
use app::model::similar::{LibraryMatch, Neighbour, PublishedMatch};
use app::store::similar::{CloseCase, SimilarStore};
use app::store::StoreError;
use sqlx::Row;

use super::catalogue::stem;
use super::{fail, from_json, stage_of, SqlStore};

/// The most close projects read before the endpoints keep what each reader may see.
const CANDIDATES: usize = 200;

/// What a similarity document is the text of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum DocKind {
    /// A filed case's need (the intake's title, problem and solution).
    Case,
    /// A publication's own text: the catalogue's cases are found by what was published.
    Publication,
    /// A project of the Bibliothèque d'IA territoriales (the id of its `library_projects` row).
    Library,
}

impl DocKind {
    fn code(self) -> &'static str {
        match self {
            DocKind::Case => "cas",
            DocKind::Publication => "publication",
            DocKind::Library => "bibliotheque",
        }
    }

    fn parse(code: &str) -> Option<DocKind> {
        match code {
            "cas" => Some(DocKind::Case),
            "publication" => Some(DocKind::Publication),
            "bibliotheque" => Some(DocKind::Library),
            _ => None,
        }
    }
}

/// What close documents are looked for: close to a text's words, or to an indexed document.
enum CloseTo<'a> {
    Words(&'a WordCounts),
    Document(DocKey),
}

/// A document of the index: its kind and the id of its row (the case's id for a case or a publication, the
/// project's for the Bibliothèque).
pub(crate) type DocKey = (DocKind, i64);

/// A process's index and the last change number it holds.
#[derive(Default)]
pub(crate) struct SimilarityCache {
    index: SimilarityIndex<DocKey>,
    seen: i64,
}

impl std::fmt::Debug for SimilarityCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SimilarityCache({} documents, change {})",
            self.index.len(),
            self.seen
        )
    }
}

/// The index shared by a store's clones.
pub(crate) type SharedSimilarity = Arc<RwLock<SimilarityCache>>;

fn poisoned<T>(_: T) -> StoreError {
    StoreError("index des cas proches indisponible".into())
}

fn need_words(answers: &IntakeAnswers) -> WordCounts {
    WordCounts::of_project(
        answers.get("titre"),
        answers.get("probleme"),
        answers.get("solution"),
        &stem,
    )
}

impl SqlStore {
    /// Records a document's words under a new change number (inside the caller's transaction).
    pub(crate) async fn record_words_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        key: DocKey,
        words: &WordCounts,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE similarity_changes SET last = last + 1 WHERE id = 1")
            .execute(&mut **tx)
            .await
            .map_err(fail("similarity change"))?;
        sqlx::query(
            "INSERT INTO similarity_documents (kind, doc_id, words, seq) \
             VALUES ($1, $2, $3, (SELECT last FROM similarity_changes WHERE id = 1)) \
             ON CONFLICT (kind, doc_id) DO UPDATE SET words = excluded.words, seq = excluded.seq",
        )
        .bind(key.0.code())
        .bind(key.1)
        .bind(words.encode())
        .execute(&mut **tx)
        .await
        .map_err(fail("similarity document"))?;
        Ok(())
    }

    /// Records a filed case's words and AI Act pre-assessment (inside the filing transaction, or the
    /// start-up job's for cases filed before).
    pub(crate) async fn index_case_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        case_id: i64,
        answers: &IntakeAnswers,
    ) -> Result<(), StoreError> {
        // The case's row before the change counter, as publishing does: no two transactions wait on each other.
        let words = need_words(answers);
        sqlx::query("UPDATE cases SET term_count = $1, terms_indexed = 1, ai_act_level = $2 WHERE id = $3")
            .bind(words.len() as i64)
            .bind(assess(&answers.ai_act()).level.code())
            .bind(case_id)
            .execute(&mut **tx)
            .await
            .map_err(fail("terms count"))?;
        self.record_words_in(tx, (DocKind::Case, case_id), &words).await
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
        let words = WordCounts::of_project(title, problem, solution, &stem);
        self.record_words_in(tx, (DocKind::Publication, case_id), &words).await
    }

    /// Brings this process's index up to date: the documents written since it last looked.
    async fn sync_similarity(&self) -> Result<(), StoreError> {
        let seen = self.similarity.read().map_err(poisoned)?.seen;
        let rows = sqlx::query("SELECT kind, doc_id, words, seq FROM similarity_documents WHERE seq > $1 ORDER BY seq")
            .bind(seen)
            .fetch_all(self.read())
            .await
            .map_err(fail("similarity documents"))?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut changed = Vec::with_capacity(rows.len());
        for row in &rows {
            let kind: String = row.try_get("kind").map_err(fail("similarity kind"))?;
            let words: String = row.try_get("words").map_err(fail("similarity words"))?;
            let id: i64 = row.try_get("doc_id").map_err(fail("similarity id"))?;
            let seq: i64 = row.try_get("seq").map_err(fail("similarity seq"))?;
            // A row this process cannot read (written by a newer version) is left out, not retried forever.
            match (DocKind::parse(&kind), WordCounts::decode(&words)) {
                (Some(kind), Some(words)) => changed.push(((kind, id), words, seq)),
                _ => tracing::warn!("document de similarité illisible laissé de côté : {kind} {id}"),
            }
        }
        let mut cache = self.similarity.write().map_err(poisoned)?;
        let seen = cache.seen;
        for (key, words, seq) in changed {
            // Another request may have brought newer rows in meanwhile: never go back.
            if seq > seen {
                cache.index.upsert(key, &words);
            }
        }
        cache.seen = cache.seen.max(last_seq(&rows)?);
        cache.index.refresh();
        Ok(())
    }

    /// How close two indexed documents are (cosine of their TF-IDF vectors; 0 when either is not indexed).
    pub(crate) async fn closeness(&self, a: DocKey, b: DocKey) -> Result<f32, StoreError> {
        self.sync_similarity().await?;
        let cache = self.similarity.read().map_err(poisoned)?;
        Ok(cache
            .index
            .closest_to(&a, 0.0, 1, |candidate| *candidate == b)
            .first()
            .map(|close| close.score)
            .unwrap_or(0.0))
    }

    /// The documents closest to `to`, among those of `kinds`.
    async fn closest(&self, to: CloseTo<'_>, kinds: &[DocKind]) -> Result<Vec<Close<DocKey>>, StoreError> {
        self.sync_similarity().await?;
        let cache = self.similarity.read().map_err(poisoned)?;
        let keep = |key: &DocKey| kinds.contains(&key.0);
        Ok(match to {
            CloseTo::Words(words) => cache.index.closest(words, MIN_SCORE, CANDIDATES, keep),
            CloseTo::Document(key) => cache.index.closest_to(&key, MIN_SCORE, CANDIDATES, keep),
        })
    }

    /// The cases of `found`, in the order found: a publication named as published (and left out once
    /// withdrawn), a case by its need.
    async fn close_cases(&self, found: &[Close<DocKey>]) -> Result<Vec<(DocKind, CloseCase)>, StoreError> {
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = found.iter().map(|close| close.key.1.to_string()).collect();
        let sql = format!(
            "SELECT c.id, c.reference, c.title, c.collectivite_key, c.collectivite_name, c.region, c.stage, \
             p.slug, p.title AS public_title, p.collectivite_name AS public_name, p.region AS public_region \
             FROM cases c LEFT JOIN publications p ON p.case_id = c.id AND p.withdrawn_at IS NULL \
             WHERE c.id IN ({})",
            ids.join(", ")
        );
        let rows = sqlx::query(&sql)
            .fetch_all(self.read())
            .await
            .map_err(fail("close cases"))?;
        let mut by_id: HashMap<i64, (CloseCase, Option<(String, String)>)> = HashMap::new();
        for row in &rows {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("close case"));
            let optional = |column: &'static str| row.try_get::<Option<String>, _>(column).map_err(fail("close case"));
            let case = CloseCase {
                reference: text("reference")?,
                title: text("title")?,
                collectivite_key: text("collectivite_key")?,
                collectivite_name: text("collectivite_name")?,
                region: text("region")?,
                stage: stage_of(&text("stage")?)?,
                publication: optional("slug")?.zip(optional("public_title")?),
            };
            let public = optional("public_name")?.zip(optional("public_region")?);
            by_id.insert(row.try_get("id").map_err(fail("close case id"))?, (case, public));
        }
        Ok(found
            .iter()
            .filter_map(|close| {
                let (case, public) = by_id.get(&close.key.1)?;
                let mut case = case.clone();
                if close.key.0 == DocKind::Publication {
                    let ((_, public_title), (name, region)) = case.publication.clone().zip(public.clone())?;
                    (case.title, case.collectivite_name, case.region) = (public_title, name, region);
                }
                Some((close.key.0, case))
            })
            .collect())
    }
}

impl SqlStore {
    /// The publications of `found` that are not withdrawn, by case id.
    async fn published_matches(&self, found: &[Close<DocKey>]) -> Result<HashMap<i64, PublishedMatch>, StoreError> {
        let ids: Vec<String> = found
            .iter()
            .filter(|close| close.key.0 == DocKind::Publication)
            .map(|close| close.key.1.to_string())
            .collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT case_id, slug, title, collectivite_name, region FROM publications \
             WHERE case_id IN ({}) AND withdrawn_at IS NULL",
            ids.join(", ")
        );
        let rows = sqlx::query(&sql)
            .fetch_all(self.read())
            .await
            .map_err(fail("close publications"))?;
        let mut by_id = HashMap::new();
        for row in &rows {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("close publication"));
            by_id.insert(
                row.try_get("case_id").map_err(fail("close publication id"))?,
                PublishedMatch {
                    slug: text("slug")?,
                    title: text("title")?,
                    collectivite: text("collectivite_name")?,
                    region: text("region")?,
                },
            );
        }
        Ok(by_id)
    }

    /// The projects of the Bibliothèque of `found` that are not withdrawn, by id.
    async fn library_matches(&self, found: &[Close<DocKey>]) -> Result<HashMap<i64, LibraryMatch>, StoreError> {
        let ids: Vec<String> = found
            .iter()
            .filter(|close| close.key.0 == DocKind::Library)
            .map(|close| close.key.1.to_string())
            .collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, slug, title, collectivite_name FROM library_projects \
             WHERE id IN ({}) AND withdrawn_at IS NULL",
            ids.join(", ")
        );
        let rows = sqlx::query(&sql)
            .fetch_all(self.read())
            .await
            .map_err(fail("close library projects"))?;
        let mut by_id: HashMap<i64, LibraryMatch> = HashMap::new();
        for row in &rows {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("close library project"));
            by_id.insert(
                row.try_get("id").map_err(fail("close library id"))?,
                LibraryMatch {
                    slug: text("slug")?,
                    title: text("title")?,
                    collectivite: text("collectivite_name")?,
                },
            );
        }
        Ok(by_id)
    }
}

fn last_seq(rows: &[sqlx::any::AnyRow]) -> Result<i64, StoreError> {
    match rows.last() {
        Some(row) => row.try_get("seq").map_err(fail("similarity seq")),
        None => Ok(0),
    }
}

#[async_trait::async_trait]
impl SimilarStore for SqlStore {
    async fn close_to_need(
        &self,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<(usize, Vec<CloseCase>), StoreError> {
        let words = WordCounts::of_project(title, problem, solution, &stem);
        let found = self
            .closest(CloseTo::Words(&words), &[DocKind::Case, DocKind::Publication])
            .await?;
        let cases = self
            .close_cases(&found)
            .await?
            .into_iter()
            // A published case is found by what was published, never by the words of its private need.
            .filter(|(kind, case)| *kind == DocKind::Publication || case.publication.is_none())
            .map(|(_, case)| case)
            .collect();
        Ok((words.len(), cases))
    }

    async fn library_close_to_need(
        &self,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<Vec<LibraryMatch>, StoreError> {
        let words = WordCounts::of_project(title, problem, solution, &stem);
        let found = self.closest(CloseTo::Words(&words), &[DocKind::Library]).await?;
        let mut projects = self.library_matches(&found).await?;
        Ok(found.iter().filter_map(|close| projects.remove(&close.key.1)).collect())
    }

    async fn neighbours(&self, slug: &str, library: bool) -> Result<Vec<Neighbour>, StoreError> {
        let (kind, sql) = if library {
            (DocKind::Library, "SELECT id FROM library_projects WHERE slug = $1")
        } else {
            (DocKind::Publication, "SELECT case_id FROM publications WHERE slug = $1")
        };
        let id: Option<i64> = sqlx::query_scalar(sql)
            .bind(slug)
            .fetch_optional(self.read())
            .await
            .map_err(fail("neighbour id"))?;
        let Some(id) = id else {
            return Ok(Vec::new());
        };
        let found = self
            .closest(CloseTo::Document((kind, id)), &[DocKind::Publication, DocKind::Library])
            .await?;
        let mut projects = self.library_matches(&found).await?;
        let mut cases = self.published_matches(&found).await?;
        Ok(found
            .iter()
            .filter_map(|close| match close.key.0 {
                DocKind::Publication => cases.remove(&close.key.1).map(Neighbour::Case),
                DocKind::Library => projects.remove(&close.key.1).map(Neighbour::Library),
                DocKind::Case => None,
            })
            .collect())
    }

    async fn close_to_case(&self, case: &VisibleCase) -> Result<Vec<CloseCase>, StoreError> {
        let reference = case.as_str();
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(self.read())
            .await
            .map_err(fail("case id"))?;
        let Some(id) = id else {
            return Ok(Vec::new());
        };
        let found = self
            .closest(CloseTo::Document((DocKind::Case, id)), &[DocKind::Case])
            .await?;
        Ok(self
            .close_cases(&found)
            .await?
            .into_iter()
            .map(|(_, case)| case)
            .collect())
    }

    async fn index_pending_cases(&self, limit: i64) -> Result<usize, StoreError> {
        let cases = sqlx::query(
            "SELECT c.id, c.answers, c.terms_indexed FROM cases c WHERE c.terms_indexed = 0 OR NOT EXISTS \
             (SELECT 1 FROM similarity_documents d WHERE d.kind = 'cas' AND d.doc_id = c.id) ORDER BY c.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.read())
        .await
        .map_err(fail("pending terms"))?;
        let publications = sqlx::query(
            "SELECT case_id, title, problem, solution FROM publications p WHERE NOT EXISTS \
             (SELECT 1 FROM similarity_documents d WHERE d.kind = 'publication' AND d.doc_id = p.case_id) \
             ORDER BY case_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.read())
        .await
        .map_err(fail("pending publication terms"))?;
        // One short transaction per document: filing and publishing go on meanwhile (other processes serve).
        for row in &cases {
            let id: i64 = row.try_get("id").map_err(fail("pending id"))?;
            let answers: IntakeAnswers =
                from_json(&row.try_get::<String, _>("answers").map_err(fail("pending answers"))?)?;
            let mut tx = self.write().begin().await.map_err(fail("terms begin"))?;
            if row.try_get::<i64, _>("terms_indexed").map_err(fail("pending state"))? == 0 {
                self.index_case_in(&mut tx, id, &answers).await?;
            } else {
                // Indexed before the whole texts were: the words only, the AI Act pre-assessment stays.
                self.record_words_in(&mut tx, (DocKind::Case, id), &need_words(&answers))
                    .await?;
            }
            tx.commit().await.map_err(fail("terms commit"))?;
        }
        for row in &publications {
            let text = |column: &'static str| row.try_get::<String, _>(column).map_err(fail("pending publication"));
            let case_id: i64 = row.try_get("case_id").map_err(fail("pending publication case"))?;
            let mut tx = self.write().begin().await.map_err(fail("terms begin"))?;
            self.index_publication_in(&mut tx, case_id, &text("title")?, &text("problem")?, &text("solution")?)
                .await?;
            tx.commit().await.map_err(fail("terms commit"))?;
        }
        Ok(cases.len() + publications.len())
    }
}
