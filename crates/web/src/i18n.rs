//! Translations (Fluent files in `locales/`, compiled in) and Japanese/English formatting.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use jimoto_domain::calendar::{
    FiscalYear, format_date, format_datetime, format_yen, group_thousands,
};
use jimoto_domain::{FieldError, Lang, Total};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ja",
        // No Unicode isolation marks around arguments: they show up as boxes in some fonts.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static JA: LanguageIdentifier = langid!("ja");
static EN: LanguageIdentifier = langid!("en");

/// A calendar day, however many references deep a template holds it.
pub trait Day {
    /// The day.
    fn day(&self) -> NaiveDate;
}

impl Day for NaiveDate {
    fn day(&self) -> NaiveDate {
        *self
    }
}

impl<T: Day + ?Sized> Day for &T {
    fn day(&self) -> NaiveDate {
        (**self).day()
    }
}

/// An amount of yen, however many references deep a template holds it.
pub trait Yen {
    /// The amount.
    fn yen(&self) -> i64;
}

impl Yen for i64 {
    fn yen(&self) -> i64 {
        *self
    }
}

impl<T: Yen + ?Sized> Yen for &T {
    fn yen(&self) -> i64 {
        (**self).yen()
    }
}

/// The translator for one request: every string a page or error shows goes through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

impl Tr {
    /// A translator.
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self.lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    /// The message `key`; a missing key shows as itself (and fails the key-parity test).
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with arguments.
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone())))
            .collect();
        LOCALES
            .try_lookup_with_args(self.id(), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.ta(key, &[(name, value.to_string())])
    }

    /// The message for an enum value, e.g. `("kind", "urban_company")` → 都市部企業.
    pub fn e(&self, prefix: &str, value: &str) -> String {
        self.t(&format!("{prefix}-{value}"))
    }

    /// 2023年10月1日 / 1 Oct 2023 (a day or a reference to one, as templates bind them).
    pub fn date(&self, d: impl Day) -> String {
        format_date(d.day(), self.lang)
    }

    /// Date and time in Japan time.
    pub fn datetime(&self, at: &DateTime<Utc>) -> String {
        format_datetime(*at, self.lang)
    }

    /// 1,200円 / ¥1,200.
    pub fn yen(&self, amount: impl Yen) -> String {
        format_yen(amount.yen(), self.lang)
    }

    /// 1,000: counts with thousands separators.
    pub fn number(&self, n: i64) -> String {
        group_thousands(n)
    }

    /// A count of rows or people, with separators (templates hold lengths as `usize`).
    pub fn count(&self, n: impl std::borrow::Borrow<usize>) -> String {
        self.number(i64::try_from(*n.borrow()).unwrap_or(i64::MAX))
    }

    /// 住民 12人 / 住民 1,000人以上: a bounded count of people.
    pub fn people_count(&self, total: &Total) -> String {
        match *total {
            Total::Exact(n) => self.t1("home-residents-count", "count", self.number(n)),
            Total::AtLeast(n) => self.t1("home-residents-count-at-least", "count", self.number(n)),
        }
    }

    /// Items of a list in running text: 平日午前、土日祝 / Weekday mornings, Weekends.
    pub fn join(&self, items: impl IntoIterator<Item = String>) -> String {
        let items: Vec<String> = items.into_iter().collect();
        if items.is_empty() {
            return "—".to_owned();
        }
        items.join(match self.lang {
            Lang::Ja => "、",
            Lang::En => ", ",
        })
    }

    /// A skill with its level, as every page shows it: Excel · レベル3.
    pub fn skill(&self, name: &str, level: i64) -> String {
        format!("{name} · {}", self.t1("skill-level", "level", level))
    }

    /// An aside in brackets: 「（週12時間）」 in Japanese, " (12 h a week)" in English.
    pub fn paren(&self, inner: impl std::fmt::Display) -> String {
        match self.lang {
            Lang::Ja => format!("（{inner}）"),
            Lang::En => format!(" ({inner})"),
        }
    }

    /// 令和5年度 / FY2023.
    pub fn fiscal_year(&self, fy: i32) -> String {
        FiscalYear(fy).label(self.lang)
    }

    /// The label of a field path: `skills[1].level` → 「スキル 2 レベル」.
    pub fn field_label(&self, path: &str) -> String {
        path.split('.')
            .map(|part| match part.split_once('[') {
                Some((name, rest)) => {
                    let n: usize = rest.trim_end_matches(']').parse().unwrap_or(0);
                    format!("{} {}", self.t(&format!("field-{name}")), n + 1)
                }
                None => self.t(&format!("field-{part}")),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "Name: is required" in the user's language.
    pub fn field_error(&self, e: &FieldError) -> String {
        format!("{}: {}", self.field_label(&e.field), self.problem(e))
    }

    /// The problem alone, without its field ("is required"), with its parameters.
    pub fn problem(&self, e: &FieldError) -> String {
        let args: Vec<(&str, String)> = e
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        self.ta(&format!("err-{}", e.code), &args)
    }

    /// The message for a service error code.
    pub fn error(&self, code: &str) -> String {
        self.t(&format!("error-{code}"))
    }

    /// The other language, for the switch.
    pub fn other(&self) -> Lang {
        match self.lang {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// The language's name in itself.
    pub fn lang_name(&self, lang: impl std::borrow::Borrow<Lang>) -> &'static str {
        let lang = *lang.borrow();
        match lang {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }
}

#[cfg(test)]
mod keys_used;

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids defined in a language's files (every `.ftl` under `locales/<lang>/`).
    pub(crate) fn translation_keys(lang: Lang) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang.as_str());
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("locale directory") {
            let path = entry.expect("locale file").path();
            if path.extension().is_some_and(|e| e == "ftl") {
                let text = std::fs::read_to_string(&path).expect("readable .ftl");
                keys.extend(
                    text.lines()
                        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned())),
                );
            }
        }
        keys.sort();
        keys
    }

    #[test]
    fn both_languages_define_the_same_messages() {
        let ja = translation_keys(Lang::Ja);
        let en = translation_keys(Lang::En);
        let only_ja: Vec<_> = ja.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !ja.contains(k)).collect();
        assert!(
            only_ja.is_empty() && only_en.is_empty(),
            "only ja: {only_ja:?}; only en: {only_en:?}"
        );
        for keys in [&ja, &en] {
            let mut dedup = keys.clone();
            dedup.dedup();
            assert_eq!(dedup.len(), keys.len(), "a key is defined twice");
        }
        assert!(ja.len() > 100, "the files were found: {}", ja.len());
    }

    #[test]
    fn messages_translate_with_arguments() {
        let e = FieldError::new("name", "too_long").with("max", 100);
        assert_eq!(
            Tr::new(Lang::En).field_error(&e),
            "Name: must be at most 100 characters"
        );
        assert_eq!(
            Tr::new(Lang::Ja).field_error(&e),
            "名前: 100文字以内で入力してください"
        );
        assert_eq!(
            Tr::new(Lang::Ja).field_label("skills[1].level"),
            "スキル 2 レベル"
        );
    }
}
