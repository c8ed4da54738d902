//! Edits of the catalogue: an administrator corrects or suspends a supplier or a product; a
//! supplier corrects its own products' names and descriptions. Suspension stops new payments
//! (invoice redemption and metered usage refuse a suspended product or supplier); what is
//! already payable is still settled. Every edit is audited with before and after.
pub use quan_domain::inputs::{ProductPatch, SupplierPatch};
use quan_domain::{validate_city, validate_text, Money, ValidationError};

use super::catalogue::{load_product, load_supplier};
use super::enterprises::validate_shareholders;
use super::{not_found, to_json, Now};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::{Product, Supplier};
use crate::{Actor, Role};

/// The suspension asked for: `Some((on, reason))`; suspending needs a reason.
fn suspension(
    suspended: Option<bool>,
    reason: Option<&str>,
) -> Result<Option<(bool, Option<String>)>> {
    match suspended {
        None => Ok(None),
        Some(false) => Ok(Some((false, None))),
        Some(true) => {
            let r = validate_text("suspend_reason", reason.unwrap_or(""), 1000)?;
            Ok(Some((true, Some(r))))
        }
    }
}

pub async fn patch_supplier(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    p: &SupplierPatch,
    now: &Now,
) -> Result<Supplier> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may edit a supplier's file",
        ));
    }
    sqlx::query("UPDATE suppliers SET name = name WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load_supplier(tx, id).await?;
    let mut after = before.clone();
    if let Some(v) = &p.name {
        after.name = validate_text("name", v, 200)?;
    }
    if let Some(v) = &p.city_code {
        after.city_code = validate_city("city_code", v)?.code.clone();
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
    if let Some((on, reason)) = suspension(p.suspended, p.suspend_reason.as_deref())? {
        after.suspended = on;
        after.suspend_reason = reason;
    }
    sqlx::query(
        "UPDATE suppliers SET name = $1, city_code = $2, legal_rep = $3, shareholders = $4, suspended = $5, suspend_reason = $6, actual_controller = $7 WHERE id = $8",
    )
    .bind(&after.name)
    .bind(&after.city_code)
    .bind(&after.legal_rep)
    .bind(to_json(&after.shareholders))
    .bind(after.suspended as i64)
    .bind(&after.suspend_reason)
    .bind(&after.actual_controller)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let after = load_supplier(tx, id).await?;
    audit::append(
        tx,
        actor,
        "supplier.update",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

pub async fn patch_product(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    p: &ProductPatch,
    now: &Now,
) -> Result<Product> {
    sqlx::query("UPDATE products SET name = name WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load_product(tx, id).await?;
    match actor.role {
        Role::Admin => {}
        Role::Supplier if actor.supplier_id.as_deref() == Some(before.supplier_id.as_str()) => {
            for (field, set) in [
                ("gpu_model", p.gpu_model.is_some()),
                ("price_per_unit_fen", p.price_per_unit_fen.is_some()),
                ("suspended", p.suspended.is_some()),
            ] {
                if set {
                    return Err(StoreError::forbidden(format!(
                        "{field}: only an administrator may change this field"
                    )));
                }
            }
        }
        Role::Supplier => return Err(not_found("product")),
        _ => return Err(StoreError::forbidden("this role may not edit products")),
    }
    let mut name = before.name.clone();
    if let Some(v) = &p.name {
        name = validate_text("name", v, 200)?;
    }
    let mut description = before.description.clone();
    if let Some(v) = &p.description {
        description = if v.trim().is_empty() {
            String::new()
        } else {
            validate_text("description", v, 2000)?
        };
    }
    let compute = before.kind == "compute";
    let mut gpu = before.gpu_model.clone();
    let mut price = before.price_per_unit_fen;
    if let Some(v) = &p.gpu_model {
        gpu = Some(validate_text("gpu_model", v, 100)?);
    }
    if let Some(v) = p.price_per_unit_fen {
        price = Some(Money::positive("price_per_unit_fen", v)?.fen());
    }
    // A price belongs to a metered product: computing power, or a model metered by tokens.
    let metered = compute || before.billing_unit.is_some();
    if (!compute && p.gpu_model.is_some()) || (!metered && p.price_per_unit_fen.is_some()) {
        return Err(ValidationError::new(
            "price_per_unit_fen",
            "not_metered",
            "price_per_unit_fen: only a metered product (computing power, or a model priced by tokens) has a price, and only computing power a GPU model",
        )
        .into());
    }
    // The product's own flag (a supplier's suspension shows through `suspended` on read).
    let own: (i64, Option<String>) = {
        let r = sqlx::query("SELECT suspended, suspend_reason FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        (sqlx::Row::try_get(&r, 0)?, sqlx::Row::try_get(&r, 1)?)
    };
    let (suspended, reason) = match suspension(p.suspended, p.suspend_reason.as_deref())? {
        Some((on, reason)) => (on as i64, reason),
        None => own,
    };
    sqlx::query(
        "UPDATE products SET name = $1, description = $2, gpu_model = $3, price_per_unit_fen = $4, suspended = $5, suspend_reason = $6 WHERE id = $7",
    )
    .bind(&name)
    .bind(&description)
    .bind(&gpu)
    .bind(price)
    .bind(suspended)
    .bind(&reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let after = load_product(tx, id).await?;
    audit::append(
        tx,
        actor,
        "product.update",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}
