//! Organisations' work: the regions an organisation works with, its task inventory with each
//! task's assessment, its postings, and the public job board — in pages and the JSON API.

mod api;
mod board;
mod pages;
mod postings;

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
