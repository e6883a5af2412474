//! Matching pages: a fit's reasons in words, the jobs recommended to a resident and the people
//! a posting suits (sections of their pages), and a coordinator's allocation of a cohort — the
//! proposal with each pair's reasons, the total beside best-first's, pins and forbidden pairs
//! re-solved at once, and acceptance into the companies' selection.
//!
//! The allocation page keeps its state in the address (cohort, jobs per person, pins, forbidden
//! pairs), so that it works without JavaScript, on any of many app servers, and can be
//! bookmarked; each pin or forbid button submits the page's one form with its pair added.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use jimoto_domain::work::matching::{
    AllocationRequest, Explained, MAX_JOBS_PER_PERSON, PairRef, Proposal, ProposedPair, Reason,
    engine_stage,
};
use jimoto_domain::{FieldError, PostingId, ProgramId, RegionId, ResidentId, ValidationFailure};

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::i18n::Tr;
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// A reason in words, with the points it added.
pub(crate) struct ReasonLine {
    pub text: String,
    pub points: u32,
}

/// A fit as a page shows it: the score and each reason in words.
pub(crate) struct FitView {
    pub score: u32,
    pub reasons: Vec<ReasonLine>,
}

/// Whom the reasons are written to: the person themself ("your Excel skill") or someone
/// reading about them (a coordinator: "their Excel skill").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whose {
    Own,
    Theirs,
}

impl FitView {
    pub(crate) fn of(tr: Tr, e: &Explained, whose: Whose) -> Self {
        FitView {
            score: e.score,
            reasons: e
                .reasons
                .iter()
                .map(|r| ReasonLine {
                    text: reason_words(tr, r, whose),
                    points: points(r),
                })
                .collect(),
        }
    }
}

fn points(r: &Reason) -> u32 {
    match r {
        Reason::Skill { points, .. }
        | Reason::NoSkillAsked { points }
        | Reason::Hours { points, .. }
        | Reason::Pay { points, .. }
        | Reason::Stage { points, .. }
        | Reason::Remote { points }
        | Reason::OfficeNearby { points, .. }
        | Reason::Style { points, .. } => *points,
        Reason::Windows { .. } => 0,
    }
}

/// One reason in words a resident understands: "uses your Excel skill (level 3 of the 2
/// asked)", "fits your weekday mornings".
pub(crate) fn reason_words(tr: Tr, r: &Reason, whose: Whose) -> String {
    // The reasons that speak of the person ("your …") have a form for someone else.
    let key = |k: &str| match whose {
        Whose::Own => k.to_owned(),
        Whose::Theirs => format!("{k}-their"),
    };
    match r {
        Reason::Skill {
            skill, have, need, ..
        } => {
            let which = if *have == 0 {
                key("match-skill-new")
            } else if have >= need {
                key("match-skill-uses")
            } else {
                "match-skill-growing".to_owned()
            };
            tr.ta(
                &which,
                &[
                    ("skill", skill.clone()),
                    ("have", have.to_string()),
                    ("need", need.to_string()),
                ],
            )
        }
        Reason::NoSkillAsked { .. } => tr.t("match-no-skill"),
        Reason::Hours { hours, spare, .. } => {
            let share = u32::from(*hours) * 100 / u32::from((*spare).max(1));
            tr.ta(
                &key("match-hours"),
                &[
                    ("hours", hours.to_string()),
                    ("spare", spare.to_string()),
                    ("percent", share.min(100).to_string()),
                ],
            )
        }
        Reason::Windows { windows } => tr.t1(
            &key("match-windows"),
            "windows",
            tr.join(
                windows
                    .iter()
                    .map(|w| tr.t(&format!("match-window-{}", w.as_str()))),
            ),
        ),
        Reason::Pay { hourly_yen, .. } => {
            tr.t1("match-pay", "amount", tr.yen(i64::from(*hourly_yen)))
        }
        Reason::Stage { stage, level, .. } => {
            let engine = match engine_stage(*stage) {
                jimoto_matching::score::Stage::Learning => "learning",
                jimoto_matching::score::Stage::FirstPaid => "first_paid",
                jimoto_matching::score::Stage::Recurring => "recurring",
            };
            tr.t(&format!("match-stage-{engine}-{}", level.as_str()))
        }
        Reason::Remote { .. } => tr.t("match-remote"),
        Reason::OfficeNearby { visits, .. } => tr.t1("match-office", "visits", visits),
        Reason::Style { style, .. } => {
            tr.t1("match-style", "style", tr.e("work_style", style.as_str()))
        }
    }
}

/// A job recommended to a resident, as their pages show it.
pub(crate) struct RecommendedJobView {
    pub posting_id: PostingId,
    pub title: String,
    pub organisation: String,
    pub pay: String,
    pub when: String,
    pub fit: FitView,
}

/// The jobs recommended to a resident, in words (none for a viewer who may not see them).
pub(crate) async fn recommended_jobs(
    state: &AppState,
    tr: Tr,
    actor: &jimoto_domain::Actor,
    resident: ResidentId,
    whose: Whose,
) -> Result<Vec<RecommendedJobView>, AppError> {
    let list = match state.services.recommended_jobs(actor, resident, 5).await {
        Ok(l) => l,
        Err(jimoto_services::ServiceError::NotFound) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(list
        .into_iter()
        .map(|r| {
            let words = super::PostingWords::of(tr, &r.posting);
            RecommendedJobView {
                posting_id: r.posting.id,
                title: r.posting.title,
                organisation: r.posting.organisation_name,
                pay: words.pay,
                when: words.when,
                fit: FitView::of(tr, &r.fit, whose),
            }
        })
        .collect())
}

/// A person a posting suits, as its page shows them to a coordinator.
pub(crate) struct RecommendedPersonView {
    pub id: ResidentId,
    pub name: String,
    pub stage: String,
    pub fit: FitView,
}

/// The people a posting suits, for a coordinator of its region (None for anyone else).
pub(crate) async fn recommended_people(
    state: &AppState,
    tr: Tr,
    actor: Option<&jimoto_domain::Actor>,
    posting: &jimoto_domain::work::Posting,
) -> Result<Option<Vec<RecommendedPersonView>>, AppError> {
    let Some(actor) = actor.filter(|a| {
        a.may(jimoto_domain::WorkAction::Match {
            region: posting.region_id,
        })
    }) else {
        return Ok(None);
    };
    if posting.status != jimoto_domain::work::PostingStatus::Open {
        return Ok(None);
    }
    let list = state
        .services
        .recommended_people(actor, posting.id, 10)
        .await?;
    Ok(Some(
        list.into_iter()
            .map(|r| RecommendedPersonView {
                id: r.person.resident_id,
                name: r.person.name,
                stage: tr.e("stage", r.person.stage.as_str()),
                fit: FitView::of(tr, &r.fit, Whose::Theirs),
            })
            .collect(),
    ))
}

/// A pair as the allocation page shows it.
struct PairRow {
    /// `resident-posting`, as the page's buttons send it.
    key: String,
    posting_id: PostingId,
    title: String,
    organisation: String,
    fit: FitView,
    pinned: bool,
}

/// A person of the cohort with what the allocation gives them and what else they could do.
struct PersonRow {
    id: ResidentId,
    name: String,
    stage: String,
    pairs: Vec<PairRow>,
    alternatives: Vec<PairRow>,
}

/// The page's state as the address holds it.
#[derive(Default)]
struct PageState {
    request: AllocationRequest,
    run: bool,
}

fn pair_key(p: &PairRef) -> String {
    format!("{}-{}", p.resident_id, p.posting_id)
}

fn parse_pair(s: &str) -> Option<PairRef> {
    let (r, p) = s.split_once('-')?;
    Some(PairRef {
        resident_id: ResidentId(r.trim().parse().ok()?),
        posting_id: PostingId(p.trim().parse().ok()?),
    })
}

/// Reads the state from the query, every problem named by its field.
fn read_state(form: &FormData) -> (PageState, Vec<FieldError>) {
    let mut problems = Vec::new();
    let program = form.opt_int("program", &mut problems).map(ProgramId);
    let completed_from = form.opt_date("completed_from", &mut problems);
    let completed_to = form.opt_date("completed_to", &mut problems);
    let per = form.opt_int("per_person", &mut problems);
    let pairs = |name: &str, field: &str, problems: &mut Vec<FieldError>| {
        let mut out: Vec<PairRef> = Vec::new();
        for (i, v) in form.all(name).into_iter().enumerate() {
            match parse_pair(v) {
                Some(p) if !out.contains(&p) => out.push(p),
                Some(_) => {}
                None => problems.push(FieldError::new(format!("{field}[{i}]"), "unknown")),
            }
        }
        out
    };
    let mut pinned = pairs("pin", "pinned", &mut problems);
    let mut forbidden = pairs("forbid", "forbidden", &mut problems);
    let change = |name: &str| parse_pair(form.get(name));
    // The button pressed: pin, forbid or free one pair.
    if let Some(p) = change("add_pin") {
        forbidden.retain(|x| *x != p);
        if !pinned.contains(&p) {
            pinned.push(p);
        }
    }
    if let Some(p) = change("add_forbid") {
        pinned.retain(|x| *x != p);
        if !forbidden.contains(&p) {
            forbidden.push(p);
        }
    }
    if let Some(p) = change("free") {
        pinned.retain(|x| *x != p);
        forbidden.retain(|x| *x != p);
    }
    let jobs_per_person = per.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    (
        PageState {
            request: AllocationRequest {
                program_id: program,
                completed_from,
                completed_to,
                jobs_per_person,
                pinned,
                forbidden,
            },
            run: !form.get("run").is_empty()
                || !form.get("add_pin").is_empty()
                || !form.get("add_forbid").is_empty()
                || !form.get("free").is_empty(),
        },
        problems,
    )
}

#[derive(Template)]
#[template(path = "work/allocation.html")]
struct AllocationPage {
    frame: Frame,
    region: RegionId,
    region_name: String,
    /// (id, "title（修了 N人）", selected).
    programs: Vec<(ProgramId, String, bool)>,
    from: String,
    to: String,
    per_person: u32,
    max_per_person: u32,
    /// The state's pins and forbidden pairs, as hidden fields.
    pins: Vec<String>,
    forbids: Vec<String>,
    proposal: Option<ProposalView>,
    errors: FormErrors,
}

struct ProposalView {
    people: Vec<PersonRow>,
    /// People no open place suits.
    without_any: usize,
    /// Postings with places left and how many the proposal fills.
    postings: Vec<(PostingId, String, String, i64, i64)>,
    pairs: usize,
    total: i64,
    greedy_total: i64,
    greedy_pairs: usize,
    candidate_pairs: usize,
    /// Forbidden pairs in words, with their keys.
    forbidden: Vec<(String, String)>,
    /// Keys of the proposed pairs, for acceptance.
    keys: Vec<String>,
}

impl AllocationPage {
    fn gain(&self, p: &ProposalView) -> String {
        let diff = p.total - p.greedy_total;
        if diff == 0 {
            return self.frame.tr.t("allocation-same");
        }
        let percent = if p.greedy_total > 0 {
            format!("{:.1}", diff as f64 * 100.0 / p.greedy_total as f64)
        } else {
            "0".into()
        };
        self.frame.tr.ta(
            "allocation-gain",
            &[("points", diff.to_string()), ("percent", percent)],
        )
    }
}

fn pair_row(tr: Tr, p: &ProposedPair) -> PairRow {
    PairRow {
        key: pair_key(&PairRef {
            resident_id: p.resident_id,
            posting_id: p.posting_id,
        }),
        posting_id: p.posting_id,
        title: p.posting_title.clone(),
        organisation: p.organisation_name.clone(),
        fit: FitView::of(tr, &p.fit, Whose::Theirs),
        pinned: p.pinned,
    }
}

fn proposal_view(tr: Tr, p: &Proposal) -> ProposalView {
    let people: Vec<PersonRow> = p
        .people
        .iter()
        .map(|c| PersonRow {
            id: c.resident_id,
            name: c.name.clone(),
            stage: tr.e("stage", c.stage.as_str()),
            pairs: p
                .pairs
                .iter()
                .filter(|x| x.resident_id == c.resident_id)
                .map(|x| pair_row(tr, x))
                .collect(),
            alternatives: p
                .alternatives
                .iter()
                .filter(|x| x.resident_id == c.resident_id)
                .map(|x| pair_row(tr, x))
                .collect(),
        })
        .collect();
    let name_of = |r: ResidentId| {
        p.people
            .iter()
            .find(|c| c.resident_id == r)
            .map_or_else(|| r.to_string(), |c| c.name.clone())
    };
    let title_of = |id: PostingId| {
        p.postings
            .iter()
            .find(|o| o.posting_id == id)
            .map_or_else(|| id.to_string(), |o| o.title.clone())
    };
    ProposalView {
        without_any: people.iter().filter(|p| p.nothing()).count(),
        people,
        postings: p
            .postings
            .iter()
            .map(|o| {
                (
                    o.posting_id,
                    o.title.clone(),
                    o.organisation_name.clone(),
                    o.places_left,
                    o.proposed,
                )
            })
            .collect(),
        pairs: p.pairs.len(),
        total: p.total,
        greedy_total: p.greedy_total,
        greedy_pairs: p.greedy_pairs,
        candidate_pairs: p.candidate_pairs,
        forbidden: p
            .forbidden
            .iter()
            .map(|f| {
                (
                    pair_key(f),
                    format!("{} × {}", name_of(f.resident_id), title_of(f.posting_id)),
                )
            })
            .collect(),
        keys: p
            .pairs
            .iter()
            .map(|x| {
                pair_key(&PairRef {
                    resident_id: x.resident_id,
                    posting_id: x.posting_id,
                })
            })
            .collect(),
    }
}

async fn allocation_page(
    state: &AppState,
    ctx: &Ctx,
    region: RegionId,
    page: PageState,
    mut problems: Vec<FieldError>,
    refused: Vec<FieldError>,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let programs = state.services.cohort_programs(actor, region).await?;
    let r = state.services.region(actor, region).await?;
    let req = &page.request;
    let proposal = if page.run && problems.is_empty() {
        match state.services.allocate(actor, region, req).await {
            Ok(p) => Some(proposal_view(ctx.tr, &p)),
            Err(jimoto_services::ServiceError::Validation(ValidationFailure(v))) => {
                problems.extend(v);
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    problems.extend(refused);
    let page = AllocationPage {
        frame: ctx.frame_titled(format!("{} · {}", ctx.tr.t("allocation-title"), r.name)),
        region,
        region_name: r.name,
        programs: programs
            .into_iter()
            .map(|(id, title, n)| {
                (
                    id,
                    ctx.tr.ta(
                        "allocation-program",
                        &[("title", title), ("count", n.to_string())],
                    ),
                    req.program_id == Some(id),
                )
            })
            .collect(),
        from: req
            .completed_from
            .map(|d| d.to_string())
            .unwrap_or_default(),
        to: req.completed_to.map(|d| d.to_string()).unwrap_or_default(),
        per_person: req.jobs_per_person.unwrap_or(1),
        max_per_person: MAX_JOBS_PER_PERSON,
        pins: req.pinned.iter().map(pair_key).collect(),
        forbids: req.forbidden.iter().map(pair_key).collect(),
        proposal,
        errors: FormErrors::from(ctx.tr, &problems),
    };
    if page.errors.is_empty() {
        Ok(render(&page))
    } else {
        use axum::response::IntoResponse;
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
    }
}

fn query_form(q: Option<String>) -> FormData {
    FormData(crate::form::parse_form(q.unwrap_or_default().as_bytes()).unwrap_or_default())
}

/// The allocation page: the cohort form, and once run, the proposal.
pub(super) async fn allocation(
    State(state): State<AppState>,
    Authed(ctx, _actor): Authed,
    Path(id): Path<i64>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    let (page, problems) = read_state(&query_form(q));
    allocation_page(&state, &ctx, RegionId(id), page, problems, Vec::new()).await
}

/// Accepts the proposal shown: every pair becomes an application.
pub(super) async fn accept(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let region = RegionId(id);
    let (mut page, mut problems) = read_state(&form);
    let mut pairs = Vec::new();
    for (i, v) in form.all("pair").into_iter().enumerate() {
        match parse_pair(v) {
            Some(p) => pairs.push(p),
            None => problems.push(FieldError::new(format!("pairs[{i}]"), "unknown")),
        }
    }
    let result = if problems.is_empty() {
        state
            .services
            .accept_allocation(&actor, region, &pairs)
            .await
    } else {
        Err(ValidationFailure(problems.clone()).into())
    };
    match result {
        Ok(_) => {
            // Back to the page with the same cohort: the accepted pairs are applications now.
            // The same cohort and jobs per person; the pins and forbidden pairs were for the
            // proposal accepted.
            let r = &page.request;
            let mut to = format!("/regions/{id}/allocation?run=1");
            if let Some(p) = r.program_id {
                to.push_str(&format!("&program={p}"));
            }
            for (name, day) in [
                ("completed_from", r.completed_from),
                ("completed_to", r.completed_to),
            ] {
                if let Some(d) = day {
                    to.push_str(&format!("&{name}={d}"));
                }
            }
            if let Some(n) = r.jobs_per_person {
                to.push_str(&format!("&per_person={n}"));
            }
            ctx.done(&state, &to, "notice-allocation-accepted").await
        }
        Err(jimoto_services::ServiceError::Validation(ValidationFailure(v))) => {
            // The problems, and the proposal as it stands now.
            page.run = true;
            allocation_page(&state, &ctx, region, page, Vec::new(), v).await
        }
        Err(e) => Err(e.into()),
    }
}

impl PersonRow {
    fn unplaced(&self) -> bool {
        self.pairs.is_empty()
    }

    /// No open place suits them at all: listed by name only.
    fn nothing(&self) -> bool {
        self.pairs.is_empty() && self.alternatives.is_empty()
    }
}
