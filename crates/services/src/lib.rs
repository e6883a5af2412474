//! Jimoto's use cases. Each public method is one use case: it checks the actor's permission
//! through [`jimoto_domain::Actor::may`], validates input, runs in one transaction and writes
//! the audit log in that same transaction.

mod accounts;
mod audit;
mod auth;
mod error;
mod organisations;
mod regions;
mod residents;

use std::sync::Arc;
use std::time::Duration;

use jimoto_store::Db;

pub use accounts::{AccountScope, NewAccount};
pub use auth::{LoginOutcome, SessionContext, hash_password};
pub use error::{ServiceError, ServiceResult};
pub use jimoto_store::{Page, PageRequest};
pub use organisations::OrganisationView;
pub use regions::RegionOverview;

/// Tunables of the services, from the application's settings.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// How long a browser session lives without activity.
    pub session_ttl: Duration,
    /// Failed logins for one login name within `lockout` that lock it.
    pub max_failed_logins: i64,
    /// Failed logins from one address within `lockout` that lock the address.
    pub max_failed_logins_per_ip: i64,
    /// The throttling window.
    pub lockout: Duration,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(12 * 3600),
            max_failed_logins: 5,
            max_failed_logins_per_ip: 50,
            lockout: Duration::from_secs(15 * 60),
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
}

/// The rule for acting on one record: a record the actor may not see is "not found" (an id
/// from another region or company reveals nothing); one they see but may not change is
/// "forbidden".
pub(crate) fn authorize(
    actor: &jimoto_domain::Actor,
    view: jimoto_domain::Action,
    act: jimoto_domain::Action,
) -> ServiceResult<()> {
    if !actor.may(view) {
        Err(ServiceError::NotFound)
    } else if !actor.may(act) {
        Err(ServiceError::Forbidden)
    } else {
        Ok(())
    }
}

/// Normalises and validates a region-scoped input and checks that its region exists.
pub(crate) async fn checked_in_region<T: jimoto_domain::RegionScopedInput>(
    conn: &mut jimoto_store::Conn,
    input: T,
) -> ServiceResult<T> {
    let input = input.normalised();
    input
        .validate()
        .map_err(|e| jimoto_domain::ValidationFailure::from_validator(&e))?;
    if jimoto_store::regions::get(conn, input.region_id())
        .await?
        .is_none()
    {
        return Err(jimoto_domain::ValidationFailure::single("region_id", "unknown").into());
    }
    Ok(input)
}

impl Services {
    /// Services over `db`.
    pub fn new(db: Db, config: ServiceConfig) -> Self {
        Self {
            inner: Arc::new(Inner { db, config }),
        }
    }

    /// The database (for health checks and shutdown).
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    fn config(&self) -> &ServiceConfig {
        &self.inner.config
    }
}
