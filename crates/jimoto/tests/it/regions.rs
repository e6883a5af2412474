//! Regions: store and services on both engines, the national list of local governments, and the
//! pages through the router.

use jimoto_domain::municipality;
use jimoto_domain::region::{RegionFilter, RegionInput};
use jimoto_domain::{LgCode, PageRequest, Total};
use jimoto_services::ServiceError;
use jimoto_store::regions;
use jimoto_testkit::{Engine, TestApp, TestDb, both_engines};
use reqwest::StatusCode;

both_engines!(
    regions_round_trip_filter_and_page,
    region_input_is_refused_whole_and_changes_nothing,
    a_second_region_with_the_same_code_is_the_code_field,
    every_municipality_of_japan_can_be_a_region,
    uncommitted_transaction_leaves_nothing,
);

fn codes(e: ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn regions_round_trip_filter_and_page(t: TestDb) {
    let hagi = t.region("352047").await;
    t.region("352012").await;
    t.region("152021").await;
    let mut c = t.db.conn().await.unwrap();
    let r = regions::get(&mut c, hagi).await.unwrap().unwrap();
    assert_eq!(
        (
            r.lg_code.as_str(),
            r.name.as_str(),
            r.name_kana.as_str(),
            r.prefecture.as_str()
        ),
        ("352047", "萩市", "ハギシ", "35"),
        "name, reading and prefecture come from the national list"
    );

    let all = RegionFilter::default();
    let first = regions::list(&mut c, &all, &PageRequest::first(2))
        .await
        .unwrap();
    assert_eq!(first.total, Total::Exact(3));
    assert_eq!(
        first
            .items
            .iter()
            .map(|r| r.lg_code.as_str())
            .collect::<Vec<_>>(),
        vec!["152021", "352012"],
        "ordered by code"
    );
    assert!(first.prev.is_none() && first.next.is_some());
    let second = regions::list(
        &mut c,
        &all,
        &PageRequest {
            after: first.next.clone(),
            ..PageRequest::first(2)
        },
    )
    .await
    .unwrap();
    assert_eq!(
        second
            .items
            .iter()
            .map(|r| r.lg_code.as_str())
            .collect::<Vec<_>>(),
        vec!["352047"]
    );
    assert!(second.next.is_none() && second.prev.is_some());
    let back = regions::list(
        &mut c,
        &all,
        &PageRequest {
            before: second.prev.clone(),
            ..PageRequest::first(2)
        },
    )
    .await
    .unwrap();
    assert_eq!(
        back.items, first.items,
        "the previous page is the first again"
    );

    let names = |f: RegionFilter| {
        let db = t.db.clone();
        async move {
            let mut c = db.conn().await.unwrap();
            regions::list(&mut c, &f, &PageRequest::default())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        }
    };
    let q = |s: &str| RegionFilter {
        q: Some(s.into()),
        prefecture: None,
    };
    assert_eq!(
        names(RegionFilter {
            q: None,
            prefecture: Some("35".into())
        })
        .await,
        vec!["下関市", "萩市"]
    );
    assert_eq!(names(q("下関")).await, vec!["下関市"]);
    assert_eq!(
        names(q("しものせき")).await,
        vec!["下関市"],
        "hiragana finds katakana"
    );
    assert_eq!(
        names(q("ﾅｶﾞｵｶ")).await,
        vec!["長岡市"],
        "half-width kana too"
    );
    assert_eq!(names(q("萩")).await, vec!["萩市"], "one character");
    assert_eq!(names(q("3520")).await, vec!["下関市", "萩市"], "by code");
    assert!(names(q("%")).await.is_empty(), "LIKE wildcards are literal");
    assert!(names(q("萩下")).await.is_empty());
}

async fn region_input_is_refused_whole_and_changes_nothing(t: TestDb) {
    let s = t.services();
    let hagi = t.region("352047").await;
    let admin = t.admin("admin").await;
    let audit_before = audit_total(&t).await;
    let bad = RegionInput {
        lg_code: "352048".into(),
        policy_issues: vec!["x".repeat(101)],
        vision: "v".repeat(4001),
    };
    assert_eq!(
        codes(s.create_region(&admin, bad).await.unwrap_err()),
        vec![
            ("lg_code".into(), "lg_code_check_digit".into()),
            ("policy_issues".into(), "item_too_long".into()),
            ("vision".into(), "too_long".into()),
        ]
    );
    // A valid check digit that names no local government.
    let unlisted = (0..10)
        .map(|d| format!("35999{d}"))
        .find(|c| LgCode::parse(c).is_ok())
        .unwrap();
    let input = |code: &str| RegionInput {
        lg_code: code.into(),
        ..RegionInput::default()
    };
    assert_eq!(
        codes(s.create_region(&admin, input(&unlisted)).await.unwrap_err()),
        vec![("lg_code".into(), "lg_code_unlisted".into())]
    );
    // An update with a bad code leaves the region as it was.
    let before = s.region(&admin, hagi).await.unwrap();
    assert_eq!(
        codes(
            s.update_region(&admin, hagi, input("12345"))
                .await
                .unwrap_err()
        ),
        vec![("lg_code".into(), "lg_code_format".into())]
    );
    assert_eq!(s.region(&admin, hagi).await.unwrap(), before);
    let coord = t.coordinator("coord", &[hagi]).await;
    assert!(matches!(
        s.create_region(&coord, input("152021")).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(
        s.regions(&admin, &RegionFilter::default(), &PageRequest::default())
            .await
            .unwrap()
            .total,
        Total::Exact(1)
    );
    assert_eq!(
        audit_before,
        audit_total(&t).await,
        "refused input writes no audit entry"
    );
}

async fn audit_total(t: &TestDb) -> i64 {
    let mut c = t.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

async fn a_second_region_with_the_same_code_is_the_code_field(t: TestDb) {
    let s = t.services();
    let admin = t.admin("admin").await;
    let input = RegionInput {
        lg_code: "352047".into(),
        ..RegionInput::default()
    };
    s.create_region(&admin, input.clone()).await.unwrap();
    // Full-width digits name the same code.
    let again = RegionInput {
        lg_code: "３５２０４７".into(),
        ..input
    };
    assert_eq!(
        codes(s.create_region(&admin, again).await.unwrap_err()),
        vec![("lg_code".into(), "taken".into())],
        "the unique constraint names its field on {}",
        t.engine().name()
    );
    // Moving another region onto a taken code: the same answer.
    let other = s
        .create_region(
            &admin,
            RegionInput {
                lg_code: "352012".into(),
                ..RegionInput::default()
            },
        )
        .await
        .unwrap();
    let e = s
        .update_region(
            &admin,
            other.id,
            RegionInput {
                lg_code: "352047".into(),
                ..RegionInput::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("lg_code".into(), "taken".into())]);
}

/// Registers every local government of the national list in one transaction.
async fn load_every_municipality(t: &TestDb) -> usize {
    let mut tx = t.db.begin().await.unwrap();
    for m in municipality::all() {
        regions::insert(
            &mut tx,
            m,
            &RegionInput {
                lg_code: m.code.clone(),
                ..RegionInput::default()
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    municipality::all().len()
}

async fn every_municipality_of_japan_can_be_a_region(t: TestDb) {
    let n = load_every_municipality(&t).await;
    assert_eq!(n, 1788);
    let s = t.services();
    let admin = t.admin("admin").await;
    assert_eq!(
        s.region_refs(&admin).await.unwrap().len(),
        n,
        "pickers get every region"
    );
    assert_eq!(s.region_count(&admin).await.unwrap(), 1788);
    // The list pages through every one of them; its total stops counting at 1,000.
    let mut seen = Vec::new();
    let mut req = PageRequest::first(200);
    loop {
        let page = s
            .regions(&admin, &RegionFilter::default(), &req)
            .await
            .unwrap();
        assert_eq!(page.total, Total::AtLeast(1000));
        seen.extend(page.items.into_iter().map(|r| r.lg_code));
        match page.next {
            Some(next) => req.after = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = municipality::all().iter().map(|m| m.code.clone()).collect();
    assert_eq!(seen, expected, "every region, once, in code order");
    // Searching by reading finds them across the country: 萩市 and 高萩市.
    let found = s
        .regions(
            &admin,
            &RegionFilter {
                q: Some("はぎ".into()),
                prefecture: None,
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    let names: Vec<&str> = found.items.iter().map(|r| r.name.as_str()).collect();
    assert!(
        names.contains(&"萩市") && names.contains(&"高萩市"),
        "{names:?}"
    );
}

async fn uncommitted_transaction_leaves_nothing(t: TestDb) {
    {
        let mut tx = t.db.begin().await.unwrap();
        regions::insert(
            &mut tx,
            municipality::by_code("352047").unwrap(),
            &RegionInput {
                lg_code: "352047".into(),
                ..RegionInput::default()
            },
        )
        .await
        .unwrap();
        // dropped without commit
    }
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        regions::list(&mut c, &RegionFilter::default(), &PageRequest::default())
            .await
            .unwrap()
            .total,
        Total::Exact(0)
    );
    let docs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_docs")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(docs, 0, "nor its search entry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pickers_and_lists_offer_every_municipality() {
    let app = TestApp::world(Engine::Sqlite).await;
    // The world has 萩市 and 下関市; register every other local government too.
    let mut tx = app.db.db.begin().await.unwrap();
    for m in municipality::all()
        .iter()
        .filter(|m| m.code != "352047" && m.code != "352012")
    {
        regions::insert(
            &mut tx,
            m,
            &RegionInput {
                lg_code: m.code.clone(),
                ..RegionInput::default()
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (admin, _) = app.login("admin").await;
    let count = |html: &str, marker: &str| html.matches(marker).count();
    // The options of one <select>, by its id.
    let select = |html: &str, id: &str| {
        let start = html.find(&format!("id=\"{id}\"")).expect("the select");
        let end = start + html[start..].find("</select>").expect("its end");
        // Real choices, not the "please choose" prompt.
        html[start..end].matches("<option value=\"").count()
            - html[start..end].matches("<option value=\"\">").count()
    };
    let org_form = app.page(&admin, "/organisations/new").await;
    assert_eq!(
        select(&org_form, "region_id"),
        1788,
        "the organisation form offers every region"
    );
    let users = app.page(&admin, "/admin/users").await;
    assert_eq!(count(&users, "name=\"region_ids\""), 1788, "account scopes");
    assert_eq!(
        count(&users, "<details class=\"region-group\""),
        47,
        "grouped by prefecture"
    );
    let residents = app.page(&admin, "/residents").await;
    assert_eq!(
        select(&residents, "filter-region"),
        1788,
        "the residents' region filter: any region (or all)"
    );
    let list = app.page(&admin, "/regions").await;
    assert!(list.contains("1,000件以上"), "a bounded total, said so");
    let home = app.page(&admin, "/home").await;
    assert!(home.contains("登録されている地域：1,788件"), "{home}");
    // A coordinator's picker offers only their region.
    let (coord, _) = app.login("coord-hagi").await;
    let form = app.page(&coord, "/organisations/new").await;
    assert_eq!(select(&form, "region_id"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_is_picked_from_the_national_list() {
    let app = TestApp::world(Engine::Sqlite).await;
    let (client, csrf) = app.login("admin").await;
    let html = app.page(&client, "/regions/new?q=はぎ").await;
    assert!(
        html.contains("高萩市") && html.contains("href=\"/regions/new?lg_code=082147\""),
        "はぎ finds 高萩市, ready to register"
    );
    assert!(
        html.contains(&format!("href=\"/regions/{}\"", app.w().hagi)),
        "萩市 is registered already: its region is linked"
    );
    let html = app.page(&client, "/regions/new?q=ﾅｶﾞｵｶ").await;
    assert!(html.contains("長岡市") && html.contains("lg_code=152021"));
    let form = app.page(&client, "/regions/new?lg_code=152021").await;
    assert!(form.contains("長岡市") && form.contains("ナガオカシ") && form.contains("新潟県"));
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "１５２０２１"),
                ("policy_issues", "人口減少\n\n雇用創出"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&client, &res.location()).await;
    assert!(html.contains("152021") && html.contains("長岡市") && html.contains("雇用創出"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_form_reports_each_bad_field_in_the_users_language() {
    let app = TestApp::world(Engine::Sqlite).await;
    let (client, csrf) = app.login("admin").await;
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "352048"),
                ("vision", &"v".repeat(4001)),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(
        html.contains("地方公共団体コード: 検査数字（6桁目）が一致しません"),
        "{html}"
    );
    assert!(html.contains("ビジョン: 4000文字以内で入力してください"));
    assert!(html.contains("value=\"352048\""), "what was typed is kept");
    assert!(municipality::by_code("352993").is_none());
    let res = app
        .post_form(
            &client,
            "/regions",
            &[("csrf", csrf.as_str()), ("lg_code", "352993")],
        )
        .await;
    assert!(
        res.text()
            .contains("地方公共団体コード: 全国地方公共団体コードの一覧にないコードです")
    );

    // Switch to English: the same mistakes, in English.
    let res = app
        .post_form(
            &client,
            "/lang",
            &[
                ("csrf", csrf.as_str()),
                ("lang", "en"),
                ("next", "/regions/new"),
            ],
        )
        .await;
    assert_eq!(res.location(), "/regions/new");
    let res = app
        .post_form(
            &client,
            "/regions",
            &[("csrf", csrf.as_str()), ("lg_code", "35204")],
        )
        .await;
    let html = res.text();
    assert!(
        html.contains("Local government code: must be six digits"),
        "{html}"
    );
    let list = app.page(&client, "/regions").await;
    assert!(list.contains("2 in all"), "no region was added: {list}");
    // A taken code, through the form.
    let res = app
        .post_form(
            &client,
            "/regions",
            &[("csrf", csrf.as_str()), ("lg_code", "352047")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .contains("Local government code: is already registered")
    );
}
