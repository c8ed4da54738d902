//! Steps 3 and 4 of a round: the locks, in the global order used everywhere (yearly-cap rows →
//! voucher accounts → the supplier's payable account → audit head), each class sorted, so
//! concurrent batches and invoice redemptions from several server processes queue instead of
//! deadlocking; then, under them, what is already committed: the records' ids, the months
//! claimed by invoice, and what is left of each program's supplier cap.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use quan_domain::AccountId;
use sqlx::Row;

use super::super::super::counters;
use super::super::super::rowset::{self, exec_rows, Val};
use super::facts::Facts;
use super::resolve::Resolved;
use crate::db::Tx;
use crate::error::Result;
use crate::ledger;

/// What a round holds locked, and what it read under the locks.
pub(super) struct Held {
    /// (enterprise, program, year) → the program's yearly cap.
    pub cap_keys: BTreeMap<counters::Key, i64>,
    /// What is left of each yearly cap.
    pub cap_left: HashMap<counters::Key, i64>,
    pub voucher_set: BTreeSet<String>,
    pub group_used: HashMap<counters::Key, i64>,
    pub type_used: HashMap<counters::Key, i64>,
    /// Each voucher's balance.
    pub available: HashMap<String, i64>,
    /// Record ids already committed for this supplier.
    pub existing: HashSet<String>,
    /// (enterprise, product, month) already claimed by invoice.
    pub invoiced: HashSet<(String, String, String)>,
    /// program → what is left of its supplier cap.
    pub supplier_left: HashMap<String, i64>,
}

/// Takes the round's locks and reads what it decides from under them.
pub(super) async fn take(
    tx: &mut Tx,
    pg: bool,
    supplier_id: &str,
    f: &Facts,
    resolved: &[Resolved<'_>],
) -> Result<Held> {
    let mut cap_keys: BTreeMap<counters::Key, i64> = BTreeMap::new();
    let mut voucher_set: BTreeSet<String> = BTreeSet::new();
    for r in resolved {
        for vid in &r.options {
            cap_keys.insert(
                f.year_key(vid),
                f.programs[&f.vouchers[vid].program_id].cap_fen,
            );
            voucher_set.insert(vid.clone());
        }
    }
    // The group's and the type's rows come before the yearly-cap rows (the order invoice
    // redemption takes them in). The type's row is moved by every payment, so it is always locked.
    let group_keys: BTreeSet<counters::Key> =
        voucher_set.iter().filter_map(|v| f.group_of(v)).collect();
    let type_keys: BTreeSet<counters::Key> = voucher_set.iter().map(|v| f.type_of(v)).collect();
    let group_used = counters::lock(tx, &counters::GROUP_USE, &group_keys).await?;
    let type_used = counters::lock(tx, &counters::TYPE_USE, &type_keys).await?;
    let cap_left = lock_year_caps(tx, pg, &cap_keys).await?;
    let available = ledger::lock_vouchers_available(tx, pg, &voucher_set).await?;
    let mut held = Held {
        cap_keys,
        cap_left,
        voucher_set,
        group_used,
        type_used,
        available,
        existing: HashSet::new(),
        invoiced: HashSet::new(),
        supplier_left: HashMap::new(),
    };
    if resolved.is_empty() {
        return Ok(held);
    }
    ledger::lock_account(tx, &AccountId::Payable(supplier_id.into())).await?;
    held.existing = committed_records(tx, pg, supplier_id, resolved).await?;
    held.invoiced = invoiced_months(tx, supplier_id, resolved).await?;
    // The per-supplier cap of each program that has one: what is left of it, read under the
    // supplier's payable lock (as invoice redemption reads it).
    for (id, p) in f
        .programs
        .iter()
        .filter(|(_, p)| p.supplier_cap_fen.is_some())
    {
        let paid = super::super::super::redemptions::supplier_paid(tx, id, supplier_id).await?;
        let cap = p.supplier_cap_fen.unwrap_or_default();
        held.supplier_left
            .insert(id.clone(), (cap - paid.fen()).max(0));
    }
    Ok(held)
}

/// Locks the yearly-cap rows and answers what is left of each cap.
async fn lock_year_caps(
    tx: &mut Tx,
    pg: bool,
    cap_keys: &BTreeMap<counters::Key, i64>,
) -> Result<HashMap<counters::Key, i64>> {
    let mut cap_left = HashMap::new();
    if cap_keys.is_empty() {
        return Ok(cap_left);
    }
    let rows: Vec<[Val; 5]> = cap_keys
        .iter()
        .map(|((e, p, y), cap)| {
            [
                Val::Text(e),
                Val::Text(p),
                Val::Int(*y),
                Val::Int(0),
                Val::Int(*cap),
            ]
        })
        .collect();
    // PostgreSQL: create missing rows first, so that they can be locked. SQLite has one
    // writer; a missing row means nothing used yet, and the upsert in apply creates it.
    if pg {
        exec_rows(tx, pg, &rows, true, |v| {
            format!("INSERT INTO enterprise_year_use (enterprise_id, program_id, year, used_fen, cap_fen) {v} ON CONFLICT DO NOTHING")
        })
        .await?;
    }
    let ents: Vec<&str> = cap_keys
        .keys()
        .map(|k| k.0.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let progs: Vec<&str> = cap_keys
        .keys()
        .map(|k| k.1.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let cap_rows = if pg {
        sqlx::query(
            "SELECT enterprise_id, program_id, year, used_fen FROM enterprise_year_use \
             WHERE enterprise_id IN (SELECT unnest(CAST($1 AS text[]))) AND program_id IN (SELECT unnest(CAST($2 AS text[]))) \
             ORDER BY enterprise_id, program_id, year FOR UPDATE",
        )
        .bind(rowset::pg_text_array(ents.iter().map(|s| Some(*s))))
        .bind(rowset::pg_text_array(progs.iter().map(|s| Some(*s))))
        .fetch_all(&mut **tx)
        .await?
    } else {
        // Programs are few; they follow the chunk of enterprises in the parameter list.
        let mut rows = Vec::new();
        let mut at = 0;
        for n in rowset::chunks(ents.len(), 1) {
            let sql = format!(
                "SELECT enterprise_id, program_id, year, used_fen FROM enterprise_year_use WHERE enterprise_id IN ({}) AND program_id IN ({})",
                rowset::in_list(false, n, 1),
                rowset::in_list(false, progs.len(), n + 1),
            );
            let q = rowset::bind_all(
                sqlx::query(&sql),
                ents[at..at + n]
                    .iter()
                    .chain(progs.iter())
                    .map(|s| Val::Text(s)),
            );
            rows.extend(q.fetch_all(&mut **tx).await?);
            at += n;
        }
        rows
    };
    for r in cap_rows {
        let key: counters::Key = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        if let Some(cap) = cap_keys.get(&key) {
            let used: i64 = r.try_get(3)?;
            cap_left.insert(key, (cap - used).max(0));
        }
    }
    for (key, cap) in cap_keys {
        cap_left.entry(key.clone()).or_insert(*cap);
    }
    Ok(cap_left)
}

/// The record ids of the round already committed for the supplier.
async fn committed_records(
    tx: &mut Tx,
    pg: bool,
    supplier_id: &str,
    resolved: &[Resolved<'_>],
) -> Result<HashSet<String>> {
    let ids: Vec<&str> = resolved
        .iter()
        .map(|r| r.cand.rec.record_id.as_str())
        .collect();
    let found = if pg {
        sqlx::query(
            "SELECT record_id FROM usage_records WHERE supplier_id = $1 AND record_id IN (SELECT unnest(CAST($2 AS text[])))",
        )
        .bind(supplier_id)
        .bind(rowset::pg_text_array(ids.iter().map(|s| Some(*s))))
        .fetch_all(&mut **tx)
        .await?
    } else {
        let mut rows = Vec::new();
        let mut at = 0;
        for n in rowset::chunks(ids.len(), 1) {
            let sql = format!(
                "SELECT record_id FROM usage_records WHERE supplier_id = ? AND record_id IN ({})",
                rowset::in_list(false, n, 2)
            );
            let q = rowset::bind_all(
                sqlx::query(&sql).bind(supplier_id),
                ids[at..at + n].iter().map(|s| Val::Text(s)),
            );
            rows.extend(q.fetch_all(&mut **tx).await?);
            at += n;
        }
        rows
    };
    found.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// No double subsidy: the (enterprise, product, month) an enterprise already claimed by invoice
/// in the round's months (read under the supplier's payable lock, which invoice redemption
/// takes too).
async fn invoiced_months(
    tx: &mut Tx,
    supplier_id: &str,
    resolved: &[Resolved<'_>],
) -> Result<HashSet<(String, String, String)>> {
    let mut invoiced = HashSet::new();
    let months = || resolved.iter().map(|r| &r.cand.end_date[..7]);
    let (Some(first), Some(last)) = (months().min(), months().max()) else {
        return Ok(invoiced);
    };
    let rows = sqlx::query(
        "SELECT enterprise_id, product_id, SUBSTR(invoice_date, 1, 7) FROM redemptions \
         WHERE supplier_id = $1 AND status <> 'clawed_back' AND invoice_date >= $2 AND invoice_date <= $3",
    )
    .bind(supplier_id)
    .bind(format!("{first}-01"))
    .bind(format!("{last}-31"))
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        invoiced.insert((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    Ok(invoiced)
}
