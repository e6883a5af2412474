//! Organisations' work: the regions an organisation works with, its task inventory with each
//! task's assessment, its postings, and the public job board — in pages and the JSON API.

mod api;
mod api_eval;
mod api_hire;
mod api_match;
mod board;
mod contracts;
mod evaluations;
mod hiring;
pub(crate) mod matching;
mod pages;
mod postings;
mod thresholds;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/work", get(pages::work_home))
        .route("/organisations/{id}/work", get(pages::work))
        .route("/organisations/{id}/regions", post(pages::add_region))
        .route(
            "/organisations/{id}/regions/{region}/remove",
            post(pages::remove_region),
        )
        .route(
            "/organisations/{id}/tasks/new",
            get(pages::new_task).post(pages::create_task),
        )
        .route(
            "/tasks/{id}",
            get(pages::edit_task).post(pages::update_task),
        )
        .route(
            "/tasks/{id}/delete",
            get(pages::delete_task_confirm).post(pages::delete_task),
        )
        .route("/tasks/{id}/posting", post(pages::task_to_posting))
        .route(
            "/organisations/{id}/postings/new",
            get(postings::new_posting).post(postings::create_posting),
        )
        .route("/postings/{id}", get(postings::posting))
        .route(
            "/postings/{id}/edit",
            get(postings::edit_posting).post(postings::update_posting),
        )
        .route("/postings/{id}/status", post(postings::set_status))
        .route("/jobs", get(board::board))
        .route("/postings/{id}/apply", post(hiring::apply))
        .route("/applications/{id}", get(hiring::application))
        .route("/applications/{id}/{what}", post(hiring::act))
        .route("/organisations/{id}/hiring", get(hiring::hiring))
        .route("/organisations/{id}/stages", post(hiring::add_stage))
        .route("/organisations/{id}/payments", get(contracts::payments))
        .route("/me/work", get(hiring::mine))
        .route(
            "/engagements/{id}",
            get(contracts::engagement).post(contracts::update_terms),
        )
        .route("/engagements/{id}/terms", get(contracts::terms_notice))
        .route(
            "/engagements/{id}/hours",
            get(contracts::hours).post(contracts::log_hours),
        )
        .route(
            "/engagements/{id}/evaluate",
            get(evaluations::evaluate_form).post(evaluations::evaluate),
        )
        .route("/evaluations/{id}", get(evaluations::evaluation))
        .route("/organisations/{id}/rubric", get(evaluations::rubric))
        .route(
            "/organisations/{id}/rubric/{what}",
            post(evaluations::rubric_act),
        )
        .route(
            "/organisations/{id}/retention",
            get(evaluations::org_retention),
        )
        .route("/regions/{id}/work", get(evaluations::region_work))
        .route("/regions/{id}/allocation", get(matching::allocation))
        .route("/regions/{id}/allocation/accept", post(matching::accept))
        .route("/engagements/{id}/{what}", post(contracts::act))
        .route("/periods/{id}/statement", get(contracts::statement))
        .route("/periods/{id}/{what}", post(contracts::period_act))
        .route(
            "/me/thresholds",
            get(thresholds::mine).post(thresholds::choose),
        )
        .route(
            "/admin/thresholds",
            get(thresholds::admin).post(thresholds::set),
        )
        .route("/admin/thresholds/{id}/delete", post(thresholds::delete))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::regions, api::add_region))
        .routes(routes!(api::remove_region))
        .routes(routes!(api::tasks, api::create_task))
        .routes(routes!(api::task, api::update_task, api::delete_task))
        .routes(routes!(api::task_to_posting))
        .routes(routes!(api::postings, api::create_posting))
        .routes(routes!(api::posting, api::update_posting))
        .routes(routes!(api::set_status))
        .routes(routes!(api::board))
        .routes(routes!(api_hire::apply))
        .routes(routes!(api_hire::my_applications))
        .routes(routes!(api_hire::withdraw))
        .routes(routes!(api_hire::applications))
        .routes(routes!(api_hire::application))
        .routes(routes!(api_hire::move_stage))
        .routes(routes!(api_hire::add_note))
        .routes(routes!(api_hire::decline))
        .routes(routes!(api_hire::hire))
        .routes(routes!(api_hire::stages, api_hire::add_stage))
        .routes(routes!(api_hire::engagement, api_hire::update_engagement))
        .routes(routes!(api_hire::start_engagement))
        .routes(routes!(api_hire::end_engagement))
        .routes(routes!(api_hire::my_engagements))
        .routes(routes!(api_hire::engagements))
        .routes(routes!(api_hire::hours, api_hire::log_hours))
        .routes(routes!(api_hire::submit_period))
        .routes(routes!(api_hire::return_period))
        .routes(routes!(api_hire::approve_period))
        .routes(routes!(api_hire::mark_paid))
        .routes(routes!(api_hire::statement))
        .routes(routes!(api_hire::payments))
        .routes(routes!(api_hire::my_earnings))
        .routes(routes!(api_hire::pay_totals))
        .routes(routes!(
            api_hire::my_thresholds,
            api_hire::choose_thresholds
        ))
        .routes(routes!(api_hire::thresholds, api_hire::set_threshold))
        .routes(routes!(api_hire::delete_threshold))
        .routes(routes!(api_eval::rubric, api_eval::add_criterion))
        .routes(routes!(api_eval::adopt_standard))
        .routes(routes!(api_eval::update_criterion))
        .routes(routes!(api_eval::evaluations, api_eval::evaluate))
        .routes(routes!(api_eval::evaluation))
        .routes(routes!(api_eval::renew))
        .routes(routes!(api_eval::org_retention))
        .routes(routes!(api_match::jobs_for))
        .routes(routes!(api_match::people_for))
        .routes(routes!(api_match::allocate))
        .routes(routes!(api_match::accept))
        .routes(routes!(api_match::solve_match1))
        .routes(routes!(api_eval::region_retention))
}

/// A posting's facts in words, as the board and its page show them.
pub(crate) struct PostingWords {
    /// 時給 1,200円 / 月額 40,000円 / 未設定.
    pub pay: String,
    /// 週10時間・月10日 · 平日午前、平日午後.
    pub when: String,
    /// Excel (レベル3)、…
    pub skills: String,
    /// 試用期間3か月の後 業務委託.
    pub contract: String,
}

impl PostingWords {
    pub(crate) fn of(tr: crate::i18n::Tr, p: &jimoto_domain::work::Posting) -> Self {
        let pay = if p.pay_yen > 0 {
            tr.t1(
                &format!("posting-pay-{}", p.pay_kind.as_str()),
                "amount",
                tr.yen(p.pay_yen),
            )
        } else {
            tr.t("posting-pay-unset")
        };
        let mut when = tr.ta(
            "posting-hours",
            &[
                ("hours", p.hours_per_week.to_string()),
                ("days", p.days_per_month.to_string()),
            ],
        );
        if !p.time_windows.is_empty() {
            when.push_str(" · ");
            when.push_str(
                &tr.join(
                    p.time_windows
                        .iter()
                        .map(|w| tr.e("time_window", w.as_str())),
                ),
            );
        }
        let skills = tr.join(p.skills.iter().map(|s| tr.skill(&s.name, s.level)));
        let contract_name = tr.e("contract", p.contract.as_str());
        let contract = match p.trial_months {
            Some(m) => tr.ta(
                "posting-trial-then",
                &[("months", m.to_string()), ("contract", contract_name)],
            ),
            None => contract_name,
        };
        Self {
            pay,
            when,
            skills,
            contract,
        }
    }
}

/// Minutes as hours and minutes in words: 17時間25分 / 17 h 25 min.
pub(crate) fn hours_text(tr: crate::i18n::Tr, minutes: i64) -> String {
    tr.ta(
        "hours-hm",
        &[
            ("hours", (minutes / 60).to_string()),
            ("minutes", (minutes % 60).to_string()),
        ],
    )
}
