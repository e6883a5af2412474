//! A fresh, migrated database per test, copied from a template that is migrated once per engine
//! and schema (SQLite: a file copy; PostgreSQL: `CREATE DATABASE … TEMPLATE`). Templates are
//! named by the migrations' fingerprint, so a changed migration gets a new template, and they
//! are shared by every test process of a run (nextest runs each test in its own process).

use std::path::{Path, PathBuf};

use jimoto_services::{ServiceConfig, Services};
use jimoto_store::{Db, Engine};

/// A fresh, migrated database that is removed when dropped.
#[derive(Debug)]
pub struct TestDb {
    /// The pool.
    pub db: Db,
    /// Its URL (for spawning the app on it).
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

pub(crate) fn random_suffix() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random bytes");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("jimoto-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn fingerprint() -> String {
    jimoto_store::migrations_fingerprint()[..16].to_owned()
}

fn admin_url() -> String {
    std::env::var("JIMOTO_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "PostgreSQL tests need JIMOTO_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres). \
             Run ./scripts/test, which starts a throwaway PostgreSQL, or set the variable."
        )
    })
}

/// `postgres://u@h:p/old?x` → `postgres://u@h:p/new?x`.
fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The migrated SQLite template file, made by the first test that needs it.
async fn sqlite_template() -> PathBuf {
    let path = scratch_dir().join(format!("template-{}.db", fingerprint()));
    if path.exists() {
        return path;
    }
    // Built under a name of its own, then renamed into place: a concurrent test either sees
    // no template or a complete one.
    let tmp = scratch_dir().join(format!("template-{}.tmp", random_suffix()));
    let db = Db::connect(&format!("sqlite://{}", tmp.display()), 1)
        .await
        .expect("create the SQLite template");
    db.migrate().await.expect("migrate the SQLite template");
    let mut conn = db.conn().await.expect("template connection");
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await
        .expect("checkpoint the template");
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut *conn)
        .await
        .expect("leave WAL for the copy");
    drop(conn);
    db.close().await;
    std::fs::rename(&tmp, &path).expect("put the template in place");
    remove_sqlite(&tmp);
    path
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The migrated PostgreSQL template database, made (under an advisory lock) by the first test
/// that needs it.
async fn postgres_template(admin: &Db) -> String {
    let name = format!("jimoto_tpl_{}", fingerprint());
    let mut conn = admin.conn().await.expect("admin connection");
    sqlx::query("SELECT pg_advisory_lock(7135240002)")
        .execute(&mut *conn)
        .await
        .expect("template lock");
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT 1::BIGINT FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_optional(&mut *conn)
            .await
            .expect("look for the template");
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut *conn)
            .await
            .expect("create the template");
        let tpl = Db::connect(&replace_db_name(&admin_url(), &name), 1)
            .await
            .expect("connect to the template");
        tpl.migrate().await.expect("migrate the template");
        tpl.close().await;
    }
    sqlx::query("SELECT pg_advisory_unlock(7135240002)")
        .execute(&mut *conn)
        .await
        .expect("template unlock");
    name
}

/// A new PostgreSQL database, a copy of the migrated template or empty; its URL and cleanup.
async fn postgres_database(migrated: bool) -> (String, Cleanup) {
    let admin_url = admin_url();
    let admin = Db::connect(&admin_url, 1)
        .await
        .expect("connect to JIMOTO_TEST_POSTGRES_URL");
    let name = format!("jimoto_test_{}", random_suffix());
    let create = if migrated {
        let template = postgres_template(&admin).await;
        format!("CREATE DATABASE {name} TEMPLATE {template}")
    } else {
        format!("CREATE DATABASE {name}")
    };
    let mut conn = admin.conn().await.expect("admin connection");
    sqlx::query(&create)
        .execute(&mut *conn)
        .await
        .expect("create the test database");
    drop(conn);
    admin.close().await;
    let url = replace_db_name(&admin_url, &name);
    (url, Cleanup::Database { admin_url, name })
}

impl TestDb {
    /// A new migrated database on `engine`, copied from the template.
    pub async fn new(engine: Engine) -> Self {
        let (url, cleanup) = match engine {
            Engine::Sqlite => {
                let template = sqlite_template().await;
                let path = scratch_dir().join(format!("{}.db", random_suffix()));
                std::fs::copy(&template, &path).expect("copy the SQLite template");
                (format!("sqlite://{}", path.display()), Cleanup::File(path))
            }
            Engine::Postgres => postgres_database(true).await,
        };
        let db = Db::connect(&url, 5)
            .await
            .expect("connect to test database");
        Self { db, url, cleanup }
    }

    /// A new database on `engine` with no tables at all (for migration tests).
    pub async fn empty(engine: Engine) -> Self {
        let (url, cleanup) = match engine {
            Engine::Sqlite => {
                let path = scratch_dir().join(format!("{}.db", random_suffix()));
                (format!("sqlite://{}", path.display()), Cleanup::File(path))
            }
            Engine::Postgres => postgres_database(false).await,
        };
        let db = Db::connect(&url, 5)
            .await
            .expect("connect to test database");
        Self { db, url, cleanup }
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// The services over this database, with default settings.
    pub fn services(&self) -> Services {
        Services::new(self.db.clone(), ServiceConfig::default())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => remove_sqlite(path),
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name, db) = (admin_url.clone(), name.clone(), self.db.clone());
                // Drop runs inside the test's runtime; a separate thread with its own runtime
                // can wait for the pool to close and the database to be dropped.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            db.close().await;
                            if let Ok(admin) = Db::connect(&admin_url, 1).await {
                                if let Ok(mut c) = admin.conn().await {
                                    let _ = sqlx::query(&format!(
                                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                    ))
                                    .execute(&mut *c)
                                    .await;
                                }
                                admin.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}
