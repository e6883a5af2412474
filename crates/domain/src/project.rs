//! Co-creation projects (共創プロジェクト): work between organisations — urban and local
//! companies, the municipality, schools — that a region's programs set going, often on a
//! workation tour. Each has a timeline (idea → agreed → running → ended, each step dated), the
//! event it came from and what came of it; the projects KPI counts them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::error::FieldError;
use crate::ids::{OrganisationId, ProgramId, ProjectId, RegionId};
use crate::limits;
use crate::organisation::OrgKind;
use crate::text_enum;

text_enum!(
    /// Where a project stands.
    ProjectStatus {
        /// Talked about.
        Idea = "idea",
        /// The organisations agreed to do it.
        Agreed = "agreed",
        /// Under way.
        Running = "running",
        /// Finished (or stopped).
        Ended = "ended",
    }
);

/// The most organisations a project names.
pub const MEMBERS_MAX: u64 = 20;

/// A project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Project {
    /// Id.
    pub id: ProjectId,
    /// The region it belongs to.
    pub region_id: RegionId,
    /// Its name.
    pub title: String,
    /// Its theme, e.g. 「海洋問題・漁業の課題解決」.
    pub theme: String,
    /// The program (event) it came from.
    pub origin_program_id: Option<ProgramId>,
    /// That program's title.
    pub origin_title: Option<String>,
    /// The last step reached.
    pub status: ProjectStatus,
    /// The day of each step reached (idea, agreed, running, ended).
    pub idea_on: NaiveDate,
    /// Agreed.
    pub agreed_on: Option<NaiveDate>,
    /// Started.
    pub running_on: Option<NaiveDate>,
    /// Ended.
    pub ended_on: Option<NaiveDate>,
    /// What came of it.
    pub outcomes: String,
    /// The organisations in it.
    pub members: Vec<ProjectMember>,
}

/// An organisation in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectMember {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub name: String,
    /// Urban or local company, municipality, school…
    pub kind: OrgKind,
}

/// What a project form offers for a region: where a project may come from and who may take
/// part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectChoices {
    /// The region's programs, latest first: id and title.
    pub programs: Vec<(ProgramId, String)>,
    /// The organisations registered in the region, by name.
    pub organisations: Vec<crate::organisation::OrganisationRef>,
}

/// A project to record or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ProjectInput {
    /// The region.
    pub region_id: RegionId,
    /// Its name.
    #[validate(length(min = 1, max = limits::TITLE_MAX))]
    pub title: String,
    /// Its theme.
    #[serde(default)]
    #[validate(length(max = limits::TITLE_MAX))]
    pub theme: String,
    /// The program it came from (of the same region).
    #[serde(default)]
    pub origin_program_id: Option<ProgramId>,
    /// When it was first talked about.
    pub idea_on: NaiveDate,
    /// Agreed.
    #[serde(default)]
    pub agreed_on: Option<NaiveDate>,
    /// Started.
    #[serde(default)]
    pub running_on: Option<NaiveDate>,
    /// Ended.
    #[serde(default)]
    pub ended_on: Option<NaiveDate>,
    /// What came of it.
    #[serde(default)]
    #[validate(length(max = limits::DESCRIPTION_MAX))]
    pub outcomes: String,
    /// The organisations in it (one or more).
    #[validate(length(min = 1, max = MEMBERS_MAX))]
    pub members: Vec<OrganisationId>,
}

impl ProjectInput {
    /// Trims the texts and drops repeated members.
    pub fn normalised(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.theme = self.theme.trim().to_owned();
        self.outcomes = self.outcomes.trim().to_owned();
        let mut seen = Vec::new();
        self.members.retain(|m| {
            let new = !seen.contains(m);
            seen.push(*m);
            new
        });
        self
    }

    /// The status its dates say: the last step with a date.
    pub fn status(&self) -> ProjectStatus {
        if self.ended_on.is_some() {
            ProjectStatus::Ended
        } else if self.running_on.is_some() {
            ProjectStatus::Running
        } else if self.agreed_on.is_some() {
            ProjectStatus::Agreed
        } else {
            ProjectStatus::Idea
        }
    }

    /// Steps out of order: a step dated before the one it follows, or a later step dated
    /// while an earlier one is not.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let steps = [
            ("agreed_on", self.agreed_on),
            ("running_on", self.running_on),
            ("ended_on", self.ended_on),
        ];
        let mut last = Some(self.idea_on);
        for (field, day) in steps {
            match (last, day) {
                (Some(before), Some(d)) if d < before => {
                    out.push(FieldError::new(field, "before_previous_step"));
                }
                (None, Some(_)) if field != "ended_on" => {
                    out.push(FieldError::new(field, "previous_step_missing"));
                }
                _ => {}
            }
            if day.is_some() {
                last = day;
            } else if field != "running_on" {
                // A project may end without having run (stopped after agreeing).
                last = None;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProjectInput {
        ProjectInput {
            region_id: RegionId(1),
            title: " バラ農家×ブランディング ".into(),
            theme: String::new(),
            origin_program_id: None,
            idea_on: NaiveDate::from_ymd_opt(2023, 12, 8).unwrap_or_default(),
            agreed_on: None,
            running_on: None,
            ended_on: None,
            outcomes: String::new(),
            members: vec![OrganisationId(1), OrganisationId(2), OrganisationId(1)],
        }
    }

    #[test]
    fn the_status_is_the_last_dated_step() {
        let mut p = input().normalised();
        assert_eq!(p.title, "バラ農家×ブランディング");
        assert_eq!(p.members.len(), 2);
        assert_eq!(p.status(), ProjectStatus::Idea);
        p.agreed_on = NaiveDate::from_ymd_opt(2024, 1, 10);
        assert_eq!(p.status(), ProjectStatus::Agreed);
        p.running_on = NaiveDate::from_ymd_opt(2024, 2, 1);
        assert_eq!(p.status(), ProjectStatus::Running);
        assert!(p.problems().is_empty());
        p.ended_on = NaiveDate::from_ymd_opt(2024, 1, 1);
        assert_eq!(p.problems()[0].field, "ended_on");
    }

    #[test]
    fn a_step_needs_the_one_before() {
        let mut p = input();
        p.running_on = NaiveDate::from_ymd_opt(2024, 2, 1);
        assert_eq!(p.problems()[0].code, "previous_step_missing");
        p.agreed_on = NaiveDate::from_ymd_opt(2023, 12, 1);
        assert_eq!(p.problems()[0].code, "before_previous_step");
        assert_eq!(p.problems()[0].field, "agreed_on");
    }
}
