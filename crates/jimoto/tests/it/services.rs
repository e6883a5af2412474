//! Service tests (authorisation, validation, transactions, audit), each on SQLite and PostgreSQL.

use jimoto_domain::region::RegionInput;
use jimoto_domain::{Actor, Lang, RegionId, Role};
use jimoto_services::{AccountScope, NewAccount, PageRequest, ServiceError, Services};
use jimoto_store::audit::AuditFilter;
use jimoto_store::regions::RegionFilter;
use jimoto_testkit::{DEMO_PASSWORD, TestDb, both_engines};

both_engines!(
    demo_loads_once_and_is_reused,
    login_sessions_and_logout,
    five_wrong_passwords_lock_the_login,
    bad_region_input_is_refused_whole_and_changes_nothing,
    resident_changes_are_audited_without_sensitive_values,
    circumstances_are_hidden_from_admin_and_municipal_staff,
    personal_access_tokens_act_as_their_owner,
    accounts_need_a_scope_that_fits_their_role,
    changing_the_password_ends_other_sessions,
    disabled_accounts_lose_sessions_tokens_and_login,
    coordinators_give_logins_only_within_their_regions,
    admins_change_an_accounts_name_and_scope,
);

async fn demo(t: &TestDb) -> (Services, jimoto_demo::DemoIds) {
    let s = t.services();
    let ids = jimoto_demo::load_fresh(&s).await.expect("demo loads");
    (s, ids)
}

async fn actor(s: &Services, login: &str) -> Actor {
    s.login(login, DEMO_PASSWORD, "127.0.0.1")
        .await
        .expect("demo login works")
        .actor
}

async fn demo_loads_once_and_is_reused(t: TestDb) {
    let s = t.services();
    assert!(jimoto_demo::load(&s).await.unwrap(), "first run loads");
    assert!(!jimoto_demo::load(&s).await.unwrap(), "second run reuses");
    let admin = actor(&s, "admin").await;
    let regions = s
        .regions(&admin, &RegionFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        regions
            .items
            .iter()
            .map(|r| r.lg_code.as_str())
            .collect::<Vec<_>>(),
        vec!["352012", "352047"]
    );
    for l in jimoto_demo::logins() {
        let a = actor(&s, l.login).await;
        assert_eq!(a.principal.role(), l.role, "{}", l.login);
    }
    let coord = actor(&s, "coord-hagi").await;
    let hagi = s
        .residents(&coord, &Default::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(hagi.total, 5);
}

async fn login_sessions_and_logout(t: TestDb) {
    let (s, _) = demo(&t).await;
    let out = s
        .login("coord-hagi", DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    let ctx = s.session(&out.session_token).await.unwrap();
    assert_eq!(ctx.actor.login, "coord-hagi");
    assert_eq!(ctx.csrf_token, out.csrf_token);
    assert!(matches!(
        s.session("forged").await,
        Err(ServiceError::Unauthenticated)
    ));
    s.logout(&out.session_token).await.unwrap();
    assert!(matches!(
        s.session(&out.session_token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.login("nobody", "whatever-123", "127.0.0.1").await,
        Err(ServiceError::InvalidCredentials)
    ));
}

async fn five_wrong_passwords_lock_the_login(t: TestDb) {
    let (s, _) = demo(&t).await;
    for i in 1..=4 {
        let r = s.login("coord-hagi", "wrong-password", "10.1.1.1").await;
        assert!(
            matches!(r, Err(ServiceError::InvalidCredentials)),
            "attempt {i}: {r:?}"
        );
    }
    let fifth = s.login("coord-hagi", "wrong-password", "10.1.1.1").await;
    assert!(
        matches!(
            fifth,
            Err(ServiceError::TooManyAttempts {
                retry_after_minutes: 15
            })
        ),
        "{fifth:?}"
    );
    let right = s.login("coord-hagi", DEMO_PASSWORD, "10.1.1.1").await;
    assert!(
        matches!(right, Err(ServiceError::TooManyAttempts { .. })),
        "locked even with the right password"
    );
    // Other logins are not affected.
    assert!(
        s.login("coord-shimonoseki", DEMO_PASSWORD, "10.1.1.2")
            .await
            .is_ok()
    );
}

fn codes(e: ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn bad_region_input_is_refused_whole_and_changes_nothing(t: TestDb) {
    let (s, ids) = demo(&t).await;
    let admin = actor(&s, "admin").await;
    let audit_before = s
        .audit_log(&admin, &AuditFilter::default(), PageRequest::default())
        .await
        .unwrap()
        .total;
    let bad = RegionInput {
        lg_code: "352048".into(),
        name: "   ".into(),
        name_kana: "かな".into(),
        policy_issues: vec!["x".repeat(101)],
        vision: "v".repeat(4001),
    };
    let e = s.create_region(&admin, bad).await.unwrap_err();
    assert_eq!(
        codes(e),
        vec![
            ("lg_code".into(), "lg_code_check_digit".into()),
            ("name".into(), "required".into()),
            ("name_kana".into(), "kana".into()),
            ("policy_issues".into(), "item_too_long".into()),
            ("vision".into(), "too_long".into()),
        ]
    );
    let dup = RegionInput {
        lg_code: "352047".into(),
        name: "萩市".into(),
        ..RegionInput::default()
    };
    assert_eq!(
        codes(s.create_region(&admin, dup).await.unwrap_err()),
        vec![("lg_code".into(), "taken".into())]
    );
    // An update with a bad code leaves the region as it was.
    let hagi = ids.hagi.unwrap();
    let before = s.region(&admin, hagi).await.unwrap();
    let bad_update = RegionInput {
        lg_code: "12345".into(),
        name: "改名".into(),
        ..RegionInput::default()
    };
    assert_eq!(
        codes(s.update_region(&admin, hagi, bad_update).await.unwrap_err()),
        vec![("lg_code".into(), "lg_code_format".into())]
    );
    assert_eq!(s.region(&admin, hagi).await.unwrap(), before);
    let regions = s
        .regions(&admin, &RegionFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(regions.total, 2);
    let audit_after = s
        .audit_log(&admin, &AuditFilter::default(), PageRequest::default())
        .await
        .unwrap()
        .total;
    assert_eq!(
        audit_before, audit_after,
        "refused input writes no audit entry"
    );
}

async fn resident_changes_are_audited_without_sensitive_values(t: TestDb) {
    let (s, ids) = demo(&t).await;
    let coord = actor(&s, "coord-hagi").await;
    let id = ids.resident("hanako").unwrap();
    let r = s.resident(&coord, id).await.unwrap();
    let mut input = jimoto_domain::resident::ResidentInput {
        region_id: r.region_id,
        name: r.name.clone(),
        name_kana: r.name_kana.clone(),
        email: r.email.clone(),
        phone: "0838-00-1234".into(),
        circumstances: r.circumstances.clone().unwrap(),
        skills: r.skills.clone(),
        spare_hours_per_week: 30,
        time_windows: r.time_windows.clone(),
        work_styles: r.work_styles.clone(),
        office_visits: r.office_visits,
        max_travel_minutes: r.max_travel_minutes,
    };
    input.circumstances.care = true;
    input.circumstances.note = "介護が始まった".into();
    let updated = s.update_resident(&coord, id, input).await.unwrap();
    assert_eq!(updated.spare_hours_per_week, 30);
    let admin = actor(&s, "admin").await;
    let f = AuditFilter {
        entity: Some("resident".into()),
        entity_id: Some(id.0),
    };
    let log = s
        .audit_log(&admin, &f, PageRequest::default())
        .await
        .unwrap();
    let latest = &log.items[0];
    assert_eq!(
        (latest.action.as_str(), latest.actor_login.as_str()),
        ("update", "coord-hagi")
    );
    assert_eq!(
        latest.changes["spare_hours_per_week"],
        serde_json::json!([20, 30])
    );
    assert_eq!(
        latest.changes["phone"],
        serde_json::json!(["090-1111-0001", "0838-00-1234"])
    );
    assert_eq!(
        latest.changes["circumstances"],
        serde_json::json!("(changed)")
    );
    assert!(
        !latest.changes.to_string().contains("介護が始まった"),
        "sensitive text stays out of the log"
    );
    assert!(matches!(
        s.audit_log(&coord, &f, PageRequest::default()).await,
        Err(ServiceError::Forbidden)
    ));
}

async fn circumstances_are_hidden_from_admin_and_municipal_staff(t: TestDb) {
    let (s, ids) = demo(&t).await;
    let id = ids.resident("hanako").unwrap();
    for (login, visible) in [
        ("coord-hagi", true),
        ("resident-hagi", true),
        ("city-hagi", false),
        ("admin", false),
    ] {
        let a = actor(&s, login).await;
        let r = s.resident(&a, id).await.unwrap();
        assert_eq!(r.circumstances.is_some(), visible, "{login}");
        let list = s
            .residents(&a, &Default::default(), PageRequest::default())
            .await;
        if let Ok(page) = list {
            assert!(
                page.items
                    .iter()
                    .all(|r| r.circumstances.is_some() == visible),
                "{login} list"
            );
        }
    }
}

async fn personal_access_tokens_act_as_their_owner(t: TestDb) {
    let (s, _) = demo(&t).await;
    let token = s.create_token_for_login("cognity", "ci").await.unwrap();
    assert!(token.starts_with("jmt_"));
    let a = s.actor_for_token(&token).await.unwrap();
    assert_eq!(
        (a.login.as_str(), a.principal.role()),
        ("cognity", Role::CompanyMember)
    );
    let listed = s.tokens(&a).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(token.starts_with(&listed[0].prefix));
    let other = actor(&s, "eukarya").await;
    assert!(matches!(
        s.revoke_token(&other, listed[0].id).await,
        Err(ServiceError::NotFound)
    ));
    s.revoke_token(&a, listed[0].id).await.unwrap();
    assert!(matches!(
        s.actor_for_token(&token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.actor_for_token("jmt_forged").await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.create_token(&a, " ").await,
        Err(ServiceError::Validation(_))
    ));
}

async fn accounts_need_a_scope_that_fits_their_role(t: TestDb) {
    let (s, ids) = demo(&t).await;
    let admin = actor(&s, "admin").await;
    let coord = actor(&s, "coord-hagi").await;
    let account = |role, scope| NewAccount {
        login: "new-user".into(),
        display_name: "新しい人".into(),
        password: "long-enough-password".into(),
        role,
        scope,
        lang: Lang::Ja,
    };
    let e = s
        .create_account(
            &admin,
            account(Role::Municipal, AccountScope::Regions(vec![])),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("scope".into(), "scope_mismatch".into())]);
    let e = s
        .create_account(
            &admin,
            account(
                Role::Coordinator,
                AccountScope::Regions(vec![RegionId(999)]),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("regions".into(), "unknown".into())]);
    assert!(matches!(
        s.create_account(&coord, account(Role::Admin, AccountScope::Platform))
            .await,
        Err(ServiceError::Forbidden)
    ));
    let mut short = account(Role::Admin, AccountScope::Platform);
    short.password = "short".into();
    assert_eq!(
        codes(s.create_account(&admin, short).await.unwrap_err()),
        vec![("password".into(), "too_short".into())]
    );
    s.create_account(
        &admin,
        account(
            Role::Coordinator,
            AccountScope::Regions(vec![ids.hagi.unwrap(), ids.shimonoseki.unwrap()]),
        ),
    )
    .await
    .unwrap();
    let both = actor_with_password(&s, "new-user", "long-enough-password").await;
    assert_eq!(
        both.principal,
        jimoto_domain::Principal::Coordinator {
            regions: vec![ids.shimonoseki.unwrap(), ids.hagi.unwrap()]
                .into_iter()
                .fold(Vec::new(), |mut v, r| {
                    v.push(r);
                    v.sort();
                    v
                })
        }
    );
    let e = s
        .create_account(&admin, account(Role::Admin, AccountScope::Platform))
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("login".into(), "taken".into())]);
}

async fn actor_with_password(s: &Services, login: &str, password: &str) -> Actor {
    s.login(login, password, "127.0.0.1").await.unwrap().actor
}

async fn changing_the_password_ends_other_sessions(t: TestDb) {
    let (s, _) = demo(&t).await;
    let here = s
        .login("eukarya", DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    let elsewhere = s
        .login("eukarya", DEMO_PASSWORD, "127.0.0.2")
        .await
        .unwrap();
    let a = here.actor.clone();
    let e = s
        .change_password(&a, Some(&here.session_token), "wrong", "short", "other")
        .await
        .unwrap_err();
    assert_eq!(
        codes(e),
        vec![
            ("current_password".into(), "wrong_password".into()),
            ("new_password".into(), "too_short".into()),
            ("new_password_confirm".into(), "mismatch".into()),
        ]
    );
    assert!(
        s.session(&elsewhere.session_token).await.is_ok(),
        "a refused change ends nothing"
    );
    s.change_password(
        &a,
        Some(&here.session_token),
        DEMO_PASSWORD,
        "a-new-long-password",
        "a-new-long-password",
    )
    .await
    .unwrap();
    assert!(
        s.session(&here.session_token).await.is_ok(),
        "the current session stays"
    );
    assert!(matches!(
        s.session(&elsewhere.session_token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.login("eukarya", DEMO_PASSWORD, "127.0.0.3").await,
        Err(ServiceError::InvalidCredentials)
    ));
    assert!(
        s.login("eukarya", "a-new-long-password", "127.0.0.3")
            .await
            .is_ok()
    );
}

async fn disabled_accounts_lose_sessions_tokens_and_login(t: TestDb) {
    let (s, _) = demo(&t).await;
    let admin = actor(&s, "admin").await;
    let session = s
        .login("cognity", DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    let token = s.create_token_for_login("cognity", "ci").await.unwrap();
    let coord = actor(&s, "coord-hagi").await;
    let cognity = session.actor.user_id;
    assert!(matches!(
        s.set_account_disabled(&coord, cognity, true).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(
        codes(
            s.set_account_disabled(&admin, admin.user_id, true)
                .await
                .unwrap_err()
        ),
        vec![("user_id".into(), "self".into())]
    );
    s.set_account_disabled(&admin, cognity, true).await.unwrap();
    assert!(matches!(
        s.session(&session.session_token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.actor_for_token(&token).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        s.login("cognity", DEMO_PASSWORD, "127.0.0.1").await,
        Err(ServiceError::InvalidCredentials)
    ));
    s.set_account_disabled(&admin, cognity, false)
        .await
        .unwrap();
    assert!(s.login("cognity", DEMO_PASSWORD, "127.0.0.1").await.is_ok());
    assert!(
        s.actor_for_token(&token).await.is_ok(),
        "re-enabled tokens work again"
    );
    let f = AuditFilter {
        entity: Some("user".into()),
        entity_id: Some(cognity.0),
    };
    let log = s
        .audit_log(&admin, &f, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        log.items[0].changes["disabled"],
        serde_json::json!([true, false])
    );
    assert_eq!(
        log.items[1].changes["disabled"],
        serde_json::json!([false, true])
    );
}

async fn coordinators_give_logins_only_within_their_regions(t: TestDb) {
    let (s, ids) = demo(&t).await;
    let coord = actor(&s, "coord-hagi").await;
    let new = |login: &str, role, scope| NewAccount {
        login: login.into(),
        display_name: "新しい人".into(),
        password: "long-enough-password".into(),
        role,
        scope,
        lang: Lang::Ja,
    };
    let misaki = ids.resident("misaki").unwrap();
    let kenichi = ids.resident("kenichi").unwrap();
    s.create_account(
        &coord,
        new("misaki", Role::Resident, AccountScope::Resident(misaki)),
    )
    .await
    .unwrap();
    let a = actor_with_password(&s, "misaki", "long-enough-password").await;
    assert_eq!(
        a.principal,
        jimoto_domain::Principal::Resident {
            resident: misaki,
            region: ids.hagi.unwrap()
        }
    );
    // A second login for the same resident, another region's resident, and a resident id that
    // does not exist all get the same answer.
    for scope in [misaki, kenichi, jimoto_domain::ResidentId(999_999)] {
        let e = s
            .create_account(
                &coord,
                new("x-user", Role::Resident, AccountScope::Resident(scope)),
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![("resident_id".into(), "unknown_or_linked".into())],
            "{scope:?}"
        );
    }
    let cognity = ids.org("cognity").unwrap();
    let eukarya = ids.org("eukarya").unwrap();
    s.create_account(
        &coord,
        new(
            "cognity-2",
            Role::CompanyMember,
            AccountScope::Organisation(cognity),
        ),
    )
    .await
    .unwrap();
    let e = s
        .create_account(
            &coord,
            new(
                "eukarya-2",
                Role::CompanyMember,
                AccountScope::Organisation(eukarya),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("organisation_id".into(), "unknown".into())]);
    // Coordinators cannot make staff accounts, even for their own region.
    let e = s
        .create_account(
            &coord,
            new(
                "coord-2",
                Role::Coordinator,
                AccountScope::Regions(vec![ids.hagi.unwrap()]),
            ),
        )
        .await;
    assert!(matches!(e, Err(ServiceError::Forbidden)));
    // The municipal staff may see the resident but not give logins.
    let city = actor(&s, "city-hagi").await;
    let yui = ids.resident("yui").unwrap();
    assert!(matches!(
        s.create_account(
            &city,
            new("yui", Role::Resident, AccountScope::Resident(yui))
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
}

async fn admins_change_an_accounts_name_and_scope(t: TestDb) {
    let (s, ids) = demo(&t).await;
    let admin = actor(&s, "admin").await;
    let coord = actor(&s, "coord-hagi").await;
    let kenichi = ids.resident("kenichi").unwrap();
    let (hagi, shimo) = (ids.hagi.unwrap(), ids.shimonoseki.unwrap());
    assert!(matches!(
        s.resident(&coord, kenichi).await,
        Err(ServiceError::NotFound)
    ));
    let both = Some(AccountScope::Regions(vec![shimo, hagi, hagi]));
    assert!(matches!(
        s.update_account(&coord, coord.user_id, "x", both.clone())
            .await,
        Err(ServiceError::Forbidden)
    ));
    s.update_account(&admin, coord.user_id, "萩・下関 コーディネーター", both)
        .await
        .unwrap();
    // The next request sees the new scope.
    let coord = actor(&s, "coord-hagi").await;
    assert_eq!(coord.display_name, "萩・下関 コーディネーター");
    assert!(
        s.resident(&coord, kenichi).await.is_ok(),
        "now coordinates Shimonoseki too"
    );
    // Scopes must fit the role and exist; a resident's record cannot be swapped.
    let city = actor(&s, "city-hagi").await;
    let e = s
        .update_account(
            &admin,
            city.user_id,
            "市",
            Some(AccountScope::Regions(vec![hagi, shimo])),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("scope".into(), "scope_mismatch".into())]);
    let e = s
        .update_account(
            &admin,
            city.user_id,
            " ",
            Some(AccountScope::Regions(vec![RegionId(999)])),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("display_name".into(), "required".into())]);
    let e = s
        .update_account(
            &admin,
            city.user_id,
            "市",
            Some(AccountScope::Regions(vec![RegionId(999)])),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("regions".into(), "unknown".into())]);
    let resident = actor(&s, "resident-hagi").await;
    let misaki = ids.resident("misaki").unwrap();
    let e = s
        .update_account(
            &admin,
            resident.user_id,
            "花子",
            Some(AccountScope::Resident(misaki)),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("scope".into(), "scope_mismatch".into())]);
    s.update_account(&admin, resident.user_id, "山田 花子（萩）", None)
        .await
        .unwrap();
    let member = actor(&s, "cognity").await;
    s.update_account(
        &admin,
        member.user_id,
        "佐藤",
        Some(AccountScope::Organisation(ids.org("jr-west").unwrap())),
    )
    .await
    .unwrap();
    let moved = actor(&s, "cognity").await;
    assert_eq!(
        moved.principal,
        jimoto_domain::Principal::CompanyMember {
            organisation: ids.org("jr-west").unwrap()
        }
    );
    let f = AuditFilter {
        entity: Some("user".into()),
        entity_id: Some(coord.user_id.0),
    };
    let log = s
        .audit_log(&admin, &f, PageRequest::default())
        .await
        .unwrap();
    let mut expected = vec![hagi, shimo];
    expected.sort();
    assert_eq!(
        log.items[0].changes["regions"],
        serde_json::json!([[hagi], expected])
    );
}
