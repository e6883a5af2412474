//! Typed identifiers, so a resident id can never be passed where a region id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A region: one municipality's local-telework program.
    RegionId
);
id_type!(
    /// An organisation: company, municipality, school or coordinator body.
    OrganisationId
);
id_type!(
    /// A resident teleworker's profile.
    ResidentId
);
id_type!(
    /// A login account.
    UserId
);
id_type!(
    /// A personal access token.
    TokenId
);
id_type!(
    /// An entry of the audit log.
    AuditId
);
id_type!(
    /// A program: a seminar, a course, a workshop, a tour.
    ProgramId
);
id_type!(
    /// One session of a program (a date, a time, a place).
    SessionId
);
id_type!(
    /// A task in an organisation's inventory (業務の棚卸し).
    TaskId
);
id_type!(
    /// A job posting.
    PostingId
);
id_type!(
    /// A resident's application to a posting.
    ApplicationId
);
id_type!(
    /// A stage of an organisation's selection.
    StageId
);
id_type!(
    /// An engagement: a contract between an organisation and a resident.
    EngagementId
);
id_type!(
    /// One pay period of an engagement (a month, clipped to the contract).
    PeriodId
);
id_type!(
    /// A criterion of an organisation's evaluation rubric.
    CriterionId
);
id_type!(
    /// An evaluation of an engagement over a period.
    EvaluationId
);
id_type!(
    /// A co-creation project between organisations.
    ProjectId
);
id_type!(
    /// A KPI plan: targets and published figures for some regions over a period.
    PlanId
);
