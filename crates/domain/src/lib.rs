//! Jimoto's domain: the types and rules of local telework, with no I/O.
//!
//! Everything here is pure so that the store, the services and the web layer share one
//! definition of what a valid region, organisation or resident is, one policy for who may do
//! what (see [`policy`]), and one way of folding Japanese text for search (see [`text`]).

mod codes;

pub mod audit;
pub mod calendar;
pub mod contact;
pub mod error;
pub mod event;
pub mod forecast;
pub mod growth;
pub mod home;
pub mod ids;
pub mod kpi;
pub mod lg_code;
pub mod limits;
pub mod municipality;
pub mod organisation;
pub mod page;
pub mod policy;
pub mod program;
pub mod project;
pub mod region;
pub mod resident;
pub mod roster;
pub mod text;
pub mod user;
pub mod work;

pub use error::{FieldError, ValidationFailure};
pub use ids::{
    ApplicationId, AuditId, CriterionId, EngagementId, EvaluationId, OrganisationId, PeriodId,
    PlanId, PostingId, ProgramId, ProjectId, RegionId, ResidentId, SessionId, StageId, TaskId,
    TokenId, UserId,
};
pub use lg_code::LgCode;
pub use page::{Cursor, Page, PageRequest, Total};
pub use policy::{
    AccountAction, AccountScope, Action, Actor, AuditAction, KpiAction, OrganisationAction,
    Principal, ProgramAction, RegionAction, RegionScope, ResidentAction, WorkAction,
};
pub use user::{Lang, Role};

/// Input for a record that belongs to one region: the services normalise and validate it
/// the same way and check that its region exists.
pub trait RegionScopedInput: validator::Validate + Sized {
    /// Trimmed and de-duplicated, so that blank text counts as empty.
    fn normalised(self) -> Self;
    /// The region the record belongs to.
    fn region_id(&self) -> RegionId;
    /// What the input's validation finds once normalised (nothing when it is valid).
    fn problems(&self) -> Vec<FieldError>
    where
        Self: Clone,
    {
        match self.clone().normalised().validate() {
            Ok(()) => vec![],
            Err(e) => ValidationFailure::from_validator(&e).0,
        }
    }
}
