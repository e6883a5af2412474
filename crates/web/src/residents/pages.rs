//! Resident pages: personal data, shown to the coordinators and municipal staff of the
//! resident's region (circumstances to coordinators only) and to the resident.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, Resident, ResidentFilter, ResidentInput, Skill, TimeWindow,
    WorkStyle,
};
use jimoto_domain::{
    AccountAction, AccountScope, Actor, FieldError, Lang, Page, PageRequest, RegionId,
    ResidentAction, ResidentId, Role, ValidationFailure,
};
use jimoto_services::{NewAccount, ServiceError, Services};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, every_problem, finish, target};
use crate::layout::{FormErrors, Frame, Pager, RegionGroups, render};
use crate::pickers::pickable_regions;
use crate::session::{Authed, Ctx};

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    q: Option<String>,
    region: Option<String>,
    work_style: Option<String>,
    skill: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "residents/list.html")]
struct ListPage {
    frame: Frame,
    page: Page<Resident>,
    pager: Pager,
    q: String,
    region: String,
    work_style: String,
    skill: String,
    /// The regions whose residents this user may list (the region filter).
    regions: RegionGroups,
    work_styles: &'static [WorkStyle],
    can_create: bool,
}

impl ListPage {
    /// Excel（レベル3）、GIS（レベル2）: the detail page's wording.
    fn skills(&self, r: &Resident) -> String {
        let tr = self.frame.tr;
        tr.join(r.skills.iter().map(|s| tr.skill(&s.name, s.level)))
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let filter = ResidentFilter {
        q: q.q.clone(),
        region: q
            .region
            .as_deref()
            .and_then(|r| r.parse().ok())
            .map(RegionId),
        work_style: q.work_style.as_deref().and_then(WorkStyle::parse),
        skill: q.skill.clone(),
    };
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    let page = s.residents(&actor, &filter, &req).await?;
    let listable: Vec<_> = s
        .region_refs(&actor)
        .await?
        .into_iter()
        .filter(|r| actor.may(ResidentAction::List { region: Some(r.id) }))
        .collect();
    let can_create = listable
        .iter()
        .any(|r| actor.may(ResidentAction::Create { region: r.id }));
    let regions = RegionGroups::new(ctx.tr, listable);
    let (qs, region, ws, skill) = (
        q.q.unwrap_or_default(),
        q.region.unwrap_or_default(),
        q.work_style.unwrap_or_default(),
        q.skill.unwrap_or_default(),
    );
    let page = ListPage {
        frame: ctx.frame("residents-title"),
        pager: Pager::new(
            &page,
            &[
                ("q", qs.clone()),
                ("region", region.clone()),
                ("work_style", ws.clone()),
                ("skill", skill.clone()),
            ],
        ),
        page,
        q: qs,
        region,
        work_style: ws,
        skill,
        regions,
        work_styles: WorkStyle::ALL,
        can_create,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "residents/detail.html")]
struct DetailPage {
    frame: Frame,
    r: Resident,
    region_name: String,
    can_edit: bool,
    /// The coordinator may give this resident a login (they have none yet).
    can_give_login: bool,
    login: String,
    account_errors: FormErrors,
    /// The resident's login ID and account, shown to those who may reset it.
    account_login: Option<(String, i64)>,
    /// Contacts recorded (None when the viewer may not see them).
    contacts: Option<Vec<jimoto_domain::contact::Contact>>,
    contact: ContactForm,
    contact_kinds: &'static [jimoto_domain::contact::ContactKind],
    /// A coordinator may look for work and apply on this resident's behalf.
    can_apply_for: bool,
    /// The open jobs that suit them, with why (for their coordinators).
    recommended: Vec<crate::work::matching::RecommendedJobView>,
}

/// The form recording a contact, as typed, with its problems.
#[derive(Debug, Clone, Default)]
struct ContactForm {
    on: String,
    kind: String,
    note: String,
    errors: FormErrors,
}

impl DetailPage {
    /// 平日午前、土日祝 / Weekday mornings, Weekends.
    fn time_windows(&self) -> String {
        let tr = self.frame.tr;
        tr.join(
            self.r
                .time_windows
                .iter()
                .map(|w| tr.e("time_window", w.as_str())),
        )
    }

    fn work_styles(&self) -> String {
        let tr = self.frame.tr;
        tr.join(
            self.r
                .work_styles
                .iter()
                .map(|w| tr.e("work_style", w.as_str())),
        )
    }
}

async fn detail_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    login: String,
    account_errors: FormErrors,
    mut contact: ContactForm,
) -> Result<DetailPage, AppError> {
    let s = &state.services;
    let r = s.resident(actor, ResidentId(id)).await?;
    let region_name = s.region(actor, r.region_id).await?.name;
    let can_edit = actor.may(ResidentAction::Edit {
        id: r.id,
        region: r.region_id,
    });
    let can_give_login = r.user_id.is_none()
        && actor.may(AccountAction::CreateResidentLogin {
            region: r.region_id,
        });
    // Their login ID, for those who may reset it (to hand it over again).
    let contacts = if actor.may(ResidentAction::Contacts {
        id: r.id,
        region: r.region_id,
    }) {
        Some(s.contacts(actor, r.id).await?)
    } else {
        None
    };
    if contact.on.is_empty() {
        contact.on = jimoto_domain::calendar::today_jst()
            .format("%Y-%m-%d")
            .to_string();
    }
    let account_login = match r.user_id {
        Some(u) => s.resettable_login(actor, u).await?.map(|l| (l, u.0)),
        None => None,
    };
    let can_apply_for = !matches!(actor.principal, jimoto_domain::Principal::Resident { .. })
        && actor.may(jimoto_domain::WorkAction::Apply {
            resident: r.id,
            region: r.region_id,
        });
    let recommended = if can_apply_for {
        crate::work::matching::recommended_jobs(
            state,
            ctx.tr,
            actor,
            r.id,
            crate::work::matching::Whose::Theirs,
        )
        .await?
    } else {
        Vec::new()
    };
    Ok(DetailPage {
        recommended,
        can_apply_for,
        frame: ctx.frame_titled(r.name.clone()),
        r,
        region_name,
        can_edit,
        can_give_login,
        login,
        account_errors,
        account_login,
        contacts,
        contact,
        contact_kinds: jimoto_domain::contact::ContactKind::ALL,
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
            String::new(),
            FormErrors::default(),
            ContactForm::default(),
        )
        .await?,
    ))
}

/// A coordinator gives a resident a login to their own record.
pub(super) async fn give_login(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let r = state.services.resident(&actor, ResidentId(id)).await?;
    let login = form.get("login").trim().to_owned();
    let account = NewAccount {
        login: login.clone(),
        display_name: r.name.clone(),
        password: String::new(),
        role: Role::Resident,
        scope: AccountScope::Resident(r.id),
        lang: Lang::Ja,
    };
    let result = state.services.issue_account(&actor, account).await;
    crate::accounts::issued(&ctx, result, format!("/residents/{id}"), |errors| async {
        let page = detail_page(
            &state,
            &ctx,
            &actor,
            id,
            login,
            errors,
            ContactForm::default(),
        )
        .await?;
        Ok(render(&page))
    })
    .await
}

/// A coordinator records a contact with the resident.
pub(super) async fn record_contact(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut typed = ContactForm {
        on: form.get("contacted_on").trim().to_owned(),
        kind: form.get("contact_kind").to_owned(),
        note: form.get("note").to_owned(),
        errors: FormErrors::default(),
    };
    let mut errors = Vec::new();
    let on = chrono::NaiveDate::parse_from_str(&typed.on, "%Y-%m-%d").ok();
    if on.is_none() {
        errors.push(FieldError::new("contacted_on", "date"));
    }
    let kind = form.choice(
        "contact_kind",
        jimoto_domain::contact::ContactKind::parse,
        &mut errors,
    );
    let result = match (on, kind) {
        (Some(on), Some(kind)) if errors.is_empty() => {
            let input = jimoto_domain::contact::ContactInput {
                contacted_on: on,
                kind,
                note: typed.note.clone(),
            };
            state
                .services
                .record_contact(&actor, ResidentId(id), input)
                .await
        }
        _ => Err(ServiceError::Validation(ValidationFailure(errors))),
    };
    finish(
        &ctx,
        &state,
        "notice-recorded",
        result,
        |_| format!("/residents/{id}#contacts"),
        |errors| async {
            typed.errors = errors;
            Ok(render(
                &detail_page(
                    &state,
                    &ctx,
                    &actor,
                    id,
                    String::new(),
                    FormErrors::default(),
                    typed,
                )
                .await?,
            ))
        },
    )
    .await
}

/// Form values as typed.
#[derive(Debug, Clone, Default)]
struct Values {
    region_id: String,
    name: String,
    name_kana: String,
    email: String,
    phone: String,
    childcare: bool,
    care: bool,
    treatment: bool,
    note: String,
    skills: Vec<(String, String)>,
    spare_hours_per_week: String,
    time_windows: Vec<String>,
    work_styles: Vec<String>,
    office_visits: String,
    max_travel_minutes: String,
    moved_away_on: String,
}

impl Values {
    fn from_resident(r: &Resident) -> Self {
        let c = r.circumstances.clone().unwrap_or_default();
        Self {
            region_id: r.region_id.to_string(),
            name: r.name.clone(),
            name_kana: r.name_kana.clone(),
            email: r.email.clone(),
            phone: r.phone.clone(),
            childcare: c.childcare,
            care: c.care,
            treatment: c.treatment,
            note: c.note,
            skills: r
                .skills
                .iter()
                .map(|s| (s.name.clone(), s.level.to_string()))
                .collect(),
            spare_hours_per_week: r.spare_hours_per_week.to_string(),
            time_windows: r
                .time_windows
                .iter()
                .map(|w| w.as_str().to_owned())
                .collect(),
            work_styles: r
                .work_styles
                .iter()
                .map(|w| w.as_str().to_owned())
                .collect(),
            office_visits: r.office_visits.as_str().into(),
            max_travel_minutes: r
                .max_travel_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            moved_away_on: r.moved_away_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// Existing skill rows plus three empty ones (no JavaScript needed to add skills).
    fn skill_rows(&self) -> Vec<(usize, String, String)> {
        let mut rows: Vec<(usize, String, String)> = self
            .skills
            .iter()
            .enumerate()
            .map(|(i, (n, l))| (i, n.clone(), l.clone()))
            .collect();
        let start = rows.len();
        rows.extend((start..start + 3).map(|i| (i, String::new(), String::new())));
        rows
    }

    fn has_window(&self, w: &TimeWindow) -> bool {
        self.time_windows.iter().any(|x| x == w.as_str())
    }

    fn has_style(&self, w: &WorkStyle) -> bool {
        self.work_styles.iter().any(|x| x == w.as_str())
    }
}

#[derive(Template)]
#[template(path = "residents/form.html")]
struct FormPage {
    frame: Frame,
    action: String,
    values: Values,
    errors: FormErrors,
    /// The regions the resident may be registered in or moved to (with their current one).
    regions: RegionGroups,
    time_windows: &'static [TimeWindow],
    work_styles: &'static [WorkStyle],
    office_visits: &'static [OfficeVisits],
}

impl FormPage {
    /// A picker with one choice is not a choice: the region is shown as fixed.
    fn region_locked(&self) -> bool {
        self.regions.len() <= 1
    }
}

async fn form_page(
    ctx: &Ctx,
    s: &Services,
    actor: &Actor,
    title: &str,
    action: String,
    mut values: Values,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let regions = pickable_regions(ctx, s, actor, &values.region_id, |r| {
        actor.may(ResidentAction::Create { region: r })
    })
    .await?;
    if values.region_id.is_empty()
        && let Some(only) = regions.only()
    {
        values.region_id = only.to_string();
    }
    Ok(FormPage {
        frame: ctx.frame(title),
        action,
        values,
        errors,
        regions,
        time_windows: TimeWindow::ALL,
        work_styles: WorkStyle::ALL,
        office_visits: OfficeVisits::ALL,
    })
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    // Nothing is assumed for a person: hours and office visits start empty and are asked.
    let values = Values::default();
    let page = form_page(
        &ctx,
        &state.services,
        &actor,
        "residents-new",
        "/residents".into(),
        values,
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
    let s = &state.services;
    let r = s.resident(&actor, ResidentId(id)).await?;
    if !actor.may(ResidentAction::Edit {
        id: r.id,
        region: r.region_id,
    }) {
        return Err(ServiceError::Forbidden.into());
    }
    let values = Values::from_resident(&r);
    Ok(render(
        &form_page(
            &ctx,
            s,
            &actor,
            "residents-edit",
            format!("/residents/{id}"),
            values,
            FormErrors::default(),
        )
        .await?,
    ))
}

fn parse(form: &FormData) -> (Values, Result<ResidentInput, ValidationFailure>) {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut skills_raw = Vec::new();
    for i in 0..30 {
        let name = form.get(&format!("skill_name_{i}")).to_owned();
        let level = form.get(&format!("skill_level_{i}")).to_owned();
        if !name.trim().is_empty() || !level.trim().is_empty() {
            skills_raw.push((name, level));
        }
    }
    let values = Values {
        region_id: form.get("region_id").into(),
        name: form.get("name").into(),
        name_kana: form.get("name_kana").into(),
        email: form.get("email").into(),
        phone: form.get("phone").into(),
        childcare: form.checked("childcare"),
        care: form.checked("care"),
        treatment: form.checked("treatment"),
        note: form.get("note").into(),
        skills: skills_raw.clone(),
        spare_hours_per_week: form.get("spare_hours_per_week").into(),
        time_windows: form
            .all("time_windows")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        work_styles: form
            .all("work_styles")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        office_visits: form.get("office_visits").into(),
        max_travel_minutes: form.get("max_travel_minutes").into(),
        moved_away_on: form.get("moved_away_on").into(),
    };
    let region = form.req_int("region_id", &mut errors);
    let mut skills = Vec::new();
    for (i, (name, level)) in skills_raw.iter().enumerate() {
        let field = format!("skills[{i}].level");
        match level.trim().parse::<i64>() {
            Ok(l) => skills.push(Skill {
                name: name.clone(),
                level: l,
            }),
            // A named skill without a level (a blank row is ignored by normalisation).
            Err(_) if level.trim().is_empty() && !name.trim().is_empty() => {
                errors.push(FieldError::new(field, "required"));
            }
            Err(_) if level.trim().is_empty() => {}
            Err(_) => errors.push(FieldError::new(field, "number")),
        }
    }
    let hours = form.opt_int("spare_hours_per_week", &mut errors);
    if hours.is_none() && values.spare_hours_per_week.trim().is_empty() {
        errors.push(FieldError::new("spare_hours_per_week", "required"));
    }
    let hours = hours.unwrap_or_default();
    let travel = form.opt_int("max_travel_minutes", &mut errors);
    let moved = form.opt_date("moved_away_on", &mut errors);
    let windows = form.choices("time_windows", TimeWindow::parse, &mut errors);
    let styles = form.choices("work_styles", WorkStyle::parse, &mut errors);
    let visits = form.choice("office_visits", OfficeVisits::parse, &mut errors);
    let input = ResidentInput {
        region_id: RegionId(region.unwrap_or_default()),
        name: values.name.clone(),
        name_kana: values.name_kana.clone(),
        email: values.email.clone(),
        phone: values.phone.clone(),
        circumstances: Circumstances {
            childcare: values.childcare,
            care: values.care,
            treatment: values.treatment,
            note: values.note.clone(),
        },
        skills,
        spare_hours_per_week: hours,
        time_windows: windows,
        work_styles: styles,
        office_visits: visits.unwrap_or(OfficeVisits::Never),
        max_travel_minutes: travel,
        moved_away_on: moved,
    };
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
            None => s.create_resident(&actor, input).await,
            Some(id) => s.update_resident(&actor, ResidentId(id), input).await,
        },
    };
    let (title, action) = target(id, "/residents", "residents");
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
        |r| format!("/residents/{}", r.id),
        |errors| async {
            Ok(render(
                &form_page(&ctx, s, &actor, &title, action, values, errors).await?,
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
