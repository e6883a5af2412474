//! Program pages: the list, a program with its sessions (and the form to add one), and the
//! form to create or change a program.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{NaiveDate, NaiveTime};
use jimoto_domain::organisation::OrganisationRef;
use jimoto_domain::program::{
    Audience, CompletionRule, Partner, PartnerRole, Program, ProgramInput, ProgramKind,
    SessionInput, SessionMode,
};
use jimoto_domain::{
    Actor, FieldError, OrganisationId, Page, PageRequest, ProgramAction, ProgramId, RegionId,
    ValidationFailure,
};
use jimoto_services::{ProgramView, ServiceError};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, every_problem, finish, target};
use crate::layout::{FormErrors, Frame, Pager, RegionGroups, render};
use crate::pickers::pickable_regions;
use crate::session::{Authed, Ctx};

/// Partner rows a form offers (no JavaScript needed to add one).
const PARTNER_ROWS: usize = 4;

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    after: Option<String>,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "programs/list.html")]
struct ListPage {
    frame: Frame,
    page: Page<Program>,
    pager: Pager,
    labels: RegionGroups,
    can_create: bool,
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    let page = s.programs(&actor, &req).await?;
    let ids: Vec<RegionId> = page.items.iter().map(|p| p.region_id).collect();
    let labels = RegionGroups::new(ctx.tr, s.region_labels(&actor, &ids).await?);
    let can_create = s
        .region_refs(&actor)
        .await?
        .iter()
        .any(|r| actor.may(ProgramAction::Create { region: r.id }));
    Ok(render(&ListPage {
        frame: ctx.frame("programs-title"),
        pager: Pager::new(&page, &[]),
        page,
        labels,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "programs/detail.html")]
struct DetailPage {
    frame: Frame,
    view: ProgramView,
    region_name: String,
    /// Names of the organiser and partners.
    organisations: Vec<(OrganisationId, String)>,
    can_edit: bool,
    session: SessionValues,
    session_errors: FormErrors,
    modes: &'static [SessionMode],
    counts: jimoto_domain::growth::ProgramCounts,
    /// May see who signed up and attended (the rows behind the counts).
    can_people: bool,
    /// Keeps the attendance.
    can_keep: bool,
    /// Has a public sign-up page.
    public: bool,
    /// A company seminar or tour: organisations and their people instead of residents.
    company_event: Option<jimoto_domain::event::EventCounts>,
    /// Voices the viewer may read (quotable ones only, unless they see the program's people).
    voices: Vec<jimoto_domain::event::Voice>,
}

impl DetailPage {
    fn session_count(&self, id: &jimoto_domain::SessionId) -> i64 {
        self.counts
            .per_session
            .iter()
            .find(|c| c.session_id == *id)
            .map_or(0, |c| c.attendances)
    }

    /// Up to three voices that may be quoted, for the page's own section.
    fn quotable(&self) -> Vec<&jimoto_domain::event::Voice> {
        self.voices.iter().filter(|v| v.may_quote).take(3).collect()
    }

    fn org_name(&self, id: &OrganisationId) -> String {
        self.organisations
            .iter()
            .find(|(o, _)| o == id)
            .map_or_else(|| format!("#{id}"), |(_, name)| name.clone())
    }

    fn completion(&self) -> String {
        let tr = self.frame.tr;
        let p = &self.view.program;
        match (p.completion, p.min_attendance_percent) {
            (CompletionRule::Attendance, Some(n)) => {
                tr.t1("programs-completion-attendance", "percent", n)
            }
            _ => tr.t("programs-completion-manual"),
        }
    }
}

/// A session as typed.
#[derive(Debug, Clone, Default)]
struct SessionValues {
    date: String,
    starts_at: String,
    ends_at: String,
    mode: String,
    venue_name: String,
    venue_address: String,
    online_url: String,
}

async fn detail_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    session: SessionValues,
    session_errors: FormErrors,
) -> Result<DetailPage, AppError> {
    let s = &state.services;
    let view = s.program(actor, ProgramId(id)).await?;
    let p = &view.program;
    let region_name = s.region(actor, p.region_id).await?.name;
    let mut ids = vec![p.organiser_id];
    ids.extend(p.partners.iter().map(|x| x.organisation_id));
    let organisations = s.organisation_labels(actor, &ids).await?;
    let can_edit = actor.may(ProgramAction::Edit {
        id: p.id,
        region: p.region_id,
    });
    let can_people = actor.may(ProgramAction::People {
        id: p.id,
        region: p.region_id,
    });
    let can_keep = actor.may(ProgramAction::Attendance {
        id: p.id,
        region: p.region_id,
    });
    let public = matches!(p.audience, Audience::Residents | Audience::Students);
    let counts = s.program_counts(actor, p.id).await?;
    let company_event = if p.audience == Audience::Companies {
        Some(s.event_counts(actor, p.id).await?)
    } else {
        None
    };
    let voices = s.voices(actor, p.id).await?;
    Ok(DetailPage {
        company_event,
        voices,
        counts,
        can_people,
        can_keep,
        public,
        frame: ctx.frame_titled(p.title.clone()),
        view,
        region_name,
        organisations,
        can_edit,
        session,
        session_errors,
        modes: SessionMode::ALL,
    })
}

pub(super) async fn detail(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(render(
        &detail_page(
            &state,
            &ctx,
            &actor,
            id,
            SessionValues::default(),
            FormErrors::default(),
        )
        .await?,
    ))
}

fn parse_session(form: &FormData) -> (SessionValues, Result<SessionInput, ValidationFailure>) {
    let v = SessionValues {
        date: form.get("date").trim().into(),
        starts_at: form.get("starts_at").trim().into(),
        ends_at: form.get("ends_at").trim().into(),
        mode: form.get("mode").into(),
        venue_name: form.get("venue_name").into(),
        venue_address: form.get("venue_address").into(),
        online_url: form.get("online_url").into(),
    };
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(&v.date, "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(FieldError::new("date", "date"));
    }
    let time = |s: &str, field: &str, errors: &mut Vec<FieldError>| {
        let t = NaiveTime::parse_from_str(s, "%H:%M").ok();
        if t.is_none() {
            errors.push(FieldError::new(field, "time"));
        }
        t
    };
    let starts = time(&v.starts_at, "starts_at", &mut errors);
    let ends = time(&v.ends_at, "ends_at", &mut errors);
    let mode = form.choice("mode", SessionMode::parse, &mut errors);
    let input = SessionInput {
        date: date.unwrap_or_default(),
        starts_at: starts.unwrap_or_default(),
        ends_at: ends.unwrap_or_default(),
        mode: mode.unwrap_or(SessionMode::Venue),
        venue_name: v.venue_name.clone(),
        venue_address: v.venue_address.clone(),
        online_url: v.online_url.clone(),
    };
    if errors.is_empty() {
        return (v, Ok(input));
    }
    // Every problem at once: what the session's own check finds in what could be read.
    if let Err(more) = input.normalised().check() {
        for f in more.0 {
            if !errors.iter().any(|e| e.field == f.field) && starts.is_some() && ends.is_some() {
                errors.push(f);
            }
        }
    }
    (v, Err(ValidationFailure(errors)))
}

/// A coordinator adds a session to the program.
pub(super) async fn add_session(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let (values, parsed) = parse_session(&form);
    let result = match parsed {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(input) => {
            state
                .services
                .add_session(&actor, ProgramId(id), input)
                .await
        }
    };
    finish(
        &ctx,
        &state,
        "notice-created",
        result,
        |_| format!("/programs/{id}#sessions"),
        |errors| async {
            Ok(render(
                &detail_page(&state, &ctx, &actor, id, values, errors).await?,
            ))
        },
    )
    .await
}

/// A program as typed.
#[derive(Debug, Clone, Default)]
struct Values {
    region_id: String,
    kind: String,
    audience: String,
    title: String,
    description: String,
    organiser_id: String,
    /// (organisation, role) per partner row.
    partners: Vec<(String, String)>,
    capacity: String,
    completion: String,
    min_attendance_percent: String,
}

impl Values {
    fn from_program(p: &Program) -> Self {
        Self {
            region_id: p.region_id.to_string(),
            kind: p.kind.as_str().into(),
            audience: p.audience.as_str().into(),
            title: p.title.clone(),
            description: p.description.clone(),
            organiser_id: p.organiser_id.to_string(),
            partners: p
                .partners
                .iter()
                .map(|x| (x.organisation_id.to_string(), x.role.as_str().into()))
                .collect(),
            capacity: p.capacity.map(|c| c.to_string()).unwrap_or_default(),
            completion: p.completion.as_str().into(),
            min_attendance_percent: p
                .min_attendance_percent
                .map(|c| c.to_string())
                .unwrap_or_default(),
        }
    }

    /// The partner rows: those typed plus empty ones up to [`PARTNER_ROWS`].
    fn partner_rows(&self) -> Vec<(usize, String, String)> {
        let mut rows: Vec<(usize, String, String)> = self
            .partners
            .iter()
            .enumerate()
            .map(|(i, (o, r))| (i, o.clone(), r.clone()))
            .collect();
        let start = rows.len();
        rows.extend(
            (start..PARTNER_ROWS.max(start + 1)).map(|i| (i, String::new(), String::new())),
        );
        rows
    }
}

#[derive(Template)]
#[template(path = "programs/form.html")]
struct FormPage {
    frame: Frame,
    action: String,
    values: Values,
    errors: FormErrors,
    regions: RegionGroups,
    organisations: Vec<OrganisationRef>,
    kinds: &'static [ProgramKind],
    audiences: &'static [Audience],
    roles: &'static [PartnerRole],
    rules: &'static [CompletionRule],
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    title: &str,
    action: String,
    values: Values,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let s = &state.services;
    let regions = pickable_regions(ctx, s, actor, &values.region_id, |r| {
        actor.may(ProgramAction::Create { region: r })
    })
    .await?;
    let organisations = s.organisation_refs(actor).await?;
    Ok(FormPage {
        frame: ctx.frame(title),
        action,
        values,
        errors,
        regions,
        organisations,
        kinds: ProgramKind::ALL,
        audiences: Audience::ALL,
        roles: PartnerRole::ALL,
        rules: CompletionRule::ALL,
    })
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    let page = form_page(
        &state,
        &ctx,
        &actor,
        "programs-new",
        "/programs".into(),
        Values::default(),
        FormErrors::default(),
    )
    .await?;
    if page.regions.is_empty() {
        return Err(ServiceError::Forbidden.into());
    }
    Ok(render(&page))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = state.services.program(&actor, ProgramId(id)).await?;
    if !actor.may(ProgramAction::Edit {
        id: v.program.id,
        region: v.program.region_id,
    }) {
        return Err(ServiceError::Forbidden.into());
    }
    Ok(render(
        &form_page(
            &state,
            &ctx,
            &actor,
            "programs-edit",
            format!("/programs/{id}"),
            Values::from_program(&v.program),
            FormErrors::default(),
        )
        .await?,
    ))
}

fn parse(form: &FormData) -> (Values, Result<ProgramInput, ValidationFailure>) {
    let mut errors = Vec::new();
    let partners_raw: Vec<(String, String)> = (0..PARTNER_ROWS * 2)
        .map(|i| {
            (
                form.get(&format!("partner_{i}")).to_owned(),
                form.get(&format!("partner_role_{i}")).to_owned(),
            )
        })
        .filter(|(o, _)| !o.is_empty())
        .collect();
    let values = Values {
        region_id: form.get("region_id").into(),
        kind: form.get("kind").into(),
        audience: form.get("audience").into(),
        title: form.get("title").into(),
        description: form.get("description").into(),
        organiser_id: form.get("organiser_id").into(),
        partners: partners_raw.clone(),
        capacity: form.get("capacity").into(),
        completion: form.get("completion").into(),
        min_attendance_percent: form.get("min_attendance_percent").into(),
    };
    let region = form.req_int("region_id", &mut errors);
    let kind = form.choice("kind", ProgramKind::parse, &mut errors);
    let audience = form.choice("audience", Audience::parse, &mut errors);
    let organiser = form.req_int("organiser_id", &mut errors);
    let mut partners = Vec::new();
    for (i, (org, role)) in partners_raw.iter().enumerate() {
        match (org.parse::<i64>(), PartnerRole::parse(role)) {
            (Ok(o), Some(r)) => partners.push(Partner {
                organisation_id: OrganisationId(o),
                role: r,
            }),
            _ => errors.push(FieldError::new(format!("partners[{i}]"), "invalid_choice")),
        }
    }
    let capacity = form.opt_int("capacity", &mut errors);
    let completion = form.choice("completion", CompletionRule::parse, &mut errors);
    let share = form.opt_int("min_attendance_percent", &mut errors);
    let input = ProgramInput {
        region_id: RegionId(region.unwrap_or_default()),
        kind: kind.unwrap_or(ProgramKind::IntroSeminar),
        audience: audience.unwrap_or(Audience::Residents),
        title: values.title.clone(),
        description: values.description.clone(),
        organiser_id: OrganisationId(organiser.unwrap_or_default()),
        partners,
        capacity,
        completion: completion.unwrap_or(CompletionRule::Manual),
        min_attendance_percent: share,
    };
    if completion == Some(CompletionRule::Attendance)
        && share.is_none()
        && !errors.iter().any(|e| e.field == "min_attendance_percent")
    {
        errors.push(FieldError::new("min_attendance_percent", "required"));
    }
    (values, every_problem(errors, input))
}

async fn save(
    state: AppState,
    ctx: Ctx,
    actor: Actor,
    id: Option<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let s = &state.services;
    let (values, parsed) = parse(&form);
    let result = match parsed {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(input) => match id {
            None => s.create_program(&actor, input).await,
            Some(id) => s.update_program(&actor, ProgramId(id), input).await,
        },
    };
    let (title, action) = target(id, "/programs", "programs");
    let notice = if id.is_some() {
        "notice-saved"
    } else {
        "notice-created"
    };
    finish(
        &ctx,
        &state,
        notice,
        result,
        |p| format!("/programs/{}", p.id),
        |errors| async {
            Ok(render(
                &form_page(&state, &ctx, &actor, &title, action, values, errors).await?,
            ))
        },
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    save(state, ctx, actor, None, form).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    save(state, ctx, actor, Some(id), form).await
}
