//! Organisations' work: the regions they work with, their task inventories and their postings
//! (indexed for the job board's search in the same transaction as every change).

pub mod engagements;
pub mod evaluations;
pub mod pay;
mod postings;
pub mod selection;
mod tasks;
pub mod thresholds;

pub use postings::{
    board, insert_posting, open_in_region, posting, postings_of, reindex_postings_of,
    set_posting_status, update_posting,
};
pub use tasks::{delete_task, insert_task, set_task_posting, task, tasks_of, update_task};

use jimoto_domain::organisation::OrganisationRef;
use jimoto_domain::{OrganisationId, RegionId};
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::Millis;

/// The regions an organisation works with (its own first, then by id).
pub async fn regions_of(conn: &mut AnyConnection, org: OrganisationId) -> Result<Vec<RegionId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT r.region_id FROM organisation_regions r JOIN organisations o \
         ON o.id = r.organisation_id WHERE r.organisation_id = $1 \
         ORDER BY CASE WHEN r.region_id = o.region_id THEN 0 ELSE 1 END, r.region_id",
    )
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(r,)| RegionId(r)).collect())
}

/// Records that an organisation works with a region; false if it already did.
pub async fn add_region(
    conn: &mut AnyConnection,
    org: OrganisationId,
    region: RegionId,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO organisation_regions (organisation_id, region_id, since) VALUES ($1, $2, $3) \
         ON CONFLICT (organisation_id, region_id) DO NOTHING",
    )
    .bind(org.0)
    .bind(region.0)
    .bind(Millis::now().ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes a region out of an organisation's work; false if it was not in it.
pub async fn remove_region(
    conn: &mut AnyConnection,
    org: OrganisationId,
    region: RegionId,
) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM organisation_regions WHERE organisation_id = $1 AND region_id = $2",
    )
    .bind(org.0)
    .bind(region.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether an organisation has postings in a region (it cannot leave a region it recruits in).
pub async fn has_postings_in(
    conn: &mut AnyConnection,
    org: OrganisationId,
    region: RegionId,
) -> Result<bool> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM postings WHERE organisation_id = $1 AND region_id = $2 LIMIT 1",
    )
    .bind(org.0)
    .bind(region.0)
    .fetch_optional(conn)
    .await?;
    Ok(n.is_some())
}

/// The organisations working with any of these regions, by name (each once).
pub async fn working_with(
    conn: &mut AnyConnection,
    regions: &[RegionId],
) -> Result<Vec<OrganisationRef>> {
    if regions.is_empty() {
        return Ok(vec![]);
    }
    let mut q = crate::sql::Sql::new(
        "SELECT o.id, o.name, o.region_id FROM organisations o WHERE o.id IN \
         (SELECT organisation_id FROM organisation_regions WHERE ",
    );
    q.bind_in(
        "region_id",
        &regions.iter().map(|r| r.0).collect::<Vec<_>>(),
    );
    q.push(") ORDER BY o.name, o.id");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(OrganisationRef {
                id: OrganisationId(r.try_get("id")?),
                name: r.try_get("name")?,
                region_id: RegionId(r.try_get("region_id")?),
            })
        })
        .collect()
}

/// The regions with open postings, by code: the board's region filter.
pub async fn board_regions(conn: &mut AnyConnection) -> Result<Vec<(RegionId, String)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.id, r.name FROM regions r WHERE EXISTS \
         (SELECT 1 FROM postings p WHERE p.region_id = r.id AND p.status = 'open') \
         ORDER BY r.lg_code",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, n)| (RegionId(id), n)).collect())
}
