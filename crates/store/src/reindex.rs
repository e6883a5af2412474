//! Rebuilds the search index from the records (the backfill migration; records written later are
//! indexed as they are written).

use sqlx::AnyConnection;

use crate::Result;

/// Indexes every region, organisation and resident.
pub(crate) async fn all(conn: &mut AnyConnection) -> Result<()> {
    crate::regions::reindex_all(conn).await?;
    crate::organisations::reindex_all(conn).await?;
    crate::residents::reindex_all(conn).await
}
