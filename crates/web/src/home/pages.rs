//! Each role's home page: what they work on, with links onward.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jimoto_domain::home::{FollowUpList, RegionFigures};
use jimoto_domain::resident::Resident;
use jimoto_domain::{Principal, RegionAction, ResidentAction};
use jimoto_services::{HomeRegion, OrganisationView};

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Frame, render};
use crate::session::Authed;

#[derive(Template)]
#[template(path = "home/home.html")]
struct HomePage {
    frame: Frame,
    role: &'static str,
    /// The regions the user works in (None for administrators, who see every region).
    regions: Option<Vec<HomeRegion>>,
    /// How many regions are registered, for administrators.
    region_count: i64,
    organisation: Option<OrganisationView>,
    resident: Option<Resident>,
    can_create_region: bool,
    can_create_resident: bool,
    /// The figures of each region the user's home shows (municipal staff; coordinators).
    figures: Vec<(String, RegionFigures)>,
    /// A coordinator's to-dos.
    follow_ups: Vec<FollowUpList>,
    /// Who a company member turns to.
    coordinators: Vec<String>,
    /// Follow-up actions after company events not done in the user's regions.
    event_follow_ups: usize,
    /// Today in Japan and its fiscal year: 2026年11月21日（令和8年度）.
    today: String,
}

pub(super) async fn home(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    let s = &state.services;
    let regions = s.home_regions(&actor).await?;
    let region_count = match regions {
        None => s.region_count(&actor).await?,
        Some(_) => 0,
    };
    let organisation = match &actor.principal {
        Principal::CompanyMember { organisation } => {
            Some(s.organisation(&actor, *organisation).await?)
        }
        _ => None,
    };
    let resident = match &actor.principal {
        Principal::Resident { resident, .. } => Some(s.resident(&actor, *resident).await?),
        _ => None,
    };
    let mut figures = Vec::new();
    if matches!(
        actor.principal,
        Principal::Municipal { .. } | Principal::Coordinator { .. }
    ) {
        for r in regions.iter().flatten() {
            figures.push((
                r.region.name.clone(),
                s.region_figures(&actor, r.region.id).await?,
            ));
        }
    }
    let follow_ups = s.follow_ups(&actor).await?;
    let event_follow_ups = if figures.is_empty() {
        0
    } else {
        s.open_follow_ups(&actor, false, 500).await?.len()
    };
    let coordinators = match &actor.principal {
        Principal::CompanyMember { organisation } => {
            s.coordinators_for(&actor, *organisation).await?
        }
        _ => vec![],
    };
    let can_create_resident = regions.iter().flatten().any(|r| {
        actor.may(ResidentAction::Create {
            region: r.region.id,
        })
    });
    Ok(render(&HomePage {
        frame: ctx.frame("home-title"),
        role: actor.principal.role().as_str(),
        regions,
        region_count,
        organisation,
        resident,
        can_create_region: actor.may(RegionAction::Create),
        can_create_resident,
        today: today_line(ctx.tr),
        figures,
        follow_ups,
        coordinators,
        event_follow_ups,
    }))
}

impl HomePage {
    /// Whether any resident needs following up.
    fn has_follow_ups(&self) -> bool {
        self.follow_ups.iter().any(|f| f.count > 0)
    }

    /// 平日午前、土日祝 for the resident's own profile.
    fn windows(&self, r: &Resident) -> String {
        let tr = self.frame.tr;
        tr.join(
            r.time_windows
                .iter()
                .map(|w| tr.e("time_window", w.as_str())),
        )
    }

    fn styles(&self, r: &Resident) -> String {
        let tr = self.frame.tr;
        tr.join(r.work_styles.iter().map(|w| tr.e("work_style", w.as_str())))
    }

    fn skills(&self, r: &Resident) -> String {
        let tr = self.frame.tr;
        tr.join(r.skills.iter().map(|s| tr.skill(&s.name, s.level)))
    }
}

/// Programs and KPIs are counted per fiscal year (April–March), so the home page says which one
/// is running.
fn today_line(tr: Tr) -> String {
    let today = jimoto_domain::calendar::today_jst();
    let fy = jimoto_domain::calendar::FiscalYear::of(today);
    tr.ta(
        "home-today",
        &[("date", tr.date(today)), ("fy", tr.fiscal_year(fy.0))],
    )
}
