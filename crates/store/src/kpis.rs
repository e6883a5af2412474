//! What the KPIs are computed from, read by region and period in a few grouped queries (the
//! timesheets themselves are never read: each pay period already holds its month's minutes and
//! amount, kept by every timesheet write in the same transaction); the rows behind each KPI; and
//! the KPI plans.

use chrono::{NaiveDate, NaiveTime};
use jimoto_domain::calendar::jst_instant;
use jimoto_domain::forecast::{Course, History, Person};
use jimoto_domain::kpi::{
    self, AttendeeRow, Cell, Completer, ContractRow, EventRow, Inputs, Kpi, MAX_ROWS,
    ParticipationRow, PayRow, Period, Plan, PlanInput, PlanRow, ProjectRow, ReportedPart, Rows,
    Table,
};
use jimoto_domain::program::{Audience, ProgramKind};
use jimoto_domain::project::ProjectStatus;
use jimoto_domain::work::retention::Tenure;
use jimoto_domain::work::{ContractKind, EngagementStatus, PeriodStatus};
use jimoto_domain::{OrganisationId, PlanId, ProgramId, RegionId, ResidentId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Flag, Json, Millis};
use crate::schema::{KPI_PLAN_REGIONS, KPI_PLAN_ROWS, KPI_PLANS};
use crate::sql::{Sql, Values};
use crate::work::evaluations::{SpanScope, spans};

/// Where to count: regions and a period.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The regions.
    pub regions: &'a [RegionId],
    /// The period.
    pub period: Period,
}

impl Scope<'_> {
    fn ids(&self) -> Vec<i64> {
        self.regions.iter().map(|r| r.0).collect()
    }

    /// `AND <column> IN (…)` and the period's days on `day_column` (ISO text).
    fn filter(&self, q: &mut Sql, region_column: &str, day_column: &str) {
        q.push(" AND ");
        q.bind_in(region_column, &self.ids());
        q.push(&format!(" AND {day_column} >= "))
            .bind(Day(self.period.from))
            .push(&format!(" AND {day_column} <= "))
            .bind(Day(self.period.to));
    }

    fn instants(&self) -> (Millis, Millis) {
        (
            Millis(jst_instant(self.period.from, NaiveTime::MIN)),
            Millis(jst_instant(
                self.period.to.succ_opt().unwrap_or(self.period.to),
                NaiveTime::MIN,
            )),
        )
    }
}

async fn all(conn: &mut AnyConnection, q: &Sql) -> Result<Vec<AnyRow>> {
    Ok(sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?)
}

/// Reads everything the KPI figures need for a scope; `as_of` decides which contracts count
/// as ended for retention.
pub async fn inputs(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
    as_of: NaiveDate,
) -> Result<Inputs> {
    let mut out = Inputs::default();
    // Attendances at programs for residents and students, by the session's day: counted per
    // session in the attendances' own index (a few hundred sessions a year), then added up by
    // kind, audience and month here rather than grouped row by row in the database.
    let mut q = Sql::new(
        "SELECT s.region_id, p.kind, p.audience, substr(s.date, 1, 7) AS month, \
         (SELECT COUNT(*) FROM attendances a WHERE a.session_id = s.id) AS n \
         FROM program_sessions s JOIN programs p ON p.id = s.program_id WHERE 1 = 1",
    );
    scope.filter(&mut q, "s.region_id", "s.date");
    let mut by: std::collections::BTreeMap<(i64, String, String, String), i64> =
        std::collections::BTreeMap::new();
    for r in all(conn, &q).await? {
        let n: i64 = r.try_get("n")?;
        if n > 0 {
            *by.entry((
                r.try_get("region_id")?,
                r.try_get("kind")?,
                r.try_get("audience")?,
                r.try_get("month")?,
            ))
            .or_default() += n;
        }
    }
    for ((region, kind, audience, month), count) in by {
        let (Some(kind), Some(audience)) = (ProgramKind::parse(&kind), Audience::parse(&audience))
        else {
            continue;
        };
        out.participation.push(ParticipationRow {
            region_id: RegionId(region),
            kind,
            audience,
            month,
            count,
        });
    }
    // Events (local seminars, company seminars, tours): people recorded, by the first session.
    for (program, people, orgs) in events(conn, scope).await? {
        if program.kind == ProgramKind::LocalSeminar {
            out.participation.push(ParticipationRow {
                region_id: program.region_id,
                kind: program.kind,
                audience: program.audience,
                month: program.month,
                count: people,
            });
        } else {
            out.events.push(EventRow {
                region_id: program.region_id,
                kind: program.kind,
                month: program.month,
                people,
                organisations: orgs,
            });
        }
    }
    // Each resident who attended each region's programs, with where they live and whether they
    // left: the unique attendees per region and in all, and who stayed, are counted from these.
    let mut q = Sql::new(
        "SELECT DISTINCT s.region_id, a.resident_id, r.region_id AS home_region_id, \
         r.moved_away_on FROM program_sessions s JOIN attendances a ON a.session_id = s.id \
         JOIN residents r ON r.id = a.resident_id WHERE 1 = 1",
    );
    scope.filter(&mut q, "s.region_id", "s.date");
    for r in all(conn, &q).await? {
        out.attendee_rows.push(AttendeeRow {
            region_id: RegionId(r.try_get("region_id")?),
            resident_id: ResidentId(r.try_get("resident_id")?),
            home_region_id: RegionId(r.try_get("home_region_id")?),
            moved_away_on: r.try_get::<Option<Day>, _>("moved_away_on")?.map(|d| d.0),
        });
    }
    let mut everyone = std::collections::HashSet::new();
    for a in &out.attendee_rows {
        *out.attendees.entry(a.region_id).or_default() += 1;
        everyone.insert(a.resident_id);
    }
    out.attendees_all = everyone.len() as i64;
    out.contracts = contracts(conn, scope).await?;
    out.pay = pay(conn, scope).await?;
    let mut q = Sql::new(
        "SELECT region_id, status, agreed_on, ended_on, origin_program_id FROM projects WHERE ",
    );
    q.bind_in("region_id", &scope.ids());
    for r in all(conn, &q).await? {
        out.projects.push(ProjectRow {
            region_id: RegionId(r.try_get("region_id")?),
            status: r.try_get::<Code<ProjectStatus>, _>("status")?.0,
            agreed_on: r.try_get::<Option<Day>, _>("agreed_on")?.map(|d| d.0),
            ended_on: r.try_get::<Option<Day>, _>("ended_on")?.map(|d| d.0),
            from_event: r.try_get::<Option<i64>, _>("origin_program_id")?.is_some(),
        });
    }
    out.completers = completers(conn, scope)
        .await?
        .into_iter()
        .map(|(region, _, c)| (region, c))
        .collect();
    out.tenures = tenures(conn, scope, as_of).await?;
    Ok(out)
}

/// Tenures (a contract with its renewals) of the scope's residents that started in the period,
/// as known on `as_of`.
pub async fn tenures(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
    as_of: NaiveDate,
) -> Result<Vec<Tenure>> {
    let mut out = Vec::new();
    for region in scope.regions {
        let spans: Vec<_> = spans(conn, SpanScope::Region(*region))
            .await?
            .into_iter()
            .map(|s| s.span)
            .collect();
        out.extend(
            Tenure::from_spans(&spans, as_of)
                .into_iter()
                .filter(|t| scope.period.contains(t.start)),
        );
    }
    Ok(out)
}

/// A program an event count belongs to.
struct EventProgram {
    id: i64,
    region_id: RegionId,
    kind: ProgramKind,
    audience: Audience,
    title: String,
    first: NaiveDate,
    month: String,
}

/// Programs recorded by organisation (local seminars, company seminars, tours) whose first
/// session is in the scope, with their people and organisations.
async fn events(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
) -> Result<Vec<(EventProgram, i64, Vec<OrganisationId>)>> {
    let mut q = Sql::new(
        "SELECT p.id, p.region_id, p.kind, p.audience, p.title, f.first, \
         (SELECT COUNT(*) FROM event_participants ep WHERE ep.program_id = p.id) AS people \
         FROM programs p JOIN (SELECT program_id, MIN(date) AS first FROM program_sessions \
         WHERE ",
    );
    q.bind_in("region_id", &scope.ids());
    q.push(" GROUP BY program_id) f ON f.program_id = p.id WHERE p.kind IN (");
    for (i, k) in [
        ProgramKind::LocalSeminar,
        ProgramKind::CompanySeminar,
        ProgramKind::WorkationTour,
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Code(*k));
    }
    q.push(") AND f.first >= ")
        .bind(Day(scope.period.from))
        .push(" AND f.first <= ")
        .bind(Day(scope.period.to))
        .push(" ORDER BY f.first, p.id");
    let programs = all(conn, &q).await?;
    let mut out = Vec::with_capacity(programs.len());
    for r in programs {
        let first = r.try_get::<Day, _>("first")?.0;
        let id: i64 = r.try_get("id")?;
        let orgs: Vec<i64> = sqlx::query_scalar(
            "SELECT organisation_id FROM event_organisations WHERE program_id = $1 \
             ORDER BY organisation_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        out.push((
            EventProgram {
                id,
                region_id: RegionId(r.try_get("region_id")?),
                kind: r.try_get::<Code<ProgramKind>, _>("kind")?.0,
                audience: r.try_get::<Code<Audience>, _>("audience")?.0,
                title: r.try_get("title")?,
                first,
                month: jimoto_domain::kpi::month_key(first),
            },
            r.try_get("people")?,
            orgs.into_iter().map(OrganisationId).collect(),
        ));
    }
    Ok(out)
}

const LAST_DAY: &str = "COALESCE(e.ended_on, e.end_date)";

fn contracts_query(scope: Scope<'_>, select: &str) -> Sql {
    let mut q = Sql::new(&format!(
        "SELECT {select} FROM engagements e JOIN residents r ON r.id = e.resident_id \
         JOIN organisations o ON o.id = e.organisation_id \
         JOIN regions g ON g.id = e.region_id WHERE "
    ));
    running_contracts(&mut q, scope);
    q
}

/// The contracts (`e`) of the scope's residents that started and ran in the period.
fn running_contracts(q: &mut Sql, scope: Scope<'_>) {
    q.bind_in("e.region_id", &scope.ids());
    q.push(" AND e.status <> ")
        .bind(Code(EngagementStatus::Draft))
        .push(" AND e.start_date <= ")
        .bind(Day(scope.period.to))
        .push(&format!(" AND ({LAST_DAY} IS NULL OR {LAST_DAY} >= "))
        .bind(Day(scope.period.from))
        .push(")");
}

async fn contracts(conn: &mut AnyConnection, scope: Scope<'_>) -> Result<Vec<ContractRow>> {
    let q = contracts_query(
        scope,
        &format!(
            "e.region_id, e.resident_id, e.contract, e.start_date, {LAST_DAY} AS last_day, \
             r.childcare, r.care, r.treatment, r.moved_away_on"
        ),
    );
    all(conn, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(ContractRow {
                region_id: RegionId(r.try_get("region_id")?),
                resident_id: ResidentId(r.try_get("resident_id")?),
                contract: r.try_get::<Code<ContractKind>, _>("contract")?.0,
                start: r.try_get::<Day, _>("start_date")?.0,
                last: r.try_get::<Option<Day>, _>("last_day")?.map(|d| d.0),
                circumstances: (
                    r.try_get::<Flag, _>("childcare")?.0,
                    r.try_get::<Flag, _>("care")?.0,
                    r.try_get::<Flag, _>("treatment")?.0,
                ),
                moved_away_on: r.try_get::<Option<Day>, _>("moved_away_on")?.map(|d| d.0),
            })
        })
        .collect()
}

/// A period's amount: fixed once approved; before that, the logged minutes at the contract's
/// rate (a fixed fee counts whole).
const AMOUNT: &str = "COALESCE(pp.amount_yen, CASE WHEN e.pay_kind = 'hourly' \
     THEN (pp.minutes * e.rate_yen + 30) / 60 ELSE e.rate_yen END)";
const OUTSIDE: &str = "CASE WHEN o.hq_prefecture <> g.prefecture THEN 1 ELSE 0 END";

fn pay_query(scope: Scope<'_>, select: &str) -> Sql {
    let mut q = Sql::new(&format!(
        "SELECT {select} FROM pay_periods pp JOIN engagements e ON e.id = pp.engagement_id \
         JOIN organisations o ON o.id = pp.organisation_id \
         JOIN regions g ON g.id = pp.region_id JOIN residents r ON r.id = pp.resident_id \
         WHERE (pp.status IN ("
    ));
    q.bind(Code(PeriodStatus::Approved))
        .push(", ")
        .bind(Code(PeriodStatus::Paid))
        .push(") OR pp.minutes > 0)");
    scope.filter(&mut q, "pp.region_id", "pp.starts_on");
    q
}

async fn pay(conn: &mut AnyConnection, scope: Scope<'_>) -> Result<Vec<PayRow>> {
    let mut q = pay_query(
        scope,
        &format!(
            "pp.region_id, substr(pp.starts_on, 1, 7) AS month, pp.status, {OUTSIDE} AS outside, \
             CAST(SUM({AMOUNT}) AS BIGINT) AS amount"
        ),
    );
    q.push(" GROUP BY 1, 2, 3, 4");
    all(conn, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(PayRow {
                region_id: RegionId(r.try_get("region_id")?),
                month: r.try_get("month")?,
                status: r.try_get::<Code<PeriodStatus>, _>("status")?.0,
                outside: r.try_get::<i64, _>("outside")? == 1,
                amount: r.try_get("amount")?,
            })
        })
        .collect()
}

/// Course completers of the period (by their first completion in it) and the first day each
/// was paid, per region.
async fn completers(
    conn: &mut AnyConnection,
    scope: Scope<'_>,
) -> Result<Vec<(RegionId, ResidentId, Completer)>> {
    let (from, to) = scope.instants();
    let mut q = Sql::new(
        "SELECT c.region_id, c.resident_id, c.completed, \
         (SELECT MIN(pp.paid_on) FROM pay_periods pp WHERE pp.resident_id = c.resident_id \
         AND pp.paid_on IS NOT NULL) AS first_paid FROM (SELECT region_id, resident_id, \
         MIN(completed_at) AS completed FROM enrolments WHERE ",
    );
    q.bind_in("region_id", &scope.ids());
    q.push(" AND completed_at >= ")
        .bind(from)
        .push(" AND completed_at < ")
        .bind(to)
        .push(" GROUP BY region_id, resident_id) c ORDER BY c.completed, c.resident_id");
    all(conn, &q)
        .await?
        .iter()
        .map(|r| {
            let completed = r.try_get::<Millis, _>("completed")?;
            Ok((
                RegionId(r.try_get("region_id")?),
                ResidentId(r.try_get("resident_id")?),
                Completer {
                    completed: jimoto_domain::calendar::jst_date(completed.0),
                    first_paid: r.try_get::<Option<Day>, _>("first_paid")?.map(|d| d.0),
                },
            ))
        })
        .collect()
}

/// Runs a drill-down: its count and its first [`MAX_ROWS`] rows in order, in one pass (the
/// count rides on each row as a window; a second query for it ran the grouping twice).
async fn page(conn: &mut AnyConnection, q: &Sql, order: &str) -> Result<(i64, Vec<AnyRow>)> {
    let text = format!(
        "SELECT t.*, COUNT(*) OVER () AS total_rows FROM ({}) t ORDER BY {order} LIMIT {MAX_ROWS}",
        q.text
    );
    let rows = sqlx::query_with(&text, q.args()).fetch_all(conn).await?;
    let total = match rows.first() {
        Some(r) => r.try_get("total_rows")?,
        None => 0,
    };
    Ok((total, rows))
}

fn person(r: &AnyRow, names: bool) -> Result<Cell> {
    Ok(Cell::Person {
        id: ResidentId(r.try_get("resident_id")?),
        name: if names {
            Some(r.try_get("resident_name")?)
        } else {
            None
        },
    })
}

fn text(r: &AnyRow, column: &str) -> Result<Cell> {
    Ok(Cell::Text(r.try_get(column)?))
}

fn day(r: &AnyRow, column: &str) -> Result<Cell> {
    Ok(r.try_get::<Option<Day>, _>(column)?
        .map_or(Cell::Empty, |d| Cell::Date(d.0)))
}

fn code(r: &AnyRow, set: &str, column: &str) -> Result<Cell> {
    Ok(Cell::code(set, r.try_get::<String, _>(column)?))
}

fn columns(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

/// A report's programs: each program with sessions in the period, its first and last day there,
/// its sessions, attendances and people. Events count the people recorded at them (a local
/// seminar's people are its attendances, as in the participants KPI).
pub async fn report_programs(conn: &mut AnyConnection, scope: Scope<'_>) -> Result<Table> {
    let mut q = Sql::new(
        "SELECT p.id, p.title, p.kind, p.audience, MIN(s.date) AS first_day, \
         MAX(s.date) AS last_day, COUNT(DISTINCT s.id) AS sessions, \
         COUNT(a.resident_id) AS attendances, COUNT(DISTINCT a.resident_id) AS people, \
         (SELECT COUNT(*) FROM event_participants ep WHERE ep.program_id = p.id) AS recorded \
         FROM programs p JOIN program_sessions s ON s.program_id = p.id \
         LEFT JOIN attendances a ON a.session_id = s.id WHERE 1 = 1",
    );
    scope.filter(&mut q, "s.region_id", "s.date");
    q.push(" GROUP BY p.id, p.title, p.kind, p.audience ORDER BY MIN(s.date), p.id");
    let mut rows = Vec::new();
    for r in all(conn, &q).await? {
        let kind = r.try_get::<Code<ProgramKind>, _>("kind")?.0;
        let recorded: i64 = r.try_get("recorded")?;
        let (attendances, people) = match kind {
            ProgramKind::LocalSeminar => (Cell::Count(recorded), Cell::Count(recorded)),
            ProgramKind::CompanySeminar | ProgramKind::WorkationTour => {
                (Cell::Empty, Cell::Count(recorded))
            }
            _ => (
                Cell::Count(r.try_get("attendances")?),
                Cell::Count(r.try_get("people")?),
            ),
        };
        rows.push(vec![
            day(&r, "first_day")?,
            day(&r, "last_day")?,
            text(&r, "title")?,
            Cell::code("program_kind", kind),
            code(&r, "audience", "audience")?,
            Cell::Count(r.try_get("sessions")?),
            attendances,
            people,
        ]);
    }
    Ok(Table {
        columns: columns(&[
            "date",
            "last_date",
            "program",
            "kind",
            "audience",
            "sessions",
            "attendances",
            "people",
        ]),
        rows,
    })
}

/// The organisations at an event with their purpose, involvement and people recorded, by
/// kana (the tour companies' rows and the report's).
async fn tour_organisations(conn: &mut AnyConnection, program: i64) -> Result<Vec<AnyRow>> {
    Ok(sqlx::query(
        "SELECT eo.organisation_id, o.name, eo.purpose, eo.involvement, (SELECT COUNT(*) \
         FROM event_participants ep WHERE ep.program_id = eo.program_id AND \
         ep.organisation_id = eo.organisation_id) AS n FROM event_organisations eo \
         JOIN organisations o ON o.id = eo.organisation_id \
         WHERE eo.program_id = $1 ORDER BY o.name_kana, o.id",
    )
    .bind(program)
    .fetch_all(conn)
    .await?)
}

/// A report's tour companies: each organisation on a workation tour that began in the period,
/// with its purpose, how it will stay involved, its people and its follow-up actions (in due
/// order) with how many are still open.
pub async fn report_tours(conn: &mut AnyConnection, scope: Scope<'_>) -> Result<Table> {
    let mut rows = Vec::new();
    for (p, _, _) in events(conn, scope).await? {
        if p.kind != ProgramKind::WorkationTour {
            continue;
        }
        let found = tour_organisations(conn, p.id).await?;
        let follow_ups = sqlx::query(
            "SELECT organisation_id, action, status FROM follow_ups WHERE program_id = $1 \
             AND organisation_id IS NOT NULL ORDER BY due, id",
        )
        .bind(p.id)
        .fetch_all(&mut *conn)
        .await?;
        for r in &found {
            let org: i64 = r.try_get("organisation_id")?;
            let mut actions = Vec::new();
            let mut open = 0;
            for f in &follow_ups {
                if f.try_get::<i64, _>("organisation_id")? == org {
                    actions.push(f.try_get::<String, _>("action")?);
                    if f.try_get::<String, _>("status")? != "done" {
                        open += 1;
                    }
                }
            }
            rows.push(vec![
                Cell::Date(p.first),
                Cell::Text(p.title.clone()),
                text(r, "name")?,
                text(r, "purpose")?,
                text(r, "involvement")?,
                Cell::Count(r.try_get("n")?),
                if actions.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(actions.join("／"))
                },
                Cell::Count(open),
            ]);
        }
    }
    Ok(Table {
        columns: columns(&[
            "date",
            "program",
            "organisation",
            "purpose",
            "involvement",
            "people",
            "follow_ups",
            "follow_ups_open",
        ]),
        rows,
    })
}

/// The rows behind a KPI over a scope, people named only when `names` (the reader is the
/// region's coordinator). Retention's rows are built by the caller from the tenures; the
/// social value's rows name circumstances, so the caller asks for them only with `names`.
pub async fn rows(
    conn: &mut AnyConnection,
    kpi: Kpi,
    scope: Scope<'_>,
    names: bool,
) -> Result<Rows> {
    let (cols, total, rows): (Vec<String>, i64, Vec<Vec<Cell>>) = match kpi {
        Kpi::Participants => {
            let mut q = Sql::new(
                "SELECT s.date, g.name AS region_name, p.title, p.kind, p.audience, \
                 COUNT(*) AS n FROM program_sessions s JOIN attendances a ON a.session_id = s.id \
                 JOIN programs p ON p.id = s.program_id JOIN regions g ON g.id = s.region_id \
                 WHERE 1 = 1",
            );
            scope.filter(&mut q, "s.region_id", "s.date");
            q.push(" GROUP BY s.id, s.date, g.name, p.title, p.kind, p.audience");
            let (mut total, found) = page(conn, &q, "date, title").await?;
            let mut rows = Vec::new();
            for r in &found {
                rows.push(vec![
                    day(r, "date")?,
                    text(r, "region_name")?,
                    text(r, "title")?,
                    code(r, "program_kind", "kind")?,
                    code(r, "audience", "audience")?,
                    Cell::Count(r.try_get("n")?),
                ]);
            }
            for (p, people, _) in events(conn, scope).await? {
                if p.kind == ProgramKind::LocalSeminar {
                    total += 1;
                    rows.push(vec![
                        Cell::Date(p.first),
                        region_name(conn, p.region_id).await?,
                        Cell::Text(p.title),
                        Cell::code("program_kind", p.kind),
                        Cell::code("audience", p.audience),
                        Cell::Count(people),
                    ]);
                }
            }
            (
                columns(&[
                    "date",
                    "region",
                    "program",
                    "kind",
                    "audience",
                    "attendances",
                ]),
                total,
                rows,
            )
        }
        Kpi::ParticipantsUnique => {
            let mut q = Sql::new(
                "SELECT a.resident_id, r.name AS resident_name, g.name AS region_name, \
                 MIN(s.date) AS first_day, COUNT(*) AS n FROM program_sessions s \
                 JOIN attendances a ON a.session_id = s.id \
                 JOIN residents r ON r.id = a.resident_id JOIN regions g ON g.id = s.region_id \
                 WHERE 1 = 1",
            );
            scope.filter(&mut q, "s.region_id", "s.date");
            q.push(" GROUP BY a.resident_id, r.name, g.name");
            let (total, found) = page(conn, &q, "first_day, resident_id").await?;
            let mut rows = Vec::new();
            for r in &found {
                rows.push(vec![
                    person(r, names)?,
                    text(r, "region_name")?,
                    day(r, "first_day")?,
                    Cell::Count(r.try_get("n")?),
                ]);
            }
            (
                columns(&["person", "region", "first_attended", "attendances"]),
                total,
                rows,
            )
        }
        Kpi::EventPeople | Kpi::TourCompanies => {
            let mut rows = Vec::new();
            for (p, people, _) in events(conn, scope).await? {
                if p.kind == ProgramKind::LocalSeminar
                    || (kpi == Kpi::TourCompanies && p.kind != ProgramKind::WorkationTour)
                {
                    continue;
                }
                if kpi == Kpi::EventPeople {
                    rows.push(vec![
                        Cell::Date(p.first),
                        region_name(conn, p.region_id).await?,
                        Cell::Text(p.title),
                        Cell::code("program_kind", p.kind),
                        Cell::Count(people),
                    ]);
                    continue;
                }
                let found = tour_organisations(conn, p.id).await?;
                for r in &found {
                    rows.push(vec![
                        Cell::Date(p.first),
                        Cell::Text(p.title.clone()),
                        text(r, "name")?,
                        text(r, "purpose")?,
                        text(r, "involvement")?,
                        Cell::Count(r.try_get("n")?),
                    ]);
                }
            }
            let cols = if kpi == Kpi::EventPeople {
                columns(&["date", "region", "program", "kind", "people"])
            } else {
                columns(&[
                    "date",
                    "program",
                    "organisation",
                    "purpose",
                    "involvement",
                    "people",
                ])
            };
            (cols, rows.len() as i64, rows)
        }
        Kpi::PaidResidents | Kpi::SocialValue => {
            let mut q = contracts_query(
                scope,
                &format!(
                    "e.id, e.resident_id, r.name AS resident_name, g.name AS region_name, \
                     o.name AS org_name, e.contract, e.start_date, {LAST_DAY} AS last_day, \
                     r.childcare, r.care, r.treatment"
                ),
            );
            if kpi == Kpi::SocialValue {
                q.push(" AND (r.childcare = 1 OR r.care = 1 OR r.treatment = 1)");
            }
            let (total, found) = page(conn, &q, "start_date, id").await?;
            let mut rows = Vec::new();
            for r in &found {
                let mut row = vec![
                    person(r, names)?,
                    text(r, "region_name")?,
                    text(r, "org_name")?,
                    code(r, "contract", "contract")?,
                    day(r, "start_date")?,
                    day(r, "last_day")?,
                ];
                if kpi == Kpi::SocialValue {
                    let flags: Vec<&str> = [
                        ("childcare", r.try_get::<Flag, _>("childcare")?.0),
                        ("care", r.try_get::<Flag, _>("care")?.0),
                        ("treatment", r.try_get::<Flag, _>("treatment")?.0),
                    ]
                    .iter()
                    .filter(|(_, f)| *f)
                    .map(|(k, _)| *k)
                    .collect();
                    row.push(Cell::code("circumstance", flags.join(",")));
                }
                rows.push(row);
            }
            let mut cols = vec![
                "person",
                "region",
                "organisation",
                "contract",
                "start",
                "end",
            ];
            if kpi == Kpi::SocialValue {
                cols.push("circumstances");
            }
            (columns(&cols), total, rows)
        }
        Kpi::Stayed => {
            // The region's residents who attended its programs or worked, each once; those who
            // left first.
            let mut q = Sql::new(
                "SELECT t.resident_id, r.name AS resident_name, g.name AS region_name, \
                 CAST(MAX(t.worked) AS BIGINT) AS worked, r.moved_away_on FROM (SELECT a.resident_id, 0 AS worked \
                 FROM program_sessions s JOIN attendances a ON a.session_id = s.id \
                 JOIN residents h ON h.id = a.resident_id WHERE h.region_id = s.region_id",
            );
            scope.filter(&mut q, "s.region_id", "s.date");
            q.push(" UNION SELECT e.resident_id, 1 AS worked FROM engagements e WHERE ");
            running_contracts(&mut q, scope);
            q.push(
                ") t JOIN residents r ON r.id = t.resident_id JOIN regions g ON g.id = r.region_id \
                 GROUP BY t.resident_id, r.name, g.name, r.moved_away_on",
            );
            let (total, found) = page(
                conn,
                &q,
                "CASE WHEN moved_away_on IS NULL THEN 1 ELSE 0 END, moved_away_on, resident_id",
            )
            .await?;
            let mut rows = Vec::new();
            for r in &found {
                let moved = r.try_get::<Option<Day>, _>("moved_away_on")?.map(|d| d.0);
                let worked = r.try_get::<i64, _>("worked")? == 1;
                rows.push(vec![
                    person(r, names)?,
                    text(r, "region_name")?,
                    Cell::code("took_part", if worked { "worked" } else { "attended" }),
                    moved.map_or(Cell::Empty, Cell::Date),
                    Cell::code(
                        "stayed",
                        if kpi::stayed_through(scope.period, moved) {
                            "yes"
                        } else {
                            "no"
                        },
                    ),
                ]);
            }
            (
                columns(&["person", "region", "took_part", "moved_away_on", "stayed"]),
                total,
                rows,
            )
        }
        Kpi::Income
        | Kpi::IncomePaid
        | Kpi::IncomeApproved
        | Kpi::IncomePending
        | Kpi::IncomeFromOutside => {
            let mut q = pay_query(
                scope,
                &format!(
                    "pp.id, pp.starts_on, pp.resident_id, r.name AS resident_name, \
                     g.name AS region_name, o.name AS org_name, o.hq_prefecture, e.contract, \
                     pp.minutes, pp.status, pp.paid_on, {AMOUNT} AS amount"
                ),
            );
            match kpi {
                Kpi::IncomePaid => {
                    q.push(" AND pp.status = ").bind(Code(PeriodStatus::Paid));
                }
                Kpi::IncomeApproved => {
                    q.push(" AND pp.status = ")
                        .bind(Code(PeriodStatus::Approved));
                }
                Kpi::IncomePending => {
                    q.push(" AND pp.status NOT IN (")
                        .bind(Code(PeriodStatus::Approved))
                        .push(", ")
                        .bind(Code(PeriodStatus::Paid))
                        .push(")");
                }
                _ => {
                    q.push(" AND pp.status IN (")
                        .bind(Code(PeriodStatus::Approved))
                        .push(", ")
                        .bind(Code(PeriodStatus::Paid))
                        .push(")");
                    if kpi == Kpi::IncomeFromOutside {
                        q.push(&format!(" AND {OUTSIDE} = 1"));
                    }
                }
            }
            let (total, found) = page(conn, &q, "starts_on, resident_name, id").await?;
            let mut rows = Vec::new();
            for r in &found {
                rows.push(vec![
                    Cell::Month(r.try_get::<Day, _>("starts_on")?.0),
                    person(r, names)?,
                    text(r, "region_name")?,
                    text(r, "org_name")?,
                    code(r, "prefecture", "hq_prefecture")?,
                    code(r, "contract", "contract")?,
                    Cell::Minutes(r.try_get("minutes")?),
                    Cell::Yen(r.try_get("amount")?),
                    code(r, "period_status", "status")?,
                    day(r, "paid_on")?,
                ]);
            }
            (
                columns(&[
                    "month",
                    "person",
                    "region",
                    "organisation",
                    "hq",
                    "contract",
                    "hours",
                    "amount",
                    "status",
                    "paid_on",
                ]),
                total,
                rows,
            )
        }
        Kpi::Projects => {
            let mut q = Sql::new(
                "SELECT p.id, p.title, p.theme, g.name AS region_name, p.status, p.agreed_on, \
                 p.ended_on, pr.title AS origin, (SELECT COUNT(*) FROM project_members m \
                 WHERE m.project_id = p.id) AS members FROM projects p \
                 JOIN regions g ON g.id = p.region_id \
                 LEFT JOIN programs pr ON pr.id = p.origin_program_id WHERE ",
            );
            q.bind_in("p.region_id", &scope.ids());
            q.push(" AND p.agreed_on IS NOT NULL AND p.agreed_on <= ")
                .bind(Day(scope.period.to))
                .push(" AND (p.ended_on IS NULL OR p.ended_on >= ")
                .bind(Day(scope.period.from))
                .push(")");
            let (total, found) = page(conn, &q, "agreed_on, id").await?;
            let mut rows = Vec::new();
            for r in &found {
                rows.push(vec![
                    text(r, "title")?,
                    text(r, "theme")?,
                    text(r, "region_name")?,
                    code(r, "project_status", "status")?,
                    day(r, "agreed_on")?,
                    day(r, "ended_on")?,
                    r.try_get::<Option<String>, _>("origin")?
                        .map_or(Cell::Empty, Cell::Text),
                    Cell::Count(r.try_get("members")?),
                ]);
            }
            (
                columns(&[
                    "project",
                    "theme",
                    "region",
                    "status",
                    "agreed_on",
                    "ended_on",
                    "origin",
                    "members",
                ]),
                total,
                rows,
            )
        }
        Kpi::MedianDaysToPaid | Kpi::PaidWithin90 => {
            let found = completers(conn, scope).await?;
            let mut rows = Vec::new();
            for (region, resident, c) in found.iter().take(MAX_ROWS as usize) {
                let name = if names {
                    sqlx::query_scalar("SELECT name FROM residents WHERE id = $1")
                        .bind(resident.0)
                        .fetch_optional(&mut *conn)
                        .await?
                } else {
                    None
                };
                rows.push(vec![
                    Cell::Person {
                        id: *resident,
                        name,
                    },
                    region_name(conn, *region).await?,
                    Cell::Date(c.completed),
                    c.first_paid.map_or(Cell::Empty, Cell::Date),
                    c.days().map_or(Cell::Empty, Cell::Count),
                ]);
            }
            (
                columns(&["person", "region", "completed", "first_paid", "days"]),
                found.len() as i64,
                rows,
            )
        }
        Kpi::Retention3 | Kpi::Retention6 | Kpi::Retention12 => (Vec::new(), 0, Vec::new()),
    };
    Ok(Rows {
        kpi,
        columns: cols,
        rows,
        total,
    })
}

/// The residents who attended a course of `kind` in the regions, with their first session.
fn first_sessions(regions: &[RegionId], kind: ProgramKind) -> Sql {
    let ids: Vec<i64> = regions.iter().map(|r| r.0).collect();
    let mut q = Sql::new(
        "SELECT a.resident_id, MIN(s.date) AS first_day FROM attendances a \
         JOIN program_sessions s ON s.id = a.session_id JOIN programs p ON p.id = s.program_id \
         WHERE ",
    );
    q.bind_in("p.region_id", &ids)
        .push(" AND p.kind = ")
        .bind(Code(kind))
        .push(" GROUP BY a.resident_id");
    q
}

/// A forecast's history: the regions' courses of `kind` held by `as_of` with their
/// participants, and every participant's first session, contracts and approved pay.
pub async fn forecast_history(
    conn: &mut AnyConnection,
    regions: &[RegionId],
    kind: ProgramKind,
    as_of: NaiveDate,
) -> Result<History> {
    let ids: Vec<i64> = regions.iter().map(|r| r.0).collect();
    let mut q = Sql::new(
        "SELECT p.id, p.title, MIN(s.date) AS first_day, MAX(s.date) AS last_day, \
         COUNT(DISTINCT a.resident_id) AS n FROM programs p \
         JOIN program_sessions s ON s.program_id = p.id \
         JOIN attendances a ON a.session_id = s.id WHERE ",
    );
    q.bind_in("p.region_id", &ids)
        .push(" AND p.kind = ")
        .bind(Code(kind))
        .push(" AND s.date <= ")
        .bind(Day(as_of))
        .push(" GROUP BY p.id, p.title ORDER BY first_day, p.id");
    let mut courses = Vec::new();
    for r in all(conn, &q).await? {
        courses.push(Course {
            program_id: ProgramId(r.try_get("id")?),
            title: r.try_get("title")?,
            first: r.try_get::<Day, _>("first_day")?.0,
            last: r.try_get::<Day, _>("last_day")?.0,
            participants: r.try_get("n")?,
        });
    }
    let mut people: std::collections::BTreeMap<i64, Person> = std::collections::BTreeMap::new();
    for r in all(conn, &first_sessions(regions, kind)).await? {
        people.insert(
            r.try_get("resident_id")?,
            Person {
                first: r.try_get::<Day, _>("first_day")?.0,
                contracts: Vec::new(),
                pay: Vec::new(),
            },
        );
    }
    // Their contracts and pay, joined to the same list rather than bound id by id (a prefecture
    // has tens of thousands of participants).
    let firsts = first_sessions(regions, kind);
    let mut q = Sql::around(
        &format!("SELECT e.resident_id, e.start_date, {LAST_DAY} AS last_day FROM ("),
        &firsts,
        ") f JOIN engagements e ON e.resident_id = f.resident_id WHERE e.status <> ",
    );
    q.bind(Code(EngagementStatus::Draft));
    for r in all(conn, &q).await? {
        if let Some(p) = people.get_mut(&r.try_get::<i64, _>("resident_id")?) {
            p.contracts.push((
                r.try_get::<Day, _>("start_date")?.0,
                r.try_get::<Option<Day>, _>("last_day")?.map(|d| d.0),
            ));
        }
    }
    let mut q = Sql::around(
        "SELECT pp.resident_id, pp.starts_on, pp.amount_yen, pp.minutes FROM (",
        &firsts,
        ") f JOIN pay_periods pp ON pp.resident_id = f.resident_id WHERE pp.status IN (",
    );
    q.bind(Code(PeriodStatus::Approved))
        .push(", ")
        .bind(Code(PeriodStatus::Paid))
        .push(")");
    for r in all(conn, &q).await? {
        if let Some(p) = people.get_mut(&r.try_get::<i64, _>("resident_id")?) {
            p.pay.push((
                r.try_get::<Day, _>("starts_on")?.0,
                r.try_get::<Option<i64>, _>("amount_yen")?.unwrap_or(0),
                r.try_get("minutes")?,
            ));
        }
    }
    Ok(History {
        as_of,
        courses,
        people: people.into_values().collect(),
    })
}

async fn region_name(conn: &mut AnyConnection, id: RegionId) -> Result<Cell> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM regions WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    Ok(name.map_or(Cell::Empty, Cell::Text))
}

/// Stores a new plan.
pub async fn insert_plan(conn: &mut AnyConnection, input: &PlanInput) -> Result<PlanId> {
    let now = Millis::now();
    let id = Values::new(KPI_PLANS)
        .set("title", &input.title)
        .set("starts_on", Day(input.from))
        .set("ends_on", Day(input.to))
        .set("source", &input.source)
        .set("created_at", now)
        .set("updated_at", now)
        .insert_returning_id(&mut *conn)
        .await?;
    write_plan_parts(conn, PlanId(id), input).await?;
    Ok(PlanId(id))
}

/// Replaces a plan's content; false when there is no such plan.
pub async fn update_plan(conn: &mut AnyConnection, id: PlanId, input: &PlanInput) -> Result<bool> {
    let found = Values::new(KPI_PLANS)
        .set("title", &input.title)
        .set("starts_on", Day(input.from))
        .set("ends_on", Day(input.to))
        .set("source", &input.source)
        .set("updated_at", Millis::now())
        .update_by_id(&mut *conn, id.0)
        .await?;
    if !found {
        return Ok(false);
    }
    for table in ["kpi_plan_regions", "kpi_plan_rows"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE plan_id = $1"))
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    }
    write_plan_parts(conn, id, input).await?;
    Ok(true)
}

async fn write_plan_parts(conn: &mut AnyConnection, id: PlanId, input: &PlanInput) -> Result<()> {
    for r in &input.regions {
        Values::new(KPI_PLAN_REGIONS)
            .set("plan_id", id.0)
            .set("region_id", r.0)
            .insert(&mut *conn)
            .await?;
    }
    for (i, row) in input.rows.iter().enumerate() {
        Values::new(KPI_PLAN_ROWS)
            .set("plan_id", id.0)
            .set("position", i as i64)
            .set("kpi", Code(row.kpi))
            .set("target", row.target)
            .set("owner", &row.owner)
            .set("reported", row.reported)
            .set("parts", Json(&row.parts))
            .set("note", &row.note)
            .insert(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A plan with its regions and rows.
pub async fn plan(conn: &mut AnyConnection, id: PlanId) -> Result<Option<Plan>> {
    let Some(r) =
        sqlx::query("SELECT id, title, starts_on, ends_on, source FROM kpi_plans WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let regions: Vec<i64> = sqlx::query_scalar(
        "SELECT region_id FROM kpi_plan_regions WHERE plan_id = $1 ORDER BY region_id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let found = sqlx::query(
        "SELECT kpi, target, owner, reported, parts, note FROM kpi_plan_rows \
         WHERE plan_id = $1 ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = Vec::with_capacity(found.len());
    for x in &found {
        rows.push(PlanRow {
            kpi: x.try_get::<Code<Kpi>, _>("kpi")?.0,
            target: x.try_get("target")?,
            owner: x.try_get("owner")?,
            reported: x.try_get("reported")?,
            parts: x.try_get::<Json<Vec<ReportedPart>>, _>("parts")?.0,
            note: x.try_get("note")?,
        });
    }
    Ok(Some(Plan {
        id,
        title: r.try_get("title")?,
        regions: regions.into_iter().map(RegionId).collect(),
        period: Period {
            from: r.try_get::<Day, _>("starts_on")?.0,
            to: r.try_get::<Day, _>("ends_on")?.0,
        },
        source: r.try_get("source")?,
        rows,
    }))
}

/// The plans that cover a region and overlap a period, oldest first.
pub async fn plans_of(
    conn: &mut AnyConnection,
    region: RegionId,
    period: Period,
) -> Result<Vec<PlanId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM kpi_plans p JOIN kpi_plan_regions pr ON pr.plan_id = p.id \
         WHERE pr.region_id = $1 AND p.starts_on <= $2 AND p.ends_on >= $3 ORDER BY p.starts_on, p.id",
    )
    .bind(region.0)
    .bind(Day(period.to))
    .bind(Day(period.from))
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(PlanId).collect())
}

/// Deletes a plan.
pub async fn delete_plan(conn: &mut AnyConnection, id: PlanId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM kpi_plans WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The regions of a prefecture (two-digit code), by local government code.
pub async fn regions_of_prefecture(
    conn: &mut AnyConnection,
    prefecture: &str,
) -> Result<Vec<(RegionId, String)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM regions WHERE prefecture = $1 ORDER BY lg_code")
            .bind(prefecture)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id, n)| (RegionId(id), n)).collect())
}
