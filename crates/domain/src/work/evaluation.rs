//! Fair evaluation: each organisation writes its own rubric (criteria, each with named levels,
//! lowest first) and evaluates a contract over a period against every criterion. A resident is
//! never shown a bare number: each score comes with its criterion, what the criterion means, the
//! level reached in words and every level there is. The figure the seed company pays by — how
//! many of its 15 criteria a person meets — is [`Evaluation::met`] of [`Evaluation::scores`].
//!
//! An evaluation keeps the criterion's name and level labels as they were when it was written,
//! so changing a rubric later never rewrites what a person was told.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::error::FieldError;
use crate::ids::{CriterionId, EngagementId, EvaluationId, OrganisationId, RegionId, ResidentId};
use crate::limits;

/// A criterion as an organisation writes it.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema,
)]
pub struct CriterionInput {
    /// What is looked at, e.g. 「リアルコミュニケーションに依存しない」.
    #[validate(length(min = 1, max = limits::TITLE_MAX))]
    pub name: String,
    /// What it means in practice.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub description: String,
    /// The levels, lowest first, each in words (e.g. まだ / 一部できている / できている).
    #[validate(length(min = 2, max = 10))]
    pub levels: Vec<String>,
}

impl CriterionInput {
    /// Trimmed text; empty level lines dropped.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.levels = self
            .levels
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        self
    }

    /// Beyond the validator: each level's label fits and no two levels read the same.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        for (i, l) in self.levels.iter().enumerate() {
            if l.chars().count() > limits::NAME_MAX as usize {
                out.push(
                    FieldError::new("levels", "too_long")
                        .with("max", limits::NAME_MAX)
                        .with("row", i + 1),
                );
            } else if self.levels[..i].contains(l) {
                out.push(FieldError::new("levels", "duplicate").with("row", i + 1));
            }
        }
        out
    }
}

/// A criterion of an organisation's rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    /// Id.
    pub id: CriterionId,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its place in the rubric, from 1.
    pub position: i64,
    /// What it says.
    pub input: CriterionInput,
    /// Still used for new evaluations (a retired criterion stays in the evaluations that used it).
    pub active: bool,
}

/// One criterion's score, as the evaluator gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ScoreInput {
    /// The criterion.
    pub criterion_id: CriterionId,
    /// The level reached, from 1 (the lowest).
    pub level: i64,
    /// Why, in words the person can act on.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub comment: String,
}

/// An evaluation of a contract over a period, as the organisation writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct EvaluationInput {
    /// First day evaluated.
    pub starts_on: NaiveDate,
    /// Last day evaluated.
    pub ends_on: NaiveDate,
    /// Overall, in words.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub comment: String,
    /// One score for every criterion of the rubric in use.
    #[validate(nested)]
    pub scores: Vec<ScoreInput>,
}

impl EvaluationInput {
    /// Trimmed text.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.comment = self.comment.trim().to_owned();
        for s in &mut self.scores {
            s.comment = s.comment.trim().to_owned();
        }
        self
    }

    /// Checks the evaluation against the rubric in use (`rubric`: its active criteria) and the
    /// contract's dates: every criterion scored once, each level one the criterion has, and a
    /// period inside the contract that has begun by `today`. Each problem names its field; a
    /// criterion left out is named by its position in the rubric.
    pub fn problems(
        &self,
        rubric: &[Criterion],
        contract: (NaiveDate, Option<NaiveDate>),
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut out = Vec::new();
        if rubric.is_empty() {
            out.push(FieldError::new("scores", "no_rubric"));
        }
        if self.ends_on < self.starts_on {
            out.push(FieldError::new("ends_on", "before_start"));
        }
        if self.starts_on < contract.0 {
            out.push(FieldError::new("starts_on", "outside_contract"));
        }
        if contract.1.is_some_and(|end| self.ends_on > end) {
            out.push(FieldError::new("ends_on", "outside_contract"));
        }
        if self.starts_on > today {
            out.push(FieldError::new("starts_on", "in_future"));
        }
        for (i, s) in self.scores.iter().enumerate() {
            let field = format!("scores[{i}].level");
            match rubric.iter().find(|c| c.id == s.criterion_id) {
                None => out.push(FieldError::new(
                    format!("scores[{i}].criterion_id"),
                    "not_in_rubric",
                )),
                Some(c) => {
                    let n = c.input.levels.len() as i64;
                    if s.level < 1 || s.level > n {
                        out.push(
                            FieldError::new(field, "out_of_range")
                                .with("min", 1)
                                .with("max", n),
                        );
                    }
                }
            }
            if self.scores[..i]
                .iter()
                .any(|o| o.criterion_id == s.criterion_id)
            {
                out.push(FieldError::new(
                    format!("scores[{i}].criterion_id"),
                    "duplicate",
                ));
            }
        }
        for c in rubric {
            if !self.scores.iter().any(|s| s.criterion_id == c.id) {
                out.push(
                    FieldError::new("scores", "criterion_unscored")
                        .with("row", c.position)
                        .with("name", &c.input.name),
                );
            }
        }
        out
    }
}

/// One criterion's score as everyone meets it: the criterion as it was, every level in words,
/// the one reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Score {
    /// The criterion.
    pub criterion_id: CriterionId,
    /// Its place in the rubric.
    pub position: i64,
    /// Its name when the evaluation was written.
    pub criterion_name: String,
    /// What it meant.
    pub description: String,
    /// Every level, lowest first, as they read then.
    pub levels: Vec<String>,
    /// The level reached, from 1.
    pub level: i64,
    /// Why.
    pub comment: String,
}

impl Score {
    /// The level reached, in words.
    pub fn label(&self) -> &str {
        usize::try_from(self.level - 1)
            .ok()
            .and_then(|i| self.levels.get(i))
            .map_or("", String::as_str)
    }

    /// Whether the criterion is fully met (its top level).
    pub fn met(&self) -> bool {
        self.level == self.levels.len() as i64
    }

    /// Each level with whether it is the one reached (for a page that lists them all).
    pub fn ladder(&self) -> Vec<(i64, &str, bool)> {
        self.levels
            .iter()
            .enumerate()
            .map(|(i, l)| (i as i64 + 1, l.as_str(), i as i64 + 1 == self.level))
            .collect()
    }
}

/// An evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evaluation {
    /// Id.
    pub id: EvaluationId,
    /// The contract.
    pub engagement_id: EngagementId,
    /// The organisation that evaluated.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// The resident's region.
    pub region_id: RegionId,
    /// The resident.
    pub resident_id: ResidentId,
    /// First day evaluated.
    pub starts_on: NaiveDate,
    /// Last day evaluated.
    pub ends_on: NaiveDate,
    /// Overall, in words.
    pub comment: String,
    /// Who wrote it.
    pub by_name: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Every criterion, in the rubric's order.
    pub scores: Vec<Score>,
}

impl Evaluation {
    /// How many criteria are fully met.
    pub fn met(&self) -> usize {
        self.scores.iter().filter(|s| s.met()).count()
    }
}

/// A starting rubric for an organisation that has none: fifteen behaviour criteria in the
/// spirit of the seed report's company (its first three are quoted from it: 「リアルコミュニ
/// ケーションに依存しない」 and the two after), each with three levels. `ja` picks the language
/// the organisation writes in; it edits them freely afterwards.
pub fn standard_rubric(ja: bool) -> Vec<CriterionInput> {
    const JA: [(&str, &str); 15] = [
        (
            "リアルコミュニケーションに依存しない",
            "対面でなくても、文章とオンラインで意図が伝わるように仕事を進める。",
        ),
        (
            "先入観にとらわれず、良いことはすぐに実行する",
            "スピード感のある改善サイクルを回す。",
        ),
        (
            "人にしかできない「工夫のある仕事」を創る",
            "他の会社にはない意義を仕事に見つける。",
        ),
        (
            "約束した時間に連絡がつく",
            "稼働時間と連絡のつく時間を事前に共有し、そのとおりに動く。",
        ),
        (
            "進み具合を自分から知らせる",
            "聞かれる前に、途中経過と見通しをチャットで共有する。",
        ),
        (
            "困ったら早めに相談する",
            "詰まったときは一人で抱えず、早い段階で相談する。",
        ),
        (
            "期限を守る",
            "期限に間に合わないときは、分かった時点で伝える。",
        ),
        (
            "手順を記録して共有する",
            "自分の作業手順を、誰でも再現できる形で残す。",
        ),
        ("正確に仕上げる", "提出前に自分で確認し、誤りを減らす。"),
        (
            "情報を適切に扱う",
            "社外秘の資料や個人情報を決められたとおりに扱う。",
        ),
        (
            "チームの目標を理解して動く",
            "自分の作業がチームの成果にどうつながるかを理解する。",
        ),
        (
            "学んだことを仕事に生かす",
            "新しいツールや知識を身につけ、実際の作業で使う。",
        ),
        (
            "相手の立場で考える",
            "依頼した人、受け取る人にとって分かりやすい形で渡す。",
        ),
        (
            "体調と生活に合わせて無理なく続ける",
            "家庭や通院の事情も含め、続けられるペースを自分で伝える。",
        ),
        (
            "仲間の仕事を助ける",
            "気づいたことを伝え、必要なときは手を貸す。",
        ),
    ];
    const EN: [(&str, &str); 15] = [
        (
            "Does not depend on face-to-face communication",
            "Gets the intent across in writing and online, without meeting in person.",
        ),
        (
            "Acts on good ideas at once, free of preconceptions",
            "Keeps a fast cycle of improvement.",
        ),
        (
            "Creates work with a human touch",
            "Finds meaning in the work that no other company offers.",
        ),
        (
            "Reachable at the agreed times",
            "Shares working and contact hours in advance and keeps to them.",
        ),
        (
            "Reports progress unasked",
            "Shares where the work stands and what comes next before being asked.",
        ),
        (
            "Asks for help early",
            "Does not carry a problem alone; raises it early.",
        ),
        (
            "Meets deadlines",
            "Says so as soon as a deadline cannot be met.",
        ),
        (
            "Writes down and shares the steps",
            "Leaves the steps of the work so that anyone can repeat them.",
        ),
        (
            "Delivers accurate work",
            "Checks the work before handing it in.",
        ),
        (
            "Handles information properly",
            "Treats confidential material and personal data as agreed.",
        ),
        (
            "Works towards the team's goal",
            "Knows how their part adds to the team's result.",
        ),
        (
            "Puts what they learn to use",
            "Learns new tools and uses them in the work.",
        ),
        (
            "Thinks from the other side",
            "Hands work over in a form the receiver finds easy.",
        ),
        (
            "Works at a pace they can keep",
            "Says what pace fits their health and family, and keeps to it.",
        ),
        (
            "Helps teammates",
            "Shares what they notice and lends a hand when needed.",
        ),
    ];
    let (rows, levels) = if ja {
        (&JA, ["まだ", "一部できている", "できている"])
    } else {
        (&EN, ["Not yet", "Partly", "Yes"])
    };
    rows.iter()
        .map(|(name, description)| CriterionInput {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            levels: levels.iter().map(|l| (*l).to_owned()).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rubric() -> Vec<Criterion> {
        standard_rubric(true)
            .into_iter()
            .take(3)
            .enumerate()
            .map(|(i, input)| Criterion {
                id: CriterionId(i as i64 + 10),
                organisation_id: OrganisationId(1),
                position: i as i64 + 1,
                input,
                active: true,
            })
            .collect()
    }

    fn input(scores: &[(i64, i64)]) -> EvaluationInput {
        EvaluationInput {
            starts_on: day("2024-01-01"),
            ends_on: day("2024-01-31"),
            comment: String::new(),
            scores: scores
                .iter()
                .map(|&(c, level)| ScoreInput {
                    criterion_id: CriterionId(c),
                    level,
                    comment: String::new(),
                })
                .collect(),
        }
    }

    fn codes(p: &[FieldError]) -> Vec<(String, String)> {
        p.iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect()
    }

    const CONTRACT: (&str, &str) = ("2023-11-01", "2024-01-31");

    fn check(i: &EvaluationInput) -> Vec<FieldError> {
        i.problems(
            &rubric(),
            (day(CONTRACT.0), Some(day(CONTRACT.1))),
            day("2024-02-01"),
        )
    }

    #[test]
    fn every_criterion_must_be_scored_and_the_missing_one_is_named() {
        assert!(check(&input(&[(10, 3), (11, 1), (12, 2)])).is_empty());
        let p = check(&input(&[(10, 3), (12, 2)]));
        assert_eq!(codes(&p), [("scores".into(), "criterion_unscored".into())]);
        assert_eq!(p[0].params["row"], "2");
        assert_eq!(
            p[0].params["name"],
            "先入観にとらわれず、良いことはすぐに実行する"
        );
    }

    #[test]
    fn levels_criteria_and_dates_are_checked() {
        let p = check(&input(&[(10, 4), (11, 0), (12, 2), (12, 1), (99, 1)]));
        assert_eq!(
            codes(&p),
            [
                ("scores[0].level".into(), "out_of_range".into()),
                ("scores[1].level".into(), "out_of_range".into()),
                ("scores[3].criterion_id".into(), "duplicate".into()),
                ("scores[4].criterion_id".into(), "not_in_rubric".into()),
            ]
        );
        let mut late = input(&[(10, 3), (11, 1), (12, 2)]);
        late.starts_on = day("2023-10-01");
        late.ends_on = day("2024-02-29");
        assert_eq!(
            codes(&check(&late)),
            [
                ("starts_on".into(), "outside_contract".into()),
                ("ends_on".into(), "outside_contract".into())
            ]
        );
        let mut future = input(&[(10, 3), (11, 1), (12, 2)]);
        future.starts_on = day("2024-03-01");
        future.ends_on = day("2024-02-01");
        let c = codes(&future.problems(&rubric(), (day(CONTRACT.0), None), day("2024-02-01")));
        assert!(
            c.contains(&("starts_on".into(), "in_future".into())),
            "{c:?}"
        );
        assert!(
            c.contains(&("ends_on".into(), "before_start".into())),
            "{c:?}"
        );
        assert_eq!(
            codes(&input(&[]).problems(&[], (day(CONTRACT.0), None), day("2024-02-01"))),
            [("scores".into(), "no_rubric".into())]
        );
    }

    #[test]
    fn a_score_reads_as_words_and_counts_when_met() {
        let s = Score {
            criterion_id: CriterionId(1),
            position: 1,
            criterion_name: "期限を守る".into(),
            description: String::new(),
            levels: vec!["まだ".into(), "一部できている".into(), "できている".into()],
            level: 2,
            comment: String::new(),
        };
        assert_eq!(s.label(), "一部できている");
        assert!(!s.met());
        assert_eq!(s.ladder()[1], (2, "一部できている", true));
        let top = Score { level: 3, ..s };
        assert!(top.met());
    }

    #[test]
    fn levels_are_trimmed_and_must_differ() {
        let c = CriterionInput {
            name: " 期限 ".into(),
            description: String::new(),
            levels: vec!["まだ".into(), " ".into(), "まだ ".into()],
        }
        .normalised();
        assert_eq!(c.name, "期限");
        assert_eq!(c.levels.len(), 2);
        assert_eq!(
            codes(&c.problems()),
            [("levels".into(), "duplicate".into())]
        );
        assert_eq!(standard_rubric(true).len(), 15);
        assert_eq!(standard_rubric(false).len(), 15);
    }
}
