//! The frame every page is drawn in (header, navigation, language switch), the error page, and
//! the pieces lists and forms share (pager, form errors). Depends on the translator and on the
//! policy (the navigation offers what the user may open), nothing else of the web crate.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jimoto_domain::{
    AccountAction, Actor, AuditAction, FieldError, Lang, OrganisationAction, Page, ProgramAction,
    RegionAction, ResidentAction, Total,
};

use crate::i18n::Tr;
use crate::request::urlencode;

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

/// What the layout (`layout/base.html`) needs on every page.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub tr: Tr,
    pub title: String,
    /// Display name and role label of the signed-in user.
    pub user: Option<(String, String)>,
    pub nav: Vec<NavLink>,
    /// The token forms on this page carry.
    pub csrf: String,
    /// Path and query, for the language switch to come back to.
    pub path: String,
    /// A confirmation shown at the top of the page ("保存しました").
    pub notice: Option<String>,
}

impl Frame {
    /// A page's frame for `actor` (None before login).
    pub fn new(tr: Tr, actor: Option<&Actor>, csrf: &str, path: &str, title: String) -> Self {
        Self {
            tr,
            title,
            user: actor.map(|a| {
                (
                    a.display_name.clone(),
                    tr.e("role", a.principal.role().as_str()),
                )
            }),
            nav: actor.map(|a| nav_for(tr, a, path)).unwrap_or_default(),
            csrf: csrf.to_owned(),
            path: path.to_owned(),
            notice: None,
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
        jimoto_domain::region::prefecture_name(code, self.tr.lang == Lang::En)
            .unwrap_or(code)
            .to_owned()
    }

    /// `lang` attribute of the page.
    pub fn lang(&self) -> &'static str {
        self.tr.lang.as_str()
    }
}

/// The navigation offers what the policy lets this user open.
fn nav_for(tr: Tr, actor: &Actor, path: &str) -> Vec<NavLink> {
    let mut links = vec![("/home", "nav-home")];
    if actor.may(RegionAction::View) {
        links.push(("/regions", "nav-regions"));
    }
    if actor.may(OrganisationAction::List) {
        links.push(("/organisations", "nav-organisations"));
    }
    if actor.may(ResidentAction::List { region: None }) {
        links.push(("/residents", "nav-residents"));
    }
    if actor.may(ProgramAction::List) {
        links.push(("/programs", "nav-programs"));
    }
    if matches!(
        actor.principal,
        jimoto_domain::Principal::CompanyMember { .. }
            | jimoto_domain::Principal::Coordinator { .. }
    ) {
        links.push(("/work", "nav-work"));
    }
    let resident = matches!(actor.principal, jimoto_domain::Principal::Resident { .. });
    if resident {
        links.push(("/me/work", "nav-my-work"));
    }
    links.push(("/jobs", "nav-jobs"));
    if actor.may(AccountAction::Manage) {
        links.push(("/admin/users", "nav-users"));
    }
    if actor.may(AuditAction::View) {
        links.push(("/admin/audit", "nav-audit"));
    }
    links.push(("/me", "nav-me"));
    // Work pages live under /organisations, /tasks, /postings, /applications, /engagements and
    // /periods; they belong to "work" in the navigation (a resident's own work for residents).
    let route = path.split('?').next().unwrap_or(path);
    let work = route.ends_with("/work")
        || [
            "/tasks/",
            "/postings/",
            "/applications/",
            "/engagements/",
            "/periods/",
        ]
        .iter()
        .any(|p| route.starts_with(p))
        || ["/tasks/new", "/postings/new", "/hiring", "/payments"]
            .iter()
            .any(|p| route.ends_with(p))
        || route == "/me/thresholds";
    let work_home = if resident { "/me/work" } else { "/work" };
    links
        .into_iter()
        .map(|(href, key)| NavLink {
            href,
            label: tr.t(key),
            current: if work {
                href == work_home
            } else {
                route == href || route.starts_with(&format!("{href}/"))
            },
        })
        .collect()
}

/// The error page: what happened in words, inside the frame.
#[derive(Template)]
#[template(path = "layout/error.html")]
pub(crate) struct ErrorPage {
    pub frame: Frame,
    pub status: u16,
    pub message: String,
    /// Field problems, when the error is a validation failure.
    pub fields: Vec<String>,
}

/// "Are you sure?" before a destructive action, without JavaScript: the action's button posts
/// the form; "cancel" goes back.
#[derive(Template)]
#[template(path = "layout/confirm.html")]
pub(crate) struct ConfirmPage {
    pub frame: Frame,
    /// The question, naming what will change.
    pub question: String,
    /// What follows from it.
    pub detail: String,
    /// Where the confirmation posts.
    pub action: String,
    /// The button's words ("無効にする").
    pub submit: String,
    /// Where "cancel" (and the action, when done) returns.
    pub back: String,
}

/// Form problems as (field, translated message), for re-displaying a form.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    pub fn from(tr: Tr, errors: &[FieldError]) -> Self {
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

/// Links between the pages of a list: first, previous, next, and the bounded total.
#[derive(Debug, Clone)]
pub(crate) struct Pager {
    pub total: Total,
    /// Query string of the list's filters, without positions.
    pub query: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(p: &Page<T>, filters: &[(&str, String)]) -> Self {
        let query = filters
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        Self {
            total: p.total,
            query,
            prev: p.prev.as_ref().map(|c| c.encode()),
            next: p.next.as_ref().map(|c| c.encode()),
        }
    }

    fn with(&self, param: &str) -> String {
        match (self.query.is_empty(), param.is_empty()) {
            (true, true) => "?".to_owned(),
            (true, false) => format!("?{param}"),
            (false, true) => format!("?{}", self.query),
            (false, false) => format!("?{}&{param}", self.query),
        }
    }

    /// The first page.
    pub fn first_link(&self) -> String {
        self.with("")
    }

    /// The previous page, if any.
    pub fn prev_link(&self) -> Option<String> {
        self.prev
            .as_ref()
            .map(|c| self.with(&format!("before={c}")))
    }

    /// The next page, if any.
    pub fn next_link(&self) -> Option<String> {
        self.next.as_ref().map(|c| self.with(&format!("after={c}")))
    }

    /// 全12件 / 1,000件以上.
    pub fn total_text(&self, tr: &Tr) -> String {
        match self.total {
            Total::Exact(n) => tr.t1("pager-total", "count", tr.number(n)),
            Total::AtLeast(n) => tr.t1("pager-total-at-least", "count", tr.number(n)),
        }
    }
}

/// Regions grouped by prefecture, for `<optgroup>`s and checkbox groups: pickers offer every
/// region the user may choose, however many there are.
#[derive(Debug, Clone)]
pub(crate) struct RegionGroups(pub Vec<(String, Vec<jimoto_domain::region::RegionRef>)>);

impl RegionGroups {
    /// Groups regions (already in code order, hence by prefecture) under their prefecture's name.
    pub fn new(tr: Tr, regions: Vec<jimoto_domain::region::RegionRef>) -> Self {
        let mut groups: Vec<(String, Vec<jimoto_domain::region::RegionRef>)> = Vec::new();
        for r in regions {
            let name = jimoto_domain::region::prefecture_name(&r.prefecture, tr.lang == Lang::En)
                .unwrap_or(&r.prefecture)
                .to_owned();
            match groups.last_mut() {
                Some((n, list)) if *n == name => list.push(r),
                _ => groups.push((name, vec![r])),
            }
        }
        Self(groups)
    }

    /// How many regions there are in all.
    pub fn len(&self) -> usize {
        self.0.iter().map(|(_, l)| l.len()).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The name of a region given as form text, or the text itself when it is not among them.
    pub fn name_of_str(&self, id: &str) -> String {
        id.parse()
            .map(|n| self.name_of(&jimoto_domain::RegionId(n)))
            .unwrap_or_else(|_| id.to_owned())
    }

    /// The only region, when there is exactly one.
    pub fn only(&self) -> Option<jimoto_domain::RegionId> {
        match self.0.as_slice() {
            [(_, list)] if list.len() == 1 => Some(list[0].id),
            _ => None,
        }
    }

    /// The name of a region, or its id when it is not among them.
    pub fn name_of(&self, id: &jimoto_domain::RegionId) -> String {
        self.0
            .iter()
            .flat_map(|(_, l)| l.iter())
            .find(|r| r.id == *id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }
}
