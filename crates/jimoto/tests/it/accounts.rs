//! Accounts: scopes that fit roles, logins taken, passwords, disabling, coordinators giving
//! logins, admins changing scopes — services on both engines, then the pages and the API.

use jimoto_domain::audit::{AuditEntity, AuditFilter};
use jimoto_domain::{
    AccountScope, Actor, Lang, PageRequest, Principal, RegionId, ResidentId, Role,
};
use jimoto_services::{NewAccount, ServiceError, Services};
use jimoto_testkit::{Engine, PASSWORD, TestApp, TestDb, both_engines};
use reqwest::StatusCode;
use serde_json::json;

both_engines!(
    accounts_need_a_scope_that_fits_their_role,
    changing_the_password_ends_other_sessions,
    disabled_accounts_lose_sessions_tokens_and_login,
    coordinators_give_logins_only_within_their_regions,
    admins_change_an_accounts_name_and_scope,
    roles_change_only_where_safe,
);

/// An administrator may turn a coordinator into municipal staff and back (the regions carry
/// over); nothing else, and a refused change leaves everything as it was.
async fn roles_change_only_where_safe(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let admin = w.actor("admin");
    let coord = w.actor("coord-hagi").user_id;
    s.update_account_and_role(&admin, coord, "萩 大谷", None, Some(Role::Municipal))
        .await
        .unwrap();
    let a = s.account(&admin, coord).await.unwrap();
    assert_eq!((a.role, a.regions.clone()), (Role::Municipal, vec![w.hagi]));
    let actor = s.actor_for_user(coord).await.unwrap().unwrap();
    assert_eq!(
        actor.principal,
        jimoto_domain::Principal::Municipal { region: w.hagi }
    );
    // Back to coordinator, now of two regions; then municipal staff cannot have two.
    s.update_account_and_role(
        &admin,
        coord,
        "萩 大谷",
        Some(AccountScope::Regions(vec![w.hagi, w.shimonoseki])),
        Some(Role::Coordinator),
    )
    .await
    .unwrap();
    let err = s
        .update_account_and_role(&admin, coord, "別の名前", None, Some(Role::Municipal))
        .await
        .unwrap_err();
    assert_eq!(codes(err), vec![("scope".into(), "scope_mismatch".into())]);
    let a = s.account(&admin, coord).await.unwrap();
    assert_eq!(
        (a.role, a.display_name.as_str()),
        (Role::Coordinator, "萩 大谷")
    );
    // A company member, a resident or an administrator keeps their role.
    for (login, to) in [
        ("cognity", Role::Coordinator),
        ("resident-hagi", Role::Municipal),
        ("coord-shimonoseki", Role::Admin),
    ] {
        let user = w.actor(login).user_id;
        let err = s
            .update_account_and_role(&admin, user, "x", None, Some(to))
            .await
            .unwrap_err();
        assert_eq!(
            codes(err),
            vec![("role".into(), "role_change".into())],
            "{login}"
        );
    }
    let err = s
        .update_account_and_role(
            &admin,
            admin.user_id,
            "管理者",
            None,
            Some(Role::Coordinator),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(err)[0], ("role".into(), "self".into()));
    assert!(matches!(
        s.update_account_and_role(
            &w.actor("coord-shimonoseki"),
            coord,
            "x",
            None,
            Some(Role::Municipal)
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
}

fn codes(e: ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn new(login: &str, role: Role, scope: AccountScope) -> NewAccount {
    NewAccount {
        login: login.into(),
        display_name: "新しい人".into(),
        password: "long-enough-password".into(),
        role,
        scope,
        lang: Lang::Ja,
    }
}

async fn actor_with_password(s: &Services, login: &str, password: &str) -> Actor {
    s.login(login, password, "127.0.0.1").await.unwrap().actor
}

async fn accounts_need_a_scope_that_fits_their_role(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let admin = w.actor("admin");
    let coord = w.actor("coord-hagi");
    let e = s
        .create_account(
            &admin,
            new("new-user", Role::Municipal, AccountScope::Regions(vec![])),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("scope".into(), "scope_mismatch".into())]);
    let e = s
        .create_account(
            &admin,
            new(
                "new-user",
                Role::Coordinator,
                AccountScope::Regions(vec![RegionId(999)]),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("regions".into(), "unknown".into())]);
    assert!(matches!(
        s.create_account(&coord, new("new-user", Role::Admin, AccountScope::Platform))
            .await,
        Err(ServiceError::Forbidden)
    ));
    let mut short = new("new-user", Role::Admin, AccountScope::Platform);
    short.password = "short".into();
    assert_eq!(
        codes(s.create_account(&admin, short).await.unwrap_err()),
        vec![("password".into(), "too_short".into())]
    );
    let created = s
        .create_account(
            &admin,
            new(
                "new-user",
                Role::Coordinator,
                AccountScope::Regions(vec![w.shimonoseki, w.hagi, w.hagi]),
            ),
        )
        .await
        .unwrap();
    let mut both = vec![w.hagi, w.shimonoseki];
    both.sort();
    assert_eq!(created.regions, both, "duplicates are ignored");
    let a = actor_with_password(&s, "new-user", "long-enough-password").await;
    assert_eq!(a.principal, Principal::Coordinator { regions: both });
    // The login is taken: the unique constraint names the field, on both engines.
    let e = s
        .create_account(&admin, new("new-user", Role::Admin, AccountScope::Platform))
        .await
        .unwrap_err();
    assert_eq!(
        codes(e),
        vec![("login".into(), "taken".into())],
        "on {}",
        t.engine().name()
    );
}

async fn changing_the_password_ends_other_sessions(t: TestDb) {
    t.world().await;
    let s = t.services();
    let here = s.login("eukarya", PASSWORD, "127.0.0.1").await.unwrap();
    let elsewhere = s.login("eukarya", PASSWORD, "127.0.0.2").await.unwrap();
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
        PASSWORD,
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
        s.login("eukarya", PASSWORD, "127.0.0.3").await,
        Err(ServiceError::InvalidCredentials)
    ));
    assert!(
        s.login("eukarya", "a-new-long-password", "127.0.0.3")
            .await
            .is_ok()
    );
}

async fn disabled_accounts_lose_sessions_tokens_and_login(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let admin = w.actor("admin");
    let session = s.login("cognity", PASSWORD, "127.0.0.1").await.unwrap();
    let token = s.create_token_for_login("cognity", "ci").await.unwrap();
    let cognity = session.actor.user_id;
    assert!(matches!(
        s.set_account_disabled(&w.actor("coord-hagi"), cognity, true)
            .await,
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
        s.login("cognity", PASSWORD, "127.0.0.1").await,
        Err(ServiceError::InvalidCredentials)
    ));
    s.set_account_disabled(&admin, cognity, false)
        .await
        .unwrap();
    assert!(s.login("cognity", PASSWORD, "127.0.0.1").await.is_ok());
    assert!(
        matches!(
            s.actor_for_token(&token).await,
            Err(ServiceError::Unauthenticated)
        ),
        "tokens revoked at disable stay revoked when the account is re-enabled"
    );
    assert!(s.tokens(&w.actor("cognity")).await.unwrap().is_empty());
    let f = AuditFilter {
        entity: Some(AuditEntity::User),
        entity_id: Some(cognity.0),
    };
    let log = s
        .audit_log(&admin, &f, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.items[0].changes["disabled"], json!([true, false]));
    assert_eq!(log.items[1].changes["disabled"], json!([false, true]));
}

async fn coordinators_give_logins_only_within_their_regions(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    s.create_account(
        &coord,
        new("misaki", Role::Resident, AccountScope::Resident(w.misaki)),
    )
    .await
    .unwrap();
    let a = actor_with_password(&s, "misaki", "long-enough-password").await;
    assert_eq!(
        a.principal,
        Principal::Resident {
            resident: w.misaki,
            region: w.hagi
        }
    );
    // A second login for the same resident, another region's resident, and a resident id that
    // does not exist all get the same answer.
    for scope in [w.misaki, w.kenichi, ResidentId(999_999)] {
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
    s.create_account(
        &coord,
        new(
            "cognity-2",
            Role::CompanyMember,
            AccountScope::Organisation(w.cognity),
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
                AccountScope::Organisation(w.eukarya),
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
                AccountScope::Regions(vec![w.hagi]),
            ),
        )
        .await;
    assert!(matches!(e, Err(ServiceError::Forbidden)));
    // The municipal staff may see the resident but not give logins.
    assert!(matches!(
        s.create_account(
            &w.actor("city-hagi"),
            new("takeshi", Role::Resident, AccountScope::Resident(w.takeshi))
        )
        .await,
        Err(ServiceError::Forbidden)
    ));
}

async fn admins_change_an_accounts_name_and_scope(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let admin = w.actor("admin");
    let coord = w.actor("coord-hagi");
    assert!(matches!(
        s.resident(&coord, w.kenichi).await,
        Err(ServiceError::NotFound)
    ));
    let both = Some(AccountScope::Regions(vec![w.shimonoseki, w.hagi, w.hagi]));
    assert!(matches!(
        s.update_account(&coord, coord.user_id, "x", both.clone())
            .await,
        Err(ServiceError::Forbidden)
    ));
    s.update_account(&admin, coord.user_id, "萩・下関 コーディネーター", both)
        .await
        .unwrap();
    // The next request sees the new scope.
    let coord = t.actor(coord.user_id).await;
    assert_eq!(coord.display_name, "萩・下関 コーディネーター");
    assert!(
        s.resident(&coord, w.kenichi).await.is_ok(),
        "now coordinates Shimonoseki too"
    );
    // Scopes must fit the role and exist; a resident's record cannot be swapped.
    let city = w.actor("city-hagi");
    let e = s
        .update_account(
            &admin,
            city.user_id,
            "市",
            Some(AccountScope::Regions(vec![w.hagi, w.shimonoseki])),
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
    let resident = w.actor("resident-hagi");
    let e = s
        .update_account(
            &admin,
            resident.user_id,
            "花子",
            Some(AccountScope::Resident(w.misaki)),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(e), vec![("scope".into(), "scope_mismatch".into())]);
    s.update_account(&admin, resident.user_id, "山田 花子（萩）", None)
        .await
        .unwrap();
    let member = w.actor("cognity");
    s.update_account(
        &admin,
        member.user_id,
        "佐藤",
        Some(AccountScope::Organisation(w.eukarya)),
    )
    .await
    .unwrap();
    assert_eq!(
        t.actor(member.user_id).await.principal,
        Principal::CompanyMember {
            organisation: w.eukarya
        }
    );
    let account = s.account(&admin, coord.user_id).await.unwrap();
    let mut expected = vec![w.hagi, w.shimonoseki];
    expected.sort();
    assert_eq!(account.regions, expected);
    let f = AuditFilter {
        entity: Some(AuditEntity::User),
        entity_id: Some(coord.user_id.0),
    };
    let log = s
        .audit_log(&admin, &f, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.items[0].changes["regions"], json!([[w.hagi], expected]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_and_account_disabling_through_the_pages() {
    let app = TestApp::world(Engine::Sqlite).await;
    let (client, csrf) = app.login("city-shimonoseki").await;
    let res = app
        .post_form(
            &client,
            "/me/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", "nope"),
                ("new_password", "new-password-2026"),
                ("new_password_confirm", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("現在のパスワード: 正しくありません"));
    let res = app
        .post_form(
            &client,
            "/me/password",
            &[
                ("csrf", csrf.as_str()),
                ("current_password", PASSWORD),
                ("new_password", "new-password-2026"),
                ("new_password_confirm", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(res.location(), "/me");
    let me = app.page(&client, "/me").await;
    assert!(me.contains("パスワードを変更しました"), "{me}");

    let (admin, admin_csrf) = app.login("admin").await;
    let users = app.page(&admin, "/admin/users").await;
    assert!(users.contains("city-shimonoseki</a>"));
    let id = app.w().actor("city-shimonoseki").user_id;
    // Disabling asks first, on a page of its own (no JavaScript needed).
    let account = app.page(&admin, &format!("/admin/users/{id}")).await;
    assert!(account.contains(&format!(r#"href="/admin/users/{id}/disable""#)));
    let confirm = app
        .page(&admin, &format!("/admin/users/{id}/disable"))
        .await;
    assert!(
        confirm.contains("city-shimonoseki を無効にしますか？"),
        "{confirm}"
    );
    assert!(confirm.contains(&format!(r#"action="/admin/users/{id}/disable""#)));
    let res = app
        .post_form(
            &admin,
            &format!("/admin/users/{id}/disable"),
            &[("csrf", admin_csrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/admin/users");
    let res = client.get("/home").send().await;
    assert!(
        res.location().starts_with("/login"),
        "the disabled user's session ended"
    );
    let users = app.page(&admin, "/admin/users").await;
    assert!(users.contains(r#"id="notice">無効にしました。"#));
    let account = app.page(&admin, &format!("/admin/users/{id}")).await;
    assert!(account.contains("有効にする"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_gives_a_resident_a_login_and_the_resident_uses_it() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let takeshi = w.takeshi;
    let (coord, csrf) = app.login("coord-hagi").await;
    let page = app.page(&coord, &format!("/residents/{takeshi}")).await;
    assert!(page.contains("ログインIDの発行") && page.contains("半角英数字"));
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{takeshi}/account"),
            &[("csrf", csrf.as_str()), ("login", "coord-hagi")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("ログインID: すでに登録されています"));
    // Issuing shows the login ID and a temporary password to hand over, once.
    let res = app
        .post_form(
            &coord,
            &format!("/residents/{takeshi}/account"),
            &[("csrf", csrf.as_str()), ("login", "takeshi")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let handover = res.text();
    assert!(handover.contains(r#"id="notice">ログインを発行しました。"#));
    assert_eq!(
        between(&handover, r#"id="handover-login">"#, "<"),
        "takeshi"
    );
    let temporary = between(&handover, r#"id="handover-password">"#, "<").to_owned();
    assert_eq!(temporary.len(), 14, "{temporary}");
    let page = app.page(&coord, &format!("/residents/{takeshi}")).await;
    assert!(
        page.contains(r#"id="resident-login-id">takeshi<"#) && !page.contains("id=\"give-login\"")
    );

    // The resident logs in with it and must choose their own password before anything else.
    let (client, resident_csrf) = app.login_with("takeshi", &temporary).await;
    let res = client.get("/home").send().await;
    assert_eq!(res.location(), "/me/password");
    let res = client.get("/api/v1/me").send().await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.json()["error"]["code"], "password_change_required");
    let form = app.page(&client, "/me/password").await;
    assert!(form.contains("仮パスワードでログインしました") && !form.contains("current_password"));
    let res = app
        .post_form(
            &client,
            "/me/password",
            &[
                ("csrf", resident_csrf.as_str()),
                ("new_password", temporary.as_str()),
                ("new_password_confirm", temporary.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("仮パスワードと別のものにしてください"));
    let res = app
        .post_form(
            &client,
            "/me/password",
            &[
                ("csrf", resident_csrf.as_str()),
                ("new_password", "takeshi-own-password"),
                ("new_password_confirm", "takeshi-own-password"),
            ],
        )
        .await;
    assert_eq!(res.location(), "/home");
    let home = app.page(&client, "/home").await;
    assert!(home.contains("渡辺 剛") && home.contains("パスワードを変更しました"));
    // The new password works for a fresh login, which now lands home directly.
    let (_, res) = app.try_login("takeshi", "takeshi-own-password").await;
    assert_eq!(res.location(), "/home");

    // The municipal staff see the resident but cannot give logins; another region's
    // coordinator cannot even see the form's target.
    let (city, city_csrf) = app.login("city-hagi").await;
    let page = app.page(&city, &format!("/residents/{}", w.misaki)).await;
    assert!(!page.contains("ログインIDの発行"));
    let form = |csrf: &str| vec![("csrf", csrf.to_owned()), ("login", "misaki".to_owned())];
    let path = format!("/residents/{}/account", w.misaki);
    let res = app.post_form(&city, &path, &form(&city_csrf)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (other, other_csrf) = app.login("coord-shimonoseki").await;
    let res = app.post_form(&other, &path, &form(&other_csrf)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The text between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"))
        + start.len();
    let len = html[from..].find(end).expect("end");
    &html[from..from + len]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_resets_a_forgotten_password_and_nobody_else_can() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let hanako = w.hanako;
    let user = w.actor("resident-hagi").user_id;
    let (resident, _) = app.login("resident-hagi").await;
    let (coord, csrf) = app.login("coord-hagi").await;
    let page = app.page(&coord, &format!("/residents/{hanako}")).await;
    assert!(page.contains(r#"id="resident-login-id">resident-hagi<"#));
    let reset = format!("/accounts/{user}/reset");
    assert!(page.contains(&format!(r#"href="{reset}?back=/residents/{hanako}""#)));
    let confirm = app
        .page(&coord, &format!("{reset}?back=/residents/{hanako}"))
        .await;
    assert!(confirm.contains("resident-hagi のパスワードを再発行しますか？"));
    let res = app
        .post_form(
            &coord,
            &reset,
            &[
                ("csrf", csrf.as_str()),
                ("back", &format!("/residents/{hanako}")),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let handover = res.text();
    assert!(handover.contains("パスワードを再発行しました。"));
    assert!(handover.contains(&format!(r#"href="/residents/{hanako}""#)));
    let temporary = between(&handover, r#"id="handover-password">"#, "<").to_owned();
    // The resident's open session ended; the old password no longer works; the new one does,
    // and must be replaced first.
    assert!(
        resident
            .get("/home")
            .send()
            .await
            .location()
            .starts_with("/login")
    );
    let (_, res) = app.try_login("resident-hagi", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (client, _) = app.login_with("resident-hagi", &temporary).await;
    assert_eq!(
        client.get("/residents").send().await.location(),
        "/me/password"
    );

    // Nobody outside the rule may reset it, or learn that it exists.
    for login in [
        "coord-shimonoseki",
        "city-hagi",
        "cognity",
        "resident-shimonoseki",
    ] {
        let (c, t) = app.login(login).await;
        assert_eq!(
            c.get(&reset).send().await.status(),
            StatusCode::NOT_FOUND,
            "{login}"
        );
        let res = app.post_form(&c, &reset, &[("csrf", t.as_str())]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{login}");
    }
    // An off-site "back" is not followed.
    let res = app
        .post_form(
            &coord,
            &reset,
            &[("csrf", csrf.as_str()), ("back", "//evil.example/")],
        )
        .await;
    assert!(res.text().contains(r#"href="/home""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_adds_a_region_to_a_coordinator_through_the_form() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let coord_id = w.actor("coord-hagi").user_id;
    let (admin, csrf) = app.login("admin").await;
    let page = app.page(&admin, &format!("/admin/users/{coord_id}")).await;
    assert!(page.contains("value=\"coord-hagi さん\"") && page.contains("name=\"region_ids\""));
    let (hagi, shimo) = (w.hagi.to_string(), w.shimonoseki.to_string());
    let res = app
        .post_form(
            &admin,
            &format!("/admin/users/{coord_id}"),
            &[
                ("csrf", csrf.as_str()),
                ("display_name", ""),
                ("region_ids", hagi.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("表示名: 入力してください"));
    let res = app
        .post_form(
            &admin,
            &format!("/admin/users/{coord_id}"),
            &[
                ("csrf", csrf.as_str()),
                ("display_name", "萩・下関 大谷"),
                ("region_ids", hagi.as_str()),
                ("region_ids", shimo.as_str()),
            ],
        )
        .await;
    assert_eq!(res.location(), format!("/admin/users/{coord_id}"));
    // The save is confirmed at the top of the page it lands on, once.
    let landed = app.page(&admin, &format!("/admin/users/{coord_id}")).await;
    assert!(landed.contains(r#"id="notice">保存しました。"#), "{landed}");
    let again = app.page(&admin, &format!("/admin/users/{coord_id}")).await;
    assert!(!again.contains("保存しました"), "a notice is shown once");
    let (coord, _) = app.login("coord-hagi").await;
    let home = app.page(&coord, "/home").await;
    assert!(
        home.contains("下関市") && home.contains("萩・下関 大谷"),
        "the coordinator now works in both regions"
    );
    let (other, _) = app.login("coord-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/admin/users/{coord_id}"))
            .send()
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_through_the_api() {
    let app = TestApp::world(Engine::Sqlite).await;
    let w = app.w().clone();
    let admin = app.token("admin").await;
    let coord = app.token("coord-hagi").await;
    let client = app.anonymous();
    let res = client
        .post("/api/v1/accounts")
        .bearer_auth(&coord)
        .json(
            &json!({"login": "misaki", "display_name": "伊藤 美咲", "password": "misaki-password-1",
            "role": "resident", "resident_id": w.misaki}),
        )
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text());
    let body = res.json();
    assert_eq!(
        (
            body["login"].as_str(),
            body["role"].as_str(),
            body["resident_id"].as_i64()
        ),
        (Some("misaki"), Some("resident"), Some(w.misaki.0))
    );
    assert!(
        body.get("password_hash").is_none(),
        "no hash leaves the server"
    );
    // The same login again: the field and message, in the caller's language.
    let res = client
        .post("/api/v1/accounts")
        .bearer_auth(&admin)
        .header("accept-language", "en")
        .json(&json!({"login": "misaki", "display_name": "x", "password": "long-enough-password", "role": "admin"}))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e = res.json();
    assert_eq!(e["error"]["fields"][0]["field"], "login");
    assert_eq!(e["error"]["fields"][0]["code"], "taken");
    assert_eq!(
        e["error"]["fields"][0]["message"],
        "Login: is already registered"
    );
    // A role without the scope it needs.
    let res = client
        .post("/api/v1/accounts")
        .bearer_auth(&admin)
        .json(&json!({"login": "member-x", "display_name": "x", "password": "long-enough-password", "role": "company_member"}))
        .send()
        .await;
    assert_eq!(res.json()["error"]["fields"][0]["field"], "scope");
    let list = client
        .get("/api/v1/accounts?limit=2")
        .bearer_auth(&admin)
        .send()
        .await
        .json();
    assert_eq!(
        (
            list["total"].as_i64(),
            list["items"].as_array().map(Vec::len)
        ),
        (Some(10), Some(2))
    );
    let next = list["next"].as_str().unwrap();
    let page2 = client
        .get(&format!("/api/v1/accounts?limit=2&after={next}"))
        .bearer_auth(&admin)
        .send()
        .await
        .json();
    assert_ne!(page2["items"][0]["login"], list["items"][0]["login"]);
    let id = w.actor("city-hagi").user_id;
    let res = client
        .put(&format!("/api/v1/accounts/{id}"))
        .bearer_auth(&admin)
        .json(&json!({"display_name": "萩市 職員", "regions": [w.shimonoseki]}))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json()["regions"], json!([w.shimonoseki]));
    let res = client
        .post(&format!("/api/v1/accounts/{id}/disable"))
        .bearer_auth(&admin)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        client
            .get("/api/v1/accounts")
            .bearer_auth(&coord)
            .send()
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
