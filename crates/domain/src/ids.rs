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
