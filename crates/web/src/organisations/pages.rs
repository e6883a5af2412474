//! Organisation pages.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::organisation::{OrgFilter, OrgKind, Organisation, OrganisationInput};
use jimoto_domain::policy::OrgScope;
use jimoto_domain::region::PREFECTURES;
use jimoto_domain::{
    AccountAction, AccountScope, Actor, FieldError, Lang, OrganisationAction, OrganisationId, Page,
    PageRequest, RegionId, Role, ValidationFailure,
};
use jimoto_services::{NewAccount, OrganisationView, ServiceError, Services};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, every_problem, finish, target};
use crate::layout::{FormErrors, Frame, Pager, RegionGroups, render};
use crate::pickers::pickable_regions;
use crate::session::{Authed, Ctx};

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    region: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    frame: Frame,
    page: Page<Organisation>,
    pager: Pager,
    q: String,
    kind: String,
    region: String,
    /// The regions the filter offers: those the user's list can show.
    regions: RegionGroups,
    /// Names of the regions on this page.
    labels: RegionGroups,
    kinds: &'static [OrgKind],
    can_create: bool,
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
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
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    let page = s.organisations(&actor, &filter, &req).await?;
    let ids: Vec<RegionId> = page.items.iter().map(|o| o.region_id).collect();
    let labels = RegionGroups::new(ctx.tr, s.region_labels(&actor, &ids).await?);
    let all = s.region_refs(&actor).await?;
    let can_create = all
        .iter()
        .any(|r| actor.may(OrganisationAction::Create { region: r.id }));
    // The filter offers the regions this user's list can show.
    let scope = actor.visible_org_scope();
    let regions = RegionGroups::new(
        ctx.tr,
        all.into_iter()
            .filter(|r| match &scope {
                OrgScope::All => true,
                OrgScope::Regions(ids) => ids.contains(&r.id),
                OrgScope::One(_) | OrgScope::Nothing => false,
            })
            .collect(),
    );
    let (qs, kind, region) = (
        q.q.unwrap_or_default(),
        q.kind.unwrap_or_default(),
        q.region.unwrap_or_default(),
    );
    Ok(render(&ListPage {
        frame: ctx.frame("orgs-title"),
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
        labels,
        kinds: OrgKind::ALL,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "organisations/detail.html")]
struct DetailPage {
    frame: Frame,
    view: OrganisationView,
    region_name: String,
    can_edit: bool,
    can_add_member: bool,
    /// The viewer may issue members new temporary passwords.
    can_reset_members: bool,
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
) -> Result<DetailPage, AppError> {
    let s = &state.services;
    let view = s.organisation(actor, OrganisationId(id)).await?;
    let region_name = s.region(actor, view.organisation.region_id).await?.name;
    let o = &view.organisation;
    let can_edit = actor.may(OrganisationAction::Edit {
        id: o.id,
        region: o.region_id,
    });
    let can_add_member = actor.may(AccountAction::CreateMemberLogin {
        id: o.id,
        region: o.region_id,
    });
    let can_reset_members = actor.may(AccountAction::ResetPassword {
        role: Role::CompanyMember,
        region: Some(o.region_id),
    });
    Ok(DetailPage {
        frame: ctx.frame_titled(o.name.clone()),
        view,
        region_name,
        can_edit,
        can_add_member,
        can_reset_members,
        member,
        member_errors,
    })
}

pub(super) async fn detail(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let empty = (String::new(), String::new());
    Ok(render(
        &detail_page(&state, &ctx, &actor, id, empty, FormErrors::default()).await?,
    ))
}

/// A coordinator (or admin) adds a member account to an organisation.
pub(super) async fn add_member(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let member = (
        form.get("login").trim().to_owned(),
        form.get("display_name").to_owned(),
    );
    let account = NewAccount {
        login: member.0.clone(),
        display_name: member.1.clone(),
        password: String::new(),
        role: Role::CompanyMember,
        scope: AccountScope::Organisation(OrganisationId(id)),
        lang: Lang::Ja,
    };
    let result = state.services.issue_account(&actor, account).await;
    crate::accounts::issued(
        &ctx,
        result,
        format!("/organisations/{id}"),
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
#[template(path = "organisations/form.html")]
struct FormPage {
    frame: Frame,
    action: String,
    values: Values,
    errors: FormErrors,
    regions: RegionGroups,
    kinds: &'static [OrgKind],
    prefectures: Vec<(&'static str, &'static str)>,
    /// The kind is shown, not offered: the viewer may not change it (a company's own member).
    kind_locked: bool,
}

async fn form_page(
    ctx: &Ctx,
    s: &Services,
    actor: &Actor,
    title: &str,
    action: String,
    values: Values,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let regions = pickable_regions(ctx, s, actor, &values.region_id, |r| {
        actor.may(OrganisationAction::Create { region: r })
    })
    .await?;
    let english = ctx.tr.lang == Lang::En;
    let kind_locked = values.region_id.parse().is_ok_and(|r| {
        !actor.may(OrganisationAction::ChangeKind {
            region: RegionId(r),
        })
    });
    Ok(FormPage {
        kind_locked,
        frame: ctx.frame(title),
        action,
        values,
        errors,
        regions,
        kinds: OrgKind::ALL,
        prefectures: PREFECTURES
            .iter()
            .map(|p| (p.0, if english { p.2 } else { p.1 }))
            .collect(),
    })
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    // Nothing is chosen for the user: the kind is asked, and the prefecture is the region's
    // unless another is picked.
    let values = Values::default();
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
        return Err(ServiceError::Forbidden.into());
    }
    Ok(render(&page))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let o = s
        .organisation(&actor, OrganisationId(id))
        .await?
        .organisation;
    if !actor.may(OrganisationAction::Edit {
        id: o.id,
        region: o.region_id,
    }) {
        return Err(ServiceError::Forbidden.into());
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
    let region = form.req_int("region_id", &mut errors);
    let kind = form.choice("kind", OrgKind::parse, &mut errors);
    let share = form.opt_int("telework_share_percent", &mut errors);
    let input = OrganisationInput {
        region_id: RegionId(region.unwrap_or_default()),
        name: values.name.clone(),
        name_kana: values.name_kana.clone(),
        kind: kind.unwrap_or(OrgKind::LocalCompany),
        industry: values.industry.clone(),
        hq_prefecture: values.hq_prefecture.clone(),
        telework_share_percent: share,
    };
    (values, every_problem(errors, input))
}

async fn save(
    state: AppState,
    ctx: Ctx,
    actor: Actor,
    id: Option<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
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
    let (title, action) = target(id, "/organisations", "orgs");
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
        |r| format!("/organisations/{}", r.id),
        |errors| async {
            Ok(render(
                &form_page(&ctx, s, &actor, &title, action, values, errors).await?,
            ))
        },
    )
    .await
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
