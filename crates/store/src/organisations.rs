//! Organisations, registered under a region.

use jimoto_domain::organisation::{OrgFilter, Organisation, OrganisationInput, OrganisationRef};
use jimoto_domain::policy::OrgScope;
use jimoto_domain::text::fold_parts;
use jimoto_domain::{OrganisationId, Page, PageRequest, RegionId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Millis};
use crate::schema::ORGANISATIONS;
use crate::search::{self, Doc, SearchKind, Target};
use crate::sql::{KeyKind, Order, Sql, Values, fetch_page};

const ORDER: Order = Order {
    keys: &[("name", KeyKind::Text), ("id", KeyKind::Int)],
    descending: false,
};

fn from_row(r: &AnyRow) -> Result<Organisation> {
    Ok(Organisation {
        id: OrganisationId(r.try_get("id")?),
        region_id: RegionId(r.try_get("region_id")?),
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        kind: r.try_get::<Code<_>, _>("kind")?.0,
        industry: r.try_get("industry")?,
        hq_prefecture: r.try_get("hq_prefecture")?,
        telework_share_percent: r.try_get("telework_share_percent")?,
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        updated_at: r.try_get::<Millis, _>("updated_at")?.0,
    })
}

fn values(i: &OrganisationInput, now: Millis) -> Values {
    Values::new(ORGANISATIONS)
        .set("region_id", i.region_id)
        .set("name", i.name.as_str())
        .set("name_kana", i.name_kana.as_str())
        .set("kind", Code(i.kind))
        .set("industry", i.industry.as_str())
        .set("hq_prefecture", i.hq_prefecture.as_str())
        .set("telework_share_percent", i.telework_share_percent)
        .set("updated_at", now)
}

/// The folded text an organisation is found by: name, reading, industry.
pub(crate) fn search_text(name: &str, kana: &str, industry: &str) -> String {
    fold_parts([name, kana, industry])
}

/// Organisations are listed by name: the name is their sort key in the index.
async fn index(conn: &mut AnyConnection, id: OrganisationId, i: &OrganisationInput) -> Result<()> {
    let text = search_text(&i.name, &i.name_kana, &i.industry);
    let doc = Doc {
        kind: SearchKind::Organisation,
        entity_id: id.0,
        region: i.region_id,
        sort_key: &i.name,
        text: &text,
    };
    search::index(conn, doc).await
}

/// Inserts an organisation.
pub async fn insert(conn: &mut AnyConnection, i: &OrganisationInput) -> Result<OrganisationId> {
    let now = Millis::now();
    let id = OrganisationId(
        values(i, now)
            .set("created_at", now)
            .insert_returning_id(conn)
            .await?,
    );
    index(conn, id, i).await?;
    crate::work::add_region(conn, id, i.region_id).await?;
    Ok(id)
}

/// Replaces an organisation's fields; false when it does not exist.
pub async fn update(
    conn: &mut AnyConnection,
    id: OrganisationId,
    i: &OrganisationInput,
) -> Result<bool> {
    if !values(i, Millis::now()).update_by_id(conn, id.0).await? {
        return Ok(false);
    }
    index(conn, id, i).await?;
    // It works with the region it is registered under (and still with those it worked with);
    // its postings are found by its name.
    crate::work::add_region(conn, id, i.region_id).await?;
    crate::work::reindex_postings_of(conn, id).await?;
    Ok(true)
}

/// One organisation.
pub async fn get(conn: &mut AnyConnection, id: OrganisationId) -> Result<Option<Organisation>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM organisations WHERE id = $1",
        ORGANISATIONS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A page of organisations within `scope`, by name.
pub async fn list(
    conn: &mut AnyConnection,
    scope: &OrgScope,
    f: &OrgFilter,
    page: &PageRequest,
) -> Result<Page<Organisation>> {
    let mut w = Sql::new(" WHERE ");
    // Region scopes are applied below (or by the search index); the others here.
    let regions: Option<Vec<RegionId>> = match scope {
        OrgScope::All => {
            w.push("1 = 1");
            None
        }
        OrgScope::Regions(r) => {
            w.push("1 = 1");
            Some(r.clone())
        }
        OrgScope::One(id) => {
            w.push("organisations.id = ").bind(id.0);
            // Its own region bounds the search index's postings.
            let region: Option<(i64,)> =
                sqlx::query_as("SELECT region_id FROM organisations WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut *conn)
                    .await?;
            Some(region.map(|(r,)| RegionId(r)).into_iter().collect())
        }
        OrgScope::Nothing => {
            w.push("1 = 0");
            Some(vec![])
        }
    };
    let mut plans = Vec::new();
    if let Some(q) = &f.q {
        let target = Target {
            table: "organisations",
            id: "id",
            region: "region_id",
            sort: "name",
            kind: SearchKind::Organisation,
        };
        plans.extend(search::plan(conn, target, regions.as_deref(), q).await?);
    }
    let source = search::combine(&mut w, &plans, regions.as_deref());
    if source.needs_scope() && matches!(scope, OrgScope::Regions(_)) {
        w.and_in_regions("organisations.region_id", regions.as_deref());
    }
    let drive = source.drive();
    if let Some(k) = f.kind {
        w.push(" AND organisations.kind = ").bind(Code(k));
    }
    if let Some(r) = f.region {
        w.push(" AND organisations.region_id = ").bind(r);
    }
    fetch_page(conn, &ORGANISATIONS, w, drive, ORDER, page, from_row).await
}

/// Every organisation within `scope`, by name: the whole list, for pickers.
pub async fn names(conn: &mut AnyConnection, scope: &OrgScope) -> Result<Vec<OrganisationRef>> {
    let mut w = Sql::new("SELECT id, name, region_id FROM organisations WHERE ");
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
    w.push(" ORDER BY name, id");
    let rows = sqlx::query_with(&w.text, w.args()).fetch_all(conn).await?;
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

/// Indexes every organisation (the search backfill).
pub(crate) async fn reindex_all(conn: &mut AnyConnection) -> Result<()> {
    let rows: Vec<(i64, i64, String, String, String)> =
        sqlx::query_as("SELECT id, region_id, name, name_kana, industry FROM organisations")
            .fetch_all(&mut *conn)
            .await?;
    for (id, region, name, kana, industry) in rows {
        let text = search_text(&name, &kana, &industry);
        let doc = Doc {
            kind: SearchKind::Organisation,
            entity_id: id,
            region: RegionId(region),
            sort_key: &name,
            text: &text,
        };
        search::index(conn, doc).await?;
    }
    Ok(())
}
