//! Each role's home page: what they work on, with links onward.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use jimoto_domain::resident::Resident;
use jimoto_domain::{Action, Principal};
use jimoto_services::{OrganisationView, RegionOverview};

use super::{Base, render};
use crate::AppState;
use crate::error::PageError;
use crate::session::Authed;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/home", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    base: Base,
    role: &'static str,
    regions: Vec<RegionOverview>,
    organisation: Option<OrganisationView>,
    resident: Option<Resident>,
    can_create_region: bool,
    can_create_resident: bool,
    /// Today in Japan and its fiscal year: 2026年11月21日（令和8年度）.
    today: String,
}

async fn home(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, PageError> {
    let s = &state.services;
    let regions = s.my_regions(&actor).await.map_err(|e| ctx.fail(e))?;
    let organisation = match &actor.principal {
        Principal::CompanyMember { organisation } => Some(
            s.organisation(&actor, *organisation)
                .await
                .map_err(|e| ctx.fail(e))?,
        ),
        _ => None,
    };
    let resident = match &actor.principal {
        Principal::Resident { resident, .. } => Some(
            s.resident(&actor, *resident)
                .await
                .map_err(|e| ctx.fail(e))?,
        ),
        _ => None,
    };
    let can_create_resident = regions
        .iter()
        .any(|r| actor.may(Action::CreateResident(r.region.id)));
    let page = HomePage {
        base: Base::new(&ctx, "home-title"),
        role: actor.principal.role().as_str(),
        regions,
        organisation,
        resident,
        can_create_region: actor.may(Action::CreateRegion),
        can_create_resident,
        today: today_line(ctx.tr),
    };
    Ok(render(&page))
}

/// Programs and KPIs are counted per fiscal year (April–March), so the home page says which one
/// is running.
fn today_line(tr: crate::Tr) -> String {
    let today = chrono::Utc::now()
        .with_timezone(&jimoto_domain::calendar::jst())
        .date_naive();
    let fy = jimoto_domain::calendar::FiscalYear::of(today);
    tr.ta(
        "home-today",
        &[("date", tr.date(today)), ("fy", tr.fiscal_year(fy.0))],
    )
}
