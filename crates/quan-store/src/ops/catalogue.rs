//! Suppliers, their products, and each program's selected (eligible) list.
pub use quan_domain::inputs::{ProductInput, SupplierInput};
use quan_domain::BillingUnit;
use quan_domain::{validate_city, validate_text, Money, ProductKind, Uscc};
use sqlx::Row;

use super::enterprises::validate_shareholders;
use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Decode;
use crate::rows::{Page, Product, Supplier};
use crate::{Actor, Role, Store};

const SUPPLIER_ONE: &str = "SELECT id, name, uscc, kind, city_code, legal_rep, shareholders, actual_controller, dishonest, suspended, suspend_reason, created_at FROM suppliers WHERE id = $1";

pub async fn create_supplier(
    tx: &mut Tx,
    actor: &Actor,
    input: &SupplierInput,
    now: &Now,
) -> Result<Supplier> {
    create_supplier_with_id(tx, actor, &new_id("sup"), input, now).await
}

pub async fn create_supplier_with_id(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    input: &SupplierInput,
    now: &Now,
) -> Result<Supplier> {
    let name = validate_text("name", &input.name, 200)?;
    let uscc = Uscc::parse("uscc", &input.uscc)?;
    let kind = ProductKind::parse("kind", &input.kind)?;
    let city = validate_city("city_code", &input.city_code)?;
    let legal_rep = validate_text("legal_rep", &input.legal_rep, 100)?;
    let shareholders = validate_shareholders(&input.shareholders)?;
    let controller =
        quan_domain::validate_optional_text("actual_controller", &input.actual_controller, 100)?;
    if sqlx::query("SELECT id FROM suppliers WHERE uscc = $1")
        .bind(uscc.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .is_some()
    {
        return Err(StoreError::conflict_field(
            "duplicate_uscc",
            "uscc",
            format!(
                "uscc: a supplier with code {} is already registered",
                uscc.as_str()
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO suppliers (id, name, uscc, kind, city_code, legal_rep, shareholders, actual_controller, dishonest, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)",
    )
    .bind(id)
    .bind(&name)
    .bind(uscc.as_str())
    .bind(kind.as_str())
    .bind(&city.code)
    .bind(&legal_rep)
    .bind(to_json(&shareholders))
    .bind(&controller)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    ledger::open_account(tx, &quan_domain::AccountId::Payable(id.into())).await?;
    ledger::open_account(tx, &quan_domain::AccountId::Settled(id.into())).await?;
    let s = fetch_one_opt(tx, SUPPLIER_ONE, id, Supplier::from_row)
        .await?
        .ok_or_else(|| not_found("supplier"))?;
    audit::append(
        tx,
        actor,
        "supplier.create",
        id,
        "null",
        &to_json(&s),
        &now.ts,
    )
    .await?;
    Ok(s)
}

pub async fn get_supplier(store: &Store, actor: &Actor, id: &str) -> Result<Supplier> {
    if let Some(own) = actor.supplier_scope() {
        if own != id {
            return Err(not_found("supplier"));
        }
    }
    let row = sqlx::query(SUPPLIER_ONE)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    row.as_ref()
        .map(Supplier::from_row)
        .transpose()?
        .ok_or_else(|| not_found("supplier"))
}

/// Sort keys of the supplier list.
pub const SUPPLIER_SORTS: &[super::SortKey] = &[
    ("id", "id"),
    ("name", "name"),
    ("kind", "kind"),
    ("created_at", "created_at"),
];

pub async fn list_suppliers(
    store: &Store,
    actor: &Actor,
    kind: Option<&str>,
    q: Option<&str>,
    page: PageReq,
) -> Result<Page<Supplier>> {
    let mut f = Filter::new();
    if let Some(own) = actor.supplier_scope() {
        f.add("id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("kind", kind);
    f.contains_any(&["name", "uscc"], q);
    fetch_page(
        store,
        Supplier::COLUMNS,
        "suppliers",
        &f,
        "name, id",
        page,
        Supplier::from_row,
    )
    .await
}

pub(crate) async fn load_supplier(tx: &mut Tx, id: &str) -> Result<Supplier> {
    fetch_one_opt(tx, SUPPLIER_ONE, id, Supplier::from_row)
        .await?
        .ok_or_else(|| not_found("supplier"))
}

pub(crate) const PRODUCT_FROM: &str = "products p JOIN suppliers s ON s.id = p.supplier_id";

/// A product's city, GPU model, price per unit and billing unit.
type Metering = (
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<BillingUnit>,
);

/// What makes a product metered: a computing-power product has a city, a price per its billing
/// unit (GPU-hour unless it says otherwise) and, for accelerator time, a GPU model; a model
/// product may be metered by tokens (a price with the k_tokens unit). Other products have none.
fn metering_of(kind: ProductKind, input: &ProductInput) -> Result<Metering> {
    let unit = input
        .billing_unit
        .as_deref()
        .map(|u| BillingUnit::parse("billing_unit", u))
        .transpose()?;
    let city = |required: bool| -> Result<Option<String>> {
        match input.city_code.as_deref() {
            None if !required => Ok(None),
            c => Ok(Some(
                validate_city("city_code", c.unwrap_or(""))?.code.clone(),
            )),
        }
    };
    let price = || -> Result<Option<i64>> {
        Ok(Some(
            Money::positive("price_per_unit_fen", input.price_per_unit_fen.unwrap_or(0))?.fen(),
        ))
    };
    let metered_model =
        kind == ProductKind::Model && (unit.is_some() || input.price_per_unit_fen.is_some());
    if let Some(u) = unit.filter(|u| !u.allowed_for(kind.as_str())) {
        return Err(quan_domain::ValidationError::new(
            "billing_unit",
            "billing_unit_not_allowed",
            format!(
                "billing_unit: a {} product is not priced in {}",
                kind.as_str(),
                u.code()
            ),
        )
        .into());
    }
    if kind == ProductKind::Compute {
        let unit = unit.unwrap_or(BillingUnit::GpuHour);
        let gpu = match input.gpu_model.as_deref() {
            Some(g) if !g.trim().is_empty() => Some(validate_text("gpu_model", g, 100)?),
            _ if unit.is_accelerator_time() => Some(validate_text("gpu_model", "", 100)?),
            _ => None,
        };
        Ok((city(true)?, gpu, price()?, Some(unit)))
    } else if metered_model {
        Ok((city(false)?, None, price()?, Some(BillingUnit::KTokens)))
    } else {
        Ok((city(false)?, None, None, None))
    }
}

pub async fn create_product(
    tx: &mut Tx,
    actor: &Actor,
    input: &ProductInput,
    now: &Now,
) -> Result<Product> {
    let supplier_id = match actor.role {
        Role::Supplier => actor.supplier_id.clone().unwrap_or_default(),
        Role::Admin => input.supplier_id.clone().ok_or_else(|| {
            quan_domain::ValidationError::new("supplier_id", "required", "supplier_id: required")
        })?,
        _ => return Err(StoreError::forbidden("this role may not list products")),
    };
    let supplier = load_supplier(tx, &supplier_id).await.map_err(|_| {
        StoreError::Validation(quan_domain::ValidationError::new(
            "supplier_id",
            "not_found",
            format!("supplier_id: no supplier {supplier_id}"),
        ))
    })?;
    let kind = ProductKind::parse("kind", &input.kind)?;
    let name = validate_text("name", &input.name, 200)?;
    let description = if input.description.trim().is_empty() {
        String::new()
    } else {
        validate_text("description", &input.description, 2000)?
    };
    let (city, gpu, price, unit) = metering_of(kind, input)?;
    let id = new_id("prd");
    sqlx::query(
        "INSERT INTO products (id, supplier_id, kind, name, city_code, gpu_model, price_per_unit_fen, description, created_at, billing_unit) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(&supplier.id)
    .bind(kind.as_str())
    .bind(&name)
    .bind(city)
    .bind(gpu)
    .bind(price)
    .bind(&description)
    .bind(&now.ts)
    .bind(unit.unwrap_or(BillingUnit::GpuHour).code())
    .execute(&mut **tx)
    .await?;
    let p = load_product(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "product.create",
        &id,
        "null",
        &to_json(&p),
        &now.ts,
    )
    .await?;
    Ok(p)
}

pub(crate) async fn load_product(tx: &mut Tx, id: &str) -> Result<Product> {
    let sql = format!(
        "SELECT {} FROM {PRODUCT_FROM} WHERE p.id = $1",
        Product::COLUMNS
    );
    fetch_one_opt(tx, &sql, id, Product::from_row)
        .await?
        .ok_or_else(|| not_found("product"))
}

async fn with_eligibility(store: &Store, mut items: Vec<Product>) -> Result<Vec<Product>> {
    for p in &mut items {
        let rows = sqlx::query(
            "SELECT program_id FROM eligible_products WHERE product_id = $1 ORDER BY program_id",
        )
        .bind(&p.id)
        .fetch_all(store.reader())
        .await?;
        p.eligible_programs = rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
    }
    Ok(items)
}

pub async fn get_product(store: &Store, actor: &Actor, id: &str) -> Result<Product> {
    let sql = format!(
        "SELECT {} FROM {PRODUCT_FROM} WHERE p.id = $1",
        Product::COLUMNS
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    let p = row
        .as_ref()
        .map(Product::from_row)
        .transpose()?
        .ok_or_else(|| not_found("product"))?;
    if actor
        .supplier_scope()
        .is_some_and(|own| own != p.supplier_id)
    {
        return Err(not_found("product"));
    }
    Ok(with_eligibility(store, vec![p]).await?.remove(0))
}

#[derive(Debug, Default, Clone)]
pub struct ProductQuery {
    pub kind: Option<String>,
    pub supplier_id: Option<String>,
    pub program_id: Option<String>,
    pub selected_only: bool,
}

/// Sort keys of the product list.
pub const PRODUCT_SORTS: &[super::SortKey] = &[
    ("id", "p.id"),
    ("name", "p.name"),
    ("kind", "p.kind"),
    ("created_at", "p.created_at"),
    ("price_per_unit_fen", "p.price_per_unit_fen"),
];

pub async fn list_products(
    store: &Store,
    actor: Option<&Actor>,
    q: &ProductQuery,
    page: PageReq,
) -> Result<Page<Product>> {
    let mut f = Filter::new();
    if let Some(own) = actor.and_then(|a| a.supplier_scope()) {
        f.add("p.supplier_id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("p.kind", q.kind.as_deref())
        .eq_opt("p.supplier_id", q.supplier_id.as_deref());
    if let Some(pid) = q.program_id.as_deref() {
        f.add(
            "p.id IN (SELECT product_id FROM eligible_products WHERE program_id = ?)",
            Arg::S(pid.to_string()),
        );
    } else if q.selected_only {
        f.add(
            "p.id IN (SELECT product_id FROM eligible_products WHERE 1 = ?)",
            Arg::I(1),
        );
    }
    let mut page = fetch_page(
        store,
        Product::COLUMNS,
        PRODUCT_FROM,
        &f,
        "p.kind, p.name, p.id",
        page,
        Product::from_row,
    )
    .await?;
    page.items = with_eligibility(store, page.items).await?;
    Ok(page)
}

/// Puts a product on a program's selected list. The product's kind must match the voucher type.
pub async fn add_eligible(
    tx: &mut Tx,
    actor: &Actor,
    program_id: &str,
    product_id: &str,
    now: &Now,
) -> Result<()> {
    let program = super::programs::load(tx, program_id).await?;
    let product = load_product(tx, product_id).await.map_err(|_| {
        StoreError::Validation(quan_domain::ValidationError::new(
            "product_id",
            "not_found",
            format!("product_id: no product {product_id}"),
        ))
    })?;
    let want =
        quan_domain::VoucherType::parse("voucher_type", &program.voucher_type)?.product_kind();
    if product.kind != want.as_str() {
        return Err(StoreError::conflict_field(
            "product_kind_mismatch",
            "product_id",
            format!(
                "product_id: a {} product cannot be on the list of a {} voucher program",
                product.kind, program.voucher_type
            ),
        ));
    }
    let selected = super::selection::selected(tx, program.year as i32, want)
        .await?
        .iter()
        .any(|p| p == product_id);
    quan_domain::check_listing(want, selected)?;
    if want == quan_domain::ProductKind::Corpus {
        let code: Option<String> =
            sqlx::query("SELECT data_registration_code FROM products WHERE id = $1")
                .bind(product_id)
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
        super::data_registry::check_corpus(
            tx,
            "product_id",
            code.as_deref(),
            product_id,
            &product.supplier_id,
            now.today,
        )
        .await?;
    }
    let n = sqlx::query("INSERT INTO eligible_products (program_id, product_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(program_id)
        .bind(product_id)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 1 {
        audit::append(
            tx,
            actor,
            "program.list_product",
            program_id,
            "null",
            &format!("{{\"product_id\":\"{product_id}\"}}"),
            &now.ts,
        )
        .await?;
    }
    Ok(())
}

pub async fn remove_eligible(
    tx: &mut Tx,
    actor: &Actor,
    program_id: &str,
    product_id: &str,
    reason: Option<&str>,
    now: &Now,
) -> Result<()> {
    let program = super::programs::load(tx, program_id).await?;
    let kind =
        quan_domain::VoucherType::parse("voucher_type", &program.voucher_type)?.product_kind();
    let reason = quan_domain::delisting_reason(kind, reason)?;
    let n = sqlx::query("DELETE FROM eligible_products WHERE program_id = $1 AND product_id = $2")
        .bind(program_id)
        .bind(product_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(not_found("listed product"));
    }
    audit::append(
        tx,
        actor,
        "program.delist_product",
        program_id,
        &serde_json::json!({"product_id": product_id}).to_string(),
        &serde_json::json!({"removed": product_id, "reason": reason}).to_string(),
        &now.ts,
    )
    .await?;
    Ok(())
}

pub(crate) async fn is_eligible(tx: &mut Tx, program_id: &str, product_id: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM eligible_products WHERE program_id = $1 AND product_id = $2")
            .bind(program_id)
            .bind(product_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some(),
    )
}
