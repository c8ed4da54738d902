//! Enterprise file rules: size class, industry section, free text, related parties.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// Enterprise size class (大型/中型/小型/微型 per the national classification).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    Micro,
    Small,
    Medium,
    Large,
}

impl SizeClass {
    /// All size classes, smallest first.
    pub const ALL: [SizeClass; 4] = [
        SizeClass::Micro,
        SizeClass::Small,
        SizeClass::Medium,
        SizeClass::Large,
    ];

    /// `micro`, `small`, `medium` or `large`.
    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Micro => "micro",
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }

    /// Parses `micro|small|medium|large` (case-insensitive); code `invalid_size_class`.
    pub fn parse(field: &str, s: &str) -> Result<SizeClass, ValidationError> {
        let t = s.trim().to_ascii_lowercase();
        SizeClass::ALL
            .into_iter()
            .find(|c| c.as_str() == t)
            .ok_or_else(|| {
                ValidationError::new(
                    field,
                    "invalid_size_class",
                    format!("{field}: {s:?} is not a size class (micro, small, medium or large)"),
                )
            })
    }
}

/// Validates a GB/T 4754-2017 industry section letter `A..=T` (lower case accepted) and
/// returns it upper-cased; code `invalid_industry`.
pub fn validate_industry(field: &str, s: &str) -> Result<char, ValidationError> {
    let t = s.trim();
    let mut it = t.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if ('A'..='T').contains(&c.to_ascii_uppercase()) => {
            Ok(c.to_ascii_uppercase())
        }
        _ => Err(ValidationError::new(
            field,
            "invalid_industry",
            format!("{field}: {s:?} is not a GB/T 4754-2017 industry section (a letter A to T)"),
        )),
    }
}

/// Validates free text: trimmed, non-empty (`required`), at most `max_chars` characters
/// (`too_long`), no control characters (`invalid_text`). Returns the trimmed text.
/// Like [`validate_text`], but blank is allowed (and stored as "").
pub fn validate_optional_text(
    field: &str,
    s: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    if s.trim().is_empty() {
        Ok(String::new())
    } else {
        validate_text(field, s, max_chars)
    }
}

pub fn validate_text(field: &str, s: &str, max_chars: usize) -> Result<String, ValidationError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ValidationError::new(
            field,
            "required",
            format!("{field}: is required"),
        ));
    }
    let n = t.chars().count();
    if n > max_chars {
        return Err(ValidationError::new(
            field,
            "too_long",
            format!("{field}: {n} characters is longer than the maximum of {max_chars}"),
        ));
    }
    // The platform's one text policy: no controls, bidi overrides or invisible characters; NFC.
    crate::text::check_text(field, t, crate::text::TextKind::Line)
}

fn norm(s: &str) -> &str {
    s.trim()
}

/// Human-readable reasons why parties A and B are related: a shared legal representative, a
/// shared shareholder, or the legal representative of one being a shareholder of the other.
/// Names are compared after trimming; blank names are ignored. Empty = not related.
pub fn related_parties(
    a_legal_rep: &str,
    a_shareholders: &[String],
    b_legal_rep: &str,
    b_shareholders: &[String],
) -> Vec<String> {
    let mut reasons = Vec::new();
    let (a_rep, b_rep) = (norm(a_legal_rep), norm(b_legal_rep));
    if !a_rep.is_empty() && a_rep == b_rep {
        reasons.push(format!("shared legal representative {a_rep}"));
    }
    let mut seen: Vec<&str> = Vec::new();
    for s in a_shareholders.iter().map(|s| norm(s)) {
        if !s.is_empty() && !seen.contains(&s) && b_shareholders.iter().any(|b| norm(b) == s) {
            seen.push(s);
            reasons.push(format!("shared shareholder {s}"));
        }
    }
    if !a_rep.is_empty() && a_rep != b_rep && b_shareholders.iter().any(|b| norm(b) == a_rep) {
        reasons.push(format!(
            "legal representative {a_rep} of one party is a shareholder of the other"
        ));
    }
    if !b_rep.is_empty() && a_rep != b_rep && a_shareholders.iter().any(|a| norm(a) == b_rep) {
        reasons.push(format!(
            "legal representative {b_rep} of one party is a shareholder of the other"
        ));
    }
    reasons
}

/// A party's registered file as the affiliation rule reads it.
#[derive(Clone, Copy, Debug)]
pub struct PartyFile<'a> {
    pub legal_rep: &'a str,
    pub shareholders: &'a [String],
    /// The actual controller (实际控制人), blank when not declared.
    pub actual_controller: &'a str,
}

/// [`related_parties`], plus the actual controller: a shared one, or the controller of one
/// party being the other's legal representative or shareholder.
pub fn related_files(a: &PartyFile, b: &PartyFile) -> Vec<String> {
    let mut reasons = related_parties(a.legal_rep, a.shareholders, b.legal_rep, b.shareholders);
    let (ac, bc) = (norm(a.actual_controller), norm(b.actual_controller));
    if !ac.is_empty() && ac == bc {
        reasons.push(format!("shared actual controller {ac}"));
    }
    for (ctrl, other) in [(ac, b), (bc, a)] {
        if ctrl.is_empty() || ac == bc {
            continue;
        }
        if norm(other.legal_rep) == ctrl || other.shareholders.iter().any(|s| norm(s) == ctrl) {
            reasons.push(format!(
                "actual controller {ctrl} of one party is the legal representative or a shareholder of the other"
            ));
        }
    }
    reasons
}

/// One earlier version of an enterprise's registered file, as its history shows it: what the
/// integrity rules read, as it stood until a change replaced it on `superseded_on`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileVersion {
    /// 1 for the first version replaced, then 2, …
    pub seq: i64,
    pub superseded_on: chrono::NaiveDate,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    pub actual_controller: String,
    pub industry: String,
    pub size_class: String,
    pub city_code: String,
}

/// A registered file as it stood until an approved change replaced it on `superseded_on`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupersededFile {
    pub superseded_on: chrono::NaiveDate,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    pub actual_controller: String,
}

/// The affiliation rule on every version of `current`'s file that was in force at some time
/// from `on` until today: the current one and each one superseded after `on`. An affiliation
/// that held on the day of the transaction is not undone by a change approved later, and one
/// registered since is not ignored either. `superseded` may hold any versions; those replaced
/// on or before `on` are skipped. Reasons are deduplicated; an earlier version's reasons say so.
pub fn related_since(
    current: &PartyFile,
    superseded: &[SupersededFile],
    other: &PartyFile,
    on: chrono::NaiveDate,
) -> Vec<String> {
    let mut reasons = related_files(current, other);
    for v in superseded.iter().filter(|v| v.superseded_on > on) {
        let old = PartyFile {
            legal_rep: &v.legal_rep,
            shareholders: &v.shareholders,
            actual_controller: &v.actual_controller,
        };
        for r in related_files(&old, other) {
            let r = format!("{r} (registered file in force until {})", v.superseded_on);
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn superseded(on: &str, rep: &str, shareholders: &[&str]) -> SupersededFile {
        SupersededFile {
            superseded_on: on.parse().unwrap(),
            legal_rep: rep.into(),
            shareholders: shareholders.iter().map(|s| s.to_string()).collect(),
            actual_controller: String::new(),
        }
    }

    #[test]
    fn the_version_in_force_at_the_time_counts() {
        let sh = vec!["张三".to_string()];
        let now = PartyFile {
            legal_rep: "王五",
            shareholders: &sh,
            actual_controller: "",
        };
        let supplier_sh: Vec<String> = vec![];
        let supplier = PartyFile {
            legal_rep: "赵六",
            shareholders: &supplier_sh,
            actual_controller: "",
        };
        // 赵六 was a shareholder until the change approved on 2026-06-01.
        let history = [superseded("2026-06-01", "王五", &["张三", "赵六"])];
        let on = |d: &str| related_since(&now, &history, &supplier, d.parse().unwrap());
        assert_eq!(
            on("2026-05-20").len(),
            1,
            "an invoice of May met the old file"
        );
        assert!(on("2026-05-20")[0].contains("until 2026-06-01"));
        assert!(on("2026-06-01").is_empty(), "the change holds from its day");
        assert!(on("2026-07-01").is_empty());
        // A relation registered since the transaction also counts (the current file).
        let now_sh = vec!["赵六".to_string()];
        let now_related = PartyFile {
            legal_rep: "王五",
            shareholders: &now_sh,
            actual_controller: "",
        };
        assert_eq!(
            related_since(&now_related, &[], &supplier, "2020-01-01".parse().unwrap()).len(),
            1
        );
    }

    #[test]
    fn actual_controller_relates_parties() {
        let none: Vec<String> = vec![];
        let sh = vec!["孙八".to_string()];
        let f =
            |rep: &'static str, shareholders: &'static [String], ctrl: &'static str| PartyFile {
                legal_rep: rep,
                shareholders,
                actual_controller: ctrl,
            };
        let (none, sh): (&'static [String], &'static [String]) = (
            Box::leak(none.into_boxed_slice()),
            Box::leak(sh.into_boxed_slice()),
        );
        assert_eq!(
            related_files(&f("甲", none, "王总"), &f("乙", none, " 王总")),
            vec!["shared actual controller 王总"]
        );
        assert_eq!(
            related_files(&f("甲", none, "孙八"), &f("乙", sh, "")).len(),
            1
        );
        assert_eq!(
            related_files(&f("甲", none, "孙八"), &f("孙八", none, "")).len(),
            1
        );
        assert!(related_files(&f("甲", none, ""), &f("乙", none, "")).is_empty());
    }

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn size_class() {
        for c in SizeClass::ALL {
            assert_eq!(SizeClass::parse("size_class", c.as_str()).unwrap(), c);
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert_eq!(
            SizeClass::parse("size_class", " Small ").unwrap(),
            SizeClass::Small
        );
        assert_eq!(
            SizeClass::parse("size_class", "huge").unwrap_err().code,
            "invalid_size_class"
        );
    }

    #[test]
    fn industry() {
        assert_eq!(validate_industry("industry", "I").unwrap(), 'I');
        assert_eq!(validate_industry("industry", "c").unwrap(), 'C');
        assert_eq!(validate_industry("industry", "T").unwrap(), 'T');
        for bad in ["U", "", "AB", "1", "Ｉ"] {
            assert_eq!(
                validate_industry("industry", bad).unwrap_err().code,
                "invalid_industry",
                "{bad}"
            );
        }
    }

    #[test]
    fn text() {
        assert_eq!(
            validate_text("name", "  山东测试科技有限公司 ", 10).unwrap(),
            "山东测试科技有限公司"
        );
        assert_eq!(
            validate_text("name", "   ", 10).unwrap_err().code,
            "required"
        );
        assert_eq!(
            validate_text("name", "山东测试科技有限公司", 9)
                .unwrap_err()
                .code,
            "too_long"
        );
        assert_eq!(
            validate_text("name", "a\u{0}b", 9).unwrap_err().code,
            "invalid_text"
        );
        assert_eq!(
            validate_text("name", "a\nb", 9).unwrap_err().code,
            "invalid_text"
        );
        let e = validate_text("plan", "", 5).unwrap_err();
        assert_eq!(e.message, "plan: is required");
    }

    #[test]
    fn related() {
        let r = related_parties("张伟", &v(&["李娜"]), " 张伟", &v(&["王芳"]));
        assert_eq!(r, vec!["shared legal representative 张伟"]);
        let r = related_parties(
            "张伟",
            &v(&["李娜", "王芳", "李娜"]),
            "刘洋",
            &v(&["王芳", "李娜"]),
        );
        assert_eq!(
            r,
            vec!["shared shareholder 李娜", "shared shareholder 王芳"]
        );
        let r = related_parties("张伟", &v(&[]), "刘洋", &v(&["张伟"]));
        assert_eq!(r.len(), 1);
        assert!(r[0].contains("张伟"));
        let r = related_parties("张伟", &v(&["刘洋"]), "刘洋", &v(&[]));
        assert_eq!(r.len(), 1);
        assert!(related_parties("张伟", &v(&["李娜"]), "刘洋", &v(&["王芳"])).is_empty());
        assert!(related_parties("", &v(&["", " "]), "", &v(&[""])).is_empty());
    }

    proptest! {
        #[test]
        fn related_is_symmetric_in_emptiness(a in "[甲乙丙]{0,1}", b in "[甲乙丙]{0,1}",
                                             sa in prop::collection::vec("[甲乙丙丁]", 0..3),
                                             sb in prop::collection::vec("[甲乙丙丁]", 0..3)) {
            let ab = related_parties(&a, &sa, &b, &sb);
            let ba = related_parties(&b, &sb, &a, &sa);
            prop_assert_eq!(ab.is_empty(), ba.is_empty());
            prop_assert_eq!(ab.len(), ba.len());
        }

        /// The earlier the transaction, the more versions count: a later day never finds an
        /// affiliation an earlier one missed, and with no history it is the plain rule.
        #[test]
        fn earlier_days_see_at_least_as_much(reps in prop::collection::vec("[甲乙丙]", 1..4),
                                             days in prop::collection::vec(1u32..28, 1..4),
                                             d1 in 1u32..28, d2 in 1u32..28,
                                             other in "[甲乙丙]") {
            let none: Vec<String> = vec![];
            let cur = PartyFile { legal_rep: "丁", shareholders: &none, actual_controller: "" };
            let oth = PartyFile { legal_rep: &other, shareholders: &none, actual_controller: "" };
            let history: Vec<SupersededFile> = reps.iter().zip(&days).map(|(r, d)| SupersededFile {
                superseded_on: chrono::NaiveDate::from_ymd_opt(2026, 5, *d).unwrap(),
                legal_rep: r.clone(), shareholders: vec![], actual_controller: String::new(),
            }).collect();
            let (early, late) = (d1.min(d2), d1.max(d2));
            let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
            let at_early = related_since(&cur, &history, &oth, day(early));
            for r in related_since(&cur, &history, &oth, day(late)) {
                prop_assert!(at_early.contains(&r));
            }
            prop_assert_eq!(related_since(&cur, &[], &oth, day(early)), related_files(&cur, &oth));
        }
    }
}
