//! Organisations: store and services on both engines, and the pages through the router.

use jimoto_domain::organisation::{OrgFilter, OrgKind, OrganisationInput};
use jimoto_domain::{PageRequest, RegionId, Total};
use jimoto_services::ServiceError;
use jimoto_store::{StoreError, organisations};
use jimoto_testkit::{Engine, TestApp, TestDb, both_engines};
use reqwest::StatusCode;

both_engines!(
    a_missing_region_is_a_missing_reference,
    organisation_lists_are_scoped_searched_and_paged,
    organisations_move_only_where_the_actor_may_register_them,
);

fn input(region: RegionId, name: &str) -> OrganisationInput {
    OrganisationInput {
        region_id: region,
        name: name.into(),
        name_kana: String::new(),
        kind: OrgKind::LocalCompany,
        industry: String::new(),
        hq_prefecture: "35".into(),
        telework_share_percent: None,
    }
}

async fn a_missing_region_is_a_missing_reference(t: TestDb) {
    let mut tx = t.db.begin().await.unwrap();
    let missing = organisations::insert(&mut tx, &input(RegionId(9999), "幽霊")).await;
    assert!(
        matches!(missing, Err(StoreError::MissingReference(_))),
        "{missing:?}"
    );
    drop(tx);
    // Through the services it is a field error, checked before the insert.
    let admin = t.admin("admin").await;
    let e = t
        .services()
        .create_organisation(&admin, input(RegionId(9999), "幽霊"))
        .await
        .unwrap_err();
    match e {
        ServiceError::Validation(v) => {
            assert_eq!(
                (v.0[0].field.as_str(), v.0[0].code.as_str()),
                ("region_id", "unknown")
            );
        }
        other => panic!("{other:?}"),
    }
}

async fn organisation_lists_are_scoped_searched_and_paged(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let mut tx = t.db.begin().await.unwrap();
    for i in 0..5 {
        let mut o = input(w.hagi, &format!("萩の会社{i}"));
        o.name_kana = format!("ハギノカイシャ{i}");
        o.industry = "データ入力・経理代行".into();
        organisations::insert(&mut tx, &o).await.unwrap();
    }
    tx.commit().await.unwrap();
    let list = |login: &str, f: OrgFilter| {
        let (s, a) = (s.clone(), w.actor(login));
        async move {
            s.organisations(&a, &f, &PageRequest::first(3))
                .await
                .map(|p| {
                    (
                        p.total,
                        p.items.into_iter().map(|o| o.name).collect::<Vec<_>>(),
                    )
                })
        }
    };
    let (total, first) = list("coord-hagi", OrgFilter::default()).await.unwrap();
    assert_eq!(total, Total::Exact(6), "Hagi's six organisations");
    assert_eq!(first.len(), 3);
    let (total, names) = list("cognity", OrgFilter::default()).await.unwrap();
    assert_eq!(
        (total, names),
        (Total::Exact(1), vec!["コグニティ株式会社".to_owned()])
    );
    assert!(matches!(
        list("resident-hagi", OrgFilter::default()).await,
        Err(ServiceError::Forbidden)
    ));
    let q = |s: &str| OrgFilter {
        q: Some(s.into()),
        ..OrgFilter::default()
    };
    let (total, _) = list("coord-hagi", q("経理")).await.unwrap();
    assert_eq!(
        total,
        Total::Exact(5),
        "a two-character word in the industry"
    );
    let (total, _) = list("coord-hagi", q("はぎのかいしゃ3")).await.unwrap();
    assert_eq!(total, Total::Exact(1), "a reading typed in hiragana");
    let (total, _) = list("coord-shimonoseki", q("経理")).await.unwrap();
    assert_eq!(total, Total::Exact(0), "nothing from another region");
    let (total, _) = list("admin", q("経理")).await.unwrap();
    assert_eq!(total, Total::Exact(5));
}

async fn organisations_move_only_where_the_actor_may_register_them(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let mut moved = input(w.shimonoseki, "コグニティ株式会社");
    moved.kind = OrgKind::UrbanCompany;
    assert!(matches!(
        s.update_organisation(&coord, w.cognity, moved.clone())
            .await,
        Err(ServiceError::Forbidden)
    ));
    let admin = w.actor("admin");
    let o = s
        .update_organisation(&admin, w.cognity, moved)
        .await
        .unwrap();
    assert_eq!(o.region_id, w.shimonoseki);
    // The search index followed it to its new region.
    let found = s
        .organisations(
            &w.actor("coord-shimonoseki"),
            &OrgFilter {
                q: Some("コグニティ".into()),
                ..OrgFilter::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.total, Total::Exact(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn company_member_edits_only_their_own_organisation() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let (client, csrf) = app.login("cognity").await;
    let list = app.page(&client, "/organisations").await;
    assert!(
        list.contains("コグニティ株式会社") && !list.contains("ユーカリヤ"),
        "only their own organisation is listed"
    );
    let form = app
        .page(&client, &format!("/organisations/{}/edit", w.cognity))
        .await;
    assert!(form.contains("value=\"コグニティ株式会社\""));
    let hagi = w.hagi.to_string();
    let fields = |name: &'static str, share: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("region_id", hagi.clone()),
            ("name", name.to_owned()),
            ("name_kana", "コグニティ".to_owned()),
            ("kind", "urban_company".to_owned()),
            ("industry", "情報通信業".to_owned()),
            ("hq_prefecture", "13".to_owned()),
            ("telework_share_percent", share.to_owned()),
        ]
    };
    let path = format!("/organisations/{}", w.cognity);
    let res = app
        .post_form(&client, &path, &fields("コグニティ株式会社", "百"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .contains("テレワーク実施率（%）: 数字で入力してください")
    );
    let res = app
        .post_form(&client, &path, &fields("コグニティ株式会社", "150"))
        .await;
    assert!(res.text().contains("0から100の範囲で入力してください"));
    let res = app
        .post_form(&client, &path, &fields("コグニティ株式会社", "85"))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&client, &path).await;
    assert!(
        page.contains("85%") && page.contains("cognity さん"),
        "members are listed: {page}"
    );
    // Another company's organisation: not found, by page and by form post.
    let other = format!("/organisations/{}", w.eukarya);
    assert_eq!(
        client.get(&other).send().await.status(),
        StatusCode::NOT_FOUND
    );
    let res = app
        .post_form(&client, &other, &fields("乗っ取り", "1"))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (owner, _) = app.login("eukarya").await;
    let page = app.page(&owner, &other).await;
    assert!(page.contains("株式会社ユーカリヤ") && !page.contains("乗っ取り"));
}
