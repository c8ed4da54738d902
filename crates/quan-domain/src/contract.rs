//! Contracts between an enterprise and a supplier, and the rules a claim against one meets:
//! the right parties and kind, signed inside the program's window, one claim per contract per
//! program (or instalments up to its amount), never claimed in two programs, and the proofs the
//! program asks for.

use chrono::NaiveDate;
use serde::Serialize;

use crate::enterprise::{validate_optional_text, validate_text};
use crate::error::ValidationError;
use crate::ids::{ContractId, EnterpriseId, ProgramId, ReimbursementId, SupplierId};
use crate::inputs::ContractInput;
use crate::money::Money;
use crate::policy::ContractRule;
use crate::program::{parse_date, ProductKind};
use crate::refusal::Refusal;

/// A contract as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contract {
    pub id: ContractId,
    pub contract_number: String,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
    pub kind: ProductKind,
    pub subject: String,
    pub signed_on: NaiveDate,
    pub amount_fen: Money,
    /// Invoice amounts already claimed against it (claims not clawed back), in any program.
    pub claimed_fen: Money,
    pub claim_count: i64,
    pub created_by: String,
    pub created_at: String,
}

/// A reimbursement run as shown: what one enterprise was paid for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reimbursement {
    pub id: ReimbursementId,
    /// The human-readable number (`SD-AP-2026-000123`), shown first and searchable.
    pub number: String,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub period: String,
    /// Everything reimbursable in the run.
    pub total_fen: Money,
    /// Kept to recover what the enterprise owed after clawbacks of reimbursements paid.
    pub receivable_offset_fen: Money,
    /// Paid out: total − offset.
    pub paid_fen: Money,
    pub item_count: i64,
    pub created_by: String,
    pub created_at: String,
}

/// A contract registration, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractRequest {
    pub number: String,
    pub kind: ProductKind,
    pub subject: String,
    pub signed_on: NaiveDate,
    pub amount: Money,
}

impl ContractRequest {
    /// Checks the fields: a number of letters, digits and `-_/.()` (1–64), a known kind, a
    /// subject, a date, a positive amount.
    pub fn parse(i: &ContractInput) -> Result<ContractRequest, ValidationError> {
        let number = validate_text("contract_number", &i.contract_number, 64)?;
        if !number
            .chars()
            .all(|c| c.is_alphanumeric() || "-_/.()（）".contains(c))
        {
            return Err(ValidationError::new(
                "contract_number",
                "invalid_text",
                format!(
                    "contract_number: {number:?} may hold only letters, digits and - _ / . ( )"
                ),
            ));
        }
        Ok(ContractRequest {
            number,
            kind: ProductKind::parse("kind", &i.kind)?,
            subject: validate_text("subject", &i.subject, 500)?,
            signed_on: parse_date("signed_on", &i.signed_on)?,
            amount: Money::positive("amount_fen", i.amount_fen)?,
        })
    }
}

/// The contract a claim names, as the claim's plan reads it (the contract row locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractFacts {
    pub id: ContractId,
    pub enterprise_id: EnterpriseId,
    pub supplier_id: SupplierId,
    pub kind: ProductKind,
    pub signed_on: NaiveDate,
    pub amount: Money,
    /// Live claims (not clawed back) against it in the claim's program: count and invoice sum.
    pub claims_here: i64,
    pub claimed_here: Money,
    /// A program other than the claim's where it was already claimed.
    pub claimed_elsewhere: Option<ProgramId>,
}

/// What one claim brings about its contract and proofs.
#[derive(Clone, Copy, Debug)]
pub struct ContractClaim<'a> {
    pub contract_id: Option<&'a ContractId>,
    pub contract: Option<&'a ContractFacts>,
    pub enterprise: &'a EnterpriseId,
    pub supplier: &'a SupplierId,
    pub kind: ProductKind,
    pub invoice_amount: Money,
    pub invoice_date: NaiveDate,
    pub delivery_proof: Option<&'a str>,
}

/// Checks a claim against the program's contract rule; every refusal names its rule.
pub fn check_contract(rule: &ContractRule, c: &ContractClaim) -> Result<(), Refusal> {
    if rule.delivery_proof && c.delivery_proof.is_none_or(|p| p.trim().is_empty()) {
        return Err(Refusal::invalid(
            "required",
            "delivery_proof",
            "delivery_proof: this program pays only with a proof of delivery",
        ));
    }
    let Some(id) = c.contract_id else {
        return if rule.required {
            Err(Refusal::invalid(
                "contract_required",
                "contract_id",
                "contract_id: this program pays only for invoices under a registered contract",
            ))
        } else {
            Ok(())
        };
    };
    let k = c.contract.filter(|k| &k.id == id).ok_or_else(|| Refusal {
        kind: crate::RefusalKind::NotFound,
        code: "not_found",
        field: Some("contract_id".into()),
        message: format!("contract_id: no contract {id}"),
    })?;
    check_contract_terms(rule, c, k)
}

fn check_contract_terms(
    rule: &ContractRule,
    c: &ContractClaim,
    k: &ContractFacts,
) -> Result<(), Refusal> {
    let conflict = |code, msg: String| Err(Refusal::conflict(code, "contract_id", msg));
    if &k.enterprise_id != c.enterprise || &k.supplier_id != c.supplier {
        return conflict(
            "contract_parties",
            "contract_id: the contract is not between this voucher's enterprise and this product's supplier".into(),
        );
    }
    if k.kind != c.kind {
        return conflict(
            "contract_kind",
            format!(
                "contract_id: the contract is for {}, the product is {}",
                k.kind.as_str(),
                c.kind.as_str()
            ),
        );
    }
    let early = rule.signed_from.filter(|f| k.signed_on < *f);
    let late = rule.signed_until.filter(|u| k.signed_on > *u);
    if let Some(bound) = early.or(late) {
        let side = if early.is_some() { "before" } else { "after" };
        return Err(Refusal::invalid(
            "contract_date",
            "contract_id",
            format!(
                "contract_id: the contract was signed on {}, {side} the program's contract window ({bound})",
                k.signed_on
            ),
        ));
    }
    if c.invoice_date < k.signed_on {
        return Err(Refusal::invalid(
            "invoice_before_contract",
            "invoice_date",
            format!(
                "invoice_date: {} is before the contract was signed ({})",
                c.invoice_date, k.signed_on
            ),
        ));
    }
    if let Some(other) = &k.claimed_elsewhere {
        return conflict(
            "double_subsidy",
            format!("contract_id: the contract was already claimed in program {other}; one contract is subsidised by one program"),
        );
    }
    if k.claims_here > 0 && !rule.instalments {
        return conflict(
            "contract_claimed",
            "contract_id: the contract was already claimed in this program (one claim per contract)".into(),
        );
    }
    let total = k.claimed_here.fen().saturating_add(c.invoice_amount.fen());
    if total > k.amount.fen() {
        return conflict(
            "over_contract",
            format!(
                "contract_id: with {} yuan already claimed, this invoice passes the contract's amount of {} yuan",
                k.claimed_here, k.amount
            ),
        );
    }
    Ok(())
}

/// A proof reference (bank slip, acceptance record): optional text of at most 200 characters.
pub fn parse_proof(field: &str, v: &Option<String>) -> Result<Option<String>, ValidationError> {
    v.as_deref()
        .map(|s| validate_optional_text(field, s, 200))
        .transpose()
        .map(|o| o.filter(|s| !s.is_empty()))
}

#[cfg(test)]
#[path = "contract_tests.rs"]
mod tests;
