//! Jimoto's persistence on SQLite (embedded default) and PostgreSQL (scale-out), through one
//! code path: sqlx's `Any` driver with portable SQL, numbered `$n` placeholders (accepted by
//! both engines), one set of migrations, and the storage conventions as types ([`codec`]).
//!
//! Repository functions take a `&mut AnyConnection`, so a service runs several of them inside
//! one transaction ([`Db::begin`]) and commits once per use case.

mod db;
mod error;
mod migrations;
mod reindex;
mod sql;

pub mod audit;
pub mod codec;
pub mod contacts;
pub mod events;
pub mod growth;
pub mod home;
pub mod kpis;
pub mod labels;
pub mod organisations;
pub mod programs;
pub mod projects;
pub mod regions;
pub mod residents;
pub mod schema;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod users;
pub mod work;

pub use db::{Db, Engine, MigrationReport};
pub use error::StoreError;
pub use migrations::{Migration, RustStep, Step, fingerprint as migrations_fingerprint};
pub use sqlx::AnyConnection as Conn;

/// A transaction: dereferences to a connection; dropped without commit, it rolls back.
#[derive(Debug)]
pub struct Tx(sqlx::Transaction<'static, sqlx::Any>);

impl Tx {
    /// Makes the use case's changes permanent.
    pub async fn commit(self) -> Result<()> {
        Ok(self.0.commit().await?)
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// Store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
