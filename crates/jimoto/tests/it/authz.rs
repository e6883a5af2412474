//! The role × action matrix, through the JSON API with each login of the two-region world, on
//! SQLite and PostgreSQL. Every row names the policy's action kind it exercises, and the test
//! fails if an action kind has no row. Each row says which logins may act; everyone else is
//! refused — with 403, or as if the record did not exist where it is outside their region or
//! company (so an id reveals nothing). Refused writes carry a marker that must never reach the
//! database.

use std::collections::BTreeSet;

use jimoto_domain::Action;
use jimoto_testkit::{Engine, TestApp, TestClient, WORLD_LOGINS, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_action_matrix_sqlite() {
    matrix(TestApp::world(Engine::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_action_matrix_postgres() {
    matrix(TestApp::world(Engine::Postgres).await).await;
}

/// How a refused login is answered when it is not simply "forbidden".
#[derive(Clone, Copy)]
enum Refusal {
    /// 403.
    Forbidden,
    /// 200, but without the protected part (circumstances).
    Redacted,
}

struct Row {
    /// The policy's action kind this row exercises.
    kind: &'static str,
    what: &'static str,
    method: Method,
    path: String,
    /// The body for a login (None: no body). `MARK` in it becomes the refusal marker for
    /// refused logins and a neutral text for allowed ones.
    body: Option<fn(&World, &str) -> Value>,
    /// A `text/plain` body instead (the same for every login).
    text: Option<&'static str>,
    /// Logins allowed, with the success status.
    allowed: &'static [&'static str],
    ok: StatusCode,
    /// Logins for whom the record does not exist, and the status that says so.
    hidden_from: &'static [&'static str],
    hidden: StatusCode,
    /// How the others are refused.
    refusal: Refusal,
}

impl Row {
    fn new(kind: &'static str, what: &'static str, method: Method, path: String) -> Self {
        Self {
            kind,
            what,
            method,
            path,
            body: None,
            text: None,
            allowed: &[],
            ok: StatusCode::OK,
            hidden_from: &[],
            hidden: StatusCode::NOT_FOUND,
            refusal: Refusal::Forbidden,
        }
    }
}

async fn call(
    client: &TestClient,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = client.request(method, path).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await;
    (res.status(), res.json())
}

/// The marker refused writes carry.
fn marker(login: &str) -> String {
    format!("改ざん {login}")
}

/// Where a body carries the marker (or, for allowed logins, a neutral text).
const MARK: &str = "MARK";

fn marked(body: Value, login: &str, allowed: bool) -> Value {
    let text = body.to_string().replace(
        MARK,
        &if allowed {
            format!("ok {login}")
        } else {
            marker(login)
        },
    );
    serde_json::from_str(&text).expect("still JSON")
}

const EVERYONE: &[&str] = &WORLD_LOGINS;
const STAFF: &[&str] = &[
    "admin",
    "coord-hagi",
    "coord-shimonoseki",
    "city-hagi",
    "city-shimonoseki",
];

fn rows(w: &World) -> Vec<Row> {
    let (hagi, shimo) = (w.hagi, w.shimonoseki);
    let mut rows = Vec::new();

    let mut r = Row::new(
        "region.view",
        "view a region",
        Method::GET,
        format!("/api/v1/regions/{hagi}"),
    );
    r.allowed = EVERYONE;
    rows.push(r);

    let mut r = Row::new(
        "region.create",
        "register a region",
        Method::POST,
        "/api/v1/regions".into(),
    );
    r.body = Some(|_, _| json!({"lg_code": "152021", "vision": MARK}));
    r.allowed = &["admin"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    // A municipality's code names the municipality itself: only administrators correct it. The
    // administrator moves Hagi's code to 山口市's; every other login tries to move it back.
    let mut r = Row::new(
        "region.change_lg_code",
        "change Hagi's local government code",
        Method::PUT,
        format!("/api/v1/regions/{hagi}"),
    );
    r.body = Some(|_, login| {
        let code = if login == "admin" { "352039" } else { "352047" };
        json!({"lg_code": code, "vision": MARK})
    });
    r.allowed = &["admin"];
    rows.push(r);

    let mut r = Row::new(
        "region.edit",
        "edit Hagi's region (and restore its code)",
        Method::PUT,
        format!("/api/v1/regions/{hagi}"),
    );
    r.body = Some(|_, _| json!({"lg_code": "352047", "vision": MARK}));
    r.allowed = &["admin", "city-hagi"];
    rows.push(r);

    let mut r = Row::new(
        "organisation.list",
        "list organisations",
        Method::GET,
        "/api/v1/organisations".into(),
    );
    r.allowed = &[
        "admin",
        "coord-hagi",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "cognity",
        "eukarya",
    ];
    rows.push(r);

    let cognity = w.cognity;
    let mut r = Row::new(
        "organisation.view",
        "view Cognity (Hagi)",
        Method::GET,
        format!("/api/v1/organisations/{cognity}"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "cognity"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "organisation.create",
        "register an organisation in Hagi",
        Method::POST,
        "/api/v1/organisations".into(),
    );
    r.body = Some(
        |w, _| json!({"region_id": w.hagi, "name": format!("{MARK} 新社"), "kind": "local_company", "hq_prefecture": "35"}),
    );
    r.allowed = &["admin", "coord-hagi"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    // What kind of body an organisation is decides what it may do: its members cannot change
    // it. The administrator makes Cognity a coordinator body, Hagi's coordinator makes it an
    // urban company again; everyone else tries to make it a coordinator body.
    let mut r = Row::new(
        "organisation.change_kind",
        "change Cognity's kind",
        Method::PUT,
        format!("/api/v1/organisations/{cognity}"),
    );
    r.body = Some(|w, login| {
        let kind = if login == "coord-hagi" {
            "urban_company"
        } else {
            "coordinator_body"
        };
        json!({"region_id": w.hagi, "name": MARK, "kind": kind, "hq_prefecture": "13"})
    });
    r.allowed = &["admin", "coord-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "organisation.edit",
        "edit Cognity",
        Method::PUT,
        format!("/api/v1/organisations/{cognity}"),
    );
    r.body = Some(
        |w, _| json!({"region_id": w.hagi, "name": MARK, "kind": "urban_company", "hq_prefecture": "13"}),
    );
    r.allowed = &["admin", "coord-hagi", "cognity"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "resident.list",
        "list residents",
        Method::GET,
        "/api/v1/residents".into(),
    );
    r.allowed = STAFF;
    rows.push(r);

    let mut r = Row::new(
        "resident.list",
        "list Shimonoseki's residents",
        Method::GET,
        format!("/api/v1/residents?region={shimo}"),
    );
    r.allowed = &["admin", "coord-shimonoseki", "city-shimonoseki"];
    rows.push(r);

    let hanako = w.hanako;
    let mut r = Row::new(
        "resident.view",
        "view a Hagi resident",
        Method::GET,
        format!("/api/v1/residents/{hanako}"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "resident-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "resident.view_circumstances",
        "see a Hagi resident's circumstances",
        Method::GET,
        format!("/api/v1/residents/{hanako}"),
    );
    r.allowed = &["coord-hagi", "resident-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    r.refusal = Refusal::Redacted;
    rows.push(r);

    let mut r = Row::new(
        "resident.contacts",
        "read the contacts with a Hagi resident",
        Method::GET,
        format!("/api/v1/residents/{hanako}/contacts"),
    );
    r.allowed = &["coord-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "resident.contacts",
        "record a contact with a Hagi resident",
        Method::POST,
        format!("/api/v1/residents/{hanako}/contacts"),
    );
    r.body = Some(|_, _| json!({"contacted_on": "2024-01-10", "kind": "call", "note": MARK}));
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "resident.create",
        "register a Hagi resident",
        Method::POST,
        "/api/v1/residents".into(),
    );
    r.body = Some(|w, _| {
        json!({"region_id": w.hagi, "name": MARK, "name_kana": "シンキ", "office_visits": "never",
            "spare_hours_per_week": 8})
    });
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    let mut r = Row::new(
        "resident.edit",
        "edit a Hagi resident",
        Method::PUT,
        format!("/api/v1/residents/{hanako}"),
    );
    r.body = Some(|w, _| {
        json!({"region_id": w.hagi, "name": MARK, "name_kana": "ヤマダ ハナコ", "office_visits": "never",
            "spare_hours_per_week": 20})
    });
    r.allowed = &["coord-hagi", "resident-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "account.manage",
        "list accounts",
        Method::GET,
        "/api/v1/accounts".into(),
    );
    r.allowed = &["admin"];
    rows.push(r);

    let mut r = Row::new(
        "account.manage",
        "create a coordinator account",
        Method::POST,
        "/api/v1/accounts".into(),
    );
    r.body = Some(
        |w, login| json!({"login": format!("new-coord-{login}"), "display_name": MARK, "role": "coordinator", "regions": [w.hagi]}),
    );
    r.allowed = &["admin"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    let mut r = Row::new(
        "account.create_resident_login",
        "give a Hagi resident a login",
        Method::POST,
        "/api/v1/accounts".into(),
    );
    r.body = Some(|w, login| {
        // The two allowed logins each give a different resident their login.
        let resident = if login == "admin" {
            w.misaki
        } else {
            w.takeshi
        };
        json!({"login": format!("resident-of-{login}"), "display_name": MARK, "password": "long-enough-password",
            "role": "resident", "resident_id": resident})
    });
    r.allowed = &["admin", "coord-hagi"];
    r.ok = StatusCode::CREATED;
    // A resident the caller may not see is "unknown or already linked", like one that does not exist.
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    r.hidden = StatusCode::UNPROCESSABLE_ENTITY;
    rows.push(r);

    let mut r = Row::new(
        "account.create_member_login",
        "add a member to Cognity",
        Method::POST,
        "/api/v1/accounts".into(),
    );
    r.body = Some(|w, login| {
        json!({"login": format!("member-of-{login}"), "display_name": MARK, "password": "long-enough-password",
            "role": "company_member", "organisation_id": w.cognity})
    });
    r.allowed = &["admin", "coord-hagi"];
    r.ok = StatusCode::CREATED;
    // An organisation the caller may not see is "unknown", like one that does not exist.
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    r.hidden = StatusCode::UNPROCESSABLE_ENTITY;
    rows.push(r);

    let resident_hagi = w
        .actors
        .iter()
        .find(|(l, _)| *l == "resident-hagi")
        .map(|(_, a)| a.user_id)
        .expect("resident-hagi");
    let mut r = Row::new(
        "account.reset_password",
        "reset a Hagi resident's password",
        Method::POST,
        format!("/api/v1/accounts/{resident_hagi}/password-reset"),
    );
    r.allowed = &["admin", "coord-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "account.use_tokens",
        "make an API token",
        Method::POST,
        "/api/v1/me/tokens".into(),
    );
    r.body = Some(|_, _| json!({"name": MARK}));
    r.allowed = &[
        "admin",
        "coord-hagi",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "cognity",
        "eukarya",
    ];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    let mut r = Row::new(
        "program.list",
        "list programs",
        Method::GET,
        "/api/v1/programs".into(),
    );
    r.allowed = &[
        "admin",
        "coord-hagi",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "cognity",
        "eukarya",
    ];
    rows.push(r);

    let course = w.hagi_course;
    let not_hagi: &[&str] = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    let mut r = Row::new(
        "program.view",
        "view a Hagi course (Cognity provides it)",
        Method::GET,
        format!("/api/v1/programs/{course}"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "cognity"];
    r.hidden_from = not_hagi;
    rows.push(r);

    let mut r = Row::new(
        "program.create",
        "create a program in Hagi",
        Method::POST,
        "/api/v1/programs".into(),
    );
    r.body = Some(|w, _| {
        json!({"region_id": w.hagi, "kind": "intro_seminar", "audience": "residents", "title": MARK,
            "organiser_id": w.cognity, "completion": "manual"})
    });
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    let mut r = Row::new(
        "program.edit",
        "edit a Hagi course",
        Method::PUT,
        format!("/api/v1/programs/{course}"),
    );
    r.body = Some(|w, _| {
        json!({"region_id": w.hagi, "kind": "it_basics_beginner", "audience": "residents",
            "title": MARK, "organiser_id": w.cognity, "completion": "attendance",
            "min_attendance_percent": 80})
    });
    r.allowed = &["coord-hagi"];
    r.hidden_from = not_hagi;
    rows.push(r);

    let mut r = Row::new(
        "program.edit",
        "add a session to a Hagi course",
        Method::POST,
        format!("/api/v1/programs/{course}/sessions"),
    );
    r.body = Some(|_, _| {
        json!({"date": "2023-12-02", "starts_at": "13:30", "ends_at": "15:30", "mode": "venue",
            "venue_name": MARK})
    });
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = not_hagi;
    rows.push(r);

    // The growth path: people and attendance of the Hagi course (花子 is enrolled).
    let session = w.hagi_session;
    let not_hagi_people: &[&str] = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    let mut r = Row::new(
        "program.view",
        "read a Hagi course's counts",
        Method::GET,
        format!("/api/v1/programs/{course}/counts"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "cognity"];
    r.hidden_from = not_hagi;
    rows.push(r);

    let mut r = Row::new(
        "program.people",
        "list who signed up for a Hagi course",
        Method::GET,
        format!("/api/v1/programs/{course}/enrolments"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.people",
        "read a Hagi session's check-in list",
        Method::GET,
        format!("/api/v1/programs/{course}/sessions/{session}/attendance"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.attendance",
        "tick attendance at a Hagi session",
        Method::PUT,
        format!("/api/v1/programs/{course}/sessions/{session}/attendance"),
    );
    r.body = Some(|w, _| json!({"present": [w.hanako]}));
    r.allowed = &["coord-hagi"];
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.attendance",
        "add a walk-in at a Hagi session",
        Method::POST,
        format!("/api/v1/programs/{course}/sessions/{session}/walk-ins"),
    );
    r.body = Some(|_, _| {
        json!({"name": MARK, "name_kana": "トウジツ", "phone": "090-1234-0000", "channel": "other",
            "consent": true})
    });
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.attendance",
        "enrol a Hagi resident in a Hagi course",
        Method::POST,
        format!("/api/v1/programs/{course}/enrolments"),
    );
    r.body = Some(|w, _| json!({"resident_id": w.misaki, "channel": "nhk"}));
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.funnel",
        "read Hagi's funnel",
        Method::GET,
        format!("/api/v1/funnel?region={hagi}"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    rows.push(r);

    let mut r = Row::new(
        "resident.list",
        "list the stalled people of one's regions",
        Method::GET,
        "/api/v1/stalled".into(),
    );
    r.allowed = STAFF;
    rows.push(r);

    let mut r = Row::new(
        "resident.view",
        "read a Hagi resident's growth path",
        Method::GET,
        format!("/api/v1/residents/{hanako}/growth"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "resident-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let not_misaki: &[&str] = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    let misaki = w.misaki;
    let mut r = Row::new(
        "resident.set_stage",
        "set a Hagi resident's stage by hand",
        Method::PUT,
        format!("/api/v1/residents/{misaki}/stage"),
    );
    r.body = Some(|_, _| json!({"stage": "ojt", "reason": MARK}));
    r.allowed = &["coord-hagi"];
    r.hidden_from = not_misaki;
    rows.push(r);

    // Imports, voices and company events of the Hagi course.
    let mut r = Row::new(
        "program.attendance",
        "check a participant list for a Hagi course",
        Method::POST,
        format!("/api/v1/programs/{course}/imports"),
    );
    r.body = Some(|_, _| json!({"name": MARK}));
    r.allowed = &["coord-hagi"];
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.view",
        "read a Hagi course's quotable voices",
        Method::GET,
        format!("/api/v1/programs/{course}/voices"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "cognity"];
    r.hidden_from = not_hagi;
    rows.push(r);

    let mut r = Row::new(
        "program.attendance",
        "record a voice at a Hagi session",
        Method::POST,
        format!("/api/v1/programs/{course}/voices"),
    );
    r.body = Some(|w, _| json!({"session_id": w.hagi_session, "body": MARK, "may_quote": true}));
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.people",
        "read a Hagi event's organisations, people and follow-ups",
        Method::GET,
        format!("/api/v1/programs/{course}/event"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "program.attendance",
        "record a person at a Hagi event",
        Method::POST,
        format!("/api/v1/programs/{course}/event/participants"),
    );
    r.body = Some(|_, _| json!({"name": MARK, "role": "代表"}));
    r.allowed = &["coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = not_hagi_people;
    rows.push(r);

    let mut r = Row::new(
        "resident.list",
        "list the follow-ups of one's regions",
        Method::GET,
        "/api/v1/follow-ups".into(),
    );
    r.allowed = STAFF;
    rows.push(r);

    let mut r = Row::new(
        "audit.view",
        "read the audit log",
        Method::GET,
        "/api/v1/audit".into(),
    );
    r.allowed = &["admin"];
    rows.push(r);

    // Work. First the administrator brings コグニティ (registered under Hagi) into
    // Shimonoseki, after which Shimonoseki's coordinator sees it and may do the same (already
    // done: 200); everyone who sees it otherwise is refused.
    let cognity = w.cognity;
    let mut r = Row::new(
        "work.regions",
        "bring コグニティ into Shimonoseki's work",
        Method::POST,
        format!("/api/v1/organisations/{cognity}/regions"),
    );
    r.body = Some(|w, _| json!({"region_id": w.shimonoseki}));
    r.allowed = &["admin", "coord-shimonoseki"];
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let mut r = Row::new(
        "work.tasks",
        "read コグニティ's task inventory",
        Method::GET,
        format!("/api/v1/organisations/{cognity}/tasks"),
    );
    r.allowed = &["cognity", "coord-hagi", "coord-shimonoseki"];
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let draft = w.cognity_draft;
    let mut r = Row::new(
        "work.posting_view",
        "read コグニティ's draft posting in Hagi",
        Method::GET,
        format!("/api/v1/postings/{draft}"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi", "cognity"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "work.posting_edit",
        "change コグニティ's draft posting in Hagi",
        Method::PUT,
        format!("/api/v1/postings/{draft}"),
    );
    r.body = Some(|w, _| {
        json!({"region_id": w.hagi, "title": MARK, "category": "data_entry", "level": "small_job",
               "contract": "outsourcing", "pay_kind": "hourly", "pay_yen": 0, "hours_per_week": 5,
               "days_per_month": 7, "places": 1, "work_place": "remote"})
    });
    r.allowed = &["cognity", "coord-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    // Selection, contracts and pay: a company never sees another's applicants, notes or pay;
    // a resident only their own; municipal staff only their region's totals.
    let mut r = Row::new(
        "work.apply",
        "list one's own applications",
        Method::GET,
        "/api/v1/me/applications".into(),
    );
    r.allowed = &["resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let app = w.hanako_application;
    let mut r = Row::new(
        "work.selection",
        "note and rate 山田 花子's application to コグニティ",
        Method::POST,
        format!("/api/v1/applications/{app}/notes"),
    );
    r.body = Some(|w, _| json!({"stage_id": w.hanako_stage, "rating": 3, "body": MARK}));
    r.allowed = &["cognity", "coord-hagi"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let running = w.hanako_engagement;
    let mut r = Row::new(
        "work.engagement_view",
        "read 山田 花子's contract with コグニティ",
        Method::GET,
        format!("/api/v1/engagements/{running}"),
    );
    r.allowed = &["cognity", "coord-hagi", "resident-hagi"];
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let draft_contract = w.hanako_draft_engagement;
    let mut r = Row::new(
        "work.engagement_edit",
        "write the terms of a draft contract",
        Method::PUT,
        format!("/api/v1/engagements/{draft_contract}"),
    );
    r.body = Some(|_, _| {
        json!({"contract": "outsourcing", "pay_kind": "hourly", "rate_yen": 1200,
               "hours_per_week": 10, "start_date": "2024-01-01",
               "terms": {"work_description": MARK, "payment_due_days": 30}})
    });
    r.allowed = &["cognity", "coord-hagi"];
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "work.hours_log",
        "log a day's hours on 山田 花子's contract",
        Method::PUT,
        format!("/api/v1/engagements/{running}/hours"),
    );
    r.body = Some(|_, _| json!({"day": "2024-02-01", "minutes": 90, "note": MARK}));
    r.allowed = &["resident-hagi", "coord-hagi"];
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "work.hours_decide",
        "read コグニティ's payment list",
        Method::GET,
        format!("/api/v1/organisations/{cognity}/payments?from=2024-01-01"),
    );
    r.allowed = &["cognity"];
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let mut r = Row::new(
        "work.pay_totals",
        "read Hagi's pay totals",
        Method::GET,
        format!("/api/v1/regions/{hagi}/pay-totals"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    rows.push(r);

    let mut r = Row::new(
        "work.evaluate",
        "add a selection stage of コグニティ's own",
        Method::POST,
        format!("/api/v1/organisations/{cognity}/stages"),
    );
    r.body = Some(|_, _| json!({"name": MARK}));
    r.allowed = &["cognity"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let mut r = Row::new(
        "work.evaluate",
        "add a criterion to コグニティ's evaluation rubric",
        Method::POST,
        format!("/api/v1/organisations/{cognity}/rubric"),
    );
    r.body = Some(|_, _| json!({"name": MARK, "levels": ["まだ", "できている"]}));
    r.allowed = &["cognity"];
    r.ok = StatusCode::CREATED;
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let mut r = Row::new(
        "work.evaluate",
        "read コグニティ's evaluation rubric",
        Method::GET,
        format!("/api/v1/organisations/{cognity}/rubric"),
    );
    r.allowed = &["cognity"];
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let mut r = Row::new(
        "work.engagement_view",
        "read the evaluations of 山田 花子's contract",
        Method::GET,
        format!("/api/v1/engagements/{running}/evaluations"),
    );
    r.allowed = &["cognity", "coord-hagi", "resident-hagi"];
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "work.retention",
        "read コグニティ's retention per region",
        Method::GET,
        format!("/api/v1/organisations/{cognity}/retention"),
    );
    r.allowed = &["admin", "cognity"];
    r.hidden_from = &["eukarya", "resident-hagi", "resident-shimonoseki"];
    rows.push(r);

    let mut r = Row::new(
        "work.pay_totals",
        "read the retention of Hagi's residents",
        Method::GET,
        format!("/api/v1/regions/{hagi}/retention"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    rows.push(r);

    let mut r = Row::new(
        "work.thresholds",
        "set an income threshold from a day",
        Method::POST,
        "/api/v1/thresholds".into(),
    );
    r.body = Some(
        |_, _| json!({"kind": "income_tax", "amount_yen": 1_600_000, "valid_from": "2026-01-01"}),
    );
    r.allowed = &["admin"];
    rows.push(r);

    // Last: merging deletes 山田 花子's second record.
    let mut r = Row::new(
        "resident.merge",
        "merge two Hagi records",
        Method::POST,
        format!("/api/v1/residents/{hanako}/merge"),
    );
    r.body = Some(|w, _| json!({"other": w.hanako_again}));
    r.allowed = &["coord-hagi"];
    r.hidden_from = &[
        "coord-shimonoseki",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "work.match",
        "allocate Hagi's residents to its open places",
        Method::POST,
        format!("/api/v1/regions/{hagi}/allocations"),
    );
    r.body = Some(|_, _| json!({}));
    r.allowed = &["coord-hagi"];
    rows.push(r);

    let job = w.cognity_job;
    let mut r = Row::new(
        "work.match",
        "see the people コグニティ's job suits",
        Method::GET,
        format!("/api/v1/postings/{job}/recommendations"),
    );
    r.allowed = &["coord-hagi"];
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-hagi",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "work.solve",
        "solve a MATCH1 problem",
        Method::POST,
        "/api/v1/allocate".into(),
    );
    r.text = Some("MATCH1 1 1 1\n1\n1\n0 0 -5\n");
    r.allowed = &["admin", "coord-hagi", "coord-shimonoseki"];
    rows.push(r);

    let hanako = w.hanako;
    let mut r = Row::new(
        "work.apply",
        "see the jobs recommended to 山田 花子",
        Method::GET,
        format!("/api/v1/residents/{hanako}/recommendations"),
    );
    r.allowed = &["coord-hagi", "resident-hagi"];
    r.hidden_from = &[
        "admin",
        "coord-shimonoseki",
        "city-hagi",
        "city-shimonoseki",
        "cognity",
        "eukarya",
        "resident-shimonoseki",
    ];
    rows.push(r);

    let mut r = Row::new(
        "kpi.view",
        "read 萩市's KPIs for FY2023",
        Method::GET,
        format!("/api/v1/regions/{hagi}/kpis?fy=2023"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    rows.push(r);

    let mut r = Row::new(
        "kpi.people",
        "read the pay rows behind 萩市's income (named only for its coordinator)",
        Method::GET,
        format!("/api/v1/regions/{hagi}/kpis/income/rows?fy=2023"),
    );
    r.allowed = &["admin", "coord-hagi", "city-hagi"];
    rows.push(r);

    let mut r = Row::new(
        "kpi.plan",
        "set 萩市's targets for FY2024",
        Method::POST,
        "/api/v1/kpi-plans".into(),
    );
    r.body = Some(|w, _| {
        json!({"title": MARK, "regions": [w.hagi], "from": "2024-04-01", "to": "2025-03-31",
            "rows": [{"kpi": "participants", "target": 50, "owner": "萩市", "reported": null,
                "parts": [], "note": ""}]})
    });
    r.allowed = &["coord-hagi", "city-hagi"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    let mut r = Row::new(
        "project.edit",
        "record a co-creation project in 萩市",
        Method::POST,
        "/api/v1/projects".into(),
    );
    r.body = Some(|w, _| {
        json!({"region_id": w.hagi, "title": MARK, "idea_on": "2024-01-10",
            "members": [w.cognity]})
    });
    r.allowed = &["coord-hagi", "city-hagi"];
    r.ok = StatusCode::CREATED;
    rows.push(r);

    rows
}

async fn matrix(app: TestApp) {
    let w = app.w().clone();
    let client = app.anonymous();
    let mut tokens = Vec::new();
    for l in WORLD_LOGINS {
        tokens.push((l, app.token(l).await));
    }
    let rows = rows(&w);

    // Every kind of action has a row.
    let covered: BTreeSet<&str> = rows.iter().map(|r| r.kind).collect();
    let missing: Vec<&str> = Action::all_kinds()
        .into_iter()
        .filter(|k| !covered.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "actions without a row in the matrix: {missing:?}"
    );
    let unknown: Vec<&&str> = covered
        .iter()
        .filter(|k| !Action::all_kinds().contains(k))
        .collect();
    assert!(unknown.is_empty(), "rows for no action: {unknown:?}");

    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in &rows {
        for (login, token) in &tokens {
            let allowed = row.allowed.contains(login);
            let hidden = row.hidden_from.contains(login);
            let body = row.body.map(|b| marked(b(&w, login), login, allowed));
            let (status, json) = match row.text {
                Some(text) => {
                    let res = client
                        .request(row.method.clone(), &row.path)
                        .bearer_auth(token)
                        .header("content-type", "text/plain")
                        .body(text)
                        .send()
                        .await;
                    (res.status(), res.json())
                }
                None => call(&client, token, row.method.clone(), &row.path, body.as_ref()).await,
            };
            checked += 1;
            let outcome = match (row.refusal, status) {
                (Refusal::Redacted, StatusCode::OK) if json["circumstances"].is_null() => {
                    "redacted"
                }
                (_, s) if s == row.ok => "allowed",
                (_, s) if s == row.hidden => "hidden",
                (_, StatusCode::FORBIDDEN) => "forbidden",
                _ => "unexpected",
            };
            let expected = if allowed {
                "allowed"
            } else if hidden {
                "hidden"
            } else {
                match row.refusal {
                    Refusal::Forbidden => "forbidden",
                    Refusal::Redacted => "redacted",
                }
            };
            if outcome != expected {
                wrong.push(format!(
                    "[{}] {} as {login}: expected {expected}, got {status} {json}",
                    row.kind, row.what
                ));
            } else if !allowed
                && matches!(row.refusal, Refusal::Forbidden)
                && json["error"]["code"].as_str().is_none()
            {
                wrong.push(format!(
                    "[{}] {} as {login}: refusal without an error code: {json}",
                    row.kind, row.what
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
    assert_eq!(checked, rows.len() * WORLD_LOGINS.len());

    // Lists are scoped: Hagi's coordinator sees only Hagi's residents; Cognity sees only itself.
    let coord = &tokens[1].1;
    let (_, list) = call(
        &client,
        coord,
        Method::GET,
        "/api/v1/residents?limit=200",
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
        !regions.is_empty() && regions.iter().all(|r| *r == w.hagi.0),
        "{regions:?}"
    );
    let (_, orgs) = call(
        &client,
        &tokens[5].1,
        Method::GET,
        "/api/v1/organisations",
        None,
    )
    .await;
    assert_eq!(orgs["total"], 1);
    assert_eq!(orgs["items"][0]["id"], w.cognity.0);

    // Nothing a refused request sent reached the database.
    let admin = &tokens[0].1;
    for (login, _) in &tokens {
        if *login == "admin" {
            continue;
        }
        let m = marker(login);
        for path in [
            format!("/api/v1/regions/{}", w.hagi),
            format!("/api/v1/organisations/{}", w.cognity),
            format!("/api/v1/residents/{}", w.hanako),
            "/api/v1/residents?limit=200".into(),
            "/api/v1/organisations?limit=200".into(),
            "/api/v1/accounts?limit=200".into(),
            format!("/api/v1/programs/{}", w.hagi_course),
            "/api/v1/programs?limit=200".into(),
            format!("/api/v1/residents/{}/contacts", w.hanako),
            format!("/api/v1/postings/{}", w.cognity_draft),
        ] {
            let (_, now) = call(&client, admin, Method::GET, &path, None).await;
            assert!(
                !now.to_string().contains(&m),
                "{path} holds what a refused request of {login} sent: {now}"
            );
        }
    }
    let (_, all) = call(
        &client,
        admin,
        Method::GET,
        "/api/v1/residents?limit=200",
        None,
    )
    .await;
    assert_eq!(
        all["total"], 7,
        "6 residents of the world + the one Hagi's coordinator registered + the walk-in - the merged record"
    );
}
