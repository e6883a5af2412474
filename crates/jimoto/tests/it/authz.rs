//! The role × action matrix, through the JSON API with each demo login's personal access
//! token, on SQLite and PostgreSQL. Every row says which logins may act; everyone else must be
//! refused with 403, or with 404 where the record is outside their region or company (so an id
//! reveals nothing). Refused writes carry a marker that must never reach the database.

use jimoto_testkit::{Engine, TestApp, spawn_app};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const LOGINS: [&str; 9] = [
    "admin",
    "coord-hagi",
    "coord-shimonoseki",
    "city-hagi",
    "city-shimonoseki",
    "cognity",
    "eukarya",
    "resident-hagi",
    "resident-shimonoseki",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_action_matrix_sqlite() {
    matrix(spawn_app(Engine::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_action_matrix_postgres() {
    matrix(spawn_app(Engine::Postgres).await).await;
}

struct Row {
    what: &'static str,
    method: Method,
    path: String,
    /// Body for logins that are allowed (None: no body).
    body: Option<Value>,
    /// Logins allowed, with the success status.
    allowed: &'static [&'static str],
    ok: StatusCode,
    /// Logins refused with 404 rather than 403.
    hidden_from: &'static [&'static str],
}

async fn call(
    client: &Client,
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let json = res.json::<Value>().await.unwrap_or(Value::Null);
    (status, json)
}

/// A copy of a record's input fields with the name replaced by a marker.
fn tampered(body: &Value, login: &str) -> Value {
    let mut b = body.clone();
    b["name"] = json!(format!("改ざん {login}"));
    b
}

async fn matrix(app: TestApp) {
    let ids = app.demo.clone().expect("demo ids");
    let client = Client::new();
    let mut tokens = Vec::new();
    for l in LOGINS {
        tokens.push((l, app.token(l).await));
    }
    let coord = &tokens[1].1;
    let hagi = ids.hagi.unwrap().0;
    let shimo = ids.shimonoseki.unwrap().0;
    let cognity = ids.org("cognity").unwrap().0;
    let hanako = ids.resident("hanako").unwrap().0;

    // Current records, as input bodies for the PUT rows.
    let (_, region) = call(
        &client,
        &app,
        coord,
        Method::GET,
        &format!("/api/v1/regions/{hagi}"),
        None,
    )
    .await;
    let region_body = json!({"lg_code": region["lg_code"], "name": region["name"], "name_kana": region["name_kana"],
        "policy_issues": region["policy_issues"], "vision": region["vision"]});
    let (_, org) = call(
        &client,
        &app,
        coord,
        Method::GET,
        &format!("/api/v1/organisations/{cognity}"),
        None,
    )
    .await;
    let org_body = json!({"region_id": org["region_id"], "name": org["name"], "name_kana": org["name_kana"], "kind": org["kind"],
        "industry": org["industry"], "hq_prefecture": org["hq_prefecture"], "telework_share_percent": org["telework_share_percent"]});
    let (_, res) = call(
        &client,
        &app,
        coord,
        Method::GET,
        &format!("/api/v1/residents/{hanako}"),
        None,
    )
    .await;
    let mut resident_body = res.clone();
    for k in ["id", "user_id", "created_at", "updated_at"] {
        resident_body.as_object_mut().unwrap().remove(k);
    }
    let new_resident = json!({"region_id": hagi, "name": "新規 住民", "name_kana": "シンキ ジュウミン", "office_visits": "never"});
    let new_region = json!({"lg_code": "152021", "name": "長岡市"});

    let rows = vec![
        Row {
            what: "view a region",
            method: Method::GET,
            path: format!("/api/v1/regions/{hagi}"),
            body: None,
            allowed: &LOGINS,
            ok: StatusCode::OK,
            hidden_from: &[],
        },
        Row {
            what: "edit Hagi's region",
            method: Method::PUT,
            path: format!("/api/v1/regions/{hagi}"),
            body: Some(region_body),
            allowed: &["admin", "city-hagi"],
            ok: StatusCode::OK,
            hidden_from: &[],
        },
        Row {
            what: "register a region",
            method: Method::POST,
            path: "/api/v1/regions".into(),
            body: Some(new_region),
            allowed: &["admin"],
            ok: StatusCode::CREATED,
            hidden_from: &[],
        },
        Row {
            what: "view Cognity (Hagi)",
            method: Method::GET,
            path: format!("/api/v1/organisations/{cognity}"),
            body: None,
            allowed: &["admin", "coord-hagi", "city-hagi", "cognity"],
            ok: StatusCode::OK,
            hidden_from: &[
                "coord-shimonoseki",
                "city-shimonoseki",
                "eukarya",
                "resident-hagi",
                "resident-shimonoseki",
            ],
        },
        Row {
            what: "edit Cognity",
            method: Method::PUT,
            path: format!("/api/v1/organisations/{cognity}"),
            body: Some(org_body),
            allowed: &["admin", "coord-hagi", "cognity"],
            ok: StatusCode::OK,
            hidden_from: &[
                "coord-shimonoseki",
                "city-shimonoseki",
                "eukarya",
                "resident-hagi",
                "resident-shimonoseki",
            ],
        },
        Row {
            what: "list organisations",
            method: Method::GET,
            path: "/api/v1/organisations".into(),
            body: None,
            allowed: &[
                "admin",
                "coord-hagi",
                "coord-shimonoseki",
                "city-hagi",
                "city-shimonoseki",
                "cognity",
                "eukarya",
            ],
            ok: StatusCode::OK,
            hidden_from: &[],
        },
        Row {
            what: "view a Hagi resident",
            method: Method::GET,
            path: format!("/api/v1/residents/{hanako}"),
            body: None,
            allowed: &["admin", "coord-hagi", "city-hagi", "resident-hagi"],
            ok: StatusCode::OK,
            hidden_from: &[
                "coord-shimonoseki",
                "city-shimonoseki",
                "cognity",
                "eukarya",
                "resident-shimonoseki",
            ],
        },
        Row {
            what: "edit a Hagi resident",
            method: Method::PUT,
            path: format!("/api/v1/residents/{hanako}"),
            body: Some(resident_body),
            allowed: &["coord-hagi", "resident-hagi"],
            ok: StatusCode::OK,
            hidden_from: &[
                "coord-shimonoseki",
                "city-shimonoseki",
                "cognity",
                "eukarya",
                "resident-shimonoseki",
            ],
        },
        Row {
            what: "register a Hagi resident",
            method: Method::POST,
            path: "/api/v1/residents".into(),
            body: Some(new_resident),
            allowed: &["coord-hagi"],
            ok: StatusCode::CREATED,
            hidden_from: &[],
        },
        Row {
            what: "list residents",
            method: Method::GET,
            path: "/api/v1/residents".into(),
            body: None,
            allowed: &[
                "admin",
                "coord-hagi",
                "coord-shimonoseki",
                "city-hagi",
                "city-shimonoseki",
            ],
            ok: StatusCode::OK,
            hidden_from: &[],
        },
        Row {
            what: "list Shimonoseki's residents",
            method: Method::GET,
            path: format!("/api/v1/residents?region={shimo}"),
            body: None,
            allowed: &["admin", "coord-shimonoseki", "city-shimonoseki"],
            ok: StatusCode::OK,
            hidden_from: &[],
        },
        Row {
            what: "read the audit log",
            method: Method::GET,
            path: "/api/v1/audit".into(),
            body: None,
            allowed: &["admin"],
            ok: StatusCode::OK,
            hidden_from: &[],
        },
    ];

    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in &rows {
        for (login, token) in &tokens {
            let allowed = row.allowed.contains(login);
            let body = row.body.as_ref().map(|b| {
                if allowed {
                    b.clone()
                } else {
                    tampered(b, login)
                }
            });
            let (status, json) = call(
                &client,
                &app,
                token,
                row.method.clone(),
                &row.path,
                body.as_ref(),
            )
            .await;
            let expected = if allowed {
                row.ok
            } else if row.hidden_from.contains(login) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            checked += 1;
            if status != expected {
                wrong.push(format!(
                    "{} as {login}: expected {expected}, got {status} {json}",
                    row.what
                ));
            } else if !allowed && json["error"]["code"].as_str().is_none() {
                wrong.push(format!(
                    "{} as {login}: refusal without an error code: {json}",
                    row.what
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(checked, rows.len() * LOGINS.len());

    // Residents' circumstances: only the resident and their region's coordinators see them.
    for (login, token) in &tokens {
        let (status, json) = call(
            &client,
            &app,
            token,
            Method::GET,
            &format!("/api/v1/residents/{hanako}"),
            None,
        )
        .await;
        if status == StatusCode::OK {
            let visible = !json["circumstances"].is_null();
            assert_eq!(
                visible,
                ["coord-hagi", "resident-hagi"].contains(login),
                "circumstances as {login}"
            );
        }
    }
    // Lists are scoped: Hagi's coordinator sees only Hagi's residents; Cognity sees only itself.
    let (_, list) = call(
        &client,
        &app,
        coord,
        Method::GET,
        "/api/v1/residents?per_page=200",
        None,
    )
    .await;
    let regions: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["region_id"].as_i64().unwrap())
        .collect();
    assert!(
        !regions.is_empty() && regions.iter().all(|r| *r == hagi),
        "{regions:?}"
    );
    let (_, orgs) = call(
        &client,
        &app,
        &tokens[5].1,
        Method::GET,
        "/api/v1/organisations",
        None,
    )
    .await;
    assert_eq!(orgs["total"], 1);
    assert_eq!(orgs["items"][0]["id"], cognity);

    // Nothing a refused request sent reached the database.
    let admin = &tokens[0].1;
    for path in [
        format!("/api/v1/regions/{hagi}"),
        format!("/api/v1/organisations/{cognity}"),
        format!("/api/v1/residents/{hanako}"),
    ] {
        let (_, now) = call(&client, &app, admin, Method::GET, &path, None).await;
        assert!(
            !now.to_string().contains("改ざん"),
            "{path} was changed by a refused request: {now}"
        );
    }
    let (_, all) = call(
        &client,
        &app,
        admin,
        Method::GET,
        "/api/v1/residents?per_page=200",
        None,
    )
    .await;
    assert!(!all.to_string().contains("改ざん"));
    assert_eq!(
        all["total"], 11,
        "10 demo residents + the one Hagi's coordinator registered"
    );
}
