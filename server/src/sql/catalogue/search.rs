//! The catalogue's search over both sources, the programme's published cases and the Bibliothèque's projects:
//! the same French full-text search (SQLite FTS5 over folded, stemmed words; PostgreSQL's French
//! configuration with `unaccent`) and filters on each, one ranking over both, then the page's cards read.

use std::collections::HashMap;

use app::domain::catalogue::{beyond_bound, population_band, query_terms, CatalogueQuery, Sort, COUNT_BOUND, PER_PAGE};
use app::model::catalogue::{CatalogueItem, LibraryCard, PublicCase, SearchResults};
use app::store::StoreError;
use sqlx::Row;

use super::{card_from, stem, CARD_BASE};
use crate::db::Backend;
use crate::sql::{fail, SqlStore};

/// A value bound to a numbered parameter.
enum Bind {
    Text(String),
    Int(i64),
}

fn param(binds: &mut Vec<Bind>, value: Bind) -> String {
    binds.push(value);
    format!("${}", binds.len())
}

fn bind_all<'q>(sql: &'q str, binds: &[Bind]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut statement = sqlx::query(sql);
    for bind in binds {
        statement = match bind {
            Bind::Text(text) => statement.bind(text.clone()),
            Bind::Int(value) => statement.bind(*value),
        };
    }
    statement
}

/// `$1, $2, …` for `n` values.
fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn int_binds(ids: &[i64]) -> Vec<Bind> {
    ids.iter().map(|id| Bind::Int(*id)).collect()
}

/// The two tables searched.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Cases,
    Library,
}

impl Source {
    /// Its place in the counts.
    fn index(self) -> usize {
        match self {
            Source::Cases => 0,
            Source::Library => 1,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Source::Cases => "cas",
            Source::Library => "bibliotheque",
        }
    }

    /// The columns a page ranks on (`Part::score`, `listed_at`, `hours`), those of its candidates on PostgreSQL.
    fn ranked_columns(self) -> &'static str {
        match self {
            Source::Cases => "p.id, p.published_at, p.hours_measured, p.hours_estimated, p.search_vector",
            Source::Library => "l.id, l.first_seen, l.search_vector",
        }
    }
}

/// One source's part of the search: its rows, conditions and ranking columns.
struct Part {
    source: Source,
    from: String,
    filter: String,
    /// The same conditions for a read in date order: on SQLite the filters' columns behind a unary `+`, which
    /// keeps the planner on the date index instead of reading every match through a filter's index and
    /// sorting them (52 ms for `domaine=` at 100,000 cases).
    walk_filter: String,
    /// Lower is better (SQLite's bm25, PostgreSQL's rank negated); 0 without search words.
    score: String,
    listed_at: &'static str,
    hours: &'static str,
    /// On SQLite with search words, the full-text index's row number (the order of publication or import).
    fts_rowid: Option<String>,
    /// On SQLite with search words, the published cases read in the order of impact (`publications_impact`), each
    /// checked against the matches: the table and the walk's conditions.
    impact_walk: Option<(String, String)>,
}

/// On SQLite, the filters of `query` as phrases of the published cases' `facets` column (migration 0032): a
/// letter for the filter, then its value without the characters the column leaves out (`-`, spaces,
/// apostrophes), so that both give the full-text index the same words. The filters stay conditions on the rows
/// too: these phrases only let the index intersect its lists first.
fn facet_phrases(query: &CatalogueQuery) -> String {
    let filters = [
        ('d', &query.domaine),
        ('t', &query.typologie),
        ('c', &query.collectivite),
        ('r', &query.region),
        ('b', &query.brique),
    ];
    filters
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(letter, value)| {
            let glued = value.replace(['-', ' ', '\'', '’'], "").replace('"', "\"\"");
            format!(" AND facets : \"{letter}{glued}\"")
        })
        .collect()
}

/// The part of `source` for `query`, its parameters added to `binds`.
fn part(source: Source, query: &CatalogueQuery, terms: &[String], postgres: bool, binds: &mut Vec<Bind>) -> Part {
    let (table, alias, fts) = match source {
        Source::Cases => ("publications", "p", "publications_fts"),
        Source::Library => ("library_projects", "l", "library_fts"),
    };
    let mut conditions = vec![format!("{alias}.withdrawn_at IS NULL")];
    let mut from = format!("{table} {alias}");
    let unranked = if postgres { "CAST(0 AS DOUBLE PRECISION)" } else { "0.0" };
    let mut score = unranked.to_string();
    let mut fts_rowid = None;
    let mut membership = None;
    if !terms.is_empty() {
        if postgres {
            let n = param(binds, Bind::Text(query.texte.clone()));
            // The published cases' narrow copy (migration 0032), a fifth of the table: it stays in the buffers.
            if source == Source::Cases {
                from = format!("publication_words {alias}");
            }
            conditions.push(format!("{alias}.search_vector @@ plainto_tsquery('fr_unaccent', {n})"));
            score = format!(
                "CAST(-ts_rank({alias}.search_vector, plainto_tsquery('fr_unaccent', {n})) AS DOUBLE PRECISION)"
            );
        } else {
            let quoted: Vec<String> = terms.iter().map(|t| format!("\"{}\"", t.replace('"', ""))).collect();
            let mut matching = format!("search_text : ({})", quoted.join(" "));
            if source == Source::Cases {
                matching.push_str(&facet_phrases(query));
            }
            let n = param(binds, Bind::Text(matching));
            from = format!("{fts} JOIN {table} {alias} ON {alias}.id = {fts}.rowid");
            conditions.push(format!("{fts} MATCH {n}"));
            // The filters' words (`facets`) weigh nothing in the ranking.
            score = match source {
                Source::Cases => format!("bm25({fts}, 1.0, 0.0)"),
                Source::Library => format!("bm25({fts})"),
            };
            fts_rowid = Some(format!("{fts}.rowid"));
            membership = Some((
                format!("{fts} MATCH {n}"),
                format!("+{alias}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {n})"),
            ));
        }
    }
    // Sorted by date or impact, the matches are not ranked: `ts_rank` of each of 8,000 matches is time lost.
    if query.tri != Sort::Pertinence {
        score = unranked.to_string();
    }
    let (filters, walk_filters) = filter_conditions(source, alias, query, postgres, binds);
    let mut walk = conditions.clone();
    walk.extend(walk_filters);
    conditions.extend(filters);
    // A project shown with its twin, a case published here (`domain::library::pairs`), is not listed twice.
    if source == Source::Library && query.searches_cases() {
        let unpaired = "NOT EXISTS (SELECT 1 FROM library_pairs lp JOIN publications pp ON pp.case_id = lp.case_id \
             AND pp.withdrawn_at IS NULL WHERE lp.library_id = l.id AND lp.decision <> 'separee')";
        conditions.push(unpaired.into());
        walk.push(unpaired.into());
    }
    let (listed_at, hours) = match source {
        Source::Cases => ("p.published_at", "COALESCE(p.hours_measured, p.hours_estimated)"),
        Source::Library => ("l.first_seen", "0"),
    };
    let impact_walk = membership
        .filter(|_| source == Source::Cases)
        .map(|(matching, member)| {
            let walk: Vec<String> = walk
                .iter()
                .map(|c| if *c == matching { member.clone() } else { c.clone() })
                .collect();
            (format!("{table} {alias}"), walk.join(" AND "))
        });
    Part {
        source,
        from,
        impact_walk,
        filter: conditions.join(" AND "),
        walk_filter: walk.join(" AND "),
        score,
        listed_at,
        hours,
        fts_rowid,
    }
}

/// The conditions of `query`'s filters on `source` (`alias`), their parameters added to `binds`: each as a row's
/// condition, and as the same condition for a read in date order (`Part::walk_filter`).
fn filter_conditions(
    source: Source,
    alias: &str,
    query: &CatalogueQuery,
    postgres: bool,
    binds: &mut Vec<Bind>,
) -> (Vec<String>, Vec<String>) {
    // On SQLite, `+column` is the same value through no index.
    let plus = if postgres { "" } else { "+" };
    let mut conditions = Vec::new();
    let mut walk = Vec::new();
    let mut filters = vec![
        (&query.domaine, "domain"),
        (&query.collectivite, "collectivite_kind"),
        (&query.region, "region"),
    ];
    if source == Source::Cases {
        filters.push((&query.typologie, "typologie"));
    }
    for (value, column) in filters {
        if !value.is_empty() {
            let n = param(binds, Bind::Text(value.clone()));
            conditions.push(format!("{alias}.{column} = {n}"));
            walk.push(format!("{plus}{alias}.{column} = {n}"));
        }
    }
    if source == Source::Cases && !query.brique.is_empty() {
        let n = param(
            binds,
            Bind::Text(format!("%,{},%", query.brique.replace(['%', '_'], ""))),
        );
        conditions.push(format!("p.briques LIKE {n}"));
        walk.push(format!("p.briques LIKE {n}"));
    }
    if !query.population.is_empty() {
        match population_band(&query.population) {
            Some((min, max)) => {
                let a = param(binds, Bind::Int(min));
                let b = param(binds, Bind::Int(max));
                conditions.push(format!("{alias}.population >= {a} AND {alias}.population < {b}"));
                walk.push(format!(
                    "{plus}{alias}.population >= {a} AND {plus}{alias}.population < {b}"
                ));
            }
            None => {
                conditions.push("1 = 0".into());
                walk.push("1 = 0".into());
            }
        }
    }
    (conditions, walk)
}

/// The order of the results, the same over both sources: best match; without search words the programme's
/// cases first (those a collectivité can replicate with it), most recent first; or most recent; or most hours
/// saved.
fn order(query: &CatalogueQuery, terms: &[String]) -> &'static str {
    match query.tri {
        Sort::Pertinence if !terms.is_empty() => "score, source_rank, listed_at DESC, id DESC",
        Sort::Pertinence => "source_rank, listed_at DESC, id DESC",
        Sort::Impact => "hours DESC, source_rank, listed_at DESC, id DESC",
        Sort::Recents => "listed_at DESC, source_rank, id DESC",
    }
}

/// Under this many matches per row of the page's end, a source's best rows are found by sorting its matches
/// (read through the filters' indexes) rather than by reading the source in date order until enough of them
/// match: with rare matches that read goes through most rows. With many matches the date order finds the page
/// in a few rows (and sorting every match would cost more, on SQLite whose filters mostly have no index).
const FEW_MATCHES_PER_ROW: i64 = 10;

/// A search whose words match more than `COUNT_BOUND` rows of a source ranks by relevance the most recent
/// `RANKED_CANDIDATES` of them (or as many as the page needs), not every match: on PostgreSQL by their date, on
/// SQLite by their row in the full-text index (the order in which they were published or imported).
const RANKED_CANDIDATES: i64 = 2 * COUNT_BOUND;

/// The page's query over the sources' parts, knowing each source's count of matches; None when nothing
/// matches anywhere. Each source gives its best rows up to the page's end, then one order over both picks the
/// page. Within a source the rank is one constant: left out of its own order, which the database can then read
/// from an index (`publications_published` for the most recent) instead of sorting every match.
fn page_query(
    parts: &[Part],
    totals: [i64; 2],
    query: &CatalogueQuery,
    terms: &[String],
    postgres: bool,
) -> Option<String> {
    if parts.iter().all(|part| totals[part.source.index()] == 0) {
        return None;
    }
    let order = order(query, terms);
    let within = order.replace("source_rank, ", "");
    let enough = query.offset() + PER_PAGE;
    let branches: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let alias = if part.source == Source::Cases { "p" } else { "l" };
            // Past the count's bound the matches are many: the date order finds the page in a few rows.
            let bounded = beyond_bound(totals[part.source.index()]);
            let matches = if bounded { i64::MAX } else { totals[part.source.index()] };
            // A source without matches is not read (its parameters stay in the query): the date order would
            // read every row looking for one (177 ms at 100,000 cases on PostgreSQL).
            let limit = if matches == 0 { 0 } else { enough };
            let few = matches < enough * FEW_MATCHES_PER_ROW;
            let within = if few {
                within.replace("listed_at", &format!("({} + 0)", part.listed_at))
            } else {
                within.clone()
            };
            let filter = if !few && within.starts_with("listed_at") {
                part.walk_filter.clone()
            } else {
                part.filter.clone()
            };
            let (from, filter, score) = rows_read(part, bounded, query, terms, postgres, enough, filter);
            format!(
                "SELECT * FROM (SELECT '{}' AS source, {} AS source_rank, {alias}.id AS id, {} AS score, \
                 {} AS listed_at, {} AS hours FROM {} WHERE {} ORDER BY {within} LIMIT {limit}) part{i}",
                part.source.code(),
                i,
                score,
                part.listed_at,
                part.hours,
                from,
                filter
            )
        })
        .collect();
    Some(format!(
        "SELECT source, id FROM ({}) hits ORDER BY {order} LIMIT {PER_PAGE} OFFSET {}",
        branches.join(" UNION ALL "),
        query.offset()
    ))
}

/// Where a source's best rows are read from, with which conditions and score. Past the count's bound with search
/// words: ranked by relevance, among the most recent `RANKED_CANDIDATES` matches only (ranking each of 16,000
/// matches took 61 ms at 100,000 cases on PostgreSQL, 30 ms on SQLite); sorted by impact on SQLite, the cases
/// read in that order (`publications_impact`) until the page's rows match (sorting the 8,000 matches of a common
/// word took 31 ms).
fn rows_read(
    part: &Part,
    bounded: bool,
    query: &CatalogueQuery,
    terms: &[String],
    postgres: bool,
    enough: i64,
    filter: String,
) -> (String, String, String) {
    let alias = if part.source == Source::Cases { "p" } else { "l" };
    let candidates = RANKED_CANDIDATES.max(enough);
    let among_recent = bounded && !terms.is_empty() && query.tri == Sort::Pertinence;
    match (&part.fts_rowid, &part.impact_walk) {
        // Only the columns the page reads, and the conditions once: sorting the matches' whole rows to keep the
        // most recent took ~20 of the 48 ms of « courrier » at 100,000 cases.
        _ if postgres && among_recent => (
            format!(
                "(SELECT {} FROM {} WHERE {filter} ORDER BY {} DESC LIMIT {candidates}) {alias}",
                part.source.ranked_columns(),
                part.from,
                part.listed_at,
            ),
            "TRUE".into(),
            part.score.clone(),
        ),
        // SQLite reads the index's rows backwards to the last candidate, then ranks from there on.
        (Some(rowid), _) if among_recent => {
            let first = format!(
                "COALESCE((SELECT {rowid} FROM {} WHERE {filter} ORDER BY {rowid} DESC LIMIT 1 OFFSET {}), 0)",
                part.from,
                candidates - 1
            );
            (
                part.from.clone(),
                format!("{filter} AND {rowid} >= {first}"),
                part.score.clone(),
            )
        }
        (_, Some((table, walk))) if bounded && query.tri == Sort::Impact => (table.clone(), walk.clone(), "0.0".into()),
        _ => (part.from.clone(), filter, part.score.clone()),
    }
}

/// The results of a search that matches nothing, with the régions its filter offers.
fn nothing_found(regions: Vec<String>) -> SearchResults {
    SearchResults {
        total: 0,
        library: 0,
        items: Vec::new(),
        regions,
        twins: Vec::new(),
    }
}

impl SqlStore {
    pub(super) async fn search_uncached(&self, query: &CatalogueQuery) -> Result<SearchResults, StoreError> {
        let terms = query_terms(&query.texte, &stem);
        let postgres = self.pools.backend == Backend::Postgres;
        let mut binds: Vec<Bind> = Vec::new();
        let mut parts = Vec::new();
        if query.searches_cases() {
            parts.push(part(Source::Cases, query, &terms, postgres, &mut binds));
        }
        if query.searches_library() {
            parts.push(part(Source::Library, query, &terms, postgres, &mut binds));
        }
        let regions = self.published_regions().await?;
        if parts.is_empty() {
            return Ok(nothing_found(regions));
        }
        // The counts are queries of their own: a window function over the page's query would make the
        // database rank every match before the limit (measured slower on 10,000 cases). Each stops one row past
        // the bound (`COUNT_BOUND`): the page then says « plus de 1 000 ».
        let counts: Vec<String> = parts
            .iter()
            .map(|part| {
                format!(
                    "(SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT {}) bounded{}) AS {}",
                    part.from,
                    part.filter,
                    COUNT_BOUND + 1,
                    part.source.index(),
                    part.source.code()
                )
            })
            .collect();
        let count_sql = format!("SELECT {}", counts.join(", "));
        let row = bind_all(&count_sql, &binds)
            .fetch_one(&self.pools.read)
            .await
            .map_err(fail("catalogue count"))?;
        let mut totals = [0i64; 2];
        for (i, source) in [Source::Cases, Source::Library].into_iter().enumerate() {
            if parts.iter().any(|part| part.source == source) {
                totals[i] = row.try_get(source.code()).map_err(fail("catalogue total"))?;
            }
        }
        let Some(page_sql) = page_query(&parts, totals, query, &terms, postgres) else {
            return Ok(nothing_found(regions));
        };
        let hits: Vec<(String, i64)> = bind_all(&page_sql, &binds)
            .fetch_all(&self.pools.read)
            .await
            .map_err(fail("catalogue page"))?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("source").map_err(fail("catalogue hit source"))?,
                    row.try_get("id").map_err(fail("catalogue hit id"))?,
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        let ids_of = |source: Source| -> Vec<i64> {
            hits.iter()
                .filter(|(code, _)| code == source.code())
                .map(|(_, id)| *id)
                .collect()
        };
        let mut cases = self.case_cards(&ids_of(Source::Cases)).await?;
        let slugs: Vec<String> = cases.values().map(|case| case.slug.clone()).collect();
        let twins = self.library_twins(&slugs).await?.into_iter().collect();
        let mut projects = self.library_cards(&ids_of(Source::Library)).await?;
        let items = hits
            .iter()
            .filter_map(|(code, id)| {
                if code == Source::Cases.code() {
                    cases.remove(id).map(CatalogueItem::Case)
                } else {
                    projects.remove(id).map(CatalogueItem::Library)
                }
            })
            .collect();
        Ok(SearchResults {
            total: totals[0] + totals[1],
            library: totals[1],
            items,
            regions,
            twins,
        })
    }

    /// The cards of the published cases `ids`, with their counts of replications.
    async fn case_cards(&self, ids: &[i64]) -> Result<HashMap<i64, PublicCase>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT {CARD_BASE}, 0 AS replications FROM publications p JOIN cases c ON c.id = p.case_id \
             WHERE p.id IN ({})",
            placeholders(ids.len())
        );
        let statement = bind_all(&sql, &int_binds(ids));
        let mut cards = HashMap::new();
        for row in statement
            .fetch_all(&self.pools.read)
            .await
            .map_err(fail("catalogue cards"))?
        {
            let id: i64 = row.try_get("id").map_err(fail("catalogue card id"))?;
            cards.insert(id, card_from(&row)?);
        }
        // The counts of replications are read for the page's cases only, not for every matching row.
        let sql = format!(
            "SELECT replicates, COUNT(*) AS total FROM cases WHERE replicates IN ({}) GROUP BY replicates",
            placeholders(ids.len())
        );
        let mut statement = sqlx::query(&sql);
        for card in cards.values() {
            statement = statement.bind(card.slug.clone());
        }
        for _ in cards.len()..ids.len() {
            statement = statement.bind(String::new());
        }
        let rows = statement
            .fetch_all(&self.pools.read)
            .await
            .map_err(fail("catalogue replications"))?;
        for row in rows {
            let slug: String = row.try_get("replicates").map_err(fail("replications slug"))?;
            let total: i64 = row.try_get("total").map_err(fail("replications total"))?;
            if let Some(card) = cards.values_mut().find(|card| card.slug == slug) {
                card.replications = total;
            }
        }
        Ok(cards)
    }

    /// The cards of the Bibliothèque's projects `ids`.
    async fn library_cards(&self, ids: &[i64]) -> Result<HashMap<i64, LibraryCard>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, slug, summary, record FROM library_projects WHERE id IN ({})",
            placeholders(ids.len())
        );
        let statement = bind_all(&sql, &int_binds(ids));
        let mut cards = HashMap::new();
        for row in statement
            .fetch_all(&self.pools.read)
            .await
            .map_err(fail("library cards"))?
        {
            let record: String = row.try_get("record").map_err(fail("library card record"))?;
            cards.insert(
                row.try_get::<i64, _>("id").map_err(fail("library card id"))?,
                LibraryCard {
                    slug: row.try_get("slug").map_err(fail("library card slug"))?,
                    summary: row.try_get("summary").map_err(fail("library card summary"))?,
                    project: serde_json::from_str(&record).map_err(|e| StoreError(format!("bibliothèque : {e}")))?,
                },
            );
        }
        Ok(cards)
    }

    /// The régions of the published cases and imported projects, read again after 30 seconds or after a
    /// publication or an import here.
    async fn published_regions(&self) -> Result<Vec<String>, StoreError> {
        const FRESH: std::time::Duration = std::time::Duration::from_secs(30);
        if let Ok(cache) = self.regions.lock() {
            if let Some((at, regions)) = cache.as_ref() {
                if at.elapsed() < FRESH {
                    return Ok(regions.clone());
                }
            }
        }
        let regions: Vec<String> = sqlx::query_scalar(
            "SELECT region FROM publications WHERE withdrawn_at IS NULL UNION \
             SELECT region FROM library_projects WHERE withdrawn_at IS NULL AND region <> '' ORDER BY region",
        )
        .fetch_all(&self.pools.read)
        .await
        .map_err(fail("catalogue regions"))?;
        if let Ok(mut cache) = self.regions.lock() {
            *cache = Some((std::time::Instant::now(), regions.clone()));
        }
        Ok(regions)
    }
}
