//! Job postings: what the work is, what it asks for, what it pays, when and where it is done.
//! Drafts may lack their pay; a posting is opened only once it says everything a resident needs
//! to decide ([`PostingInput::problems_to_open`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::error::FieldError;
use crate::ids::{OrganisationId, PostingId, RegionId, TaskId};
use crate::resident::{Skill, TimeWindow};
use crate::{limits, text_enum};

text_enum!(
    /// What kind of work (the board's filter; some decide income-tax withholding).
    Category {
        /// データ入力
        DataEntry = "data_entry",
        /// 経理・事務
        Accounting = "accounting",
        /// ライティング
        Writing = "writing",
        /// デザイン
        Design = "design",
        /// 動画編集
        Video = "video",
        /// Web制作・運用
        Web = "web",
        /// AIアノテーション
        Annotation = "annotation",
        /// GIS・地図データ
        Gis = "gis",
        /// ウェビナー・イベント運営
        EventOps = "event_ops",
        /// カスタマーサポート
        Support = "support",
        /// 翻訳
        Translation = "translation",
        /// リサーチ
        Research = "research",
        /// その他
        Other = "other",
    }
);

impl Category {
    /// Whether fees for this kind of work paid to an individual are subject to income-tax
    /// withholding (所得税法第204条第1項第1号: 原稿, デザイン, 翻訳 and the like).
    pub fn requires_withholding(self) -> bool {
        matches!(self, Self::Writing | Self::Design | Self::Translation)
    }

    /// Words a search should find this category by, besides its label: the other script's
    /// spelling of its name (ウェブ for Web).
    pub fn search_words(self) -> &'static str {
        match self {
            Self::DataEntry => "データ入力 data entry",
            Self::Accounting => "経理 事務 accounting",
            Self::Writing => "ライティング 執筆 writing",
            Self::Design => "デザイン design",
            Self::Video => "動画 編集 video",
            Self::Web => "web ウェブ ホームページ",
            Self::Annotation => "アノテーション ai annotation",
            Self::Gis => "gis 地図 map",
            Self::EventOps => "ウェビナー イベント 運営 webinar event",
            Self::Support => "サポート 問い合わせ support",
            Self::Translation => "翻訳 translation",
            Self::Research => "リサーチ 調査 research",
            Self::Other => "",
        }
    }
}

text_enum!(
    /// The step of the growth path a job suits.
    JobLevel {
        /// On-the-job training: for people straight from a course.
        Ojt = "ojt",
        /// A small job: a first paid task.
        SmallJob = "small_job",
        /// Recurring work.
        Recurring = "recurring",
    }
);

text_enum!(
    /// The contract a job is done under (after any trial period).
    ContractKind {
        /// 雇用: employment.
        Employment = "employment",
        /// 業務委託: outsourcing to an individual (the freelance act applies).
        Outsourcing = "outsourcing",
    }
);

text_enum!(
    /// How a job is paid.
    PayKind {
        /// By the hour.
        Hourly = "hourly",
        /// A fixed fee a month.
        Fixed = "fixed",
    }
);

text_enum!(
    /// Where the work is done.
    WorkPlace {
        /// Fully remote.
        Remote = "remote",
        /// Remote with office visits.
        Office = "office",
    }
);

text_enum!(
    /// Whether a posting is on the board.
    PostingStatus {
        /// Being written: seen by its organisation and the region's coordinators.
        Draft = "draft",
        /// On the public board, taking applications.
        Open = "open",
        /// No longer taking applications.
        Closed = "closed",
    }
);

/// A job posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Posting {
    /// Id.
    pub id: PostingId,
    /// The organisation offering the work.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// The region it recruits in.
    pub region_id: RegionId,
    /// That region's name.
    pub region_name: String,
    /// The task it came from.
    pub task_id: Option<TaskId>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Kind of work.
    pub category: Category,
    /// Skills asked for, with the level.
    pub skills: Vec<Skill>,
    /// Step of the growth path.
    pub level: JobLevel,
    /// Contract after any trial.
    pub contract: ContractKind,
    /// Months of trial first, if any.
    pub trial_months: Option<i64>,
    /// Hourly or fixed.
    pub pay_kind: PayKind,
    /// The hourly rate or the monthly fee, in yen (0 on a draft: not set yet).
    pub pay_yen: i64,
    /// What it comes to by the hour (a fixed fee over the hours it asks for), for the board.
    pub hourly_yen: i64,
    /// Hours a week.
    pub hours_per_week: i64,
    /// Working days a month.
    pub days_per_month: i64,
    /// When in the week.
    pub time_windows: Vec<TimeWindow>,
    /// Months it lasts (None: open-ended).
    pub duration_months: Option<i64>,
    /// People wanted.
    pub places: i64,
    /// Remote, or with office visits.
    pub work_place: WorkPlace,
    /// Office visits a month.
    pub office_visits_per_month: i64,
    /// The office (name or address).
    pub office_place: String,
    /// Draft, open or closed.
    pub status: PostingStatus,
    /// When it was first opened.
    pub published_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Posting {
    /// The posting as its form holds it (to edit it, or check it again before opening).
    pub fn input(&self) -> PostingInput {
        PostingInput {
            region_id: self.region_id,
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category,
            skills: self.skills.clone(),
            level: self.level,
            contract: self.contract,
            trial_months: self.trial_months,
            pay_kind: self.pay_kind,
            pay_yen: self.pay_yen,
            hours_per_week: self.hours_per_week,
            days_per_month: self.days_per_month,
            time_windows: self.time_windows.clone(),
            duration_months: self.duration_months,
            places: self.places,
            work_place: self.work_place,
            office_visits_per_month: self.office_visits_per_month,
            office_place: self.office_place.clone(),
        }
    }
}

/// What a company (or a coordinator on its behalf) writes in a posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct PostingInput {
    /// The region it recruits in (one its organisation works with).
    pub region_id: RegionId,
    /// Title.
    #[validate(length(min = 1, max = limits::TITLE_MAX))]
    pub title: String,
    /// Description.
    #[validate(length(max = limits::DESCRIPTION_MAX))]
    #[serde(default)]
    pub description: String,
    /// Kind of work.
    pub category: Category,
    /// Skills asked for.
    #[validate(length(max = limits::POSTING_SKILLS_MAX), nested)]
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// Step of the growth path.
    pub level: JobLevel,
    /// Contract after any trial.
    pub contract: ContractKind,
    /// Months of trial first.
    #[validate(range(min = limits::TRIAL_MONTHS.0, max = limits::TRIAL_MONTHS.1))]
    #[serde(default)]
    pub trial_months: Option<i64>,
    /// Hourly or fixed.
    pub pay_kind: PayKind,
    /// The hourly rate or the monthly fee, in yen.
    #[validate(range(min = limits::PAY_YEN.0, max = limits::PAY_YEN.1))]
    pub pay_yen: i64,
    /// Hours a week.
    #[validate(range(min = limits::WEEK_HOURS.0, max = limits::WEEK_HOURS.1))]
    pub hours_per_week: i64,
    /// Working days a month.
    #[validate(range(min = limits::MONTH_DAYS.0, max = limits::MONTH_DAYS.1))]
    pub days_per_month: i64,
    /// When in the week.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Months it lasts.
    #[validate(range(min = limits::DURATION_MONTHS.0, max = limits::DURATION_MONTHS.1))]
    #[serde(default)]
    pub duration_months: Option<i64>,
    /// People wanted.
    #[validate(range(min = limits::PLACES.0, max = limits::PLACES.1))]
    pub places: i64,
    /// Remote, or with office visits.
    pub work_place: WorkPlace,
    /// Office visits a month (office only).
    #[validate(range(min = limits::OFFICE_VISITS.0, max = limits::OFFICE_VISITS.1))]
    #[serde(default)]
    pub office_visits_per_month: i64,
    /// The office (office only).
    #[validate(length(max = limits::ADDRESS_MAX))]
    #[serde(default)]
    pub office_place: String,
}

impl PostingInput {
    /// Trimmed text, blank skills dropped, choices de-duplicated, no office for remote work.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.description = self.description.trim().to_owned();
        for s in &mut self.skills {
            s.name = s.name.trim().to_owned();
        }
        self.skills.retain(|s| !s.name.is_empty());
        self.time_windows.sort();
        self.time_windows.dedup();
        self.office_place = self.office_place.trim().to_owned();
        if self.work_place == WorkPlace::Remote {
            self.office_visits_per_month = 0;
            self.office_place.clear();
        }
        self
    }

    /// What the fields' own limits cannot say: office work names its visits and place; a skill
    /// is asked for once.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.work_place == WorkPlace::Office {
            if self.office_visits_per_month < 1 {
                out.push(FieldError::new("office_visits_per_month", "required"));
            }
            if self.office_place.is_empty() {
                out.push(FieldError::new("office_place", "required"));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.skills.iter().enumerate() {
            if !seen.insert(crate::text::fold(&s.name)) {
                out.push(FieldError::new(format!("skills[{i}].name"), "duplicate"));
            }
        }
        out
    }

    /// Everything the input's validation and [`Self::problems`] find (normalise first).
    pub fn all_problems(&self) -> Vec<FieldError> {
        let mut out = match self.validate() {
            Ok(()) => vec![],
            Err(e) => crate::ValidationFailure::from_validator(&e).0,
        };
        out.extend(self.problems());
        out
    }

    /// Everything [`Self::all_problems`] finds, and what a posting must say before it goes on
    /// the board: its pay.
    pub fn problems_to_open(&self) -> Vec<FieldError> {
        let mut out = self.all_problems();
        if self.pay_yen < 1 {
            out.push(FieldError::new("pay_yen", "required_to_open"));
        }
        out
    }

    /// What the pay comes to by the hour (see [`hourly_yen`]).
    pub fn hourly_yen(&self) -> i64 {
        hourly_yen(self.pay_kind, self.pay_yen, self.hours_per_week)
    }
}

/// An hourly rate as it is; a monthly fee over the hours a month it asks for (a month is 52/12
/// weeks), rounded to the nearest yen.
pub fn hourly_yen(kind: PayKind, pay_yen: i64, hours_per_week: i64) -> i64 {
    match kind {
        PayKind::Hourly => pay_yen,
        PayKind::Fixed => {
            let hours_x12 = hours_per_week.max(1) * 52;
            (pay_yen * 12 * 2 + hours_x12) / (hours_x12 * 2)
        }
    }
}

/// The job board's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct BoardFilter {
    /// Words in the title, description, skills, category or organisation (two characters or
    /// more; any kana or width).
    pub q: Option<String>,
    /// Recruiting in this region.
    pub region: Option<RegionId>,
    /// At most this many hours a week.
    pub max_hours: Option<i64>,
    /// At least this much by the hour.
    pub min_hourly: Option<i64>,
    /// Remote only, or with office visits.
    pub work_place: Option<WorkPlace>,
    /// Step of the growth path.
    pub level: Option<JobLevel>,
    /// Kind of work.
    pub category: Option<Category>,
}

/// The shortest search the board answers: its index holds pieces of two and three characters.
pub const BOARD_QUERY_MIN: usize = 2;

/// The text a posting is found by: title, skills, category (with its other spellings), the
/// organisation's name and the opening of the description (the index grows with every
/// character, so a long description is searched by its first [`DESCRIPTION_INDEXED`]).
pub fn search_parts<'a>(
    title: &'a str,
    skills: &'a [Skill],
    category: Category,
    organisation: &'a str,
    description: &'a str,
) -> Vec<&'a str> {
    let mut parts = vec![title, organisation, category.search_words()];
    parts.extend(skills.iter().map(|s| s.name.as_str()));
    let end = description
        .char_indices()
        .nth(DESCRIPTION_INDEXED)
        .map_or(description.len(), |(i, _)| i);
    parts.push(&description[..end]);
    parts
}

/// Characters of a description the search index holds.
pub const DESCRIPTION_INDEXED: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_fee_is_compared_by_the_hour() {
        assert_eq!(hourly_yen(PayKind::Hourly, 1200, 10), 1200);
        // ¥52,000 a month for 10 hours a week: 43.33 hours a month, ¥1,200 an hour.
        assert_eq!(hourly_yen(PayKind::Fixed, 52_000, 10), 1200);
        assert_eq!(hourly_yen(PayKind::Fixed, 40_000, 5), 1846);
    }
}
