//! Regions. Their name, reading and prefecture come from the national list entry of their code.

use jimoto_domain::municipality::Municipality;
use jimoto_domain::region::{Region, RegionFilter, RegionInput, RegionRef};
use jimoto_domain::text::fold_parts;
use jimoto_domain::{Page, PageRequest, RegionId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Json, Millis};
use crate::schema::REGIONS;
use crate::search::{self, Doc, SearchKind, Target};
use crate::sql::{KeyKind, Order, Sql, Values, fetch_page};

const ORDER: Order = Order {
    keys: &[("lg_code", KeyKind::Text), ("id", KeyKind::Int)],
    descending: false,
};

fn from_row(r: &AnyRow) -> Result<Region> {
    Ok(Region {
        id: RegionId(r.try_get("id")?),
        lg_code: r.try_get("lg_code")?,
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        prefecture: r.try_get("prefecture")?,
        policy_issues: r.try_get::<Json<Vec<String>>, _>("policy_issues")?.0,
        vision: r.try_get("vision")?,
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        updated_at: r.try_get::<Millis, _>("updated_at")?.0,
    })
}

fn values(m: &Municipality, input: &RegionInput, now: Millis) -> Values {
    Values::new(REGIONS)
        .set("lg_code", m.code.as_str())
        .set("name", m.name.as_str())
        .set("name_kana", m.name_kana.as_str())
        .set("prefecture", m.prefecture_code.as_str())
        .set("policy_issues", Json(&input.policy_issues))
        .set("vision", input.vision.as_str())
        .set("updated_at", now)
}

/// The folded text a region is found by: name, reading and code.
pub(crate) fn search_text(name: &str, kana: &str, code: &str) -> String {
    fold_parts([name, kana, code])
}

/// Regions are listed by code: the code is their sort key in the index.
async fn index(conn: &mut AnyConnection, id: RegionId, m: &Municipality) -> Result<()> {
    let text = search_text(&m.name, &m.name_kana, &m.code);
    search::index(
        conn,
        Doc {
            kind: SearchKind::Region,
            entity_id: id.0,
            region: id,
            sort_key: &m.code,
            text: &text,
        },
    )
    .await
}

/// Inserts a region for a municipality of the national list.
pub async fn insert(
    conn: &mut AnyConnection,
    m: &Municipality,
    input: &RegionInput,
) -> Result<RegionId> {
    let now = Millis::now();
    let id = values(m, input, now)
        .set("created_at", now)
        .insert_returning_id(conn)
        .await?;
    let id = RegionId(id);
    index(conn, id, m).await?;
    Ok(id)
}

/// Replaces a region's fields; false when it does not exist.
pub async fn update(
    conn: &mut AnyConnection,
    id: RegionId,
    m: &Municipality,
    input: &RegionInput,
) -> Result<bool> {
    if !values(m, input, Millis::now())
        .update_by_id(conn, id.0)
        .await?
    {
        return Ok(false);
    }
    index(conn, id, m).await?;
    Ok(true)
}

/// One region.
pub async fn get(conn: &mut AnyConnection, id: RegionId) -> Result<Option<Region>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM regions WHERE id = $1",
        REGIONS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// One region by local government code.
pub async fn find_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Region>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM regions WHERE lg_code = $1",
        REGIONS.select_list()
    ))
    .bind(code.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A page of regions, by local government code.
pub async fn list(
    conn: &mut AnyConnection,
    f: &RegionFilter,
    page: &PageRequest,
) -> Result<Page<Region>> {
    let mut w = Sql::new(" WHERE 1 = 1");
    let mut plans = Vec::new();
    if let Some(q) = &f.q {
        let target = Target {
            table: "regions",
            id: "id",
            region: "id",
            sort: "lg_code",
            kind: SearchKind::Region,
        };
        plans.extend(search::plan(conn, target, None, q).await?);
    }
    let drive = search::combine(&mut w, &plans, None).drive();
    if let Some(pref) = f.prefecture.as_deref().filter(|p| !p.is_empty()) {
        w.push(" AND regions.prefecture = ").bind(pref);
    }
    fetch_page(conn, &REGIONS, w, drive, ORDER, page, from_row).await
}

/// Every region's name, by code. One row per region ever registered (at most one per local
/// government: 1,788), so pickers can offer them all.
pub async fn all_names(conn: &mut AnyConnection) -> Result<Vec<RegionRef>> {
    let rows = sqlx::query("SELECT id, name, prefecture FROM regions ORDER BY lg_code")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(RegionRef {
                id: RegionId(r.try_get("id")?),
                name: r.try_get("name")?,
                prefecture: r.try_get("prefecture")?,
            })
        })
        .collect()
}

/// The names of these regions (those that exist), for labelling a page of records.
pub async fn names_of(conn: &mut AnyConnection, ids: &[RegionId]) -> Result<Vec<RegionRef>> {
    let mut ids: Vec<i64> = ids.iter().map(|r| r.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT id, name, prefecture FROM regions WHERE ");
    q.bind_in("id", &ids).push(" ORDER BY lg_code");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(RegionRef {
                id: RegionId(r.try_get("id")?),
                name: r.try_get("name")?,
                prefecture: r.try_get("prefecture")?,
            })
        })
        .collect()
}

/// How many regions are registered (at most one per local government, so counting is cheap).
pub async fn count(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM regions")
        .fetch_one(conn)
        .await?)
}

/// Indexes every region (the search backfill).
pub(crate) async fn reindex_all(conn: &mut AnyConnection) -> Result<()> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, name, name_kana, lg_code FROM regions")
            .fetch_all(&mut *conn)
            .await?;
    for (id, name, kana, code) in rows {
        let text = search_text(&name, &kana, &code);
        let doc = Doc {
            kind: SearchKind::Region,
            entity_id: id,
            region: RegionId(id),
            sort_key: &code,
            text: &text,
        };
        search::index(conn, doc).await?;
    }
    Ok(())
}

/// The codes of every registered region, with their ids (at most one per local government).
pub async fn registered_codes(conn: &mut AnyConnection) -> Result<Vec<(String, RegionId)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT lg_code, id FROM regions ORDER BY lg_code")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(c, id)| (c, RegionId(id))).collect())
}
