//! The migrations, in order. Add new ones at the end; never edit an applied one (a checksum
//! catches it). SQL migrations are portable SQL for both engines, with `{{ID}}` for an
//! auto-generated key; a first line `-- jimoto: no-transaction` runs one outside a transaction.
//! Data migrations that need Rust (e.g. folding text for the search index) are steps of their
//! own, with a revision string that stands in for their text in the checksum.

use std::future::Future;
use std::pin::Pin;

use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::Result;

/// A data migration written in Rust: it runs on the migration's connection (in its transaction).
pub type RustStep =
    for<'c> fn(&'c mut AnyConnection) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'c>>;

/// What a migration does.
#[derive(Clone, Copy)]
pub enum Step {
    /// Portable SQL.
    Sql(&'static str),
    /// Rust code, identified for the checksum by its revision.
    Rust {
        /// Changes whenever the code's effect changes.
        revision: &'static str,
        /// The code.
        run: RustStep,
    },
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sql(s) => write!(f, "Sql({} bytes)", s.len()),
            Self::Rust { revision, .. } => write!(f, "Rust({revision})"),
        }
    }
}

/// One migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Version, increasing.
    pub version: i64,
    /// Short name.
    pub name: &'static str,
    /// What it does.
    pub step: Step,
}

/// The marker that runs a SQL migration outside a transaction.
const NO_TRANSACTION: &str = "-- jimoto: no-transaction";

impl Migration {
    /// A SQL migration.
    pub const fn sql(version: i64, name: &'static str, sql: &'static str) -> Self {
        Self {
            version,
            name,
            step: Step::Sql(sql),
        }
    }

    /// Whether it runs in a transaction of its own (all but those marked no-transaction).
    pub fn in_transaction(&self) -> bool {
        match self.step {
            Step::Sql(sql) => !sql.trim_start().starts_with(NO_TRANSACTION),
            Step::Rust { .. } => true,
        }
    }

    /// SHA-256 of the SQL text, or of the Rust step's revision.
    pub fn checksum(&self) -> String {
        let text = match self.step {
            Step::Sql(sql) => sql,
            Step::Rust { revision, .. } => revision,
        };
        format!("{:x}", Sha256::digest(text.as_bytes()))
    }
}

/// Jimoto's migrations.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration::sql(
        1,
        "foundation",
        include_str!("../migrations/0001_foundation.sql"),
    ),
    Migration::sql(
        2,
        "list_indexes",
        include_str!("../migrations/0002_list_indexes.sql"),
    ),
    Migration::sql(
        3,
        "json_lists_and_search",
        include_str!("../migrations/0003_json_lists_and_search.sql"),
    ),
    Migration {
        version: 4,
        name: "search_backfill",
        step: Step::Rust {
            revision: "index regions, organisations, residents and skills by 1-3 character terms (v2)",
            run: |conn| Box::pin(crate::reindex::all(conn)),
        },
    },
    Migration::sql(
        5,
        "accounts_people_can_use",
        include_str!("../migrations/0005_accounts_people_can_use.sql"),
    ),
    Migration::sql(
        6,
        "programs",
        include_str!("../migrations/0006_programs.sql"),
    ),
    Migration::sql(
        7,
        "contacts",
        include_str!("../migrations/0007_contacts.sql"),
    ),
    Migration::sql(
        8,
        "growth_path",
        include_str!("../migrations/0008_growth_path.sql"),
    ),
    Migration {
        version: 9,
        name: "growth_path_backfill",
        step: Step::Rust {
            revision: "every resident: a stage (interested, since their record) and match keys (v1)",
            run: |conn| Box::pin(crate::growth::backfill(conn)),
        },
    },
    Migration::sql(
        10,
        "events_voices_imports",
        include_str!("../migrations/0010_events_voices_imports.sql"),
    ),
    Migration::sql(11, "work", include_str!("../migrations/0011_work.sql")),
    Migration::sql(
        12,
        "evaluation_snapshots",
        include_str!("../migrations/0012_evaluation_snapshots.sql"),
    ),
    Migration::sql(
        13,
        "kpis_projects",
        include_str!("../migrations/0013_kpis_projects.sql"),
    ),
    Migration::sql(
        14,
        "moved_away",
        include_str!("../migrations/0014_moved_away.sql"),
    ),
];

/// One hash of every migration's checksum: databases migrated by the same code share it (test
/// templates are named by it).
pub fn fingerprint() -> String {
    let mut h = Sha256::new();
    for m in MIGRATIONS {
        h.update(m.version.to_le_bytes());
        h.update(m.checksum().as_bytes());
    }
    format!("{:x}", h.finalize())
}
