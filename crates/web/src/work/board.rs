//! The public job board: open postings, newest first, searchable in Japanese and English and
//! filtered by hours, pay, style, level and kind of work; usable on a phone without scripts.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jimoto_domain::work::{BoardFilter, Category, JobLevel, Posting, WorkPlace};
use jimoto_domain::{FieldError, Page, PageRequest, RegionId};
use jimoto_services::ServiceError;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{FormErrors, Frame, Pager, render};
use crate::session::Ctx;

/// The board's query, as typed (numbers are read here so that "abc" is named, not a 400).
#[derive(Debug, Default, Deserialize)]
pub(super) struct BoardQuery {
    q: Option<String>,
    region: Option<String>,
    max_hours: Option<String>,
    min_hourly: Option<String>,
    work_place: Option<String>,
    level: Option<String>,
    category: Option<String>,
    after: Option<String>,
    before: Option<String>,
    /// The resident a coordinator is looking for work for (kept through the pages).
    #[serde(rename = "for")]
    for_resident: Option<String>,
}

impl BoardQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("q", v(&self.q)),
            ("region", v(&self.region)),
            ("max_hours", v(&self.max_hours)),
            ("min_hourly", v(&self.min_hourly)),
            ("work_place", v(&self.work_place)),
            ("level", v(&self.level)),
            ("category", v(&self.category)),
            ("for", v(&self.for_resident)),
        ]
    }

    /// The filter, and every problem with what was typed.
    pub(super) fn filter(&self) -> (BoardFilter, Vec<FieldError>) {
        let form = FormData(
            self.pairs()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        );
        let mut problems = Vec::new();
        let q = form.get("q").trim();
        let mut f = BoardFilter {
            q: (!q.is_empty()).then(|| q.to_owned()),
            region: form.opt_int("region", &mut problems).map(RegionId),
            max_hours: form.opt_int("max_hours", &mut problems),
            min_hourly: form.opt_int("min_hourly", &mut problems),
            ..BoardFilter::default()
        };
        if !form.get("work_place").is_empty() {
            f.work_place = form.choice("work_place", WorkPlace::parse, &mut problems);
        }
        if !form.get("level").is_empty() {
            f.level = form.choice("level", JobLevel::parse, &mut problems);
        }
        if !form.get("category").is_empty() {
            f.category = form.choice("category", Category::parse, &mut problems);
        }
        (f, problems)
    }
}

#[derive(Template)]
#[template(path = "work/board.html")]
struct BoardPage {
    frame: Frame,
    values: FormData,
    page: Page<Posting>,
    pager: Pager,
    regions: Vec<(RegionId, String)>,
    places: &'static [WorkPlace],
    levels: &'static [JobLevel],
    categories: &'static [Category],
    /// The resident a coordinator applies for: (id, name).
    on_behalf: Option<(i64, String)>,
    errors: FormErrors,
}

impl BoardPage {
    fn cards(&self) -> Vec<(&Posting, super::PostingWords)> {
        self.page
            .items
            .iter()
            .map(|p| (p, super::PostingWords::of(self.frame.tr, p)))
            .collect()
    }
}

/// The job board.
pub(super) async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let (filter, mut problems) = q.filter();
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), Some(20));
    let page = if problems.is_empty() {
        match s.board(&filter, &req).await {
            Ok(p) => p,
            Err(ServiceError::Validation(v)) => {
                problems.extend(v.0);
                Page::empty()
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        Page::empty()
    };
    let pairs = q.pairs();
    let on_behalf = on_behalf_of(&state, &ctx, q.for_resident.as_deref()).await;
    Ok(render(&BoardPage {
        on_behalf,
        frame: ctx.frame("board-title"),
        pager: Pager::new(&page, &pairs),
        values: FormData(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
        page,
        regions: s.board_regions().await?,
        places: WorkPlace::ALL,
        levels: JobLevel::ALL,
        categories: Category::ALL,
        errors: FormErrors::from(ctx.tr, &problems),
    }))
}

/// The resident named by `for=`, when the viewer may apply on their behalf (a coordinator of
/// their region); anything else is ignored, never an error: the board stays public.
pub(super) async fn on_behalf_of(
    state: &AppState,
    ctx: &Ctx,
    raw: Option<&str>,
) -> Option<(i64, String)> {
    let actor = ctx.actor.as_ref()?;
    let id: i64 = raw?.trim().parse().ok()?;
    let r = state
        .services
        .resident(actor, jimoto_domain::ResidentId(id))
        .await
        .ok()?;
    (!matches!(actor.principal, jimoto_domain::Principal::Resident { .. })
        && actor.may(jimoto_domain::WorkAction::Apply {
            resident: r.id,
            region: r.region_id,
        }))
    .then_some((id, r.name))
}
