//! Jimoto's web layer: server-rendered pages in Japanese and English (askama templates,
//! Fluent translations; usable without JavaScript on a 360-px phone) and the JSON API under
//! `/api/v1` with its OpenAPI document generated from the handlers (utoipa).
//!
//! Handlers only translate HTTP to service calls and back: no SQL here, no HTML in the store.

mod api;
mod body;
mod error;
mod form;
mod i18n;
mod pages;
mod session;
mod settings;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use jimoto_services::{ServiceConfig, Services};
use jimoto_store::Db;
use tower_http::trace::TraceLayer;

pub use i18n::{Tr, translation_keys};
pub use settings::Settings;

/// Shared by every handler.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub services: Services,
    pub settings: Arc<Settings>,
    pub openapi: Arc<String>,
}

/// The application, built from settings: a thin `main` only builds and serves it.
#[derive(Debug)]
pub struct App {
    state: AppState,
}

impl App {
    /// Connects to the configured database, applies migrations and builds the app.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = Db::connect(&settings.database_url, settings.max_connections).await?;
        let report = db.migrate().await?;
        tracing::info!(engine = db.engine().name(), applied = ?report.applied, version = report.current, "database ready");
        let services = Services::new(db, settings.service_config());
        Ok(Self::with_services(settings, services))
    }

    /// Builds the app over existing services (tests, the demo).
    pub fn with_services(settings: Settings, services: Services) -> Self {
        let openapi = Arc::new(api::openapi_json());
        Self {
            state: AppState {
                services,
                settings: Arc::new(settings),
                openapi,
            },
        }
    }

    /// The services behind the app.
    pub fn services(&self) -> &Services {
        &self.state.services
    }

    /// All routes with their middleware.
    pub fn router(&self) -> Router {
        let limit = self.state.settings.body_limit_bytes;
        Router::new()
            .merge(pages::routes())
            .merge(api::routes())
            .with_state(self.state.clone())
            .layer(axum::Extension(session::SecureCookies(
                self.state.settings.secure_cookies,
            )))
            .layer(DefaultBodyLimit::max(limit))
            .layer(axum::middleware::from_fn(error::security_headers))
            .layer(TraceLayer::new_for_http())
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and closes the pool.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let services = self.state.services.clone();
        let purge = tokio::spawn(purge_loop(services.clone()));
        let router = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
        purge.abort();
        services.db().close().await;
        result
    }
}

/// Expired sessions and old login attempts are removed hourly.
async fn purge_loop(services: Services) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match services.purge_expired().await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged expired sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging sessions failed"),
        }
    }
}

/// Settings → service tunables.
impl Settings {
    fn service_config(&self) -> ServiceConfig {
        ServiceConfig {
            session_ttl: Duration::from_secs(self.session_ttl_hours.max(1) * 3600),
            max_failed_logins: self.max_failed_logins.max(1),
            max_failed_logins_per_ip: self.max_failed_logins_per_ip.max(1),
            lockout: Duration::from_secs(self.lockout_minutes.max(1) * 60),
        }
    }
}
