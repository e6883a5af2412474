//! Importing a program's participant list from a spreadsheet (.xlsx, .xls, .ods) or a CSV file
//! (UTF-8, UTF-8 with BOM, Shift_JIS, or Excel's UTF-16 "Unicode text"): checked and previewed
//! first — who is new, who is already known, every bad row with its reasons — then applied
//! whole in one transaction, or not at all. Importing the same list again adds no one: people
//! are recognised by their keys, sign-ups and attendances already recorded are left as they are.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use chrono::{DateTime, Utc};
use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::calendar::jst_instant;
use jimoto_domain::growth::{EnrolmentSource, EnrolmentStatus};
use jimoto_domain::program::{Program, Session};
use jimoto_domain::roster::{self, BadRow, ImportApplied, ImportPreview, PreviewRow, RosterRow};
use jimoto_domain::{Actor, FieldError, ProgramId, ResidentId, SessionId};
use jimoto_store::events::{self as store_events};
use jimoto_store::growth::{self as store, NewAttendance, NewEnrolment};
use jimoto_store::{Conn, programs, residents};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::growth::{kept_by, person, refresh};
use crate::{ServiceError, ServiceResult, Services, audit};

/// Unapplied uploads are forgotten after this long.
const UPLOAD_KEPT_HOURS: i64 = 24;

/// Reads a file's first sheet (or its CSV text) as rows of text cells. Spreadsheets are known by
/// their bytes, not their name; text without a BOM is UTF-8 if it is valid UTF-8, else Shift_JIS.
///
/// # Errors
/// A `file` problem when the bytes are neither a spreadsheet nor text in a known encoding.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, FieldError> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_zip || is_ole {
        return read_spreadsheet(bytes);
    }
    let text = decode_text(bytes)?;
    read_csv(&text)
}

fn decode_text(bytes: &[u8]) -> Result<String, FieldError> {
    let bad = || FieldError::new("file", "file_encoding");
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| bad());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, malformed) = encoding_rs::UTF_16LE.decode(bytes);
        return if malformed {
            Err(bad())
        } else {
            Ok(text.into_owned())
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(bad)
}

fn read_csv(text: &str) -> Result<Vec<Vec<String>>, FieldError> {
    // A quote left open would swallow every row after it into one cell without complaint.
    if text.contains('\0') || text.matches('"').count() % 2 == 1 {
        return Err(FieldError::new("file", "file_unreadable"));
    }
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            FieldError::new("file", "file_unreadable").with("line", line)
        })?;
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > roster::MAX_ROWS + 1 {
            break;
        }
    }
    Ok(rows)
}

fn read_spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, FieldError> {
    use calamine::{Data, Reader};
    let unreadable = || FieldError::new("file", "file_unreadable");
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => dt
                .as_datetime()
                .map(|t| t.date().format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Data::Error(e) => format!("#{e}"),
        }
    };
    // Rows above the used range are blank in the sheet: keep them so row numbers match.
    let (top, _) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = (0..top).map(|_| Vec::new()).collect();
    for r in range.rows().take(roster::MAX_ROWS + 2) {
        rows.push(r.iter().map(cell).collect());
    }
    Ok(rows)
}

/// A good row, the person it matched (if any) and what is new for them.
struct Planned {
    row: RosterRow,
    known: Option<ResidentId>,
    /// Not on the program's list with a place yet.
    enrols: bool,
    /// Sessions marked that are not recorded yet.
    new_sessions: Vec<SessionId>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Reads a file against a program and its region without writing anything.
async fn plan(
    conn: &mut Conn,
    p: &Program,
    file_name: &str,
    bytes: &[u8],
) -> ServiceResult<(ImportPreview, Vec<Planned>)> {
    let sessions = programs::sessions_of(conn, p.id).await?;
    let mut preview = ImportPreview {
        import_id: None,
        program_id: p.id,
        file_name: file_name.to_owned(),
        file_problems: vec![],
        sessions: vec![],
        ignored: vec![],
        new_people: vec![],
        matched: vec![],
        bad: vec![],
        enrolments_to_add: 0,
        attendances_to_add: 0,
        applied: None,
    };
    let table = match read_table(bytes) {
        Ok(t) => t,
        Err(e) => {
            preview.file_problems.push(e);
            return Ok((preview, vec![]));
        }
    };
    let read = roster::read(&table, &sessions);
    preview.file_problems = read.file_problems;
    preview.sessions = read.sessions;
    preview.ignored = read.ignored;
    preview.bad = read.bad;
    let enrolled: HashMap<ResidentId, EnrolmentStatus> = store::enrolments(conn, p.id, None)
        .await?
        .into_iter()
        .map(|e| (e.resident_id, e.status))
        .collect();
    let present: HashSet<(SessionId, ResidentId)> = store::attendance_rows(conn, p.id)
        .await?
        .into_iter()
        .map(|(s, r, _, _)| (s, r))
        .collect();
    let mut seen: HashMap<ResidentId, usize> = HashMap::new();
    let mut planned = Vec::new();
    for row in read.rows {
        let known = store::find_by_keys(conn, p.region_id, &row.person.match_keys())
            .await?
            .first()
            .copied();
        let mut out = PreviewRow {
            row: row.row,
            name: row.person.name.clone(),
            name_kana: row.person.name_kana.clone(),
            resident_id: known,
            existing_name: None,
            enrols: true,
            marked: row.attended.len(),
            new_attendances: row.attended.len(),
        };
        let mut new_sessions = row.attended.clone();
        if let Some(id) = known {
            if let Some(first) = seen.get(&id) {
                preview.bad.push(BadRow {
                    row: row.row,
                    problems: vec![FieldError::new("row", "same_person_as").with("row", first)],
                });
                continue;
            }
            seen.insert(id, row.row);
            out.existing_name = residents::get(conn, id).await?.map(|r| r.name);
            out.enrols = enrolled.get(&id) != Some(&EnrolmentStatus::Enrolled);
            new_sessions.retain(|s| !present.contains(&(*s, id)));
            out.new_attendances = new_sessions.len();
        }
        preview.enrolments_to_add += usize::from(out.enrols);
        preview.attendances_to_add += out.new_attendances;
        let enrols = out.enrols;
        if known.is_some() {
            preview.matched.push(out);
        } else {
            preview.new_people.push(out);
        }
        planned.push(Planned {
            enrols,
            row,
            known,
            new_sessions,
        });
    }
    preview.bad.sort_by_key(|b| b.row);
    Ok((preview, planned))
}

/// Writes a clean plan: people, sign-ups (a place: they took part), attendances; completion and
/// stages follow. The caller holds the transaction and the program's lock.
async fn apply(
    conn: &mut Conn,
    p: &Program,
    sessions: &[Session],
    planned: &[Planned],
    actor: &Actor,
) -> ServiceResult<ImportApplied> {
    let starts: HashMap<SessionId, DateTime<Utc>> = sessions
        .iter()
        .map(|s| (s.id, jst_instant(s.date, s.starts_at)))
        .collect();
    let mut done = ImportApplied {
        new_people: 0,
        enrolments: 0,
        attendances: 0,
        at: Utc::now(),
    };
    for Planned {
        row,
        known,
        enrols,
        new_sessions,
    } in planned
    {
        // Known, on the list, every mark recorded: nothing to write, nothing to bring up to date.
        if known.is_some() && !enrols && new_sessions.is_empty() {
            continue;
        }
        let resident = match known {
            Some(id) => *id,
            None => {
                let (id, recognised) = person(conn, p.region_id, &row.person, Some(actor)).await?;
                done.new_people += usize::from(!recognised);
                id
            }
        };
        let first_attended = row
            .attended
            .iter()
            .filter_map(|s| starts.get(s))
            .min()
            .copied();
        let signed_up = first_attended.map_or(done.at, |t| t.min(done.at));
        if *enrols {
            match store::enrolment_of(conn, p.id, resident).await? {
                Some(e) if e.status == EnrolmentStatus::Enrolled => {}
                Some(e) => {
                    store::set_status(conn, e.id, EnrolmentStatus::Enrolled).await?;
                    done.enrolments += 1;
                }
                None => {
                    store::insert_enrolment(
                        conn,
                        &NewEnrolment {
                            program: p.id,
                            region: p.region_id,
                            resident,
                            status: EnrolmentStatus::Enrolled,
                            channel: row.person.channel,
                            source: EnrolmentSource::Import,
                            consent_version: "",
                            at: signed_up,
                        },
                    )
                    .await?;
                    done.enrolments += 1;
                }
            }
        }
        for s in new_sessions {
            store::add_attendance(
                conn,
                NewAttendance {
                    session: *s,
                    program: p.id,
                    region: p.region_id,
                    resident,
                    at: starts.get(s).copied().unwrap_or(done.at),
                    walk_in: false,
                },
            )
            .await?;
            done.attendances += 1;
        }
        refresh(conn, p, resident, Some(actor)).await?;
    }
    Ok(done)
}

impl Services {
    /// A program whose participant list the actor may import, with its sessions (the import
    /// page's columns): "not found" if they may not see its people, "forbidden" if they may not
    /// keep its attendance.
    pub async fn import_target(
        &self,
        actor: &Actor,
        program: ProgramId,
    ) -> ServiceResult<crate::ProgramView> {
        let mut conn = self.db().conn().await?;
        let p = kept_by(&mut conn, actor, program).await?;
        let sessions = programs::sessions_of(&mut conn, p.id).await?;
        Ok(crate::ProgramView {
            program: p,
            sessions,
        })
    }

    /// Checks a participant list against a program without keeping it (the API's dry run).
    pub async fn check_import(
        &self,
        actor: &Actor,
        program: ProgramId,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<ImportPreview> {
        let mut conn = self.db().conn().await?;
        let p = kept_by(&mut conn, actor, program).await?;
        Ok(plan(&mut conn, &p, file_name, bytes).await?.0)
    }

    /// Keeps an uploaded participant list for its preview; returns its id.
    pub async fn upload_import(
        &self,
        actor: &Actor,
        program: ProgramId,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<i64> {
        let mut conn = self.db().conn().await?;
        let p = kept_by(&mut conn, actor, program).await?;
        let forget = Utc::now() - chrono::Duration::hours(UPLOAD_KEPT_HOURS);
        Ok(store_events::insert_import(
            &mut conn,
            &store_events::NewImport {
                program: p.id,
                region: p.region_id,
                by: Some(actor.user_id),
                file_name,
                sha256: &sha256_hex(bytes),
                content: bytes,
            },
            forget,
        )
        .await?)
    }

    /// The preview of an uploaded list (or, once applied, what it did).
    pub async fn import_preview(
        &self,
        actor: &Actor,
        program: ProgramId,
        import: i64,
    ) -> ServiceResult<ImportPreview> {
        let mut conn = self.db().conn().await?;
        let p = kept_by(&mut conn, actor, program).await?;
        let stored = store_events::import(&mut conn, p.id, import)
            .await?
            .ok_or(ServiceError::NotFound)?;
        match stored.content {
            Some(bytes) => {
                let (mut preview, _) = plan(&mut conn, &p, &stored.file_name, &bytes).await?;
                preview.import_id = Some(stored.id);
                Ok(preview)
            }
            None => Ok(applied_preview(p.id, &stored)),
        }
    }

    /// Applies an uploaded list whole, if it is clean (checked again against the records as
    /// they are now); otherwise writes nothing and returns the preview with its problems.
    pub async fn apply_import(
        &self,
        actor: &Actor,
        program: ProgramId,
        import: i64,
    ) -> ServiceResult<ImportPreview> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let stored = store_events::import(&mut tx, p.id, import)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let Some(bytes) = stored.content else {
            return Ok(applied_preview(p.id, &stored));
        };
        let preview = self
            .apply_bytes(&mut tx, actor, &p, &stored.file_name, &bytes)
            .await?;
        if let Some(done) = &preview.applied {
            store_events::mark_import_applied(&mut tx, stored.id, &summary_json(&preview, done))
                .await?;
            tx.commit().await?;
        }
        Ok(ImportPreview {
            import_id: Some(stored.id),
            ..preview
        })
    }

    /// Checks and, if clean, applies a file in one step (the API).
    pub async fn import_file(
        &self,
        actor: &Actor,
        program: ProgramId,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<ImportPreview> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let preview = self
            .apply_bytes(&mut tx, actor, &p, file_name, bytes)
            .await?;
        if preview.applied.is_some() {
            tx.commit().await?;
        }
        Ok(preview)
    }

    async fn apply_bytes(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        p: &Program,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<ImportPreview> {
        store::lock_program(tx, p.id).await?;
        let (mut preview, planned) = plan(tx, p, file_name, bytes).await?;
        if !preview.is_clean() {
            return Ok(preview);
        }
        let sessions = programs::sessions_of(tx, p.id).await?;
        let done = apply(tx, p, &sessions, &planned, actor).await?;
        if done.new_people + done.enrolments + done.attendances > 0 {
            audit::record(
                tx,
                Some(actor),
                Some(p.region_id),
                AuditEntity::Program,
                p.id.0,
                AuditOp::Update,
                json!({ "import": { "file_name": file_name, "sha256": sha256_hex(bytes),
                    "rows": preview.rows(), "new_people": done.new_people,
                    "enrolments": done.enrolments, "attendances": done.attendances } }),
            )
            .await?;
        }
        preview.applied = Some(done);
        Ok(preview)
    }
}

fn summary_json(preview: &ImportPreview, done: &ImportApplied) -> String {
    json!({ "rows": preview.rows(), "matched": preview.matched.len(), "applied": done }).to_string()
}

/// What an applied upload did, from its kept summary (its rows are no longer kept).
fn applied_preview(program: ProgramId, stored: &store_events::StoredImport) -> ImportPreview {
    let applied = serde_json::from_str::<serde_json::Value>(&stored.summary)
        .ok()
        .and_then(|v| serde_json::from_value::<ImportApplied>(v["applied"].clone()).ok());
    ImportPreview {
        import_id: Some(stored.id),
        program_id: program,
        file_name: stored.file_name.clone(),
        file_problems: vec![],
        sessions: vec![],
        ignored: vec![],
        new_people: vec![],
        matched: vec![],
        bad: vec![],
        enrolments_to_add: 0,
        attendances_to_add: 0,
        applied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_every_encoding_reads_the_same() {
        let csv = "氏名,ふりがな\n山田 花子,やまだ はなこ\n";
        let utf8 = read_table(csv.as_bytes()).expect("utf-8");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(csv.as_bytes());
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
        let mut utf16 = b"\xFF\xFE".to_vec();
        for u in csv.replace(',', "\t").encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        for bytes in [bom, sjis.into_owned(), utf16] {
            assert_eq!(read_table(&bytes).expect("decoded"), utf8);
        }
        assert_eq!(
            utf8[1],
            vec!["山田 花子".to_owned(), "やまだ はなこ".to_owned()]
        );
    }

    #[test]
    fn garbage_is_refused_by_name() {
        let e = read_table(&[0x82, 0xFF, 0xFF, 0x00, 0x81]).expect_err("not text");
        assert_eq!(e.code, "file_encoding");
        let e = read_table(b"PK\x03\x04not really a zip").expect_err("broken zip");
        assert_eq!(e.code, "file_unreadable");
        let e = read_table(b"a,\"b\nc").expect_err("unterminated quote");
        assert_eq!(e.code, "file_unreadable");
    }
}
