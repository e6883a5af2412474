//! The schema: both engines migrate to the same tables, columns and indexes; the store's column
//! lists match them; each migration commits or fails on its own; migrations that must run
//! outside a transaction can.

use std::collections::BTreeSet;

use jimoto_store::schema::TABLES;
use jimoto_store::{Db, Engine, Migration, StoreError};
use jimoto_testkit::{TestDb, both_engines};
use sqlx::Row;

both_engines!(
    store_tables_match_the_migrated_schema,
    migrations_are_idempotent_and_checksummed,
    each_migration_commits_or_fails_on_its_own,
    migrations_can_run_outside_a_transaction,
);

/// A column as both engines can describe it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    table: String,
    position: i64,
    name: String,
    /// `bigint`, `text` or `bytes`.
    kind: String,
    not_null: bool,
    primary_key: bool,
}

/// An index: its table, columns and uniqueness (primary keys left out; their columns are
/// compared as columns).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    columns: String,
    unique: bool,
    /// The name, for indexes created by name (constraints are named differently by the engines).
    name: Option<String>,
}

fn kind(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "bigint".into(),
        "text" => "text".into(),
        "blob" | "bytea" => "bytes".into(),
        other => other.into(),
    }
}

async fn describe(db: &Db) -> (BTreeSet<Column>, BTreeSet<Index>) {
    let mut conn = db.conn().await.unwrap();
    let mut columns = BTreeSet::new();
    let mut indexes = BTreeSet::new();
    match db.engine() {
        Engine::Sqlite => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            for (t,) in tables {
                let cols = sqlx::query(&format!("PRAGMA table_info({t})"))
                    .fetch_all(&mut *conn)
                    .await
                    .unwrap();
                for c in cols {
                    let pk: i64 = c.try_get("pk").unwrap();
                    let not_null: i64 = c.try_get("notnull").unwrap();
                    columns.insert(Column {
                        table: t.clone(),
                        position: c.try_get::<i64, _>("cid").unwrap() + 1,
                        name: c.try_get("name").unwrap(),
                        kind: kind(&c.try_get::<String, _>("type").unwrap()),
                        // SQLite lets a primary-key column be NULL unless it says NOT NULL;
                        // both engines refuse NULL keys in practice (INTEGER PRIMARY KEY is the rowid).
                        not_null: not_null == 1 || pk > 0,
                        primary_key: pk > 0,
                    });
                }
                let list = sqlx::query(&format!("PRAGMA index_list({t})"))
                    .fetch_all(&mut *conn)
                    .await
                    .unwrap();
                for ix in list {
                    let origin: String = ix.try_get("origin").unwrap();
                    if origin == "pk" {
                        continue;
                    }
                    let name: String = ix.try_get("name").unwrap();
                    let info = sqlx::query(&format!("PRAGMA index_info({name})"))
                        .fetch_all(&mut *conn)
                        .await
                        .unwrap();
                    let cols: Vec<String> = info
                        .iter()
                        .map(|r| r.try_get::<String, _>("name").unwrap())
                        .collect();
                    indexes.insert(Index {
                        table: t.clone(),
                        columns: cols.join(","),
                        unique: ix.try_get::<i64, _>("unique").unwrap() == 1,
                        name: (origin == "c").then_some(name),
                    });
                }
            }
        }
        Engine::Postgres => {
            let cols = sqlx::query(
                "SELECT c.table_name::TEXT AS t, c.ordinal_position::BIGINT AS p, c.column_name::TEXT AS n, \
                 c.data_type::TEXT AS d, (c.is_nullable = 'NO') AS nn, \
                 EXISTS (SELECT 1 FROM information_schema.table_constraints tc \
                   JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name \
                   AND k.table_name = tc.table_name \
                   WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name = c.table_name \
                   AND k.column_name = c.column_name) AS pk \
                 FROM information_schema.columns c WHERE c.table_schema = 'public'",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            for c in cols {
                columns.insert(Column {
                    table: c.try_get("t").unwrap(),
                    position: c.try_get("p").unwrap(),
                    name: c.try_get("n").unwrap(),
                    kind: kind(&c.try_get::<String, _>("d").unwrap()),
                    not_null: c.try_get("nn").unwrap(),
                    primary_key: c.try_get("pk").unwrap(),
                });
            }
            let ixs = sqlx::query(
                "SELECT i.relname::TEXT AS name, t.relname::TEXT AS tbl, ix.indisunique AS u, \
                 ix.indisprimary AS p, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid) AS constraint_index, \
                 array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS cols \
                 FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace WHERE ns.nspname = 'public'",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            for ix in ixs {
                if ix.try_get::<bool, _>("p").unwrap() {
                    continue;
                }
                let by_constraint: bool = ix.try_get("constraint_index").unwrap();
                indexes.insert(Index {
                    table: ix.try_get("tbl").unwrap(),
                    columns: ix.try_get("cols").unwrap(),
                    unique: ix.try_get("u").unwrap(),
                    name: (!by_constraint).then(|| ix.try_get("name").unwrap()),
                });
            }
        }
    }
    (columns, indexes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_migrate_to_the_same_schema() {
    let sqlite = TestDb::new(Engine::Sqlite).await;
    let postgres = TestDb::new(Engine::Postgres).await;
    let (s_cols, s_ix) = describe(&sqlite.db).await;
    let (p_cols, p_ix) = describe(&postgres.db).await;
    assert!(s_cols.len() > 80, "{} columns read", s_cols.len());
    let only = |a: &BTreeSet<Column>, b: &BTreeSet<Column>| -> Vec<Column> {
        a.difference(b).cloned().collect()
    };
    assert!(
        s_cols == p_cols,
        "columns differ:\nonly SQLite: {:#?}\nonly PostgreSQL: {:#?}",
        only(&s_cols, &p_cols),
        only(&p_cols, &s_cols)
    );
    assert!(s_ix.len() >= 15, "{} indexes read", s_ix.len());
    assert!(
        s_ix == p_ix,
        "indexes differ:\nonly SQLite: {:#?}\nonly PostgreSQL: {:#?}",
        s_ix.difference(&p_ix).collect::<Vec<_>>(),
        p_ix.difference(&s_ix).collect::<Vec<_>>()
    );
}

async fn store_tables_match_the_migrated_schema(t: TestDb) {
    let (columns, _) = describe(&t.db).await;
    let tables: BTreeSet<&str> = columns.iter().map(|c| c.table.as_str()).collect();
    let declared: BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
    assert_eq!(
        tables, declared,
        "every table is declared in the store, and only those"
    );
    for table in TABLES {
        let mut in_db: Vec<&Column> = columns.iter().filter(|c| c.table == table.name).collect();
        in_db.sort_by_key(|c| c.position);
        let names: Vec<&str> = in_db.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, table.columns, "columns of {}", table.name);
    }
}

async fn migrations_are_idempotent_and_checksummed(t: TestDb) {
    let again = t.db.migrate().await.unwrap();
    assert!(
        again.applied.is_empty(),
        "second run applies nothing: {again:?}"
    );
    assert_eq!(again.current, 14);
    // Someone edits an applied migration: the runner refuses to go on.
    let mut conn = t.db.conn().await.unwrap();
    sqlx::query("UPDATE jimoto_migrations SET checksum = 'edited' WHERE version = 2")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert!(matches!(
        t.db.migrate().await,
        Err(StoreError::MigrationChanged(2))
    ));
}

async fn table_exists(db: &Db, name: &str) -> bool {
    let mut conn = db.conn().await.unwrap();
    let sql = match db.engine() {
        Engine::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
        Engine::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1"
        }
    };
    let n: i64 = sqlx::query_scalar(sql)
        .bind(name.to_owned())
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    n == 1
}

const TABLE_A: &str = "CREATE TABLE mig_a (x BIGINT NOT NULL)";
const TABLE_B_BROKEN: &str =
    "CREATE TABLE mig_b (y BIGINT NOT NULL); INSERT INTO no_such_table (z) VALUES (1)";
const TABLE_B: &str = "CREATE TABLE mig_b (y BIGINT NOT NULL)";

async fn versions(db: &Db) -> Vec<i64> {
    let mut conn = db.conn().await.unwrap();
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT version FROM jimoto_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    rows.into_iter().map(|(v,)| v).collect()
}

async fn each_migration_commits_or_fails_on_its_own(migrated: TestDb) {
    let t = TestDb::empty(migrated.engine()).await;
    let broken = [
        Migration::sql(1, "a", TABLE_A),
        Migration::sql(2, "b", TABLE_B_BROKEN),
    ];
    let e = t.db.migrate_with(&broken).await.unwrap_err();
    assert!(
        matches!(e, StoreError::MigrationFailed { version: 2, .. }),
        "{e}"
    );
    assert_eq!(
        versions(&t.db).await,
        vec![1],
        "the first one stays applied"
    );
    assert!(table_exists(&t.db, "mig_a").await);
    assert!(
        !table_exists(&t.db, "mig_b").await,
        "the failed one left nothing behind, not even its first statement"
    );
    // Mended, the rest applies.
    let mended = [
        Migration::sql(1, "a", TABLE_A),
        Migration::sql(2, "b", TABLE_B),
    ];
    let report = t.db.migrate_with(&mended).await.unwrap();
    assert_eq!(report.applied, vec![2]);
    assert!(table_exists(&t.db, "mig_b").await);
}

const OUTSIDE: &str = "-- jimoto: no-transaction
CREATE TABLE mig_c (x BIGINT NOT NULL);
CREATE INDEX mig_c_x ON mig_c (x)";

async fn migrations_can_run_outside_a_transaction(migrated: TestDb) {
    let t = TestDb::empty(migrated.engine()).await;
    let m = Migration::sql(1, "outside", OUTSIDE);
    assert!(!m.in_transaction());
    assert!(Migration::sql(2, "inside", TABLE_A).in_transaction());
    let report = t.db.migrate_with(&[m]).await.unwrap();
    assert_eq!(report.applied, vec![1]);
    assert!(table_exists(&t.db, "mig_c").await);
    assert_eq!(versions(&t.db).await, vec![1]);
}

/// The reason for migrations outside a transaction: SQLite rebuilds a table (to change a
/// column's definition) with foreign keys off, and the runner checks them before turning them
/// back on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_table_rebuilds_run_with_foreign_keys_off_and_checked() {
    let t = TestDb::empty(Engine::Sqlite).await;
    let setup = Migration::sql(
        1,
        "tables",
        "CREATE TABLE parent (id BIGINT PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
         CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES parent (id));
         INSERT INTO parent (id, name) VALUES (1, 'a');
         INSERT INTO child (id, parent_id) VALUES (10, 1);",
    );
    // Dropping a referenced table fails while foreign keys are on; the rebuild works outside.
    let rebuild = Migration::sql(
        2,
        "rebuild_parent",
        "-- jimoto: no-transaction
         BEGIN;
         CREATE TABLE parent_new (id BIGINT PRIMARY KEY, name TEXT NOT NULL DEFAULT 'unnamed');
         INSERT INTO parent_new (id, name) SELECT id, name FROM parent;
         DROP TABLE parent;
         ALTER TABLE parent_new RENAME TO parent;
         COMMIT;",
    );
    t.db.migrate_with(&[setup, rebuild]).await.unwrap();
    let mut conn = t.db.conn().await.unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(fk, 1, "foreign keys are on again");
    drop(conn);
    // A rebuild that loses a referenced row is caught by the check and not recorded.
    let lossy = Migration::sql(
        3,
        "lossy",
        "-- jimoto: no-transaction
         DELETE FROM parent WHERE id = 1;",
    );
    let e =
        t.db.migrate_with(&[setup, rebuild, lossy])
            .await
            .unwrap_err();
    assert!(
        matches!(e, StoreError::MigrationFailed { version: 3, .. }),
        "{e}"
    );
    assert_eq!(versions(&t.db).await, vec![1, 2]);
}
