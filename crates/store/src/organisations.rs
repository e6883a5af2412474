//! Organisations.

use jimoto_domain::organisation::{OrgKind, Organisation, OrganisationInput};
use jimoto_domain::policy::OrgScope;
use jimoto_domain::{OrganisationId, RegionId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::sql::{Sql, contains_pattern, fetch_page, from_ms, now_ms};
use crate::{Page, PageRequest, Result, StoreError};

const COLUMNS: &str = "id, region_id, name, name_kana, kind, industry, hq_prefecture, \
                       telework_share_percent, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<Organisation> {
    let kind: String = r.try_get("kind")?;
    Ok(Organisation {
        id: OrganisationId(r.try_get("id")?),
        region_id: RegionId(r.try_get("region_id")?),
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        kind: OrgKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("organisations.kind: {kind}")))?,
        industry: r.try_get("industry")?,
        hq_prefecture: r.try_get("hq_prefecture")?,
        telework_share_percent: r.try_get("telework_share_percent")?,
        created_at: from_ms(r.try_get("created_at")?),
        updated_at: from_ms(r.try_get("updated_at")?),
    })
}

/// Inserts an organisation.
pub async fn insert(conn: &mut AnyConnection, i: &OrganisationInput) -> Result<OrganisationId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (region_id, name, name_kana, kind, industry, hq_prefecture, \
         telework_share_percent, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(i.region_id.0)
    .bind(&i.name)
    .bind(&i.name_kana)
    .bind(i.kind.as_str())
    .bind(&i.industry)
    .bind(&i.hq_prefecture)
    .bind(i.telework_share_percent)
    .bind(now_ms())
    .fetch_one(conn)
    .await?;
    Ok(OrganisationId(id))
}

/// Replaces an organisation's fields; false when it does not exist.
pub async fn update(
    conn: &mut AnyConnection,
    id: OrganisationId,
    i: &OrganisationInput,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE organisations SET region_id = $1, name = $2, name_kana = $3, kind = $4, industry = $5, \
         hq_prefecture = $6, telework_share_percent = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(i.region_id.0)
    .bind(&i.name)
    .bind(&i.name_kana)
    .bind(i.kind.as_str())
    .bind(&i.industry)
    .bind(&i.hq_prefecture)
    .bind(i.telework_share_percent)
    .bind(now_ms())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One organisation.
pub async fn get(conn: &mut AnyConnection, id: OrganisationId) -> Result<Option<Organisation>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Filters for the organisation list.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Text in the name, reading or industry.
    pub q: Option<String>,
    /// Kind.
    pub kind: Option<OrgKind>,
    /// Region.
    pub region: Option<RegionId>,
}

/// A page of organisations within `scope`, by name.
pub async fn list(
    conn: &mut AnyConnection,
    scope: &OrgScope,
    f: &OrgFilter,
    page: PageRequest,
) -> Result<Page<Organisation>> {
    let mut w = Sql::new(" WHERE ");
    match scope {
        OrgScope::All => {
            w.push("1 = 1");
        }
        OrgScope::Regions(r) => {
            w.bind_in("region_id", &r.iter().map(|r| r.0).collect::<Vec<_>>());
        }
        OrgScope::One(id) => {
            w.push("id = ").bind(id.0);
        }
        OrgScope::Nothing => {
            w.push("1 = 0");
        }
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
        let p = contains_pattern(q);
        w.push(" AND (name LIKE ")
            .bind(p.clone())
            .push(" ESCAPE '\\' OR name_kana LIKE ");
        w.bind(p.clone())
            .push(" ESCAPE '\\' OR industry LIKE ")
            .bind(p)
            .push(" ESCAPE '\\')");
    }
    if let Some(k) = f.kind {
        w.push(" AND kind = ").bind(k.as_str());
    }
    if let Some(r) = f.region {
        w.push(" AND region_id = ").bind(r.0);
    }
    fetch_page(
        conn,
        "organisations",
        COLUMNS,
        w,
        "name, id",
        page,
        from_row,
    )
    .await
}
