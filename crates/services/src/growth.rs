//! The growth path's use cases: public sign-up (no account), enrolment and the waiting list,
//! attendance per session with walk-ins, completion, each resident's stage (moved by those events
//! or by hand with a reason), the stalled list, the funnel and merging two records of one person.

use chrono::{DateTime, Utc};
use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::calendar::{jst_instant, today_jst};
use jimoto_domain::growth::{
    AttendanceRow, CONSENT_VERSION, Channel, CheckInRow, EnrolInput, Enrolment, EnrolmentSource,
    EnrolmentStatus, Funnel, FunnelScope, ProgramCounts, SignUpInput, SignUpReceipt, Stage,
    StageCause, StageChange, StageInput, StageNow, Stalled, attendance_meets,
};
use jimoto_domain::program::{Audience, CompletionRule, Program, Session};
use jimoto_domain::resident::{Circumstances, OfficeVisits, Resident, ResidentInput};
use jimoto_domain::{
    Actor, ProgramAction, ProgramId, RegionId, RegionScope, ResidentAction, ResidentId, SessionId,
    ValidationFailure,
};
use jimoto_store::growth::{self as store, Cohort, NewAttendance, NewEnrolment, NewStage};
use jimoto_store::{Conn, organisations, programs, residents};
use serde_json::json;
use validator::Validate;

use crate::{ServiceError, ServiceResult, Services, audit, authorize, require};

/// A program as the public sign-up page shows it: nothing about who signed up.
#[derive(Debug, Clone)]
pub struct PublicProgram {
    /// The program.
    pub program: Program,
    /// Its sessions in time order.
    pub sessions: Vec<Session>,
    /// The organiser's name.
    pub organiser: String,
    /// The partners' names.
    pub partners: Vec<String>,
    /// Sign-up is open: the last session has not passed.
    pub open: bool,
}

/// A session's check-in list with its program.
#[derive(Debug, Clone)]
pub struct CheckIn {
    /// The program.
    pub program: Program,
    /// The session.
    pub session: Session,
    /// Everyone holding a place, and anyone else checked in.
    pub rows: Vec<CheckInRow>,
}

/// A resident's place on the growth path.
#[derive(Debug, Clone)]
pub struct GrowthView {
    /// Their stage now.
    pub now: StageNow,
    /// Every change, oldest first.
    pub history: Vec<StageChange>,
    /// Their sign-ups with the programs' titles.
    pub enrolments: Vec<(Enrolment, String)>,
}

/// Where a person stands with a program's completion rule.
enum CompletionTime {
    /// Met at this session's start.
    At(DateTime<Utc>),
    /// Not met.
    NotYet,
    /// The coordinator marks completion.
    ByCoordinator,
}

/// A program is open to the public when it is for residents or students.
fn is_public(p: &Program) -> bool {
    matches!(p.audience, Audience::Residents | Audience::Students)
}

fn people_action(p: &Program) -> ProgramAction {
    ProgramAction::People {
        id: p.id,
        region: p.region_id,
    }
}

fn attendance_action(p: &Program) -> ProgramAction {
    ProgramAction::Attendance {
        id: p.id,
        region: p.region_id,
    }
}

/// Loads a program whose people the actor may see ("not found" otherwise).
pub(crate) async fn with_people(
    conn: &mut Conn,
    actor: &Actor,
    id: ProgramId,
) -> ServiceResult<Program> {
    let p = programs::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !actor.may(people_action(&p)) {
        return Err(ServiceError::NotFound);
    }
    Ok(p)
}

/// Loads a program whose attendance the actor keeps ("not found" if they may not see its
/// people, "forbidden" if they see but may not tick).
pub(crate) async fn kept_by(
    conn: &mut Conn,
    actor: &Actor,
    id: ProgramId,
) -> ServiceResult<Program> {
    let p = programs::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    authorize(actor, people_action(&p), attendance_action(&p))?;
    Ok(p)
}

async fn session_of(conn: &mut Conn, p: &Program, id: SessionId) -> ServiceResult<Session> {
    programs::get_session(conn, id)
        .await?
        .filter(|s| s.program_id == p.id)
        .ok_or(ServiceError::NotFound)
}

fn by(actor: Option<&Actor>) -> (Option<jimoto_domain::UserId>, &str) {
    actor.map_or((None, ""), |a| (Some(a.user_id), a.display_name.as_str()))
}

/// The resident a sign-up is: the one its keys recognise in the region, or a new record.
/// Returns the id and whether they were recognised.
pub(crate) async fn person(
    conn: &mut Conn,
    region: RegionId,
    input: &SignUpInput,
    actor: Option<&Actor>,
) -> ServiceResult<(ResidentId, bool)> {
    if let Some(id) = store::find_by_keys(conn, region, &input.match_keys())
        .await?
        .first()
    {
        return Ok((*id, true));
    }
    let profile = ResidentInput {
        region_id: region,
        name: input.name.clone(),
        name_kana: input.name_kana.clone(),
        email: input.email.clone(),
        phone: input.phone.clone(),
        circumstances: Circumstances::default(),
        skills: vec![],
        spare_hours_per_week: 0,
        time_windows: vec![],
        work_styles: vec![],
        office_visits: OfficeVisits::Never,
        max_travel_minutes: None,
        moved_away_on: None,
    };
    profile
        .validate()
        .map_err(|e| ValidationFailure::from_validator(&e))?;
    let id = residents::insert(conn, &profile, None).await?;
    let r = residents::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    audit::record_change(
        conn,
        actor,
        Some(region),
        AuditEntity::Resident,
        id.0,
        None::<&Resident>,
        &r,
    )
    .await?;
    Ok((id, false))
}

/// Enrols a person (or brings back a cancelled enrolment): a place if there is one, else the
/// waiting list. An active enrolment is left as it is. The caller holds the program's lock.
/// Who enrols, how and when.
struct Enrol<'a> {
    resident: ResidentId,
    channel: Channel,
    source: EnrolmentSource,
    consent: &'a str,
    at: DateTime<Utc>,
}

async fn enrol_person(
    conn: &mut Conn,
    p: &Program,
    e: Enrol<'_>,
    actor: Option<&Actor>,
) -> ServiceResult<Enrolment> {
    let Enrol {
        resident,
        channel,
        source,
        consent,
        at,
    } = e;
    let existing = store::enrolment_of(conn, p.id, resident).await?;
    if let Some(e) = &existing
        && e.status != EnrolmentStatus::Cancelled
    {
        return Ok(e.clone());
    }
    let full = match p.capacity {
        Some(c) => store::count_enrolled(conn, p.id).await? >= c,
        None => false,
    };
    let status = if full && source != EnrolmentSource::WalkIn {
        EnrolmentStatus::Waiting
    } else {
        EnrolmentStatus::Enrolled
    };
    let id = match existing {
        Some(e) => {
            store::set_status(conn, e.id, status).await?;
            e.id
        }
        None => {
            store::insert_enrolment(
                conn,
                &NewEnrolment {
                    program: p.id,
                    region: p.region_id,
                    resident,
                    status,
                    channel,
                    source,
                    consent_version: consent,
                    at,
                },
            )
            .await?
        }
    };
    audit::record(
        conn,
        actor,
        Some(p.region_id),
        AuditEntity::Resident,
        resident.0,
        AuditOp::Update,
        json!({ "enrolment": { "program": p.id, "status": status, "channel": channel,
            "source": source, "consent_version": consent } }),
    )
    .await?;
    refresh(conn, p, resident, actor).await?;
    store::enrolment(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// When a person completed a program under its rule: the start of the session at which their
/// attendance first met the share (None if it has not, or the rule is the coordinator's mark).
fn completion_time(p: &Program, total: i64, times: &[DateTime<Utc>]) -> CompletionTime {
    if p.completion != CompletionRule::Attendance {
        return CompletionTime::ByCoordinator;
    }
    let share = p.min_attendance_percent.unwrap_or(100);
    let attended = i64::try_from(times.len()).unwrap_or(i64::MAX);
    if !attendance_meets(attended, total, share) {
        return CompletionTime::NotYet;
    }
    // The first k sessions attended meet the share: k = ceil(share × total / 100).
    let needed = (share * total + 99) / 100;
    let k = usize::try_from(needed.max(1)).unwrap_or(usize::MAX);
    times
        .get(k - 1)
        .map_or(CompletionTime::NotYet, |t| CompletionTime::At(*t))
}

/// Brings a person's completion of a program and their stage in line with the events: the
/// rule decides completion; the stage moves forward through every stage the events reach (each
/// dated by its event), and back only when an event was undone and nobody set it by hand.
pub(crate) async fn refresh(
    conn: &mut Conn,
    p: &Program,
    resident: ResidentId,
    actor: Option<&Actor>,
) -> ServiceResult<()> {
    if let Some(e) = store::enrolment_of(conn, p.id, resident).await? {
        let total = i64::try_from(programs::sessions_of(conn, p.id).await?.len()).unwrap_or(0);
        let times = store::attended_times(conn, p.id, resident).await?;
        match completion_time(p, total, &times) {
            CompletionTime::At(t) if e.completed_at != Some(t) => {
                store::set_completed(conn, e.id, Some(t)).await?;
            }
            CompletionTime::NotYet if e.completed_at.is_some() => {
                store::set_completed(conn, e.id, None).await?;
            }
            _ => {}
        }
    }
    sync_stage(conn, resident, Some(p.id), actor).await
}

async fn sync_stage(
    conn: &mut Conn,
    resident: ResidentId,
    program: Option<ProgramId>,
    actor: Option<&Actor>,
) -> ServiceResult<()> {
    let Some(now) = store::stage_now(conn, resident).await? else {
        return Ok(());
    };
    let region = residents::get(conn, resident)
        .await?
        .ok_or(ServiceError::NotFound)?
        .region_id;
    let times = store::event_times(conn, resident).await?;
    let steps = [
        (Stage::Enrolled, StageCause::SignUp),
        (Stage::Attended, StageCause::CheckIn),
        (Stage::Completed, StageCause::Completion),
    ];
    let reached = steps
        .iter()
        .zip(times)
        .filter_map(|(s, t)| t.map(|_| s.0))
        .max()
        .unwrap_or(Stage::Interested);
    if reached > now.stage {
        for ((stage, cause), at) in steps.iter().zip(times) {
            if let Some(at) = at
                && *stage > now.stage
            {
                store::set_stage(
                    conn,
                    resident,
                    region,
                    &NewStage {
                        stage: *stage,
                        at,
                        cause: *cause,
                        reason: "",
                        program,
                        by: by(actor),
                    },
                )
                .await?;
            }
        }
    } else if reached < now.stage
        && now.stage <= Stage::Completed
        && store::last_cause(conn, resident).await? != Some(StageCause::ByHand)
    {
        store::set_stage(
            conn,
            resident,
            region,
            &NewStage {
                stage: reached,
                at: Utc::now(),
                cause: StageCause::Correction,
                reason: "",
                program,
                by: by(actor),
            },
        )
        .await?;
    }
    if times[2].is_none() && now.completed_at.is_some() && now.stage <= Stage::Completed {
        store::clear_completion(conn, resident).await?;
    }
    Ok(())
}

impl Services {
    /// A program as its public page shows it (programs for residents or students only).
    pub async fn public_program(&self, id: ProgramId) -> ServiceResult<PublicProgram> {
        let mut conn = self.db().conn().await?;
        let program = programs::get(&mut conn, id)
            .await?
            .filter(is_public)
            .ok_or(ServiceError::NotFound)?;
        let sessions = programs::sessions_of(&mut conn, id).await?;
        let name = |o: Option<jimoto_domain::organisation::Organisation>| {
            o.map(|o| o.name).unwrap_or_default()
        };
        let organiser = name(organisations::get(&mut conn, program.organiser_id).await?);
        let mut partners = Vec::new();
        for p in &program.partners {
            partners.push(name(
                organisations::get(&mut conn, p.organisation_id).await?,
            ));
        }
        let open = sessions.last().is_none_or(|s| s.date >= today_jst());
        Ok(PublicProgram {
            program,
            sessions,
            organiser,
            partners,
            open,
        })
    }

    /// Checks a public sign-up without saving it (the confirmation step): normalised input, or
    /// every problem at once.
    pub fn check_sign_up(&self, input: SignUpInput) -> ServiceResult<SignUpInput> {
        let input = input.normalised();
        let problems = input.problems();
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(ValidationFailure(problems).into())
        }
    }

    /// Signs a person up for a program from its public page, without an account. Attempts are
    /// limited per address; the person is recognised by their keys (never counted twice); a
    /// full program puts them on the waiting list.
    pub async fn sign_up(
        &self,
        program: ProgramId,
        input: SignUpInput,
        ip: &str,
    ) -> ServiceResult<SignUpReceipt> {
        let cfg = self.config();
        {
            let mut conn = self.db().conn().await?;
            let window =
                chrono::Duration::from_std(cfg.signup_window).unwrap_or(chrono::Duration::hours(1));
            let since = Utc::now() - window;
            if store::signup_attempts_since(&mut conn, ip, since).await? >= cfg.max_signups_per_ip {
                return Err(ServiceError::TooManyAttempts {
                    retry_after_minutes: cfg.signup_window.as_secs().div_ceil(60),
                });
            }
            store::forget_signup_attempts(&mut conn, since - window).await?;
            store::record_signup_attempt(&mut conn, ip).await?;
        }
        let public = self.public_program(program).await?;
        if !public.open {
            return Err(ValidationFailure::single("program", "closed").into());
        }
        let input = self.check_sign_up(input)?;
        let p = public.program;
        let mut tx = self.db().begin().await?;
        store::lock_program(&mut tx, p.id).await?;
        let (resident, recognised) = person(&mut tx, p.region_id, &input, None).await?;
        let e = enrol_person(
            &mut tx,
            &p,
            Enrol {
                resident,
                channel: input.channel,
                source: EnrolmentSource::Public,
                consent: CONSENT_VERSION,
                at: Utc::now(),
            },
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(SignUpReceipt {
            enrolment_id: e.id,
            program_id: p.id,
            status: e.status,
            waiting_position: e.waiting_position,
            recognised,
        })
    }

    /// A token naming one sign-up, for its confirmation page (signed: it cannot be guessed
    /// from another's).
    pub async fn receipt_token(&self, r: &SignUpReceipt) -> ServiceResult<String> {
        self.sign(&format!("receipt.{}.{}", r.program_id.0, r.enrolment_id))
            .await
    }

    /// The sign-up a receipt token names, as it stands now.
    pub async fn receipt(&self, program: ProgramId, token: &str) -> ServiceResult<SignUpReceipt> {
        let payload = self.verify(token).await.ok_or(ServiceError::NotFound)?;
        let mut parts = payload.split('.');
        let (Some("receipt"), Some(p), Some(e)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(ServiceError::NotFound);
        };
        if p.parse::<i64>().ok() != Some(program.0) {
            return Err(ServiceError::NotFound);
        }
        let id = e.parse::<i64>().map_err(|_| ServiceError::NotFound)?;
        let mut conn = self.db().conn().await?;
        let e = store::enrolment(&mut conn, id)
            .await?
            .filter(|e| e.program_id == program)
            .ok_or(ServiceError::NotFound)?;
        Ok(SignUpReceipt {
            enrolment_id: e.id,
            program_id: program,
            status: e.status,
            waiting_position: e.waiting_position,
            recognised: false,
        })
    }

    /// A program's figures: unique people and attendances (anyone who may see the program).
    pub async fn program_counts(
        &self,
        actor: &Actor,
        program: ProgramId,
    ) -> ServiceResult<ProgramCounts> {
        let view = self.program(actor, program).await?;
        let mut conn = self.db().conn().await?;
        Ok(store::program_counts(&mut conn, view.program.id).await?)
    }

    /// A program's sign-ups with a status (None: all), for those who may see its people.
    pub async fn enrolments(
        &self,
        actor: &Actor,
        program: ProgramId,
        status: Option<EnrolmentStatus>,
    ) -> ServiceResult<Vec<Enrolment>> {
        let mut conn = self.db().conn().await?;
        let p = with_people(&mut conn, actor, program).await?;
        Ok(store::enrolments(&mut conn, p.id, status).await?)
    }

    /// A program's attendances (延べ), one row per person per session.
    pub async fn attendance_rows(
        &self,
        actor: &Actor,
        program: ProgramId,
    ) -> ServiceResult<Vec<AttendanceRow>> {
        let mut conn = self.db().conn().await?;
        let p = with_people(&mut conn, actor, program).await?;
        Ok(store::attendance_rows(&mut conn, p.id)
            .await?
            .into_iter()
            .map(|(session_id, resident_id, name, walk_in)| AttendanceRow {
                session_id,
                resident_id,
                name,
                walk_in,
            })
            .collect())
    }

    /// A coordinator enrols a resident of the program's region.
    pub async fn enrol(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: EnrolInput,
    ) -> ServiceResult<Enrolment> {
        self.enrol_at(
            actor,
            program,
            input,
            Utc::now(),
            EnrolmentSource::Coordinator,
        )
        .await
    }

    /// Enrols a resident at a given time (imports and the demo give the day they signed up).
    pub async fn enrol_at(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: EnrolInput,
        at: DateTime<Utc>,
        source: EnrolmentSource,
    ) -> ServiceResult<Enrolment> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let r = residents::get(&mut tx, input.resident_id)
            .await?
            .filter(|r| r.region_id == p.region_id)
            .ok_or_else(|| ValidationFailure::single("resident_id", "unknown"))?;
        store::lock_program(&mut tx, p.id).await?;
        let e = enrol_person(
            &mut tx,
            &p,
            Enrol {
                resident: r.id,
                channel: input.channel,
                source,
                consent: "",
                at,
            },
            Some(actor),
        )
        .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Cancels a person's sign-up; the first on the waiting list takes the place.
    pub async fn cancel_enrolment(
        &self,
        actor: &Actor,
        program: ProgramId,
        resident: ResidentId,
    ) -> ServiceResult<Enrolment> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        store::lock_program(&mut tx, p.id).await?;
        let e = store::enrolment_of(&mut tx, p.id, resident)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if e.status != EnrolmentStatus::Cancelled {
            store::set_status(&mut tx, e.id, EnrolmentStatus::Cancelled).await?;
            audit::record(
                &mut tx,
                Some(actor),
                Some(p.region_id),
                AuditEntity::Resident,
                resident.0,
                AuditOp::Update,
                json!({ "enrolment": { "program": p.id, "status": [e.status, EnrolmentStatus::Cancelled] } }),
            )
            .await?;
            if e.status == EnrolmentStatus::Enrolled {
                self.move_up(&mut tx, &p, actor).await?;
            }
            refresh(&mut tx, &p, resident, Some(actor)).await?;
        }
        let e = store::enrolment(&mut tx, e.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(e)
    }

    /// Gives free places to the waiting list, first come first served.
    async fn move_up(&self, conn: &mut Conn, p: &Program, actor: &Actor) -> ServiceResult<()> {
        loop {
            if let Some(c) = p.capacity
                && store::count_enrolled(conn, p.id).await? >= c
            {
                return Ok(());
            }
            let Some(next) = store::first_waiting(conn, p.id).await? else {
                return Ok(());
            };
            store::set_status(conn, next, EnrolmentStatus::Enrolled).await?;
            if let Some(e) = store::enrolment(conn, next).await? {
                audit::record(
                    conn,
                    Some(actor),
                    Some(p.region_id),
                    AuditEntity::Resident,
                    e.resident_id.0,
                    AuditOp::Update,
                    json!({ "enrolment": { "program": p.id, "status": [EnrolmentStatus::Waiting, EnrolmentStatus::Enrolled] } }),
                )
                .await?;
            }
        }
    }

    /// A session's check-in list (for those who may see the program's people).
    pub async fn check_in_list(
        &self,
        actor: &Actor,
        program: ProgramId,
        session: SessionId,
    ) -> ServiceResult<CheckIn> {
        let mut conn = self.db().conn().await?;
        let p = with_people(&mut conn, actor, program).await?;
        let s = session_of(&mut conn, &p, session).await?;
        let rows = store::check_in_list(&mut conn, p.id, s.id).await?;
        Ok(CheckIn {
            program: p,
            session: s,
            rows,
        })
    }

    /// Records who was present at a session: the people of its check-in list ticked in
    /// `present` are checked in, the others are not. Everyone whose attendance changed has their
    /// completion and stage brought up to date.
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        program: ProgramId,
        session: SessionId,
        present: &[ResidentId],
    ) -> ServiceResult<CheckIn> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let s = session_of(&mut tx, &p, session).await?;
        let list = store::check_in_list(&mut tx, p.id, s.id).await?;
        for (i, id) in present.iter().enumerate() {
            if !list.iter().any(|r| r.resident_id == *id) {
                return Err(ValidationFailure::single(format!("present[{i}]"), "unknown").into());
            }
        }
        let at = jst_instant(s.date, s.starts_at);
        let (mut added, mut removed) = (Vec::new(), Vec::new());
        for row in &list {
            let tick = present.contains(&row.resident_id);
            if tick && !row.present {
                store::add_attendance(
                    &mut tx,
                    NewAttendance {
                        session: s.id,
                        program: p.id,
                        region: p.region_id,
                        resident: row.resident_id,
                        at,
                        walk_in: false,
                    },
                )
                .await?;
                added.push(row.resident_id);
            } else if !tick && row.present {
                store::remove_attendance(&mut tx, s.id, row.resident_id).await?;
                removed.push(row.resident_id);
            }
        }
        for r in added.iter().chain(&removed) {
            refresh(&mut tx, &p, *r, Some(actor)).await?;
        }
        if !added.is_empty() || !removed.is_empty() {
            audit::record(
                &mut tx,
                Some(actor),
                Some(p.region_id),
                AuditEntity::Program,
                p.id.0,
                AuditOp::Update,
                json!({ "attendance": { "session": s.id, "present": added, "absent": removed } }),
            )
            .await?;
        }
        let rows = store::check_in_list(&mut tx, p.id, s.id).await?;
        tx.commit().await?;
        Ok(CheckIn {
            program: p,
            session: s,
            rows,
        })
    }

    /// Adds a person on the spot at a session: recognised if known, enrolled (a walk-in always
    /// gets a place: they are in the room) and checked in.
    pub async fn walk_in(
        &self,
        actor: &Actor,
        program: ProgramId,
        session: SessionId,
        input: SignUpInput,
    ) -> ServiceResult<(ResidentId, bool)> {
        let input = self.check_sign_up(input)?;
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let s = session_of(&mut tx, &p, session).await?;
        store::lock_program(&mut tx, p.id).await?;
        let (resident, recognised) = person(&mut tx, p.region_id, &input, Some(actor)).await?;
        let at = jst_instant(s.date, s.starts_at);
        enrol_person(
            &mut tx,
            &p,
            Enrol {
                resident,
                channel: input.channel,
                source: EnrolmentSource::WalkIn,
                consent: CONSENT_VERSION,
                at,
            },
            Some(actor),
        )
        .await?;
        store::add_attendance(
            &mut tx,
            NewAttendance {
                session: s.id,
                program: p.id,
                region: p.region_id,
                resident,
                at,
                walk_in: true,
            },
        )
        .await?;
        refresh(&mut tx, &p, resident, Some(actor)).await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(p.region_id),
            AuditEntity::Program,
            p.id.0,
            AuditOp::Update,
            json!({ "attendance": { "session": s.id, "walk_in": resident } }),
        )
        .await?;
        tx.commit().await?;
        Ok((resident, recognised))
    }

    /// Marks a person's completion of a program whose rule is the coordinator's mark (or takes
    /// the mark back).
    pub async fn mark_completed(
        &self,
        actor: &Actor,
        program: ProgramId,
        resident: ResidentId,
        completed: bool,
    ) -> ServiceResult<Enrolment> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        if p.completion != CompletionRule::Manual {
            return Err(ValidationFailure::single("completed", "rule_is_attendance").into());
        }
        let e = store::enrolment_of(&mut tx, p.id, resident)
            .await?
            .filter(|e| e.status == EnrolmentStatus::Enrolled)
            .ok_or(ServiceError::NotFound)?;
        let at = completed.then(|| e.completed_at.unwrap_or_else(Utc::now));
        store::set_completed(&mut tx, e.id, at).await?;
        sync_stage(&mut tx, resident, Some(p.id), Some(actor)).await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(p.region_id),
            AuditEntity::Resident,
            resident.0,
            AuditOp::Update,
            json!({ "enrolment": { "program": p.id, "completed": completed } }),
        )
        .await?;
        let e = store::enrolment(&mut tx, e.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(e)
    }

    /// A resident's stage, its history and their sign-ups (for those who may see the resident).
    pub async fn growth(&self, actor: &Actor, resident: ResidentId) -> ServiceResult<GrowthView> {
        let r = self.resident(actor, resident).await?;
        let mut conn = self.db().conn().await?;
        let now = store::stage_now(&mut conn, r.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let history = store::stage_history(&mut conn, r.id).await?;
        let mut enrolments = Vec::new();
        for e in store::enrolments_of_resident(&mut conn, r.id).await? {
            let title = programs::get(&mut conn, e.program_id)
                .await?
                .map(|p| p.title)
                .unwrap_or_default();
            enrolments.push((e, title));
        }
        Ok(GrowthView {
            now,
            history,
            enrolments,
        })
    }

    /// The programs a coordinator may sign this resident up for (of the resident's region,
    /// where they hold no place); empty for anyone who may not keep attendance there.
    pub async fn enrollable_programs(
        &self,
        actor: &Actor,
        resident: ResidentId,
    ) -> ServiceResult<Vec<(ProgramId, String)>> {
        let r = self.resident(actor, resident).await?;
        let mut conn = self.db().conn().await?;
        let all = programs::enrollable(&mut conn, r.region_id, r.id).await?;
        Ok(all
            .into_iter()
            .filter(|(id, _)| {
                actor.may(ProgramAction::Attendance {
                    id: *id,
                    region: r.region_id,
                })
            })
            .collect())
    }

    /// Sets a resident's stage by hand, with a reason (always recorded).
    pub async fn set_stage(
        &self,
        actor: &Actor,
        resident: ResidentId,
        input: StageInput,
    ) -> ServiceResult<StageNow> {
        let input = StageInput {
            reason: input.reason.trim().to_owned(),
            ..input
        };
        input
            .validate()
            .map_err(|e| ValidationFailure::from_validator(&e))?;
        let mut tx = self.db().begin().await?;
        let r = residents::get(&mut tx, resident)
            .await?
            .ok_or(ServiceError::NotFound)?;
        authorize(
            actor,
            ResidentAction::View {
                id: r.id,
                region: r.region_id,
            },
            ResidentAction::SetStage {
                id: r.id,
                region: r.region_id,
            },
        )?;
        let old = store::stage_now(&mut tx, r.id).await?;
        store::set_stage(
            &mut tx,
            r.id,
            r.region_id,
            &NewStage {
                stage: input.stage,
                at: Utc::now(),
                cause: StageCause::ByHand,
                reason: &input.reason,
                program: None,
                by: by(Some(actor)),
            },
        )
        .await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(r.region_id),
            AuditEntity::Resident,
            r.id.0,
            AuditOp::Update,
            json!({ "stage": [old.map(|o| o.stage), input.stage], "reason": input.reason }),
        )
        .await?;
        let now = store::stage_now(&mut tx, r.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(now)
    }

    /// People with no next step for the configured number of days, in the actor's regions
    /// (coordinators, municipal staff, administrators), longest waiting first; and how many.
    pub async fn stalled(&self, actor: &Actor, limit: i64) -> ServiceResult<(Vec<Stalled>, i64)> {
        require(actor, ResidentAction::List { region: None })?;
        let regions = match actor.resident_regions() {
            RegionScope::All => None,
            RegionScope::Only(r) => Some(r),
        };
        let before = Utc::now() - chrono::Duration::days(self.config().stalled_days);
        let mut conn = self.db().conn().await?;
        Ok(store::stalled(&mut conn, regions.as_deref(), before, limit).await?)
    }

    /// The days without a next step after which a person is stalled (a setting).
    pub fn stalled_days(&self) -> i64 {
        self.config().stalled_days
    }

    /// The funnel of a program, a region, a channel or a fiscal year.
    pub async fn funnel(&self, actor: &Actor, scope: FunnelScope) -> ServiceResult<Funnel> {
        let mut conn = self.db().conn().await?;
        let cohort = match scope {
            FunnelScope::Program(id) => {
                let p = with_people(&mut conn, actor, id).await?;
                Cohort::Program(p.id)
            }
            FunnelScope::Region(r) => {
                require(actor, ProgramAction::Funnel { region: Some(r) })?;
                Cohort::Region(r)
            }
            FunnelScope::Channel(r, c) => {
                require(actor, ProgramAction::Funnel { region: Some(r) })?;
                Cohort::Channel(r, c)
            }
            FunnelScope::FiscalYear(r, fy) => {
                require(actor, ProgramAction::Funnel { region: r })?;
                let start = jst_instant(fy.start(), chrono::NaiveTime::MIN);
                let end = jst_instant(fy.end() + chrono::Duration::days(1), chrono::NaiveTime::MIN);
                Cohort::Period(r, start, end)
            }
        };
        let paths = store::funnel_paths(&mut conn, cohort).await?;
        Ok(Funnel::of(&paths))
    }

    /// Other records in the resident's region with the same reading (for merging).
    pub async fn possible_duplicates(
        &self,
        actor: &Actor,
        resident: ResidentId,
    ) -> ServiceResult<Vec<(ResidentId, String, String, String)>> {
        let r = self.resident(actor, resident).await?;
        if !actor.may(ResidentAction::Merge {
            region: r.region_id,
        }) {
            return Ok(vec![]);
        }
        let mut conn = self.db().conn().await?;
        Ok(store::same_reading(&mut conn, r.region_id, &r.name_kana, r.id).await?)
    }

    /// Merges `drop` into `keep` (two records of one person in one region): sign-ups,
    /// attendance, contacts and stage history move; `drop` is deleted; the audit log keeps it.
    pub async fn merge_residents(
        &self,
        actor: &Actor,
        keep: ResidentId,
        drop: ResidentId,
    ) -> ServiceResult<Resident> {
        if keep == drop {
            return Err(ValidationFailure::single("other", "same_record").into());
        }
        let mut tx = self.db().begin().await?;
        let k = residents::get(&mut tx, keep)
            .await?
            .ok_or(ServiceError::NotFound)?;
        authorize(
            actor,
            ResidentAction::View {
                id: k.id,
                region: k.region_id,
            },
            ResidentAction::Merge {
                region: k.region_id,
            },
        )?;
        let d = residents::get(&mut tx, drop)
            .await?
            .filter(|d| d.region_id == k.region_id)
            .ok_or_else(|| ValidationFailure::single("other", "unknown"))?;
        if k.user_id.is_some() && d.user_id.is_some() {
            return Err(ValidationFailure::single("other", "both_have_logins").into());
        }
        let enrolled_programs: Vec<ProgramId> = store::enrolments_of_resident(&mut tx, d.id)
            .await?
            .iter()
            .map(|e| e.program_id)
            .collect();
        store::merge(&mut tx, k.id, d.id).await?;
        for pid in enrolled_programs {
            if let Some(p) = programs::get(&mut tx, pid).await? {
                refresh(&mut tx, &p, k.id, Some(actor)).await?;
            }
        }
        audit::record(
            &mut tx,
            Some(actor),
            Some(k.region_id),
            AuditEntity::Resident,
            k.id.0,
            AuditOp::Merge,
            json!({ "merged": d.id, "record": {
                "name": d.name, "name_kana": d.name_kana, "phone": d.phone, "email": d.email } }),
        )
        .await?;
        let merged = residents::get(&mut tx, k.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(merged)
    }
}
