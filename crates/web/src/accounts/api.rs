//! Accounts in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::ValidationFailure;
use jimoto_domain::user::Account;
use jimoto_domain::{AccountScope, Lang, OrganisationId, RegionId, ResidentId, Role, UserId};
use jimoto_services::NewAccount;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiPage, ApiQuery, page_request, path_id};
use crate::error::{ApiErrorEnvelope, AppError};
use crate::session::ApiActor;

/// Account list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AccountQuery {
    /// Position after which to read (a response's `next`).
    after: Option<String>,
    /// Position before which to read (a response's `prev`).
    before: Option<String>,
    /// Rows per page, 1–200 (default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(AccountQuery),
    responses((status = 200, body = ApiPage<Account>), (status = 400, body = ApiErrorEnvelope),
        (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_accounts(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<AccountQuery>,
) -> Result<Json<ApiPage<Account>>, AppError> {
    let page = page_request(q.after.as_deref(), q.before.as_deref(), q.limit)?;
    Ok(Json(s.services.accounts(&a.actor, &page).await?.into()))
}

/// A new login: its role, and the scope the role needs (regions for coordinators and municipal
/// staff, an organisation for company members, a resident's record for residents).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewAccountInput {
    /// Login name: 3–64 ASCII letters, digits, `.`, `_`, `-`, `@`.
    login: String,
    /// Name shown in the UI.
    display_name: String,
    /// A first password, at least 10 characters; leave it out to have one generated (it is
    /// returned once, in `temporary_password`). Either way it is temporary: the owner must
    /// change it at first login, and it expires after 14 days.
    #[schema(min_length = 10, max_length = 1024)]
    password: Option<String>,
    /// Role.
    role: Role,
    /// Regions (coordinator: one or more; municipal staff: exactly one).
    #[serde(default)]
    regions: Vec<RegionId>,
    /// Organisation (company members).
    organisation_id: Option<OrganisationId>,
    /// The resident's own record (residents).
    resident_id: Option<ResidentId>,
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccountInput,
    responses((status = 201, body = IssuedAccount), (status = 403, body = ApiErrorEnvelope),
        (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_account(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<NewAccountInput>,
) -> Result<Response, AppError> {
    let scope = AccountScope::for_role(
        input.role,
        input.regions,
        input.organisation_id,
        input.resident_id,
    )
    .ok_or_else(|| ValidationFailure::single("scope", "scope_mismatch"))
    .map_err(jimoto_services::ServiceError::from)?;
    let account = NewAccount {
        login: input.login.trim().to_owned(),
        display_name: input.display_name,
        password: input.password.clone().unwrap_or_default(),
        role: input.role,
        scope,
        lang: Lang::Ja,
    };
    let (account, temporary_password) = match input.password {
        Some(_) => (s.services.create_account(&a.actor, account).await?, None),
        None => {
            let h = s.services.issue_account(&a.actor, account).await?;
            (h.account, Some(h.temporary_password))
        }
    };
    let body = IssuedAccount {
        account,
        temporary_password,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// An account just made, with its generated temporary password when none was given.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IssuedAccount {
    /// The account.
    #[serde(flatten)]
    account: Account,
    /// The generated temporary password, shown this once (absent when one was given).
    #[serde(skip_serializing_if = "Option::is_none")]
    temporary_password: Option<String>,
}

/// A temporary password issued by a reset, to hand over.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PasswordReset {
    /// The account.
    user_id: UserId,
    /// Its login ID.
    login: String,
    /// The temporary password, shown this once.
    temporary_password: String,
    /// When it stops working.
    expires_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/password-reset", tag = "accounts",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 200, description = "A temporary password was issued; the account's sessions ended", body = PasswordReset),
        (status = 404, description = "No such account, or one the caller may not reset", body = ApiErrorEnvelope),
        (status = 422, description = "The caller's own account (change it on /me instead)", body = ApiErrorEnvelope)))]
pub(crate) async fn reset_password(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PasswordReset>, AppError> {
    let id = UserId(path_id(&raw)?);
    let h = s.services.reset_password(&a.actor, id).await?;
    Ok(Json(PasswordReset {
        user_id: h.account.id,
        login: h.account.login,
        temporary_password: h.temporary_password,
        expires_at: h.expires_at,
    }))
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = Account), (status = 403, body = ApiErrorEnvelope),
        (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_account(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Account>, AppError> {
    let id = UserId(path_id(&raw)?);
    Ok(Json(s.services.account(&a.actor, id).await?))
}

/// A change to an account: its name and, for staff and members, its scope. The role and a
/// resident's record stay.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AccountChange {
    /// Name shown in the UI.
    display_name: String,
    /// New regions (coordinators, municipal staff).
    regions: Option<Vec<RegionId>>,
    /// New organisation (company members).
    organisation_id: Option<OrganisationId>,
    /// A new role, where that is safe: coordinator ↔ municipal staff (who keep their regions;
    /// municipal staff have exactly one).
    role: Option<Role>,
}

#[utoipa::path(put, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = i64, Path)),
    request_body = AccountChange,
    responses((status = 200, body = Account), (status = 403, body = ApiErrorEnvelope),
        (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_account(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(change): ApiJson<AccountChange>,
) -> Result<Json<Account>, AppError> {
    let id = UserId(path_id(&raw)?);
    let scope = match (change.regions, change.organisation_id) {
        (Some(r), _) => Some(AccountScope::Regions(r)),
        (None, Some(o)) => Some(AccountScope::Organisation(o)),
        (None, None) => None,
    };
    s.services
        .update_account_and_role(&a.actor, id, &change.display_name, scope, change.role)
        .await?;
    Ok(Json(s.services.account(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/disable", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204, description = "Disabled: its sessions ended, its tokens stopped working"),
        (status = 403, body = ApiErrorEnvelope), (status = 404, body = ApiErrorEnvelope),
        (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn disable_account(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = UserId(path_id(&raw)?);
    s.services.set_account_disabled(&a.actor, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/enable", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204, description = "Enabled again"), (status = 403, body = ApiErrorEnvelope),
        (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn enable_account(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = UserId(path_id(&raw)?);
    s.services.set_account_disabled(&a.actor, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
