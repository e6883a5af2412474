//! Administration: accounts and the audit log.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use jimoto_domain::{
    Action, FieldError, Lang, OrganisationId, RegionId, ResidentId, Role, UserId, ValidationFailure,
};
use jimoto_services::{AccountScope, NewAccount, Page, PageRequest, ServiceError};
use jimoto_store::audit::{AuditEntry, AuditFilter};
use jimoto_store::organisations::OrgFilter;
use jimoto_store::users::UserRecord;
use serde::Deserialize;

use super::organisations::region_names;
use super::{Base, FormErrors, Pager, csrf_rejection, finish_form, page_param, render};
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::session::{Authed, Ctx};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(audit))
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{id}", get(edit_user).post(update_user))
        .route("/admin/users/{id}/disable", post(disable_user))
        .route("/admin/users/{id}/enable", post(enable_user))
}

#[derive(Debug, Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    base: Base,
    page: Page<AuditEntry>,
    pager: Pager,
    entity: String,
    entity_id: String,
}

impl AuditPage {
    /// `name: A → B` lines for an entry's changes.
    fn changes(&self, e: &AuditEntry) -> Vec<(String, String)> {
        let Some(obj) = e.changes.as_object() else {
            return vec![];
        };
        obj.iter()
            .map(|(k, v)| {
                let text = match v.as_array() {
                    Some(pair) if pair.len() == 2 => {
                        format!("{} → {}", show(&pair[0]), show(&pair[1]))
                    }
                    _ => self.base.tr.t("audit-changed"),
                };
                (self.base.tr.field_label(k), text)
            })
            .collect()
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn audit(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = AuditFilter {
        entity: q.entity.clone(),
        entity_id: q.entity_id.as_deref().and_then(|s| s.trim().parse().ok()),
    };
    let page = state
        .services
        .audit_log(
            &actor,
            &filter,
            PageRequest::new(page_param(q.page.as_deref()), None),
        )
        .await
        .map_err(|e| ctx.fail(e))?;
    let (entity, entity_id) = (
        q.entity.unwrap_or_default(),
        q.entity_id.unwrap_or_default(),
    );
    let page = AuditPage {
        base: Base::new(&ctx, "audit-title"),
        pager: Pager::new(
            &page,
            &[("entity", entity.clone()), ("entity_id", entity_id.clone())],
        ),
        page,
        entity,
        entity_id,
    };
    Ok(render(&page))
}

#[derive(Debug, Deserialize)]
struct UsersQuery {
    page: Option<String>,
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
#[template(path = "users.html")]
struct UsersPage {
    base: Base,
    page: Page<UserRecord>,
    pager: Pager,
    values: Values,
    errors: FormErrors,
    roles: [Role; 5],
    regions: Vec<(RegionId, String)>,
    organisations: Vec<(i64, String)>,
}

impl UsersPage {
    fn region_checked(&self, id: &RegionId) -> bool {
        self.values.region_ids.iter().any(|r| *r == id.to_string())
    }
}

async fn users_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    page: Option<i64>,
    values: Values,
    errors: FormErrors,
) -> Result<UsersPage, PageError> {
    let s = &state.services;
    let list = s
        .accounts(actor, PageRequest::new(page, None))
        .await
        .map_err(|e| ctx.fail(e))?;
    let regions = region_names(s, actor).await.map_err(|e| ctx.fail(e))?;
    let orgs = s
        .organisations(
            actor,
            &OrgFilter::default(),
            PageRequest::new(Some(1), Some(200)),
        )
        .await
        .map_err(|e| ctx.fail(e))?
        .items
        .into_iter()
        .map(|o| (o.id.0, o.name))
        .collect();
    Ok(UsersPage {
        base: Base::new(ctx, "users-title"),
        pager: Pager::new(&list, &[]),
        page: list,
        values,
        errors,
        roles: Role::ALL,
        regions,
        organisations: orgs,
    })
}

async fn users(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<UsersQuery>,
) -> Result<Response, PageError> {
    if !actor.may(Action::ManageUsers) {
        return Err(ctx.fail(ServiceError::Forbidden));
    }
    let values = Values {
        role: "coordinator".into(),
        ..Values::default()
    };
    Ok(render(
        &users_page(
            &state,
            &ctx,
            &actor,
            page_param(q.page.as_deref()),
            values,
            FormErrors::default(),
        )
        .await?,
    ))
}

async fn create_user(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
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
    let scope = match role {
        Some(Role::Admin) => Some(AccountScope::Platform),
        Some(Role::Coordinator | Role::Municipal) => Some(AccountScope::Regions(regions)),
        Some(Role::CompanyMember) => form
            .opt_int("organisation_id", &mut errors)
            .map(|o| AccountScope::Organisation(OrganisationId(o))),
        Some(Role::Resident) => form
            .opt_int("resident_id", &mut errors)
            .map(|r| AccountScope::Resident(ResidentId(r))),
        None => None,
    };
    let result = match (role, scope) {
        (Some(role), Some(scope)) if errors.is_empty() => {
            let account = NewAccount {
                login: values.login.clone(),
                display_name: values.display_name.clone(),
                password: form.get("password").to_owned(),
                role,
                scope,
                lang: Lang::Ja,
            };
            state.services.create_account(&actor, account).await
        }
        (Some(_), None) if errors.is_empty() => Err(ServiceError::Validation(
            ValidationFailure::single("scope", "scope_mismatch"),
        )),
        _ => Err(ServiceError::Validation(ValidationFailure(errors))),
    };
    finish_form(
        &ctx,
        result,
        |_| "/admin/users".to_owned(),
        |errors| async {
            Ok(render(
                &users_page(&state, &ctx, &actor, None, values, errors).await?,
            ))
        },
    )
    .await
}

async fn disable_user(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    set_disabled(state, ctx, actor, id, true, form).await
}

async fn enable_user(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    set_disabled(state, ctx, actor, id, false, form).await
}

async fn set_disabled(
    state: AppState,
    ctx: Ctx,
    actor: jimoto_domain::Actor,
    id: i64,
    disabled: bool,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
    let result = state
        .services
        .set_account_disabled(&actor, UserId(id), disabled)
        .await;
    finish_form(
        &ctx,
        result,
        |_| "/admin/users".to_owned(),
        |errors| async {
            let values = Values {
                role: "coordinator".into(),
                ..Values::default()
            };
            Ok(render(
                &users_page(&state, &ctx, &actor, None, values, errors).await?,
            ))
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "user_edit.html")]
struct EditPage {
    base: Base,
    user: UserRecord,
    display_name: String,
    region_ids: Vec<RegionId>,
    organisation_id: String,
    regions: Vec<(RegionId, String)>,
    organisations: Vec<(i64, String)>,
    errors: FormErrors,
}

impl EditPage {
    fn has_regions(&self) -> bool {
        matches!(self.user.role, Role::Coordinator | Role::Municipal)
    }

    fn region_checked(&self, id: &RegionId) -> bool {
        self.region_ids.contains(id)
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    typed: Option<(String, Vec<RegionId>, String)>,
    errors: FormErrors,
) -> Result<EditPage, PageError> {
    let s = &state.services;
    let (user, current) = s
        .account(actor, UserId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
    let regions = region_names(s, actor).await.map_err(|e| ctx.fail(e))?;
    let organisations = s
        .organisations(
            actor,
            &OrgFilter::default(),
            PageRequest::new(Some(1), Some(200)),
        )
        .await
        .map_err(|e| ctx.fail(e))?
        .items
        .into_iter()
        .map(|o| (o.id.0, o.name))
        .collect();
    let (display_name, region_ids, organisation_id) = typed.unwrap_or_else(|| {
        let org = user
            .organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default();
        (user.display_name.clone(), current, org)
    });
    Ok(EditPage {
        base: Base::titled(ctx, user.login.clone()),
        user,
        display_name,
        region_ids,
        organisation_id,
        regions,
        organisations,
        errors,
    })
}

async fn edit_user(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(render(
        &edit_page(&state, &ctx, &actor, id, None, FormErrors::default()).await?,
    ))
}

async fn update_user(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
    let s = &state.services;
    let (user, _) = s
        .account(&actor, UserId(id))
        .await
        .map_err(|e| ctx.fail(e))?;
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
            let org = form.opt_int("organisation_id", &mut errors);
            if org.is_none() && errors.is_empty() {
                errors.push(FieldError::new("organisation_id", "required"));
            }
            org.map(|o| AccountScope::Organisation(OrganisationId(o)))
        }
        // A resident account keeps its record: only the name changes.
        Role::Resident => None,
    };
    let result = if errors.is_empty() {
        s.update_account(&actor, UserId(id), &display_name, scope)
            .await
    } else {
        Err(ServiceError::Validation(ValidationFailure(errors)))
    };
    finish_form(
        &ctx,
        result,
        |_| "/admin/users".to_owned(),
        |errors| async {
            let typed = Some((display_name.clone(), regions.clone(), organisation.clone()));
            Ok(render(
                &edit_page(&state, &ctx, &actor, id, typed, errors).await?,
            ))
        },
    )
    .await
}
