//! Measures matching in the product on generated data of a large region, on SQLite or
//! PostgreSQL: a coordinator's allocation of every resident to every open place (read, mapped,
//! indexed, solved exactly, compared with best-first, explained), the jobs recommended to a
//! resident, the people a posting suits, and accepting 100 pairs as applications.
//!
//! ```sh
//! cargo run --release -p jimoto --example bench_match -- sqlite [RESIDENTS] [POSTINGS]
//! scripts/with-postgres cargo run --release -p jimoto --example bench_match -- postgres
//! ```
//! Residents and postings are written through the store (skills, hours, windows and work
//! styles varied by their number); nothing is asserted; p50, p99 and the maximum are printed.

#![allow(clippy::print_stdout)]

mod support;

use std::time::Instant;

use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::work::matching::{AllocationRequest, PairRef};
use jimoto_domain::work::{
    Category, ContractKind, JobLevel, PayKind, PostingInput, PostingStatus, WorkPlace,
};
use jimoto_domain::{AccountScope, PostingId, RegionId, ResidentId, Role};
use jimoto_services::Services;
use jimoto_store::{residents, work};
use jimoto_testkit::TestDb;
use support::{account, peak_rss_mib, region_with, time};

/// Skills the region's courses teach and its companies ask for.
const SKILLS: [&str; 12] = [
    "Excel",
    "Word",
    "PowerPoint",
    "Zoom",
    "文章作成",
    "データ入力",
    "AIアノテーション",
    "Canva",
    "WordPress",
    "QGIS",
    "クラウド会計",
    "SNS運用",
];

const WINDOWS: [TimeWindow; 4] = [
    TimeWindow::WeekdayMorning,
    TimeWindow::WeekdayAfternoon,
    TimeWindow::WeekdayEvening,
    TimeWindow::Weekend,
];

fn n64(x: usize) -> i64 {
    i64::try_from(x).unwrap_or(0)
}

fn resident(region: jimoto_domain::RegionId, i: usize) -> ResidentInput {
    let skills = (0..1 + i % 3)
        .map(|k| Skill {
            name: SKILLS[(i * 7 + k * 5) % SKILLS.len()].into(),
            level: 1 + n64((i + k) % 4),
        })
        .collect();
    ResidentInput {
        region_id: region,
        name: format!("住民 {i}"),
        name_kana: "ジュウミン".into(),
        email: String::new(),
        phone: String::new(),
        circumstances: Circumstances::default(),
        skills,
        spare_hours_per_week: 5 + n64(i % 26),
        time_windows: (0..1 + i % 3).map(|k| WINDOWS[(i + k) % 4]).collect(),
        work_styles: vec![if i.is_multiple_of(3) {
            WorkStyle::TeleworkEmployment
        } else {
            WorkStyle::SpareTime
        }],
        office_visits: [
            OfficeVisits::Never,
            OfficeVisits::Monthly,
            OfficeVisits::Weekly,
        ][i % 3],
        max_travel_minutes: (!i.is_multiple_of(3)).then_some(30),
        moved_away_on: None,
    }
}

fn posting(region: jimoto_domain::RegionId, i: usize) -> PostingInput {
    PostingInput {
        region_id: region,
        title: format!("{}の仕事（{i}）", SKILLS[i % SKILLS.len()]),
        description: String::new(),
        category: Category::Other,
        skills: (0..1 + i % 2)
            .map(|k| Skill {
                name: SKILLS[(i + k * 3) % SKILLS.len()].into(),
                level: 1 + n64((i + k) % 3),
            })
            .collect(),
        level: [JobLevel::Ojt, JobLevel::SmallJob, JobLevel::SmallJob][i % 3],
        contract: if i.is_multiple_of(4) {
            ContractKind::Employment
        } else {
            ContractKind::Outsourcing
        },
        trial_months: None,
        pay_kind: PayKind::Hourly,
        pay_yen: 1000 + 50 * n64(i % 10),
        hours_per_week: 3 + n64(i % 12),
        days_per_month: 8,
        time_windows: if i.is_multiple_of(3) {
            vec![WINDOWS[i % 4]]
        } else {
            vec![]
        },
        duration_months: Some(6),
        places: 1 + n64(i % 4),
        work_place: if i.is_multiple_of(7) {
            WorkPlace::Office
        } else {
            WorkPlace::Remote
        },
        office_visits_per_month: if i.is_multiple_of(7) { 1 } else { 0 },
        office_place: String::new(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = support::engine(&args);
    let people: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let postings: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1_000);
    println!(
        "engine={} residents={people} postings={postings}",
        engine.name()
    );
    let t = TestDb::new(engine).await;
    let s: Services = t.services();
    let started = Instant::now();
    let (region, org) = region_with(
        &t,
        "352047",
        OrganisationInput {
            region_id: RegionId(0),
            name: "萩の事務センター".into(),
            name_kana: "ハギノジムセンター".into(),
            kind: OrgKind::LocalCompany,
            industry: "サービス業".into(),
            hq_prefecture: "35".into(),
            telework_share_percent: None,
        },
    )
    .await;
    let mut ids: Vec<ResidentId> = Vec::with_capacity(people);
    for chunk in (0..people).collect::<Vec<_>>().chunks(1000) {
        let mut tx = t.db.begin().await.unwrap();
        for &i in chunk {
            ids.push(
                residents::insert(&mut tx, &resident(region, i), None)
                    .await
                    .unwrap(),
            );
        }
        tx.commit().await.unwrap();
    }
    let mut jobs: Vec<PostingId> = Vec::with_capacity(postings);
    for chunk in (0..postings).collect::<Vec<_>>().chunks(1000) {
        let mut tx = t.db.begin().await.unwrap();
        for &i in chunk {
            jobs.push(
                work::insert_posting(&mut tx, org, &posting(region, i), None, PostingStatus::Open)
                    .await
                    .unwrap(),
            );
        }
        tx.commit().await.unwrap();
    }
    println!("wrote the region in {:.1?}", started.elapsed());
    let coord = account(
        &s,
        "coord",
        Role::Coordinator,
        AccountScope::Regions(vec![region]),
    )
    .await;

    let everyone = AllocationRequest::default();
    let p = s.allocate(&coord, region, &everyone).await.unwrap();
    println!(
        "allocation: {} people, {} postings with places, {} candidate pairs; total {} in {} pairs, \
         best-first {} in {} pairs ({:.1}% below)",
        p.people.len(),
        p.postings.len(),
        p.candidate_pairs,
        p.total,
        p.pairs.len(),
        p.greedy_total,
        p.greedy_pairs,
        (p.total - p.greedy_total) as f64 * 100.0 / p.total.max(1) as f64
    );
    time(5, |_| {
        let (s, coord, everyone) = (s.clone(), coord.clone(), everyone.clone());
        async move { s.allocate(&coord, region, &everyone).await.unwrap() }
    })
    .await
    .line("allocate everyone (read, index, solve, greedy, explain)");
    let pinned = AllocationRequest {
        pinned: p
            .alternatives
            .iter()
            .take(1)
            .map(|a| PairRef {
                resident_id: a.resident_id,
                posting_id: a.posting_id,
            })
            .collect(),
        ..AllocationRequest::default()
    };
    time(5, |_| {
        let (s, coord, pinned) = (s.clone(), coord.clone(), pinned.clone());
        async move { s.allocate(&coord, region, &pinned).await.unwrap() }
    })
    .await
    .line("allocate everyone with a pin (solved again)");
    time(200, |i| {
        let (s, coord, r) = (s.clone(), coord.clone(), ids[(i * 7919) % ids.len()]);
        async move { s.recommended_jobs(&coord, r, 10).await.unwrap() }
    })
    .await
    .line("top-10 jobs for a resident (reads the region)");
    time(100, |i| {
        let (s, coord, j) = (s.clone(), coord.clone(), jobs[(i * 104_729) % jobs.len()]);
        async move { s.recommended_people(&coord, j, 10).await.unwrap() }
    })
    .await
    .line("top-10 people for a posting (reads the region)");
    let pairs: Vec<PairRef> = p
        .pairs
        .iter()
        .take(100)
        .map(|x| PairRef {
            resident_id: x.resident_id,
            posting_id: x.posting_id,
        })
        .collect();
    let t0 = Instant::now();
    let apps = s.accept_allocation(&coord, region, &pairs).await.unwrap();
    println!(
        "accept {} pairs as applications (one transaction): {:.1?}",
        apps.len(),
        t0.elapsed()
    );
    println!("peak memory {:.0} MiB", peak_rss_mib());
}
