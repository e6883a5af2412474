//! Income thresholds (dated settings) and which of them matter to each resident.

use jimoto_domain::ResidentId;
use jimoto_domain::work::{Threshold, ThresholdKind};
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Millis};

/// Every threshold row, by kind and then the day it starts.
pub async fn thresholds(conn: &mut AnyConnection) -> Result<Vec<Threshold>> {
    let rows = sqlx::query(
        "SELECT id, kind, amount_yen, valid_from FROM income_thresholds ORDER BY kind, valid_from",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Threshold {
                id: r.try_get("id")?,
                kind: r.try_get::<Code<ThresholdKind>, _>("kind")?.0,
                amount_yen: r.try_get("amount_yen")?,
                valid_from: r.try_get::<Day, _>("valid_from")?.0,
            })
        })
        .collect()
}

/// Sets a threshold from a day on (replacing the amount of a row starting that same day).
pub async fn set_threshold(
    conn: &mut AnyConnection,
    kind: ThresholdKind,
    amount: i64,
    from: chrono::NaiveDate,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO income_thresholds (kind, amount_yen, valid_from, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (kind, valid_from) DO UPDATE SET \
         amount_yen = excluded.amount_yen, updated_at = excluded.updated_at",
    )
    .bind(kind.as_str())
    .bind(amount)
    .bind(Day(from).text())
    .bind(Millis::now().ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes one dated row; false if there was none.
pub async fn delete_threshold(conn: &mut AnyConnection, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM income_thresholds WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The thresholds a resident said matter to them.
pub async fn kinds_of(conn: &mut AnyConnection, r: ResidentId) -> Result<Vec<ThresholdKind>> {
    let rows: Vec<(Code<ThresholdKind>,)> =
        sqlx::query_as("SELECT kind FROM resident_thresholds WHERE resident_id = $1 ORDER BY kind")
            .bind(r.0)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(k,)| k.0).collect())
}

/// Replaces the thresholds that matter to a resident.
pub async fn set_kinds_of(
    conn: &mut AnyConnection,
    r: ResidentId,
    kinds: &[ThresholdKind],
) -> Result<()> {
    sqlx::query("DELETE FROM resident_thresholds WHERE resident_id = $1")
        .bind(r.0)
        .execute(&mut *conn)
        .await?;
    for k in kinds {
        sqlx::query("INSERT INTO resident_thresholds (resident_id, kind) VALUES ($1, $2)")
            .bind(r.0)
            .bind(k.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
