//! The growth path: how a resident moves from "interested" to recurring paid work, the sign-ups
//! and attendance that move them, and the rules that make the counting honest — one person is
//! one person however they typed their name, and every number says whether it counts people
//! (実人数) or attendances (延べ人数).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::error::{FieldError, ValidationFailure};
use crate::ids::{ProgramId, RegionId, ResidentId, SessionId};
use crate::{limits, text, text_enum};

text_enum!(
    /// Where a resident is on the growth path, in order: a later stage is further along.
    Stage {
        /// Known to the coordinator, not signed up for anything yet.
        Interested = "interested",
        /// Signed up for a program.
        Enrolled = "enrolled",
        /// Attended at least one session.
        Attended = "attended",
        /// Completed a course (its completion rule met, or marked by the coordinator). Starts
        /// the 90-day clock to first paid work.
        Completed = "completed",
        /// On-the-job training.
        Ojt = "ojt",
        /// Applied for work.
        Applied = "applied",
        /// Hired or contracted.
        Hired = "hired",
        /// Paid for the first time.
        FirstPaid = "first_paid",
        /// Working and paid again and again.
        Recurring = "recurring",
    }
);

text_enum!(
    /// What moved a resident to a stage.
    StageCause {
        /// Their record was created.
        Registered = "registered",
        /// They signed up for a program (or were enrolled).
        SignUp = "sign_up",
        /// They were checked in at a session.
        CheckIn = "check_in",
        /// A program's completion rule was met or the coordinator marked it.
        Completion = "completion",
        /// A coordinator set it by hand, with a reason.
        ByHand = "by_hand",
        /// An event was undone (attendance unticked, a sign-up cancelled) and the stage follows.
        Correction = "correction",
        /// They applied for work.
        Application = "application",
        /// An organisation hired them (their contract started).
        Hire = "hire",
        /// Their hours were approved for pay (the first time: first paid job; the third
        /// period: recurring work).
        Pay = "pay",
    }
);

text_enum!(
    /// How a person heard of a program (「何で知りましたか」).
    Channel {
        /// 市報・広報誌.
        CityBulletin = "city_bulletin",
        /// 地元FM.
        LocalFm = "local_fm",
        /// NHK.
        Nhk = "nhk",
        /// ケーブルテレビ.
        CableTv = "cable_tv",
        /// Facebook.
        Facebook = "facebook",
        /// X.
        X = "x",
        /// 公式LINE.
        OfficialLine = "official_line",
        /// 新聞.
        Newspaper = "newspaper",
        /// チラシ（ハローワーク）.
        FlyerJobCentre = "flyer_job_centre",
        /// チラシ（図書館）.
        FlyerLibrary = "flyer_library",
        /// チラシ（スーパー）.
        FlyerSupermarket = "flyer_supermarket",
        /// チラシ（学校）.
        FlyerSchool = "flyer_school",
        /// 銀行.
        Bank = "bank",
        /// 防災無線.
        DisasterRadio = "disaster_radio",
        /// 知人の紹介.
        Acquaintance = "acquaintance",
        /// その他.
        Other = "other",
        /// 不明: recorded before the question was asked (imports, walk-ins who did not say).
        Unknown = "unknown",
    }
);

text_enum!(
    /// Where an enrolment stands.
    EnrolmentStatus {
        /// Has a place.
        Enrolled = "enrolled",
        /// On the waiting list; moves up when someone cancels.
        Waiting = "waiting",
        /// Cancelled.
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// How an enrolment was made.
    EnrolmentSource {
        /// The public sign-up page.
        Public = "public",
        /// A coordinator enrolled the person.
        Coordinator = "coordinator",
        /// Added on the spot at a session.
        WalkIn = "walk_in",
        /// Imported from a participant list.
        Import = "import",
    }
);

/// The version of the consent text a person agrees to when signing up; recorded with every
/// sign-up, so that a changed text never silently covers earlier sign-ups.
pub const CONSENT_VERSION: &str = "2026-04";

/// Days from completing a course to first paid work that the programs aim for.
pub const PAID_WORK_CLOCK_DAYS: i64 = 90;

/// The default number of days without a next step after which a person is listed as stalled.
pub const DEFAULT_STALLED_DAYS: i64 = 30;

/// A person on a program's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// Id.
    pub id: i64,
    /// The program.
    pub program_id: ProgramId,
    /// Its region.
    pub region_id: RegionId,
    /// The person.
    pub resident_id: ResidentId,
    /// Their name.
    pub name: String,
    /// Its reading.
    pub name_kana: String,
    /// Place, waiting list or cancelled.
    pub status: EnrolmentStatus,
    /// How they heard of the program.
    pub channel: Channel,
    /// How they were enrolled.
    pub source: EnrolmentSource,
    /// The consent text version they agreed to (empty when enrolled by a coordinator).
    pub consent_version: String,
    /// When they signed up.
    pub signed_up_at: DateTime<Utc>,
    /// When they completed the program, if they have.
    pub completed_at: Option<DateTime<Utc>>,
    /// Sessions they attended.
    pub attended: i64,
    /// Their place on the waiting list (1 = next), when waiting.
    pub waiting_position: Option<i64>,
}

/// What a person gives on the public sign-up page (and a coordinator for a walk-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct SignUpInput {
    /// Full name.
    #[validate(length(min = 1, max = limits::NAME_MAX))]
    pub name: String,
    /// Reading, in any kana (folded to katakana).
    #[validate(length(min = 1, max = limits::KANA_MAX), custom(function = "crate::resident::validate_kana"))]
    pub name_kana: String,
    /// Phone number; a phone or an e-mail address is needed to reach the person.
    #[validate(length(max = limits::PHONE_MAX), custom(function = "crate::resident::validate_phone"))]
    #[serde(default)]
    pub phone: String,
    /// E-mail address.
    #[validate(length(max = limits::EMAIL_MAX), custom(function = "crate::resident::validate_optional_email"))]
    #[serde(default)]
    pub email: String,
    /// How they heard of the program.
    pub channel: Channel,
    /// They agree to the use of their personal data (the text of [`CONSENT_VERSION`]).
    #[serde(default)]
    pub consent: bool,
}

impl SignUpInput {
    /// Trimmed; the reading folded to katakana.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        self.name_kana = text::to_katakana(self.name_kana.trim());
        self.phone = crate::text::plain_phone(&self.phone);
        self.email = self.email.trim().to_owned();
        self
    }

    /// Every problem at once: the field rules, a way to reach the person, and consent.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = match self.validate() {
            Ok(()) => vec![],
            Err(e) => ValidationFailure::from_validator(&e).0,
        };
        if self.phone.is_empty() && self.email.is_empty() {
            out.push(FieldError::new("phone", "phone_or_email"));
        }
        if !self.consent {
            out.push(FieldError::new("consent", "required"));
        }
        out
    }

    /// The keys that recognise this person again (see [`match_keys`]).
    pub fn match_keys(&self) -> Vec<String> {
        match_keys(&self.name_kana, &self.phone, &self.email)
    }
}

/// A coordinator enrols a known resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrolInput {
    /// The resident (of the program's region).
    pub resident_id: ResidentId,
    /// How they heard of the program.
    #[serde(default = "unknown_channel")]
    pub channel: Channel,
}

fn unknown_channel() -> Channel {
    Channel::Unknown
}

/// The outcome of a sign-up, as the person is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignUpReceipt {
    /// The enrolment.
    pub enrolment_id: i64,
    /// The program.
    pub program_id: ProgramId,
    /// Place or waiting list.
    pub status: EnrolmentStatus,
    /// Their place on the waiting list, when waiting.
    pub waiting_position: Option<i64>,
    /// The person was already known (by reading and phone, or e-mail) and no new record was made.
    pub recognised: bool,
}

/// One row of a session's check-in list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckInRow {
    /// The person.
    pub resident_id: ResidentId,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Ticked as present.
    pub present: bool,
    /// Added on the spot.
    pub walk_in: bool,
}

/// One attendance (延べ): a person at a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttendanceRow {
    /// The session.
    pub session_id: SessionId,
    /// The person.
    pub resident_id: ResidentId,
    /// Their name.
    pub name: String,
    /// Added on the spot.
    pub walk_in: bool,
}

/// Which people are present at a session: the ticked ones of its check-in list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttendanceInput {
    /// The residents present (everyone else on the list is absent).
    #[serde(default)]
    pub present: Vec<ResidentId>,
}

/// A program's figures. Every count of people says which kind it is: `*_people` are unique
/// people (実人数), `attendances` counts each person once per session (延べ人数).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgramCounts {
    /// Unique people with a place.
    pub enrolled_people: i64,
    /// Unique people on the waiting list.
    pub waiting_people: i64,
    /// Unique people who cancelled.
    pub cancelled_people: i64,
    /// Unique people who attended at least one session.
    pub attended_people: i64,
    /// Attendances over all sessions (延べ人数).
    pub attendances: i64,
    /// Unique people who completed the program.
    pub completed_people: i64,
    /// Attendances per session, in the sessions' order (each session counts a person once).
    pub per_session: Vec<SessionCount>,
}

/// The attendance of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionCount {
    /// The session.
    pub session_id: SessionId,
    /// People present (at one session, people and attendances are the same number).
    pub attendances: i64,
}

/// Whether attending `attended` of `total` sessions meets a share of `min_percent`.
pub fn attendance_meets(attended: i64, total: i64, min_percent: i64) -> bool {
    total > 0 && attended > 0 && attended.saturating_mul(100) >= min_percent.saturating_mul(total)
}

/// A phone number as digits only, with a +81 prefix turned into the domestic 0: `０９０-１２３４-５６７８`,
/// `090 1234 5678` and `+81 90-1234-5678` are all `09012345678`.
pub fn normal_phone(s: &str) -> String {
    let digits: String = text::to_katakana(s)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    match digits.strip_prefix("81") {
        Some(rest) if s.trim_start().starts_with('+') || s.trim_start().starts_with('＋') => {
            format!("0{rest}")
        }
        _ => digits,
    }
}

/// A reading compared loosely: katakana, no spaces or dots, every long-vowel mark alike.
pub fn normal_reading(s: &str) -> String {
    text::fold(s)
        .chars()
        .map(|c| match c {
            '-' | '‐' | '−' | '—' | '―' | '～' | '~' => 'ー',
            c => c,
        })
        .collect()
}

/// An e-mail address compared loosely: width folded, lower-case, trimmed.
pub fn normal_email(s: &str) -> String {
    text::to_katakana(s.trim()).to_lowercase()
}

/// The keys under which a person is recognised in their region: the e-mail address, and the
/// reading together with the phone number (a reading alone is shared by namesakes, a phone by a
/// household). Two records sharing a key are the same person.
pub fn match_keys(kana: &str, phone: &str, email: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let email = normal_email(email);
    if email.contains('@') {
        keys.push(format!("e:{email}"));
    }
    let (reading, phone) = (normal_reading(kana), normal_phone(phone));
    if !reading.is_empty() && phone.len() >= 10 {
        keys.push(format!("kp:{reading}|{phone}"));
    }
    keys
}

/// A resident's stage now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StageNow {
    /// The stage.
    pub stage: Stage,
    /// Since when.
    pub since: DateTime<Utc>,
    /// When they first completed a course (the 90-day clock's start), if they have.
    pub completed_at: Option<DateTime<Utc>>,
}

impl StageNow {
    /// Days on the 90-day clock from completion to first paid work, while it runs: `None`
    /// before completion and once paid work has started.
    pub fn clock_days(&self, today: NaiveDate) -> Option<i64> {
        let done = self.completed_at?;
        if self.stage >= Stage::FirstPaid {
            return None;
        }
        Some((today - crate::calendar::jst_date(done)).num_days())
    }
}

/// One recorded change of stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StageChange {
    /// The stage reached.
    pub stage: Stage,
    /// The stage before (none for the first).
    pub previous: Option<Stage>,
    /// When.
    pub at: DateTime<Utc>,
    /// What caused it.
    pub cause: StageCause,
    /// The coordinator's reason (for changes by hand).
    pub reason: String,
    /// The program whose event caused it.
    pub program_id: Option<ProgramId>,
    /// Who made it (for changes by hand).
    pub by_name: String,
}

/// A stage set by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct StageInput {
    /// The new stage.
    pub stage: Stage,
    /// Why (required: every change by hand says why).
    #[validate(length(min = 1, max = limits::NOTE_MAX))]
    pub reason: String,
}

/// A person the coordinator should reach: no next step for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stalled {
    /// The person.
    pub resident_id: ResidentId,
    /// Their region.
    pub region_id: RegionId,
    /// Name.
    pub name: String,
    /// Their stage and since when.
    pub stage: StageNow,
    /// Days on that stage.
    pub days: i64,
    /// Their last recorded contact.
    pub last_contact: Option<NaiveDate>,
}

text_enum!(
    /// The steps of the funnel from sign-up to recurring work.
    FunnelStep {
        /// Signed up for a program.
        SignedUp = "signed_up",
        /// Attended a session.
        Attended = "attended",
        /// Completed a program.
        Completed = "completed",
        /// Applied for work.
        Applied = "applied",
        /// Hired or contracted.
        Hired = "hired",
        /// Paid for the first time.
        Paid = "paid",
        /// Paid again and again.
        Recurring = "recurring",
    }
);

impl FunnelStep {
    /// The stage that marks the step (for the steps the work capability records).
    pub fn stage(self) -> Stage {
        match self {
            Self::SignedUp => Stage::Enrolled,
            Self::Attended => Stage::Attended,
            Self::Completed => Stage::Completed,
            Self::Applied => Stage::Applied,
            Self::Hired => Stage::Hired,
            Self::Paid => Stage::FirstPaid,
            Self::Recurring => Stage::Recurring,
        }
    }
}

/// When one person first reached each step (index = [`FunnelStep`] order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub [Option<NaiveDate>; 7]);

/// One step of a funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FunnelRow {
    /// The step.
    pub step: FunnelStep,
    /// Unique people who reached it (実人数).
    pub people: i64,
    /// Of those who reached the step before, the share that reached this one, in percent.
    pub conversion_percent: Option<f64>,
    /// Median days from the step before to this one, over people who reached both.
    pub median_days: Option<f64>,
    /// People who reached the step before but not this one.
    pub stopped: i64,
}

/// The funnel of a group of people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Funnel {
    /// The steps in order.
    pub rows: Vec<FunnelRow>,
    /// The step before which most people stop (the largest `stopped`), if anyone stops.
    pub biggest_drop: Option<FunnelStep>,
}

impl Funnel {
    /// Counts the steps people reached: unique people per step, the conversion from the step
    /// before, the median days between the two and where most people stop.
    pub fn of(paths: &[Path]) -> Self {
        let mut rows = Vec::with_capacity(FunnelStep::ALL.len());
        for (i, &step) in FunnelStep::ALL.iter().enumerate() {
            let people = count(paths.iter().filter(|p| p.0[i].is_some()));
            let (conversion_percent, median_days, stopped) = if i == 0 {
                (None, None, 0)
            } else {
                let before = paths.iter().filter(|p| p.0[i - 1].is_some());
                let reached_before = count(before.clone());
                let both: Vec<i64> = before
                    .filter_map(|p| p.0[i].map(|d| (d - p.0[i - 1].unwrap_or(d)).num_days()))
                    .collect();
                let kept = count(both.iter());
                let conversion = crate::kpi::percent(kept, reached_before);
                (conversion, crate::kpi::median(both), reached_before - kept)
            };
            rows.push(FunnelRow {
                step,
                people,
                conversion_percent,
                median_days,
                stopped,
            });
        }
        let biggest_drop = rows
            .iter()
            .filter(|r| r.stopped > 0)
            .max_by(|a, b| a.stopped.cmp(&b.stopped).then(b.step.cmp(&a.step)))
            .map(|r| r.step);
        Self { rows, biggest_drop }
    }
}

fn count<T>(it: impl Iterator<Item = T>) -> i64 {
    i64::try_from(it.count()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_recognised_however_they_type() {
        let a = match_keys("ヤマダ ハナコ", "090-1234-5678", "");
        let b = match_keys("ﾔﾏﾀﾞﾊﾅｺ", "０９０１２３４５６７８", "");
        let c = match_keys("やまだはなこ", "+81 90 1234 5678", "");
        assert_eq!(a, vec!["kp:ヤマダハナコ|09012345678".to_owned()]);
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(
            match_keys("", "", " Hanako@Example.JP "),
            vec!["e:hanako@example.jp".to_owned()]
        );
        // A reading alone, or a short number, recognises no one.
        assert!(match_keys("ヤマダハナコ", "", "").is_empty());
        assert!(match_keys("ヤマダハナコ", "1234", "").is_empty());
        assert_eq!(normal_reading("ルーシー"), normal_reading("ﾙｰｼｰ"));
    }

    #[test]
    fn attendance_share_rounds_in_the_persons_favour_only_when_it_is_met() {
        assert!(attendance_meets(4, 5, 80));
        assert!(!attendance_meets(3, 5, 80));
        assert!(attendance_meets(10, 12, 80));
        assert!(!attendance_meets(9, 12, 80));
        assert!(!attendance_meets(0, 0, 80));
    }

    #[test]
    fn the_funnel_counts_people_converts_and_finds_the_biggest_drop() {
        let d = |day| NaiveDate::from_ymd_opt(2023, 10, day);
        let paths = vec![
            Path([d(1), d(3), d(20), None, None, None, None]),
            Path([d(1), d(5), None, None, None, None, None]),
            Path([d(2), None, None, None, None, None, None]),
            Path([d(2), d(4), d(25), d(28), None, None, None]),
        ];
        let f = Funnel::of(&paths);
        let people: Vec<i64> = f.rows.iter().map(|r| r.people).collect();
        assert_eq!(people, vec![4, 3, 2, 1, 0, 0, 0]);
        assert_eq!(f.rows[1].conversion_percent, Some(75.0));
        assert_eq!(f.rows[1].median_days, Some(2.0));
        assert_eq!(f.rows[2].median_days, Some(19.0));
        assert_eq!(f.rows[3].conversion_percent, Some(50.0));
        assert_eq!(f.rows[4].conversion_percent, Some(0.0));
        assert_eq!(f.rows[5].conversion_percent, None);
        // One person stops at each of the first three steps; the first largest wins.
        assert_eq!(f.biggest_drop, Some(FunnelStep::Attended));
    }

    #[test]
    fn the_clock_runs_from_completion_until_paid_work() {
        let completed = chrono::DateTime::parse_from_rfc3339("2024-01-10T03:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .ok();
        let mut now = StageNow {
            stage: Stage::Completed,
            since: completed.unwrap_or_default(),
            completed_at: completed,
        };
        let today = NaiveDate::from_ymd_opt(2024, 4, 9).unwrap_or_default();
        assert_eq!(now.clock_days(today), Some(90));
        now.stage = Stage::FirstPaid;
        assert_eq!(now.clock_days(today), None);
    }
}

/// Whose funnel to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunnelScope {
    /// The people who signed up for one program.
    Program(ProgramId),
    /// Everyone who signed up for anything in a region.
    Region(RegionId),
    /// Everyone in a region who heard of a program through one channel.
    Channel(RegionId, Channel),
    /// Everyone in a region (None: every region) who signed up in a fiscal year.
    FiscalYear(Option<RegionId>, crate::calendar::FiscalYear),
}
