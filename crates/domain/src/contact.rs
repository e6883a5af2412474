//! Contacts with a resident — a call, a visit, a message — recorded by their coordinators, so
//! that a person can be reached before they drift away between a course and paid work.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::ids::{RegionId, ResidentId, UserId};
use crate::{limits, text_enum};

text_enum!(
    /// How the coordinator was in touch.
    ContactKind {
        /// A phone call.
        Call = "call",
        /// A visit or a meeting in person.
        Visit = "visit",
        /// A message: e-mail, LINE, a letter.
        Message = "message",
    }
);

/// A recorded contact. Its note is for the resident's coordinators only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    /// Id.
    pub id: i64,
    /// The resident.
    pub resident_id: ResidentId,
    /// Their region.
    pub region_id: RegionId,
    /// The day it happened (Japan).
    pub contacted_on: NaiveDate,
    /// How.
    pub kind: ContactKind,
    /// What was said or agreed.
    pub note: String,
    /// Who recorded it.
    pub by_user_id: Option<UserId>,
    /// Their name.
    pub by_name: String,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A contact to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ContactInput {
    /// The day it happened (Japan); not in the future.
    pub contacted_on: NaiveDate,
    /// How.
    pub kind: ContactKind,
    /// What was said or agreed (up to 2,000 characters).
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub note: String,
}
