//! Engagements (contracts) with their written terms.

use chrono::NaiveDate;
use jimoto_domain::growth::Channel;
use jimoto_domain::work::engagement::PaymentMethod;
use jimoto_domain::work::{
    Category, EndReason, Engagement, EngagementInput, EngagementStatus, Terms,
};
use jimoto_domain::{ApplicationId, EngagementId, OrganisationId, PostingId, RegionId, ResidentId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Flag, Millis};
use crate::schema::ENGAGEMENTS;
use crate::sql::{Sql, Values};

fn day(r: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
    Ok(r.try_get::<Option<Day>, _>(col)?.map(|d| d.0))
}

fn from_row(r: &AnyRow) -> Result<Engagement> {
    let method: String = r.try_get("payment_method")?;
    let reason: String = r.try_get("end_reason")?;
    let description: String = r.try_get("work_description")?;
    let title: Option<String> = r.try_get("posting_title")?;
    Ok(Engagement {
        id: EngagementId(r.try_get("id")?),
        application_id: r
            .try_get::<Option<i64>, _>("application_id")?
            .map(ApplicationId),
        posting_id: r.try_get::<Option<i64>, _>("posting_id")?.map(PostingId),
        title: title.unwrap_or_else(|| description.lines().next().unwrap_or("").to_owned()),
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        organisation_name: r.try_get("org_name")?,
        region_id: RegionId(r.try_get("region_id")?),
        resident_id: ResidentId(r.try_get("resident_id")?),
        resident_name: r.try_get("resident_name")?,
        channel: r.try_get::<Code<Channel>, _>("channel")?.0,
        category: r.try_get::<Code<Category>, _>("category")?.0,
        withholding: r.try_get::<Flag, _>("withholding")?.0,
        status: r.try_get::<Code<EngagementStatus>, _>("status")?.0,
        input: EngagementInput {
            contract: r.try_get::<Code<_>, _>("contract")?.0,
            pay_kind: r.try_get::<Code<_>, _>("pay_kind")?.0,
            rate_yen: r.try_get("rate_yen")?,
            hours_per_week: r.try_get("hours_per_week")?,
            start_date: r.try_get::<Day, _>("start_date")?.0,
            trial_end: day(r, "trial_end")?,
            end_date: day(r, "end_date")?,
            terms: Terms {
                work_description: description,
                order_date: day(r, "order_date")?,
                delivery_date: day(r, "delivery_date")?,
                delivery_place: r.try_get("delivery_place")?,
                inspection: r.try_get::<Flag, _>("inspection")?.0,
                inspection_days: r.try_get("inspection_days")?,
                payment_due_days: r.try_get("payment_due_days")?,
                payment_method: PaymentMethod::parse(&method),
                payment_method_detail: r.try_get("payment_method_detail")?,
            },
        },
        started_at: r.try_get::<Option<Millis>, _>("started_at")?.map(|m| m.0),
        notice_given_on: day(r, "notice_given_on")?,
        ended_on: day(r, "ended_on")?,
        end_reason: EndReason::parse(&reason),
        end_reason_detail: r.try_get("end_reason_detail")?,
        renewed_from: r
            .try_get::<Option<i64>, _>("renewed_from")?
            .map(EngagementId),
    })
}

fn select() -> String {
    format!(
        "SELECT {}, p.title AS posting_title, o.name AS org_name, r.name AS resident_name \
         FROM engagements LEFT JOIN postings p ON p.id = engagements.posting_id \
         JOIN organisations o ON o.id = engagements.organisation_id \
         JOIN residents r ON r.id = engagements.resident_id",
        ENGAGEMENTS.qualified_list()
    )
}

fn values(i: &EngagementInput, withholding: bool) -> Values {
    let t = &i.terms;
    Values::new(ENGAGEMENTS)
        .set("contract", Code(i.contract))
        .set("pay_kind", Code(i.pay_kind))
        .set("rate_yen", i.rate_yen)
        .set("hours_per_week", i.hours_per_week)
        .set("start_date", Day(i.start_date))
        .set("trial_end", i.trial_end.map(Day))
        .set("end_date", i.end_date.map(Day))
        .set("withholding", Flag(withholding))
        .set("work_description", t.work_description.as_str())
        .set("order_date", t.order_date.map(Day))
        .set("delivery_date", t.delivery_date.map(Day))
        .set("delivery_place", t.delivery_place.as_str())
        .set("inspection", Flag(t.inspection))
        .set("inspection_days", t.inspection_days)
        .set("payment_due_days", t.payment_due_days)
        .set(
            "payment_method",
            t.payment_method.map_or("", PaymentMethod::as_str),
        )
        .set("payment_method_detail", t.payment_method_detail.as_str())
        .set("updated_at", Millis::now())
}

/// Who a new engagement is between, and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct Parties {
    /// The application it came from.
    pub application: Option<ApplicationId>,
    /// The posting.
    pub posting: Option<PostingId>,
    /// The organisation.
    pub organisation: OrganisationId,
    /// The resident's region.
    pub region: RegionId,
    /// The resident.
    pub resident: ResidentId,
    /// How the resident first heard of the program.
    pub channel: Channel,
    /// Kind of work.
    pub category: Category,
}

/// Writes a draft engagement.
pub async fn insert_engagement(
    conn: &mut AnyConnection,
    p: Parties,
    i: &EngagementInput,
    withholding: bool,
) -> Result<EngagementId> {
    Ok(EngagementId(
        values(i, withholding)
            .set("application_id", p.application.map(|a| a.0))
            .set("posting_id", p.posting.map(|x| x.0))
            .set("organisation_id", p.organisation.0)
            .set("region_id", p.region)
            .set("resident_id", p.resident.0)
            .set("channel", Code(p.channel))
            .set("category", Code(p.category))
            .set("status", Code(EngagementStatus::Draft))
            .set("end_reason", "")
            .set("created_at", Millis::now())
            .insert_returning_id(conn)
            .await?,
    ))
}

/// Replaces a draft's terms.
pub async fn update_engagement(
    conn: &mut AnyConnection,
    id: EngagementId,
    i: &EngagementInput,
    withholding: bool,
) -> Result<bool> {
    values(i, withholding).update_by_id(conn, id.0).await
}

/// Starts an engagement.
pub async fn start_engagement(conn: &mut AnyConnection, id: EngagementId) -> Result<()> {
    sqlx::query(
        "UPDATE engagements SET status = 'active', started_at = $1, updated_at = $1 WHERE id = $2",
    )
    .bind(Millis::now().ms())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// How an engagement ends.
#[derive(Debug, Clone)]
pub struct Ending<'a> {
    /// When notice was given.
    pub notice_on: NaiveDate,
    /// The last day.
    pub end_on: NaiveDate,
    /// Why.
    pub reason: EndReason,
    /// In words.
    pub detail: &'a str,
}

/// Records an engagement's end (status ended; its last day may lie ahead, after notice).
pub async fn end_engagement(
    conn: &mut AnyConnection,
    id: EngagementId,
    e: &Ending<'_>,
) -> Result<()> {
    sqlx::query(
        "UPDATE engagements SET status = 'ended', notice_given_on = $1, ended_on = $2, \
         end_reason = $3, end_reason_detail = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(Day(e.notice_on).text())
    .bind(Day(e.end_on).text())
    .bind(e.reason.as_str())
    .bind(e.detail)
    .bind(Millis::now().ms())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// One engagement.
pub async fn engagement(conn: &mut AnyConnection, id: EngagementId) -> Result<Option<Engagement>> {
    let row = sqlx::query(&format!("{} WHERE engagements.id = $1", select()))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which engagements to list.
#[derive(Debug, Clone, Copy)]
pub enum EngagementScope<'a> {
    /// A resident's.
    Resident(ResidentId),
    /// An organisation's, with residents of these regions (None: all).
    Organisation(OrganisationId, Option<&'a [RegionId]>),
    /// Those of residents of these regions.
    Regions(&'a [RegionId]),
}

/// Engagements, latest start first.
pub async fn engagements(
    conn: &mut AnyConnection,
    scope: EngagementScope<'_>,
) -> Result<Vec<Engagement>> {
    let mut q = Sql::new(&select());
    match scope {
        EngagementScope::Resident(r) => {
            q.push(" WHERE engagements.resident_id = ").bind(r.0);
        }
        EngagementScope::Organisation(o, regions) => {
            q.push(" WHERE engagements.organisation_id = ").bind(o.0);
            q.and_in_regions("engagements.region_id", regions);
        }
        EngagementScope::Regions(regions) => {
            q.push(" WHERE 1 = 1");
            q.and_in_regions("engagements.region_id", Some(regions));
        }
    }
    q.push(" ORDER BY engagements.start_date DESC, engagements.id DESC");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// The engagement made from an application, if any.
pub async fn engagement_of_application(
    conn: &mut AnyConnection,
    app: ApplicationId,
) -> Result<Option<EngagementId>> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM engagements WHERE application_id = $1 LIMIT 1")
            .bind(app.0)
            .fetch_optional(conn)
            .await?;
    Ok(id.map(EngagementId))
}

/// Months the contracts an engagement renews ran for (for the notice rule).
pub async fn months_renewed(conn: &mut AnyConnection, id: EngagementId) -> Result<u32> {
    let mut months = 0u32;
    let mut at = id;
    for _ in 0..50 {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT renewed_from FROM engagements WHERE id = $1")
                .bind(at.0)
                .fetch_optional(&mut *conn)
                .await?;
        let Some((Some(prev),)) = row else { break };
        let span: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT start_date, ended_on FROM engagements WHERE id = $1")
                .bind(prev)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((s, Some(e))) = span
            && let (Ok(s), Ok(e)) = (
                NaiveDate::parse_from_str(&s, "%Y-%m-%d"),
                NaiveDate::parse_from_str(&e, "%Y-%m-%d"),
            )
        {
            let days = u32::try_from((e - s).num_days().max(0)).unwrap_or(0);
            months = months.saturating_add(days / 30);
        }
        at = EngagementId(prev);
    }
    Ok(months)
}

/// Marks `id` as the renewal of `from`.
pub async fn set_renewed_from(
    conn: &mut AnyConnection,
    id: EngagementId,
    from: EngagementId,
) -> Result<()> {
    sqlx::query("UPDATE engagements SET renewed_from = $1 WHERE id = $2")
        .bind(from.0)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The contract that renews `id`, if one was written.
pub async fn renewal_of(
    conn: &mut AnyConnection,
    id: EngagementId,
) -> Result<Option<EngagementId>> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM engagements WHERE renewed_from = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(EngagementId))
}
