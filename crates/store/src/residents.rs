//! Resident profiles and their skills.

use jimoto_domain::resident::{
    Circumstances, OfficeVisits, Resident, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{RegionId, ResidentId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::sql::{Sql, contains_pattern, fetch_page, from_ms, join_list, now_ms, split_list};
use crate::{Page, PageRequest, Result, StoreError};

const COLUMNS: &str = "id, region_id, user_id, name, name_kana, email, phone, childcare, care, treatment, \
    circumstances_note, spare_hours_per_week, time_windows, work_styles, office_visits, max_travel_minutes, \
    created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<Resident> {
    let visits: String = r.try_get("office_visits")?;
    let windows: String = r.try_get("time_windows")?;
    let styles: String = r.try_get("work_styles")?;
    let flag = |c: &str| -> Result<bool> { Ok(r.try_get::<i64, _>(c)? != 0) };
    Ok(Resident {
        id: ResidentId(r.try_get("id")?),
        region_id: RegionId(r.try_get("region_id")?),
        user_id: r.try_get::<Option<i64>, _>("user_id")?.map(UserId),
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        circumstances: Some(Circumstances {
            childcare: flag("childcare")?,
            care: flag("care")?,
            treatment: flag("treatment")?,
            note: r.try_get("circumstances_note")?,
        }),
        skills: Vec::new(),
        spare_hours_per_week: r.try_get("spare_hours_per_week")?,
        time_windows: split_list(&windows, TimeWindow::parse, "residents.time_windows")?,
        work_styles: split_list(&styles, WorkStyle::parse, "residents.work_styles")?,
        office_visits: OfficeVisits::parse(&visits)
            .ok_or_else(|| StoreError::Corrupt(format!("residents.office_visits: {visits}")))?,
        max_travel_minutes: r.try_get("max_travel_minutes")?,
        created_at: from_ms(r.try_get("created_at")?),
        updated_at: from_ms(r.try_get("updated_at")?),
    })
}

/// Inserts a resident with their skills.
pub async fn insert(
    conn: &mut AnyConnection,
    i: &ResidentInput,
    user: Option<UserId>,
) -> Result<ResidentId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO residents (region_id, user_id, name, name_kana, email, phone, childcare, care, treatment, \
         circumstances_note, spare_hours_per_week, time_windows, work_styles, office_visits, max_travel_minutes, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
         RETURNING id",
    )
    .bind(i.region_id.0)
    .bind(user.map(|u| u.0))
    .bind(&i.name)
    .bind(&i.name_kana)
    .bind(&i.email)
    .bind(&i.phone)
    .bind(i64::from(i.circumstances.childcare))
    .bind(i64::from(i.circumstances.care))
    .bind(i64::from(i.circumstances.treatment))
    .bind(&i.circumstances.note)
    .bind(i.spare_hours_per_week)
    .bind(join_list(i.time_windows.iter().map(|w| w.as_str())))
    .bind(join_list(i.work_styles.iter().map(|w| w.as_str())))
    .bind(i.office_visits.as_str())
    .bind(i.max_travel_minutes)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    replace_skills(conn, ResidentId(id), i.region_id, &i.skills).await?;
    Ok(ResidentId(id))
}

/// Replaces a resident's profile and skills; false when the resident does not exist.
pub async fn update(conn: &mut AnyConnection, id: ResidentId, i: &ResidentInput) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE residents SET region_id = $1, name = $2, name_kana = $3, email = $4, phone = $5, childcare = $6, \
         care = $7, treatment = $8, circumstances_note = $9, spare_hours_per_week = $10, time_windows = $11, \
         work_styles = $12, office_visits = $13, max_travel_minutes = $14, updated_at = $15 WHERE id = $16",
    )
    .bind(i.region_id.0)
    .bind(&i.name)
    .bind(&i.name_kana)
    .bind(&i.email)
    .bind(&i.phone)
    .bind(i64::from(i.circumstances.childcare))
    .bind(i64::from(i.circumstances.care))
    .bind(i64::from(i.circumstances.treatment))
    .bind(&i.circumstances.note)
    .bind(i.spare_hours_per_week)
    .bind(join_list(i.time_windows.iter().map(|w| w.as_str())))
    .bind(join_list(i.work_styles.iter().map(|w| w.as_str())))
    .bind(i.office_visits.as_str())
    .bind(i.max_travel_minutes)
    .bind(now_ms())
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    replace_skills(conn, id, i.region_id, &i.skills).await?;
    Ok(true)
}

async fn replace_skills(
    conn: &mut AnyConnection,
    id: ResidentId,
    region: RegionId,
    skills: &[Skill],
) -> Result<()> {
    sqlx::query("DELETE FROM resident_skills WHERE resident_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for (pos, s) in skills.iter().enumerate() {
        sqlx::query(
            "INSERT INTO resident_skills (region_id, resident_id, position, name, level) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(region.0)
        .bind(id.0)
        .bind(i64::try_from(pos).unwrap_or(i64::MAX))
        .bind(&s.name)
        .bind(s.level)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn load_skills(conn: &mut AnyConnection, residents: &mut [Resident]) -> Result<()> {
    if residents.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new("SELECT resident_id, name, level FROM resident_skills WHERE ");
    q.bind_in(
        "resident_id",
        &residents.iter().map(|r| r.id.0).collect::<Vec<_>>(),
    );
    q.push(" ORDER BY resident_id, position");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    for row in rows {
        let rid: i64 = row.try_get("resident_id")?;
        if let Some(r) = residents.iter_mut().find(|r| r.id.0 == rid) {
            r.skills.push(Skill {
                name: row.try_get("name")?,
                level: row.try_get("level")?,
            });
        }
    }
    Ok(())
}

/// One resident with skills (circumstances included: the service decides who sees them).
pub async fn get(conn: &mut AnyConnection, id: ResidentId) -> Result<Option<Resident>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM residents WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut r = [from_row(&row)?];
    load_skills(conn, &mut r).await?;
    let [r] = r;
    Ok(Some(r))
}

/// The resident record linked to a login, if any.
pub async fn find_by_user(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Option<(ResidentId, RegionId)>> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, region_id FROM residents WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, r)| (ResidentId(id), RegionId(r))))
}

/// Filters for the resident list.
#[derive(Debug, Clone, Default)]
pub struct ResidentFilter {
    /// Text in the name or reading.
    pub q: Option<String>,
    /// One region (must be within the caller's scope).
    pub region: Option<RegionId>,
    /// Wants this work style.
    pub work_style: Option<WorkStyle>,
    /// Has a skill whose name contains this text.
    pub skill: Option<String>,
}

/// A page of residents of `regions` (None = every region), by reading.
pub async fn list(
    conn: &mut AnyConnection,
    regions: Option<&[RegionId]>,
    f: &ResidentFilter,
    page: PageRequest,
) -> Result<Page<Resident>> {
    let mut w = Sql::new(" WHERE ");
    match regions {
        None => {
            w.push("1 = 1");
        }
        Some(r) => {
            w.bind_in("region_id", &r.iter().map(|r| r.0).collect::<Vec<_>>());
        }
    }
    if let Some(r) = f.region {
        w.push(" AND region_id = ").bind(r.0);
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
        let p = contains_pattern(q);
        w.push(" AND (name LIKE ")
            .bind(p.clone())
            .push(" ESCAPE '\\' OR name_kana LIKE ")
            .bind(p);
        w.push(" ESCAPE '\\')");
    }
    if let Some(s) = f.work_style {
        w.push(" AND (',' || work_styles || ',') LIKE ")
            .bind(format!("%,{},%", s.as_str()));
    }
    if let Some(s) = f.skill.as_deref().filter(|s| !s.is_empty()) {
        // The skills table carries region_id too: scoping the subquery to the caller's
        // regions keeps it from scanning every region's skills.
        w.push(" AND id IN (SELECT resident_id FROM resident_skills WHERE ");
        if let Some(r) = regions {
            w.bind_in("region_id", &r.iter().map(|r| r.0).collect::<Vec<_>>());
            w.push(" AND ");
        }
        w.push("name LIKE ")
            .bind(contains_pattern(s))
            .push(" ESCAPE '\\')");
    }
    let mut page = fetch_page(
        conn,
        "residents",
        COLUMNS,
        w,
        "name_kana, id",
        page,
        from_row,
    )
    .await?;
    load_skills(conn, &mut page.items).await?;
    Ok(page)
}

/// Residents per region, for dashboards.
pub async fn count_by_region(conn: &mut AnyConnection) -> Result<Vec<(RegionId, i64)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT region_id, COUNT(*) FROM residents GROUP BY region_id ORDER BY region_id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(r, n)| (RegionId(r), n)).collect())
}

/// Links a resident record to its login; false when the resident is missing or already linked.
pub async fn link_user(conn: &mut AnyConnection, id: ResidentId, user: UserId) -> Result<bool> {
    let done = sqlx::query("UPDATE residents SET user_id = $1 WHERE id = $2 AND user_id IS NULL")
        .bind(user.0)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
