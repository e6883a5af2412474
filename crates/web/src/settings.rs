//! Settings, layered: built-in defaults, then an optional TOML file, then `JIMOTO_*`
//! environment variables (e.g. `JIMOTO_DATABASE_URL`), then command-line flags.

use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Everything the app can be told.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on.
    pub bind: String,
    /// `sqlite://file.db` or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Connection pool size.
    pub max_connections: u32,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Session lifetime without activity, hours.
    pub session_ttl_hours: u64,
    /// Failed logins per login name and client address that lock the login for that address
    /// for `lockout_minutes`.
    pub max_failed_logins: i64,
    /// Failed logins per login name from every address that lock it for addresses it has not
    /// logged in from in the last week.
    pub max_failed_logins_everywhere: i64,
    /// Failed logins per client address that lock it.
    pub max_failed_logins_per_ip: i64,
    /// Throttling window, minutes.
    pub lockout_minutes: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// `text` or `json` logs.
    pub log_format: String,
    /// Largest request body accepted, bytes.
    pub body_limit_bytes: usize,
    /// Largest uploaded file (participant lists), bytes: larger than a form, since a list of
    /// 20,000 people is a few megabytes.
    pub upload_limit_bytes: usize,
    /// Public sign-ups accepted from one client address within `signup_window_minutes`.
    pub max_signups_per_ip: i64,
    /// The public sign-up throttling window, minutes.
    pub signup_window_minutes: u64,
    /// Days without a next step after which a person is listed as stalled.
    pub stalled_days: i64,
    /// Income-tax withholding on fees up to `withholding_threshold_yen` a payment, in
    /// hundredths of a percent (1021 = 10.21%, 源泉徴収 with the reconstruction tax).
    pub withholding_basis_points: i64,
    /// The rate above the threshold (2042 = 20.42%).
    pub withholding_high_basis_points: i64,
    /// One payment's threshold for the higher rate, yen.
    pub withholding_threshold_yen: i64,
    /// How much each part of a fit weighs in recommendations and allocations (points out of
    /// the 1,000 a perfect fit scores): skills at the levels asked, the share of spare hours
    /// used, pay, the job's level for the person's growth stage, locality, and work style.
    pub match_weight_skills: u16,
    /// See `match_weight_skills`.
    pub match_weight_hours: u16,
    /// See `match_weight_skills`.
    pub match_weight_pay: u16,
    /// See `match_weight_skills`.
    pub match_weight_stage: u16,
    /// See `match_weight_skills`.
    pub match_weight_locality: u16,
    /// See `match_weight_skills`.
    pub match_weight_style: u16,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            database_url: "sqlite://jimoto.db".into(),
            max_connections: 10,
            secure_cookies: false,
            session_ttl_hours: 12,
            max_failed_logins: 5,
            max_failed_logins_everywhere: 20,
            max_failed_logins_per_ip: 50,
            lockout_minutes: 15,
            trust_forwarded_for: false,
            log_format: "text".into(),
            body_limit_bytes: 256 * 1024,
            upload_limit_bytes: 16 * 1024 * 1024,
            max_signups_per_ip: 10,
            signup_window_minutes: 60,
            stalled_days: jimoto_domain::growth::DEFAULT_STALLED_DAYS,
            withholding_basis_points: 1021,
            withholding_high_basis_points: 2042,
            withholding_threshold_yen: 1_000_000,
            match_weight_skills: 400,
            match_weight_hours: 150,
            match_weight_pay: 150,
            match_weight_stage: 100,
            match_weight_locality: 100,
            match_weight_style: 100,
        }
    }
}

impl Settings {
    /// Defaults, then `file` (if given; missing file is an error), then `JIMOTO_*` variables.
    pub fn load(file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(f) = file {
            if !f.exists() {
                return Err(Box::new(figment::Error::from(format!(
                    "settings file {} not found",
                    f.display()
                ))));
            }
            fig = fig.merge(Toml::file(f));
        }
        fig.merge(Env::prefixed("JIMOTO_"))
            .extract()
            .map_err(Box::new)
    }

    /// The database URL with any password replaced, for logs and messages.
    pub fn redacted_database_url(&self) -> String {
        redact_url(&self.database_url)
    }
}

/// `postgres://u:secret@h/db` → `postgres://u:***@h/db`.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let Some(at) = rest.find('@') else {
        return url.to_owned();
    };
    let creds = &rest[..at];
    match creds.find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &creds[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

/// Never prints the database password.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &self.redacted_database_url())
            .field("max_connections", &self.max_connections)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_ttl_hours", &self.session_ttl_hours)
            .field("log_format", &self.log_format)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/jimoto"),
            "postgres://app:***@db:5432/jimoto"
        );
        assert_eq!(redact_url("sqlite://jimoto.db"), "sqlite://jimoto.db");
        let s = Settings {
            database_url: "postgres://app:s3cret@db/j".into(),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("s3cret"));
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own large error type
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "jimoto.toml",
                "bind = \"0.0.0.0:9000\"\nmax_connections = 3\n",
            )?;
            jail.set_env("JIMOTO_MAX_CONNECTIONS", "7");
            let s = Settings::load(Some(Path::new("jimoto.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(s.bind, "0.0.0.0:9000");
            assert_eq!(s.max_connections, 7);
            assert_eq!(s.database_url, "sqlite://jimoto.db");
            Ok(())
        });
    }
}
