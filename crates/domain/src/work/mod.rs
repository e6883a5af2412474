//! Work: the second half of the loop. Organisations inventory their tasks, turn the ones that
//! can be done remotely into postings, select applicants, contract them (with the freelance
//! act's written terms for outsourcing to an individual), approve their hours and pay them, and
//! evaluate them fairly. Everything here is a rule without I/O: the assessment of a task, what a
//! posting must say, the freelance act's checks, the pay arithmetic and the income thresholds.

pub mod engagement;
pub mod evaluation;
pub mod matching;
pub mod pay;
pub mod posting;
pub mod retention;
pub mod selection;
pub mod task;
pub mod threshold;

pub use engagement::{
    EndInput, EndReason, Engagement, EngagementInput, EngagementStatus, RenewInput, Terms,
};
pub use evaluation::{Criterion, CriterionInput, Evaluation, EvaluationInput, Score, ScoreInput};
pub use pay::{DayEntry, Earned, Earnings, PayPeriod, PayRules, PaySlip, PeriodStatus};
pub use posting::{
    BoardFilter, Category, ContractKind, JobLevel, PayKind, Posting, PostingInput, PostingStatus,
    WorkPlace,
};
pub use retention::{Milestone, ReasonCount, Retention, Span, Tenure};
pub use selection::{Application, ApplicationStatus, DefaultStage, SelectionStage};
pub use task::{Assessment, Readiness, Split, Task, TaskInput};
pub use threshold::{Closeness, IncomeSoFar, Projection};
pub use threshold::{Threshold, ThresholdKind};
