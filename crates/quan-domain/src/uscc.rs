//! Unified Social Credit Code (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters from a 31-character alphabet (digits and capital letters without I, O, Z, S,
//! V): position 1 registration department, 2 organisation type, 3–8 the GB/T 2260
//! administrative division code, 9–17 the organisation code, 18 the check character.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// The 31 legal characters, in value order (the value of a character is its index).
pub const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value_of(c: char) -> Option<u32> {
    USCC_ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters of a code, or `None` if `first17` is not
/// 17 characters of the alphabet (case-sensitive: upper case only).
pub fn uscc_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(check as usize)
}

/// Builds a valid code from its parts (for seeding synthetic enterprises).
///
/// # Panics
/// If `division6` is not 6 digits, `org_code9` not 9 characters, or any character is
/// outside [`USCC_ALPHABET`].
pub fn make_uscc(
    registration_dept: char,
    org_type: char,
    division6: &str,
    org_code9: &str,
) -> String {
    assert!(
        division6.len() == 6 && division6.bytes().all(|b| b.is_ascii_digit()),
        "make_uscc: division code must be 6 digits, got {division6:?}"
    );
    assert!(
        org_code9.chars().count() == 9,
        "make_uscc: organisation code must be 9 characters, got {org_code9:?}"
    );
    let mut s = String::with_capacity(18);
    s.push(registration_dept);
    s.push(org_type);
    s.push_str(division6);
    s.push_str(org_code9);
    let check = uscc_check_char(&s)
        .unwrap_or_else(|| panic!("make_uscc: {s:?} has a character outside the USCC alphabet"));
    s.push(check);
    s
}

/// A validated Unified Social Credit Code (upper case, 18 characters, correct check character).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Uscc(String);

impl Uscc {
    /// Parses and validates a code. Surrounding whitespace is trimmed and letters are upper-cased.
    /// Every error has code `invalid_uscc`.
    pub fn parse(field: &str, s: &str) -> Result<Uscc, ValidationError> {
        let err =
            |msg: String| ValidationError::new(field, "invalid_uscc", format!("{field}: {msg}"));
        let code = s.trim().to_uppercase();
        let n = code.chars().count();
        if n != 18 {
            return Err(err(format!("must be 18 characters, got {n}")));
        }
        for (i, c) in code.chars().enumerate() {
            if value_of(c).is_none() {
                return Err(err(format!(
                    "illegal character {c:?} at position {} (allowed: digits and capital letters except I, O, Z, S, V)",
                    i + 1
                )));
            }
            if (2..8).contains(&i) && !c.is_ascii_digit() {
                return Err(err(format!(
                    "character {c:?} at position {} must be a digit (positions 3-8 are the administrative division code)",
                    i + 1
                )));
            }
        }
        // All 18 characters are ASCII now.
        let expected = uscc_check_char(&code[..17]).expect("17 alphabet characters");
        let got = code[17..].chars().next().expect("18 characters");
        if expected != got {
            return Err(err(format!(
                "check character should be '{expected}', got '{got}'"
            )));
        }
        Ok(Uscc(code))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative division code (characters 3–8).
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn check_char_examples() {
        let code = make_uscc('9', '1', "370100", "MA3C00001");
        assert_eq!(code.len(), 18);
        let u = Uscc::parse("uscc", &code).unwrap();
        assert_eq!(u.division_code(), "370100");
        assert_eq!(u.as_str(), code);
        assert_eq!(uscc_check_char("12345"), None);
        assert_eq!(uscc_check_char("9137010016304486I"), None);
    }

    #[test]
    fn published_codes_pass() {
        // Codes published on business licences of large companies (Shenzhen, Hangzhou,
        // Beijing, Qingdao); all verified against the GB 32100-2015 check.
        for code in [
            "914403001922038216",
            "91440300708461136T",
            "91330100799655058B",
            "91110000802100433B",
            "91370200163562681G",
        ] {
            let u = Uscc::parse("uscc", code).unwrap();
            assert_eq!(uscc_check_char(&code[..17]), code.chars().last());
            assert_eq!(u.as_str(), code);
        }
        assert_eq!(
            Uscc::parse("uscc", "91370200163562681G")
                .unwrap()
                .division_code(),
            "370200"
        );
        let e = Uscc::parse("uscc", "91370200163562681H").unwrap_err();
        assert_eq!(e.message, "uscc: check character should be 'G', got 'H'");
    }

    #[test]
    fn parse_normalises() {
        let code = make_uscc('9', '1', "370200", "MA3ABCD1X");
        let lower = format!("  {}\t", code.to_lowercase());
        assert_eq!(Uscc::parse("uscc", &lower).unwrap().as_str(), code);
    }

    #[test]
    fn parse_errors() {
        let e = Uscc::parse("uscc", "123").unwrap_err();
        assert_eq!(e.code, "invalid_uscc");
        assert_eq!(e.field, "uscc");
        assert!(e.message.contains("18 characters"), "{}", e.message);

        let e = Uscc::parse("uscc", "91370100MA3IBCD1X0").unwrap_err();
        assert!(e.message.contains("position 12"), "{}", e.message);

        let e = Uscc::parse("uscc", "9137A100MA3ABCD1X0").unwrap_err();
        assert!(e.message.contains("position 5"), "{}", e.message);

        let good = make_uscc('9', '1', "370100", "MA3C00001");
        let last = good.chars().last().unwrap();
        let wrong = if last == '0' { '1' } else { '0' };
        let bad = format!("{}{}", &good[..17], wrong);
        let e = Uscc::parse("uscc", &bad).unwrap_err();
        assert_eq!(
            e.message,
            format!("uscc: check character should be '{last}', got '{wrong}'")
        );

        // Non-ASCII input of the right char count is rejected, not panicking.
        assert!(Uscc::parse("uscc", "九1370100MA3C00001X").is_err());
    }

    #[test]
    fn serde_roundtrip() {
        let u = Uscc::parse("uscc", &make_uscc('9', '1', "370100", "163044860")).unwrap();
        let j = serde_json::to_string(&u).unwrap();
        assert_eq!(serde_json::from_str::<Uscc>(&j).unwrap(), u);
    }

    fn alpha() -> impl Strategy<Value = char> {
        (0usize..31).prop_map(|i| USCC_ALPHABET.as_bytes()[i] as char)
    }

    proptest! {
        #[test]
        fn made_codes_parse(d in alpha(), t in alpha(), div in "[0-9]{6}",
                            org in prop::collection::vec(alpha(), 9)) {
            let org: String = org.into_iter().collect();
            let code = make_uscc(d, t, &div, &org);
            let u = Uscc::parse("uscc", &code).unwrap();
            prop_assert_eq!(u.division_code(), div.as_str());
        }

        #[test]
        fn single_char_change_is_detected(div in "[0-9]{6}", org in prop::collection::vec(alpha(), 9),
                                          pos in 0usize..18, repl in alpha()) {
            let org: String = org.into_iter().collect();
            let code = make_uscc('9', '1', &div, &org);
            let mut chars: Vec<char> = code.chars().collect();
            prop_assume!(chars[pos] != repl);
            chars[pos] = repl;
            let changed: String = chars.into_iter().collect();
            prop_assert!(Uscc::parse("uscc", &changed).is_err());
        }
    }
}
