//! A posting's page (public once open) and its form.

use askama::Template;
use axum::extract::Query;
use axum::extract::{Path, State};
use axum::response::Response;
use jimoto_domain::resident::{Skill, TimeWindow};
use jimoto_domain::work::{
    Category, ContractKind, JobLevel, PayKind, Posting, PostingInput, PostingStatus, WorkPlace,
};
use jimoto_domain::{
    Actor, FieldError, OrganisationId, PostingId, RegionId, ValidationFailure, WorkAction,
};
use serde::Deserialize;

use super::pages::Question;
use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// Skill rows the form offers.
const SKILL_ROWS: usize = 5;

#[derive(Template)]
#[template(path = "work/posting_form.html")]
struct PostingForm {
    frame: Frame,
    org_id: OrganisationId,
    action: String,
    /// A new posting (offers "save as draft" and "open").
    new: bool,
    values: FormData,
    regions: Vec<(RegionId, String)>,
    choices: Vec<Question>,
    windows: Vec<(&'static str, String)>,
    errors: FormErrors,
}

impl PostingForm {
    fn skill_rows(&self) -> Vec<(usize, String, String)> {
        (0..SKILL_ROWS)
            .map(|i| {
                (
                    i,
                    self.values.get(&format!("skill_name_{i}")).to_owned(),
                    self.values.get(&format!("skill_level_{i}")).to_owned(),
                )
            })
            .collect()
    }
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    org_id: OrganisationId,
    (action, title_key, new): (String, &str, bool),
    values: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = &state.services;
    let ids = s.organisation_regions(actor, org_id).await?;
    let names = s.region_labels(actor, &ids).await?;
    let regions = ids
        .iter()
        .filter(|r| {
            actor.may(WorkAction::EditPosting {
                organisation: org_id,
                region: **r,
            })
        })
        .map(|r| {
            let n = names
                .iter()
                .find(|x| x.id == *r)
                .map_or_else(|| format!("#{r}"), |x| x.name.clone());
            (*r, n)
        })
        .collect();
    let choices = vec![
        Question::of(ctx, "category", Category::ALL, Category::as_str),
        Question::of(ctx, "level", JobLevel::ALL, JobLevel::as_str),
        Question::of(ctx, "contract", ContractKind::ALL, ContractKind::as_str),
        Question::of(ctx, "pay_kind", PayKind::ALL, PayKind::as_str),
        Question::of(ctx, "work_place", WorkPlace::ALL, WorkPlace::as_str),
    ];
    let windows = TimeWindow::ALL
        .iter()
        .map(|w| (w.as_str(), ctx.tr.e("time_window", w.as_str())))
        .collect();
    Ok(render(&PostingForm {
        frame: ctx.frame(title_key),
        org_id,
        action,
        new,
        values,
        regions,
        choices,
        windows,
        errors,
    }))
}

/// Reads the posting form: every problem at once.
fn read_posting(form: &FormData) -> Result<PostingInput, ValidationFailure> {
    let mut problems: Vec<FieldError> = Vec::new();
    let region = form.req_int("region_id", &mut problems);
    let category = form.choice("category", Category::parse, &mut problems);
    let level = form.choice("level", JobLevel::parse, &mut problems);
    let contract = form.choice("contract", ContractKind::parse, &mut problems);
    let pay_kind = form.choice("pay_kind", PayKind::parse, &mut problems);
    let work_place = form.choice("work_place", WorkPlace::parse, &mut problems);
    let trial_months = form.opt_int("trial_months", &mut problems);
    let pay_yen = form.opt_int("pay_yen", &mut problems);
    let hours = form.req_int("hours_per_week", &mut problems);
    let days = form.req_int("days_per_month", &mut problems);
    let duration = form.opt_int("duration_months", &mut problems);
    let places = form.req_int("places", &mut problems);
    let visits = form.opt_int("office_visits_per_month", &mut problems);
    let time_windows = form.choices("time_windows", TimeWindow::parse, &mut problems);
    let mut skills = Vec::new();
    for i in 0..SKILL_ROWS {
        let name = form.get(&format!("skill_name_{i}")).trim();
        if name.is_empty() {
            continue;
        }
        let field = format!("skill_level_{i}");
        let before = problems.len();
        let level = form.opt_int(&field, &mut problems).unwrap_or(1);
        // Named as the API names it: skills[0].level.
        for p in &mut problems[before..] {
            p.field = format!("skills[{i}].level");
        }
        skills.push(Skill {
            name: name.to_owned(),
            level,
        });
    }
    let input = PostingInput {
        region_id: RegionId(region.unwrap_or_default()),
        title: form.get("title").to_owned(),
        description: form.get("description").to_owned(),
        category: category.unwrap_or(Category::Other),
        skills,
        level: level.unwrap_or(JobLevel::SmallJob),
        contract: contract.unwrap_or(ContractKind::Outsourcing),
        trial_months,
        pay_kind: pay_kind.unwrap_or(PayKind::Hourly),
        pay_yen: pay_yen.unwrap_or(0),
        hours_per_week: hours.unwrap_or(1),
        days_per_month: days.unwrap_or(1),
        time_windows,
        duration_months: duration,
        places: places.unwrap_or(1),
        work_place: work_place.unwrap_or(WorkPlace::Remote),
        office_visits_per_month: visits.unwrap_or(0),
        office_place: form.get("office_place").to_owned(),
    }
    .normalised();
    for f in input.all_problems() {
        if !problems.iter().any(|p| p.field == f.field) {
            problems.push(f);
        }
    }
    ValidationFailure(problems).into_result()?;
    Ok(input)
}

fn posting_values(p: &Posting) -> FormData {
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut v: Vec<(String, String)> = [
        ("region_id", p.region_id.to_string()),
        ("title", p.title.clone()),
        ("description", p.description.clone()),
        ("category", p.category.as_str().to_owned()),
        ("level", p.level.as_str().to_owned()),
        ("contract", p.contract.as_str().to_owned()),
        ("trial_months", opt(p.trial_months)),
        ("pay_kind", p.pay_kind.as_str().to_owned()),
        (
            "pay_yen",
            if p.pay_yen > 0 {
                p.pay_yen.to_string()
            } else {
                String::new()
            },
        ),
        ("hours_per_week", p.hours_per_week.to_string()),
        ("days_per_month", p.days_per_month.to_string()),
        ("duration_months", opt(p.duration_months)),
        ("places", p.places.to_string()),
        ("work_place", p.work_place.as_str().to_owned()),
        (
            "office_visits_per_month",
            p.office_visits_per_month.to_string(),
        ),
        ("office_place", p.office_place.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    v.extend(
        p.time_windows
            .iter()
            .map(|w| ("time_windows".to_owned(), w.as_str().to_owned())),
    );
    for (i, s) in p.skills.iter().enumerate() {
        v.push((format!("skill_name_{i}"), s.name.clone()));
        v.push((format!("skill_level_{i}"), s.level.to_string()));
    }
    FormData(v)
}

/// The form for a new posting.
pub(super) async fn new_posting(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let org = OrganisationId(id);
    let defaults = FormData(
        [
            ("places", "1"),
            ("days_per_month", "10"),
            ("hours_per_week", "10"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    );
    form_page(
        &state,
        &ctx,
        &actor,
        org,
        (
            format!("/organisations/{id}/postings/new"),
            "postings-new",
            true,
        ),
        defaults,
        FormErrors::default(),
    )
    .await
}

/// Writes a posting: a draft, or opened at once ("open" button).
pub(super) async fn create_posting(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let org = OrganisationId(id);
    let open = form.get("then") == "open";
    let result = match read_posting(&form) {
        Ok(input) => {
            state
                .services
                .create_posting(&actor, org, input, open)
                .await
        }
        Err(v) => Err(v.into()),
    };
    finish(
        &ctx,
        &state,
        if open {
            "notice-opened"
        } else {
            "notice-saved"
        },
        result,
        |p| format!("/postings/{}", p.id),
        |errors| async {
            form_page(
                &state,
                &ctx,
                &actor,
                org,
                (
                    format!("/organisations/{id}/postings/new"),
                    "postings-new",
                    true,
                ),
                form.clone(),
                errors,
            )
            .await
        },
    )
    .await
}

/// A posting's form.
pub(super) async fn edit_posting(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = state.services.posting(Some(&actor), PostingId(id)).await?;
    if !actor.may(WorkAction::EditPosting {
        organisation: p.organisation_id,
        region: p.region_id,
    }) {
        return Err(jimoto_services::ServiceError::Forbidden.into());
    }
    form_page(
        &state,
        &ctx,
        &actor,
        p.organisation_id,
        (format!("/postings/{id}/edit"), "postings-edit", false),
        posting_values(&p),
        FormErrors::default(),
    )
    .await
}

/// Changes a posting.
pub(super) async fn update_posting(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let p = state.services.posting(Some(&actor), PostingId(id)).await?;
    let result = match read_posting(&form) {
        Ok(input) => {
            state
                .services
                .update_posting(&actor, PostingId(id), input)
                .await
        }
        Err(v) => Err(v.into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |p| format!("/postings/{}", p.id),
        |errors| async {
            form_page(
                &state,
                &ctx,
                &actor,
                p.organisation_id,
                (format!("/postings/{id}/edit"), "postings-edit", false),
                form.clone(),
                errors,
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "work/posting.html")]
struct PostingPage {
    frame: Frame,
    p: Posting,
    words: super::PostingWords,
    can_edit: bool,
    /// The viewer is a resident who may apply.
    resident: bool,
    /// Their application to it, if any.
    applied: Option<jimoto_domain::ApplicationId>,
    /// The viewer runs the organisation's selection (sees its applicants).
    selects: bool,
    /// The resident a coordinator applies for: (id, name).
    on_behalf: Option<(i64, String)>,
    /// The people it suits, with why (for the region's coordinators).
    suits: Option<Vec<super::matching::RecommendedPersonView>>,
    errors: FormErrors,
}

pub(super) async fn posting_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    for_resident: Option<&str>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let on_behalf = super::board::on_behalf_of(state, ctx, for_resident).await;
    let p = state
        .services
        .posting(ctx.actor.as_ref(), PostingId(id))
        .await?;
    let can_edit = ctx.actor.as_ref().is_some_and(|a| {
        a.may(WorkAction::EditPosting {
            organisation: p.organisation_id,
            region: p.region_id,
        })
    });
    let resident = ctx
        .actor
        .as_ref()
        .is_some_and(|a| matches!(a.principal, jimoto_domain::Principal::Resident { .. }));
    let applied = match (&ctx.actor, resident) {
        (Some(a), true) => state
            .services
            .my_applications(a)
            .await?
            .into_iter()
            .find(|x| x.posting_id == p.id && x.status.as_str() != "withdrawn")
            .map(|x| x.id),
        _ => None,
    };
    let selects = ctx.actor.as_ref().is_some_and(|a| {
        a.may(WorkAction::Tasks {
            organisation: p.organisation_id,
            region: p.region_id,
        })
    });
    let suits = super::matching::recommended_people(state, ctx.tr, ctx.actor.as_ref(), &p).await?;
    Ok(render(&PostingPage {
        suits,
        frame: ctx.frame_titled(p.title.clone()),
        words: super::PostingWords::of(ctx.tr, &p),
        p,
        can_edit,
        resident,
        applied,
        selects,
        on_behalf,
        errors,
    }))
}

/// Who a coordinator applies for.
#[derive(Debug, Deserialize)]
pub(super) struct ForQuery {
    #[serde(rename = "for")]
    for_resident: Option<String>,
}

/// A posting: public once open.
pub(super) async fn posting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ForQuery>,
) -> Result<Response, AppError> {
    posting_page(
        &state,
        &ctx,
        id,
        q.for_resident.as_deref(),
        FormErrors::default(),
    )
    .await
}

/// Opens, closes or reopens a posting.
pub(super) async fn set_status(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let status = form.choice("status", PostingStatus::parse, &mut problems);
    let result = match status {
        Some(st) => {
            state
                .services
                .set_posting_status(&actor, PostingId(id), st)
                .await
        }
        None => Err(ValidationFailure(problems).into()),
    };
    let notice = match status {
        Some(PostingStatus::Open) => "notice-opened",
        Some(PostingStatus::Closed) => "notice-closed",
        _ => "notice-saved",
    };
    finish(
        &ctx,
        &state,
        notice,
        result,
        |p| format!("/postings/{}", p.id),
        |errors| async { posting_page(&state, &ctx, id, None, errors).await },
    )
    .await
}
