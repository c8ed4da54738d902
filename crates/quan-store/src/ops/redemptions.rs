//! Invoice-based redemption and clawback.
//!
//! Lock order inside a redemption (the same everywhere, so concurrent transactions queue rather
//! than deadlock): the actual-controller group's row (under a group cap), the enterprise's
//! yearly-cap row, the voucher account, the supplier's payable account, the contract row, the
//! audit head.
pub use quan_domain::inputs::{ClawbackInput, RedemptionInput};
use quan_domain::{
    validate_text, AccountId, ClawbackFacts, Listing, Money, PartyFacts, ProductFacts, ProductKind,
    Rate, RedemptionFacts, RedemptionId, RedemptionPlan, RedemptionRequest, RedemptionTerms,
    VoucherFacts,
};
use sqlx::Row;

use super::{
    counters, fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq,
};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Decode;
use crate::rows::{Page, Redemption, RedemptionPreview};
use crate::{Actor, Role, Store};

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

/// Invoice redemption: facts (voucher, product, parties, caps — the cap row and the voucher
/// account locked in the global order), then `quan_domain::plan_redemption`, then the writes.
pub async fn redeem(
    tx: &mut Tx,
    actor: &Actor,
    req: &RedemptionRequest,
    now: &Now,
) -> Result<Redemption> {
    if !matches!(actor.role, Role::Supplier | Role::Enterprise | Role::Admin) {
        return Err(StoreError::forbidden(
            "only a supplier, an enterprise or an administrator may redeem",
        ));
    }
    let facts = redemption_facts(tx, actor, req, now).await?;
    let plan = quan_domain::plan_redemption(req, &facts, RedemptionId::new(new_id("red")))?;
    apply_redemption(tx, actor, req, &plan, now).await
}

/// What `redeem` would do with `req`, by the same facts and plan, in a transaction that is
/// rolled back: nothing is written, and a refusal is the same error the redemption would get.
pub async fn preview(
    store: &Store,
    actor: &Actor,
    req: &RedemptionRequest,
    now: &Now,
) -> Result<RedemptionPreview> {
    if !matches!(actor.role, Role::Supplier | Role::Enterprise | Role::Admin) {
        return Err(StoreError::forbidden(
            "only a supplier, an enterprise or an administrator may redeem",
        ));
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = store.begin().await?;
        let r = preview_in(&mut tx, actor, req, now).await;
        let _ = tx.rollback().await;
        match r {
            Err(e) if attempt < 8 && e.is_retryable() => continue,
            r => return r,
        }
    }
}

async fn preview_in(
    tx: &mut Tx,
    actor: &Actor,
    req: &RedemptionRequest,
    now: &Now,
) -> Result<RedemptionPreview> {
    let facts = redemption_facts(tx, actor, req, now).await?;
    let plan = quan_domain::plan_redemption(req, &facts, RedemptionId::new(new_id("red")))?;
    let balance = facts
        .voucher
        .as_ref()
        .map(|v| v.available)
        .unwrap_or_default();
    let voucher = super::vouchers::load(tx, plan.voucher_id.as_str()).await?;
    Ok(RedemptionPreview {
        voucher_id: plan.voucher_id.clone(),
        program_id: plan.program_id.clone(),
        program_name: voucher.program_name,
        voucher_type: plan.voucher_type,
        enterprise_id: plan.enterprise_id.clone(),
        enterprise_name: voucher.enterprise_name,
        invoice_amount_fen: req.invoice_amount,
        balance_fen: balance,
        subsidy_fen: plan.subsidy,
        enterprise_pays_fen: plan.enterprise_pays,
        balance_after_fen: Money::from_fen(balance.fen() - plan.subsidy.fen()),
        payee: plan.payee.kind().to_string(),
        hold: plan.hold,
    })
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// The voucher row as the plans read it.
pub(crate) fn voucher_facts(v: &crate::rows::Voucher, available: Money) -> Result<VoucherFacts> {
    Ok(VoucherFacts {
        id: v.id.clone(),
        enterprise_id: v.enterprise_id.clone(),
        program_id: v.program_id.clone(),
        voucher_type: v.voucher_type,
        status: v.status,
        valid_from: v.valid_from,
        valid_until: v.valid_until,
        available,
    })
}

fn party(
    legal_rep: &str,
    shareholders: &[String],
    actual_controller: &str,
    listing: Option<Listing>,
) -> PartyFacts {
    PartyFacts {
        listing,
        legal_rep: legal_rep.to_string(),
        shareholders: shareholders.to_vec(),
        actual_controller: actual_controller.to_string(),
        superseded: Vec::new(),
    }
}

async fn redemption_facts(
    tx: &mut Tx,
    actor: &Actor,
    req: &RedemptionRequest,
    now: &Now,
) -> Result<RedemptionFacts> {
    let voucher = super::vouchers::load(tx, req.voucher_id.as_str())
        .await
        .ok();
    let product = super::catalogue::load_product(tx, req.product_id.as_str())
        .await
        .ok();
    let mut facts = RedemptionFacts {
        today: now.today,
        scope: actor.scope(),
        voucher: None,
        product: None,
        terms: None,
    };
    let Some(voucher) = voucher else {
        return Ok(facts);
    };
    let Some(product) = product else {
        // Nothing will be written: the plan refuses for the missing product.
        facts.voucher = Some(voucher_facts(&voucher, Money::ZERO)?);
        return Ok(facts);
    };
    let kind = ProductKind::parse("kind", &product.kind).map_err(|e| corrupt("product", e))?;
    facts.product = Some(ProductFacts {
        id: product.id.as_str().into(),
        supplier_id: product.supplier_id.as_str().into(),
        kind,
        suspended: product
            .suspended
            .then(|| product.suspend_reason.clone().unwrap_or_default()),
    });
    // The file is read under its share lock (before every other lock, as a change approval
    // takes it), with the versions replaced since the invoice date.
    super::enterprises::hold_files(tx, &[voucher.enterprise_id.as_str()]).await?;
    let enterprise = super::enterprises::load(tx, voucher.enterprise_id.as_str()).await?;
    let superseded =
        super::enterprises::superseded_since(tx, &[enterprise.id.as_str()], req.invoice_date)
            .await?
            .remove(enterprise.id.as_str())
            .unwrap_or_default();
    let supplier = super::catalogue::load_supplier(tx, &product.supplier_id).await?;
    let program = super::programs::load(tx, voucher.program_id.as_str()).await?;
    let invoice_used = sqlx::query("SELECT 1 FROM redemptions WHERE invoice_number = $1")
        .bind(req.invoice.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    let product_eligible =
        super::catalogue::is_eligible(tx, voucher.program_id.as_str(), &product.id).await?;
    let policy = quan_domain::ProgramPolicy::parse(
        &program.policy,
        Rate::from_bps("rate_bps", program.rate_bps).map_err(|e| corrupt("program", e))?,
    )
    .map_err(|e| corrupt("program", e))?;
    // Locks: the group's row (under a group cap), the type's row (always: every payment moves
    // it), the yearly-cap row, then the voucher account.
    let controller = enterprise.actual_controller.trim();
    let group_cap_left = match policy.group_cap {
        Some(cap) if !controller.is_empty() => {
            let key = (program.id.clone(), controller.to_string(), program.year);
            Some(lock_left(tx, &counters::GROUP_USE, key, cap).await?)
        }
        _ => None,
    };
    let type_used = counters::lock_one(
        tx,
        &counters::TYPE_USE,
        type_key(&enterprise.id, voucher.voucher_type, program.year),
    )
    .await?;
    let type_cap_left = policy
        .type_year_cap
        .map(|cap| Money::from_fen((cap.fen() - type_used).max(0)));
    let cap_left = lock_year_cap(
        tx,
        &enterprise.id,
        &program.id,
        program.year,
        program.enterprise_year_cap_fen,
    )
    .await?;
    // The voucher account, then the supplier's payable (the order metered usage locks them in),
    // so the supplier cap and the split window are read while no other payment to it can land.
    let balance = ledger::lock_account(tx, &AccountId::Voucher(voucher.id.as_str().into())).await?;
    ledger::open_account(tx, &AccountId::Payable(product.supplier_id.as_str().into())).await?;
    ledger::lock_account(tx, &AccountId::Payable(product.supplier_id.as_str().into())).await?;
    let supplier_paid = supplier_paid(tx, &program.id, &product.supplier_id).await?;
    let (split_earlier, split_earlier_count) = match policy.split {
        Some(rule) => {
            split_window(
                tx,
                &enterprise.id,
                &product.supplier_id,
                req.invoice_date,
                rule.window_days,
            )
            .await?
        }
        None => (Money::ZERO, 0),
    };
    facts.voucher = Some(voucher_facts(
        &voucher,
        Money::from_fen(balance.available()),
    )?);
    facts.terms = Some(RedemptionTerms {
        product_eligible,
        enterprise: PartyFacts {
            superseded,
            ..party(
                &enterprise.legal_rep,
                &enterprise.shareholders,
                &enterprise.actual_controller,
                super::integrity::listing_on(tx, &enterprise.id, now.today).await?,
            )
        },
        supplier: party(
            &supplier.legal_rep,
            &supplier.shareholders,
            &supplier.actual_controller,
            super::integrity::listing_on(tx, &supplier.id, now.today).await?,
        ),
        invoice_used,
        rate: Rate::from_bps("rate_bps", program.rate_bps).map_err(|e| corrupt("program", e))?,
        program_year: program.year,
        year_cap_left: Money::from_fen(cap_left),
        policy,
        enterprise_pilot_zone: enterprise.pilot_zone,
        supplier_paid,
        split_earlier,
        split_earlier_count,
        metered_same_month: metered_in_month(tx, &enterprise.id, &product.id, req.invoice_date)
            .await?,
        // Last in the lock order: the contract row, so two claims on one contract queue.
        contract: match &req.contract_id {
            Some(c) => super::contracts::claim_facts(tx, c, &program.id).await?,
            None => None,
        },
        group_cap_left,
        type_cap_left,
    });
    Ok(facts)
}

/// Locks a yearly use counter's row and returns what is left of `cap` under it.
async fn lock_left(
    tx: &mut Tx,
    c: &counters::Counter,
    key: counters::Key,
    cap: Money,
) -> Result<Money> {
    let used = counters::lock_one(tx, c, key).await?;
    Ok(Money::from_fen((cap.fen() - used).max(0)))
}

/// The counter of what the enterprise received this year from programs of the voucher type.
fn type_key(enterprise: &str, voucher_type: quan_domain::VoucherType, year: i64) -> counters::Key {
    (
        enterprise.to_string(),
        voucher_type.as_str().to_string(),
        year,
    )
}

/// Whether the enterprise has metered usage of the product ending in the month of `date`.
async fn metered_in_month(
    tx: &mut Tx,
    enterprise: &str,
    product: &str,
    date: chrono::NaiveDate,
) -> Result<bool> {
    let first = chrono::Datelike::with_day(&date, 1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    Ok(sqlx::query(
        "SELECT 1 FROM usage_records WHERE enterprise_id = $1 AND product_id = $2 AND ended_at >= $3 AND ended_at < $4 LIMIT 1",
    )
    .bind(enterprise)
    .bind(product)
    .bind(first.to_string())
    .bind(next.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Subsidy of the supplier in the program not clawed back: invoices and metered usage.
pub(crate) async fn supplier_paid(tx: &mut Tx, program: &str, supplier: &str) -> Result<Money> {
    let row = sqlx::query(
        "SELECT CAST((SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE program_id = $1 AND supplier_id = $2 AND status <> 'clawed_back') + \
         (SELECT COALESCE(SUM(u.subsidy_fen), 0) FROM usage_records u JOIN vouchers v ON v.id = u.voucher_id WHERE v.program_id = $1 AND u.supplier_id = $2) AS BIGINT)",
    )
    .bind(program)
    .bind(supplier)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Money::from_fen(row.try_get(0)?))
}

/// Sum and count of the enterprise's invoices to the supplier dated within `days` before
/// `date` (inclusive), not clawed back.
async fn split_window(
    tx: &mut Tx,
    enterprise: &str,
    supplier: &str,
    date: chrono::NaiveDate,
    days: u32,
) -> Result<(Money, i64)> {
    let from = date - chrono::Duration::days(i64::from(days) - 1);
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(invoice_amount_fen), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM redemptions \
         WHERE enterprise_id = $1 AND supplier_id = $2 AND invoice_date >= $3 AND invoice_date <= $4 AND status <> 'clawed_back'",
    )
    .bind(enterprise)
    .bind(supplier)
    .bind(from.to_string())
    .bind(date.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok((Money::from_fen(row.try_get(0)?), row.try_get(1)?))
}

async fn apply_redemption(
    tx: &mut Tx,
    actor: &Actor,
    req: &RedemptionRequest,
    plan: &RedemptionPlan,
    now: &Now,
) -> Result<Redemption> {
    let id = plan.id.as_str();
    add_year_use(
        tx,
        plan.enterprise_id.as_str(),
        plan.program_id.as_str(),
        plan.year,
        plan.subsidy.fen(),
    )
    .await?;
    if let Some(g) = &plan.group {
        let key = (plan.program_id.to_string(), g.clone(), plan.year);
        counters::add_one(tx, &counters::GROUP_USE, key, plan.subsidy.fen()).await?;
    }
    let key = type_key(plan.enterprise_id.as_str(), plan.voucher_type, plan.year);
    counters::add_one(tx, &counters::TYPE_USE, key, plan.subsidy.fen()).await?;
    ledger::open_account(tx, &plan.payee.payable()).await?;
    ledger::post(tx, &plan.posting, &now.ts).await?;
    let number = super::numbers::next(tx, quan_domain::DocumentKind::Redemption, now).await?;
    let inserted = sqlx::query(
        "INSERT INTO redemptions (id, voucher_id, program_id, enterprise_id, supplier_id, product_id, invoice_number, invoice_amount_fen, invoice_date, \
         subsidy_fen, enterprise_pays_fen, status, created_by, created_at, hold_reason, payee_kind, contract_id, payment_proof, delivery_proof, \
         controller_group, hold_detail, number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(id)
    .bind(plan.voucher_id.as_str())
    .bind(plan.program_id.as_str())
    .bind(plan.enterprise_id.as_str())
    .bind(plan.supplier_id.as_str())
    .bind(req.product_id.as_str())
    .bind(req.invoice.as_str())
    .bind(req.invoice_amount.fen())
    .bind(req.invoice_date.to_string())
    .bind(plan.subsidy.fen())
    .bind(plan.enterprise_pays.fen())
    .bind(if plan.hold.is_some() { "held" } else { "payable" })
    .bind(&actor.user_id)
    .bind(&now.ts)
    .bind(plan.hold.as_ref().map(|h| h.text()))
    .bind(plan.payee.kind())
    .bind(req.contract_id.as_ref().map(|c| c.as_str()))
    .bind(&req.payment_proof)
    .bind(&req.delivery_proof)
    .bind(&plan.group)
    .bind(plan.hold.as_ref().map(|h| to_json(h).to_string()))
    .bind(&number)
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
                    req.invoice
                ),
            )
        } else {
            e
        });
    }
    let r = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "redemption.create",
        id,
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
        .is_some_and(|own| own != r.enterprise_id.as_str())
        || actor
            .supplier_scope()
            .is_some_and(|own| own != r.supplier_id.as_str())
    {
        return Err(not_found("redemption"));
    }
    Ok(r)
}

#[derive(Debug, Default, Clone)]
pub struct RedemptionQuery {
    /// Days from and to (inclusive) of the invoice date.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub voucher_id: Option<String>,
    pub supplier_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub program_id: Option<String>,
    pub status: Option<String>,
    /// Part of the number, a name or (where shown) the USCC or invoice number; any case.
    pub q: Option<String>,
}

/// Sort keys of the redemption list.
pub const SORTS: &[super::SortKey] = &[
    ("id", "r.id"),
    ("number", "r.number"),
    ("invoice_date", "r.invoice_date"),
    ("invoice_amount_fen", "r.invoice_amount_fen"),
    ("subsidy_fen", "r.subsidy_fen"),
    ("created_at", "r.created_at"),
    ("status", "r.status"),
];

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
        .eq_opt("r.status", q.status.as_deref())
        .contains_any(
            &["r.number", "r.invoice_number", "e.name", "s.name"],
            q.q.as_deref(),
        )
        .day_range("r.invoice_date", q.from, q.to);
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

/// Reverses a redemption (`quan_domain::plan_clawback`): the subsidy goes back to the funding
/// sources in the shares that funded the voucher, never to the voucher; a settled one leaves the
/// supplier owing it (its receivable, offset at its next settlement).
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
    let funded =
        ledger::funded_by(tx, &AccountId::Voucher(before.voucher_id.as_str().into())).await?;
    let facts = ClawbackFacts {
        id: before.id.as_str().into(),
        status: before.status,
        subsidy: before.subsidy_fen,
        voucher_id: before.voucher_id.as_str().into(),
        payee: quan_domain::Payee::of(&before.payee, &before.supplier_id, &before.enterprise_id),
        funded,
    };
    let plan = quan_domain::plan_clawback(&facts)?;
    let program = super::programs::load(tx, before.program_id.as_str()).await?;
    // Lock order as in a redemption: the group's row, the type's row, then the yearly-cap row. The group is the
    // one it counted against when it was paid, whatever the file says now.
    let group: Option<String> =
        sqlx::query("SELECT controller_group FROM redemptions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    let released = plan.year_use_released.fen();
    if let Some(g) = group {
        let key = (program.id.clone(), g, program.year);
        counters::add_one(tx, &counters::GROUP_USE, key, -released).await?;
    }
    let vt = quan_domain::VoucherType::parse("voucher_type", &program.voucher_type)
        .map_err(|e| corrupt("program", e))?;
    let key = type_key(before.enterprise_id.as_str(), vt, program.year);
    counters::add_one(tx, &counters::TYPE_USE, key, -released).await?;
    add_year_use(
        tx,
        before.enterprise_id.as_str(),
        &program.id,
        program.year,
        -plan.year_use_released.fen(),
    )
    .await?;
    if plan.receivable.is_positive() {
        ledger::open_account(tx, &facts.payee.receivable()).await?;
    }
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    sqlx::query("UPDATE redemptions SET status = $1, clawback_reason = $2 WHERE id = $3")
        .bind(plan.next.as_str())
        .bind(&reason)
        .bind(id)
        .execute(&mut **tx)
        .await?;
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

/// Releases a held redemption (a suspected split purchase an administrator checked): it becomes
/// payable and the next settlement pays it. Rejecting it is a clawback.
pub async fn release(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    note: &str,
    now: &Now,
) -> Result<Redemption> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may release a held redemption",
        ));
    }
    let note = validate_text("reason", note, 2000)?;
    sqlx::query("UPDATE redemptions SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load(tx, id).await?;
    let next = before
        .status
        .apply(quan_domain::RedemptionEvent::Release)
        .map_err(|e| StoreError::conflict("invalid_state", e.to_string()))?;
    sqlx::query("UPDATE redemptions SET status = $1, release_note = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(&note)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let after = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "redemption.release",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}
