//! Signing in and out: sessions, throttling, tokens, CSRF, the language, and what a visitor sees
//! when things go wrong — services on both engines, pages through the router.

use chrono::{Duration, Utc};
use jimoto_domain::Role;
use jimoto_services::ServiceError;
use jimoto_store::codec::Millis;
use jimoto_store::{sessions, users};
use jimoto_testkit::{Engine, PASSWORD, TestApp, TestDb, both_engines, csrf_from};
use reqwest::StatusCode;

both_engines!(
    sessions_expire_and_tokens_revoke,
    login_failures_count_since_last_success,
    login_sessions_and_logout,
    five_wrong_passwords_lock_the_login,
    a_lock_is_per_login_and_address_and_spares_known_places,
    personal_access_tokens_act_as_their_owner,
);

async fn sessions_expire_and_tokens_revoke(t: TestDb) {
    let u = t.admin("someone").await.user_id;
    let mut c = t.db.conn().await.unwrap();
    let at = |d: Duration| Millis(Utc::now() + d);
    sessions::create(&mut c, "live", u, "csrf1", at(Duration::minutes(1)))
        .await
        .unwrap();
    sessions::create(&mut c, "dead", u, "csrf2", at(Duration::milliseconds(-1)))
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
    let other = t.admin("other").await.user_id;
    assert!(
        !users::revoke_token(&mut c, other, id).await.unwrap(),
        "only the owner revokes"
    );
    assert!(users::revoke_token(&mut c, u, id).await.unwrap());
    assert_eq!(users::use_token(&mut c, "hash1").await.unwrap(), None);
}

async fn login_failures_count_since_last_success(t: TestDb) {
    let mut c = t.db.conn().await.unwrap();
    let epoch = Millis(chrono::DateTime::UNIX_EPOCH);
    for _ in 0..3 {
        users::record_attempt(&mut c, "admin", "10.0.0.1", false)
            .await
            .unwrap();
    }
    assert_eq!(
        users::recent_failures(&mut c, "admin", epoch)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        users::recent_failures_from(&mut c, "10.0.0.1", epoch)
            .await
            .unwrap(),
        3
    );
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    users::record_attempt(&mut c, "admin", "10.0.0.1", true)
        .await
        .unwrap();
    assert_eq!(
        users::recent_failures(&mut c, "admin", epoch)
            .await
            .unwrap(),
        0,
        "a success resets the count"
    );
    let future = Millis(Utc::now() + Duration::minutes(1));
    assert_eq!(
        users::recent_failures_from(&mut c, "10.0.0.1", future)
            .await
            .unwrap(),
        0,
        "outside the window"
    );
}

async fn login_sessions_and_logout(t: TestDb) {
    t.world().await;
    let s = t.services();
    let out = s.login("coord-hagi", PASSWORD, "127.0.0.1").await.unwrap();
    let ctx = s.session(&out.session_token).await.unwrap();
    assert_eq!(ctx.actor.login, "coord-hagi");
    assert_eq!(ctx.csrf_token, out.csrf_token);
    assert!(matches!(
        s.session("forged").await,
        Err(ServiceError::Unauthenticated)
    ));
    s.logout(&out.session_token).await.unwrap();
    assert!(matches!(
        s.session(&out.session_token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.login("nobody", "whatever-123", "127.0.0.1").await,
        Err(ServiceError::InvalidCredentials)
    ));
}

async fn five_wrong_passwords_lock_the_login(t: TestDb) {
    t.world().await;
    let s = t.services();
    for i in 1..=4 {
        let r = s.login("coord-hagi", "wrong-password", "10.1.1.1").await;
        assert!(
            matches!(r, Err(ServiceError::InvalidCredentials)),
            "attempt {i}: {r:?}"
        );
    }
    let fifth = s.login("coord-hagi", "wrong-password", "10.1.1.1").await;
    assert!(
        matches!(
            fifth,
            Err(ServiceError::TooManyAttempts {
                retry_after_minutes: 15
            })
        ),
        "{fifth:?}"
    );
    let right = s.login("coord-hagi", PASSWORD, "10.1.1.1").await;
    assert!(
        matches!(right, Err(ServiceError::TooManyAttempts { .. })),
        "locked even with the right password"
    );
    // Other logins are not affected.
    assert!(
        s.login("coord-shimonoseki", PASSWORD, "10.1.1.2")
            .await
            .is_ok()
    );
}

/// Nobody can lock someone else out: five failures lock a login only for the address they came
/// from; twenty from anywhere lock it only for addresses it has not logged in from lately.
async fn a_lock_is_per_login_and_address_and_spares_known_places(t: TestDb) {
    t.world().await;
    let s = t.services();
    let home = "10.0.0.1";
    assert!(s.login("coord-hagi", PASSWORD, home).await.is_ok());
    for _ in 0..5 {
        let _ = s.login("coord-hagi", "guess", "10.9.9.9").await;
    }
    assert!(matches!(
        s.login("coord-hagi", PASSWORD, "10.9.9.9").await,
        Err(ServiceError::TooManyAttempts { .. })
    ));
    assert!(
        s.login("coord-hagi", PASSWORD, "10.2.2.2").await.is_ok(),
        "another address is not locked out by someone else's guesses"
    );
    // A spread-out attack: four guesses from each of many addresses.
    for i in 0..5 {
        for _ in 0..4 {
            let _ = s.login("coord-hagi", "guess", &format!("10.8.0.{i}")).await;
        }
    }
    assert!(
        matches!(
            s.login("coord-hagi", PASSWORD, "10.7.7.7").await,
            Err(ServiceError::TooManyAttempts { .. })
        ),
        "a new address is locked once the login has 20 failures"
    );
    assert!(
        s.login("coord-hagi", PASSWORD, home).await.is_ok(),
        "where its owner logged in before still works"
    );
    assert!(
        s.login("coord-shimonoseki", PASSWORD, "10.7.7.7")
            .await
            .is_ok(),
        "other logins are not affected"
    );
}

async fn personal_access_tokens_act_as_their_owner(t: TestDb) {
    t.world().await;
    let s = t.services();
    let token = s.create_token_for_login("cognity", "ci").await.unwrap();
    assert!(token.starts_with("jmt_"));
    let a = s.actor_for_token(&token).await.unwrap();
    assert_eq!(
        (a.login.as_str(), a.principal.role()),
        ("cognity", Role::CompanyMember)
    );
    let listed = s.tokens(&a).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(token.starts_with(&listed[0].prefix));
    let other = s
        .login("eukarya", PASSWORD, "127.0.0.1")
        .await
        .unwrap()
        .actor;
    assert!(matches!(
        s.revoke_token(&other, listed[0].id).await,
        Err(ServiceError::NotFound)
    ));
    s.revoke_token(&a, listed[0].id).await.unwrap();
    assert!(matches!(
        s.actor_for_token(&token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.actor_for_token("jmt_forged").await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.create_token(&a, " ").await,
        Err(ServiceError::Validation(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_page_is_japanese_and_sets_safe_cookies() {
    let app = TestApp::new(Engine::Sqlite).await;
    let res = app.client().get("/login").send().await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let html = res.text();
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("ログイン"));
    assert!(html.contains("name=\"viewport\""));
    assert_eq!(app.client().get("/").send().await.location(), "/login");
    let health = app.client().get("/healthz").send().await;
    assert_eq!(
        (health.status(), health.text().as_str()),
        (StatusCode::OK, "ok")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::world(Engine::Sqlite).await;
    let client = app.client();
    client.get("/login").send().await;
    let res = app
        .post_form(
            &client,
            "/login",
            &[
                ("login", "admin"),
                ("password", PASSWORD),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().contains("不正な送信"));
    let home = client.get("/home").send().await;
    assert!(home.location().starts_with("/login"), "no session was made");

    // Logged in: a form post with another token does not create the region.
    let (client, _) = app.login("admin").await;
    let res = app
        .post_form(
            &client,
            "/regions",
            &[("csrf", "forged"), ("lg_code", "152021")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text();
    assert!(
        html.contains("aria-label=\"メインメニュー\""),
        "the refusal is drawn inside the frame, with the navigation"
    );
    let list = app.page(&client, "/regions").await;
    assert!(!list.contains("長岡市"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_get_clear_messages_then_a_lock() {
    let app = TestApp::world(Engine::Sqlite).await;
    let client = app.client();
    let csrf = csrf_from(&app.page(&client, "/login").await);
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
        messages.push((res.status(), res.text()));
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
                ("password", "wrong-password"),
                ("csrf", csrf.as_str()),
            ],
        )
        .await;
    assert_eq!(
        res.headers()["retry-after"],
        "900",
        "says when to come back"
    );
    let res = app
        .post_form(
            &client,
            "/login",
            &[
                ("login", "coord-hagi"),
                ("password", PASSWORD),
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
async fn language_choice_is_remembered_per_user() {
    let app = TestApp::world(Engine::Sqlite).await;
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
async fn anonymous_visitors_get_their_browser_language() {
    let app = TestApp::new(Engine::Sqlite).await;
    let html = app
        .client()
        .get("/login")
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .text();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Log in to Jimoto."));
    let html = app
        .client()
        .get("/login")
        .header("accept-language", "fr-FR")
        .send()
        .await
        .text();
    assert!(
        html.contains("<html lang=\"ja\">"),
        "unsupported languages fall back to Japanese"
    );
    // The switch works before login too, with the anonymous CSRF cookie.
    let client = app.client();
    let csrf = csrf_from(&app.page(&client, "/login").await);
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
    assert_eq!(res.location(), "/home", "only local redirects are followed");
    let html = app.page(&client, "/login").await;
    assert!(html.contains("<html lang=\"en\">"));
    // A page that does not exist, in the visitor's language.
    let res = client.get("/nowhere").send().await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().contains("Not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_everywhere() {
    let app = TestApp::world(Engine::Sqlite).await;
    let (client, csrf) = app.login("cognity").await;
    let res = app
        .post_form(&client, "/logout", &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(res.location(), "/login");
    let res = client.get("/home").send().await;
    assert!(res.location().starts_with("/login"));
    let res = client.get("/api/v1/me").send().await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_shows_a_plain_error_without_internals() {
    let app = TestApp::world(Engine::Sqlite).await;
    let (client, _) = app.login("coord-hagi").await;
    app.services.close().await;
    let res = client.get("/home").send().await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = res.text();
    assert!(html.contains("システムエラーが発生しました"), "{html}");
    for leak in ["pool", "sqlx", "sqlite", "closed", "Error("] {
        assert!(
            !html.to_lowercase().contains(&leak.to_lowercase()),
            "page leaks {leak}: {html}"
        );
    }
    let res = app
        .anonymous()
        .get("/api/v1/me")
        .bearer_auth("jmt_x")
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = res.text();
    assert!(
        body.contains("\"internal\"") && !body.to_lowercase().contains("pool"),
        "{body}"
    );
    let health = app.client().get("/healthz").send().await;
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_form_posts_get_a_translated_page() {
    let app = TestApp::world(Engine::Sqlite).await;
    let (client, csrf) = app.login("admin").await;
    let huge = "あ".repeat(100_000);
    let res = app
        .post_form(
            &client,
            "/regions",
            &[
                ("csrf", csrf.as_str()),
                ("lg_code", "152021"),
                ("vision", huge.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().contains("送信データが大きすぎます"));
    let res = client
        .post("/regions")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().contains("フォームの内容を読み取れません"));
    let list = app.page(&client, "/regions").await;
    assert!(
        list.contains("全2件") && !list.contains("長岡市"),
        "nothing was written"
    );
}

/// After login only a path of this site is followed: an off-site target, one a browser would
/// turn into another host (a tab or backslash after the slash), or one with a line break lands
/// on the home page — never on another host, never a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_follows_only_paths_of_this_site() {
    let app = TestApp::world(Engine::Sqlite).await;
    for (next, lands) in [
        ("/residents?q=%E5%B1%B1", "/residents?q=%E5%B1%B1"),
        ("/\t/evil.example/", "/home"),
        ("/\u{9}/evil.example/", "/home"),
        ("//evil.example/", "/home"),
        ("/\\evil.example/", "/home"),
        ("https://evil.example/", "/home"),
        ("/home\r\nSet-Cookie: x=1", "/home"),
        ("/ok\nx", "/home"),
        ("javascript:alert(1)", "/home"),
        ("", "/home"),
    ] {
        let client = app.client();
        let page = app
            .page(&client, &format!("/login?next={}", urlencode(next)))
            .await;
        let csrf = csrf_from(&page);
        let res = app
            .post_form(
                &client,
                "/login",
                &[
                    ("login", "admin"),
                    ("password", PASSWORD),
                    ("csrf", csrf.as_str()),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(res.location(), lands, "{next:?}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The anonymous form token of the login page is the server's: a value planted in the
/// visitor's cookies (login CSRF) is replaced, and a form carrying it is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planted_anonymous_csrf_cookie_is_refused() {
    let app = TestApp::world(Engine::Sqlite).await;
    let planted = "a".repeat(43);
    let client = app.client();
    client.set_cookie("jimoto_csrf", &planted);
    let res = client.get("/login").send().await;
    let set = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.starts_with("jimoto_csrf=") && !set.contains(&planted),
        "{set}"
    );
    assert!(!res.text().contains(&planted), "the form does not carry it");
    let attacker = app.client();
    attacker.set_cookie("jimoto_csrf", &planted);
    let res = app
        .post_form(
            &attacker,
            "/login",
            &[
                ("login", "admin"),
                ("password", PASSWORD),
                ("csrf", planted.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A token the server made for another visitor is not accepted as this visitor's either
    // unless it is also this visitor's cookie (double submit).
    let other = app.client();
    let theirs = csrf_from(&app.page(&other, "/login").await);
    let res = app
        .post_form(
            &attacker,
            "/login",
            &[
                ("login", "admin"),
                ("password", PASSWORD),
                ("csrf", theirs.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// Files served with a public cache header set no cookie (a shared cache would hand it on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_set_no_cookie() {
    let app = TestApp::new(Engine::Sqlite).await;
    for path in ["/static/app.css", "/healthz"] {
        let res = app.client().get(path).send().await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(res.headers().get("set-cookie").is_none(), "{path}");
    }
    let css = app.client().get("/static/app.css").send().await;
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("public")
    );
}

/// A form body that is not UTF-8 (Shift_JIS, a stray byte) is refused with the translated
/// page, and nothing is stored with replacement characters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_bodies_that_are_not_utf8_are_refused() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let (client, csrf) = app.login("coord-hagi").await;
    // 山田 in Shift_JIS is 8E 52 93 63.
    let body = format!(
        "csrf={csrf}&region_id={}&name=%8ER%93c&name_kana=%E3%83%A4%E3%83%9E%E3%83%80&office_visits=never",
        w.hagi
    );
    let res = client
        .post("/residents")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text();
    assert!(html.contains("フォームの内容を読み取れません"), "{html}");
    let list = app.page(&client, "/residents").await;
    assert!(!list.contains('\u{FFFD}') && !list.contains("ヤマダ<"));
}
