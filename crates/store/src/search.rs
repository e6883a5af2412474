//! The search index, held in the database so that every app server sharing one PostgreSQL sees
//! the same results, and written in the same transaction as the record it indexes so that it is
//! never stale.
//!
//! A record's searchable text is folded ([`jimoto_domain::text::fold`]: kana, width, case and
//! spaces) and split into its pieces of one to three characters (`search_terms`, keyed by kind,
//! term, region and record). A query of up to three characters is one term — two-character words
//! such as 経理 are found exactly, and やまだ finds ヤマダ; a longer query needs all of its
//! three-character pieces and is checked against the folded text itself (`search_docs`). See
//! [`restrict`] for how a list uses it. Later capabilities (postings, programs, case studies)
//! index their records under a kind of their own.

use std::collections::BTreeSet;

use jimoto_domain::RegionId;
use jimoto_domain::text::{fold, query_terms, terms, terms_are_exact};
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::schema::{SEARCH_DOCS, SEARCH_TERMS};
use crate::sql::{Sql, Values, contains_pattern};

/// What an indexed text belongs to. Stored as a small integer: the terms table is the largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    /// A region: name, reading, code.
    Region = 1,
    /// An organisation: name, reading, industry.
    Organisation = 2,
    /// A resident: name and reading.
    Resident = 3,
    /// A resident's skills (entity = the resident), one part per skill.
    ResidentSkills = 4,
}

impl SearchKind {
    fn id(self) -> i64 {
        self as i64
    }
}

/// Indexes (or re-indexes) a record's folded text: only the terms that changed are written.
pub(crate) async fn index(
    conn: &mut AnyConnection,
    kind: SearchKind,
    entity_id: i64,
    region: RegionId,
    folded: &str,
) -> Result<()> {
    let old =
        sqlx::query("SELECT region_id, text FROM search_docs WHERE kind = $1 AND entity_id = $2")
            .bind(kind.id())
            .bind(entity_id)
            .fetch_optional(&mut *conn)
            .await?;
    let new_terms = terms(folded);
    let (old_terms, old_region) = match &old {
        Some(row) => {
            let old_region: i64 = row.try_get("region_id")?;
            let old_text: String = row.try_get("text")?;
            (terms(&old_text), old_region)
        }
        None => (BTreeSet::new(), region.0),
    };
    let same_region = old_region == region.0;
    let (remove, add): (Vec<&String>, Vec<&String>) = if same_region {
        (
            old_terms.difference(&new_terms).collect(),
            new_terms.difference(&old_terms).collect(),
        )
    } else {
        (old_terms.iter().collect(), new_terms.iter().collect())
    };
    if old.is_some() {
        if !remove.is_empty() {
            // The whole primary key (kind, term, region, entity): point deletes.
            let mut del = Sql::new("DELETE FROM search_terms WHERE kind = ");
            del.bind(kind.id())
                .push(" AND region_id = ")
                .bind(old_region)
                .push(" AND entity_id = ")
                .bind(entity_id);
            del.push(" AND term IN (");
            for (i, t) in remove.iter().enumerate() {
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
            "UPDATE search_docs SET region_id = $1, text = $2 WHERE kind = $3 AND entity_id = $4",
        )
        .bind(region.0)
        .bind(folded.to_owned())
        .bind(kind.id())
        .bind(entity_id)
        .execute(&mut *conn)
        .await?;
    } else {
        Values::new(SEARCH_DOCS)
            .set("kind", kind.id())
            .set("entity_id", entity_id)
            .set("region_id", region)
            .set("text", folded)
            .insert(&mut *conn)
            .await?;
    }
    insert_terms(conn, kind, entity_id, region, &add).await
}

/// Writes term rows in batches of one statement each.
async fn insert_terms(
    conn: &mut AnyConnection,
    kind: SearchKind,
    entity_id: i64,
    region: RegionId,
    add: &[&String],
) -> Result<()> {
    for chunk in add.chunks(100) {
        let mut ins = Sql::new(&format!(
            "INSERT INTO {} (kind, term, region_id, entity_id) VALUES ",
            SEARCH_TERMS.name
        ));
        for (i, t) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(")
                .bind(kind.id())
                .push(", ")
                .bind(t.as_str())
                .push(", ")
                .bind(region)
                .push(", ")
                .bind(entity_id)
                .push(")");
        }
        sqlx::query_with(&ins.text, ins.args())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Where a searched list's rows keep their id and region: `residents.id` and
/// `residents.region_id`, or for regions `regions.id` twice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    /// The list's table.
    pub table: &'static str,
    /// Its column holding the indexed record's id.
    pub id: &'static str,
    /// Its column holding the record's region.
    pub region: &'static str,
    /// The kind its records are indexed under.
    pub kind: SearchKind,
}

/// Postings read before a term counts as common: a query whose rarest term has at most this many
/// records is answered from those records; one whose every term is commoner is answered by
/// reading the list in order and checking each row, which soon finds a page's worth.
const CANDIDATES: i64 = 2000;

/// Ends every `EXISTS` probe: PostgreSQL does not turn a subquery with an OFFSET into a join, so
/// each probe stays a primary-key lookup per row, whatever the planner guesses about a table it
/// has no statistics for yet (SQLite probes per row anyway).
const PROBE: &str = "LIMIT 1 OFFSET 0";

/// Appends to `w` the condition that the list's row contains `q` (in the index of `target`),
/// within `regions` (None: every region). Blank queries append nothing.
///
/// The plan depends on the query, so that neither a rare nor a common word makes the list slow:
/// - the rarest of the query's terms is found in at most [`CANDIDATES`] records: their ids are
///   read, checked against the other terms and the folded text, and bound as `id IN (…)`;
/// - every term is in more records than that: the row must have each term (a primary-key probe
///   per row) and the text, and the list reads rows in its order until its page is full.
pub(crate) async fn restrict(
    conn: &mut AnyConnection,
    w: &mut Sql,
    target: Target,
    regions: Option<&[RegionId]>,
    q: &str,
) -> Result<()> {
    let folded = fold(q);
    let qterms = query_terms(&folded);
    if qterms.is_empty() {
        return Ok(());
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
        counts.push((n, t));
    }
    counts.sort();
    let (rarest_count, rarest) = counts[0];
    if rarest_count <= CANDIDATES {
        let mut c = Sql::new("SELECT t.entity_id FROM search_terms t WHERE t.kind = ");
        c.bind(kind).push(" AND t.term = ").bind(rarest.as_str());
        c.and_in_regions("t.region_id", regions);
        for (_, other) in &counts[1..] {
            c.push(" AND EXISTS (SELECT 1 FROM search_terms o WHERE o.kind = t.kind AND o.term = ")
                .bind(other.as_str())
                .push(&format!(
                    " AND o.region_id = t.region_id AND o.entity_id = t.entity_id {PROBE})"
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
        w.push(" AND ");
        w.bind_in(
            &format!("{}.{}", target.table, target.id),
            &ids.into_iter().map(|(id,)| id).collect::<Vec<_>>(),
        );
        return Ok(());
    }
    let (id, region) = (
        format!("{}.{}", target.table, target.id),
        format!("{}.{}", target.table, target.region),
    );
    for (_, t) in &counts {
        w.push(" AND EXISTS (SELECT 1 FROM search_terms s WHERE s.kind = ")
            .bind(kind)
            .push(" AND s.term = ")
            .bind(t.as_str())
            .push(&format!(
                " AND s.region_id = {region} AND s.entity_id = {id} {PROBE})"
            ));
    }
    if let Some(p) = &pattern {
        w.push(" AND EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = ")
            .bind(kind)
            .push(&format!(" AND d.entity_id = {id} AND d.text LIKE "))
            .bind(p.as_str())
            .push(&format!(" ESCAPE '\\' {PROBE})"));
    }
    Ok(())
}
