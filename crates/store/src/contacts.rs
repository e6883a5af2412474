//! Contacts with residents.

use chrono::NaiveDate;
use jimoto_domain::contact::{Contact, ContactInput};
use jimoto_domain::{RegionId, ResidentId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::codec::{Code, Millis};
use crate::schema::RESIDENT_CONTACTS;
use crate::sql::Values;
use crate::{Result, StoreError};

fn from_row(r: &AnyRow) -> Result<Contact> {
    let on: String = r.try_get("contacted_on")?;
    Ok(Contact {
        id: r.try_get("id")?,
        resident_id: ResidentId(r.try_get("resident_id")?),
        region_id: RegionId(r.try_get("region_id")?),
        contacted_on: NaiveDate::parse_from_str(&on, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("contacted_on: {on:?}: {e}")))?,
        kind: r.try_get::<Code<_>, _>("kind")?.0,
        note: r.try_get("note")?,
        by_user_id: r.try_get::<Option<i64>, _>("by_user_id")?.map(UserId),
        by_name: r.try_get("by_name")?,
        created_at: r.try_get::<Millis, _>("created_at")?.0,
    })
}

/// Records a contact.
pub async fn insert(
    conn: &mut AnyConnection,
    resident: ResidentId,
    region: RegionId,
    i: &ContactInput,
    by: (Option<UserId>, &str),
) -> Result<i64> {
    Values::new(RESIDENT_CONTACTS)
        .set("resident_id", resident.0)
        .set("region_id", region)
        .set(
            "contacted_on",
            i.contacted_on.format("%Y-%m-%d").to_string(),
        )
        .set("kind", Code(i.kind))
        .set("note", i.note.as_str())
        .set("by_user_id", by.0.map(|u| u.0))
        .set("by_name", by.1)
        .set("created_at", Millis::now())
        .insert_returning_id(conn)
        .await
}

/// A resident's contacts, newest first (at most `limit`).
pub async fn of_resident(
    conn: &mut AnyConnection,
    resident: ResidentId,
    limit: i64,
) -> Result<Vec<Contact>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM resident_contacts WHERE resident_id = $1 \
         ORDER BY contacted_on DESC, id DESC LIMIT $2",
        RESIDENT_CONTACTS.select_list()
    ))
    .bind(resident.0)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}
