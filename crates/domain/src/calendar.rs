//! Japanese calendar conventions: fiscal years (年度, April–March) with era labels, dates and yen.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, Utc};
use serde::{Deserialize, Serialize};

use crate::user::Lang;

/// Japan Standard Time: UTC+9 all year (no daylight saving), so no time-zone database is needed.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

/// Today's date in Japan: the day people mean when they say "today" (fiscal years, "not
/// contacted for 90 days", a contact recorded today).
pub fn today_jst() -> chrono::NaiveDate {
    Utc::now().with_timezone(&jst()).date_naive()
}

/// The day in Japan of an instant.
pub fn jst_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&jst()).date_naive()
}

/// The instant of a date and time in Japan.
pub fn jst_instant(date: NaiveDate, time: chrono::NaiveTime) -> DateTime<Utc> {
    date.and_time(time)
        .and_local_timezone(jst())
        .single()
        .map_or_else(|| date.and_time(time).and_utc(), |d| d.with_timezone(&Utc))
}

/// A fiscal year (年度) named by the calendar year it starts in: FY2023 = 2023-04-01 … 2024-03-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The fiscal year a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self(if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        })
    }

    /// First day (1 April).
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or_default()
    }

    /// Last day (31 March of the next calendar year).
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).unwrap_or_default()
    }

    /// 令和5年度 / FY2023. A fiscal year is named by the era in force at its start, except that
    /// FY2019 is conventionally 令和元年度 (the era changed on 1 May 2019).
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("FY{}", self.0),
            Lang::Ja => {
                let (era, n) = era_year(self.0);
                if n == 1 {
                    format!("{era}元年度")
                } else {
                    format!("{era}{n}年度")
                }
            }
        }
    }
}

/// The era and its year number for a fiscal year starting in `year`.
fn era_year(year: i32) -> (&'static str, i32) {
    match year {
        y if y >= 2019 => ("令和", y - 2018),
        y if y >= 1989 => ("平成", y - 1988),
        y if y >= 1926 => ("昭和", y - 1925),
        y => ("西暦", y),
    }
}

/// A date as people read it: 2023年10月1日 or 1 Oct 2023.
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => date.format("%-d %b %Y").to_string(),
    }
}

/// A moment in Japan time: 2023年10月1日 14:05 or 1 Oct 2023 14:05.
pub fn format_datetime(at: DateTime<Utc>, lang: Lang) -> String {
    let local = at.with_timezone(&jst());
    format!(
        "{} {}",
        format_date(local.date_naive(), lang),
        local.format("%H:%M")
    )
}

/// Yen are integers; thousands are separated: 1,840,000円 / ¥1,840,000.
pub fn format_yen(amount: i64, lang: Lang) -> String {
    let grouped = group_thousands(amount.unsigned_abs().try_into().unwrap_or(i64::MAX));
    let sign = if amount < 0 { "-" } else { "" };
    match lang {
        Lang::Ja => format!("{sign}{grouped}円"),
        Lang::En => format!("{sign}¥{grouped}"),
    }
}

/// 1234567 → 1,234,567 (the same in Japanese and English).
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        grouped.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fiscal_year_runs_april_to_march() {
        assert_eq!(FiscalYear::of(d(2023, 10, 1)), FiscalYear(2023));
        assert_eq!(FiscalYear::of(d(2024, 2, 29)), FiscalYear(2023));
        assert_eq!(FiscalYear::of(d(2024, 3, 31)), FiscalYear(2023));
        assert_eq!(FiscalYear::of(d(2024, 4, 1)), FiscalYear(2024));
        assert_eq!(FiscalYear(2023).start(), d(2023, 4, 1));
        assert_eq!(FiscalYear(2023).end(), d(2024, 3, 31));
    }

    #[test]
    fn fiscal_year_labels() {
        assert_eq!(FiscalYear(2023).label(Lang::Ja), "令和5年度");
        assert_eq!(FiscalYear(2023).label(Lang::En), "FY2023");
        assert_eq!(FiscalYear(2019).label(Lang::Ja), "令和元年度");
        assert_eq!(FiscalYear(2018).label(Lang::Ja), "平成30年度");
        assert_eq!(FiscalYear(1989).label(Lang::Ja), "平成元年度");
    }

    #[test]
    fn dates_and_yen() {
        assert_eq!(format_date(d(2023, 10, 1), Lang::Ja), "2023年10月1日");
        assert_eq!(format_date(d(2023, 10, 1), Lang::En), "1 Oct 2023");
        assert_eq!(format_yen(1_840_000, Lang::Ja), "1,840,000円");
        assert_eq!(format_yen(1_200, Lang::En), "¥1,200");
        assert_eq!(format_yen(999, Lang::En), "¥999");
        assert_eq!(format_yen(-1_000, Lang::Ja), "-1,000円");
        assert_eq!(format_yen(0, Lang::Ja), "0円");
        let at = Utc.with_ymd_and_hms(2023, 9, 30, 20, 5, 0).unwrap();
        assert_eq!(format_datetime(at, Lang::Ja), "2023年10月1日 05:05");
    }
}
