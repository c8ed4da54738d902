//! The usage ingestion engine. A group of batches (usually one) is handled in ONE transaction,
//! set-based:
//! 1. pure checks of every record (times, quantity, duplicates inside the batch);
//! 2. reference data for the whole group in a handful of `IN (…)` queries (products, the compute
//!    programs that list them, enterprises, vouchers);
//! 3. locks in the global order used everywhere (yearly-cap rows → voucher accounts → the
//!    supplier's payable account → audit head), each class sorted, so concurrent batches and
//!    invoice redemptions from several server processes queue instead of deadlocking, and
//!    balances are read only under those locks;
//! 4. deduplication against committed records by (supplier_id, record_id);
//! 5. rating in memory (pure: `rate_usage`, `quote_subsidy`);
//! 6. multi-row writes bound positionally (`super::super::rowset`): usage rows (`ON CONFLICT DO
//!    NOTHING`; fewer rows inserted than sent means a concurrent sender slipped in, and the
//!    group is retried), one voucher debit per voucher per group, one ledger transfer per voucher
//!    per batch (`usage:<batch>:<voucher>`, code `usage`), cap upserts, one audit record per
//!    batch.
//!
//! The caller commits; a record is acknowledged only after that commit.
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::Utc;
use quan_domain::{rate_metered, AccountId, BillingUnit, Money, Rate};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::super::rowset::{self, exec_rows, select_in, Val};
use super::super::{counters, is_postgres, Now};
use super::checks::{self, parse_ts, Cand};
use super::rollups;
use super::{rejected, UsageBatchResult, UsageItem, UsageResult, UsageStatus, BATCH_RECORDS_MAX};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::{Actor, Role};

struct ProductRef {
    suspended: bool,
    supplier_id: String,
    kind: String,
    city_code: Option<String>,
    price: Option<i64>,
    unit: BillingUnit,
}

#[derive(Clone)]
struct ProgramRef {
    rate_bps: i64,
    /// Added for pilot-zone enterprises (the program's policy, as on invoices).
    pilot_bonus_bps: i64,
    /// Most subsidy one supplier may be paid in the program (the policy's supplier cap).
    supplier_cap_fen: Option<i64>,
    year: i64,
    cap_fen: i64,
    /// The enterprise is reimbursed against its invoices: metered usage is not redeemed.
    reimbursed: bool,
    /// The actual-controller group's yearly cap (the policy's, as on invoices).
    group_cap_fen: Option<i64>,
    /// The yearly cap per voucher type across programs.
    type_cap_fen: Option<i64>,
}

struct VoucherRef {
    program_id: String,
    enterprise_id: String,
    voucher_type: String,
    valid_from: String,
    valid_until: String,
    status: String,
}

/// A concurrent batch inserted one of our records first (PostgreSQL, several processes).
/// Reported as a serialization failure so `in_tx!` runs the whole batch again; the rerun sees
/// the committed record and answers `duplicate`.
#[derive(Debug)]
struct ConcurrentRecord;

impl std::fmt::Display for ConcurrentRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a usage record of this batch was inserted concurrently; retry the batch")
    }
}
impl std::error::Error for ConcurrentRecord {}
impl sqlx::error::DatabaseError for ConcurrentRecord {
    fn message(&self) -> &str {
        "a usage record of this batch was inserted concurrently; retry the batch"
    }
    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed("40001"))
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        sqlx::error::ErrorKind::Other
    }
}

/// One sender's batch within a group committed together.
#[derive(Clone, Copy)]
pub struct BatchPart<'a> {
    pub actor: &'a Actor,
    pub batch_id: &'a str,
    pub items: &'a [UsageItem],
}

/// May `actor` send usage for `supplier_id`, and is the batch small enough? Pure, so a
/// group-commit writer can refuse a batch before it joins a group.
pub fn check_sender(actor: &Actor, supplier_id: &str, records: usize) -> Result<()> {
    match actor.role {
        Role::Admin => {}
        Role::Supplier if actor.supplier_id.as_deref() == Some(supplier_id) => {}
        Role::Supplier => {
            return Err(StoreError::forbidden(
                "a supplier may send usage only for its own products",
            ))
        }
        _ => {
            return Err(StoreError::forbidden(
                "only a compute supplier or an administrator may send usage",
            ))
        }
    }
    if records > BATCH_RECORDS_MAX {
        return Err(quan_domain::ValidationError::new(
            "records",
            "batch_too_large",
            format!("records: at most {BATCH_RECORDS_MAX} records per batch, got {records}"),
        )
        .into());
    }
    Ok(())
}

/// Ingests one batch for `supplier_id` inside the caller's transaction. Never fails because of
/// a bad record (those are rejected one by one); fails only on database errors, an unknown
/// supplier or a forbidden actor.
pub async fn ingest(
    tx: &mut Tx,
    actor: &Actor,
    supplier_id: &str,
    batch_id: &str,
    items: &[UsageItem],
    now: &Now,
) -> Result<UsageBatchResult> {
    let part = BatchPart {
        actor,
        batch_id,
        items,
    };
    let mut out = ingest_group(tx, supplier_id, &[part], now).await?;
    Ok(out.pop().expect("one result per part"))
}

/// Ingests several batches of one supplier in the caller's transaction, with the answers each
/// would get if they were ingested one after another: reference data, locks, voucher debits and
/// cap updates are shared, while each batch keeps its own records, transfers (`usage:<batch>:
/// <voucher>`) and audit record. Batches that share a record id go in separate rounds, so the
/// later copy sees the earlier one as committed.
pub async fn ingest_group(
    tx: &mut Tx,
    supplier_id: &str,
    parts: &[BatchPart<'_>],
    now: &Now,
) -> Result<Vec<UsageBatchResult>> {
    for p in parts {
        check_sender(p.actor, supplier_id, p.items.len())?;
    }
    let mut out: Vec<Option<UsageBatchResult>> = vec![None; parts.len()];
    let mut pending: Vec<usize> = (0..parts.len()).collect();
    while !pending.is_empty() {
        // A round: parts whose record ids do not meet, in order; the rest wait for the next.
        let mut ids: HashSet<&str> = HashSet::new();
        let mut round = Vec::new();
        let mut later = Vec::new();
        for &k in &pending {
            let mine: Vec<&str> = parts[k].items.iter().filter_map(item_record_id).collect();
            if later.is_empty() && mine.iter().all(|r| !ids.contains(r)) {
                ids.extend(mine);
                round.push(k);
            } else {
                later.push(k);
            }
        }
        let round_parts: Vec<BatchPart> = round.iter().map(|&k| parts[k]).collect();
        for (k, r) in round
            .iter()
            .zip(ingest_round(tx, supplier_id, &round_parts, now).await?)
        {
            out[*k] = Some(r);
        }
        pending = later;
    }
    Ok(out
        .into_iter()
        .map(|r| r.expect("every part ran"))
        .collect())
}

/// (legal representative, shareholders, actual controller) of a party's file.
type FileOf = (String, Vec<String>, String);

fn file_of(f: &FileOf) -> quan_domain::PartyFile<'_> {
    quan_domain::PartyFile {
        legal_rep: &f.0,
        shareholders: &f.1,
        actual_controller: &f.2,
    }
}

fn shareholders_of(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| crate::StoreError::Corrupt(format!("shareholders: {e}")))
}

fn item_record_id(item: &UsageItem) -> Option<&str> {
    match item {
        UsageItem::Record(r) => Some(r.record_id.as_str()),
        UsageItem::Malformed { .. } => None,
    }
}

/// One round of [`ingest_group`]: parts whose record ids are disjoint.
async fn ingest_round(
    tx: &mut Tx,
    supplier_id: &str,
    parts: &[BatchPart<'_>],
    now: &Now,
) -> Result<Vec<UsageBatchResult>> {
    // Records are numbered across the parts; `part_of[i]` says whose record `i` is.
    let items: Vec<&UsageItem> = parts.iter().flat_map(|p| p.items.iter()).collect();
    let part_of: Vec<usize> = parts
        .iter()
        .enumerate()
        .flat_map(|(k, p)| std::iter::repeat_n(k, p.items.len()))
        .collect();
    let pg = is_postgres(tx);
    let now_dt = parse_ts(&now.ts).unwrap_or_else(Utc::now);

    // 1. Pure checks.
    let (mut results, cands) = checks::check_records(&items, &part_of, now_dt);

    // 2. Reference data, set-based.
    let supplier = sqlx::query(
        "SELECT legal_rep, shareholders, suspended, actual_controller FROM suppliers WHERE id = $1",
    )
    .bind(supplier_id)
    .fetch_optional(&mut **tx)
    .await?;
    let (supplier_file, supplier_suspended): (FileOf, bool) = match supplier {
        Some(r) => (
            (
                r.try_get(0)?,
                shareholders_of(&r.try_get::<String, _>(1)?)?,
                r.try_get(3)?,
            ),
            r.try_get::<i64, _>(2)? != 0,
        ),
        None => {
            return Err(quan_domain::ValidationError::new(
                "supplier_id",
                "not_found",
                format!("supplier_id: no supplier {supplier_id}"),
            )
            .into())
        }
    };
    let product_ids: Vec<&str> = cands
        .iter()
        .map(|c| c.rec.product_id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let enterprise_ids: Vec<&str> = cands
        .iter()
        .map(|c| c.rec.enterprise_id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let explicit_ids: Vec<&str> = cands
        .iter()
        .filter_map(|c| c.rec.voucher_id.as_deref())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let mut products: HashMap<String, ProductRef> = HashMap::new();
    if !product_ids.is_empty() {
        for r in select_in(
            tx,
            pg,
            "id, supplier_id, kind, city_code, price_per_unit_fen, suspended, billing_unit",
            "products",
            "id",
            &product_ids,
            "",
        )
        .await?
        {
            products.insert(
                r.try_get(0)?,
                ProductRef {
                    supplier_id: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    city_code: r.try_get(3)?,
                    price: r.try_get(4)?,
                    suspended: r.try_get::<i64, _>(5)? != 0,
                    unit: BillingUnit::parse("billing_unit", &r.try_get::<String, _>(6)?).map_err(
                        |e| StoreError::Corrupt(format!("products.billing_unit: {}", e.message)),
                    )?,
                },
            );
        }
    }
    // product → compute programs listing it.
    let mut listing: HashMap<String, Vec<String>> = HashMap::new();
    let mut programs: HashMap<String, ProgramRef> = HashMap::new();
    if !product_ids.is_empty() {
        let rows = select_in(
            tx,
            pg,
            "ep.product_id, p.id, p.rate_bps, p.year, p.enterprise_year_cap_fen, p.pilot_bonus_bps, p.supplier_cap_fen, \
             p.redemption_mode, p.group_year_cap_fen, p.type_year_cap_fen",
            "eligible_products ep JOIN programs p ON p.id = ep.program_id",
            "ep.product_id",
            &product_ids,
            " AND p.voucher_type IN ('compute', 'model')",
        )
        .await?;
        for r in rows {
            let (prod, prog): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            programs.insert(
                prog.clone(),
                ProgramRef {
                    rate_bps: r.try_get(2)?,
                    year: r.try_get(3)?,
                    cap_fen: r.try_get(4)?,
                    pilot_bonus_bps: r.try_get(5)?,
                    supplier_cap_fen: r.try_get(6)?,
                    reimbursed: r.try_get::<String, _>(7)? == "enterprise_reimbursed",
                    group_cap_fen: r.try_get(8)?,
                    type_cap_fen: r.try_get(9)?,
                },
            );
            listing.entry(prod).or_default().push(prog);
        }
    }
    // Who is listed today, and each enterprise's file for the affiliation rule.
    let listed = super::super::integrity::listings_on(tx, now.today).await?;
    let supplier_listed = listed.contains_key(supplier_id);
    let mut enterprises: HashMap<String, FileOf> = HashMap::new();
    let mut pilot_zone: std::collections::HashSet<String> = Default::default();
    // Files read under their share locks, with the versions replaced since the earliest record.
    super::super::enterprises::hold_files(tx, &enterprise_ids).await?;
    let earliest = cands
        .iter()
        .filter_map(|c| c.end_date.parse::<chrono::NaiveDate>().ok())
        .min()
        .unwrap_or(now.today);
    let superseded =
        super::super::enterprises::superseded_since(tx, &enterprise_ids, earliest).await?;
    if !enterprise_ids.is_empty() {
        for r in select_in(
            tx,
            pg,
            "id, legal_rep, shareholders, actual_controller, pilot_zone",
            "enterprises",
            "id",
            &enterprise_ids,
            "",
        )
        .await?
        {
            let file = (
                r.try_get(1)?,
                shareholders_of(&r.try_get::<String, _>(2)?)?,
                r.try_get(3)?,
            );
            if r.try_get::<i64, _>(4)? != 0 {
                pilot_zone.insert(r.try_get(0)?);
            }
            enterprises.insert(r.try_get(0)?, file);
        }
    }
    let mut vouchers: HashMap<String, VoucherRef> = HashMap::new();
    let voucher_cols =
        "id, program_id, enterprise_id, voucher_type, valid_from, valid_until, status";
    let mut voucher_rows = Vec::new();
    if !enterprise_ids.is_empty() {
        voucher_rows.extend(
            select_in(
                tx,
                pg,
                voucher_cols,
                "vouchers",
                "enterprise_id",
                &enterprise_ids,
                " AND voucher_type IN ('compute', 'model') AND status = 'active'",
            )
            .await?,
        );
    }
    // Named vouchers are usually among the enterprises' active ones just read; look up the rest.
    let loaded: HashSet<String> = voucher_rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<std::result::Result<_, _>>()?;
    let missing: Vec<&str> = explicit_ids
        .into_iter()
        .filter(|id| !loaded.contains(*id))
        .collect();
    if !missing.is_empty() {
        voucher_rows.extend(select_in(tx, pg, voucher_cols, "vouchers", "id", &missing, "").await?);
    }
    for r in voucher_rows {
        let id: String = r.try_get(0)?;
        vouchers.entry(id).or_insert(VoucherRef {
            program_id: r.try_get(1)?,
            enterprise_id: r.try_get(2)?,
            voucher_type: r.try_get(3)?,
            valid_from: r.try_get(4)?,
            valid_until: r.try_get(5)?,
            status: r.try_get(6)?,
        });
    }
    // enterprise → its active compute vouchers, oldest expiry first.
    let mut by_enterprise: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, v) in &vouchers {
        if (v.voucher_type == "compute" || v.voucher_type == "model") && v.status == "active" {
            by_enterprise
                .entry(v.enterprise_id.as_str())
                .or_default()
                .push(id.as_str());
        }
    }
    for list in by_enterprise.values_mut() {
        list.sort_by(|a, b| {
            (vouchers[*a].valid_until.as_str(), *a).cmp(&(vouchers[*b].valid_until.as_str(), *b))
        });
    }

    // Resolve each candidate to the vouchers it may draw on.
    struct Resolved<'a> {
        cand: Cand<'a>,
        price: i64,
        unit: BillingUnit,
        /// The metered quantity in the unit's base.
        quantity: i64,
        city_code: Option<String>,
        options: Vec<String>,
    }
    let mut resolved: Vec<Resolved> = Vec::with_capacity(cands.len());
    for c in cands {
        let rid = c.rec.record_id.as_str();
        let Some(p) = products.get(&c.rec.product_id) else {
            results[c.idx] = Some(rejected(
                rid,
                "unknown_product",
                format!("product_id: no product {}", c.rec.product_id),
            ));
            continue;
        };
        if p.supplier_id != supplier_id {
            results[c.idx] = Some(rejected(
                rid,
                "other_supplier_product",
                format!(
                    "product_id: {} belongs to another supplier",
                    c.rec.product_id
                ),
            ));
            continue;
        }
        if p.suspended || supplier_suspended {
            results[c.idx] = Some(rejected(
                rid,
                "product_suspended",
                format!(
                    "product_id: {} or its supplier is suspended",
                    c.rec.product_id
                ),
            ));
            continue;
        }
        let price = match (p.kind.as_str(), p.price) {
            ("compute" | "model", Some(price)) if price > 0 && p.unit.allowed_for(&p.kind) => price,
            _ => {
                results[c.idx] = Some(rejected(
                    rid,
                    "product_not_eligible",
                    format!(
                        "product_id: {} is not a metered product (computing power, or a model priced by tokens)",
                        c.rec.product_id
                    ),
                ));
                continue;
            }
        };
        let quantity = match metered_quantity(c.rec, p.unit) {
            Ok(q) => q,
            Err(refusal) => {
                results[c.idx] = Some(*refusal);
                continue;
            }
        };
        let Some(ent_file) = enterprises.get(&c.rec.enterprise_id) else {
            results[c.idx] = Some(rejected(
                rid,
                "unknown_enterprise",
                format!("enterprise_id: no enterprise {}", c.rec.enterprise_id),
            ));
            continue;
        };
        if supplier_listed || listed.contains_key(&c.rec.enterprise_id) {
            results[c.idx] = Some(rejected(
                rid,
                "dishonest",
                "a party to this record is on the dishonesty list",
            ));
            continue;
        }
        let related = quan_domain::related_since(
            &file_of(ent_file),
            superseded
                .get(&c.rec.enterprise_id)
                .map(|v| v.as_slice())
                .unwrap_or(&[]),
            &file_of(&supplier_file),
            c.end_date.parse().unwrap_or(now.today),
        );
        if !related.is_empty() {
            results[c.idx] = Some(rejected(
                rid,
                "affiliated",
                format!(
                    "the enterprise and the supplier are affiliated: {}",
                    related.join("; ")
                ),
            ));
            continue;
        }
        let listed: &[String] = listing
            .get(&c.rec.product_id)
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        let valid_at = |v: &VoucherRef| {
            v.status == "active"
                && v.voucher_type == p.kind
                && v.valid_from <= c.end_date
                && c.end_date <= v.valid_until
        };
        let options: Vec<String> = match c.rec.voucher_id.as_deref() {
            Some(vid) => {
                let Some(v) = vouchers
                    .get(vid)
                    .filter(|v| v.enterprise_id == c.rec.enterprise_id)
                else {
                    results[c.idx] = Some(rejected(
                        rid,
                        "voucher_not_owned",
                        format!(
                            "voucher_id: {vid} is not a voucher of enterprise {}",
                            c.rec.enterprise_id
                        ),
                    ));
                    continue;
                };
                if !valid_at(v) {
                    results[c.idx] = Some(rejected(
                        rid,
                        "no_valid_voucher",
                        format!(
                            "voucher_id: {vid} is not an active compute voucher valid on {}",
                            c.end_date
                        ),
                    ));
                    continue;
                }
                if programs.get(&v.program_id).is_some_and(|p| p.reimbursed) {
                    results[c.idx] = Some(rejected(
                        rid,
                        "redemption_mode",
                        format!("voucher_id: {vid}'s program reimburses the enterprise against its invoices; metered usage is not redeemed by the supplier"),
                    ));
                    continue;
                }
                if !listed.contains(&v.program_id) {
                    results[c.idx] = Some(rejected(
                        rid,
                        "product_not_eligible",
                        format!(
                            "product_id: {} is not on the selected list of voucher {vid}'s program",
                            c.rec.product_id
                        ),
                    ));
                    continue;
                }
                vec![vid.to_string()]
            }
            None => {
                let valid: Vec<&str> = by_enterprise
                    .get(c.rec.enterprise_id.as_str())
                    .map(|l| {
                        l.iter()
                            .copied()
                            .filter(|id| valid_at(&vouchers[*id]))
                            .collect()
                    })
                    .unwrap_or_default();
                if valid.is_empty() {
                    let reason = if listed.is_empty() {
                        "product_not_eligible"
                    } else {
                        "no_valid_voucher"
                    };
                    let msg = if listed.is_empty() {
                        format!(
                            "product_id: {} is not on any computing-power program's selected list",
                            c.rec.product_id
                        )
                    } else {
                        format!(
                            "enterprise_id: {} holds no active compute voucher valid on {}",
                            c.rec.enterprise_id, c.end_date
                        )
                    };
                    results[c.idx] = Some(rejected(rid, reason, msg));
                    continue;
                }
                let listed_valid: Vec<&str> = valid
                    .iter()
                    .copied()
                    .filter(|id| listed.contains(&vouchers[*id].program_id))
                    .collect();
                let eligible: Vec<String> = listed_valid
                    .iter()
                    .filter(|id| !programs[&vouchers[**id].program_id].reimbursed)
                    .map(|s| s.to_string())
                    .collect();
                if eligible.is_empty() && !listed_valid.is_empty() {
                    results[c.idx] = Some(rejected(rid, "redemption_mode", "the enterprise's vouchers for this product are in programs that reimburse the enterprise against its invoices; metered usage is not redeemed by the supplier".to_string()));
                    continue;
                }
                if eligible.is_empty() {
                    results[c.idx] = Some(rejected(rid, "product_not_eligible", format!("product_id: {} is not on the selected list of the enterprise's compute vouchers", c.rec.product_id)));
                    continue;
                }
                eligible
            }
        };
        resolved.push(Resolved {
            city_code: p.city_code.clone(),
            price,
            unit: p.unit,
            quantity,
            options,
            cand: c,
        });
    }

    // 3. Locks, in the global order: cap rows, voucher accounts, payable account.
    let mut cap_keys: BTreeMap<(String, String, i64), i64> = BTreeMap::new(); // → program cap
    let mut voucher_set: BTreeSet<String> = BTreeSet::new();
    for r in &resolved {
        for vid in &r.options {
            let v = &vouchers[vid];
            let prog = &programs[&v.program_id];
            cap_keys.insert(
                (v.enterprise_id.clone(), v.program_id.clone(), prog.year),
                prog.cap_fen,
            );
            voucher_set.insert(vid.clone());
        }
    }
    // The group's and the type's rows come before the yearly-cap rows (the order invoice
    // redemption takes them in). The type's row is moved by every payment, so it is always locked.
    let group_of = |vid: &str| -> Option<counters::Key> {
        let v = &vouchers[vid];
        let prog = &programs[&v.program_id];
        let controller = enterprises.get(&v.enterprise_id)?.2.trim();
        (prog.group_cap_fen.is_some() && !controller.is_empty())
            .then(|| (v.program_id.clone(), controller.to_string(), prog.year))
    };
    let type_of = |vid: &str| -> counters::Key {
        let v = &vouchers[vid];
        (
            v.enterprise_id.clone(),
            v.voucher_type.clone(),
            programs[&v.program_id].year,
        )
    };
    let group_keys: BTreeSet<counters::Key> =
        voucher_set.iter().filter_map(|v| group_of(v)).collect();
    let type_keys: BTreeSet<counters::Key> = voucher_set.iter().map(|v| type_of(v)).collect();
    let group_used = counters::lock(tx, &counters::GROUP_USE, &group_keys).await?;
    let type_used = counters::lock(tx, &counters::TYPE_USE, &type_keys).await?;
    let mut cap_left: HashMap<(String, String, i64), i64> = HashMap::new();
    if !cap_keys.is_empty() {
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
        // writer; a missing row means nothing used yet, and the upsert below creates it.
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
            let key: (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            if let Some(cap) = cap_keys.get(&key) {
                let used: i64 = r.try_get(3)?;
                cap_left.insert(key, (cap - used).max(0));
            }
        }
        for (key, cap) in &cap_keys {
            cap_left.entry(key.clone()).or_insert(*cap);
        }
    }
    let available = ledger::lock_vouchers_available(tx, pg, &voucher_set).await?;
    if !resolved.is_empty() {
        ledger::lock_account(tx, &AccountId::Payable(supplier_id.into())).await?;
    }

    // 4. Deduplicate against committed records.
    let mut existing: HashSet<String> = HashSet::new();
    if !resolved.is_empty() {
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
        for r in found {
            existing.insert(r.try_get(0)?);
        }
    }

    // No double subsidy: a month of a product an enterprise already claimed by invoice is not
    // also paid as metered usage (read under the supplier's payable lock, which invoice
    // redemption takes too).
    let mut invoiced: HashSet<(String, String, String)> = HashSet::new();
    if let (Some(first), Some(last)) = (
        resolved.iter().map(|r| &r.cand.end_date[..7]).min(),
        resolved.iter().map(|r| &r.cand.end_date[..7]).max(),
    ) {
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
    }

    // The per-supplier cap of each program that has one: what is left of it, read under the
    // supplier's payable lock (as invoice redemption reads it).
    let mut supplier_left: HashMap<String, i64> = HashMap::new();
    if !resolved.is_empty() {
        for (id, p) in programs
            .iter()
            .filter(|(_, p)| p.supplier_cap_fen.is_some())
        {
            let paid = super::super::redemptions::supplier_paid(tx, id, supplier_id).await?;
            let cap = p.supplier_cap_fen.unwrap_or_default();
            supplier_left.insert(id.clone(), (cap - paid.fen()).max(0));
        }
    }

    // 5. Rate in memory, in input order: the records' own checks, then `plan_usage` over the
    // locked balances and every cap a voucher counts against.
    struct Accepted<'a> {
        r: &'a Resolved<'a>,
        voucher_id: &'a str,
        program_id: &'a str,
        amount: i64,
        subsidy: i64,
    }
    let mut priced: Vec<(&Resolved, Money)> = Vec::with_capacity(resolved.len());
    for r in &resolved {
        let rid = r.cand.rec.record_id.as_str();
        if existing.contains(rid) {
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
        if invoiced.contains(&month_key) {
            results[r.cand.idx] = Some(rejected(
                rid,
                "double_subsidy",
                format!(
                    "the enterprise already claimed {} for {} by invoice; the same month is not paid twice",
                    month_key.1, month_key.2
                ),
            ));
            continue;
        }
        match rate_metered(r.quantity, r.unit, Money::from_fen(r.price)) {
            Ok(a) => priced.push((r, a)),
            Err(_) => {
                results[r.cand.idx] = Some(rejected(
                    rid,
                    "quantity_absurd",
                    "quantity: the amount does not fit in the money range",
                ))
            }
        }
    }
    let year_key = |vid: &str| {
        let v = &vouchers[vid];
        (
            v.enterprise_id.clone(),
            v.program_id.clone(),
            programs[&v.program_id].year,
        )
    };
    // Every cap as one entry; each voucher names the entries it counts against.
    #[derive(PartialEq, Eq, Hash, Clone)]
    enum CapKey {
        Year(counters::Key),
        Supplier(String),
        Group(counters::Key),
        Type(counters::Key),
    }
    let mut cap_index: HashMap<CapKey, usize> = HashMap::new();
    let mut caps: Vec<Money> = Vec::new();
    let mut plan_vouchers: Vec<quan_domain::UsageVoucher> = Vec::new();
    let mut voucher_index: HashMap<&str, usize> = HashMap::new();
    for vid in &voucher_set {
        let v = &vouchers[vid];
        let prog = &programs[&v.program_id];
        let mut mine: Vec<(CapKey, i64)> = vec![(
            CapKey::Year(year_key(vid)),
            cap_left.get(&year_key(vid)).copied().unwrap_or(0),
        )];
        if let Some(left) = supplier_left.get(&v.program_id) {
            mine.push((CapKey::Supplier(v.program_id.clone()), *left));
        }
        if let (Some(cap), Some(k)) = (prog.group_cap_fen, group_of(vid)) {
            let used = group_used.get(&k).copied().unwrap_or(0);
            mine.push((CapKey::Group(k), (cap - used).max(0)));
        }
        if let Some(cap) = prog.type_cap_fen {
            let k = type_of(vid);
            let used = type_used.get(&k).copied().unwrap_or(0);
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
            pilot_zone.contains(&v.enterprise_id),
        );
        voucher_index.insert(vid.as_str(), plan_vouchers.len());
        plan_vouchers.push(quan_domain::UsageVoucher {
            available: Money::from_fen(available.get(vid).copied().unwrap_or(0)),
            rate,
            caps: idxs,
        });
    }
    let voucher_ids: Vec<&str> = voucher_set.iter().map(|s| s.as_str()).collect();
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
    let mut accepted: Vec<Accepted> = Vec::with_capacity(priced.len());
    let mut per_voucher: BTreeMap<&str, i64> = BTreeMap::new();
    // (part, voucher) → subsidy: each batch keeps its own transfers.
    let mut per_part_voucher: BTreeMap<(usize, &str), i64> = BTreeMap::new();
    let mut per_cap: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    let mut group_deltas: BTreeMap<counters::Key, i64> = BTreeMap::new();
    let mut type_deltas: BTreeMap<counters::Key, i64> = BTreeMap::new();
    for ((r, amount), draw) in priced.iter().zip(draws) {
        let draw = draw.ok_or_else(|| StoreError::Corrupt("usage line without options".into()))?;
        let vid = voucher_ids[draw.voucher];
        let subsidy = draw.subsidy.fen();
        if subsidy > 0 {
            *per_voucher.entry(vid).or_default() += subsidy;
            *per_part_voucher
                .entry((part_of[r.cand.idx], vid))
                .or_default() += subsidy;
            *per_cap.entry(year_key(vid)).or_default() += subsidy;
            *type_deltas.entry(type_of(vid)).or_default() += subsidy;
            if let Some(k) = group_of(vid) {
                *group_deltas.entry(k).or_default() += subsidy;
            }
        }
        accepted.push(Accepted {
            r,
            voucher_id: vid,
            program_id: vouchers[vid].program_id.as_str(),
            amount: amount.fen(),
            subsidy,
        });
    }

    // 6. Writes.
    let subsidy_total: i64 = per_voucher.values().sum();
    if !accepted.is_empty() {
        let rows: Vec<[Val; 15]> = accepted
            .iter()
            .map(|a| {
                let c = &a.r.cand;
                [
                    Val::Text(supplier_id),
                    Val::Text(&c.rec.record_id),
                    Val::Text(&c.rec.product_id),
                    Val::Text(&c.rec.enterprise_id),
                    Val::Text(a.voucher_id),
                    Val::Text(a.program_id),
                    Val::OptText(a.r.city_code.as_deref()),
                    Val::Text(&c.started_at),
                    Val::Text(&c.ended_at),
                    Val::Int(accelerator_seconds(a.r.unit, a.r.quantity)),
                    Val::OptInt(other_quantity(a.r.unit, a.r.quantity)),
                    Val::Int(a.amount),
                    Val::Int(a.subsidy),
                    Val::Text(parts[part_of[c.idx]].batch_id),
                    Val::Text(&now.ts),
                ]
            })
            .collect();
        // Rows affected counts only the rows inserted, on both backends: fewer than sent means a
        // concurrent sender got there first.
        let inserted = exec_rows(tx, pg, &rows, true, |v| {
            format!(
                "INSERT INTO usage_records (supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code, started_at, ended_at, \
                 gpu_seconds, quantity, amount_fen, subsidy_fen, batch_id, created_at) {v} \
                 ON CONFLICT (supplier_id, record_id) DO NOTHING"
            )
        })
        .await? as usize;
        if inserted != rows.len() {
            return Err(StoreError::Db(sqlx::Error::Database(Box::new(
                ConcurrentRecord,
            ))));
        }
        // The vouchers this supplier has drawn on: after the first batch, a probe and no write.
        let pairs: Vec<[Val; 2]> = accepted
            .iter()
            .map(|a| a.voucher_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|v| [Val::Text(supplier_id), Val::Text(v)])
            .collect();
        exec_rows(tx, pg, &pairs, true, |v| {
            format!("INSERT INTO usage_voucher_suppliers (supplier_id, voucher_id) {v} ON CONFLICT DO NOTHING")
        })
        .await?;
        let mut rollup = rollups::Delta::default();
        for a in &accepted {
            let c = &a.r.cand;
            rollup.add(
                rollups::Key {
                    day: &c.ended_at[..10.min(c.ended_at.len())],
                    paid_month: &now.ts[..7],
                    supplier_id,
                    product_id: &c.rec.product_id,
                    enterprise_id: &c.rec.enterprise_id,
                    program_id: a.program_id,
                    city_code: a.r.city_code.as_deref().unwrap_or(""),
                },
                accelerator_seconds(a.r.unit, a.r.quantity),
                a.amount,
                a.subsidy,
            );
        }
        rollup.write(tx, pg).await?;
        let mut minutes = rollups::MinuteDelta::default();
        for a in accepted.iter().filter(|a| a.r.city_code.is_some()) {
            minutes.add(
                a.r.city_code.as_deref().unwrap_or(""),
                accelerator_seconds(a.r.unit, a.r.quantity),
            );
        }
        minutes
            .write(tx, pg, &now.ts[..16.min(now.ts.len())])
            .await?;
        for a in &accepted {
            results[a.r.cand.idx] = Some(UsageResult {
                record_id: a.r.cand.rec.record_id.clone(),
                status: UsageStatus::Accepted,
                amount_fen: Some(a.amount),
                subsidy_fen: Some(a.subsidy),
                voucher_id: Some(a.voucher_id.to_string()),
                reason: None,
                message: None,
            });
        }
    }
    if subsidy_total > 0 {
        let transfers: Vec<(String, &str, i64)> = per_part_voucher
            .iter()
            .map(|((k, v), amt)| (format!("usage:{}:{v}", parts[*k].batch_id), *v, *amt))
            .collect();
        ledger::post_usage(
            tx,
            pg,
            &per_voucher,
            &transfers,
            supplier_id,
            subsidy_total,
            &now.ts,
        )
        .await
        .map_err(|e| match e {
            StoreError::Corrupt(m) => {
                StoreError::Corrupt(format!("usage batch {}: {m}", parts[0].batch_id))
            }
            e => e,
        })?;
        // Yearly caps: used_fen += the group's subsidy per (enterprise, program, year).
        let caps: Vec<[Val; 5]> = per_cap
            .iter()
            .map(|(k, d)| {
                [
                    Val::Text(&k.0),
                    Val::Text(&k.1),
                    Val::Int(k.2),
                    Val::Int(*d),
                    Val::Int(cap_keys[k]),
                ]
            })
            .collect();
        let n = exec_rows(tx, pg, &caps, true, |v| {
            format!(
                "INSERT INTO enterprise_year_use (enterprise_id, program_id, year, used_fen, cap_fen) {v} \
                 ON CONFLICT (enterprise_id, program_id, year) DO UPDATE SET used_fen = enterprise_year_use.used_fen + excluded.used_fen, cap_fen = excluded.cap_fen"
            )
        })
        .await?;
        if n != caps.len() as u64 {
            return Err(StoreError::Corrupt(format!(
                "usage batch {}: yearly-cap rows missing",
                parts[0].batch_id
            )));
        }
        counters::add(tx, &counters::GROUP_USE, &group_deltas).await?;
        counters::add(tx, &counters::TYPE_USE, &type_deltas).await?;
    }
    // Answers and one audit record per part.
    let mut results = results.into_iter();
    let mut outs = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        let mine: Vec<UsageResult> = results
            .by_ref()
            .take(part.items.len())
            .map(|r| r.expect("every record has a result"))
            .collect();
        let count = |s: UsageStatus| mine.iter().filter(|r| r.status == s).count() as i64;
        let (mut amount, mut subsidy) = (0i64, 0i64);
        let mut digest = Sha256::new();
        for r in mine.iter().filter(|r| r.status == UsageStatus::Accepted) {
            amount += r.amount_fen.unwrap_or(0);
            subsidy += r.subsidy_fen.unwrap_or(0);
            digest.update(r.record_id.as_bytes());
            digest.update(b"\n");
        }
        let out = UsageBatchResult {
            batch_id: part.batch_id.to_string(),
            accepted: count(UsageStatus::Accepted),
            duplicates: count(UsageStatus::Duplicate),
            rejected: count(UsageStatus::Rejected),
            amount_fen: amount,
            subsidy_fen: subsidy,
            results: mine,
        };
        if out.accepted > 0 {
            let vouchers = per_part_voucher.range((k, "")..(k + 1, "")).count();
            let after = serde_json::json!({
                "supplier_id": supplier_id,
                "accepted": out.accepted,
                "duplicates": out.duplicates,
                "rejected": out.rejected,
                "amount_fen": amount,
                "subsidy_fen": subsidy,
                "vouchers": vouchers,
                "records_sha256": hex::encode(digest.finalize()),
            });
            audit::append(
                tx,
                part.actor,
                "usage.ingest",
                part.batch_id,
                "null",
                &after.to_string(),
                &now.ts,
            )
            .await?;
        }
        outs.push(out);
    }
    Ok(outs)
}

/// A record's metered quantity for its product's unit: accelerator time may come as
/// `gpu_seconds` (the original field) or `quantity`; other units only as `quantity`. At most
/// the unit's plausible maximum per record.
fn metered_quantity(
    rec: &quan_domain::inputs::UsageInput,
    unit: BillingUnit,
) -> std::result::Result<i64, Box<UsageResult>> {
    let q = match rec.quantity {
        Some(q) => q,
        None if unit.is_accelerator_time() => rec.gpu_seconds,
        None => {
            return Err(Box::new(rejected(
                &rec.record_id,
                "unit_mismatch",
                format!(
                    "quantity: product {} is billed per {}; send quantity ({} per unit), not gpu_seconds",
                    rec.product_id,
                    unit.code(),
                    unit.base_per_unit()
                ),
            )))
        }
    };
    if q > unit.quantity_max() {
        return Err(Box::new(rejected(
            &rec.record_id,
            "quantity_absurd",
            format!(
                "quantity: {q} is more than one record may claim ({})",
                unit.quantity_max()
            ),
        )));
    }
    Ok(q)
}

/// What a record adds to the GPU-hour figures: its quantity when the unit is accelerator time.
fn accelerator_seconds(unit: BillingUnit, quantity: i64) -> i64 {
    if unit.is_accelerator_time() {
        quantity
    } else {
        0
    }
}

/// The quantity stored beside `gpu_seconds` for the other units.
fn other_quantity(unit: BillingUnit, quantity: i64) -> Option<i64> {
    (!unit.is_accelerator_time()).then_some(quantity)
}
