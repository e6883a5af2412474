//! End-to-end browser test: the real app (SQLite, demo data) driven through headless
//! Chromium with WebDriver (`thirtyfour`).
//!
//! The test starts its own `chromedriver` on a free port (`JIMOTO_CHROMEDRIVER`, else
//! `chromedriver` on `PATH`; the browser is `JIMOTO_CHROMIUM`, else `/usr/bin/chromium`) in a
//! phone-sized window, logs in as the Hagi coordinator through the login form, opens 山田 花子
//! from the residents list, switches the interface to English and logs out. Without
//! chromedriver it fails, saying what to install: it is never skipped silently.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jimoto_testkit::{DEMO_PASSWORD, Engine, spawn_app};
use thirtyfour::prelude::*;

/// How long any single wait (page load, element, redirect) may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// How often waits poll.
const INTERVAL: Duration = Duration::from_millis(100);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_opens_a_resident_switches_to_english_and_logs_out() {
    let app = spawn_app(Engine::Sqlite).await;
    let chromedriver = ChromeDriver::start();

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
        "--window-size=390,844",
    ] {
        caps.add_arg(arg).expect("chrome argument");
    }
    caps.add_arg(&format!(
        "--user-data-dir={}",
        chromedriver.profile_dir().display()
    ))
    .expect("chrome profile argument");
    if let Some(binary) = chromium_binary() {
        caps.set_binary(&binary.to_string_lossy())
            .expect("chrome binary");
    }

    let driver = WebDriver::new(chromedriver.url(), caps)
        .await
        .expect("start a Chromium session through chromedriver");

    // The scenario runs in its own task so that a failed assertion (a panic) is caught
    // here, the browser is still quit, and then the panic is resumed.
    let outcome = tokio::spawn(scenario(driver.clone(), app.address.clone())).await;
    let quit = driver.quit().await;
    match outcome {
        Ok(result) => result.expect("browser scenario"),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("browser scenario did not finish: {e}"),
    }
    quit.expect("quit the browser");
    drop(chromedriver);
}

/// The steps in the browser; panics on a failed assertion, returns WebDriver errors.
async fn scenario(driver: WebDriver, base: String) -> WebDriverResult<()> {
    // Log in through the form.
    driver.goto(format!("{base}/login")).await?;
    find(&driver, By::Id("login"))
        .await?
        .send_keys("coord-hagi")
        .await?;
    find(&driver, By::Id("password"))
        .await?
        .send_keys(DEMO_PASSWORD)
        .await?;
    find(&driver, By::Id("login-submit")).await?.click().await?;
    wait_for_path(&driver, "/home").await?;
    wait_for_lang(&driver, "ja").await?;
    assert!(
        driver.current_url().await?.path().ends_with("/home"),
        "logging in should land on /home"
    );
    let body = find(&driver, By::Tag("body")).await?.text().await?;
    assert!(
        body.contains("萩市"),
        "home shows the coordinator's region:\n{body}"
    );

    // Through the navigation to the residents list, then to 山田 花子.
    let nav = find(&driver, By::Tag("nav")).await?;
    nav.query(By::LinkText("住民"))
        .wait(TIMEOUT, INTERVAL)
        .first()
        .await?
        .click()
        .await?;
    wait_for_path(&driver, "/residents").await?;
    driver
        .query(By::Css("table.list a"))
        .with_text("山田 花子")
        .wait(TIMEOUT, INTERVAL)
        .first()
        .await?
        .click()
        .await?;
    let resident_path = wait_for(&driver, "a resident page", |path| {
        path.strip_prefix("/residents/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    })
    .await?;
    let facts = find(&driver, By::Css("dl.facts")).await?.text().await?;
    assert!(
        facts.contains("ヤマダ ハナコ"),
        "the resident page shows the kana name:\n{facts}"
    );
    let circumstances = find(&driver, By::Id("circumstances")).await?.text().await?;
    assert!(
        circumstances.contains("子育て中"),
        "the coordinator sees the circumstances:\n{circumstances}"
    );

    // Switch to English: the same page comes back in English.
    find(&driver, By::Id("lang-switch")).await?.click().await?;
    wait_for_lang(&driver, "en").await?;
    assert_eq!(
        driver.current_url().await?.path(),
        resident_path,
        "switching the language stays on the same page"
    );
    let circumstances = find(&driver, By::Id("circumstances")).await?.text().await?;
    assert!(
        circumstances.contains("Raising children"),
        "the circumstances are shown in English:\n{circumstances}"
    );
    let nav = find(&driver, By::Tag("nav")).await?;
    assert!(
        nav.query(By::LinkText("Residents"))
            .nowait()
            .exists()
            .await?,
        "the navigation is in English:\n{}",
        nav.text().await?
    );
    assert_eq!(
        find(&driver, By::Id("lang-switch")).await?.text().await?,
        "日本語"
    );

    // Log out; the session is gone afterwards.
    find(&driver, By::Id("logout")).await?.click().await?;
    wait_for_path(&driver, "/login").await?;
    find(&driver, By::Id("login-submit")).await?;
    driver.goto(format!("{base}/home")).await?;
    wait_for_path(&driver, "/login").await?;
    find(&driver, By::Id("login-submit")).await?;
    Ok(())
}

/// The first element matching `by`, waiting for it to appear.
async fn find(driver: &WebDriver, by: By) -> WebDriverResult<WebElement> {
    driver.query(by).wait(TIMEOUT, INTERVAL).first().await
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

/// Polls the current URL until `ok` accepts its path, and returns the path; panics after
/// [`TIMEOUT`].
async fn wait_for(
    driver: &WebDriver,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> WebDriverResult<String> {
    let start = Instant::now();
    loop {
        let url = driver.current_url().await?;
        if ok(url.path()) {
            return Ok(url.path().to_owned());
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "waited {TIMEOUT:?} for {what}; the browser is still at {url}"
        );
        tokio::time::sleep(INTERVAL).await;
    }
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
