//! Errors from the store. Constraint violations are told apart — a duplicate names its table and
//! columns the same way on both engines — so that services can say which field is taken instead
//! of answering with a 500.

use crate::schema;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the row: these columns of this table already hold its values.
    #[error("duplicate {table}.{}", columns.join(","))]
    Duplicate {
        /// The table.
        table: String,
        /// The columns of the unique constraint, in its order.
        columns: Vec<String>,
    },
    /// A foreign key points nowhere.
    #[error("foreign key violated: {0}")]
    MissingReference(String),
    /// A stored value could not be read back (an unknown code, a time out of range, bad JSON).
    #[error("corrupt value: {0}")]
    Corrupt(String),
    /// A list position that does not belong to the list it was used on.
    #[error("the list position does not fit this list")]
    BadCursor,
    /// A migration that was applied has since been changed.
    #[error("migration {0} was changed after it was applied")]
    MigrationChanged(i64),
    /// A migration failed; those before it stay applied.
    #[error("migration {version} ({name}) failed: {source}")]
    MigrationFailed {
        /// Its version.
        version: i64,
        /// Its name.
        name: &'static str,
        /// Why.
        source: Box<StoreError>,
    },
    /// The database URL names an engine we do not support.
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    /// Anything else from the driver.
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                let (table, columns) = unique_columns(db.as_ref());
                Self::Duplicate { table, columns }
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => Self::MissingReference(
                db.constraint()
                    .map_or_else(|| db.message().to_owned(), str::to_owned),
            ),
            sqlx::Error::ColumnDecode { index, source } => {
                Self::Corrupt(format!("column {index}: {source}"))
            }
            _ => Self::Database(e),
        }
    }
}

/// The table and columns of a unique violation. SQLite names them in its message
/// ("UNIQUE constraint failed: regions.lg_code"); PostgreSQL names the table and the constraint
/// (`regions_lg_code_key`, its default `{table}_{columns}_key` naming, which every unique index
/// of ours follows), whose columns are read against the table's known columns.
fn unique_columns(db: &dyn sqlx::error::DatabaseError) -> (String, Vec<String>) {
    if let Some(list) = db.message().strip_prefix("UNIQUE constraint failed: ") {
        let mut table = String::new();
        let columns = list
            .split(", ")
            .filter_map(|tc| tc.split_once('.'))
            .map(|(t, c)| {
                table = t.to_owned();
                c.to_owned()
            })
            .collect();
        return (table, columns);
    }
    let table = db.table().unwrap_or_default().to_owned();
    let columns = db
        .constraint()
        .and_then(|c| c.strip_prefix(&format!("{table}_")))
        .and_then(|c| c.strip_suffix("_key"))
        .map(|joined| split_columns(&table, joined))
        .unwrap_or_default();
    (table, columns)
}

/// `lg_code` → [lg_code]; `kind_entity_id` → [kind, entity_id], by the table's columns (longest
/// first, since column names contain underscores themselves).
fn split_columns(table: &str, mut joined: &str) -> Vec<String> {
    let mut known: Vec<&str> = schema::columns_of(table).to_vec();
    known.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let mut out = Vec::new();
    while !joined.is_empty() {
        let Some(c) = known.iter().find(|c| {
            joined == **c
                || joined
                    .strip_prefix(**c)
                    .is_some_and(|rest| rest.starts_with('_'))
        }) else {
            return vec![joined.to_owned()];
        };
        out.push((*c).to_owned());
        joined = joined[c.len()..].trim_start_matches('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_columns;

    #[test]
    fn constraint_names_split_into_known_columns() {
        assert_eq!(split_columns("regions", "lg_code"), vec!["lg_code"]);
        assert_eq!(
            split_columns("search_docs", "kind_entity_id"),
            vec!["kind", "entity_id"]
        );
        assert_eq!(split_columns("nowhere", "a_b"), vec!["a_b"]);
    }
}
