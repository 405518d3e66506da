//! The SQL of the Bibliothèque's projects: an import recorded in one transaction (each record created,
//! updated in place or left as it is, the projects the source no longer has withdrawn, the report kept), a
//! project's page and the last import. The search over them is the catalogue's (`catalogue.rs`).

use app::domain::catalogue::search_words;
use app::domain::library::pairs::PairDecision;
use app::domain::library::report::{ImportReport, Outcome, RecordLine};
use app::domain::library::{LibraryProject, ReadRecord};
use app::domain::similar::words::WordCounts;
use app::model::library::{LibraryImportRecord, LibraryPair, LibraryProjectPage};
use app::model::similar::{LibraryMatch, PublishedMatch};
use app::store::library::{LibraryImport, LibraryStore};
use app::store::StoreError;
use sqlx::Row;

mod pairs;

use crate::db::Backend;
use crate::sql::catalogue::stem;
use crate::sql::similar::DocKind;
use crate::sql::{fail, SqlStore};

/// The source code stored with each project.
const SOURCE: &str = "bibliotheque";

fn json_error(error: serde_json::Error) -> StoreError {
    StoreError(format!("bibliothèque : {error}"))
}

/// What is stored of a project already known.
struct Known {
    id: i64,
    record: String,
    withdrawn: bool,
}

impl SqlStore {
    /// A slug no other project holds: the proposed one, or with `-2`, `-3`…
    async fn free_slug_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        proposed: &str,
    ) -> Result<String, StoreError> {
        let mut slug = proposed.to_string();
        for n in 2.. {
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM library_projects WHERE slug = $1")
                .bind(&slug)
                .fetch_one(&mut **tx)
                .await
                .map_err(fail("library slug"))?;
            if taken == 0 {
                break;
            }
            slug = format!("{proposed}-{n}");
        }
        Ok(slug)
    }

    /// Creates, updates or leaves one record; its outcome and the project's id.
    async fn import_record_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        import: &LibraryImport,
        import_id: i64,
        record: &ReadRecord,
    ) -> Result<(Outcome, i64, String), StoreError> {
        let project = &record.project;
        let stored = serde_json::to_string(project).map_err(json_error)?;
        let problems = serde_json::to_string(&record.problems).map_err(json_error)?;
        let known = sqlx::query("SELECT id, record, withdrawn_at FROM library_projects WHERE source = $1 AND key = $2")
            .bind(SOURCE)
            .bind(&project.key)
            .fetch_optional(&mut **tx)
            .await
            .map_err(fail("library known"))?
            .map(|row| -> Result<Known, StoreError> {
                Ok(Known {
                    id: row.try_get("id").map_err(fail("library id"))?,
                    record: row.try_get("record").map_err(fail("library record"))?,
                    withdrawn: row
                        .try_get::<Option<i64>, _>("withdrawn_at")
                        .map_err(fail("library withdrawn"))?
                        .is_some(),
                })
            })
            .transpose()?;
        let document = project.search_document();
        let search_text = search_words(&document, &stem).join(" ");
        let postgres = self.pools.backend == Backend::Postgres;
        let (outcome, id) = match known {
            Some(known) if known.record == stored && !known.withdrawn => {
                sqlx::query("UPDATE library_projects SET last_seen = $1, seen_in = $2 WHERE id = $3")
                    .bind(import.now)
                    .bind(import_id)
                    .bind(known.id)
                    .execute(&mut **tx)
                    .await
                    .map_err(fail("library seen"))?;
                return Ok((Outcome::Unchanged, known.id, self.slug_of_in(tx, known.id).await?));
            }
            Some(known) => {
                let sql = format!(
                    "UPDATE library_projects SET record = $1, problems = $2, title = $3, summary = $4, \
                     collectivite_name = $5, collectivite_kind = $6, region = $7, population = $8, siren = $9, \
                     domain = $10, licence = $11, source_url = $12, search_text = $13, last_seen = $14, \
                     seen_in = $15, updated_at = $14, withdrawn_at = NULL, version = version + 1{} WHERE id = $16",
                    if postgres { ", search_document = $17" } else { "" }
                );
                let statement = bind_project(sqlx::query(&sql), project, &stored, &problems, import, &search_text)
                    .bind(import_id)
                    .bind(known.id);
                let statement = if postgres { statement.bind(document) } else { statement };
                statement.execute(&mut **tx).await.map_err(fail("library update"))?;
                let outcome = if known.withdrawn {
                    Outcome::Restored
                } else {
                    Outcome::Updated
                };
                (outcome, known.id)
            }
            None => {
                let slug = self.free_slug_in(tx, &project.slug).await?;
                let sql = format!(
                    "INSERT INTO library_projects (record, problems, title, summary, collectivite_name, \
                     collectivite_kind, region, population, siren, domain, licence, source_url, search_text, \
                     first_seen, last_seen, updated_at, seen_in, source, key, slug{}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $14, $15, $16, $17, \
                     $18{}) RETURNING id",
                    if postgres { ", search_document" } else { "" },
                    if postgres { ", $19" } else { "" }
                );
                let statement = bind_project(sqlx::query(&sql), project, &stored, &problems, import, &search_text)
                    .bind(import_id)
                    .bind(SOURCE)
                    .bind(&project.key)
                    .bind(&slug);
                let statement = if postgres { statement.bind(document) } else { statement };
                let id: i64 = statement
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(fail("library insert"))?
                    .try_get("id")
                    .map_err(fail("library new id"))?;
                (Outcome::Created, id)
            }
        };
        let words = WordCounts::of_project(&project.project_name, &project.description, "", &stem);
        self.record_words_in(tx, (DocKind::Library, id), &words).await?;
        Ok((outcome, id, self.slug_of_in(tx, id).await?))
    }

    async fn slug_of_in(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<String, StoreError> {
        sqlx::query_scalar("SELECT slug FROM library_projects WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await
            .map_err(fail("library slug of"))
    }

    /// Withdraws the projects of the source that this import did not see; their names.
    async fn withdraw_unseen_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        import_id: i64,
        now: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "UPDATE library_projects SET withdrawn_at = $1, updated_at = $1, version = version + 1 \
             WHERE source = $2 AND seen_in <> $3 AND withdrawn_at IS NULL RETURNING title, collectivite_name",
        )
        .bind(now)
        .bind(SOURCE)
        .bind(import_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(fail("library withdraw"))?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("title").map_err(fail("library withdrawn title"))?,
                    row.try_get("collectivite_name")
                        .map_err(fail("library withdrawn name"))?,
                ))
            })
            .collect()
    }
}

/// Binds `$1`–`$14` of the insert and the update: the project's columns and the time.
fn bind_project<'q>(
    statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    project: &LibraryProject,
    stored: &str,
    problems: &str,
    import: &LibraryImport,
    search_text: &str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    statement
        .bind(stored.to_string())
        .bind(problems.to_string())
        .bind(project.project_name.clone())
        .bind(project.summary())
        .bind(project.collectivite_name.clone())
        .bind(project.collectivite_kind.clone())
        .bind(project.region.clone())
        .bind(project.population)
        .bind(project.siren.clone())
        .bind(project.domain.clone())
        .bind(import.licence.clone())
        .bind(import.source_url.clone())
        .bind(search_text.to_string())
        .bind(import.now)
}

#[async_trait::async_trait]
impl LibraryStore for SqlStore {
    async fn import_library(&self, import: &LibraryImport) -> Result<ImportReport, StoreError> {
        let mut tx = self.pools.write.begin().await.map_err(fail("library begin"))?;
        let import_id: i64 = sqlx::query(
            "INSERT INTO library_imports (source, origin, imported_at, etag, last_modified) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(SOURCE)
        .bind(&import.origin)
        .bind(import.now)
        .bind(&import.etag)
        .bind(&import.last_modified)
        .fetch_one(&mut *tx)
        .await
        .map_err(fail("library import"))?
        .try_get("id")
        .map_err(fail("library import id"))?;
        let mut report = ImportReport::of(&import.read);
        for record in &import.read.records {
            let (outcome, _, slug) = self.import_record_in(&mut tx, import, import_id, record).await?;
            report.records.push(RecordLine {
                line: record.line,
                project_name: record.project.project_name.clone(),
                collectivite_name: record.project.collectivite_name.clone(),
                slug,
                outcome,
                problems: record.problems.clone(),
            });
        }
        report.withdrawn = self.withdraw_unseen_in(&mut tx, import_id, import.now).await?;
        sqlx::query(
            "UPDATE library_imports SET created = $1, updated = $2, unchanged = $3, withdrawn = $4, refused = $5, \
             report = $6 WHERE id = $7",
        )
        .bind(report.count(Outcome::Created) as i64 + report.count(Outcome::Restored) as i64)
        .bind(report.count(Outcome::Updated) as i64)
        .bind(report.count(Outcome::Unchanged) as i64)
        .bind(report.withdrawn.len() as i64)
        .bind(report.refused.len() as i64)
        .bind(serde_json::to_string(&report).map_err(json_error)?)
        .bind(import_id)
        .execute(&mut *tx)
        .await
        .map_err(fail("library report"))?;
        tx.commit().await.map_err(fail("library commit"))?;
        if let Ok(mut cache) = self.regions.lock() {
            *cache = None;
        }
        self.searches.clear();
        self.refresh_pairs().await?;
        Ok(report)
    }

    async fn library_project(&self, slug: &str) -> Result<Option<LibraryProjectPage>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT slug, record, licence, source_url, first_seen, last_seen, updated_at FROM library_projects \
             WHERE slug = $1 AND withdrawn_at IS NULL",
        )
        .bind(slug)
        .fetch_optional(self.read())
        .await
        .map_err(fail("library project"))?
        else {
            return Ok(None);
        };
        let record: String = row.try_get("record").map_err(fail("library project record"))?;
        Ok(Some(LibraryProjectPage {
            project: serde_json::from_str(&record).map_err(json_error)?,
            slug: row.try_get("slug").map_err(fail("library project slug"))?,
            licence: row.try_get("licence").map_err(fail("library project licence"))?,
            source_url: row.try_get("source_url").map_err(fail("library project source"))?,
            first_seen: row.try_get("first_seen").map_err(fail("library project first"))?,
            last_seen: row.try_get("last_seen").map_err(fail("library project last"))?,
            updated_at: row.try_get("updated_at").map_err(fail("library project updated"))?,
            canonical: String::new(),
            neighbours: Vec::new(),
            twin: None,
        }))
    }

    async fn last_library_import(&self) -> Result<Option<LibraryImportRecord>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT id, origin, imported_at, etag, last_modified, report FROM library_imports \
             ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(self.read())
        .await
        .map_err(fail("library last import"))?
        else {
            return Ok(None);
        };
        let report: String = row.try_get("report").map_err(fail("library last report"))?;
        Ok(Some(LibraryImportRecord {
            id: row.try_get("id").map_err(fail("library last id"))?,
            origin: row.try_get("origin").map_err(fail("library last origin"))?,
            imported_at: row.try_get("imported_at").map_err(fail("library last at"))?,
            etag: row.try_get("etag").map_err(fail("library last etag"))?,
            last_modified: row.try_get("last_modified").map_err(fail("library last modified"))?,
            report: serde_json::from_str(&report).map_err(json_error)?,
        }))
    }

    async fn library_pairs(&self) -> Result<Vec<LibraryPair>, StoreError> {
        self.pairs().await
    }

    async fn decide_library_pair(
        &self,
        library_slug: &str,
        case_slug: &str,
        decision: PairDecision,
        actor: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.decide_pair(library_slug, case_slug, decision, actor, now).await
    }

    async fn library_twin(&self, case_slug: &str) -> Result<Option<LibraryMatch>, StoreError> {
        Ok(self.library_twins(&[case_slug.to_string()]).await?.remove(case_slug))
    }

    async fn case_twin(&self, library_slug: &str) -> Result<Option<PublishedMatch>, StoreError> {
        self.case_twin_of(library_slug).await
    }
}
