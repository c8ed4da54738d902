//! Yearly use counters shared by several programs' claims: one row per key, locked by a claim
//! under the cap it measures and moved by every payment and clawback. Lock order (everywhere):
//! the actual-controller group's row, the enterprise's row for the voucher type, then the
//! program's yearly-cap row (`enterprise_year_use`), then ledger accounts.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::Row;

use super::rowset::{exec_rows, fetch_rows, Val};
use crate::db::Tx;
use crate::error::Result;

/// (text, text, year): the key of every counter table here.
pub(crate) type Key = (String, String, i64);

/// A counter table and its key columns.
pub(crate) struct Counter {
    table: &'static str,
    cols: [&'static str; 3],
}

/// Use per (program, actual controller, year) under a program's group cap.
pub(crate) const GROUP_USE: Counter = Counter {
    table: "controller_group_use",
    cols: ["program_id", "controller", "year"],
};

/// Use per (enterprise, voucher type, year) across programs.
pub(crate) const TYPE_USE: Counter = Counter {
    table: "enterprise_type_year_use",
    cols: ["enterprise_id", "voucher_type", "year"],
};

fn key_rows(keys: &BTreeSet<Key>) -> Vec<[Val<'_>; 3]> {
    keys.iter()
        .map(|(a, b, y)| [Val::Text(a), Val::Text(b), Val::Int(*y)])
        .collect()
}

/// Locks the rows of `keys`, creating missing ones at zero (PostgreSQL: in key order, `FOR
/// UPDATE`; SQLite has one writer), and returns each key's use.
pub(crate) async fn lock(
    tx: &mut Tx,
    c: &Counter,
    keys: &BTreeSet<Key>,
) -> Result<HashMap<Key, i64>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let pg = super::is_postgres(tx);
    let [c0, c1, c2] = c.cols;
    let t = c.table;
    let new: Vec<[Val; 4]> = keys
        .iter()
        .map(|(a, b, y)| [Val::Text(a), Val::Text(b), Val::Int(*y), Val::Int(0)])
        .collect();
    exec_rows(tx, pg, &new, true, |v| {
        format!("INSERT INTO {t} ({c0}, {c1}, {c2}, used_fen) {v} ON CONFLICT DO NOTHING")
    })
    .await?;
    let lock = if pg {
        format!(" ORDER BY u.{c0}, u.{c1}, u.{c2} FOR UPDATE OF u")
    } else {
        String::new()
    };
    let rows = fetch_rows(tx, pg, &key_rows(keys), |v| {
        format!(
            "SELECT u.{c0}, u.{c1}, u.{c2}, u.used_fen FROM {t} u JOIN {v} AS v \
             ON u.{c0} = v.c0 AND u.{c1} = v.c1 AND u.{c2} = v.c2{lock}"
        )
    })
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?), r.try_get(3)?);
    }
    Ok(out)
}

/// Adds each delta (negative for a clawback) to its key's use, creating rows as needed.
pub(crate) async fn add(tx: &mut Tx, c: &Counter, deltas: &BTreeMap<Key, i64>) -> Result<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let pg = super::is_postgres(tx);
    let [c0, c1, c2] = c.cols;
    let t = c.table;
    let rows: Vec<[Val; 4]> = deltas
        .iter()
        .map(|((a, b, y), d)| [Val::Text(a), Val::Text(b), Val::Int(*y), Val::Int(*d)])
        .collect();
    exec_rows(tx, pg, &rows, true, |v| {
        format!(
            "INSERT INTO {t} ({c0}, {c1}, {c2}, used_fen) {v} \
             ON CONFLICT ({c0}, {c1}, {c2}) DO UPDATE SET used_fen = {t}.used_fen + excluded.used_fen"
        )
    })
    .await?;
    Ok(())
}

/// One key's use, locked.
pub(crate) async fn lock_one(tx: &mut Tx, c: &Counter, key: Key) -> Result<i64> {
    let keys = BTreeSet::from([key.clone()]);
    Ok(lock(tx, c, &keys).await?.get(&key).copied().unwrap_or(0))
}

/// Adds one delta.
pub(crate) async fn add_one(tx: &mut Tx, c: &Counter, key: Key, delta: i64) -> Result<()> {
    add(tx, c, &BTreeMap::from([(key, delta)])).await
}
