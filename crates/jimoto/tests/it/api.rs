//! The JSON API's contract through the router: the OpenAPI document and the error bodies are
//! snapshot-tested (a change to either is deliberate: review and update the snapshot), and bad
//! input — wrong types, missing fields, malformed and oversized bodies, invalid codes, other
//! regions' ids — gets a clear, translated error with nothing written.

use jimoto_testkit::{Engine, TestApp, TestClient, TestResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn send(
    client: &TestClient,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
    lang: &str,
) -> TestResponse {
    let mut req = client
        .request(method, path)
        .bearer_auth(token)
        .header("accept-language", lang);
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b);
    }
    req.send().await
}

async fn region_count(app: &TestApp, token: &str) -> i64 {
    app.anonymous()
        .get("/api/v1/regions")
        .bearer_auth(token)
        .send()
        .await
        .json()["total"]
        .as_i64()
        .unwrap()
}

/// The document is valid OpenAPI 3.1 by an independent validator (`openapi-spec-validator`;
/// `scripts/test` installs it and names it in `JIMOTO_OPENAPI_VALIDATOR`), and every operation
/// documents each status its extractors can give.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_is_valid_and_documents_every_status() {
    let app = TestApp::new(Engine::Sqlite).await;
    let doc = app
        .anonymous()
        .get("/api/v1/openapi.json")
        .send()
        .await
        .json();
    let file = std::env::temp_dir().join(format!("jimoto-openapi-{}.json", std::process::id()));
    std::fs::write(&file, doc.to_string()).expect("write the document");
    let validator = std::env::var("JIMOTO_OPENAPI_VALIDATOR")
        .unwrap_or_else(|_| "openapi-spec-validator".into());
    let out = std::process::Command::new(&validator)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {validator} ({e}): run ./scripts/test, which installs it")
        });
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "the OpenAPI document is not valid:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            let mut must = vec!["401", "403", "500"];
            if op["requestBody"].is_object() {
                must.extend(["400", "413", "422"]);
            }
            if path.contains('{') {
                must.push("404");
            }
            for status in must {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} does not document {status}"
                );
            }
            for (status, r) in responses {
                assert!(
                    !r["description"].as_str().unwrap_or("").is_empty(),
                    "{method} {path} {status} has no description"
                );
            }
        }
    }
    assert!(operations >= 20, "{operations} operations");

    // Input schemas carry the limits their validation enforces, from the same constants.
    use jimoto_domain::limits::{Limit, SCHEMA_LIMITS};
    let schemas = &doc["components"]["schemas"];
    for limits in SCHEMA_LIMITS {
        for (field, limit) in limits.fields {
            let p = &schemas[limits.schema]["properties"][*field];
            let ok = match limit {
                Limit::Length { max, .. } => p["maxLength"] == *max,
                Limit::Range { min, max } => p["minimum"] == *min && p["maximum"] == *max,
                Limit::Items { max, .. } => p["maxItems"] == *max,
                Limit::Pattern(pattern) => p["pattern"] == pattern(),
            };
            assert!(ok, "{}.{field} lacks {limit:?}: {p}", limits.schema);
        }
    }
    let kana = schemas["ResidentInput"]["properties"]["name_kana"]["pattern"]
        .as_str()
        .unwrap();
    let re = regex_lite(kana);
    assert!(re("やまだ はなこ") && re("ﾔﾏﾀﾞ") && re("ヤマダ・ハナコ") && !re("山田"));
}

/// A tiny matcher for the reading's pattern (a single character class, repeated): whether
/// every character of `s` falls in one of its ranges.
fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
    let class = pattern
        .strip_prefix("^[")
        .and_then(|p| p.strip_suffix("]*$"))
        .expect("a character class");
    let mut chars = Vec::new();
    let mut rest = class;
    while !rest.is_empty() {
        if let Some(hex) = rest.strip_prefix("\\u") {
            chars.push(char::from_u32(u32::from_str_radix(&hex[..4], 16).unwrap()).unwrap());
            rest = &hex[4..];
        } else {
            let c = rest.chars().next().unwrap();
            chars.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            ranges.push((chars[i], chars[i + 2]));
            i += 3;
        } else {
            ranges.push((chars[i], chars[i]));
            i += 1;
        }
    }
    move |s: &str| {
        s.chars()
            .all(|c| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_describes_the_api() {
    let app = TestApp::new(Engine::Sqlite).await;
    let res = app.anonymous().get("/api/v1/openapi.json").send().await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = res.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/regions/{id}",
        "/api/v1/municipalities",
        "/api/v1/organisations/{id}",
        "/api/v1/residents",
        "/api/v1/accounts",
        "/api/v1/accounts/{id}/disable",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    // List filters and positions are query parameters, not path parameters.
    let params = doc["paths"]["/api/v1/residents"]["get"]["parameters"]
        .as_array()
        .unwrap();
    for p in params {
        assert_eq!(p["in"], "query", "{p}");
    }
    assert!(
        doc["components"]["schemas"]["ResidentInput"]["properties"]["circumstances"].is_object()
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    insta::assert_json_snapshot!("openapi", doc);
}

/// One of each error body the API gives, in Japanese and English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_bodies_are_stable() {
    let app = TestApp::world(Engine::Sqlite).await;
    let admin = app.token("admin").await;
    let coord = app.token("coord-hagi").await;
    let c = app.anonymous();
    let post = reqwest::Method::POST;
    let get = reqwest::Method::GET;
    let mut bodies = serde_json::Map::new();
    let mut record = |name: &str, res: TestResponse| {
        bodies.insert(
            name.to_owned(),
            json!({"status": res.status().as_u16(), "body": res.json()}),
        );
    };
    record("unauthenticated", c.get("/api/v1/residents").send().await);
    record(
        "not_found_en",
        send(
            &c,
            &coord,
            get.clone(),
            "/api/v1/residents/999999",
            None,
            "en",
        )
        .await,
    );
    record(
        "forbidden",
        send(&c, &coord, get.clone(), "/api/v1/audit", None, "ja").await,
    );
    let bad = json!({"lg_code": "352048", "vision": "v".repeat(4001)}).to_string();
    for lang in ["ja", "en"] {
        record(
            &format!("validation_{lang}"),
            send(
                &c,
                &admin,
                post.clone(),
                "/api/v1/regions",
                Some(&bad),
                lang,
            )
            .await,
        );
    }
    record(
        "taken",
        send(
            &c,
            &admin,
            post.clone(),
            "/api/v1/regions",
            Some(r#"{"lg_code": "352047"}"#),
            "ja",
        )
        .await,
    );
    record(
        "invalid_json",
        send(
            &c,
            &admin,
            post.clone(),
            "/api/v1/regions",
            Some("{\"lg_code\": "),
            "en",
        )
        .await,
    );
    record(
        "invalid_query",
        send(
            &c,
            &admin,
            get.clone(),
            "/api/v1/regions?after=%25%25",
            None,
            "en",
        )
        .await,
    );
    let huge = json!({"lg_code": "152021", "vision": "x".repeat(300 * 1024)}).to_string();
    record(
        "body_too_large",
        send(
            &c,
            &admin,
            post.clone(),
            "/api/v1/regions",
            Some(&huge),
            "ja",
        )
        .await,
    );
    let (browser, _) = app.login("admin").await;
    record(
        "csrf",
        browser
            .post("/api/v1/regions")
            .json(&json!({"lg_code": "152021"}))
            .send()
            .await,
    );
    insta::assert_json_snapshot!("error_bodies", Value::Object(bodies));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_and_forged_tokens_get_401() {
    let app = TestApp::new(Engine::Sqlite).await;
    let c = app.anonymous();
    let res = c.get("/api/v1/residents").send().await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body = res.json();
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(body["error"]["message"], "ログインしてください。");
    let res = send(
        &c,
        "jmt_forged",
        reqwest::Method::GET,
        "/api/v1/me",
        None,
        "en",
    )
    .await;
    assert_eq!(
        (
            res.status(),
            res.json()["error"]["message"].as_str().map(str::to_owned)
        ),
        (StatusCode::UNAUTHORIZED, Some("Please log in.".to_owned()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_region_input_is_refused_field_by_field_in_both_languages() {
    let app = TestApp::world(Engine::Sqlite).await;
    let token = app.token("admin").await;
    let c = app.anonymous();
    let body = json!({"lg_code": "352048", "policy_issues": ["x".repeat(101)], "vision": "v".repeat(4001)}).to_string();
    let res = send(
        &c,
        &token,
        reqwest::Method::POST,
        "/api/v1/regions",
        Some(&body),
        "ja",
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ja = res.json();
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
            ("policy_issues", "item_too_long"),
            ("vision", "too_long")
        ]
    );
    assert_eq!(
        ja["error"]["fields"][2]["message"],
        "ビジョン: 4000文字以内で入力してください"
    );
    let en = send(
        &c,
        &token,
        reqwest::Method::POST,
        "/api/v1/regions",
        Some(&body),
        "en-GB,en;q=0.8",
    )
    .await
    .json();
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
    let app = TestApp::world(Engine::Sqlite).await;
    let token = app.token("admin").await;
    let c = app.anonymous();
    let post = reqwest::Method::POST;
    // Wrong type: a number where text is expected.
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some(r#"{"lg_code": 352047}"#),
        "en",
    )
    .await;
    let e = res.json();
    assert_eq!(
        (res.status(), e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    assert!(
        e["error"]["message"].as_str().unwrap().contains("lg_code"),
        "{e}"
    );
    // Missing required field.
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some("{}"),
        "en",
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing field `lg_code`"),
        "{}",
        res.text()
    );
    // Malformed JSON.
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some("{\"lg_code\": "),
        "ja",
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("リクエストの内容を読み取れません")
    );
    // Unknown enum value.
    let bad_kind =
        json!({"region_id": 1, "name": "x", "kind": "bank", "hq_prefecture": "13"}).to_string();
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/organisations",
        Some(&bad_kind),
        "en",
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown variant `bank`"),
        "{}",
        res.text()
    );
    // Oversized body (limit 256 KiB).
    let huge = json!({"lg_code": "152021", "vision": "x".repeat(300 * 1024)}).to_string();
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/regions",
        Some(&huge),
        "en",
    )
    .await;
    assert_eq!(
        (
            res.status(),
            res.json()["error"]["code"].as_str().map(str::to_owned)
        ),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("body_too_large".to_owned())
        )
    );
    // Not JSON at all.
    let res = c
        .post("/api/v1/regions")
        .bearer_auth(&token)
        .body("lg_code=1")
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Bad query parameters and a non-numeric id.
    for path in [
        "/api/v1/regions?limit=abc",
        "/api/v1/regions?after=not-a-position",
    ] {
        let res = send(&c, &token, reqwest::Method::GET, path, None, "en").await;
        assert_eq!(
            (
                res.status(),
                res.json()["error"]["code"].as_str().map(str::to_owned)
            ),
            (StatusCode::BAD_REQUEST, Some("invalid_query".to_owned())),
            "{path}"
        );
    }
    for path in ["/api/v1/residents/abc", "/api/v1/nothing-here"] {
        let res = send(&c, &token, reqwest::Method::GET, path, None, "en").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(region_count(&app, &token).await, 2, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_input_errors_name_nested_fields_and_other_regions() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let token = app.token("coord-hagi").await;
    let c = app.anonymous();
    let post = reqwest::Method::POST;
    let body = json!({
        "region_id": w.hagi, "name": "試験", "name_kana": "シケン", "office_visits": "never",
        "email": "not-an-email", "spare_hours_per_week": 81,
        "skills": [{"name": "Excel", "level": 3}, {"name": "GIS", "level": 0}]
    })
    .to_string();
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/residents",
        Some(&body),
        "ja",
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = res.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        vec!["email", "skills[1].level", "spare_hours_per_week"]
    );
    // Registering into another region is refused; a region that does not exist is a field error.
    let other = json!({"region_id": w.shimonoseki, "name": "試験", "name_kana": "シケン", "office_visits": "never",
        "spare_hours_per_week": 5})
    .to_string();
    let res = send(
        &c,
        &token,
        post.clone(),
        "/api/v1/residents",
        Some(&other),
        "ja",
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let ghost = json!({"region_id": 999_999, "name": "試験", "name_kana": "シケン", "office_visits": "never",
        "spare_hours_per_week": 5})
    .to_string();
    let res = send(&c, &token, post, "/api/v1/residents", Some(&ghost), "ja").await;
    assert_eq!(
        (
            res.status(),
            res.json()["error"]["fields"][0]["code"]
                .as_str()
                .map(str::to_owned)
        ),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown".to_owned()))
    );
    let list = c
        .get("/api/v1/residents")
        .bearer_auth(&token)
        .send()
        .await
        .json();
    assert_eq!(list["total"], 4, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_by_position() {
    let app = TestApp::world(Engine::Sqlite).await;
    let token = app.token("admin").await;
    let c = app.anonymous();
    let page = |path: String| {
        let (c, token) = (c.clone(), token.clone());
        async move { c.get(&path).bearer_auth(&token).send().await.json() }
    };
    let first = page("/api/v1/residents?limit=2".into()).await;
    assert_eq!(
        (first["total"].as_i64(), first["total_exact"].as_bool()),
        (Some(6), Some(true))
    );
    assert!(first["prev"].is_null());
    let mut names: Vec<String> = Vec::new();
    let mut current = first;
    loop {
        names.extend(
            current["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["name"].as_str().unwrap().to_owned()),
        );
        match current["next"].as_str() {
            Some(next) => {
                current = page(format!("/api/v1/residents?limit=2&after={next}")).await;
            }
            None => break,
        }
    }
    assert_eq!(names.len(), 6, "{names:?}");
    let prev = current["prev"].as_str().unwrap();
    let back = page(format!("/api/v1/residents?limit=2&before={prev}")).await;
    assert_eq!(back["items"].as_array().unwrap().len(), 2);
    // やまだ finds ヤマダ through the API too.
    let found = page("/api/v1/residents?q=%E3%82%84%E3%81%BE%E3%81%A0".into()).await;
    assert_eq!(found["items"][0]["name"], "山田 花子");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sessions_need_the_csrf_header_for_changes() {
    let app = TestApp::world(Engine::Sqlite).await;
    let hagi = app.w().hagi;
    let (client, csrf) = app.login("admin").await;
    let me = client.get("/api/v1/me").send().await.json();
    assert_eq!(
        (me["login"].as_str(), me["role"].as_str()),
        (Some("admin"), Some("admin"))
    );
    let body = json!({"lg_code": "352047", "vision": "新しいビジョン"});
    let path = format!("/api/v1/regions/{hagi}");
    let res = client.put(&path).json(&body).send().await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no X-CSRF-Token");
    assert_eq!(res.json()["error"]["code"], "csrf");
    let res = client
        .put(&path)
        .header("x-csrf-token", "forged")
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let region = client.get(&path).send().await.json();
    assert_eq!(region["vision"], "");
    let res = client
        .put(&path)
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json()["vision"], "新しいビジョン");
}

/// A unique constraint is reported as the field it concerns, with the same message, on both
/// engines (SQLite names the columns in its message, PostgreSQL names the constraint).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_name_their_field_on_both_engines() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let app = TestApp::world(engine).await;
        let admin = app.token("admin").await;
        let c = app.anonymous();
        let res = c
            .post("/api/v1/regions")
            .bearer_auth(&admin)
            .json(&json!({"lg_code": "352047"}))
            .send()
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            engine.name()
        );
        assert_eq!(
            res.json()["error"]["fields"],
            json!([{"field": "lg_code", "code": "taken", "message": "地方公共団体コード: すでに登録されています"}]),
            "{}",
            engine.name()
        );
        let res = c
            .post("/api/v1/accounts")
            .bearer_auth(&admin)
            .header("accept-language", "en")
            .json(&json!({"login": "coord-hagi", "display_name": "x", "password": "long-enough-password", "role": "admin"}))
            .send()
            .await;
        assert_eq!(
            res.json()["error"]["fields"],
            json!([{"field": "login", "code": "taken", "message": "Login: is already registered"}]),
            "{}",
            engine.name()
        );
    }
}
