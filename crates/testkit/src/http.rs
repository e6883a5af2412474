//! The app under test. [`TestApp`] sends requests to the router in-process (no socket, no port):
//! its [`TestClient`] keeps cookies like a browser and does not follow redirects, so tests see
//! them. [`spawn_server`] serves the app on a real port 0 for the browser tests.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jimoto_services::Services;
use jimoto_store::Engine;
use tower::ServiceExt;

use crate::fixtures::{PASSWORD, World};
use crate::{DEMO_PASSWORD, TestDb};

/// The app over a fresh database, answering requests in-process.
#[derive(Debug)]
pub struct TestApp {
    /// The services behind the app (to arrange data directly).
    pub services: Services,
    /// The database.
    pub db: TestDb,
    /// The two-region world, when built with [`TestApp::world`].
    pub world: Option<World>,
    /// Ids made by the demo loader, when built with [`TestApp::demo`].
    pub demo: Option<jimoto_demo::DemoIds>,
    router: Router,
}

impl TestApp {
    /// The app over an empty, migrated database.
    pub async fn new(engine: Engine) -> Self {
        Self::over(TestDb::new(engine).await, None, None)
    }

    /// The app with the two-region [`World`] (fixture logins, [`PASSWORD`]).
    pub async fn world(engine: Engine) -> Self {
        let db = TestDb::new(engine).await;
        let world = db.world().await;
        Self::over(db, Some(world), None)
    }

    /// The app with the demo loaded (demo logins, [`DEMO_PASSWORD`]).
    pub async fn demo(engine: Engine) -> Self {
        let db = TestDb::new(engine).await;
        let ids = jimoto_demo::load_fresh(&db.services())
            .await
            .expect("demo loads");
        Self::over(db, None, Some(ids))
    }

    fn over(db: TestDb, world: Option<World>, demo: Option<jimoto_demo::DemoIds>) -> Self {
        let services = db.services();
        let settings = jimoto_web::Settings {
            database_url: db.url.clone(),
            ..Default::default()
        };
        let router = jimoto_web::App::with_services(settings, services.clone())
            .router()
            .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        Self {
            services,
            db,
            world,
            demo,
            router,
        }
    }

    /// The world built with [`TestApp::world`].
    pub fn w(&self) -> &World {
        self.world.as_ref().expect("built with TestApp::world")
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> TestClient {
        TestClient {
            router: self.router.clone(),
            cookies: Arc::default(),
        }
    }

    /// A client that sends no cookies (API callers).
    pub fn anonymous(&self) -> TestClient {
        self.client()
    }

    /// Posts a form with `client` (keeping its cookies).
    pub async fn post_form<T: serde::Serialize + ?Sized>(
        &self,
        client: &TestClient,
        path: &str,
        form: &T,
    ) -> TestResponse {
        client.post(path).form(form).send().await
    }

    /// The body of a page fetched with `client`.
    pub async fn page(&self, client: &TestClient, path: &str) -> String {
        client.get(path).send().await.text()
    }

    /// A personal access token for a login.
    pub async fn token(&self, login: &str) -> String {
        self.services
            .create_token_for_login(login, "test")
            .await
            .expect("token")
    }

    /// A client logged in through the login form; returns it with the session's CSRF token.
    /// Fixture logins use [`PASSWORD`], demo logins [`DEMO_PASSWORD`].
    pub async fn login(&self, login: &str) -> (TestClient, String) {
        let password = if self.demo.is_some() {
            DEMO_PASSWORD
        } else {
            PASSWORD
        };
        self.login_with(login, password).await
    }

    /// A client logged in with this password (following the redirects after login, e.g. to
    /// the form that replaces a temporary password).
    pub async fn login_with(&self, login: &str, password: &str) -> (TestClient, String) {
        let (client, resp) = self.try_login(login, password).await;
        assert_eq!(resp.status(), 303, "login as {login} should redirect");
        let mut to = resp.location();
        for _ in 0..3 {
            let res = client.get(&to).send().await;
            if res.status() == 303 {
                to = res.location();
            } else {
                return (client, csrf_from(&res.text()));
            }
        }
        panic!("login as {login} keeps redirecting");
    }

    /// Submits the login form; returns the client and the answer.
    pub async fn try_login(&self, login: &str, password: &str) -> (TestClient, TestResponse) {
        let client = self.client();
        let csrf = csrf_from(&self.page(&client, "/login").await);
        let form = [
            ("login", login),
            ("password", password),
            ("csrf", csrf.as_str()),
        ];
        let resp = self.post_form(&client, "/login", &form).await;
        (client, resp)
    }
}

/// A browser-like client of the in-process app.
#[derive(Debug, Clone)]
pub struct TestClient {
    router: Router,
    cookies: Arc<Mutex<BTreeMap<String, String>>>,
}

impl TestClient {
    /// A request.
    pub fn request(&self, method: Method, path: &str) -> TestRequest {
        TestRequest {
            client: self.clone(),
            method,
            path: path.to_owned(),
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// A GET.
    pub fn get(&self, path: &str) -> TestRequest {
        self.request(Method::GET, path)
    }

    /// A POST.
    pub fn post(&self, path: &str) -> TestRequest {
        self.request(Method::POST, path)
    }

    /// A PUT.
    pub fn put(&self, path: &str) -> TestRequest {
        self.request(Method::PUT, path)
    }

    /// Sets a cookie as if the server had (or an attacker had planted it).
    pub fn set_cookie(&self, name: &str, value: &str) {
        if let Ok(mut c) = self.cookies.lock() {
            c.insert(name.to_owned(), value.to_owned());
        }
    }

    fn cookie_header(&self) -> Option<String> {
        let c = self.cookies.lock().ok()?;
        (!c.is_empty()).then(|| {
            c.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn remember(&self, headers: &HeaderMap) {
        let Ok(mut jar) = self.cookies.lock() else {
            return;
        };
        for v in headers.get_all(header::SET_COOKIE) {
            let Some((pair, attrs)) = v
                .to_str()
                .ok()
                .map(|s| s.split_once(';').unwrap_or((s, "")))
            else {
                continue;
            };
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            if attrs.contains("Max-Age=0") || v.is_empty() {
                jar.remove(k.trim());
            } else {
                jar.insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
    }
}

/// A request being built.
#[derive(Debug)]
pub struct TestRequest {
    client: TestClient,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl TestRequest {
    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(value).expect("header value"),
        );
        self
    }

    /// `Authorization: Bearer …`.
    pub fn bearer_auth(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// A form body.
    pub fn form<T: serde::Serialize + ?Sized>(mut self, form: &T) -> Self {
        self.body = serde_urlencoded::to_string(form)
            .expect("form encodes")
            .into_bytes();
        self.header("content-type", "application/x-www-form-urlencoded")
    }

    /// A JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.body = serde_json::to_vec(value).expect("JSON encodes");
        self.header("content-type", "application/json")
    }

    /// A raw body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends it to the router.
    pub async fn send(self) -> TestResponse {
        let mut req = Request::builder()
            .method(self.method)
            .uri(&self.path)
            .body(Body::from(self.body))
            .expect("request");
        *req.headers_mut() = self.headers;
        if let Some(c) = self.client.cookie_header() {
            req.headers_mut()
                .insert(header::COOKIE, HeaderValue::from_str(&c).expect("cookie"));
        }
        let res = self
            .client
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("the router answers");
        self.client.remember(res.headers());
        let (parts, body) = res.into_parts();
        let body = body.collect().await.expect("response body").to_bytes();
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body: body.to_vec(),
        }
    }
}

/// A response, with its body read.
#[derive(Debug)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl TestResponse {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Location` header, or "".
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    /// The body as bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (Null when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
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

/// The app served on a real socket (port 0), with the demo loaded: for the browser tests.
#[derive(Debug)]
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The services behind the app.
    pub services: Services,
    /// The database.
    pub db: TestDb,
    /// Ids made by the demo loader.
    pub demo: jimoto_demo::DemoIds,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Serves the app with the demo on port 0 over a fresh database on `engine`.
pub async fn spawn_server(engine: Engine) -> TestServer {
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
    TestServer {
        address: format!("http://{addr}"),
        services,
        db,
        demo,
        shutdown: Some(tx),
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
