//! Applications and selection: a resident applies to a posting (and may withdraw); the
//! organisation moves the application through its own stages, with notes and ratings per stage
//! seen only by that organisation and the coordinators of the applicant's region, until it hires
//! or declines. The outreach channel that brought the resident stays with the application.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::growth::Channel;
use crate::ids::{ApplicationId, OrganisationId, PostingId, RegionId, ResidentId, StageId, UserId};
use crate::{limits, text_enum};

text_enum!(
    /// Where an application ends up.
    ApplicationStatus {
        /// In selection.
        Active = "active",
        /// Hired: an engagement follows.
        Hired = "hired",
        /// Declined by the organisation.
        Declined = "declined",
        /// Withdrawn by the resident.
        Withdrawn = "withdrawn",
    }
);

impl ApplicationStatus {
    /// Whether the application is still in selection.
    pub fn is_open(self) -> bool {
        self == Self::Active
    }
}

text_enum!(
    /// The stages every organisation starts with (it may rename, add or remove them).
    DefaultStage {
        /// 応募
        Applied = "applied",
        /// 書類選考
        Screening = "screening",
        /// 現場メンバーとの面談
        TeamInterview = "team_interview",
        /// リーダーとの面談
        LeaderTalk = "leader_talk",
        /// 内定
        Offer = "offer",
    }
);

/// One stage of an organisation's selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SelectionStage {
    /// Id.
    pub id: StageId,
    /// Its place in the order, from 1.
    pub position: i64,
    /// One of the default stages (its label is translated), or None for the organisation's own.
    pub code: Option<DefaultStage>,
    /// The organisation's own name (empty for a default stage).
    pub name: String,
}

/// An application as its viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Application {
    /// Id.
    pub id: ApplicationId,
    /// The posting.
    pub posting_id: PostingId,
    /// Its title.
    pub posting_title: String,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// The applicant's region.
    pub region_id: RegionId,
    /// The applicant.
    pub resident_id: ResidentId,
    /// Their name.
    pub resident_name: String,
    /// How they first heard of the program.
    pub channel: Channel,
    /// What they wrote.
    pub message: String,
    /// Status.
    pub status: ApplicationStatus,
    /// The stage it is at.
    pub stage_id: Option<StageId>,
    /// When they applied.
    pub applied_at: DateTime<Utc>,
    /// When it was decided (hired, declined or withdrawn).
    pub decided_at: Option<DateTime<Utc>>,
}

/// What a resident sends with an application.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema,
)]
pub struct ApplicationInput {
    /// A few words to the company.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub message: String,
    /// The resident a coordinator applies for (None: the signed-in resident).
    #[serde(default)]
    pub resident_id: Option<ResidentId>,
}

/// A note at a stage, with an optional rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct NoteInput {
    /// The stage it is about (one of the organisation's).
    pub stage_id: StageId,
    /// 1–5.
    #[validate(range(min = limits::RATING.0, max = limits::RATING.1))]
    #[serde(default)]
    pub rating: Option<i64>,
    /// What was observed.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub body: String,
}

/// A stored note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Note {
    /// Id.
    pub id: i64,
    /// Stage.
    pub stage_id: Option<StageId>,
    /// Rating.
    pub rating: Option<i64>,
    /// Text.
    pub body: String,
    /// Who wrote it.
    pub by_user_id: Option<UserId>,
    /// Their name.
    pub by_name: String,
    /// When.
    pub at: DateTime<Utc>,
}
