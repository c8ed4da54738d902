//! Users and sessions. Passwords arrive already hashed (argon2, in the API crate); session
//! tokens are stored only as their SHA-256 hash.
use quan_domain::{validate_text, ValidationError};
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Decode;
use crate::rows::{Page, User};
use crate::{Actor, Role, Store};

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub enterprise_id: Option<&'a str>,
    pub supplier_id: Option<&'a str>,
    pub display_name: &'a str,
    /// Reviewers only: the city a city reviewer works for.
    pub city_code: Option<&'a str>,
}

pub async fn create(tx: &mut Tx, actor: &Actor, u: &NewUser<'_>, now: &Now) -> Result<User> {
    let username = validate_text("username", u.username, 64)?;
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(ValidationError::new(
            "username",
            "invalid_username",
            "username: use letters, digits, '.', '_' or '-'",
        )
        .into());
    }
    let display_name = validate_text("display_name", u.display_name, 100)?;
    let city_code = match (u.role, u.city_code.map(str::trim).filter(|c| !c.is_empty())) {
        (_, None) => None,
        (Role::Reviewer, Some(c)) => {
            Some(quan_domain::validate_city("city_code", c)?.code.to_string())
        }
        _ => {
            return Err(ValidationError::new(
                "city_code",
                "invalid_binding",
                "city_code: only a reviewer belongs to a city",
            )
            .into())
        }
    };
    match (u.role, u.enterprise_id, u.supplier_id) {
        (Role::Enterprise, Some(e), None) => {
            super::enterprises::load(tx, e).await.map_err(|_| {
                ValidationError::new(
                    "enterprise_id",
                    "not_found",
                    format!("enterprise_id: no enterprise {e}"),
                )
            })?;
        }
        (Role::Supplier, None, Some(s)) => {
            super::catalogue::load_supplier(tx, s).await.map_err(|_| {
                ValidationError::new(
                    "supplier_id",
                    "not_found",
                    format!("supplier_id: no supplier {s}"),
                )
            })?;
        }
        (Role::Enterprise, _, _) => {
            return Err(ValidationError::new(
                "enterprise_id",
                "required",
                "enterprise_id: an enterprise user is bound to exactly one enterprise",
            )
            .into())
        }
        (Role::Supplier, _, _) => {
            return Err(ValidationError::new(
                "supplier_id",
                "required",
                "supplier_id: a supplier user is bound to exactly one supplier",
            )
            .into())
        }
        (_, None, None) => {}
        _ => {
            return Err(ValidationError::new(
                "role",
                "invalid_binding",
                "role: only enterprise and supplier users are bound to a tenant",
            )
            .into())
        }
    }
    if sqlx::query("SELECT 1 FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(&mut **tx)
        .await?
        .is_some()
    {
        return Err(StoreError::conflict_field(
            "duplicate_username",
            "username",
            format!("username: {username} is taken"),
        ));
    }
    let user = User {
        id: new_id("usr"),
        username,
        role: u.role.as_str().into(),
        enterprise_id: u.enterprise_id.map(String::from),
        supplier_id: u.supplier_id.map(String::from),
        display_name,
        city_code,
    };
    sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, enterprise_id, supplier_id, display_name, disabled, created_at, city_code) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(u.password_hash)
    .bind(&user.role)
    .bind(&user.enterprise_id)
    .bind(&user.supplier_id)
    .bind(&user.display_name)
    .bind(&now.ts)
    .bind(&user.city_code)
    .execute(&mut **tx)
    .await?;
    // The hash never enters the audit trail.
    audit::append(
        tx,
        actor,
        "user.create",
        &user.id,
        "null",
        &to_json(&user),
        &now.ts,
    )
    .await?;
    Ok(user)
}

/// Sort keys of the user list.
pub const SORTS: &[super::SortKey] = &[("username", "username"), ("role", "role")];

pub async fn list(store: &Store, page: PageReq) -> Result<Page<User>> {
    fetch_page(
        store,
        User::COLUMNS,
        "users",
        &Filter::new(),
        "role, username",
        page,
        User::from_row,
    )
    .await
}

/// The user and password hash for a login attempt, if the user exists and is enabled.
pub async fn for_login(store: &Store, username: &str) -> Result<Option<(User, String)>> {
    let row = sqlx::query(&format!(
        "SELECT {}, password_hash FROM users WHERE username = $1 AND disabled = 0",
        User::COLUMNS
    ))
    .bind(username)
    .fetch_optional(store.reader())
    .await?;
    match row {
        Some(r) => Ok(Some((User::from_row(&r)?, r.try_get("password_hash")?))),
        None => Ok(None),
    }
}

pub async fn create_session(
    store: &Store,
    token_hash: &str,
    user_id: &str,
    now: &str,
    expires_at: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, revoked) VALUES ($1, $2, $3, $4, 0)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(store.writer())
        .await?;
    Ok(())
}

/// The actor behind a live session token hash.
pub async fn session_actor(store: &Store, token_hash: &str, now: &str) -> Result<Option<Actor>> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.role, u.enterprise_id, u.supplier_id FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.revoked = 0 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(store.reader())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let role: String = r.try_get(2)?;
    Ok(Some(Actor {
        user_id: r.try_get(0)?,
        username: r.try_get(1)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        enterprise_id: r.try_get(3)?,
        supplier_id: r.try_get(4)?,
    }))
}

pub async fn revoke_session(store: &Store, token_hash: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET revoked = 1 WHERE token_hash = $1")
        .bind(token_hash)
        .execute(store.writer())
        .await?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<User> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM users WHERE id = $1",
        User::COLUMNS
    ))
    .bind(id)
    .fetch_optional(store.reader())
    .await?;
    row.as_ref()
        .map(User::from_row)
        .transpose()?
        .ok_or_else(|| not_found("user"))
}

pub async fn password_hash(store: &Store, user_id: &str) -> Result<String> {
    let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| r.try_get::<String, _>(0))
        .transpose()?
        .ok_or_else(|| not_found("user"))
}

/// Sets a new password hash and revokes every session of the user (all devices log in again).
pub async fn change_password(tx: &mut Tx, actor: &Actor, new_hash: &str, now: &Now) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(new_hash)
        .bind(&actor.user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE sessions SET revoked = 1 WHERE user_id = $1")
        .bind(&actor.user_id)
        .execute(&mut **tx)
        .await?;
    // The audit record names the event, never the password or its hash.
    audit::append(
        tx,
        actor,
        "user.password_change",
        &actor.user_id,
        "null",
        "{\"sessions\":\"revoked\"}",
        &now.ts,
    )
    .await?;
    Ok(())
}
