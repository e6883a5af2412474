//! Resident profiles and their skills.

use jimoto_domain::resident::{
    Circumstances, Resident, ResidentFilter, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::text::fold_parts;
use jimoto_domain::{Page, PageRequest, RegionId, ResidentId, Total, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Flag, Json, Millis};
use crate::schema::{RESIDENT_SKILLS, RESIDENTS};
use crate::search::{self, Doc, SearchKind, Target};
use crate::sql::{KeyKind, Order, Sql, Values, bounded_count, contains_pattern, fetch_page};

/// Residents are listed by reading, then id (index `residents_region_kana_id`).
const ORDER: Order = Order {
    keys: &[("name_kana", KeyKind::Text), ("id", KeyKind::Int)],
    descending: false,
};

fn from_row(r: &AnyRow) -> Result<Resident> {
    Ok(Resident {
        id: ResidentId(r.try_get("id")?),
        region_id: RegionId(r.try_get("region_id")?),
        user_id: r.try_get::<Option<i64>, _>("user_id")?.map(UserId),
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        circumstances: Some(Circumstances {
            childcare: r.try_get::<Flag, _>("childcare")?.0,
            care: r.try_get::<Flag, _>("care")?.0,
            treatment: r.try_get::<Flag, _>("treatment")?.0,
            note: r.try_get("circumstances_note")?,
        }),
        skills: Vec::new(),
        spare_hours_per_week: r.try_get("spare_hours_per_week")?,
        time_windows: r.try_get::<Json<Vec<TimeWindow>>, _>("time_windows")?.0,
        work_styles: r.try_get::<Json<Vec<WorkStyle>>, _>("work_styles")?.0,
        office_visits: r.try_get::<Code<_>, _>("office_visits")?.0,
        max_travel_minutes: r.try_get("max_travel_minutes")?,
        moved_away_on: r.try_get::<Option<Day>, _>("moved_away_on")?.map(|d| d.0),
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        updated_at: r.try_get::<Millis, _>("updated_at")?.0,
    })
}

fn values(i: &ResidentInput, now: Millis) -> Values {
    Values::new(RESIDENTS)
        .set("region_id", i.region_id)
        .set("name", i.name.as_str())
        .set("name_kana", i.name_kana.as_str())
        .set("email", i.email.as_str())
        .set("phone", i.phone.as_str())
        .set("childcare", Flag(i.circumstances.childcare))
        .set("care", Flag(i.circumstances.care))
        .set("treatment", Flag(i.circumstances.treatment))
        .set("circumstances_note", i.circumstances.note.as_str())
        .set("spare_hours_per_week", i.spare_hours_per_week)
        .set("time_windows", Json(&i.time_windows))
        .set("work_styles", Json(&i.work_styles))
        .set("office_visits", Code(i.office_visits))
        .set("max_travel_minutes", i.max_travel_minutes)
        .set("moved_away_on", i.moved_away_on.map(Day))
        .set("updated_at", now)
}

/// The folded text a resident is found by: name and reading.
pub(crate) fn search_text(name: &str, kana: &str) -> String {
    fold_parts([name, kana])
}

/// The folded text a resident's skills are found by: one part per skill.
pub(crate) fn skills_text<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    fold_parts(names)
}

/// Residents are listed by reading: the reading is the sort key of both their entries.
async fn index(conn: &mut AnyConnection, id: ResidentId, i: &ResidentInput) -> Result<()> {
    let skills = skills_text(i.skills.iter().map(|s| s.name.as_str()));
    index_texts(conn, id.0, i.region_id, &i.name_kana, &i.name, &skills).await
}

async fn index_texts(
    conn: &mut AnyConnection,
    id: i64,
    region: RegionId,
    kana: &str,
    name: &str,
    skills: &str,
) -> Result<()> {
    let text = search_text(name, kana);
    let doc = |kind, text| Doc {
        kind,
        entity_id: id,
        region,
        sort_key: kana,
        text,
    };
    search::index(conn, doc(SearchKind::Resident, &text)).await?;
    search::index(conn, doc(SearchKind::ResidentSkills, skills)).await
}

/// Inserts a resident with their skills.
pub async fn insert(
    conn: &mut AnyConnection,
    i: &ResidentInput,
    user: Option<UserId>,
) -> Result<ResidentId> {
    let now = Millis::now();
    let id = values(i, now)
        .set("user_id", user.map(|u| u.0))
        .set("created_at", now)
        .insert_returning_id(&mut *conn)
        .await?;
    let id = ResidentId(id);
    replace_skills(conn, id, i.region_id, &i.skills).await?;
    index(conn, id, i).await?;
    crate::growth::register(conn, id, i.region_id, &keys_of(i)).await?;
    Ok(id)
}

/// Replaces a resident's profile and skills; false when the resident does not exist.
pub async fn update(conn: &mut AnyConnection, id: ResidentId, i: &ResidentInput) -> Result<bool> {
    if !values(i, Millis::now()).update_by_id(conn, id.0).await? {
        return Ok(false);
    }
    replace_skills(conn, id, i.region_id, &i.skills).await?;
    index(conn, id, i).await?;
    crate::growth::set_match_keys(conn, id, i.region_id, &keys_of(i)).await?;
    crate::growth::moved(conn, id, i.region_id).await?;
    Ok(true)
}

/// The keys that recognise this resident when they sign up again.
fn keys_of(i: &ResidentInput) -> Vec<String> {
    jimoto_domain::growth::match_keys(&i.name_kana, &i.phone, &i.email)
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
        Values::new(RESIDENT_SKILLS)
            .set("region_id", region)
            .set("resident_id", id.0)
            .set("position", i64::try_from(pos).unwrap_or(i64::MAX))
            .set("name", s.name.as_str())
            .set("level", s.level)
            .insert(&mut *conn)
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
    let row = sqlx::query(&format!(
        "SELECT {} FROM residents WHERE id = $1",
        RESIDENTS.select_list()
    ))
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

/// Residents are found by their name and reading, and by their skills.
fn target(kind: SearchKind) -> Target {
    Target {
        table: "residents",
        id: "id",
        region: "region_id",
        sort: "name_kana",
        kind,
    }
}

/// A page of residents of `regions` (None = every region), by reading. Every filter is served
/// by an index or by the page's own bounded read: name and skill text through the search index,
/// the region through `residents_region_kana_id`; the total stops counting at 1,000.
pub async fn list(
    conn: &mut AnyConnection,
    regions: Option<&[RegionId]>,
    f: &ResidentFilter,
    page: &PageRequest,
) -> Result<Page<Resident>> {
    let mut w = Sql::new(" WHERE 1 = 1");
    // The narrowest region scope: the caller's, or the one region asked for within it.
    let one;
    let scope = match f.region {
        Some(r) => {
            one = [r];
            Some(&one[..])
        }
        None => regions,
    };
    let mut plans = Vec::new();
    if let Some(q) = &f.q {
        plans.extend(search::plan(conn, target(SearchKind::Resident), scope, q).await?);
    }
    if let Some(s) = &f.skill {
        plans.extend(search::plan(conn, target(SearchKind::ResidentSkills), scope, s).await?);
    }
    let source = search::combine(&mut w, &plans, scope);
    if source.needs_scope() {
        w.and_in_regions("residents.region_id", regions);
        if let Some(r) = f.region {
            w.push(" AND residents.region_id = ").bind(r);
        }
    }
    let drive = source.drive();
    if let Some(s) = f.work_style {
        w.push(" AND residents.work_styles LIKE ")
            .bind(contains_pattern(&format!("\"{}\"", s.as_str())))
            .push(" ESCAPE '\\'");
    }
    let mut page = fetch_page(conn, &RESIDENTS, w, drive, ORDER, page, from_row).await?;
    load_skills(conn, &mut page.items).await?;
    Ok(page)
}

/// Residents registered in a region, counted up to the bound.
pub async fn count_in(conn: &mut AnyConnection, region: RegionId) -> Result<Total> {
    let mut w = Sql::new(" WHERE region_id = ");
    w.bind(region);
    bounded_count(conn, "residents", &w).await
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

/// Indexes every resident and their skills (the search backfill).
pub(crate) async fn reindex_all(conn: &mut AnyConnection) -> Result<()> {
    let rows: Vec<(i64, i64, String, String)> =
        sqlx::query_as("SELECT id, region_id, name, name_kana FROM residents")
            .fetch_all(&mut *conn)
            .await?;
    for (id, region, name, kana) in rows {
        let skills: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM resident_skills WHERE resident_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let skills = skills_text(skills.iter().map(|(s,)| s.as_str()));
        index_texts(conn, id, RegionId(region), &kana, &name, &skills).await?;
    }
    Ok(())
}

/// The distinct skill names the residents of a region typed (matching folds them to find the
/// ones a posting asks for, however they were typed).
pub async fn skill_names_in(conn: &mut AnyConnection, region: RegionId) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT name FROM resident_skills WHERE region_id = $1")
            .bind(region.0)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// Every resident of a region with their skills, by id (what matching reads); with `names`,
/// only those with one of these skills (index `resident_skills_region_name`).
pub async fn all_in(
    conn: &mut AnyConnection,
    region: RegionId,
    names: Option<&[String]>,
) -> Result<Vec<Resident>> {
    let mut q = Sql::new(&format!(
        "SELECT {} FROM residents WHERE region_id = ",
        RESIDENTS.select_list()
    ));
    q.bind(region.0);
    if let Some(names) = names {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        q.push(" AND id IN (SELECT resident_id FROM resident_skills WHERE region_id = ")
            .bind(region.0)
            .push(" AND name IN (");
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(n.as_str());
        }
        q.push("))");
    }
    q.push(" ORDER BY id");
    let rows = sqlx::query_with(&q.text, q.args())
        .fetch_all(&mut *conn)
        .await?;
    let mut out = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    let at: std::collections::HashMap<i64, usize> =
        out.iter().enumerate().map(|(i, r)| (r.id.0, i)).collect();
    let skills = sqlx::query(
        "SELECT s.resident_id, s.name, s.level FROM resident_skills s \
         WHERE s.region_id = $1 ORDER BY s.resident_id, s.position",
    )
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    for row in skills {
        if let Some(&i) = at.get(&row.try_get::<i64, _>("resident_id")?) {
            out[i].skills.push(Skill {
                name: row.try_get("name")?,
                level: row.try_get("level")?,
            });
        }
    }
    Ok(out)
}
