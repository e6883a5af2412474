//! Importing participant lists on both engines: a Shift_JIS CSV and an .xlsx with good and bad
//! rows are previewed with every bad row named and nothing written; the corrected file applies
//! whole; the same file twice adds no one; another region's coordinator cannot import. Through
//! the router: the upload form, its preview and apply, the upload limit, the API, and a file of
//! 20,000 rows.

use jimoto_domain::growth::{Channel, EnrolmentStatus, Stage};
use jimoto_domain::{ProgramId, SessionId};
use jimoto_services::{ServiceError, Services};
use jimoto_testkit::{TestDb, World, both_engines};

use super::growth::course;

both_engines!(
    a_list_with_bad_rows_writes_nothing_and_the_corrected_one_applies_once,
    an_uploaded_list_is_previewed_then_applied_by_its_region_only,
);

/// A participant list: a header with the course's three session dates, then `rows`.
fn list(sessions: &[chrono::NaiveDate], rows: &[&str]) -> String {
    let dates: Vec<String> = sessions
        .iter()
        .map(|d| d.format("%-m/%-d").to_string())
        .collect();
    let mut text = format!("氏名,ふりがな,電話番号,メール,経路,{}\r\n", dates.join(","));
    for r in rows {
        text.push_str(r);
        text.push_str("\r\n");
    }
    text
}

fn sjis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The same table as an .xlsx (every cell text, as a coordinator's sheet often is; phone
/// numbers as numbers, as Excel stores them when typed).
fn xlsx(text: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            if r > 0 && c == 2 && !cell.is_empty() && cell.chars().all(|x| x.is_ascii_digit()) {
                sheet
                    .write_number(r, c, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                sheet.write_string(r, c, cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn dates(s: &Services, w: &World, p: ProgramId) -> (Vec<chrono::NaiveDate>, Vec<SessionId>) {
    let v = s.program(&w.actor("coord-hagi"), p).await.unwrap();
    (
        v.sessions.iter().map(|x| x.date).collect(),
        v.sessions.iter().map(|x| x.id).collect(),
    )
}

async fn a_list_with_bad_rows_writes_nothing_and_the_corrected_one_applies_once(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, _) = course(&s, &w, &coord, w.hagi, Some(1), 3, -30).await;
    let (d, sessions) = dates(&s, &w, p).await;
    let good = [
        // A new person at the first two sessions.
        "佐々木 陽子,ささき ようこ,090-5555-0001,,市報,○,○,",
        // 山田 花子 of the world, by her e-mail (any case), at the last session.
        "山田 花子,やまだ はなこ,,HANAKO@example.jp,知人の紹介,,,1",
        // A new person with a phone typed in full-width digits.
        "森 健二,もり けんじ,０９０５５５５０００２,,,出席,,",
    ];
    let bad = [
        // No reading, an unknown channel and a mark that means nothing.
        "名無し,,090-5555-0003,,テレパシー,?,,",
        // The first row's person again, in half-width katakana.
        "佐々木陽子,ｻｻｷ ﾖｳｺ,09055550001,,,,,",
    ];
    let mut rows: Vec<&str> = good.to_vec();
    rows.extend(bad);
    let before = s.enrolments(&coord, p, None).await.unwrap().len();
    for (name, bytes) in [
        ("list.csv", sjis(&list(&d, &rows))),
        ("list.xlsx", xlsx(&list(&d, &rows))),
    ] {
        let preview = s.check_import(&coord, p, name, &bytes).await.unwrap();
        assert!(
            preview.file_problems.is_empty(),
            "{name}: {:?}",
            preview.file_problems
        );
        let bad_rows: Vec<usize> = preview.bad.iter().map(|b| b.row).collect();
        assert_eq!(bad_rows, vec![5, 6], "{name}: the header is row 1");
        let codes: Vec<&str> = preview.bad[0]
            .problems
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        for code in ["required", "channel_unknown", "attendance_mark"] {
            assert!(codes.contains(&code), "{name}: {code} in {codes:?}");
        }
        assert_eq!(preview.bad[1].problems[0].code, "same_person_as");
        assert_eq!(preview.new_people.len(), 2, "{name}");
        assert_eq!(preview.matched.len(), 1, "{name}");
        assert_eq!(preview.matched[0].resident_id, Some(w.hanako));
        assert_eq!(preview.attendances_to_add, 4, "{name}");
        // Applying a file with bad rows writes nothing.
        let refused = s.import_file(&coord, p, name, &bytes).await.unwrap();
        assert!(refused.applied.is_none());
        assert_eq!(s.enrolments(&coord, p, None).await.unwrap().len(), before);
    }

    let fixed = sjis(&list(&d, &good));
    let done = s.import_file(&coord, p, "fixed.csv", &fixed).await.unwrap();
    let applied = done.applied.expect("a clean file applies");
    assert_eq!(
        (applied.new_people, applied.enrolments, applied.attendances),
        (2, 3, 4)
    );
    let people = s.enrolments(&coord, p, None).await.unwrap();
    assert_eq!(people.len(), 3);
    // They took part: every one of them has a place, capacity or not.
    assert!(people.iter().all(|e| e.status == EnrolmentStatus::Enrolled));
    let sasaki = people.iter().find(|e| e.name == "佐々木 陽子").unwrap();
    assert_eq!(sasaki.channel, Channel::CityBulletin);
    assert_eq!(sasaki.attended, 2);
    let c = s.program_counts(&coord, p).await.unwrap();
    assert_eq!((c.attended_people, c.attendances), (3, 4));
    let per: Vec<i64> = c.per_session.iter().map(|x| x.attendances).collect();
    assert_eq!(per, vec![2, 1, 1]);
    assert_eq!(
        s.attendance_rows(&coord, p)
            .await
            .unwrap()
            .iter()
            .filter(|r| r.session_id == sessions[2])
            .map(|r| r.resident_id)
            .collect::<Vec<_>>(),
        vec![w.hanako]
    );
    // Attendance moves the stage as a tick would.
    assert_eq!(
        s.growth(&coord, sasaki.resident_id)
            .await
            .unwrap()
            .now
            .stage,
        Stage::Attended
    );

    // The same list again — and as an .xlsx — adds no one and nothing.
    for (name, bytes) in [
        ("fixed.csv", fixed.clone()),
        ("fixed.xlsx", xlsx(&list(&d, &good))),
    ] {
        let again = s.import_file(&coord, p, name, &bytes).await.unwrap();
        assert_eq!(again.matched.len(), 3, "{name}");
        let a = again.applied.unwrap();
        assert_eq!(
            (a.new_people, a.enrolments, a.attendances),
            (0, 0, 0),
            "{name}"
        );
    }
    assert_eq!(s.enrolments(&coord, p, None).await.unwrap().len(), 3);
}

async fn an_uploaded_list_is_previewed_then_applied_by_its_region_only(t: TestDb) {
    let w = t.world().await;
    let s = t.services();
    let coord = w.actor("coord-hagi");
    let (p, _) = course(&s, &w, &coord, w.hagi, None, 3, -30).await;
    let (d, _) = dates(&s, &w, p).await;
    let bytes = list(&d, &["佐々木 陽子,ささき ようこ,090-5555-0001,,,○,○,○"]).into_bytes();
    // Another region's coordinator and a company member cannot import or see an upload.
    for login in ["coord-shimonoseki", "cognity", "resident-hagi"] {
        let other = w.actor(login);
        let e = s
            .upload_import(&other, p, "x.csv", &bytes)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{login}: {e:?}");
    }
    // City staff see the program's people but do not keep its attendance.
    let city = w.actor("city-hagi");
    let e = s
        .upload_import(&city, p, "x.csv", &bytes)
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden), "{e:?}");

    let id = s.upload_import(&coord, p, "x.csv", &bytes).await.unwrap();
    let preview = s.import_preview(&coord, p, id).await.unwrap();
    assert_eq!(preview.import_id, Some(id));
    assert_eq!(preview.new_people.len(), 1);
    assert!(
        s.enrolments(&coord, p, None).await.unwrap().is_empty(),
        "a preview writes nothing"
    );
    let other = w.actor("coord-shimonoseki");
    assert!(matches!(
        s.import_preview(&other, p, id).await.unwrap_err(),
        ServiceError::NotFound
    ));
    assert!(matches!(
        s.apply_import(&other, p, id).await.unwrap_err(),
        ServiceError::NotFound
    ));
    let done = s.apply_import(&coord, p, id).await.unwrap();
    assert_eq!(done.applied.unwrap().attendances, 3);
    // Applied: its content is no longer kept; its summary is, and applying again changes nothing.
    let after = s.import_preview(&coord, p, id).await.unwrap();
    assert_eq!(after.applied.map(|a| a.attendances), Some(3));
    assert!(after.new_people.is_empty());
    let again = s.apply_import(&coord, p, id).await.unwrap();
    assert_eq!(
        again.applied.map(|a| a.new_people),
        Some(1),
        "the kept summary"
    );
    let c = s.program_counts(&coord, p).await.unwrap();
    assert_eq!(
        (c.enrolled_people, c.completed_people, c.attendances),
        (1, 1, 3)
    );
    // A file that is no table is refused by name.
    let junk = s
        .check_import(&coord, p, "x.bin", &[0x82, 0xFF, 0x00, 0x81])
        .await
        .unwrap();
    assert_eq!(junk.file_problems[0].code, "file_encoding");
}

/// A `multipart/form-data` body with the CSRF token and one file, as a browser sends it.
fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----jimoto-test-boundary-7MA4YWxk";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// The pages: the form with its templates, a Shift_JIS list with a bad row previewed and refused,
/// the corrected .xlsx applied with its confirmation; the upload limit of its own; the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_through_the_pages_and_the_api() {
    use jimoto_testkit::TestApp;
    use reqwest::StatusCode;
    let app = TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let w = app.w().clone();
    let p = w.hagi_course;
    let (client, csrf) = app.login("coord-hagi").await;
    let form = app.page(&client, &format!("/programs/{p}/import")).await;
    assert!(form.contains("enctype=\"multipart/form-data\""), "{form}");
    let template = client
        .get(&format!("/programs/{p}/import/template.csv"))
        .send()
        .await;
    assert_eq!(template.status(), StatusCode::OK);
    assert!(
        template
            .text()
            .starts_with("\u{feff}氏名,ふりがな,電話番号,メールアドレス,経路,2023-11-18"),
        "{}",
        template.text()
    );
    let template_xlsx = client
        .get(&format!("/programs/{p}/import/template.xlsx"))
        .send()
        .await;
    assert!(template_xlsx.bytes().starts_with(b"PK"));
    // The template, filled in and sent back, is read as it was written.
    let mut filled = template
        .text()
        .trim_start_matches('\u{feff}')
        .trim_end()
        .to_owned();
    filled.push_str("\r\n佐々木 陽子,ささき ようこ,090-5555-0001,,市報,○\r\n名無し,,,,,?\r\n");
    let (ct, body) = multipart(&csrf, "参加者.csv", &sjis(&filled));
    let res = client
        .post(&format!("/programs/{p}/import"))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let preview_at = res.location();
    let preview = app.page(&client, &preview_at).await;
    assert!(preview.contains("id=\"bad-rows\""), "{preview}");
    assert!(
        preview.contains("<td data-label=\"行\">3</td>"),
        "row 3 is named: {preview}"
    );
    assert!(preview.contains("フリガナ: 入力してください"), "{preview}");
    assert!(
        preview.contains("「?」は出席の印として読めません"),
        "{preview}"
    );
    assert!(!preview.contains("id=\"apply-import\""), "no apply button");
    let refused = app
        .post_form(
            &client,
            &format!("{preview_at}/apply"),
            &[("csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before = app
        .services
        .enrolments(&w.actor("coord-hagi"), p, None)
        .await
        .unwrap()
        .len();

    // The corrected list as an .xlsx: previewed, applied, confirmed.
    let fixed = filled.lines().take(2).collect::<Vec<_>>().join("\n");
    let (ct, body) = multipart(&csrf, "参加者.xlsx", &xlsx(&fixed));
    let res = client
        .post(&format!("/programs/{p}/import"))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    let at = res.location();
    let preview = app.page(&client, &at).await;
    assert!(preview.contains("id=\"apply-import\""), "{preview}");
    assert!(preview.contains("新しく登録する人: 1人"), "{preview}");
    let done = app
        .post_form(&client, &format!("{at}/apply"), &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let page = app.page(&client, &done.location()).await;
    assert!(
        page.contains("名簿を取り込みました") && page.contains("追加した出席: 1件"),
        "{page}"
    );
    let after = app
        .services
        .enrolments(&w.actor("coord-hagi"), p, None)
        .await
        .unwrap()
        .len();
    assert_eq!(after, before + 1);

    // No file, a forged token, a body that is not multipart.
    let (ct, body) = multipart(&csrf, "", b"");
    let res = client
        .post(&format!("/programs/{p}/import"))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("ファイル: 入力してください"));
    let (ct, body) = multipart("forged", "x.csv", b"a,b");
    let res = client
        .post(&format!("/programs/{p}/import"))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = client
        .post(&format!("/programs/{p}/import"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A file larger than a form may be (256 KiB) but within the upload limit is read; one over
    // the upload limit (16 MiB) is refused with 413.
    let mut big = String::from("氏名,ふりがな,電話番号\n");
    let mut i = 0;
    while big.len() < 600 * 1024 {
        big.push_str(&format!(
            "人 {i},ひと,090-{:04}-{:04}\n",
            i / 10_000,
            i % 10_000
        ));
        i += 1;
    }
    let (ct, body) = multipart(&csrf, "big.csv", big.as_bytes());
    let res = client
        .post(&format!("/programs/{p}/import"))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text());
    let (ct, body) = multipart(&csrf, "huge.csv", &vec![b'a'; 17 * 1024 * 1024]);
    let res = client
        .post(&format!("/programs/{p}/import"))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Another region's coordinator: not found, page and preview alike.
    let (other, _) = app.login("coord-shimonoseki").await;
    assert_eq!(
        other
            .get(&format!("/programs/{p}/import"))
            .send()
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(other.get(&at).send().await.status(), StatusCode::NOT_FOUND);

    // The API: a check, a refused apply (422 with every bad row), a clean apply.
    let token = app.token("coord-hagi").await;
    let api = app.client();
    let path = format!("/api/v1/programs/{p}/imports");
    let res = api
        .post(&path)
        .bearer_auth(&token)
        .body(sjis(&filled))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json()["bad"][0]["row"], 3);
    let res = api
        .post(&format!("{path}?apply=true"))
        .bearer_auth(&token)
        .body(sjis(&filled))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.json()["applied"].is_null());
    let res = api
        .post(&format!("{path}?apply=true&file_name=a.csv"))
        .bearer_auth(&token)
        .body(fixed.clone())
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["applied"]["new_people"], 0, "already imported");
    let res = api
        .post(&format!("{path}?apply=maybe"))
        .bearer_auth(&token)
        .body(fixed)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

/// A list of 20,000 people, each at the course's session: previewed and applied through the
/// API, then applied again adding no one. Prints how long each step took (never asserted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stderr)] // the timing, for the record; never asserted
async fn a_list_of_twenty_thousand_rows_previews_and_applies() {
    use jimoto_testkit::TestApp;
    use reqwest::StatusCode;
    let app = TestApp::world(jimoto_testkit::Engine::Sqlite).await;
    let p = app.w().hagi_course;
    let mut text = String::from("氏名,ふりがな,電話番号,経路,2023-11-18\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "参加 {i},さんか,090-{:04}-{:04},市報,○\n",
            i / 10_000 + 7000,
            i % 10_000
        ));
    }
    let bytes = sjis(&text);
    let token = app.token("coord-hagi").await;
    let api = app.client();
    let path = format!("/api/v1/programs/{p}/imports");
    let started = std::time::Instant::now();
    let res = api
        .post(&path)
        .bearer_auth(&token)
        .body(bytes.clone())
        .send()
        .await;
    let preview_took = started.elapsed();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json()["new_people"].as_array().unwrap().len(), 20_000);
    let started = std::time::Instant::now();
    let res = api
        .post(&format!("{path}?apply=true"))
        .bearer_auth(&token)
        .body(bytes.clone())
        .send()
        .await;
    let apply_took = started.elapsed();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["applied"]["new_people"], 20_000);
    let counts = app
        .services
        .program_counts(&app.w().actor("coord-hagi"), p)
        .await
        .unwrap();
    assert_eq!(counts.attended_people, 20_000);
    let started = std::time::Instant::now();
    let res = api
        .post(&format!("{path}?apply=true"))
        .bearer_auth(&token)
        .body(bytes.clone())
        .send()
        .await;
    let again_took = started.elapsed();
    assert_eq!(res.json()["applied"]["new_people"], 0);
    eprintln!(
        "20,000 rows ({} KiB Shift_JIS), SQLite, debug build: preview {preview_took:?}, apply {apply_took:?}, again {again_took:?}",
        bytes.len() / 1024
    );
}
