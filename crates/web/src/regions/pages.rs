//! Region pages. A new region is picked from the national list of local governments (type a
//! name or a reading, 萩 or ハギ); its name, reading and prefecture come from the list.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::page::Page;
use jimoto_domain::region::{PREFECTURES, Region, RegionFilter, RegionInput};
use jimoto_domain::{Actor, PageRequest, RegionAction, RegionId, municipality};
use jimoto_services::{MunicipalityChoice, ServiceError};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish, target};
use crate::layout::{FormErrors, Frame, Pager, render};
use crate::session::{Authed, Ctx};

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    q: Option<String>,
    prefecture: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "regions/list.html")]
struct ListPage {
    frame: Frame,
    page: Page<Region>,
    pager: Pager,
    q: String,
    prefecture: String,
    prefectures: Vec<(&'static str, &'static str)>,
    can_create: bool,
}

fn prefecture_options(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    let english = ctx.tr.lang == jimoto_domain::Lang::En;
    PREFECTURES
        .iter()
        .map(|p| (p.0, if english { p.2 } else { p.1 }))
        .collect()
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = RegionFilter {
        q: q.q.clone(),
        prefecture: q.prefecture.clone(),
    };
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    let page = state.services.regions(&actor, &filter, &req).await?;
    let (qs, prefecture) = (q.q.unwrap_or_default(), q.prefecture.unwrap_or_default());
    Ok(render(&ListPage {
        frame: ctx.frame("regions-title"),
        pager: Pager::new(
            &page,
            &[("q", qs.clone()), ("prefecture", prefecture.clone())],
        ),
        page,
        q: qs,
        prefecture,
        prefectures: prefecture_options(&ctx),
        can_create: actor.may(RegionAction::Create),
    }))
}

#[derive(Template)]
#[template(path = "regions/detail.html")]
struct DetailPage {
    frame: Frame,
    region: Region,
    can_edit: bool,
    /// The viewer sees the region's pay totals and retention.
    work_figures: bool,
    /// The viewer may allocate the region's people to its open places.
    allocates: bool,
}

pub(super) async fn detail(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let region = state.services.region(&actor, RegionId(id)).await?;
    let can_edit = actor.may(RegionAction::Edit { region: region.id });
    let work_figures = actor.may(jimoto_domain::WorkAction::PayTotals { region: region.id });
    let allocates = actor.may(jimoto_domain::WorkAction::Match { region: region.id });
    Ok(render(&DetailPage {
        frame: ctx.frame_titled(region.name.clone()),
        region,
        can_edit,
        work_figures,
        allocates,
    }))
}

/// The municipality picker: what was typed, and every match, a page at a time.
#[derive(Template)]
#[template(path = "regions/pick.html")]
struct PickPage {
    frame: Frame,
    q: String,
    choices: Vec<MunicipalityChoice>,
    /// Matches in all, and the first shown (0-based).
    total: usize,
    from: usize,
}

/// How many matches the picker shows at a time.
const PICK_PAGE: usize = 50;

impl PickPage {
    fn prev_from(&self) -> Option<usize> {
        (self.from > 0).then(|| self.from.saturating_sub(PICK_PAGE))
    }

    fn next_from(&self) -> Option<usize> {
        (self.from + PICK_PAGE < self.total).then_some(self.from + PICK_PAGE)
    }

    fn total_text(&self) -> String {
        let n = i64::try_from(self.total).unwrap_or(i64::MAX);
        self.frame
            .tr
            .t1("pager-total", "count", self.frame.tr.number(n))
    }

    fn q_param(&self) -> String {
        crate::request::urlencode(&self.q)
    }
}

/// The form for one region: the municipality (from the list) and what the region writes itself.
#[derive(Template)]
#[template(path = "regions/form.html")]
struct FormPage {
    frame: Frame,
    action: String,
    values: RegionInput,
    /// The national list's entry for the code, when it is on the list.
    listed: Option<&'static municipality::Municipality>,
    errors: FormErrors,
}

impl FormPage {
    fn issues_text(&self) -> String {
        self.values.policy_issues.join("\n")
    }
}

fn form_page(
    ctx: &Ctx,
    title: &str,
    action: String,
    values: RegionInput,
    errors: FormErrors,
) -> FormPage {
    let listed = jimoto_domain::LgCode::parse(&values.lg_code)
        .ok()
        .and_then(|c| municipality::by_code(c.as_str()));
    FormPage {
        frame: ctx.frame(title),
        action,
        values,
        listed,
        errors,
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct NewQuery {
    q: Option<String>,
    lg_code: Option<String>,
    from: Option<usize>,
}

/// Step 1 (`?q=萩`): find the municipality; step 2 (`?lg_code=352047`): describe the region.
pub(super) async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    if !actor.may(RegionAction::Create) {
        return Err(ServiceError::Forbidden.into());
    }
    if let Some(code) = q.lg_code.filter(|c| !c.trim().is_empty()) {
        let values = RegionInput {
            lg_code: code,
            ..RegionInput::default()
        };
        return Ok(render(&form_page(
            &ctx,
            "regions-new",
            "/regions".into(),
            values,
            FormErrors::default(),
        )));
    }
    let typed = q.q.unwrap_or_default();
    let all = if typed.trim().is_empty() {
        Vec::new()
    } else {
        state.services.municipality_choices(&actor, &typed).await?
    };
    let total = all.len();
    let from = q.from.unwrap_or(0).min(total.saturating_sub(1));
    let choices = all.into_iter().skip(from).take(PICK_PAGE).collect();
    Ok(render(&PickPage {
        frame: ctx.frame("regions-new"),
        q: typed,
        choices,
        total,
        from,
    }))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = state.services.region(&actor, RegionId(id)).await?;
    if !actor.may(RegionAction::Edit { region: r.id }) {
        return Err(ServiceError::Forbidden.into());
    }
    let values = RegionInput {
        lg_code: r.lg_code,
        policy_issues: r.policy_issues,
        vision: r.vision,
    };
    Ok(render(&form_page(
        &ctx,
        "regions-edit",
        format!("/regions/{id}"),
        values,
        FormErrors::default(),
    )))
}

fn input_from(form: &FormData) -> RegionInput {
    RegionInput {
        lg_code: form.get("lg_code").to_owned(),
        policy_issues: form
            .get("policy_issues")
            .lines()
            .map(str::to_owned)
            .collect(),
        vision: form.get("vision").to_owned(),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    save(state, ctx, actor, None, form).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    save(state, ctx, actor, Some(id), form).await
}

async fn save(
    state: AppState,
    ctx: Ctx,
    actor: Actor,
    id: Option<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let input = input_from(&form);
    let s = &state.services;
    let result = match id {
        None => s.create_region(&actor, input.clone()).await,
        Some(id) => s.update_region(&actor, RegionId(id), input.clone()).await,
    };
    let (title, action) = target(id, "/regions", "regions");
    let notice = if id.is_some() {
        "notice-saved"
    } else {
        "notice-created"
    };
    finish(
        &ctx,
        &state,
        notice,
        result,
        |r| format!("/regions/{}", r.id),
        |errors| async { Ok(render(&form_page(&ctx, &title, action, input, errors))) },
    )
    .await
}
