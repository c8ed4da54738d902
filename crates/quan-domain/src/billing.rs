//! Billing units of metered products (issue 14 C). The national SME compute zone bills by
//! card-hour, core-hour or token and offers storage and network transfer too; a product declares
//! the unit it is priced in, and a usage record reports the quantity in that unit's metered
//! base (seconds, tokens, GB-hours, bytes). Rating is exact in fen, rounded down, per record:
//! `floor(quantity × price per unit / base per unit)` in `i128`.
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::money::{Money, MoneyError};

/// The unit a metered product is priced in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillingUnit {
    /// GPU-hour; metered in GPU-seconds.
    GpuHour,
    /// Accelerator card-hour (NPU, e.g. Ascend); metered in card-seconds.
    CardHour,
    /// CPU core-hour; metered in core-seconds.
    CpuCoreHour,
    /// 1,000 tokens of model inference or training; metered in tokens.
    KTokens,
    /// Storage, GB-month (30 days); metered in GB-hours (720 to the month).
    GbMonth,
    /// Network transfer, GB (10^9 bytes); metered in bytes.
    GbTransferred,
}

impl BillingUnit {
    pub const ALL: [BillingUnit; 6] = [
        BillingUnit::GpuHour,
        BillingUnit::CardHour,
        BillingUnit::CpuCoreHour,
        BillingUnit::KTokens,
        BillingUnit::GbMonth,
        BillingUnit::GbTransferred,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BillingUnit::GpuHour => "gpu_hour",
            BillingUnit::CardHour => "card_hour",
            BillingUnit::CpuCoreHour => "cpu_core_hour",
            BillingUnit::KTokens => "k_tokens",
            BillingUnit::GbMonth => "gb_month",
            BillingUnit::GbTransferred => "gb_transferred",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<BillingUnit, ValidationError> {
        BillingUnit::ALL
            .into_iter()
            .find(|u| u.code() == s)
            .ok_or_else(|| {
                ValidationError::new(
                    field,
                    "invalid_billing_unit",
                    format!(
                        "{field}: {s:?} is not a billing unit (gpu_hour, card_hour, cpu_core_hour, \
                         k_tokens, gb_month, gb_transferred)"
                    ),
                )
            })
    }

    /// How many of the metered base make one priced unit.
    pub fn base_per_unit(self) -> i64 {
        match self {
            BillingUnit::GpuHour | BillingUnit::CardHour | BillingUnit::CpuCoreHour => 3_600,
            BillingUnit::KTokens => 1_000,
            BillingUnit::GbMonth => 720,
            BillingUnit::GbTransferred => 1_000_000_000,
        }
    }

    /// Accelerator time: reported as `gpu_seconds` and counted in the GPU-hours of the hub
    /// view, the big screen and utilisation. Other units report `quantity` and are not.
    pub fn is_accelerator_time(self) -> bool {
        matches!(self, BillingUnit::GpuHour | BillingUnit::CardHour)
    }

    /// The most one record may claim in the metered base (a larger figure is a sender's bug):
    /// about 31 accelerator- or core-years, 10^12 tokens, 10^9 GB-hours, 1 PB.
    pub fn quantity_max(self) -> i64 {
        match self {
            BillingUnit::GpuHour | BillingUnit::CardHour | BillingUnit::CpuCoreHour => {
                1_000_000_000
            }
            BillingUnit::KTokens => 1_000_000_000_000,
            BillingUnit::GbMonth => 1_000_000_000,
            BillingUnit::GbTransferred => 1_000_000_000_000_000,
        }
    }

    /// Which product kinds may be priced in this unit: tokens draw down model vouchers too;
    /// every unit is a computing-power product's.
    pub fn allowed_for(self, product_kind: &str) -> bool {
        match product_kind {
            "compute" => true,
            "model" => self == BillingUnit::KTokens,
            _ => false,
        }
    }
}

/// The price of a metered quantity: floor(quantity × price per unit / base per unit), exact in
/// `i128`. A negative quantity or price, or a result beyond `i64`, is [`MoneyError`].
pub fn rate_metered(
    quantity: i64,
    unit: BillingUnit,
    price_per_unit: Money,
) -> Result<Money, MoneyError> {
    if quantity < 0 || price_per_unit.fen() < 0 {
        return Err(MoneyError::Negative);
    }
    let v = quantity as i128 * price_per_unit.fen() as i128 / unit.base_per_unit() as i128;
    i64::try_from(v)
        .map(Money::from_fen)
        .map_err(|_| MoneyError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_unit_rates_its_own_base() {
        let p = Money::from_fen(1_200);
        assert_eq!(
            rate_metered(3_600, BillingUnit::GpuHour, p).unwrap().fen(),
            1_200
        );
        assert_eq!(
            rate_metered(1_799, BillingUnit::CardHour, p).unwrap().fen(),
            599
        );
        assert_eq!(
            rate_metered(1_500, BillingUnit::KTokens, p).unwrap().fen(),
            1_800
        );
        assert_eq!(
            rate_metered(999, BillingUnit::KTokens, Money::from_fen(1))
                .unwrap()
                .fen(),
            0
        );
        assert_eq!(
            rate_metered(360, BillingUnit::GbMonth, p).unwrap().fen(),
            600
        );
        assert_eq!(
            rate_metered(
                2_500_000_000,
                BillingUnit::GbTransferred,
                Money::from_fen(80)
            )
            .unwrap()
            .fen(),
            200
        );
        assert!(rate_metered(-1, BillingUnit::GpuHour, p).is_err());
        assert!(rate_metered(i64::MAX, BillingUnit::GbMonth, Money::from_fen(i64::MAX)).is_err());
    }

    #[test]
    fn codes_round_trip_and_kinds_are_checked() {
        for u in BillingUnit::ALL {
            assert_eq!(BillingUnit::parse("u", u.code()).unwrap(), u);
            assert!(u.allowed_for("compute"));
            assert!(!u.allowed_for("corpus"));
        }
        assert!(BillingUnit::KTokens.allowed_for("model"));
        assert!(!BillingUnit::GpuHour.allowed_for("model"));
        let e = BillingUnit::parse("billing_unit", "gpu_minute").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("billing_unit", "invalid_billing_unit")
        );
    }

    fn unit() -> impl Strategy<Value = BillingUnit> {
        prop::sample::select(BillingUnit::ALL.to_vec())
    }

    proptest! {
        /// Exact: the price times the base is within one base of quantity × price, never over.
        #[test]
        fn rating_is_the_floor(q in 0i64..1_000_000_000_000, price in 0i64..10_000_000, u in unit()) {
            let got = rate_metered(q, u, Money::from_fen(price)).unwrap().fen() as i128;
            let exact = q as i128 * price as i128;
            let base = u.base_per_unit() as i128;
            prop_assert!(got * base <= exact && exact < (got + 1) * base);
        }

        /// Rounding per record never pays more than rating the sum at once, and loses less than
        /// one fen per record.
        #[test]
        fn per_record_rounding_is_bounded(qs in prop::collection::vec(0i64..10_000_000, 1..50), price in 1i64..100_000, u in unit()) {
            let p = Money::from_fen(price);
            let parts: i64 = qs.iter().map(|&q| rate_metered(q, u, p).unwrap().fen()).sum();
            let whole = rate_metered(qs.iter().sum(), u, p).unwrap().fen();
            prop_assert!(parts <= whole && whole - parts < qs.len() as i64);
        }

        /// More quantity never costs less.
        #[test]
        fn rating_is_monotone(a in 0i64..1_000_000_000, b in 0i64..1_000_000_000, price in 0i64..1_000_000, u in unit()) {
            let (lo, hi) = (a.min(b), a.max(b));
            let p = Money::from_fen(price);
            prop_assert!(rate_metered(lo, u, p).unwrap() <= rate_metered(hi, u, p).unwrap());
        }
    }
}
