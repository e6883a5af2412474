//! The audit log: newest first on both engines; the administrators' page.

use jimoto_domain::audit::{AuditEntity, AuditFilter, AuditOp};
use jimoto_domain::{PageRequest, Total};
use jimoto_store::audit;
use jimoto_testkit::{Engine, ResidentSpec, TestApp, TestDb, both_engines};
use reqwest::StatusCode;

both_engines!(audit_entries_list_newest_first_a_page_at_a_time);

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
