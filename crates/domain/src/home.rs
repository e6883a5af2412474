//! What each role's home page summarises: a region's figures for its city officials, and the
//! residents a coordinator should follow up.

use crate::ids::ResidentId;
use crate::resident::WorkStyle;
use crate::text_enum;

/// A region's residents in figures (no one named): for the city's staff and the coordinators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionFigures {
    /// Residents registered.
    pub residents: i64,
    /// Of them, with a login of their own.
    pub with_login: i64,
    /// Residents wanting each work style (one person may want several).
    pub by_work_style: Vec<(WorkStyle, i64)>,
    /// The commonest skills, with how many residents have each (at most five).
    pub top_skills: Vec<(String, i64)>,
    /// Spare hours a week, summed over everyone.
    pub weekly_hours: i64,
}

text_enum!(
    /// Why a resident needs a coordinator's attention.
    FollowUp {
        /// No skill recorded yet: nothing to match them with.
        NoSkills = "no_skills",
        /// No login yet: they cannot keep their profile up to date themselves.
        NoLogin = "no_login",
        /// Neither e-mail nor phone: no way to reach them.
        Unreachable = "unreachable",
        /// No contact recorded for [`STALE_DAYS`] days (or ever).
        NotContacted = "not_contacted",
    }
);

/// After how many days without a recorded contact a resident needs a call.
pub const STALE_DAYS: i64 = 90;

/// Residents needing one kind of follow-up: how many, and the first few by reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpList {
    /// Why.
    pub reason: FollowUp,
    /// How many residents (of the coordinator's regions).
    pub count: i64,
    /// The first few, by reading.
    pub first: Vec<(ResidentId, String)>,
}
