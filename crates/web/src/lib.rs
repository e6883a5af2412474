//! Jimoto's web layer: server-rendered pages in Japanese and English (askama templates,
//! Fluent translations; usable without JavaScript on a 360-px phone) and the JSON API under
//! `/api/v1` with its OpenAPI document generated from the handlers (utoipa).
//!
//! One folder per capability (`regions/`, `residents/`…: `mod.rs` with the routes, `pages.rs`,
//! `api.rs`), with its templates in `templates/<capability>/` and its strings in
//! `locales/<lang>/<capability>.ftl`. Around them: [`layout`] draws the frame and the error
//! page, [`error`] maps every error to HTTP once, [`session`] says who is asking. Handlers only
//! translate HTTP to service calls and back: no SQL here (the web crate does not depend on the
//! store), no HTML in the services.

mod accounts;
mod api;
mod audit;
mod auth;
mod body;
mod download;
mod error;
mod events;
mod form;
mod growth;
mod home;
mod i18n;
mod kpis;
mod layout;
mod me;
mod openapi;
mod organisations;
mod pickers;
mod programs;
mod regions;
mod request;
mod residents;
mod session;
mod settings;
mod upload;
mod work;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jimoto_services::{ServiceConfig, ServiceError, Services};
use tower_http::trace::TraceLayer;

pub use i18n::Tr;
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
        let (services, db) = Services::connect(
            &settings.database_url,
            settings.max_connections,
            settings.service_config(),
        )
        .await?;
        tracing::info!(engine = db.engine, applied = ?db.applied, version = db.version, "database ready");
        Ok(Self::with_services(settings, services))
    }

    /// Builds the app over existing services (tests, the demo).
    pub fn with_services(settings: Settings, services: Services) -> Self {
        let openapi = Arc::new(openapi::openapi_json());
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
        // Static files and the health check set no cookie: they are served with a public
        // cache header, and a shared cache must not hand one visitor's cookie to another.
        let statics = Router::new()
            .route("/healthz", get(healthz))
            .route("/static/app.css", get(css));
        let pages = Router::new()
            .merge(auth::page_routes())
            .merge(home::page_routes())
            .merge(regions::page_routes())
            .merge(organisations::page_routes())
            .merge(residents::page_routes())
            .merge(programs::page_routes())
            .merge(growth::page_routes())
            .merge(events::page_routes())
            .merge(work::page_routes())
            .merge(kpis::page_routes())
            .merge(accounts::page_routes())
            .merge(audit::page_routes())
            .merge(me::page_routes())
            .fallback(not_found)
            .layer(axum::middleware::from_fn_with_state(
                self.state.clone(),
                session::ensure_csrf_cookie,
            ));
        Router::new()
            .merge(statics)
            .merge(pages)
            .merge(openapi::routes())
            .with_state(self.state.clone())
            .layer(axum::middleware::from_fn(error::render_errors))
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
        services.close().await;
        result
    }
}

/// Liveness and database reachability, for load balancers.
async fn healthz(State(state): State<AppState>) -> Response {
    if state.services.healthy().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

async fn not_found(_ctx: session::Ctx) -> error::AppError {
    ServiceError::NotFound.into()
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
            max_failed_logins_everywhere: self.max_failed_logins_everywhere.max(1),
            max_failed_logins_per_ip: self.max_failed_logins_per_ip.max(1),
            lockout: Duration::from_secs(self.lockout_minutes.max(1) * 60),
            max_signups_per_ip: self.max_signups_per_ip.max(1),
            signup_window: Duration::from_secs(self.signup_window_minutes.max(1) * 60),
            stalled_days: self.stalled_days.max(1),
            pay_rules: jimoto_domain::work::PayRules {
                withholding_basis_points: self.withholding_basis_points.clamp(0, 10_000),
                withholding_high_basis_points: self.withholding_high_basis_points.clamp(0, 10_000),
                withholding_threshold_yen: self.withholding_threshold_yen.max(0),
            },
            // Each weight at most 1,000, so a fit stays within the 0–1,000 it is shown on.
            match_weights: jimoto_matching::score::Weights {
                skills: self.match_weight_skills.min(1000),
                hours: self.match_weight_hours.min(1000),
                pay: self.match_weight_pay.min(1000),
                stage: self.match_weight_stage.min(1000),
                locality: self.match_weight_locality.min(1000),
                style: self.match_weight_style.min(1000),
            },
        }
    }
}
