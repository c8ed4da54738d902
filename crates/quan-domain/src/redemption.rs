//! Redemption rules: invoice numbers, the subsidy quote, and rating metered compute usage.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::money::{Money, MoneyError, Rate};

/// A Chinese fully-digital e-invoice number (全电发票号码): exactly 20 ASCII digits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceNumber(String);

impl InvoiceNumber {
    /// Parses an invoice number (surrounding whitespace trimmed); code `invalid_invoice_number`.
    pub fn parse(field: &str, s: &str) -> Result<InvoiceNumber, ValidationError> {
        let t = s.trim();
        if t.len() == 20 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(InvoiceNumber(t.to_string()))
        } else {
            Err(ValidationError::new(
                field,
                "invalid_invoice_number",
                format!("{field}: {s:?} is not a 20-digit fully-digital e-invoice number"),
            ))
        }
    }

    /// The number as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How an eligible amount is shared between the voucher and the enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SubsidyQuote {
    /// Paid by the voucher.
    pub subsidy: Money,
    /// Paid by the enterprise: `amount - subsidy`.
    pub enterprise_pays: Money,
    /// `Some("voucher_balance")` or `Some("enterprise_year_cap")` when that bound made the
    /// subsidy smaller than `rate × amount`; `None` otherwise.
    pub capped_by: Option<&'static str>,
}

/// subsidy = min(rate × amount rounded down, voucher balance, year cap remaining).
/// Negative inputs count as zero; the subsidy is never negative. When both caps bind at the
/// same value, `voucher_balance` is named.
pub fn quote_subsidy(
    eligible_amount: Money,
    rate: Rate,
    voucher_balance: Money,
    year_cap_remaining: Money,
) -> SubsidyQuote {
    let amount = eligible_amount.max(Money::ZERO);
    let balance = voucher_balance.max(Money::ZERO);
    let year = year_cap_remaining.max(Money::ZERO);
    let by_rate = rate.apply_floor(amount);
    let (mut subsidy, mut capped_by) = (by_rate, None);
    if balance < subsidy {
        subsidy = balance;
        capped_by = Some("voucher_balance");
    }
    if year < subsidy {
        subsidy = year;
        capped_by = Some("enterprise_year_cap");
    }
    SubsidyQuote {
        subsidy,
        // 0 <= subsidy <= amount, so this cannot overflow.
        enterprise_pays: Money::from_fen(amount.fen() - subsidy.fen()),
        capped_by,
    }
}

/// What is left of every cap an invoice's subsidy counts against: the enterprise's yearly cap
/// for the program, and when the program sets them the cap per supplier, the actual-controller
/// group's yearly cap and the yearly cap per voucher type across programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapsLeft {
    pub year: Money,
    pub supplier: Option<Money>,
    pub group: Option<Money>,
    pub voucher_type: Option<Money>,
}

impl CapsLeft {
    /// The tightest of the caps.
    pub fn room(&self) -> Money {
        [self.supplier, self.group, self.voucher_type]
            .into_iter()
            .flatten()
            .fold(self.year, Money::min)
    }
}

/// An invoice's subsidy under the program's rate and every cap: the one decision the live
/// redemption plan and the what-if replay both make (`quote_subsidy` over the tightest cap).
pub fn redemption_quote(
    invoice_amount: Money,
    rate: Rate,
    voucher_available: Money,
    caps: &CapsLeft,
) -> SubsidyQuote {
    quote_subsidy(invoice_amount, rate, voucher_available, caps.room())
}

/// The price of metered compute: floor(gpu_seconds × price per GPU-hour / 3600), exact in
/// `i128`. Negative seconds or price, or a result beyond `i64`, is [`MoneyError`].
pub fn rate_usage(gpu_seconds: i64, price_per_gpu_hour: Money) -> Result<Money, MoneyError> {
    crate::billing::rate_metered(
        gpu_seconds,
        crate::billing::BillingUnit::GpuHour,
        price_per_gpu_hour,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(f: i64) -> Money {
        Money::from_fen(f)
    }

    fn r(bps: i64) -> Rate {
        Rate::from_bps("rate_bps", bps).unwrap()
    }

    #[test]
    fn invoice_numbers() {
        let n = InvoiceNumber::parse("invoice_number", " 25372000000012345678 ").unwrap();
        assert_eq!(n.as_str(), "25372000000012345678");
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            "\"25372000000012345678\""
        );
        for bad in [
            "2537200000001234567",
            "253720000000123456789",
            "2537200000001234567X",
            "",
            "２５372000000012345678",
        ] {
            assert_eq!(
                InvoiceNumber::parse("invoice_number", bad)
                    .unwrap_err()
                    .code,
                "invalid_invoice_number",
                "{bad}"
            );
        }
    }

    #[test]
    fn quotes() {
        let q = quote_subsidy(m(100_000), r(3000), m(1_000_000), m(1_000_000));
        assert_eq!(
            (q.subsidy, q.enterprise_pays, q.capped_by),
            (m(30_000), m(70_000), None)
        );
        let q = quote_subsidy(m(100_000), r(3000), m(10_000), m(1_000_000));
        assert_eq!(
            (q.subsidy, q.enterprise_pays, q.capped_by),
            (m(10_000), m(90_000), Some("voucher_balance"))
        );
        let q = quote_subsidy(m(100_000), r(3000), m(10_000), m(5_000));
        assert_eq!(
            (q.subsidy, q.capped_by),
            (m(5_000), Some("enterprise_year_cap"))
        );
        let q = quote_subsidy(m(333), r(3333), m(1_000), m(1_000));
        assert_eq!(q.subsidy, m(110)); // 110.9889 rounded down
        let q = quote_subsidy(m(-5), r(5000), m(-1), m(10));
        assert_eq!((q.subsidy, q.enterprise_pays), (Money::ZERO, Money::ZERO));
        let q = quote_subsidy(m(100), r(5000), m(50), m(50));
        assert_eq!((q.subsidy, q.capped_by), (m(50), None));
    }

    #[test]
    fn usage() {
        assert_eq!(rate_usage(3600, m(1_500)), Ok(m(1_500)));
        assert_eq!(rate_usage(1, m(1_500)), Ok(m(0))); // 0.4166 fen rounds down
        assert_eq!(rate_usage(5_400, m(1_000)), Ok(m(1_500)));
        assert_eq!(rate_usage(0, m(1_000)), Ok(Money::ZERO));
        assert_eq!(rate_usage(i64::MAX, m(i64::MAX)), Err(MoneyError::Overflow));
        assert_eq!(rate_usage(i64::MAX, m(3600)), Ok(m(i64::MAX)));
        assert_eq!(rate_usage(-1, m(1)), Err(MoneyError::Negative));
    }

    proptest! {
        #[test]
        fn quote_bounds(amount in -10i64..=Money::MAX_AMOUNT.fen(), bps in 0i64..=10000,
                        bal in -10i64..=Money::MAX_AMOUNT.fen(), year in -10i64..=Money::MAX_AMOUNT.fen()) {
            let q = quote_subsidy(m(amount), r(bps), m(bal), m(year));
            prop_assert!(q.subsidy >= Money::ZERO);
            prop_assert!(q.subsidy <= r(bps).apply_floor(m(amount.max(0))));
            prop_assert!(q.subsidy.fen() <= bal.max(0));
            prop_assert!(q.subsidy.fen() <= year.max(0));
            prop_assert_eq!(q.subsidy.fen() + q.enterprise_pays.fen(), amount.max(0));
            prop_assert!(q.enterprise_pays >= Money::ZERO);
            prop_assert_eq!(q.capped_by.is_some(), q.subsidy < r(bps).apply_floor(m(amount.max(0))));
        }

        #[test]
        fn quote_monotone(a in 0i64..1_000_000_000, b in 0i64..1_000_000_000, bps in 0i64..=10000,
                          bal in 0i64..1_000_000_000, year in 0i64..1_000_000_000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let ql = quote_subsidy(m(lo), r(bps), m(bal), m(year));
            let qh = quote_subsidy(m(hi), r(bps), m(bal), m(year));
            prop_assert!(ql.subsidy <= qh.subsidy);
            prop_assert!(ql.enterprise_pays <= qh.enterprise_pays);
        }

        #[test]
        fn usage_is_floor(secs in 0i64..1_000_000_000, price in 0i64..10_000_000) {
            let got = rate_usage(secs, m(price)).unwrap().fen() as i128;
            let exact = secs as i128 * price as i128;
            prop_assert!(got * 3600 <= exact && exact < (got + 1) * 3600);
        }

        #[test]
        fn usage_additive_within_a_fen(a in 0i64..1_000_000, b in 0i64..1_000_000, price in 0i64..100_000) {
            let whole = rate_usage(a + b, m(price)).unwrap().fen();
            let parts = rate_usage(a, m(price)).unwrap().fen() + rate_usage(b, m(price)).unwrap().fen();
            prop_assert!(parts <= whole && whole <= parts + 1);
        }
    }
}
