//! Why a reviewer must recuse from an application (回避), as data: each finding carries a code the
//! console says in the reader's language, the name or relation it is about, and the English
//! sentence for logs and error messages.
use serde::Serialize;

use crate::enterprise::PartyFile;

/// One finding against the reviewer reading an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewConflict {
    /// `reviewer_is_legal_rep`, `reviewer_is_shareholder`, `reviewer_is_controller`,
    /// `declared_link` or `dishonest`.
    pub code: String,
    /// The reviewer's name, or the declared relation; none for `dishonest`.
    pub subject: Option<String>,
    /// The finding in English.
    pub text: String,
}

impl ReviewConflict {
    fn new(code: &str, subject: Option<&str>, text: String) -> Self {
        ReviewConflict {
            code: code.into(),
            subject: subject.map(str::to_string),
            text,
        }
    }
}

/// The findings for a reviewer named `reviewer` (display name) against an enterprise's registered
/// file: the reviewer as its legal representative, a shareholder or its actual controller; each
/// relation the reviewer declared with it; and the enterprise on the dishonesty list (a warning
/// the reviewer reads, not a reason to recuse: `must_recuse` leaves it out).
pub fn review_conflicts(
    reviewer: &str,
    declared: &[String],
    file: &PartyFile,
    dishonest: bool,
) -> Vec<ReviewConflict> {
    let name = reviewer.trim();
    let mut out = Vec::new();
    if !name.is_empty() {
        if file.legal_rep.trim() == name {
            out.push(ReviewConflict::new(
                "reviewer_is_legal_rep",
                Some(name),
                format!("the reviewer {name} is the enterprise's legal representative"),
            ));
        }
        if file.shareholders.iter().any(|s| s.trim() == name) {
            out.push(ReviewConflict::new(
                "reviewer_is_shareholder",
                Some(name),
                format!("the reviewer {name} is a shareholder of the enterprise"),
            ));
        }
        if file.actual_controller.trim() == name {
            out.push(ReviewConflict::new(
                "reviewer_is_controller",
                Some(name),
                format!("the reviewer {name} is the enterprise's actual controller"),
            ));
        }
    }
    for rel in declared.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        out.push(ReviewConflict::new(
            "declared_link",
            Some(rel),
            format!("declared link: {rel}"),
        ));
    }
    if dishonest {
        out.push(ReviewConflict::new(
            "dishonest",
            None,
            "the enterprise is on the dishonesty list".into(),
        ));
    }
    out
}

/// The findings that bar the reviewer from deciding (all but the dishonesty warning).
pub fn must_recuse(conflicts: &[ReviewConflict]) -> Vec<&ReviewConflict> {
    conflicts.iter().filter(|c| c.code != "dishonest").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file<'a>(rep: &'a str, holders: &'a [String], ac: &'a str) -> PartyFile<'a> {
        PartyFile {
            legal_rep: rep,
            shareholders: holders,
            actual_controller: ac,
        }
    }

    #[test]
    fn names_the_reviewer_in_each_role_not_as_a_shared_legal_rep() {
        let holders = vec!["王五".to_string(), "李四".to_string()];
        let c = review_conflicts(" 李四 ", &[], &file("张三", &holders, "李四"), false);
        let codes: Vec<&str> = c.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["reviewer_is_shareholder", "reviewer_is_controller"]);
        assert_eq!(c[0].subject.as_deref(), Some("李四"));
        assert!(c[0].text.contains("reviewer 李四 is a shareholder"));
        let rep = review_conflicts("张三", &[], &file("张三", &holders, ""), false);
        assert_eq!(rep[0].code, "reviewer_is_legal_rep");
    }

    #[test]
    fn declared_links_and_the_dishonesty_warning() {
        let c = review_conflicts(
            "赵六",
            &["配偶任职".into(), " ".into()],
            &file("张三", &[], ""),
            true,
        );
        let codes: Vec<&str> = c.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["declared_link", "dishonest"]);
        assert_eq!(must_recuse(&c).len(), 1);
        assert!(review_conflicts("", &[], &file("", &[], ""), false).is_empty());
    }

    proptest! {
        /// A reviewer whose name appears nowhere in the file, with nothing declared, has no
        /// finding that bars them; a name in the file always does.
        #[test]
        fn recusal_iff_the_name_is_in_the_file(
            name in "[甲乙丙丁]{1,3}", rep in "[甲乙丙丁]{1,3}",
            holders in proptest::collection::vec("[甲乙丙丁]{1,3}", 0..4), dishonest: bool,
        ) {
            let f = file(&rep, &holders, "");
            let c = review_conflicts(&name, &[], &f, dishonest);
            let in_file = rep == name || holders.contains(&name);
            prop_assert_eq!(!must_recuse(&c).is_empty(), in_file);
            prop_assert_eq!(c.iter().any(|c| c.code == "dishonest"), dishonest);
        }
    }
}
