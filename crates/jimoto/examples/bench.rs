//! Measures the lists and filters on generated data of realistic size, on SQLite or PostgreSQL:
//! a coordinator's and an administrator's resident lists (first and deep pages, name, reading,
//! skill and work-style filters), organisations, regions and the audit log, one record, an
//! audited update, sessions and logins, and the JSON API under concurrent load.
//!
//! ```sh
//! cargo run --release -p jimoto --example bench -- sqlite [REGIONS] [RESIDENTS_PER_REGION]
//! scripts/with-postgres cargo run --release -p jimoto --example bench -- postgres 100 10000
//! ```
//! The data is written through the store in transactions of 1,000 residents (each with three
//! skills, its search index entries and an audit entry), which is what registering through the
//! services writes, minus validation. Prints p50, p99 and the maximum of each operation;
//! nothing here is asserted (tests never time things).

#![allow(clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use jimoto_domain::audit::{AuditEntity, AuditFilter, AuditOp};
use jimoto_domain::organisation::{OrgFilter, OrgKind, OrganisationInput};
use jimoto_domain::region::{RegionFilter, RegionInput};
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentFilter, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{AccountScope, Actor, PageRequest, RegionId, ResidentId, Role, municipality};
use jimoto_services::Services;
use jimoto_store::{audit, organisations, regions, residents};
use jimoto_testkit::{Engine, TestDb};
use support::{PASSWORD, Stats, account, peak_rss_mib, time};

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

fn resident(region: RegionId, i: usize) -> ResidentInput {
    // One resident in 5,000 has a rare skill, to measure a filter that matches little.
    let rare = i.is_multiple_of(5_000);
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
                name: if rare && k == 0 {
                    "ドローン撮影".into()
                } else {
                    SKILLS[(i + k * 5) % 12].into()
                },
                level: ((i + k) % 5 + 1) as i64,
            })
            .collect(),
        spare_hours_per_week: (i % 40) as i64,
        time_windows: vec![TimeWindow::ALL[i % 4]],
        work_styles: vec![WorkStyle::ALL[i % 3]],
        office_visits: OfficeVisits::ALL[i % 3],
        max_travel_minutes: if i.is_multiple_of(3) { None } else { Some(30) },
        moved_away_on: None,
    }
}

/// A list request, measured: `n` times, each time a page of 50.
async fn list(s: &Services, who: &Actor, f: ResidentFilter, what: &str) {
    let first = PageRequest::first(50);
    time(200, |_| s.residents(who, &f, &first)).await.line(what);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = support::engine(&args);
    let regions_n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let per_region: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2_500);
    println!(
        "engine={} regions={regions_n} residents/region={per_region}",
        engine.name()
    );

    let t = TestDb::new(engine).await;
    let s: Services = t.services();

    // Regions: real local governments of the national list.
    let started = Instant::now();
    let mut region_ids = Vec::new();
    {
        let mut tx = t.db.begin().await.unwrap();
        for m in municipality::all()
            .iter()
            .filter(|m| !m.is_prefecture)
            .take(regions_n)
        {
            let input = RegionInput {
                lg_code: m.code.clone(),
                ..RegionInput::default()
            };
            region_ids.push(regions::insert(&mut tx, m, &input).await.unwrap());
        }
        for (i, r) in region_ids.iter().enumerate() {
            for k in 0..50 {
                let o = OrganisationInput {
                    region_id: *r,
                    name: format!("企業{i}-{k}"),
                    name_kana: format!("キギョウ{i}-{k}"),
                    kind: OrgKind::ALL[k % 5],
                    industry: if k % 10 == 0 {
                        "経理代行"
                    } else {
                        "情報通信業"
                    }
                    .into(),
                    hq_prefecture: "13".into(),
                    telework_share_percent: Some((k % 100) as i64),
                };
                organisations::insert(&mut tx, &o).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
    let mut first_resident = Vec::new();
    let total = regions_n * per_region;
    let mut written = 0usize;
    for (ri, r) in region_ids.iter().enumerate() {
        let mut i = 0;
        while i < per_region {
            let mut tx = t.db.begin().await.unwrap();
            for _ in 0..1000.min(per_region - i) {
                let input = resident(*r, ri * per_region + i);
                let id = residents::insert(&mut tx, &input, None).await.unwrap();
                audit::record(
                    &mut tx,
                    &audit::NewAuditEntry {
                        actor_user_id: None,
                        actor_login: "bench",
                        region_id: Some(*r),
                        entity: AuditEntity::Resident,
                        entity_id: id.0,
                        action: AuditOp::Create,
                        changes: serde_json::json!({"name": [null, input.name]}),
                    },
                )
                .await
                .unwrap();
                if i == 0 {
                    first_resident.push(id);
                }
                i += 1;
                written += 1;
            }
            tx.commit().await.unwrap();
        }
        if (ri + 1) % 10 == 0 {
            println!(
                "  … {written} of {total} residents after {:.0?}",
                started.elapsed()
            );
        }
    }
    let load = started.elapsed();
    println!(
        "wrote {total} residents (3 skills, search index, audit entry each) and {} organisations in {load:.1?} = {:.0} residents/s",
        regions_n * 50,
        total as f64 / load.as_secs_f64()
    );
    // Statistics as a running server has them: PostgreSQL's autovacuum analyses after a bulk
    // load; for SQLite, what the app runs at start-up and hourly.
    let analysed = Instant::now();
    match engine {
        Engine::Postgres => {
            let mut c = t.db.conn().await.unwrap();
            sqlx::query("ANALYZE").execute(&mut *c).await.unwrap();
        }
        Engine::Sqlite => t.db.optimize(true).await.unwrap(),
    }
    println!("planner statistics gathered in {:.1?}", analysed.elapsed());
    // Measure on a quiet machine: with JIMOTO_BENCH_GATE=FILE, wait until FILE exists.
    if let Ok(gate) = std::env::var("JIMOTO_BENCH_GATE") {
        println!("loaded; measuring once {gate} exists");
        while !std::path::Path::new(&gate).exists() {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    let admin = account(&s, "bench-admin", Role::Admin, AccountScope::Platform).await;
    let coord = account(
        &s,
        "bench-coord",
        Role::Coordinator,
        AccountScope::Regions(vec![region_ids[0]]),
    )
    .await;
    let q = |q: &str| ResidentFilter {
        q: Some(q.into()),
        ..Default::default()
    };
    let skill = |q: &str| ResidentFilter {
        skill: Some(q.into()),
        ..Default::default()
    };
    println!("-- a coordinator's region ({per_region} residents)");
    list(
        &s,
        &coord,
        ResidentFilter::default(),
        "residents, first page of 50",
    )
    .await;
    // Following `next` page after page: a deep page costs what the first does.
    let mut walk = Vec::new();
    let mut req = PageRequest::first(50);
    for _ in 0..200 {
        let t0 = Instant::now();
        let page = s
            .residents(&coord, &ResidentFilter::default(), &req)
            .await
            .unwrap();
        walk.push(t0.elapsed());
        req = match page.next {
            Some(n) => PageRequest {
                after: Some(n),
                ..PageRequest::first(50)
            },
            None => PageRequest::first(50),
        };
    }
    Stats(walk).line("residents, walking pages 1–200 by `next`");
    list(
        &s,
        &coord,
        q("タナカ"),
        "name filter, common (タナカ: 1 in 10)",
    )
    .await;
    list(
        &s,
        &coord,
        q("わたなべ つよし"),
        "reading typed in hiragana (1 in 80)",
    )
    .await;
    list(&s, &coord, q("田"), "one character (田: 1 in 10)").await;
    list(&s, &coord, q("佐藤健一さん"), "name that matches no one").await;
    list(&s, &coord, skill("GIS"), "skill filter, common (GIS)").await;
    list(
        &s,
        &coord,
        skill("ドローン"),
        "skill filter, rare (1 in 5,000)",
    )
    .await;
    let style = ResidentFilter {
        work_style: Some(WorkStyle::SpareTime),
        ..Default::default()
    };
    list(&s, &coord, style, "work-style filter").await;
    let all = ResidentFilter {
        q: Some("タナカ".into()),
        skill: Some("Excel".into()),
        work_style: Some(WorkStyle::TeleworkMigration),
        region: None,
    };
    list(&s, &coord, all, "name + skill + work style").await;
    println!("-- an administrator, every region ({total} residents)");
    list(
        &s,
        &admin,
        ResidentFilter::default(),
        "residents, first page of 50",
    )
    .await;
    list(&s, &admin, q("タナカ"), "name filter, common").await;
    list(
        &s,
        &admin,
        q("わたなべ つよし"),
        "reading typed in hiragana",
    )
    .await;
    list(&s, &admin, skill("ドローン"), "skill filter, rare").await;
    list(&s, &admin, skill("GIS"), "skill filter, common").await;
    let first = PageRequest::first(50);
    let no_org_filter = OrgFilter::default();
    time(200, |_| s.organisations(&admin, &no_org_filter, &first))
        .await
        .line("organisations, first page");
    let org_q = OrgFilter {
        q: Some("経理".into()),
        ..OrgFilter::default()
    };
    time(200, |_| s.organisations(&coord, &org_q, &first))
        .await
        .line("organisations of a region, 経理 in the industry");
    let no_region_filter = RegionFilter::default();
    time(200, |_| s.regions(&admin, &no_region_filter, &first))
        .await
        .line("regions, first page");
    let no_audit_filter = AuditFilter::default();
    time(200, |_| s.audit_log(&admin, &no_audit_filter, &first))
        .await
        .line("audit log, newest 50");
    let one = first_resident[0];
    let f = AuditFilter {
        entity: Some(AuditEntity::Resident),
        entity_id: Some(one.0),
    };
    time(200, |_| s.audit_log(&admin, &f, &first))
        .await
        .line("audit log of one resident");
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
    .line("update a resident (transaction, index, audit)");
    let login = s.login("bench-coord", PASSWORD, "bench").await.unwrap();
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
    let url = format!("http://{addr}/api/v1/residents?limit=50");
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
    Stats(all).line("GET /api/v1/residents?limit=50, 8 clients");
    println!("  throughput: {:.0} requests/s", n as f64 / 5.0);
    println!(
        "peak resident memory of this process: {:.1} MiB",
        peak_rss_mib()
    );
}
