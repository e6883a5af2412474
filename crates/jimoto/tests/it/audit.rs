//! The audit log: newest first on both engines; the administrators' page.

use jimoto_domain::audit::{AuditEntity, AuditFilter, AuditOp};
use jimoto_domain::{PageRequest, Total};
use jimoto_store::audit;
use jimoto_testkit::{Engine, ResidentSpec, TestApp, TestDb, both_engines};
use reqwest::StatusCode;

both_engines!(
    audit_entries_list_newest_first_a_page_at_a_time,
    reads_of_residents_by_others_than_their_coordinators_are_recorded,
);

async fn audit_entries_list_newest_first_a_page_at_a_time(t: TestDb) {
    let hagi = t.region("352047").await;
    let mut c = t.db.conn().await.unwrap();
    for i in 0..5 {
        let action = if i == 0 {
            AuditOp::Create
        } else {
            AuditOp::Update
        };
        audit::record(
            &mut c,
            &audit::NewAuditEntry {
                actor_user_id: None,
                actor_login: "system",
                region_id: Some(hagi),
                entity: AuditEntity::Resident,
                entity_id: 7,
                action,
                changes: serde_json::json!({"name": [null, format!("v{i}")]}),
            },
        )
        .await
        .unwrap();
    }
    let f = AuditFilter {
        entity: Some(AuditEntity::Resident),
        entity_id: Some(7),
    };
    let page = audit::list(&mut c, &f, &PageRequest::first(3))
        .await
        .unwrap();
    assert_eq!(page.total, Total::Exact(5));
    let versions = |p: &jimoto_domain::Page<jimoto_domain::audit::AuditEntry>| {
        p.items
            .iter()
            .map(|e| e.changes["name"][1].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(versions(&page), vec!["v4", "v3", "v2"]);
    assert_eq!(page.items[0].region_id, Some(hagi));
    let rest = audit::list(
        &mut c,
        &f,
        &PageRequest {
            after: page.next.clone(),
            ..PageRequest::first(3)
        },
    )
    .await
    .unwrap();
    assert_eq!(versions(&rest), vec!["v1", "v0"]);
    assert_eq!(rest.items[1].action, AuditOp::Create);
    let other = AuditFilter {
        entity: Some(AuditEntity::Region),
        entity_id: None,
    };
    assert_eq!(
        audit::list(&mut c, &other, &PageRequest::default())
            .await
            .unwrap()
            .total,
        Total::Exact(0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sees_the_audit_log_and_makes_tokens() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    app.services
        .create_resident(
            &w.actor("coord-hagi"),
            ResidentSpec::new(w.hagi, "佐々木 陽子", "ササキ ヨウコ").input(),
        )
        .await
        .unwrap();
    let (client, csrf) = app.login("admin").await;
    let html = app.page(&client, "/admin/audit?entity=resident").await;
    assert!(html.contains("監査ログ") && html.contains("作成") && html.contains("佐々木 陽子"));
    let html = app
        .post_form(
            &client,
            "/me/tokens",
            &[("csrf", csrf.as_str()), ("name", "集計スクリプト")],
        )
        .await
        .text();
    let start = html.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = &html[start..start + html[start..].find('<').unwrap()];
    let me = app
        .anonymous()
        .get("/api/v1/me")
        .bearer_auth(token)
        .send()
        .await;
    assert_eq!(me.json()["login"], "admin");
    let (coord, _) = app.login("coord-hagi").await;
    assert_eq!(
        coord.get("/admin/audit").send().await.status(),
        StatusCode::FORBIDDEN
    );
}

/// The audit log's record of reads (views and listed pages), newest first.
async fn reads(
    s: &jimoto_services::Services,
    admin: &jimoto_domain::Actor,
) -> Vec<(String, AuditOp, i64)> {
    let f = AuditFilter {
        entity: Some(AuditEntity::Resident),
        entity_id: None,
    };
    s.audit_log(admin, &f, &PageRequest::first(200))
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|e| matches!(e.action, AuditOp::View | AuditOp::List))
        .map(|e| (e.actor_login, e.action, e.entity_id))
        .collect()
}

async fn reads_of_residents_by_others_than_their_coordinators_are_recorded(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let admin = w.actor("admin");
    let before = reads(&s, &admin).await;
    // The resident and their coordinator read without a trace…
    s.resident(&w.actor("resident-hagi"), w.hanako)
        .await
        .unwrap();
    s.resident(&w.actor("coord-hagi"), w.hanako).await.unwrap();
    let all = jimoto_domain::resident::ResidentFilter::default();
    s.residents(&w.actor("coord-hagi"), &all, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(reads(&s, &admin).await, before);
    // …the city's staff and administrators leave one.
    s.resident(&w.actor("city-hagi"), w.hanako).await.unwrap();
    s.resident(&admin, w.hanako).await.unwrap();
    let listed = s
        .residents(&admin, &all, &PageRequest::default())
        .await
        .unwrap();
    let after = reads(&s, &admin).await;
    assert_eq!(after.len(), before.len() + 3, "{after:?}");
    assert_eq!(after[0], ("admin".into(), AuditOp::List, 0));
    assert_eq!(after[1], ("admin".into(), AuditOp::View, w.hanako.0));
    assert_eq!(after[2], ("city-hagi".into(), AuditOp::View, w.hanako.0));
    let f = AuditFilter {
        entity: Some(AuditEntity::Resident),
        entity_id: Some(0),
    };
    let list = s
        .audit_log(&admin, &f, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        list.items[0].changes["shown"].as_array().unwrap().len(),
        listed.items.len()
    );
}

/// The log speaks the forms' language: labels for fields and values, records and people by
/// name, never a code, an id in place of a name, raw JSON or an untranslated key — in both
/// languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_shows_labels_not_codes() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let s = &app.services;
    let coord = w.actor("coord-hagi");
    let admin = w.actor("admin");
    let mut input = ResidentSpec::new(w.hagi, "佐々木 陽子", "ササキ ヨウコ")
        .skills(&[("Excel", 3)])
        .hours(12)
        .windows(&[jimoto_domain::resident::TimeWindow::WeekdayMorning])
        .styles(&[jimoto_domain::resident::WorkStyle::SpareTime])
        .input();
    let r = s.create_resident(&coord, input.clone()).await.unwrap();
    input
        .time_windows
        .push(jimoto_domain::resident::TimeWindow::Weekend);
    input.office_visits = jimoto_domain::resident::OfficeVisits::Monthly;
    input.circumstances.care = true;
    s.update_resident(&coord, r.id, input).await.unwrap();
    let org = s
        .organisation(&admin, w.cognity)
        .await
        .unwrap()
        .organisation;
    s.update_organisation(
        &admin,
        w.cognity,
        jimoto_domain::organisation::OrganisationInput {
            region_id: org.region_id,
            name: org.name.clone(),
            name_kana: org.name_kana.clone(),
            kind: jimoto_domain::organisation::OrgKind::CoordinatorBody,
            industry: org.industry.clone(),
            hq_prefecture: "13".into(),
            telework_share_percent: org.telework_share_percent,
        },
    )
    .await
    .unwrap();
    let coord_user = coord.user_id;
    s.update_account(
        &admin,
        coord_user,
        "萩の担当",
        Some(jimoto_domain::AccountScope::Regions(vec![
            w.hagi,
            w.shimonoseki,
        ])),
    )
    .await
    .unwrap();
    let city = w.actor("city-shimonoseki").user_id;
    s.set_account_disabled(&admin, city, true).await.unwrap();
    s.reset_password(&admin, w.actor("cognity").user_id)
        .await
        .unwrap();
    s.resident(&admin, r.id).await.unwrap();

    let (client, _) = app.login("admin").await;
    let ja = app.page(&client, "/admin/audit").await;
    for expected in [
        "平日午前、土日祝",
        "月1回程度",
        "中間支援団体",
        "山口県 → 東京都",
        "萩市 → 萩市、下関市",
        "無効",
        "再発行しました",
        "閲覧",
        "佐々木 陽子</a>",
        &format!(r#"<a href="/residents/{}">"#, r.id),
        &format!(r#"<a href="/admin/users/{}">"#, admin.user_id),
        "変更あり（内容は表示しません）",
        "Excel · レベル3",
        "週12時間",
    ] {
        assert!(
            ja.contains(expected),
            "{expected} missing in the Japanese log:\n{ja}"
        );
    }
    let (en_client, en_csrf) = app.login("admin").await;
    app.post_form(
        &en_client,
        "/lang",
        &[
            ("csrf", en_csrf.as_str()),
            ("lang", "en"),
            ("next", "/admin/audit"),
        ],
    )
    .await;
    let en = app.page(&en_client, "/admin/audit").await;
    assert!(en.contains("lang=\"en\""), "{en}");
    for expected in [
        "Weekday mornings, Weekends and holidays",
        "Coordinator body",
        "Yamaguchi → Tokyo",
        "Excel · level 3",
    ] {
        assert!(
            en.contains(expected),
            "{expected} missing in the English log:\n{en}"
        );
    }
    for page in [&ja, &en] {
        // What a person reads: the text between the tags.
        let page = text_of(page);
        for raw in [
            "weekday_morning",
            "coordinator_body",
            "spare_time",
            "urban_company",
            "field-",
            "audit-",
            "entity-",
            "(changed)",
            "(reset)",
            "[\"",
            "{\"",
            "&quot;",
        ] {
            assert!(!page.contains(raw), "{raw} on the audit page:\n{page}");
        }
        // Nothing but the record number filter shows a bare id.
        for id in [w.hagi.0, w.cognity.0] {
            assert!(!page.contains(&format!("#{id}")), "#{id} on the audit page");
        }
    }
    // Circumstances were changed once (by the update), not at registration.
    assert_eq!(
        ja.matches("変更あり（内容は表示しません）").count(),
        1,
        "circumstances are logged only when they changed"
    );
}

/// The text of a page without its tags.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
