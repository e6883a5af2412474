//! Fair evaluation and retention, on both engines: an organisation's rubric, evaluations that
//! name every criterion left out and keep each criterion's words as they were, seen by the
//! resident criterion by criterion and by no other company; renewals joined into one tenure, and
//! retention at 3, 6 and 12 months per organisation and per region.

use jimoto_domain::work::selection::ApplicationInput;
use jimoto_domain::work::{
    Category, CriterionInput, EndInput, EndReason, EvaluationInput, RenewInput, ScoreInput,
};
use jimoto_domain::{CriterionId, EngagementId};
use jimoto_services::ServiceError;
use jimoto_testkit::{TestDb, World, both_engines};

use crate::hire::{codes, complete, d, open_posting};

both_engines!(
    an_evaluation_covers_every_criterion_and_the_resident_reads_each,
    retention_joins_renewals_and_counts_each_mark,
);

fn scores(rubric: &[CriterionId], met: usize) -> Vec<ScoreInput> {
    rubric
        .iter()
        .enumerate()
        .map(|(i, c)| ScoreInput {
            criterion_id: *c,
            level: if i < met { 3 } else { 2 },
            comment: if i == 0 {
                "議事録がいつも翌朝までに共有されています".into()
            } else {
                String::new()
            },
        })
        .collect()
}

fn january(scores: Vec<ScoreInput>) -> EvaluationInput {
    EvaluationInput {
        starts_on: d("2024-01-01"),
        ends_on: d("2024-01-31"),
        comment: "落ち着いて進められています".into(),
        scores,
    }
}

async fn evaluation_count(t: &TestDb) -> i64 {
    let mut conn = t.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn an_evaluation_covers_every_criterion_and_the_resident_reads_each(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let cognity = w.actor("cognity");
    let e = w.hanako_engagement;

    // No rubric yet: evaluating is refused by name.
    let err = s
        .evaluate(&cognity, e, january(vec![]))
        .await
        .expect_err("no rubric");
    assert_eq!(codes(&err), [("scores".into(), "no_rubric".into())]);

    let rubric = s
        .adopt_standard_rubric(&cognity, w.cognity, true)
        .await
        .expect("standard rubric");
    assert_eq!(rubric.len(), 15);
    assert_eq!(rubric[0].input.name, "リアルコミュニケーションに依存しない");
    assert_eq!(
        rubric[0].input.levels,
        ["まだ", "一部できている", "できている"]
    );
    let err = s
        .adopt_standard_rubric(&cognity, w.cognity, true)
        .await
        .expect_err("only once");
    assert_eq!(codes(&err), [("rubric".into(), "not_empty".into())]);
    let ids: Vec<CriterionId> = rubric.iter().map(|c| c.id).collect();

    // One criterion left out is named by its place and its words; a level out of range by its
    // row; nothing is written.
    let mut short = scores(&ids, 9);
    let left_out = short.remove(6);
    short[0].level = 4;
    let err = s
        .evaluate(&cognity, e, january(short))
        .await
        .expect_err("incomplete");
    let ServiceError::Validation(v) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        codes(&err),
        [
            ("scores[0].level".into(), "out_of_range".into()),
            ("scores".into(), "criterion_unscored".into())
        ]
    );
    assert_eq!(v.0[1].params["row"], "7");
    assert_eq!(v.0[1].params["name"], "期限を守る");
    assert_eq!(left_out.criterion_id, ids[6]);
    assert_eq!(evaluation_count(&t).await, 0);

    // A period outside the contract (it started on 2024-01-01).
    let mut early = january(scores(&ids, 9));
    early.starts_on = d("2023-12-01");
    let err = s.evaluate(&cognity, e, early).await.expect_err("before");
    assert_eq!(
        codes(&err),
        [("starts_on".into(), "outside_contract".into())]
    );

    // Only the organisation evaluates: not the resident's coordinator, not another company.
    // Those who see the contract are refused; those who do not, do not learn it exists.
    for (login, seen) in [
        ("coord-hagi", true),
        ("resident-hagi", true),
        ("eukarya", false),
        ("city-hagi", false),
    ] {
        let err = s
            .evaluate(&w.actor(login), e, january(scores(&ids, 9)))
            .await
            .expect_err(login);
        if seen {
            assert!(matches!(err, ServiceError::Forbidden), "{login}: {err:?}");
        } else {
            assert!(matches!(err, ServiceError::NotFound), "{login}: {err:?}");
        }
    }
    // A contract not started yet is not evaluated.
    let err = s
        .evaluate(
            &cognity,
            w.hanako_draft_engagement,
            january(scores(&ids, 9)),
        )
        .await
        .expect_err("draft");
    assert_eq!(codes(&err), [("status".into(), "not_started".into())]);
    assert_eq!(evaluation_count(&t).await, 0);

    let saved = s
        .evaluate(&cognity, e, january(scores(&ids, 9)))
        .await
        .expect("evaluated");
    assert_eq!(saved.scores.len(), 15);
    assert_eq!(saved.met(), 9);
    assert_eq!(saved.scores[0].label(), "できている");
    assert_eq!(saved.scores[14].label(), "一部できている");
    assert_eq!(saved.by_name, w.actor("cognity").display_name);

    // The same days twice are refused.
    let mut again = january(scores(&ids, 15));
    again.starts_on = d("2024-01-15");
    again.ends_on = d("2024-02-10");
    let err = s.evaluate(&cognity, e, again).await.expect_err("overlap");
    assert_eq!(codes(&err), [("starts_on".into(), "evaluated".into())]);

    // The resident reads every criterion with its levels and the comment; so does their
    // coordinator; no one else.
    let hanako = w.actor("resident-hagi");
    let seen = s
        .evaluation(&hanako, saved.id)
        .await
        .expect("resident reads");
    assert_eq!(seen.scores.len(), 15);
    assert_eq!(seen.scores[0].levels.len(), 3);
    assert_eq!(
        seen.scores[0].comment,
        "議事録がいつも翌朝までに共有されています"
    );
    assert_eq!(
        s.evaluations(&w.actor("coord-hagi"), e)
            .await
            .unwrap()
            .len(),
        1
    );
    for login in [
        "eukarya",
        "resident-shimonoseki",
        "coord-shimonoseki",
        "city-hagi",
        "admin",
    ] {
        let err = s
            .evaluation(&w.actor(login), saved.id)
            .await
            .expect_err(login);
        assert!(matches!(err, ServiceError::NotFound), "{login}: {err:?}");
    }
    // Another company never reads コグニティ's rubric.
    assert!(matches!(
        s.rubric(&w.actor("eukarya"), w.cognity).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.rubric(&w.actor("coord-hagi"), w.cognity).await,
        Err(ServiceError::Forbidden)
    ));

    // Changing a criterion's words, or retiring one, leaves the evaluation as written.
    let changed = s
        .update_criterion(
            &cognity,
            w.cognity,
            ids[0],
            CriterionInput {
                name: "文章で伝わるように書く".into(),
                description: String::new(),
                levels: vec!["まだ".into(), "できている".into()],
            },
            true,
        )
        .await
        .expect("changed");
    assert_eq!(changed.input.levels.len(), 2);
    s.update_criterion(&cognity, w.cognity, ids[1], rubric[1].input.clone(), false)
        .await
        .expect("retired");
    let kept = s.evaluation(&hanako, saved.id).await.unwrap();
    assert_eq!(
        kept.scores[0].criterion_name,
        "リアルコミュニケーションに依存しない"
    );
    assert_eq!(kept.scores[0].levels.len(), 3);
    assert_eq!(kept.scores.len(), 15);

    // February: the retired criterion is no longer asked for, and is refused if given.
    let mut feb = EvaluationInput {
        starts_on: d("2024-02-01"),
        ends_on: d("2024-02-29"),
        comment: String::new(),
        scores: scores(&ids, 1),
    };
    feb.scores[0].level = 2;
    let err = s
        .evaluate(&cognity, e, feb.clone())
        .await
        .expect_err("retired one given");
    assert_eq!(
        codes(&err),
        [("scores[1].criterion_id".into(), "not_in_rubric".into())]
    );
    feb.scores.remove(1);
    let second = s.evaluate(&cognity, e, feb).await.expect("february");
    assert_eq!(second.scores.len(), 14);
    assert_eq!(second.met(), 1);
    assert_eq!(second.scores[0].criterion_name, "文章で伝わるように書く");
    let list = s.evaluations(&hanako, e).await.unwrap();
    assert_eq!(
        list.iter().map(|v| v.id).collect::<Vec<_>>(),
        [second.id, saved.id]
    );

    // A criterion of another organisation cannot be changed through コグニティ's id.
    let euk = s
        .add_criterion(
            &w.actor("eukarya"),
            w.eukarya,
            CriterionInput {
                name: "GISデータを正確に扱う".into(),
                description: String::new(),
                levels: vec!["まだ".into(), "できている".into()],
            },
        )
        .await
        .expect("eukarya's own");
    let err = s
        .update_criterion(&cognity, w.cognity, euk.id, rubric[2].input.clone(), true)
        .await
        .expect_err("not cognity's");
    assert!(matches!(err, ServiceError::NotFound), "{err:?}");
    // Levels must differ and be at least two.
    let err = s
        .add_criterion(
            &cognity,
            w.cognity,
            CriterionInput {
                name: "期限".into(),
                description: String::new(),
                levels: vec!["まだ".into()],
            },
        )
        .await
        .expect_err("one level");
    assert_eq!(codes(&err), [("levels".into(), "too_few".into())]);
}

/// A coordinator applies for 伊藤 美咲; コグニティ hires her from `start` to `end`, with complete
/// terms, and starts the contract.
async fn hire_misaki(t: &TestDb, w: &World, start: &str, end: &str) -> EngagementId {
    let s = t.services();
    let cognity = w.actor("cognity");
    let p = open_posting(t, w, "議事録作成", Category::Writing).await;
    let a = s
        .apply(
            &w.actor("coord-hagi"),
            p,
            ApplicationInput {
                message: String::new(),
                resident_id: Some(w.misaki),
            },
        )
        .await
        .expect("apply on her behalf");
    let e = s.hire(&cognity, a.id, d(start)).await.expect("hire");
    let v = s.engagement(&cognity, e).await.unwrap();
    let mut input = complete(v.engagement.input);
    input.end_date = Some(d(end));
    s.update_engagement(&cognity, e, input)
        .await
        .expect("terms");
    s.start_engagement(&cognity, e).await.expect("start");
    e
}

async fn retention_joins_renewals_and_counts_each_mark(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let cognity = w.actor("cognity");
    let as_of = Some(d("2025-06-01"));

    // 山田 花子 (from 2024-01-01, open-ended) is renewed from April to September: one tenure of
    // nine months, renewed once; the first contract ends on 31 March as "renewed".
    let e = w.hanako_engagement;
    let renewal = s
        .renew_engagement(
            &cognity,
            e,
            RenewInput {
                start_date: d("2024-04-01"),
                end_date: Some(d("2024-09-30")),
            },
        )
        .await
        .expect("renewal written");
    let r = renewal.engagement.id;
    assert_eq!(renewal.engagement.renewed_from, Some(e));
    assert_eq!(renewal.engagement.input.rate_yen, 1200);
    let err = s
        .renew_engagement(
            &cognity,
            e,
            RenewInput {
                start_date: d("2024-04-01"),
                end_date: None,
            },
        )
        .await
        .expect_err("twice");
    assert_eq!(codes(&err), [("status".into(), "already_renewed".into())]);
    let err = s
        .renew_engagement(
            &cognity,
            r,
            RenewInput {
                start_date: d("2024-10-01"),
                end_date: None,
            },
        )
        .await
        .expect_err("a draft is not renewed");
    assert_eq!(codes(&err), [("status".into(), "not_running".into())]);
    // Before it starts, the first contract is still running.
    assert_eq!(s.engagement(&cognity, e).await.unwrap().renewal, Some(r));
    let v = s.engagement(&cognity, r).await.unwrap();
    let mut terms = v.engagement.input.clone();
    terms.terms.order_date = Some(d("2024-03-15"));
    s.update_engagement(&cognity, r, terms)
        .await
        .expect("terms");
    s.start_engagement(&cognity, r)
        .await
        .expect("renewal starts");
    let first = s.engagement(&cognity, e).await.unwrap().engagement;
    assert_eq!(first.ended_on, Some(d("2024-03-31")));
    assert_eq!(first.end_reason, Some(EndReason::Renewed));

    // 伊藤 美咲: a three-month contract from November, ended by her in mid-December.
    let m = hire_misaki(&t, &w, "2024-11-01", "2025-01-31").await;
    s.end_engagement(
        &cognity,
        m,
        EndInput {
            notice_on: d("2024-12-01"),
            end_on: d("2024-12-15"),
            reason: EndReason::ResidentLeft,
            reason_asked: false,
            reason_detail: String::new(),
        },
    )
    .await
    .expect("ended");

    let report = s
        .organisation_retention(&cognity, w.cognity, as_of)
        .await
        .expect("retention");
    let t3 = &report.total;
    assert_eq!((t3.tenures, t3.running, t3.renewals), (2, 0, 1));
    let marks: Vec<_> = t3
        .milestones
        .iter()
        .map(|m| (m.months, m.eligible, m.retained))
        .collect();
    assert_eq!(marks, [(3, 2, 1), (6, 2, 1), (12, 1, 0)]);
    assert_eq!(t3.milestones[0].percent(), Some(50));
    // 274 days (Jan–Sep 2024) and 45 days (1 Nov – 15 Dec).
    assert_eq!(t3.median_days, Some((274 + 45) / 2));
    let mut reasons: Vec<_> = t3.ended_by.iter().map(|r| (r.reason, r.count)).collect();
    reasons.sort_by_key(|r| r.0.map(|x| x.as_str()));
    assert_eq!(reasons, [(None, 1), (Some(EndReason::ResidentLeft), 1)]);
    assert_eq!(report.rows.len(), 1, "one region: Hagi");
    assert_eq!(report.rows[0].id, w.hagi.0);
    assert_eq!(report.rows[0].figures, report.total);

    // Hagi's staff see the same per organisation; Shimonoseki's staff and another company do
    // not; Shimonoseki's residents' figures have no コグニティ tenure.
    let hagi = s
        .region_retention(&w.actor("city-hagi"), w.hagi, as_of)
        .await
        .expect("Hagi's staff");
    assert_eq!(hagi.rows.len(), 1);
    assert_eq!(hagi.rows[0].id, w.cognity.0);
    assert_eq!(hagi.total, report.total);
    assert!(matches!(
        s.region_retention(&w.actor("city-shimonoseki"), w.hagi, as_of)
            .await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        s.organisation_retention(&w.actor("eukarya"), w.cognity, as_of)
            .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.organisation_retention(&w.actor("coord-hagi"), w.cognity, as_of)
            .await,
        Err(ServiceError::Forbidden)
    ));
    let shimo = s
        .region_retention(&w.actor("city-shimonoseki"), w.shimonoseki, as_of)
        .await
        .unwrap();
    assert_eq!(shimo.total.tenures, 0);
    assert_eq!(shimo.total.milestones[0].percent(), None);

    // Taken on 1 June 2024, 花子's renewal was running, 美咲 had not started, and only the
    // three-month mark had been reached.
    let earlier = s
        .organisation_retention(&cognity, w.cognity, Some(d("2024-06-01")))
        .await
        .unwrap();
    assert_eq!((earlier.total.tenures, earlier.total.running), (1, 1));
    let marks: Vec<_> = earlier
        .total
        .milestones
        .iter()
        .map(|m| (m.months, m.eligible, m.retained))
        .collect();
    assert_eq!(marks, [(3, 1, 1), (6, 0, 0), (12, 0, 0)]);
}

#[tokio::test]
async fn pages_for_rubric_evaluation_renewal_and_retention() {
    use reqwest::StatusCode;
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let (company, csrf) = app.login("cognity").await;
    let rubric_path = format!("/organisations/{}/rubric", w.cognity);
    let page = app.page(&company, &rubric_path).await;
    assert!(page.contains("標準の15項目から始める"), "{page}");
    let res = app
        .post_form(
            &company,
            &format!("{rubric_path}/standard"),
            &[("csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&company, &rubric_path).await;
    assert!(
        page.contains("保存しました") && page.contains("15. 仲間の仕事を助ける"),
        "{page}"
    );
    // A criterion with a single level is refused, by its field, and nothing is added.
    let res = app
        .post_form(
            &company,
            &format!("{rubric_path}/add"),
            &[
                ("csrf", csrf.as_str()),
                ("name", "報告の速さ"),
                ("levels", "まだ\n"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(text.contains("段階: 2件以上にしてください"), "{text}");
    assert!(!app.page(&company, &rubric_path).await.contains("16. "));

    // The evaluation form lists every criterion; one left unanswered is named.
    let e = w.hanako_engagement;
    let form_path = format!("/engagements/{e}/evaluate");
    let page = app.page(&company, &form_path).await;
    assert!(
        page.contains("リアルコミュニケーションに依存しない"),
        "{page}"
    );
    let rubric = app
        .services
        .rubric(&w.actor("cognity"), w.cognity)
        .await
        .unwrap();
    let names: Vec<String> = rubric.iter().map(|c| format!("level-{}", c.id)).collect();
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", csrf.as_str()),
        ("starts_on", "2024-01-01"),
        ("ends_on", "2024-01-31"),
        ("comment", "丁寧な仕事でした"),
    ];
    for (i, n) in names.iter().enumerate().skip(1) {
        fields.push((n.as_str(), if i < 10 { "3" } else { "2" }));
    }
    let res = app.post_form(&company, &form_path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(
        text.contains("リアルコミュニケーションに依存しない"),
        "{text}"
    );
    assert_eq!(evaluation_count(&app.db).await, 0);
    fields.push((names[0].as_str(), "3"));
    let res = app.post_form(&company, &form_path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let eval_path = res.location();

    // The resident reads every criterion, each level in words: never a bare number.
    let (resident, _) = app.login("resident-hagi").await;
    let page = app.page(&resident, &eval_path).await;
    assert!(page.contains("15項目中10項目を達成"), "{page}");
    assert!(page.contains("3段階中2：一部できている"), "{page}");
    assert!(page.contains("仲間の仕事を助ける") && page.contains("丁寧な仕事でした"));
    let page = app.page(&resident, &format!("/engagements/{e}")).await;
    assert!(page.contains("15項目中10項目を達成"), "{page}");
    assert!(
        !page.contains("id=\"to-evaluate\""),
        "the resident does not evaluate"
    );
    let (other, _) = app.login("eukarya").await;
    assert_eq!(
        other.get(&eval_path).send().await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&rubric_path).send().await.status(),
        StatusCode::NOT_FOUND
    );

    // Renewing from the contract's page; retention on the organisation's and region's pages.
    let res = app
        .post_form(
            &company,
            &format!("/engagements/{e}/renew"),
            &[
                ("csrf", csrf.as_str()),
                ("renew_start", "2023-12-01"),
                ("renew_end", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("開始日: 開始日より前の日付です"),
        "{}",
        res.text()
    );
    let res = app
        .post_form(
            &company,
            &format!("/engagements/{e}/renew"),
            &[
                ("csrf", csrf.as_str()),
                ("renew_start", "2024-04-01"),
                ("renew_end", "2024-09-30"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let renewal = res.location();
    let page = app.page(&company, &renewal).await;
    assert!(page.contains("更新前の契約"), "{page}");
    let page = app
        .page(
            &company,
            &format!("/organisations/{}/retention?as_of=2025-06-01", w.cognity),
        )
        .await;
    assert!(
        page.contains("萩市") && page.contains("100%") && page.contains("1件中1件"),
        "{page}"
    );
    // A day that is not a day is named; the figures are today's.
    let page = app
        .page(
            &company,
            &format!("/organisations/{}/retention?as_of=2025-13-01", w.cognity),
        )
        .await;
    assert!(page.contains("集計日: は日付"), "{page}");
    let (city, _) = app.login("city-hagi").await;
    let page = app.page(&city, &format!("/regions/{}", w.hagi)).await;
    assert!(page.contains("仕事の集計"), "{page}");
    let page = app
        .page(&city, &format!("/regions/{}/work?as_of=2025-06-01", w.hagi))
        .await;
    assert!(
        page.contains("コグニティ") && page.contains("定着率"),
        "{page}"
    );
    assert!(!page.contains("山田"), "no names on the region's figures");
    let (city_s, _) = app.login("city-shimonoseki").await;
    assert_eq!(
        city_s
            .get(&format!("/regions/{}/work", w.hagi))
            .send()
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
