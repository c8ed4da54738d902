//! Step 5 of a round, pure: rate in memory, in input order — duplicates, months already claimed
//! by invoice and the exact rating first, then `quan_domain::plan_usage` over the locked
//! balances and every cap a voucher counts against — and the sums the writes need.
use std::collections::{BTreeMap, HashMap};

use quan_domain::{rate_metered, Money, Rate};

use super::super::super::counters;
use super::super::{rejected, UsageResult, UsageStatus};
use super::facts::Facts;
use super::locks::Held;
use super::resolve::Resolved;
use crate::error::{Result, StoreError};

/// An accepted record: the voucher it draws on, its price and subsidy in fen.
pub(super) struct Accepted<'a> {
    pub r: &'a Resolved<'a>,
    pub voucher_id: &'a str,
    pub program_id: &'a str,
    pub amount: i64,
    pub subsidy: i64,
}

/// What a round writes.
pub(super) struct Plan<'a> {
    pub accepted: Vec<Accepted<'a>>,
    /// voucher → the subsidy it pays.
    pub per_voucher: BTreeMap<&'a str, i64>,
    /// (part, voucher) → subsidy: each batch keeps its own transfers.
    pub per_part_voucher: BTreeMap<(usize, &'a str), i64>,
    /// yearly-cap row → what it is used by.
    pub per_cap: BTreeMap<counters::Key, i64>,
    pub group_deltas: BTreeMap<counters::Key, i64>,
    pub type_deltas: BTreeMap<counters::Key, i64>,
}

/// Every cap as one entry; each voucher names the entries it counts against.
#[derive(PartialEq, Eq, Hash, Clone)]
enum CapKey {
    Year(counters::Key),
    Supplier(String),
    Group(counters::Key),
    Type(counters::Key),
}

/// Decides the round: answers for duplicates and refusals in `results`, the rest planned.
pub(super) fn plan<'a>(
    f: &'a Facts,
    held: &'a Held,
    resolved: &'a [Resolved<'a>],
    part_of: &[usize],
    results: &mut [Option<UsageResult>],
) -> Result<Plan<'a>> {
    let priced = price(held, resolved, results);
    let (plan_vouchers, caps, voucher_ids) = cap_entries(f, held)?;
    let voucher_index: HashMap<&str, usize> = voucher_ids
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, i))
        .collect();
    let lines: Vec<quan_domain::UsageLine> = priced
        .iter()
        .map(|(r, amount)| quan_domain::UsageLine {
            amount: *amount,
            options: r
                .options
                .iter()
                .map(|v| voucher_index[v.as_str()])
                .collect(),
        })
        .collect();
    let draws = quan_domain::plan_usage(&plan_vouchers, &caps, &lines);
    let mut p = Plan {
        accepted: Vec::with_capacity(priced.len()),
        per_voucher: BTreeMap::new(),
        per_part_voucher: BTreeMap::new(),
        per_cap: BTreeMap::new(),
        group_deltas: BTreeMap::new(),
        type_deltas: BTreeMap::new(),
    };
    for ((r, amount), draw) in priced.iter().zip(draws) {
        let draw = draw.ok_or_else(|| StoreError::Corrupt("usage line without options".into()))?;
        let vid = voucher_ids[draw.voucher];
        let subsidy = draw.subsidy.fen();
        if subsidy > 0 {
            *p.per_voucher.entry(vid).or_default() += subsidy;
            *p.per_part_voucher
                .entry((part_of[r.cand.idx], vid))
                .or_default() += subsidy;
            *p.per_cap.entry(f.year_key(vid)).or_default() += subsidy;
            *p.type_deltas.entry(f.type_of(vid)).or_default() += subsidy;
            if let Some(k) = f.group_of(vid) {
                *p.group_deltas.entry(k).or_default() += subsidy;
            }
        }
        p.accepted.push(Accepted {
            r,
            voucher_id: vid,
            program_id: f.vouchers[vid].program_id.as_str(),
            amount: amount.fen(),
            subsidy,
        });
    }
    Ok(p)
}

/// The records' own decisions, in input order: duplicate, already claimed by invoice, or the
/// exact price of the quantity.
fn price<'a>(
    held: &Held,
    resolved: &'a [Resolved<'a>],
    results: &mut [Option<UsageResult>],
) -> Vec<(&'a Resolved<'a>, Money)> {
    let mut priced = Vec::with_capacity(resolved.len());
    for r in resolved {
        let rid = r.cand.rec.record_id.as_str();
        if held.existing.contains(rid) {
            results[r.cand.idx] = Some(UsageResult {
                record_id: rid.to_string(),
                status: UsageStatus::Duplicate,
                amount_fen: None,
                subsidy_fen: None,
                voucher_id: None,
                reason: None,
                message: None,
            });
            continue;
        }
        let month_key = (
            r.cand.rec.enterprise_id.clone(),
            r.cand.rec.product_id.clone(),
            r.cand.end_date[..7].to_string(),
        );
        if held.invoiced.contains(&month_key) {
            let msg = format!(
                "the enterprise already claimed {} for {} by invoice; the same month is not paid twice",
                month_key.1, month_key.2
            );
            results[r.cand.idx] = Some(rejected(rid, "double_subsidy", msg));
            continue;
        }
        match rate_metered(r.quantity, r.unit, Money::from_fen(r.price)) {
            Ok(a) => priced.push((r, a)),
            Err(_) => {
                let msg = "quantity: the amount does not fit in the money range";
                results[r.cand.idx] = Some(rejected(rid, "quantity_absurd", msg))
            }
        }
    }
    priced
}

type CapEntries<'a> = (Vec<quan_domain::UsageVoucher>, Vec<Money>, Vec<&'a str>);

/// The vouchers `plan_usage` draws on (balance, rate with the pilot bonus, the caps each counts
/// against) and every cap's room, in the voucher set's order.
fn cap_entries<'a>(f: &Facts, held: &'a Held) -> Result<CapEntries<'a>> {
    let mut cap_index: HashMap<CapKey, usize> = HashMap::new();
    let mut caps: Vec<Money> = Vec::new();
    let mut plan_vouchers = Vec::with_capacity(held.voucher_set.len());
    for vid in &held.voucher_set {
        let v = &f.vouchers[vid];
        let prog = &f.programs[&v.program_id];
        let year = f.year_key(vid);
        let mut mine = vec![(
            CapKey::Year(year.clone()),
            held.cap_left.get(&year).copied().unwrap_or(0),
        )];
        if let Some(left) = held.supplier_left.get(&v.program_id) {
            mine.push((CapKey::Supplier(v.program_id.clone()), *left));
        }
        if let (Some(cap), Some(k)) = (prog.group_cap_fen, f.group_of(vid)) {
            let used = held.group_used.get(&k).copied().unwrap_or(0);
            mine.push((CapKey::Group(k), (cap - used).max(0)));
        }
        if let Some(cap) = prog.type_cap_fen {
            let k = f.type_of(vid);
            let used = held.type_used.get(&k).copied().unwrap_or(0);
            mine.push((CapKey::Type(k), (cap - used).max(0)));
        }
        let idxs = mine
            .into_iter()
            .map(|(k, left)| {
                *cap_index.entry(k).or_insert_with(|| {
                    caps.push(Money::from_fen(left));
                    caps.len() - 1
                })
            })
            .collect();
        let rate = quan_domain::with_pilot_bonus(
            Rate::from_bps("rate_bps", prog.rate_bps).map_err(StoreError::from)?,
            Rate::from_bps("pilot_bonus_bps", prog.pilot_bonus_bps).map_err(StoreError::from)?,
            f.pilot_zone.contains(&v.enterprise_id),
        );
        plan_vouchers.push(quan_domain::UsageVoucher {
            available: Money::from_fen(held.available.get(vid).copied().unwrap_or(0)),
            rate,
            caps: idxs,
        });
    }
    let ids = held.voucher_set.iter().map(|s| s.as_str()).collect();
    Ok((plan_vouchers, caps, ids))
}
