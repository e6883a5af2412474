//! Programs and their sessions: services and store on both engines (who sees and runs them,
//! validation, sessions in time order, the audit log).

use chrono::{NaiveDate, NaiveTime};
use jimoto_domain::audit::{AuditEntity, AuditFilter};
use jimoto_domain::program::{
    Audience, CompletionRule, Partner, PartnerRole, ProgramInput, ProgramKind, SessionInput,
    SessionMode,
};
use jimoto_domain::{PageRequest, RegionId};
use jimoto_services::ServiceError;
use jimoto_testkit::{TestDb, World, both_engines};

both_engines!(
    programs_are_run_by_their_regions_coordinators_and_seen_by_partners,
    program_and_session_input_is_checked_whole,
);

fn seminar(w: &World, region: RegionId) -> ProgramInput {
    ProgramInput {
        region_id: region,
        kind: ProgramKind::IntroSeminar,
        audience: Audience::Residents,
        title: "  テレワーク入門セミナー ".into(),
        description: "働き方の選択肢を知る2回のセミナー".into(),
        organiser_id: w.cognity,
        partners: vec![
            Partner {
                organisation_id: w.cognity,
                role: PartnerRole::Provider,
            },
            Partner {
                organisation_id: w.cognity,
                role: PartnerRole::Supporter,
            },
        ],
        capacity: Some(30),
        completion: CompletionRule::Manual,
        min_attendance_percent: Some(80),
    }
}

fn session(day: u32, venue: &str) -> SessionInput {
    SessionInput {
        date: NaiveDate::from_ymd_opt(2023, 11, day).unwrap(),
        starts_at: NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
        ends_at: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
        mode: SessionMode::Venue,
        venue_name: venue.into(),
        venue_address: "山口県萩市".into(),
        online_url: "https://ignored.example/".into(),
    }
}

async fn programs_are_run_by_their_regions_coordinators_and_seen_by_partners(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let p = s.create_program(&coord, seminar(&w, w.hagi)).await.unwrap();
    assert_eq!(p.title, "テレワーク入門セミナー");
    assert_eq!(p.partners.len(), 1, "a partner named twice counts once");
    assert_eq!(
        p.min_attendance_percent, None,
        "a manual rule keeps no share"
    );
    // Sessions come back in time order, whatever order they were added in.
    s.add_session(&coord, p.id, session(25, "萩幼稚園"))
        .await
        .unwrap();
    let first = s
        .add_session(&coord, p.id, session(18, "萩・明倫学舎"))
        .await
        .unwrap();
    assert!(first.online_url.is_empty(), "a venue session keeps no link");
    let v = s.program(&coord, p.id).await.unwrap();
    let venues: Vec<&str> = v.sessions.iter().map(|s| s.venue_name.as_str()).collect();
    assert_eq!(venues, ["萩・明倫学舎", "萩幼稚園"]);
    let mut moved = session(26, "萩・明倫学舎");
    moved.starts_at = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
    s.update_session(&coord, p.id, first.id, moved)
        .await
        .unwrap();
    let v = s.program(&coord, p.id).await.unwrap();
    assert_eq!(
        v.sessions[1].date,
        NaiveDate::from_ymd_opt(2023, 11, 26).unwrap()
    );

    // Who sees it: Hagi's staff, the partner company, the admin; not Shimonoseki, not Eukarya.
    for login in ["coord-hagi", "city-hagi", "cognity", "admin"] {
        let a = w.actor(login);
        assert!(s.program(&a, p.id).await.is_ok(), "{login} sees it");
        let list = s.programs(&a, &PageRequest::default()).await.unwrap();
        assert!(list.items.iter().any(|x| x.id == p.id), "{login} lists it");
    }
    for login in [
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
    ] {
        let a = w.actor(login);
        assert!(
            matches!(s.program(&a, p.id).await, Err(ServiceError::NotFound)),
            "{login}"
        );
    }
    let list = s
        .programs(&w.actor("coord-shimonoseki"), &PageRequest::default())
        .await
        .unwrap();
    assert!(list.items.is_empty());
    // Who runs it: Hagi's coordinator only; another region's session ids are not found.
    assert!(matches!(
        s.add_session(&w.actor("city-hagi"), p.id, session(30, "x"))
            .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        s.add_session(&w.actor("coord-shimonoseki"), p.id, session(30, "x"))
            .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.update_session(&coord, w.hagi_course, first.id, session(30, "x"))
            .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.create_program(&w.actor("coord-shimonoseki"), seminar(&w, w.hagi))
            .await,
        Err(ServiceError::Forbidden)
    ));
    // The audit log has the program and each session.
    let f = AuditFilter {
        entity: Some(AuditEntity::Program),
        entity_id: Some(p.id.0),
    };
    let log = s
        .audit_log(&w.actor("admin"), &f, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.items.len(), 4, "created, two sessions added, one moved");
    assert_eq!(log.items[0].changes["session"][1]["date"], "2023-11-26");
    assert!(log.items[1].changes["session"][0].is_null());
}

async fn program_and_session_input_is_checked_whole(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let codes = |e: ServiceError| match e {
        ServiceError::Validation(v) => {
            v.0.into_iter()
                .map(|f| (f.field, f.code))
                .collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    let mut bad = seminar(&w, w.hagi);
    bad.title = " ".into();
    bad.capacity = Some(0);
    bad.completion = CompletionRule::Attendance;
    bad.min_attendance_percent = Some(120);
    let e = s.create_program(&coord, bad).await.unwrap_err();
    assert_eq!(
        codes(e),
        vec![
            ("capacity".into(), "out_of_range".into()),
            ("min_attendance_percent".into(), "out_of_range".into()),
            ("title".into(), "required".into()),
        ]
    );
    let mut no_share = seminar(&w, w.hagi);
    no_share.completion = CompletionRule::Attendance;
    no_share.min_attendance_percent = None;
    let e = s.create_program(&coord, no_share).await.unwrap_err();
    assert_eq!(
        codes(e),
        vec![("min_attendance_percent".into(), "required".into())]
    );
    let mut ghost = seminar(&w, w.hagi);
    ghost.organiser_id = jimoto_domain::OrganisationId(999_999);
    let e = s.create_program(&coord, ghost).await.unwrap_err();
    assert_eq!(codes(e), vec![("organiser_id".into(), "unknown".into())]);

    let mut online = session(18, "");
    online.mode = SessionMode::Hybrid;
    online.online_url = "http://insecure.example/".into();
    online.ends_at = online.starts_at;
    let e = s
        .add_session(&coord, w.hagi_course, online)
        .await
        .unwrap_err();
    assert_eq!(
        codes(e),
        vec![
            ("ends_at".into(), "ends_before_start".into()),
            ("venue_name".into(), "required".into()),
            ("online_url".into(), "https_url".into()),
        ]
    );
    // Nothing of it was written.
    let v = s.program(&coord, w.hagi_course).await.unwrap();
    assert_eq!(v.sessions.len(), 1);
    let all = s.programs(&coord, &PageRequest::default()).await.unwrap();
    assert_eq!(all.items.len(), 1);
}

/// The pages: a coordinator creates a program with a partner and adds a session; the city sees
/// it without the forms; the partner company sees it; another region's coordinator does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_creates_a_program_and_adds_a_session_through_the_pages() {
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let (coord, csrf) = app.login("coord-hagi").await;
    let form = app.page(&coord, "/programs/new").await;
    assert!(form.contains("選択してください") && form.contains("テレワーク入門セミナー"));
    // Every problem at once.
    let res = app
        .post_form(
            &coord,
            "/programs",
            &[
                ("csrf", csrf.as_str()),
                ("region_id", &w.hagi.to_string()),
                ("title", ""),
                ("capacity", "たくさん"),
                ("completion", "attendance"),
            ],
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    for field in [
        "種類",
        "対象",
        "タイトル",
        "主催団体",
        "定員",
        "修了に必要な出席率",
    ] {
        assert!(html.contains(field), "{field} missing:\n{html}");
    }
    let res = app
        .post_form(
            &coord,
            "/programs",
            &[
                ("csrf", csrf.as_str()),
                ("region_id", &w.hagi.to_string()),
                ("kind", "intro_seminar"),
                ("audience", "residents"),
                ("title", "テレワーク入門セミナー"),
                ("organiser_id", &w.cognity.to_string()),
                ("partner_0", &w.cognity.to_string()),
                ("partner_role_0", "provider"),
                ("capacity", "３０"),
                ("completion", "manual"),
            ],
        )
        .await;
    let at = res.location();
    assert!(at.starts_with("/programs/"), "{at}");
    let page = app.page(&coord, &at).await;
    assert!(page.contains(r#"id="notice">登録しました。"#) && page.contains("30人"));
    assert!(page.contains("コグニティ株式会社（講座・仕事の提供）"));
    let res = app
        .post_form(
            &coord,
            &format!("{at}/sessions"),
            &[
                ("csrf", csrf.as_str()),
                ("date", "2023-11-18"),
                ("starts_at", "13:30"),
                ("ends_at", "12:00"),
                ("mode", "hybrid"),
            ],
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    for message in [
        "終了時刻: は開始時刻より後にしてください",
        "会場名: 入力してください",
        "オンラインのURL: は https:// で始まるURLを入力してください",
    ] {
        assert!(html.contains(message), "{message} missing:\n{html}");
    }
    let res = app
        .post_form(
            &coord,
            &format!("{at}/sessions"),
            &[
                ("csrf", csrf.as_str()),
                ("date", "2023-11-18"),
                ("starts_at", "13:30"),
                ("ends_at", "15:00"),
                ("mode", "venue"),
                ("venue_name", "萩・明倫学舎"),
            ],
        )
        .await;
    assert_eq!(res.location(), format!("{at}#sessions"));
    let page = app.page(&coord, &at).await;
    assert!(
        page.contains("2023年11月18日") && page.contains("13:30–15:00") && page.contains("全1回")
    );

    let (city, _) = app.login("city-hagi").await;
    let seen = app.page(&city, &at).await;
    assert!(seen.contains("萩・明倫学舎") && !seen.contains("id=\"add-session\""));
    let (cognity, _) = app.login("cognity").await;
    assert!(
        app.page(&cognity, "/programs")
            .await
            .contains("テレワーク入門セミナー")
    );
    let (other, _) = app.login("coord-shimonoseki").await;
    assert_eq!(
        other.get(&at).send().await.status(),
        reqwest::StatusCode::NOT_FOUND
    );
    assert!(
        !app.page(&other, "/programs")
            .await
            .contains("テレワーク入門セミナー")
    );
}

/// A program's sessions as iCalendar: every session of the series, or one; Japan time written
/// in UTC; only for those who may see the program.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_download_as_icalendar() {
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let coord = w.actor("coord-hagi");
    let course = w.hagi_course;
    let online = SessionInput {
        mode: SessionMode::Online,
        online_url: "https://meet.example.jp/hagi".into(),
        ..session(25, "")
    };
    let second = app
        .services
        .add_session(&coord, course, online)
        .await
        .unwrap();
    let (client, _) = app.login("city-hagi").await;
    let page = app.page(&client, &format!("/programs/{course}")).await;
    assert!(page.contains(&format!(r#"href="/programs/{course}/calendar.ics""#)));
    let res = client
        .get(&format!("/programs/{course}/calendar.ics"))
        .send()
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = res.text();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    // 13:30 in Japan is 04:30 UTC.
    assert!(ics.contains("DTSTART:20231118T043000Z"), "{ics}");
    assert!(
        ics.contains("LOCATION:萩・明倫学舎 山口県萩市江向602"),
        "{ics}"
    );
    assert!(ics.contains("IT基礎講座（初級）（第2回）"), "{ics}");
    assert!(ics.contains("URL:https://meet.example.jp/hagi"), "{ics}");
    let one = client
        .get(&format!(
            "/programs/{course}/sessions/{}/calendar.ics",
            second.id
        ))
        .send()
        .await
        .text();
    assert_eq!(one.matches("BEGIN:VEVENT").count(), 1);
    assert!(one.contains("DTSTART:20231125T043000Z"), "{one}");
    // A session of another program, or a program one may not see, is not found.
    let other = client
        .get(&format!("/programs/{course}/sessions/999999/calendar.ics"))
        .send()
        .await;
    assert_eq!(other.status(), reqwest::StatusCode::NOT_FOUND);
    let (shimo, _) = app.login("coord-shimonoseki").await;
    let res = shimo
        .get(&format!("/programs/{course}/calendar.ics"))
        .send()
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND);
}
