//! What happens around a program besides attendance: what participants said (voices, quoted
//! only with their consent), and for company seminars and workation tours the organisations that
//! came, their people, why they came, how they will stay involved, and the follow-up actions a
//! coordinator owes them until each is done.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::ids::{OrganisationId, ProgramId, RegionId, ResidentId, SessionId, UserId};
use crate::limits;
use crate::text_enum;

text_enum!(
    /// Where a follow-up action stands.
    FollowUpStatus {
        /// Not started.
        Open = "open",
        /// Under way.
        InProgress = "in_progress",
        /// Done: no longer listed for the coordinator.
        Done = "done",
    }
);

/// What a participant said about a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Voice {
    /// Id.
    pub id: i64,
    /// The session.
    pub session_id: SessionId,
    /// Its date.
    pub session_date: NaiveDate,
    /// The program.
    pub program_id: ProgramId,
    /// Who said it, when recorded (seen only by those who see the program's people).
    pub resident_id: Option<ResidentId>,
    /// Their name (same visibility).
    pub resident_name: Option<String>,
    /// What they said.
    pub body: String,
    /// They agreed to be quoted (in reports and on the program's page, without their name).
    pub may_quote: bool,
    /// How a quote is credited, e.g. 「30代・子育て中」.
    pub attribution: String,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A voice to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct VoiceInput {
    /// The session (of the program).
    pub session_id: SessionId,
    /// Who said it (a person on the program's list), if known.
    #[serde(default)]
    pub resident_id: Option<ResidentId>,
    /// What they said.
    #[validate(length(min = 1, max = limits::NOTE_MAX))]
    pub body: String,
    /// They agreed to be quoted.
    #[serde(default)]
    pub may_quote: bool,
    /// How a quote is credited (no name).
    #[validate(length(max = limits::NAME_MAX))]
    #[serde(default)]
    pub attribution: String,
}

/// An organisation at a company seminar or a workation tour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventOrganisation {
    /// Id.
    pub id: i64,
    /// The program.
    pub program_id: ProgramId,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// Why it joined, e.g. 「テレワーク人材の採用」.
    pub purpose: String,
    /// How it will stay involved afterwards, e.g. 「サテライトオフィス設置の検討」.
    pub involvement: String,
    /// Its people recorded at the event.
    pub people: i64,
    /// Its follow-up actions not yet done.
    pub open_follow_ups: i64,
}

/// An organisation to record at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct EventOrganisationInput {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Why it joined.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub purpose: String,
    /// How it will stay involved.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub involvement: String,
}

/// A person at a company seminar or a workation tour (not a resident: a company's staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventParticipant {
    /// Id.
    pub id: i64,
    /// The program.
    pub program_id: ProgramId,
    /// Their organisation, when it is on record.
    pub organisation_id: Option<OrganisationId>,
    /// Its name (the record's, or as they gave it).
    pub organisation_name: String,
    /// Their name.
    pub name: String,
    /// Their role, e.g. 代表取締役, 人事責任者.
    pub role: String,
}

/// A person to record at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ParticipantInput {
    /// Their organisation, when it is on record (one recorded at the event).
    #[serde(default)]
    pub organisation_id: Option<OrganisationId>,
    /// Its name as they gave it, when it is not on record.
    #[validate(length(max = limits::NAME_MAX))]
    #[serde(default)]
    pub organisation_name: String,
    /// Their name.
    #[validate(length(min = 1, max = limits::NAME_MAX))]
    pub name: String,
    /// Their role.
    #[validate(length(max = limits::NAME_MAX))]
    #[serde(default)]
    pub role: String,
}

/// A follow-up action after an event: who owes what to whom, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FollowUp {
    /// Id.
    pub id: i64,
    /// The event.
    pub program_id: ProgramId,
    /// Its title.
    pub program_title: String,
    /// Its region.
    pub region_id: RegionId,
    /// The organisation it concerns, if one.
    pub organisation_id: Option<OrganisationId>,
    /// Its name.
    pub organisation_name: Option<String>,
    /// What is to be done.
    pub action: String,
    /// Who does it.
    pub owner_user_id: UserId,
    /// Their name.
    pub owner_name: String,
    /// By when.
    pub due: NaiveDate,
    /// Where it stands.
    pub status: FollowUpStatus,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
}

impl FollowUp {
    /// Not done and past its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status != FollowUpStatus::Done && self.due < today
    }
}

/// A follow-up action to add or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct FollowUpInput {
    /// The organisation it concerns (one recorded at the event), if one.
    #[serde(default)]
    pub organisation_id: Option<OrganisationId>,
    /// What is to be done.
    #[validate(length(min = 1, max = limits::NOTE_MAX))]
    pub action: String,
    /// Who does it: a coordinator or staff member of the region.
    pub owner_user_id: UserId,
    /// By when.
    pub due: NaiveDate,
    /// Where it stands.
    #[serde(default = "open")]
    pub status: FollowUpStatus,
}

fn open() -> FollowUpStatus {
    FollowUpStatus::Open
}

/// A company event's figures: organisations and their people (each person once: 実人数).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventCounts {
    /// Organisations recorded at the event.
    pub organisations: i64,
    /// People recorded (unique people, 実人数).
    pub people: i64,
    /// Organisations with a purpose recorded.
    pub with_purpose: i64,
    /// Follow-up actions, and those not done.
    pub follow_ups: i64,
    /// Follow-up actions not done.
    pub open_follow_ups: i64,
}
