//! Measures work on generated data of realistic size, on SQLite or PostgreSQL:
//!
//! - the public job board over 100,000 open postings in 10 regions: the first page, words of
//!   two characters and more (common and rare), each filter, and words with filters;
//! - a month's pay run at a BPO company with 5,000 contracts and 1,000,000 timesheet rows
//!   (10 months × 20 days each): approving each of the month's 5,000 periods through the
//!   services (the minutes counted from the days, pay and withholding fixed, the growth path
//!   moved), the month's payment list, and one contract's month of hours.
//!
//! ```sh
//! cargo run --release -p jimoto --example bench_work -- sqlite [POSTINGS] [CONTRACTS]
//! scripts/with-postgres cargo run --release -p jimoto --example bench_work -- postgres
//! ```
//! Postings are written through the store (each with its skills and its search index entries,
//! as the services write them); contracts and residents through the store too; pay periods
//! and timesheet rows in multi-row inserts of generated numbers and dates (no text from
//! outside). Prints p50, p99 and the maximum of each operation; nothing is asserted.

#![allow(clippy::print_stdout)]

mod support;

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::region::RegionInput;
use jimoto_domain::resident::{Circumstances, OfficeVisits, ResidentInput, Skill};
use jimoto_domain::work::engagement::{PaymentMethod, Terms};
use jimoto_domain::work::{
    BoardFilter, Category, ContractKind, EngagementInput, JobLevel, PayKind, PostingInput,
    PostingStatus, WorkPlace,
};
use jimoto_domain::{
    AccountScope, OrganisationId, PageRequest, PeriodId, RegionId, Role, municipality,
};
use jimoto_services::Services;
use jimoto_store::work::engagements::{self, Parties};
use jimoto_store::{organisations, regions, residents, work};
use jimoto_testkit::TestDb;
use support::{account, insert_rows, peak_rss_mib, time};

/// Kinds of work with the words their titles use.
const WORK: [(&str, Category, &str); 12] = [
    ("経理の月次締め補助", Category::Accounting, "クラウド会計"),
    ("請求書のデータ入力", Category::DataEntry, "Excel"),
    ("アンケートの打ち込み", Category::DataEntry, "Excel"),
    (
        "マーケティング記事の作成",
        Category::Writing,
        "Webライティング",
    ),
    ("SNS投稿文の作成", Category::Writing, "SNS運用"),
    ("チラシのデザイン", Category::Design, "Canva"),
    ("動画の編集", Category::Video, "Premiere Pro"),
    ("Webサイトの更新", Category::Web, "WordPress"),
    (
        "AI学習データのアノテーション",
        Category::Annotation,
        "アノテーション",
    ),
    ("GISデータの整備", Category::Gis, "QGIS"),
    ("ウェビナーの運営補助", Category::EventOps, "Zoom"),
    ("問い合わせメールの一次対応", Category::Support, "Gmail"),
];

/// Ten municipalities of Yamaguchi prefecture.
const CODES: [&str; 10] = [
    "352047", "352012", "352021", "352039", "352128", "352063", "352071", "352080", "352101",
    "352110",
];

fn posting(region: RegionId, i: usize) -> PostingInput {
    let (title, category, skill) = WORK[i % WORK.len()];
    let hourly = !i.is_multiple_of(3);
    PostingInput {
        region_id: region,
        title: format!("{title}（{}）", i % 97),
        description: format!(
            "{title}をお願いします。{skill}を使います。週に数時間から、在宅でできます。案件番号{i}"
        ),
        category,
        skills: vec![Skill {
            name: skill.into(),
            level: 1 + i64::try_from(i % 3).unwrap_or(0),
        }],
        level: [JobLevel::Ojt, JobLevel::SmallJob, JobLevel::Recurring][i % 3],
        contract: if i.is_multiple_of(4) {
            ContractKind::Employment
        } else {
            ContractKind::Outsourcing
        },
        trial_months: i.is_multiple_of(2).then_some(3),
        pay_kind: if hourly {
            PayKind::Hourly
        } else {
            PayKind::Fixed
        },
        pay_yen: if hourly {
            1000 + 50 * i64::try_from(i % 10).unwrap_or(0)
        } else {
            30_000 + 5_000 * i64::try_from(i % 6).unwrap_or(0)
        },
        hours_per_week: 5 + i64::try_from(i % 16).unwrap_or(0),
        days_per_month: 8,
        time_windows: vec![],
        duration_months: Some(3),
        places: 1 + i64::try_from(i % 4).unwrap_or(0),
        work_place: if i.is_multiple_of(7) {
            WorkPlace::Office
        } else {
            WorkPlace::Remote
        },
        office_visits_per_month: if i.is_multiple_of(7) { 2 } else { 0 },
        office_place: if i.is_multiple_of(7) {
            "駅前のサテライトオフィス".into()
        } else {
            String::new()
        },
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = support::engine(&args);
    let postings: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let contracts: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5_000);
    println!(
        "engine={} postings={postings} contracts={contracts} timesheet_rows={}",
        engine.name(),
        contracts * 10 * 20
    );
    let t = TestDb::new(engine).await;
    let s: Services = t.services();

    // Ten regions and a company in each.
    let started = Instant::now();
    let mut places: Vec<(RegionId, OrganisationId)> = Vec::new();
    {
        let mut tx = t.db.begin().await.unwrap();
        for code in CODES {
            let m = municipality::all()
                .iter()
                .find(|m| m.code == code)
                .expect("in the national list");
            let region = regions::insert(
                &mut tx,
                m,
                &RegionInput {
                    lg_code: m.code.clone(),
                    ..RegionInput::default()
                },
            )
            .await
            .unwrap();
            let org = organisations::insert(
                &mut tx,
                &OrganisationInput {
                    region_id: region,
                    name: format!("{}の事務センター", m.name),
                    name_kana: "ジムセンター".into(),
                    kind: OrgKind::LocalCompany,
                    industry: "サービス業".into(),
                    hq_prefecture: "35".into(),
                    telework_share_percent: None,
                },
            )
            .await
            .unwrap();
            places.push((region, org));
        }
        tx.commit().await.unwrap();
    }
    let mut i = 0;
    while i < postings {
        let mut tx = t.db.begin().await.unwrap();
        for _ in 0..1000.min(postings - i) {
            let (region, org) = places[i % places.len()];
            work::insert_posting(&mut tx, org, &posting(region, i), None, PostingStatus::Open)
                .await
                .unwrap();
            i += 1;
        }
        tx.commit().await.unwrap();
    }
    println!(
        "wrote {postings} postings with their search index in {:.1?}",
        started.elapsed()
    );

    let board = |f: BoardFilter| {
        let s = s.clone();
        move |_| {
            let (s, f) = (s.clone(), f.clone());
            async move { s.board(&f, &PageRequest::default()).await.unwrap() }
        }
    };
    let q = |w: &str| BoardFilter {
        q: Some(w.into()),
        ..BoardFilter::default()
    };
    let n = 50;
    for (what, f) in [
        ("board: first page", BoardFilter::default()),
        ("board: 経理 (1 in 12)", q("経理")),
        ("board: データ入力 (2 in 12)", q("データ入力")),
        ("board: ＷＥＢ (full width)", q("ＷＥＢ")),
        ("board: ｳｪﾌﾞ (half-width kana)", q("ｳｪﾌﾞ")),
        ("board: 案件番号99999 (one posting)", q("案件番号99999")),
        ("board: premiere", q("premiere")),
        (
            "board: region",
            BoardFilter {
                region: Some(places[3].0),
                ..BoardFilter::default()
            },
        ),
        (
            "board: at most 8 h a week",
            BoardFilter {
                max_hours: Some(8),
                ..BoardFilter::default()
            },
        ),
        (
            "board: at least ¥1,400 an hour",
            BoardFilter {
                min_hourly: Some(1400),
                ..BoardFilter::default()
            },
        ),
        (
            "board: office, recurring, design",
            BoardFilter {
                work_place: Some(WorkPlace::Office),
                level: Some(JobLevel::Recurring),
                category: Some(Category::Design),
                ..BoardFilter::default()
            },
        ),
        (
            "board: 動画 + region + ≤ 10 h + ≥ ¥1,200",
            BoardFilter {
                q: Some("動画".into()),
                region: Some(places[1].0),
                max_hours: Some(10),
                min_hourly: Some(1200),
                ..BoardFilter::default()
            },
        ),
    ] {
        time(n, board(f)).await.line(what);
    }

    // The pay run: one company, `contracts` residents each with a running contract from April
    // 2024, ten months of 20 logged days; the first nine months paid, the tenth submitted.
    let started = Instant::now();
    let (region, org) = places[0];
    let company = account(
        &s,
        "bpo",
        Role::CompanyMember,
        AccountScope::Organisation(org),
    )
    .await;
    let start = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
    let input = EngagementInput {
        contract: ContractKind::Outsourcing,
        pay_kind: PayKind::Hourly,
        rate_yen: 1200,
        hours_per_week: 10,
        start_date: start,
        trial_end: None,
        end_date: None,
        terms: Terms {
            work_description: "請求書のデータ入力".into(),
            order_date: Some(start),
            delivery_date: None,
            delivery_place: "共有フォルダ".into(),
            inspection: false,
            inspection_days: None,
            payment_due_days: Some(30),
            payment_method: Some(PaymentMethod::BankTransfer),
            payment_method_detail: String::new(),
        },
    };
    let mut eids = Vec::with_capacity(contracts);
    let mut i = 0;
    while i < contracts {
        let mut tx = t.db.begin().await.unwrap();
        for _ in 0..1000.min(contracts - i) {
            let r = residents::insert(
                &mut tx,
                &ResidentInput {
                    region_id: region,
                    name: format!("在宅 ワーカー{i}"),
                    name_kana: "ザイタク ワーカー".into(),
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
                },
                None,
            )
            .await
            .unwrap();
            let e = engagements::insert_engagement(
                &mut tx,
                Parties {
                    application: None,
                    posting: None,
                    organisation: org,
                    region,
                    resident: r,
                    channel: jimoto_domain::growth::Channel::CityBulletin,
                    category: Category::DataEntry,
                },
                &input,
                false,
            )
            .await
            .unwrap();
            engagements::start_engagement(&mut tx, e).await.unwrap();
            eids.push((e.0, r.0));
            i += 1;
        }
        tx.commit().await.unwrap();
    }
    let months: Vec<NaiveDate> = (0..10)
        .map(|m| start.checked_add_months(chrono::Months::new(m)).unwrap())
        .collect();
    let last = |d: NaiveDate| {
        d.checked_add_months(chrono::Months::new(1))
            .unwrap()
            .pred_opt()
            .unwrap()
    };
    insert_rows(
        &t,
        "INSERT INTO pay_periods (engagement_id, organisation_id, region_id, resident_id, \
         starts_on, ends_on, status, minutes, amount_yen, withholding_yen, due_on, paid_on)",
        eids.iter().flat_map(|(e, r)| {
            let months = months.clone();
            let (e, r) = (*e, *r);
            months.into_iter().enumerate().map(move |(m, d)| {
                let done = m < 9;
                format!(
                    "({e}, {}, {}, {r}, '{d}', '{}', '{}', 6000, {}, {}, {}, {})",
                    org.0,
                    region.0,
                    last(d),
                    if done { "paid" } else { "submitted" },
                    if done { "120000" } else { "NULL" },
                    if done { "0" } else { "NULL" },
                    if done {
                        format!("'{}'", last(d) + chrono::Days::new(30))
                    } else {
                        "NULL".into()
                    },
                    if done {
                        format!("'{}'", last(d) + chrono::Days::new(30))
                    } else {
                        "NULL".into()
                    },
                )
            })
        }),
    )
    .await;
    let periods: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, engagement_id, starts_on FROM pay_periods ORDER BY id")
            .fetch_all(&mut *t.db.conn().await.unwrap())
            .await
            .unwrap();
    insert_rows(
        &t,
        "INSERT INTO timesheet_entries (engagement_id, day, period_id, minutes, note, updated_at)",
        periods.iter().flat_map(|(p, e, starts)| {
            let first = NaiveDate::parse_from_str(starts, "%Y-%m-%d").unwrap();
            let (p, e) = (*p, *e);
            (0..20u64).map(move |d| {
                let day = first + chrono::Days::new(d);
                format!("({e}, '{day}', {p}, 300, '', 0)")
            })
        }),
    )
    .await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM timesheet_entries")
        .fetch_one(&mut *t.db.conn().await.unwrap())
        .await
        .unwrap();
    println!(
        "wrote {contracts} contracts, {} periods and {rows} timesheet rows in {:.1?}",
        periods.len(),
        started.elapsed()
    );
    let month = *months.last().unwrap();
    let to_approve: Vec<PeriodId> = periods
        .iter()
        .filter(|(_, _, st)| st == &month.to_string())
        .map(|(p, _, _)| PeriodId(*p))
        .collect();
    let run = Instant::now();
    let stats = time(to_approve.len(), |i| {
        let (s, company, p) = (s.clone(), company.clone(), to_approve[i]);
        async move { s.approve_period(&company, p).await.unwrap() }
    })
    .await;
    let total = run.elapsed();
    stats.line("pay run: approve one period (services)");
    println!(
        "pay run: {} periods of {}-{:02} approved in {total:.1?}",
        to_approve.len(),
        month.year(),
        month.month()
    );
    let list = time(20, |_| {
        let (s, company) = (s.clone(), company.clone());
        async move {
            s.payments(&company, org, (month, last(month)))
                .await
                .unwrap()
        }
    })
    .await;
    list.line(&format!(
        "payment list of the month ({} rows)",
        to_approve.len()
    ));
    let first_month = months[0];
    let year = time(5, |_| {
        let (s, company) = (s.clone(), company.clone());
        async move {
            s.payments(&company, org, (first_month, last(month)))
                .await
                .unwrap()
        }
    })
    .await;
    year.line(&format!(
        "payment list of ten months ({} rows)",
        periods.len()
    ));
    let sheet = time(100, |i| {
        let (s, company) = (s.clone(), company.clone());
        let e = jimoto_domain::EngagementId(eids[i * 37 % eids.len()].0);
        async move { s.timesheet(&company, e, Some(month)).await.unwrap() }
    })
    .await;
    sheet.line("one contract's month of hours");
    println!("peak memory: {:.0} MiB", peak_rss_mib());
}
