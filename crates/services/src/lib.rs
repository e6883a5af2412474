//! Jimoto's use cases. Each public method is one use case: it checks the actor's permission
//! through [`jimoto_domain::Actor::may`], validates input, runs in one transaction and writes
//! the audit log in that same transaction.
//!
//! The web layer depends on this crate and the domain only: what it needs of the store (lists,
//! filters, pages, records) is a domain type, and the database is opened through
//! [`Services::connect`].

mod accounts;
mod audit;
mod auth;
mod error;
mod events;
mod growth;
mod home;
mod imports;
mod kpis;
mod organisations;
mod programs;
mod regions;
mod residents;
mod work;

use std::sync::Arc;
use std::time::Duration;

use jimoto_domain::{Action, Actor, RegionScopedInput, ValidationFailure};
use jimoto_store::Db;

pub use accounts::{Handover, NewAccount, TEMPORARY_PASSWORD_DAYS};
pub use auth::{LoginOutcome, SessionContext, hash_password};
pub use error::{ServiceError, ServiceResult};
pub use events::EventView;
pub use growth::{CheckIn, GrowthView, PublicProgram};
pub use imports::read_table;
pub use organisations::OrganisationView;
pub use programs::ProgramView;
pub use regions::{HomeRegion, MunicipalityChoice};
pub use work::{
    ApplicationView, BoardPage, EngagementView, EvaluationForm, MAX_ACCEPTED, RecommendedJob,
    RecommendedPerson, TaskView, ThresholdView, Timesheet, income_so_far,
};

/// Tunables of the services, from the application's settings.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// How long a browser session lives without activity.
    pub session_ttl: Duration,
    /// Failed logins for one login name from one address within `lockout` that lock the login
    /// for that address.
    pub max_failed_logins: i64,
    /// Failed logins for one login name from anywhere within `lockout` that lock it for
    /// addresses it has not logged in from lately (its owner's usual places still get in).
    pub max_failed_logins_everywhere: i64,
    /// Failed logins from one address within `lockout` that lock the address.
    pub max_failed_logins_per_ip: i64,
    /// The throttling window.
    pub lockout: Duration,
    /// Public sign-ups accepted from one address within `signup_window`.
    pub max_signups_per_ip: i64,
    /// The sign-up throttling window.
    pub signup_window: Duration,
    /// Days without a next step after which a person is listed as stalled.
    pub stalled_days: i64,
    /// Income-tax withholding on fees (rates and the threshold of one payment).
    pub pay_rules: jimoto_domain::work::PayRules,
    /// How much each part of a fit weighs in recommendations and allocations.
    pub match_weights: jimoto_matching::score::Weights,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(12 * 3600),
            max_failed_logins: 5,
            max_failed_logins_everywhere: 20,
            max_failed_logins_per_ip: 50,
            lockout: Duration::from_secs(15 * 60),
            max_signups_per_ip: 10,
            signup_window: Duration::from_secs(3600),
            stalled_days: jimoto_domain::growth::DEFAULT_STALLED_DAYS,
            pay_rules: jimoto_domain::work::PayRules::default(),
            match_weights: jimoto_matching::score::Weights::default(),
        }
    }
}

/// The use cases, over one database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Services {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: Db,
    config: ServiceConfig,
    /// The key signing anonymous form tokens, read from the database once.
    form_key: tokio::sync::OnceCell<Vec<u8>>,
}

/// The engine and schema version a [`Services::connect`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseInfo {
    /// `sqlite` or `postgres`.
    pub engine: &'static str,
    /// Migrations applied now.
    pub applied: Vec<i64>,
    /// Schema version afterwards.
    pub version: i64,
}

/// The rule for acting on one record: a record the actor may not see is "not found" (an id
/// from another region or company reveals nothing); one they see but may not change is
/// "forbidden".
pub(crate) fn authorize(
    actor: &Actor,
    view: impl Into<Action>,
    act: impl Into<Action>,
) -> ServiceResult<()> {
    if !actor.may(view) {
        Err(ServiceError::NotFound)
    } else if !actor.may(act) {
        Err(ServiceError::Forbidden)
    } else {
        Ok(())
    }
}

/// Refuses with "forbidden" unless the actor may do `action`.
pub(crate) fn require(actor: &Actor, action: impl Into<Action>) -> ServiceResult<()> {
    if actor.may(action) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Normalises and validates a region-scoped input and checks that its region exists.
pub(crate) async fn checked_in_region<T: RegionScopedInput>(
    conn: &mut jimoto_store::Conn,
    input: T,
) -> ServiceResult<T> {
    let input = input.normalised();
    input
        .validate()
        .map_err(|e| ValidationFailure::from_validator(&e))?;
    if jimoto_store::regions::get(conn, input.region_id())
        .await?
        .is_none()
    {
        return Err(ValidationFailure::single("region_id", "unknown").into());
    }
    Ok(input)
}

impl Services {
    /// Services over `db`.
    pub fn new(db: Db, config: ServiceConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                config,
                form_key: tokio::sync::OnceCell::new(),
            }),
        }
    }

    /// Opens the database at `url` (`sqlite://…` or `postgres://…`), applies pending migrations
    /// and returns the services over it.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        config: ServiceConfig,
    ) -> ServiceResult<(Self, DatabaseInfo)> {
        let db = Db::connect(url, max_connections)
            .await
            .map_err(|e| ServiceError::Internal(format!("database: {e}")))?;
        let report = db
            .migrate()
            .await
            .map_err(|e| ServiceError::Internal(format!("migrations: {e}")))?;
        db.optimize(true)
            .await
            .map_err(|e| ServiceError::Internal(format!("statistics: {e}")))?;
        let info = DatabaseInfo {
            engine: db.engine().name(),
            applied: report.applied,
            version: report.current,
        };
        Ok((Self::new(db, config), info))
    }

    /// The key signing anonymous form tokens: shared by every app server on the database.
    pub(crate) async fn form_key(&self) -> ServiceResult<&[u8]> {
        let key = self
            .inner
            .form_key
            .get_or_try_init(|| async {
                let fresh = crate::auth::random_token()?;
                let mut conn = self.db().conn().await?;
                let stored =
                    jimoto_store::secrets::get_or_create(&mut conn, "form_token_key", &fresh)
                        .await?;
                Ok::<_, ServiceError>(stored.into_bytes())
            })
            .await?;
        Ok(key)
    }

    /// The database (for tests and tools that arrange data directly).
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Whether the database answers (for health checks).
    pub async fn healthy(&self) -> bool {
        match self.db().conn().await {
            Ok(_) => true,
            Err(e) => {
                tracing::error!(error = %e, "health check: database unreachable");
                false
            }
        }
    }

    /// Closes the database pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.db().close().await;
    }

    fn config(&self) -> &ServiceConfig {
        &self.inner.config
    }
}
