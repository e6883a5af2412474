/// Errors from the store. Constraint violations are told apart so that services can turn them
/// into a clear message ("this code is already registered") instead of a 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the row.
    #[error("unique constraint violated: {0}")]
    Duplicate(String),
    /// A foreign key points nowhere.
    #[error("foreign key violated: {0}")]
    MissingReference(String),
    /// A stored value could not be read back (e.g. an unknown enum text).
    #[error("corrupt value in {0}")]
    Corrupt(String),
    /// A migration that was applied has since been changed.
    #[error("migration {0} was changed after it was applied")]
    MigrationChanged(i64),
    /// The database URL names an engine we do not support.
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    /// Anything else from the driver.
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let what = db
                .constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| db.message().to_owned());
            if db.is_unique_violation() {
                return Self::Duplicate(what);
            }
            if db.is_foreign_key_violation() {
                return Self::MissingReference(what);
            }
        }
        Self::Database(e)
    }
}
