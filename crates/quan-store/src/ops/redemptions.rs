//! Invoice-based redemption and clawback.
//!
//! Lock order inside a redemption (the same everywhere, so concurrent transactions queue rather
//! than deadlock): the enterprise's yearly-cap row, the voucher account, the supplier's payable
//! account, the audit head.
use quan_domain::{
    parse_date, quote_subsidy, related_parties, validate_text, InvoiceNumber, Money, Rate,
    ValidationError, VoucherType,
};
use serde::Deserialize;
use sqlx::Row;
use utoipa::ToSchema;

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger::{self, Transfer};
use crate::rows::{Page, Redemption};
use crate::{Actor, Role, Store};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedemptionInput {
    pub voucher_id: String,
    pub product_id: String,
    /// 20-digit fully-digital e-invoice number; usable once on the whole platform.
    pub invoice_number: String,
    pub invoice_amount_fen: i64,
    pub invoice_date: String,
}

fn field_err(field: &str, code: &'static str, msg: String) -> StoreError {
    ValidationError::new(field, code, msg).into()
}

/// Locks the enterprise's cap row for (program, year), creating it at the program's cap, and
/// returns what is left under the cap.
pub(crate) async fn lock_year_cap(
    tx: &mut Tx,
    enterprise_id: &str,
    program_id: &str,
    year: i64,
    cap_fen: i64,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO enterprise_year_use (enterprise_id, program_id, year, used_fen, cap_fen) VALUES ($1, $2, $3, 0, $4) ON CONFLICT DO NOTHING",
    )
    .bind(enterprise_id)
    .bind(program_id)
    .bind(year)
    .bind(cap_fen)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(
        "UPDATE enterprise_year_use SET cap_fen = $4 WHERE enterprise_id = $1 AND program_id = $2 AND year = $3 RETURNING used_fen, cap_fen",
    )
    .bind(enterprise_id)
    .bind(program_id)
    .bind(year)
    .bind(cap_fen)
    .fetch_one(&mut **tx)
    .await?;
    let used: i64 = row.try_get(0)?;
    Ok((cap_fen - used).max(0))
}

pub(crate) async fn add_year_use(
    tx: &mut Tx,
    enterprise_id: &str,
    program_id: &str,
    year: i64,
    delta: i64,
) -> Result<()> {
    sqlx::query("UPDATE enterprise_year_use SET used_fen = used_fen + $1 WHERE enterprise_id = $2 AND program_id = $3 AND year = $4")
        .bind(delta)
        .bind(enterprise_id)
        .bind(program_id)
        .bind(year)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn redeem(
    tx: &mut Tx,
    actor: &Actor,
    input: &RedemptionInput,
    now: &Now,
) -> Result<Redemption> {
    if !matches!(actor.role, Role::Supplier | Role::Enterprise | Role::Admin) {
        return Err(StoreError::forbidden(
            "only a supplier, an enterprise or an administrator may redeem",
        ));
    }
    let invoice = InvoiceNumber::parse("invoice_number", &input.invoice_number)?;
    let amount = Money::positive("invoice_amount_fen", input.invoice_amount_fen)?;
    let invoice_date = parse_date("invoice_date", &input.invoice_date)?;
    validate_text("voucher_id", &input.voucher_id, 100)?;
    validate_text("product_id", &input.product_id, 100)?;

    let voucher = super::vouchers::load(tx, &input.voucher_id)
        .await
        .map_err(|_| {
            field_err(
                "voucher_id",
                "not_found",
                format!("voucher_id: no voucher {}", input.voucher_id),
            )
        })?;
    if actor
        .enterprise_scope()
        .is_some_and(|own| own != voucher.enterprise_id)
    {
        return Err(field_err(
            "voucher_id",
            "not_found",
            format!("voucher_id: no voucher {}", input.voucher_id),
        ));
    }
    let product = super::catalogue::load_product(tx, &input.product_id)
        .await
        .map_err(|_| {
            field_err(
                "product_id",
                "not_found",
                format!("product_id: no product {}", input.product_id),
            )
        })?;
    if actor
        .supplier_scope()
        .is_some_and(|own| own != product.supplier_id)
    {
        return Err(field_err(
            "product_id",
            "not_found",
            format!("product_id: no product {}", input.product_id),
        ));
    }
    let vtype = VoucherType::parse("voucher_type", &voucher.voucher_type)?;
    if vtype.product_kind().as_str() != product.kind {
        return Err(StoreError::conflict_field(
            "product_kind_mismatch",
            "product_id",
            format!(
                "product_id: a {} voucher cannot pay for a {} product",
                voucher.voucher_type, product.kind
            ),
        ));
    }
    if !super::catalogue::is_eligible(tx, &voucher.program_id, &product.id).await? {
        return Err(StoreError::conflict_field(
            "product_not_eligible",
            "product_id",
            "product_id: the product is not on this program's selected list",
        ));
    }
    if voucher.status != "active" || now.today.to_string() > voucher.valid_until {
        return Err(StoreError::conflict_field(
            "voucher_expired",
            "voucher_id",
            format!("voucher_id: the voucher expired on {}", voucher.valid_until),
        ));
    }
    if now.today.to_string() < voucher.valid_from {
        return Err(StoreError::conflict_field(
            "voucher_not_active",
            "voucher_id",
            format!(
                "voucher_id: the voucher is valid from {}",
                voucher.valid_from
            ),
        ));
    }
    let d = invoice_date.to_string();
    if d < voucher.valid_from || d > voucher.valid_until {
        return Err(field_err(
            "invoice_date",
            "outside_validity",
            format!(
                "invoice_date: {d} is outside the voucher's validity {} to {}",
                voucher.valid_from, voucher.valid_until
            ),
        ));
    }
    if d > now.today.to_string() {
        return Err(field_err(
            "invoice_date",
            "in_future",
            format!("invoice_date: {d} is in the future"),
        ));
    }
    let enterprise = super::enterprises::load(tx, &voucher.enterprise_id).await?;
    let supplier = super::catalogue::load_supplier(tx, &product.supplier_id).await?;
    if enterprise.dishonest || supplier.dishonest {
        return Err(StoreError::conflict(
            "dishonest",
            "a party to this redemption is on the dishonesty list",
        ));
    }
    let related = related_parties(
        &enterprise.legal_rep,
        &enterprise.shareholders,
        &supplier.legal_rep,
        &supplier.shareholders,
    );
    if !related.is_empty() {
        return Err(StoreError::conflict(
            "affiliated",
            format!(
                "the enterprise and the supplier are affiliated: {}",
                related.join("; ")
            ),
        ));
    }
    if sqlx::query("SELECT 1 FROM redemptions WHERE invoice_number = $1")
        .bind(invoice.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .is_some()
    {
        return Err(StoreError::conflict_field(
            "duplicate_invoice",
            "invoice_number",
            format!(
                "invoice_number: invoice {} has already been used",
                invoice.as_str()
            ),
        ));
    }
    let program = super::programs::load(tx, &voucher.program_id).await?;
    let rate = Rate::from_bps("rate_bps", program.rate_bps)?;

    let cap_left = lock_year_cap(
        tx,
        &enterprise.id,
        &program.id,
        program.year,
        program.enterprise_year_cap_fen,
    )
    .await?;
    let vacct = ledger::voucher_account(&voucher.id);
    let balance = super::lock_account(tx, &vacct).await?;
    let quote = quote_subsidy(
        amount,
        rate,
        Money::from_fen(balance.available()),
        Money::from_fen(cap_left),
    );
    if !quote.subsidy.is_positive() {
        let (code, msg) = match quote.capped_by {
            Some("enterprise_year_cap") => (
                "enterprise_year_cap",
                "the enterprise has reached this program's yearly cap",
            ),
            _ => ("voucher_exhausted", "the voucher has no balance left"),
        };
        return Err(StoreError::conflict_field(
            code,
            "voucher_id",
            format!("voucher_id: {msg}"),
        ));
    }
    let id = new_id("red");
    add_year_use(
        tx,
        &enterprise.id,
        &program.id,
        program.year,
        quote.subsidy.fen(),
    )
    .await?;
    ledger::apply(
        tx,
        &Transfer::single(
            format!("redeem:{id}"),
            &vacct,
            ledger::payable_account(&supplier.id),
            quote.subsidy.fen(),
            "redeem",
        ),
        &now.ts,
    )
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO redemptions (id, voucher_id, program_id, enterprise_id, supplier_id, product_id, invoice_number, invoice_amount_fen, invoice_date, \
         subsidy_fen, enterprise_pays_fen, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'payable', $12, $13)",
    )
    .bind(&id)
    .bind(&voucher.id)
    .bind(&program.id)
    .bind(&enterprise.id)
    .bind(&supplier.id)
    .bind(&product.id)
    .bind(invoice.as_str())
    .bind(amount.fen())
    .bind(&d)
    .bind(quote.subsidy.fen())
    .bind(quote.enterprise_pays.fen())
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await;
    if let Err(e) = inserted {
        let e = StoreError::from(e);
        // Two requests raced with the same invoice: the unique index lets only one in.
        return Err(if e.is_unique_violation() {
            StoreError::conflict_field(
                "duplicate_invoice",
                "invoice_number",
                format!(
                    "invoice_number: invoice {} has already been used",
                    invoice.as_str()
                ),
            )
        } else {
            e
        });
    }
    let r = load(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "redemption.create",
        &id,
        "null",
        &to_json(&r),
        &now.ts,
    )
    .await?;
    Ok(r)
}

pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<Redemption> {
    let sql = format!(
        "SELECT {} FROM {} WHERE r.id = $1",
        Redemption::COLUMNS,
        Redemption::FROM
    );
    fetch_one_opt(tx, &sql, id, Redemption::from_row)
        .await?
        .ok_or_else(|| not_found("redemption"))
}

pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Redemption> {
    let sql = format!(
        "SELECT {} FROM {} WHERE r.id = $1",
        Redemption::COLUMNS,
        Redemption::FROM
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    let r = row
        .as_ref()
        .map(Redemption::from_row)
        .transpose()?
        .ok_or_else(|| not_found("redemption"))?;
    if actor
        .enterprise_scope()
        .is_some_and(|own| own != r.enterprise_id)
        || actor
            .supplier_scope()
            .is_some_and(|own| own != r.supplier_id)
    {
        return Err(not_found("redemption"));
    }
    Ok(r)
}

#[derive(Debug, Default, Clone)]
pub struct RedemptionQuery {
    pub voucher_id: Option<String>,
    pub supplier_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub program_id: Option<String>,
    pub status: Option<String>,
}

pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &RedemptionQuery,
    page: PageReq,
) -> Result<Page<Redemption>> {
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("r.enterprise_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.supplier_scope() {
        f.add("r.supplier_id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("r.voucher_id", q.voucher_id.as_deref())
        .eq_opt("r.supplier_id", q.supplier_id.as_deref())
        .eq_opt("r.enterprise_id", q.enterprise_id.as_deref())
        .eq_opt("r.program_id", q.program_id.as_deref())
        .eq_opt("r.status", q.status.as_deref());
    fetch_page(
        store,
        Redemption::COLUMNS,
        Redemption::FROM,
        &f,
        "r.created_at DESC, r.id",
        page,
        Redemption::from_row,
    )
    .await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClawbackInput {
    pub reason: String,
}

/// Reverses a redemption: the subsidy goes back to the voucher (so balance = face − redemptions
/// + reversals holds), and, if the voucher is no longer active, on to the funding sources.
pub async fn clawback(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    input: &ClawbackInput,
    now: &Now,
) -> Result<Redemption> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden("only an administrator may claw back"));
    }
    let reason = validate_text("reason", &input.reason, 2000)?;
    sqlx::query("UPDATE redemptions SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load(tx, id).await?;
    let status = quan_domain::RedemptionStatus::parse(&before.status)
        .ok_or_else(|| StoreError::Corrupt(format!("redemption status {}", before.status)))?;
    let next = status
        .apply(quan_domain::RedemptionEvent::Clawback)
        .map_err(|e| StoreError::conflict("invalid_state", e.to_string()))?;
    let program = super::programs::load(tx, &before.program_id).await?;
    add_year_use(
        tx,
        &before.enterprise_id,
        &program.id,
        program.year,
        -before.subsidy_fen,
    )
    .await?;
    let from = if before.status == "settled" {
        ledger::settled_account(&before.supplier_id)
    } else {
        ledger::payable_account(&before.supplier_id)
    };
    ledger::apply(
        tx,
        &Transfer::single(
            format!("clawback:{id}"),
            from,
            ledger::voucher_account(&before.voucher_id),
            before.subsidy_fen,
            "clawback",
        ),
        &now.ts,
    )
    .await?;
    sqlx::query("UPDATE redemptions SET status = $1, clawback_reason = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(&reason)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let voucher = super::vouchers::load(tx, &before.voucher_id).await?;
    if voucher.status != "active" {
        super::vouchers::release_remainder(tx, &voucher.id, &format!("clawback-{id}"), now).await?;
    }
    let after = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "redemption.clawback",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}
