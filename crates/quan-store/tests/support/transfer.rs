//! Shared by the SQL-ledger tests: free-form text transfers turned into typed postings.

/// The test's free-form transfer (text accounts, fen), turned into a typed posting for
/// `ledger::post`, the ledger's one entry point.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub id: String,
    pub debit: String,
    pub credit: String,
    pub amount: i64,
    pub kind: Kind,
    pub pending_id: Option<String>,
    pub code: &'static str,
}

pub type Kind = quan_domain::PostingKind;

#[allow(dead_code)]
impl Transfer {
    pub fn single(
        id: impl Into<String>,
        debit: impl Into<String>,
        credit: impl Into<String>,
        amount: i64,
        code: &'static str,
    ) -> Transfer {
        Transfer {
            id: id.into(),
            debit: debit.into(),
            credit: credit.into(),
            amount,
            kind: Kind::Single,
            pending_id: None,
            code,
        }
    }
    pub fn pending(
        id: impl Into<String>,
        debit: impl Into<String>,
        credit: impl Into<String>,
        amount: i64,
        code: &'static str,
    ) -> Transfer {
        Transfer {
            kind: Kind::Pending,
            ..Transfer::single(id, debit, credit, amount, code)
        }
    }
    pub fn posting(&self) -> quan_domain::Posting {
        quan_domain::Posting {
            id: self.id.clone(),
            kind: self.kind,
            debit: self.debit.parse().expect("account id"),
            credit: self.credit.parse().expect("account id"),
            amount: quan_domain::Money::from_fen(self.amount),
            pending_id: self.pending_id.clone(),
            code: self.code,
        }
    }
}
