//! The demo and each role's home page.

use jimoto_domain::region::RegionFilter;
use jimoto_domain::{PageRequest, Total};
use jimoto_testkit::{DEMO_PASSWORD, Engine, TestApp, TestDb, both_engines};

both_engines!(demo_loads_once_and_is_reused);

async fn demo_loads_once_and_is_reused(t: TestDb) {
    let s = t.services();
    assert!(jimoto_demo::load(&s).await.unwrap(), "first run loads");
    assert!(!jimoto_demo::load(&s).await.unwrap(), "second run reuses");
    let actor = |login: &'static str| {
        let s = s.clone();
        async move {
            s.login(login, DEMO_PASSWORD, "127.0.0.1")
                .await
                .expect("demo login works")
                .actor
        }
    };
    let admin = actor("admin").await;
    let regions = s
        .regions(&admin, &RegionFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        regions
            .items
            .iter()
            .map(|r| r.lg_code.as_str())
            .collect::<Vec<_>>(),
        vec!["352012", "352047"]
    );
    for l in jimoto_demo::logins() {
        assert_eq!(actor(l.login).await.principal.role(), l.role, "{}", l.login);
    }
    let coord = actor("coord-hagi").await;
    let hagi = s
        .residents(&coord, &Default::default(), &PageRequest::default())
        .await
        .unwrap();
    // The demo's five residents and the made-up people who signed up: 14 for the 14 of the
    // introduction seminar, and 6 more who applied for Cognity's jobs without a course (18
    // applicants; 山田 花子, who has a login, is left for visitors to take through the work).
    assert_eq!(hagi.total, Total::Exact(20));
    // The report's schedule and its rows: Hagi's resident programs have 2 + 5 + 12 = 19
    // sessions and 17 + 26 + 64 = 107 attendances (and the next course, open for sign-up);
    // Shimonoseki's 1 + 3 + 1 = 5 sessions and 26 + 10 + 9 = 45 attendances (the report's
    // "36" does not add up). Each region also has a company seminar and a tour, and
    // Shimonoseki the aubeBiz seminar for local businesses.
    for (login, programs_n, sessions, attendances) in [
        ("coord-hagi", 6, vec![2, 5, 12, 5], vec![17, 26, 64, 0]),
        ("coord-shimonoseki", 6, vec![1, 3, 1], vec![26, 10, 9]),
    ] {
        let a = actor(login).await;
        let programs = s.programs(&a, &PageRequest::default()).await.unwrap();
        assert_eq!(programs.items.len(), programs_n, "{login}");
        let (mut counts, mut attended) = (Vec::new(), Vec::new());
        for p in programs.items.iter().rev() {
            if p.audience == jimoto_domain::program::Audience::Residents {
                counts.push(s.program(&a, p.id).await.unwrap().sessions.len());
                let c = s.program_counts(&a, p.id).await.unwrap();
                assert!(
                    c.attended_people <= c.attendances,
                    "{login}: unique ≤ attendances"
                );
                let per: i64 = c.per_session.iter().map(|x| x.attendances).sum();
                assert_eq!(per, c.attendances, "{login}: sessions add up");
                attended.push(c.attendances);
            }
        }
        assert_eq!(counts, sessions, "{login}");
        assert_eq!(attended, attendances, "{login}");
    }
    // The company side: seminars of 51 and 96 people; tours of 8 companies / 9 people and
    // 9 / 11, every company with its purpose and a follow-up, counted from the records.
    for (login, seminar, tour) in [
        ("coord-hagi", 51, (8, 9)),
        ("coord-shimonoseki", 96, (9, 11)),
    ] {
        let a = actor(login).await;
        let programs = s.programs(&a, &PageRequest::default()).await.unwrap();
        for p in &programs.items {
            let c = s.event_counts(&a, p.id).await.unwrap();
            match p.kind {
                jimoto_domain::program::ProgramKind::CompanySeminar => {
                    assert_eq!((c.organisations, c.people), (0, seminar), "{login}");
                }
                jimoto_domain::program::ProgramKind::LocalSeminar => {
                    // Shimonoseki's aubeBiz seminar: 57 people of local businesses and schools.
                    assert_eq!((c.organisations, c.people), (0, 57), "{login}");
                }
                jimoto_domain::program::ProgramKind::WorkationTour => {
                    assert_eq!((c.organisations, c.people), tour, "{login}");
                    assert_eq!((c.with_purpose, c.follow_ups), (tour.0, tour.0), "{login}");
                    assert!(c.open_follow_ups > 0, "{login}: some still to do");
                }
                _ => assert_eq!(c.people, 0, "{login}"),
            }
        }
    }
    demo_work_adds_up(&s, &actor("admin").await, &actor("cognity").await).await;
}

/// The work of the demo, counted from its records: 18 applications and 9 hires for Cognity in
/// Hagi, ¥1,260,000 approved there and ¥400,000 paid in Shimonoseki in FY2023, seven trials
/// evaluated against all fifteen criteria, and the tenures behind retention.
async fn demo_work_adds_up(
    s: &jimoto_services::Services,
    admin: &jimoto_domain::Actor,
    cognity: &jimoto_domain::Actor,
) {
    use jimoto_domain::work::ApplicationStatus as A;
    let jimoto_domain::Principal::CompanyMember { organisation } = cognity.principal else {
        panic!("cognity is a company member")
    };
    let apps = s
        .applications_to(cognity, organisation, None)
        .await
        .unwrap();
    let count = |st: A| apps.iter().filter(|a| a.status == st).count();
    assert_eq!(apps.len(), 18);
    assert_eq!(
        (
            count(A::Hired),
            count(A::Declined),
            count(A::Withdrawn),
            count(A::Active)
        ),
        (9, 5, 1, 3)
    );
    let regions = s
        .regions(admin, &RegionFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items;
    let fy2023 = |e: &jimoto_domain::work::Earnings| {
        e.fiscal_years
            .iter()
            .find(|b| b.year == 2023)
            .map_or(0, |b| b.earned.gross_yen)
    };
    // By their codes: 下関市 352012, 萩市 352047.
    let (shimo_id, hagi_id) = (regions[0].id, regions[1].id);
    let hagi = s.region_pay_totals(admin, hagi_id).await.unwrap();
    let shimonoseki = s.region_pay_totals(admin, shimo_id).await.unwrap();
    assert_eq!((fy2023(&hagi), fy2023(&shimonoseki)), (1_260_000, 400_000));
    let mut met = Vec::new();
    for e in s.engagements_of(cognity, organisation).await.unwrap() {
        for v in s.evaluations(cognity, e.id).await.unwrap() {
            assert_eq!(v.scores.len(), 15);
            met.push(v.met());
        }
    }
    met.sort_unstable();
    assert_eq!(
        met,
        [8, 9, 10, 10, 11, 12, 13],
        "the seven trials' criteria met"
    );
    let r = s
        .region_retention(admin, hagi_id, "2025-01-01".parse().ok())
        .await
        .unwrap();
    let marks: Vec<_> = r
        .total
        .milestones
        .iter()
        .map(|m| (m.months, m.eligible, m.retained))
        .collect();
    // Nine three-month trials, each running its term; the seven from November have reached
    // the twelve-month mark by then, the two from January have not.
    assert_eq!(marks, [(3, 9, 9), (6, 9, 0), (12, 7, 0)]);
    assert_eq!(r.total.ended_by.len(), 1);
    assert_eq!(r.total.ended_by[0].count, 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_demo_login_reaches_its_own_home_page() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let expectations = [
        ("admin", "プラットフォーム全体", "/admin/audit"),
        ("coord-hagi", "担当地域の住民と企業", "萩市"),
        ("coord-shimonoseki", "担当地域の住民と企業", "下関市"),
        ("city-hagi", "地域のビジョン", "萩市"),
        ("city-shimonoseki", "地域のビジョン", "下関市"),
        ("cognity", "自社の情報", "コグニティ株式会社"),
        ("eukarya", "自社の情報", "株式会社ユーカリヤ"),
        ("resident-hagi", "ご自身のプロフィール", "山田 花子"),
        ("resident-shimonoseki", "ご自身のプロフィール", "中村 健一"),
    ];
    for (login, intro, own) in expectations {
        let (client, _) = app.login(login).await;
        let html = app.page(&client, "/home").await;
        assert!(html.contains(intro), "{login} home intro");
        assert!(html.contains(own), "{login} home shows {own}");
    }
    // The coordinator of Hagi does not see Shimonoseki on their home page, and counts Hagi's
    // residents.
    let (client, _) = app.login("coord-hagi").await;
    let html = app.page(&client, "/home").await;
    assert!(!html.contains("下関市"));
    assert!(html.contains("住民 20人"), "{html}");
    assert!(html.contains("href=\"/stalled\"") && html.contains("href=\"/funnel\""));
}

/// Each role's home gives them something to do, in words addressed to them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_s_home_gives_them_something_to_do() {
    let app = TestApp::demo(Engine::Sqlite).await;
    let page = |login: &'static str| {
        let app = &app;
        async move {
            let (client, _) = app.login(login).await;
            app.page(&client, "/home").await
        }
    };
    // The city: its residents in figures, labelled, and the fiscal year.
    let city = page("city-hagi").await;
    for expected in [
        "萩市の住民（現在の登録状況）",
        "登録している住民",
        "テレワーク就職",
        "すきま時間テレワーク",
        "働ける時間の合計",
        "多いスキル",
        "令和",
        "地方公共団体コード: 352047",
    ] {
        assert!(city.contains(expected), "city-hagi: {expected}\n{city}");
    }
    // A company: who its coordinator is and what comes next.
    let company = page("cognity").await;
    assert!(
        company.contains("担当のコーディネーター") && company.contains("萩 コーディネーター 大谷")
    );
    assert!(company.contains("これから"));
    // A coordinator: residents to follow up, each list linked to the people.
    let coord = page("coord-hagi").await;
    assert!(coord.contains("フォローが必要な住民"), "{coord}");
    assert!(coord.contains("ログインIDが未発行"), "{coord}");
    assert!(coord.contains("<a href=\"/residents/"));
    // A resident: their own profile addressed to them, with units; no API tokens on /me.
    let resident = page("resident-hagi").await;
    assert!(resident.contains("あなたのプロフィール") && resident.contains("あなたが働ける時間"));
    assert!(resident.contains("週20時間"), "{resident}");
    assert!(!resident.contains("この住民"));
    let (client, _) = app.login("resident-hagi").await;
    let me = app.page(&client, "/me").await;
    assert!(!me.contains("APIトークン") && !me.contains("id=\"tokens\""));
    // Nobody's home shows follow-ups of people they do not coordinate.
    assert!(!city.contains("フォローが必要な住民") && !company.contains("フォローが必要な住民"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_names_the_current_fiscal_year_in_both_languages() {
    use chrono::Datelike;
    let app = TestApp::world(Engine::Sqlite).await;
    let today = jimoto_domain::calendar::today_jst();
    let fy = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let (client, csrf) = app.login("city-hagi").await;
    let html = app.page(&client, "/home").await;
    let ja = format!(
        "{}年{}月{}日（令和{}年度）",
        today.year(),
        today.month(),
        today.day(),
        fy - 2018
    );
    assert!(html.contains(&ja), "{ja} in {html}");
    app.post_form(
        &client,
        "/lang",
        &[("csrf", csrf.as_str()), ("lang", "en"), ("next", "/home")],
    )
    .await;
    let html = app.page(&client, "/home").await;
    assert!(html.contains(&format!("(FY{fy})")));
}
