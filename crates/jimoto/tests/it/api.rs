//! The JSON API through the router: OpenAPI document, authentication, and bad input —
//! wrong types, missing fields, malformed and oversized bodies, invalid codes — each with a
//! clear, translated error and nothing written.

use jimoto_testkit::{Engine, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn app() -> (TestApp, String) {
    let app = spawn_app(Engine::Sqlite).await;
    let token = app.token("admin").await;
    (app, token)
}

async fn send(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
    lang: &str,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("accept-language", lang);
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_owned());
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn region_count(app: &TestApp, token: &str) -> i64 {
    send(
        app,
        token,
        reqwest::Method::GET,
        "/api/v1/regions",
        None,
        "ja",
    )
    .await
    .1["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_describes_the_api() {
    let app = spawn_app(Engine::Sqlite).await;
    let res = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/regions/{id}",
        "/api/v1/organisations/{id}",
        "/api/v1/residents",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(
        doc["components"]["schemas"]["ResidentInput"]["properties"]["circumstances"].is_object()
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_and_forged_tokens_get_401() {
    let app = spawn_app(Engine::Sqlite).await;
    let res = reqwest::get(app.url("/api/v1/residents")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(body["error"]["message"], "ログインしてください。");
    let (status, body) = send(
        &app,
        "jmt_forged",
        reqwest::Method::GET,
        "/api/v1/me",
        None,
        "en",
    )
    .await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Please log in."))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_region_input_is_refused_field_by_field_in_both_languages() {
    let (app, token) = app().await;
    let body = json!({"lg_code": "352048", "name": "", "vision": "v".repeat(4001)}).to_string();
    let (status, ja) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/regions",
        Some(&body),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ja["error"]["code"], "validation");
    let fields: Vec<(&str, &str)> = ja["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("lg_code", "lg_code_check_digit"),
            ("name", "required"),
            ("vision", "too_long")
        ]
    );
    assert_eq!(
        ja["error"]["fields"][1]["message"],
        "名前: 入力してください"
    );
    let (_, en) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/regions",
        Some(&body),
        "en-GB,en;q=0.8",
    )
    .await;
    assert_eq!(
        en["error"]["fields"][0]["message"],
        "Local government code: the check digit (6th digit) does not match; check the code"
    );
    assert_eq!(
        en["error"]["fields"][2]["message"],
        "Vision: must be at most 4000 characters"
    );
    assert_eq!(region_count(&app, &token).await, 2, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_bodies_say_what_is_wrong() {
    let (app, token) = app().await;
    let post = reqwest::Method::POST;
    // Wrong type: a number where text is expected.
    let (status, e) = send(
        &app,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some(r#"{"lg_code": 352047, "name": "萩"}"#),
        "en",
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    assert!(
        e["error"]["message"].as_str().unwrap().contains("lg_code"),
        "{e}"
    );
    // Missing required field.
    let (status, e) = send(
        &app,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some(r#"{"lg_code": "152021"}"#),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing field `name`"),
        "{e}"
    );
    // Malformed JSON.
    let (status, e) = send(
        &app,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some("{\"lg_code\": "),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("リクエストの内容を読み取れません")
    );
    // Unknown enum value.
    let bad_kind =
        json!({"region_id": 1, "name": "x", "kind": "bank", "hq_prefecture": "13"}).to_string();
    let (status, e) = send(
        &app,
        &token,
        post.clone(),
        "/api/v1/organisations",
        Some(&bad_kind),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown variant `bank`"),
        "{e}"
    );
    // Oversized body (limit 256 KiB).
    let huge = json!({"lg_code": "152021", "name": "x".repeat(300 * 1024)}).to_string();
    let (status, e) = send(
        &app,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some(&huge),
        "en",
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
    // Not JSON at all.
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/regions"))
        .bearer_auth(&token)
        .body("lg_code=1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A bad query parameter and a non-numeric id.
    let (status, e) = send(
        &app,
        &token,
        reqwest::Method::GET,
        "/api/v1/regions?page=abc",
        None,
        "en",
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
    let (status, _) = send(
        &app,
        &token,
        reqwest::Method::GET,
        "/api/v1/residents/abc",
        None,
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &app,
        &token,
        reqwest::Method::GET,
        "/api/v1/nothing-here",
        None,
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(region_count(&app, &token).await, 2, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_input_errors_name_nested_fields_and_other_regions() {
    let app = spawn_app(Engine::Sqlite).await;
    let ids = app.demo.clone().unwrap();
    let token = app.token("coord-hagi").await;
    let body = json!({
        "region_id": ids.hagi.unwrap(), "name": "試験", "name_kana": "シケン", "office_visits": "never",
        "email": "not-an-email", "spare_hours_per_week": 81,
        "skills": [{"name": "Excel", "level": 3}, {"name": "GIS", "level": 0}]
    })
    .to_string();
    let (status, e) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/residents",
        Some(&body),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["email", "skills[1].level", "spare_hours_per_week"],
        "{e}"
    );
    // Registering into another region is refused; a region that does not exist is a field error.
    let other = json!({"region_id": ids.shimonoseki.unwrap(), "name": "試験", "name_kana": "シケン", "office_visits": "never"}).to_string();
    let (status, _) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/residents",
        Some(&other),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ghost = json!({"region_id": 999_999, "name": "試験", "name_kana": "シケン", "office_visits": "never"}).to_string();
    let (status, e) = send(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/residents",
        Some(&ghost),
        "ja",
    )
    .await;
    assert_eq!(
        (status, e["error"]["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown"))
    );
    let (_, list) = send(
        &app,
        &token,
        reqwest::Method::GET,
        "/api/v1/residents",
        None,
        "ja",
    )
    .await;
    assert_eq!(list["total"], 5, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sessions_need_the_csrf_header_for_changes() {
    let app = spawn_app(Engine::Sqlite).await;
    let ids = app.demo.clone().unwrap();
    let (client, csrf) = app.login("admin").await;
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["login"].as_str(), me["role"].as_str()),
        (Some("admin"), Some("admin"))
    );
    let hagi = ids.hagi.unwrap();
    let body = json!({"lg_code": "352047", "name": "萩市（改）"});
    let res = client
        .put(app.url(&format!("/api/v1/regions/{hagi}")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no X-CSRF-Token");
    let res = client
        .put(app.url(&format!("/api/v1/regions/{hagi}")))
        .header("x-csrf-token", "forged")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let region: Value = client
        .get(app.url(&format!("/api/v1/regions/{hagi}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(region["name"], "萩市");
    let res = client
        .put(app.url(&format!("/api/v1/regions/{hagi}")))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let region: Value = res.json().await.unwrap();
    assert_eq!(region["name"], "萩市（改）");
}
