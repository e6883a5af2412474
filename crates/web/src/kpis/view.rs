//! Figures, cells and findings in words: what the pages, the downloads and the report show.

use chrono::NaiveDate;
use jimoto_domain::calendar::FiscalYear;
use jimoto_domain::kpi::{Cell, Figure, Finding, Kpi, MAX_PERIOD_DAYS, Period, Unit};
use jimoto_domain::{FieldError, ValidationFailure};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::AppError;
use crate::i18n::Tr;

/// Which period: a fiscal year (`fy`), or two days (`from`, `to`); the current fiscal year
/// by default.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodQuery {
    /// A fiscal year by the calendar year it starts in (2023 = 令和5年度, April 2023 – March
    /// 2024).
    pub fy: Option<String>,
    /// First day (YYYY-MM-DD), with `to`.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), with `from`; at most three years after it.
    pub to: Option<String>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl PeriodQuery {
    /// The period asked for, or the field that is wrong.
    pub fn period(&self) -> Result<Period, AppError> {
        let day = |field: &str, v: &str| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ValidationFailure::single(field, "date"))
        };
        match (blank(&self.from), blank(&self.to)) {
            (Some(f), Some(t)) => {
                let (from, to) = (day("from", f)?, day("to", t)?);
                Ok(Period::new(from, to).map_err(|e| {
                    if e.0.iter().any(|x| x.code == "period_too_long") {
                        ValidationFailure(vec![
                            FieldError::new("to", "period_too_long").with("max", MAX_PERIOD_DAYS),
                        ])
                    } else {
                        e
                    }
                })?)
            }
            (Some(_), None) => Err(ValidationFailure::single("to", "required").into()),
            (None, Some(_)) => Err(ValidationFailure::single("from", "required").into()),
            (None, None) => match blank(&self.fy) {
                None => Ok(Period::fiscal(FiscalYear::of(
                    jimoto_domain::calendar::today_jst(),
                ))),
                Some(y) => match y.parse::<i32>() {
                    Ok(y) if (2000..=2100).contains(&y) => Ok(Period::fiscal(FiscalYear(y))),
                    _ => Err(ValidationFailure(vec![
                        FieldError::new("fy", "out_of_range")
                            .with("min", 2000)
                            .with("max", 2100),
                    ])
                    .into()),
                },
            },
        }
    }
}

/// The period as a query string (`fy=2023` or `from=…&to=…`).
pub(crate) fn period_query(p: Period) -> String {
    match p.fiscal_year() {
        Some(fy) => format!("fy={}", fy.0),
        None => format!("from={}&to={}", p.from, p.to),
    }
}

/// 令和5年度（FY2023）, or the two days of a project period.
pub(crate) fn period_label(tr: Tr, p: Period) -> String {
    match p.fiscal_year() {
        Some(fy) => {
            let ja = fy.label(jimoto_domain::Lang::Ja);
            let en = fy.label(jimoto_domain::Lang::En);
            match tr.lang {
                jimoto_domain::Lang::Ja => format!("{ja}（{en}）"),
                jimoto_domain::Lang::En => format!("{en} ({ja})"),
            }
        }
        None => format!("{} – {}", tr.date(p.from), tr.date(p.to)),
    }
}

fn number(tr: Tr, v: f64) -> String {
    if v.fract() == 0.0 {
        tr.number(v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A value in its unit: 延べ107人, 1,660,000円, 45.5日, 33.3%.
pub(crate) fn value_text(tr: Tr, unit: Unit, v: Option<f64>) -> String {
    let Some(v) = v else {
        return tr.t("kpis-no-value");
    };
    match unit {
        Unit::Yen => tr.yen(v.round() as i64),
        u => tr.t1(&format!("kpi-value-{}", u.as_str()), "n", number(tr, v)),
    }
}

/// Reported minus computed with its sign (+180,000円, −延べ6人, ±0件), or a dash.
pub(crate) fn difference_text(tr: Tr, unit: Unit, d: Option<f64>) -> String {
    match d {
        None => tr.t("kpis-no-value"),
        Some(d) => {
            let sign = if d > 0.0 {
                "+"
            } else if d < 0.0 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{}", value_text(tr, unit, Some(d.abs())))
        }
    }
}

/// A figure's value in words.
pub(crate) fn figure_text(tr: Tr, f: &Figure) -> String {
    value_text(tr, f.unit, f.value)
}

/// A figure's parts in words (業務委託 9人, イベント発 5件), in the order of its breakdown.
pub(crate) fn parts_text(tr: Tr, f: &Figure) -> Vec<String> {
    f.breakdown
        .iter()
        .filter_map(|(k, v)| {
            let (set, code) = k.split_once(':')?;
            let label = match set {
                "audience" => tr.e("audience", code),
                "kind" => tr.e("program_kind", code),
                "contract" => tr.e("contract", code),
                "status" if f.kpi == Kpi::Projects => tr.e("project_status", code),
                "status" => tr.e("period_status", code),
                "circumstance" => tr.e("circumstance", code),
                "origin" => tr.t(&format!("breakdown-origin-{code}")),
                "took_part" => tr.e("took_part", code),
                _ => return None,
            };
            Some(format!("{label} {}", value_text(tr, f.unit, Some(*v))))
        })
        .collect()
}

/// The figure's name.
pub(crate) fn name(tr: Tr, k: Kpi) -> String {
    tr.e("kpi", k.as_str())
}

/// Its definition.
pub(crate) fn definition(tr: Tr, k: Kpi) -> String {
    tr.t(&format!("kpi-{}-def", k.as_str()))
}

/// A finding in words.
pub(crate) fn finding_text(tr: Tr, unit: Unit, f: &Finding) -> String {
    let v = |x: f64| value_text(tr, unit, Some(x));
    match f {
        Finding::TotalIsNotItsParts {
            reported,
            parts_sum,
        } => tr.ta(
            "kpis-finding-total_is_not_its_parts",
            &[
                ("reported", v(*reported as f64)),
                ("parts", v(*parts_sum as f64)),
            ],
        ),
        Finding::PartDiffers {
            label,
            reported,
            computed,
        } => tr.ta(
            "kpis-finding-part_differs",
            &[
                ("label", label.clone()),
                ("reported", v(*reported as f64)),
                ("computed", v(*computed)),
            ],
        ),
        Finding::RecordsDiffer { reported, computed } => tr.ta(
            "kpis-finding-records_differ",
            &[
                ("reported", v(*reported as f64)),
                ("computed", v(*computed)),
            ],
        ),
        Finding::Agrees => tr.t("kpis-finding-agrees"),
    }
}

/// A row cell in words.
pub(crate) fn cell_text(tr: Tr, c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Count(n) => tr.number(*n),
        Cell::Yen(y) => tr.yen(*y),
        Cell::Minutes(m) => format!("{}:{:02}", m / 60, m % 60),
        Cell::Date(d) => tr.date(*d),
        Cell::Month(d) => match tr.lang {
            jimoto_domain::Lang::Ja => d.format("%Y年%-m月").to_string(),
            jimoto_domain::Lang::En => d.format("%b %Y").to_string(),
        },
        Cell::Code { set, code } => match set.as_str() {
            "prefecture" => {
                jimoto_domain::region::prefecture_name(code, tr.lang == jimoto_domain::Lang::En)
                    .unwrap_or(code)
                    .to_owned()
            }
            "breakdown" => tr.t(&format!("breakdown-{}", code.replace(':', "-"))),
            "circumstance" => tr.join(
                code.split(',')
                    .filter(|c| !c.is_empty())
                    .map(|c| tr.e("circumstance", c)),
            ),
            _ => tr.e(set, code),
        },
        Cell::Person { id, name } => match name {
            Some(n) => n.clone(),
            None => tr.t1("kpis-person-number", "id", id.0),
        },
        Cell::Empty => String::new(),
    }
}

/// A KPI by its key in a path; an unknown key is "not found".
pub(crate) fn kpi_of(key: &str) -> Result<Kpi, AppError> {
    Kpi::parse(key).ok_or_else(|| AppError::from(jimoto_services::ServiceError::NotFound))
}
