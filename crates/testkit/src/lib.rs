//! Test helpers: a fresh database per test on either engine (copied from a migrated template),
//! fixture builders and a two-region [`World`], the app answering requests in-process
//! ([`TestApp`]), and the app on a real port for the browser tests ([`spawn_server`]).
//!
//! PostgreSQL tests need `JIMOTO_TEST_POSTGRES_URL` (an account that may create databases);
//! `scripts/test` starts a throwaway cluster and sets it. Without it they fail, saying so:
//! they are never skipped silently.

mod db;
mod fixtures;
mod http;

pub use db::TestDb;
pub use fixtures::{HANAKO_NOTE, PASSWORD, ResidentSpec, WORLD_LOGINS, World, cheap_hash};
pub use http::{
    TestApp, TestClient, TestRequest, TestResponse, TestServer, csrf_from, spawn_server,
};
pub use jimoto_demo::DEMO_PASSWORD;
pub use jimoto_store::Engine;

/// Runs async test functions once on SQLite and once on PostgreSQL, as `name::sqlite` and
/// `name::postgres`. Each function takes a fresh, migrated [`TestDb`].
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::TestDb::new($crate::Engine::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::TestDb::new($crate::Engine::Postgres).await).await
            }
        }
    )*};
}
