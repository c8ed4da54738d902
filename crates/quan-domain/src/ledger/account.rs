//! Ledger account ids as a type: which kind of account, and whose. Stored as text
//! (`voucher:<id>`, `budget:<program>:<source>`, …) and parsed back once, at the edge.

use std::fmt;
use std::str::FromStr;

use crate::ids::{EnterpriseId, FundingSourceId, ProgramId, SupplierId, VoucherId};

/// A ledger account.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountId {
    /// Where appropriations come from; may go negative.
    External,
    /// A funding source's unallocated money.
    Source(FundingSourceId),
    /// What a funding source allocated to a program.
    Budget(ProgramId, FundingSourceId),
    /// An issued voucher's balance.
    Voucher(VoucherId),
    /// Subsidy owed to a supplier, not yet settled.
    Payable(SupplierId),
    /// Subsidy paid out to a supplier.
    Settled(SupplierId),
    /// What a supplier owes back after a clawback of money already paid to it: negative while
    /// owed, offset against its next settlement.
    Receivable(SupplierId),
    /// Subsidy owed to an enterprise that paid in full (the *enterprise reimbursed* mode).
    Reimbursable(EnterpriseId),
    /// Subsidy paid out to an enterprise.
    Reimbursed(EnterpriseId),
    /// What an enterprise owes back after a clawback of a reimbursement already paid to it.
    EnterpriseReceivable(EnterpriseId),
}

impl AccountId {
    /// The `kind` column of the account row.
    pub fn kind(&self) -> &'static str {
        match self {
            AccountId::External => "external",
            AccountId::Source(_) => "funding_source",
            AccountId::Budget(..) => "program_budget",
            AccountId::Voucher(_) => "voucher",
            AccountId::Payable(_) => "supplier_payable",
            AccountId::Settled(_) => "supplier_settled",
            AccountId::Receivable(_) => "supplier_receivable",
            AccountId::Reimbursable(_) => "enterprise_payable",
            AccountId::Reimbursed(_) => "enterprise_settled",
            AccountId::EnterpriseReceivable(_) => "enterprise_receivable",
        }
    }

    /// Only the external account and a receivable (a claim on the supplier or enterprise) may
    /// be overdrawn.
    pub fn may_go_negative(&self) -> bool {
        matches!(
            self,
            AccountId::External | AccountId::Receivable(_) | AccountId::EnterpriseReceivable(_)
        )
    }

    /// The funding source whose money this account holds, if it is a source or budget account.
    pub fn funding_source(&self) -> Option<&FundingSourceId> {
        match self {
            AccountId::Source(s) | AccountId::Budget(_, s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountId::External => f.write_str("external"),
            AccountId::Source(s) => write!(f, "source:{s}"),
            AccountId::Budget(p, s) => write!(f, "budget:{p}:{s}"),
            AccountId::Voucher(v) => write!(f, "voucher:{v}"),
            AccountId::Payable(s) => write!(f, "payable:{s}"),
            AccountId::Settled(s) => write!(f, "settled:{s}"),
            AccountId::Receivable(s) => write!(f, "receivable:{s}"),
            AccountId::Reimbursable(e) => write!(f, "reimbursable:{e}"),
            AccountId::Reimbursed(e) => write!(f, "reimbursed:{e}"),
            AccountId::EnterpriseReceivable(e) => write!(f, "ent_receivable:{e}"),
        }
    }
}

/// Who a subsidy is paid to: the supplier (it redeemed the voucher) or the enterprise (it paid
/// in full and is reimbursed). Each payee has a payable, a settled and a receivable account.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Payee {
    Supplier(SupplierId),
    Enterprise(EnterpriseId),
}

impl Payee {
    /// What is owed to the payee and not yet paid out.
    pub fn payable(&self) -> AccountId {
        match self {
            Payee::Supplier(s) => AccountId::Payable(s.clone()),
            Payee::Enterprise(e) => AccountId::Reimbursable(e.clone()),
        }
    }
    /// What has been paid out to the payee.
    pub fn settled(&self) -> AccountId {
        match self {
            Payee::Supplier(s) => AccountId::Settled(s.clone()),
            Payee::Enterprise(e) => AccountId::Reimbursed(e.clone()),
        }
    }
    /// What the payee owes back after a clawback of money already paid to it.
    pub fn receivable(&self) -> AccountId {
        match self {
            Payee::Supplier(s) => AccountId::Receivable(s.clone()),
            Payee::Enterprise(e) => AccountId::EnterpriseReceivable(e.clone()),
        }
    }
    /// `supplier` or `enterprise`, as stored on a redemption.
    pub fn kind(&self) -> &'static str {
        match self {
            Payee::Supplier(_) => "supplier",
            Payee::Enterprise(_) => "enterprise",
        }
    }
    /// The payee's id.
    pub fn id(&self) -> &str {
        match self {
            Payee::Supplier(s) => s.as_str(),
            Payee::Enterprise(e) => e.as_str(),
        }
    }
    /// Rebuilds a payee from the stored kind and the redemption's two parties.
    pub fn of(kind: &str, supplier: &SupplierId, enterprise: &EnterpriseId) -> Payee {
        if kind == "enterprise" {
            Payee::Enterprise(enterprise.clone())
        } else {
            Payee::Supplier(supplier.clone())
        }
    }
}

/// A stored account id that is none of the known shapes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a ledger account id")]
pub struct BadAccountId(pub String);

impl FromStr for AccountId {
    type Err = BadAccountId;
    /// Ids of programs and sources contain no `:` (they are generated or validated), so the
    /// budget account splits at its first colon after the prefix.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadAccountId(s.to_string());
        if s == "external" {
            return Ok(AccountId::External);
        }
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        if rest.is_empty() {
            return Err(bad());
        }
        Ok(match kind {
            "source" => AccountId::Source(rest.into()),
            "budget" => {
                let (p, src) = rest.split_once(':').ok_or_else(bad)?;
                if p.is_empty() || src.is_empty() {
                    return Err(bad());
                }
                AccountId::Budget(p.into(), src.into())
            }
            "voucher" => AccountId::Voucher(rest.into()),
            "payable" => AccountId::Payable(rest.into()),
            "settled" => AccountId::Settled(rest.into()),
            "receivable" => AccountId::Receivable(rest.into()),
            "reimbursable" => AccountId::Reimbursable(rest.into()),
            "reimbursed" => AccountId::Reimbursed(rest.into()),
            "ent_receivable" => AccountId::EnterpriseReceivable(rest.into()),
            _ => return Err(bad()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_shapes() {
        let b = AccountId::Budget("prg_1".into(), "src_a".into());
        assert_eq!(b.to_string(), "budget:prg_1:src_a");
        assert_eq!("budget:prg_1:src_a".parse::<AccountId>(), Ok(b.clone()));
        assert_eq!(b.funding_source().map(|s| s.as_str()), Some("src_a"));
        assert_eq!("external".parse::<AccountId>(), Ok(AccountId::External));
        for bad in [
            "",
            "voucher:",
            "budget:p",
            "budget::s",
            "bogus:x",
            "external:1",
        ] {
            assert!(bad.parse::<AccountId>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(kind in 0u8..10, a in "[a-z0-9_]{1,12}", b in "[a-z0-9_]{1,12}") {
            let id = match kind {
                0 => AccountId::External,
                1 => AccountId::Source(a.as_str().into()),
                2 => AccountId::Budget(a.as_str().into(), b.as_str().into()),
                3 => AccountId::Voucher(a.as_str().into()),
                4 => AccountId::Payable(a.as_str().into()),
                5 => AccountId::Receivable(a.as_str().into()),
                6 => AccountId::Reimbursable(a.as_str().into()),
                7 => AccountId::Reimbursed(a.as_str().into()),
                8 => AccountId::EnterpriseReceivable(a.as_str().into()),
                _ => AccountId::Settled(a.as_str().into()),
            };
            prop_assert_eq!(id.to_string().parse::<AccountId>(), Ok(id));
        }
    }
}
