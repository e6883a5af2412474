//! Voices and company events on both engines: voices quoted only with consent and never by name
//! to those who may not see the program's people; organisations with purposes, their people and
//! follow-ups listed until done; another region's coordinator can neither read nor write.

use chrono::Duration;
use jimoto_domain::calendar::today_jst;
use jimoto_domain::event::{
    EventOrganisationInput, FollowUpInput, FollowUpStatus, ParticipantInput, VoiceInput,
};
use jimoto_domain::growth::{Channel, EnrolInput};
use jimoto_domain::program::{Audience, CompletionRule, ProgramInput, ProgramKind};
use jimoto_domain::{OrganisationId, UserId};
use jimoto_services::ServiceError;
use jimoto_testkit::{TestDb, both_engines};

use super::growth::course;

both_engines!(
    voices_are_quoted_only_with_consent_and_without_names,
    a_tour_keeps_its_companies_people_and_follow_ups_until_done,
);

async fn voices_are_quoted_only_with_consent_and_without_names(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, sessions) = course(&s, &w, &coord, w.hagi, None, 2, -14).await;
    s.enrol(
        &coord,
        p,
        EnrolInput {
            resident_id: w.hanako,
            channel: Channel::Other,
        },
    )
    .await
    .unwrap();
    let voice = |body: &str, may_quote: bool, who| VoiceInput {
        session_id: sessions[0],
        resident_id: who,
        body: body.into(),
        may_quote,
        attribution: "30代・子育て中".into(),
    };
    s.add_voice(
        &coord,
        p,
        voice("  よく分かりました  ", true, Some(w.hanako)),
    )
    .await
    .unwrap();
    s.add_voice(&coord, p, voice("音声が聞きにくかった", false, None))
        .await
        .unwrap();
    // Bad input: empty text, another program's session, someone not on the list.
    let bad = [
        voice("   ", true, None),
        VoiceInput {
            session_id: w.hagi_session,
            ..voice("x", true, None)
        },
        voice("x", true, Some(w.misaki)),
    ];
    for (i, v) in bad.into_iter().enumerate() {
        let e = s.add_voice(&coord, p, v).await.unwrap_err();
        assert!(matches!(e, ServiceError::Validation(_)), "{i}: {e:?}");
    }
    let all = s.voices(&coord, p).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].body, "よく分かりました");
    assert_eq!(all[0].resident_name.as_deref(), Some("山田 花子"));
    // City staff see the program's people: every voice.
    assert_eq!(s.voices(&w.actor("city-hagi"), p).await.unwrap().len(), 2);
    // The course's provider sees the program, not its people: the quotable voice, no name.
    let partner = s.voices(&w.actor("cognity"), p).await.unwrap();
    assert_eq!(partner.len(), 1);
    assert_eq!(
        (partner[0].resident_id, partner[0].resident_name.clone()),
        (None, None)
    );
    // Another region sees nothing.
    for login in ["coord-shimonoseki", "resident-shimonoseki"] {
        assert!(matches!(
            s.voices(&w.actor(login), p).await.unwrap_err(),
            ServiceError::NotFound
        ));
        let e = s
            .add_voice(&w.actor(login), p, voice("x", true, None))
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{login}");
    }
    // Consent withdrawn: the voice is deleted.
    s.delete_voice(&coord, p, all[0].id).await.unwrap();
    assert!(s.voices(&w.actor("cognity"), p).await.unwrap().is_empty());
    assert!(matches!(
        s.delete_voice(&coord, p, all[0].id).await.unwrap_err(),
        ServiceError::NotFound
    ));
}

async fn a_tour_keeps_its_companies_people_and_follow_ups_until_done(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let tour = s
        .create_program(
            &coord,
            ProgramInput {
                region_id: w.hagi,
                kind: ProgramKind::WorkationTour,
                audience: Audience::Companies,
                title: "ワーケーションツアー".into(),
                description: String::new(),
                organiser_id: w.cognity,
                partners: vec![],
                capacity: None,
                completion: CompletionRule::Manual,
                min_attendance_percent: None,
            },
        )
        .await
        .unwrap()
        .id;
    let org = |o: OrganisationId, purpose: &str| EventOrganisationInput {
        organisation_id: o,
        purpose: purpose.into(),
        involvement: "サテライトオフィス設置の検討".into(),
    };
    s.set_event_organisation(&coord, tour, org(w.cognity, "テレワーク人材の採用"))
        .await
        .unwrap();
    s.set_event_organisation(&coord, tour, org(w.eukarya, ""))
        .await
        .unwrap();
    // Recording it again updates its purpose.
    s.set_event_organisation(&coord, tour, org(w.eukarya, "地域と連携した事業開発"))
        .await
        .unwrap();
    let person = |o: Option<OrganisationId>, name: &str| ParticipantInput {
        organisation_id: o,
        organisation_name: "名刺の会社".into(),
        name: name.into(),
        role: "代表取締役".into(),
    };
    for (o, name) in [
        (Some(w.cognity), "青木 彩"),
        (Some(w.cognity), "石川 健太"),
        (Some(w.eukarya), "上田 直子"),
        (None, "遠藤 翔"),
    ] {
        s.add_participant(&coord, tour, person(o, name))
            .await
            .unwrap();
    }
    let me = coord.user_id;
    let fu = |o, action: &str, days: i64, status| FollowUpInput {
        organisation_id: o,
        action: action.into(),
        owner_user_id: me,
        due: today_jst() + Duration::days(days),
        status,
    };
    let late = s
        .add_follow_up(
            &coord,
            tour,
            fu(
                Some(w.cognity),
                "候補者を紹介する",
                -3,
                FollowUpStatus::Open,
            ),
        )
        .await
        .unwrap();
    s.add_follow_up(
        &coord,
        tour,
        fu(
            Some(w.eukarya),
            "物件を案内する",
            10,
            FollowUpStatus::InProgress,
        ),
    )
    .await
    .unwrap();
    s.add_follow_up(
        &coord,
        tour,
        fu(None, "報告書にまとめる", 20, FollowUpStatus::Done),
    )
    .await
    .unwrap();
    // Bad input: an organisation not at the event, an owner from another region, no action.
    let city_shimo = w.actor("city-shimonoseki").user_id;
    for (i, input) in [
        FollowUpInput {
            organisation_id: Some(OrganisationId(999_999)),
            ..fu(None, "x", 1, FollowUpStatus::Open)
        },
        FollowUpInput {
            owner_user_id: city_shimo,
            ..fu(None, "x", 1, FollowUpStatus::Open)
        },
        FollowUpInput {
            owner_user_id: UserId(999_999),
            ..fu(None, "x", 1, FollowUpStatus::Open)
        },
        fu(None, "  ", 1, FollowUpStatus::Open),
    ]
    .into_iter()
    .enumerate()
    {
        let e = s.add_follow_up(&coord, tour, input).await.unwrap_err();
        assert!(matches!(e, ServiceError::Validation(_)), "{i}: {e:?}");
    }
    let e = s
        .add_participant(&coord, tour, person(Some(OrganisationId(999_999)), "x"))
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Validation(_)));

    let view = s.event(&coord, tour).await.unwrap();
    assert_eq!(
        (
            view.counts.organisations,
            view.counts.people,
            view.counts.with_purpose,
            view.counts.follow_ups,
            view.counts.open_follow_ups
        ),
        (2, 4, 2, 3, 2)
    );
    let cognity = view
        .organisations
        .iter()
        .find(|o| o.organisation_id == w.cognity)
        .unwrap();
    assert_eq!((cognity.people, cognity.open_follow_ups), (2, 1));
    let loose = view
        .participants
        .iter()
        .find(|x| x.name == "遠藤 翔")
        .unwrap();
    assert_eq!(loose.organisation_name, "名刺の会社");
    let known = view
        .participants
        .iter()
        .find(|x| x.name == "青木 彩")
        .unwrap();
    assert_eq!(known.organisation_name, "コグニティ株式会社");
    // The coordinator's list: not done, earliest first, the late one overdue.
    let open = s.open_follow_ups(&coord, false, 100).await.unwrap();
    assert_eq!(
        open.iter().map(|f| f.action.as_str()).collect::<Vec<_>>(),
        vec!["候補者を紹介する", "物件を案内する"]
    );
    assert!(open[0].overdue(today_jst()) && !open[1].overdue(today_jst()));
    assert_eq!(s.open_follow_ups(&coord, true, 100).await.unwrap().len(), 2);
    assert!(
        s.open_follow_ups(&w.actor("coord-shimonoseki"), false, 100)
            .await
            .unwrap()
            .is_empty()
    );
    // Done: off the list, with the time it was done.
    let done = s
        .update_follow_up(
            &coord,
            tour,
            late.id,
            fu(
                Some(w.cognity),
                "候補者を紹介する",
                -3,
                FollowUpStatus::Done,
            ),
        )
        .await
        .unwrap();
    assert!(done.done_at.is_some());
    assert_eq!(
        s.open_follow_ups(&coord, false, 100).await.unwrap().len(),
        1
    );
    // Removing an organisation keeps its people, under its name.
    s.remove_event_organisation(&coord, tour, w.cognity)
        .await
        .unwrap();
    let view = s.event(&coord, tour).await.unwrap();
    assert_eq!(view.counts.organisations, 1);
    let kept = view
        .participants
        .iter()
        .find(|x| x.name == "青木 彩")
        .unwrap();
    assert_eq!(
        (kept.organisation_id, kept.organisation_name.as_str()),
        (None, "コグニティ株式会社")
    );

    // Another region's coordinator and the companies: nothing; the city: reads, does not write.
    for login in ["coord-shimonoseki", "eukarya", "resident-hagi"] {
        let a = w.actor(login);
        assert!(
            matches!(s.event(&a, tour).await.unwrap_err(), ServiceError::NotFound),
            "{login}"
        );
        let e = s
            .add_participant(&a, tour, person(None, "x"))
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{login}");
    }
    let city = w.actor("city-hagi");
    assert_eq!(s.event(&city, tour).await.unwrap().counts.people, 4);
    let e = s
        .add_participant(&city, tour, person(None, "x"))
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden));
    // Anyone who sees the program sees its figures, not its people.
    assert_eq!(
        s.event_counts(&w.actor("cognity"), tour)
            .await
            .unwrap()
            .people,
        4
    );
}

/// The pages: recording a voice, the event page with its sections, a follow-up marked done from
/// the coordinator's list, and the JSON API; another region's coordinator gets 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_through_the_pages_and_the_api() {
    use jimoto_testkit::TestApp;
    use reqwest::StatusCode;
    let app = TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let p = w.hagi_course;
    let session = w.hagi_session;
    let (client, csrf) = app.login("coord-hagi").await;
    let res = app
        .post_form(
            &client,
            &format!("/programs/{p}/voices"),
            &[
                ("csrf", csrf.as_str()),
                ("session_id", &session.to_string()),
                ("body", "楽しかった"),
                ("may_quote", "1"),
                ("attribution", "40代"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&client, &format!("/programs/{p}")).await;
    assert!(
        page.contains("楽しかった") && page.contains("— 40代"),
        "{page}"
    );
    let res = app
        .post_form(
            &client,
            &format!("/programs/{p}/voices"),
            &[("csrf", csrf.as_str()), ("session_id", "abc"), ("body", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("回: 数字で入力してください"),
        "{}",
        res.text()
    );
    let res = app
        .post_form(
            &client,
            &format!("/programs/{p}/voices"),
            &[("csrf", csrf.as_str()), ("session_id", ""), ("body", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("回: 入力してください"),
        "{}",
        res.text()
    );
    // Deleting a voice asks first, naming it; only its coordinators are asked.
    let voice = app
        .services
        .voices(&w.actor("coord-hagi"), p)
        .await
        .unwrap()[0]
        .id;
    let confirm = app
        .page(&client, &format!("/programs/{p}/voices/{voice}/delete"))
        .await;
    assert!(
        confirm.contains("「楽しかった」を削除しますか？"),
        "{confirm}"
    );
    let (city, _) = app.login("city-hagi").await;
    let res = city
        .get(&format!("/programs/{p}/voices/{voice}/delete"))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = client
        .get(&format!("/programs/{p}/voices/999999/delete"))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let token = app.token("coord-hagi").await;
    let api = app.client();
    let tour = app
        .services
        .create_program(
            &w.actor("coord-hagi"),
            ProgramInput {
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
            },
        )
        .await
        .unwrap()
        .id;
    let res = api
        .put(&format!("/api/v1/programs/{tour}/event/organisations"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "organisation_id": w.cognity, "purpose": "採用" }))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text());
    let res = api
        .post(&format!("/api/v1/programs/{tour}/event/participants"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "organisation_id": w.cognity, "name": "青木 彩" }))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let me = w.actor("coord-hagi").user_id;
    let res = api.post(&format!("/api/v1/programs/{tour}/follow-ups")).bearer_auth(&token).json(&serde_json::json!({ "action": "面談を設定する", "owner_user_id": me, "due": "2030-01-31" })).send().await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text());
    let fid = res.json()["id"].as_i64().unwrap();
    let res = api
        .post(&format!("/api/v1/programs/{tour}/follow-ups"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "action": "x", "owner_user_id": me, "due": "31/01/2030" }))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = api
        .get(&format!("/api/v1/programs/{tour}/event"))
        .bearer_auth(&token)
        .send()
        .await;
    assert_eq!(res.json()["counts"]["people"], 1);
    // The program page counts organisations and people; the event page lists them.
    let page = app.page(&client, &format!("/programs/{tour}")).await;
    assert!(
        page.contains("id=\"count-participants\"") && page.contains("1人"),
        "{page}"
    );
    let event = app.page(&client, &format!("/programs/{tour}/event")).await;
    assert!(
        event.contains("青木 彩") && event.contains("採用") && event.contains("面談を設定する"),
        "{event}"
    );
    // Removing asks first, naming the organisation or person.
    let confirm = app
        .page(
            &client,
            &format!("/programs/{tour}/event/organisations/{}/remove", w.cognity),
        )
        .await;
    assert!(
        confirm.contains("「コグニティ株式会社」を記録から外しますか？"),
        "{confirm}"
    );
    let pid = participant_id(&app, &w, tour).await;
    let confirm = app
        .page(
            &client,
            &format!("/programs/{tour}/event/participants/{pid}/remove"),
        )
        .await;
    assert!(
        confirm.contains("「青木 彩」を記録から外しますか？"),
        "{confirm}"
    );
    let res = client
        .get(&format!(
            "/programs/{tour}/event/participants/999999/remove"
        ))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let list = app.page(&client, "/follow-ups").await;
    assert!(list.contains("面談を設定する"), "{list}");
    let res = app
        .post_form(
            &client,
            &format!("/programs/{tour}/event/follow-ups/{fid}"),
            &[
                ("csrf", csrf.as_str()),
                ("action", "面談を設定する"),
                ("owner_user_id", &me.to_string()),
                ("due", "2030-01-31"),
                ("status", "done"),
                ("back", "/follow-ups"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/follow-ups");
    assert!(
        app.page(&client, "/follow-ups")
            .await
            .contains("id=\"no-follow-ups\"")
    );
    // Another region's coordinator: 404 for the pages and the API.
    let (other, _) = app.login("coord-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/programs/{tour}/event"))
            .send()
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let other_token = app.token("coord-shimonoseki").await;
    let res = api
        .get(&format!("/api/v1/programs/{tour}/event"))
        .bearer_auth(&other_token)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

async fn participant_id(
    app: &jimoto_testkit::TestApp,
    w: &jimoto_testkit::World,
    tour: jimoto_domain::ProgramId,
) -> i64 {
    app.services
        .event(&w.actor("coord-hagi"), tour)
        .await
        .unwrap()
        .participants[0]
        .id
}
