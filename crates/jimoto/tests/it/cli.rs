//! The `jimoto` binary as an operator uses it: unattended admin creation, tokens, and the
//! demo serving the Japanese login page until SIGTERM stops it gracefully.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jimoto");

fn temp_db() -> (String, std::path::PathBuf) {
    let dir = std::env::temp_dir().join("jimoto-tests");
    std::fs::create_dir_all(&dir).unwrap();
    // nextest runs each test in its own process: the pid and the clock make the name unique.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let path = dir.join(format!("cli-{}-{nanos}.db", std::process::id()));
    (format!("sqlite://{}", path.display()), path)
}

fn run(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env("JIMOTO_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jimoto");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn create_admin_and_token_work_unattended() {
    let (url, path) = temp_db();
    let (ok, out, _) = run(
        &[
            "create-admin",
            "--login",
            "ops",
            "--password-stdin",
            "--database-url",
            &url,
        ],
        Some("correct horse battery\n"),
    );
    assert!(ok, "create-admin succeeds");
    assert!(out.contains("administrator ops created"));
    let (ok, _, err) = run(
        &[
            "create-admin",
            "--login",
            "weak",
            "--password-stdin",
            "--database-url",
            &url,
        ],
        Some("short\n"),
    );
    assert!(
        !ok && err.contains("Password: must be at least 10 characters"),
        "{err}"
    );
    let (ok, _, err) = run(
        &["create-admin", "--login", "ops2", "--database-url", &url],
        None,
    );
    assert!(
        !ok && err.contains("--password-stdin"),
        "a password is never taken as an argument: {err}"
    );
    let (ok, token, _) = run(
        &["token", "create", "--login", "ops", "--database-url", &url],
        None,
    );
    assert!(
        ok && token.trim().starts_with("jmt_") && token.trim().len() > 40,
        "{token}"
    );
    let (ok, _, err) = run(
        &[
            "token",
            "create",
            "--login",
            "nobody",
            "--database-url",
            &url,
        ],
        None,
    );
    assert!(!ok && err.contains("no active account"), "{err}");
    let (ok, _, err) = run(&["migrate", "--database-url", "mysql://x"], None);
    assert!(!ok && err.contains("unsupported database URL"), "{err}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_serves_the_japanese_login_page_and_stops_on_sigterm() {
    let (url, path) = temp_db();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = Command::new(BIN)
        .args(["demo", "--bind", &bind, "--database-url", &url])
        .env("JIMOTO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jimoto demo");
    let login = format!("http://{bind}/login");
    let deadline = Instant::now() + Duration::from_secs(60);
    let html = loop {
        if let Ok(res) = reqwest::get(&login).await {
            break res.text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the demo did not start serving");
        assert!(child.try_wait().unwrap().is_none(), "the demo exited early");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(html.contains("<html lang=\"ja\">") && html.contains("ログイン"));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "graceful shutdown exits 0");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains(&login)
            && printed.contains("coord-hagi")
            && printed.contains("jimoto-demo-2026"),
        "{printed}"
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// `jimoto allocate` solves a MATCH1 file exactly and says so in key=value lines; a malformed
/// file is refused with its line number and reason; a generated instance round-trips.
#[test]
fn allocate_solves_a_match1_file_and_names_a_bad_line() {
    let (_, db) = temp_db();
    let dir = db.with_extension("match");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("small.match1");
    // Two people, two jobs of one place each: the best total is 9 + 8 = 17 (not 10 + 2).
    std::fs::write(
        &good,
        "MATCH1 2 2 4\n1\n1\n1\n1\n0 0 -10\n0 1 -9\n1 0 -8\n1 1 -2\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["allocate", "--input", good.to_str().unwrap()], None);
    assert!(ok, "{err}");
    assert!(out.contains("objective=17\n"), "{out}");
    assert!(
        out.contains("pairs=2\n") && out.contains("certificate=ok"),
        "{out}"
    );
    assert!(
        out.contains("solve_ms=") && out.contains("peak_rss_kb="),
        "{out}"
    );

    let bad = dir.join("bad.match1");
    std::fs::write(&bad, "MATCH1 2 1 2\n1\n1\n1\n0 0 -5\n0 0 -6\n").unwrap();
    let (ok, _, err) = run(&["allocate", "--input", bad.to_str().unwrap()], None);
    assert!(!ok);
    assert!(
        err.contains("line 6: the pair (0, 0) is given twice (first on line 5)"),
        "{err}"
    );

    let generated = dir.join("gen.match1");
    let (ok, out, err) = run(
        &[
            "allocate",
            "--generate",
            "300x60",
            "--seed",
            "3",
            "--write",
            generated.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("persons=300"), "{out}");
    let (ok, from_file, _) = run(&["allocate", "--input", generated.to_str().unwrap()], None);
    let (ok2, direct, _) = run(&["allocate", "--generate", "300x60", "--seed", "3"], None);
    assert!(ok && ok2);
    let objective = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("objective="))
            .map(str::to_owned)
    };
    assert_eq!(objective(&from_file), objective(&direct));
    std::fs::remove_dir_all(&dir).ok();
}
