//! Pay periods and the hours logged in them. Every change to a period or its hours is guarded
//! in SQL as well as in the services: an approved or paid period is never written again, even
//! by two requests racing each other.

use chrono::NaiveDate;
use jimoto_domain::work::{DayEntry, PayPeriod, PaySlip, PeriodStatus};
use jimoto_domain::{EngagementId, OrganisationId, PeriodId, RegionId, ResidentId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Millis};
use crate::schema::PAY_PERIODS;
use crate::sql::Sql;

/// The statuses a period may still change from.
const UNLOCKED: &str = "status IN ('open', 'submitted', 'returned')";

fn from_row(r: &AnyRow) -> Result<PayPeriod> {
    let title: Option<String> = r.try_get("posting_title")?;
    let work: String = r.try_get("work_description")?;
    Ok(PayPeriod {
        id: PeriodId(r.try_get("id")?),
        engagement_id: EngagementId(r.try_get("engagement_id")?),
        title: title.unwrap_or_else(|| work.lines().next().unwrap_or("").to_owned()),
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        organisation_name: r.try_get("org_name")?,
        region_id: RegionId(r.try_get("region_id")?),
        resident_id: ResidentId(r.try_get("resident_id")?),
        resident_name: r.try_get("resident_name")?,
        starts_on: r.try_get::<Day, _>("starts_on")?.0,
        ends_on: r.try_get::<Day, _>("ends_on")?.0,
        status: r.try_get::<Code<_>, _>("status")?.0,
        minutes: r.try_get("minutes")?,
        amount_yen: r.try_get("amount_yen")?,
        withholding_yen: r.try_get("withholding_yen")?,
        due_on: r.try_get::<Option<Day>, _>("due_on")?.map(|d| d.0),
        submitted_at: r.try_get::<Option<Millis>, _>("submitted_at")?.map(|m| m.0),
        decided_at: r.try_get::<Option<Millis>, _>("decided_at")?.map(|m| m.0),
        decided_by: r.try_get("decided_by")?,
        comment: r.try_get("comment")?,
        paid_on: r.try_get::<Option<Day>, _>("paid_on")?.map(|d| d.0),
    })
}

fn select() -> String {
    format!(
        "SELECT {}, p.title AS posting_title, e.work_description, o.name AS org_name, \
         r.name AS resident_name FROM pay_periods \
         JOIN engagements e ON e.id = pay_periods.engagement_id \
         LEFT JOIN postings p ON p.id = e.posting_id \
         JOIN organisations o ON o.id = pay_periods.organisation_id \
         JOIN residents r ON r.id = pay_periods.resident_id",
        PAY_PERIODS.qualified_list()
    )
}

/// One period.
pub async fn period(conn: &mut AnyConnection, id: PeriodId) -> Result<Option<PayPeriod>> {
    let row = sqlx::query(&format!("{} WHERE pay_periods.id = $1", select()))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The period of an engagement starting on a day, written if it is not there yet.
pub async fn ensure_period(
    conn: &mut AnyConnection,
    e: &jimoto_domain::work::Engagement,
    (starts, ends): (NaiveDate, NaiveDate),
) -> Result<PeriodId> {
    sqlx::query(
        "INSERT INTO pay_periods (engagement_id, organisation_id, region_id, resident_id, \
         starts_on, ends_on, status) VALUES ($1, $2, $3, $4, $5, $6, 'open') \
         ON CONFLICT (engagement_id, starts_on) DO NOTHING",
    )
    .bind(e.id.0)
    .bind(e.organisation_id.0)
    .bind(e.region_id.0)
    .bind(e.resident_id.0)
    .bind(Day(starts).text())
    .bind(Day(ends).text())
    .execute(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM pay_periods WHERE engagement_id = $1 AND starts_on = $2",
    )
    .bind(e.id.0)
    .bind(Day(starts).text())
    .fetch_one(conn)
    .await?;
    Ok(PeriodId(id))
}

/// An engagement's periods, latest first.
pub async fn periods_of(conn: &mut AnyConnection, e: EngagementId) -> Result<Vec<PayPeriod>> {
    let rows = sqlx::query(&format!(
        "{} WHERE pay_periods.engagement_id = $1 ORDER BY pay_periods.starts_on DESC",
        select()
    ))
    .bind(e.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Which periods to list.
#[derive(Debug, Clone, Copy)]
pub enum PeriodScope<'a> {
    /// A resident's.
    Resident(ResidentId),
    /// An organisation's, of residents in these regions (None: all).
    Organisation(OrganisationId, Option<&'a [RegionId]>),
    /// Those of residents of these regions.
    Regions(&'a [RegionId]),
}

/// Periods of a scope whose month lies in `[from, to]` (by their first day) and whose status
/// is one of `statuses` (empty: any), by month then resident.
pub async fn periods(
    conn: &mut AnyConnection,
    scope: PeriodScope<'_>,
    (from, to): (NaiveDate, NaiveDate),
    statuses: &[PeriodStatus],
) -> Result<Vec<PayPeriod>> {
    let mut q = Sql::new(&select());
    q.push(" WHERE pay_periods.starts_on >= ")
        .bind(Day(from))
        .push(" AND pay_periods.starts_on <= ")
        .bind(Day(to));
    match scope {
        PeriodScope::Resident(r) => {
            q.push(" AND pay_periods.resident_id = ").bind(r.0);
        }
        PeriodScope::Organisation(o, regions) => {
            q.push(" AND pay_periods.organisation_id = ").bind(o.0);
            q.and_in_regions("pay_periods.region_id", regions);
        }
        PeriodScope::Regions(regions) => {
            q.and_in_regions("pay_periods.region_id", Some(regions));
        }
    }
    if !statuses.is_empty() {
        q.push(" AND pay_periods.status IN (");
        for (i, s) in statuses.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(Code(*s));
        }
        q.push(")");
    }
    q.push(" ORDER BY pay_periods.starts_on, r.name, pay_periods.id");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// A period's days.
pub async fn entries(conn: &mut AnyConnection, period: PeriodId) -> Result<Vec<DayEntry>> {
    let rows: Vec<(Day, i64, String)> = sqlx::query_as(
        "SELECT day, minutes, note FROM timesheet_entries WHERE period_id = $1 ORDER BY day",
    )
    .bind(period.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(d, minutes, note)| DayEntry {
            day: d.0,
            minutes,
            note,
        })
        .collect())
}

/// Writes one day's hours (0 minutes removes the day) and recounts the period; false if the
/// period is locked.
pub async fn set_entry(
    conn: &mut AnyConnection,
    e: EngagementId,
    period: PeriodId,
    entry: &DayEntry,
) -> Result<bool> {
    let open: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM pay_periods WHERE id = $1 AND {UNLOCKED}"
    ))
    .bind(period.0)
    .fetch_optional(&mut *conn)
    .await?;
    if open.is_none() {
        return Ok(false);
    }
    if entry.minutes == 0 {
        sqlx::query("DELETE FROM timesheet_entries WHERE engagement_id = $1 AND day = $2")
            .bind(e.0)
            .bind(Day(entry.day).text())
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO timesheet_entries (engagement_id, day, period_id, minutes, note, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (engagement_id, day) \
             DO UPDATE SET minutes = excluded.minutes, note = excluded.note, \
             updated_at = excluded.updated_at",
        )
        .bind(e.0)
        .bind(Day(entry.day).text())
        .bind(period.0)
        .bind(entry.minutes)
        .bind(entry.note.as_str())
        .bind(Millis::now().ms())
        .execute(&mut *conn)
        .await?;
    }
    let done = sqlx::query(&format!(
        "UPDATE pay_periods SET minutes = (SELECT COALESCE(SUM(minutes), 0) FROM \
         timesheet_entries WHERE period_id = $1) WHERE id = $1 AND {UNLOCKED}"
    ))
    .bind(period.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A change of a period's status.
#[derive(Debug, Clone)]
pub enum PeriodChange<'a> {
    /// Sent for approval.
    Submit,
    /// Sent back with a comment.
    Return {
        /// Who.
        by: &'a str,
        /// Why.
        comment: &'a str,
    },
    /// Approved, with its figures fixed.
    Approve {
        /// Who.
        by: &'a str,
        /// The figures.
        slip: PaySlip,
        /// When the fee is due.
        due_on: Option<NaiveDate>,
    },
    /// Paid on a day.
    Paid(NaiveDate),
}

/// Changes a period's status from one of `from`; false when it was not in one of them (it
/// moved meanwhile, or is locked).
pub async fn change_period(
    conn: &mut AnyConnection,
    id: PeriodId,
    from: &[PeriodStatus],
    change: &PeriodChange<'_>,
) -> Result<bool> {
    let now = Millis::now().ms();
    let mut q = Sql::new("UPDATE pay_periods SET ");
    match change {
        PeriodChange::Submit => {
            q.push("status = 'submitted', submitted_at = ").bind(now);
        }
        PeriodChange::Return { by, comment } => {
            q.push("status = 'returned', decided_at = ")
                .bind(now)
                .push(", decided_by = ")
                .bind(*by)
                .push(", comment = ")
                .bind(*comment);
        }
        PeriodChange::Approve { by, slip, due_on } => {
            q.push("status = 'approved', decided_at = ")
                .bind(now)
                .push(", decided_by = ")
                .bind(*by)
                .push(", comment = '', minutes = ")
                .bind(slip.minutes)
                .push(", amount_yen = ")
                .bind(slip.amount_yen)
                .push(", withholding_yen = ")
                .bind(slip.withholding_yen)
                .push(", due_on = ")
                .bind(due_on.map(Day));
        }
        PeriodChange::Paid(day) => {
            q.push("status = 'paid', paid_on = ").bind(Day(*day));
        }
    }
    q.push(" WHERE id = ").bind(id.0).push(" AND status IN (");
    for (i, s) in from.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Code(*s));
    }
    q.push(")");
    let done = sqlx::query_with(&q.text, q.args()).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// The minutes logged in a period, counted from its days (what an approval fixes).
pub async fn logged_minutes(conn: &mut AnyConnection, id: PeriodId) -> Result<i64> {
    let m: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM timesheet_entries \
         WHERE period_id = $1",
    )
    .bind(id.0)
    .fetch_one(conn)
    .await?;
    Ok(m.unwrap_or(0))
}

/// How many periods of a resident were approved or paid (the growth path's "first paid job" and
/// "recurring work").
pub async fn approved_count(conn: &mut AnyConnection, r: ResidentId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM pay_periods WHERE resident_id = $1 AND status IN ('approved', 'paid') \
         AND amount_yen > 0",
    )
    .bind(r.0)
    .fetch_one(conn)
    .await?)
}

/// An engagement's period starting on a day, if it was written.
pub async fn period_starting(
    conn: &mut AnyConnection,
    e: EngagementId,
    starts: NaiveDate,
) -> Result<Option<PayPeriod>> {
    let row = sqlx::query(&format!(
        "{} WHERE pay_periods.engagement_id = $1 AND pay_periods.starts_on = $2",
        select()
    ))
    .bind(e.0)
    .bind(Day(starts).text())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}
