//! Step 2b of a round, pure: each candidate record to the vouchers it may draw on, or the reason
//! it may draw on none (unknown or foreign product, suspended, not metered, quantity, unknown
//! enterprise, dishonesty list, affiliation, the voucher named or the enterprise's vouchers
//! valid on the day, on the product's selected list, not reimbursed).
use chrono::NaiveDate;
use quan_domain::BillingUnit;

use super::super::checks::Cand;
use super::super::{rejected, UsageResult};
use super::facts::{Facts, ProductRef, VoucherRef};
use super::{file_of, metered_quantity};

/// A candidate with the vouchers it may draw on, in the order they are tried.
pub(super) struct Resolved<'a> {
    pub cand: Cand<'a>,
    pub price: i64,
    pub unit: BillingUnit,
    /// The metered quantity in the unit's base.
    pub quantity: i64,
    pub city_code: Option<String>,
    pub options: Vec<String>,
}

/// Resolves every candidate; a refused one gets its answer in `results`.
pub(super) fn resolve<'a>(
    f: &Facts,
    cands: Vec<Cand<'a>>,
    supplier_id: &str,
    today: NaiveDate,
    results: &mut [Option<UsageResult>],
) -> Vec<Resolved<'a>> {
    let mut resolved = Vec::with_capacity(cands.len());
    for c in cands {
        match resolve_one(f, &c, supplier_id, today) {
            Ok((p, price, quantity, options)) => resolved.push(Resolved {
                city_code: p.city_code.clone(),
                price,
                unit: p.unit,
                quantity,
                options,
                cand: c,
            }),
            Err(refusal) => results[c.idx] = Some(*refusal),
        }
    }
    resolved
}

type Refusal = Box<UsageResult>;

fn reject_record(rid: &str, reason: &'static str, msg: impl Into<String>) -> Refusal {
    Box::new(rejected(rid, reason, msg))
}

/// The product, its price, the quantity and the voucher options of one candidate.
fn resolve_one<'f>(
    f: &'f Facts,
    c: &Cand<'_>,
    supplier_id: &str,
    today: NaiveDate,
) -> Result<(&'f ProductRef, i64, i64, Vec<String>), Refusal> {
    let rid = c.rec.record_id.as_str();
    let prod = &c.rec.product_id;
    let Some(p) = f.products.get(prod) else {
        return Err(reject_record(
            rid,
            "unknown_product",
            format!("product_id: no product {prod}"),
        ));
    };
    if p.supplier_id != supplier_id {
        let msg = format!("product_id: {prod} belongs to another supplier");
        return Err(reject_record(rid, "other_supplier_product", msg));
    }
    if p.suspended || f.supplier_suspended {
        let msg = format!("product_id: {prod} or its supplier is suspended");
        return Err(reject_record(rid, "product_suspended", msg));
    }
    let price = match (p.kind.as_str(), p.price) {
        ("compute" | "model", Some(price)) if price > 0 && p.unit.allowed_for(&p.kind) => price,
        _ => {
            return Err(reject_record(
                rid,
                "product_not_eligible",
                format!("product_id: {prod} is not a metered product (computing power, or a model priced by tokens)"),
            ))
        }
    };
    let quantity = metered_quantity(c.rec, p.unit)?;
    let ent = &c.rec.enterprise_id;
    let Some(ent_file) = f.enterprises.get(ent) else {
        return Err(reject_record(
            rid,
            "unknown_enterprise",
            format!("enterprise_id: no enterprise {ent}"),
        ));
    };
    if f.listed.contains_key(supplier_id) || f.listed.contains_key(ent) {
        let msg = "a party to this record is on the dishonesty list";
        return Err(reject_record(rid, "dishonest", msg));
    }
    let related = quan_domain::related_since(
        &file_of(ent_file),
        f.superseded.get(ent).map(|v| v.as_slice()).unwrap_or(&[]),
        &file_of(&f.supplier_file),
        c.end_date.parse().unwrap_or(today),
    );
    if !related.is_empty() {
        let msg = format!(
            "the enterprise and the supplier are affiliated: {}",
            related.join("; ")
        );
        return Err(reject_record(rid, "affiliated", msg));
    }
    let options = match c.rec.voucher_id.as_deref() {
        Some(vid) => vec![named_voucher(f, c, p, vid)?],
        None => enterprise_vouchers(f, c, p)?,
    };
    Ok((p, price, quantity, options))
}

fn listing_of<'f>(f: &'f Facts, product_id: &str) -> &'f [String] {
    f.listing
        .get(product_id)
        .map(|v| v.as_slice())
        .unwrap_or(&[])
}

fn valid_on(v: &VoucherRef, p: &ProductRef, c: &Cand<'_>) -> bool {
    v.status == "active"
        && v.voucher_type == p.kind
        && v.valid_from <= c.end_date
        && c.end_date <= v.valid_until
}

/// The voucher the record names: the enterprise's, valid on the day, supplier-redeemed, its
/// program listing the product.
fn named_voucher(f: &Facts, c: &Cand<'_>, p: &ProductRef, vid: &str) -> Result<String, Refusal> {
    let rid = c.rec.record_id.as_str();
    let ent = &c.rec.enterprise_id;
    let Some(v) = f.vouchers.get(vid).filter(|v| v.enterprise_id == *ent) else {
        let msg = format!("voucher_id: {vid} is not a voucher of enterprise {ent}");
        return Err(reject_record(rid, "voucher_not_owned", msg));
    };
    if !valid_on(v, p, c) {
        let msg = format!(
            "voucher_id: {vid} is not an active compute voucher valid on {}",
            c.end_date
        );
        return Err(reject_record(rid, "no_valid_voucher", msg));
    }
    if f.programs.get(&v.program_id).is_some_and(|p| p.reimbursed) {
        return Err(reject_record(
            rid,
            "redemption_mode",
            format!("voucher_id: {vid}'s program reimburses the enterprise against its invoices; metered usage is not redeemed by the supplier"),
        ));
    }
    if !listing_of(f, &c.rec.product_id).contains(&v.program_id) {
        let msg = format!(
            "product_id: {} is not on the selected list of voucher {vid}'s program",
            c.rec.product_id
        );
        return Err(reject_record(rid, "product_not_eligible", msg));
    }
    Ok(vid.to_string())
}

/// The enterprise's vouchers the record may draw on, oldest expiry first: valid on the day, in a
/// program listing the product, supplier-redeemed.
fn enterprise_vouchers(f: &Facts, c: &Cand<'_>, p: &ProductRef) -> Result<Vec<String>, Refusal> {
    let rid = c.rec.record_id.as_str();
    let listed = listing_of(f, &c.rec.product_id);
    let valid: Vec<&String> = f
        .by_enterprise
        .get(c.rec.enterprise_id.as_str())
        .map(|l| {
            l.iter()
                .filter(|id| valid_on(&f.vouchers[*id], p, c))
                .collect()
        })
        .unwrap_or_default();
    if valid.is_empty() {
        return Err(if listed.is_empty() {
            let msg = format!(
                "product_id: {} is not on any computing-power program's selected list",
                c.rec.product_id
            );
            reject_record(rid, "product_not_eligible", msg)
        } else {
            let msg = format!(
                "enterprise_id: {} holds no active compute voucher valid on {}",
                c.rec.enterprise_id, c.end_date
            );
            reject_record(rid, "no_valid_voucher", msg)
        });
    }
    let listed_valid: Vec<&String> = valid
        .into_iter()
        .filter(|id| listed.contains(&f.vouchers[*id].program_id))
        .collect();
    let eligible: Vec<String> = listed_valid
        .iter()
        .filter(|id| !f.programs[&f.vouchers[**id].program_id].reimbursed)
        .map(|s| s.to_string())
        .collect();
    if eligible.is_empty() && !listed_valid.is_empty() {
        return Err(reject_record(rid, "redemption_mode", "the enterprise's vouchers for this product are in programs that reimburse the enterprise against its invoices; metered usage is not redeemed by the supplier"));
    }
    if eligible.is_empty() {
        let msg = format!(
            "product_id: {} is not on the selected list of the enterprise's compute vouchers",
            c.rec.product_id
        );
        return Err(reject_record(rid, "product_not_eligible", msg));
    }
    Ok(eligible)
}
