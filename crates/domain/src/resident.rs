//! Resident teleworkers' profiles: who they are, what they can do, when, and how they want to work.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::ids::{RegionId, ResidentId, UserId};
use crate::{limits, text_enum};

text_enum!(
    /// How a resident wants to work (the three styles the programs offer).
    WorkStyle {
        /// テレワーク就職: employment, working remotely.
        TeleworkEmployment = "telework_employment",
        /// すきま時間テレワーク: tasks in spare hours.
        SpareTime = "spare_time",
        /// テレワーク移住: moving to the region while keeping a remote job.
        TeleworkMigration = "telework_migration",
    }
);

text_enum!(
    /// When in the week a resident can work.
    TimeWindow {
        /// 平日午前
        WeekdayMorning = "weekday_morning",
        /// 平日午後
        WeekdayAfternoon = "weekday_afternoon",
        /// 平日夜間
        WeekdayEvening = "weekday_evening",
        /// 土日祝
        Weekend = "weekend",
    }
);

text_enum!(
    /// How often a resident is willing to visit an office.
    OfficeVisits {
        /// Never: fully remote.
        Never = "never",
        /// About once a month.
        Monthly = "monthly",
        /// About once a week.
        Weekly = "weekly",
    }
);

/// Sensitive: why a resident needs flexible work. Seen only by the resident and the
/// coordinators of their region; everyone else receives `None`.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema,
)]
pub struct Circumstances {
    /// Raising children.
    #[serde(default)]
    pub childcare: bool,
    /// Caring for a relative.
    #[serde(default)]
    pub care: bool,
    /// Under medical treatment.
    #[serde(default)]
    pub treatment: bool,
    /// Free-text note.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub note: String,
}

/// A skill with a self- or coordinator-assessed level from 1 (beginner) to 5 (expert).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct Skill {
    /// Skill name, e.g. Excel, AIアノテーション, GIS.
    #[validate(length(min = 1, max = limits::SKILL_NAME_MAX))]
    pub name: String,
    /// 1–5.
    #[validate(range(min = limits::LEVEL.0, max = limits::LEVEL.1))]
    pub level: i64,
}

/// A stored resident profile as one viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Resident {
    /// Id.
    pub id: ResidentId,
    /// Region of residence.
    pub region_id: RegionId,
    /// Their login, if they have one.
    pub user_id: Option<UserId>,
    /// Full name, e.g. 山田 花子.
    pub name: String,
    /// Reading in katakana.
    pub name_kana: String,
    /// E-mail address.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Sensitive circumstances; `None` when the viewer may not see them.
    pub circumstances: Option<Circumstances>,
    /// Skills with levels.
    pub skills: Vec<Skill>,
    /// Spare hours per week.
    pub spare_hours_per_week: i64,
    /// When they can work.
    pub time_windows: Vec<TimeWindow>,
    /// How they want to work.
    pub work_styles: Vec<WorkStyle>,
    /// How often they would visit an office.
    pub office_visits: OfficeVisits,
    /// Longest trip to an office they accept, in minutes (when they visit at all).
    pub max_travel_minutes: Option<i64>,
    /// The day they moved out of the region, if they did (they keep their record: the KPIs count
    /// who stayed).
    pub moved_away_on: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a user submits to create or change a resident profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ResidentInput {
    /// Region of residence.
    pub region_id: RegionId,
    /// Full name.
    #[validate(length(min = 1, max = limits::NAME_MAX))]
    pub name: String,
    /// Reading in katakana.
    #[validate(length(min = 1, max = limits::KANA_MAX), custom(function = "validate_kana"))]
    pub name_kana: String,
    /// E-mail address (optional).
    #[validate(length(max = limits::EMAIL_MAX), custom(function = "validate_optional_email"))]
    #[serde(default)]
    pub email: String,
    /// Phone number (optional).
    #[validate(length(max = limits::PHONE_MAX), custom(function = "validate_phone"))]
    #[serde(default)]
    pub phone: String,
    /// Sensitive circumstances. Ignored unless the user may see them.
    #[validate(nested)]
    #[serde(default)]
    pub circumstances: Circumstances,
    /// Skills (at most 30).
    #[validate(length(max = limits::SKILLS_MAX), nested)]
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// Spare hours per week, 0–80. Required: nothing is assumed for a person.
    #[validate(range(min = limits::HOURS.0, max = limits::HOURS.1))]
    pub spare_hours_per_week: i64,
    /// When they can work.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// How they want to work.
    #[serde(default)]
    pub work_styles: Vec<WorkStyle>,
    /// Office visits.
    pub office_visits: OfficeVisits,
    /// Longest accepted trip in minutes, 0–600.
    #[validate(range(min = limits::TRAVEL_MINUTES.0, max = limits::TRAVEL_MINUTES.1))]
    #[serde(default)]
    pub max_travel_minutes: Option<i64>,
    /// The day they moved out of the region (転出日), if they did.
    #[serde(default)]
    pub moved_away_on: Option<NaiveDate>,
}

impl crate::RegionScopedInput for ResidentInput {
    fn region_id(&self) -> RegionId {
        self.region_id
    }

    /// Trims text, drops blank skills and duplicate choices.
    fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        // Readings arrive in hiragana or half-width katakana as often as in katakana.
        self.name_kana = crate::text::to_katakana(self.name_kana.trim());
        self.email = self.email.trim().to_owned();
        self.phone = crate::text::plain_phone(&self.phone);
        self.circumstances.note = self.circumstances.note.trim().to_owned();
        for s in &mut self.skills {
            s.name = s.name.trim().to_owned();
        }
        self.skills.retain(|s| !s.name.is_empty());
        self.time_windows.sort();
        self.time_windows.dedup();
        self.work_styles.sort();
        self.work_styles.dedup();
        if self.office_visits == OfficeVisits::Never {
            self.max_travel_minutes = None;
        }
        self
    }
}

/// Filters for the resident list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResidentFilter {
    /// Text in the name or reading (any kana or width: やまだ finds ヤマダ).
    pub q: Option<String>,
    /// One region (must be within the caller's scope).
    pub region: Option<RegionId>,
    /// Wants this work style.
    pub work_style: Option<WorkStyle>,
    /// Has a skill whose name contains this text.
    pub skill: Option<String>,
}

/// Readings are written in katakana (spaces, the long-vowel mark and middle dot allowed).
pub fn validate_kana(s: &str) -> Result<(), validator::ValidationError> {
    let ok = s
        .chars()
        .all(|c| matches!(c, '\u{3099}'..='\u{309C}' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | ' ' | '\u{3000}'));
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("kana"))
    }
}

pub(crate) fn validate_optional_email(s: &str) -> Result<(), validator::ValidationError> {
    use validator::ValidateEmail;
    if s.is_empty() || s.validate_email() {
        Ok(())
    } else {
        Err(validator::ValidationError::new("email"))
    }
}

pub(crate) fn validate_phone(s: &str) -> Result<(), validator::ValidationError> {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let ok = s.is_empty()
        || (s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '(' | ')'))
            && (9..=15).contains(&digits));
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("phone"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RegionScopedInput, ValidationFailure};

    fn input() -> ResidentInput {
        ResidentInput {
            region_id: RegionId(1),
            name: "山田 花子".into(),
            name_kana: "ヤマダ ハナコ".into(),
            email: "hanako@example.jp".into(),
            phone: "0838-25-0000".into(),
            circumstances: Circumstances::default(),
            skills: vec![Skill {
                name: "Excel".into(),
                level: 3,
            }],
            spare_hours_per_week: 15,
            time_windows: vec![TimeWindow::WeekdayMorning],
            work_styles: vec![WorkStyle::SpareTime],
            office_visits: OfficeVisits::Monthly,
            max_travel_minutes: Some(30),
            moved_away_on: None,
        }
    }

    fn codes(i: ResidentInput) -> Vec<(String, String)> {
        match i.normalised().validate() {
            Ok(()) => vec![],
            Err(e) => ValidationFailure::from_validator(&e)
                .0
                .into_iter()
                .map(|f| (f.field, f.code))
                .collect(),
        }
    }

    #[test]
    fn a_good_profile_validates() {
        assert_eq!(codes(input()), vec![]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut i = input();
        i.name = "   ".into();
        i.name_kana = "山田".into();
        i.email = "not-an-email".into();
        i.spare_hours_per_week = 200;
        i.skills = vec![Skill {
            name: "GIS".into(),
            level: 9,
        }];
        assert_eq!(
            codes(i),
            vec![
                ("email".into(), "email".into()),
                ("name".into(), "required".into()),
                ("name_kana".into(), "kana".into()),
                ("skills[0].level".into(), "out_of_range".into()),
                ("spare_hours_per_week".into(), "out_of_range".into()),
            ]
        );
    }

    #[test]
    fn oversized_text_is_too_long() {
        let mut i = input();
        i.name = "あ".repeat(101);
        let e = input_errors(i);
        assert_eq!(e[0].code, "too_long");
        assert_eq!(e[0].params.get("max").map(String::as_str), Some("100"));
    }

    fn input_errors(i: ResidentInput) -> Vec<crate::FieldError> {
        ValidationFailure::from_validator(&i.validate().unwrap_err()).0
    }
}
