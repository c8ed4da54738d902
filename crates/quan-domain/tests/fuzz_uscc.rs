//! Fuzzing (stable Rust, proptest) of the parsers of untrusted identifiers: the USCC
//! (GB 32100-2015), e-invoice numbers and dates. Arbitrary input must never panic; every error
//! carries the field it was given, a stable code and a message; every accepted code round-trips.
//!
//! CI: cargo test -p quan-domain --test fuzz_uscc            (256 cases per property)
//! Long run (≥ 10 minutes):
//!     PROPTEST_CASES=20000000 timeout 660 cargo test --release -p quan-domain --test fuzz_uscc -- --nocapture
use proptest::prelude::*;
use quan_domain::{make_uscc, parse_date, InvoiceNumber, Uscc};

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn alphabet_char() -> impl Strategy<Value = char> {
    proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>())
}

/// A valid code built from random parts.
fn valid_uscc() -> impl Strategy<Value = String> {
    (
        alphabet_char(),
        alphabet_char(),
        "[0-9]{6}",
        proptest::collection::vec(alphabet_char(), 9),
    )
        .prop_map(|(a, b, div, org)| make_uscc(a, b, &div, &org.into_iter().collect::<String>()))
}

fn check_err(field: &str, e: &quan_domain::ValidationError, code: &str) {
    assert_eq!(e.field, field);
    assert_eq!(e.code, code);
    assert!(
        e.message.starts_with(&format!("{field}: ")),
        "message does not name the field: {}",
        e.message
    );
}

proptest! {
    #[test]
    fn uscc_never_panics_on_any_string(s in any::<String>()) {
        match Uscc::parse("uscc", &s) {
            Ok(u) => prop_assert_eq!(Uscc::parse("uscc", u.as_str()).unwrap(), u),
            Err(e) => check_err("uscc", &e, "invalid_uscc"),
        }
    }

    #[test]
    fn uscc_never_panics_on_near_codes(s in "[0-9A-Za-z IOZSVß\u{0130}\u{FB00}\u{10000}-]{15,20}") {
        match Uscc::parse("enterprise.uscc", &s) {
            Ok(u) => {
                prop_assert_eq!(u.as_str().len(), 18);
                prop_assert_eq!(Uscc::parse("x", u.as_str()).unwrap(), u);
            }
            Err(e) => check_err("enterprise.uscc", &e, "invalid_uscc"),
        }
    }

    #[test]
    fn every_valid_code_is_accepted_and_every_single_substitution_rejected(code in valid_uscc(), pos in 0usize..18, c in alphabet_char()) {
        let u = Uscc::parse("uscc", &code).expect("a made code is valid");
        prop_assert_eq!(u.as_str(), code.as_str());
        let padded = format!("  {}  ", code.to_lowercase());
        prop_assert!(Uscc::parse("uscc", &padded).is_ok());
        let mut chars: Vec<char> = code.chars().collect();
        if chars[pos] != c {
            chars[pos] = c;
            let changed: String = chars.into_iter().collect();
            match Uscc::parse("uscc", &changed) {
                Ok(_) => prop_assert!(false, "a one-character change of {} was accepted: {}", code, changed),
                Err(e) => check_err("uscc", &e, "invalid_uscc"),
            }
        }
    }

    #[test]
    fn invoice_numbers_and_dates_never_panic(s in any::<String>(), d in "[0-9-]{0,12}") {
        if let Err(e) = InvoiceNumber::parse("invoice_number", &s) {
            check_err("invoice_number", &e, "invalid_invoice_number");
        }
        for input in [&s, &d] {
            if let Err(e) = parse_date("invoice_date", input) {
                prop_assert_eq!(e.field.as_str(), "invoice_date");
                prop_assert!(!e.code.is_empty() && !e.message.is_empty());
            }
        }
    }

    #[test]
    fn uscc_never_panics_on_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..40)) {
        let s = String::from_utf8_lossy(&b);
        if let Err(e) = Uscc::parse("uscc", &s) {
            check_err("uscc", &e, "invalid_uscc");
        }
    }
}
