//! Programs a region runs to grow people: seminars, IT courses, workshops, results
//! presentations, e-learning, company seminars and workation tours; each a series of sessions
//! (a date, a time, a place or a link) that one enrolment covers.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::error::{FieldError, ValidationFailure};
use crate::ids::{OrganisationId, ProgramId, RegionId, SessionId};
use crate::{limits, text_enum};

text_enum!(
    /// What kind of program.
    ProgramKind {
        /// テレワーク入門セミナー.
        IntroSeminar = "intro_seminar",
        /// IT基礎講座（初級）.
        ItBasicsBeginner = "it_basics_beginner",
        /// IT基礎講座（中級）.
        ItBasicsIntermediate = "it_basics_intermediate",
        /// ワークショップ.
        Workshop = "workshop",
        /// 成果発表会.
        ResultsPresentation = "results_presentation",
        /// eラーニング.
        ELearning = "e_learning",
        /// 企業向けセミナー (for urban companies).
        CompanySeminar = "company_seminar",
        /// 地域向けDXセミナー: for local companies, residents and schools together; its
        /// participants are recorded by organisation, like a company seminar's.
        LocalSeminar = "local_seminar",
        /// ワーケーションツアー.
        WorkationTour = "workation_tour",
    }
);

text_enum!(
    /// Whom a program is for.
    Audience {
        /// Residents of the region.
        Residents = "residents",
        /// Companies, urban and local.
        Companies = "companies",
        /// Students.
        Students = "students",
    }
);

text_enum!(
    /// How a program is completed.
    CompletionRule {
        /// By attending at least a share of the sessions ([`Program::min_attendance_percent`]).
        Attendance = "attendance",
        /// When the coordinator marks it.
        Manual = "manual",
    }
);

text_enum!(
    /// What a partner organisation does in a program.
    PartnerRole {
        /// Co-hosts it (the city: "the city runs it" is why residents trust a program).
        CoHost = "co_host",
        /// Provides the course or the work it leads to (a company).
        Provider = "provider",
        /// Supports it otherwise (a school, a bank spreading the word).
        Supporter = "supporter",
    }
);

text_enum!(
    /// Where a session takes place.
    SessionMode {
        /// At a venue.
        Venue = "venue",
        /// Online.
        Online = "online",
        /// At a venue and online.
        Hybrid = "hybrid",
    }
);

/// An organisation taking part in a program, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Partner {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its part.
    pub role: PartnerRole,
}

/// A stored program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Program {
    /// Id.
    pub id: ProgramId,
    /// The region running it.
    pub region_id: RegionId,
    /// Kind.
    pub kind: ProgramKind,
    /// Whom it is for.
    pub audience: Audience,
    /// Title, e.g. 「IT基礎講座（初級）」.
    pub title: String,
    /// What it is and what it leads to.
    pub description: String,
    /// The organisation running it (the coordinator body).
    pub organiser_id: OrganisationId,
    /// Partner organisations (the city as co-host, a company as provider…).
    pub partners: Vec<Partner>,
    /// Places (None: no limit).
    pub capacity: Option<i64>,
    /// How it is completed.
    pub completion: CompletionRule,
    /// For [`CompletionRule::Attendance`]: the share of sessions to attend, in percent.
    pub min_attendance_percent: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Program {
    /// Whether an organisation runs this program or takes part in it.
    pub fn involves(&self, organisation: OrganisationId) -> bool {
        self.organiser_id == organisation
            || self
                .partners
                .iter()
                .any(|p| p.organisation_id == organisation)
    }
}

/// What a coordinator submits to create or change a program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ProgramInput {
    /// The region running it.
    pub region_id: RegionId,
    /// Kind.
    pub kind: ProgramKind,
    /// Whom it is for.
    pub audience: Audience,
    /// Title.
    #[validate(length(min = 1, max = limits::TITLE_MAX))]
    pub title: String,
    /// What it is and what it leads to.
    #[validate(length(max = limits::DESCRIPTION_MAX))]
    #[serde(default)]
    pub description: String,
    /// The organisation running it.
    pub organiser_id: OrganisationId,
    /// Partner organisations (at most 20, each once).
    #[validate(length(max = limits::PARTNERS_MAX))]
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// Places, 1–100,000 (absent: no limit).
    #[validate(range(min = limits::CAPACITY.0, max = limits::CAPACITY.1))]
    #[serde(default)]
    pub capacity: Option<i64>,
    /// How it is completed.
    pub completion: CompletionRule,
    /// For attendance: the share of sessions, 1–100 percent (required then).
    #[validate(range(min = limits::PERCENT_MIN_ATTENDANCE.0, max = limits::PERCENT_MIN_ATTENDANCE.1))]
    #[serde(default)]
    pub min_attendance_percent: Option<i64>,
}

impl crate::RegionScopedInput for ProgramInput {
    fn region_id(&self) -> RegionId {
        self.region_id
    }

    /// Trims text, drops a partner named twice (the first part stays) and the attendance
    /// share of a manually completed program.
    fn normalised(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.description = self.description.trim().to_owned();
        let mut seen = Vec::new();
        self.partners.retain(|p| {
            let fresh = !seen.contains(&p.organisation_id);
            seen.push(p.organisation_id);
            fresh
        });
        if self.completion == CompletionRule::Manual {
            self.min_attendance_percent = None;
        }
        self
    }
}

impl ProgramInput {
    /// Rules across fields: an attendance rule needs its share.
    pub fn cross_checks(&self) -> Result<(), ValidationFailure> {
        let mut errors = Vec::new();
        if self.completion == CompletionRule::Attendance && self.min_attendance_percent.is_none() {
            errors.push(FieldError::new("min_attendance_percent", "required"));
        }
        ValidationFailure(errors).into_result()
    }
}

/// One session of a program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Session {
    /// Id.
    pub id: SessionId,
    /// Its program.
    pub program_id: ProgramId,
    /// The program's region.
    pub region_id: RegionId,
    /// Date (Japan).
    pub date: NaiveDate,
    /// Starts (Japan time).
    #[schema(value_type = String, example = "13:30")]
    pub starts_at: NaiveTime,
    /// Ends (Japan time).
    #[schema(value_type = String, example = "15:30")]
    pub ends_at: NaiveTime,
    /// Where.
    pub mode: SessionMode,
    /// Venue name, e.g. 萩・明倫学舎 (venue and hybrid).
    pub venue_name: String,
    /// Venue address.
    pub venue_address: String,
    /// Link for online and hybrid sessions.
    pub online_url: String,
}

/// A session to add or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct SessionInput {
    /// Date (Japan).
    pub date: NaiveDate,
    /// Starts (Japan time), `HH:MM`.
    #[schema(value_type = String, example = "13:30")]
    pub starts_at: NaiveTime,
    /// Ends (Japan time), after it starts.
    #[schema(value_type = String, example = "15:30")]
    pub ends_at: NaiveTime,
    /// Where.
    pub mode: SessionMode,
    /// Venue name (required at a venue).
    #[validate(length(max = limits::NAME_MAX))]
    #[serde(default)]
    pub venue_name: String,
    /// Venue address.
    #[validate(length(max = limits::ADDRESS_MAX))]
    #[serde(default)]
    pub venue_address: String,
    /// Link (required online), `https://…`.
    #[validate(length(max = limits::URL_MAX))]
    #[serde(default)]
    pub online_url: String,
}

impl SessionInput {
    /// Trimmed text; a venue-only session has no link, an online one no venue.
    pub fn normalised(mut self) -> Self {
        self.venue_name = self.venue_name.trim().to_owned();
        self.venue_address = self.venue_address.trim().to_owned();
        self.online_url = self.online_url.trim().to_owned();
        match self.mode {
            SessionMode::Venue => self.online_url.clear(),
            SessionMode::Online => {
                self.venue_name.clear();
                self.venue_address.clear();
            }
            SessionMode::Hybrid => {}
        }
        self
    }

    /// Every problem at once: limits, the order of the times, the venue or link the mode needs.
    pub fn check(&self) -> Result<(), ValidationFailure> {
        let mut errors = match self.validate() {
            Ok(()) => vec![],
            Err(e) => ValidationFailure::from_validator(&e).0,
        };
        if self.ends_at <= self.starts_at {
            errors.push(FieldError::new("ends_at", "ends_before_start"));
        }
        let venue = matches!(self.mode, SessionMode::Venue | SessionMode::Hybrid);
        let online = matches!(self.mode, SessionMode::Online | SessionMode::Hybrid);
        if venue && self.venue_name.is_empty() {
            errors.push(FieldError::new("venue_name", "required"));
        }
        if online && !self.online_url.starts_with("https://") {
            errors.push(FieldError::new("online_url", "https_url"));
        }
        ValidationFailure(errors).into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> SessionInput {
        SessionInput {
            date: NaiveDate::from_ymd_opt(2023, 11, 18).unwrap(),
            starts_at: NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
            ends_at: NaiveTime::from_hms_opt(15, 30, 0).unwrap(),
            mode: SessionMode::Venue,
            venue_name: "萩・明倫学舎".into(),
            venue_address: "山口県萩市江向602".into(),
            online_url: String::new(),
        }
    }

    #[test]
    fn a_session_needs_what_its_mode_needs() {
        assert!(session().normalised().check().is_ok());
        let mut s = session();
        s.mode = SessionMode::Hybrid;
        s.ends_at = s.starts_at;
        let codes: Vec<_> = s
            .normalised()
            .check()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("ends_at".into(), "ends_before_start".into()),
                ("online_url".into(), "https_url".into())
            ]
        );
        let mut s = session();
        s.mode = SessionMode::Online;
        s.online_url = "https://meet.example.jp/abc".into();
        let s = s.normalised();
        assert!(s.check().is_ok() && s.venue_name.is_empty());
    }
}
