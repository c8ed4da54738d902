//! Enterprise files ("one enterprise, one file").
pub use quan_domain::inputs::{EnterpriseInput, EnterprisePatch};
use quan_domain::{
    validate_city, validate_industry, validate_text, SizeClass, Uscc, ValidationError,
};

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Decode;
use crate::rows::{Enterprise, Page};
use crate::{Actor, Role, Store};
use sqlx::Row;

pub(crate) fn validate_shareholders(list: &[String]) -> Result<Vec<String>, ValidationError> {
    if list.len() > 50 {
        return Err(ValidationError::new(
            "shareholders",
            "too_long",
            "shareholders: at most 50 entries",
        ));
    }
    list.iter()
        .map(|s| validate_text("shareholders", s, 100))
        .collect()
}

pub struct ValidEnterprise {
    pub uscc: Uscc,
    pub name: String,
    pub city_code: String,
    pub industry: char,
    pub size_class: SizeClass,
    pub pilot_zone: bool,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    pub actual_controller: String,
}

pub fn validate(input: &EnterpriseInput) -> Result<ValidEnterprise, ValidationError> {
    Ok(ValidEnterprise {
        uscc: Uscc::parse("uscc", &input.uscc)?,
        name: validate_text("name", &input.name, 200)?,
        city_code: validate_city("city_code", &input.city_code)?.code.clone(),
        industry: validate_industry("industry", &input.industry)?,
        size_class: SizeClass::parse("size_class", &input.size_class)?,
        pilot_zone: input.pilot_zone,
        legal_rep: validate_text("legal_rep", &input.legal_rep, 100)?,
        shareholders: validate_shareholders(&input.shareholders)?,
        actual_controller: quan_domain::validate_optional_text(
            "actual_controller",
            &input.actual_controller,
            100,
        )?,
    })
}

const SELECT_ONE: &str = "SELECT id, uscc, name, city_code, industry, size_class, pilot_zone, legal_rep, shareholders, actual_controller, dishonest, created_at FROM enterprises WHERE id = $1";

pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    input: &EnterpriseInput,
    now: &Now,
) -> Result<Enterprise> {
    let v = validate(input)?;
    insert_valid(tx, actor, &new_id("ent"), &v, now).await
}

pub async fn insert_valid(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    v: &ValidEnterprise,
    now: &Now,
) -> Result<Enterprise> {
    let exists = sqlx::query("SELECT id FROM enterprises WHERE uscc = $1")
        .bind(v.uscc.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_some() {
        return Err(StoreError::conflict_field(
            "duplicate_uscc",
            "uscc",
            format!(
                "uscc: an enterprise with code {} is already registered",
                v.uscc.as_str()
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO enterprises (id, uscc, name, city_code, industry, size_class, pilot_zone, legal_rep, shareholders, actual_controller, dishonest, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11)",
    )
    .bind(id)
    .bind(v.uscc.as_str())
    .bind(&v.name)
    .bind(&v.city_code)
    .bind(v.industry.to_string())
    .bind(v.size_class.as_str())
    .bind(v.pilot_zone as i64)
    .bind(&v.legal_rep)
    .bind(to_json(&v.shareholders))
    .bind(&v.actual_controller)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let e = fetch_one_opt(tx, SELECT_ONE, id, Enterprise::from_row)
        .await?
        .ok_or_else(|| not_found("enterprise"))?;
    audit::append(
        tx,
        actor,
        "enterprise.create",
        id,
        "null",
        &to_json(&e),
        &now.ts,
    )
    .await?;
    Ok(e)
}

/// An enterprise user sees only its own file; others get "not found".
pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Enterprise> {
    if let Some(own) = actor.enterprise_scope() {
        if own != id {
            return Err(not_found("enterprise"));
        }
    }
    if actor.is(Role::Supplier) {
        return Err(not_found("enterprise"));
    }
    let row = sqlx::query(SELECT_ONE)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    row.as_ref()
        .map(Enterprise::from_row)
        .transpose()?
        .ok_or_else(|| not_found("enterprise"))
}

#[derive(Debug, Default, Clone)]
pub struct EnterpriseQuery {
    pub city_code: Option<String>,
    pub q: Option<String>,
    pub size_class: Option<String>,
}

/// Sort keys of the enterprise list.
pub const SORTS: &[super::SortKey] = &[
    ("id", "id"),
    ("name", "name"),
    ("uscc", "uscc"),
    ("city_code", "city_code"),
    ("created_at", "created_at"),
];

pub async fn list(
    store: &Store,
    actor: &Actor,
    query: &EnterpriseQuery,
    page: PageReq,
) -> Result<Page<Enterprise>> {
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("id = ?", Arg::S(own.to_string()));
    }
    if actor.is(Role::Supplier) {
        f.add("1 = ?", Arg::I(0));
    }
    f.eq_opt("city_code", query.city_code.as_deref())
        .eq_opt("size_class", query.size_class.as_deref());
    f.contains_any(&["name", "uscc"], query.q.as_deref());
    fetch_page(
        store,
        Enterprise::COLUMNS,
        "enterprises",
        &f,
        "created_at DESC, id",
        page,
        Enterprise::from_row,
    )
    .await
}

pub async fn patch(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    p: &EnterprisePatch,
    now: &Now,
) -> Result<Enterprise> {
    match actor.role {
        Role::Admin => {}
        Role::Enterprise if actor.enterprise_id.as_deref() == Some(id) => {
            for (field, set) in [
                ("industry", p.industry.is_some()),
                ("size_class", p.size_class.is_some()),
                ("legal_rep", p.legal_rep.is_some()),
                ("shareholders", p.shareholders.is_some()),
                ("actual_controller", p.actual_controller.is_some()),
                ("city_code", p.city_code.is_some()),
                ("pilot_zone", p.pilot_zone.is_some()),
            ] {
                if set {
                    return Err(StoreError::conflict_field(
                        "change_request_required",
                        field,
                        format!(
                            "{field}: the registered file changes only through a change request that an administrator approves"
                        ),
                    ));
                }
            }
        }
        Role::Enterprise => return Err(not_found("enterprise")),
        _ => {
            return Err(StoreError::forbidden(
                "this role may not edit enterprise files",
            ))
        }
    }
    let before = load(tx, id).await?;
    let after = patched(&before, p)?;
    write_file(tx, &before, &after, now.today).await?;
    audit::append(
        tx,
        actor,
        "enterprise.update",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// The file with the patch's fields validated and applied (nothing written).
pub(crate) fn patched(before: &Enterprise, p: &EnterprisePatch) -> Result<Enterprise> {
    let mut after = before.clone();
    if let Some(v) = &p.name {
        after.name = validate_text("name", v, 200)?;
    }
    if let Some(v) = &p.industry {
        after.industry = validate_industry("industry", v)?.to_string();
    }
    if let Some(v) = &p.size_class {
        after.size_class = SizeClass::parse("size_class", v)?.as_str().to_string();
    }
    if let Some(v) = &p.legal_rep {
        after.legal_rep = validate_text("legal_rep", v, 100)?;
    }
    if let Some(v) = &p.shareholders {
        after.shareholders = validate_shareholders(v)?;
    }
    if let Some(v) = &p.actual_controller {
        after.actual_controller = quan_domain::validate_optional_text("actual_controller", v, 100)?;
    }
    if let Some(v) = &p.city_code {
        after.city_code = validate_city("city_code", v)?.code.clone();
    }
    if let Some(v) = p.pilot_zone {
        after.pilot_zone = v;
    }
    Ok(after)
}

/// Writes the file; when a field the integrity rules read changed, the version it replaces
/// is kept in `enterprise_file_history` as superseded on `today` (under the enterprise's row
/// lock, which the UPDATE takes first).
pub(crate) async fn write_file(
    tx: &mut Tx,
    before: &Enterprise,
    after: &Enterprise,
    today: chrono::NaiveDate,
) -> Result<()> {
    sqlx::query(
        "UPDATE enterprises SET name = $1, industry = $2, size_class = $3, legal_rep = $4, shareholders = $5, city_code = $6, \
         pilot_zone = $7, actual_controller = $8 WHERE id = $9",
    )
    .bind(&after.name)
    .bind(&after.industry)
    .bind(&after.size_class)
    .bind(&after.legal_rep)
    .bind(to_json(&after.shareholders))
    .bind(&after.city_code)
    .bind(after.pilot_zone as i64)
    .bind(&after.actual_controller)
    .bind(&after.id)
    .execute(&mut **tx)
    .await?;
    let file_changed = before.legal_rep != after.legal_rep
        || before.shareholders != after.shareholders
        || before.actual_controller != after.actual_controller
        || before.industry != after.industry
        || before.size_class != after.size_class
        || before.city_code != after.city_code;
    if file_changed {
        sqlx::query(
            "INSERT INTO enterprise_file_history (enterprise_id, seq, superseded_on, legal_rep, shareholders, actual_controller, industry, size_class, city_code) \
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM enterprise_file_history WHERE enterprise_id = $1",
        )
        .bind(&before.id)
        .bind(today.to_string())
        .bind(&before.legal_rep)
        .bind(to_json(&before.shareholders))
        .bind(&before.actual_controller)
        .bind(&before.industry)
        .bind(&before.size_class)
        .bind(&before.city_code)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Every earlier version of an enterprise's file, newest first (to whoever may see the
/// enterprise: the administrator, reviewers, auditors and the enterprise itself).
pub async fn file_history(
    store: &Store,
    actor: &Actor,
    id: &str,
) -> Result<Vec<quan_domain::FileVersion>> {
    get(store, actor, id).await?;
    let rows = sqlx::query(
        "SELECT seq, superseded_on, legal_rep, shareholders, actual_controller, industry, size_class, city_code          FROM enterprise_file_history WHERE enterprise_id = $1 ORDER BY seq DESC",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    let corrupt = |e: String| StoreError::Corrupt(format!("file history of {id}: {e}"));
    rows.iter()
        .map(|r| {
            let on: String = r.try_get(1)?;
            let shareholders: String = r.try_get(3)?;
            Ok(quan_domain::FileVersion {
                seq: r.try_get(0)?,
                superseded_on: on.parse().map_err(|e| corrupt(format!("{e}")))?,
                legal_rep: r.try_get(2)?,
                shareholders: serde_json::from_str(&shareholders)
                    .map_err(|e| corrupt(format!("{e}")))?,
                actual_controller: r.try_get(4)?,
                industry: r.try_get(5)?,
                size_class: r.try_get(6)?,
                city_code: r.try_get(7)?,
            })
        })
        .collect()
}

/// The versions of enterprises' files superseded after `since`, by enterprise, oldest first.
pub(crate) async fn superseded_since(
    tx: &mut Tx,
    ids: &[&str],
    since: chrono::NaiveDate,
) -> Result<std::collections::HashMap<String, Vec<quan_domain::SupersededFile>>> {
    let mut out: std::collections::HashMap<String, Vec<quan_domain::SupersededFile>> =
        Default::default();
    if ids.is_empty() {
        return Ok(out);
    }
    let pg = super::is_postgres(tx);
    let rows = super::rowset::select_in(
        tx,
        pg,
        "enterprise_id, superseded_on, legal_rep, shareholders, actual_controller, seq",
        "enterprise_file_history",
        "enterprise_id",
        ids,
        &format!(" AND superseded_on > '{since}' ORDER BY enterprise_id, seq"),
    )
    .await?;
    for r in rows {
        let on: String = r.try_get(1)?;
        let shareholders: String = r.try_get(3)?;
        out.entry(r.try_get(0)?)
            .or_default()
            .push(quan_domain::SupersededFile {
                superseded_on: on
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("file history date {on}: {e}")))?,
                legal_rep: r.try_get(2)?,
                shareholders: serde_json::from_str(&shareholders)
                    .map_err(|e| StoreError::Corrupt(format!("file history shareholders: {e}")))?,
                actual_controller: r.try_get(4)?,
            });
    }
    Ok(out)
}

/// Holds the enterprises' files still for the rest of the transaction (PostgreSQL: a share
/// lock in id order, taken before the file is read), so a change approved on another server
/// waits for a payment that read the file, and a payment started after the change reads the
/// new file. SQLite has one writer: nothing to do.
pub(crate) async fn hold_files(tx: &mut Tx, ids: &[&str]) -> Result<()> {
    if ids.is_empty() || !super::is_postgres(tx) {
        return Ok(());
    }
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    super::rowset::select_in(
        tx,
        true,
        "id",
        "enterprises",
        "id",
        &sorted,
        " ORDER BY id FOR SHARE",
    )
    .await?;
    Ok(())
}

pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<Enterprise> {
    fetch_one_opt(tx, SELECT_ONE, id, Enterprise::from_row)
        .await?
        .ok_or_else(|| not_found("enterprise"))
}
