//! Human-readable document numbers: `SD-AP-2026-000123` — region, kind, year, a sequence per kind
//! and year. Ids stay the keys; numbers are what people read, say on the phone and search for.

/// The kinds of document that carry a number.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Application,
    Voucher,
    Redemption,
    Settlement,
    Reimbursement,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Application,
        DocumentKind::Voucher,
        DocumentKind::Redemption,
        DocumentKind::Settlement,
        DocumentKind::Reimbursement,
    ];

    /// The two letters in the number (and the key of its sequence).
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Application => "AP",
            DocumentKind::Voucher => "VC",
            DocumentKind::Redemption => "RD",
            DocumentKind::Settlement => "ST",
            DocumentKind::Reimbursement => "RB",
        }
    }
}

/// The `n`th document of `kind` in `year`: at least six digits, more when a year passes 999,999.
pub fn document_number(kind: DocumentKind, year: i32, n: i64) -> String {
    format!("SD-{}-{year}-{n:06}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_as_the_console_shows_it() {
        assert_eq!(
            document_number(DocumentKind::Application, 2026, 123),
            "SD-AP-2026-000123"
        );
        assert_eq!(
            document_number(DocumentKind::Redemption, 2027, 1_234_567),
            "SD-RD-2027-1234567"
        );
    }

    proptest! {
        /// Numbers of one kind and year sort in the order they were given (up to 999,999 a
        /// year), and never collide across kinds, years or sequence values.
        #[test]
        fn ordered_and_distinct(a in 1i64..999_999, b in 1i64..999_999, y in 2000i32..2100) {
            let k = DocumentKind::Voucher;
            prop_assert_eq!(a.cmp(&b), document_number(k, y, a).cmp(&document_number(k, y, b)));
            for other in DocumentKind::ALL.into_iter().filter(|o| *o != k) {
                prop_assert_ne!(document_number(k, y, a), document_number(other, y, a));
            }
            prop_assert_ne!(document_number(k, y, a), document_number(k, y + 1, a));
        }
    }
}
