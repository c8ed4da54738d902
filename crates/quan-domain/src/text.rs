//! The one text policy for every string that enters the system (JSON bodies, query strings,
//! paths, CSV and NDJSON imports): no NUL or other control characters (newline, carriage return
//! and tab only in multi-line fields), no bidirectional overrides or isolates and no invisible
//! characters (so a name cannot be made to read as another on screen), normalised to NFC so both
//! databases store the same thing, and a length limit. A refusal names the field and the code
//! point.

use unicode_normalization::UnicodeNormalization;

use crate::error::ValidationError;

/// Whether a field may hold several lines (a plan, a description, a reason, a note).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// Names, ids, codes: one line.
    Line,
    /// Free text: newlines and tabs allowed.
    MultiLine,
}

/// Longest string accepted anywhere before a field's own, usually smaller, limit applies.
pub const TEXT_CHARS_MAX: usize = 20_000;

/// What is wrong with one character, or `None` when it is allowed.
fn refused(c: char, kind: TextKind) -> Option<&'static str> {
    let u = c as u32;
    match c {
        '\n' | '\r' | '\t' if kind == TextKind::MultiLine => None,
        '\0' => Some("a NUL character"),
        _ if u < 0x20 || (0x7f..=0x9f).contains(&u) => Some("a control character"),
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some("a bidirectional control"),
        '\u{00AD}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}' => Some("an invisible character"),
        '\u{FFFE}' | '\u{FFFF}' => Some("a noncharacter"),
        _ => None,
    }
}

/// Checks `s` against the policy and returns it in NFC. Code `invalid_text`.
pub fn check_text(field: &str, s: &str, kind: TextKind) -> Result<String, ValidationError> {
    if let Some((c, what)) = s.chars().find_map(|c| refused(c, kind).map(|w| (c, w))) {
        return Err(ValidationError::new(
            field,
            "invalid_text",
            format!(
                "{field}: contains {what} (U+{:04X}), which is not allowed",
                c as u32
            ),
        ));
    }
    // ASCII is already in NFC, one byte a character: the common case (ids, codes, times in
    // usage records) skips the normalizer, which was a tenth of the usage engine's CPU.
    let ascii = s.is_ascii();
    let n = if ascii { s.len() } else { s.chars().count() };
    if n > TEXT_CHARS_MAX {
        return Err(ValidationError::new(
            field,
            "too_long",
            format!("{field}: {n} characters, at most {TEXT_CHARS_MAX}"),
        ));
    }
    Ok(if ascii {
        s.to_string()
    } else {
        s.nfc().collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_and_other_text_come_back_in_nfc(s in "[ -~]{0,40}|\\PC{0,40}") {
            if let Ok(out) = check_text("name", &s, TextKind::Line) {
                prop_assert_eq!(out, s.nfc().collect::<String>());
            }
        }
    }

    #[test]
    fn refuses_what_hides_or_breaks() {
        for (s, cp) in [
            ("a\0b", "U+0000"),
            ("\u{202E}gnp.exe", "U+202E"),
            ("济南\u{200B}科技", "U+200B"),
            ("\u{FEFF}name", "U+FEFF"),
            ("a\u{2067}b", "U+2067"),
            ("x\u{7f}", "U+007F"),
            ("x\u{85}", "U+0085"),
            ("line\nbreak", "U+000A"),
        ] {
            let e = check_text("name", s, TextKind::Line).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("name", "invalid_text"));
            assert!(e.message.contains(cp), "{s:?}: {}", e.message);
        }
        assert_eq!(
            check_text("plan", "第一行\n第二行\t完", TextKind::MultiLine).unwrap(),
            "第一行\n第二行\t完"
        );
        assert!(check_text("plan", "a\0", TextKind::MultiLine).is_err());
        let long = "长".repeat(TEXT_CHARS_MAX + 1);
        assert_eq!(
            check_text("plan", &long, TextKind::MultiLine)
                .unwrap_err()
                .code,
            "too_long"
        );
    }

    #[test]
    fn normalises_to_nfc() {
        // "é" as e + combining acute becomes the single code point.
        assert_eq!(
            check_text("name", "e\u{301}", TextKind::Line).unwrap(),
            "\u{e9}"
        );
        assert_eq!(
            check_text("name", "山东省", TextKind::Line).unwrap(),
            "山东省"
        );
    }

    proptest! {
        #[test]
        fn accepted_text_holds_no_refused_character(s in "\\PC*") {
            if let Ok(t) = check_text("f", &s, TextKind::Line) {
                prop_assert!(t.chars().all(|c| refused(c, TextKind::Line).is_none()));
                prop_assert_eq!(check_text("f", &t, TextKind::Line).unwrap(), t.clone());
            }
        }
    }
}
