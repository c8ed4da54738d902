//! Vouchers: balances live in the ledger (`voucher:<id>`); expiry releases the unspent value to
//! the funding sources in proportion to what each put in.
use quan_domain::{plan_expiry, AccountId, ExpiryFacts, Money};
use sqlx::Row;

use super::{fetch_one_opt, fetch_page, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::Result;
use crate::ledger;
use crate::rows::Decode;
use crate::rows::{Page, Voucher};
use crate::{Actor, Role, Store};

pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<Voucher> {
    let sql = format!(
        "SELECT {} FROM {} WHERE v.id = $1",
        Voucher::COLUMNS,
        Voucher::FROM
    );
    fetch_one_opt(tx, &sql, id, Voucher::from_row)
        .await?
        .ok_or_else(|| not_found("voucher"))
}

/// An enterprise sees its own vouchers; a supplier only vouchers it has been paid from
/// (redemptions or metered usage); staff roles see all.
async fn visible(store: &Store, actor: &Actor, v: &Voucher) -> Result<bool> {
    Ok(match actor.role {
        Role::Enterprise => actor.enterprise_id.as_deref() == Some(v.enterprise_id.as_str()),
        Role::Supplier => {
            let own = actor.supplier_id.as_deref().unwrap_or("-");
            sqlx::query("SELECT 1 FROM redemptions WHERE voucher_id = $1 AND supplier_id = $2 UNION SELECT 1 FROM usage_voucher_suppliers WHERE voucher_id = $1 AND supplier_id = $2")
                .bind(v.id.as_str())
                .bind(own)
                .fetch_optional(store.reader())
                .await?
                .is_some()
        }
        _ => true,
    })
}

pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Voucher> {
    let sql = format!(
        "SELECT {} FROM {} WHERE v.id = $1",
        Voucher::COLUMNS,
        Voucher::FROM
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    let v = row
        .as_ref()
        .map(Voucher::from_row)
        .transpose()?
        .ok_or_else(|| not_found("voucher"))?;
    if !visible(store, actor, &v).await? {
        return Err(not_found("voucher"));
    }
    Ok(v)
}

#[derive(Debug, Default, Clone)]
pub struct VoucherQuery {
    /// Days from and to (inclusive) of the day it was issued.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub enterprise_id: Option<String>,
    pub program_id: Option<String>,
    pub status: Option<String>,
    pub voucher_type: Option<String>,
    /// Part of the number, a name or (where shown) the USCC or invoice number; any case.
    pub q: Option<String>,
}

/// Sort keys of the voucher list.
pub const SORTS: &[super::SortKey] = &[
    ("id", "v.id"),
    ("number", "v.number"),
    ("face_value_fen", "v.face_value_fen"),
    ("balance_fen", "la.balance"),
    ("valid_until", "v.valid_until"),
    ("issued_at", "v.issued_at"),
    ("status", "v.status"),
];

pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &VoucherQuery,
    page: PageReq,
) -> Result<Page<Voucher>> {
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("v.enterprise_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.supplier_scope() {
        // A supplier lists the vouchers it has redeemed against.
        f.add_many(
            "v.id IN (SELECT voucher_id FROM redemptions WHERE supplier_id = ? UNION SELECT voucher_id FROM usage_voucher_suppliers WHERE supplier_id = ?)",
            vec![Arg::S(own.to_string()), Arg::S(own.to_string())],
        );
    }
    f.eq_opt("v.enterprise_id", q.enterprise_id.as_deref())
        .eq_opt("v.program_id", q.program_id.as_deref())
        .eq_opt("v.status", q.status.as_deref())
        .eq_opt("v.voucher_type", q.voucher_type.as_deref())
        .contains_any(&["v.number", "e.name"], q.q.as_deref())
        .day_range("v.issued_at", q.from, q.to);
    fetch_page(
        store,
        Voucher::COLUMNS,
        Voucher::FROM,
        &f,
        "v.issued_at DESC, v.id",
        page,
        Voucher::from_row,
    )
    .await
}

/// Expires a voucher after its validity window (`quan_domain::plan_expiry`): no more
/// spending, unspent value released.
pub async fn expire(tx: &mut Tx, actor: &Actor, id: &str, now: &Now) -> Result<Voucher> {
    sqlx::query("UPDATE vouchers SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load(tx, id).await?;
    let vacct = AccountId::Voucher(id.into());
    let bal = ledger::lock_account(tx, &vacct).await?;
    let v = super::redemptions::voucher_facts(&before, Money::from_fen(bal.available()))?;
    let facts = ExpiryFacts {
        id: v.id,
        status: v.status,
        valid_until: v.valid_until,
        today: now.today,
        available: v.available,
        funded: ledger::funded_by(tx, &vacct).await?,
    };
    let plan = plan_expiry(&facts)?;
    sqlx::query("UPDATE vouchers SET status = $1 WHERE id = $2")
        .bind(plan.next.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    let after = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "voucher.expire",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

pub async fn due_for_expiry(store: &Store, now: &Now, limit: i64) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT id FROM vouchers WHERE status = 'active' AND valid_until < $1 ORDER BY valid_until LIMIT $2")
        .bind(now.today.to_string())
        .bind(limit)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// The public check of a voucher by its number (`SD-VC-…`); an unknown number is a 404.
pub async fn verify(
    store: &Store,
    number: &str,
) -> Result<quan_domain::views::VoucherVerification> {
    let sql = format!(
        "SELECT {} FROM {} WHERE v.number = $1",
        Voucher::COLUMNS,
        Voucher::FROM
    );
    let v = sqlx::query(&sql)
        .bind(number.trim().to_uppercase())
        .fetch_optional(store.reader())
        .await?
        .as_ref()
        .map(Voucher::from_row)
        .transpose()?
        .ok_or_else(|| not_found("voucher"))?;
    Ok(quan_domain::views::VoucherVerification {
        number: v.number,
        program_name: v.program_name,
        voucher_type: v.voucher_type,
        holder_name: v.enterprise_name,
        face_value_fen: v.face_value_fen,
        valid_from: v.valid_from,
        valid_until: v.valid_until,
        status: v.status,
        issued_on: v.issued_at.chars().take(10).collect(),
    })
}
