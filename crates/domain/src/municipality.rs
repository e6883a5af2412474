//! The national list of local governments (全国地方公共団体コード, 総務省): 47 prefectures and
//! 1,741 municipalities, compiled in from `data/lg_codes.csv` (source in `data/README.md`).
//!
//! A region is one of these: it is picked from the list (by name or reading, 萩 or ハギ), its
//! name, reading and prefecture come from the list, and a code that is not on it is refused.

use std::sync::OnceLock;

use crate::text::{fold, fold_parts, to_katakana};

const CSV: &str = include_str!("../data/lg_codes.csv");

/// One local government of the national list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Local government code with its check digit, e.g. 352047.
    pub code: String,
    /// Prefecture code, the first two digits (35).
    pub prefecture_code: String,
    /// Prefecture name (山口県).
    pub prefecture: String,
    /// The municipality's name (萩市); the prefecture's name on the prefecture's own row.
    pub name: String,
    /// Reading in full-width katakana (ハギシ).
    pub name_kana: String,
    /// Whether this is the prefecture itself rather than a municipality in it.
    pub is_prefecture: bool,
    /// Folded name, reading and "prefecture + name", for matching what people type.
    search: String,
}

/// Every row, in code order. Parsed once.
pub fn all() -> &'static [Municipality] {
    static LIST: OnceLock<Vec<Municipality>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<Municipality> = CSV.lines().skip(1).filter_map(parse_row).collect();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        list
    })
}

fn parse_row(line: &str) -> Option<Municipality> {
    // The published file has no quoted fields: five plain columns.
    let cols: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
    let [code, prefecture, city, prefecture_kana, city_kana] = cols.as_slice() else {
        return None;
    };
    let is_prefecture = city.is_empty();
    let (name, kana) = if is_prefecture {
        (*prefecture, *prefecture_kana)
    } else {
        (*city, *city_kana)
    };
    let name_kana = to_katakana(kana);
    let prefecture_kana = to_katakana(prefecture_kana);
    let search = fold_parts([
        name,
        name_kana.as_str(),
        &format!("{prefecture}{name}"),
        &format!("{prefecture_kana}{name_kana}"),
    ]);
    Some(Municipality {
        code: (*code).to_owned(),
        prefecture_code: code.get(..2)?.to_owned(),
        prefecture: (*prefecture).to_owned(),
        name: name.to_owned(),
        name_kana,
        is_prefecture,
        search,
    })
}

/// The entry for a code (six ASCII digits), if it is on the list.
pub fn by_code(code: &str) -> Option<&'static Municipality> {
    let list = all();
    list.binary_search_by(|m| m.code.as_str().cmp(code))
        .ok()
        .map(|i| &list[i])
}

/// Entries whose name or reading contains what was typed (in any kana or width), in code order.
/// Every match is returned: callers page through them, nothing is cut off here.
pub fn search(q: &str) -> Vec<&'static Municipality> {
    let q = fold(q);
    if q.is_empty() {
        return Vec::new();
    }
    all().iter().filter(|m| m.search.contains(&q)).collect()
}

/// For `validator`: the code must be on the national list (its check digit was checked before).
pub fn validate_listed(code: &str) -> Result<(), validator::ValidationError> {
    match crate::LgCode::parse(code) {
        Ok(c) if by_code(c.as_str()).is_none() => {
            Err(validator::ValidationError::new("lg_code_unlisted"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LgCode;

    #[test]
    fn the_whole_list_loads_and_every_code_verifies() {
        let list = all();
        assert_eq!(list.len(), 1788);
        assert_eq!(list.iter().filter(|m| m.is_prefecture).count(), 47);
        assert_eq!(list.iter().filter(|m| !m.is_prefecture).count(), 1741);
        for m in list {
            assert_eq!(
                LgCode::parse(&m.code).map(|c| c.to_string()),
                Ok(m.code.clone())
            );
            assert!(
                m.name_kana
                    .chars()
                    .all(|c| !('\u{FF61}'..='\u{FF9F}').contains(&c)),
                "{} still has half-width kana",
                m.code
            );
            assert!(!m.name.is_empty() && !m.name_kana.is_empty(), "{}", m.code);
        }
        assert!(
            list.windows(2).all(|w| w[0].code < w[1].code),
            "sorted by code"
        );
    }

    #[test]
    fn lookup_by_code_and_by_what_people_type() {
        let hagi = by_code("352047").unwrap();
        assert_eq!(
            (
                hagi.name.as_str(),
                hagi.name_kana.as_str(),
                hagi.prefecture.as_str()
            ),
            ("萩市", "ハギシ", "山口県")
        );
        assert!(by_code("352048").is_none());
        for typed in ["萩", "ハギ", "はぎ", "ﾊｷﾞ", "山口県萩市"] {
            assert!(
                search(typed).iter().any(|m| m.code == "352047"),
                "{typed} finds 萩市"
            );
        }
        let chiyoda: Vec<&str> = search("千代田").iter().map(|m| m.code.as_str()).collect();
        assert_eq!(chiyoda, vec!["105236", "131016"]);
        assert!(search(" ").is_empty());
        let tokyo = by_code("130001").unwrap();
        assert!(tokyo.is_prefecture && tokyo.name == "東京都");
    }

    #[test]
    fn codes_off_the_list_are_refused() {
        assert!(validate_listed("352047").is_ok());
        // 35999x has a valid check digit but names no municipality.
        let unlisted = (0..10)
            .map(|d| format!("35999{d}"))
            .find(|c| LgCode::parse(c).is_ok())
            .unwrap();
        assert_eq!(
            validate_listed(&unlisted).unwrap_err().code,
            "lg_code_unlisted"
        );
    }
}
