//! Measures the KPIs of a prefecture on generated data of realistic size, on SQLite or
//! PostgreSQL: ten municipalities of Yamaguchi with 100,000 residents each (1,000,000 in all),
//! 20 courses of 10 sessions each per municipality with 500 people at every session
//! (1,000,000 attendances, 100,000 enrolments, 80% completed), 5,000 contracts per
//! municipality with ten monthly pay periods each (500,000) and 20 days of hours in every
//! period (10,000,000 timesheet rows), and a plan of five KPIs for one municipality.
//!
//! ```sh
//! cargo run --release -p jimoto --example bench_kpis -- sqlite [RESIDENTS_PER_REGION]
//! scripts/with-postgres cargo run --release -p jimoto --example bench_kpis -- postgres
//! ```
//! Timed through the services, as the pages and the API call them: one municipality's
//! dashboard for fiscal 2023 (every KPI and the plan reconciled), the prefecture's comparison
//! (all ten side by side), the rows behind the income, the unique participants and the
//! working residents (a page of 1,000 with the total), and the results report. Rows are
//! written in multi-row inserts of generated numbers and dates. Prints p50, p99 and the
//! maximum of each; nothing is asserted.

#![allow(clippy::print_stdout)]

mod support;

use std::time::Instant;

use chrono::NaiveDate;
use jimoto_domain::kpi::{Kpi, Period, PlanInput, PlanRow};
use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::program::ProgramKind;
use jimoto_domain::{AccountScope, RegionId, Role};
use jimoto_services::Services;
use jimoto_testkit::TestDb;
use support::{account, insert_rows, peak_rss_mib, region_with, time};

/// Ten municipalities of Yamaguchi prefecture.
const CODES: [&str; 10] = [
    "352047", "352012", "352021", "352039", "352128", "352063", "352071", "352080", "352101",
    "352110",
];
const PROGRAMS: usize = 20;
const SESSIONS: usize = 10;
const PER_SESSION: usize = 500;
const CONTRACTS: usize = 5_000;
const MONTHS: u32 = 10;
const DAYS: u64 = 20;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Milliseconds of a day's noon in Japan.
fn millis(d: NaiveDate) -> i64 {
    d.and_hms_opt(3, 0, 0).unwrap().and_utc().timestamp_millis()
}

async fn ids(t: &TestDb, sql: &str) -> Vec<i64> {
    sqlx::query_scalar(sql)
        .fetch_all(&mut *t.db.conn().await.unwrap())
        .await
        .unwrap()
}

/// Writes one municipality's records.
async fn municipality(t: &TestDb, region: RegionId, org: i64, residents: usize) {
    let r = region.0;
    insert_rows(
        t,
        "INSERT INTO residents (region_id, name, name_kana, childcare, care, treatment, \
         spare_hours_per_week, moved_away_on, created_at, updated_at)",
        // One in twenty moved away during the year.
        (0..residents).map(|i| {
            format!(
                "({r}, '住民{i}', 'ジュウミン', {}, {}, {}, 10, {}, 0, 0)",
                i32::from(i % 7 == 0),
                i32::from(i % 11 == 0),
                i32::from(i % 13 == 0),
                if i % 20 == 0 { "'2023-12-31'" } else { "NULL" }
            )
        }),
    )
    .await;
    let people = ids(
        t,
        &format!("SELECT id FROM residents WHERE region_id = {r} ORDER BY id"),
    )
    .await;
    let kinds = [
        "intro_seminar",
        "it_basics_beginner",
        "it_basics_intermediate",
        "workshop",
    ];
    insert_rows(
        t,
        "INSERT INTO programs (region_id, kind, audience, title, organiser_id, completion, \
         created_at, updated_at)",
        (0..PROGRAMS).map(|p| {
            format!(
                "({r}, '{}', 'residents', '講座{p}', {org}, 'attendance', 0, 0)",
                kinds[p % kinds.len()]
            )
        }),
    )
    .await;
    let programs = ids(
        t,
        &format!("SELECT id FROM programs WHERE region_id = {r} ORDER BY id"),
    )
    .await;
    let first = day("2023-04-08");
    let date = |p: usize, s: usize| first + chrono::Days::new((p * 14 + s * 7) as u64);
    insert_rows(
        t,
        "INSERT INTO program_sessions (program_id, region_id, date, starts_at, ends_at, mode, \
         created_at, updated_at)",
        programs.iter().enumerate().flat_map(|(p, id)| {
            (0..SESSIONS).map(move |s| {
                format!(
                    "({id}, {r}, '{}', '10:00', '12:00', 'online', 0, 0)",
                    date(p, s)
                )
            })
        }),
    )
    .await;
    let sessions: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT id, program_id, date FROM program_sessions WHERE region_id = {r} ORDER BY id"
    ))
    .fetch_all(&mut *t.db.conn().await.unwrap())
    .await
    .unwrap();
    // Each course's 500 people: a different 500 per course (10,000 people in courses).
    let attendee = |p: usize, k: usize| people[(p * PER_SESSION + k) % people.len()];
    let index: std::collections::HashMap<i64, usize> = programs
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    insert_rows(
        t,
        "INSERT INTO attendances (session_id, resident_id, program_id, region_id, attended_at)",
        sessions.iter().flat_map(|(s, program, d)| {
            let p = index[program];
            let at = millis(day(d));
            (0..PER_SESSION)
                .map(move |k| format!("({s}, {}, {program}, {r}, {at})", attendee(p, k)))
        }),
    )
    .await;
    insert_rows(
        t,
        "INSERT INTO enrolments (program_id, region_id, resident_id, status, channel, source, \
         signed_up_at, completed_at, updated_at)",
        programs.iter().enumerate().flat_map(|(p, id)| {
            let done = millis(date(p, SESSIONS - 1));
            (0..PER_SESSION).map(move |k| {
                format!(
                    "({id}, {r}, {}, 'enrolled', 'city_bulletin', 'public', 0, {}, 0)",
                    attendee(p, k),
                    if k % 5 == 4 {
                        "NULL".to_owned()
                    } else {
                        done.to_string()
                    }
                )
            })
        }),
    )
    .await;
    // Contracts for course people, starting over the year; one in five ended.
    insert_rows(
        t,
        "INSERT INTO engagements (organisation_id, region_id, resident_id, channel, contract, \
         category, pay_kind, rate_yen, hours_per_week, start_date, end_date, status, ended_on, \
         created_at, updated_at)",
        (0..CONTRACTS).map(|i| {
            let start = day("2023-04-01") + chrono::Days::new((i % 180) as u64);
            let ended = i % 5 == 0;
            format!(
                "({org}, {r}, {}, 'city_bulletin', '{}', 'data_entry', 'hourly', 1200, 10, \
                 '{start}', NULL, '{}', {}, 0, 0)",
                attendee(i % PROGRAMS, i / PROGRAMS % PER_SESSION),
                if i % 3 == 0 {
                    "employment"
                } else {
                    "outsourcing"
                },
                if ended { "ended" } else { "active" },
                if ended {
                    format!("'{}'", start + chrono::Days::new(200))
                } else {
                    "NULL".into()
                }
            )
        }),
    )
    .await;
    let contracts: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, resident_id FROM engagements WHERE region_id = {r} ORDER BY id"
    ))
    .fetch_all(&mut *t.db.conn().await.unwrap())
    .await
    .unwrap();
    let month = |m: u32| {
        day("2023-04-01")
            .checked_add_months(chrono::Months::new(m))
            .unwrap()
    };
    insert_rows(
        t,
        "INSERT INTO pay_periods (engagement_id, organisation_id, region_id, resident_id, \
         starts_on, ends_on, status, minutes, amount_yen, withholding_yen, due_on, paid_on)",
        contracts.iter().flat_map(|(e, person)| {
            (0..MONTHS).map(move |m| {
                let (from, to) = (month(m), month(m + 1).pred_opt().unwrap());
                let paid = to + chrono::Days::new(30);
                match m {
                    0..8 => format!(
                        "({e}, {org}, {r}, {person}, '{from}', '{to}', 'paid', 6000, 120000, 0, \
                         '{paid}', '{paid}')"
                    ),
                    8 => format!(
                        "({e}, {org}, {r}, {person}, '{from}', '{to}', 'approved', 6000, \
                         120000, 0, '{paid}', NULL)"
                    ),
                    _ => format!(
                        "({e}, {org}, {r}, {person}, '{from}', '{to}', 'submitted', 6000, \
                         NULL, NULL, NULL, NULL)"
                    ),
                }
            })
        }),
    )
    .await;
    let periods: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT id, engagement_id, starts_on FROM pay_periods WHERE region_id = {r} ORDER BY id"
    ))
    .fetch_all(&mut *t.db.conn().await.unwrap())
    .await
    .unwrap();
    insert_rows(
        t,
        "INSERT INTO timesheet_entries (engagement_id, day, period_id, minutes, note, updated_at)",
        periods.iter().flat_map(|(p, e, starts)| {
            let first = day(starts);
            (0..DAYS)
                .map(move |d| format!("({e}, '{}', {p}, 300, '', 0)", first + chrono::Days::new(d)))
        }),
    )
    .await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = support::engine(&args);
    let residents: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let t = TestDb::new(engine).await;
    let s: Services = t.services();
    let started = Instant::now();
    let mut regions = Vec::new();
    for code in CODES {
        let (region, org) = region_with(
            &t,
            code,
            OrganisationInput {
                region_id: RegionId(0),
                name: format!("データ入力センター{code}"),
                name_kana: "データニュウリョクセンター".into(),
                kind: OrgKind::UrbanCompany,
                industry: "情報通信業".into(),
                hq_prefecture: "13".into(),
                telework_share_percent: None,
            },
        )
        .await;
        municipality(&t, region, org.0, residents).await;
        regions.push(region);
        println!("{code}: written ({:.0?} so far)", started.elapsed());
    }
    // Fresh statistics for the planners, as a database that has run a while would have.
    sqlx::query("ANALYZE")
        .execute(&mut *t.db.conn().await.unwrap())
        .await
        .unwrap();
    let count = |table: &'static str| {
        let t = &t;
        async move {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut *t.db.conn().await.unwrap())
                .await
                .unwrap();
            n
        }
    };
    println!(
        "wrote {} residents, {} attendances, {} enrolments, {} contracts, {} pay periods and \
         {} timesheet rows in {:.1?}",
        count("residents").await,
        count("attendances").await,
        count("enrolments").await,
        count("engagements").await,
        count("pay_periods").await,
        count("timesheet_entries").await,
        started.elapsed()
    );

    let hagi = regions[0];
    let city = account(
        &s,
        "bench-city",
        Role::Municipal,
        AccountScope::Regions(vec![hagi]),
    )
    .await;
    let admin = account(&s, "bench-admin", Role::Admin, AccountScope::Platform).await;
    let fy = Period::new(day("2023-04-01"), day("2024-03-31")).unwrap();
    let row = |kpi, target, reported| PlanRow {
        kpi,
        target: Some(target),
        owner: "企画課".into(),
        reported: Some(reported),
        parts: vec![],
        note: String::new(),
    };
    s.create_kpi_plan(
        &city,
        PlanInput {
            regions: vec![hagi],
            title: "令和5年度 計画".into(),
            from: fy.from,
            to: fy.to,
            rows: vec![
                row(Kpi::Participants, 50_000, 100_000),
                row(Kpi::PaidResidents, 3_000, 4_000),
                row(Kpi::Income, 400_000_000, 500_000_000),
                row(Kpi::ParticipantsUnique, 5_000, 10_000),
                row(Kpi::Projects, 10, 0),
            ],
            source: "bench".into(),
        },
    )
    .await
    .unwrap();

    let d = s.kpi_dashboard(&city, hagi, fy).await.unwrap();
    let value = |k: Kpi| {
        d.figures
            .iter()
            .find(|f| f.kpi == k)
            .and_then(|f| f.value)
            .unwrap_or(0.0)
    };
    println!(
        "one municipality, FY2023: {} attendances, {} people, {} working, ¥{} confirmed, \
         median {} days to pay",
        value(Kpi::Participants),
        value(Kpi::ParticipantsUnique),
        value(Kpi::PaidResidents),
        value(Kpi::Income),
        value(Kpi::MedianDaysToPaid)
    );
    println!("stayed in the region: {}", value(Kpi::Stayed));
    let dashboard = time(20, |_| {
        let (s, a) = (s.clone(), city.clone());
        async move { s.kpi_dashboard(&a, hagi, fy).await.unwrap() }
    })
    .await;
    dashboard.line("dashboard: one municipality, FY2023, with its plan");
    let comparison = time(10, |_| {
        let (s, a) = (s.clone(), admin.clone());
        async move { s.kpi_comparison(&a, "35", fy).await.unwrap() }
    })
    .await;
    comparison.line("comparison: the prefecture's ten municipalities");
    for k in [
        Kpi::Income,
        Kpi::ParticipantsUnique,
        Kpi::PaidResidents,
        Kpi::Stayed,
    ] {
        let rows = time(10, |_| {
            let (s, a) = (s.clone(), city.clone());
            async move { s.kpi_rows(&a, hagi, k, fy).await.unwrap() }
        })
        .await;
        let total = s.kpi_rows(&city, hagi, k, fy).await.unwrap().total;
        rows.line(&format!("rows: {k} (first 1,000 of {total})"));
    }
    let report = time(10, |_| {
        let (s, a) = (s.clone(), city.clone());
        async move { s.kpi_report(&a, hagi, fy).await.unwrap() }
    })
    .await;
    report.line("results report: one municipality, FY2023");
    let f = s
        .kpi_forecast(&city, hagi, ProgramKind::ItBasicsBeginner, 5)
        .await
        .unwrap()
        .expect("the generated courses");
    println!(
        "forecast of 5 more beginners' courses from {} courses and {} people: {:.0} in work \
         ({:.0}–{:.0}), ¥{:.0}",
        f.history.len(),
        f.people,
        f.in_work_expected.map_or(0.0, |r| r.expected),
        f.in_work_expected.map_or(0.0, |r| r.low),
        f.in_work_expected.map_or(0.0, |r| r.high),
        f.income.map_or(0.0, |r| r.expected)
    );
    let forecast = time(10, |_| {
        let (s, a) = (s.clone(), city.clone());
        async move {
            s.kpi_forecast(&a, hagi, ProgramKind::ItBasicsBeginner, 5)
                .await
                .unwrap()
        }
    })
    .await;
    forecast.line("forecast: five more courses of a kind, one municipality");
    println!("peak memory: {:.0} MiB", peak_rss_mib());
    // JIMOTO_BENCH_KEEP=1 leaves the database behind to look at its query plans.
    if std::env::var_os("JIMOTO_BENCH_KEEP").is_some() {
        println!("kept: {}", t.url);
        std::mem::forget(t);
    }
}
