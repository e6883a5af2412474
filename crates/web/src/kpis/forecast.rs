//! The forecast page: what N more courses of a kind are expected to yield in the region — people
//! in paid work, their income and hours in their first year — with the range and every
//! assumption in words, and the courses of the history it was made from.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::forecast::{self, Forecast, Range};
use jimoto_domain::program::ProgramKind;
use jimoto_domain::{FieldError, KpiAction, RegionId};
use jimoto_services::ServiceError;
use serde::Deserialize;

use crate::AppState;
use crate::api::path_id;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{FormErrors, Frame, render};
use crate::session::Authed;

/// What the form asks, as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Ask {
    kind: Option<String>,
    courses: Option<String>,
}

/// The kind and number of courses asked for, or what could not be read.
fn read(ask: &Ask) -> Result<(ProgramKind, u32), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match ask.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Some(ProgramKind::ItBasicsBeginner),
        Some(k) => {
            let parsed = ProgramKind::parse(k).filter(|k| forecast::forecastable(*k));
            if parsed.is_none() {
                errors.push(FieldError::new("kind", "invalid_choice"));
            }
            parsed
        }
    };
    let courses = match ask.courses.as_deref().map(crate::form::normalise_digits) {
        None => Some(1),
        Some(c) if c.trim().is_empty() => Some(1),
        Some(c) => match c.trim().parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new("courses", "number"));
                None
            }
        },
    };
    match (kind, courses) {
        (Some(k), Some(c)) if errors.is_empty() => Ok((k, c)),
        _ => Err(errors),
    }
}

/// A figure with its range in words: 12人 and 幅 7人〜18人 (no range when both ends agree).
struct Ranged {
    expected: String,
    range: Option<String>,
}

fn ranged(tr: Tr, r: Range, one: impl Fn(f64) -> String) -> Ranged {
    Ranged {
        expected: one(r.expected),
        range: ((r.low - r.high).abs() >= f64::EPSILON).then(|| {
            tr.ta(
                "forecast-range",
                &[("low", one(r.low)), ("high", one(r.high))],
            )
        }),
    }
}

fn people(tr: Tr, n: f64) -> String {
    let n = if n.fract().abs() < 0.05 {
        tr.number(n.round() as i64)
    } else {
        format!("{n:.1}")
    };
    tr.t1("kpi-value-people", "n", n)
}

fn yen(tr: Tr, y: f64) -> String {
    // Rounded to a thousand yen: the forecast is not that precise.
    tr.yen(((y / 1000.0).round() * 1000.0) as i64)
}

fn hours(tr: Tr, h: f64) -> String {
    tr.t1("forecast-hours-value", "n", tr.number(h.round() as i64))
}

fn percent(p: f64) -> String {
    format!("{p:.0}%")
}

/// A course of the history as a line.
struct CourseLine {
    id: i64,
    title: String,
    dates: String,
    participants: String,
}

/// The forecast in words.
struct View {
    participants: Ranged,
    in_work: Option<Ranged>,
    income: Option<Ranged>,
    hours: Option<String>,
    /// The assumptions, one sentence each.
    assumptions: Vec<String>,
    courses: Vec<CourseLine>,
}

fn view(tr: Tr, kind_name: &str, f: &Forecast) -> View {
    let mut assumptions = Vec::new();
    let first = f.history.iter().map(|c| c.first).min();
    let last = f.history.iter().map(|c| c.last).max();
    if let (Some(first), Some(last)) = (first, last) {
        assumptions.push(tr.ta(
            "forecast-basis",
            &[
                ("kind", kind_name.to_owned()),
                ("courses", tr.number(f.history.len() as i64)),
                ("from", tr.date(first)),
                ("to", tr.date(last)),
            ],
        ));
    }
    let per = f.participants_per_course;
    assumptions.push(tr.ta(
        "forecast-per-course",
        &[
            ("mean", people(tr, per.expected)),
            ("low", people(tr, per.low)),
            ("high", people(tr, per.high)),
        ],
    ));
    match f.share_percent {
        Some(s) => assumptions.push(tr.ta(
            "forecast-share",
            &[
                ("people", tr.number(f.people)),
                ("in_work", tr.number(f.in_work)),
                ("share", percent(s.expected)),
                ("low", percent(s.low)),
                ("high", percent(s.high)),
            ],
        )),
        None => assumptions.push(tr.t("forecast-share-none")),
    }
    if f.working_before > 0 {
        assumptions.push(tr.t1("forecast-before", "n", tr.number(f.working_before)));
    }
    if f.maturing > 0 {
        assumptions.push(tr.t1("forecast-maturing", "n", tr.number(f.maturing)));
    }
    match (f.income_per_person, f.hours_per_person) {
        (Some(i), Some(h)) => assumptions.push(tr.ta(
            if (i.low - i.high).abs() < f64::EPSILON {
                "forecast-income-per-person-one"
            } else {
                "forecast-income-per-person"
            },
            &[
                ("mean", yen(tr, i.expected)),
                ("low", yen(tr, i.low)),
                ("high", yen(tr, i.high)),
                ("hours", hours(tr, h)),
            ],
        )),
        _ => assumptions.push(tr.t("forecast-income-none")),
    }
    assumptions.push(tr.t("forecast-method"));
    View {
        participants: ranged(tr, f.participants, |n| people(tr, n)),
        in_work: f.in_work_expected.map(|r| ranged(tr, r, |n| people(tr, n))),
        income: f.income.map(|r| ranged(tr, r, |y| yen(tr, y))),
        hours: f.hours.map(|h| hours(tr, h)),
        assumptions,
        courses: f
            .history
            .iter()
            .map(|c| CourseLine {
                id: c.program_id.0,
                title: c.title.clone(),
                dates: if c.first == c.last {
                    tr.date(c.first)
                } else {
                    format!("{}〜{}", tr.date(c.first), tr.date(c.last))
                },
                participants: people(tr, c.participants as f64),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "kpis/forecast.html")]
struct Page {
    frame: Frame,
    region: i64,
    /// Kinds that can be forecast: code and name.
    kinds: Vec<(&'static str, String)>,
    kind: String,
    kind_name: String,
    courses: String,
    errors: FormErrors,
    /// Whether a forecast was asked and made (`None` with `asked`: no history of the kind).
    asked: bool,
    result: Option<View>,
}

/// `GET /regions/{id}/kpis/forecast?kind=&courses=`.
pub(super) async fn page(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    Query(ask): Query<Ask>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let tr = ctx.tr;
    // Refused before reading what was asked: a wrong question is not an answer to give out.
    if !actor.may(KpiAction::View { region }) {
        return Err(ServiceError::Forbidden.into());
    }
    let r = state.services.region(&actor, region).await?;
    let (errors, asked, result, kind) = match read(&ask) {
        Ok((kind, courses)) => {
            match state
                .services
                .kpi_forecast(&actor, region, kind, courses)
                .await
            {
                Ok(found) => {
                    let name = tr.e("program_kind", kind.as_str());
                    (
                        Vec::new(),
                        true,
                        found.map(|f| view(tr, &name, &f)),
                        kind.as_str().to_owned(),
                    )
                }
                Err(ServiceError::Validation(v)) => (v.0, false, None, kind.as_str().to_owned()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => (errors, false, None, ask.kind.clone().unwrap_or_default()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let kinds = ProgramKind::ALL
        .iter()
        .filter(|k| forecast::forecastable(**k))
        .map(|k| (k.as_str(), tr.e("program_kind", k.as_str())))
        .collect();
    let kind_name = ProgramKind::parse(&kind)
        .map(|k| tr.e("program_kind", k.as_str()))
        .unwrap_or_default();
    let page = render(&Page {
        frame: ctx.frame_titled(format!("{} · {}", tr.t("forecast-title"), r.name)),
        region: region.0,
        kinds,
        kind,
        kind_name,
        courses: ask.courses.clone().unwrap_or_else(|| "1".to_owned()),
        errors: FormErrors::from(tr, &errors),
        asked,
        result,
    });
    Ok((status, page).into_response())
}
