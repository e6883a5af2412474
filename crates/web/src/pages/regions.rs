//! Region pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use jimoto_domain::region::{PREFECTURES, Region, RegionInput};
use jimoto_domain::{Action, Actor, RegionId};
use jimoto_services::{Page, PageRequest, ServiceError};
use jimoto_store::regions::RegionFilter;
use serde::Deserialize;

use super::{
    Base, FormErrors, Pager, csrf_rejection, finish_form, form_target, page_param, render,
};
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::session::{Authed, Ctx};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/regions", get(list).post(create))
        .route("/regions/new", get(new_form))
        .route("/regions/{id}", get(detail).post(update))
        .route("/regions/{id}/edit", get(edit_form))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    prefecture: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "regions_list.html")]
struct ListPage {
    base: Base,
    page: Page<Region>,
    pager: Pager,
    q: String,
    prefecture: String,
    prefectures: Vec<(&'static str, &'static str)>,
    can_create: bool,
}

async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let filter = RegionFilter {
        q: q.q.clone(),
        prefecture: q.prefecture.clone(),
    };
    let page = state
        .services
        .regions(
            &actor,
            &filter,
            PageRequest::new(page_param(q.page.as_deref()), None),
        )
        .await
        .map_err(|e| ctx.fail(e))?;
    let (qs, prefecture) = (q.q.unwrap_or_default(), q.prefecture.unwrap_or_default());
    let english = ctx.tr.lang == jimoto_domain::Lang::En;
    let page = ListPage {
        base: Base::new(&ctx, "regions-title"),
        pager: Pager::new(
            &page,
            &[("q", qs.clone()), ("prefecture", prefecture.clone())],
        ),
        page,
        q: qs,
        prefecture,
        prefectures: PREFECTURES
            .iter()
            .map(|p| (p.0, if english { p.2 } else { p.1 }))
            .collect(),
        can_create: actor.may(Action::CreateRegion),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "region_detail.html")]
struct DetailPage {
    base: Base,
    region: Region,
    can_edit: bool,
}

async fn detail(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let region = state
        .services
        .region(&actor, RegionId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let can_edit = actor.may(Action::EditRegion(region.id));
    Ok(render(&DetailPage {
        base: Base::titled(&ctx, region.name.clone()),
        region,
        can_edit,
    }))
}

#[derive(Template)]
#[template(path = "region_form.html")]
struct FormPage {
    base: Base,
    action: String,
    values: RegionInput,
    errors: FormErrors,
}

impl FormPage {
    fn issues_text(&self) -> String {
        self.values.policy_issues.join("\n")
    }
}

async fn new_form(Authed(ctx, actor): Authed) -> Result<Response, PageError> {
    if !actor.may(Action::CreateRegion) {
        return Err(ctx.fail(ServiceError::Forbidden));
    }
    let page = FormPage {
        base: Base::new(&ctx, "regions-new"),
        action: "/regions".into(),
        values: RegionInput::default(),
        errors: FormErrors::default(),
    };
    Ok(render(&page))
}

async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = state
        .services
        .region(&actor, RegionId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    if !actor.may(Action::EditRegion(r.id)) {
        return Err(ctx.fail(ServiceError::Forbidden));
    }
    let values = RegionInput {
        lg_code: r.lg_code,
        name: r.name,
        name_kana: r.name_kana,
        policy_issues: r.policy_issues,
        vision: r.vision,
    };
    let page = FormPage {
        base: Base::new(&ctx, "regions-edit"),
        action: format!("/regions/{id}"),
        values,
        errors: FormErrors::default(),
    };
    Ok(render(&page))
}

fn input_from(form: &FormData) -> RegionInput {
    RegionInput {
        lg_code: form.get("lg_code").to_owned(),
        name: form.get("name").to_owned(),
        name_kana: form.get("name_kana").to_owned(),
        policy_issues: form
            .get("policy_issues")
            .lines()
            .map(str::to_owned)
            .collect(),
        vision: form.get("vision").to_owned(),
    }
}

async fn create(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, PageError> {
    save(state, ctx, actor, None, form).await
}

async fn update(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    save(state, ctx, actor, Some(id), form).await
}

async fn save(
    state: AppState,
    ctx: Ctx,
    actor: Actor,
    id: Option<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
    let input = input_from(&form);
    let s = &state.services;
    let result = match id {
        None => s.create_region(&actor, input.clone()).await,
        Some(id) => s.update_region(&actor, RegionId(id), input.clone()).await,
    };
    let (title, action) = form_target(id, "/regions", "regions");
    finish_form(
        &ctx,
        result,
        |r| format!("/regions/{}", r.id),
        |errors| async {
            Ok(render(&FormPage {
                base: Base::new(&ctx, &title),
                action,
                values: input,
                errors,
            }))
        },
    )
    .await
}
