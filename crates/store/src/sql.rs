//! Small helpers for portable SQL: numbered placeholders, timestamps, pagination, list columns.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{AnyConnection, Arguments};

use crate::Result;

/// Milliseconds since the epoch, the stored form of every timestamp.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Reads a stored timestamp.
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A value bound to a dynamic statement.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
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
            // Encoding an i64 or a String into AnyArguments cannot fail.
            let _ = match v {
                Arg::Int(i) => args.add(*i),
                Arg::Text(t) => args.add(t.clone()),
            };
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
}

/// A `LIKE` pattern that matches `q` anywhere, with `%`, `_` and `\` taken literally.
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

/// Which page of a list to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: i64,
    /// Rows per page (1–200).
    pub per_page: i64,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: 50,
        }
    }
}

impl PageRequest {
    /// Clamps user-supplied values to sane bounds.
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page: per_page.unwrap_or(50).clamp(1, 200),
        }
    }

    pub(crate) fn offset(self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

/// One page of a list, with the total for page navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows matching the filter, on all pages.
    pub total: i64,
    /// This page's number.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }

    /// Maps the rows, keeping the paging.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Stores a set of enum values as `a,b,c`.
pub(crate) fn join_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(",")
}

/// Reads a `a,b,c` list back, refusing unknown values.
pub(crate) fn split_list<T>(
    s: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> crate::Result<Vec<T>> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| parse(p).ok_or_else(|| crate::StoreError::Corrupt(format!("{what}: {p}"))))
        .collect()
}

/// Runs `SELECT count(*)` and one page of `SELECT columns` with the same filter.
pub(crate) async fn fetch_page<T>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &str,
    mut filter: Sql,
    order: &str,
    page: PageRequest,
    map: fn(&AnyRow) -> Result<T>,
) -> Result<Page<T>> {
    let count_sql = format!("SELECT COUNT(*) FROM {table}{}", filter.text);
    let total: i64 = sqlx::query_scalar_with(&count_sql, filter.args())
        .fetch_one(&mut *conn)
        .await?;
    filter
        .push(&format!(" ORDER BY {order} LIMIT "))
        .bind(page.per_page)
        .push(" OFFSET ")
        .bind(page.offset());
    let sql = format!("SELECT {columns} FROM {table}{}", filter.text);
    let rows = sqlx::query_with(&sql, filter.args())
        .fetch_all(conn)
        .await?;
    let items = rows.iter().map(map).collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
