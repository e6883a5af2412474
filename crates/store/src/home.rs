//! Figures and follow-up lists for the home pages: aggregates over a region's residents, read
//! through the region's indexes.

use chrono::NaiveDate;
use jimoto_domain::home::{FollowUp, FollowUpList, RegionFigures};
use jimoto_domain::resident::WorkStyle;
use jimoto_domain::{RegionId, ResidentId};
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::sql::{Sql, contains_pattern};

/// A region's residents in figures.
pub async fn region_figures(conn: &mut AnyConnection, region: RegionId) -> Result<RegionFigures> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, COUNT(user_id) AS with_login, \
         COALESCE(SUM(spare_hours_per_week), 0) AS hours FROM residents WHERE region_id = $1",
    )
    .bind(region.0)
    .fetch_one(&mut *conn)
    .await?;
    let mut figures = RegionFigures {
        residents: row.try_get("n")?,
        with_login: row.try_get("with_login")?,
        weekly_hours: row.try_get("hours")?,
        ..RegionFigures::default()
    };
    for style in WorkStyle::ALL {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM residents WHERE region_id = $1 AND work_styles LIKE $2 ESCAPE '\\'",
        )
        .bind(region.0)
        .bind(contains_pattern(&format!("\"{}\"", style.as_str())))
        .fetch_one(&mut *conn)
        .await?;
        figures.by_work_style.push((*style, n));
    }
    let rows = sqlx::query(
        "SELECT name, COUNT(*) AS n FROM resident_skills WHERE region_id = $1 \
         GROUP BY name ORDER BY n DESC, name LIMIT 5",
    )
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        figures
            .top_skills
            .push((r.try_get("name")?, r.try_get("n")?));
    }
    Ok(figures)
}

/// Residents of these regions needing one kind of follow-up: how many, and the first `limit`
/// by reading. `contacted_since`: residents without a contact on or after that day are due one.
pub async fn follow_up(
    conn: &mut AnyConnection,
    regions: &[RegionId],
    reason: FollowUp,
    contacted_since: NaiveDate,
    limit: i64,
) -> Result<FollowUpList> {
    let since = contacted_since.format("%Y-%m-%d").to_string();
    let ids: Vec<i64> = regions.iter().map(|r| r.0).collect();
    let condition = |q: &mut Sql| {
        q.push(" FROM residents WHERE ").bind_in("region_id", &ids);
        match reason {
            FollowUp::NoSkills => q.push(
                " AND NOT EXISTS (SELECT 1 FROM resident_skills s WHERE s.resident_id = residents.id)",
            ),
            FollowUp::NoLogin => q.push(" AND user_id IS NULL"),
            FollowUp::Unreachable => q.push(" AND email = '' AND phone = ''"),
            FollowUp::NotContacted => q
                .push(
                    " AND NOT EXISTS (SELECT 1 FROM resident_contacts c \
                     WHERE c.resident_id = residents.id AND c.contacted_on >= ",
                )
                .bind(since.as_str())
                .push(")"),
        };
    };
    let mut count = Sql::new("SELECT COUNT(*)");
    condition(&mut count);
    let n: i64 = sqlx::query_scalar_with(&count.text, count.args())
        .fetch_one(&mut *conn)
        .await?;
    let mut first = Sql::new("SELECT id, name");
    condition(&mut first);
    first.push(" ORDER BY name_kana, id LIMIT ").bind(limit);
    let rows = sqlx::query_with(&first.text, first.args())
        .fetch_all(&mut *conn)
        .await?;
    let first = rows
        .iter()
        .map(|r| Ok((ResidentId(r.try_get("id")?), r.try_get("name")?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(FollowUpList {
        reason,
        count: n,
        first,
    })
}

/// Display names of the coordinators of a region (to tell a company whom to ask).
pub async fn coordinators_of(conn: &mut AnyConnection, region: RegionId) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT u.display_name FROM users u JOIN user_regions ur ON ur.user_id = u.id \
         WHERE ur.region_id = $1 AND u.role = 'coordinator' AND u.disabled = 0 \
         ORDER BY u.display_name",
    )
    .bind(region.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}
