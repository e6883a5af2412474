//! The task inventory (業務の棚卸し): what an organisation does now, how often and for how
//! long, and what the work needs. The assessment says whether a task can be done remotely now,
//! needs digitising first or must stay on site — always with the reasons — and proposes how it
//! could be split for people who have a few hours a day.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::posting::{Category, ContractKind, JobLevel, PayKind, PostingInput, WorkPlace};
use crate::ids::{OrganisationId, PostingId, RegionId, TaskId};
use crate::{limits, text_enum};

text_enum!(
    /// How often the task comes round.
    Frequency {
        /// Every working day.
        Daily = "daily",
        /// Every week.
        Weekly = "weekly",
        /// Every month (e.g. month-end closing).
        Monthly = "monthly",
        /// Now and then.
        Occasional = "occasional",
    }
);

text_enum!(
    /// Where the tools the task needs can be reached.
    ToolsAccess {
        /// Nothing special, or tools anyone can have (a browser, an office suite).
        Common = "common",
        /// Cloud services reachable from home with an account.
        Cloud = "cloud",
        /// Software or systems only on the office's computers.
        OfficeOnly = "office_only",
    }
);

text_enum!(
    /// What form the task's data is in.
    DataForm {
        /// Digital files or systems.
        Digital = "digital",
        /// Partly on paper.
        Mixed = "mixed",
        /// On paper.
        Paper = "paper",
    }
);

text_enum!(
    /// How confidential the data is.
    Confidentiality {
        /// Public.
        Public = "public",
        /// Internal, but not personal.
        Internal = "internal",
        /// Personal data of customers or staff.
        Personal = "personal",
        /// Trade secrets.
        Secret = "secret",
    }
);

text_enum!(
    /// Whether the task needs someone present.
    OnSite {
        /// Never.
        Never = "never",
        /// Now and then (a meeting, a delivery).
        Sometimes = "sometimes",
        /// Always (handling goods, receiving visitors).
        Always = "always",
    }
);

text_enum!(
    /// What the assessment concludes.
    Readiness {
        /// Can be done remotely as it is.
        RemoteReady = "remote_ready",
        /// Can be done remotely once its data or tools are digitised.
        DigitiseFirst = "digitise_first",
        /// Must stay on site.
        OnSite = "on_site",
    }
);

text_enum!(
    /// Why the assessment concludes what it does; each is explained to the user in words.
    Reason {
        /// Someone must be present.
        NeedsPresence = "needs_presence",
        /// The data is on paper: it must be scanned or entered first.
        PaperData = "paper_data",
        /// Part of the data is on paper.
        MixedData = "mixed_data",
        /// The tools are only on the office's computers.
        OfficeOnlyTools = "office_only_tools",
        /// Personal data or secrets need a secure set-up (access rights, a VPN, a contract
        /// clause) before they leave the office.
        SecureAccess = "secure_access",
        /// Digital data and tools reachable from anywhere.
        DigitalAndReachable = "digital_and_reachable",
        /// An occasional visit to the office is part of it.
        OccasionalVisits = "occasional_visits",
    }
);

/// A task in an organisation's inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Task {
    /// Id.
    pub id: TaskId,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// What it is.
    pub title: String,
    /// More about it.
    pub description: String,
    /// How often.
    pub frequency: Frequency,
    /// Hours it takes a month.
    pub hours_per_month: i64,
    /// Who does it now (a role, not a name).
    pub done_by: String,
    /// The tools it needs.
    pub tools: String,
    /// Where those tools can be reached.
    pub tools_access: ToolsAccess,
    /// The data's form.
    pub data_form: DataForm,
    /// The data's confidentiality.
    pub confidentiality: Confidentiality,
    /// Presence needed.
    pub on_site: OnSite,
    /// The posting it became, if any.
    pub posting_id: Option<PostingId>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a company (or a coordinator on its behalf) records of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct TaskInput {
    /// What it is.
    #[validate(length(min = 1, max = limits::TITLE_MAX))]
    pub title: String,
    /// More about it.
    #[validate(length(max = limits::DESCRIPTION_MAX))]
    #[serde(default)]
    pub description: String,
    /// How often.
    pub frequency: Frequency,
    /// Hours a month, 1–400.
    #[validate(range(min = limits::TASK_HOURS.0, max = limits::TASK_HOURS.1))]
    pub hours_per_month: i64,
    /// Who does it now.
    #[validate(length(max = limits::NAME_MAX))]
    #[serde(default)]
    pub done_by: String,
    /// The tools it needs.
    #[validate(length(max = limits::ISSUE_MAX))]
    #[serde(default)]
    pub tools: String,
    /// Where those tools can be reached.
    pub tools_access: ToolsAccess,
    /// The data's form.
    pub data_form: DataForm,
    /// The data's confidentiality.
    pub confidentiality: Confidentiality,
    /// Presence needed.
    pub on_site: OnSite,
}

impl TaskInput {
    /// Trimmed text.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.done_by = self.done_by.trim().to_owned();
        self.tools = self.tools.trim().to_owned();
        self
    }

    /// Everything the input's validation finds (normalise first).
    pub fn problems(&self) -> Vec<crate::FieldError> {
        match self.validate() {
            Ok(()) => vec![],
            Err(e) => crate::ValidationFailure::from_validator(&e).0,
        }
    }
}

/// What the assessment concludes, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    /// The conclusion.
    pub readiness: Readiness,
    /// Every reason behind it.
    pub reasons: Vec<Reason>,
}

/// The facts an assessment reads: the same for a stored task and one being entered.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    /// Where the tools are.
    pub tools_access: ToolsAccess,
    /// The data's form.
    pub data_form: DataForm,
    /// The data's confidentiality.
    pub confidentiality: Confidentiality,
    /// Presence needed.
    pub on_site: OnSite,
}

impl Task {
    /// The facts of this task.
    pub fn facts(&self) -> Facts {
        Facts {
            tools_access: self.tools_access,
            data_form: self.data_form,
            confidentiality: self.confidentiality,
            on_site: self.on_site,
        }
    }
}

/// Classifies a task: a task needing constant presence stays on site; paper data, office-only
/// tools or data that needs a secure set-up must be dealt with first; anything else is ready
/// now (with an occasional visit if it needs one).
pub fn assess(f: Facts) -> Assessment {
    if f.on_site == OnSite::Always {
        return Assessment {
            readiness: Readiness::OnSite,
            reasons: vec![Reason::NeedsPresence],
        };
    }
    let mut first = Vec::new();
    match f.data_form {
        DataForm::Paper => first.push(Reason::PaperData),
        DataForm::Mixed => first.push(Reason::MixedData),
        DataForm::Digital => {}
    }
    if f.tools_access == ToolsAccess::OfficeOnly {
        first.push(Reason::OfficeOnlyTools);
    }
    if matches!(
        f.confidentiality,
        Confidentiality::Personal | Confidentiality::Secret
    ) {
        first.push(Reason::SecureAccess);
    }
    if f.on_site == OnSite::Sometimes {
        first.push(Reason::OccasionalVisits);
    }
    if first.iter().any(|r| !matches!(r, Reason::OccasionalVisits)) {
        return Assessment {
            readiness: Readiness::DigitiseFirst,
            reasons: first,
        };
    }
    let mut reasons = vec![Reason::DigitalAndReachable];
    reasons.extend(first);
    Assessment {
        readiness: Readiness::RemoteReady,
        reasons,
    }
}

/// Hours a day that someone with "a few hours" can give.
pub const FEW_HOURS_A_DAY: i64 = 3;
/// Hours a month one such person takes on (3 hours on 10 days).
pub const HOURS_A_MONTH_EACH: i64 = 30;

/// How a task could be shared among people with a few hours a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Split {
    /// People.
    pub people: i64,
    /// Hours a month each.
    pub hours_each: i64,
    /// Hours on a working day.
    pub hours_a_day: i64,
    /// Working days a month each.
    pub days_each: i64,
}

/// Proposes a split: at most [`HOURS_A_MONTH_EACH`] hours a month and [`FEW_HOURS_A_DAY`] a day
/// each; a daily task is shared by at least two people, so that nobody has to work every day.
pub fn split(hours_per_month: i64, frequency: Frequency) -> Split {
    let hours = hours_per_month.max(1);
    let mut people = (hours + HOURS_A_MONTH_EACH - 1) / HOURS_A_MONTH_EACH;
    if frequency == Frequency::Daily {
        people = people.max(2);
    }
    let hours_each = (hours + people - 1) / people;
    let hours_a_day = hours_each.min(FEW_HOURS_A_DAY);
    let days_each = (hours_each + hours_a_day - 1) / hours_a_day;
    Split {
        people,
        hours_each,
        hours_a_day,
        days_each,
    }
}

/// A draft posting from a task: its title and description, the split's places and hours,
/// remote unless the task needs visits. Pay is left for the company to set (0: not yet).
pub fn draft_posting(task: &Task, region: RegionId) -> PostingInput {
    let s = split(task.hours_per_month, task.frequency);
    let mut description = task.description.clone();
    if !task.tools.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&task.tools);
    }
    let office = task.on_site == OnSite::Sometimes;
    PostingInput {
        region_id: region,
        title: task.title.clone(),
        description,
        category: Category::Other,
        skills: vec![],
        level: JobLevel::SmallJob,
        contract: ContractKind::Outsourcing,
        trial_months: None,
        pay_kind: PayKind::Hourly,
        pay_yen: 0,
        // A month is 52/12 weeks: hours a week, rounded up.
        hours_per_week: ((s.hours_each * 12 + 51) / 52).max(1),
        days_per_month: s.days_each,
        time_windows: vec![],
        duration_months: None,
        places: s.people,
        work_place: if office {
            WorkPlace::Office
        } else {
            WorkPlace::Remote
        },
        office_visits_per_month: i64::from(office),
        office_place: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(t: ToolsAccess, d: DataForm, c: Confidentiality, o: OnSite) -> Facts {
        Facts {
            tools_access: t,
            data_form: d,
            confidentiality: c,
            on_site: o,
        }
    }

    #[test]
    fn the_assessment_gives_its_reasons() {
        use Confidentiality as C;
        use DataForm as D;
        use OnSite as O;
        use ToolsAccess as T;
        let a = assess(facts(T::Cloud, D::Digital, C::Internal, O::Never));
        assert_eq!(a.readiness, Readiness::RemoteReady);
        assert_eq!(a.reasons, vec![Reason::DigitalAndReachable]);
        let a = assess(facts(T::Cloud, D::Digital, C::Public, O::Sometimes));
        assert_eq!(a.readiness, Readiness::RemoteReady);
        assert_eq!(
            a.reasons,
            vec![Reason::DigitalAndReachable, Reason::OccasionalVisits]
        );
        let a = assess(facts(T::OfficeOnly, D::Paper, C::Personal, O::Never));
        assert_eq!(a.readiness, Readiness::DigitiseFirst);
        assert_eq!(
            a.reasons,
            vec![
                Reason::PaperData,
                Reason::OfficeOnlyTools,
                Reason::SecureAccess
            ]
        );
        let a = assess(facts(T::Common, D::Digital, C::Public, O::Always));
        assert_eq!(a.readiness, Readiness::OnSite);
        assert_eq!(a.reasons, vec![Reason::NeedsPresence]);
    }

    #[test]
    fn a_split_fits_a_few_hours_a_day() {
        assert_eq!(
            split(20, Frequency::Monthly),
            Split {
                people: 1,
                hours_each: 20,
                hours_a_day: 3,
                days_each: 7
            }
        );
        // 80 hours: three people of 27 hours, 3 hours on 9 days.
        assert_eq!(
            split(80, Frequency::Weekly),
            Split {
                people: 3,
                hours_each: 27,
                hours_a_day: 3,
                days_each: 9
            }
        );
        // A daily task of 20 hours is shared by two.
        assert_eq!(split(20, Frequency::Daily).people, 2);
        assert_eq!(split(2, Frequency::Occasional).hours_a_day, 2);
        for h in 1..=400 {
            for f in Frequency::ALL {
                let s = split(h, *f);
                assert!(s.people * s.hours_each >= h, "{h} {f}");
                assert!(s.hours_each <= HOURS_A_MONTH_EACH, "{h} {f}");
                assert!(s.hours_a_day * s.days_each >= s.hours_each, "{h} {f}");
                assert!(s.hours_a_day <= FEW_HOURS_A_DAY);
            }
        }
    }
}
