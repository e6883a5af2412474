//! Measures the growth path on generated data of realistic size, on SQLite or PostgreSQL: one
//! region with 100,000 residents, 50 courses of 20 sessions, 200,000 sign-ups and 1,000,000
//! attendances, some completions and later stages. Times the funnel (region, fiscal year,
//! program), a program's counts, a session's check-in list and the stalled list through the
//! services, as a coordinator of the region.
//!
//! ```sh
//! cargo run --release -p jimoto --example bench_growth -- sqlite [RESIDENTS]
//! scripts/with-postgres cargo run --release -p jimoto --example bench_growth -- postgres
//! ```
//! Residents are written through the store (their match keys, stage and search entries too);
//! sign-ups, attendances and stage changes in multi-row inserts of generated numbers (no text
//! from outside), which is what the services write minus the checks. Prints p50, p99 and the
//! maximum of each operation; nothing is asserted.

#![allow(clippy::print_stdout)]

mod support;

use std::time::Instant;

use chrono::{NaiveDate, NaiveTime};
use jimoto_domain::calendar::{FiscalYear, jst_instant};
use jimoto_domain::growth::FunnelScope;
use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::program::{
    Audience, CompletionRule, ProgramInput, ProgramKind, SessionInput, SessionMode,
};
use jimoto_domain::resident::{Circumstances, OfficeVisits, ResidentInput};
use jimoto_domain::{AccountScope, Actor, ProgramId, Role, SessionId};
use jimoto_services::Services;
use jimoto_store::residents;
use jimoto_testkit::{Engine, TestDb};
use support::{account, insert_rows, peak_rss_mib, region_with, time};

const PROGRAMS: usize = 50;
const SESSIONS: usize = 20;
/// Each resident signs up for two courses and attends five sessions of each.
const PER_RESIDENT_PROGRAMS: usize = 2;
const ATTENDED_PER_PROGRAM: usize = 5;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = support::engine(&args);
    let people: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    println!("engine={} residents={people}", engine.name());
    let t = TestDb::new(engine).await;
    let s: Services = t.services();

    let started = Instant::now();
    let (region, org) = region_with(
        &t,
        "352047",
        OrganisationInput {
            region_id: jimoto_domain::RegionId(0),
            name: "講座運営会社".into(),
            name_kana: "コウザウンエイガイシャ".into(),
            kind: OrgKind::UrbanCompany,
            industry: "情報通信業".into(),
            hq_prefecture: "13".into(),
            telework_share_percent: None,
        },
    )
    .await;
    let coord: Actor = account(
        &s,
        "coord",
        Role::Coordinator,
        AccountScope::Regions(vec![region]),
    )
    .await;

    let mut ids = Vec::with_capacity(people);
    let mut i = 0;
    while i < people {
        let mut tx = t.db.begin().await.unwrap();
        for _ in 0..1000.min(people - i) {
            let input = ResidentInput {
                region_id: region,
                name: format!("住民 {i}"),
                name_kana: "ジュウミン".into(),
                email: String::new(),
                phone: format!("090-{:04}-{:04}", i / 10_000, i % 10_000),
                circumstances: Circumstances::default(),
                skills: vec![],
                spare_hours_per_week: 10,
                time_windows: vec![],
                work_styles: vec![],
                office_visits: OfficeVisits::Never,
                max_travel_minutes: None,
                moved_away_on: None,
            };
            ids.push(residents::insert(&mut tx, &input, None).await.unwrap());
            i += 1;
        }
        tx.commit().await.unwrap();
    }
    println!("residents written in {:.1?}", started.elapsed());

    // Courses from April 2023, a week apart, each with 20 weekly sessions.
    let started = Instant::now();
    let first = NaiveDate::from_ymd_opt(2023, 4, 10).unwrap();
    let mut programs: Vec<(ProgramId, Vec<(SessionId, i64)>)> = Vec::new();
    for k in 0..PROGRAMS {
        let p = s
            .create_program(
                &coord,
                ProgramInput {
                    region_id: region,
                    kind: ProgramKind::ItBasicsBeginner,
                    audience: Audience::Residents,
                    title: format!("IT基礎講座 第{k}期"),
                    description: String::new(),
                    organiser_id: org,
                    partners: vec![],
                    capacity: None,
                    completion: CompletionRule::Attendance,
                    min_attendance_percent: Some(20),
                },
            )
            .await
            .unwrap();
        let mut sessions = Vec::new();
        for n in 0..SESSIONS {
            let date = first + chrono::Duration::days((k * 7 + n * 7) as i64);
            let sess = s
                .add_session(
                    &coord,
                    p.id,
                    SessionInput {
                        date,
                        starts_at: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                        ends_at: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                        mode: SessionMode::Online,
                        venue_name: String::new(),
                        venue_address: String::new(),
                        online_url: "https://meet.example.jp/x".into(),
                    },
                )
                .await
                .unwrap();
            let at = jst_instant(date, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
            sessions.push((sess.id, at.timestamp_millis()));
        }
        programs.push((p.id, sessions));
    }
    let program_of = |r: usize, j: usize| (r * 7 + j * 13) % PROGRAMS;
    let r0 = region.0;
    // Sign-ups a day before the course; completion (5 of 20 = 25% ≥ 20%) at the fifth session.
    insert_rows(
        &t,
        "INSERT INTO enrolments (program_id, region_id, resident_id, status, channel, source, \
         consent_version, signed_up_at, completed_at, updated_at)",
        ids.iter().enumerate().flat_map(|(r, rid)| {
            let programs = &programs;
            (0..PER_RESIDENT_PROGRAMS).map(move |j| {
                let (p, sessions) = &programs[program_of(r, j)];
                let signed = sessions[0].1 - 86_400_000;
                let done = sessions[(r + j) % 4 + ATTENDED_PER_PROGRAM - 1].1;
                let completed = if r % 3 == 0 { done.to_string() } else { "NULL".into() };
                format!(
                    "({}, {r0}, {}, 'enrolled', 'city_bulletin', 'public', '2026-04', {signed}, {completed}, {signed})",
                    p.0, rid.0
                )
            })
        }),
    )
    .await;
    insert_rows(
        &t,
        "INSERT INTO attendances (session_id, resident_id, program_id, region_id, attended_at, walk_in)",
        ids.iter().enumerate().flat_map(|(r, rid)| {
            let programs = &programs;
            (0..PER_RESIDENT_PROGRAMS).flat_map(move |j| {
                let (p, sessions) = &programs[program_of(r, j)];
                (0..ATTENDED_PER_PROGRAM).map(move |n| {
                    let (sid, at) = sessions[(r + j) % 4 + n];
                    format!("({}, {}, {}, {r0}, {at}, 0)", sid.0, rid.0, p.0)
                })
            })
        }),
    )
    .await;
    // Later stages for some: one in ten applied, one in twenty hired, one in forty paid.
    insert_rows(
        &t,
        "INSERT INTO stage_changes (resident_id, region_id, stage, previous, at, cause, reason)",
        ids.iter().enumerate().flat_map(|(r, rid)| {
            let base = programs[program_of(r, 0)].1[SESSIONS - 1].1;
            [
                ("applied", 10, 7),
                ("hired", 20, 30),
                ("first_paid", 40, 60),
            ]
            .into_iter()
            .filter(move |(_, every, _)| r % every == 0)
            .map(move |(stage, _, days)| {
                format!(
                    "({}, {r0}, '{stage}', NULL, {}, 'by_hand', 'bench')",
                    rid.0,
                    base + days * 86_400_000
                )
            })
        }),
    )
    .await;
    sqlx::query("UPDATE resident_stages SET stage = 'attended', since = $1 WHERE region_id = $2")
        .bind(programs[0].1[4].1)
        .bind(r0)
        .execute(&mut *t.db.conn().await.unwrap())
        .await
        .unwrap();
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendances")
        .fetch_one(&mut *t.db.conn().await.unwrap())
        .await
        .unwrap();
    println!(
        "{} programs, {} sessions, {} sign-ups, {counted} attendances written in {:.1?}",
        PROGRAMS,
        PROGRAMS * SESSIONS,
        people * PER_RESIDENT_PROGRAMS,
        started.elapsed()
    );
    if engine == Engine::Postgres {
        sqlx::query("ANALYZE")
            .execute(&mut *t.db.conn().await.unwrap())
            .await
            .unwrap();
    }

    let n = 20;
    let (p, sessions) = &programs[PROGRAMS / 2];
    time(n, |_| s.funnel(&coord, FunnelScope::Region(region)))
        .await
        .line("funnel, region (100k people)");
    time(n, |_| {
        s.funnel(
            &coord,
            FunnelScope::FiscalYear(Some(region), FiscalYear(2023)),
        )
    })
    .await
    .line("funnel, region and fiscal year");
    time(n, |_| s.funnel(&coord, FunnelScope::Program(*p)))
        .await
        .line("funnel, one program");
    time(n * 5, |_| s.program_counts(&coord, *p))
        .await
        .line("a program's counts (unique and attendances)");
    time(n * 5, |_| s.check_in_list(&coord, *p, sessions[5].0))
        .await
        .line("a session's check-in list");
    time(n * 5, |_| s.stalled(&coord, 50))
        .await
        .line("the stalled list (first 50)");
    let c = s.program_counts(&coord, *p).await.unwrap();
    let (stalled, total) = s.stalled(&coord, 50).await.unwrap();
    println!(
        "program: {} people, {} attendances; stalled: {} shown of {total}",
        c.enrolled_people,
        c.attendances,
        stalled.len()
    );
    println!("peak memory {:.0} MiB", peak_rss_mib());
}
