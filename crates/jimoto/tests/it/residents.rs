//! Residents: store and services on both engines (storage conventions, search, keyset pages,
//! audit, privacy), and the pages through the router.

use jimoto_domain::audit::{AuditEntity, AuditFilter};
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentFilter, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{PageRequest, RegionId, Total};
use jimoto_services::ServiceError;
use jimoto_store::{StoreError, residents};
use jimoto_testkit::{Engine, HANAKO_NOTE, ResidentSpec, TestApp, TestDb, both_engines};
use reqwest::StatusCode;

both_engines!(
    residents_round_trip_with_skills_and_filters,
    names_are_found_in_any_kana_or_width,
    readings_typed_in_hiragana_or_half_width_are_stored_in_katakana,
    common_and_rare_words_are_both_found_in_full,
    lists_page_by_position_with_bounded_totals,
    a_stored_value_that_cannot_be_read_is_an_error,
    resident_changes_are_audited_without_sensitive_values,
    circumstances_are_hidden_from_admin_and_municipal_staff,
    residents_move_only_between_a_coordinators_regions,
    contacts_are_the_coordinators_and_feed_the_follow_ups,
);

fn spec(region: RegionId, name: &str, kana: &str) -> ResidentSpec {
    ResidentSpec::new(region, name, kana)
        .contact("a@example.jp", "")
        .circumstances(Circumstances {
            childcare: true,
            care: false,
            treatment: true,
            note: "メモ".into(),
        })
        .skills(&[("GIS", 2), ("Excel", 4)])
        .hours(12)
        .windows(&[TimeWindow::WeekdayMorning, TimeWindow::Weekend])
        .styles(&[WorkStyle::SpareTime])
}

fn names(page: &jimoto_domain::Page<jimoto_domain::resident::Resident>) -> Vec<&str> {
    page.items.iter().map(|r| r.name.as_str()).collect()
}

async fn residents_round_trip_with_skills_and_filters(t: TestDb) {
    let hagi = t.region("352047").await;
    let shimo = t.region("352012").await;
    let mut input = spec(hagi, "山田 花子", "ヤマダ ハナコ").input();
    input.office_visits = OfficeVisits::Monthly;
    input.max_travel_minutes = Some(30);
    let mut tx = t.db.begin().await.unwrap();
    let a = residents::insert(&mut tx, &input, None).await.unwrap();
    tx.commit().await.unwrap();
    t.resident(
        ResidentSpec::new(shimo, "中村 健一", "ナカムラ ケンイチ")
            .styles(&[WorkStyle::TeleworkEmployment])
            .skills(&[("Re:Earth", 3)]),
    )
    .await;

    let mut c = t.db.conn().await.unwrap();
    let r = residents::get(&mut c, a).await.unwrap().unwrap();
    assert_eq!(
        r.skills,
        vec![
            Skill {
                name: "GIS".into(),
                level: 2
            },
            Skill {
                name: "Excel".into(),
                level: 4
            }
        ]
    );
    assert_eq!(
        r.time_windows,
        vec![TimeWindow::WeekdayMorning, TimeWindow::Weekend]
    );
    let c_ = r.circumstances.unwrap();
    assert!(c_.childcare && !c_.care && c_.treatment);
    assert_eq!(
        (r.office_visits, r.max_travel_minutes),
        (OfficeVisits::Monthly, Some(30))
    );
    let list = |regions: Option<Vec<RegionId>>, f: ResidentFilter| {
        let db = t.db.clone();
        async move {
            let mut c = db.conn().await.unwrap();
            residents::list(&mut c, regions.as_deref(), &f, &PageRequest::default())
                .await
                .unwrap()
        }
    };
    let only_hagi = list(Some(vec![hagi]), ResidentFilter::default()).await;
    assert_eq!(names(&only_hagi), vec!["山田 花子"]);
    assert_eq!(
        list(Some(vec![]), ResidentFilter::default()).await.total,
        Total::Exact(0),
        "an empty scope shows nobody"
    );
    let employment = ResidentFilter {
        work_style: Some(WorkStyle::TeleworkEmployment),
        ..Default::default()
    };
    assert_eq!(names(&list(None, employment).await), vec!["中村 健一"]);
    let skill = |s: &str| ResidentFilter {
        skill: Some(s.into()),
        ..Default::default()
    };
    assert_eq!(names(&list(None, skill("Earth")).await), vec!["中村 健一"]);
    assert_eq!(
        names(&list(None, skill("earth")).await),
        vec!["中村 健一"],
        "any case"
    );
    assert_eq!(
        names(&list(None, skill("ｅｘｃｅｌ")).await),
        vec!["山田 花子"],
        "any width"
    );
    assert!(
        list(None, skill("GISE")).await.items.is_empty(),
        "no match across two skills"
    );
    assert!(list(Some(vec![shimo]), skill("GIS")).await.items.is_empty());

    let mut changed = spec(hagi, "山田 花子", "ヤマダ ハナコ").input();
    changed.skills = vec![Skill {
        name: "Python".into(),
        level: 1,
    }];
    let mut tx = t.db.begin().await.unwrap();
    assert!(residents::update(&mut tx, a, &changed).await.unwrap());
    tx.commit().await.unwrap();
    let r = residents::get(&mut c, a).await.unwrap().unwrap();
    assert_eq!(
        r.skills,
        vec![Skill {
            name: "Python".into(),
            level: 1
        }]
    );
    assert!(
        list(None, skill("GIS")).await.items.is_empty(),
        "the index followed"
    );
    assert_eq!(names(&list(None, skill("pyth")).await), vec!["山田 花子"]);
}

async fn readings_typed_in_hiragana_or_half_width_are_stored_in_katakana(t: TestDb) {
    let hagi = t.region("352047").await;
    let s = t.services();
    let coord = t.coordinator("coord", &[hagi]).await;
    for (typed, stored) in [
        ("やまだ　たろう", "ヤマダ タロウ"),
        ("ﾔﾏﾀﾞ ｼﾞﾛｳ", "ヤマダ ジロウ"),
        ("ゔぃくとりあ・すずき", "ヴィクトリア・スズキ"),
        ("ｻｻｷ ｺｰｲﾁ", "ササキ コーイチ"),
    ] {
        let mut input = ResidentSpec::new(hagi, "名前", "ナマエ").input();
        input.name_kana = typed.into();
        let r = s.create_resident(&coord, input).await.unwrap();
        assert_eq!(r.name_kana, stored, "{typed}");
        assert_eq!(s.resident(&coord, r.id).await.unwrap().name_kana, stored);
    }
    // Organisations' readings too.
    let org = s
        .create_organisation(
            &t.admin("admin").await,
            jimoto_domain::organisation::OrganisationInput {
                region_id: hagi,
                name: "萩テレワーク協同組合".into(),
                name_kana: "はぎてれわーくきょうどうくみあい".into(),
                kind: jimoto_domain::organisation::OrgKind::CoordinatorBody,
                industry: String::new(),
                hq_prefecture: "35".into(),
                telework_share_percent: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(org.name_kana, "ハギテレワークキョウドウクミアイ");
    // Still refused: a reading in kanji or Latin letters.
    let mut input = ResidentSpec::new(hagi, "名前", "ナマエ").input();
    input.name_kana = "山田".into();
    assert!(matches!(
        s.create_resident(&coord, input).await,
        Err(ServiceError::Validation(_))
    ));
}

async fn names_are_found_in_any_kana_or_width(t: TestDb) {
    let hagi = t.region("352047").await;
    for (name, kana) in [
        ("山田 花子", "ヤマダ ハナコ"),
        ("山本 大輔", "ヤマモト ダイスケ"),
        ("田中 美咲", "タナカ ミサキ"),
        ("中田 翔", "ナカタ ショウ"),
    ] {
        t.resident(ResidentSpec::new(hagi, name, kana)).await;
    }
    let s = t.services();
    let coord = t.coordinator("coord", &[hagi]).await;
    let found = |q: &str| {
        let (s, coord) = (s.clone(), coord.clone());
        let f = ResidentFilter {
            q: Some(q.into()),
            ..Default::default()
        };
        async move {
            let page = s
                .residents(&coord, &f, &PageRequest::default())
                .await
                .unwrap();
            page.items.into_iter().map(|r| r.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found("やまだ").await,
        vec!["山田 花子"],
        "hiragana finds katakana"
    );
    assert_eq!(found("ﾔﾏﾀﾞ").await, vec!["山田 花子"], "half-width katakana");
    assert_eq!(found("ヤマダ ハナコ").await, vec!["山田 花子"]);
    assert_eq!(
        found("山田花子").await,
        vec!["山田 花子"],
        "without the space"
    );
    assert_eq!(
        found("山").await,
        vec!["山田 花子", "山本 大輔"],
        "one character, by reading"
    );
    assert_eq!(found("田中").await, vec!["田中 美咲"], "two characters");
    assert_eq!(found("たなか").await, vec!["田中 美咲"]);
    assert_eq!(found("なかた").await, vec!["中田 翔"]);
    assert!(found("やまだはなこさん").await.is_empty());
    assert_eq!(found("  ").await.len(), 4, "blank is no filter");
}

/// Every resident whose name holds the words, page after page, and the total shown.
async fn all_found(
    s: &jimoto_services::Services,
    who: &jimoto_domain::Actor,
    q: &str,
) -> (Total, Vec<String>) {
    let f = ResidentFilter {
        q: Some(q.into()),
        ..Default::default()
    };
    let mut req = PageRequest::first(200);
    let mut names = Vec::new();
    let first = s.residents(who, &f, &req).await.unwrap();
    let total = first.total;
    let mut page = first;
    loop {
        names.extend(page.items.iter().map(|r| r.name.clone()));
        match page.next {
            Some(n) => req.after = Some(n),
            None => break,
        }
        page = s.residents(who, &f, &req).await.unwrap();
    }
    (total, names)
}

/// Words held by more than 2,000 residents are found by reading the list in order and checking
/// each row; rarer ones from the index's own records. Both must find everyone, and only them.
async fn common_and_rare_words_are_both_found_in_full(t: TestDb) {
    let hagi = t.region("352047").await;
    let mut tx = t.db.begin().await.unwrap();
    for i in 0..2100 {
        let r = ResidentSpec::new(hagi, "田中 花子", "タナカ ハナコ")
            .contact(&format!("a{i}@example.jp"), "");
        residents::insert(&mut tx, &r.input(), None).await.unwrap();
    }
    // Thirty whose names hold every three-character piece of 田中花子 but not the word itself.
    for _ in 0..30 {
        let r = ResidentSpec::new(hagi, "中花子 田中花", "ナカハナコ タナカハナ");
        residents::insert(&mut tx, &r.input(), None).await.unwrap();
    }
    tx.commit().await.unwrap();
    let s = t.services();
    let coord = t.coordinator("coord", &[hagi]).await;
    let (total, names) = all_found(&s, &coord, "田中花子").await;
    assert_eq!(total, Total::AtLeast(1000));
    assert_eq!(names.len(), 2100, "every 田中 花子, page after page");
    assert!(names.iter().all(|n| n == "田中 花子"), "and only them");
    let (_, names) = all_found(&s, &coord, "たなか").await;
    assert_eq!(
        names.len(),
        2130,
        "a common word of three characters, exactly"
    );
    let (total, names) = all_found(&s, &coord, "花子田中").await;
    assert_eq!(
        total,
        Total::Exact(30),
        "a rare word, checked against the text"
    );
    assert!(names.iter().all(|n| n == "中花子 田中花"));
    let (total, _) = all_found(&s, &coord, "花子田中花子").await;
    assert_eq!(total, Total::Exact(0));
    // The administrator's scope (every region) takes the same paths.
    let admin = t.admin("admin").await;
    let (_, names) = all_found(&s, &admin, "田中花子").await;
    assert_eq!(names.len(), 2100);
}

async fn lists_page_by_position_with_bounded_totals(t: TestDb) {
    let hagi = t.region("352047").await;
    let mut tx = t.db.begin().await.unwrap();
    for i in 0..120 {
        let input = ResidentSpec::new(hagi, &format!("住民 {i:03}"), &format!("ジュウミン {i:03}"));
        residents::insert(&mut tx, &input.input(), None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let s = t.services();
    let coord = t.coordinator("coord", &[hagi]).await;
    let f = ResidentFilter::default();
    let mut seen = Vec::new();
    let mut req = PageRequest::first(50);
    let mut pages = 0;
    loop {
        let page = s.residents(&coord, &f, &req).await.unwrap();
        assert_eq!(page.total, Total::Exact(120));
        assert_eq!(page.prev.is_some(), pages > 0, "page {pages} links back");
        seen.extend(page.items.iter().map(|r| r.name.clone()));
        pages += 1;
        match page.next {
            Some(c) => req.after = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..120).map(|i| format!("住民 {i:03}")).collect();
    assert_eq!(seen, expected, "every resident once, by reading");
    // A position from another list is refused, not misread.
    let from_regions = jimoto_domain::Cursor(vec![jimoto_domain::page::KeyValue::Int(1)]);
    let e = s
        .residents(
            &coord,
            &f,
            &PageRequest {
                after: Some(from_regions),
                ..PageRequest::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Validation(_)), "{e:?}");
}

async fn a_stored_value_that_cannot_be_read_is_an_error(t: TestDb) {
    let hagi = t.region("352047").await;
    let id = t
        .resident(ResidentSpec::new(hagi, "山田 花子", "ヤマダ ハナコ"))
        .await;
    for (column, value) in [
        ("time_windows", "'weekday_morning'"),
        ("work_styles", "'[\"sometimes\"]'"),
        ("office_visits", "'daily'"),
        ("childcare", "2"),
        ("created_at", "9223372036854775807"),
    ] {
        let mut c = t.db.conn().await.unwrap();
        let good: (String, String, String, i64, i64) = sqlx::query_as(
            "SELECT time_windows, work_styles, office_visits, childcare, created_at FROM residents WHERE id = $1",
        )
        .bind(id.0)
        .fetch_one(&mut *c)
        .await
        .unwrap();
        sqlx::query(&format!(
            "UPDATE residents SET {column} = {value} WHERE id = $1"
        ))
        .bind(id.0)
        .execute(&mut *c)
        .await
        .unwrap();
        let read = residents::get(&mut c, id).await;
        assert!(
            matches!(&read, Err(StoreError::Corrupt(_))),
            "{column} = {value}: {read:?}"
        );
        sqlx::query(
            "UPDATE residents SET time_windows = $1, work_styles = $2, office_visits = $3, childcare = $4, created_at = $5 WHERE id = $6",
        )
        .bind(good.0)
        .bind(good.1)
        .bind(good.2)
        .bind(good.3)
        .bind(good.4)
        .bind(id.0)
        .execute(&mut *c)
        .await
        .unwrap();
        assert!(residents::get(&mut c, id).await.is_ok(), "restored");
    }
}

pub(crate) fn input_of(r: &jimoto_domain::resident::Resident) -> ResidentInput {
    ResidentInput {
        region_id: r.region_id,
        name: r.name.clone(),
        name_kana: r.name_kana.clone(),
        email: r.email.clone(),
        phone: r.phone.clone(),
        circumstances: r.circumstances.clone().unwrap_or_default(),
        skills: r.skills.clone(),
        spare_hours_per_week: r.spare_hours_per_week,
        time_windows: r.time_windows.clone(),
        work_styles: r.work_styles.clone(),
        office_visits: r.office_visits,
        max_travel_minutes: r.max_travel_minutes,
        moved_away_on: r.moved_away_on,
    }
}

async fn resident_changes_are_audited_without_sensitive_values(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let r = s.resident(&coord, w.hanako).await.unwrap();
    let mut input = input_of(&r);
    input.phone = "0838-00-1234".into();
    input.spare_hours_per_week = 30;
    input.circumstances.care = true;
    input.circumstances.note = "介護が始まった".into();
    let updated = s.update_resident(&coord, w.hanako, input).await.unwrap();
    assert_eq!(updated.spare_hours_per_week, 30);
    let admin = w.actor("admin");
    let f = AuditFilter {
        entity: Some(AuditEntity::Resident),
        entity_id: Some(w.hanako.0),
    };
    let log = s
        .audit_log(&admin, &f, &PageRequest::default())
        .await
        .unwrap();
    let latest = &log.items[0];
    assert_eq!(latest.actor_login, "coord-hagi");
    assert_eq!(latest.action.as_str(), "update");
    assert_eq!(
        latest.changes["spare_hours_per_week"],
        serde_json::json!([20, 30])
    );
    assert_eq!(
        latest.changes["phone"],
        serde_json::json!(["090-1111-0001", "0838-00-1234"])
    );
    assert_eq!(
        latest.changes["circumstances"],
        serde_json::json!("(changed)")
    );
    assert!(
        !latest.changes.to_string().contains("介護が始まった"),
        "sensitive text stays out of the log"
    );
    assert!(matches!(
        s.audit_log(&coord, &f, &PageRequest::default()).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn circumstances_are_hidden_from_admin_and_municipal_staff(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    for (login, visible) in [
        ("coord-hagi", true),
        ("resident-hagi", true),
        ("city-hagi", false),
        ("admin", false),
    ] {
        let a = w.actor(login);
        let r = s.resident(&a, w.hanako).await.unwrap();
        assert_eq!(r.circumstances.is_some(), visible, "{login}");
        if let Ok(page) = s
            .residents(&a, &ResidentFilter::default(), &PageRequest::default())
            .await
        {
            assert!(
                page.items
                    .iter()
                    .filter(|r| r.id == w.hanako)
                    .all(|r| r.circumstances.is_some() == visible),
                "{login} list"
            );
        }
    }
}

async fn residents_move_only_between_a_coordinators_regions(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let moved_to_shimonoseki = |id| {
        let s = s.clone();
        let coord = w.actor("coord-hagi");
        let to = w.shimonoseki;
        async move {
            let mut m = input_of(&s.resident(&coord, id).await.unwrap());
            m.region_id = to;
            m
        }
    };
    // Neither a coordinator of one region nor a resident moves anyone to another region.
    for (login, id) in [("coord-hagi", w.misaki), ("resident-hagi", w.hanako)] {
        let m = moved_to_shimonoseki(id).await;
        match s.update_resident(&w.actor(login), id, m).await {
            Err(ServiceError::Validation(v)) => {
                assert_eq!(v.0[0].code, "region_not_allowed", "{login}")
            }
            other => panic!("{login}: {other:?}"),
        }
    }
    let both = t.coordinator("coord-both", &[w.hagi, w.shimonoseki]).await;
    let moved = moved_to_shimonoseki(w.misaki).await;
    let done = s.update_resident(&both, w.misaki, moved).await.unwrap();
    assert_eq!(done.region_id, w.shimonoseki);
    // Moved residents are found in their new region only.
    let found = s
        .residents(
            &w.actor("coord-shimonoseki"),
            &ResidentFilter {
                q: Some("いとう".into()),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(names(&found), vec!["伊藤 美咲"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_region_pages_are_not_found_and_circumstances_stay_private() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let (coord, csrf) = app.login("coord-hagi").await;
    let res = coord.get(&format!("/residents/{}", w.kenichi)).send().await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text();
    assert!(html.contains("見つかりません") && !html.contains("中村"));
    // Posting an edit to another region's resident changes nothing.
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{}", w.kenichi),
            &[
                ("csrf", csrf.as_str()),
                ("region_id", &w.shimonoseki.to_string()),
                ("name", "改ざん"),
                ("name_kana", "カイザン"),
                ("spare_hours_per_week", "4"),
                ("office_visits", "never"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (owner, _) = app.login("coord-shimonoseki").await;
    let html = app.page(&owner, &format!("/residents/{}", w.kenichi)).await;
    assert!(html.contains("中村 健一") && !html.contains("改ざん"));

    let html = app.page(&coord, &format!("/residents/{}", w.hanako)).await;
    assert!(
        html.contains("子育て中") && html.contains(HANAKO_NOTE),
        "the coordinator sees circumstances"
    );
    let (city, _) = app.login("city-hagi").await;
    let html = app.page(&city, &format!("/residents/{}", w.hanako)).await;
    assert!(html.contains("山田 花子") && !html.contains(HANAKO_NOTE) && html.contains("非公開"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_form_names_wrong_types_and_saves_good_input() {
    let app = TestApp::world(Engine::Sqlite).await;
    let hagi = app.w().hagi.to_string();
    let (client, csrf) = app.login("coord-hagi").await;
    let res = app
        .post_form(
            &client,
            "/residents",
            &[
                ("csrf", csrf.as_str()),
                ("region_id", hagi.as_str()),
                ("name", "佐々木 陽子"),
                ("name_kana", "ささき"),
                ("spare_hours_per_week", "たくさん"),
                ("office_visits", "daily"),
                ("skill_name_0", "Excel"),
                ("skill_level_0", "9"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(
        html.contains("週あたりの稼働可能時間: 数字で入力してください"),
        "{html}"
    );
    assert!(html.contains("出社できる頻度: 選択肢から選んでください"));
    let res = app
        .post_form(
            &client,
            "/residents",
            &[
                ("csrf", csrf.as_str()),
                ("region_id", hagi.as_str()),
                ("name", "佐々木 陽子"),
                ("name_kana", "ササキ ヨウコ"),
                ("office_visits", "never"),
                ("skill_name_0", "Excel"),
                ("skill_level_0", ""),
            ],
        )
        .await;
    assert!(
        res.text().contains("スキル 1 レベル: 入力してください"),
        "a named skill needs a level"
    );
    // A complete profile; only the first skill's level varies.
    let full_form = |level: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("region_id", hagi.clone()),
            ("name", "佐々木 陽子".to_owned()),
            ("name_kana", "ササキ ヨウコ".to_owned()),
            ("spare_hours_per_week", "１２".to_owned()),
            ("office_visits", "weekly".to_owned()),
            ("max_travel_minutes", "30".to_owned()),
            ("time_windows", "weekday_morning".to_owned()),
            ("time_windows", "weekend".to_owned()),
            ("work_styles", "spare_time".to_owned()),
            ("skill_name_0", "Excel".to_owned()),
            ("skill_level_0", level.to_owned()),
            ("care", "1".to_owned()),
        ]
    };
    let res = app.post_form(&client, "/residents", &full_form("9")).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "skill level 9 is out of range"
    );
    assert!(
        res.text()
            .contains("スキル 1 レベル: 1から5の範囲で入力してください")
    );
    let res = app.post_form(&client, "/residents", &full_form("3")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&client, &res.location()).await;
    assert!(
        html.contains("佐々木 陽子")
            && html.contains("週12時間")
            && html.contains("平日午前")
            && html.contains("介護中")
    );
    // She moves away: a day that does not exist is named and nothing changes; a real one shows.
    let edit = res.location();
    let mut moved = full_form("3").to_vec();
    moved.push(("moved_away_on", "2024-02-30".to_owned()));
    let res = app.post_form(&client, &edit, &moved).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("地域外へ転出した日: "),
        "the field is named"
    );
    assert!(!app.page(&client, &edit).await.contains("id=\"moved-away\""));
    moved.last_mut().unwrap().1 = "２０２４-０２-０１".to_owned();
    let res = app.post_form(&client, &edit, &moved).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&client, &res.location()).await;
    assert!(
        html.contains("地域外へ転出した日") && html.contains("2024年2月1日"),
        "{html}"
    );
    // The list finds her by a reading typed in hiragana.
    let list = app.page(&client, "/residents?q=ささき").await;
    assert!(
        list.contains("佐々木 陽子") && list.contains("全1件"),
        "{list}"
    );
}

/// A form's problems come all at once: one that could not be read (a number) does not hide
/// those the validation finds in the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_problem_of_a_form_is_reported_at_once() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let (client, csrf) = app.login("coord-hagi").await;
    let region = w.hagi.to_string();
    let res = app
        .post_form(
            &client,
            "/residents",
            &[
                ("csrf", csrf.as_str()),
                ("region_id", region.as_str()),
                ("name", ""),
                ("name_kana", "Yamada"),
                ("email", "not-an-email"),
                ("spare_hours_per_week", "たくさん"),
                ("office_visits", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    for expected in [
        "名前: 入力してください",
        "フリガナ: ",
        "メールアドレス: ",
        "週あたりの稼働可能時間: 数字で入力してください",
        "出社できる頻度: ",
    ] {
        assert!(html.contains(expected), "{expected} missing:\n{html}");
    }
}

async fn contacts_are_the_coordinators_and_feed_the_follow_ups(t: TestDb) {
    use jimoto_domain::contact::{ContactInput, ContactKind};
    use jimoto_domain::home::FollowUp;
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let due = |s: jimoto_services::Services, coord: jimoto_domain::Actor| async move {
        s.follow_ups(&coord)
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.reason == FollowUp::NotContacted)
            .unwrap()
    };
    let before = due(s.clone(), coord.clone()).await;
    assert_eq!(before.count, 4, "nobody in Hagi has been contacted yet");
    let today = jimoto_domain::calendar::today_jst();
    let call = ContactInput {
        contacted_on: today,
        kind: ContactKind::Call,
        note: "  次の講座の日程を案内。来月から応募予定。 ".into(),
    };
    let c = s
        .record_contact(&coord, w.hanako, call.clone())
        .await
        .unwrap();
    assert_eq!(c.note, "次の講座の日程を案内。来月から応募予定。");
    // A contact long ago does not count as recent.
    let old = ContactInput {
        contacted_on: today - chrono::Duration::days(200),
        kind: ContactKind::Visit,
        note: String::new(),
    };
    s.record_contact(&coord, w.misaki, old).await.unwrap();
    let after = due(s.clone(), coord.clone()).await;
    assert_eq!(after.count, 3);
    assert!(!after.first.iter().any(|(id, _)| *id == w.hanako));
    let list = s.contacts(&coord, w.hanako).await.unwrap();
    assert_eq!((list.len(), list[0].kind), (1, ContactKind::Call));
    // Only the resident's coordinators see or record contacts.
    for login in ["admin", "city-hagi", "resident-hagi"] {
        assert!(
            matches!(
                s.contacts(&w.actor(login), w.hanako).await,
                Err(ServiceError::Forbidden)
            ),
            "{login}"
        );
    }
    assert!(matches!(
        s.record_contact(&w.actor("coord-shimonoseki"), w.hanako, call.clone())
            .await,
        Err(ServiceError::NotFound)
    ));
    // A day in the future and an overlong note are refused together; nothing is written.
    let bad = ContactInput {
        contacted_on: today + chrono::Duration::days(1),
        kind: ContactKind::Message,
        note: "あ".repeat(2001),
    };
    let codes = match s.record_contact(&coord, w.hanako, bad).await {
        Err(ServiceError::Validation(v)) => {
            v.0.into_iter()
                .map(|f| (f.field, f.code))
                .collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        codes,
        vec![
            ("note".into(), "too_long".into()),
            ("contacted_on".into(), "in_future".into())
        ]
    );
    assert_eq!(s.contacts(&coord, w.hanako).await.unwrap().len(), 1);
    // The audit log keeps the day and the kind, not the note.
    let f = AuditFilter {
        entity: Some(AuditEntity::Resident),
        entity_id: Some(w.hanako.0),
    };
    let log = s
        .audit_log(&w.actor("admin"), &f, &PageRequest::default())
        .await
        .unwrap();
    let entry = log
        .items
        .iter()
        .find(|e| e.changes.get("contact").is_some())
        .unwrap();
    assert_eq!(entry.changes["contact"][1]["kind"], "call");
    assert!(!entry.changes.to_string().contains("講座"));
}

/// The page: a coordinator records a contact and sees it confirmed; the city sees no contacts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_records_a_contact_on_the_residents_page() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let (coord, csrf) = app.login("coord-hagi").await;
    let page = app.page(&coord, &format!("/residents/{}", w.hanako)).await;
    assert!(page.contains("連絡の記録") && page.contains("まだ記録がありません"));
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{}/contacts", w.hanako),
            &[
                ("csrf", csrf.as_str()),
                ("contacted_on", "2024-01-10"),
                ("contact_kind", "visit"),
                ("note", "面談。子どもの送迎の後なら週3日働ける。"),
            ],
        )
        .await;
    assert_eq!(res.location(), format!("/residents/{}#contacts", w.hanako));
    let page = app.page(&coord, &format!("/residents/{}", w.hanako)).await;
    assert!(page.contains("記録しました") && page.contains("2024年1月10日 訪問・面談"));
    assert!(page.contains("週3日働ける"));
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{}/contacts", w.hanako),
            &[
                ("csrf", csrf.as_str()),
                ("contacted_on", "きのう"),
                ("contact_kind", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(
        html.contains("連絡した日: は日付") && html.contains("連絡の方法: "),
        "{html}"
    );
    let (city, _) = app.login("city-hagi").await;
    let seen = app.page(&city, &format!("/residents/{}", w.hanako)).await;
    assert!(!seen.contains("連絡の記録") && !seen.contains("週3日働ける"));
}
