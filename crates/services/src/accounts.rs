//! Creating accounts with a role and its scope.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::user::{Account, MIN_PASSWORD_CHARS, validate_login};
use jimoto_domain::{
    AccountAction, AccountScope, Actor, FieldError, Lang, OrganisationAction, Page, PageRequest,
    ResidentAction, Role, UserId, ValidationFailure,
};
use jimoto_store::{Conn, organisations, regions, residents, sessions, users};
use serde_json::json;

use crate::auth::{hash_password, session_hash, verify_password};
use crate::{ServiceError, ServiceResult, Services, audit, require};

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
    } else if len > 100 {
        errors.push(FieldError::new("display_name", "too_long").with("max", 100));
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
    } else if pw_len > 1024 {
        errors.push(FieldError::new("password", "too_long").with("max", 1024));
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

async fn insert(conn: &mut Conn, a: &NewAccount, hash: &str) -> ServiceResult<UserId> {
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
    /// Creates an account. Admins create any; a coordinator gives logins to residents of their
    /// regions and adds members to organisations registered there. A resident or organisation
    /// the actor may not see gets the same answer as one that does not exist.
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
        let id = insert(&mut tx, &account, &hash).await?;
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
        users::set_password(&mut tx, user.id, &hash).await?;
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
        } else if len > 1024 {
            errors.push(FieldError::new("new_password", "too_long").with("max", 1024));
        }
        if new != confirm {
            errors.push(FieldError::new("new_password_confirm", "mismatch"));
        }
        let mut conn = self.db().conn().await?;
        let user = users::get(&mut conn, actor.user_id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        drop(conn);
        if !verify_password(current, &user.password_hash).await {
            errors.insert(0, FieldError::new("current_password", "wrong_password"));
        }
        ValidationFailure(errors).into_result()?;
        let hash = hash_password(new).await?;
        let mut tx = self.db().begin().await?;
        users::set_password(&mut tx, user.id, &hash).await?;
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
    /// its tokens stop working; admins cannot disable themselves.
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
            sessions::delete_for_user(&mut tx, user, None).await?;
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
        require(actor, AccountAction::Manage)?;
        let mut tx = self.db().begin().await?;
        let old = users::get(&mut tx, user)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let old_regions = users::regions_of(&mut tx, user).await?;
        let mut errors = Vec::new();
        check_display_name(display_name, &mut errors);
        if let Some(scope) = &scope
            && (matches!(scope, AccountScope::Resident(_)) || !scope.fits(old.role))
        {
            errors.push(FieldError::new("scope", "scope_mismatch"));
        }
        ValidationFailure(errors).into_result()?;
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
}
