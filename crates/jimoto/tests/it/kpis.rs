//! KPIs on both engines: the demo's figures against an independent count of its rows, the
//! published figures reconciled, who may read and edit what, projects and plans refused when
//! wrong.

use chrono::NaiveDate;
use jimoto_domain::kpi::{Cell, Finding, Kpi, Period, PlanInput};
use jimoto_domain::project::ProjectInput;
use jimoto_domain::{Actor, RegionId};
use jimoto_services::{ServiceError, Services};
use jimoto_testkit::{DEMO_PASSWORD, Engine, TestApp, TestDb, both_engines};

both_engines!(
    the_demo_plan_equals_an_independent_count_and_explains_every_difference,
    a_regions_kpis_stay_with_its_staff_and_people_stay_with_its_coordinators,
    plans_and_projects_are_checked_and_written_whole,
    the_report_holds_the_regions_programs_tours_and_projects_and_no_names,
    who_stayed_counts_the_people_reached_who_had_not_moved_away_by_the_periods_end,
    the_forecast_follows_the_regions_own_history,
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn project_period() -> Period {
    Period::new(d(2023, 10, 1), d(2024, 2, 29)).unwrap()
}

async fn actor(s: &Services, login: &str) -> Actor {
    s.login(login, DEMO_PASSWORD, "127.0.0.1")
        .await
        .expect("demo login")
        .actor
}

async fn scalar(t: &TestDb, sql: &str) -> i64 {
    let mut conn = t.db.conn().await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
}

/// The demo's figures counted straight from the tables, without the KPI code.
async fn independent(t: &TestDb) -> [(Kpi, i64); 5] {
    let attendances = scalar(
        t,
        "SELECT COUNT(*) FROM attendances a JOIN program_sessions s ON s.id = a.session_id \
         WHERE s.date BETWEEN '2023-10-01' AND '2024-02-29'",
    )
    .await;
    let local_seminar = scalar(
        t,
        "SELECT COUNT(*) FROM event_participants ep JOIN programs p ON p.id = ep.program_id \
         WHERE p.kind = 'local_seminar'",
    )
    .await;
    let projects = scalar(
        t,
        "SELECT COUNT(*) FROM projects WHERE agreed_on <= '2024-02-29' \
         AND (ended_on IS NULL OR ended_on >= '2023-10-01')",
    )
    .await;
    let people = scalar(
        t,
        "SELECT COUNT(DISTINCT resident_id) FROM engagements WHERE status <> 'draft' \
         AND start_date <= '2024-02-29' \
         AND (COALESCE(ended_on, end_date) IS NULL OR COALESCE(ended_on, end_date) >= '2023-10-01')",
    )
    .await;
    let income = scalar(
        t,
        "SELECT CAST(COALESCE(SUM(amount_yen), 0) AS BIGINT) FROM pay_periods WHERE status IN ('approved', 'paid') \
         AND starts_on BETWEEN '2023-10-01' AND '2024-02-29'",
    )
    .await;
    let tour_companies = scalar(
        t,
        "SELECT COUNT(DISTINCT eo.organisation_id) FROM event_organisations eo \
         JOIN programs p ON p.id = eo.program_id WHERE p.kind = 'workation_tour'",
    )
    .await;
    [
        (Kpi::Participants, attendances + local_seminar),
        (Kpi::Projects, projects),
        (Kpi::PaidResidents, people),
        (Kpi::Income, income),
        (Kpi::TourCompanies, tour_companies),
    ]
}

async fn the_demo_plan_equals_an_independent_count_and_explains_every_difference(t: TestDb) {
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.unwrap();
    let hagi = ids.hagi.unwrap();
    let city = actor(&s, "city-hagi").await;
    let dash = s
        .kpi_dashboard(&city, hagi, project_period())
        .await
        .unwrap();
    assert_eq!(dash.plans.len(), 1, "the joint plan covers Hagi");
    let plan = &dash.plans[0];
    assert_eq!(plan.region_names, vec!["萩市", "下関市"]);
    let counted = independent(&t).await;
    // The records: 107 + 45 attendances and 57 at the aubeBiz seminar; 2 + 11 projects;
    // 9 + 10 people under contract; ¥1,260,000 + ¥400,000; 8 + 9 companies on tours.
    assert_eq!(
        counted.map(|(_, v)| v),
        [209, 13, 19, 1_660_000, 17],
        "the demo's rows"
    );
    for (kpi, expected) in counted {
        let row = plan.rows.iter().find(|r| r.row.kpi == kpi).unwrap();
        assert_eq!(row.actual.value, Some(expected as f64), "{kpi}");
    }
    let row = |k: Kpi| plan.rows.iter().find(|r| r.row.kpi == k).unwrap();
    // 203 is not its own parts (107 + 36 + 57 = 200); Shimonoseki's rows add to 45, not 36.
    assert_eq!(
        row(Kpi::Participants).findings,
        vec![
            Finding::TotalIsNotItsParts {
                reported: 203,
                parts_sum: 200
            },
            Finding::PartDiffers {
                label: "下関市".into(),
                reported: 36,
                computed: 45.0
            },
            Finding::RecordsDiffer {
                reported: 203,
                computed: 209.0
            },
        ]
    );
    assert_eq!(row(Kpi::Participants).progress_percent, Some(418.0));
    // 13 = 2 + 6 + 5, and the records agree part by part.
    assert_eq!(row(Kpi::Projects).findings, vec![Finding::Agrees]);
    // 18 is not 4 + 10; Hagi's records hold 9 people, not 4.
    assert_eq!(
        row(Kpi::PaidResidents).findings,
        vec![
            Finding::TotalIsNotItsParts {
                reported: 18,
                parts_sum: 14
            },
            Finding::PartDiffers {
                label: "萩市（直接雇用）".into(),
                reported: 4,
                computed: 9.0
            },
            Finding::RecordsDiffer {
                reported: 18,
                computed: 19.0
            },
        ]
    );
    // ¥1,840,000 is not ¥400,000 + ¥1,260,000, which the records confirm.
    assert_eq!(
        row(Kpi::Income).findings,
        vec![
            Finding::TotalIsNotItsParts {
                reported: 1_840_000,
                parts_sum: 1_660_000
            },
            Finding::RecordsDiffer {
                reported: 1_840_000,
                computed: 1_660_000.0
            },
        ]
    );
    assert_eq!(row(Kpi::TourCompanies).findings, vec![Finding::Agrees]);

    // The region's own figures for the fiscal year: Hagi alone.
    let fy = s
        .kpi_dashboard(
            &city,
            hagi,
            Period::fiscal(jimoto_domain::calendar::FiscalYear(2023)),
        )
        .await
        .unwrap();
    let fig = |k: Kpi| fy.figures.iter().find(|f| f.kpi == k).unwrap().clone();
    assert_eq!(fig(Kpi::Participants).value, Some(107.0));
    assert_eq!(fig(Kpi::Participants).by_month.values().sum::<f64>(), 107.0);
    assert_eq!(fig(Kpi::IncomePaid).value, Some(840_000.0));
    assert_eq!(fig(Kpi::IncomeApproved).value, Some(420_000.0));
    // Two later hires' January hours await approval: 2 × 25 h × ¥1,200.
    assert_eq!(fig(Kpi::IncomePending).value, Some(60_000.0));
    assert_eq!(fig(Kpi::IncomeFromOutside).value, Some(1_260_000.0));
    assert_eq!(
        fig(Kpi::PaidResidents).breakdown["contract:outsourcing"],
        9.0
    );
    let unique = fig(Kpi::ParticipantsUnique).value.unwrap();
    assert!(
        unique > 0.0 && unique < 107.0,
        "unique people are fewer than attendances"
    );
    // The rows behind the income add up to it.
    let rows = s
        .kpi_rows(&city, hagi, Kpi::Income, fy.period)
        .await
        .unwrap();
    let sum: i64 = rows
        .rows
        .iter()
        .map(|r| match r[7] {
            Cell::Yen(y) => y,
            _ => 0,
        })
        .sum();
    assert_eq!(sum, 1_260_000);
    assert_eq!(rows.total, 21);
}

async fn a_regions_kpis_stay_with_its_staff_and_people_stay_with_its_coordinators(t: TestDb) {
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.unwrap();
    let (hagi, shimonoseki) = (ids.hagi.unwrap(), ids.shimonoseki.unwrap());
    let fy = Period::fiscal(jimoto_domain::calendar::FiscalYear(2023));
    for login in [
        "city-shimonoseki",
        "coord-shimonoseki",
        "cognity",
        "resident-hagi",
    ] {
        let a = actor(&s, login).await;
        assert!(
            matches!(
                s.kpi_dashboard(&a, hagi, fy).await,
                Err(ServiceError::Forbidden)
            ),
            "{login} reads Hagi's KPIs"
        );
        assert!(
            matches!(
                s.kpi_rows(&a, hagi, Kpi::Income, fy).await,
                Err(ServiceError::Forbidden)
            ),
            "{login} reads Hagi's pay rows"
        );
    }
    for login in ["city-hagi", "coord-hagi", "admin"] {
        let a = actor(&s, login).await;
        assert!(s.kpi_dashboard(&a, hagi, fy).await.is_ok(), "{login}");
    }
    // Names only for the region's coordinator; a number for everyone else.
    let named = |rows: &jimoto_domain::kpi::Rows| {
        rows.rows.iter().any(|r| {
            r.iter()
                .any(|c| matches!(c, Cell::Person { name: Some(_), .. }))
        })
    };
    for (login, names) in [("coord-hagi", true), ("city-hagi", false), ("admin", false)] {
        let a = actor(&s, login).await;
        for k in [Kpi::Income, Kpi::PaidResidents, Kpi::ParticipantsUnique] {
            let rows = s.kpi_rows(&a, hagi, k, fy).await.unwrap();
            assert!(rows.total > 0, "{login} {k}");
            assert_eq!(named(&rows), names, "{login} {k}");
        }
        // Circumstances are counted for everyone, listed person by person only for the
        // coordinator.
        let social = s.kpi_rows(&a, hagi, Kpi::SocialValue, fy).await.unwrap();
        assert_eq!(
            social.columns.first().map(String::as_str) == Some("person"),
            names,
            "{login}"
        );
    }
    // A plan over both regions: read by the staff of either, edited only by someone who
    // works in both.
    let city = actor(&s, "city-hagi").await;
    let plan_id = s.kpi_dashboard(&city, hagi, fy).await.unwrap().plans[0]
        .plan
        .id;
    assert!(
        s.kpi_plan(&actor(&s, "city-shimonoseki").await, plan_id)
            .await
            .is_ok()
    );
    assert!(matches!(
        s.kpi_plan(&actor(&s, "cognity").await, plan_id).await,
        Err(ServiceError::NotFound)
    ));
    let input = jimoto_demo::kpi_plan(hagi, shimonoseki);
    assert!(matches!(
        s.update_kpi_plan(&city, plan_id, input.clone()).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        s.update_kpi_plan(&actor(&s, "admin").await, plan_id, input.clone())
            .await,
        Err(ServiceError::Forbidden)
    ));
    let mut changed = input.clone();
    changed.rows[0].target = Some(60);
    let saved = s
        .update_kpi_plan(&actor(&s, "coord-yamaguchi").await, plan_id, changed)
        .await
        .unwrap();
    assert_eq!(saved.rows[0].target, Some(60));
    // Hagi's own plan: its staff may make it, and may not pull Shimonoseki in.
    let own = PlanInput {
        regions: vec![hagi],
        title: "萩市 令和6年度".into(),
        from: d(2024, 4, 1),
        to: d(2025, 3, 31),
        rows: vec![],
        source: String::new(),
    };
    assert!(s.create_kpi_plan(&city, own.clone()).await.is_ok());
    let mut both = own;
    both.regions.push(shimonoseki);
    assert!(matches!(
        s.create_kpi_plan(&city, both).await,
        Err(ServiceError::Forbidden)
    ));
    // Another region's projects are refused; its project ids are not found.
    assert!(matches!(
        s.projects(&actor(&s, "city-shimonoseki").await, hagi).await,
        Err(ServiceError::Forbidden)
    ));
    let hagi_project = s.projects(&city, hagi).await.unwrap()[0].id;
    assert!(matches!(
        s.project(&actor(&s, "coord-shimonoseki").await, hagi_project)
            .await,
        Err(ServiceError::NotFound)
    ));
}

async fn plans_and_projects_are_checked_and_written_whole(t: TestDb) {
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.unwrap();
    let (hagi, shimonoseki) = (ids.hagi.unwrap(), ids.shimonoseki.unwrap());
    let city = actor(&s, "city-hagi").await;
    let count = |t: &TestDb| {
        let t = t.db.clone();
        async move {
            let mut conn = t.conn().await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            n
        }
    };
    let before = count(&t).await;
    let shimonoseki_tour = ids
        .programs
        .iter()
        .find(|(t, _)| t.contains("第2回）地域"))
        .unwrap()
        .1;
    let bad = ProjectInput {
        region_id: hagi,
        title: " ".into(),
        theme: String::new(),
        origin_program_id: Some(shimonoseki_tour),
        idea_on: d(2024, 1, 10),
        agreed_on: Some(d(2024, 1, 1)),
        running_on: None,
        ended_on: None,
        outcomes: String::new(),
        members: vec![jimoto_domain::OrganisationId(999_999)],
    };
    let Err(ServiceError::Validation(v)) = s.create_project(&city, bad.clone()).await else {
        panic!("refused");
    };
    let fields: Vec<&str> = v.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["title", "agreed_on", "origin_program_id", "members[0]"]
    );
    assert_eq!(count(&t).await, before, "nothing written");
    let good = ProjectInput {
        title: "古民家活用の共創".into(),
        origin_program_id: None,
        agreed_on: Some(d(2024, 2, 1)),
        members: vec![ids.org("hagi-city").unwrap()],
        ..bad
    };
    // An organisation of another region is refused like a missing one.
    let foreign = ProjectInput {
        members: vec![
            ids.org("hagi-city").unwrap(),
            ids.org("shimonoseki-city").unwrap(),
        ],
        ..good.clone()
    };
    let Err(ServiceError::Validation(v)) = s.create_project(&city, foreign).await else {
        panic!("another region's organisation");
    };
    assert_eq!(v.0[0].field, "members[1]");
    assert_eq!(count(&t).await, before, "nothing written");
    let p = s.create_project(&city, good.clone()).await.unwrap();
    assert_eq!(p.status, jimoto_domain::project::ProjectStatus::Agreed);
    assert_eq!(count(&t).await, before + 1);
    // Another region's staff may not record a project in Hagi.
    assert!(matches!(
        s.create_project(&actor(&s, "city-shimonoseki").await, good.clone())
            .await,
        Err(ServiceError::Forbidden)
    ));
    // Moving a project to another region is refused.
    let moved = ProjectInput {
        region_id: shimonoseki,
        ..good
    };
    assert!(matches!(
        s.update_project(&city, p.id, moved).await,
        Err(ServiceError::Validation(_) | ServiceError::Forbidden)
    ));
    // A plan's problems are named together; nothing is written.
    let mut input = jimoto_demo::kpi_plan(hagi, shimonoseki);
    input.to = d(2023, 1, 1);
    input.rows[1].kpi = Kpi::Participants;
    input.rows[2].parts[0].region_id = Some(RegionId(999_999));
    let coord = actor(&s, "coord-yamaguchi").await;
    let Err(ServiceError::Validation(v)) = s.create_kpi_plan(&coord, input).await else {
        panic!("refused");
    };
    let fields: Vec<&str> = v.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["to", "rows[1].kpi", "rows[2].parts[0].region_id"]
    );
}

#[tokio::test]
async fn the_dashboard_page_explains_the_report_and_drills_down_to_the_pay_rows() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let hagi = app.demo.as_ref().unwrap().hagi.unwrap();
    let (city, _) = app.login("city-hagi").await;
    let page = app
        .page(
            &city,
            &format!("/regions/{hagi}/kpis?from=2023-10-01&to=2024-02-29"),
        )
        .await;
    for text in [
        "延べ209人",
        "報告値 延べ203人 は、報告自身の内訳の合計 延べ200人 と一致しません。",
        "内訳「下関市」は報告では 延べ36人、記録では 延べ45人 です。",
        "報告値 1,840,000円 は、報告自身の内訳の合計 1,660,000円 と一致しません。",
        "<svg",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let fy = app
        .page(&city, &format!("/regions/{hagi}/kpis?fy=2023"))
        .await;
    assert!(fy.contains("令和5年度（FY2023）"));
    // The income's rows: 21 pay periods, without names for the city.
    let rows = app
        .page(&city, &format!("/regions/{hagi}/kpis/income?fy=2023"))
        .await;
    assert!(rows.contains("全21行"));
    assert!(rows.contains("住民 #"));
    assert!(!rows.contains("山田 花子"));
    let csv = city
        .get(&format!("/regions/{hagi}/kpis/income?fy=2023&format=csv"))
        .send()
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.bytes().starts_with("\u{feff}月,".as_bytes()));
    assert_eq!(csv.text().lines().count(), 22);
    // Bad input is named; another region's staff are refused.
    let bad = city
        .get(&format!("/regions/{hagi}/kpis?fy=abc"))
        .send()
        .await;
    assert_eq!(bad.status(), 422);
    let bad = city
        .get(&format!(
            "/regions/{hagi}/kpis?from=2024-01-01&to=2023-01-01"
        ))
        .send()
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        city.get(&format!("/regions/{hagi}/kpis/nothing?fy=2023"))
            .send()
            .await
            .status(),
        404
    );
    let (other, _) = app.login("city-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/regions/{hagi}/kpis?fy=2023"))
            .send()
            .await
            .status(),
        403
    );
    // The API gives the same figure and its definition.
    let api = city
        .get(&format!("/api/v1/regions/{hagi}/kpis?fy=2023"))
        .send()
        .await
        .json();
    let income = api["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kpi"] == "income")
        .unwrap()
        .clone();
    assert_eq!(income["value"], 1_260_000.0);
    let catalogue = city.get("/api/v1/kpis").send().await.json();
    assert_eq!(catalogue.as_array().unwrap().len(), Kpi::ALL.len());
    assert_eq!(catalogue[0]["name"]["ja"], "プログラム参加者数");
}

async fn the_report_holds_the_regions_programs_tours_and_projects_and_no_names(t: TestDb) {
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.unwrap();
    let hagi = ids.hagi.unwrap();
    let fy = Period::fiscal(jimoto_domain::calendar::FiscalYear(2023));
    for login in ["city-shimonoseki", "cognity", "resident-hagi"] {
        assert!(
            matches!(
                s.kpi_report(&actor(&s, login).await, hagi, fy).await,
                Err(ServiceError::Forbidden)
            ),
            "{login} reads Hagi's report"
        );
    }
    // The coordinator, who may see names elsewhere, gets a report without them too.
    let r = s
        .kpi_report(&actor(&s, "coord-hagi").await, hagi, fy)
        .await
        .unwrap();
    assert_eq!(r.region_name, "萩市");
    for t in [&r.programs, &r.tours, &r.projects] {
        assert!(
            t.rows
                .iter()
                .flatten()
                .all(|c| !matches!(c, Cell::Person { .. })),
            "{:?}",
            t.columns
        );
    }
    let programs = scalar(
        &t,
        &format!(
            "SELECT COUNT(DISTINCT program_id) FROM program_sessions WHERE region_id = {} \
             AND date BETWEEN '2023-04-01' AND '2024-03-31'",
            hagi.0
        ),
    )
    .await;
    assert_eq!(r.programs.rows.len() as i64, programs);
    // The residents' programs' attendances add up to the participants figure.
    let col =
        |t: &jimoto_domain::kpi::Table, key: &str| t.columns.iter().position(|c| c == key).unwrap();
    let (att, kind) = (col(&r.programs, "attendances"), col(&r.programs, "kind"));
    let sum: i64 = r
        .programs
        .rows
        .iter()
        .filter_map(|row| match &row[att] {
            Cell::Count(n) => Some(*n),
            _ => None,
        })
        .sum();
    let participants = r
        .figures
        .iter()
        .find(|f| f.kpi == Kpi::Participants)
        .unwrap();
    assert_eq!(Some(sum as f64), participants.value);
    assert_eq!(sum, 107);
    assert!(
        r.programs
            .rows
            .iter()
            .any(|row| row[kind] == Cell::code("program_kind", "workation_tour"))
    );
    // Every organisation on Hagi's tour, with its purpose and follow-ups.
    let on_tours = scalar(
        &t,
        &format!(
            "SELECT COUNT(*) FROM event_organisations eo JOIN programs p ON p.id = eo.program_id \
             WHERE p.kind = 'workation_tour' AND p.region_id = {}",
            hagi.0
        ),
    )
    .await;
    assert_eq!(r.tours.rows.len() as i64, on_tours);
    let follow = col(&r.tours, "follow_ups");
    assert!(
        r.tours
            .rows
            .iter()
            .any(|row| row[follow] == Cell::Text("進出支援制度の説明資料を送る".into()))
    );
    let projects = r.figures.iter().find(|f| f.kpi == Kpi::Projects).unwrap();
    assert_eq!(Some(r.projects.rows.len() as f64), projects.value);
    let members = col(&r.projects, "member_names");
    assert!(
        r.projects
            .rows
            .iter()
            .any(|row| matches!(&row[members], Cell::Text(t) if t.contains("コグニティ株式会社")))
    );
    assert_eq!(r.plans.len(), 1);
}

/// What LibreOffice reads in a workbook: converted headless to PDF, then to text.
fn libreoffice_text(xlsx: &[u8]) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("jimoto-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.xlsx");
    std::fs::write(&file, xlsx).unwrap();
    let out = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("LibreOffice (soffice) is installed by scripts/test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.join("report.pdf");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo");
    if let Ok(shots) = std::env::var("JIMOTO_SCREENSHOTS") {
        let _ = std::fs::create_dir_all(&shots);
        let _ = std::fs::copy(
            &pdf,
            std::path::Path::new(&shots).join("kpi-report-xlsx.pdf"),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&text.stdout).into_owned(),
        String::from_utf8_lossy(&info.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_report_downloads_as_a_workbook_libreoffice_opens_and_as_csv() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let hagi = app.demo.as_ref().unwrap().hagi.unwrap();
    let (city, _) = app.login("city-hagi").await;
    let page = app
        .page(&city, &format!("/regions/{hagi}/kpis/report?fy=2023"))
        .await;
    for text in [
        "萩市 実績報告",
        "令和5年度（FY2023）",
        "計画と実績：",
        "報告値 延べ203人 は、報告自身の内訳の合計 延べ200人 と一致しません。",
        "IT基礎講座（中級）",
        "進出支援制度の説明資料を送る",
        "萩市 地域共創テレワーク実証プロジェクト",
    ] {
        assert!(page.contains(text), "{text}");
    }
    assert!(!page.contains("山田 花子"));
    let xlsx = city
        .get(&format!("/regions/{hagi}/kpis/report?fy=2023&format=xlsx"))
        .send()
        .await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().starts_with(b"PK"));
    assert!(
        xlsx.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("kpi-report-352047-fy-2023.xlsx")
    );
    let (text, info) = libreoffice_text(xlsx.bytes());
    assert!(info.contains("(A4)"), "{info}");
    assert!(
        info.contains("landscape") || info.contains("841.89 x 595"),
        "{info}"
    );
    for t in [
        "萩市 実績報告",
        "プログラム参加者数",
        "延べ107人",
        "1,260,000円",
        "報告自身の内訳の合計",
        "ワーケーションツアー参加企業",
        "株式会社ウェブエージェント",
        "共創プロジェクト",
    ] {
        assert!(text.contains(t), "LibreOffice lost {t}:\n{text}");
    }
    // CSV: UTF-8 with BOM, every section under its title; Shift_JIS decodes to the same text.
    let csv = city
        .get(&format!("/regions/{hagi}/kpis/report?fy=2023&format=csv"))
        .send()
        .await;
    assert!(csv.bytes().starts_with("\u{feff}萩市 実績報告".as_bytes()));
    let utf8 = csv.text();
    for t in [
        "共創プロジェクト",
        "ワーケーションツアー参加企業（目的・フォローアップ）",
    ] {
        assert!(utf8.lines().any(|l| l.trim_end_matches(',') == t), "{t}");
    }
    let sjis = city
        .get(&format!(
            "/regions/{hagi}/kpis/report?fy=2023&format=csv-sjis"
        ))
        .send()
        .await;
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(sjis.bytes());
    assert!(!bad);
    assert!(!decoded.contains("&#"), "a character Shift_JIS cannot hold");
    assert!(decoded.starts_with("萩市 実績報告"));
    assert_eq!(decoded.lines().count(), utf8.lines().count());
    // Bad input and another region's staff.
    assert_eq!(
        city.get(&format!("/regions/{hagi}/kpis/report?fy=2023&format=pdf"))
            .send()
            .await
            .status(),
        422
    );
    let (other, _) = app.login("city-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/regions/{hagi}/kpis/report?fy=2023&format=xlsx"))
            .send()
            .await
            .status(),
        403
    );
    // The same report in the API.
    let api = city
        .get(&format!("/api/v1/regions/{hagi}/kpi-report?fy=2023"))
        .send()
        .await
        .json();
    assert_eq!(api["region_name"], "萩市");
    assert_eq!(api["tours"]["rows"].as_array().unwrap().len(), 8);
    assert_eq!(
        other
            .get(&format!("/api/v1/regions/{hagi}/kpi-report?fy=2023"))
            .send()
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_citys_staff_set_their_own_targets_and_no_one_elses() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let ids = app.demo.as_ref().unwrap();
    let hagi = ids.hagi.unwrap();
    let (city, csrf) = app.login("city-hagi").await;
    // The joint plan covers Shimonoseki too: Hagi's staff read it but may not change it.
    let fy = app
        .page(
            &city,
            &format!("/regions/{hagi}/kpis?from=2023-10-01&to=2024-02-29"),
        )
        .await;
    assert!(!fy.contains("class=\"plan-edit\""));
    let joint = city
        .get(&format!(
            "/api/v1/regions/{hagi}/kpis?from=2023-10-01&to=2024-02-29"
        ))
        .send()
        .await
        .json()["plans"][0]["plan"]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        city.get(&format!("/kpi-plans/{joint}/edit"))
            .send()
            .await
            .status(),
        403
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "萩市 令和6年度"),
        ("from", "2024-04-01"),
        ("to", "2025-03-31"),
        ("source", ""),
        ("rows", "3"),
        ("rows[0].kpi", "participants"),
        ("rows[0].target", "120"),
        ("rows[0].owner", "企画課"),
        ("rows[1].kpi", ""),
        ("rows[2].kpi", "income"),
        ("rows[2].target", "1,000,000円"),
    ];
    // A target that is not a number is named by the form's own row, and nothing is saved.
    let before = app
        .page(&city, &format!("/regions/{hagi}/kpis?fy=2024"))
        .await;
    assert!(before.contains("plan-new"));
    let bad = app
        .post_form(&city, &format!("/regions/{hagi}/kpi-plans"), &form)
        .await;
    assert_eq!(bad.status(), 422);
    let page = bad.text();
    assert!(
        page.contains("指標 3 目標"),
        "the third row's target is named"
    );
    assert!(page.contains("萩市 令和6年度"), "what was typed stays");
    let fy2024 = city
        .get(&format!("/api/v1/regions/{hagi}/kpis?fy=2024"))
        .send()
        .await
        .json();
    assert_eq!(fy2024["plans"].as_array().unwrap().len(), 0);
    // Fixed, it is saved and the dashboard confirms it with the plan's targets.
    let mut good = form.to_vec();
    good.retain(|(k, _)| *k != "rows[2].target");
    good.push(("rows[2].target", "1000000"));
    let saved = app
        .post_form(&city, &format!("/regions/{hagi}/kpi-plans"), &good)
        .await;
    assert_eq!(saved.status(), 303);
    let to = saved.location();
    assert!(
        to.starts_with(&format!("/regions/{hagi}/kpis?fy=2024#plan-")),
        "{to}"
    );
    let page = app.page(&city, to.split('#').next().unwrap()).await;
    assert!(page.contains("登録しました。"), "the save is confirmed");
    assert!(page.contains("萩市 令和6年度"));
    assert!(page.contains("延べ120人"));
    assert!(page.contains("1,000,000円"));
    // Changing it: the second row removed, the first row's target raised.
    let id = to.rsplit("#plan-").next().unwrap().to_owned();
    let edit = app.page(&city, &format!("/kpi-plans/{id}/edit")).await;
    assert!(edit.contains("value=\"120\""));
    let change = [
        ("csrf", csrf.as_str()),
        ("title", "萩市 令和6年度"),
        ("from", "2024-04-01"),
        ("to", "2025-03-31"),
        ("rows", "4"),
        ("rows[0].kpi", "participants"),
        ("rows[0].target", "150"),
        ("rows[1].kpi", "income"),
        ("rows[1].target", "1000000"),
        ("rows[1].remove", "on"),
        ("rows[2].kpi", ""),
        ("rows[3].kpi", ""),
    ];
    let saved = app
        .post_form(&city, &format!("/kpi-plans/{id}"), &change)
        .await;
    assert_eq!(saved.status(), 303);
    let plan = city
        .get(&format!("/api/v1/kpi-plans/{id}"))
        .send()
        .await
        .json();
    let rows = plan["plan"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["target"], 150);
    // Another city's staff may neither open the form nor post it.
    let (other, other_csrf) = app.login("city-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/kpi-plans/{id}/edit"))
            .send()
            .await
            .status(),
        404
    );
    let mut theirs = change.to_vec();
    theirs[0] = ("csrf", other_csrf.as_str());
    assert_eq!(
        app.post_form(&other, &format!("/kpi-plans/{id}"), &theirs)
            .await
            .status(),
        404
    );
    assert_eq!(
        other
            .get(&format!("/regions/{hagi}/kpi-plans/new"))
            .send()
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_prefecture_page_puts_side_by_side_only_the_regions_the_reader_may_see() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let ids = app.demo.as_ref().unwrap();
    let (hagi, shimonoseki) = (ids.hagi.unwrap(), ids.shimonoseki.unwrap());
    let (both, _) = app.login("coord-yamaguchi").await;
    let page = app.page(&both, "/prefectures/35/kpis?fy=2023").await;
    assert!(page.contains("山口県の市町村の比較"));
    assert!(page.contains(&format!("href=\"/regions/{hagi}/kpis?fy=2023\"")));
    assert!(page.contains(&format!("href=\"/regions/{shimonoseki}/kpis?fy=2023\"")));
    // Hagi's 107 attendances beside Shimonoseki's own figure, in one row.
    let row = page
        .split("id=\"compare-participants\"")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert!(row.contains("延べ107人"), "{row}");
    assert_eq!(row.matches("<td>").count(), 2);
    // Hagi's staff see Hagi alone; a company sees no region of the prefecture.
    let (city, _) = app.login("city-hagi").await;
    let page = app.page(&city, "/prefectures/35/kpis?fy=2023").await;
    assert!(!page.contains(&format!("/regions/{shimonoseki}/kpis")));
    let (company, _) = app.login("cognity").await;
    assert_eq!(
        company
            .get("/prefectures/35/kpis?fy=2023")
            .send()
            .await
            .status(),
        404
    );
    assert_eq!(
        city.get("/prefectures/35/kpis?fy=20x3")
            .send()
            .await
            .status(),
        422
    );
    // The dashboard links to it.
    let dashboard = app
        .page(&city, &format!("/regions/{hagi}/kpis?fy=2023"))
        .await;
    assert!(dashboard.contains("href=\"/prefectures/35/kpis?fy=2023\""));
    // The joint plan's regions (the project's consortium) side by side over its own months.
    let plan = both
        .get(&format!(
            "/api/v1/regions/{hagi}/kpis?from=2023-10-01&to=2024-02-29"
        ))
        .send()
        .await
        .json()["plans"][0]["plan"]["id"]
        .as_i64()
        .unwrap();
    let dashboard = app
        .page(
            &both,
            &format!("/regions/{hagi}/kpis?from=2023-10-01&to=2024-02-29"),
        )
        .await;
    assert!(dashboard.contains(&format!("href=\"/kpi-plans/{plan}/compare\"")));
    let page = app.page(&both, &format!("/kpi-plans/{plan}/compare")).await;
    assert!(page.contains("の地域を並べて比較"), "{page}");
    assert!(!page.contains("id=\"fy\""), "the plan's period is its own");
    let row = page
        .split("id=\"compare-participants\"")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert_eq!(row.matches("<td>").count(), 2, "Hagi and Shimonoseki");
    assert!(row.contains("延べ107人"), "{row}");
    // Each city's staff read the plan but see only their own city's column.
    let page = app.page(&city, &format!("/kpi-plans/{plan}/compare")).await;
    assert!(!page.contains(&format!("/regions/{shimonoseki}/kpis")));
    let row = page
        .split("id=\"compare-participants\"")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert_eq!(row.matches("<td>").count(), 1);
    assert_eq!(
        company
            .get(&format!("/kpi-plans/{plan}/compare"))
            .send()
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_regions_projects_are_listed_by_status_with_their_timeline() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let ids = app.demo.as_ref().unwrap();
    let hagi = ids.hagi.unwrap();
    let (city, _) = app.login("city-hagi").await;
    let list = app.page(&city, &format!("/regions/{hagi}/projects")).await;
    assert!(list.contains("全6件"), "Hagi's six projects");
    assert!(list.contains("id=\"projects-running\""));
    assert!(list.contains("id=\"projects-ended\""));
    assert!(list.contains("萩IT松下村塾 学生向けワークショップ登壇"));
    // One with every step: idea, agreed, running, ended with dates.
    let all = city
        .get(&format!("/api/v1/regions/{hagi}/projects"))
        .send()
        .await
        .json();
    let ended = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["status"] == "ended")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page = app.page(&city, &format!("/projects/{ended}")).await;
    let timeline = page
        .split("id=\"project-timeline\"")
        .nth(1)
        .and_then(|t| t.split("</ol>").next())
        .unwrap();
    assert_eq!(timeline.matches("class=\"done\"").count(), 4, "{timeline}");
    assert!(timeline.contains("2024年1月20日"), "{timeline}");
    assert!(page.contains("越境ラーニング株式会社"));
    // Another city's staff: refused the list, and the record is not found.
    let (other, _) = app.login("city-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/regions/{hagi}/projects"))
            .send()
            .await
            .status(),
        403
    );
    assert_eq!(
        other
            .get(&format!("/projects/{ended}"))
            .send()
            .await
            .status(),
        404
    );
    assert_eq!(city.get("/projects/abc").send().await.status(), 404);
}

#[tokio::test]
async fn a_regions_staff_record_and_change_a_project_through_the_form() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let hagi = app.demo.as_ref().unwrap().hagi.unwrap();
    let (city, csrf) = app.login("city-hagi").await;
    let projects = |c: &jimoto_testkit::TestClient| {
        let c = c.clone();
        async move {
            c.get(&format!("/api/v1/regions/{hagi}/projects"))
                .send()
                .await
                .json()
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let before = projects(&city).await;
    let from_event = before
        .iter()
        .find(|p| !p["origin_program_id"].is_null())
        .unwrap();
    let tour = from_event["origin_program_id"]
        .as_i64()
        .unwrap()
        .to_string();
    let org = |p: &serde_json::Value, i: usize| {
        p["members"][i]["organisation_id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let (first_org, second_org) = (org(from_event, 0), org(from_event, 1));
    let (other, other_csrf) = app.login("city-shimonoseki").await;
    let shimonoseki = app.demo.as_ref().unwrap().shimonoseki.unwrap();
    let elsewhere = other
        .get(&format!("/api/v1/regions/{shimonoseki}/projects"))
        .send()
        .await
        .json();
    let foreign_org = org(&elsewhere[0], 0);

    let list = app.page(&city, &format!("/regions/{hagi}/projects")).await;
    assert!(list.contains(&format!("href=\"/regions/{hagi}/projects/new\"")));
    let form = app
        .page(&city, &format!("/regions/{hagi}/projects/new"))
        .await;
    assert!(form.contains(&format!("<option value=\"{first_org}\">")));
    assert!(
        !form.contains(&format!("<option value=\"{foreign_org}\">")),
        "only Hagi's"
    );
    assert!(form.contains(&format!("<option value=\"{tour}\">")));

    // Every problem at once, named by the form's own rows; nothing written.
    let path = format!("/regions/{hagi}/projects");
    let res = app
        .post_form(
            &city,
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("title", " "),
                ("idea_on", "2024-04-01"),
                ("agreed_on", "2024-03-01"),
                ("ended_on", "2024-13-01"),
                ("member_rows", "3"),
                ("members[0]", ""),
                ("members[1]", "abc"),
                ("members[2]", foreign_org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text();
    for message in [
        "タイトル: ",
        "合意日: 前の段階の日付より後にしてください",
        "終了日: ",
        "参加組織 2: 選択肢から選んでください",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(
        html.contains("value=\"2024-04-01\""),
        "what was typed stays"
    );
    // Another region's organisation is refused like a missing one.
    let res = app
        .post_form(
            &city,
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("title", "萩の海×データ"),
                ("idea_on", "2024-04-01"),
                ("member_rows", "2"),
                ("members[0]", ""),
                ("members[1]", foreign_org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().contains("参加組織 2: 存在しません"));
    let res = app
        .post_form(
            &city,
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("title", "萩の海×データ"),
                ("idea_on", "2024-04-01"),
                ("member_rows", "1"),
                ("members[0]", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().contains("参加組織: 1件以上にしてください"));
    assert_eq!(projects(&city).await.len(), before.len(), "nothing written");

    // Saved: confirmed on the project's page, counted in the list.
    let res = app
        .post_form(
            &city,
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("title", "萩の海×データ"),
                ("theme", "漁獲データの見える化"),
                ("origin_program_id", tour.as_str()),
                ("idea_on", "2024-04-01"),
                ("agreed_on", "２０２４-０５-１０"),
                ("member_rows", "3"),
                ("members[0]", ""),
                ("members[1]", first_org.as_str()),
                ("members[2]", first_org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let record = res.location();
    let page = app.page(&city, &record).await;
    assert!(page.contains("登録しました。"), "{page}");
    assert!(page.contains("萩の海×データ") && page.contains("漁獲データの見える化"));
    assert!(page.contains("2024年5月10日"));
    let saved = projects(&city)
        .await
        .into_iter()
        .find(|p| p["title"] == "萩の海×データ")
        .unwrap();
    assert_eq!(saved["status"], "agreed");
    assert_eq!(
        saved["members"].as_array().unwrap().len(),
        1,
        "a repeat is one member"
    );
    let id = saved["id"].as_i64().unwrap();

    // Changed: it runs, a member is added; the edit form starts from what was saved.
    let edit = app.page(&city, &format!("/projects/{id}/edit")).await;
    assert!(edit.contains("value=\"2024-05-10\"") && edit.contains("漁獲データの見える化"));
    let res = app
        .post_form(
            &city,
            &format!("/projects/{id}"),
            &[
                ("csrf", csrf.as_str()),
                ("title", "萩の海×データ"),
                ("theme", "漁獲データの見える化"),
                ("origin_program_id", tour.as_str()),
                ("idea_on", "2024-04-01"),
                ("agreed_on", "2024-05-10"),
                ("running_on", "2024-06-01"),
                ("outcomes", "週次の漁獲レポートを自動化"),
                ("member_rows", "2"),
                ("members[0]", first_org.as_str()),
                ("members[1]", second_org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = app.page(&city, &res.location()).await;
    assert!(page.contains("保存しました。") && page.contains("週次の漁獲レポートを自動化"));
    let saved = city
        .get(&format!("/api/v1/projects/{id}"))
        .send()
        .await
        .json();
    assert_eq!(saved["status"], "running");
    assert_eq!(saved["members"].as_array().unwrap().len(), 2);

    // Another city's staff: the form is refused, the record not found, nothing changes.
    assert_eq!(
        other
            .get(&format!("/regions/{hagi}/projects/new"))
            .send()
            .await
            .status(),
        403
    );
    assert_eq!(
        other
            .get(&format!("/projects/{id}/edit"))
            .send()
            .await
            .status(),
        404
    );
    let res = app
        .post_form(
            &other,
            &format!("/projects/{id}"),
            &[
                ("csrf", other_csrf.as_str()),
                ("title", "乗っ取り"),
                ("idea_on", "2024-04-01"),
                ("member_rows", "1"),
                ("members[0]", foreign_org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    // A company reads no project and records none.
    let (company, company_csrf) = app.login("cognity").await;
    let res = app
        .post_form(
            &company,
            &path,
            &[
                ("csrf", company_csrf.as_str()),
                ("title", "x"),
                ("idea_on", "2024-04-01"),
                ("member_rows", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    let saved = city
        .get(&format!("/api/v1/projects/{id}"))
        .send()
        .await
        .json();
    assert_eq!(saved["title"], "萩の海×データ");
}

/// The region's residents who attended its programs or worked in a period, counted from the
/// tables without the KPI code.
async fn reached(t: &TestDb, region: RegionId, from: &str, to: &str) -> Vec<i64> {
    let mut conn = t.db.conn().await.unwrap();
    let sql = format!(
        "SELECT a.resident_id FROM attendances a JOIN program_sessions s ON s.id = a.session_id \
         JOIN residents r ON r.id = a.resident_id WHERE s.region_id = {region} \
         AND r.region_id = {region} AND s.date BETWEEN '{from}' AND '{to}' \
         UNION SELECT resident_id FROM engagements WHERE region_id = {region} \
         AND status <> 'draft' AND start_date <= '{to}' \
         AND (COALESCE(ended_on, end_date) IS NULL OR COALESCE(ended_on, end_date) >= '{from}') \
         ORDER BY 1"
    );
    sqlx::query_scalar(&sql)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

async fn who_stayed_counts_the_people_reached_who_had_not_moved_away_by_the_periods_end(t: TestDb) {
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.unwrap();
    let hagi = ids.hagi.unwrap();
    let fy = Period::fiscal(jimoto_domain::calendar::FiscalYear(2023));
    let coord = actor(&s, "coord-hagi").await;
    let city = actor(&s, "city-hagi").await;
    let stayed = |d: &jimoto_domain::kpi::Dashboard| {
        d.figures
            .iter()
            .find(|f| f.kpi == Kpi::Stayed)
            .cloned()
            .unwrap()
    };
    let people = reached(&t, hagi, "2023-04-01", "2024-03-31").await;
    assert!(
        people.len() > 5,
        "the demo reaches Hagi's people: {people:?}"
    );
    let f = stayed(&s.kpi_dashboard(&city, hagi, fy).await.unwrap());
    assert_eq!(f.base, Some(people.len() as i64));
    assert_eq!(f.value, Some(people.len() as f64), "no one has left yet");

    // One who worked leaves within the year; another person reached leaves after it.
    let workers = scalar(
        &t,
        &format!(
            "SELECT MIN(resident_id) FROM engagements WHERE region_id = {hagi} \
             AND status <> 'draft'"
        ),
    )
    .await;
    let another = *people
        .iter()
        .find(|p| **p != workers)
        .expect("another person reached");
    for (who, day) in [(workers, d(2024, 2, 1)), (another, d(2024, 5, 1))] {
        let id = jimoto_domain::ResidentId(who);
        let r = s.resident(&coord, id).await.unwrap();
        let mut input = crate::residents::input_of(&r);
        input.moved_away_on = Some(day);
        let saved = s.update_resident(&coord, id, input).await.unwrap();
        assert_eq!(saved.moved_away_on, Some(day));
    }
    let f = stayed(&s.kpi_dashboard(&city, hagi, fy).await.unwrap());
    assert_eq!(f.base, Some(people.len() as i64), "the base keeps who left");
    assert_eq!(f.value, Some(people.len() as f64 - 1.0));
    let parts: f64 = f.breakdown.values().sum();
    assert_eq!(Some(parts), f.value, "worked + attended only = stayed");
    // Over a period that ends after both moves, both have left.
    let longer = Period::new(d(2023, 4, 1), d(2024, 6, 30)).unwrap();
    let f = stayed(&s.kpi_dashboard(&city, hagi, longer).await.unwrap());
    let people_longer = reached(&t, hagi, "2023-04-01", "2024-06-30").await;
    assert_eq!(f.value, Some(people_longer.len() as f64 - 2.0));

    // The rows: who left first, named only to the coordinator.
    let rows = s.kpi_rows(&coord, hagi, Kpi::Stayed, fy).await.unwrap();
    assert_eq!(rows.total, people.len() as i64);
    assert_eq!(
        rows.columns,
        ["person", "region", "took_part", "moved_away_on", "stayed"]
    );
    let first = &rows.rows[0];
    assert!(
        matches!(&first[0], Cell::Person { id, name: Some(_) } if id.0 == workers),
        "{first:?}"
    );
    assert_eq!(first[2], Cell::code("took_part", "worked"));
    assert_eq!(first[3], Cell::Date(d(2024, 2, 1)));
    assert_eq!(first[4], Cell::code("stayed", "no"));
    let later = rows
        .rows
        .iter()
        .find(|r| matches!(&r[0], Cell::Person { id, .. } if id.0 == another))
        .unwrap();
    assert_eq!(later[3], Cell::Date(d(2024, 5, 1)));
    assert_eq!(later[4], Cell::code("stayed", "yes"), "left after the year");
    let unnamed = s.kpi_rows(&city, hagi, Kpi::Stayed, fy).await.unwrap();
    assert!(
        unnamed
            .rows
            .iter()
            .all(|r| matches!(r[0], Cell::Person { name: None, .. })),
        "the city's staff see numbers, not names"
    );
    assert!(matches!(
        s.kpi_rows(&actor(&s, "city-shimonoseki").await, hagi, Kpi::Stayed, fy)
            .await,
        Err(ServiceError::Forbidden)
    ));
}

/// A forecast's history counted from the tables: participants per course, and per person their
/// first session, first contract and approved pay by period.
async fn course_history(
    t: &TestDb,
    region: RegionId,
    kind: &str,
) -> (Vec<i64>, i64, i64, i64, i64) {
    let mut conn = t.db.conn().await.unwrap();
    let sizes: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT COUNT(DISTINCT a.resident_id) FROM attendances a \
         JOIN program_sessions s ON s.id = a.session_id JOIN programs p ON p.id = s.program_id \
         WHERE p.region_id = {region} AND p.kind = '{kind}' GROUP BY p.id ORDER BY p.id"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let firsts: Vec<(i64, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT a.resident_id, MIN(s.date), (SELECT MIN(e.start_date) FROM engagements e \
         WHERE e.resident_id = a.resident_id AND e.status <> 'draft') FROM attendances a \
         JOIN program_sessions s ON s.id = a.session_id JOIN programs p ON p.id = s.program_id \
         WHERE p.region_id = {region} AND p.kind = '{kind}' GROUP BY a.resident_id"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let (mut people, mut started, mut before, mut income) = (0, 0, 0, 0);
    let today = jimoto_domain::calendar::today_jst();
    for (resident, first, contract) in firsts {
        let first = NaiveDate::parse_from_str(&first, "%Y-%m-%d").unwrap();
        let end = first + chrono::Days::new(365);
        if end > today {
            continue;
        }
        people += 1;
        let Some(c) = contract.map(|c| NaiveDate::parse_from_str(&c, "%Y-%m-%d").unwrap()) else {
            continue;
        };
        if c < first {
            before += 1;
        } else if c < end {
            started += 1;
            let pay: Vec<(String, i64)> = sqlx::query_as(&format!(
                "SELECT starts_on, amount_yen FROM pay_periods WHERE resident_id = {resident} \
                 AND status IN ('approved', 'paid')"
            ))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            income += pay
                .iter()
                .filter(|(on, _)| {
                    let on = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
                    on >= first && on < end
                })
                .map(|(_, y)| y)
                .sum::<i64>();
        }
    }
    (sizes, people, started, before, income)
}

async fn the_forecast_follows_the_regions_own_history(t: TestDb) {
    use jimoto_domain::program::ProgramKind;
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.unwrap();
    let hagi = ids.hagi.unwrap();
    let city = actor(&s, "city-hagi").await;
    let mut with_history = 0;
    for kind in [
        ProgramKind::IntroSeminar,
        ProgramKind::ItBasicsBeginner,
        ProgramKind::ItBasicsIntermediate,
        ProgramKind::Workshop,
    ] {
        let (sizes, people, started, before, income) =
            course_history(&t, hagi, kind.as_str()).await;
        let f = s.kpi_forecast(&city, hagi, kind, 3).await.unwrap();
        let Some(f) = f else {
            assert!(sizes.is_empty(), "{kind}: no forecast despite {sizes:?}");
            continue;
        };
        with_history += 1;
        let sizes_seen: Vec<i64> = f.history.iter().map(|c| c.participants).collect();
        assert_eq!(sizes_seen, sizes, "{kind}");
        assert_eq!(
            (f.people, f.in_work, f.working_before),
            (people, started, before),
            "{kind}"
        );
        let mean = sizes.iter().sum::<i64>() as f64 / sizes.len() as f64;
        assert!(
            (f.participants.expected - 3.0 * mean).abs() < 1e-9,
            "{kind}"
        );
        let share = started as f64 / people as f64;
        let w = f.in_work_expected.unwrap();
        assert!((w.expected - 3.0 * mean * share).abs() < 1e-9, "{kind}");
        assert!(w.low <= w.expected && w.expected <= w.high, "{kind}: {w:?}");
        match f.income_per_person {
            Some(per) => {
                assert!((per.expected - income as f64 / started as f64).abs() < 1e-6);
                assert!(f.income.unwrap().expected > 0.0, "{kind}");
            }
            None => assert_eq!(started, 0, "{kind}"),
        }
    }
    assert!(
        with_history >= 3,
        "the demo's Hagi held three kinds of course"
    );
    // The intro seminar led to work: its people started after it.
    let intro = s
        .kpi_forecast(&city, hagi, ProgramKind::IntroSeminar, 3)
        .await
        .unwrap()
        .unwrap();
    assert!(intro.in_work > 0 && intro.income.is_some(), "{intro:?}");
    let six = s
        .kpi_forecast(&city, hagi, ProgramKind::IntroSeminar, 6)
        .await
        .unwrap()
        .unwrap();
    let (a, b) = (
        intro.in_work_expected.unwrap().expected,
        six.in_work_expected.unwrap().expected,
    );
    assert!(
        (b - 2.0 * a).abs() < 1e-9,
        "twice the courses, twice the people"
    );
    // Refused: another city, a company, a resident; and questions that cannot be forecast.
    for login in ["city-shimonoseki", "cognity", "resident-hagi"] {
        assert!(
            matches!(
                s.kpi_forecast(&actor(&s, login).await, hagi, ProgramKind::IntroSeminar, 3)
                    .await,
                Err(ServiceError::Forbidden)
            ),
            "{login}"
        );
    }
    for (kind, courses, field) in [
        (ProgramKind::WorkationTour, 3, "kind"),
        (ProgramKind::IntroSeminar, 0, "courses"),
        (ProgramKind::IntroSeminar, 51, "courses"),
    ] {
        match s.kpi_forecast(&city, hagi, kind, courses).await {
            Err(ServiceError::Validation(v)) => assert_eq!(v.0[0].field, field),
            other => panic!("{kind} × {courses}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_forecast_page_and_api_show_the_range_and_the_assumptions() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let hagi = app.demo.as_ref().unwrap().hagi.unwrap();
    let (city, _) = app.login("city-hagi").await;
    let dash = app
        .page(&city, &format!("/regions/{hagi}/kpis?fy=2023"))
        .await;
    assert!(dash.contains(&format!("href=\"/regions/{hagi}/kpis/forecast\"")));
    let page = app
        .page(
            &city,
            &format!("/regions/{hagi}/kpis/forecast?kind=intro_seminar&courses=3"),
        )
        .await;
    for expected in [
        "「テレワーク入門セミナー」をあと3回開くと",
        "id=\"forecast-in-work\"",
        "幅 ",
        "前提",
        "80%の幅は",
        "テレワーク入門セミナー</a>",
        "約束ではありません",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    // Without a question: one course of the beginners' course.
    let page = app
        .page(&city, &format!("/regions/{hagi}/kpis/forecast"))
        .await;
    assert!(page.contains("「IT基礎講座（初級）」をあと1回開くと"));
    assert!(page.contains("講座の前から仕事をしていた"), "{page}");
    // A kind Hagi never held says so.
    let page = app
        .page(
            &city,
            &format!("/regions/{hagi}/kpis/forecast?kind=e_learning&courses=2"),
        )
        .await;
    assert!(page.contains("id=\"forecast-none\""), "{page}");
    // Bad questions are named; a tour cannot be forecast.
    for (query, message) in [
        (
            "kind=intro_seminar&courses=abc",
            "追加で開く回数: 数字で入力してください",
        ),
        (
            "kind=intro_seminar&courses=99",
            "追加で開く回数: 1から50の範囲で入力してください",
        ),
        (
            "kind=workation_tour&courses=2",
            "種別: 選択肢から選んでください",
        ),
        ("kind=nonsense&courses=2", "種別: 選択肢から選んでください"),
    ] {
        let res = city
            .get(&format!("/regions/{hagi}/kpis/forecast?{query}"))
            .send()
            .await;
        assert_eq!(res.status(), 422, "{query}");
        let html = res.text();
        assert!(html.contains(message), "{query}: {html}");
        assert!(!html.contains("id=\"forecast-result\""));
    }
    // Another city's staff: refused before anything is read.
    let (other, _) = app.login("city-shimonoseki").await;
    let res = other
        .get(&format!("/regions/{hagi}/kpis/forecast?kind=bad"))
        .send()
        .await;
    assert_eq!(res.status(), 403);
    // The API.
    let token = city;
    let res = token
        .get(&format!(
            "/api/v1/regions/{hagi}/forecast?kind=intro_seminar&courses=3"
        ))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let json = res.json();
    let f = &json["forecast"];
    assert_eq!(f["kind"], "intro_seminar");
    assert_eq!(f["courses"], 3);
    assert!(f["in_work_expected"]["expected"].as_f64().unwrap() > 0.0);
    assert!(f["history"].as_array().unwrap().len() == 1);
    let res = token
        .get(&format!(
            "/api/v1/regions/{hagi}/forecast?kind=e_learning&courses=3"
        ))
        .send()
        .await;
    assert_eq!(res.json()["forecast"], serde_json::Value::Null);
    for (query, status) in [
        ("kind=workation_tour&courses=3", 422),
        ("kind=intro_seminar&courses=0", 422),
        ("kind=intro_seminar", 400),
        ("kind=nonsense&courses=3", 400),
    ] {
        let res = token
            .get(&format!("/api/v1/regions/{hagi}/forecast?{query}"))
            .send()
            .await;
        assert_eq!(res.status(), status, "{query}");
    }
    let res = other
        .get(&format!(
            "/api/v1/regions/{hagi}/forecast?kind=intro_seminar&courses=3"
        ))
        .send()
        .await;
    assert_eq!(res.status(), 403);
}
