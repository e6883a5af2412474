//! The search index, held in the database so that every app server sharing one PostgreSQL sees
//! the same results, and written in the same transaction as the record it indexes so that it is
//! never stale.
//!
//! A record's searchable text is folded ([`jimoto_domain::text::fold`]: kana, width, case and
//! spaces) and split into its characters and pairs of neighbours (`search_terms`, keyed by kind,
//! term and region). A query looks up its pairs — so two-character words such as 経理 are
//! found, and やまだ finds ヤマダ — intersects them within the caller's regions, and checks the
//! folded text itself (`search_docs`) when the query is longer than one pair. Later capabilities
//! (postings, programs, case studies) index their records under a kind of their own.

use std::collections::BTreeSet;

use jimoto_domain::RegionId;
use jimoto_domain::text::{fold, query_terms, terms};
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

/// Appends ` AND {id_column} IN (…the records of `kind` whose text contains `q`…)`, within
/// `regions` (None: every region). Returns false, appending nothing, when `q` has nothing to
/// search for once folded (blank or only spaces).
pub(crate) fn filter(
    w: &mut Sql,
    id_column: &str,
    kind: SearchKind,
    regions: Option<&[RegionId]>,
    q: &str,
) -> bool {
    let folded = fold(q);
    let qterms = query_terms(&folded);
    if qterms.is_empty() {
        return false;
    }
    w.push(&format!(" AND {id_column} IN ("));
    // Pairs imply their order only when the query is one pair (or one character): longer
    // queries are checked against the folded text.
    let check_text = folded.chars().count() > 2;
    if check_text {
        w.push("SELECT d.entity_id FROM search_docs d WHERE d.kind = ")
            .bind(kind.id())
            .push(" AND d.text LIKE ")
            .bind(contains_pattern(&folded))
            .push(" ESCAPE '\\' AND d.entity_id IN (");
    }
    for (i, t) in qterms.iter().enumerate() {
        if i > 0 {
            w.push(" INTERSECT ");
        }
        w.push("SELECT entity_id FROM search_terms WHERE kind = ")
            .bind(kind.id())
            .push(" AND term = ")
            .bind(t.as_str());
        w.and_in_regions("region_id", regions);
    }
    if check_text {
        w.push(")");
    }
    w.push(")");
    true
}
