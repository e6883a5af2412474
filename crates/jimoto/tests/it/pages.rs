//! HTML pages through the router: login, each role's home, forms with bad input, CSRF,
//! throttling, the language switch, logout, cross-region refusals by URL.

use jimoto_testkit::{DEMO_PASSWORD, Engine, TestApp, csrf_from, spawn_app};
use reqwest::StatusCode;

async fn app() -> TestApp {
    spawn_app(Engine::Sqlite).await
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_page_is_japanese_and_sets_safe_cookies() {
    let app = app().await;
    let res = app.client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(res.headers().get("x-frame-options").unwrap(), "DENY");
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("ログイン"));
    assert!(html.contains("name=\"viewport\""));
    let root = app.client().get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&root), "/login");
    let health = app.client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        (health.status(), health.text().await.unwrap().as_str()),
        (StatusCode::OK, "ok")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_demo_login_reaches_its_own_home_page() {
    let app = app().await;
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
    // The coordinator of Hagi does not see Shimonoseki on their home page.
    let (client, _) = app.login("coord-hagi").await;
    let html = app.page(&client, "/home").await;
    assert!(!html.contains("下関市"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_csrf_token_is_refused_and_changes_nothing() {
    let app = app().await;
    let client = app.client();
    client.get(app.url("/login")).send().await.unwrap();
    let res = app
        .post_form(
            &client,
            "/login",
            &[
                ("login", "admin"),
                ("password", DEMO_PASSWORD),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("不正な送信"));
    let home = client.get(app.url("/home")).send().await.unwrap();
    assert!(location(&home).starts_with("/login"), "no session was made");

    // Logged in: a form post with another token does not create the region.
    let (client, _) = app.login("admin").await;
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", "forged"),
                ("lg_code", "152021"),
                ("name", "長岡市"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let list = app.page(&client, "/regions").await;
    assert!(!list.contains("長岡市"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_get_clear_messages_then_a_lock() {
    let app = app().await;
    let client = app.client();
    let page = app.page(&client, "/login").await;
    let csrf = csrf_from(&page);
    let mut messages = Vec::new();
    for _ in 0..5 {
        let res = app
            .post_form(
                &client,
                "/login",
                &[
                    ("login", "coord-hagi"),
                    ("password", "wrong-password"),
                    ("csrf", csrf.as_str()),
                ],
            )
            .await;
        messages.push((res.status(), res.text().await.unwrap()));
    }
    for (status, html) in &messages[..4] {
        assert_eq!(*status, StatusCode::UNAUTHORIZED);
        assert!(html.contains("ログインIDまたはパスワードが正しくありません"));
        assert!(
            html.contains("value=\"coord-hagi\""),
            "the login is kept in the form"
        );
    }
    assert_eq!(messages[4].0, StatusCode::TOO_MANY_REQUESTS);
    assert!(messages[4].1.contains("15分後"));
    let res = app
        .post_form(
            &client,
            "/login",
            &[
                ("login", "coord-hagi"),
                ("password", DEMO_PASSWORD),
                ("csrf", csrf.as_str()),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the right password is refused while locked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_form_reports_each_bad_field_in_the_users_language() {
    let app = app().await;
    let (client, csrf) = app.login("admin").await;
    let long = "あ".repeat(61);
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "352048"),
                ("name", long.as_str()),
                ("vision", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("地方公共団体コード: 検査数字（6桁目）が一致しません"),
        "{html}"
    );
    assert!(html.contains("名前: 60文字以内で入力してください"));
    assert!(html.contains("value=\"352048\""), "what was typed is kept");

    // Switch to English: the same mistakes, in English; an empty name says it is required.
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
    assert_eq!(location(&res), "/regions/new");
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "35204"),
                ("name", "  "),
            ],
        )
        .await;
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Local government code: must be six digits"),
        "{html}"
    );
    assert!(html.contains("Name: is required"));
    let list = app.page(&client, "/regions").await;
    assert!(list.contains("2 in all"), "no region was added");

    // A good one goes through and lands on its page.
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "１５２０２１"),
                ("name", "長岡市"),
                ("policy_issues", "人口減少\n\n雇用創出"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&client, &location(&res)).await;
    assert!(html.contains("152021") && html.contains("Niigata") && html.contains("雇用創出"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_choice_is_remembered_per_user() {
    let app = app().await;
    let (client, csrf) = app.login("city-hagi").await;
    app.post_form(
        &client,
        "/lang",
        &[("csrf", csrf.as_str()), ("lang", "en"), ("next", "/home")],
    )
    .await;
    // A fresh browser (no cookies) logging in as the same user gets English.
    let (other, _) = app.login("city-hagi").await;
    let html = app.page(&other, "/home").await;
    assert!(
        html.contains("<html lang=\"en\">") && html.contains("Set out your region"),
        "{html}"
    );
    // Another user is unaffected.
    let (third, _) = app.login("city-shimonoseki").await;
    let html = app.page(&third, "/home").await;
    assert!(html.contains("<html lang=\"ja\">"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_region_pages_are_not_found_and_circumstances_stay_private() {
    let app = app().await;
    let ids = app.demo.clone().unwrap();
    let kenichi = ids.resident("kenichi").unwrap();
    let hanako = ids.resident("hanako").unwrap();
    let (coord, csrf) = app.login("coord-hagi").await;
    let res = coord
        .get(app.url(&format!("/residents/{kenichi}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(html.contains("見つかりません") && !html.contains("中村"));
    // Posting an edit to another region's resident changes nothing.
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{kenichi}"),
            &[
                ("csrf", csrf.as_str()),
                ("region_id", &ids.shimonoseki.unwrap().to_string()),
                ("name", "改ざん"),
                ("name_kana", "カイザン"),
                ("office_visits", "never"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (owner, _) = app.login("coord-shimonoseki").await;
    let html = app.page(&owner, &format!("/residents/{kenichi}")).await;
    assert!(html.contains("中村 健一") && !html.contains("改ざん"));

    let html = app.page(&coord, &format!("/residents/{hanako}")).await;
    assert!(
        html.contains("子育て中") && html.contains("保育園"),
        "the coordinator sees circumstances"
    );
    let (city, _) = app.login("city-hagi").await;
    let html = app.page(&city, &format!("/residents/{hanako}")).await;
    assert!(html.contains("山田 花子") && !html.contains("保育園") && html.contains("非公開"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_form_names_wrong_types_and_saves_good_input() {
    let app = app().await;
    let ids = app.demo.clone().unwrap();
    let hagi = ids.hagi.unwrap().to_string();
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
    let html = res.text().await.unwrap();
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
        res.text()
            .await
            .unwrap()
            .contains("スキル 1 レベル: 入力してください"),
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
            .await
            .unwrap()
            .contains("スキル 1 レベル: 1から5の範囲で入力してください")
    );
    let res = app.post_form(&client, "/residents", &full_form("3")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&client, &location(&res)).await;
    assert!(
        html.contains("佐々木 陽子")
            && html.contains("週12時間")
            && html.contains("平日午前")
            && html.contains("介護中")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_everywhere() {
    let app = app().await;
    let (client, csrf) = app.login("cognity").await;
    let res = app
        .post_form(&client, "/logout", &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(location(&res), "/login");
    let res = client.get(app.url("/home")).send().await.unwrap();
    assert!(location(&res).starts_with("/login"));
    let res = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sees_the_audit_log_and_makes_tokens() {
    let app = app().await;
    let (client, csrf) = app.login("admin").await;
    let html = app.page(&client, "/admin/audit?entity=resident").await;
    assert!(html.contains("監査ログ") && html.contains("作成"));
    let html = app
        .post_form(
            &client,
            "/me/tokens",
            &[("csrf", csrf.as_str()), ("name", "集計スクリプト")],
        )
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = &html[start..start + html[start..].find('<').unwrap()];
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.json::<serde_json::Value>().await.unwrap()["login"],
        "admin"
    );
    let (coord, _) = app.login("coord-hagi").await;
    assert_eq!(
        coord
            .get(app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn company_member_edits_only_their_own_organisation() {
    let app = app().await;
    let ids = app.demo.clone().unwrap();
    let cognity = ids.org("cognity").unwrap();
    let eukarya = ids.org("eukarya").unwrap();
    let (client, csrf) = app.login("cognity").await;
    let list = app.page(&client, "/organisations").await;
    assert!(
        list.contains("コグニティ株式会社") && !list.contains("ユーカリヤ"),
        "only their own organisation is listed"
    );
    let form = app
        .page(&client, &format!("/organisations/{cognity}/edit"))
        .await;
    assert!(form.contains("value=\"コグニティ株式会社\""));
    let hagi = ids.hagi.unwrap().to_string();
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
    let res = client
        .post(app.url(&format!("/organisations/{cognity}")))
        .form(&fields("コグニティ株式会社", "百"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("テレワーク実施率（%）: 数字で入力してください")
    );
    let res = client
        .post(app.url(&format!("/organisations/{cognity}")))
        .form(&fields("コグニティ株式会社", "150"))
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("0から100の範囲で入力してください")
    );
    let res = client
        .post(app.url(&format!("/organisations/{cognity}")))
        .form(&fields("コグニティ株式会社", "85"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app
        .page(&client, &format!("/organisations/{cognity}"))
        .await;
    assert!(
        page.contains("85%") && page.contains("コグニティ 採用担当 佐藤"),
        "members are listed"
    );
    // Another company's organisation: not found, by page and by form post.
    assert_eq!(
        client
            .get(app.url(&format!("/organisations/{eukarya}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = client
        .post(app.url(&format!("/organisations/{eukarya}")))
        .form(&fields("乗っ取り", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (owner, _) = app.login("eukarya").await;
    let page = app.page(&owner, &format!("/organisations/{eukarya}")).await;
    assert!(page.contains("株式会社ユーカリヤ") && !page.contains("乗っ取り"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_visitors_get_their_browser_language() {
    let app = app().await;
    let html = app
        .client()
        .get(app.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Log in to Jimoto."));
    let html = app
        .client()
        .get(app.url("/login"))
        .header("accept-language", "fr-FR")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<html lang=\"ja\">"),
        "unsupported languages fall back to Japanese"
    );
    // The switch works before login too, with the anonymous CSRF cookie.
    let client = app.client();
    let page = app.page(&client, "/login").await;
    let csrf = csrf_from(&page);
    let res = app
        .post_form(
            &client,
            "/lang",
            &[
                ("csrf", csrf.as_str()),
                ("lang", "en"),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/home", "only local redirects are followed");
    let html = app.page(&client, "/login").await;
    assert!(html.contains("<html lang=\"en\">"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_shows_a_plain_error_without_internals() {
    let app = app().await;
    let (client, _) = app.login("coord-hagi").await;
    app.services.db().close().await;
    let res = client.get(app.url("/home")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = res.text().await.unwrap();
    assert!(html.contains("システムエラーが発生しました"), "{html}");
    for leak in ["pool", "sqlx", "sqlite", "closed", "Error("] {
        assert!(
            !html.to_lowercase().contains(&leak.to_lowercase()),
            "page leaks {leak}: {html}"
        );
    }
    let token_res = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth("jmt_x")
        .send()
        .await
        .unwrap();
    assert_eq!(token_res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = token_res.text().await.unwrap();
    assert!(
        body.contains("\"internal\"") && !body.to_lowercase().contains("pool"),
        "{body}"
    );
    let health = app.client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_form_posts_get_a_translated_page() {
    let app = app().await;
    let (client, csrf) = app.login("admin").await;
    let huge = "あ".repeat(100_000);
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "152021"),
                ("name", "長岡市"),
                ("vision", huge.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("送信データが大きすぎます")
    );
    let res = client
        .post(app.url("/regions"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("フォームの内容を読み取れません")
    );
    let list = app.page(&client, "/regions").await;
    assert!(
        list.contains("全2件") && !list.contains("長岡市"),
        "nothing was written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_and_account_disabling_through_the_pages() {
    let app = app().await;
    let (client, csrf) = app.login("city-shimonoseki").await;
    let res = app
        .post_form(
            &client,
            "/me/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", "nope"),
                ("new_password", "new-password-2026"),
                ("new_password_confirm", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("現在のパスワード: 正しくありません")
    );
    let res = app
        .post_form(
            &client,
            "/me/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", DEMO_PASSWORD),
                ("new_password", "new-password-2026"),
                ("new_password_confirm", "new-password-2026"),
            ],
        )
        .await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("パスワードを変更しました")
    );

    let (admin, admin_csrf) = app.login("admin").await;
    let users = app.page(&admin, "/admin/users").await;
    let marker = "city-shimonoseki</a>";
    assert!(users.contains(marker));
    let id = app
        .services
        .login("city-shimonoseki", "new-password-2026", "127.0.0.9")
        .await
        .unwrap()
        .actor
        .user_id;
    let res = app
        .post_form(
            &admin,
            &format!("/admin/users/{id}/disable"),
            &[("csrf", admin_csrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = client.get(app.url("/home")).send().await.unwrap();
    assert!(
        location(&res).starts_with("/login"),
        "the disabled user's session ended"
    );
    let users = app.page(&admin, "/admin/users").await;
    assert!(users.contains("有効にする"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_names_the_current_fiscal_year_in_both_languages() {
    use chrono::Datelike;
    let app = app().await;
    let today = chrono::Utc::now()
        .with_timezone(&jimoto_domain::calendar::jst())
        .date_naive();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_gives_a_resident_a_login_and_the_resident_uses_it() {
    let app = app().await;
    let ids = app.demo.clone().unwrap();
    let takeshi = ids.resident("takeshi").unwrap();
    let (coord, csrf) = app.login("coord-hagi").await;
    let page = app.page(&coord, &format!("/residents/{takeshi}")).await;
    assert!(page.contains("ログインを発行"));
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{takeshi}/account"),
            &[
                ("csrf", csrf.as_str()),
                ("login", "coord-hagi"),
                ("password", "takeshi-password-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("ログインID: すでに登録されています")
    );
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{takeshi}/account"),
            &[
                ("csrf", csrf.as_str()),
                ("login", "takeshi"),
                ("password", "takeshi-password-1"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/residents/{takeshi}"));
    let page = app.page(&coord, &format!("/residents/{takeshi}")).await;
    assert!(page.contains("ログインを持っています") && !page.contains("id=\"give-login\""));

    let client = app.client();
    let login = app.page(&client, "/login").await;
    let csrf2 = csrf_from(&login);
    let res = app
        .post_form(
            &client,
            "/login",
            &[
                ("login", "takeshi"),
                ("password", "takeshi-password-1"),
                ("csrf", csrf2.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = app.page(&client, "/home").await;
    assert!(home.contains("渡辺 剛") && home.contains("私のプロフィール"));

    // The municipal staff see the resident but cannot give logins; another region's
    // coordinator cannot even see the form's target.
    let (city, city_csrf) = app.login("city-hagi").await;
    let misaki = ids.resident("misaki").unwrap();
    let page = app.page(&city, &format!("/residents/{misaki}")).await;
    assert!(!page.contains("ログインを発行"));
    let res = app
        .post_form(
            &city,
            &format!("/residents/{misaki}/account"),
            &[
                ("csrf", city_csrf.as_str()),
                ("login", "misaki"),
                ("password", "misaki-password-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (other, other_csrf) = app.login("coord-shimonoseki").await;
    let res = app
        .post_form(
            &other,
            &format!("/residents/{misaki}/account"),
            &[
                ("csrf", other_csrf.as_str()),
                ("login", "misaki"),
                ("password", "misaki-password-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_adds_a_region_to_a_coordinator_through_the_form() {
    let app = app().await;
    let ids = app.demo.clone().unwrap();
    let coord_id = app
        .services
        .login("coord-hagi", DEMO_PASSWORD, "127.0.0.5")
        .await
        .unwrap()
        .actor
        .user_id;
    let (admin, csrf) = app.login("admin").await;
    let page = app.page(&admin, &format!("/admin/users/{coord_id}")).await;
    assert!(
        page.contains("value=\"萩 コーディネーター 大谷\"") && page.contains("name=\"region_ids\"")
    );
    let (hagi, shimo) = (
        ids.hagi.unwrap().to_string(),
        ids.shimonoseki.unwrap().to_string(),
    );
    let res = app
        .post_form(
            &admin,
            &format!("/admin/users/{coord_id}"),
            &[
                ("csrf", csrf.as_str()),
                ("display_name", ""),
                ("region_ids", hagi.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("表示名: 入力してください")
    );
    let res = app
        .post_form(
            &admin,
            &format!("/admin/users/{coord_id}"),
            &[
                ("csrf", csrf.as_str()),
                ("display_name", "萩・下関 大谷"),
                ("region_ids", hagi.as_str()),
                ("region_ids", shimo.as_str()),
            ],
        )
        .await;
    assert_eq!(location(&res), "/admin/users");
    let (coord, _) = app.login("coord-hagi").await;
    let home = app.page(&coord, "/home").await;
    assert!(
        home.contains("下関市") && home.contains("萩・下関 大谷"),
        "the coordinator now works in both regions"
    );
    let (other, _) = app.login("coord-shimonoseki").await;
    assert_eq!(
        other
            .get(app.url(&format!("/admin/users/{coord_id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}
