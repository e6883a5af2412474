//! Names of records by id, to label them where they are mentioned (the audit log names the
//! records and people its entries are about).

use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::sql::Sql;

/// A table whose records have a name to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Regions, by name.
    Regions,
    /// Organisations, by name.
    Organisations,
    /// Residents, by name.
    Residents,
    /// Accounts, by display name.
    Users,
    /// Programs, by title.
    Programs,
    /// Postings, by title.
    Postings,
}

impl Named {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Self::Regions => ("regions", "name"),
            Self::Organisations => ("organisations", "name"),
            Self::Residents => ("residents", "name"),
            Self::Users => ("users", "display_name"),
            Self::Programs => ("programs", "title"),
            Self::Postings => ("postings", "title"),
        }
    }
}

/// `(id, name)` of the records with these ids that exist.
pub async fn names(conn: &mut AnyConnection, of: Named, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = of.table_and_column();
    let mut q = Sql::new(&format!("SELECT id, {column} AS label FROM {table} WHERE "));
    q.bind_in("id", &ids);
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("label")?)))
        .collect()
}
