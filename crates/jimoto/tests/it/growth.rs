//! The growth path on both engines: public sign-up recognising people however they type, the
//! waiting list, attendance counted as people and as attendances, the completion rule, stages
//! with every change dated, the 90-day clock, the stalled list, the funnel by channel and the
//! merge of two records of one person.

use chrono::{Duration, NaiveTime, Utc};
use jimoto_domain::audit::{AuditEntity, AuditFilter, AuditOp};
use jimoto_domain::calendar::today_jst;
use jimoto_domain::growth::{
    Channel, EnrolInput, EnrolmentStatus, FunnelScope, SignUpInput, Stage, StageCause, StageInput,
};
use jimoto_domain::program::{
    Audience, CompletionRule, ProgramInput, ProgramKind, SessionInput, SessionMode,
};
use jimoto_domain::{Actor, PageRequest, ProgramId, RegionId, SessionId};
use jimoto_services::{ServiceConfig, ServiceError, Services};
use jimoto_testkit::{TestDb, World, both_engines};

both_engines!(
    the_same_person_signing_up_again_is_recognised_and_counted_once,
    a_full_program_has_a_waiting_list_that_moves_up,
    attendance_counts_people_and_attendances_and_completes_by_the_rule,
    a_region_s_sessions_are_ticked_only_by_its_coordinators,
    stalled_people_are_listed_with_their_last_contact,
    the_funnel_counts_unique_people_by_channel,
    two_records_of_one_person_are_merged_with_the_merge_audited,
    public_sign_up_is_limited_per_address_and_checked_whole,
    stages_set_by_hand_need_a_reason_and_the_clock_runs,
);

/// A course in a region with `sessions` sessions a week apart, starting `from_today` days
/// from today.
pub(crate) async fn course(
    s: &Services,
    w: &World,
    coord: &Actor,
    region: RegionId,
    capacity: Option<i64>,
    sessions: u32,
    from_today: i64,
) -> (ProgramId, Vec<SessionId>) {
    let org = if region == w.hagi {
        w.cognity
    } else {
        w.eukarya
    };
    let p = s
        .create_program(
            coord,
            ProgramInput {
                region_id: region,
                kind: ProgramKind::ItBasicsBeginner,
                audience: Audience::Residents,
                title: "IT基礎講座".into(),
                description: String::new(),
                organiser_id: org,
                partners: vec![],
                capacity,
                completion: CompletionRule::Attendance,
                min_attendance_percent: Some(80),
            },
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..sessions {
        let date = today_jst() + Duration::days(from_today + 7 * i64::from(i));
        let sess = s
            .add_session(
                coord,
                p.id,
                SessionInput {
                    date,
                    starts_at: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                    ends_at: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                    mode: SessionMode::Venue,
                    venue_name: "萩・明倫学舎".into(),
                    venue_address: "山口県萩市江向602".into(),
                    online_url: String::new(),
                },
            )
            .await
            .unwrap();
        ids.push(sess.id);
    }
    (p.id, ids)
}

fn person(name: &str, kana: &str, phone: &str) -> SignUpInput {
    SignUpInput {
        name: name.into(),
        name_kana: kana.into(),
        phone: phone.into(),
        email: String::new(),
        channel: Channel::CityBulletin,
        consent: true,
    }
}

async fn the_same_person_signing_up_again_is_recognised_and_counted_once(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (a, _) = course(&s, &w, &coord, w.hagi, None, 2, 7).await;
    let (b, _) = course(&s, &w, &coord, w.hagi, None, 2, 7).await;

    let first = s
        .sign_up(
            a,
            person("山田 太郎", "やまだ たろう", "090-2222-3333"),
            "10.0.0.1",
        )
        .await
        .unwrap();
    assert!(!first.recognised);
    assert_eq!(first.status, EnrolmentStatus::Enrolled);
    // Half-width katakana and full-width digits: the same person, the same sign-up.
    let again = s
        .sign_up(
            a,
            person("山田太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "０９０２２２２３３３３"),
            "10.0.0.2",
        )
        .await
        .unwrap();
    assert!(again.recognised);
    assert_eq!(again.enrolment_id, first.enrolment_id);
    // A second program: the same resident, a second sign-up.
    let other = s
        .sign_up(
            b,
            person("ヤマダ タロウ", "ヤマダタロウ", "+81 90 2222 3333"),
            "10.0.0.3",
        )
        .await
        .unwrap();
    assert!(other.recognised);
    let ea = s.enrolments(&coord, a, None).await.unwrap();
    let eb = s.enrolments(&coord, b, None).await.unwrap();
    assert_eq!(ea.len(), 1);
    assert_eq!(ea[0].resident_id, eb[0].resident_id);
    assert_eq!(
        ea[0].consent_version,
        jimoto_domain::growth::CONSENT_VERSION
    );
    assert_eq!(ea[0].channel, Channel::CityBulletin);
    // 山田 花子 of the world is known by her e-mail, whatever the case.
    let mut by_mail = person("山田 花子", "ヤマダ ハナコ", "");
    by_mail.email = "HANAKO@example.jp".into();
    let known = s.sign_up(a, by_mail, "10.0.0.4").await.unwrap();
    assert!(known.recognised);
    let people = s.enrolments(&coord, a, None).await.unwrap();
    assert!(people.iter().any(|e| e.resident_id == w.hanako));
    let c = s.program_counts(&coord, a).await.unwrap();
    assert_eq!(c.enrolled_people, 2);
    // Signing up moved the new person to "enrolled", dated.
    let g = s.growth(&coord, ea[0].resident_id).await.unwrap();
    assert_eq!(g.now.stage, Stage::Enrolled);
    let stages: Vec<Stage> = g.history.iter().map(|h| h.stage).collect();
    assert_eq!(stages, vec![Stage::Interested, Stage::Enrolled]);
    assert_eq!(g.history[1].cause, StageCause::SignUp);
    assert_eq!(g.history[1].program_id, Some(a));
}

async fn a_full_program_has_a_waiting_list_that_moves_up(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, _) = course(&s, &w, &coord, w.hagi, Some(2), 1, 7).await;
    let mut receipts = Vec::new();
    for (i, kana) in ["アイダ", "イノウエ", "ウエダ", "エンドウ"]
        .iter()
        .enumerate()
    {
        receipts.push(
            s.sign_up(
                p,
                person(kana, kana, &format!("090-0000-000{i}")),
                &format!("10.1.0.{i}"),
            )
            .await
            .unwrap(),
        );
    }
    let statuses: Vec<_> = receipts
        .iter()
        .map(|r| (r.status, r.waiting_position))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (EnrolmentStatus::Enrolled, None),
            (EnrolmentStatus::Enrolled, None),
            (EnrolmentStatus::Waiting, Some(1)),
            (EnrolmentStatus::Waiting, Some(2)),
        ]
    );
    let first = s.enrolments(&coord, p, None).await.unwrap();
    let aida = first
        .iter()
        .find(|e| e.name == "アイダ")
        .unwrap()
        .resident_id;
    let cancelled = s.cancel_enrolment(&coord, p, aida).await.unwrap();
    assert_eq!(cancelled.status, EnrolmentStatus::Cancelled);
    let ueda = s
        .receipt(p, &s.receipt_token(&receipts[2]).await.unwrap())
        .await
        .unwrap();
    assert_eq!(ueda.status, EnrolmentStatus::Enrolled);
    let endo = s
        .receipt(p, &s.receipt_token(&receipts[3]).await.unwrap())
        .await
        .unwrap();
    assert_eq!(endo.waiting_position, Some(1));
    let c = s.program_counts(&coord, p).await.unwrap();
    assert_eq!(
        (c.enrolled_people, c.waiting_people, c.cancelled_people),
        (2, 1, 1)
    );
    // A receipt names one sign-up of one program: another program's id or a forged token
    // finds nothing.
    let token = s.receipt_token(&receipts[3]).await.unwrap();
    assert!(matches!(
        s.receipt(ProgramId(p.0 + 1), &token).await,
        Err(ServiceError::NotFound)
    ));
    let forged = token.replace(
        &format!(".{}~", receipts[3].enrolment_id),
        &format!(".{}~", receipts[0].enrolment_id),
    );
    assert!(matches!(
        s.receipt(p, &forged).await,
        Err(ServiceError::NotFound)
    ));
    // The cancelled person's stage follows: no active sign-up, back to interested.
    let g = s.growth(&coord, aida).await.unwrap();
    assert_eq!(g.now.stage, Stage::Interested);
    assert_eq!(g.history.last().unwrap().cause, StageCause::Correction);
}

async fn attendance_counts_people_and_attendances_and_completes_by_the_rule(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, sessions) = course(&s, &w, &coord, w.hagi, None, 5, -40).await;
    for r in [w.hanako, w.misaki] {
        s.enrol(
            &coord,
            p,
            EnrolInput {
                resident_id: r,
                channel: Channel::Facebook,
            },
        )
        .await
        .unwrap();
    }
    // 花子 attends the first four sessions, 美咲 the first two.
    for (i, sess) in sessions.iter().enumerate() {
        let mut present = vec![];
        if i < 4 {
            present.push(w.hanako);
        }
        if i < 2 {
            present.push(w.misaki);
        }
        s.set_attendance(&coord, p, *sess, &present).await.unwrap();
    }
    let c = s.program_counts(&coord, p).await.unwrap();
    assert_eq!(c.attendances, 6, "延べ: 4 + 2");
    assert_eq!(c.attended_people, 2, "実人数");
    assert_eq!(c.completed_people, 1, "4 of 5 sessions meet 80%");
    let per: Vec<i64> = c.per_session.iter().map(|x| x.attendances).collect();
    assert_eq!(per, vec![2, 2, 1, 1, 0]);
    assert_eq!(s.attendance_rows(&coord, p).await.unwrap().len(), 6);

    let g = s.growth(&coord, w.hanako).await.unwrap();
    assert_eq!(g.now.stage, Stage::Completed);
    let stages: Vec<(Stage, StageCause)> = g.history.iter().map(|h| (h.stage, h.cause)).collect();
    assert_eq!(
        stages,
        vec![
            (Stage::Interested, StageCause::Registered),
            (Stage::Enrolled, StageCause::SignUp),
            (Stage::Attended, StageCause::CheckIn),
            (Stage::Completed, StageCause::Completion),
        ]
    );
    // Completed at the fourth session: the 90-day clock starts there.
    let fourth = today_jst() + Duration::days(-40 + 21);
    assert_eq!(
        g.now.completed_at.map(jimoto_domain::calendar::jst_date),
        Some(fourth)
    );
    assert_eq!(g.now.clock_days(today_jst()), Some(19));
    assert_eq!(
        s.growth(&coord, w.misaki).await.unwrap().now.stage,
        Stage::Attended
    );

    // A tick taken back: 3 of 5 no longer completes; the stage and the clock follow.
    s.set_attendance(&coord, p, sessions[3], &[]).await.unwrap();
    let c = s.program_counts(&coord, p).await.unwrap();
    assert_eq!((c.attendances, c.completed_people), (5, 0));
    let g = s.growth(&coord, w.hanako).await.unwrap();
    assert_eq!(g.now.stage, Stage::Attended);
    assert_eq!(g.now.completed_at, None);
    // Someone not on the list cannot be ticked; nothing changes.
    let err = s
        .set_attendance(&coord, p, sessions[0], &[w.hanako, w.takeshi])
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Validation(_)));
    assert_eq!(s.program_counts(&coord, p).await.unwrap().attendances, 5);

    // A walk-in: a new person is enrolled and checked in on the spot.
    let (walk, recognised) = s
        .walk_in(
            &coord,
            p,
            sessions[4],
            person("木村 翔", "キムラ ショウ", "080-5555-6666"),
        )
        .await
        .unwrap();
    assert!(!recognised);
    let list = s.check_in_list(&coord, p, sessions[4]).await.unwrap();
    let row = list.rows.iter().find(|r| r.resident_id == walk).unwrap();
    assert!(row.present && row.walk_in);
    let c = s.program_counts(&coord, p).await.unwrap();
    assert_eq!(
        (c.attendances, c.attended_people, c.enrolled_people),
        (6, 3, 3)
    );
}

async fn a_region_s_sessions_are_ticked_only_by_its_coordinators(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, sessions) = course(&s, &w, &coord, w.hagi, None, 1, -1).await;
    s.enrol(
        &coord,
        p,
        EnrolInput {
            resident_id: w.hanako,
            channel: Channel::Nhk,
        },
    )
    .await
    .unwrap();
    let shimo = w.actor("coord-shimonoseki");
    assert!(matches!(
        s.check_in_list(&shimo, p, sessions[0]).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.set_attendance(&shimo, p, sessions[0], &[w.hanako]).await,
        Err(ServiceError::NotFound)
    ));
    let city = w.actor("city-hagi");
    assert!(matches!(
        s.set_attendance(&city, p, sessions[0], &[w.hanako]).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(s.enrolments(&city, p, None).await.unwrap().len(), 1);
    assert!(matches!(
        s.enrolments(&w.actor("cognity"), p, None).await,
        Err(ServiceError::NotFound)
    ));
    // Another region's resident cannot be enrolled, and another program's session is not this one's.
    assert!(matches!(
        s.enrol(
            &coord,
            p,
            EnrolInput {
                resident_id: w.kenichi,
                channel: Channel::Nhk
            }
        )
        .await,
        Err(ServiceError::Validation(_))
    ));
    let (q, other) = course(&s, &w, &coord, w.hagi, None, 1, -1).await;
    assert!(matches!(
        s.set_attendance(&coord, q, sessions[0], &[]).await,
        Err(ServiceError::NotFound)
    ));
    assert!(s.set_attendance(&coord, q, other[0], &[]).await.is_ok());
    assert_eq!(s.program_counts(&coord, p).await.unwrap().attendances, 0);
}

async fn stalled_people_are_listed_with_their_last_contact(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    // Everyone in the world was registered just now: nobody is stalled.
    let (list, total) = s.stalled(&coord, 50).await.unwrap();
    assert_eq!((list.len(), total), (0, 0));
    // 美咲 has been "attended" for 45 days; 中村 (下関) for 60.
    let mut tx = t.db.begin().await.unwrap();
    for (r, region, days) in [(w.misaki, w.hagi, 45), (w.kenichi, w.shimonoseki, 60)] {
        jimoto_store::growth::set_stage(
            &mut tx,
            r,
            region,
            &jimoto_store::growth::NewStage {
                stage: Stage::Attended,
                at: Utc::now() - Duration::days(days),
                cause: StageCause::CheckIn,
                reason: "",
                program: None,
                by: (None, ""),
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    s.record_contact(
        &coord,
        w.misaki,
        jimoto_domain::contact::ContactInput {
            contacted_on: today_jst() - Duration::days(3),
            kind: jimoto_domain::contact::ContactKind::Call,
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let (list, total) = s.stalled(&coord, 50).await.unwrap();
    assert_eq!(total, 1, "only Hagi's");
    assert_eq!(list[0].resident_id, w.misaki);
    assert_eq!(list[0].days, 45);
    assert_eq!(list[0].stage.stage, Stage::Attended);
    assert_eq!(list[0].last_contact, Some(today_jst() - Duration::days(3)));
    let (all, total) = s.stalled(&w.actor("admin"), 50).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(all[0].resident_id, w.kenichi, "longest waiting first");
    assert!(matches!(
        s.stalled(&w.actor("resident-hagi"), 50).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn the_funnel_counts_unique_people_by_channel(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (a, sa) = course(&s, &w, &coord, w.hagi, None, 1, -10).await;
    let (b, _) = course(&s, &w, &coord, w.hagi, None, 1, -10).await;
    let fb = |r| EnrolInput {
        resident_id: r,
        channel: Channel::Facebook,
    };
    s.enrol(&coord, a, fb(w.hanako)).await.unwrap();
    s.enrol(&coord, b, fb(w.hanako)).await.unwrap();
    s.enrol(
        &coord,
        a,
        EnrolInput {
            resident_id: w.misaki,
            channel: Channel::LocalFm,
        },
    )
    .await
    .unwrap();
    s.enrol(&coord, a, fb(w.takeshi)).await.unwrap();
    s.set_attendance(&coord, a, sa[0], &[w.hanako, w.misaki])
        .await
        .unwrap();
    let f = s
        .funnel(&coord, FunnelScope::Channel(w.hagi, Channel::Facebook))
        .await
        .unwrap();
    let people: Vec<i64> = f.rows.iter().map(|r| r.people).collect();
    // 花子 signed up twice through Facebook: one person. 1 of 2 attended; 1 completed (1 of 1 session).
    assert_eq!(people, vec![2, 1, 1, 0, 0, 0, 0]);
    assert_eq!(f.rows[1].conversion_percent, Some(50.0));
    let f = s.funnel(&coord, FunnelScope::Region(w.hagi)).await.unwrap();
    assert_eq!(f.rows[0].people, 3);
    assert_eq!(f.rows[1].people, 2);
    let f = s.funnel(&coord, FunnelScope::Program(b)).await.unwrap();
    assert_eq!(f.rows[0].people, 1);
    assert_eq!(
        f.rows[1].people, 0,
        "attending program a is not attending b"
    );
    // Work steps recorded later (here by hand) count for the people of the cohort.
    s.set_stage(
        &coord,
        w.hanako,
        StageInput {
            stage: Stage::Hired,
            reason: "コグニティと業務委託契約".into(),
        },
    )
    .await
    .unwrap();
    let f = s
        .funnel(&coord, FunnelScope::Channel(w.hagi, Channel::Facebook))
        .await
        .unwrap();
    let people: Vec<i64> = f.rows.iter().map(|r| r.people).collect();
    assert_eq!(people, vec![2, 1, 1, 1, 1, 0, 0], "hired implies applied");
    let fy = jimoto_domain::calendar::FiscalYear::of(today_jst());
    let f = s
        .funnel(&coord, FunnelScope::FiscalYear(Some(w.hagi), fy))
        .await
        .unwrap();
    assert_eq!(f.rows[0].people, 3);
    let shimo = w.actor("coord-shimonoseki");
    assert!(matches!(
        s.funnel(&shimo, FunnelScope::Region(w.hagi)).await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        s.funnel(&shimo, FunnelScope::Program(a)).await,
        Err(ServiceError::NotFound)
    ));
    assert!(
        s.funnel(&w.actor("city-hagi"), FunnelScope::Region(w.hagi))
            .await
            .is_ok()
    );
}

async fn two_records_of_one_person_are_merged_with_the_merge_audited(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, sessions) = course(&s, &w, &coord, w.hagi, None, 2, -20).await;
    // 花子 signs up from a new phone without her e-mail: the keys cannot tell it is her.
    let other = s
        .sign_up(
            p,
            person("山田 花子", "ヤマダ ハナコ", "080-9999-0000"),
            "10.2.0.1",
        )
        .await;
    assert!(
        matches!(other, Err(ServiceError::Validation(_))),
        "closed: sessions are past"
    );
    let (q, qs) = course(&s, &w, &coord, w.hagi, None, 2, 5).await;
    let r = s
        .sign_up(
            q,
            person("山田 花子", "ヤマダ ハナコ", "080-9999-0000"),
            "10.2.0.1",
        )
        .await
        .unwrap();
    assert!(!r.recognised);
    let dup = s.enrolments(&coord, q, None).await.unwrap()[0].resident_id;
    assert_ne!(dup, w.hanako);
    let candidates = s.possible_duplicates(&coord, w.hanako).await.unwrap();
    assert_eq!(
        candidates.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![w.hanako_again, dup]
    );
    s.enrol(
        &coord,
        p,
        EnrolInput {
            resident_id: w.hanako,
            channel: Channel::Nhk,
        },
    )
    .await
    .unwrap();
    s.set_attendance(&coord, p, sessions[0], &[w.hanako])
        .await
        .unwrap();
    s.set_attendance(&coord, q, qs[0], &[dup]).await.unwrap();

    // Another region's coordinator cannot merge; a record of another region is unknown.
    let shimo = w.actor("coord-shimonoseki");
    assert!(matches!(
        s.merge_residents(&shimo, w.hanako, dup).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.merge_residents(&coord, w.hanako, w.kenichi).await,
        Err(ServiceError::Validation(_))
    ));
    let merged = s.merge_residents(&coord, w.hanako, dup).await.unwrap();
    assert_eq!(merged.id, w.hanako);
    assert!(matches!(
        s.resident(&coord, dup).await,
        Err(ServiceError::NotFound)
    ));
    let eq = s.enrolments(&coord, q, None).await.unwrap();
    assert_eq!(eq.len(), 1);
    assert_eq!(eq[0].resident_id, w.hanako);
    assert_eq!(
        s.program_counts(&coord, q).await.unwrap().attended_people,
        1
    );
    let g = s.growth(&coord, w.hanako).await.unwrap();
    assert_eq!(g.enrolments.len(), 3, "the world's course, p and q");
    // The new phone now recognises her too.
    let again = s
        .sign_up(q, person("山田花子", "ﾔﾏﾀﾞﾊﾅｺ", "08099990000"), "10.2.0.2")
        .await
        .unwrap();
    assert!(again.recognised);
    let log = s
        .audit_log(
            &w.actor("admin"),
            &AuditFilter {
                entity: Some(AuditEntity::Resident),
                entity_id: Some(w.hanako.0),
            },
            &PageRequest::first(50),
        )
        .await
        .unwrap();
    let merge = log
        .items
        .iter()
        .find(|e| e.action == AuditOp::Merge)
        .expect("merge audited");
    assert_eq!(merge.changes["merged"], serde_json::json!(dup.0));
    assert_eq!(
        merge.changes["record"]["phone"],
        serde_json::json!("080-9999-0000")
    );
}

async fn public_sign_up_is_limited_per_address_and_checked_whole(t: TestDb) {
    let w = t.world().await;
    let s = Services::new(
        t.db.clone(),
        ServiceConfig {
            max_signups_per_ip: 2,
            ..ServiceConfig::default()
        },
    );
    let coord = w.actor("coord-hagi");
    let (p, _) = course(&s, &w, &coord, w.hagi, None, 1, 3).await;
    let bad = SignUpInput {
        name: String::new(),
        name_kana: "Yamada".into(),
        phone: String::new(),
        email: String::new(),
        channel: Channel::Other,
        consent: false,
    };
    let Err(ServiceError::Validation(v)) = s.sign_up(p, bad, "10.3.0.1").await else {
        panic!("refused")
    };
    let mut fields: Vec<&str> = v.0.iter().map(|f| f.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(fields, vec!["consent", "name", "name_kana", "phone"]);
    s.sign_up(p, person("佐藤", "サトウ", "090-3333-4444"), "10.3.0.1")
        .await
        .unwrap();
    assert!(matches!(
        s.sign_up(p, person("鈴木", "スズキ", "090-3333-5555"), "10.3.0.1")
            .await,
        Err(ServiceError::TooManyAttempts { .. })
    ));
    // Another address is not held up.
    s.sign_up(p, person("鈴木", "スズキ", "090-3333-5555"), "10.3.0.2")
        .await
        .unwrap();
    assert_eq!(
        s.program_counts(&coord, p).await.unwrap().enrolled_people,
        2
    );
    // A program for companies has no public page; nor has one that does not exist.
    let input = ProgramInput {
        region_id: w.hagi,
        kind: ProgramKind::CompanySeminar,
        audience: Audience::Companies,
        title: "企業向けセミナー".into(),
        description: String::new(),
        organiser_id: w.cognity,
        partners: vec![],
        capacity: None,
        completion: CompletionRule::Manual,
        min_attendance_percent: None,
    };
    let c = s.create_program(&coord, input).await.unwrap();
    assert!(matches!(
        s.public_program(c.id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.public_program(ProgramId(999_999)).await,
        Err(ServiceError::NotFound)
    ));
}

async fn stages_set_by_hand_need_a_reason_and_the_clock_runs(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let no_reason = s
        .set_stage(
            &coord,
            w.takeshi,
            StageInput {
                stage: Stage::Ojt,
                reason: "  ".into(),
            },
        )
        .await;
    assert!(matches!(no_reason, Err(ServiceError::Validation(_))));
    let now = s
        .set_stage(
            &coord,
            w.takeshi,
            StageInput {
                stage: Stage::Ojt,
                reason: "コグニティでOJT開始".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(now.stage, Stage::Ojt);
    // OJT is past completion: the clock starts with it.
    assert_eq!(now.clock_days(today_jst()), Some(0));
    let g = s.growth(&coord, w.takeshi).await.unwrap();
    let last = g.history.last().unwrap();
    assert_eq!(
        (last.cause, last.reason.as_str(), last.by_name.is_empty()),
        (StageCause::ByHand, "コグニティでOJT開始", false)
    );
    let paid = s
        .set_stage(
            &coord,
            w.takeshi,
            StageInput {
                stage: Stage::FirstPaid,
                reason: "初回報酬".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        paid.clock_days(today_jst()),
        None,
        "the clock stops at first paid work"
    );
    assert!(matches!(
        s.set_stage(
            &w.actor("coord-shimonoseki"),
            w.takeshi,
            StageInput {
                stage: Stage::Ojt,
                reason: "x".into()
            }
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        s.set_stage(
            &w.actor("city-hagi"),
            w.takeshi,
            StageInput {
                stage: Stage::Ojt,
                reason: "x".into()
            }
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
}

/// The public sign-up over HTTP: anyone reaches the page and its two steps; a form without the
/// page's token, an oversized one or one for a company program changes nothing; the page and
/// the receipt tell nothing about anyone else's sign-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_sign_up_over_http() {
    use jimoto_testkit::{TestApp, csrf_from};
    let app = TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let coord = w.actor("coord-hagi");
    let (p, _) = course(&app.services, &w, &coord, w.hagi, Some(1), 2, 10).await;
    let visitor = app.anonymous();
    let page = app.page(&visitor, &format!("/join/{p}")).await;
    assert!(page.contains("id=\"join-form\""), "{page}");
    let csrf = csrf_from(&page);
    let form = |csrf: &str, step: &str, name: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("step", step.to_owned()),
            ("name", name.to_owned()),
            ("name_kana", "オオタ サクラ".to_owned()),
            ("phone", "090-7777-1234".to_owned()),
            ("channel", "local_fm".to_owned()),
            ("consent", "1".to_owned()),
        ]
    };
    let forged = app
        .post_form(
            &visitor,
            &format!("/join/{p}"),
            &form("forged", "send", "大田 さくら"),
        )
        .await;
    assert_eq!(forged.status(), reqwest::StatusCode::FORBIDDEN);
    let s = &app.services;
    assert_eq!(
        s.program_counts(&coord, p).await.unwrap().enrolled_people,
        0
    );

    // Missing fields: the form again with every problem; the check step; then sent.
    let empty = vec![("csrf", csrf.clone()), ("step", "check".to_owned())];
    let again = app.post_form(&visitor, &format!("/join/{p}"), &empty).await;
    let body = again.text();
    assert!(body.contains("form-errors"), "{body}");
    for field in [
        "名前: ",
        "フリガナ: ",
        "何で知りましたか: ",
        "個人情報の取り扱い: ",
        "電話番号: ",
    ] {
        assert!(body.contains(field), "{field} named in the errors");
    }
    let check = app
        .post_form(
            &visitor,
            &format!("/join/{p}"),
            &form(&csrf, "check", "大田 さくら"),
        )
        .await;
    assert!(check.text().contains("id=\"join-check\""));
    assert_eq!(
        s.program_counts(&coord, p).await.unwrap().enrolled_people,
        0,
        "checking saves nothing"
    );
    let sent = app
        .post_form(
            &visitor,
            &format!("/join/{p}"),
            &form(&csrf, "send", "大田 さくら"),
        )
        .await;
    assert_eq!(sent.status(), reqwest::StatusCode::SEE_OTHER);
    let receipt = sent.location();
    assert!(
        receipt.starts_with(&format!("/join/{p}/done/")),
        "{receipt}"
    );
    let done = app.page(&visitor, &receipt).await;
    assert!(done.contains("参加が確定しました"));
    assert!(!done.contains("大田"), "the receipt shows no name");
    // The program is full (1 place): the next person waits, and the page does not say who has
    // the place.
    let second = app
        .post_form(&visitor, &format!("/join/{p}"), &{
            let mut f = form(&csrf, "send", "小野 花");
            f[3].1 = "オノ ハナ".into();
            f[4].1 = "090-8888-0000".into();
            f
        })
        .await;
    let done = app.page(&visitor, &second.location()).await;
    assert!(done.contains("キャンセル待ち1番目"), "{done}");
    let public = app.page(&app.anonymous(), &format!("/join/{p}")).await;
    assert!(
        !public.contains("大田") && !public.contains("小野"),
        "no sign-up shows"
    );
    // A receipt for another program, or made up, is not found.
    let other = receipt.replace(&format!("/join/{p}/"), &format!("/join/{}/", w.hagi_course));
    assert_eq!(
        visitor.get(&other).send().await.status(),
        reqwest::StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor
            .get(&format!("/join/{p}/done/receipt.{p}.1~AAAA"))
            .send()
            .await
            .status(),
        reqwest::StatusCode::NOT_FOUND
    );
    // Too large a form is refused before it is read.
    let mut big = form(&csrf, "send", "大田 さくら");
    big[2].1 = "あ".repeat(300 * 1024);
    let res = app.post_form(&visitor, &format!("/join/{p}"), &big).await;
    assert_eq!(res.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    // The public calendar feed has the sessions; a past course takes no sign-ups.
    let ics = visitor.get(&format!("/join/{p}/calendar.ics")).send().await;
    assert!(ics.text().contains("BEGIN:VEVENT"));
    let past = app
        .page(&visitor, &format!("/join/{}", w.hagi_course))
        .await;
    assert!(past.contains("id=\"join-closed\"") && !past.contains("id=\"join-form\""));
    assert_eq!(
        s.program_counts(&coord, p).await.unwrap().enrolled_people,
        1
    );
    assert_eq!(s.program_counts(&coord, p).await.unwrap().waiting_people, 1);
}

/// The funnel's downloads: CSV in UTF-8 with a byte-order mark or in Shift_JIS, and .xlsx; a
/// format or a year that cannot be read is refused with the field named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_funnel_downloads_as_csv_and_xlsx() {
    use jimoto_testkit::TestApp;
    let app = TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let (client, _) = app.login("coord-hagi").await;
    let hagi = w.hagi;
    let page = app.page(&client, &format!("/funnel?region={hagi}")).await;
    assert!(page.contains("<svg") && page.contains("funnel-table"));
    let csv = client
        .get(&format!("/funnel?region={hagi}&format=csv"))
        .send()
        .await;
    assert!(csv.text().starts_with('\u{feff}'), "UTF-8 with BOM");
    assert!(csv.text().contains("申込,1"), "{}", csv.text());
    let sjis = client
        .get(&format!("/funnel?region={hagi}&format=csv-sjis"))
        .send()
        .await;
    assert!(
        sjis.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("Shift_JIS")
    );
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(sjis.bytes());
    assert!(!bad && text.contains("申込,1"), "{text}");
    let xlsx = client
        .get(&format!("/funnel?region={hagi}&format=xlsx"))
        .send()
        .await;
    assert!(xlsx.bytes().starts_with(b"PK"), "a zip file");
    for q in [
        "format=pdf",
        "fiscal_year=abc",
        "fiscal_year=1800",
        "channel=radio",
    ] {
        let res = client
            .get(&format!("/funnel?region={hagi}&{q}"))
            .send()
            .await;
        assert_eq!(
            res.status(),
            reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            "{q}"
        );
    }
    let shimo = w.shimonoseki;
    let res = client.get(&format!("/funnel?region={shimo}")).send().await;
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);
}
