//! Accounts in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::ValidationFailure;
use jimoto_domain::user::Account;
use jimoto_domain::{AccountScope, Lang, OrganisationId, RegionId, ResidentId, Role, UserId};
use jimoto_services::NewAccount;
use serde::Deserialize;
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
    /// Initial password, at least 10 characters.
    password: String,
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
    responses((status = 201, body = Account), (status = 403, body = ApiErrorEnvelope),
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
    let created = s
        .services
        .create_account(
            &a.actor,
            NewAccount {
                login: input.login.trim().to_owned(),
                display_name: input.display_name,
                password: input.password,
                role: input.role,
                scope,
                lang: Lang::Ja,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
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
        .update_account(&a.actor, id, &change.display_name, scope)
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
