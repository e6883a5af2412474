//! End-to-end browser tests: the real app (SQLite, demo data) driven through headless
//! Chromium with WebDriver (`thirtyfour`), one user journey per test.
//!
//! Each test starts a fresh app and its own `chromedriver` on a free port
//! (`JIMOTO_CHROMEDRIVER`, else `chromedriver` on `PATH`; the browser is `JIMOTO_CHROMIUM`,
//! else `/usr/bin/chromium`) emulating a 390×844 phone, through [`with_browser`], which
//! always quits the browser, also when an assertion fails. Each journey checks that its pages
//! need no sideways scrolling on that phone. The journeys:
//!
//! - the Hagi coordinator opens 山田 花子 from the residents list, switches the interface to
//!   English and logs out;
//! - the coordinator registers a resident, fixing a kana mistake the form points out;
//! - a resident edits their own profile on the phone and cannot see the residents list;
//! - the admin creates a municipal account, hands over its temporary password; the account
//!   chooses its own, makes an API token that works, and revokes it after confirming;
//! - the coordinator gives 渡辺 剛 a login (after trying one that is taken) and sees the login
//!   ID and temporary password to hand over; he signs in and must choose his own password;
//!   he forgets it, the coordinator resets it, and he signs in with the new one;
//! - Hagi's municipal staff open the fiscal 2023 KPIs, follow the income to the pay periods
//!   behind it, open the results report, download it as .xlsx and print it on A4;
//! - each role opens its pages, each of which must fit the phone, have a heading and the
//!   navigation, and show no untranslated key (`JIMOTO_SCREENSHOTS=DIR` saves them as pictures).
//!
//! Without chromedriver the tests fail, saying what to install: they are never skipped
//! silently.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jimoto_testkit::{DEMO_PASSWORD, Engine, spawn_server};
use serde_json::Value;
use thirtyfour::ChromeCapabilities;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use thirtyfour::stringmatch::StringMatch;

/// How long any single wait (page load, element, redirect) may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// How often waits poll.
const INTERVAL: Duration = Duration::from_millis(100);
/// The phone every journey runs on: 390×844 CSS pixels (a common smartphone today).
const PHONE: (i64, i64) = (390, 844);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_opens_a_resident_switches_to_english_and_logs_out() {
    with_browser(|driver, base| async move {
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        let body = body_text(&driver).await?;
        assert_contains(&body, "萩市", "home shows the coordinator's region");
        assert_fits_phone(&driver, "home").await?;

        // Through the navigation to the residents list, then to 山田 花子.
        click_nav(&driver, "住民").await?;
        wait_for_path(&driver, "/residents").await?;
        let link = driver
            .query(By::Css("table.list a"))
            .with_text("山田 花子")
            .wait(TIMEOUT, INTERVAL)
            .first()
            .await?;
        assert_fits_phone(&driver, "residents list").await?;
        follow(&driver, &link).await?;
        let resident_path = wait_for_resident_page(&driver).await?;
        assert_fits_phone(&driver, "resident page").await?;
        let facts = find(&driver, By::Css("dl.facts")).await?.text().await?;
        assert_contains(
            &facts,
            "ヤマダ ハナコ",
            "the resident page shows the kana name",
        );
        let circumstances = find(&driver, By::Id("circumstances")).await?.text().await?;
        assert_contains(
            &circumstances,
            "子育て中",
            "the coordinator sees the circumstances",
        );

        // Switch to English: the same page comes back in English.
        click(&driver, By::Id("lang-switch")).await?;
        wait_for_lang(&driver, "en").await?;
        assert_eq!(
            driver.current_url().await?.path(),
            resident_path,
            "switching the language stays on the same page"
        );
        let circumstances = find(&driver, By::Id("circumstances")).await?.text().await?;
        assert_contains(
            &circumstances,
            "Raising children",
            "the circumstances are shown in English",
        );
        assert_fits_phone(&driver, "resident page in English").await?;
        let links = nav_links(&driver).await?;
        assert!(
            links.iter().any(|l| l == "Residents"),
            "the navigation is in English: {links:?}"
        );
        assert_eq!(
            find(&driver, By::Id("lang-switch")).await?.text().await?,
            "日本語"
        );

        // Log out; the session is gone afterwards.
        log_out(&driver).await?;
        driver.goto(format!("{base}/home")).await?;
        wait_for_path(&driver, "/login").await?;
        find(&driver, By::Id("login-submit")).await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_registers_a_resident_after_fixing_a_mistake() {
    with_browser(|driver, base| async move {
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}/residents")).await?;
        click(&driver, By::Css("main a[href='/residents/new']")).await?;
        wait_for_path(&driver, "/residents/new").await?;

        // Fill the form with the reading in Latin letters: a mistake.
        assert_contains(
            &body_text(&driver).await?,
            "ひらがな・カタカナ",
            "the reading's rule is shown before a mistake",
        );
        fill(&driver, By::Id("name"), "佐々木 陽子").await?;
        fill(&driver, By::Id("name_kana"), "sasaki youko").await?;
        fill(&driver, By::Id("spare_hours_per_week"), "12").await?;
        select(&driver, By::Id("office_visits"), "never").await?;
        tick(&driver, "input[name='work_styles'][value='spare_time']").await?;
        fill(&driver, By::Name("skill_name_0"), "Excel").await?;
        select(&driver, By::Name("skill_level_0"), "3").await?;
        click(&driver, By::Css("form.card button[type='submit']")).await?;

        // The form comes back with the problem and everything typed.
        assert_fits_phone(&driver, "resident form with errors").await?;
        let errors = find(&driver, By::Id("form-errors")).await?.text().await?;
        assert_contains(&errors, "フリガナ", "the error list names the field");
        assert_contains(
            &errors,
            "全角カタカナ",
            "the error list says what is expected",
        );
        assert_eq!(value(&driver, By::Id("name")).await?, "佐々木 陽子");
        assert_eq!(value(&driver, By::Id("name_kana")).await?, "sasaki youko");
        assert_eq!(value(&driver, By::Id("spare_hours_per_week")).await?, "12");
        assert!(
            find(
                &driver,
                By::Css("input[name='work_styles'][value='spare_time']")
            )
            .await?
            .is_selected()
            .await?,
            "the work style stays ticked"
        );
        assert_eq!(value(&driver, By::Name("skill_name_0")).await?, "Excel");
        assert_eq!(value(&driver, By::Name("skill_level_0")).await?, "3");

        // Type it again in hiragana, as people do, and save: the new resident's page, with the
        // reading in katakana and the save confirmed at the top.
        fill(&driver, By::Id("name_kana"), "ささき ようこ").await?;
        click(&driver, By::Css("form.card button[type='submit']")).await?;
        wait_for_resident_page(&driver).await?;
        assert_contains(
            &notice(&driver).await?,
            "登録しました",
            "the resident is saved",
        );
        let title = find(&driver, By::Tag("h1")).await?.text().await?;
        assert_contains(
            &title,
            "佐々木 陽子",
            "the resident page is titled with the name",
        );
        let facts = find(&driver, By::Css("dl.facts")).await?.text().await?;
        for expected in [
            "ササキ ヨウコ",
            "週12時間",
            "すきま時間テレワーク",
            "Excel · レベル3",
        ] {
            assert_contains(&facts, expected, "the new resident's page");
        }

        // Later she moves away: the coordinator records the day on her profile (the date control
        // is set by script, as its typing differs between locales).
        let page = driver.current_url().await?.path().to_owned();
        driver.goto(format!("{base}{page}/edit")).await?;
        driver
            .execute(
                "document.getElementById('moved_away_on').value = '2024-03-31';",
                Vec::new(),
            )
            .await?;
        click(&driver, By::Css("form.card button[type='submit']")).await?;
        wait_for_resident_page(&driver).await?;
        assert_contains(&notice(&driver).await?, "保存しました", "the move is saved");
        assert_contains(
            &find(&driver, By::Id("moved-away")).await?.text().await?,
            "2024年3月31日",
            "the day she moved away",
        );

        // The residents list has her.
        driver.goto(format!("{base}/residents")).await?;
        wait_for_path(&driver, "/residents").await?;
        driver
            .query(By::Css("table.list a"))
            .with_text("佐々木 陽子")
            .desc("佐々木 陽子 in the residents list")
            .wait(TIMEOUT, INTERVAL)
            .first()
            .await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_signs_up_attends_twice_and_is_not_counted_twice() {
    with_browser_and_ids(|driver, base, ids| async move {
        let course = ids
            .programs
            .iter()
            .find(|(t, _)| *t == "IT基礎講座（初級）次期")
            .expect("the demo's open course")
            .1;
        // A resident, without an account, signs up from the course's public page.
        let sign_up = |kana: &'static str, phone: &'static str| {
            let (driver, base) = (driver.clone(), base.clone());
            async move {
                driver.goto(format!("{base}/join/{course}")).await?;
                // The browser asks for English; a resident here reads Japanese.
                let lang = driver.find(By::Tag("html")).await?.attr("lang").await?;
                if lang.as_deref() != Some("ja") {
                    click(&driver, By::Id("lang-switch")).await?;
                    wait_for_lang(&driver, "ja").await?;
                }
                assert_fits_phone(&driver, "the public sign-up page").await?;
                fill(&driver, By::Id("name"), "大田 さくら").await?;
                fill(&driver, By::Id("name_kana"), kana).await?;
                fill(&driver, By::Id("phone"), phone).await?;
                select(&driver, By::Id("channel"), "city_bulletin").await?;
                tick(&driver, "input[name='consent']").await?;
                click(&driver, By::Id("join-check-button")).await?;
                let check = find(&driver, By::Id("join-check")).await?.text().await?;
                assert_contains(&check, kana, "the check step shows what was typed");
                assert_contains(&check, "市報・広報誌", "the channel by its name");
                assert_fits_phone(&driver, "the sign-up check step").await?;
                click(&driver, By::Id("join-send")).await?;
                let result = find(&driver, By::Id("join-result")).await?.text().await?;
                assert_contains(&result, "参加が確定しました", "a place is confirmed");
                assert_fits_phone(&driver, "the sign-up confirmation").await?;
                WebDriverResult::Ok(())
            }
        };
        sign_up("おおた さくら", "090-7777-1234").await?;

        // The coordinator sees one person with a place and ticks her at two sessions.
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        for n in 0..2 {
            driver.goto(format!("{base}/programs/{course}")).await?;
            let links = driver.find_all(By::Css("a.check-in-link")).await?;
            assert_eq!(links.len(), 5, "five sessions");
            follow(&driver, &links[n]).await?;
            assert_fits_phone(&driver, "the check-in list").await?;
            let list = find(&driver, By::Css("form.check-in"))
                .await?
                .text()
                .await?;
            assert_contains(&list, "大田 さくら", "she is on the check-in list");
            tick(&driver, "input[name='present']").await?;
            click(&driver, By::Id("save-attendance")).await?;
            assert_contains(&notice(&driver).await?, "出席を保存しました", "saved");
            let count = find(&driver, By::Id("check-in-count"))
                .await?
                .text()
                .await?;
            assert_contains(&count, "出席 1人", "the session's count");
        }
        driver.goto(format!("{base}/programs/{course}")).await?;
        let counts = find(&driver, By::Id("counts")).await?.text().await?;
        assert_contains(&counts, "実人数 1人", "one unique person");
        assert_contains(&counts, "延べ 2人", "two attendances");
        // Her stage moved with the events: signed up, then attending.
        click(&driver, By::Id("count-attended-people")).await?;
        click(&driver, By::Css("table.list a")).await?;
        wait_for_resident_page(&driver).await?;
        let here = driver.current_url().await?;
        driver
            .goto(format!("{}/growth", here.as_str().trim_end_matches('/')))
            .await?;
        assert_eq!(
            find(&driver, By::Id("stage")).await?.text().await?,
            "受講中"
        );
        let history = find(&driver, By::Id("history")).await?.text().await?;
        for stage in ["関心あり", "申込済み", "受講中"] {
            assert_contains(&history, stage, "the stage history");
        }
        assert_fits_phone(&driver, "the growth path").await?;
        // The course's funnel: one signed up, one attended, nobody completed yet.
        driver
            .goto(format!("{base}/programs/{course}/funnel"))
            .await?;
        let table = find(&driver, By::Id("funnel-table")).await?.text().await?;
        assert_contains(&table, "申込 1人", "signed up");
        assert_contains(&table, "出席 1人 100%", "attended");
        find(&driver, By::Css("#funnel-chart svg")).await?;
        assert_fits_phone(&driver, "the funnel").await?;
        log_out(&driver).await?;

        // She signs up again with the same reading in half-width katakana and the number in
        // full-width digits: recognised, still one person.
        sign_up("ｵｵﾀ ｻｸﾗ", "０９０７７７７１２３４").await?;
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}/programs/{course}")).await?;
        let counts = find(&driver, By::Id("counts")).await?.text().await?;
        assert_contains(&counts, "実人数 1人", "still one person");
        driver
            .goto(format!("{base}/residents?q=%E3%82%AA%E3%82%AA%E3%82%BF"))
            .await?;
        let rows = driver.find_all(By::Css("table.list tbody tr")).await?;
        assert_eq!(rows.len(), 1, "one record of her");
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_updates_own_profile_on_a_phone() {
    with_browser(|driver, base| async move {
        log_in(&driver, &base, "resident-hagi", DEMO_PASSWORD).await?;
        let body = body_text(&driver).await?;
        assert_contains(&body, "あなたのプロフィール", "the resident's home");
        assert_contains(&body, "山田 花子", "the resident's home");
        let links = nav_links(&driver).await?;
        assert!(
            !links.iter().any(|l| l == "住民"),
            "a resident has no residents list in the navigation: {links:?}"
        );

        // Edit the profile from home.
        click(&driver, By::LinkText("プロフィールを編集")).await?;
        let edit_path = wait_for(&driver, "the resident's edit page", |path| {
            path.strip_prefix("/residents/")
                .and_then(|rest| rest.strip_suffix("/edit"))
                .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        })
        .await?;
        assert_eq!(value(&driver, By::Id("name")).await?, "山田 花子");
        assert_eq!(value(&driver, By::Id("spare_hours_per_week")).await?, "20");
        fill(&driver, By::Id("spare_hours_per_week"), "25").await?;
        tick(
            &driver,
            "input[name='time_windows'][value='weekday_evening']",
        )
        .await?;
        click(&driver, By::Css("form.card button[type='submit']")).await?;

        // Back on the resident page, with the changes.
        let resident_path = wait_for_resident_page(&driver).await?;
        assert_eq!(
            format!("{resident_path}/edit"),
            edit_path,
            "saving shows the same resident"
        );
        let facts = find(&driver, By::Css("dl.facts")).await?.text().await?;
        assert_contains(&facts, "週25時間", "the saved spare hours");
        assert_contains(&facts, "平日夜間", "the saved time windows");
        let links = nav_links(&driver).await?;
        assert!(
            !links.iter().any(|l| l == "住民"),
            "a resident has no residents list in the navigation: {links:?}"
        );

        // The residents list is not for residents.
        driver.goto(format!("{base}/residents")).await?;
        let alert = find(&driver, By::Css("main [role='alert']"))
            .await?
            .text()
            .await?;
        assert_contains(&alert, "権限がありません", "the residents list is refused");
        let body = body_text(&driver).await?;
        assert_contains(&body, "HTTP 403", "the error page gives the status");
        assert!(
            driver
                .query(By::Css("table.list"))
                .nowait()
                .not_exists()
                .await?,
            "no residents are listed on the error page"
        );
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_creates_an_account_and_an_api_token() {
    const LOGIN: &str = "city-hagi-2";
    const PASSWORD: &str = "a-long-password-2026";
    with_browser(|driver, base| async move {
        log_in(&driver, &base, "admin", DEMO_PASSWORD).await?;
        click_nav(&driver, "アカウント").await?;
        wait_for_path(&driver, "/admin/users").await?;
        assert_fits_phone(&driver, "accounts page").await?;

        // Create a municipal account for 萩市: no password to invent, one is issued.
        fill(&driver, By::Id("login"), LOGIN).await?;
        fill(&driver, By::Id("display_name"), "萩市 職員 二").await?;
        select(&driver, By::Id("role"), "municipal").await?;
        let hagi = driver
            .query(By::Css("label.check"))
            .with_text(StringMatch::new("萩市").partial())
            .desc("the 萩市 region checkbox")
            .wait(TIMEOUT, INTERVAL)
            .first()
            .await?
            .find(By::Css("input[name='region_ids']"))
            .await?;
        hagi.click().await?;
        assert!(hagi.is_selected().await?, "萩市 is ticked");
        click(
            &driver,
            By::Css("main form[action^='/admin/users'] button[type='submit']"),
        )
        .await?;
        let login = find(&driver, By::Id("handover-login"))
            .await?
            .text()
            .await?;
        assert_eq!(login, LOGIN, "the handover shows the login ID");
        let temporary = find(&driver, By::Id("handover-password"))
            .await?
            .text()
            .await?;
        assert_contains(
            &notice(&driver).await?,
            "ログインを発行しました",
            "handover",
        );
        assert_fits_phone(&driver, "the handover page").await?;

        // The new account logs in with it, chooses its own password and sees its region.
        log_out(&driver).await?;
        log_in_to(&driver, &base, LOGIN, &temporary, "/me/password").await?;
        choose_password(&driver, PASSWORD).await?;
        let body = body_text(&driver).await?;
        assert_contains(&body, "萩市", "the municipal home shows the region");

        // It makes an API token on its page…
        click_nav(&driver, "マイページ").await?;
        wait_for_path(&driver, "/me").await?;
        assert_fits_phone(&driver, "my page").await?;
        fill(&driver, By::Id("token-name"), "スマホから").await?;
        let create = driver
            .query(By::Css("main form button[type='submit']"))
            .with_text("トークンを作成")
            .wait(TIMEOUT, INTERVAL)
            .first()
            .await?;
        follow(&driver, &create).await?;
        let token = find(&driver, By::Id("new-token")).await?.text().await?;
        let token = token.trim().to_owned();
        assert!(token.starts_with("jmt_"), "a new token is shown: {token:?}");
        assert_contains(&notice(&driver).await?, "登録しました", "token made");

        // …which works on the JSON API as that account.
        let res = reqwest::Client::new()
            .get(format!("{base}/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("call /api/v1/me");
        assert_eq!(
            res.status(),
            reqwest::StatusCode::OK,
            "/api/v1/me with the token"
        );
        let me: Value = res.json().await.expect("/api/v1/me returns JSON");
        assert_eq!(me["login"], LOGIN, "{me}");
        assert_eq!(me["role"], "municipal", "{me}");

        // Revoking it asks first, then confirms.
        let revoke = find(&driver, By::Css("a.revoke-link")).await?;
        follow(&driver, &revoke).await?;
        assert_contains(
            &body_text(&driver).await?,
            "トークン「スマホから」を取り消しますか？",
            "the revoke confirmation",
        );
        click(&driver, By::Id("confirm-submit")).await?;
        wait_for_path(&driver, "/me").await?;
        assert_contains(&notice(&driver).await?, "取り消しました", "token revoked");
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_gives_a_resident_a_login_and_resets_it_when_forgotten() {
    const LOGIN: &str = "takeshi";
    with_browser(|driver, base| async move {
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        click_nav(&driver, "住民").await?;
        wait_for_path(&driver, "/residents").await?;
        let link = driver
            .query(By::Css("table.list a"))
            .with_text("渡辺 剛")
            .desc("渡辺 剛 in the residents list")
            .wait(TIMEOUT, INTERVAL)
            .first()
            .await?;
        follow(&driver, &link).await?;
        let resident_path = wait_for_resident_page(&driver).await?;
        let section = find(&driver, By::Id("give-login")).await?.text().await?;
        assert_contains(&section, "ログインIDの発行", "the give-login heading");
        assert_contains(&section, "半角英数字", "the login rule, before a mistake");

        // A login that is already taken: the form comes back with the error, in view.
        fill(&driver, By::Id("account-login"), "coord-hagi").await?;
        click(&driver, By::Css("#give-login form button[type='submit']")).await?;
        let errors = find(&driver, By::Css("#give-login #form-errors"))
            .await?
            .text()
            .await?;
        assert_contains(&errors, "すでに登録されています", "the login is taken");
        assert_eq!(value(&driver, By::Id("account-login")).await?, "coord-hagi");
        let url = driver.current_url().await?;
        assert_eq!(
            url.fragment(),
            Some("give-login"),
            "the page opens at the form"
        );

        // A free login: the login ID and a temporary password to hand over.
        fill(&driver, By::Id("account-login"), LOGIN).await?;
        click(&driver, By::Css("#give-login form button[type='submit']")).await?;
        assert_contains(&notice(&driver).await?, "ログインを発行しました", "issued");
        let shown = find(&driver, By::Id("handover-login"))
            .await?
            .text()
            .await?;
        assert_eq!(shown, LOGIN);
        let first = find(&driver, By::Id("handover-password"))
            .await?
            .text()
            .await?;
        assert_fits_phone(&driver, "the handover page").await?;
        let done = find(&driver, By::Css("#handover a.button")).await?;
        follow(&driver, &done).await?;
        wait_for_path(&driver, &resident_path).await?;
        let login_id = find(&driver, By::Id("resident-login-id"))
            .await?
            .text()
            .await?;
        assert_eq!(login_id, LOGIN, "the resident page shows the login ID");

        // 渡辺 剛 signs in with it and is made to choose his own password.
        log_out(&driver).await?;
        log_in_to(&driver, &base, LOGIN, &first, "/me/password").await?;
        choose_password(&driver, "takeshi-first-password").await?;
        let body = body_text(&driver).await?;
        assert_contains(&body, "渡辺 剛", "the new resident's home");
        let links = nav_links(&driver).await?;
        assert!(
            !links.iter().any(|l| l == "住民"),
            "a resident has no residents list in the navigation: {links:?}"
        );

        // He forgets it; the coordinator resets it and hands over the new one.
        log_out(&driver).await?;
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}{resident_path}")).await?;
        let reset = find(&driver, By::Id("reset-password")).await?;
        follow(&driver, &reset).await?;
        assert_contains(
            &body_text(&driver).await?,
            "takeshi のパスワードを再発行しますか？",
            "the reset confirmation",
        );
        assert_fits_phone(&driver, "the reset confirmation").await?;
        click(&driver, By::Id("confirm-submit")).await?;
        assert_contains(
            &notice(&driver).await?,
            "パスワードを再発行しました",
            "reset",
        );
        let shown = find(&driver, By::Id("handover-login"))
            .await?
            .text()
            .await?;
        assert_eq!(shown, LOGIN, "the reset shows the login ID to hand over");
        let second = find(&driver, By::Id("handover-password"))
            .await?
            .text()
            .await?;
        assert_ne!(first, second);

        log_out(&driver).await?;
        log_in_to(&driver, &base, LOGIN, &second, "/me/password").await?;
        choose_password(&driver, "takeshi-second-password").await?;
        Ok(())
    })
    .await;
}

/// The accessibility check itself works: on a page made to fail, it finds the failures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accessibility_check_finds_what_it_should() {
    with_browser(|driver, _| async move {
        driver
            .goto("data:text/html,<html><body><img src='x.png'><input id='q'><a href='#'></a></body></html>")
            .await?;
        let outcome = tokio::spawn({
            let driver = driver.clone();
            async move { assert_accessible(&driver, "a page made to fail").await }
        })
        .await;
        let message = match outcome {
            Err(panic) if panic.is_panic() => panic
                .into_panic()
                .downcast::<String>()
                .map(|s| *s)
                .unwrap_or_default(),
            other => panic!("the check passed a page made to fail: {other:?}"),
        };
        for rule in ["image-alt", "label", "html-has-lang"] {
            assert!(message.contains(rule), "{rule} not found in: {message}");
        }
        Ok(())
    })
    .await;
}

/// Every page each role opens is the page itself (not an error), fits the phone, is titled,
/// and shows no untranslated key. With
/// `JIMOTO_SCREENSHOTS=DIR` the pages are also saved there as PNG pictures, to look at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_s_pages_fit_a_phone() {
    with_browser_and_ids(|driver, base, ids| async move {
        let hagi = ids.hagi.unwrap();
        let shimonoseki = ids.shimonoseki.unwrap();
        let hanako = ids.resident("hanako").unwrap();
        let kenichi = ids.resident("kenichi").unwrap();
        let cognity = ids.org("cognity").unwrap();
        let eukarya = ids.org("eukarya").unwrap();
        let hagi_city = ids.org("hagi-city").unwrap();
        let course = ids
            .programs
            .iter()
            .find(|(title, _)| *title == "IT基礎講座（初級）")
            .map(|(_, id)| *id)
            .unwrap();
        let first_session = ids
            .first_sessions
            .iter()
            .find(|(title, _)| *title == "IT基礎講座（初級）")
            .map(|(_, id)| *id)
            .unwrap();
        let open = ids
            .programs
            .iter()
            .find(|(title, _)| *title == "IT基礎講座（初級）次期")
            .map(|(_, id)| *id)
            .unwrap();
        let titled = |t: &str| {
            ids.programs
                .iter()
                .find(|(title, _)| *title == t)
                .map(|(_, id)| *id)
                .unwrap()
        };
        let (application, contract, month) = ids.first_hire.expect("the demo's first hire");
        let evaluation = ids.first_evaluation.expect("the demo's first evaluation");
        let tour = titled("ワーケーションツアー（第1回）テレワーク採用・人材育成");
        let middle = titled("IT基礎講座（中級）");
        let annotation = ids.next_round[0];
        let seminar = titled("都市部企業向けセミナー（第1回）");
        // Every demo login, each page it can open from its navigation and its records.
        let common = |extra: Vec<String>| {
            let mut pages: Vec<String> = vec!["/home".into(), "/me".into(), "/me/password".into()];
            pages.extend(extra);
            pages
        };
        let tours: [(&str, Vec<String>); 9] = [
            (
                "admin",
                common(vec![
                    "/regions".into(),
                    format!("/regions/{hagi}"),
                    format!("/regions/{hagi}/edit"),
                    "/regions/new?q=はぎ".into(),
                    "/regions/new?lg_code=152021".into(),
                    "/organisations".into(),
                    format!("/organisations/{hagi_city}"),
                    "/organisations/new".into(),
                    "/residents".into(),
                    format!("/residents/{hanako}"),
                    "/admin/users".into(),
                    "/admin/users/2".into(),
                    "/admin/users/2/disable".into(),
                    "/accounts/2/reset?back=/admin/users/2".into(),
                    "/admin/audit".into(),
                    "/admin/audit?entity=resident".into(),
                    "/admin/thresholds".into(),
                ]),
            ),
            (
                "coord-hagi",
                common(vec![
                    "/regions".into(),
                    "/organisations".into(),
                    "/residents".into(),
                    "/residents?q=やまだ".into(),
                    format!("/residents/{hanako}"),
                    format!("/residents/{hanako}/edit"),
                    "/residents/new".into(),
                    format!("/organisations/{cognity}"),
                    format!("/organisations/{cognity}/edit"),
                    "/organisations/new".into(),
                    "/programs".into(),
                    "/programs/new".into(),
                    format!("/programs/{course}"),
                    format!("/programs/{course}/edit"),
                    format!("/programs/{course}/people"),
                    format!("/programs/{course}/sessions/{first_session}/attendance"),
                    format!("/join/{open}"),
                    format!("/programs/{course}/people?show=completed"),
                    format!("/programs/{course}/attendances"),
                    format!("/programs/{course}/funnel"),
                    "/funnel".into(),
                    "/funnel?channel=facebook".into(),
                    "/stalled".into(),
                    format!("/residents/{hanako}/growth"),
                    format!("/programs/{course}/import"),
                    format!("/programs/{course}/voices"),
                    format!("/programs/{seminar}"),
                    format!("/programs/{tour}"),
                    format!("/programs/{tour}/event"),
                    "/follow-ups".into(),
                    "/work".into(),
                    format!("/organisations/{cognity}/work"),
                    format!("/organisations/{cognity}/tasks/new"),
                    format!("/organisations/{cognity}/postings/new"),
                    "/jobs".into(),
                    "/jobs?q=経理&max_hours=20".into(),
                    format!("/jobs?for={hanako}"),
                    format!("/organisations/{cognity}/hiring"),
                    format!("/applications/{application}"),
                    format!("/engagements/{contract}"),
                    format!("/engagements/{contract}/hours?month=2024-01-01"),
                    format!("/evaluations/{evaluation}"),
                    format!("/regions/{hagi}/work"),
                    format!("/regions/{hagi}/allocation"),
                    format!("/regions/{hagi}/allocation?program={middle}&run=1"),
                    format!("/postings/{annotation}"),
                    format!("/regions/{hagi}/kpis/paid_residents?fy=2023"),
                    format!("/regions/{hagi}/kpis/social_value?fy=2023"),
                ]),
            ),
            (
                "coord-shimonoseki",
                common(vec![
                    "/residents".into(),
                    format!("/residents/{kenichi}"),
                    format!("/organisations/{eukarya}"),
                ]),
            ),
            (
                "city-hagi",
                common(vec![
                    "/regions".into(),
                    "/organisations".into(),
                    format!("/organisations/{hagi_city}"),
                    "/residents".into(),
                    format!("/residents/{hanako}"),
                    format!("/regions/{hagi}/edit"),
                    "/programs".into(),
                    format!("/programs/{course}"),
                    format!("/programs/{course}/sessions/{first_session}/attendance"),
                    "/funnel".into(),
                    "/stalled".into(),
                    format!("/programs/{tour}/event"),
                    format!("/programs/{course}/voices"),
                    "/follow-ups".into(),
                    format!("/regions/{hagi}"),
                    format!("/regions/{hagi}/work"),
                    format!("/regions/{hagi}/kpis?from=2023-10-01&to=2024-02-29"),
                    format!("/regions/{hagi}/kpis?fy=2023#kpi-social"),
                    format!("/regions/{hagi}/kpis/income?fy=2023"),
                    format!("/regions/{hagi}/kpis/participants?fy=2023"),
                    format!("/regions/{hagi}/kpis/social_value?fy=2023"),
                    format!("/regions/{hagi}/kpis/report?fy=2023"),
                    format!("/regions/{hagi}/kpi-plans/new"),
                    "/prefectures/35/kpis?fy=2023".into(),
                    format!("/regions/{hagi}/projects"),
                    format!("/regions/{hagi}/projects/new"),
                    format!("/regions/{hagi}/kpis/forecast?kind=intro_seminar&courses=3"),
                ]),
            ),
            (
                "city-shimonoseki",
                common(vec!["/residents".into(), format!("/regions/{shimonoseki}")]),
            ),
            (
                "cognity",
                common(vec![
                    "/organisations".into(),
                    format!("/organisations/{cognity}"),
                    format!("/organisations/{cognity}/edit"),
                    "/work".into(),
                    format!("/organisations/{cognity}/tasks/new"),
                    format!("/organisations/{cognity}/postings/new"),
                    format!("/organisations/{cognity}/hiring"),
                    format!("/organisations/{cognity}/payments?from=2023-11&to=2024-01"),
                    format!("/applications/{application}"),
                    format!("/engagements/{contract}"),
                    format!("/engagements/{contract}/terms"),
                    format!("/engagements/{contract}/hours?month=2023-11-01"),
                    format!("/periods/{month}/statement"),
                    format!("/organisations/{cognity}/rubric"),
                    format!("/engagements/{contract}/evaluate"),
                    format!("/evaluations/{evaluation}"),
                    format!("/organisations/{cognity}/retention"),
                ]),
            ),
            ("eukarya", common(vec![format!("/organisations/{eukarya}")])),
            (
                "resident-hagi",
                common(vec![
                    "/regions".into(),
                    format!("/residents/{hanako}"),
                    format!("/residents/{hanako}/edit"),
                    "/residents".into(),
                    "/nowhere".into(),
                    "/jobs".into(),
                    "/jobs?q=経".into(),
                    "/me/work".into(),
                    "/me/thresholds".into(),
                ]),
            ),
            (
                "resident-shimonoseki",
                common(vec![format!("/residents/{kenichi}"), "/me/work".into()]),
            ),
        ];
        let shots = std::env::var_os("JIMOTO_SCREENSHOTS").map(PathBuf::from);
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).expect("the screenshot folder");
        }
        for (login, paths) in tours {
            log_in(&driver, &base, login, DEMO_PASSWORD).await?;
            // Every page in Japanese, then in English.
            for lang in ["ja", "en"] {
                if lang == "en" {
                    driver.goto(format!("{base}/home")).await?;
                    click(&driver, By::Id("lang-switch")).await?;
                    wait_for_lang(&driver, "en").await?;
                }
                for path in &paths {
                    driver.goto(format!("{base}{path}")).await?;
                    let what = format!("{login} {path} ({lang})");
                    let title = find(&driver, By::Tag("h1")).await?.text().await?;
                    assert!(!title.trim().is_empty(), "{what}: the page has a heading");
                    let text = body_text(&driver).await?;
                    // Each listed page is one the login may open, except the two error pages
                    // the resident's tour opens on purpose (refused, and not found).
                    let meant_to_fail = login == "resident-hagi"
                        && ["/residents", "/nowhere"].contains(&path.as_str());
                    let is_error = text.contains("HTTP 4") || text.contains("HTTP 5");
                    assert_eq!(is_error, meant_to_fail, "{what}: an error page or not");
                    for raw in ["-title", "field-", "err-", "error-", "notice-"] {
                        assert!(!text.contains(raw), "{what}: an untranslated key ({raw}…)");
                    }
                    if let Some(code) = snake_case_word(&text) {
                        panic!("{what}: an internal code on the page: {code}");
                    }
                    assert!(
                        driver
                            .query(By::Css("header nav"))
                            .nowait()
                            .exists()
                            .await?,
                        "{what}: the navigation is there (error pages included)"
                    );
                    assert_fits_phone(&driver, &what).await?;
                    assert_accessible(&driver, &what).await?;
                    if let Some(dir) = &shots {
                        let name = format!("{login}{}_{lang}", path.replace(['/', '?', '='], "_"));
                        driver.screenshot(&dir.join(format!("{name}.png"))).await?;
                    }
                }
            }
            // Back to Japanese, as the next login expects.
            click(&driver, By::Id("lang-switch")).await?;
            wait_for_lang(&driver, "ja").await?;
            log_out(&driver).await?;
        }
        Ok(())
    })
    .await;
}

/// A coordinator on a phone imports a Shift_JIS participant list: the preview names the bad
/// row and offers no way to apply it; the corrected file is previewed, applied and confirmed,
/// and the person is on the program's list. In both languages' screenshots when asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_imports_a_participant_list_on_a_phone() {
    with_browser_and_ids(|driver, base, ids| async move {
        let course = ids
            .programs
            .iter()
            .find(|(t, _)| *t == "IT基礎講座（初級）次期")
            .expect("the demo's open course")
            .1;
        let dir = std::env::temp_dir().join(format!("jimoto-import-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let write = |name: &str, text: &str| {
            let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
            let path = dir.join(name);
            std::fs::write(&path, bytes).expect("the list is written");
            path.to_string_lossy().into_owned()
        };
        let good =
            "氏名,ふりがな,電話番号,経路\r\n小野 真理,おの まり,090-8888-0101,図書館のチラシ\r\n";
        let bad = write("bad.csv", &format!("{good}名無し,,090-8888-0102,\r\n"));
        let fixed = write("fixed.csv", good);
        let shot = |name: &'static str| screenshot(&driver, "import", name);
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}/programs/{course}")).await?;
        click(&driver, By::Id("import-link")).await?;
        assert_fits_phone(&driver, "the import form").await?;
        find(&driver, By::Id("file")).await?.send_keys(&bad).await?;
        click(&driver, By::Id("check-file")).await?;
        let rows = find(&driver, By::Id("bad-rows")).await?.text().await?;
        assert_contains(&rows, "3", "the bad row's number");
        assert_contains(&rows, "フリガナ: 入力してください", "its reason");
        assert!(
            !driver
                .query(By::Id("apply-import"))
                .nowait()
                .exists()
                .await?,
            "a file with a bad row cannot be applied"
        );
        assert_fits_phone(&driver, "the preview with a bad row").await?;
        shot("bad-ja").await?;

        click(&driver, By::Css("a.button")).await?;
        find(&driver, By::Id("file"))
            .await?
            .send_keys(&fixed)
            .await?;
        click(&driver, By::Id("check-file")).await?;
        let summary = find(&driver, By::Id("import-summary"))
            .await?
            .text()
            .await?;
        assert_contains(&summary, "新しく登録する人: 1人", "one new person");
        assert_fits_phone(&driver, "the clean preview").await?;
        shot("clean-ja").await?;
        click(&driver, By::Id("lang-switch")).await?;
        wait_for_lang(&driver, "en").await?;
        let summary = find(&driver, By::Id("import-summary"))
            .await?
            .text()
            .await?;
        assert_contains(&summary, "New people: 1", "the preview in English");
        assert_fits_phone(&driver, "the clean preview in English").await?;
        shot("clean-en").await?;
        click(&driver, By::Id("lang-switch")).await?;
        wait_for_lang(&driver, "ja").await?;
        click(&driver, By::Id("apply-import")).await?;
        assert_contains(&notice(&driver).await?, "名簿を取り込みました", "confirmed");
        let done = find(&driver, By::Id("import-applied"))
            .await?
            .text()
            .await?;
        assert_contains(&done, "新しく登録した人: 1人", "what it did");
        shot("applied-ja").await?;
        driver
            .goto(format!("{base}/programs/{course}/people"))
            .await?;
        assert_contains(
            &body_text(&driver).await?,
            "小野 真理",
            "on the program's list",
        );
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    })
    .await;
}

/// The allocation journey of issue 9, on a phone: the Hagi coordinator allocates the people who
/// completed the demo's intermediate IT course to the next round's six open places — the exact
/// allocation places four where best-first places three — pins 山田 花子 to the job she was
/// only the second choice for (re-solved at once: her pin holds and the total falls), and
/// accepts; the applications appear in Cognity's selection (as Cognity sees it) and in JR West's
/// (which the coordinator runs on its behalf).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_allocates_a_course_cohort_and_the_companies_see_the_applications() {
    with_browser_and_ids(|driver, base, ids| async move {
        let hagi = ids.hagi.expect("Hagi");
        let cognity = ids.org("cognity").expect("Cognity");
        let jr_west = ids.org("jr-west").expect("JR West");
        let middle = ids
            .programs
            .iter()
            .find(|(title, _)| *title == "IT基礎講座（中級）")
            .map(|(_, id)| *id)
            .expect("the intermediate course");
        let shot = |name: &'static str| screenshot(&driver, "allocation", name);
        log_in(&driver, &base, "coord-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}/regions/{hagi}")).await?;
        click(&driver, By::Id("region-allocation")).await?;
        select(&driver, By::Id("program"), &middle.to_string()).await?;
        click(&driver, By::Id("run-allocation")).await?;
        let total = find(&driver, By::Id("allocation-total")).await?.text().await?;
        assert_contains(&total, "（4組）", "four pairs");
        let greedy = find(&driver, By::Id("allocation-greedy")).await?.text().await?;
        assert_contains(&greedy, "（3組）", "best-first places three");
        assert_contains(&greedy, "高くなります", "the gain is said");
        let text = body_text(&driver).await?;
        assert_contains(&text, "AIアノテーションのスキルを活かせます", "a reason in words");
        assert_fits_phone(&driver, "the allocation").await?;
        assert_accessible(&driver, "the allocation").await?;
        shot("proposal").await?;

        // 山田 花子's other possibility is JR West's survey job: pin her to it.
        let hanako = ids.resident("hanako").expect("山田 花子");
        let person = find(&driver, By::Id(format!("person-{hanako}"))).await?;
        let summary = person.find(By::Css("details.alternatives summary")).await?;
        summary.click().await?;
        let pin = person
            .find(By::XPath(
                ".//div[contains(@class, 'pair') and contains(., '西日本旅客鉄道')]//button[@name='add_pin']",
            ))
            .await?;
        follow(&driver, &pin).await?;
        let person = find(&driver, By::Id(format!("person-{hanako}"))).await?;
        let proposed = person
            .find(By::Css("div.pair.proposed"))
            .await?
            .text()
            .await?;
        assert_contains(&proposed, "ワーケーションツアー参加者アンケートの集計", "her pin");
        assert_contains(&proposed, "固定", "shown as pinned");
        let after = find(&driver, By::Id("allocation-total")).await?.text().await?;
        assert_contains(&after, "（3組）", "re-solved with the pin");
        shot("pinned").await?;

        // The names placed with each company, then accept.
        let placed = |org: &'static str| {
            let driver = driver.clone();
            async move {
                let mut names = Vec::new();
                for h in driver
                    .find_all(By::XPath(format!(
                        "//section[contains(@class, 'person')][.//div[contains(@class, 'proposed') and contains(., '{org}')]]/h3/a"
                    )))
                    .await?
                {
                    names.push(h.text().await?);
                }
                WebDriverResult::Ok(names)
            }
        };
        let with_cognity = placed("コグニティ").await?;
        let with_jr = placed("西日本旅客鉄道").await?;
        assert_eq!(with_cognity.len() + with_jr.len(), 3);
        assert!(with_jr.iter().any(|n| n == "山田 花子"), "{with_jr:?}");
        click(&driver, By::Id("accept-allocation")).await?;
        assert_contains(&notice(&driver).await?, "応募を作成しました", "accepted");
        shot("accepted").await?;

        // JR West's selection, which the coordinator runs for it.
        driver
            .goto(format!("{base}/organisations/{jr_west}/hiring"))
            .await?;
        let text = body_text(&driver).await?;
        for n in &with_jr {
            assert_contains(&text, n, "in JR West's selection");
        }
        log_out(&driver).await?;

        // Cognity sees its new applicants in its own selection.
        log_in(&driver, &base, "cognity", DEMO_PASSWORD).await?;
        driver
            .goto(format!("{base}/organisations/{cognity}/hiring"))
            .await?;
        let text = body_text(&driver).await?;
        for n in &with_cognity {
            assert_contains(&text, n, "in Cognity's selection");
        }
        assert_fits_phone(&driver, "Cognity's selection").await?;
        shot("pipeline").await?;
        log_out(&driver).await?;

        // 山田 花子 reads the jobs recommended to her, with their reasons, in both languages.
        log_in(&driver, &base, "resident-hagi", DEMO_PASSWORD).await?;
        driver
            .goto(format!("{base}/me/work#recommended-jobs"))
            .await?;
        let mine = find(&driver, By::Id("recommended-jobs")).await?.text().await?;
        assert_contains(&mine, "AIアノテーションのスキルを活かせます", "her reasons");
        assert_fits_phone(&driver, "her recommended jobs").await?;
        shot("recommended-ja").await?;
        click(&driver, By::Id("lang-switch")).await?;
        wait_for_lang(&driver, "en").await?;
        driver
            .goto(format!("{base}/me/work#recommended-jobs"))
            .await?;
        let mine = find(&driver, By::Id("recommended-jobs")).await?.text().await?;
        assert_contains(&mine, "Uses your AIアノテーション skill", "in English");
        shot("recommended-en").await?;
        Ok(())
    })
    .await;
}

/// The work journey of issue 8, on a phone: a company inventories three tasks and turns one into
/// a posting; a resident finds it with a two-character search and applies; the company hires
/// her, completes the contract's terms (the start refused until it does) and starts it; she logs
/// her hours and sends them; the company approves and evaluates her against its fifteen
/// criteria; her statement shows the exact amount, her growth stage is "first paid job", and
/// she reads her evaluation criterion by criterion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_becomes_paid_work_on_a_phone() {
    with_browser_and_ids(|driver, base, ids| async move {
        let org = ids.org("cognity").expect("the demo's Cognity");
        let shot = |name: &'static str| screenshot(&driver, "work", name);
        // The company inventories three tasks.
        log_in(&driver, &base, "cognity", DEMO_PASSWORD).await?;
        for (title, hours) in [
            ("経理の月次締め補助", "20"),
            ("問い合わせメールの一次対応", "30"),
            ("名刺データの入力", "10"),
        ] {
            driver
                .goto(format!("{base}/organisations/{org}/tasks/new"))
                .await?;
            fill(&driver, By::Id("title"), title).await?;
            fill(&driver, By::Id("hours_per_month"), hours).await?;
            for (name, v) in [
                ("frequency", "monthly"),
                ("tools_access", "cloud"),
                ("data_form", "digital"),
                ("confidentiality", "internal"),
                ("on_site", "never"),
            ] {
                select(&driver, By::Id(name), v).await?;
            }
            click(&driver, By::Id("save-task")).await?;
            assert_contains(&notice(&driver).await?, "保存しました", "the task is saved");
        }
        assert_fits_phone(&driver, "the task inventory").await?;
        shot("inventory").await?;
        click(
            &driver,
            By::XPath(
                "//article[h3[text()='経理の月次締め補助']]//button[starts-with(@id, 'to-posting-')]",
            ),
        )
        .await?;
        // The draft is pre-filled from the task; it states its pay and opens.
        assert_eq!(value(&driver, By::Id("title")).await?, "経理の月次締め補助");
        select(&driver, By::Id("category"), "accounting").await?;
        fill(&driver, By::Id("pay_yen"), "1200").await?;
        click(&driver, By::Id("save-posting")).await?;
        click(&driver, By::Id("open-posting")).await?;
        assert_contains(&notice(&driver).await?, "公開", "the posting is open");
        let posting_path = wait_for(&driver, "the posting", |p| p.starts_with("/postings/")).await?;
        log_out(&driver).await?;

        // The resident finds it by a two-character search and applies.
        log_in(&driver, &base, "resident-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}/jobs")).await?;
        fill(&driver, By::Id("q"), "経理").await?;
        click(&driver, By::Id("board-search")).await?;
        let board = find(&driver, By::Id("board")).await?.text().await?;
        assert_contains(&board, "経理の月次締め補助", "found by 経理");
        assert_fits_phone(&driver, "the job board").await?;
        shot("board").await?;
        click(&driver, By::LinkText("経理の月次締め補助")).await?;
        fill(&driver, By::Id("message"), "平日の午前中に働けます").await?;
        assert_fits_phone(&driver, "the posting with its application form").await?;
        click(&driver, By::Id("apply")).await?;
        assert_contains(&notice(&driver).await?, "応募しました", "applied");
        let status = find(&driver, By::Id("status")).await?.text().await?;
        assert_contains(&status, "選考中", "in selection");
        shot("applied").await?;
        log_out(&driver).await?;

        // The company hires her and starts the contract once its terms are complete.
        log_in(&driver, &base, "cognity", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}{posting_path}")).await?;
        click(&driver, By::Id("applicants")).await?;
        click(&driver, By::LinkText("山田 花子")).await?;
        let channel = find(&driver, By::Id("channel")).await?.text().await?;
        assert!(!channel.is_empty(), "her outreach channel is shown");
        assert_fits_phone(&driver, "the application").await?;
        shot("application").await?;
        click(&driver, By::Id("hire")).await?;
        assert_contains(&notice(&driver).await?, "採用しました", "hired");
        let missing = find(&driver, By::Id("missing")).await?.text().await?;
        assert_contains(&missing, "支払期日", "the freelance act's missing item is named");
        assert_fits_phone(&driver, "the draft contract").await?;
        shot("contract-missing").await?;
        fill(&driver, By::Id("delivery_place"), "共有フォルダ").await?;
        fill(&driver, By::Id("payment_due_days"), "30").await?;
        select(&driver, By::Id("payment_method"), "bank_transfer").await?;
        // Three months from today (a date control is set, not typed: its format is the
        // browser's locale).
        let end = chrono::Utc::now().date_naive() + chrono::Days::new(90);
        driver
            .execute(
                &format!("document.getElementById('end_date').value = '{end}';"),
                Vec::new(),
            )
            .await?;
        click(&driver, By::Id("save-terms")).await?;
        click(&driver, By::Id("start-engagement")).await?;
        assert_contains(&notice(&driver).await?, "契約を開始しました", "started");
        let contract = wait_for(&driver, "the contract", |p| p.starts_with("/engagements/")).await?;
        log_out(&driver).await?;

        // She logs two and a half hours today and sends the month.
        log_in(&driver, &base, "resident-hagi", DEMO_PASSWORD).await?;
        click_nav(&driver, "わたしの仕事").await?;
        shot("my-work").await?;
        driver.goto(format!("{base}{contract}/hours")).await?;
        fill(&driver, By::Id("hours"), "2").await?;
        select(&driver, By::Id("minutes"), "30").await?;
        fill(&driver, By::Id("note"), "仕訳の入力").await?;
        assert_fits_phone(&driver, "the hours form").await?;
        shot("hours").await?;
        click(&driver, By::Id("save-hours")).await?;
        assert_contains(&notice(&driver).await?, "記録しました", "hours saved");
        assert_contains(
            &find(&driver, By::Id("amount")).await?.text().await?,
            "3,000円",
            "150 minutes at ¥1,200",
        );
        click(&driver, By::Id("submit-period")).await?;
        assert_contains(&notice(&driver).await?, "承認に送りました", "sent");
        log_out(&driver).await?;

        // The company approves.
        log_in(&driver, &base, "cognity", DEMO_PASSWORD).await?;
        driver
            .goto(format!("{base}/organisations/{org}/hiring"))
            .await?;
        click(&driver, By::PartialLinkText("山田 花子")).await?;
        assert_fits_phone(&driver, "the month to approve").await?;
        shot("approve").await?;
        click(&driver, By::Id("approve-period")).await?;
        assert_contains(&notice(&driver).await?, "承認しました", "approved");
        // And evaluates her days so far against each of its fifteen criteria: twelve met.
        driver.goto(format!("{base}{contract}")).await?;
        click(&driver, By::Id("to-evaluate")).await?;
        let criteria = driver.find_all(By::Css("fieldset.criterion")).await?;
        assert_eq!(criteria.len(), 15, "every criterion asked for");
        for (i, c) in criteria.iter().enumerate() {
            let level = if i < 12 { "3" } else { "2" };
            c.find(By::Css(format!("input[value='{level}']")))
                .await?
                .click()
                .await?;
        }
        assert_fits_phone(&driver, "the evaluation form").await?;
        shot("evaluate").await?;
        click(&driver, By::Id("save-evaluation")).await?;
        assert_contains(&notice(&driver).await?, "保存しました", "evaluated");
        log_out(&driver).await?;

        // Her statement shows the exact amount; she has reached her first paid job.
        log_in(&driver, &base, "resident-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}{contract}/hours")).await?;
        click(&driver, By::Id("to-statement")).await?;
        assert_eq!(
            find(&driver, By::Id("statement-gross")).await?.text().await?,
            "3,000円"
        );
        assert_eq!(
            find(&driver, By::Id("statement-net")).await?.text().await?,
            "3,000円"
        );
        assert_fits_phone(&driver, "the statement").await?;
        shot("statement").await?;
        driver.goto(format!("{base}/me/work")).await?;
        assert_eq!(
            find(&driver, By::Id("my-stage")).await?.text().await?,
            "初回報酬"
        );
        // She reads her evaluation criterion by criterion, each level in words.
        driver.goto(format!("{base}{contract}")).await?;
        click(&driver, By::Css("#evaluations li a")).await?;
        assert_eq!(
            find(&driver, By::Id("met")).await?.text().await?,
            "15項目中12項目を達成"
        );
        let page = find(&driver, By::Id("scores")).await?.text().await?;
        assert_contains(&page, "リアルコミュニケーションに依存しない", "a criterion");
        assert_contains(&page, "3段階中2：一部できている", "a level in words");
        assert_fits_phone(&driver, "her evaluation").await?;
        shot("evaluation").await?;
        Ok(())
    })
    .await;
}

/// Starts a fresh app (SQLite, demo data) and chromedriver with a phone-sized headless
/// Chromium, runs `scenario` with the driver and the app's base URL, and quits the browser
/// whatever happens. A failed assertion in the scenario (a panic) or a WebDriver error fails
/// the test after the browser has quit, with the browser's last URL and page text appended
/// to the message.
/// Saves the browser's view as `DIR/{journey}-{name}.png` when `JIMOTO_SCREENSHOTS=DIR` is set.
#[tokio::test]
async fn municipal_staff_follow_the_income_to_its_pay_rows_and_download_the_report() {
    with_browser_and_ids(|driver, base, ids| async move {
        let hagi = ids.hagi.unwrap();
        let shot = |name: &'static str| screenshot(&driver, "kpis", name);
        // Hagi's staff member opens the region's KPIs and asks for fiscal 2023.
        log_in(&driver, &base, "city-hagi", DEMO_PASSWORD).await?;
        driver.goto(format!("{base}/regions/{hagi}")).await?;
        click(&driver, By::Id("region-kpis")).await?;
        fill(&driver, By::Id("fy"), "2023").await?;
        click(&driver, By::Css("form.filters button[type=submit]")).await?;
        let period = find(&driver, By::Id("kpi-period")).await?.text().await?;
        assert_contains(&period, "令和5年度（FY2023）", "the fiscal year's label");
        let income = find(&driver, By::Id("kpi-income")).await?.text().await?;
        assert_contains(&income, "1,260,000円", "the confirmed income");
        assert_contains(&income, "支払済み 840,000円", "the income's paid part");
        assert_fits_phone(&driver, "the KPI dashboard").await?;
        assert_accessible(&driver, "the KPI dashboard").await?;
        shot("dashboard").await?;
        // From the income figure to the pay periods behind it.
        click(&driver, By::Css("#kpi-income a")).await?;
        wait_for_path(&driver, &format!("/regions/{hagi}/kpis/income")).await?;
        assert_contains(
            &find(&driver, By::Id("rows-summary")).await?.text().await?,
            "全21行",
            "the income's rows",
        );
        let rows = find(&driver, By::Id("kpi-rows")).await?.text().await?;
        assert_contains(&rows, "支払済み", "a paid pay period");
        assert_contains(&rows, "住民 #", "residents by number for the city");
        assert!(!rows.contains("山田 花子"), "no resident's name for the city");
        assert_fits_phone(&driver, "the income's rows").await?;
        assert_accessible(&driver, "the income's rows").await?;
        shot("income-rows").await?;
        // Back to the dashboard, and on to the results report.
        click(&driver, By::PartialLinkText("ダッシュボードへ戻る")).await?;
        click(&driver, By::Id("kpi-report")).await?;
        find(&driver, By::Id("report")).await?;
        let report = body_text(&driver).await?;
        for text in [
            "萩市 実績報告",
            "令和5年度（FY2023）",
            "報告値 延べ203人 は、報告自身の内訳の合計 延べ200人 と一致しません。",
            "株式会社ウェブエージェント",
        ] {
            assert_contains(&report, text, "the report");
        }
        assert_fits_phone(&driver, "the report").await?;
        assert_accessible(&driver, "the report").await?;
        shot("report").await?;
        // The workbook downloads into a folder of the test's own.
        let downloads = std::env::temp_dir().join(format!(
            "jimoto-downloads-{}-{hagi}",
            std::process::id()
        ));
        std::fs::create_dir_all(&downloads).expect("the download folder");
        driver
            .cdp()
            .send_raw(
                "Browser.setDownloadBehavior",
                serde_json::json!({"behavior": "allow", "downloadPath": downloads.display().to_string()}),
            )
            .await?;
        find(&driver, By::Id("report-xlsx")).await?.click().await?;
        let file = downloads.join("kpi-report-352047-fy-2023.xlsx");
        let start = Instant::now();
        while !file.exists() {
            assert!(start.elapsed() < TIMEOUT, "the workbook did not download");
            tokio::time::sleep(INTERVAL).await;
        }
        let bytes = std::fs::read(&file).expect("the downloaded workbook");
        assert!(bytes.starts_with(b"PK"), "the download is an .xlsx (a zip)");
        let _ = std::fs::remove_dir_all(&downloads);
        // Printed on A4, and laid out within an A4 page's width (210 mm less 15 mm margins).
        let pdf = driver
            .print_page(thirtyfour::common::print::PrintParameters {
                page: thirtyfour::common::print::PrintPage {
                    width: 21.0,
                    height: 29.7,
                },
                margin: thirtyfour::common::print::PrintMargins {
                    top: 1.5,
                    bottom: 1.5,
                    left: 1.5,
                    right: 1.5,
                },
                shrink_to_fit: false,
                ..Default::default()
            })
            .await?;
        assert!(pdf.starts_with(b"%PDF"), "the print is a PDF");
        // Every page A4: portrait, or landscape for the plans' ten columns (595 × 842 pt).
        let text = String::from_utf8_lossy(&pdf);
        let pages: Vec<(f64, f64)> = text
            .match_indices("/MediaBox [")
            .filter_map(|(i, m)| {
                let n: Vec<f64> = text[i + m.len()..]
                    .split(']')
                    .next()?
                    .split_whitespace()
                    .filter_map(|v| v.parse().ok())
                    .collect();
                Some((n.get(2).copied()?, n.get(3).copied()?))
            })
            .collect();
        assert!(!pages.is_empty(), "the print has pages");
        let near = |a: f64, b: f64| (a - b).abs() < 1.0;
        for (w, h) in &pages {
            assert!(
                (near(*w, 595.0) && near(*h, 842.0)) || (near(*w, 842.0) && near(*h, 595.0)),
                "a page that is not A4: {w} × {h} pt"
            );
        }
        assert!(
            pages.iter().any(|(w, h)| w > h),
            "the plans print on a landscape page"
        );
        if let Some(dir) = std::env::var_os("JIMOTO_SCREENSHOTS").map(PathBuf::from) {
            std::fs::write(dir.join("kpis-report-print.pdf"), &pdf).expect("save the print");
        }
        let cdp = driver.cdp();
        cdp.send_raw(
            "Emulation.setEmulatedMedia",
            serde_json::json!({"media": "print"}),
        )
        .await?;
        cdp.send_raw(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": A4_PRINTABLE, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await?;
        let ret = driver
            .execute(
                "return [document.documentElement.scrollWidth, \
                 getComputedStyle(document.querySelector('nav') || document.body).display, \
                 document.querySelectorAll('#report table').length];",
                Vec::new(),
            )
            .await?;
        let v = ret.json().clone();
        let width = v[0].as_i64().unwrap_or(i64::MAX);
        assert!(
            width <= A4_PRINTABLE,
            "printed, the report is {width}px wide on a {A4_PRINTABLE}px A4 line"
        );
        assert_eq!(v[1], "none", "printed, the navigation is hidden");
        assert!(v[2].as_i64().unwrap_or(0) >= 4, "the report's tables: {v}");
        Ok(())
    })
    .await;
}

/// Hagi's staff member asks what three more introductory seminars would bring, reads the range
/// and its assumptions, then records a co-creation project that came out of the tour and sees it
/// saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn municipal_staff_forecast_more_courses_and_record_a_project() {
    with_browser_and_ids(|driver, base, ids| async move {
        let hagi = ids.hagi.unwrap();
        let city_hall = ids.org("hagi-city").unwrap();
        let shot = |name: &'static str| screenshot(&driver, "forecast", name);
        log_in(&driver, &base, "city-hagi", DEMO_PASSWORD).await?;
        driver
            .goto(format!("{base}/regions/{hagi}/kpis?fy=2023"))
            .await?;
        click(&driver, By::Id("kpi-forecast")).await?;
        wait_for_path(&driver, &format!("/regions/{hagi}/kpis/forecast")).await?;
        select(&driver, By::Id("kind"), "intro_seminar").await?;
        fill(&driver, By::Id("courses"), "3").await?;
        click(&driver, By::Css("#forecast-form button[type=submit]")).await?;
        let result = find(&driver, By::Id("forecast-result"))
            .await?
            .text()
            .await?;
        assert_contains(
            &result,
            "「テレワーク入門セミナー」をあと3回開くと",
            "the question",
        );
        assert_contains(&result, "30人", "ten people a seminar, three seminars");
        let in_work = find(&driver, By::Id("forecast-in-work"))
            .await?
            .text()
            .await?;
        assert_contains(&in_work, "幅 ", "a range of people in work");
        let assumptions = find(&driver, By::Id("forecast-assumptions"))
            .await?
            .text()
            .await?;
        assert_contains(&assumptions, "80%の幅は", "the share's interval");
        assert_contains(&assumptions, "約束ではありません", "what the range means");
        assert_fits_phone(&driver, "the forecast").await?;
        assert_accessible(&driver, "the forecast").await?;
        shot("forecast").await?;
        // A project that came out of the tour, with the city hall as a member.
        driver
            .goto(format!("{base}/regions/{hagi}/kpis?fy=2023"))
            .await?;
        click(&driver, By::Id("kpi-projects")).await?;
        click(&driver, By::Id("project-new")).await?;
        fill(&driver, By::Id("title"), "萩の海×データ").await?;
        fill(&driver, By::Id("theme"), "漁獲データの見える化").await?;
        select(&driver, By::Id("members-1"), &city_hall.to_string()).await?;
        assert_fits_phone(&driver, "the project form").await?;
        assert_accessible(&driver, "the project form").await?;
        shot("project-form").await?;
        click(&driver, By::Id("save-project")).await?;
        assert_eq!(notice(&driver).await?, "登録しました。");
        let page = body_text(&driver).await?;
        assert_contains(&page, "漁獲データの見える化", "the saved theme");
        assert_contains(&page, "構想", "the first step of its timeline");
        assert_fits_phone(&driver, "the saved project").await?;
        shot("project").await?;
        Ok(())
    })
    .await;
}

/// An A4 page's printable width in CSS pixels: 210 mm less two 15-mm margins, at 96 px an inch.
const A4_PRINTABLE: i64 = 680;

async fn screenshot(driver: &WebDriver, journey: &str, name: &str) -> WebDriverResult<()> {
    if let Some(dir) = std::env::var_os("JIMOTO_SCREENSHOTS").map(PathBuf::from) {
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        driver
            .screenshot(&dir.join(format!("{journey}-{name}.png")))
            .await?;
    }
    Ok(())
}

async fn with_browser<F, Fut>(scenario: F)
where
    F: FnOnce(WebDriver, String) -> Fut,
    Fut: Future<Output = WebDriverResult<()>> + Send + 'static,
{
    with_browser_and_ids(|driver, base, _| scenario(driver, base)).await;
}

/// [`with_browser`], with the ids the demo loader made.
async fn with_browser_and_ids<F, Fut>(scenario: F)
where
    F: FnOnce(WebDriver, String, jimoto_demo::DemoIds) -> Fut,
    Fut: Future<Output = WebDriverResult<()>> + Send + 'static,
{
    let app = spawn_server(Engine::Sqlite).await;
    let chromedriver = ChromeDriver::start();
    let driver = WebDriver::new(chromedriver.url(), capabilities(&chromedriver))
        .await
        .expect("start a Chromium session through chromedriver");

    // The scenario runs in its own task so that a panic is caught here.
    let outcome = tokio::spawn(scenario(
        driver.clone(),
        app.address.clone(),
        app.demo.clone(),
    ))
    .await;
    let page = match outcome {
        Ok(Ok(())) => String::new(),
        _ => where_the_browser_is(&driver).await,
    };
    let quit = driver.quit().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("browser scenario: {e}\n\n{page}"),
        Err(e) if e.is_panic() => {
            let payload = e.into_panic();
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()));
            match message {
                Some(message) => panic!("{message}\n\n{page}"),
                None => std::panic::resume_unwind(payload),
            }
        }
        Err(e) => panic!("browser scenario did not finish: {e}\n\n{page}"),
    }
    quit.expect("quit the browser");
    drop(chromedriver);
    drop(app);
}

/// Headless Chromium emulating a 360-px-wide phone (desktop Chromium will not make a window
/// narrower than 500 px), with its profile in the chromedriver's scratch directory.
fn capabilities(chromedriver: &ChromeDriver) -> ChromeCapabilities {
    let mut caps = DesiredCapabilities::chrome();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=500,900",
    ] {
        caps.add_arg(arg).expect("chrome argument");
    }
    caps.add_experimental_option(
        "mobileEmulation",
        serde_json::json!({"deviceMetrics": {"width": PHONE.0, "height": PHONE.1, "pixelRatio": 2.0, "mobile": true, "touch": true}}),
    )
    .expect("mobile emulation");
    caps.add_arg(&format!(
        "--user-data-dir={}",
        chromedriver.profile_dir().display()
    ))
    .expect("chrome profile argument");
    if let Some(binary) = chromium_binary() {
        caps.set_binary(&binary.to_string_lossy())
            .expect("chrome binary");
    }
    caps
}

/// Where the browser is and what it shows (best effort), to explain a failed scenario.
async fn where_the_browser_is(driver: &WebDriver) -> String {
    let url = match driver.current_url().await {
        Ok(url) => url.to_string(),
        Err(e) => format!("(unknown: {e})"),
    };
    let text = match driver.find(By::Tag("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(e) => format!("(unknown: {e})"),
    };
    format!("the browser was at {url}, showing:\n{text}")
}

/// Logs in through the form and waits for the (Japanese) home page.
async fn log_in(
    driver: &WebDriver,
    base: &str,
    login: &str,
    password: &str,
) -> WebDriverResult<()> {
    log_in_to(driver, base, login, password, "/home").await
}

/// Logs in through the form and waits for the page it leads to (`/me/password` for someone
/// with a temporary password).
async fn log_in_to(
    driver: &WebDriver,
    base: &str,
    login: &str,
    password: &str,
    lands_on: &str,
) -> WebDriverResult<()> {
    driver.goto(format!("{base}/login")).await?;
    fill(driver, By::Id("login"), login).await?;
    fill(driver, By::Id("password"), password).await?;
    click(driver, By::Id("login-submit")).await?;
    wait_for_path(driver, lands_on).await?;
    wait_for_lang(driver, "ja").await
}

/// The confirmation at the top of the page, after a save.
async fn notice(driver: &WebDriver) -> WebDriverResult<String> {
    let n = find(driver, By::Css("main > p#notice")).await?;
    // It sits right under the page's heading, where the eye is.
    let above = driver
        .execute(
            "const n = document.getElementById('notice'); \
             return n.previousElementSibling && n.previousElementSibling.tagName;",
            Vec::new(),
        )
        .await?;
    assert_eq!(above.json(), "H1", "the notice follows the page heading");
    n.text().await
}

/// Chooses a new password on the form a temporary password leads to, and lands home.
async fn choose_password(driver: &WebDriver, password: &str) -> WebDriverResult<()> {
    assert_contains(
        &body_text(driver).await?,
        "仮パスワードでログインしました",
        "the forced password form",
    );
    assert_fits_phone(driver, "the forced password form").await?;
    fill(driver, By::Id("new_password"), password).await?;
    fill(driver, By::Id("new_password_confirm"), password).await?;
    click(driver, By::Css("#password-form button[type='submit']")).await?;
    wait_for_path(driver, "/home").await?;
    assert_contains(
        &notice(driver).await?,
        "パスワードを変更しました",
        "the notice after choosing a password",
    );
    Ok(())
}

/// Logs out through the header button and waits for the login form.
async fn log_out(driver: &WebDriver) -> WebDriverResult<()> {
    click(driver, By::Id("logout")).await?;
    wait_for_path(driver, "/login").await?;
    find(driver, By::Id("login-submit")).await.map(drop)
}

/// Clicks the navigation link labelled `label`.
async fn click_nav(driver: &WebDriver, label: &str) -> WebDriverResult<()> {
    let link = find(driver, By::Css("header nav ul"))
        .await?
        .query(By::LinkText(label))
        .wait(TIMEOUT, INTERVAL)
        .first()
        .await?;
    follow(driver, &link).await
}

/// The labels of the navigation links (none when there is no navigation).
async fn nav_links(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut labels = Vec::new();
    for link in driver.find_all(By::Css("header nav ul a")).await? {
        labels.push(link.text().await?);
    }
    Ok(labels)
}

/// The first element matching `by`, waiting for it to appear.
async fn find(driver: &WebDriver, by: By) -> WebDriverResult<WebElement> {
    driver.query(by).wait(TIMEOUT, INTERVAL).first().await
}

/// Clicks the first element matching `by` (waiting for it to appear), which leads to
/// another page, and waits until the browser has left the current one.
async fn click(driver: &WebDriver, by: By) -> WebDriverResult<()> {
    let element = find(driver, by).await?;
    follow(driver, &element).await
}

/// Clicks `element`, a link or submit button, and waits until the current document is gone,
/// so that later queries see the next page rather than racing the navigation.
async fn follow(driver: &WebDriver, element: &WebElement) -> WebDriverResult<()> {
    let current = driver.find(By::Tag("html")).await?;
    element.click().await?;
    current
        .wait_until()
        .wait(TIMEOUT, INTERVAL)
        .error("the click did not lead to another page")
        .stale()
        .await
}

/// Replaces the text of the input matching `by`.
async fn fill(driver: &WebDriver, by: By, text: &str) -> WebDriverResult<()> {
    let input = find(driver, by).await?;
    input.clear().await?;
    input.send_keys(text).await
}

/// Ticks the checkbox matching `css` (leaving it ticked if it already was).
async fn tick(driver: &WebDriver, css: &str) -> WebDriverResult<()> {
    let checkbox = find(driver, By::Css(css)).await?;
    if !checkbox.is_selected().await? {
        checkbox.click().await?;
    }
    assert!(checkbox.is_selected().await?, "{css} is ticked");
    Ok(())
}

/// Chooses the option with `value` in the select matching `by`.
async fn select(driver: &WebDriver, by: By, value: &str) -> WebDriverResult<()> {
    let select = find(driver, by).await?;
    SelectElement::new(&select)
        .await?
        .select_by_value(value)
        .await
}

/// The current value of the form control matching `by`.
async fn value(driver: &WebDriver, by: By) -> WebDriverResult<String> {
    Ok(find(driver, by).await?.value().await?.unwrap_or_default())
}

/// The page needs no sideways scrolling on the phone. (Under mobile emulation
/// `window.innerWidth` grows with the content, so the page is measured against the screen.)
async fn assert_fits_phone(driver: &WebDriver, what: &str) -> WebDriverResult<()> {
    let ret = driver
        .execute(
            "return [document.documentElement.scrollWidth, screen.width];",
            Vec::new(),
        )
        .await?;
    let widths = ret.json().clone();
    let page = widths[0].as_i64().unwrap_or(i64::MAX);
    let screen = widths[1].as_i64().unwrap_or(0);
    assert_eq!(screen, PHONE.0, "{what}: the emulated phone's width");
    assert!(
        page <= screen,
        "{what}: the page is {page}px wide on a {screen}px screen"
    );
    Ok(())
}

/// The visible text of the page.
async fn body_text(driver: &WebDriver) -> WebDriverResult<String> {
    find(driver, By::Tag("body")).await?.text().await
}

/// Asserts that `text` contains `needle`, showing the text when it does not.
fn assert_contains(text: &str, needle: &str, what: &str) {
    assert!(
        text.contains(needle),
        "{what}: expected {needle:?} in:\n{text}"
    );
}

/// Waits for a resident's page (`/residents/{id}` showing its facts) and returns its path.
async fn wait_for_resident_page(driver: &WebDriver) -> WebDriverResult<String> {
    let path = wait_for(driver, "a resident page", |path| {
        path.strip_prefix("/residents/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    })
    .await?;
    find(driver, By::Css("dl.facts")).await?;
    Ok(path)
}

/// Waits until the document's `<html lang>` is `lang` (i.e. the expected page has loaded).
async fn wait_for_lang(driver: &WebDriver, lang: &str) -> WebDriverResult<()> {
    driver
        .query(By::Css(format!("html[lang='{lang}']")))
        .desc(&format!("<html lang=\"{lang}\">"))
        .wait(TIMEOUT, INTERVAL)
        .first()
        .await
        .map(drop)
}

/// Waits until the current URL's path is exactly `path` (any query string allowed).
async fn wait_for_path(driver: &WebDriver, path: &str) -> WebDriverResult<()> {
    wait_for(driver, path, |p| p == path).await.map(drop)
}

/// Polls the current URL until `ok` accepts its path, checks the page's accessibility and
/// returns the path; panics after [`TIMEOUT`].
async fn wait_for(
    driver: &WebDriver,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> WebDriverResult<String> {
    let start = Instant::now();
    loop {
        let url = driver.current_url().await?;
        if ok(url.path()) {
            assert_accessible(driver, url.as_str()).await?;
            return Ok(url.path().to_owned());
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "waited {TIMEOUT:?} for {what}; the browser is still at {url}"
        );
        tokio::time::sleep(INTERVAL).await;
    }
}

/// A word like `weekday_morning` or `coordinator_body` (an internal code shown as is), if the
/// text has one.
fn snake_case_word(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .find(|w| {
            let parts: Vec<&str> = w.split('_').collect();
            parts.len() > 1 && parts.iter().all(|p| p.len() > 1)
        })
}

/// The axe-core accessibility engine, vendored with its licence (`vendor/axe-core/`).
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// Runs axe-core on the page once it has loaded, with the WCAG 2.0/2.1 A and AA rules
/// (JIS X 8341-3:2016 is WCAG 2.0 AA), and fails on any serious or critical violation, naming
/// the rule and the elements. Every page a journey waits for is checked, so the rules apply to
/// every later page automatically. `JIMOTO_AXE_REPORT=1` prints every violation, whatever its
/// impact.
#[allow(clippy::print_stderr)] // the report asked for with JIMOTO_AXE_REPORT
async fn assert_accessible(driver: &WebDriver, what: &str) -> WebDriverResult<()> {
    driver
        .execute(
            &format!("if (!window.axe) {{ {AXE}\n }} return true;"),
            Vec::new(),
        )
        .await?;
    let ret = driver
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            const run = () => axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            }).then(r => done({passes: r.passes.length, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }))})).catch(e => done({passes: 0, violations:
                [{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]}));
            if (document.readyState === 'complete') { run(); } else { addEventListener('load', run); }"#,
            Vec::new(),
        )
        .await?;
    let result = ret.json();
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    let passes = result["passes"].as_u64().unwrap_or(0);
    if std::env::var_os("JIMOTO_AXE_REPORT").is_some() {
        for v in &violations {
            eprintln!(
                "axe {what}: {} ({}) {} {}",
                v["id"], v["impact"], v["help"], v["nodes"]
            );
        }
        eprintln!(
            "axe {what}: checked, {passes} rules passed, {} violations",
            violations.len()
        );
    }
    assert!(
        passes > 0 || !violations.is_empty(),
        "{what}: axe-core checked nothing"
    );
    let serious: Vec<String> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            format!(
                "{} ({}): {} at {}",
                v["id"], v["impact"], v["help"], v["nodes"]
            )
        })
        .collect();
    assert!(
        serious.is_empty(),
        "{what}: accessibility violations:\n{}",
        serious.join("\n")
    );
    Ok(())
}

/// The Chromium binary to use: `JIMOTO_CHROMIUM`, else `/usr/bin/chromium` when it exists,
/// else whatever chromedriver finds itself.
fn chromium_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("JIMOTO_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "JIMOTO_CHROMIUM={} does not exist",
            path.display()
        );
        return Some(path);
    }
    let default = Path::new("/usr/bin/chromium");
    default.is_file().then(|| default.to_owned())
}

/// The chromedriver binary: `JIMOTO_CHROMEDRIVER`, else `chromedriver` on `PATH`.
fn chromedriver_binary() -> PathBuf {
    const INSTALL: &str = "install Debian's chromium and chromium-driver \
                           (`apt-get install chromium chromium-driver`) or set \
                           JIMOTO_CHROMEDRIVER to a chromedriver binary";
    if let Some(path) = std::env::var_os("JIMOTO_CHROMEDRIVER").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "JIMOTO_CHROMEDRIVER={} does not exist: {INSTALL}",
            path.display()
        );
        return path;
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("the browser test needs chromedriver, which is not on PATH: {INSTALL}")
        })
}

/// A chromedriver child process on a free local port, with a fresh scratch directory for
/// the browser profile. Dropping it kills the process and removes the directory, also when
/// the test panics.
#[derive(Debug)]
struct ChromeDriver {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl ChromeDriver {
    fn start() -> Self {
        let binary = chromedriver_binary();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("find a free port")
            .port();
        let dir = std::env::temp_dir().join(format!(
            "jimoto-e2e-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir_all(dir.join("profile")).expect("create a browser profile dir");
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                dir.join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let mut driver = Self { child, port, dir };
        driver.wait_until_listening();
        driver
    }

    fn wait_until_listening(&mut self) {
        let start = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "chromedriver exited early ({status}); see {}",
                    self.dir.join("chromedriver.log").display()
                );
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "chromedriver did not listen on port {} within {TIMEOUT:?}; see {}",
                self.port,
                self.dir.join("chromedriver.log").display()
            );
            std::thread::sleep(INTERVAL);
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn profile_dir(&self) -> PathBuf {
        self.dir.join("profile")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
