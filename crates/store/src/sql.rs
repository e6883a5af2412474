//! Portable SQL helpers: statements with numbered placeholders built alongside their arguments,
//! inserts and updates built from a table's columns, and keyset pages with bounded counts.

use jimoto_domain::page::{COUNT_BOUND, KeyValue};
use jimoto_domain::{Cursor, Page, PageRequest, RegionId, Total};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{AnyConnection, Arguments, Row};

use crate::codec::{Code, Day, Flag, Json, Millis, TextCode};
use crate::schema::Table;
use crate::search::Drive;
use crate::{Result, StoreError};

/// A value bound to a statement, owned so that a statement can be run more than once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(Some(v.clone()))
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}
impl From<Millis> for Arg {
    fn from(v: Millis) -> Self {
        Self::Int(Some(v.ms()))
    }
}
impl From<Option<Millis>> for Arg {
    fn from(v: Option<Millis>) -> Self {
        Self::Int(v.map(Millis::ms))
    }
}
impl From<Flag> for Arg {
    fn from(v: Flag) -> Self {
        Self::Int(Some(i64::from(v.0)))
    }
}
impl<T: TextCode> From<Code<T>> for Arg {
    fn from(v: Code<T>) -> Self {
        Self::Text(Some(v.0.code().to_owned()))
    }
}
impl<T: serde::Serialize> From<Json<T>> for Arg {
    fn from(v: Json<T>) -> Self {
        // Plain data (lists of codes or strings, JSON values) always serialises.
        Self::Text(Some(
            serde_json::to_string(&v.0).expect("plain data serialises to JSON"),
        ))
    }
}
impl From<Day> for Arg {
    fn from(v: Day) -> Self {
        Self::Text(Some(v.text()))
    }
}
impl From<Option<Day>> for Arg {
    fn from(v: Option<Day>) -> Self {
        Self::Text(v.map(Day::text))
    }
}
impl From<RegionId> for Arg {
    fn from(v: RegionId) -> Self {
        Self::Int(Some(v.0))
    }
}

fn add(args: &mut AnyArguments<'static>, v: &Arg) {
    // Encoding an i64, a String or a typed NULL into AnyArguments cannot fail.
    let _ = match v {
        Arg::Int(i) => args.add(*i),
        Arg::Text(t) => args.add(t.clone()),
    };
}

/// Builds a statement with numbered placeholders and its arguments side by side, so dynamic
/// filters stay parameterised on both engines.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub text: String,
    values: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    /// A statement around `inner` (a subquery), keeping its arguments: `before inner after`.
    pub fn around(before: &str, inner: &Sql, after: &str) -> Self {
        Self {
            text: format!("{before}{}{after}", inner.text),
            values: inner.values.clone(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.values.push(value.into());
        self.text.push_str(&format!("${}", self.values.len()));
        self
    }

    /// The bound values, ready for `query_with`.
    pub fn args(&self) -> AnyArguments<'static> {
        let mut args = AnyArguments::default();
        for v in &self.values {
            add(&mut args, v);
        }
        args
    }

    /// Appends `column IN ($a, $b, …)`; an empty list becomes a condition that is false.
    pub fn bind_in(&mut self, column: &str, ids: &[i64]) -> &mut Self {
        if ids.is_empty() {
            self.text.push_str("1 = 0");
            return self;
        }
        self.text.push_str(column);
        self.text.push_str(" IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(*id);
        }
        self.text.push(')');
        self
    }

    /// Appends ` AND column IN (…)` for a region scope; nothing for every region (None).
    pub fn and_in_regions(&mut self, column: &str, regions: Option<&[RegionId]>) -> &mut Self {
        if let Some(r) = regions {
            self.push(" AND ");
            self.bind_in(column, &r.iter().map(|r| r.0).collect::<Vec<_>>());
        }
        self
    }
}

/// A `LIKE` pattern that matches `q` anywhere, with `%`, `_` and `\` taken literally (use with
/// `ESCAPE '\'`).
pub(crate) fn contains_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The values of one row to insert or update, by column. Columns must belong to the table.
#[derive(Debug)]
pub(crate) struct Values {
    table: Table,
    columns: Vec<&'static str>,
    args: Vec<Arg>,
}

impl Values {
    pub fn new(table: Table) -> Self {
        Self {
            table,
            columns: Vec::new(),
            args: Vec::new(),
        }
    }

    pub fn set(mut self, column: &'static str, value: impl Into<Arg>) -> Self {
        debug_assert!(
            self.table.has(column),
            "{} has no column {column}",
            self.table.name
        );
        self.columns.push(column);
        self.args.push(value.into());
        self
    }

    fn insert_sql(&self) -> Sql {
        let mut sql = Sql::new(&format!(
            "INSERT INTO {} ({}) VALUES (",
            self.table.name,
            self.columns.join(", ")
        ));
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(a.clone());
        }
        sql.push(")");
        sql
    }

    /// Inserts the row and returns its generated id.
    pub async fn insert_returning_id(self, conn: &mut AnyConnection) -> Result<i64> {
        let mut sql = self.insert_sql();
        sql.push(" RETURNING id");
        Ok(sqlx::query_scalar_with(&sql.text, sql.args())
            .fetch_one(conn)
            .await?)
    }

    /// Inserts the row.
    pub async fn insert(self, conn: &mut AnyConnection) -> Result<()> {
        let sql = self.insert_sql();
        sqlx::query_with(&sql.text, sql.args())
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Updates the row with this id; false when there is none.
    pub async fn update_by_id(self, conn: &mut AnyConnection, id: i64) -> Result<bool> {
        let mut sql = Sql::new(&format!("UPDATE {} SET ", self.table.name));
        for (i, (c, a)) in self.columns.iter().zip(&self.args).enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(c).push(" = ").bind(a.clone());
        }
        sql.push(" WHERE id = ").bind(id);
        let done = sqlx::query_with(&sql.text, sql.args())
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// The kind of a sort-key column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Int,
    Text,
}

/// A list's order: its key columns (the last one unique, usually `id`) and direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Order {
    pub keys: &'static [(&'static str, KeyKind)],
    pub descending: bool,
}

impl Order {
    fn cursor_of(&self, row: &AnyRow) -> Result<Cursor> {
        self.keys
            .iter()
            .map(|(name, kind)| {
                Ok(match kind {
                    KeyKind::Int => KeyValue::Int(row.try_get(*name)?),
                    KeyKind::Text => KeyValue::Text(row.try_get(*name)?),
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Cursor)
    }

    fn check(&self, c: &Cursor) -> Result<()> {
        let fits = c.0.len() == self.keys.len()
            && c.0.iter().zip(self.keys).all(|(v, (_, k))| {
                matches!(
                    (v, k),
                    (KeyValue::Int(_), KeyKind::Int) | (KeyValue::Text(_), KeyKind::Text)
                )
            });
        if fits {
            Ok(())
        } else {
            Err(StoreError::BadCursor)
        }
    }
}

/// Counts rows matching `filter`, stopping after [`COUNT_BOUND`] + 1.
pub(crate) async fn bounded_count(
    conn: &mut AnyConnection,
    from: &str,
    filter: &Sql,
) -> Result<Total> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {from}{} LIMIT {}) AS bounded",
        filter.text,
        COUNT_BOUND + 1
    );
    let n: i64 = sqlx::query_scalar_with(&sql, filter.args())
        .fetch_one(conn)
        .await?;
    Ok(Total::bounded(n))
}

/// One page of `table` rows matching `filter` (which starts with ` WHERE`), from the position
/// the request names, in `order`; with the bounded total and the positions of the neighbouring
/// pages. Reads at most `limit + 1` matching rows past the position, whatever the table's size.
/// With `drive`, the rows come from a common word's postings, which are kept in the list's order
/// (its sort key, then the id): the list reads them instead of scanning its table.
pub(crate) async fn fetch_page<T>(
    conn: &mut AnyConnection,
    table: &Table,
    filter: Sql,
    drive: Option<Drive>,
    order: Order,
    req: &PageRequest,
    map: fn(&AnyRow) -> Result<T>,
) -> Result<Page<T>> {
    let mut w = filter;
    let (from, exprs) = match &drive {
        Some(d) => {
            debug_assert_eq!(order.keys.len(), 2, "driven lists sort by a key and the id");
            (
                d.join(&mut w),
                vec!["p.sort_key".to_owned(), "p.entity_id".to_owned()],
            )
        }
        None => (
            table.name.to_owned(),
            order
                .keys
                .iter()
                .map(|(k, _)| format!("{}.{k}", table.name))
                .collect(),
        ),
    };
    let total = bounded_count(conn, &from, &w).await?;
    let backward = req.after.is_none() && req.before.is_some();
    if let Some(c) = &req.after {
        order.check(c)?;
        push_seek(&mut w, &exprs, c, !order.descending);
    } else if let Some(c) = &req.before {
        order.check(c)?;
        push_seek(&mut w, &exprs, c, order.descending);
    }
    let reverse = backward != order.descending;
    let dir = if reverse { " DESC" } else { "" };
    let order_by = exprs
        .iter()
        .map(|e| format!("{e}{dir}"))
        .collect::<Vec<_>>()
        .join(", ");
    w.push(&format!(" ORDER BY {order_by} LIMIT "))
        .bind(req.limit + 1);
    let sql = format!("SELECT {} FROM {from}{}", table.qualified_list(), w.text);
    let mut rows = sqlx::query_with(&sql, w.args()).fetch_all(conn).await?;
    let more = rows.len() as i64 > req.limit;
    rows.truncate(usize::try_from(req.limit).unwrap_or(usize::MAX));
    if backward {
        rows.reverse();
    }
    let first = rows.first().map(|r| order.cursor_of(r)).transpose()?;
    let last = rows.last().map(|r| order.cursor_of(r)).transpose()?;
    let (next, prev) = if backward {
        (last, first.filter(|_| more))
    } else {
        (last.filter(|_| more), first.filter(|_| req.after.is_some()))
    };
    let items = rows.iter().map(map).collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        total,
        next,
        prev,
    })
}

/// ` AND (a, b) > ($1, $2)` (or `<`).
fn push_seek(w: &mut Sql, exprs: &[String], c: &Cursor, greater: bool) {
    w.push(&format!(
        " AND ({}) {} (",
        exprs.join(", "),
        if greater { ">" } else { "<" }
    ));
    for (i, v) in c.0.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        match v {
            KeyValue::Int(n) => w.bind(*n),
            KeyValue::Text(t) => w.bind(t.clone()),
        };
    }
    w.push(")");
}
