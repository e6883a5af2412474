//! Job postings and the board. A posting's board key orders the board newest first: the time
//! it was first opened, inverted, as fixed-width text (drafts sort last). It is also the
//! posting's sort key in the search index, so that a common word's postings are read in the
//! board's own order.

use jimoto_domain::resident::{Skill, TimeWindow};
use jimoto_domain::text::fold_parts;
use jimoto_domain::work::posting::search_parts;
use jimoto_domain::work::{BoardFilter, Posting, PostingInput, PostingStatus};
use jimoto_domain::{OrganisationId, Page, PageRequest, PostingId, RegionId, TaskId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::codec::{Code, Json, Millis};
use crate::schema::{POSTING_SKILLS, POSTINGS};
use crate::search::{self, Doc, SearchKind, Target};
use crate::sql::{KeyKind, Order, Sql, Values, fetch_page};
use crate::{Result, StoreError};

const ORDER: Order = Order {
    keys: &[("board_key", KeyKind::Text), ("id", KeyKind::Int)],
    descending: false,
};

const TARGET: Target = Target {
    table: "postings",
    id: "id",
    region: "region_id",
    sort: "board_key",
    kind: SearchKind::Posting,
};

/// The latest instant a board key can hold (year 2286).
const KEY_MAX: i64 = 9_999_999_999_999;

fn board_key(published: Option<Millis>) -> String {
    match published {
        Some(p) => format!("{:013}", KEY_MAX - p.ms().clamp(0, KEY_MAX)),
        None => format!("{KEY_MAX:013}"),
    }
}

fn from_row(r: &AnyRow) -> Result<Posting> {
    Ok(Posting {
        id: PostingId(r.try_get("id")?),
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        organisation_name: String::new(),
        region_id: RegionId(r.try_get("region_id")?),
        region_name: String::new(),
        task_id: r.try_get::<Option<i64>, _>("task_id")?.map(TaskId),
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        category: r.try_get::<Code<_>, _>("category")?.0,
        skills: Vec::new(),
        level: r.try_get::<Code<_>, _>("level")?.0,
        contract: r.try_get::<Code<_>, _>("contract")?.0,
        trial_months: r.try_get("trial_months")?,
        pay_kind: r.try_get::<Code<_>, _>("pay_kind")?.0,
        pay_yen: r.try_get("pay_yen")?,
        hourly_yen: r.try_get("hourly_yen")?,
        hours_per_week: r.try_get("hours_per_week")?,
        days_per_month: r.try_get("days_per_month")?,
        time_windows: r.try_get::<Json<Vec<TimeWindow>>, _>("time_windows")?.0,
        duration_months: r.try_get("duration_months")?,
        places: r.try_get("places")?,
        work_place: r.try_get::<Code<_>, _>("work_place")?.0,
        office_visits_per_month: r.try_get("office_visits_per_month")?,
        office_place: r.try_get("office_place")?,
        status: r.try_get::<Code<_>, _>("status")?.0,
        published_at: r.try_get::<Option<Millis>, _>("published_at")?.map(|m| m.0),
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        updated_at: r.try_get::<Millis, _>("updated_at")?.0,
    })
}

fn values(i: &PostingInput) -> Values {
    Values::new(POSTINGS)
        .set("region_id", i.region_id)
        .set("title", i.title.as_str())
        .set("description", i.description.as_str())
        .set("category", Code(i.category))
        .set("level", Code(i.level))
        .set("contract", Code(i.contract))
        .set("trial_months", i.trial_months)
        .set("pay_kind", Code(i.pay_kind))
        .set("pay_yen", i.pay_yen)
        .set("hourly_yen", i.hourly_yen())
        .set("hours_per_week", i.hours_per_week)
        .set("days_per_month", i.days_per_month)
        .set("time_windows", Json(&i.time_windows))
        .set("duration_months", i.duration_months)
        .set("places", i.places)
        .set("work_place", Code(i.work_place))
        .set("office_visits_per_month", i.office_visits_per_month)
        .set("office_place", i.office_place.as_str())
        .set("updated_at", Millis::now())
}

async fn replace_skills(conn: &mut AnyConnection, id: PostingId, skills: &[Skill]) -> Result<()> {
    sqlx::query("DELETE FROM posting_skills WHERE posting_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for (pos, s) in skills.iter().enumerate() {
        Values::new(POSTING_SKILLS)
            .set("posting_id", id.0)
            .set("position", i64::try_from(pos).unwrap_or(i64::MAX))
            .set("name", s.name.as_str())
            .set("level", s.level)
            .insert(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Adds the names of their organisations and regions, and their skills, to postings read from
/// their table.
async fn complete(conn: &mut AnyConnection, postings: &mut [Posting]) -> Result<()> {
    if postings.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = postings.iter().map(|p| p.id.0).collect();
    let mut q = Sql::new(
        "SELECT p.id, o.name AS org, r.name AS region FROM postings p \
         JOIN organisations o ON o.id = p.organisation_id JOIN regions r ON r.id = p.region_id WHERE ",
    );
    q.bind_in("p.id", &ids);
    for row in sqlx::query_with(&q.text, q.args())
        .fetch_all(&mut *conn)
        .await?
    {
        let id: i64 = row.try_get("id")?;
        for p in postings.iter_mut().filter(|p| p.id.0 == id) {
            p.organisation_name = row.try_get("org")?;
            p.region_name = row.try_get("region")?;
        }
    }
    let mut q = Sql::new("SELECT posting_id, name, level FROM posting_skills WHERE ");
    q.bind_in("posting_id", &ids);
    q.push(" ORDER BY posting_id, position");
    for row in sqlx::query_with(&q.text, q.args()).fetch_all(conn).await? {
        let id: i64 = row.try_get("posting_id")?;
        if let Some(p) = postings.iter_mut().find(|p| p.id.0 == id) {
            p.skills.push(Skill {
                name: row.try_get("name")?,
                level: row.try_get("level")?,
            });
        }
    }
    Ok(())
}

/// Indexes a posting as it is stored (with its organisation's current name).
async fn index(conn: &mut AnyConnection, id: PostingId) -> Result<()> {
    let p = posting(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("posting {id} vanished while indexed")))?;
    let key: String = sqlx::query_scalar("SELECT board_key FROM postings WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?;
    let text = fold_parts(search_parts(
        &p.title,
        &p.skills,
        p.category,
        &p.organisation_name,
        &p.description,
    ));
    search::index(
        conn,
        Doc {
            kind: SearchKind::Posting,
            entity_id: id.0,
            region: p.region_id,
            sort_key: &key,
            text: &text,
        },
    )
    .await
}

/// Writes a new posting (a draft, or opened at once) with its skills, and indexes it.
pub async fn insert_posting(
    conn: &mut AnyConnection,
    org: OrganisationId,
    i: &PostingInput,
    task: Option<TaskId>,
    status: PostingStatus,
) -> Result<PostingId> {
    let now = Millis::now();
    let published = (status == PostingStatus::Open).then_some(now);
    let id = PostingId(
        values(i)
            .set("organisation_id", org.0)
            .set("task_id", task.map(|t| t.0))
            .set("status", Code(status))
            .set("board_key", board_key(published))
            .set("published_at", published)
            .set("created_at", now)
            .insert_returning_id(&mut *conn)
            .await?,
    );
    replace_skills(conn, id, &i.skills).await?;
    index(conn, id).await?;
    Ok(id)
}

/// Replaces a posting's fields and skills and re-indexes it; false when it does not exist.
pub async fn update_posting(
    conn: &mut AnyConnection,
    id: PostingId,
    i: &PostingInput,
) -> Result<bool> {
    if !values(i).update_by_id(conn, id.0).await? {
        return Ok(false);
    }
    replace_skills(conn, id, &i.skills).await?;
    index(conn, id).await?;
    Ok(true)
}

/// Opens, closes or reopens a posting. Its first opening dates it on the board.
pub async fn set_posting_status(
    conn: &mut AnyConnection,
    id: PostingId,
    status: PostingStatus,
) -> Result<()> {
    let published: Option<Option<i64>> =
        sqlx::query_scalar("SELECT published_at FROM postings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(published) = published else {
        return Ok(());
    };
    let published = match (published, status) {
        (Some(p), _) => Some(Millis::from_ms(p)?),
        (None, PostingStatus::Open) => Some(Millis::now()),
        (None, _) => None,
    };
    sqlx::query(
        "UPDATE postings SET status = $1, published_at = $2, board_key = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(published.map(Millis::ms))
    .bind(board_key(published))
    .bind(Millis::now().ms())
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    index(conn, id).await
}

/// One posting with its names and skills.
pub async fn posting(conn: &mut AnyConnection, id: PostingId) -> Result<Option<Posting>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM postings WHERE id = $1",
        POSTINGS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut p = [from_row(&row)?];
    complete(conn, &mut p).await?;
    let [p] = p;
    Ok(Some(p))
}

/// An organisation's postings, newest first (the services keep those the viewer may see).
pub async fn postings_of(conn: &mut AnyConnection, org: OrganisationId) -> Result<Vec<Posting>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM postings WHERE organisation_id = $1 ORDER BY id DESC",
        POSTINGS.select_list()
    ))
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    complete(conn, &mut out).await?;
    Ok(out)
}

/// A page of the open postings matching the board's filters, newest first.
pub async fn board(
    conn: &mut AnyConnection,
    f: &BoardFilter,
    page: &PageRequest,
) -> Result<Page<Posting>> {
    let regions: Option<Vec<RegionId>> = f.region.map(|r| vec![r]);
    let mut w = Sql::new(" WHERE postings.status = 'open'");
    let mut plans = Vec::new();
    if let Some(q) = &f.q {
        plans.extend(search::plan(conn, TARGET, regions.as_deref(), q).await?);
    }
    let source = search::combine(&mut w, &plans, regions.as_deref());
    if source.needs_scope() && regions.is_some() {
        w.and_in_regions("postings.region_id", regions.as_deref());
    }
    if let Some(h) = f.max_hours {
        w.push(" AND postings.hours_per_week <= ").bind(h);
    }
    if let Some(y) = f.min_hourly {
        w.push(" AND postings.hourly_yen >= ").bind(y);
    }
    if let Some(p) = f.work_place {
        w.push(" AND postings.work_place = ").bind(Code(p));
    }
    if let Some(l) = f.level {
        w.push(" AND postings.level = ").bind(Code(l));
    }
    if let Some(c) = f.category {
        w.push(" AND postings.category = ").bind(Code(c));
    }
    let mut out = fetch_page(conn, &POSTINGS, w, source.drive(), ORDER, page, from_row).await?;
    complete(conn, &mut out.items).await?;
    Ok(out)
}

/// Re-indexes an organisation's postings (its name changed).
pub async fn reindex_postings_of(conn: &mut AnyConnection, org: OrganisationId) -> Result<()> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM postings WHERE organisation_id = $1")
        .bind(org.0)
        .fetch_all(&mut *conn)
        .await?;
    for (id,) in ids {
        index(conn, PostingId(id)).await?;
    }
    Ok(())
}

/// The open postings of a region, with their names and skills, by id (what matching reads:
/// every one, since an allocation weighs them all at once).
pub async fn open_in_region(conn: &mut AnyConnection, region: RegionId) -> Result<Vec<Posting>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM postings WHERE region_id = $1 AND status = 'open' ORDER BY id",
        POSTINGS.select_list()
    ))
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    let at: std::collections::HashMap<i64, usize> =
        out.iter().enumerate().map(|(i, p)| (p.id.0, i)).collect();
    let names = sqlx::query(
        "SELECT p.id, o.name AS org, r.name AS region FROM postings p \
         JOIN organisations o ON o.id = p.organisation_id JOIN regions r ON r.id = p.region_id \
         WHERE p.region_id = $1 AND p.status = 'open'",
    )
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    for row in names {
        if let Some(&i) = at.get(&row.try_get::<i64, _>("id")?) {
            out[i].organisation_name = row.try_get("org")?;
            out[i].region_name = row.try_get("region")?;
        }
    }
    let skills = sqlx::query(
        "SELECT s.posting_id, s.name, s.level FROM posting_skills s \
         JOIN postings p ON p.id = s.posting_id WHERE p.region_id = $1 AND p.status = 'open' \
         ORDER BY s.posting_id, s.position",
    )
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    for row in skills {
        if let Some(&i) = at.get(&row.try_get::<i64, _>("posting_id")?) {
            out[i].skills.push(Skill {
                name: row.try_get("name")?,
                level: row.try_get("level")?,
            });
        }
    }
    Ok(out)
}
