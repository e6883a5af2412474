//! Store tests, each run on SQLite and on PostgreSQL.

use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::region::RegionInput;
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{LgCode, RegionId, UserId};
use jimoto_store::organisations;
use jimoto_store::regions::{self, RegionFilter};
use jimoto_store::residents::{self, ResidentFilter};
use jimoto_store::{PageRequest, StoreError, audit, sessions, users};
use jimoto_testkit::{TestDb, both_engines};

both_engines!(
    migrations_are_idempotent,
    regions_round_trip_filter_and_page,
    duplicate_code_and_missing_reference_are_told_apart,
    residents_round_trip_with_skills_and_filters,
    uncommitted_transaction_leaves_nothing,
    sessions_expire_and_tokens_revoke,
    login_failures_count_since_last_success,
    audit_entries_list_newest_first,
);

fn region_input(code: &str, name: &str) -> RegionInput {
    RegionInput {
        lg_code: code.into(),
        name: name.into(),
        name_kana: String::new(),
        policy_issues: vec!["人口減少".into(), "雇用創出".into()],
        vision: "ビジョン".into(),
    }
}

async fn region(t: &TestDb, code: &str, name: &str) -> RegionId {
    let mut tx = t.db.begin().await.unwrap();
    let id = regions::insert(
        &mut tx,
        &LgCode::parse(code).unwrap(),
        &region_input(code, name),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn resident_input(region: RegionId, name: &str, kana: &str) -> ResidentInput {
    ResidentInput {
        region_id: region,
        name: name.into(),
        name_kana: kana.into(),
        email: "a@example.jp".into(),
        phone: String::new(),
        circumstances: Circumstances {
            childcare: true,
            care: false,
            treatment: true,
            note: "メモ".into(),
        },
        skills: vec![
            Skill {
                name: "GIS".into(),
                level: 2,
            },
            Skill {
                name: "Excel".into(),
                level: 4,
            },
        ],
        spare_hours_per_week: 12,
        time_windows: vec![TimeWindow::WeekdayMorning, TimeWindow::Weekend],
        work_styles: vec![WorkStyle::SpareTime],
        office_visits: OfficeVisits::Monthly,
        max_travel_minutes: Some(30),
    }
}

async fn migrations_are_idempotent(t: TestDb) {
    let again = t.db.migrate().await.unwrap();
    assert!(
        again.applied.is_empty(),
        "second run applies nothing: {again:?}"
    );
    assert_eq!(again.current, 2);
}

async fn regions_round_trip_filter_and_page(t: TestDb) {
    let hagi = region(&t, "352047", "萩市").await;
    region(&t, "352012", "下関市").await;
    region(&t, "152021", "長岡市").await;
    let mut c = t.db.conn().await.unwrap();
    let r = regions::get(&mut c, hagi).await.unwrap().unwrap();
    assert_eq!(
        (r.lg_code.as_str(), r.name.as_str(), r.prefecture.as_str()),
        ("352047", "萩市", "35")
    );
    assert_eq!(
        r.policy_issues,
        vec!["人口減少".to_owned(), "雇用創出".to_owned()]
    );

    let all = regions::list(
        &mut c,
        &RegionFilter::default(),
        PageRequest::new(Some(1), Some(2)),
    )
    .await
    .unwrap();
    assert_eq!((all.total, all.items.len(), all.pages()), (3, 2, 2));
    assert_eq!(all.items[0].lg_code, "152021", "ordered by code");
    let second = regions::list(
        &mut c,
        &RegionFilter::default(),
        PageRequest::new(Some(2), Some(2)),
    )
    .await
    .unwrap();
    assert_eq!(second.items.len(), 1);

    let yamaguchi = RegionFilter {
        q: None,
        prefecture: Some("35".into()),
    };
    assert_eq!(
        regions::list(&mut c, &yamaguchi, PageRequest::default())
            .await
            .unwrap()
            .total,
        2
    );
    let by_name = RegionFilter {
        q: Some("下関".into()),
        prefecture: None,
    };
    let found = regions::list(&mut c, &by_name, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["下関市"]
    );
    // LIKE wildcards in user input are literal.
    let wildcard = RegionFilter {
        q: Some("%".into()),
        prefecture: None,
    };
    assert_eq!(
        regions::list(&mut c, &wildcard, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

async fn duplicate_code_and_missing_reference_are_told_apart(t: TestDb) {
    region(&t, "352047", "萩市").await;
    let mut tx = t.db.begin().await.unwrap();
    let dup = regions::insert(
        &mut tx,
        &LgCode::parse("352047").unwrap(),
        &region_input("352047", "二重"),
    )
    .await;
    assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");
    drop(tx);
    let mut tx = t.db.begin().await.unwrap();
    let org = OrganisationInput {
        region_id: RegionId(9999),
        name: "幽霊".into(),
        name_kana: String::new(),
        kind: OrgKind::LocalCompany,
        industry: String::new(),
        hq_prefecture: "35".into(),
        telework_share_percent: None,
    };
    let missing = organisations::insert(&mut tx, &org).await;
    assert!(
        matches!(missing, Err(StoreError::MissingReference(_))),
        "{missing:?}"
    );
}

async fn residents_round_trip_with_skills_and_filters(t: TestDb) {
    let hagi = region(&t, "352047", "萩市").await;
    let shimo = region(&t, "352012", "下関市").await;
    let mut tx = t.db.begin().await.unwrap();
    let a = residents::insert(
        &mut tx,
        &resident_input(hagi, "山田 花子", "ヤマダ ハナコ"),
        None,
    )
    .await
    .unwrap();
    let mut other = resident_input(shimo, "中村 健一", "ナカムラ ケンイチ");
    other.work_styles = vec![WorkStyle::TeleworkEmployment];
    other.skills = vec![Skill {
        name: "Re:Earth".into(),
        level: 3,
    }];
    residents::insert(&mut tx, &other, None).await.unwrap();
    tx.commit().await.unwrap();

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
    assert_eq!(r.max_travel_minutes, Some(30));

    let only_hagi = residents::list(
        &mut c,
        Some(&[hagi]),
        &ResidentFilter::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        only_hagi
            .items
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["山田 花子"]
    );
    let none = residents::list(
        &mut c,
        Some(&[]),
        &ResidentFilter::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(none.total, 0, "an empty scope shows nobody");
    let employment = ResidentFilter {
        work_style: Some(WorkStyle::TeleworkEmployment),
        ..Default::default()
    };
    let found = residents::list(&mut c, None, &employment, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["中村 健一"]
    );
    let skill_exact = ResidentFilter {
        skill: Some("Earth".into()),
        ..Default::default()
    };
    let exact = residents::list(&mut c, None, &skill_exact, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(exact.total, 1);

    let mut tx = t.db.begin().await.unwrap();
    let mut changed = resident_input(hagi, "山田 花子", "ヤマダ ハナコ");
    changed.skills = vec![Skill {
        name: "Python".into(),
        level: 1,
    }];
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
}

async fn uncommitted_transaction_leaves_nothing(t: TestDb) {
    {
        let mut tx = t.db.begin().await.unwrap();
        regions::insert(
            &mut tx,
            &LgCode::parse("352047").unwrap(),
            &region_input("352047", "萩市"),
        )
        .await
        .unwrap();
        // dropped without commit
    }
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        regions::list(&mut c, &RegionFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

async fn new_user(t: &TestDb, login: &str) -> UserId {
    let mut c = t.db.conn().await.unwrap();
    users::insert(
        &mut c,
        &users::NewUser {
            login,
            display_name: login,
            password_hash: "x",
            role: jimoto_domain::Role::Admin,
            organisation_id: None,
            lang: jimoto_domain::Lang::En,
        },
    )
    .await
    .unwrap()
}

async fn sessions_expire_and_tokens_revoke(t: TestDb) {
    let u = new_user(&t, "someone").await;
    let mut c = t.db.conn().await.unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    sessions::create(&mut c, "live", u, "csrf1", now + 60_000)
        .await
        .unwrap();
    sessions::create(&mut c, "dead", u, "csrf2", now - 1)
        .await
        .unwrap();
    assert_eq!(
        sessions::get(&mut c, "live")
            .await
            .unwrap()
            .map(|s| s.csrf_token),
        Some("csrf1".into())
    );
    assert!(sessions::get(&mut c, "dead").await.unwrap().is_none());
    assert_eq!(sessions::delete_expired(&mut c).await.unwrap(), 1);
    sessions::delete(&mut c, "live").await.unwrap();
    assert!(sessions::get(&mut c, "live").await.unwrap().is_none());

    let id = users::insert_token(&mut c, u, "ci", "jmt_abcdefgh", "hash1")
        .await
        .unwrap();
    assert_eq!(users::use_token(&mut c, "hash1").await.unwrap(), Some(u));
    assert!(
        users::tokens_of(&mut c, u).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    let other = new_user(&t, "other").await;
    assert!(
        !users::revoke_token(&mut c, other, id).await.unwrap(),
        "only the owner revokes"
    );
    assert!(users::revoke_token(&mut c, u, id).await.unwrap());
    assert_eq!(users::use_token(&mut c, "hash1").await.unwrap(), None);
}

async fn login_failures_count_since_last_success(t: TestDb) {
    let mut c = t.db.conn().await.unwrap();
    for _ in 0..3 {
        users::record_attempt(&mut c, "admin", "10.0.0.1", false)
            .await
            .unwrap();
    }
    assert_eq!(users::recent_failures(&mut c, "admin", 0).await.unwrap(), 3);
    assert_eq!(
        users::recent_failures_from(&mut c, "10.0.0.1", 0)
            .await
            .unwrap(),
        3
    );
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    users::record_attempt(&mut c, "admin", "10.0.0.1", true)
        .await
        .unwrap();
    assert_eq!(
        users::recent_failures(&mut c, "admin", 0).await.unwrap(),
        0,
        "a success resets the count"
    );
    let future = chrono::Utc::now().timestamp_millis() + 60_000;
    assert_eq!(
        users::recent_failures_from(&mut c, "10.0.0.1", future)
            .await
            .unwrap(),
        0,
        "outside the window"
    );
}

async fn audit_entries_list_newest_first(t: TestDb) {
    let hagi = region(&t, "352047", "萩市").await;
    let mut c = t.db.conn().await.unwrap();
    for (i, action) in ["create", "update"].iter().enumerate() {
        audit::record(
            &mut c,
            &audit::NewAuditEntry {
                actor_user_id: None,
                actor_login: "system",
                region_id: Some(hagi),
                entity: "resident",
                entity_id: 7,
                action,
                changes: serde_json::json!({"name": [null, format!("v{i}")]}),
            },
        )
        .await
        .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let f = audit::AuditFilter {
        entity: Some("resident".into()),
        entity_id: Some(7),
    };
    let page = audit::list(&mut c, &f, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        vec!["update", "create"]
    );
    assert_eq!(page.items[0].changes["name"][1], "v1");
    assert_eq!(page.items[0].region_id, Some(hagi));
}
