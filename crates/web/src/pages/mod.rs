//! Server-rendered pages. Each handler: extract the context, call one service, render one
//! template. Forms are plain HTML posts with a CSRF token; no JavaScript is needed.

mod admin;
mod auth;
mod home;
mod me;
mod organisations;
mod regions;
mod residents;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jimoto_domain::{Actor, Principal, Role};
use jimoto_services::ServiceError;

use crate::AppState;
use crate::i18n::Tr;
use crate::session::Ctx;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(css))
        .merge(auth::routes())
        .merge(home::routes())
        .merge(regions::routes())
        .merge(organisations::routes())
        .merge(residents::routes())
        .merge(me::routes())
        .merge(admin::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(
            crate::session::ensure_csrf_cookie,
        ))
}

/// Liveness and database reachability, for load balancers.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.services.db().conn().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

async fn not_found(ctx: Ctx) -> Response {
    crate::error::PageError {
        tr: ctx.tr,
        error: ServiceError::NotFound,
    }
    .into_response()
}

/// Renders a template, or a plain 500 if rendering itself fails.
pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
    }
}

/// A link in the navigation bar.
#[derive(Debug, Clone)]
pub(crate) struct NavLink {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What the layout (`base.html`) needs on every page.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    pub tr: Tr,
    pub title: String,
    pub user: Option<(String, String)>,
    pub nav: Vec<NavLink>,
    pub csrf: String,
    pub path: String,
}

impl Base {
    pub fn new(ctx: &Ctx, title_key: &str) -> Self {
        Self::titled(ctx, ctx.tr.t(title_key))
    }

    pub fn titled(ctx: &Ctx, title: String) -> Self {
        let tr = ctx.tr;
        let nav = ctx
            .actor
            .as_ref()
            .map(|a| nav_for(tr, a, &ctx.path))
            .unwrap_or_default();
        Self {
            tr,
            title,
            user: ctx.actor.as_ref().map(|a| {
                (
                    a.display_name.clone(),
                    tr.e("role", a.principal.role().as_str()),
                )
            }),
            nav,
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
        }
    }

    /// The language to offer in the switch.
    pub fn other_lang(&self) -> &'static str {
        self.tr.other().as_str()
    }

    /// Its name, in itself.
    pub fn other_lang_name(&self) -> &'static str {
        self.tr.lang_name(self.tr.other())
    }

    /// A prefecture's name from its code, in the page's language.
    pub fn pref(&self, code: &str) -> String {
        jimoto_domain::region::prefecture_name(code, self.tr.lang == jimoto_domain::Lang::En)
            .unwrap_or(code)
            .to_owned()
    }

    /// `lang` attribute of the page.
    pub fn lang(&self) -> &'static str {
        self.tr.lang.as_str()
    }
}

fn nav_for(tr: Tr, actor: &Actor, path: &str) -> Vec<NavLink> {
    let role = actor.principal.role();
    let mut links = vec![("/home", "nav-home")];
    links.push(("/regions", "nav-regions"));
    if role != Role::Resident {
        links.push(("/organisations", "nav-organisations"));
    }
    if matches!(
        actor.principal,
        Principal::Admin | Principal::Coordinator { .. } | Principal::Municipal { .. }
    ) {
        links.push(("/residents", "nav-residents"));
    }
    if role == Role::Admin {
        links.push(("/admin/users", "nav-users"));
        links.push(("/admin/audit", "nav-audit"));
    }
    links.push(("/me", "nav-me"));
    links
        .into_iter()
        .map(|(href, key)| NavLink {
            href,
            label: tr.t(key),
            current: path == href || path.starts_with(&format!("{href}/")),
        })
        .collect()
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub base: Base,
    pub status: u16,
    pub message: String,
}

impl ErrorPage {
    pub fn new(tr: Tr, status: StatusCode, message: String) -> Self {
        let base = Base {
            tr,
            title: tr.t("error-title"),
            user: None,
            nav: vec![],
            csrf: String::new(),
            path: "/".into(),
        };
        Self {
            base,
            status: status.as_u16(),
            message,
        }
    }
}

/// Form problems as (field, translated message), for re-displaying a form.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    pub fn from(tr: Tr, errors: &[jimoto_domain::FieldError]) -> Self {
        Self(
            errors
                .iter()
                .map(|e| (e.field.clone(), tr.field_error(e)))
                .collect(),
        )
    }

    /// The message for a field (or its sub-fields), if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| {
                f == field
                    || f.starts_with(&format!("{field}["))
                    || f.starts_with(&format!("{field}."))
            })
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Page numbers for list navigation.
#[derive(Debug, Clone)]
pub(crate) struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// Query string without `page`, to build links.
    pub query: String,
}

impl Pager {
    pub fn new<T>(p: &jimoto_services::Page<T>, filters: &[(&str, String)]) -> Self {
        let query = filters
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::session::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        Self {
            page: p.page,
            pages: p.pages(),
            total: p.total,
            query,
        }
    }

    pub fn link(&self, page: i64) -> String {
        if self.query.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.query)
        }
    }
}

/// Checks the CSRF token of a posted form; a forged or missing token changes nothing.
/// Returns the refusal page when the token does not match.
pub(crate) fn csrf_rejection(ctx: &Ctx, form: &crate::form::FormData) -> Option<Response> {
    if ctx.csrf_ok(form.get("csrf")) {
        None
    } else {
        tracing::warn!(path = %ctx.path, "CSRF token mismatch");
        let page = ErrorPage::new(ctx.tr, StatusCode::FORBIDDEN, ctx.tr.t("error-csrf"));
        Some((StatusCode::FORBIDDEN, render(&page)).into_response())
    }
}

/// The end of every form post: on success, redirect to the saved record; on validation
/// problems, show the form again (422) with what was typed and every problem; otherwise the
/// error page. Nothing was written in the last two cases (one transaction per use case).
pub(crate) async fn finish_form<T, P, Fut>(
    ctx: &Ctx,
    result: Result<T, ServiceError>,
    location: impl FnOnce(&T) -> String,
    form_again: P,
) -> Result<Response, crate::error::PageError>
where
    P: FnOnce(FormErrors) -> Fut,
    Fut: std::future::Future<Output = Result<Response, crate::error::PageError>>,
{
    match result {
        Ok(saved) => Ok(axum::response::Redirect::to(&location(&saved)).into_response()),
        Err(ServiceError::Validation(v)) => {
            let page = form_again(FormErrors::from(ctx.tr, &v.0)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// Title key and form action for a new (`id` None) or existing record under `base_path`.
pub(crate) fn form_target(id: Option<i64>, base_path: &str, prefix: &str) -> (String, String) {
    match id {
        None => (format!("{prefix}-new"), base_path.to_owned()),
        Some(id) => (format!("{prefix}-edit"), format!("{base_path}/{id}")),
    }
}

/// Lenient list parameters: a bad page number is treated as page 1.
pub(crate) fn page_param(raw: Option<&str>) -> Option<i64> {
    raw.and_then(|s| s.trim().parse().ok())
}
