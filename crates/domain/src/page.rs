//! Keyset pagination: a list is read from a position (a cursor) onwards, never by skipping rows,
//! and its total is counted only up to a bound. So the cost of showing a page does not grow with
//! the size of a region or of the whole platform.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// Totals above this are shown as "1,000件以上": counting further would scan the table.
pub const COUNT_BOUND: i64 = 1000;

/// Most rows one page may hold.
pub const MAX_LIMIT: i64 = 200;

/// Rows per page when the caller does not say.
pub const DEFAULT_LIMIT: i64 = 50;

/// One value of a sort key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyValue {
    /// An integer column (ids, times).
    Int(i64),
    /// A text column (readings, codes, names).
    Text(String),
}

/// A position in a list: the sort key of a row. Opaque to clients (URL-safe text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub Vec<KeyValue>);

/// A cursor that cannot be read (edited by hand, or from another list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the list position cannot be read")]
pub struct BadCursor;

impl Cursor {
    /// URL-safe text: base64 of the JSON array of key values.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(&self.0).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads [`Cursor::encode`]'s text.
    pub fn decode(s: &str) -> Result<Self, BadCursor> {
        let bytes = URL_SAFE_NO_PAD.decode(s.trim()).map_err(|_| BadCursor)?;
        let values: Vec<KeyValue> = serde_json::from_slice(&bytes).map_err(|_| BadCursor)?;
        if values.is_empty() || values.len() > 4 {
            return Err(BadCursor);
        }
        Ok(Self(values))
    }
}

/// Which rows of a list to return: the first page, or the page after or before a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows after this position (next page).
    pub after: Option<Cursor>,
    /// Rows before this position (previous page); ignored when `after` is given.
    pub before: Option<Cursor>,
    /// Rows per page, 1–[`MAX_LIMIT`].
    pub limit: i64,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first(DEFAULT_LIMIT)
    }
}

impl PageRequest {
    /// The first page with `limit` rows (clamped to 1–[`MAX_LIMIT`]).
    pub fn first(limit: i64) -> Self {
        Self {
            after: None,
            before: None,
            limit: limit.clamp(1, MAX_LIMIT),
        }
    }

    /// From request parameters: cursors as sent by [`Page::next`]/[`Page::prev`].
    pub fn parse(
        after: Option<&str>,
        before: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Self, BadCursor> {
        let read = |s: Option<&str>| {
            s.filter(|s| !s.trim().is_empty())
                .map(Cursor::decode)
                .transpose()
        };
        Ok(Self {
            after: read(after)?,
            before: read(before)?,
            limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        })
    }

    /// Lenient form of [`PageRequest::parse`] for pages: an unreadable position shows the first page.
    pub fn parse_or_first(after: Option<&str>, before: Option<&str>, limit: Option<i64>) -> Self {
        Self::parse(after, before, limit)
            .unwrap_or_else(|_| Self::first(limit.unwrap_or(DEFAULT_LIMIT)))
    }
}

/// How many rows match a filter: exactly, or at least [`COUNT_BOUND`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Total {
    /// This many.
    Exact(i64),
    /// More than can be counted cheaply.
    AtLeast(i64),
}

impl Total {
    /// From a count that stopped at `COUNT_BOUND + 1`.
    pub fn bounded(n: i64) -> Self {
        if n > COUNT_BOUND {
            Self::AtLeast(COUNT_BOUND)
        } else {
            Self::Exact(n)
        }
    }

    /// The number shown.
    pub fn count(self) -> i64 {
        match self {
            Self::Exact(n) | Self::AtLeast(n) => n,
        }
    }

    /// Whether the number is exact.
    pub fn is_exact(self) -> bool {
        matches!(self, Self::Exact(_))
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows, in list order.
    pub items: Vec<T>,
    /// Rows matching the filter on all pages.
    pub total: Total,
    /// Position for the next page, if there is one.
    pub next: Option<Cursor>,
    /// Position for the previous page, if there is one.
    pub prev: Option<Cursor>,
}

impl<T> Page<T> {
    /// No rows (a list not read because its filter had problems).
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            total: Total::Exact(0),
            next: None,
            prev: None,
        }
    }

    /// Maps the rows, keeping the positions.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            next: self.next,
            prev: self.prev,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let c = Cursor(vec![
            KeyValue::Text("ヤマダ ハナコ".into()),
            KeyValue::Int(42),
        ]);
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
        assert_eq!(Cursor::decode("not base64!"), Err(BadCursor));
        assert_eq!(
            Cursor::decode(&URL_SAFE_NO_PAD.encode("{}")),
            Err(BadCursor)
        );
        assert_eq!(
            Cursor::decode(&URL_SAFE_NO_PAD.encode("[]")),
            Err(BadCursor)
        );
    }

    #[test]
    fn requests_clamp_and_parse() {
        assert_eq!(PageRequest::first(0).limit, 1);
        assert_eq!(PageRequest::first(10_000).limit, MAX_LIMIT);
        let c = Cursor(vec![KeyValue::Int(7)]).encode();
        let r = PageRequest::parse(Some(&c), None, Some(20)).unwrap();
        assert_eq!(
            (r.after, r.limit),
            (Some(Cursor(vec![KeyValue::Int(7)])), 20)
        );
        assert_eq!(PageRequest::parse(Some("%%"), None, None), Err(BadCursor));
        assert_eq!(
            PageRequest::parse_or_first(Some("%%"), None, None),
            PageRequest::default()
        );
        assert_eq!(
            PageRequest::parse(Some(""), Some(" "), None),
            Ok(PageRequest::default())
        );
    }

    #[test]
    fn totals_are_bounded() {
        assert_eq!(Total::bounded(12), Total::Exact(12));
        assert_eq!(Total::bounded(1000), Total::Exact(1000));
        assert_eq!(Total::bounded(1001), Total::AtLeast(1000));
        assert!(!Total::bounded(5000).is_exact());
    }
}
