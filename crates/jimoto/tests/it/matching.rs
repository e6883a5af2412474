//! Matching in the product, on both engines: recommendations with their reasons for the people
//! who may see them and nobody else; a coordinator's allocation that is the optimum (and beats
//! best-first where best-first goes wrong), honours pins and forbidden pairs, takes a course's
//! completers as its cohort, and is accepted whole — applications in the company's selection and
//! the growth path at "applied" — or not at all. Then the pages and the API through the router.

use chrono::{TimeZone, Utc};
use jimoto_domain::growth::{EnrolInput, Stage};
use jimoto_domain::resident::{TimeWindow, WorkStyle};
use jimoto_domain::work::matching::{AllocationRequest, PairRef, Proposal, Reason};
use jimoto_domain::work::{Category, PostingInput};
use jimoto_domain::{PostingId, ResidentId};
use jimoto_services::{ServiceError, Services};
use jimoto_testkit::{ResidentSpec, TestDb, World, both_engines};

use crate::hire::codes;
use crate::work::posting;

both_engines!(
    recommendations_explain_and_stay_with_the_people_who_may_see_them,
    the_allocation_is_optimal_where_best_first_is_not,
    pins_and_forbidden_pairs_are_honoured_and_refused_by_name,
    a_course_cohort_is_allocated_and_accepted_whole,
);

fn skilled(w: &World, title: &str, skill: &str, hours: i64, pay: i64, places: i64) -> PostingInput {
    let mut p = posting(w.hagi, title, Category::Other);
    p.skills = vec![jimoto_domain::resident::Skill {
        name: skill.into(),
        level: 1,
    }];
    p.hours_per_week = hours;
    p.pay_yen = pay;
    p.places = places;
    p.trial_months = None;
    p
}

async fn open(s: &Services, w: &World, input: PostingInput) -> PostingId {
    s.create_posting(&w.actor("cognity"), w.cognity, input, true)
        .await
        .expect("posting")
        .id
}

/// The Hagi coordinator's allocation.
async fn allocate(
    s: &Services,
    w: &World,
    req: AllocationRequest,
) -> Result<Proposal, ServiceError> {
    s.allocate(&w.actor("coord-hagi"), w.hagi, &req).await
}

fn pair(r: ResidentId, p: PostingId) -> PairRef {
    PairRef {
        resident_id: r,
        posting_id: p,
    }
}

fn has(p: &Proposal, r: ResidentId, j: PostingId) -> bool {
    p.pairs
        .iter()
        .any(|x| x.resident_id == r && x.posting_id == j)
}

/// Two people and two jobs where taking the best pair first leaves one person out: A fits X
/// best, but only A can do Y, and only X suits B.
struct Trap {
    a: ResidentId,
    b: ResidentId,
    x: PostingId,
    y: PostingId,
}

async fn trap(t: &TestDb, w: &World) -> Trap {
    let s = t.services();
    let a = t
        .resident(
            ResidentSpec::new(w.hagi, "青木 明", "アオキ アキラ")
                .skills(&[("帳票チェック", 1), ("音声書き起こし", 1)])
                .styles(&[WorkStyle::SpareTime])
                .hours(12),
        )
        .await;
    let b = t
        .resident(
            ResidentSpec::new(w.hagi, "石井 文", "イシイ アヤ")
                .skills(&[("帳票チェック", 1)])
                .styles(&[WorkStyle::SpareTime])
                .hours(40),
        )
        .await;
    let x = open(
        &s,
        w,
        skilled(w, "帳票のチェック", "帳票チェック", 10, 1500, 1),
    )
    .await;
    let y = open(
        &s,
        w,
        skilled(w, "会議の書き起こし", "音声書き起こし", 6, 1200, 1),
    )
    .await;
    Trap { a, b, x, y }
}

async fn application_count(t: &TestDb) -> i64 {
    let mut conn = t.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM applications")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn recommendations_explain_and_stay_with_the_people_who_may_see_them(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let mut annotation = skilled(&w, "画像のタグ付け", "AIアノテーション", 6, 1100, 3);
    annotation.time_windows = vec![TimeWindow::WeekdayMorning];
    let job = open(&s, &w, annotation).await;
    // Too many hours for 山田 花子's 20: never recommended to her.
    let long = open(&s, &w, skilled(&w, "長時間の入力", "Excel", 30, 1300, 1)).await;

    let mine = s
        .recommended_jobs(&w.actor("resident-hagi"), w.hanako, 5)
        .await
        .expect("her own");
    let first = mine.iter().find(|r| r.posting.id == job).expect("the job");
    assert!(first.fit.reasons.contains(&Reason::Skill {
        skill: "AIアノテーション".into(),
        have: 2,
        need: 1,
        points: 400
    }));
    assert!(first.fit.reasons.contains(&Reason::Windows {
        windows: vec![TimeWindow::WeekdayMorning]
    }));
    assert!(mine.iter().all(|r| r.posting.id != long), "hours rule");
    assert!(
        mine.iter().all(|r| r.posting.id != w.cognity_job),
        "applied for already"
    );
    // Her coordinator sees the same; nobody else sees anything.
    let theirs = s
        .recommended_jobs(&w.actor("coord-hagi"), w.hanako, 5)
        .await
        .expect("her coordinator");
    assert_eq!(
        theirs.iter().map(|r| r.posting.id).collect::<Vec<_>>(),
        mine.iter().map(|r| r.posting.id).collect::<Vec<_>>()
    );
    for other in [
        "coord-shimonoseki",
        "cognity",
        "city-hagi",
        "resident-shimonoseki",
    ] {
        let err = s
            .recommended_jobs(&w.actor(other), w.hanako, 5)
            .await
            .expect_err(other);
        assert!(matches!(err, ServiceError::NotFound), "{other}: {err:?}");
    }

    // A skill typed in full-width letters is the same skill.
    let wide = t
        .resident(
            ResidentSpec::new(w.hagi, "全角 入力", "ゼンカク ニュウリョク")
                .skills(&[("ＡＩアノテーション", 1)])
                .hours(40),
        )
        .await;
    let people = s
        .recommended_people(&w.actor("coord-hagi"), job, 10)
        .await
        .expect("the coordinator");
    assert_eq!(people[0].person.resident_id, w.hanako);
    assert!(
        people.iter().any(|p| p.person.resident_id == wide),
        "full-width skill"
    );
    assert_eq!(people[0].fit.score, first.fit.score);
    assert!(people.iter().all(|p| p.person.resident_id != w.kenichi));
    for other in [
        "coord-shimonoseki",
        "cognity",
        "city-hagi",
        "admin",
        "resident-hagi",
    ] {
        let err = s
            .recommended_people(&w.actor(other), job, 10)
            .await
            .expect_err(other);
        assert!(matches!(err, ServiceError::NotFound), "{other}: {err:?}");
    }
}

async fn the_allocation_is_optimal_where_best_first_is_not(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let tr = trap(&t, &w).await;
    let p = allocate(&s, &w, AllocationRequest::default())
        .await
        .expect("allocation");
    assert!(has(&p, tr.a, tr.y) && has(&p, tr.b, tr.x), "{:?}", p.pairs);
    assert!(
        p.total > p.greedy_total,
        "{} vs {}",
        p.total,
        p.greedy_total
    );
    assert_eq!(
        p.total,
        p.pairs.iter().map(|x| i64::from(x.fit.score)).sum::<i64>()
    );
    // Each place and each person at most once.
    let mut postings: Vec<_> = p.pairs.iter().map(|x| x.posting_id).collect();
    postings.sort();
    for o in &p.postings {
        let n = postings.iter().filter(|x| **x == o.posting_id).count() as i64;
        assert!(n <= o.places_left && n == o.proposed);
    }
    let mut people: Vec<_> = p.pairs.iter().map(|x| x.resident_id).collect();
    people.sort();
    people.dedup();
    assert_eq!(people.len(), p.pairs.len());
    // Nothing written; and another region's coordinator is refused.
    assert_eq!(application_count(&t).await, 1);
    let err = s
        .allocate(
            &w.actor("coord-shimonoseki"),
            w.hagi,
            &AllocationRequest::default(),
        )
        .await
        .expect_err("another region");
    assert!(matches!(err, ServiceError::Forbidden));
    // Two jobs a person: A may take both of the places A fits.
    let two = allocate(
        &s,
        &w,
        AllocationRequest {
            jobs_per_person: Some(2),
            ..AllocationRequest::default()
        },
    )
    .await
    .expect("two jobs each");
    // A takes both: X and Y together fit better than Y for A and X for B.
    assert!(
        has(&two, tr.a, tr.x) && has(&two, tr.a, tr.y),
        "{:?}",
        two.pairs
    );
    assert!(two.total > p.total);
    let err = allocate(
        &s,
        &w,
        AllocationRequest {
            jobs_per_person: Some(4),
            ..AllocationRequest::default()
        },
    )
    .await
    .expect_err("too many");
    assert_eq!(
        codes(&err),
        [("jobs_per_person".into(), "out_of_range".into())]
    );
}

async fn pins_and_forbidden_pairs_are_honoured_and_refused_by_name(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let tr = trap(&t, &w).await;
    let base = allocate(&s, &w, AllocationRequest::default())
        .await
        .expect("allocation");
    // Pinning A to X: A takes X, and the total can only fall.
    let pinned = allocate(
        &s,
        &w,
        AllocationRequest {
            pinned: vec![pair(tr.a, tr.x)],
            ..AllocationRequest::default()
        },
    )
    .await
    .expect("pinned");
    assert!(has(&pinned, tr.a, tr.x));
    assert!(
        pinned
            .pairs
            .iter()
            .any(|x| x.pinned && x.resident_id == tr.a)
    );
    assert!(!has(&pinned, tr.b, tr.x));
    assert!(pinned.total < base.total);
    // A pinned pair is never an alternative; B's other possibilities are.
    assert!(
        pinned
            .alternatives
            .iter()
            .all(|x| !(x.resident_id == tr.a && x.posting_id == tr.x))
    );
    // Forbidding B–X: B is not given X.
    let forbidden = allocate(
        &s,
        &w,
        AllocationRequest {
            forbidden: vec![pair(tr.b, tr.x)],
            ..AllocationRequest::default()
        },
    )
    .await
    .expect("forbidden");
    assert!(!has(&forbidden, tr.b, tr.x));
    assert!(forbidden.total <= base.total);
    // Refused by name: a pair that breaks the rules, another region's person, a pin on a pair
    // also forbidden, two pins on one place.
    let long = open(
        &s,
        &w,
        skilled(&w, "長時間の入力", "帳票チェック", 30, 1300, 1),
    )
    .await;
    let err = allocate(
        &s,
        &w,
        AllocationRequest {
            pinned: vec![
                pair(tr.a, long),
                pair(w.kenichi, tr.x),
                pair(tr.b, tr.x),
                pair(tr.a, tr.x),
            ],
            forbidden: vec![pair(tr.b, tr.x)],
            ..AllocationRequest::default()
        },
    )
    .await
    .expect_err("bad pins");
    assert_eq!(
        codes(&err),
        [
            ("pinned[0]".into(), "not_a_candidate".into()),
            ("pinned[1]".into(), "not_found".into()),
            ("pinned[2]".into(), "forbidden".into()),
        ]
    );
    let err = allocate(
        &s,
        &w,
        AllocationRequest {
            pinned: vec![pair(tr.a, tr.x), pair(tr.b, tr.x)],
            ..AllocationRequest::default()
        },
    )
    .await
    .expect_err("one place");
    assert_eq!(codes(&err), [("pinned[1]".into(), "no_room".into())]);
    let err = s
        .allocate(&w.actor("cognity"), w.hagi, &AllocationRequest::default())
        .await
        .expect_err("a company");
    assert!(matches!(err, ServiceError::Forbidden));
}

async fn a_course_cohort_is_allocated_and_accepted_whole(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let tr = trap(&t, &w).await;
    let coord = w.actor("coord-hagi");
    // A completed the course in November; B in December.
    for (r, day) in [(tr.a, 10), (tr.b, 40)] {
        let e = s
            .enrol(
                &coord,
                w.hagi_course,
                EnrolInput {
                    resident_id: r,
                    channel: jimoto_domain::growth::Channel::Unknown,
                },
            )
            .await
            .expect("enrol");
        let mut conn = t.db.conn().await.unwrap();
        let at = Utc.with_ymd_and_hms(2025, 11, 1, 3, 0, 0).unwrap() + chrono::Days::new(day);
        jimoto_store::growth::set_completed(&mut conn, e.id, Some(at))
            .await
            .unwrap();
    }
    let november = AllocationRequest {
        program_id: Some(w.hagi_course),
        completed_from: Some("2025-11-01".parse().unwrap()),
        completed_to: Some("2025-11-30".parse().unwrap()),
        ..AllocationRequest::default()
    };
    let p = allocate(&s, &w, november.clone()).await.expect("cohort");
    let who: Vec<_> = p.people.iter().map(|c| c.resident_id).collect();
    assert_eq!(who, [tr.a]);
    // A alone: A takes X, the better fit.
    assert!(has(&p, tr.a, tr.x));
    // November and December together: the two of them, placed as the optimum has it.
    let both = AllocationRequest {
        completed_to: Some("2025-12-31".parse().unwrap()),
        ..november.clone()
    };
    let p = allocate(&s, &w, both.clone()).await.expect("cohort");
    let mut who: Vec<_> = p.people.iter().map(|c| c.resident_id).collect();
    who.sort();
    assert_eq!(who, [tr.a, tr.b]);
    assert!(has(&p, tr.a, tr.y) && has(&p, tr.b, tr.x));
    let programs = s.cohort_programs(&coord, w.hagi).await.expect("cohorts");
    let (_, _, n) = programs
        .iter()
        .find(|(id, _, _)| *id == w.hagi_course)
        .expect("the course");
    assert!(*n >= 2);
    // Another region's program is not found.
    let err = s
        .allocate(&w.actor("coord-shimonoseki"), w.shimonoseki, &november)
        .await
        .expect_err("Hagi's program");
    assert!(matches!(err, ServiceError::NotFound));

    let pairs: Vec<PairRef> = p
        .pairs
        .iter()
        .map(|x| pair(x.resident_id, x.posting_id))
        .collect();
    assert_eq!(pairs.len(), 2);
    // All or nothing: one bad row refuses the whole, each bad row named (another region's
    // person; a posting no longer open; the same pair twice).
    let before = application_count(&t).await;
    let bad = [
        pairs[0],
        pair(w.kenichi, tr.x),
        pair(w.hanako, w.cognity_job),
        pairs[0],
    ];
    let err = s
        .accept_allocation(&coord, w.hagi, &bad)
        .await
        .expect_err("bad rows");
    assert_eq!(
        codes(&err),
        [
            ("pairs[1]".into(), "not_found".into()),
            ("pairs[2]".into(), "not_found".into()),
            ("pairs[3]".into(), "duplicate".into()),
        ]
    );
    assert_eq!(application_count(&t).await, before);
    let err = s
        .accept_allocation(&w.actor("coord-shimonoseki"), w.hagi, &pairs)
        .await
        .expect_err("another region");
    assert!(matches!(err, ServiceError::Forbidden));

    let apps = s
        .accept_allocation(&coord, w.hagi, &pairs)
        .await
        .expect("accepted");
    assert_eq!(apps.len(), 2);
    assert_eq!(application_count(&t).await, before + 2);
    let pipeline = s
        .applications_to(&w.actor("cognity"), w.cognity, None)
        .await
        .expect("Cognity's selection");
    for a in &apps {
        assert!(pipeline.iter().any(|x| x.id == a.id && x.status.is_open()));
        let g = s.growth(&coord, a.resident_id).await.expect("growth");
        assert_eq!(g.now.stage, Stage::Applied);
    }
    // Accepted pairs are applications now: proposing again leaves them out, accepting again is
    // refused row by row.
    let again = allocate(&s, &w, both.clone()).await.expect("again");
    assert!(
        again
            .pairs
            .iter()
            .all(|x| !pairs.contains(&pair(x.resident_id, x.posting_id)))
    );
    let err = s
        .accept_allocation(&coord, w.hagi, &pairs)
        .await
        .expect_err("twice");
    assert_eq!(
        codes(&err),
        [
            ("pairs[0]".into(), "already_applied".into()),
            ("pairs[1]".into(), "already_applied".into()),
        ]
    );
}

/// The pages through the router: the allocation with its reasons, a pin, acceptance confirmed;
/// what was typed wrong is named; the recommendations on a resident's and a posting's page.
#[tokio::test]
async fn pages_for_recommendations_and_the_allocation() {
    use reqwest::StatusCode;
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let tr = trap(&app.db, &w).await;
    let (coord, csrf) = app.login("coord-hagi").await;
    let path = format!("/regions/{}/allocation", w.hagi);
    let page = app.page(&coord, &path).await;
    assert!(page.contains("地域の住民全員"), "{page}");
    assert!(!page.contains("id=\"proposal\""), "not run yet");
    let page = app.page(&coord, &format!("{path}?run=1")).await;
    assert!(page.contains("id=\"allocation-total\""), "{page}");
    assert!(
        page.contains("高くなります"),
        "the gain over best-first: {page}"
    );
    assert!(
        page.contains("帳票チェックのスキルを活かせます（求めるレベル1に対してレベル1）"),
        "a reason in words: {page}"
    );
    // Pinning A to X by its button keeps the pin in the page's state.
    let pin = format!("{}-{}", tr.a, tr.x);
    let page = app
        .page(&coord, &format!("{path}?run=1&add_pin={pin}"))
        .await;
    assert!(
        page.contains(&format!("name=\"pin\" value=\"{pin}\"")),
        "{page}"
    );
    assert!(page.contains("固定を外す"), "{page}");
    // Typed wrong: named, with the form again.
    let res = coord
        .get(&format!("{path}?run=1&program=abc&per_person=9"))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(
        text.contains("プログラム: 数字で入力してください"),
        "{text}"
    );
    let res = coord
        .get(&format!("{path}?run=1&per_person=9"))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("1人あたりの仕事数: 1から3の範囲"));
    // Accepting the pairs shown.
    let accept = format!("{path}/accept");
    let pairs = [format!("{}-{}", tr.a, tr.y), format!("{}-{}", tr.b, tr.x)];
    let before = application_count(&app.db).await;
    let res = app
        .post_form(
            &coord,
            &accept,
            &[
                ("csrf", csrf.as_str()),
                ("pair", pairs[0].as_str()),
                ("pair", "not-a-pair"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("組み合わせ 2: 存在しません"));
    assert_eq!(application_count(&app.db).await, before);
    let res = app
        .post_form(
            &coord,
            &accept,
            &[
                ("csrf", csrf.as_str()),
                ("per_person", "2"),
                ("completed_from", ""),
                ("pair", pairs[0].as_str()),
                ("pair", pairs[1].as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Back to the same cohort.
    assert!(
        res.location().ends_with("?run=1&per_person=2"),
        "{}",
        res.location()
    );
    let page = app.page(&coord, &res.location()).await;
    assert!(page.contains("応募を作成しました"), "{page}");
    assert_eq!(application_count(&app.db).await, before + 2);
    // The same again: refused row by row.
    let res = app
        .post_form(
            &coord,
            &accept,
            &[("csrf", csrf.as_str()), ("pair", pairs[0].as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("この求人にはすでに応募しています"));
    // A company and another region's coordinator may not.
    let (company, _) = app.login("cognity").await;
    assert_eq!(
        company.get(&path).send().await.status(),
        StatusCode::FORBIDDEN
    );
    let (other, _) = app.login("coord-shimonoseki").await;
    assert_eq!(
        other.get(&path).send().await.status(),
        StatusCode::FORBIDDEN
    );

    // The resident's page for her coordinator, her own work page, and a posting's page.
    open(
        &app.services,
        &w,
        skilled(&w, "画像のタグ付け", "AIアノテーション", 6, 1100, 3),
    )
    .await;
    let page = app.page(&coord, &format!("/residents/{}", w.hanako)).await;
    assert!(page.contains("id=\"recommended-jobs\""), "{page}");
    // Written about her for the coordinator, to her on her own page.
    assert!(page.contains("本人の空き時間"), "{page}");
    let (resident, _) = app.login("resident-hagi").await;
    let page = app.page(&resident, "/me/work").await;
    assert!(page.contains("あなたに合いそうな仕事"), "{page}");
    assert!(
        page.contains("：空き時間 週20時間") && !page.contains("本人の"),
        "{page}"
    );
    let page = app.page(&coord, &format!("/postings/{}", tr.y)).await;
    assert!(page.contains("この仕事に合いそうな人"), "{page}");
    let page = app.page(&company, &format!("/postings/{}", tr.y)).await;
    assert!(
        !page.contains("この仕事に合いそうな人"),
        "not for the company"
    );
}

/// The API: recommendations, an allocation and its acceptance, and a MATCH1 problem solved —
/// with every malformed text refused by its line.
#[tokio::test]
async fn the_api_allocates_and_solves_match1() {
    use reqwest::StatusCode;
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let tr = trap(&app.db, &w).await;
    let token = app.token("coord-hagi").await;
    let client = app.anonymous();
    let res = client
        .post(&format!("/api/v1/regions/{}/allocations", w.hagi))
        .bearer_auth(&token)
        .json(&serde_json::json!({"pinned": [{"resident_id": tr.a, "posting_id": tr.x}]}))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let p = res.json();
    assert!(p["total"].as_i64().unwrap() > 0);
    assert!(p["pairs"].as_array().unwrap().iter().any(|x| {
        x["resident_id"] == serde_json::json!(tr.a) && x["pinned"] == serde_json::json!(true)
    }));
    let res = client
        .post(&format!("/api/v1/regions/{}/allocations", w.hagi))
        .bearer_auth(&token)
        .json(&serde_json::json!({"jobs_per_person": "two"}))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = client
        .post(&format!("/api/v1/regions/{}/allocations/accept", w.hagi))
        .bearer_auth(&token)
        .json(&serde_json::json!({"pairs": [{"resident_id": tr.b, "posting_id": tr.x}]}))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.json().as_array().unwrap().len(), 1);
    let res = client
        .get(&format!(
            "/api/v1/residents/{}/recommendations?k=0",
            w.hanako
        ))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = client
        .get(&format!("/api/v1/postings/{}/recommendations?k=3", tr.y))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json()[0]["person"]["resident_id"],
        serde_json::json!(tr.a)
    );

    // MATCH1: 2 × 2, the optimum takes 8 + 9 = 17, not 10 + 2.
    let text = "MATCH1 2 2 4\n1\n1\n1\n1\n0 0 -10\n0 1 -8\n1 0 -9\n1 1 -2\n";
    let solve = |body: &'static str, ct: &'static str| {
        client
            .post("/api/v1/allocate")
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let res = solve(text, "text/plain").await;
    assert_eq!(res.status(), StatusCode::OK);
    let v = res.json();
    assert_eq!(v["objective"], 17);
    assert_eq!(v["pairs"], serde_json::json!([[0, 1], [1, 0]]));
    assert_eq!(v["greedy_objective"], 12);
    let res = solve("MATCH1 1 1 2\n1\n1\n0 0 -3\n0 0 -4\n", "text/plain").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e = res.json();
    assert_eq!(e["error"]["fields"][0]["field"], "input");
    assert_eq!(e["error"]["fields"][0]["code"], "match1");
    let message = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("5行目") && message.contains("line 4"),
        "{message}"
    );
    let res = solve(text, "application/json").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Residents and companies may not run the solver.
    let res = client
        .post("/api/v1/allocate")
        .bearer_auth(&app.token("cognity").await)
        .header("content-type", "text/plain")
        .body(text)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
