//! Measures the foundation on generated data of realistic size, on SQLite or PostgreSQL:
//! bulk registration through the services, the scoped resident list with filters, one
//! resident, an audited update, session lookups, logins, and the JSON API under concurrent load.
//!
//! ```sh
//! cargo run --release -p jimoto --example bench -- sqlite [REGIONS] [RESIDENTS_PER_REGION]
//! scripts/with-postgres cargo run --release -p jimoto --example bench -- postgres
//! ```
//! Prints medians and 95th percentiles; nothing here is asserted (tests never time things).

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::region::RegionInput;
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{Actor, Lang, LgCode, RegionId, ResidentId, Role};
use jimoto_services::{AccountScope, NewAccount, PageRequest, Services};
use jimoto_store::residents::ResidentFilter;
use jimoto_testkit::{Engine, TestDb};

const PASSWORD: &str = "bench-password-123";
const SKILLS: [&str; 12] = [
    "Excel",
    "Word",
    "AIアノテーション",
    "GIS",
    "QGIS",
    "Re:Earth",
    "Python",
    "Webライティング",
    "Canva",
    "データ入力",
    "ウェビナー運営",
    "SNS運用",
];
const FAMILY: [&str; 10] = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
];
const FAMILY_KANA: [&str; 10] = [
    "サトウ",
    "スズキ",
    "タカハシ",
    "タナカ",
    "イトウ",
    "ワタナベ",
    "ヤマモト",
    "ナカムラ",
    "コバヤシ",
    "カトウ",
];
const GIVEN: [&str; 8] = ["花子", "健一", "美咲", "大輔", "陽子", "翔", "結衣", "剛"];
const GIVEN_KANA: [&str; 8] = [
    "ハナコ",
    "ケンイチ",
    "ミサキ",
    "ダイスケ",
    "ヨウコ",
    "ショウ",
    "ユイ",
    "ツヨシ",
];

/// Valid local government codes: prefecture 35, municipality numbers with their check digit.
fn code(i: usize) -> String {
    (0..)
        .map(|n| format!("35{:03}", 200 + i * 7 + n))
        .find_map(|five| {
            (0..10)
                .map(|d| format!("{five}{d}"))
                .find(|c| LgCode::parse(c).is_ok())
        })
        .unwrap_or_default()
}

fn resident(region: RegionId, i: usize) -> ResidentInput {
    ResidentInput {
        region_id: region,
        name: format!("{} {}", FAMILY[i % 10], GIVEN[(i / 10) % 8]),
        name_kana: format!("{} {}", FAMILY_KANA[i % 10], GIVEN_KANA[(i / 10) % 8]),
        email: format!("r{i}@example.jp"),
        phone: format!("090-{:04}-{:04}", i / 10_000, i % 10_000),
        circumstances: Circumstances {
            childcare: i.is_multiple_of(3),
            care: i.is_multiple_of(7),
            treatment: i.is_multiple_of(11),
            note: String::new(),
        },
        skills: (0..3)
            .map(|k| Skill {
                name: SKILLS[(i + k * 5) % 12].into(),
                level: ((i + k) % 5 + 1) as i64,
            })
            .collect(),
        spare_hours_per_week: (i % 40) as i64,
        time_windows: vec![TimeWindow::ALL[i % 4]],
        work_styles: vec![WorkStyle::ALL[i % 3]],
        office_visits: OfficeVisits::ALL[i % 3],
        max_travel_minutes: if i.is_multiple_of(3) { None } else { Some(30) },
    }
}

struct Stats(Vec<Duration>);

impl Stats {
    fn line(mut self, what: &str) {
        self.0.sort();
        let p = |q: f64| self.0[((self.0.len() as f64 - 1.0) * q) as usize];
        println!(
            "{what:<48} n={:<5} p50={:>9.3?} p95={:>9.3?} max={:>9.3?}",
            self.0.len(),
            p(0.5),
            p(0.95),
            p(1.0)
        );
    }
}

async fn time<F, Fut, T>(n: usize, mut f: F) -> Stats
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        std::hint::black_box(f(i).await);
        v.push(t.elapsed());
    }
    Stats(v)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = match args.get(1).map(String::as_str) {
        Some("postgres") => Engine::Postgres,
        _ => Engine::Sqlite,
    };
    let regions_n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let per_region: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2_500);
    println!(
        "engine={} regions={regions_n} residents/region={per_region}",
        engine.name()
    );

    let t = TestDb::new(engine).await;
    let s: Services = t.services();
    s.create_account_as_operator(NewAccount {
        login: "bench-admin".into(),
        display_name: "admin".into(),
        password: PASSWORD.into(),
        role: Role::Admin,
        scope: AccountScope::Platform,
        lang: Lang::Ja,
    })
    .await
    .unwrap();
    let admin = s
        .login("bench-admin", PASSWORD, "bench")
        .await
        .unwrap()
        .actor;

    let mut regions = Vec::new();
    for i in 0..regions_n {
        let input = RegionInput {
            lg_code: code(i),
            name: format!("地域{i}"),
            ..RegionInput::default()
        };
        regions.push(s.create_region(&admin, input).await.unwrap().id);
    }
    for (i, r) in regions.iter().enumerate() {
        for k in 0..50 {
            let o = OrganisationInput {
                region_id: *r,
                name: format!("企業{i}-{k}"),
                name_kana: String::new(),
                kind: OrgKind::ALL[k % 5],
                industry: "情報通信業".into(),
                hq_prefecture: "13".into(),
                telework_share_percent: Some((k % 100) as i64),
            };
            s.create_organisation(&admin, o).await.unwrap();
        }
    }
    let started = Instant::now();
    let mut first_resident = Vec::new();
    for (ri, r) in regions.iter().enumerate() {
        for i in 0..per_region {
            let id = s
                .create_resident_as_operator(resident(*r, ri * per_region + i))
                .await
                .unwrap();
            if i == 0 {
                first_resident.push(id);
            }
        }
    }
    let total = regions_n * per_region;
    let load = started.elapsed();
    println!(
        "register {total} residents through the services (validation, transaction, audit each): {load:.1?} = {:.0} residents/s",
        total as f64 / load.as_secs_f64()
    );

    s.create_account_as_operator(NewAccount {
        login: "bench-coord".into(),
        display_name: "coord".into(),
        password: PASSWORD.into(),
        role: Role::Coordinator,
        scope: AccountScope::Regions(vec![regions[0]]),
        lang: Lang::Ja,
    })
    .await
    .unwrap();
    let login = s.login("bench-coord", PASSWORD, "bench").await.unwrap();
    let coord: Actor = login.actor.clone();

    let page = PageRequest::new(Some(1), Some(50));
    let no_filter = ResidentFilter::default();
    time(200, |_| s.residents(&coord, &no_filter, page))
        .await
        .line("list 50 of a region's residents (coordinator)");
    time(200, |i| {
        s.residents(
            &coord,
            &no_filter,
            PageRequest::new(Some((i % 40 + 1) as i64), Some(50)),
        )
    })
    .await
    .line("list, pages 1–40");
    let by_name = ResidentFilter {
        q: Some("タナカ".into()),
        ..Default::default()
    };
    time(200, |_| s.residents(&coord, &by_name, page))
        .await
        .line("list, name filter");
    let by_skill = ResidentFilter {
        skill: Some("GIS".into()),
        ..Default::default()
    };
    time(200, |_| s.residents(&coord, &by_skill, page))
        .await
        .line("list, skill filter");
    let by_style = ResidentFilter {
        work_style: Some(WorkStyle::SpareTime),
        ..Default::default()
    };
    time(200, |_| s.residents(&coord, &by_style, page))
        .await
        .line("list, work-style filter");
    time(200, |_| s.residents(&admin, &no_filter, page))
        .await
        .line("list across all regions (admin)");
    let one = first_resident[0];
    time(500, |_| s.resident(&coord, one))
        .await
        .line("one resident with skills");
    time(500, |_| s.resident(&coord, ResidentId(first_resident[1].0)))
        .await
        .line("another region's resident (refused, 404)");
    let base = s.resident(&coord, one).await.unwrap();
    time(200, |i| {
        let mut input = resident(base.region_id, i);
        input.name = base.name.clone();
        s.update_resident(&coord, one, input)
    })
    .await
    .line("update a resident (transaction + audit diff)");
    time(1000, |_| s.session(&login.session_token))
        .await
        .line("session lookup (every page view)");
    time(20, |_| s.login("bench-coord", PASSWORD, "bench"))
        .await
        .line("login (argon2id verify + session)");

    // The JSON API under 8 concurrent clients for 5 seconds.
    let token = s.create_token(&coord, "bench").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = jimoto_web::App::with_services(jimoto_web::Settings::default(), s.clone());
    tokio::spawn(app.serve(listener, std::future::pending()));
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/api/v1/residents?per_page=50");
    let until = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < until {
                let t0 = Instant::now();
                let res = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert!(res.status().is_success());
                res.bytes().await.unwrap();
                lat.push(t0.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let n = all.len();
    Stats(all).line("GET /api/v1/residents?per_page=50, 8 clients");
    println!("  throughput: {:.0} requests/s", n as f64 / 5.0);
    println!(
        "peak resident memory of this process: {:.1} MiB",
        peak_rss_mib()
    );
}
