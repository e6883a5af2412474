//! From an application to pay, on both engines: a resident applies (the channel that brought
//! them stays with the application), the organisation moves them through its stages with notes
//! only it and the applicant's coordinators see, hires them into a draft contract that the
//! freelance act's check refuses until its terms are complete, and approves hours — whose pay is
//! fixed, shown to the yen, and locked for everyone. The growth path follows.

use chrono::NaiveDate;
use jimoto_domain::growth::Stage;
use jimoto_domain::work::engagement::PaymentMethod;
use jimoto_domain::work::selection::{ApplicationInput, NoteInput};
use jimoto_domain::work::{
    ApplicationStatus, Category, DayEntry, EndInput, EndReason, EngagementInput, PayKind,
    PeriodStatus, ThresholdKind,
};
use jimoto_domain::{EngagementId, PostingId};
use jimoto_services::ServiceError;
use jimoto_testkit::{TestDb, World, both_engines};

use crate::work::posting;

both_engines!(
    an_applicant_is_hired_and_paid_to_the_yen,
    the_freelance_act_names_each_missing_term,
    pay_periods_follow_months_and_years,
    a_locked_period_is_refused_to_everyone,
    thresholds_warn_before_they_are_crossed,
    merging_two_records_moves_their_work,
);

pub(crate) fn codes(e: &ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Validation(v) => {
            v.0.iter()
                .map(|f| (f.field.clone(), f.code.clone()))
                .collect()
        }
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

pub(crate) fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// An open Hagi posting of コグニティ in a category, at ¥1,200 an hour, outsourcing.
pub(crate) async fn open_posting(
    t: &TestDb,
    w: &World,
    title: &str,
    category: Category,
) -> PostingId {
    let s = t.services();
    s.create_posting(
        &w.actor("cognity"),
        w.cognity,
        posting(w.hagi, title, category),
        true,
    )
    .await
    .expect("posting")
    .id
}

/// Complete written terms on top of the hire's draft, for two years (the draft runs for the
/// posting's three-month trial).
pub(crate) fn complete(mut i: EngagementInput) -> EngagementInput {
    i.end_date = i
        .start_date
        .checked_add_months(chrono::Months::new(24))
        .and_then(|d| d.pred_opt());
    i.terms.delivery_place = "共有フォルダ".into();
    i.terms.payment_due_days = Some(30);
    i.terms.payment_method = Some(PaymentMethod::BankTransfer);
    i
}

/// 山田 花子 applies to a posting and is hired from `start`; the contract is started with
/// complete terms.
async fn hired(t: &TestDb, w: &World, category: Category, start: NaiveDate) -> EngagementId {
    let s = t.services();
    let p = open_posting(t, w, "ウェビナー運営補助", category).await;
    let hanako = w.actor("resident-hagi");
    let cognity = w.actor("cognity");
    let a = s
        .apply(&hanako, p, ApplicationInput::default())
        .await
        .expect("apply");
    let e = s.hire(&cognity, a.id, start).await.expect("hire");
    let v = s.engagement(&cognity, e).await.unwrap();
    s.update_engagement(&cognity, e, complete(v.engagement.input))
        .await
        .expect("terms");
    s.start_engagement(&cognity, e).await.expect("start");
    e
}

async fn log(t: &TestDb, w: &World, e: EngagementId, day: &str, minutes: i64) {
    t.services()
        .log_hours(
            &w.actor("resident-hagi"),
            e,
            DayEntry {
                day: d(day),
                minutes,
                note: "資料作成".into(),
            },
        )
        .await
        .unwrap_or_else(|err| panic!("log {day}: {err:?}"));
}

async fn an_applicant_is_hired_and_paid_to_the_yen(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let (hanako, cognity, coord, eukarya, city, coord_s) = (
        w.actor("resident-hagi"),
        w.actor("cognity"),
        w.actor("coord-hagi"),
        w.actor("eukarya"),
        w.actor("city-hagi"),
        w.actor("coord-shimonoseki"),
    );
    let p = open_posting(&t, &w, "ウェビナー運営補助", Category::EventOps).await;
    let a = s
        .apply(
            &hanako,
            p,
            ApplicationInput {
                message: "平日の午前に働けます".into(),
                resident_id: None,
            },
        )
        .await
        .unwrap();
    // Her channel (the city bulletin she signed up for the course through) stays attached.
    assert_eq!(a.channel.as_str(), "city_bulletin");
    assert_eq!(a.status, ApplicationStatus::Active);
    // Applying twice is refused by name.
    let again = s
        .apply(&hanako, p, ApplicationInput::default())
        .await
        .unwrap_err();
    assert_eq!(
        codes(&again),
        [("posting_id".into(), "already_applied".into())]
    );
    assert_eq!(
        s.growth(&coord, w.hanako).await.unwrap().now.stage,
        Stage::Applied
    );

    // The organisation and Hagi's coordinator run the selection; nobody else sees it.
    let view = s.application(&cognity, a.id).await.unwrap();
    assert!(view.selects);
    let screening = view.stages[1].id;
    s.move_application(&cognity, a.id, screening).await.unwrap();
    s.add_application_note(
        &coord,
        a.id,
        NoteInput {
            stage_id: screening,
            rating: Some(4),
            body: "Excelの経験が十分".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(s.application(&cognity, a.id).await.unwrap().notes.len(), 1);
    let own = s.application(&hanako, a.id).await.unwrap();
    assert!(
        own.notes.is_empty() && !own.selects,
        "the applicant sees no notes"
    );
    for other in [&eukarya, &city, &coord_s] {
        assert!(matches!(
            s.application(other, a.id).await,
            Err(ServiceError::NotFound)
        ));
    }
    assert!(
        s.applications_to(&coord_s, w.cognity, None)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    assert!(matches!(
        s.applications_to(&eukarya, w.cognity, None).await,
        Err(ServiceError::NotFound)
    ));
    // This one and the world's.
    assert_eq!(s.my_applications(&hanako).await.unwrap().len(), 2);
    // A coordinator applies on behalf of a resident of their region (伊藤 美咲 has no login),
    // not for one of another region.
    let for_misaki = ApplicationInput {
        resident_id: Some(w.misaki),
        ..ApplicationInput::default()
    };
    let m = s.apply(&coord, p, for_misaki.clone()).await.unwrap();
    assert_eq!(m.resident_id, w.misaki);
    assert!(matches!(
        s.apply(&coord_s, p, for_misaki).await,
        Err(ServiceError::NotFound)
    ));
    let for_kenichi = ApplicationInput {
        resident_id: Some(w.kenichi),
        ..ApplicationInput::default()
    };
    assert!(matches!(
        s.apply(&cognity, p, for_kenichi).await,
        Err(ServiceError::NotFound | ServiceError::Forbidden)
    ));

    // Hired: a draft contract from the posting, the channel carried over.
    let e = s.hire(&cognity, a.id, d("2024-01-10")).await.unwrap();
    let v = s.engagement(&hanako, e).await.unwrap();
    assert_eq!(v.engagement.input.rate_yen, 1200);
    assert_eq!(v.engagement.input.trial_end, Some(d("2024-04-09")));
    assert_eq!(v.engagement.channel.as_str(), "city_bulletin");
    assert_eq!(
        s.growth(&coord, w.hanako).await.unwrap().now.stage,
        Stage::Hired
    );
    // A person may hold several part-time contracts at once.
    let second = hired(&t, &w, Category::DataEntry, d("2024-02-01")).await;
    assert_ne!(second, e);

    s.update_engagement(&cognity, e, complete(v.engagement.input))
        .await
        .unwrap();
    s.start_engagement(&cognity, e).await.unwrap();
    // 17 h 25 min in January, 2 days.
    log(&t, &w, e, "2024-01-15", 9 * 60).await;
    log(&t, &w, e, "2024-01-31", 8 * 60 + 25).await;
    let ts = s
        .timesheet(&hanako, e, Some(d("2024-01-20")))
        .await
        .unwrap();
    let period = ts.period.expect("a period").id;
    assert_eq!(
        (ts.starts_on, ts.ends_on),
        (d("2024-01-10"), d("2024-01-31"))
    );
    // 1,045 minutes × ¥1,200 ÷ 60 = ¥20,900.
    assert_eq!(ts.slip.amount_yen, 20_900);
    // The organisation cannot approve what was not sent.
    assert_eq!(
        codes(&s.approve_period(&cognity, period).await.unwrap_err()),
        [("period".into(), "not_submitted".into())]
    );
    s.submit_period(&hanako, period).await.unwrap();
    // Sent: no more hours until it comes back.
    let more = s
        .log_hours(
            &hanako,
            e,
            DayEntry {
                day: d("2024-01-16"),
                minutes: 60,
                note: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(codes(&more), [("period".into(), "submitted".into())]);
    // Returned with a comment, corrected, sent again.
    assert_eq!(
        codes(&s.return_period(&cognity, period, " ").await.unwrap_err()),
        [("comment".into(), "required".into())]
    );
    let back = s
        .return_period(&cognity, period, "15日の作業内容を書いてください")
        .await
        .unwrap();
    assert_eq!(back.status, PeriodStatus::Returned);
    log(&t, &w, e, "2024-01-15", 9 * 60).await;
    s.submit_period(&hanako, period).await.unwrap();
    // Only the organisation approves: not its coordinator, not the resident.
    for other in [&coord, &hanako] {
        assert!(matches!(
            s.approve_period(other, period).await,
            Err(ServiceError::Forbidden)
        ));
    }
    let ok = s.approve_period(&cognity, period).await.unwrap();
    assert_eq!(ok.status, PeriodStatus::Approved);
    assert_eq!(ok.amount_yen, Some(20_900));
    // Event operations are not a kind of work withheld from.
    assert_eq!(ok.withholding_yen, Some(0));
    // Due 30 days after the month's service ends.
    assert_eq!(ok.due_on, Some(d("2024-03-01")));
    assert_eq!(
        s.growth(&coord, w.hanako).await.unwrap().now.stage,
        Stage::FirstPaid
    );
    let (st, _, days) = s.statement(&hanako, period).await.unwrap();
    assert_eq!((st.net_yen(), days.len()), (Some(20_900), 2));
    assert!(matches!(
        s.statement(&eukarya, period).await,
        Err(ServiceError::NotFound)
    ));
    // Paid; it shows in her earnings, the payment list and the region's totals.
    s.mark_paid(&cognity, period, d("2024-02-29"))
        .await
        .unwrap();
    let (earned, _) = s.my_earnings(&hanako).await.unwrap();
    assert_eq!(earned.months[0].earned.paid_yen, 20_900);
    assert_eq!(earned.fiscal_years[0].year, 2023);
    let list = s
        .payments(&cognity, w.cognity, (d("2024-01-01"), d("2024-01-31")))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert!(matches!(
        s.payments(&coord, w.cognity, (d("2024-01-01"), d("2024-01-31")))
            .await,
        Err(ServiceError::Forbidden)
    ));
    let totals = s.region_pay_totals(&city, w.hagi).await.unwrap();
    assert_eq!(totals.years[0].earned.gross_yen, 20_900);
    assert!(matches!(
        s.region_pay_totals(&city, w.shimonoseki).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        s.region_pay_totals(&cognity, w.hagi).await,
        Err(ServiceError::Forbidden)
    ));
    // Declined and withdrawn applications are decided: no more moves.
    let p2 = open_posting(&t, &w, "記事作成", Category::Writing).await;
    let a2 = s
        .apply(&hanako, p2, ApplicationInput::default())
        .await
        .unwrap();
    s.withdraw(&hanako, a2.id).await.unwrap();
    assert_eq!(
        codes(&s.decline(&cognity, a2.id).await.unwrap_err()),
        [("status".into(), "decided".into())]
    );
    // …and can be renewed by applying again.
    let again = s
        .apply(&hanako, p2, ApplicationInput::default())
        .await
        .unwrap();
    assert_eq!((again.id, again.status), (a2.id, ApplicationStatus::Active));
}

async fn the_freelance_act_names_each_missing_term(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let (hanako, cognity) = (w.actor("resident-hagi"), w.actor("cognity"));
    let p = open_posting(&t, &w, "記事作成", Category::Writing).await;
    let a = s
        .apply(&hanako, p, ApplicationInput::default())
        .await
        .unwrap();
    let e = s.hire(&cognity, a.id, d("2024-04-01")).await.unwrap();
    let draft = s.engagement(&cognity, e).await.unwrap().engagement.input;
    // Without a payment date (nor place or method): each missing item named.
    let missing = codes(&s.start_engagement(&cognity, e).await.unwrap_err());
    for field in [
        "terms.payment_due_days",
        "terms.delivery_place",
        "terms.payment_method",
    ] {
        assert!(
            missing.contains(&(field.into(), "freelance_missing".into())),
            "{field} in {missing:?}"
        );
    }
    assert!(!missing.iter().any(|(f, _)| f == "terms.work_description"));
    // A payment date 61 days after delivery.
    let mut late = complete(draft.clone());
    late.terms.payment_due_days = Some(61);
    s.update_engagement(&cognity, e, late).await.unwrap();
    match s.start_engagement(&cognity, e).await.unwrap_err() {
        ServiceError::Validation(v) => {
            assert_eq!(v.0.len(), 1);
            assert_eq!(v.0[0].field, "terms.payment_due_days");
            assert_eq!(v.0[0].code, "freelance_over_60_days");
            assert_eq!(v.0[0].params["days"], "61");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.engagement(&cognity, e)
            .await
            .unwrap()
            .engagement
            .status
            .as_str(),
        "draft",
        "a refused start leaves the draft",
    );
    // 60 days is the limit; it starts.
    let mut ok = complete(draft);
    ok.terms.payment_due_days = Some(60);
    s.update_engagement(&cognity, e, ok).await.unwrap();
    s.start_engagement(&cognity, e).await.unwrap();
    // Started: the terms no longer change.
    let v = s.engagement(&cognity, e).await.unwrap();
    assert_eq!(
        codes(
            &s.update_engagement(&cognity, e, v.engagement.input.clone())
                .await
                .unwrap_err()
        ),
        [("status".into(), "started".into())]
    );
    // Writing is withheld from.
    assert!(v.engagement.withholding);
    // Ending a contract of six months or more (two years here) early needs 30 days' notice…
    let early = s
        .end_engagement(
            &cognity,
            e,
            EndInput {
                notice_on: d("2024-06-01"),
                end_on: d("2024-06-20"),
                reason: EndReason::OrganisationEnded,
                reason_asked: true,
                reason_detail: String::new(),
            },
        )
        .await
        .unwrap_err();
    let c = codes(&early);
    assert!(c.contains(&("ended_on".into(), "notice_30_days".into())));
    assert!(c.contains(&("end_reason_detail".into(), "reason_asked".into())));
    let ended = s
        .end_engagement(
            &cognity,
            e,
            EndInput {
                notice_on: d("2024-06-01"),
                end_on: d("2024-07-01"),
                reason: EndReason::OrganisationEnded,
                reason_asked: true,
                reason_detail: "案件の終了のため".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(ended.engagement.ended_on, Some(d("2024-07-01")));
}

async fn pay_periods_follow_months_and_years(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let (hanako, cognity) = (w.actor("resident-hagi"), w.actor("cognity"));
    // Writing: withheld at 10.21%.
    let e = hired(&t, &w, Category::Writing, d("2024-12-15")).await;
    // Periods across a calendar-year end and a fiscal-year end.
    for (day, minutes) in [
        ("2024-12-31", 100),
        ("2025-01-01", 7),
        ("2025-03-31", 60),
        ("2025-04-01", 61),
    ] {
        log(&t, &w, e, day, minutes).await;
    }
    let v = s.engagement(&cognity, e).await.unwrap();
    let mut starts: Vec<_> = v.periods.iter().map(|p| (p.starts_on, p.ends_on)).collect();
    starts.sort();
    assert_eq!(
        starts,
        [
            (d("2024-12-15"), d("2024-12-31")),
            (d("2025-01-01"), d("2025-01-31")),
            (d("2025-03-01"), d("2025-03-31")),
            (d("2025-04-01"), d("2025-04-30")),
        ]
    );
    for p in &v.periods {
        s.submit_period(&hanako, p.id).await.unwrap();
        s.approve_period(&cognity, p.id).await.unwrap();
    }
    let v = s.engagement(&cognity, e).await.unwrap();
    let by_start = |day: &str| {
        v.periods
            .iter()
            .find(|p| p.starts_on == d(day))
            .map(|p| (p.amount_yen.unwrap(), p.withholding_yen.unwrap()))
            .unwrap()
    };
    // 100 min × 1200 / 60 = 2,000; 10.21% = 204.2 → 204.
    assert_eq!(by_start("2024-12-15"), (2000, 204));
    // 7 min = 140; 14.294 → 14.
    assert_eq!(by_start("2025-01-01"), (140, 14));
    assert_eq!(by_start("2025-03-01"), (1200, 122));
    // 61 min = 1,220; 124.562 → 124.
    assert_eq!(by_start("2025-04-01"), (1220, 124));
    let (earned, _) = s.my_earnings(&hanako).await.unwrap();
    let year = |y: i32| earned.years.iter().find(|b| b.year == y).unwrap().earned;
    let fy = |y: i32| {
        earned
            .fiscal_years
            .iter()
            .find(|b| b.year == y)
            .unwrap()
            .earned
    };
    assert_eq!(year(2024).gross_yen, 2000);
    assert_eq!(year(2025).gross_yen, 140 + 1200 + 1220);
    // FY2024 runs April 2024 – March 2025.
    assert_eq!(fy(2024).gross_yen, 2000 + 140 + 1200);
    assert_eq!(fy(2025).gross_yen, 1220);
    assert_eq!(fy(2024).withheld_yen, 204 + 14 + 122);
    assert_eq!(fy(2024).approved_yen, 2000 + 140 + 1200 - (204 + 14 + 122));
    // A fixed monthly fee: ¥40,000, started mid-month (17 of 31 days).
    let p = open_posting(&t, &w, "月額の運営", Category::EventOps).await;
    let a = s
        .apply(&hanako, p, ApplicationInput::default())
        .await
        .unwrap();
    let g = s.hire(&cognity, a.id, d("2024-10-15")).await.unwrap();
    let mut input = s.engagement(&cognity, g).await.unwrap().engagement.input;
    input.pay_kind = PayKind::Fixed;
    input.rate_yen = 40_000;
    s.update_engagement(&cognity, g, complete(input))
        .await
        .unwrap();
    s.start_engagement(&cognity, g).await.unwrap();
    log(&t, &w, g, "2024-10-20", 60).await;
    let ts = s
        .timesheet(&hanako, g, Some(d("2024-10-20")))
        .await
        .unwrap();
    // 40,000 × 17 / 31 = 21,935.48 → 21,935.
    assert_eq!(ts.slip.amount_yen, 21_935);
}

async fn a_locked_period_is_refused_to_everyone(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let (hanako, cognity) = (w.actor("resident-hagi"), w.actor("cognity"));
    let e = hired(&t, &w, Category::EventOps, d("2024-05-01")).await;
    log(&t, &w, e, "2024-05-02", 120).await;
    let p = s
        .timesheet(&hanako, e, Some(d("2024-05-02")))
        .await
        .unwrap();
    let id = p.period.unwrap().id;
    s.submit_period(&hanako, id).await.unwrap();
    let approved = s.approve_period(&cognity, id).await.unwrap();
    let entry = DayEntry {
        day: d("2024-05-03"),
        minutes: 60,
        note: String::new(),
    };
    for (login, actor) in &w.actors {
        let tries = [
            s.log_hours(actor, e, entry.clone()).await.err(),
            s.submit_period(actor, id).await.err(),
            s.return_period(actor, id, "やり直し").await.err(),
            s.approve_period(actor, id).await.err(),
        ];
        for (i, err) in tries.into_iter().enumerate() {
            let err = err.unwrap_or_else(|| panic!("{login} changed a locked period ({i})"));
            assert!(
                matches!(err, ServiceError::NotFound | ServiceError::Forbidden)
                    || codes(&err) == [("period".into(), "locked".into())],
                "{login} ({i}): {err:?}"
            );
        }
    }
    let after = s.statement(&hanako, id).await.unwrap();
    assert_eq!(after.0, approved, "nothing changed");
    assert_eq!(after.2.len(), 1);
}

async fn thresholds_warn_before_they_are_crossed(t: TestDb) {
    use jimoto_domain::work::Closeness;
    let w = t.world().await;
    let s = t.services();
    let (hanako, cognity, admin) = (
        w.actor("resident-hagi"),
        w.actor("cognity"),
        w.actor("admin"),
    );
    s.choose_thresholds(&hanako, &[ThresholdKind::IncomeTax, ThresholdKind::Spouse])
        .await
        .unwrap();
    // ¥1,200 × 100 h = ¥120,000 a month in January–March 2025.
    let e = hired(&t, &w, Category::EventOps, d("2025-01-01")).await;
    for m in 1..=3 {
        for day in 1..=20 {
            log(&t, &w, e, &format!("2025-{m:02}-{day:02}"), 300).await;
        }
    }
    let v = s.engagement(&cognity, e).await.unwrap();
    for p in &v.periods {
        s.submit_period(&hanako, p.id).await.unwrap();
        s.approve_period(&cognity, p.id).await.unwrap();
    }
    // Projected on 2025-03-31: 360,000 so far + 120,000 × 9 months = 1,440,000: above the
    // spouse threshold of 2025 (¥1,230,000), below 2025's income-tax one (¥1,600,000) but
    // near it (90%).
    let today = d("2025-03-31");
    let v = s.my_thresholds(&hanako, today).await.unwrap();
    assert_eq!(v.income.year_to_date_yen, 360_000);
    assert_eq!(v.income.monthly_pace_yen, 120_000);
    let of = |v: &jimoto_services::ThresholdView, k: ThresholdKind| {
        v.projections
            .iter()
            .find(|p| p.threshold.kind == k)
            .cloned()
            .unwrap()
    };
    let tax = of(&v, ThresholdKind::IncomeTax);
    assert_eq!(
        (tax.threshold.amount_yen, tax.projected_yen, tax.closeness),
        (1_600_000, 1_440_000, Closeness::Near)
    );
    let spouse = of(&v, ThresholdKind::Spouse);
    assert_eq!(
        (spouse.threshold.amount_yen, spouse.closeness),
        (1_230_000, Closeness::WillCross)
    );
    // A changed setting takes effect: the income-tax threshold raised from 2025-03-01.
    assert!(matches!(
        s.set_threshold(
            &cognity,
            ThresholdKind::IncomeTax,
            2_000_000,
            d("2025-03-01")
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
    s.set_threshold(&admin, ThresholdKind::IncomeTax, 2_000_000, d("2025-03-01"))
        .await
        .unwrap();
    let v = s.my_thresholds(&hanako, today).await.unwrap();
    let tax = of(&v, ThresholdKind::IncomeTax);
    assert_eq!(
        (tax.threshold.amount_yen, tax.closeness),
        (2_000_000, Closeness::Clear)
    );
    // The day before it holds, the old one applies.
    let v = s.my_thresholds(&hanako, d("2025-02-28")).await.unwrap();
    assert_eq!(
        of(&v, ThresholdKind::IncomeTax).threshold.amount_yen,
        1_600_000
    );
    // Health insurance looks ahead twelve months at the pace: 1,440,000 > 1,300,000.
    s.choose_thresholds(&hanako, &[ThresholdKind::HealthInsurance])
        .await
        .unwrap();
    let v = s.my_thresholds(&hanako, today).await.unwrap();
    let h = of(&v, ThresholdKind::HealthInsurance);
    assert_eq!(
        (h.months, h.projected_yen, h.closeness),
        (12, 1_440_000, Closeness::WillCross)
    );
}

/// The pages and the API of the same journey, through the router: apply from the posting, hire,
/// complete the terms (the start refused by name first), log hours on the phone form, send,
/// approve; the statement shows the exact amount; the approved month refuses every change by
/// page and API for every login; the payment list downloads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_from_application_to_statement() {
    use reqwest::{Method, StatusCode};
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let s = &app.services;
    let p = s
        .create_posting(
            &w.actor("cognity"),
            w.cognity,
            posting(w.hagi, "マーケティング記事の作成", Category::Writing),
            true,
        )
        .await
        .unwrap()
        .id;
    let (resident, rcsrf) = app.login("resident-hagi").await;
    let page = app.page(&resident, &format!("/postings/{p}")).await;
    assert!(page.contains("この仕事に応募する"), "{page}");
    let res = app
        .post_form(
            &resident,
            &format!("/postings/{p}/apply"),
            &[("csrf", rcsrf.as_str()), ("message", "午前中に働けます")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let app_path = res.location();
    let page = app.page(&resident, &app_path).await;
    assert!(
        page.contains("応募しました") && page.contains("選考中"),
        "{page}"
    );
    assert!(!page.contains("選考メモ"), "the applicant sees no notes");

    let (company, ccsrf) = app.login("cognity").await;
    let page = app
        .page(&company, &format!("/organisations/{}/hiring", w.cognity))
        .await;
    assert!(page.contains("山田 花子") && page.contains("マーケティング記事の作成"));
    let page = app.page(&company, &app_path).await;
    assert!(page.contains("選考メモ") && page.contains("市報"), "{page}");
    // A bad start date is named; a good one hires into a draft contract.
    let res = app
        .post_form(
            &company,
            &format!("{app_path}/hire"),
            &[("csrf", ccsrf.as_str()), ("start_date", "来月")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("開始日"));
    let res = app
        .post_form(
            &company,
            &format!("{app_path}/hire"),
            &[("csrf", ccsrf.as_str()), ("start_date", "2024-06-01")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let contract = res.location();
    let page = app.page(&company, &contract).await;
    assert!(
        page.contains("契約を開始する前に必要な項目") && page.contains("支払期日"),
        "{page}"
    );
    // The start is refused while a term is missing; then the terms are completed.
    let res = app
        .post_form(
            &company,
            &format!("{contract}/start"),
            &[("csrf", ccsrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("フリーランス法"));
    let res = app
        .post_form(
            &company,
            &contract,
            &[
                ("csrf", ccsrf.as_str()),
                ("contract", "outsourcing"),
                ("pay_kind", "hourly"),
                ("rate_yen", "1200"),
                ("hours_per_week", "10"),
                ("start_date", "2024-06-01"),
                ("end_date", "2024-08-31"),
                ("order_date", "2024-05-20"),
                ("delivery_place", "共有フォルダ"),
                ("payment_due_days", "61"),
                ("payment_method", "bank_transfer"),
                ("work_description", "マーケティング記事の作成"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &company,
            &format!("{contract}/start"),
            &[("csrf", ccsrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("60日以内"), "61 days is named");
    let eid: i64 = contract.rsplit('/').next().unwrap().parse().unwrap();
    let mut input = s
        .engagement(&w.actor("cognity"), EngagementId(eid))
        .await
        .unwrap()
        .engagement
        .input;
    input.terms.payment_due_days = Some(30);
    s.update_engagement(&w.actor("cognity"), EngagementId(eid), input)
        .await
        .unwrap();
    let res = app
        .post_form(
            &company,
            &format!("{contract}/start"),
            &[("csrf", ccsrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The resident logs 2 h 30 min and 1 h 15 min in June from the form.
    for (day, h, m) in [("2024-06-03", "2", "30"), ("2024-06-04", "1", "15")] {
        let res = app
            .post_form(
                &resident,
                &format!("{contract}/hours"),
                &[
                    ("csrf", rcsrf.as_str()),
                    ("day", day),
                    ("hours", h),
                    ("minutes", m),
                    ("note", "記事の下書き"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text());
    }
    let res = app
        .post_form(
            &resident,
            &format!("{contract}/hours"),
            &[
                ("csrf", rcsrf.as_str()),
                ("day", "2024-09-02"),
                ("hours", "1"),
                ("minutes", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("契約期間の外"));
    let page = app
        .page(&resident, &format!("{contract}/hours?month=2024-06-01"))
        .await;
    // 225 minutes × ¥1,200 ÷ 60 = ¥4,500.
    assert!(
        page.contains("3時間45分") && page.contains("4,500円"),
        "{page}"
    );
    let period = s
        .timesheet(
            &w.actor("resident-hagi"),
            EngagementId(eid),
            Some(d("2024-06-01")),
        )
        .await
        .unwrap()
        .period
        .unwrap()
        .id;
    let res = app
        .post_form(
            &resident,
            &format!("/periods/{period}/submit"),
            &[("csrf", rcsrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &company,
            &format!("/periods/{period}/approve"),
            &[("csrf", ccsrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The statement: ¥4,500, 10.21% withheld (¥459), ¥4,041 paid out.
    let page = app
        .page(&resident, &format!("/periods/{period}/statement"))
        .await;
    assert!(
        page.contains("4,500円") && page.contains("459円") && page.contains("4,041円"),
        "{page}"
    );
    let page = app.page(&resident, "/me/work").await;
    assert!(
        page.contains("4,500円") && page.contains("令和6年度"),
        "{page}"
    );

    // Locked for everyone, by page and API.
    for login in jimoto_testkit::WORLD_LOGINS {
        let (c, csrf) = app.login(login).await;
        for (path, form) in [
            (format!("/periods/{period}/approve"), vec![]),
            (format!("/periods/{period}/submit"), vec![]),
            (
                format!("/periods/{period}/return"),
                vec![("comment", "やり直し")],
            ),
            (
                format!("{contract}/hours"),
                vec![("day", "2024-06-05"), ("hours", "1"), ("minutes", "0")],
            ),
        ] {
            let mut f = vec![("csrf", csrf.as_str())];
            f.extend(form);
            let res = app.post_form(&c, &path, &f).await;
            assert!(
                [403, 404, 422].contains(&res.status().as_u16()),
                "{login} {path}: {}",
                res.status()
            );
        }
        let token = app.token(login).await;
        for (method, path, body) in [
            (
                Method::POST,
                format!("/api/v1/periods/{period}/approve"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/periods/{period}/submit"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/engagements/{eid}/hours"),
                Some(serde_json::json!({"day": "2024-06-05", "minutes": 60})),
            ),
        ] {
            let mut req = app.client().request(method, &path).bearer_auth(&token);
            if let Some(b) = &body {
                req = req.json(b);
            }
            let res = req.send().await;
            assert!(
                [403, 404, 422].contains(&res.status().as_u16()),
                "{login} {path}: {}",
                res.status()
            );
        }
    }
    let (st, _, days) = s
        .statement(&w.actor("resident-hagi"), period)
        .await
        .unwrap();
    assert_eq!(
        (st.amount_yen, st.minutes, days.len()),
        (Some(4500), 225, 2)
    );

    // The payment list: the page, a CSV with a BOM, an .xlsx; only for the company.
    let page = app
        .page(
            &company,
            &format!("/organisations/{}/payments?from=2024-06", w.cognity),
        )
        .await;
    assert!(page.contains("4,041円"), "{page}");
    let res = company
        .get(&format!(
            "/organisations/{}/payments?from=2024-06&format=csv",
            w.cognity
        ))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text();
    assert!(
        text.starts_with('\u{feff}')
            && text.contains("山田 花子,マーケティング記事の作成,225,4500,459,4041"),
        "{text}"
    );
    let res = company
        .get(&format!(
            "/organisations/{}/payments?from=2024-06&format=xlsx",
            w.cognity
        ))
        .send()
        .await;
    assert!(res.bytes().starts_with(b"PK"));
    let page = resident
        .get(&format!(
            "/organisations/{}/payments?from=2024-06",
            w.cognity
        ))
        .send()
        .await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    // Marked paid from the list.
    let res = app
        .post_form(
            &company,
            &format!("/periods/{period}/paid"),
            &[
                ("csrf", ccsrf.as_str()),
                ("paid_on", "2024-07-31"),
                ("back", "/organisations/1/payments"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app
        .page(&resident, &format!("/periods/{period}/statement"))
        .await;
    assert!(page.contains("2024年7月31日"), "{page}");
}

async fn merging_two_records_moves_their_work(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    // The duplicate record applied to the world's job too, and to another posting, and holds a
    // contract.
    let other = open_posting(&t, &w, "データ入力の補助", Category::DataEntry).await;
    {
        use jimoto_store::work::selection::{NewApplication, insert_application};
        let mut conn = t.db.conn().await.unwrap();
        for posting in [w.cognity_job, other] {
            insert_application(
                &mut conn,
                &NewApplication {
                    posting,
                    organisation: w.cognity,
                    region: w.hagi,
                    resident: w.hanako_again,
                    channel: jimoto_domain::growth::Channel::LocalFm,
                    message: "",
                    stage: None,
                },
            )
            .await
            .unwrap();
        }
        sqlx::query("UPDATE engagements SET resident_id = $1 WHERE id = $2")
            .bind(w.hanako_again.0)
            .bind(w.hanako_draft_engagement.0)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    s.merge_residents(&coord, w.hanako, w.hanako_again)
        .await
        .unwrap();
    let hanako = w.actor("resident-hagi");
    let apps = s.my_applications(&hanako).await.unwrap();
    let mut postings: Vec<_> = apps.iter().map(|a| a.posting_id).collect();
    postings.sort();
    let mut expected = vec![w.cognity_job, other];
    expected.sort();
    assert_eq!(postings, expected, "one application per posting, both kept");
    let contracts = s.my_engagements(&hanako).await.unwrap();
    assert!(contracts.iter().any(|e| e.id == w.hanako_draft_engagement));
}

/// A coordinator finds work for a resident without a login and applies on her behalf: from her
/// page to the board, to a posting, to the application; a coordinator of another region cannot.
#[tokio::test]
async fn a_coordinator_applies_on_a_residents_behalf_by_page() {
    use reqwest::StatusCode;
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let p = app
        .services
        .create_posting(
            &w.actor("cognity"),
            w.cognity,
            posting(w.hagi, "ウェビナーの受付", Category::DataEntry),
            true,
        )
        .await
        .unwrap()
        .id;
    let misaki = w.misaki;
    let (coord, csrf) = app.login("coord-hagi").await;
    let page = app.page(&coord, &format!("/residents/{misaki}")).await;
    assert!(page.contains(&format!("/jobs?for={misaki}")), "{page}");
    let page = app.page(&coord, &format!("/jobs?for={misaki}")).await;
    assert!(
        page.contains("伊藤 美咲さんの応募先をさがしています"),
        "{page}"
    );
    assert!(
        page.contains(&format!("/postings/{p}?for={misaki}")),
        "{page}"
    );
    let page = app
        .page(&coord, &format!("/postings/{p}?for={misaki}"))
        .await;
    assert!(page.contains("伊藤 美咲さんの代理で応募する"), "{page}");
    // A malformed id is named; nothing is written.
    let res = app
        .post_form(
            &coord,
            &format!("/postings/{p}/apply"),
            &[("csrf", csrf.as_str()), ("resident_id", "みさき")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .post_form(
            &coord,
            &format!("/postings/{p}/apply"),
            &[
                ("csrf", csrf.as_str()),
                ("resident_id", &misaki.to_string()),
                ("message", "電話で希望を伺いました"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&coord, &res.location()).await;
    assert!(
        page.contains("伊藤 美咲") && page.contains("応募しました"),
        "{page}"
    );
    let a = app
        .services
        .applications_to(&w.actor("cognity"), w.cognity, Some(p))
        .await
        .unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].resident_id, misaki);
    // Shimonoseki's coordinator: the `for` is ignored, and applying for her is refused.
    let (other, ocsrf) = app.login("coord-shimonoseki").await;
    let page = app
        .page(&other, &format!("/postings/{p}?for={misaki}"))
        .await;
    assert!(!page.contains("代理で応募する"), "{page}");
    let res = app
        .post_form(
            &other,
            &format!("/postings/{p}/apply"),
            &[
                ("csrf", ocsrf.as_str()),
                ("resident_id", &misaki.to_string()),
            ],
        )
        .await;
    // She is not of their region: they do not learn she exists.
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.services
            .applications_to(&w.actor("cognity"), w.cognity, Some(p))
            .await
            .unwrap()
            .len(),
        1,
        "nothing written"
    );
}
