//! Invoice redemption and clawback as plans: the store loads the facts (under the locks the
//! plan's postings need), these functions decide, the store writes what they return.

use chrono::NaiveDate;

use super::voucher::{split_to_sources, Funded};
use crate::contract::{check_contract, parse_proof, ContractClaim, ContractFacts};
use crate::enterprise::{related_since, validate_text, PartyFile};
use crate::error::ValidationError;
use crate::ids::{
    ContractId, EnterpriseId, ProductId, ProgramId, RedemptionId, SupplierId, VoucherId,
};
use crate::inputs::RedemptionInput;
use crate::integrity::{refuse_listed, Listing, PartyKind};
use crate::ledger::{AccountId, Payee, Posting};
use crate::lifecycle::{RedemptionEvent, RedemptionStatus, VoucherStatus};
use crate::money::{Money, Rate};
use crate::policy::{HoldReason, ProgramPolicy, RedemptionMode};
use crate::program::parse_date;
use crate::program::{ProductKind, VoucherType};
use crate::redemption::{redemption_quote, CapsLeft, InvoiceNumber};
use crate::refusal::Refusal;

/// Whose records an actor may touch: `Some` limits an enterprise or supplier user to its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub enterprise: Option<EnterpriseId>,
    pub supplier: Option<SupplierId>,
}

impl Scope {
    /// Whether the actor may see records of this enterprise.
    pub fn sees_enterprise(&self, id: &EnterpriseId) -> bool {
        self.enterprise.as_ref().is_none_or(|own| own == id)
    }
    /// Whether the actor may see records of this supplier.
    pub fn sees_supplier(&self, id: &SupplierId) -> bool {
        self.supplier.as_ref().is_none_or(|own| own == id)
    }
}

/// A redemption request, parsed once from what the caller sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionRequest {
    pub voucher_id: VoucherId,
    pub product_id: ProductId,
    pub invoice: InvoiceNumber,
    pub invoice_amount: Money,
    pub invoice_date: NaiveDate,
    pub contract_id: Option<ContractId>,
    pub payment_proof: Option<String>,
    pub delivery_proof: Option<String>,
}

impl RedemptionRequest {
    /// Parses the request's fields: the invoice number's shape, a positive amount, a date.
    pub fn parse(input: &RedemptionInput) -> Result<RedemptionRequest, ValidationError> {
        let invoice = InvoiceNumber::parse("invoice_number", &input.invoice_number)?;
        let invoice_amount = Money::positive("invoice_amount_fen", input.invoice_amount_fen)?;
        let invoice_date = parse_date("invoice_date", &input.invoice_date)?;
        validate_text("voucher_id", &input.voucher_id, 100)?;
        validate_text("product_id", &input.product_id, 100)?;
        let contract_id = parse_proof("contract_id", &input.contract_id)?.map(ContractId::new);
        Ok(RedemptionRequest {
            voucher_id: input.voucher_id.as_str().into(),
            product_id: input.product_id.as_str().into(),
            invoice,
            invoice_amount,
            invoice_date,
            contract_id,
            payment_proof: parse_proof("payment_proof", &input.payment_proof)?,
            delivery_proof: parse_proof("delivery_proof", &input.delivery_proof)?,
        })
    }
}

/// The voucher as the plan needs it; `available` was read under the account's row lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoucherFacts {
    pub id: VoucherId,
    pub enterprise_id: EnterpriseId,
    pub program_id: ProgramId,
    pub voucher_type: VoucherType,
    pub status: VoucherStatus,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub available: Money,
}

/// The product paid for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductFacts {
    pub id: ProductId,
    pub supplier_id: SupplierId,
    pub kind: ProductKind,
    /// Why the product (or its supplier) is suspended, if it is.
    pub suspended: Option<String>,
}

/// A party's registered file, as far as integrity rules read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartyFacts {
    /// The party's dishonesty-list entry in force today, if any.
    pub listing: Option<Listing>,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    pub actual_controller: String,
    /// Earlier versions of the file, replaced after the transaction's date (the rule reads
    /// every version in force since then).
    pub superseded: Vec<crate::enterprise::SupersededFile>,
}

impl PartyFacts {
    /// The file as the affiliation rule reads it.
    pub fn file(&self) -> PartyFile<'_> {
        PartyFile {
            legal_rep: &self.legal_rep,
            shareholders: &self.shareholders,
            actual_controller: &self.actual_controller,
        }
    }
}

/// What is loaded once both the voucher and the product exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionTerms {
    /// The product is on the voucher's program's selected list.
    pub product_eligible: bool,
    pub enterprise: PartyFacts,
    pub supplier: PartyFacts,
    /// The invoice number was already used anywhere on the platform.
    pub invoice_used: bool,
    pub rate: Rate,
    pub program_year: i64,
    /// What is left of the enterprise's yearly cap for this program (read under its lock).
    pub year_cap_left: Money,
    /// The program's own rules.
    pub policy: ProgramPolicy,
    pub enterprise_pilot_zone: bool,
    /// Subsidy already paid or payable to this supplier in this program (not clawed back),
    /// read under the supplier's payable lock.
    pub supplier_paid: Money,
    /// Earlier invoices of this enterprise to this supplier within the split window before the
    /// invoice date: their sum and count (zero when the program has no split rule).
    pub split_earlier: Money,
    pub split_earlier_count: i64,
    /// The enterprise already has metered usage of this product in the invoice's month.
    pub metered_same_month: bool,
    /// The contract the request names (its row locked), if it names one that exists.
    pub contract: Option<ContractFacts>,
    /// Under a group cap: what is left of it for the enterprise's actual-controller group this
    /// year (its row locked). `None` when the program has no group cap or the file names no
    /// actual controller.
    pub group_cap_left: Option<Money>,
    /// Under a cap per voucher type across programs: what is left of it for the enterprise this
    /// year (its row locked). `None` when the program sets no such cap.
    pub type_cap_left: Option<Money>,
}

/// Everything [`plan_redemption`] decides from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionFacts {
    pub today: NaiveDate,
    pub scope: Scope,
    pub voucher: Option<VoucherFacts>,
    pub product: Option<ProductFacts>,
    /// `None` when the voucher or the product is missing.
    pub terms: Option<RedemptionTerms>,
}

/// What to write for an accepted redemption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionPlan {
    pub id: RedemptionId,
    pub voucher_id: VoucherId,
    pub program_id: ProgramId,
    pub enterprise_id: EnterpriseId,
    pub supplier_id: SupplierId,
    /// Who is paid the subsidy: the supplier, or the enterprise in the reimbursed mode.
    pub payee: Payee,
    pub subsidy: Money,
    pub enterprise_pays: Money,
    /// Added to the enterprise's yearly use of the program.
    pub year: i64,
    /// The voucher type whose yearly use across programs grows by the subsidy.
    pub voucher_type: VoucherType,
    pub posting: Posting,
    /// Why the redemption is held for review instead of payable (a suspected split purchase).
    pub hold: Option<HoldReason>,
    /// The actual-controller group whose yearly use grows by the subsidy (under a group cap).
    pub group: Option<String>,
}

fn no_voucher(req: &RedemptionRequest) -> Refusal {
    Refusal {
        kind: crate::RefusalKind::NotFound,
        code: "not_found",
        field: Some("voucher_id".into()),
        message: format!("voucher_id: no voucher {}", req.voucher_id),
    }
}

fn no_product(req: &RedemptionRequest) -> Refusal {
    Refusal {
        kind: crate::RefusalKind::NotFound,
        code: "not_found",
        field: Some("product_id".into()),
        message: format!("product_id: no product {}", req.product_id),
    }
}

/// Checks the voucher can pay for the product on the invoice's date (validity, kind, list).
fn check_voucher(
    req: &RedemptionRequest,
    v: &VoucherFacts,
    p: &ProductFacts,
    t: &RedemptionTerms,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if v.voucher_type.product_kind() != p.kind {
        return Err(Refusal::conflict(
            "product_kind_mismatch",
            "product_id",
            format!(
                "product_id: a {} voucher cannot pay for a {} product",
                v.voucher_type.as_str(),
                p.kind.as_str()
            ),
        ));
    }
    if let Some(why) = &p.suspended {
        return Err(Refusal::conflict(
            "product_suspended",
            "product_id",
            format!("product_id: the product or its supplier is suspended ({why})"),
        ));
    }
    if !t.product_eligible {
        return Err(Refusal::conflict(
            "product_not_eligible",
            "product_id",
            "product_id: the product is not on this program's selected list",
        ));
    }
    if v.status != VoucherStatus::Active || today > v.valid_until {
        return Err(Refusal::conflict(
            "voucher_expired",
            "voucher_id",
            format!("voucher_id: the voucher expired on {}", v.valid_until),
        ));
    }
    if today < v.valid_from {
        return Err(Refusal::conflict(
            "voucher_not_active",
            "voucher_id",
            format!("voucher_id: the voucher is valid from {}", v.valid_from),
        ));
    }
    let d = req.invoice_date;
    if d < v.valid_from || d > v.valid_until {
        return Err(Refusal::invalid(
            "outside_validity",
            "invoice_date",
            format!(
                "invoice_date: {d} is outside the voucher's validity {} to {}",
                v.valid_from, v.valid_until
            ),
        ));
    }
    if d > today {
        return Err(Refusal::invalid(
            "in_future",
            "invoice_date",
            format!("invoice_date: {d} is in the future"),
        ));
    }
    Ok(())
}

/// Integrity rules between the parties: dishonesty list, affiliation, one use per invoice.
fn check_parties(req: &RedemptionRequest, t: &RedemptionTerms) -> Result<(), Refusal> {
    if let Some(l) = &t.enterprise.listing {
        return Err(refuse_listed(PartyKind::Enterprise, "redeem a voucher", l));
    }
    if let Some(l) = &t.supplier.listing {
        return Err(refuse_listed(
            PartyKind::Supplier,
            "be paid by a voucher",
            l,
        ));
    }
    let related = related_since(
        &t.enterprise.file(),
        &t.enterprise.superseded,
        &t.supplier.file(),
        req.invoice_date,
    );
    if !related.is_empty() {
        return Err(Refusal::conflict_general(
            "affiliated",
            format!(
                "the enterprise and the supplier are affiliated: {}",
                related.join("; ")
            ),
        ));
    }
    if t.metered_same_month {
        return Err(Refusal::conflict(
            "double_subsidy",
            "invoice_date",
            format!(
                "invoice_date: the enterprise's metered usage of this product in {} is already subsidised; the same month is not paid twice",
                req.invoice_date.format("%Y-%m")
            ),
        ));
    }
    if t.invoice_used {
        return Err(Refusal::conflict(
            "duplicate_invoice",
            "invoice_number",
            format!(
                "invoice_number: invoice {} has already been used",
                req.invoice
            ),
        ));
    }
    Ok(())
}

/// Decides an invoice redemption: subsidy = rate × invoice amount rounded down, capped by the
/// voucher's available balance and the enterprise's yearly cap; refused when nothing is left.
pub fn plan_redemption(
    req: &RedemptionRequest,
    facts: &RedemptionFacts,
    id: RedemptionId,
) -> Result<RedemptionPlan, Refusal> {
    let v = facts
        .voucher
        .as_ref()
        .filter(|v| facts.scope.sees_enterprise(&v.enterprise_id))
        .ok_or_else(|| no_voucher(req))?;
    let p = facts
        .product
        .as_ref()
        .filter(|p| facts.scope.sees_supplier(&p.supplier_id))
        .ok_or_else(|| no_product(req))?;
    let t = facts.terms.as_ref().ok_or_else(|| no_voucher(req))?;
    // A request built without `parse` (seed, simulation) still meets the amount rule.
    Money::positive("invoice_amount_fen", req.invoice_amount.fen())?;
    check_mode(req, &facts.scope, t.policy.mode)?;
    check_voucher(req, v, p, t, facts.today)?;
    check_parties(req, t)?;
    check_contract(
        &t.policy.contract,
        &ContractClaim {
            contract_id: req.contract_id.as_ref(),
            contract: t.contract.as_ref(),
            enterprise: &v.enterprise_id,
            supplier: &p.supplier_id,
            kind: p.kind,
            invoice_amount: req.invoice_amount,
            invoice_date: req.invoice_date,
            delivery_proof: req.delivery_proof.as_deref(),
        },
    )?;
    if let Some(min) = t.policy.min_invoice.filter(|m| req.invoice_amount < *m) {
        return Err(Refusal::invalid(
            "below_min_invoice",
            "invoice_amount_fen",
            format!(
                "invoice_amount_fen: the program pays for invoices of at least {min} yuan; this one is {}",
                req.invoice_amount
            ),
        ));
    }
    let supplier_left = t
        .policy
        .supplier_cap
        .map(|cap| Money::from_fen((cap.fen() - t.supplier_paid.fen()).max(0)));
    let caps = CapsLeft {
        year: t.year_cap_left,
        supplier: supplier_left,
        group: t.group_cap_left,
        voucher_type: t.type_cap_left,
    };
    let rate = t.policy.rate_for(t.rate, t.enterprise_pilot_zone);
    let quote = redemption_quote(req.invoice_amount, rate, v.available, &caps);
    if !quote.subsidy.is_positive() {
        let (code, msg) = match quote.capped_by {
            _ if supplier_left.is_some_and(|l| !l.is_positive()) => (
                "supplier_cap",
                "the supplier has been paid this program's cap per supplier",
            ),
            _ if t.group_cap_left.is_some_and(|l| !l.is_positive()) => (
                "group_year_cap",
                "the enterprises with this actual controller have together reached this program's yearly group cap",
            ),
            _ if t.type_cap_left.is_some_and(|l| !l.is_positive()) => (
                "type_year_cap",
                "the enterprise has reached this year's cap for all programs of this voucher type together",
            ),
            Some("enterprise_year_cap") => (
                "enterprise_year_cap",
                "the enterprise has reached this program's yearly cap",
            ),
            _ => ("voucher_exhausted", "the voucher has no balance left"),
        };
        return Err(Refusal::conflict(
            code,
            "voucher_id",
            format!("voucher_id: {msg}"),
        ));
    }
    let payee = match t.policy.mode {
        RedemptionMode::SupplierRedeems => Payee::Supplier(p.supplier_id.clone()),
        RedemptionMode::EnterpriseReimbursed => Payee::Enterprise(v.enterprise_id.clone()),
    };
    let posting = Posting::single(
        format!("redeem:{id}"),
        AccountId::Voucher(v.id.clone()),
        payee.payable(),
        quote.subsidy,
        "redeem",
    );
    Ok(RedemptionPlan {
        id,
        voucher_id: v.id.clone(),
        program_id: v.program_id.clone(),
        enterprise_id: v.enterprise_id.clone(),
        supplier_id: p.supplier_id.clone(),
        payee,
        subsidy: quote.subsidy,
        enterprise_pays: quote.enterprise_pays,
        year: t.program_year,
        voucher_type: v.voucher_type,
        posting,
        hold: t.policy.split.and_then(|rule| {
            HoldReason::split(
                &rule,
                req.invoice_amount,
                t.split_earlier,
                t.split_earlier_count,
            )
        }),
        group: t
            .group_cap_left
            .map(|_| t.enterprise.actual_controller.trim().to_string()),
    })
}

/// Who may claim under the program's mode: the supplier when it redeems, the enterprise (with
/// proof of payment in full) when it is reimbursed; an administrator may file either.
fn check_mode(req: &RedemptionRequest, scope: &Scope, mode: RedemptionMode) -> Result<(), Refusal> {
    match mode {
        RedemptionMode::SupplierRedeems if scope.enterprise.is_some() => {
            Err(Refusal::conflict_general(
                "redemption_mode",
                "in this program the supplier redeems the voucher: the enterprise pays its share and the supplier submits the invoice",
            ))
        }
        RedemptionMode::EnterpriseReimbursed if scope.supplier.is_some() => {
            Err(Refusal::conflict_general(
                "redemption_mode",
                "this program reimburses the enterprise: the enterprise pays in full and submits the contract, invoice and proof of payment",
            ))
        }
        RedemptionMode::EnterpriseReimbursed if req.payment_proof.is_none() => Err(Refusal::invalid(
            "required",
            "payment_proof",
            "payment_proof: the enterprise is reimbursed only with proof that it paid the invoice in full",
        )),
        _ => Ok(()),
    }
}

/// A redemption as clawback reads it (row locked), with what each budget posted to its voucher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClawbackFacts {
    pub id: RedemptionId,
    pub status: RedemptionStatus,
    pub subsidy: Money,
    pub voucher_id: VoucherId,
    /// Who was (or is to be) paid the subsidy.
    pub payee: Payee,
    pub funded: Vec<Funded>,
}

/// What a clawback writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClawbackPlan {
    pub next: RedemptionStatus,
    /// Subtracted from the enterprise's yearly use of the program.
    pub year_use_released: Money,
    /// Owed back by the supplier (it had been paid): offset against its next settlement.
    pub receivable: Money,
    pub postings: Vec<Posting>,
}

/// Reverses a redemption: the subsidy goes back to the funding sources in the shares that
/// funded the voucher, never to the voucher (the enterprise cannot spend it again). Unsettled,
/// it leaves the supplier's payable; already settled, the supplier owes it (`receivable`).
pub fn plan_clawback(f: &ClawbackFacts) -> Result<ClawbackPlan, Refusal> {
    let next = f
        .status
        .apply(RedemptionEvent::Clawback)
        .map_err(|e| Refusal::conflict_general("invalid_state", e.to_string()))?;
    let settled = f.status == RedemptionStatus::Settled;
    let from = if settled {
        f.payee.receivable()
    } else {
        f.payee.payable()
    };
    let postings = split_to_sources(
        &from,
        f.subsidy,
        &f.funded,
        &format!("clawback:{}", f.id),
        "clawback",
    )
    .map_err(|e| {
        Refusal::conflict_general(
            "voucher_unfunded",
            format!(
                "voucher {} has no funding to return the clawback to: {e}",
                f.voucher_id
            ),
        )
    })?;
    Ok(ClawbackPlan {
        next,
        year_use_released: f.subsidy,
        receivable: if settled { f.subsidy } else { Money::ZERO },
        postings,
    })
}

#[cfg(test)]
#[path = "redemption_tests.rs"]
mod tests;
