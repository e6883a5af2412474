//! A program's participant list as coordinators keep it in a spreadsheet: one row per person
//! (name, reading, phone, e-mail, how they heard of the program) and, optionally, one column per
//! session with a mark for "was there" (○, ✓, 1, 出席 …). Reading it here, with no I/O, decides
//! what every row means before anything is written: the rows that are people, and every row that
//! is not, with its row number and reasons.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::growth::{Channel, SignUpInput};
use crate::ids::{ProgramId, ResidentId, SessionId};
use crate::program::Session;
use crate::text;

/// Rows a file may have (beyond this, split the file): a year of a prefecture's courses fits.
pub const MAX_ROWS: usize = 50_000;

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Kana,
    Phone,
    Email,
    Channel,
    Session(SessionId),
    Ignored,
}

/// A column headed by a session's date (or its number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SessionColumn {
    /// The header as written.
    pub header: String,
    /// The session it names.
    pub session_id: SessionId,
    /// Its number in the program (1 = first).
    pub number: usize,
}

/// One good row: a person and the sessions marked as attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// Row number in the file (the header is row 1 when it is the first line).
    pub row: usize,
    /// The person, normalised.
    pub person: SignUpInput,
    /// Sessions marked as attended.
    pub attended: Vec<SessionId>,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BadRow {
    /// Row number in the file.
    pub row: usize,
    /// Every problem in it (field names are the file's columns: `name`, `name_kana`, `phone`,
    /// `email`, `channel`, or a session column's header).
    pub problems: Vec<FieldError>,
}

/// A file read as a participant list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// Problems with the file as a whole (no header, a required column missing, an unknown
    /// session date, too many rows): nothing else is worth reading until they are fixed.
    pub file_problems: Vec<FieldError>,
    /// Session columns found.
    pub sessions: Vec<SessionColumn>,
    /// Headers not used (kept so that the preview can say they were ignored).
    pub ignored: Vec<String>,
    /// Good rows.
    pub rows: Vec<RosterRow>,
    /// Bad rows.
    pub bad: Vec<BadRow>,
}

impl Roster {
    /// Whether the whole file can be applied.
    pub fn is_clean(&self) -> bool {
        self.file_problems.is_empty() && self.bad.is_empty()
    }
}

/// A row as the preview shows it: the person, and what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreviewRow {
    /// Row number in the file.
    pub row: usize,
    /// Name as written.
    pub name: String,
    /// Reading, normalised.
    pub name_kana: String,
    /// The existing person it matches (None: a new person is added).
    pub resident_id: Option<ResidentId>,
    /// The existing person's name as on record.
    pub existing_name: Option<String>,
    /// Whether importing signs them up for the program (they are not on its list yet).
    pub enrols: bool,
    /// Sessions marked in the file.
    pub marked: usize,
    /// Of those, attendances not yet recorded.
    pub new_attendances: usize,
}

/// What an applied import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportApplied {
    /// People added to the region.
    pub new_people: usize,
    /// Sign-ups added to the program.
    pub enrolments: usize,
    /// Attendances added.
    pub attendances: usize,
    /// When.
    pub at: DateTime<Utc>,
}

/// A participant list checked against the program and its region: what would be added, what
/// matches people already known, and every bad row. Nothing is written until it is applied, and
/// only when it is clean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportPreview {
    /// The uploaded file (pages apply it by this id), None for a check through the API.
    pub import_id: Option<i64>,
    /// The program.
    pub program_id: ProgramId,
    /// The file's name.
    pub file_name: String,
    /// Problems with the whole file.
    pub file_problems: Vec<FieldError>,
    /// Session columns found.
    pub sessions: Vec<SessionColumn>,
    /// Columns not used.
    pub ignored: Vec<String>,
    /// Rows adding a new person.
    pub new_people: Vec<PreviewRow>,
    /// Rows matching a person already known.
    pub matched: Vec<PreviewRow>,
    /// Rows that cannot be imported.
    pub bad: Vec<BadRow>,
    /// Sign-ups the import adds.
    pub enrolments_to_add: usize,
    /// Attendances the import adds.
    pub attendances_to_add: usize,
    /// Set once applied.
    pub applied: Option<ImportApplied>,
}

impl ImportPreview {
    /// Whether it can be applied: no problem with the file and no bad row.
    pub fn is_clean(&self) -> bool {
        self.file_problems.is_empty() && self.bad.is_empty()
    }

    /// Rows read (good and bad).
    pub fn rows(&self) -> usize {
        self.new_people.len() + self.matched.len() + self.bad.len()
    }
}

/// A header folded for comparison: width, case, spaces and the usual decorations removed.
fn fold_header(h: &str) -> String {
    text::fold(h)
        .chars()
        .filter(|c| !matches!(c, '*' | '＊' | '※' | '(' | ')' | '（' | '）' | '_' | '-'))
        .collect()
}

fn column_of(header: &str, sessions: &[Session]) -> Result<Column, FieldError> {
    let h = fold_header(header);
    let is = |names: &[&str]| names.iter().any(|n| fold_header(n) == h);
    Ok(
        if is(&[
            "氏名",
            "名前",
            "お名前",
            "name",
            "fullname",
            "参加者",
            "参加者名",
        ]) {
            Column::Name
        } else if is(&[
            "ふりがな",
            "フリガナ",
            "よみ",
            "読み",
            "よみがな",
            "カナ",
            "氏名カナ",
            "氏名ふりがな",
            "reading",
            "kana",
            "namekana",
        ]) {
            Column::Kana
        } else if is(&[
            "電話",
            "電話番号",
            "携帯",
            "携帯番号",
            "携帯電話",
            "連絡先電話",
            "tel",
            "phone",
            "telephone",
        ]) {
            Column::Phone
        } else if is(&[
            "メール",
            "メールアドレス",
            "eメール",
            "email",
            "mail",
            "emailaddress",
        ]) {
            Column::Email
        } else if is(&[
            "経路",
            "きっかけ",
            "何で知りましたか",
            "認知経路",
            "知ったきっかけ",
            "channel",
            "outreachchannel",
            "howdidyouhear",
        ]) {
            Column::Channel
        } else if let Some(id) = session_of_header(&text::fold(header), sessions)? {
            Column::Session(id)
        } else {
            Column::Ignored
        },
    )
}

/// The session a header names: a date (2023-06-10, 2023/6/10, 2023年6月10日, 6/10, 6月10日)
/// or a number (第3回, #3, 3回目, session 3). Err when it looks like a session but names none.
fn session_of_header(h: &str, sessions: &[Session]) -> Result<Option<SessionId>, FieldError> {
    let unknown = || FieldError::new("session", "session_unknown");
    if let Some(n) = session_number(h) {
        return sessions
            .get(n.wrapping_sub(1))
            .map(|s| Some(s.id))
            .ok_or_else(unknown);
    }
    let Some((y, m, d)) = header_date(h) else {
        return Ok(None);
    };
    let found: Vec<&Session> = sessions
        .iter()
        .filter(|s| {
            s.date.month() == m && s.date.day() == d && y.is_none_or(|y| s.date.year() == y)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(Some(one.id)),
        [] => Err(unknown()),
        _ => Err(FieldError::new("session", "session_ambiguous")),
    }
}

fn session_number(h: &str) -> Option<usize> {
    let digits = |s: &str| -> Option<usize> {
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some(rest) = h.strip_prefix('第') {
        return digits(rest.strip_suffix('回')?);
    }
    if let Some(rest) = h.strip_suffix("回目") {
        return digits(rest);
    }
    if let Some(rest) = h.strip_prefix('#') {
        return digits(rest);
    }
    digits(h.strip_prefix("session")?)
}

fn header_date(h: &str) -> Option<(Option<i32>, u32, u32)> {
    // A spreadsheet date cell arrives as 2023-06-10 (or with a time after it).
    let h = h.split(['t', ' ']).next().unwrap_or(h);
    let h = h.split('(').next().unwrap_or(h);
    let cleaned: String = h
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' | '-' => '/',
            c => c,
        })
        .filter(|c| *c != '日')
        .collect();
    let parts: Vec<&str> = cleaned.split('/').collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (Some(i32::try_from(num(y)?).ok()?), num(m)?, num(d)?),
        [m, d] => (None, num(m)?, num(d)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y.unwrap_or(2000), m, d)?;
    Some((y, m, d))
}

/// A phone number from a cell: a spreadsheet that stored 09011112222 as a number shows
/// 9011112222; Japanese numbers begin with 0, so a bare 9- or 10-digit number gets it back.
fn phone_cell(cell: &str) -> String {
    let digits = cell.chars().all(|c| c.is_ascii_digit());
    if digits && (cell.len() == 9 || cell.len() == 10) && !cell.starts_with('0') {
        format!("0{cell}")
    } else {
        cell.to_owned()
    }
}

/// Whether a cell under a session says "was there": Some(true) present, Some(false) absent or
/// blank, None when the mark means nothing we know.
pub fn attendance_mark(cell: &str) -> Option<bool> {
    let c = text::fold(cell);
    match c.as_str() {
        "○" | "〇" | "◯" | "●" | "◎" | "✓" | "✔" | "☑" | "レ" | "1" | "出" | "出席" | "参加"
        | "有" | "あり" | "アリ" | "yes" | "y" | "true" | "present" | "p" => Some(true),
        "" | "×" | "✕" | "✗" | "x" | "0" | "欠" | "欠席" | "不参加" | "無" | "なし" | "ナシ"
        | "-" | "ー" | "―" | "no" | "n" | "false" | "absent" | "a" => Some(false),
        _ => None,
    }
}

impl Channel {
    /// The channel a cell names: its code, or a Japanese or English word for it (市報, 知人,
    /// ハローワーク, Facebook, …). Blank is unknown; None when nothing matches.
    pub fn from_cell(cell: &str) -> Option<Self> {
        let c = text::fold(cell);
        if c.is_empty() {
            return Some(Self::Unknown);
        }
        if let Some(ch) = Self::ALL.iter().copied().find(|ch| ch.as_str() == c) {
            return Some(ch);
        }
        const WORDS: &[(&str, Channel)] = &[
            ("市報", Channel::CityBulletin),
            ("広報", Channel::CityBulletin),
            ("bulletin", Channel::CityBulletin),
            ("ケーブル", Channel::CableTv),
            ("cable", Channel::CableTv),
            ("nhk", Channel::Nhk),
            ("fm", Channel::LocalFm),
            ("ラジオ", Channel::LocalFm),
            ("防災", Channel::DisasterRadio),
            ("disaster", Channel::DisasterRadio),
            ("facebook", Channel::Facebook),
            ("フェイスブック", Channel::Facebook),
            ("line", Channel::OfficialLine),
            ("ライン", Channel::OfficialLine),
            ("twitter", Channel::X),
            ("新聞", Channel::Newspaper),
            ("newspaper", Channel::Newspaper),
            ("ハローワーク", Channel::FlyerJobCentre),
            ("jobcentre", Channel::FlyerJobCentre),
            ("図書館", Channel::FlyerLibrary),
            ("library", Channel::FlyerLibrary),
            ("スーパー", Channel::FlyerSupermarket),
            ("supermarket", Channel::FlyerSupermarket),
            ("学校", Channel::FlyerSchool),
            ("school", Channel::FlyerSchool),
            ("銀行", Channel::Bank),
            ("bank", Channel::Bank),
            ("知人", Channel::Acquaintance),
            ("紹介", Channel::Acquaintance),
            ("友人", Channel::Acquaintance),
            ("acquaintance", Channel::Acquaintance),
            ("friend", Channel::Acquaintance),
            ("その他", Channel::Other),
            ("other", Channel::Other),
            ("不明", Channel::Unknown),
            ("unknown", Channel::Unknown),
        ];
        if c == "x" {
            return Some(Self::X);
        }
        WORDS
            .iter()
            .find(|(w, _)| c.contains(&text::fold(w)))
            .map(|(_, ch)| *ch)
    }
}

/// Reads a table (rows of cells, the first non-empty row its header) as a participant list of a
/// program with these sessions (in time order). Blank rows are skipped; a person twice in the
/// file is a bad row naming the first.
pub fn read(table: &[Vec<String>], sessions: &[Session]) -> Roster {
    let mut out = Roster::default();
    let Some(header_at) = table
        .iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))
    else {
        out.file_problems.push(FieldError::new("file", "empty"));
        return out;
    };
    let data_rows = table.len() - header_at - 1;
    if data_rows > MAX_ROWS {
        out.file_problems
            .push(FieldError::new("file", "too_many_rows").with("max", MAX_ROWS));
        return out;
    }
    let mut columns = Vec::new();
    for header in &table[header_at] {
        let header = header.trim();
        match column_of(header, sessions) {
            Ok(Column::Session(id)) if columns.contains(&Column::Session(id)) => {
                out.file_problems
                    .push(FieldError::new("session", "session_twice").with("header", header));
                columns.push(Column::Ignored);
            }
            Ok(Column::Session(id)) => {
                let number = sessions.iter().position(|s| s.id == id).unwrap_or(0) + 1;
                out.sessions.push(SessionColumn {
                    header: header.to_owned(),
                    session_id: id,
                    number,
                });
                columns.push(Column::Session(id));
            }
            Ok(
                c @ (Column::Name | Column::Kana | Column::Phone | Column::Email | Column::Channel),
            ) if columns.contains(&c) => {
                out.file_problems
                    .push(FieldError::new("column", "column_twice").with("header", header));
                columns.push(Column::Ignored);
            }
            Ok(Column::Ignored) => {
                if !header.is_empty() {
                    out.ignored.push(header.to_owned());
                }
                columns.push(Column::Ignored);
            }
            Ok(c) => columns.push(c),
            Err(e) => {
                out.file_problems.push(e.with("header", header));
                columns.push(Column::Ignored);
            }
        }
    }
    for (needed, field) in [(Column::Name, "name"), (Column::Kana, "name_kana")] {
        if !columns.contains(&needed) {
            out.file_problems
                .push(FieldError::new(field, "column_missing"));
        }
    }
    if !columns.contains(&Column::Phone) && !columns.contains(&Column::Email) {
        out.file_problems
            .push(FieldError::new("phone", "column_missing"));
    }
    if !out.file_problems.is_empty() {
        return out;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, cells) in table.iter().enumerate().skip(header_at + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = i + 1;
        let (row_out, problems) = read_row(row, cells, &columns, &table[header_at]);
        let mut problems = problems;
        if problems.is_empty() {
            for key in row_out.person.match_keys() {
                if let Some(first) = seen.get(&key) {
                    problems.push(FieldError::new("row", "same_person_as").with("row", first));
                    break;
                }
            }
        }
        if problems.is_empty() {
            for key in row_out.person.match_keys() {
                seen.insert(key, row);
            }
            out.rows.push(row_out);
        } else {
            out.bad.push(BadRow { row, problems });
        }
    }
    out
}

fn read_row(
    row: usize,
    cells: &[String],
    columns: &[Column],
    headers: &[String],
) -> (RosterRow, Vec<FieldError>) {
    let mut person = SignUpInput {
        name: String::new(),
        name_kana: String::new(),
        phone: String::new(),
        email: String::new(),
        channel: Channel::Unknown,
        consent: true,
    };
    let mut attended = Vec::new();
    let mut problems = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        let cell = cells.get(i).map_or("", |c| c.trim());
        match column {
            Column::Name => cell.clone_into(&mut person.name),
            Column::Kana => cell.clone_into(&mut person.name_kana),
            Column::Phone => person.phone = phone_cell(cell),
            Column::Email => cell.clone_into(&mut person.email),
            Column::Channel => match Channel::from_cell(cell) {
                Some(c) => person.channel = c,
                None => {
                    problems.push(FieldError::new("channel", "channel_unknown").with("value", cell))
                }
            },
            Column::Session(id) => match attendance_mark(cell) {
                Some(true) => attended.push(*id),
                Some(false) => {}
                None => problems.push(
                    FieldError::new("session", "attendance_mark")
                        .with("header", headers[i].trim())
                        .with("value", cell),
                ),
            },
            Column::Ignored => {}
        }
    }
    let person = person.normalised();
    let mut found = person.problems();
    found.append(&mut problems);
    (
        RosterRow {
            row,
            person,
            attended,
        },
        found,
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::ids::RegionId;
    use crate::program::SessionMode;

    fn sessions() -> Vec<Session> {
        [(2023, 6, 10), (2023, 6, 17), (2023, 7, 1)]
            .iter()
            .enumerate()
            .map(|(i, (y, m, d))| Session {
                id: SessionId(i64::try_from(i).unwrap_or(0) + 100),
                program_id: ProgramId(1),
                region_id: RegionId(1),
                date: NaiveDate::from_ymd_opt(*y, *m, *d).unwrap_or_default(),
                starts_at: NaiveTime::from_hms_opt(13, 0, 0).unwrap_or_default(),
                ends_at: NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default(),
                mode: SessionMode::Venue,
                venue_name: String::new(),
                venue_address: String::new(),
                online_url: String::new(),
            })
            .collect()
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn headers_in_japanese_and_english_and_sessions_by_date_or_number() {
        let t = table(&[
            &["", ""],
            &[
                "氏名",
                "フリガナ",
                "電話番号",
                "Ｅメール",
                "経路",
                "6/10",
                "第2回",
                "2023年7月1日",
                "備考",
            ],
            &[
                "山田 花子",
                "やまだ はなこ",
                "０９０ー１１１１ー２２２２",
                "",
                "市報",
                "○",
                "",
                "✓",
                "x",
            ],
            &[
                "Taro Sato",
                "ｻﾄｳ ﾀﾛｳ",
                "9022223333",
                "taro@example.jp",
                "",
                "×",
                "1",
                "",
                "",
            ],
        ]);
        let r = read(&t, &sessions());
        assert!(r.is_clean(), "{r:?}");
        assert_eq!(
            r.sessions.iter().map(|s| s.number).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(r.ignored, vec!["備考".to_owned()]);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].row, 3);
        assert_eq!(r.rows[0].person.name_kana, "ヤマダ ハナコ");
        assert_eq!(r.rows[0].person.phone, "090-1111-2222");
        assert_eq!(r.rows[0].person.channel, Channel::CityBulletin);
        assert_eq!(r.rows[0].attended, vec![SessionId(100), SessionId(102)]);
        assert_eq!(r.rows[1].person.channel, Channel::Unknown);
        assert_eq!(r.rows[1].person.phone, "09022223333");
        assert_eq!(r.rows[1].attended, vec![SessionId(101)]);
    }

    #[test]
    fn every_bad_row_is_named_with_its_reasons() {
        let t = table(&[
            &["name", "reading", "phone", "channel", "2023-06-10"],
            &["山田 花子", "やまだ はなこ", "090-1111-2222", "", "○"],
            &["", "abc", "", "テレパシー", "?"],
            &["山田 花子", "ﾔﾏﾀﾞ ﾊﾅｺ", "09011112222", "", ""],
            &["", "", "", "", ""],
            &["鈴木", "すずき", "12", "", ""],
        ]);
        let r = read(&t, &sessions());
        assert_eq!(r.rows.len(), 1);
        let rows: Vec<usize> = r.bad.iter().map(|b| b.row).collect();
        assert_eq!(rows, vec![3, 4, 6]);
        let codes: Vec<&str> = r.bad[0].problems.iter().map(|p| p.code.as_str()).collect();
        for code in [
            "required",
            "kana",
            "phone_or_email",
            "channel_unknown",
            "attendance_mark",
        ] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        assert_eq!(r.bad[1].problems[0].code, "same_person_as");
        assert_eq!(
            r.bad[1].problems[0].params.get("row").map(String::as_str),
            Some("2")
        );
        assert!(!r.is_clean());
    }

    #[test]
    fn file_problems_stop_the_reading() {
        let missing = read(&table(&[&["氏名", "電話"], &["a", "b"]]), &sessions());
        assert_eq!(missing.file_problems[0].field, "name_kana");
        assert_eq!(missing.file_problems[0].code, "column_missing");
        assert!(missing.rows.is_empty() && missing.bad.is_empty());
        let unknown = read(
            &table(&[&["氏名", "よみ", "電話", "8/1", "第9回"]]),
            &sessions(),
        );
        let codes: Vec<&str> = unknown
            .file_problems
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(codes, vec!["session_unknown", "session_unknown"]);
        assert_eq!(read(&[], &sessions()).file_problems[0].code, "empty");
    }

    #[test]
    fn channels_from_words() {
        assert_eq!(
            Channel::from_cell("ハローワークのチラシ"),
            Some(Channel::FlyerJobCentre)
        );
        assert_eq!(
            Channel::from_cell("ｆａｃｅｂｏｏｋ"),
            Some(Channel::Facebook)
        );
        assert_eq!(Channel::from_cell("公式LINE"), Some(Channel::OfficialLine));
        assert_eq!(Channel::from_cell("X"), Some(Channel::X));
        assert_eq!(
            Channel::from_cell("city_bulletin"),
            Some(Channel::CityBulletin)
        );
        assert_eq!(Channel::from_cell("宇宙"), None);
    }
}
