//! Organisation pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use jimoto_domain::organisation::{OrgKind, Organisation, OrganisationInput};
use jimoto_domain::region::PREFECTURES;
use jimoto_domain::{Action, Actor, FieldError, OrganisationId, RegionId, ValidationFailure};
use jimoto_services::{OrganisationView, Page, PageRequest, ServiceError, Services};
use jimoto_store::organisations::OrgFilter;
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
        .route("/organisations", get(list).post(create))
        .route("/organisations/new", get(new_form))
        .route("/organisations/{id}", get(detail).post(update))
        .route("/organisations/{id}/edit", get(edit_form))
        .route(
            "/organisations/{id}/members",
            axum::routing::post(add_member),
        )
}

/// (id, name) of every region, for pickers and labels.
pub(crate) async fn region_names(
    s: &Services,
    actor: &Actor,
) -> Result<Vec<(RegionId, String)>, ServiceError> {
    let page = s
        .regions(
            actor,
            &RegionFilter::default(),
            PageRequest::new(Some(1), Some(200)),
        )
        .await?;
    Ok(page.items.into_iter().map(|r| (r.id, r.name)).collect())
}

/// The regions a form's region picker offers: those the actor may use, plus the record's
/// current one (so an edit form shows where the record is).
pub(crate) async fn pickable_regions(
    ctx: &Ctx,
    s: &Services,
    actor: &Actor,
    current: &str,
    allowed: impl Fn(RegionId) -> bool,
) -> Result<Vec<(RegionId, String)>, PageError> {
    let all = region_names(s, actor).await.map_err(|e| ctx.fail(e))?;
    Ok(all
        .into_iter()
        .filter(|(r, _)| allowed(*r) || current == r.to_string())
        .collect())
}

pub(crate) fn name_of(regions: &[(RegionId, String)], id: RegionId) -> String {
    regions
        .iter()
        .find(|(r, _)| *r == id)
        .map_or_else(|| id.to_string(), |(_, n)| n.clone())
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    region: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs_list.html")]
struct ListPage {
    base: Base,
    page: Page<Organisation>,
    pager: Pager,
    q: String,
    kind: String,
    region: String,
    regions: Vec<(RegionId, String)>,
    kinds: &'static [OrgKind],
    can_create: bool,
}

impl ListPage {
    fn region_name(&self, id: &RegionId) -> String {
        name_of(&self.regions, *id)
    }
}

async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let s = &state.services;
    let filter = OrgFilter {
        q: q.q.clone(),
        kind: q.kind.as_deref().and_then(OrgKind::parse),
        region: q
            .region
            .as_deref()
            .and_then(|r| r.parse().ok())
            .map(RegionId),
    };
    let page = s
        .organisations(
            &actor,
            &filter,
            PageRequest::new(page_param(q.page.as_deref()), None),
        )
        .await
        .map_err(|e| ctx.fail(e))?;
    let regions = region_names(s, &actor).await.map_err(|e| ctx.fail(e))?;
    let can_create = regions
        .iter()
        .any(|(r, _)| actor.may(Action::CreateOrganisation(*r)));
    let (qs, kind, region) = (
        q.q.unwrap_or_default(),
        q.kind.unwrap_or_default(),
        q.region.unwrap_or_default(),
    );
    let page = ListPage {
        base: Base::new(&ctx, "orgs-title"),
        pager: Pager::new(
            &page,
            &[
                ("q", qs.clone()),
                ("kind", kind.clone()),
                ("region", region.clone()),
            ],
        ),
        page,
        q: qs,
        kind,
        region,
        regions,
        kinds: &OrgKind::ALL,
        can_create,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct DetailPage {
    base: Base,
    view: OrganisationView,
    region_name: String,
    can_edit: bool,
    can_add_member: bool,
    member: (String, String),
    member_errors: FormErrors,
}

async fn detail_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    member: (String, String),
    member_errors: FormErrors,
) -> Result<DetailPage, PageError> {
    let s = &state.services;
    let view = s
        .organisation(actor, OrganisationId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let region_name = s
        .region(actor, view.organisation.region_id)
        .await
        .map(|r| r.name)
        .unwrap_or_default();
    let o = &view.organisation;
    let can_edit = actor.may(Action::EditOrganisation {
        id: o.id,
        region: o.region_id,
    });
    let can_add_member = actor.may(Action::CreateMemberAccount {
        id: o.id,
        region: o.region_id,
    });
    Ok(DetailPage {
        base: Base::titled(ctx, o.name.clone()),
        view,
        region_name,
        can_edit,
        can_add_member,
        member,
        member_errors,
    })
}

async fn detail(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let empty = (String::new(), String::new());
    Ok(render(
        &detail_page(&state, &ctx, &actor, id, empty, FormErrors::default()).await?,
    ))
}

/// A coordinator (or admin) adds a member account to an organisation.
async fn add_member(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
    let member = (
        form.get("login").trim().to_owned(),
        form.get("display_name").to_owned(),
    );
    let account = jimoto_services::NewAccount {
        login: member.0.clone(),
        display_name: member.1.clone(),
        password: form.get("password").to_owned(),
        role: jimoto_domain::Role::CompanyMember,
        scope: jimoto_services::AccountScope::Organisation(OrganisationId(id)),
        lang: jimoto_domain::Lang::Ja,
    };
    let result = state.services.create_account(&actor, account).await;
    finish_form(
        &ctx,
        result,
        |_| format!("/organisations/{id}"),
        |errors| async {
            Ok(render(
                &detail_page(&state, &ctx, &actor, id, member, errors).await?,
            ))
        },
    )
    .await
}

/// Form values as typed, so a rejected form shows exactly what was entered.
#[derive(Debug, Clone, Default)]
struct Values {
    region_id: String,
    name: String,
    name_kana: String,
    kind: String,
    industry: String,
    hq_prefecture: String,
    telework_share_percent: String,
}

#[derive(Template)]
#[template(path = "org_form.html")]
struct FormPage {
    base: Base,
    action: String,
    values: Values,
    errors: FormErrors,
    regions: Vec<(RegionId, String)>,
    kinds: &'static [OrgKind],
    prefectures: Vec<(&'static str, &'static str)>,
}

async fn form_page(
    ctx: &Ctx,
    s: &Services,
    actor: &Actor,
    title: &str,
    action: String,
    values: Values,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let regions = pickable_regions(ctx, s, actor, &values.region_id, |r| {
        actor.may(Action::CreateOrganisation(r))
    })
    .await?;
    let english = ctx.tr.lang == jimoto_domain::Lang::En;
    Ok(FormPage {
        base: Base::new(ctx, title),
        action,
        values,
        errors,
        regions,
        kinds: &OrgKind::ALL,
        prefectures: PREFECTURES
            .iter()
            .map(|p| (p.0, if english { p.2 } else { p.1 }))
            .collect(),
    })
}

async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, PageError> {
    let values = Values {
        hq_prefecture: "13".into(),
        kind: "local_company".into(),
        ..Values::default()
    };
    let page = form_page(
        &ctx,
        &state.services,
        &actor,
        "orgs-new",
        "/organisations".into(),
        values,
        FormErrors::default(),
    )
    .await?;
    if page.regions.is_empty() {
        return Err(ctx.fail(ServiceError::Forbidden));
    }
    Ok(render(&page))
}

async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let s = &state.services;
    let o = s
        .organisation(&actor, OrganisationId(id))
        .await
        .map_err(|e| ctx.fail(e))?
        .organisation;
    if !actor.may(Action::EditOrganisation {
        id: o.id,
        region: o.region_id,
    }) {
        return Err(ctx.fail(ServiceError::Forbidden));
    }
    let values = Values {
        region_id: o.region_id.to_string(),
        name: o.name,
        name_kana: o.name_kana,
        kind: o.kind.as_str().into(),
        industry: o.industry,
        hq_prefecture: o.hq_prefecture,
        telework_share_percent: o
            .telework_share_percent
            .map(|p| p.to_string())
            .unwrap_or_default(),
    };
    Ok(render(
        &form_page(
            &ctx,
            s,
            &actor,
            "orgs-edit",
            format!("/organisations/{id}"),
            values,
            FormErrors::default(),
        )
        .await?,
    ))
}

fn parse(form: &FormData) -> (Values, Result<OrganisationInput, ValidationFailure>) {
    let values = Values {
        region_id: form.get("region_id").into(),
        name: form.get("name").into(),
        name_kana: form.get("name_kana").into(),
        kind: form.get("kind").into(),
        industry: form.get("industry").into(),
        hq_prefecture: form.get("hq_prefecture").into(),
        telework_share_percent: form.get("telework_share_percent").into(),
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let region = form.opt_int("region_id", &mut errors);
    if region.is_none() && errors.is_empty() {
        errors.push(FieldError::new("region_id", "required"));
    }
    let kind = form.choice("kind", OrgKind::parse, &mut errors);
    let share = form.opt_int("telework_share_percent", &mut errors);
    let result = match (region, kind) {
        (Some(r), Some(k)) if errors.is_empty() => Ok(OrganisationInput {
            region_id: RegionId(r),
            name: values.name.clone(),
            name_kana: values.name_kana.clone(),
            kind: k,
            industry: values.industry.clone(),
            hq_prefecture: values.hq_prefecture.clone(),
            telework_share_percent: share,
        }),
        _ => Err(ValidationFailure(errors)),
    };
    (values, result)
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
    let s = &state.services;
    let (values, parsed) = parse(&form);
    let result = match parsed {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(input) => match id {
            None => s.create_organisation(&actor, input).await,
            Some(id) => {
                s.update_organisation(&actor, OrganisationId(id), input)
                    .await
            }
        },
    };
    let (title, action) = form_target(id, "/organisations", "orgs");
    finish_form(
        &ctx,
        result,
        |r| format!("/organisations/{}", r.id),
        |errors| async {
            Ok(render(
                &form_page(&ctx, s, &actor, &title, action, values, errors).await?,
            ))
        },
    )
    .await
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
