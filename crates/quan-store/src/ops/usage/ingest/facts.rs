//! Step 2 of a round, the facts: reference data for the whole group in a handful of `IN (…)`
//! queries — the supplier's file, products, the compute and model programs that list them, who
//! is on the dishonesty list, the enterprises' files (under their share locks, with the versions
//! replaced since the earliest record) and their vouchers.
use std::collections::{BTreeSet, HashMap, HashSet};

use quan_domain::{BillingUnit, Listing, SupersededFile};
use sqlx::Row;

use super::super::super::counters;
use super::super::super::rowset::select_in;
use super::super::super::Now;
use super::super::checks::Cand;
use super::{shareholders_of, FileOf};
use crate::db::Tx;
use crate::error::{Result, StoreError};

pub(super) struct ProductRef {
    pub suspended: bool,
    pub supplier_id: String,
    pub kind: String,
    pub city_code: Option<String>,
    pub price: Option<i64>,
    pub unit: BillingUnit,
}

#[derive(Clone)]
pub(super) struct ProgramRef {
    pub rate_bps: i64,
    /// Added for pilot-zone enterprises (the program's policy, as on invoices).
    pub pilot_bonus_bps: i64,
    /// Most subsidy one supplier may be paid in the program (the policy's supplier cap).
    pub supplier_cap_fen: Option<i64>,
    pub year: i64,
    pub cap_fen: i64,
    /// The enterprise is reimbursed against its invoices: metered usage is not redeemed.
    pub reimbursed: bool,
    /// The actual-controller group's yearly cap (the policy's, as on invoices).
    pub group_cap_fen: Option<i64>,
    /// The yearly cap per voucher type across programs.
    pub type_cap_fen: Option<i64>,
}

pub(super) struct VoucherRef {
    pub program_id: String,
    pub enterprise_id: String,
    pub voucher_type: String,
    pub valid_from: String,
    pub valid_until: String,
    pub status: String,
}

/// What a round decides from, read once for the group.
pub(super) struct Facts {
    pub supplier_file: FileOf,
    pub supplier_suspended: bool,
    pub products: HashMap<String, ProductRef>,
    /// product → the programs listing it.
    pub listing: HashMap<String, Vec<String>>,
    pub programs: HashMap<String, ProgramRef>,
    /// Parties on the dishonesty list today.
    pub listed: HashMap<String, Listing>,
    pub enterprises: HashMap<String, FileOf>,
    pub pilot_zone: HashSet<String>,
    pub superseded: HashMap<String, Vec<SupersededFile>>,
    pub vouchers: HashMap<String, VoucherRef>,
    /// enterprise → its active compute and model vouchers, oldest expiry first.
    pub by_enterprise: HashMap<String, Vec<String>>,
}

impl Facts {
    /// The yearly-cap row a voucher counts against: (enterprise, program, year).
    pub fn year_key(&self, vid: &str) -> counters::Key {
        let v = &self.vouchers[vid];
        (
            v.enterprise_id.clone(),
            v.program_id.clone(),
            self.programs[&v.program_id].year,
        )
    }

    /// The actual-controller group's row, when the program caps groups and the enterprise has one.
    pub fn group_of(&self, vid: &str) -> Option<counters::Key> {
        let v = &self.vouchers[vid];
        let prog = &self.programs[&v.program_id];
        let controller = self.enterprises.get(&v.enterprise_id)?.2.trim();
        (prog.group_cap_fen.is_some() && !controller.is_empty())
            .then(|| (v.program_id.clone(), controller.to_string(), prog.year))
    }

    /// The voucher type's yearly row: (enterprise, type, year).
    pub fn type_of(&self, vid: &str) -> counters::Key {
        let v = &self.vouchers[vid];
        (
            v.enterprise_id.clone(),
            v.voucher_type.clone(),
            self.programs[&v.program_id].year,
        )
    }
}

fn distinct<'a>(it: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    it.collect::<BTreeSet<_>>().into_iter().collect()
}

/// Loads the facts of a round for the candidates that passed the pure checks.
pub(super) async fn load(
    tx: &mut Tx,
    pg: bool,
    supplier_id: &str,
    cands: &[Cand<'_>],
    now: &Now,
) -> Result<Facts> {
    let (supplier_file, supplier_suspended) = supplier(tx, supplier_id).await?;
    let product_ids = distinct(cands.iter().map(|c| c.rec.product_id.as_str()));
    let enterprise_ids = distinct(cands.iter().map(|c| c.rec.enterprise_id.as_str()));
    let explicit_ids = distinct(cands.iter().filter_map(|c| c.rec.voucher_id.as_deref()));
    let products = products(tx, pg, &product_ids).await?;
    let (listing, programs) = listing(tx, pg, &product_ids).await?;
    let listed = super::super::super::integrity::listings_on(tx, now.today).await?;
    super::super::super::enterprises::hold_files(tx, &enterprise_ids).await?;
    let earliest = cands
        .iter()
        .filter_map(|c| c.end_date.parse::<chrono::NaiveDate>().ok())
        .min()
        .unwrap_or(now.today);
    let superseded =
        super::super::super::enterprises::superseded_since(tx, &enterprise_ids, earliest).await?;
    let (enterprises, pilot_zone) = enterprises(tx, pg, &enterprise_ids).await?;
    let vouchers = vouchers(tx, pg, &enterprise_ids, explicit_ids).await?;
    let mut by_enterprise: HashMap<String, Vec<String>> = HashMap::new();
    for (id, v) in &vouchers {
        if (v.voucher_type == "compute" || v.voucher_type == "model") && v.status == "active" {
            by_enterprise
                .entry(v.enterprise_id.clone())
                .or_default()
                .push(id.clone());
        }
    }
    for list in by_enterprise.values_mut() {
        list.sort_by(|a, b| {
            (vouchers[a].valid_until.as_str(), a).cmp(&(vouchers[b].valid_until.as_str(), b))
        });
    }
    Ok(Facts {
        supplier_file,
        supplier_suspended,
        products,
        listing,
        programs,
        listed,
        enterprises,
        pilot_zone,
        superseded,
        vouchers,
        by_enterprise,
    })
}

async fn supplier(tx: &mut Tx, supplier_id: &str) -> Result<(FileOf, bool)> {
    let supplier = sqlx::query(
        "SELECT legal_rep, shareholders, suspended, actual_controller FROM suppliers WHERE id = $1",
    )
    .bind(supplier_id)
    .fetch_optional(&mut **tx)
    .await?;
    match supplier {
        Some(r) => Ok((
            (
                r.try_get(0)?,
                shareholders_of(&r.try_get::<String, _>(1)?)?,
                r.try_get(3)?,
            ),
            r.try_get::<i64, _>(2)? != 0,
        )),
        None => Err(quan_domain::ValidationError::new(
            "supplier_id",
            "not_found",
            format!("supplier_id: no supplier {supplier_id}"),
        )
        .into()),
    }
}

async fn products(
    tx: &mut Tx,
    pg: bool,
    product_ids: &[&str],
) -> Result<HashMap<String, ProductRef>> {
    let mut products = HashMap::new();
    if product_ids.is_empty() {
        return Ok(products);
    }
    for r in select_in(
        tx,
        pg,
        "id, supplier_id, kind, city_code, price_per_unit_fen, suspended, billing_unit",
        "products",
        "id",
        product_ids,
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
    Ok(products)
}

type Listings = (HashMap<String, Vec<String>>, HashMap<String, ProgramRef>);

/// product → compute and model programs listing it, and those programs' rules.
async fn listing(tx: &mut Tx, pg: bool, product_ids: &[&str]) -> Result<Listings> {
    let mut listing: HashMap<String, Vec<String>> = HashMap::new();
    let mut programs: HashMap<String, ProgramRef> = HashMap::new();
    if product_ids.is_empty() {
        return Ok((listing, programs));
    }
    let rows = select_in(
        tx,
        pg,
        "ep.product_id, p.id, p.rate_bps, p.year, p.enterprise_year_cap_fen, p.pilot_bonus_bps, p.supplier_cap_fen, \
         p.redemption_mode, p.group_year_cap_fen, p.type_year_cap_fen",
        "eligible_products ep JOIN programs p ON p.id = ep.program_id",
        "ep.product_id",
        product_ids,
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
    Ok((listing, programs))
}

/// Each enterprise's file for the affiliation rule, and which are in a pilot zone.
async fn enterprises(
    tx: &mut Tx,
    pg: bool,
    enterprise_ids: &[&str],
) -> Result<(HashMap<String, FileOf>, HashSet<String>)> {
    let mut enterprises: HashMap<String, FileOf> = HashMap::new();
    let mut pilot_zone: HashSet<String> = HashSet::new();
    if enterprise_ids.is_empty() {
        return Ok((enterprises, pilot_zone));
    }
    for r in select_in(
        tx,
        pg,
        "id, legal_rep, shareholders, actual_controller, pilot_zone",
        "enterprises",
        "id",
        enterprise_ids,
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
    Ok((enterprises, pilot_zone))
}

/// The enterprises' active compute and model vouchers, and any named voucher not among them.
async fn vouchers(
    tx: &mut Tx,
    pg: bool,
    enterprise_ids: &[&str],
    explicit_ids: Vec<&str>,
) -> Result<HashMap<String, VoucherRef>> {
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
                enterprise_ids,
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
    let mut vouchers = HashMap::new();
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
    Ok(vouchers)
}
