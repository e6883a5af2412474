//! The search index, held in the database so that every app server sharing one PostgreSQL sees
//! the same results, and written in the same transaction as the record it indexes so that it is
//! never stale.
//!
//! A record's searchable text is folded ([`jimoto_domain::text::fold`]: kana, width, case and
//! spaces) and split into its pieces of one to three characters. `search_docs` keeps each
//! record's folded text and the key its list is sorted by; `search_terms` keeps, per term, the
//! records holding it by region and in their list's order. A query of up to three characters is
//! one term — two-character words such as 経理 are found exactly, and やまだ finds ヤマダ; a
//! longer query needs all of its three-character pieces and is checked against the text.
//!
//! How a list uses it ([`plan`]): a word held by few records (at most [`CANDIDATES`] in the
//! caller's regions) is answered from those records' ids; a commoner one drives the list — its
//! postings are read in the list's own order, so the first page costs the same whether the word
//! is in a hundred records or a hundred thousand. Later capabilities (postings, programs, case
//! studies) index their records under a kind of their own.

use jimoto_domain::RegionId;
use jimoto_domain::text::{fold, query_terms, terms_are_exact, terms_from};
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::schema::{SEARCH_DOCS, SEARCH_TERMS};
use crate::sql::{Sql, Values, contains_pattern};

/// What an indexed text belongs to. Stored as a small integer: the terms table is the largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    /// A region: name, reading, code (sorted by code).
    Region = 1,
    /// An organisation: name, reading, industry (sorted by name).
    Organisation = 2,
    /// A resident: name and reading (sorted by reading).
    Resident = 3,
    /// A resident's skills, one part per skill (the resident's list: sorted by reading).
    ResidentSkills = 4,
    /// A job posting: title, organisation, category, skills and the opening of its description
    /// (sorted newest first on the board). Terms of two and three characters only.
    Posting = 5,
}

impl SearchKind {
    fn id(self) -> i64 {
        self as i64
    }

    /// The shortest term indexed for this kind.
    pub fn min_term(self) -> usize {
        match self {
            Self::Posting => 2,
            Self::Region | Self::Organisation | Self::Resident | Self::ResidentSkills => 1,
        }
    }
}

/// A record's place in the index: where it is, how its list sorts it, what it says (folded).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doc<'a> {
    pub kind: SearchKind,
    pub entity_id: i64,
    pub region: RegionId,
    /// The value its list is ordered by (with the id after it): a reading, a name, a code.
    pub sort_key: &'a str,
    /// Folded text.
    pub text: &'a str,
}

/// Indexes (or re-indexes) a record: only the terms that changed are written, unless the record
/// moved region or changed its sort key, which moves all of its postings.
pub(crate) async fn index(conn: &mut AnyConnection, doc: Doc<'_>) -> Result<()> {
    let kind = doc.kind.id();
    let old = sqlx::query(
        "SELECT region_id, sort_key, text FROM search_docs WHERE kind = $1 AND entity_id = $2",
    )
    .bind(kind)
    .bind(doc.entity_id)
    .fetch_optional(&mut *conn)
    .await?;
    let new_terms = terms_from(doc.text, doc.kind.min_term());
    let Some(old) = old else {
        Values::new(SEARCH_DOCS)
            .set("kind", kind)
            .set("entity_id", doc.entity_id)
            .set("region_id", doc.region)
            .set("sort_key", doc.sort_key)
            .set("text", doc.text)
            .insert(&mut *conn)
            .await?;
        let all: Vec<&String> = new_terms.iter().collect();
        return insert_terms(conn, doc, &all).await;
    };
    let old_region: i64 = old.try_get("region_id")?;
    let old_sort: String = old.try_get("sort_key")?;
    let old_terms = terms_from(&old.try_get::<String, _>("text")?, doc.kind.min_term());
    let moved = old_region != doc.region.0 || old_sort != doc.sort_key;
    let (remove, add): (Vec<&String>, Vec<&String>) = if moved {
        (old_terms.iter().collect(), new_terms.iter().collect())
    } else {
        (
            old_terms.difference(&new_terms).collect(),
            new_terms.difference(&old_terms).collect(),
        )
    };
    for chunk in remove.chunks(100) {
        // The whole primary key: point deletes.
        let mut del = Sql::new("DELETE FROM search_terms WHERE kind = ");
        del.bind(kind)
            .push(" AND region_id = ")
            .bind(old_region)
            .push(" AND sort_key = ")
            .bind(old_sort.as_str())
            .push(" AND entity_id = ")
            .bind(doc.entity_id)
            .push(" AND term IN (");
        for (i, t) in chunk.iter().enumerate() {
            if i > 0 {
                del.push(", ");
            }
            del.bind(t.as_str());
        }
        del.push(")");
        sqlx::query_with(&del.text, del.args())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "UPDATE search_docs SET region_id = $1, sort_key = $2, text = $3 WHERE kind = $4 AND entity_id = $5",
    )
    .bind(doc.region.0)
    .bind(doc.sort_key.to_owned())
    .bind(doc.text.to_owned())
    .bind(kind)
    .bind(doc.entity_id)
    .execute(&mut *conn)
    .await?;
    insert_terms(conn, doc, &add).await
}

/// Removes a record from the index (its terms first, then its document).
pub(crate) async fn remove(
    conn: &mut AnyConnection,
    kind: SearchKind,
    entity_id: i64,
) -> Result<()> {
    let old: Option<(i64, String)> = sqlx::query_as(
        "SELECT region_id, sort_key FROM search_docs WHERE kind = $1 AND entity_id = $2",
    )
    .bind(kind.id())
    .bind(entity_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((region, sort_key)) = old else {
        return Ok(());
    };
    // Emptying the text removes every term by the primary key.
    index(
        conn,
        Doc {
            kind,
            entity_id,
            region: RegionId(region),
            sort_key: &sort_key,
            text: "",
        },
    )
    .await?;
    sqlx::query("DELETE FROM search_docs WHERE kind = $1 AND entity_id = $2")
        .bind(kind.id())
        .bind(entity_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes term rows, a hundred to a statement.
async fn insert_terms(conn: &mut AnyConnection, doc: Doc<'_>, add: &[&String]) -> Result<()> {
    for chunk in add.chunks(100) {
        let mut ins = Sql::new(&format!(
            "INSERT INTO {} (kind, term, region_id, sort_key, entity_id) VALUES ",
            SEARCH_TERMS.name
        ));
        for (i, t) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(")
                .bind(doc.kind.id())
                .push(", ")
                .bind(t.as_str())
                .push(", ")
                .bind(doc.region)
                .push(", ")
                .bind(doc.sort_key)
                .push(", ")
                .bind(doc.entity_id)
                .push(")");
        }
        sqlx::query_with(&ins.text, ins.args())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Records read before a word counts as common (see [`plan`]).
pub(crate) const CANDIDATES: i64 = 2000;

/// Where a searched list's rows keep their id and region (`residents.id`, `residents.region_id`;
/// for regions `regions.id` twice) and under which kind they are indexed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    /// The list's table.
    pub table: &'static str,
    /// Its column holding the indexed record's id.
    pub id: &'static str,
    /// Its column holding the record's region.
    pub region: &'static str,
    /// Its column the list is sorted by (before the id): the postings' sort key.
    pub sort: &'static str,
    /// The kind its records are indexed under.
    pub kind: SearchKind,
}

/// How a list answers one search filter.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// The few records holding the word: the list keeps these ids.
    Ids { target: Target, ids: Vec<i64> },
    /// A common word: its rarest term can drive the list in order; every row must hold all the
    /// terms and, for a long word, the word itself.
    Common {
        target: Target,
        rarest: String,
        terms: Vec<String>,
        pattern: Option<String>,
    },
}

/// How a list answers `q` within `regions` (None: every region); None for a blank query.
pub(crate) async fn plan(
    conn: &mut AnyConnection,
    target: Target,
    regions: Option<&[RegionId]>,
    q: &str,
) -> Result<Option<Plan>> {
    let folded = fold(q);
    let qterms = query_terms(&folded);
    if qterms.is_empty() {
        return Ok(None);
    }
    let kind = target.kind.id();
    let pattern = (!terms_are_exact(&folded)).then(|| contains_pattern(&folded));
    // How many records hold each term, counted up to the bound.
    let mut counts = Vec::with_capacity(qterms.len());
    for t in &qterms {
        let mut c = Sql::new("SELECT COUNT(*) FROM (SELECT 1 FROM search_terms WHERE kind = ");
        c.bind(kind).push(" AND term = ").bind(t.as_str());
        c.and_in_regions("region_id", regions);
        c.push(&format!(" LIMIT {}) AS postings", CANDIDATES + 1));
        let n: i64 = sqlx::query_scalar_with(&c.text, c.args())
            .fetch_one(&mut *conn)
            .await?;
        counts.push((n, t.clone()));
    }
    counts.sort();
    let (rarest_count, rarest) = counts[0].clone();
    if rarest_count > CANDIDATES {
        return Ok(Some(Plan::Common {
            target,
            rarest,
            terms: counts.into_iter().map(|(_, t)| t).collect(),
            pattern,
        }));
    }
    let mut c = Sql::new("SELECT t.entity_id FROM search_terms t WHERE t.kind = ");
    c.bind(kind).push(" AND t.term = ").bind(rarest.as_str());
    c.and_in_regions("t.region_id", regions);
    for (_, other) in &counts[1..] {
        c.push(" AND EXISTS (SELECT 1 FROM search_terms o WHERE o.kind = t.kind AND o.term = ")
            .bind(other.as_str())
            .push(&format!(
                " AND o.region_id = t.region_id AND o.sort_key = t.sort_key \
                 AND o.entity_id = t.entity_id {PROBE})"
            ));
    }
    if let Some(p) = &pattern {
        c.push(
            " AND EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = t.kind \
             AND d.entity_id = t.entity_id AND d.text LIKE ",
        )
        .bind(p.as_str())
        .push(&format!(" ESCAPE '\\' {PROBE})"));
    }
    let ids: Vec<(i64,)> = sqlx::query_as_with(&c.text, c.args())
        .fetch_all(&mut *conn)
        .await?;
    Ok(Some(Plan::Ids {
        target,
        ids: ids.into_iter().map(|(id,)| id).collect(),
    }))
}

/// Ends every `EXISTS` probe: PostgreSQL does not turn a subquery with an OFFSET into a join, so
/// each probe stays a primary-key lookup per row, whatever the planner guesses about a table it
/// has no statistics for yet (SQLite probes per row anyway).
const PROBE: &str = "LIMIT 1 OFFSET 0";

/// Appends a plan's condition on the list's rows: their id is one of the few, or (a common
/// word) they hold every term — but `driving`, which the postings they come from hold — and the
/// word.
fn restrict(w: &mut Sql, plan: &Plan, driving: Option<&str>) {
    match plan {
        Plan::Ids { target, ids } => {
            w.push(" AND ");
            w.bind_in(&format!("{}.{}", target.table, target.id), ids);
        }
        Plan::Common {
            target,
            terms,
            pattern,
            ..
        } => {
            let (id, region, sort) = (
                format!("{}.{}", target.table, target.id),
                format!("{}.{}", target.table, target.region),
                format!("{}.{}", target.table, target.sort),
            );
            // The posting's whole primary key: one lookup per row.
            for t in terms.iter().filter(|t| Some(t.as_str()) != driving) {
                w.push(" AND EXISTS (SELECT 1 FROM search_terms s WHERE s.kind = ")
                    .bind(target.kind.id())
                    .push(" AND s.term = ")
                    .bind(t.as_str())
                    .push(&format!(
                        " AND s.region_id = {region} AND s.sort_key = {sort} \
                         AND s.entity_id = {id} {PROBE})"
                    ));
            }
            if let Some(p) = pattern {
                w.push(" AND EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = ")
                    .bind(target.kind.id())
                    .push(&format!(" AND d.entity_id = {id} AND d.text LIKE "))
                    .bind(p.as_str())
                    .push(&format!(" ESCAPE '\\' {PROBE})"));
            }
        }
    }
}

/// A common word's postings, read in the list's order instead of the list's table: the list's
/// first rows are found without reading past them.
#[derive(Debug, Clone)]
pub(crate) struct Drive {
    pub target: Target,
    pub term: String,
    pub regions: Option<Vec<RegionId>>,
}

impl Drive {
    /// `search_terms p JOIN {table} ON …` with the posting range's conditions, for `FROM`.
    pub(crate) fn join(&self, w: &mut Sql) -> String {
        let t = self.target;
        w.push(" AND p.kind = ")
            .bind(t.kind.id())
            .push(" AND p.term = ")
            .bind(self.term.as_str());
        match &self.regions {
            Some(r) => {
                w.and_in_regions("p.region_id", Some(r));
            }
            // Every region: the index of postings by order alone holds terms of two or three
            // characters; saying so lets both engines use it.
            None if self.term.chars().count() > 1 => {
                w.push(" AND length(p.term) > 1");
            }
            None => {}
        }
        format!(
            "search_terms p JOIN {table} ON {table}.{id} = p.entity_id AND {table}.{region} = p.region_id",
            table = t.table,
            id = t.id,
            region = t.region
        )
    }
}

/// Where a list's rows come from once its search filters are planned.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// Its table, in its own order (no search filter).
    Table,
    /// A few ids, already within the caller's regions.
    Ids,
    /// A common word's postings, within the caller's regions.
    Drive(Drive),
}

impl Source {
    /// Whether the list must still be held to the caller's regions itself. Ids and postings
    /// already are; saying it again would tempt the planner into reading the region instead.
    pub(crate) fn needs_scope(&self) -> bool {
        matches!(self, Self::Table)
    }

    /// The postings that drive the list, if any.
    pub(crate) fn drive(self) -> Option<Drive> {
        match self {
            Self::Drive(d) => Some(d),
            Self::Table | Self::Ids => None,
        }
    }
}

/// What a list's search filters come to: the conditions on its rows, and where its rows come
/// from — its table, a few ids, or the postings of a common word.
pub(crate) fn combine(w: &mut Sql, plans: &[Plan], regions: Option<&[RegionId]>) -> Source {
    // Few ids anywhere: they bound the list; the rest are checked row by row.
    let any_ids = plans.iter().any(|p| matches!(p, Plan::Ids { .. }));
    let mut drive: Option<Drive> = None;
    for p in plans {
        let mut driving = None;
        if let (false, None, Plan::Common { target, rarest, .. }) = (any_ids, &drive, p) {
            drive = Some(Drive {
                target: *target,
                term: rarest.clone(),
                regions: regions.map(<[RegionId]>::to_vec),
            });
            driving = Some(rarest.as_str());
        }
        restrict(w, p, driving);
    }
    match drive {
        Some(d) => Source::Drive(d),
        None if any_ids => Source::Ids,
        None => Source::Table,
    }
}
