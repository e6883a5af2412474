//! Tables as files people open in Excel: CSV in UTF-8 with a byte-order mark (so Excel reads it
//! as UTF-8) or in Shift_JIS (older Excel and many municipal systems), and .xlsx.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// A table's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableFormat {
    /// CSV, UTF-8 with BOM.
    Csv,
    /// CSV, Shift_JIS.
    CsvSjis,
    /// Excel workbook.
    Xlsx,
}

impl TableFormat {
    /// `csv`, `csv-sjis` or `xlsx`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "csv-sjis" => Some(Self::CsvSjis),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("{what}: {e}"))
}

/// The text with the characters Shift_JIS cannot hold replaced by the ones Japanese documents
/// use in their place (else the encoder would write them as `&#8212;`): the dash of an empty
/// value, the middle dot between facts, the dash of a range.
fn sjis_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2014}' => '\u{2015}',
            '\u{00b7}' => '\u{30fb}',
            '\u{2013}' => '\u{ff5e}',
            c => c,
        })
        .collect()
}

/// The rows as a download named `stem.csv` / `stem.xlsx`. With `numbers`, cells below the
/// first row that read as numbers are written as numbers in .xlsx (else every cell is text, so
/// that a phone number keeps its leading 0).
pub(crate) fn table_response(
    rows: &[Vec<String>],
    format: TableFormat,
    stem: &str,
    numbers: bool,
) -> Result<Response, AppError> {
    let (body, content_type, ext) = match format {
        TableFormat::Csv | TableFormat::CsvSjis => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in rows {
                w.write_record(row).map_err(|e| failed("csv", e))?;
            }
            let text = w.into_inner().map_err(|e| failed("csv", e))?;
            let text = String::from_utf8(text).map_err(|e| failed("csv", e))?;
            if format == TableFormat::CsvSjis {
                let safe = sjis_safe(&text);
                let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&safe);
                (bytes.into_owned(), "text/csv; charset=Shift_JIS", "csv")
            } else {
                let mut b = "\u{feff}".as_bytes().to_vec();
                b.extend_from_slice(text.as_bytes());
                (b, "text/csv; charset=utf-8", "csv")
            }
        }
        TableFormat::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (u32::try_from(r).unwrap_or(0), u16::try_from(c).unwrap_or(0));
                    let res = match cell.parse::<f64>() {
                        Ok(n) if numbers && r > 0 => sheet.write_number(r, c, n).map(|_| ()),
                        _ => sheet.write_string(r, c, cell).map(|_| ()),
                    };
                    res.map_err(|e| failed("xlsx", e))?;
                }
            }
            let bytes = book.save_to_buffer().map_err(|e| failed("xlsx", e))?;
            (bytes, XLSX, "xlsx")
        }
    };
    Ok(file_response(body, content_type, &format!("{stem}.{ext}")))
}

/// The .xlsx content type.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Bytes as a download named `filename`.
pub(crate) fn file_response(body: Vec<u8>, content_type: &str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::sjis_safe;

    #[test]
    fn shift_jis_holds_what_the_tables_write() {
        let text = sjis_safe("— · 2023年10月1日 – 2024年2月29日 −延べ6人 ±0件 ①");
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!unmappable, "{}", String::from_utf8_lossy(&bytes));
        let (back, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(back.contains("2023年10月1日"));
    }
}
