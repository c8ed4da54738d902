use super::*;
use proptest::prelude::*;

#[test]
fn display_yuan() {
    assert_eq!(Money::from_fen(123_456).to_string(), "1234.56");
    assert_eq!(Money::from_fen(-5).to_string(), "-0.05");
    assert_eq!(Money::from_fen(0).to_string(), "0.00");
    assert_eq!(Money::from_fen(100).to_string(), "1.00");
    assert_eq!(
        Money::from_fen(i64::MIN).to_string(),
        "-92233720368547758.08"
    );
}

#[test]
fn parse_yuan_forms() {
    assert_eq!(Money::parse_yuan("12").unwrap().fen(), 1200);
    assert_eq!(Money::parse_yuan("12.3").unwrap().fen(), 1230);
    assert_eq!(Money::parse_yuan("12.34").unwrap().fen(), 1234);
    assert_eq!(Money::parse_yuan(" 0.05 ").unwrap().fen(), 5);
    for bad in [
        "12.345", "", ".5", "12.", "-1", "+1", "1e3", "1,000", "a", "1.2.3", "１２",
    ] {
        let e = Money::parse_yuan(bad).unwrap_err();
        assert_eq!(e.code, "invalid_amount", "{bad}");
    }
    assert_eq!(
        Money::parse_yuan("99999999999999999999").unwrap_err().code,
        "amount_overflow"
    );
}

#[test]
fn positive_bounds() {
    assert_eq!(
        Money::positive("amount_fen", 0).unwrap_err().code,
        "amount_not_positive"
    );
    assert_eq!(
        Money::positive("amount_fen", -1).unwrap_err().code,
        "amount_not_positive"
    );
    assert_eq!(Money::positive("amount_fen", 1).unwrap().fen(), 1);
    assert!(Money::positive("amount_fen", Money::MAX_AMOUNT.fen()).is_ok());
    let e = Money::positive("amount_fen", Money::MAX_AMOUNT.fen() + 1).unwrap_err();
    assert_eq!(e.code, "amount_overflow");
    assert!(e.message.starts_with("amount_fen:"));
}

#[test]
fn checked_ops() {
    let m = Money::from_fen(i64::MAX);
    assert_eq!(m.checked_add(Money::from_fen(1)), Err(MoneyError::Overflow));
    assert_eq!(
        Money::from_fen(i64::MIN).checked_sub(Money::from_fen(1)),
        Err(MoneyError::Overflow)
    );
    assert_eq!(m.checked_mul_i64(2), Err(MoneyError::Overflow));
    assert_eq!(
        Money::from_fen(3).checked_mul_i64(4),
        Ok(Money::from_fen(12))
    );
    assert_eq!(
        Money::from_fen(3).min(Money::from_fen(2)),
        Money::from_fen(2)
    );
    assert!(!Money::ZERO.is_positive());
}

#[test]
fn rate_validation() {
    let e = Rate::from_bps("rate_bps", 12000).unwrap_err();
    assert_eq!(e.code, "rate_over_100");
    assert_eq!(e.message, "rate_bps: 12000 is over 100% (10000 bps)");
    assert_eq!(
        Rate::from_bps("rate_bps", -1).unwrap_err().code,
        "rate_negative"
    );
    assert_eq!(Rate::from_bps("rate_bps", 10000).unwrap(), Rate::FULL);
    assert_eq!(Rate::from_bps("rate_bps", 0).unwrap().bps(), 0);
    assert_eq!(Rate::from_bps("r", 500).unwrap().to_string(), "5%");
}

#[test]
fn apply_floor_rounds_down() {
    let r = Rate::from_bps("r", 3333).unwrap();
    assert_eq!(r.apply_floor(Money::from_fen(100)).fen(), 33);
    assert_eq!(r.apply_floor(Money::from_fen(299)).fen(), 99); // 99.6567 -> 99
    assert_eq!(
        Rate::FULL.apply_floor(Money::from_fen(i64::MAX)).fen(),
        i64::MAX
    );
    assert_eq!(
        Rate::FULL.apply_floor(Money::from_fen(i64::MIN)).fen(),
        i64::MIN
    );
    assert_eq!(
        Rate::from_bps("r", 9999)
            .unwrap()
            .apply_floor(Money::from_fen(i64::MAX))
            .fen(),
        ((i64::MAX as i128 * 9999) / 10000) as i64
    );
}

#[test]
fn split_examples() {
    let f = |t, w: &[i64]| {
        split_by_weights(Money::from_fen(t), w)
            .unwrap()
            .iter()
            .map(|m| m.fen())
            .collect::<Vec<_>>()
    };
    assert_eq!(f(100, &[1, 1, 1]), vec![34, 33, 33]);
    assert_eq!(f(101, &[5000, 3000, 2000]), vec![51, 30, 20]);
    assert_eq!(f(0, &[1, 2]), vec![0, 0]);
    assert_eq!(f(7, &[0, 1, 0]), vec![0, 7, 0]);
    assert_eq!(f(2, &[1, 1, 1]), vec![1, 1, 0]);
    assert_eq!(
        split_by_weights(Money::from_fen(1), &[]),
        Err(MoneyError::NoWeights)
    );
    assert_eq!(
        split_by_weights(Money::from_fen(1), &[0, 0]),
        Err(MoneyError::NoWeights)
    );
    assert_eq!(
        split_by_weights(Money::from_fen(-1), &[1]),
        Err(MoneyError::Negative)
    );
    assert_eq!(
        split_by_weights(Money::from_fen(1), &[1, -1]),
        Err(MoneyError::Negative)
    );
    // Extreme values do not overflow.
    let big = f(i64::MAX, &[i64::MAX, i64::MAX, 1]);
    assert_eq!(
        big.iter().map(|&p| p as i128).sum::<i128>(),
        i64::MAX as i128
    );
}

#[test]
fn shares() {
    assert!(validate_shares("funding", &[5000, 3000, 2000]).is_ok());
    assert!(validate_shares("funding", &[10000]).is_ok());
    let e = validate_shares("funding", &[5000, 4999]).unwrap_err();
    assert_eq!(e.code, "shares_not_100");
    assert_eq!(
        e.message,
        "funding: shares sum to 99.99%, must be exactly 100%"
    );
    let e = validate_shares("funding", &[6000, 6000]).unwrap_err();
    assert_eq!(
        e.message,
        "funding: shares sum to 120%, must be exactly 100%"
    );
    let e = validate_shares("funding", &[5000, 4990]).unwrap_err();
    assert_eq!(
        e.message,
        "funding: shares sum to 99.9%, must be exactly 100%"
    );
    assert_eq!(
        validate_shares("funding", &[]).unwrap_err().code,
        "required"
    );
    assert_eq!(
        validate_shares("funding", &[10000, 0]).unwrap_err().code,
        "invalid_share"
    );
    assert_eq!(
        validate_shares("funding", &[-5000, 15000])
            .unwrap_err()
            .code,
        "invalid_share"
    );
}

#[test]
fn serde_transparent() {
    assert_eq!(
        serde_json::to_string(&Money::from_fen(1234)).unwrap(),
        "1234"
    );
    assert_eq!(
        serde_json::from_str::<Money>("-7").unwrap(),
        Money::from_fen(-7)
    );
    assert_eq!(serde_json::to_string(&Rate::FULL).unwrap(), "10000");
}

proptest! {
    #[test]
    fn display_parse_roundtrip(fen in 0i64..=Money::MAX_AMOUNT.fen()) {
        let m = Money::from_fen(fen);
        prop_assert_eq!(Money::parse_yuan(&m.to_string()).unwrap(), m);
    }

    #[test]
    fn apply_floor_is_exact_floor(bps in 0i64..=10000, fen in any::<i64>()) {
        let r = Rate::from_bps("r", bps).unwrap();
        let got = r.apply_floor(Money::from_fen(fen)).fen() as i128;
        let exact = fen as i128 * bps as i128;
        prop_assert!(got * 10000 <= exact);
        prop_assert!(exact < (got + 1) * 10000);
    }

    #[test]
    fn apply_floor_monotone(bps in 0i64..=10000, a in 0i64..=i64::MAX, b in 0i64..=i64::MAX) {
        let r = Rate::from_bps("r", bps).unwrap();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(r.apply_floor(Money::from_fen(lo)) <= r.apply_floor(Money::from_fen(hi)));
        prop_assert!(r.apply_floor(Money::from_fen(hi)).fen() <= hi);
    }

    #[test]
    fn split_invariants(total in 0i64..=Money::MAX_AMOUNT.fen(),
                        weights in prop::collection::vec(0i64..=Money::MAX_AMOUNT.fen(), 1..8)) {
        prop_assume!(weights.iter().any(|&w| w > 0));
        let parts = split_by_weights(Money::from_fen(total), &weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        let sum_w: i128 = weights.iter().map(|&w| w as i128).sum();
        let sum_p: i128 = parts.iter().map(|p| p.fen() as i128).sum();
        prop_assert_eq!(sum_p, total as i128);
        for (p, &w) in parts.iter().zip(&weights) {
            let p = p.fen() as i128;
            let num = total as i128 * w as i128;
            let floor = num / sum_w;
            let ceil = (num + sum_w - 1) / sum_w;
            prop_assert!(p >= 0 && p >= floor && p <= ceil);
            if total as i128 <= sum_w {
                prop_assert!(p <= w as i128);
            }
        }
    }

    #[test]
    fn split_small_weights_bounded(
        (weights, total) in prop::collection::vec(0i64..50, 1..10)
            .prop_filter("some weight", |w| w.iter().any(|&x| x > 0))
            .prop_flat_map(|w| { let s: i64 = w.iter().sum(); (Just(w), 0..=s) })
    ) {
        let parts = split_by_weights(Money::from_fen(total), &weights).unwrap();
        for (p, &w) in parts.iter().zip(&weights) {
            prop_assert!(p.fen() <= w);
        }
    }

    #[test]
    fn shares_accepts_exact_hundred(cuts in prop::collection::btree_set(1i64..10000, 0..6)) {
        let mut points: Vec<i64> = vec![0];
        points.extend(cuts.iter().copied());
        points.push(10000);
        let shares: Vec<i64> = points.windows(2).map(|w| w[1] - w[0]).collect();
        prop_assert!(validate_shares("funding", &shares).is_ok());
        let mut off = shares.clone();
        off[0] -= 1;
        prop_assert!(validate_shares("funding", &off).is_err());
    }
}
