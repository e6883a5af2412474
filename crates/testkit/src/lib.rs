//! Test helpers: a fresh database per test on either engine, and the whole app on port 0.
//!
//! PostgreSQL tests need `JIMOTO_TEST_POSTGRES_URL` (an account that may create databases);
//! `scripts/test` starts a throwaway cluster and sets it. Without it they fail, saying so:
//! they are never skipped silently.

use std::net::SocketAddr;
use std::path::PathBuf;

use jimoto_services::{ServiceConfig, Services};
use jimoto_store::Db;

pub use jimoto_demo::DEMO_PASSWORD;

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

pub use jimoto_store::Engine;

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

fn random_suffix() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random bytes");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl TestDb {
    /// A new empty database on `engine`, migrated.
    pub async fn new(engine: Engine) -> Self {
        let (url, cleanup) = match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join("jimoto-tests");
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join(format!("{}.db", random_suffix()));
                (format!("sqlite://{}", path.display()), Cleanup::File(path))
            }
            Engine::Postgres => {
                let admin_url = std::env::var("JIMOTO_TEST_POSTGRES_URL").unwrap_or_else(|_| {
                    panic!(
                        "PostgreSQL tests need JIMOTO_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres). \
                         Run ./scripts/test, which starts a throwaway PostgreSQL, or set the variable."
                    )
                });
                let name = format!("jimoto_test_{}", random_suffix());
                let admin = Db::connect(&admin_url, 1)
                    .await
                    .expect("connect to JIMOTO_TEST_POSTGRES_URL");
                let mut conn = admin.conn().await.expect("admin connection");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut *conn)
                    .await
                    .expect("create test database");
                drop(conn);
                admin.close().await;
                let url = replace_db_name(&admin_url, &name);
                (url, Cleanup::Database { admin_url, name })
            }
        };
        let db = Db::connect(&url, 5)
            .await
            .expect("connect to test database");
        db.migrate().await.expect("migrate test database");
        Self { db, url, cleanup }
    }

    /// The services over this database, with default settings.
    pub fn services(&self) -> Services {
        Services::new(self.db.clone(), ServiceConfig::default())
    }
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

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
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

/// The running app on a random local port, over a fresh database.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The services behind the app (to arrange data directly).
    pub services: Services,
    /// The database.
    pub db: TestDb,
    /// Ids made by the demo loader, when loaded.
    pub demo: Option<jimoto_demo::DemoIds>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Starts the app on port 0 over a fresh database on `engine`, with the demo loaded.
pub async fn spawn_app(engine: Engine) -> TestApp {
    let db = TestDb::new(engine).await;
    let services = db.services();
    let demo = jimoto_demo::load_fresh(&services)
        .await
        .expect("demo loads");
    let settings = jimoto_web::Settings {
        database_url: db.url.clone(),
        ..Default::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr: SocketAddr = listener.local_addr().expect("local addr");
    let app = jimoto_web::App::with_services(settings, services.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = app
            .serve(listener, async move {
                let _ = rx.await;
            })
            .await;
    });
    TestApp {
        address: format!("http://{addr}"),
        services,
        db,
        demo: Some(demo),
        shutdown: Some(tx),
    }
}

impl TestApp {
    /// A browser-like client: keeps cookies, does not follow redirects (so tests see them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client")
    }

    /// A URL on the app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Posts a form with `client` (keeping its cookies) and returns the response.
    pub async fn post_form<T: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &T,
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("form post")
    }

    /// The body of a page fetched with `client`.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        let res = client
            .get(self.url(path))
            .send()
            .await
            .expect("page request");
        res.text().await.expect("page body")
    }

    /// A personal access token for a demo login.
    pub async fn token(&self, login: &str) -> String {
        self.services
            .create_token_for_login(login, "test")
            .await
            .expect("token")
    }

    /// A client logged in through the login form as `login`; returns it with the session's
    /// CSRF token, read from a page.
    pub async fn login(&self, login: &str) -> (reqwest::Client, String) {
        let client = self.client();
        let csrf = csrf_from(&self.page(&client, "/login").await);
        let form = [
            ("login", login),
            ("password", DEMO_PASSWORD),
            ("csrf", csrf.as_str()),
        ];
        let resp = self.post_form(&client, "/login", &form).await;
        assert_eq!(resp.status(), 303, "login as {login} should redirect");
        let home = self.page(&client, "/home").await;
        (client, csrf_from(&home))
    }
}

/// The value of the first `name="csrf"` hidden field in a page.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a csrf field");
    let end = html[start..].find('"').expect("csrf value ends") + start;
    html[start..end].to_owned()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
