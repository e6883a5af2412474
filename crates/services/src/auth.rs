//! Logins, sessions, personal access tokens, and turning any of them into an [`Actor`].

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac as _;
use jimoto_domain::user::ApiToken;
use jimoto_domain::{Actor, FieldError, Lang, Principal, Role, TokenId, UserId, ValidationFailure};
use jimoto_store::codec::Millis;
use jimoto_store::{Conn, residents, sessions, users};
use sha2::{Digest, Sha256};

use crate::{ServiceError, ServiceResult, Services};

/// Hashes a password with Argon2id (random salt, default parameters: 19 MiB, 2 passes).
/// Runs on a blocking thread: it takes tens of milliseconds on purpose.
pub async fn hash_password(password: &str) -> ServiceResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("hashing: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
}

pub(crate) async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified when the login is unknown so that the answer takes
/// as long as for a known login (no user enumeration by timing).
async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            let secret = random_token().unwrap_or_else(|_| "jimoto-dummy-password".into());
            hash_password(&secret).await.unwrap_or_default()
        })
        .await
}

/// 32 random bytes, URL-safe base64.
pub(crate) fn random_token() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(format!("random: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Only hashes of secrets are stored, so a database leak reveals no usable session or token.
fn sha256_hex(s: &str) -> String {
    format!("{:x}", Sha256::digest(s.as_bytes()))
}

/// The stored form of a session cookie value.
pub(crate) fn session_hash(token: &str) -> String {
    sha256_hex(token)
}

/// A moment `d` from now (negative: ago).
fn from_now(d: chrono::Duration) -> Millis {
    Millis(chrono::Utc::now() + d)
}

fn duration(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// A successful login: the cookie value, the form token, and who logged in.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Secret for the session cookie.
    pub session_token: String,
    /// Synchroniser token for this session's forms.
    pub csrf_token: String,
    /// The user.
    pub actor: Actor,
}

/// What a request with a valid session cookie carries.
#[derive(Debug, Clone)]
pub struct SessionContext {
    /// The user.
    pub actor: Actor,
    /// The token every form must echo.
    pub csrf_token: String,
    /// The password was set by someone else: nothing but choosing one's own is allowed.
    pub must_change_password: bool,
    /// A notice left by the previous request (e.g. "saved"), shown once: reading it clears it.
    pub flash: Option<String>,
}

/// Builds the actor (role with scope) for an account; None for accounts that cannot act:
/// disabled ones, or ones whose scope is missing (municipal staff without a region, a
/// resident account without a resident record).
pub(crate) async fn load_actor(conn: &mut Conn, user: UserId) -> ServiceResult<Option<Actor>> {
    let Some(u) = users::get(conn, user).await? else {
        return Ok(None);
    };
    actor_of(conn, u).await
}

async fn actor_of(conn: &mut Conn, u: users::UserRecord) -> ServiceResult<Option<Actor>> {
    if u.disabled {
        return Ok(None);
    }
    let principal = match u.role {
        Role::Admin => Principal::Admin,
        Role::Coordinator => Principal::Coordinator {
            regions: users::regions_of(conn, u.id).await?,
        },
        Role::Municipal => match users::regions_of(conn, u.id).await?.first() {
            Some(r) => Principal::Municipal { region: *r },
            None => return Ok(None),
        },
        Role::CompanyMember => match u.organisation_id {
            Some(o) => Principal::CompanyMember { organisation: o },
            None => return Ok(None),
        },
        Role::Resident => match residents::find_by_user(conn, u.id).await? {
            Some((resident, region)) => Principal::Resident { resident, region },
            None => return Ok(None),
        },
    };
    Ok(Some(Actor {
        user_id: u.id,
        login: u.login,
        display_name: u.display_name,
        lang: u.lang,
        principal,
    }))
}

impl Services {
    /// Checks a password and opens a session. Guessing is throttled without handing anyone a
    /// way to lock others out: [`ServiceConfig::max_failed_logins`] failures lock a login for the
    /// address they came from; [`ServiceConfig::max_failed_logins_everywhere`] failures from
    /// anywhere lock it for addresses it has not logged in from in the last week (its owner's
    /// usual places still get in); [`ServiceConfig::max_failed_logins_per_ip`] failures lock an
    /// address for every login. Each lock lasts [`ServiceConfig::lockout`].
    ///
    /// [`ServiceConfig::max_failed_logins`]: crate::ServiceConfig::max_failed_logins
    /// [`ServiceConfig::max_failed_logins_everywhere`]: crate::ServiceConfig::max_failed_logins_everywhere
    /// [`ServiceConfig::max_failed_logins_per_ip`]: crate::ServiceConfig::max_failed_logins_per_ip
    /// [`ServiceConfig::lockout`]: crate::ServiceConfig::lockout
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        ip: &str,
    ) -> ServiceResult<LoginOutcome> {
        let login = login.trim();
        let mut conn = self.db().conn().await?;
        self.check_throttle(&mut conn, login, ip).await?;
        let user = users::find_by_login(&mut conn, login).await?;
        let ok = match &user {
            Some(u) => verify_password(password, &u.password_hash).await && !u.disabled,
            None => {
                verify_password(password, dummy_hash().await).await;
                false
            }
        };
        let expired = user.as_ref().is_some_and(|u| {
            u.password_expires_at
                .is_some_and(|at| at <= chrono::Utc::now())
        });
        let actor = match (ok, user) {
            (true, Some(u)) => actor_of(&mut conn, u).await?,
            _ => None,
        };
        let mut tx = self.db().begin().await?;
        users::record_attempt(&mut tx, login, ip, actor.is_some() && !expired).await?;
        let Some(actor) = actor else {
            tx.commit().await?;
            self.check_throttle(&mut conn, login, ip).await?;
            return Err(ServiceError::InvalidCredentials);
        };
        if expired {
            tx.commit().await?;
            return Err(ServiceError::PasswordExpired);
        }
        let session_token = random_token()?;
        let csrf_token = random_token()?;
        let expires = from_now(duration(self.config().session_ttl));
        sessions::create(
            &mut tx,
            &sha256_hex(&session_token),
            actor.user_id,
            &csrf_token,
            expires,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(user = actor.user_id.0, "login");
        Ok(LoginOutcome {
            session_token,
            csrf_token,
            actor,
        })
    }

    /// Refuses an attempt that one of the throttling rules of [`Self::login`] stops.
    async fn check_throttle(&self, conn: &mut Conn, login: &str, ip: &str) -> ServiceResult<()> {
        let cfg = self.config();
        let since = from_now(-duration(cfg.lockout));
        let retry = ServiceError::TooManyAttempts {
            retry_after_minutes: cfg.lockout.as_secs().div_ceil(60),
        };
        if users::recent_failures_for(conn, login, ip, since).await? >= cfg.max_failed_logins
            || users::recent_failures_from(conn, ip, since).await? >= cfg.max_failed_logins_per_ip
        {
            return Err(retry);
        }
        if users::recent_failures(conn, login, since).await? >= cfg.max_failed_logins_everywhere
            && !users::succeeded_from(conn, login, ip, from_now(-chrono::Duration::days(7))).await?
        {
            return Err(retry);
        }
        Ok(())
    }

    /// The session behind a cookie value, extended if more than half its life has passed. A
    /// notice waiting in it is handed over and cleared.
    pub async fn session(&self, token: &str) -> ServiceResult<SessionContext> {
        let hash = sha256_hex(token);
        let mut conn = self.db().conn().await?;
        let s = sessions::get(&mut conn, &hash)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let user = users::get(&mut conn, s.user_id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let must_change_password = user.must_change_password;
        let actor = actor_of(&mut conn, user)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let ttl = duration(self.config().session_ttl);
        if s.expires_at < from_now(ttl / 2) {
            sessions::extend(&mut conn, &hash, from_now(ttl)).await?;
        }
        if s.flash.is_some() {
            sessions::set_flash(&mut conn, &hash, None).await?;
        }
        Ok(SessionContext {
            actor,
            csrf_token: s.csrf_token,
            must_change_password,
            flash: s.flash,
        })
    }

    /// Leaves a notice for the session's next page ("saved" after a redirect).
    pub async fn set_flash(&self, token: &str, flash: &str) -> ServiceResult<()> {
        let mut conn = self.db().conn().await?;
        sessions::set_flash(&mut conn, &sha256_hex(token), Some(flash)).await?;
        Ok(())
    }

    /// Ends a session (logout).
    pub async fn logout(&self, token: &str) -> ServiceResult<()> {
        let mut conn = self.db().conn().await?;
        sessions::delete(&mut conn, &sha256_hex(token)).await?;
        Ok(())
    }

    /// Removes expired sessions and old login attempts, and refreshes the query planner's
    /// statistics; run periodically.
    pub async fn purge_expired(&self) -> ServiceResult<u64> {
        let mut conn = self.db().conn().await?;
        let n = sessions::delete_expired(&mut conn).await?;
        users::prune_attempts(&mut conn, from_now(-chrono::Duration::days(7))).await?;
        drop(conn);
        self.db().optimize(false).await?;
        Ok(n)
    }

    /// The actor behind a personal access token (`Authorization: Bearer jmt_…`).
    pub async fn actor_for_token(&self, token: &str) -> ServiceResult<Actor> {
        if !token.starts_with("jmt_") {
            return Err(ServiceError::Unauthenticated);
        }
        let mut conn = self.db().conn().await?;
        let user = users::use_token(&mut conn, &sha256_hex(token))
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        load_actor(&mut conn, user)
            .await?
            .ok_or(ServiceError::Unauthenticated)
    }

    /// Makes a personal access token for the actor; the secret is returned once, never stored.
    pub async fn create_token(&self, actor: &Actor, name: &str) -> ServiceResult<String> {
        crate::require(actor, jimoto_domain::AccountAction::UseTokens)?;
        self.create_token_inner(actor, name).await
    }

    async fn create_token_inner(&self, actor: &Actor, name: &str) -> ServiceResult<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationFailure::single("name", "required").into());
        }
        if name.chars().count() > 60 {
            return Err(ValidationFailure(vec![
                FieldError::new("name", "too_long").with("max", 60),
            ])
            .into());
        }
        let token = format!("jmt_{}", random_token()?);
        let mut conn = self.db().conn().await?;
        users::insert_token(
            &mut conn,
            actor.user_id,
            name,
            &token[..12],
            &sha256_hex(&token),
        )
        .await?;
        Ok(token)
    }

    /// Makes a token for a login from the command line (the operator at the machine, who may
    /// make one for any role).
    pub async fn create_token_for_login(&self, login: &str, name: &str) -> ServiceResult<String> {
        let mut conn = self.db().conn().await?;
        let user = users::find_by_login(&mut conn, login)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let actor = load_actor(&mut conn, user.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        drop(conn);
        self.create_token_inner(&actor, name).await
    }

    /// The actor's live tokens.
    pub async fn tokens(&self, actor: &Actor) -> ServiceResult<Vec<ApiToken>> {
        let mut conn = self.db().conn().await?;
        Ok(users::tokens_of(&mut conn, actor.user_id).await?)
    }

    /// Revokes one of the actor's own tokens.
    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> ServiceResult<()> {
        let mut conn = self.db().conn().await?;
        if users::revoke_token(&mut conn, actor.user_id, id).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound)
        }
    }

    /// Remembers the actor's interface language.
    pub async fn set_language(&self, actor: &Actor, lang: Lang) -> ServiceResult<()> {
        let mut conn = self.db().conn().await?;
        users::set_lang(&mut conn, actor.user_id, lang).await?;
        Ok(())
    }
}

/// How long an anonymous form token (login and language forms) is accepted.
const FORM_TOKEN_TTL_SECS: i64 = 24 * 3600;

type HmacSha256 = hmac::Hmac<Sha256>;

impl Services {
    /// A token for the forms shown before login (the login and language forms), kept in a
    /// cookie and echoed by the form: a random value with its time, signed with the server's
    /// key, so that a value planted in the visitor's cookies by someone else is refused.
    pub async fn anonymous_form_token(&self) -> ServiceResult<String> {
        let nonce = random_token()?;
        let payload = format!("{nonce}.{}", chrono::Utc::now().timestamp());
        let mac = self.form_mac(&payload).await?.finalize().into_bytes();
        Ok(format!("{payload}.{}", URL_SAFE_NO_PAD.encode(mac)))
    }

    /// Whether a token was made by [`Self::anonymous_form_token`] in the last day.
    pub async fn anonymous_form_token_valid(&self, token: &str) -> bool {
        let Some((payload, mac)) = token.rsplit_once('.') else {
            return false;
        };
        let Some(issued) = payload
            .split_once('.')
            .and_then(|(_, t)| t.parse::<i64>().ok())
        else {
            return false;
        };
        let age = chrono::Utc::now().timestamp() - issued;
        if !(-300..=FORM_TOKEN_TTL_SECS).contains(&age) {
            return false;
        }
        let Ok(mac) = URL_SAFE_NO_PAD.decode(mac) else {
            return false;
        };
        match self.form_mac(payload).await {
            Ok(m) => m.verify_slice(&mac).is_ok(),
            Err(_) => false,
        }
    }

    /// `payload.mac`: a value the server can later recognise as its own.
    pub(crate) async fn sign(&self, payload: &str) -> ServiceResult<String> {
        let mac = self.form_mac(payload).await?.finalize().into_bytes();
        Ok(format!("{payload}~{}", URL_SAFE_NO_PAD.encode(mac)))
    }

    /// The payload of a value made by [`Self::sign`], if it is one.
    pub(crate) async fn verify(&self, signed: &str) -> Option<String> {
        let (payload, mac) = signed.rsplit_once('~')?;
        let mac = URL_SAFE_NO_PAD.decode(mac).ok()?;
        let m = self.form_mac(payload).await.ok()?;
        m.verify_slice(&mac).ok()?;
        Some(payload.to_owned())
    }

    async fn form_mac(&self, payload: &str) -> ServiceResult<HmacSha256> {
        let mut m = HmacSha256::new_from_slice(self.form_key().await?)
            .map_err(|e| ServiceError::Internal(format!("form key: {e}")))?;
        m.update(payload.as_bytes());
        Ok(m)
    }
}

impl Services {
    /// The actor for an account, for the operator's tools (demo loader, CLI); None if the
    /// account cannot act.
    pub async fn actor_for_user(&self, user: UserId) -> ServiceResult<Option<Actor>> {
        let mut conn = self.db().conn().await?;
        load_actor(&mut conn, user).await
    }

    /// Whether a login exists (for the operator's tools).
    pub async fn login_exists(&self, login: &str) -> ServiceResult<bool> {
        let mut conn = self.db().conn().await?;
        Ok(users::find_by_login(&mut conn, login).await?.is_some())
    }
}
