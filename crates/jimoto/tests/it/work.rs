//! Organisations' work on both engines: the regions an organisation works with decide whose
//! coordinators act for it; tasks are assessed and become draft postings; a posting opens only
//! once it says what it pays; the board's search finds two-character words and every kana and
//! width of a word; drafts stay with their organisation and region.

use jimoto_domain::resident::Skill;
use jimoto_domain::work::task::{Confidentiality, DataForm, Frequency, OnSite, ToolsAccess};
use jimoto_domain::work::{
    BoardFilter, Category, ContractKind, JobLevel, PayKind, PostingInput, PostingStatus, Readiness,
    TaskInput, WorkPlace,
};
use jimoto_domain::{OrganisationId, PageRequest, RegionId};
use jimoto_services::{ServiceError, Services};
use jimoto_testkit::{TestDb, World, both_engines};

both_engines!(
    an_organisation_works_with_several_regions,
    a_task_is_assessed_and_becomes_a_draft_posting,
    the_board_finds_words_in_any_kana_or_width,
    drafts_stay_with_their_organisation_and_region,
);

fn field_codes(e: &ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Validation(v) => {
            v.0.iter()
                .map(|f| (f.field.clone(), f.code.clone()))
                .collect()
        }
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

/// A complete posting in a region, for the tests to vary.
pub(crate) fn posting(region: RegionId, title: &str, category: Category) -> PostingInput {
    PostingInput {
        region_id: region,
        title: title.into(),
        description: String::new(),
        category,
        skills: vec![],
        level: JobLevel::SmallJob,
        contract: ContractKind::Outsourcing,
        trial_months: Some(3),
        pay_kind: PayKind::Hourly,
        pay_yen: 1200,
        hours_per_week: 12,
        days_per_month: 10,
        time_windows: vec![],
        duration_months: None,
        places: 2,
        work_place: WorkPlace::Remote,
        office_visits_per_month: 0,
        office_place: String::new(),
    }
}

pub(crate) fn task(title: &str) -> TaskInput {
    TaskInput {
        title: title.into(),
        description: "請求書を会計ソフトに入力する".into(),
        frequency: Frequency::Daily,
        hours_per_month: 40,
        done_by: "経理担当".into(),
        tools: "クラウド会計".into(),
        tools_access: ToolsAccess::Cloud,
        data_form: DataForm::Digital,
        confidentiality: Confidentiality::Internal,
        on_site: OnSite::Never,
    }
}

async fn an_organisation_works_with_several_regions(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let admin = w.actor("admin");
    let coord_s = w.actor("coord-shimonoseki");
    // Cognity (registered under Hagi) is out of Shimonoseki's reach…
    assert_eq!(
        s.organisation_regions(&admin, w.cognity).await.unwrap(),
        vec![w.hagi]
    );
    assert!(matches!(
        s.tasks(&coord_s, w.cognity).await.unwrap_err(),
        ServiceError::NotFound
    ));
    // …and Shimonoseki's coordinator cannot bring it in (they do not see it), nor Hagi's
    // coordinator bring it into Shimonoseki.
    assert!(matches!(
        s.add_organisation_region(&coord_s, w.cognity, w.shimonoseki)
            .await
            .unwrap_err(),
        ServiceError::NotFound
    ));
    assert!(matches!(
        s.add_organisation_region(&w.actor("coord-hagi"), w.cognity, w.shimonoseki)
            .await
            .unwrap_err(),
        ServiceError::Forbidden
    ));
    assert!(
        s.add_organisation_region(&admin, w.cognity, w.shimonoseki)
            .await
            .unwrap()
    );
    assert!(
        !s.add_organisation_region(&admin, w.cognity, w.shimonoseki)
            .await
            .unwrap()
    );
    assert_eq!(
        s.organisation_regions(&admin, w.cognity).await.unwrap(),
        vec![w.hagi, w.shimonoseki]
    );
    // Now Shimonoseki's coordinator keeps Cognity's inventory and posts for it — there only.
    s.create_task(&coord_s, w.cognity, task("請求書の入力"))
        .await
        .unwrap();
    let there = s
        .create_posting(
            &coord_s,
            w.cognity,
            posting(w.shimonoseki, "GISデータ整備", Category::Gis),
            true,
        )
        .await
        .unwrap();
    assert_eq!(there.region_name, "下関市");
    let e = s
        .create_posting(
            &coord_s,
            w.cognity,
            posting(w.hagi, "萩の求人", Category::Other),
            false,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden), "{e:?}");
    // Eukarya works only with Shimonoseki: posting in Hagi is refused by name.
    let e = s
        .create_posting(
            &w.actor("eukarya"),
            w.eukarya,
            posting(w.hagi, "x", Category::Gis),
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(&e),
        [("region_id".to_owned(), "not_worked_with".to_owned())]
    );
    // Its own region cannot be taken out; one it has postings in neither.
    let codes = |e: ServiceError| field_codes(&e)[0].1.clone();
    assert_eq!(
        codes(
            s.remove_organisation_region(&admin, w.cognity, w.hagi)
                .await
                .unwrap_err()
        ),
        "own_region"
    );
    assert_eq!(
        codes(
            s.remove_organisation_region(&coord_s, w.cognity, w.shimonoseki)
                .await
                .unwrap_err()
        ),
        "has_postings"
    );
    // The coordinators' work lists.
    let names = |v: Vec<jimoto_domain::organisation::OrganisationRef>| {
        v.into_iter().map(|o| o.id).collect::<Vec<_>>()
    };
    let of_s = names(s.work_organisations(&coord_s).await.unwrap());
    assert!(of_s.contains(&w.cognity) && of_s.contains(&w.eukarya));
    assert!(
        !names(s.work_organisations(&w.actor("coord-hagi")).await.unwrap()).contains(&w.eukarya)
    );
    assert_eq!(
        names(s.work_organisations(&w.actor("eukarya")).await.unwrap()),
        vec![w.eukarya]
    );
}

async fn a_task_is_assessed_and_becomes_a_draft_posting(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let cognity = w.actor("cognity");
    let ready = s
        .create_task(&cognity, w.cognity, task("  請求書の入力  "))
        .await
        .unwrap();
    assert_eq!(ready.task.title, "請求書の入力");
    assert_eq!(ready.assessment.readiness, Readiness::RemoteReady);
    // 40 hours a month, daily: two people of 20 hours.
    assert_eq!((ready.split.people, ready.split.hours_each), (2, 20));
    let paper = s
        .create_task(
            &cognity,
            w.cognity,
            TaskInput {
                data_form: DataForm::Paper,
                confidentiality: Confidentiality::Personal,
                ..task("紙の申込書の入力")
            },
        )
        .await
        .unwrap();
    assert_eq!(paper.assessment.readiness, Readiness::DigitiseFirst);
    assert_eq!(paper.assessment.reasons.len(), 2);
    // Bad input: every problem named, nothing written.
    let e = s
        .create_task(
            &cognity,
            w.cognity,
            TaskInput {
                title: " ".into(),
                hours_per_month: 0,
                ..task("x")
            },
        )
        .await
        .unwrap_err();
    let fields: Vec<String> = field_codes(&e).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["hours_per_month", "title"]);
    // The world's task, and these two.
    assert_eq!(s.tasks(&cognity, w.cognity).await.unwrap().len(), 3);
    // Another company sees nothing of it.
    assert!(matches!(
        s.tasks(&w.actor("eukarya"), w.cognity).await.unwrap_err(),
        ServiceError::NotFound
    ));
    assert!(matches!(
        s.task(&w.actor("eukarya"), ready.task.id)
            .await
            .unwrap_err(),
        ServiceError::NotFound
    ));
    // A task becomes a draft posting, pre-filled, once.
    let id = s
        .task_to_posting(&cognity, ready.task.id, w.hagi)
        .await
        .unwrap();
    let draft = s.posting(Some(&cognity), id).await.unwrap();
    assert_eq!(draft.status, PostingStatus::Draft);
    assert_eq!(draft.title, "請求書の入力");
    assert_eq!((draft.places, draft.pay_yen), (2, 0));
    assert_eq!(draft.task_id, Some(ready.task.id));
    let e = s
        .task_to_posting(&cognity, ready.task.id, w.hagi)
        .await
        .unwrap_err();
    assert_eq!(field_codes(&e)[0].1, "has_posting");
    assert_eq!(
        field_codes(&s.delete_task(&cognity, ready.task.id).await.unwrap_err())[0].1,
        "has_posting"
    );
    s.delete_task(&cognity, paper.task.id).await.unwrap();
    // Opening needs the pay.
    let e = s
        .set_posting_status(&cognity, id, PostingStatus::Open)
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(&e),
        [("pay_yen".to_owned(), "required_to_open".to_owned())]
    );
    let mut input = draft.input();
    input.pay_yen = 1200;
    input.category = Category::Accounting;
    s.update_posting(&cognity, id, input).await.unwrap();
    let open = s
        .set_posting_status(&cognity, id, PostingStatus::Open)
        .await
        .unwrap();
    assert!(open.published_at.is_some());
    // An open posting is public; the board lists it.
    assert_eq!(s.posting(None, id).await.unwrap().title, "請求書の入力");
    let board = board(&s, "請求書").await;
    assert_eq!(board, ["請求書の入力"]);
    // Closed: off the board, still readable by its company.
    s.set_posting_status(&cognity, id, PostingStatus::Closed)
        .await
        .unwrap();
    assert!(board_titles(&s, BoardFilter::default()).await.is_empty());
    assert!(matches!(
        s.posting(None, id).await.unwrap_err(),
        ServiceError::NotFound
    ));
}

async fn board(s: &Services, q: &str) -> Vec<String> {
    board_titles(
        s,
        BoardFilter {
            q: Some(q.into()),
            ..BoardFilter::default()
        },
    )
    .await
}

async fn board_titles(s: &Services, f: BoardFilter) -> Vec<String> {
    let mut titles: Vec<String> = s
        .board(&f, &PageRequest::first(100))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.title)
        .collect();
    titles.sort();
    titles
}

async fn open_postings(s: &Services, w: &World, org: OrganisationId, list: &[PostingInput]) {
    let login = if org == w.cognity {
        "cognity"
    } else {
        "eukarya"
    };
    for p in list {
        s.create_posting(&w.actor(login), org, p.clone(), true)
            .await
            .unwrap();
    }
}

async fn the_board_finds_words_in_any_kana_or_width(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let h = w.hagi;
    open_postings(
        &s,
        &w,
        w.cognity,
        &[
            posting(h, "経理補助（月末の締め）", Category::Accounting),
            posting(h, "Webサイトの更新", Category::Other),
            posting(h, "ウェブ広告の運用", Category::Other),
            PostingInput {
                skills: vec![Skill {
                    name: "Premiere Pro".into(),
                    level: 2,
                }],
                ..posting(h, "動画編集アシスタント", Category::Video)
            },
            posting(h, "アンケートのデータ入力", Category::DataEntry),
            PostingInput {
                description: "紙の帳票を見て、表計算ソフトに数字を打ち込みます。".into(),
                ..posting(h, "帳票の転記", Category::DataEntry)
            },
            posting(h, "ホームページの文章作成", Category::Web),
        ],
    )
    .await;
    open_postings(
        &s,
        &w,
        w.eukarya,
        &[PostingInput {
            hours_per_week: 20,
            pay_kind: PayKind::Fixed,
            pay_yen: 40_000,
            work_place: WorkPlace::Office,
            office_visits_per_month: 2,
            office_place: "豊北総合支所".into(),
            level: JobLevel::Recurring,
            ..posting(
                w.shimonoseki,
                "Re:Earth による GIS データ整備",
                Category::Gis,
            )
        }],
    )
    .await;
    let cases: &[(&str, &[&str])] = &[
        ("経理", &["経理補助（月末の締め）"]),
        // Full-width letters are the same letters; the Web category is found by ウェブ too.
        ("ＷＥＢ", &["Webサイトの更新", "ホームページの文章作成"]),
        ("web", &["Webサイトの更新", "ホームページの文章作成"]),
        ("ウェブ", &["ウェブ広告の運用", "ホームページの文章作成"]),
        ("ｳｪﾌﾞ", &["ウェブ広告の運用", "ホームページの文章作成"]),
        ("うぇぶ", &["ウェブ広告の運用", "ホームページの文章作成"]),
        ("データ入力", &["アンケートのデータ入力", "帳票の転記"]),
        ("動画", &["動画編集アシスタント"]),
        ("premiere", &["動画編集アシスタント"]),
        ("打ち込み", &["帳票の転記"]),
        ("ユーカリヤ", &["Re:Earth による GIS データ整備"]),
        ("gis", &["Re:Earth による GIS データ整備"]),
        ("翻訳", &[]),
    ];
    for (q, expected) in cases {
        assert_eq!(board(&s, q).await, *expected, "{q}");
    }
    // One character is not a search.
    let e = s
        .board(
            &BoardFilter {
                q: Some("経".into()),
                ..BoardFilter::default()
            },
            &PageRequest::first(10),
        )
        .await
        .unwrap_err();
    assert_eq!(field_codes(&e), [("q".to_owned(), "too_short".to_owned())]);
    // Filters: hours, pay by the hour (a fixed fee compared by the hour), style, level, region.
    let f = |f: BoardFilter| board_titles(&s, f);
    assert_eq!(
        f(BoardFilter {
            max_hours: Some(15),
            region: Some(w.shimonoseki),
            ..BoardFilter::default()
        })
        .await
        .len(),
        0
    );
    assert_eq!(
        f(BoardFilter {
            work_place: Some(WorkPlace::Office),
            ..BoardFilter::default()
        })
        .await,
        ["Re:Earth による GIS データ整備"]
    );
    // ¥40,000 a month for 20 hours a week is ¥462 an hour.
    assert_eq!(
        f(BoardFilter {
            min_hourly: Some(1000),
            ..BoardFilter::default()
        })
        .await
        .len(),
        7
    );
    assert_eq!(
        f(BoardFilter {
            level: Some(JobLevel::Recurring),
            region: Some(w.shimonoseki),
            ..BoardFilter::default()
        })
        .await
        .len(),
        1
    );
    assert_eq!(
        f(BoardFilter {
            q: Some("データ".into()),
            category: Some(Category::DataEntry),
            region: Some(w.hagi),
            ..BoardFilter::default()
        })
        .await
        .len(),
        2
    );
    // Renaming the organisation re-indexes its postings.
    let cognity = s.organisation(&w.actor("admin"), w.cognity).await.unwrap();
    let mut input = jimoto_domain::organisation::OrganisationInput {
        region_id: cognity.organisation.region_id,
        name: "コグニティ・ワークス株式会社".into(),
        name_kana: cognity.organisation.name_kana.clone(),
        kind: cognity.organisation.kind,
        industry: cognity.organisation.industry.clone(),
        hq_prefecture: cognity.organisation.hq_prefecture.clone(),
        telework_share_percent: cognity.organisation.telework_share_percent,
    };
    s.update_organisation(&w.actor("admin"), w.cognity, input.clone())
        .await
        .unwrap();
    assert_eq!(board(&s, "ワークス").await.len(), 7);
    input.name = "コグニティ株式会社".into();
    s.update_organisation(&w.actor("admin"), w.cognity, input)
        .await
        .unwrap();
    assert!(board(&s, "ワークス").await.is_empty());
}

async fn drafts_stay_with_their_organisation_and_region(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let draft = s
        .create_posting(
            &w.actor("cognity"),
            w.cognity,
            PostingInput {
                pay_yen: 0,
                ..posting(w.hagi, "下書きの求人", Category::Writing)
            },
            false,
        )
        .await
        .unwrap();
    for login in ["cognity", "coord-hagi", "city-hagi", "admin"] {
        assert!(
            s.posting(Some(&w.actor(login)), draft.id).await.is_ok(),
            "{login}"
        );
    }
    for login in [
        "eukarya",
        "coord-shimonoseki",
        "city-shimonoseki",
        "resident-hagi",
    ] {
        assert!(
            matches!(
                s.posting(Some(&w.actor(login)), draft.id)
                    .await
                    .unwrap_err(),
                ServiceError::NotFound
            ),
            "{login}"
        );
    }
    assert!(s.posting(None, draft.id).await.is_err());
    // Only the company and Hagi's coordinators change it; the city sees it but may not.
    let e = s
        .update_posting(&w.actor("city-hagi"), draft.id, draft.input())
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden), "{e:?}");
    let e = s
        .update_posting(&w.actor("eukarya"), draft.id, draft.input())
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e:?}");
    // Office work must say how often and where; a skill is asked for once; bad input writes
    // nothing.
    let e = s
        .update_posting(
            &w.actor("coord-hagi"),
            draft.id,
            PostingInput {
                work_place: WorkPlace::Office,
                skills: vec![
                    Skill {
                        name: "Excel".into(),
                        level: 2,
                    },
                    Skill {
                        name: "ｅｘｃｅｌ".into(),
                        level: 3,
                    },
                ],
                ..draft.input()
            },
        )
        .await
        .unwrap_err();
    let mut fields: Vec<String> = field_codes(&e).into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(
        fields,
        ["office_place", "office_visits_per_month", "skills[1].name"]
    );
    assert!(
        s.posting(Some(&w.actor("cognity")), draft.id)
            .await
            .unwrap()
            .skills
            .is_empty()
    );
    // The company's list: its drafts (the world's and this one) and the world's closed job for
    // it; another company may not see the organisation's list at all.
    assert_eq!(
        s.postings_of(&w.actor("cognity"), w.cognity)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(matches!(
        s.postings_of(&w.actor("eukarya"), w.cognity)
            .await
            .unwrap_err(),
        ServiceError::NotFound
    ));
}

/// Through the pages: a company inventories a task, answering the guided questions (a wrong
/// answer named), sees its assessment, turns it into a draft, sets its pay and opens it; the
/// board finds it for a visitor without a login; a coordinator of another region gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_take_a_task_to_the_board() {
    use reqwest::StatusCode;
    let app = jimoto_testkit::TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let org = w.cognity;
    let (client, csrf) = app.login("cognity").await;
    // The work page: its region, the world's task, a form for another.
    let page = app
        .page(&client, &format!("/organisations/{org}/work"))
        .await;
    assert!(
        page.contains("アンケートのデータ入力") && page.contains("萩市"),
        "{page}"
    );
    let fields = |hours: &'static str, data: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "経理の月次締め補助".to_owned()),
            ("frequency", "monthly".to_owned()),
            ("hours_per_month", hours.to_owned()),
            ("tools_access", "cloud".to_owned()),
            ("data_form", data.to_owned()),
            ("confidentiality", "internal".to_owned()),
            ("on_site", "never".to_owned()),
        ]
    };
    let bad = fields("二十", "scroll");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app
        .post_form(&client, &format!("/organisations/{org}/tasks/new"), &bad)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text();
    assert!(
        body.contains("月あたりの時間") && body.contains("データの形"),
        "{body}"
    );
    let good = fields("２０", "digital");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app
        .post_form(&client, &format!("/organisations/{org}/tasks/new"), &good)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app
        .page(&client, &format!("/organisations/{org}/work"))
        .await;
    assert!(
        page.contains("保存しました") && page.contains("テレワークでできます"),
        "{page}"
    );
    assert!(page.contains("分担案：1人で1人あたり月20時間"), "{page}");
    let s = &app.services;
    let tasks = s.tasks(&w.actor("cognity"), org).await.unwrap();
    let task = tasks
        .iter()
        .find(|t| t.task.title == "経理の月次締め補助")
        .unwrap()
        .task
        .id;
    let res = app
        .post_form(
            &client,
            &format!("/tasks/{task}/posting"),
            &[("csrf", csrf.as_str()), ("region_id", &w.hagi.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let edit = res.location();
    assert!(edit.ends_with("/edit"), "{edit}");
    let id: i64 = edit
        .trim_start_matches("/postings/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    let form = app.page(&client, &edit).await;
    assert!(form.contains("経理の月次締め補助"), "{form}");
    // Opening the draft without pay is refused by name.
    let res = app
        .post_form(
            &client,
            &format!("/postings/{id}/status"),
            &[("csrf", csrf.as_str()), ("status", "open")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("公開するには入力が必要です"));
    let hagi = w.hagi.to_string();
    let posting = [
        ("csrf", csrf.as_str()),
        ("region_id", hagi.as_str()),
        ("title", "経理の月次締め補助"),
        ("category", "accounting"),
        ("level", "small_job"),
        ("contract", "outsourcing"),
        ("trial_months", "3"),
        ("pay_kind", "hourly"),
        ("pay_yen", "1,200"),
        ("hours_per_week", "5"),
        ("days_per_month", "7"),
        ("places", "1"),
        ("work_place", "remote"),
        ("skill_name_0", "Excel"),
        ("skill_level_0", "x"),
    ];
    let res = app
        .post_form(&client, &format!("/postings/{id}/edit"), &posting)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text();
    assert!(
        body.contains("報酬（円）") && body.contains("スキル 1 レベル"),
        "{body}"
    );
    let mut fixed = posting.to_vec();
    fixed[8] = ("pay_yen", "1200");
    fixed[14] = ("skill_level_0", "2");
    let res = app
        .post_form(&client, &format!("/postings/{id}/edit"), &fixed)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &client,
            &format!("/postings/{id}/status"),
            &[("csrf", csrf.as_str()), ("status", "open")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A visitor finds it by a two-character word, in English too; one character is named.
    let visitor = app.anonymous();
    let board = app.page(&visitor, "/jobs?q=経理").await;
    assert!(
        board.contains("経理の月次締め補助") && board.contains("時給 1,200円"),
        "{board}"
    );
    let board = app.page(&visitor, "/jobs?q=%E7%B5%8C").await;
    assert!(board.contains("2文字以上"), "{board}");
    let res = visitor.get("/jobs?max_hours=abc").send().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .contains("週あたりの時間: 数字で入力してください"),
        "a wrong number is named"
    );
    let page = app.page(&visitor, &format!("/postings/{id}")).await;
    assert!(page.contains("試用期間3か月の後、業務委託"), "{page}");
    let en = visitor
        .get(&format!("/postings/{id}"))
        .header("accept-language", "en")
        .send()
        .await
        .text();
    assert!(
        en.contains("3-month trial, then Outsourcing (freelance)"),
        "{en}"
    );
    // The world's draft is not public; another region's coordinator gets nothing of Cognity.
    let res = visitor
        .get(&format!("/postings/{}", w.cognity_draft))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (other, _) = app.login("coord-shimonoseki").await;
    let res = other
        .get(&format!("/organisations/{org}/work"))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = other.get(&format!("/tasks/{task}")).send().await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The audit log tells the posting's changes in the form's words.
    let (admin, _) = app.login("admin").await;
    let log = app.page(&admin, "/admin/audit?entity=posting").await;
    for words in ["その他 → 経理・事務", "下書き → 公開中", "1,200円"] {
        assert!(log.contains(words), "{words}: {log}");
    }
    // The API board is public too.
    let api: serde_json::Value = visitor
        .get("/api/v1/jobs?q=%E7%B5%8C%E7%90%86")
        .send()
        .await
        .json();
    assert_eq!(api["items"][0]["title"], "経理の月次締め補助");
}
