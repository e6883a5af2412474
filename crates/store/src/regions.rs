//! Regions.

use jimoto_domain::region::{Region, RegionInput};
use jimoto_domain::{LgCode, RegionId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::sql::{Sql, contains_pattern, fetch_page, from_ms, now_ms};
use crate::{Page, PageRequest, Result, StoreError};

const COLUMNS: &str =
    "id, lg_code, name, name_kana, prefecture, policy_issues, vision, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<Region> {
    let issues: String = r.try_get("policy_issues")?;
    Ok(Region {
        id: RegionId(r.try_get("id")?),
        lg_code: r.try_get("lg_code")?,
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        prefecture: r.try_get("prefecture")?,
        policy_issues: serde_json::from_str(&issues)
            .map_err(|_| StoreError::Corrupt("regions.policy_issues".into()))?,
        vision: r.try_get("vision")?,
        created_at: from_ms(r.try_get("created_at")?),
        updated_at: from_ms(r.try_get("updated_at")?),
    })
}

fn issues_json(input: &RegionInput) -> String {
    serde_json::to_string(&input.policy_issues).unwrap_or_else(|_| "[]".into())
}

/// Inserts a region whose code has been verified.
pub async fn insert(
    conn: &mut AnyConnection,
    code: &LgCode,
    input: &RegionInput,
) -> Result<RegionId> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO regions (lg_code, name, name_kana, prefecture, policy_issues, vision, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(code.as_str())
    .bind(&input.name)
    .bind(&input.name_kana)
    .bind(code.prefecture_code())
    .bind(issues_json(input))
    .bind(&input.vision)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(RegionId(id))
}

/// Replaces a region's fields; false when it does not exist.
pub async fn update(
    conn: &mut AnyConnection,
    id: RegionId,
    code: &LgCode,
    input: &RegionInput,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE regions SET lg_code = $1, name = $2, name_kana = $3, prefecture = $4, policy_issues = $5, \
         vision = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(code.as_str())
    .bind(&input.name)
    .bind(&input.name_kana)
    .bind(code.prefecture_code())
    .bind(issues_json(input))
    .bind(&input.vision)
    .bind(now_ms())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One region.
pub async fn get(conn: &mut AnyConnection, id: RegionId) -> Result<Option<Region>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM regions WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// One region by local government code.
pub async fn find_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Region>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM regions WHERE lg_code = $1"))
        .bind(code.to_owned())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Filters for the region list.
#[derive(Debug, Clone, Default)]
pub struct RegionFilter {
    /// Text in the name, reading or code.
    pub q: Option<String>,
    /// Prefecture code.
    pub prefecture: Option<String>,
}

/// A page of regions, by local government code.
pub async fn list(
    conn: &mut AnyConnection,
    f: &RegionFilter,
    page: PageRequest,
) -> Result<Page<Region>> {
    let mut w = Sql::new(" WHERE 1 = 1");
    if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
        let p = contains_pattern(q);
        w.push(" AND (name LIKE ")
            .bind(p.clone())
            .push(" ESCAPE '\\' OR name_kana LIKE ");
        w.bind(p.clone())
            .push(" ESCAPE '\\' OR lg_code LIKE ")
            .bind(p)
            .push(" ESCAPE '\\')");
    }
    if let Some(pref) = f.prefecture.as_deref().filter(|p| !p.is_empty()) {
        w.push(" AND prefecture = ").bind(pref.to_owned());
    }
    fetch_page(conn, "regions", COLUMNS, w, "lg_code", page, from_row).await
}
