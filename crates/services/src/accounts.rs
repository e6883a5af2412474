//! Creating accounts with a role and its scope.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::limits;
use jimoto_domain::policy::role_change_is_safe;
use jimoto_domain::user::{Account, MIN_PASSWORD_CHARS, validate_login};
use jimoto_domain::{
    AccountAction, AccountScope, Actor, FieldError, Lang, OrganisationAction, Page, PageRequest,
    ResidentAction, Role, UserId, ValidationFailure,
};
use jimoto_store::codec::Millis;
use jimoto_store::{Conn, organisations, regions, residents, sessions, users};
use serde_json::json;

use crate::auth::{hash_password, session_hash, verify_password};
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// How long a password set by someone else (a new login handed over, a reset) works before
/// its owner must ask again.
pub const TEMPORARY_PASSWORD_DAYS: i64 = 14;

/// What is handed over to a person whose login was issued or whose password was reset: their
/// login ID and a temporary password, shown once, which they must change at first login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The account (its login ID and whose it is).
    pub account: Account,
    /// The temporary password (never stored; only its hash is).
    pub temporary_password: String,
    /// When the temporary password stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A temporary password that can be read out or copied by hand: twelve letters and digits
/// without look-alikes (no 0/o, 1/l/i), in groups of four (about 59 bits).
pub fn temporary_password() -> ServiceResult<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(format!("random: {e}")))?;
    let mut out = String::with_capacity(14);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 % 31 != 0: a slight bias, irrelevant at this length.
        out.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
    }
    Ok(out)
}

fn temporary_until() -> Millis {
    Millis(chrono::Utc::now() + chrono::Duration::days(TEMPORARY_PASSWORD_DAYS))
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Login name.
    pub login: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Initial password (at least [`MIN_PASSWORD_CHARS`] characters).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Scope fitting the role.
    pub scope: AccountScope,
    /// Interface language.
    pub lang: Lang,
}

fn check_display_name(name: &str, errors: &mut Vec<FieldError>) {
    let len = name.trim().chars().count();
    if len == 0 {
        errors.push(FieldError::new("display_name", "required"));
    } else if len as u64 > limits::DISPLAY_NAME_MAX {
        errors.push(
            FieldError::new("display_name", "too_long").with("max", limits::DISPLAY_NAME_MAX),
        );
    }
}

fn validate(a: &NewAccount) -> Result<(), ValidationFailure> {
    let mut errors = Vec::new();
    if validate_login(&a.login).is_err() {
        errors.push(FieldError::new("login", "login_format"));
    }
    check_display_name(&a.display_name, &mut errors);
    let pw_len = a.password.chars().count();
    if pw_len < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new("password", "too_short").with("min", MIN_PASSWORD_CHARS));
    } else if pw_len as u64 > limits::PASSWORD_LEN.1 {
        errors.push(FieldError::new("password", "too_long").with("max", limits::PASSWORD_LEN.1));
    }
    if !a.scope.fits(a.role) {
        errors.push(FieldError::new("scope", "scope_mismatch"));
    }
    ValidationFailure(errors).into_result()
}

/// The organisation and regions a scope names must exist.
async fn check_scope_exists(conn: &mut Conn, scope: &AccountScope) -> ServiceResult<()> {
    match scope {
        AccountScope::Organisation(o) => {
            if organisations::get(conn, *o).await?.is_none() {
                return Err(ValidationFailure::single("organisation_id", "unknown").into());
            }
        }
        AccountScope::Regions(rs) => {
            for r in rs {
                if regions::get(conn, *r).await?.is_none() {
                    return Err(ValidationFailure::single("regions", "unknown").into());
                }
            }
        }
        AccountScope::Platform | AccountScope::Resident(_) => {}
    }
    Ok(())
}

async fn insert(
    conn: &mut Conn,
    a: &NewAccount,
    hash: &str,
    temporary_until: Option<Millis>,
) -> ServiceResult<UserId> {
    check_scope_exists(conn, &a.scope).await?;
    let organisation_id = match &a.scope {
        AccountScope::Organisation(o) => Some(*o),
        _ => None,
    };
    let id = users::insert(
        conn,
        &users::NewUser {
            login: &a.login,
            display_name: a.display_name.trim(),
            password_hash: hash,
            role: a.role,
            organisation_id,
            lang: a.lang,
        },
    )
    .await?;
    if temporary_until.is_some() {
        users::set_password(conn, id, hash, temporary_until).await?;
    }
    match &a.scope {
        AccountScope::Regions(rs) => users::set_regions(conn, id, rs).await?,
        AccountScope::Resident(r) => {
            if !residents::link_user(conn, *r, id).await? {
                return Err(ValidationFailure::single("resident_id", "unknown_or_linked").into());
            }
        }
        AccountScope::Platform | AccountScope::Organisation(_) => {}
    }
    Ok(id)
}

impl Services {
    /// Issues a login: creates the account with a temporary password and returns what to hand
    /// over (the login ID and the password, shown once). Same rights as [`Self::create_account`].
    pub async fn issue_account(
        &self,
        actor: &Actor,
        mut account: NewAccount,
    ) -> ServiceResult<Handover> {
        account.password = temporary_password()?;
        let password = account.password.clone();
        let created = self.create_account(actor, account).await?;
        let mut conn = self.db().conn().await?;
        let user = users::get(&mut conn, created.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(Handover {
            account: created,
            temporary_password: password,
            expires_at: user.password_expires_at.unwrap_or_else(chrono::Utc::now),
        })
    }

    /// Creates an account. Admins create any; a coordinator gives logins to residents of their
    /// regions and adds members to organisations registered there. A resident or organisation
    /// the actor may not see gets the same answer as one that does not exist. The password
    /// was chosen by someone other than the account's owner, so it is temporary: it expires
    /// after [`TEMPORARY_PASSWORD_DAYS`] and must be changed at first login.
    pub async fn create_account(
        &self,
        actor: &Actor,
        account: NewAccount,
    ) -> ServiceResult<Account> {
        let allowed = match &account.scope {
            AccountScope::Platform | AccountScope::Regions(_) => actor.may(AccountAction::Manage),
            AccountScope::Resident(id) => {
                let unknown = || ValidationFailure::single("resident_id", "unknown_or_linked");
                let mut conn = self.db().conn().await?;
                let r = residents::get(&mut conn, *id).await?.ok_or_else(unknown)?;
                if !actor.may(ResidentAction::View {
                    id: *id,
                    region: r.region_id,
                }) {
                    return Err(unknown().into());
                }
                actor.may(AccountAction::CreateResidentLogin {
                    region: r.region_id,
                })
            }
            AccountScope::Organisation(id) => {
                let unknown = || ValidationFailure::single("organisation_id", "unknown");
                let mut conn = self.db().conn().await?;
                let o = organisations::get(&mut conn, *id)
                    .await?
                    .ok_or_else(unknown)?;
                if !actor.may(OrganisationAction::View {
                    id: *id,
                    region: o.region_id,
                }) {
                    return Err(unknown().into());
                }
                actor.may(AccountAction::CreateMemberLogin {
                    id: *id,
                    region: o.region_id,
                })
            }
        };
        if !allowed {
            return Err(ServiceError::Forbidden);
        }
        self.create_account_inner(Some(actor), account).await
    }

    /// Creates an account on behalf of the operator at the machine (`jimoto create-admin`, the
    /// demo loader). Not reachable from the web.
    pub async fn create_account_as_operator(&self, account: NewAccount) -> ServiceResult<Account> {
        self.create_account_inner(None, account).await
    }

    async fn create_account_inner(
        &self,
        actor: Option<&Actor>,
        account: NewAccount,
    ) -> ServiceResult<Account> {
        validate(&account)?;
        let hash = hash_password(&account.password).await?;
        let mut tx = self.db().begin().await?;
        let temporary = actor.map(|_| temporary_until());
        let id = insert(&mut tx, &account, &hash, temporary).await?;
        let region = match &account.scope {
            AccountScope::Regions(r) => r.first().copied(),
            _ => None,
        };
        let changes =
            json!({ "login": [null, account.login], "role": [null, account.role.as_str()] });
        audit::record(
            &mut tx,
            actor,
            region,
            AuditEntity::User,
            id.0,
            AuditOp::Create,
            changes,
        )
        .await?;
        let created = users::account(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(created)
    }

    /// Sets a new password for a login (operator only, e.g. `jimoto create-admin` on an existing login).
    pub async fn reset_password_as_operator(
        &self,
        login: &str,
        password: &str,
    ) -> ServiceResult<UserId> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ValidationFailure(vec![
                FieldError::new("password", "too_short").with("min", MIN_PASSWORD_CHARS),
            ])
            .into());
        }
        let hash = hash_password(password).await?;
        let mut tx = self.db().begin().await?;
        let user = users::find_by_login(&mut tx, login)
            .await?
            .ok_or(ServiceError::NotFound)?;
        users::set_password(&mut tx, user.id, &hash, None).await?;
        audit::record(
            &mut tx,
            None,
            None,
            AuditEntity::User,
            user.id.0,
            AuditOp::Update,
            json!({"password": "(changed)"}),
        )
        .await?;
        tx.commit().await?;
        Ok(user.id)
    }

    /// Accounts, for admins.
    pub async fn accounts(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> ServiceResult<Page<Account>> {
        require(actor, AccountAction::Manage)?;
        let mut conn = self.db().conn().await?;
        Ok(users::list(&mut conn, page).await?)
    }

    /// Changes the actor's own password after checking the current one, and ends their other
    /// sessions (a stolen session does not survive a password change).
    pub async fn change_password(
        &self,
        actor: &Actor,
        session_token: Option<&str>,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> ServiceResult<()> {
        let mut errors = Vec::new();
        let len = new.chars().count();
        if len < MIN_PASSWORD_CHARS {
            errors
                .push(FieldError::new("new_password", "too_short").with("min", MIN_PASSWORD_CHARS));
        } else if len as u64 > limits::PASSWORD_LEN.1 {
            errors.push(
                FieldError::new("new_password", "too_long").with("max", limits::PASSWORD_LEN.1),
            );
        }
        if new != confirm {
            errors.push(FieldError::new("new_password_confirm", "mismatch"));
        }
        let mut conn = self.db().conn().await?;
        let user = users::get(&mut conn, actor.user_id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        drop(conn);
        // Someone who has just logged in with a temporary password is not asked for it again,
        // but may not keep it.
        if user.must_change_password {
            if errors.is_empty() && verify_password(new, &user.password_hash).await {
                errors.push(FieldError::new("new_password", "same_as_temporary"));
            }
        } else if !verify_password(current, &user.password_hash).await {
            errors.insert(0, FieldError::new("current_password", "wrong_password"));
        }
        ValidationFailure(errors).into_result()?;
        let hash = hash_password(new).await?;
        let mut tx = self.db().begin().await?;
        users::set_password(&mut tx, user.id, &hash, None).await?;
        let keep = session_token.map(session_hash);
        sessions::delete_for_user(&mut tx, user.id, keep.as_deref()).await?;
        audit::record(
            &mut tx,
            Some(actor),
            None,
            AuditEntity::User,
            user.id.0,
            AuditOp::Update,
            json!({"password": "(changed)"}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables or re-enables an account (admins). A disabled account's sessions end at once and
    /// its tokens are revoked (re-enabling it does not bring them back); admins cannot disable
    /// themselves.
    pub async fn set_account_disabled(
        &self,
        actor: &Actor,
        user: UserId,
        disabled: bool,
    ) -> ServiceResult<()> {
        require(actor, AccountAction::Manage)?;
        if user == actor.user_id {
            return Err(ValidationFailure::single("user_id", "self").into());
        }
        let mut tx = self.db().begin().await?;
        let old = users::get(&mut tx, user)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if old.disabled == disabled {
            return Ok(());
        }
        users::set_disabled(&mut tx, user, disabled).await?;
        if disabled {
            // Nothing issued before the account was disabled works again if it is re-enabled.
            sessions::delete_for_user(&mut tx, user, None).await?;
            users::revoke_all_tokens(&mut tx, user).await?;
        }
        let changes = json!({"disabled": [old.disabled, disabled]});
        audit::record(
            &mut tx,
            Some(actor),
            None,
            AuditEntity::User,
            user.0,
            AuditOp::Update,
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes an account's display name and scope (admins): e.g. a coordinator takes on a
    /// second region, or a member moves to another organisation. The role stays; `scope` None
    /// keeps the scope (a resident's record cannot be swapped). Takes effect on the user's next
    /// request.
    pub async fn update_account(
        &self,
        actor: &Actor,
        user: UserId,
        display_name: &str,
        scope: Option<AccountScope>,
    ) -> ServiceResult<()> {
        self.update_account_and_role(actor, user, display_name, scope, None)
            .await
    }

    /// [`Self::update_account`], and a new role where that is safe ([`role_change_is_safe`]:
    /// coordinator ↔ municipal staff, whose regions carry over; municipal staff have exactly one
    /// region). One transaction: a refused role leaves the name and scope as they were.
    pub async fn update_account_and_role(
        &self,
        actor: &Actor,
        user: UserId,
        display_name: &str,
        scope: Option<AccountScope>,
        role: Option<Role>,
    ) -> ServiceResult<()> {
        require(actor, AccountAction::Manage)?;
        let mut tx = self.db().begin().await?;
        let old = users::get(&mut tx, user)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let old_regions = users::regions_of(&mut tx, user).await?;
        let mut new_role = role.unwrap_or(old.role);
        let mut errors = Vec::new();
        check_display_name(display_name, &mut errors);
        if new_role != old.role {
            if user == actor.user_id {
                errors.push(FieldError::new("role", "self"));
            } else if !role_change_is_safe(old.role, new_role) {
                errors.push(FieldError::new("role", "role_change"));
            }
            if !errors.is_empty() {
                // The scope is then judged against the role the account keeps.
                new_role = old.role;
            }
        }
        let kept = AccountScope::Regions(old_regions.clone());
        let effective = scope.as_ref().unwrap_or(&kept);
        if matches!(effective, AccountScope::Resident(_))
            || (scope.is_some() || new_role != old.role) && !effective.fits(new_role)
        {
            errors.push(FieldError::new("scope", "scope_mismatch"));
        }
        ValidationFailure(errors).into_result()?;
        if new_role != old.role {
            users::set_role(&mut tx, user, new_role).await?;
        }
        if let Some(scope) = &scope {
            check_scope_exists(&mut tx, scope).await?;
        }
        let display_name = display_name.trim();
        users::set_display_name(&mut tx, user, display_name).await?;
        let mut changes = serde_json::Map::new();
        if old.display_name != display_name {
            changes.insert(
                "display_name".into(),
                json!([old.display_name, display_name]),
            );
        }
        match &scope {
            Some(AccountScope::Regions(rs)) => {
                let mut new_regions = rs.clone();
                new_regions.sort();
                new_regions.dedup();
                users::set_regions(&mut tx, user, &new_regions).await?;
                if new_regions != old_regions {
                    changes.insert("regions".into(), json!([old_regions, new_regions]));
                }
            }
            Some(AccountScope::Organisation(o)) => {
                users::set_organisation(&mut tx, user, *o).await?;
                if old.organisation_id != Some(*o) {
                    changes.insert("organisation_id".into(), json!([old.organisation_id, o]));
                }
            }
            Some(AccountScope::Platform | AccountScope::Resident(_)) | None => {}
        }
        if new_role != old.role {
            changes.insert("role".into(), json!([old.role.as_str(), new_role.as_str()]));
        }
        if !changes.is_empty() {
            let region = old_regions.first().copied();
            audit::record(
                &mut tx,
                Some(actor),
                region,
                AuditEntity::User,
                user.0,
                AuditOp::Update,
                serde_json::Value::Object(changes),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One account with its scope, for admins.
    pub async fn account(&self, actor: &Actor, user: UserId) -> ServiceResult<Account> {
        require(actor, AccountAction::Manage)?;
        let mut conn = self.db().conn().await?;
        users::account(&mut conn, user)
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// Whether the actor must choose their own password before anything else (after a reset or
    /// a login issued by someone else).
    pub async fn must_change_password(&self, actor: &Actor) -> ServiceResult<bool> {
        let mut conn = self.db().conn().await?;
        Ok(users::get(&mut conn, actor.user_id)
            .await?
            .is_some_and(|u| u.must_change_password))
    }

    /// The login ID of an account the actor may reset (shown to hand it over), with the right
    /// to reset it; None when there is no such account or the actor may not.
    pub async fn resettable_login(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> ServiceResult<Option<String>> {
        let mut conn = self.db().conn().await?;
        let Some(u) = users::get(&mut conn, user).await? else {
            return Ok(None);
        };
        let region = account_region(&mut conn, &u).await?;
        Ok(actor
            .may(AccountAction::ResetPassword {
                role: u.role,
                region,
            })
            .then_some(u.login))
    }

    /// Issues a temporary password to someone who forgot theirs: administrators for any other
    /// account, coordinators for the residents and organisation members of their regions. The
    /// account's sessions end; the returned password is shown once and must be changed at the
    /// next login. An account the actor may not reset is "not found".
    pub async fn reset_password(&self, actor: &Actor, user: UserId) -> ServiceResult<Handover> {
        let password = temporary_password()?;
        let hash = hash_password(&password).await?;
        let mut tx = self.db().begin().await?;
        let u = users::get(&mut tx, user)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let region = account_region(&mut tx, &u).await?;
        if !actor.may(AccountAction::ResetPassword {
            role: u.role,
            region,
        }) {
            return Err(ServiceError::NotFound);
        }
        if user == actor.user_id {
            return Err(ValidationFailure::single("user_id", "self").into());
        }
        let until = temporary_until();
        users::set_password(&mut tx, user, &hash, Some(until)).await?;
        sessions::delete_for_user(&mut tx, user, None).await?;
        audit::record(
            &mut tx,
            Some(actor),
            region,
            AuditEntity::User,
            user.0,
            AuditOp::Update,
            json!({"password": "(reset)"}),
        )
        .await?;
        let account = users::account(&mut tx, user)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(Handover {
            account,
            temporary_password: password,
            expires_at: until.0,
        })
    }
}

/// The region an account belongs to for the policy: a resident's region, or the region the
/// member's organisation is registered under; None for staff.
async fn account_region(
    conn: &mut Conn,
    u: &users::UserRecord,
) -> ServiceResult<Option<jimoto_domain::RegionId>> {
    Ok(match u.role {
        Role::Resident => residents::find_by_user(conn, u.id).await?.map(|(_, r)| r),
        Role::CompanyMember => match u.organisation_id {
            Some(o) => organisations::get(conn, o).await?.map(|o| o.region_id),
            None => None,
        },
        Role::Admin | Role::Coordinator | Role::Municipal => None,
    })
}
