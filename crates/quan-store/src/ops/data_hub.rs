//! The data authorization hub: authorizations (overall → sub-domain → scenario), consents (one
//! scenario, one authorization), the check that answers "may this operator use these fields
//! now?" and logs every yes as a use, and the operators' annual disclosures. The check reads
//! the database every time (no cache), so a revocation committed on one server is seen by the
//! next check on any other.
use std::collections::BTreeSet;

use chrono::NaiveDate;
use quan_domain::{
    check_nesting, in_force, AuthorizationFacts, AuthorizationInput, AuthorizationLevel,
    AuthorizationTerms, DataAuthorization, DataClass,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::{Actor, Role, Store};

pub(super) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("data authorization: {e}"))
}

pub(super) fn set_of(json: &str) -> Result<BTreeSet<String>> {
    serde_json::from_str(json).map_err(corrupt)
}

pub(super) fn day(r: &AnyRow, col: &str) -> Result<NaiveDate> {
    r.try_get::<String, _>(col)?.parse().map_err(corrupt)
}

const AUTH_COLUMNS: &str = "a.id, a.level, a.data_class, a.parent_id, a.name, a.authority, a.operator_id, e.name AS operator_name, a.purpose, \
     a.fields, a.resources, a.recipients, a.valid_from, a.valid_until, a.revoked_at, a.revoke_reason, a.created_at";
const AUTH_FROM: &str = "data_authorizations a JOIN enterprises e ON e.id = a.operator_id";

fn auth_row(r: &AnyRow) -> Result<DataAuthorization> {
    Ok(DataAuthorization {
        id: r.try_get("id")?,
        level: AuthorizationLevel::parse("level", &r.try_get::<String, _>("level")?)
            .map_err(corrupt)?,
        data_class: DataClass::parse("data_class", &r.try_get::<String, _>("data_class")?)
            .map_err(corrupt)?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        authority: r.try_get("authority")?,
        operator_id: r.try_get("operator_id")?,
        operator_name: r.try_get("operator_name")?,
        purpose: r.try_get("purpose")?,
        fields: set_of(&r.try_get::<String, _>("fields")?)?
            .into_iter()
            .collect(),
        resources: set_of(&r.try_get::<String, _>("resources")?)?
            .into_iter()
            .collect(),
        recipients: set_of(&r.try_get::<String, _>("recipients")?)?
            .into_iter()
            .collect(),
        valid_from: day(r, "valid_from")?,
        valid_until: day(r, "valid_until")?,
        revoked_at: r.try_get("revoked_at")?,
        revoke_reason: r.try_get("revoke_reason")?,
        in_force: true,
        not_in_force_reason: None,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) fn facts_of(a: &DataAuthorization) -> AuthorizationFacts {
    AuthorizationFacts {
        id: a.id.clone(),
        level: a.level,
        data_class: a.data_class,
        operator_id: a.operator_id.clone(),
        fields: a.fields.iter().cloned().collect(),
        resources: a.resources.iter().cloned().collect(),
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        revoked: a.revoked_at.is_some(),
    }
}

/// The authorization and its ancestors, nearest first (at most three levels).
pub(super) async fn chain(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Vec<DataAuthorization>> {
    let sql = format!("SELECT {AUTH_COLUMNS} FROM {AUTH_FROM} WHERE a.id = $1");
    let mut out = Vec::new();
    let mut next = Some(id.to_string());
    while let Some(id) = next.take() {
        if out.len() >= 3 {
            break;
        }
        let Some(r) = sqlx::query(&sql)
            .bind(&id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            break;
        };
        let a = auth_row(&r)?;
        next = a.parent_id.clone();
        out.push(a);
    }
    Ok(out)
}

fn with_force(
    mut a: DataAuthorization,
    chain: &[DataAuthorization],
    today: NaiveDate,
) -> DataAuthorization {
    let facts: Vec<_> = chain.iter().map(facts_of).collect();
    if let Err(e) = in_force(&facts, today) {
        a.in_force = false;
        a.not_in_force_reason = Some(e.message());
    }
    a
}

/// Who grants at each level: the administrator (for the authority) grants overall and
/// sub-domain authorizations; an operator defines scenarios under its own sub-domain, and
/// scenarios over personal or legal-person data for itself.
fn may_grant(
    actor: &Actor,
    t: &AuthorizationTerms,
    parent: Option<&DataAuthorization>,
) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Enterprise if t.level == AuthorizationLevel::Scenario => {
            let own = actor.enterprise_scope().unwrap_or("-");
            let parent_ok = parent.is_none_or(|p| p.operator_id == own);
            if t.operator_id == own && parent_ok {
                Ok(())
            } else {
                Err(StoreError::forbidden("an operator defines scenarios only for itself, under its own authorization"))
            }
        }
        _ => Err(StoreError::forbidden("overall and sub-domain authorizations are granted by the administrator for the authority")),
    }
}

pub async fn create_authorization(
    tx: &mut Tx,
    actor: &Actor,
    input: &AuthorizationInput,
    now: &Now,
) -> Result<DataAuthorization> {
    let t = AuthorizationTerms::parse(input)?;
    let parent = match input
        .parent_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => Vec::new(),
        Some(pid) => {
            // The parent's row is locked, so a revocation cannot pass between the check and the insert.
            sqlx::query("UPDATE data_authorizations SET name = name WHERE id = $1")
                .bind(pid)
                .execute(&mut **tx)
                .await?;
            let c = chain(tx, pid).await?;
            if c.is_empty() {
                return Err(quan_domain::ValidationError::new(
                    "parent_id",
                    "not_found",
                    format!("parent_id: no authorization {pid}"),
                )
                .into());
            }
            c
        }
    };
    may_grant(actor, &t, parent.first())?;
    super::enterprises::load(tx, &t.operator_id)
        .await
        .map_err(|_| {
            StoreError::from(quan_domain::ValidationError::new(
                "operator_id",
                "not_found",
                format!("operator_id: no enterprise {}", t.operator_id),
            ))
        })?;
    let facts: Vec<_> = parent.iter().map(facts_of).collect();
    check_nesting(&t, &facts, now.today)?;
    if t.data_class == DataClass::Public {
        for code in &t.resources {
            let st = super::data_registry::standing_of(tx, code, now.today).await?;
            if st != quan_domain::Standing::Valid {
                return Err(StoreError::conflict_field(
                    "resource_not_registered",
                    "resources",
                    format!(
                        "resources: {code} is not a valid data registration (it is {})",
                        st.as_str()
                    ),
                ));
            }
        }
    }
    let id = new_id("dau");
    sqlx::query(
        "INSERT INTO data_authorizations (id, level, data_class, parent_id, name, authority, operator_id, purpose, fields, resources, recipients, valid_from, valid_until, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&id)
    .bind(t.level.as_str())
    .bind(t.data_class.as_str())
    .bind(parent.first().map(|p| p.id.clone()))
    .bind(&t.name)
    .bind(&t.authority)
    .bind(&t.operator_id)
    .bind(&t.purpose)
    .bind(to_json(&t.fields))
    .bind(to_json(&t.resources))
    .bind(to_json(&t.recipients))
    .bind(t.valid_from.to_string())
    .bind(t.valid_until.to_string())
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let c = chain(tx, &id).await?;
    let a = with_force(c[0].clone(), &c, now.today);
    audit::append(
        tx,
        actor,
        "data_authorization.create",
        &id,
        "null",
        &to_json(&a),
        &now.ts,
    )
    .await?;
    Ok(a)
}

/// Revokes an authorization (its children are suspended with it: they check their ancestors).
pub async fn revoke_authorization(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    reason: &str,
    now: &Now,
) -> Result<DataAuthorization> {
    let reason = quan_domain::validate_text("reason", reason, 1000)?;
    sqlx::query("UPDATE data_authorizations SET name = name WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let c = chain(tx, id).await?;
    let before = c
        .first()
        .cloned()
        .filter(|a| visible_auth(actor, a))
        .ok_or_else(|| not_found("authorization"))?;
    let own_scenario = actor.is(Role::Enterprise) && before.level == AuthorizationLevel::Scenario;
    if !actor.is(Role::Admin) && !own_scenario {
        return Err(StoreError::forbidden("only the administrator, or the operator for its own scenario, revokes an authorization"));
    }
    if before.revoked_at.is_some() {
        return Err(StoreError::conflict(
            "already_revoked",
            "the authorization is already revoked",
        ));
    }
    sqlx::query("UPDATE data_authorizations SET revoked_at = $1, revoke_reason = $2 WHERE id = $3")
        .bind(&now.ts)
        .bind(&reason)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let c = chain(tx, id).await?;
    let after = with_force(c[0].clone(), &c, now.today);
    audit::append(
        tx,
        actor,
        "data_authorization.revoke",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// Suppliers have no part in the authorization hub.
fn hub_reader(actor: &Actor) -> Result<()> {
    if actor.is(Role::Supplier) {
        return Err(StoreError::forbidden(
            "suppliers do not see the authorization hub",
        ));
    }
    Ok(())
}

fn visible_auth(actor: &Actor, a: &DataAuthorization) -> bool {
    actor
        .enterprise_scope()
        .is_none_or(|own| own == a.operator_id)
        && !actor.is(Role::Supplier)
}

pub async fn get_authorization(
    store: &Store,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<DataAuthorization> {
    hub_reader(actor)?;
    let mut conn = store.reader().acquire().await?;
    let c = chain(&mut conn, id).await?;
    c.first()
        .filter(|a| visible_auth(actor, a))
        .map(|a| with_force(a.clone(), &c, today))
        .ok_or_else(|| not_found("authorization"))
}

/// Sort keys of the authorization list.
pub const AUTH_SORTS: &[super::SortKey] = &[
    ("created_at", "a.created_at"),
    ("valid_until", "a.valid_until"),
    ("name", "a.name"),
];

#[derive(Debug, Default, Clone)]
pub struct AuthorizationQuery {
    pub level: Option<String>,
    pub parent_id: Option<String>,
    pub operator_id: Option<String>,
}

pub async fn list_authorizations(
    store: &Store,
    actor: &Actor,
    q: &AuthorizationQuery,
    page: PageReq,
    today: NaiveDate,
) -> Result<Page<DataAuthorization>> {
    hub_reader(actor)?;
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("a.operator_id = ?", Arg::S(own.into()));
    }
    if let Some(l) = q.level.as_deref().filter(|s| !s.is_empty()) {
        AuthorizationLevel::parse("level", l)?;
        f.add("a.level = ?", Arg::S(l.into()));
    }
    f.eq_opt("a.parent_id", q.parent_id.as_deref())
        .eq_opt("a.operator_id", q.operator_id.as_deref());
    let mut page = fetch_page(
        store,
        AUTH_COLUMNS,
        AUTH_FROM,
        &f,
        "a.created_at, a.id",
        page,
        auth_row,
    )
    .await?;
    let mut conn = store.reader().acquire().await?;
    for a in &mut page.items {
        let c = chain(&mut conn, &a.id).await?;
        *a = with_force(a.clone(), &c, today);
    }
    Ok(page)
}
