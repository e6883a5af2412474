//! What the benchmarks share: timing an operation n times and printing its p50, p99 and
//! maximum, the process's peak memory, and writing generated rows in batches.

use std::time::{Duration, Instant};

/// The durations of one operation.
pub struct Stats(pub Vec<Duration>);

impl Stats {
    /// Prints one line: what, n, p50, p99, max.
    pub fn line(mut self, what: &str) {
        self.0.sort();
        let p = |q: f64| self.0[((self.0.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "{what:<58} n={:<5} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
            self.0.len(),
            p(0.5),
            p(0.99),
            p(1.0)
        );
    }
}

/// Runs `f` n times, timing each.
pub async fn time<F, Fut, T>(n: usize, mut f: F) -> Stats
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        std::hint::black_box(f(i).await);
        v.push(t.elapsed());
    }
    Stats(v)
}

/// The peak resident memory of this process, MiB (Linux).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs generated multi-row inserts of `rows` (value tuples of numbers) in batches.
#[allow(
    dead_code,
    reason = "each benchmark compiles this module; not all write rows"
)]
pub async fn insert_rows(
    t: &jimoto_testkit::TestDb,
    head: &str,
    rows: impl Iterator<Item = String>,
) {
    let mut batch = Vec::with_capacity(1000);
    let mut tx = t.db.begin().await.unwrap();
    let mut n = 0;
    for r in rows {
        batch.push(r);
        if batch.len() == 1000 {
            sqlx::query(&format!("{head} VALUES {}", batch.join(", ")))
                .execute(&mut *tx)
                .await
                .unwrap();
            batch.clear();
            n += 1;
            if n % 50 == 0 {
                tx.commit().await.unwrap();
                tx = t.db.begin().await.unwrap();
            }
        }
    }
    if !batch.is_empty() {
        sqlx::query(&format!("{head} VALUES {}", batch.join(", ")))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The password of every benchmark login.
#[allow(
    dead_code,
    reason = "each benchmark compiles this module; not all log in"
)]
pub const PASSWORD: &str = "bench-password-123";

/// The engine the first argument names (`postgres`, else SQLite).
pub fn engine(args: &[String]) -> jimoto_testkit::Engine {
    match args.get(1).map(String::as_str) {
        Some("postgres") => jimoto_testkit::Engine::Postgres,
        _ => jimoto_testkit::Engine::Sqlite,
    }
}

/// A login with a role, signed in.
#[allow(
    dead_code,
    reason = "each benchmark compiles this module; not all make accounts"
)]
pub async fn account(
    s: &jimoto_services::Services,
    login: &str,
    role: jimoto_domain::Role,
    scope: jimoto_domain::AccountScope,
) -> jimoto_domain::Actor {
    s.create_account_as_operator(jimoto_services::NewAccount {
        login: login.into(),
        display_name: login.into(),
        password: PASSWORD.into(),
        role,
        scope,
        lang: jimoto_domain::Lang::Ja,
    })
    .await
    .unwrap();
    s.login(login, PASSWORD, "bench").await.unwrap().actor
}

/// The region of a local government code (from the national list) with one organisation.
#[allow(
    dead_code,
    reason = "each benchmark compiles this module; not all make regions"
)]
pub async fn region_with(
    t: &jimoto_testkit::TestDb,
    code: &str,
    org: jimoto_domain::organisation::OrganisationInput,
) -> (jimoto_domain::RegionId, jimoto_domain::OrganisationId) {
    let m = jimoto_domain::municipality::all()
        .iter()
        .find(|m| m.code == code)
        .expect("in the national list");
    let mut tx = t.db.begin().await.unwrap();
    let region = jimoto_store::regions::insert(
        &mut tx,
        m,
        &jimoto_domain::region::RegionInput {
            lg_code: m.code.clone(),
            ..jimoto_domain::region::RegionInput::default()
        },
    )
    .await
    .unwrap();
    let org = jimoto_store::organisations::insert(
        &mut tx,
        &jimoto_domain::organisation::OrganisationInput {
            region_id: region,
            ..org
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (region, org)
}
