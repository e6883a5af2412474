//! Jimoto's persistence on SQLite (embedded default) and PostgreSQL (scale-out), through one
//! code path: sqlx's `Any` driver with portable SQL, numbered `$n` placeholders (accepted by
//! both engines) and one set of migrations.
//!
//! Repository functions take a `&mut AnyConnection`, so a service runs several of them inside
//! one transaction ([`Db::begin`]) and commits once per use case.

mod db;
mod error;
mod sql;

pub mod audit;
pub mod organisations;
pub mod regions;
pub mod residents;
pub mod sessions;
pub mod users;

pub use db::{Db, Engine, MigrationReport};
pub use error::StoreError;
pub use sql::{Page, PageRequest};
pub use sqlx::AnyConnection as Conn;

/// A transaction: dereferences to a connection; dropped without commit, it rolls back.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
