//! Administration of accounts: the list with a form to create one, an account's page to change
//! its name and scope, and disabling or re-enabling it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::organisation::OrganisationRef;
use jimoto_domain::policy::role_change_is_safe;
use jimoto_domain::region::RegionRef;
use jimoto_domain::user::Account;
use jimoto_domain::{
    AccountAction, AccountScope, Actor, FieldError, Lang, OrganisationId, Page, PageRequest,
    RegionId, ResidentId, Role, UserId, ValidationFailure,
};
use jimoto_services::{NewAccount, ServiceError};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{ConfirmPage, FormErrors, Frame, Pager, RegionGroups, render};
use crate::session::{Authed, Ctx};

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    after: Option<String>,
    before: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Values {
    login: String,
    display_name: String,
    role: String,
    region_ids: Vec<String>,
    organisation_id: String,
    resident_id: String,
}

#[derive(Template)]
#[template(path = "accounts/list.html")]
struct ListPage {
    frame: Frame,
    page: Page<Account>,
    pager: Pager,
    values: Values,
    errors: FormErrors,
    roles: &'static [Role],
    regions: RegionGroups,
    organisations: Vec<OrganisationRef>,
}

impl ListPage {
    fn region_checked(&self, id: &RegionId) -> bool {
        self.values.region_ids.iter().any(|r| *r == id.to_string())
    }

    fn group_open(&self, list: &[RegionRef]) -> bool {
        list.iter().any(|r| self.region_checked(&r.id))
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    req: &PageRequest,
    values: Values,
    errors: FormErrors,
) -> Result<ListPage, AppError> {
    let s = &state.services;
    let page = s.accounts(actor, req).await?;
    let regions = RegionGroups::new(ctx.tr, s.region_refs(actor).await?);
    let organisations = s.organisation_refs(actor).await?;
    Ok(ListPage {
        frame: ctx.frame("users-title"),
        pager: Pager::new(&page, &[]),
        page,
        values,
        errors,
        roles: Role::ALL,
        regions,
        organisations,
    })
}

fn fresh_values() -> Values {
    Values::default()
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    if !actor.may(AccountAction::Manage) {
        return Err(ServiceError::Forbidden.into());
    }
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    Ok(render(
        &list_page(
            &state,
            &ctx,
            &actor,
            &req,
            fresh_values(),
            FormErrors::default(),
        )
        .await?,
    ))
}

pub(super) async fn create(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let values = Values {
        login: form.get("login").trim().into(),
        display_name: form.get("display_name").into(),
        role: form.get("role").into(),
        region_ids: form
            .all("region_ids")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        organisation_id: form.get("organisation_id").into(),
        resident_id: form.get("resident_id").into(),
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let role = form.choice("role", Role::parse, &mut errors);
    let regions: Vec<RegionId> = values
        .region_ids
        .iter()
        .filter_map(|r| r.parse().ok())
        .map(RegionId)
        .collect();
    let organisation = form
        .opt_int("organisation_id", &mut errors)
        .map(OrganisationId);
    let resident = form.opt_int("resident_id", &mut errors).map(ResidentId);
    let scope = role.and_then(|r| AccountScope::for_role(r, regions, organisation, resident));
    let result = match (role, scope) {
        (Some(role), Some(scope)) if errors.is_empty() => {
            let account = NewAccount {
                login: values.login.clone(),
                display_name: values.display_name.clone(),
                password: String::new(),
                role,
                scope,
                lang: Lang::Ja,
            };
            state.services.issue_account(&actor, account).await
        }
        (Some(_), None) if errors.is_empty() => Err(ServiceError::Validation(
            ValidationFailure::single("scope", "scope_mismatch"),
        )),
        _ => Err(ServiceError::Validation(ValidationFailure(errors))),
    };
    crate::accounts::issued(&ctx, result, "/admin/users".to_owned(), |errors| async {
        let page = list_page(
            &state,
            &ctx,
            &actor,
            &PageRequest::default(),
            values,
            errors,
        )
        .await?;
        Ok(render(&page))
    })
    .await
}

/// Asks before disabling: the person is logged out and their tokens stop working for good.
pub(super) async fn confirm_disable(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = state.services.account(&actor, UserId(id)).await?;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("users-disable-title"),
        question: ctx.tr.t1("users-disable-question", "login", &user.login),
        detail: ctx.tr.t("users-disable-detail"),
        action: format!("/admin/users/{id}/disable"),
        submit: ctx.tr.t("users-disable"),
        back: format!("/admin/users/{id}"),
    }))
}

pub(super) async fn disable(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    set_disabled(state, ctx, actor, id, true, form).await
}

pub(super) async fn enable(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    set_disabled(state, ctx, actor, id, false, form).await
}

async fn set_disabled(
    state: AppState,
    ctx: Ctx,
    actor: Actor,
    id: i64,
    disabled: bool,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = state
        .services
        .set_account_disabled(&actor, UserId(id), disabled)
        .await;
    let notice = if disabled {
        "notice-disabled"
    } else {
        "notice-enabled"
    };
    finish(
        &ctx,
        &state,
        notice,
        result,
        |_| "/admin/users".to_owned(),
        |errors| async {
            Ok(render(
                &list_page(
                    &state,
                    &ctx,
                    &actor,
                    &PageRequest::default(),
                    fresh_values(),
                    errors,
                )
                .await?,
            ))
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "accounts/edit.html")]
struct EditPage {
    frame: Frame,
    user: Account,
    display_name: String,
    region_ids: Vec<RegionId>,
    organisation_id: String,
    regions: RegionGroups,
    organisations: Vec<OrganisationRef>,
    errors: FormErrors,
    /// This is the admin's own account (no reset or disable here: /me).
    own: bool,
}

impl EditPage {
    /// The roles this account may take instead of its own (with its own first).
    fn roles(&self) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| role_change_is_safe(self.user.role, *r))
            .collect()
    }

    fn has_regions(&self) -> bool {
        matches!(self.user.role, Role::Coordinator | Role::Municipal)
    }

    fn region_checked(&self, id: &RegionId) -> bool {
        self.region_ids.contains(id)
    }

    fn group_open(&self, list: &[RegionRef]) -> bool {
        list.iter().any(|r| self.region_checked(&r.id))
    }
}

/// What was typed into the edit form: display name, regions, organisation.
type Typed = (String, Vec<RegionId>, String);

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    typed: Option<Typed>,
    errors: FormErrors,
) -> Result<EditPage, AppError> {
    let s = &state.services;
    let user = s.account(actor, UserId(id)).await?;
    let regions = RegionGroups::new(ctx.tr, s.region_refs(actor).await?);
    let organisations = s.organisation_refs(actor).await?;
    let (display_name, region_ids, organisation_id) = typed.unwrap_or_else(|| {
        let org = user
            .organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default();
        (user.display_name.clone(), user.regions.clone(), org)
    });
    Ok(EditPage {
        frame: ctx.frame_titled(user.login.clone()),
        user,
        display_name,
        region_ids,
        organisation_id,
        regions,
        organisations,
        errors,
        own: actor.user_id == UserId(id),
    })
}

pub(super) async fn edit(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(render(
        &edit_page(&state, &ctx, &actor, id, None, FormErrors::default()).await?,
    ))
}

pub(super) async fn update(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let s = &state.services;
    let user = s.account(&actor, UserId(id)).await?;
    let display_name = form.get("display_name").to_owned();
    let regions: Vec<RegionId> = form
        .all("region_ids")
        .into_iter()
        .filter_map(|r| r.parse().ok())
        .map(RegionId)
        .collect();
    let organisation = form.get("organisation_id").to_owned();
    let mut errors: Vec<FieldError> = Vec::new();
    let scope = match user.role {
        Role::Admin => Some(AccountScope::Platform),
        Role::Coordinator | Role::Municipal => Some(AccountScope::Regions(regions.clone())),
        Role::CompanyMember => {
            let org = form.req_int("organisation_id", &mut errors);
            org.map(|o| AccountScope::Organisation(OrganisationId(o)))
        }
        // A resident account keeps its record: only the name changes.
        Role::Resident => None,
    };
    // A role may change where that is safe (coordinator ↔ municipal staff).
    let role = if form.get("role").is_empty() {
        None
    } else {
        form.choice("role", Role::parse, &mut errors)
    };
    let result = if errors.is_empty() {
        s.update_account_and_role(&actor, UserId(id), &display_name, scope, role)
            .await
    } else {
        Err(ServiceError::Validation(ValidationFailure(errors)))
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| format!("/admin/users/{id}"),
        |errors| async {
            let typed = Some((display_name.clone(), regions.clone(), organisation.clone()));
            Ok(render(
                &edit_page(&state, &ctx, &actor, id, typed, errors).await?,
            ))
        },
    )
    .await
}
