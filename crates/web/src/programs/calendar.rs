//! Programs' sessions as iCalendar (RFC 5545), for people's calendar apps: a program's whole
//! series, or one session. Times are stored in Japan time and written in UTC, so every
//! calendar shows them right wherever it is.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use jimoto_domain::program::Session;
use jimoto_domain::{ProgramId, SessionId};
use jimoto_services::{ProgramView, ServiceError};

use crate::AppState;
use crate::error::AppError;
use crate::session::Authed;

/// A local time in Japan (UTC+9, no daylight saving) as UTC.
fn utc(at: NaiveDateTime) -> chrono::DateTime<Utc> {
    jimoto_domain::calendar::jst()
        .from_local_datetime(&at)
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&at), |t| t.with_timezone(&Utc))
}

fn event(view: &ProgramView, s: &Session, n: usize) -> Event {
    let p = &view.program;
    let mut e = Event::new();
    e.uid(&format!("jimoto-session-{}@jimoto", s.id))
        .summary(&format!("{}（第{}回）", p.title, n + 1))
        .starts(utc(s.date.and_time(s.starts_at)))
        .ends(utc(s.date.and_time(s.ends_at)));
    if !p.description.is_empty() {
        e.description(&p.description);
    }
    let place: Vec<&str> = [s.venue_name.as_str(), s.venue_address.as_str()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    if !place.is_empty() {
        e.location(&place.join(" "));
    } else if !s.online_url.is_empty() {
        e.location(&s.online_url);
    }
    if !s.online_url.is_empty() {
        e.url(&s.online_url);
    }
    e.done()
}

fn ics(calendar: &Calendar, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        calendar.to_string(),
    )
        .into_response()
}

/// The whole series as one calendar, named by the program.
fn series(view: &ProgramView) -> Response {
    let mut calendar = Calendar::new();
    calendar.name(&view.program.title);
    for (n, s) in view.sessions.iter().enumerate() {
        calendar.push(event(view, s, n));
    }
    ics(
        &calendar.done(),
        &format!("program-{}.ics", view.program.id),
    )
}

/// Every session of a program.
pub(super) async fn program_ics(
    State(state): State<AppState>,
    Authed(_, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(series(
        &state.services.program(&actor, ProgramId(id)).await?,
    ))
}

/// The public feed of a program open for sign-up (residents' and students' programs): its
/// sessions without online links, which go to the people who signed up.
pub(crate) async fn public_ics(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let public = state.services.public_program(ProgramId(id)).await?;
    let view = ProgramView {
        program: public.program,
        sessions: public
            .sessions
            .into_iter()
            .map(|s| Session {
                online_url: String::new(),
                ..s
            })
            .collect(),
    };
    Ok(series(&view))
}

/// One session of a program.
pub(super) async fn session_ics(
    State(state): State<AppState>,
    Authed(_, actor): Authed,
    Path((id, session)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = state.services.program(&actor, ProgramId(id)).await?;
    let (n, s) = view
        .sessions
        .iter()
        .enumerate()
        .find(|(_, s)| s.id == SessionId(session))
        .ok_or(ServiceError::NotFound)?;
    let mut calendar = Calendar::new();
    calendar.push(event(&view, s, n));
    Ok(ics(&calendar.done(), &format!("session-{session}.ics")))
}
