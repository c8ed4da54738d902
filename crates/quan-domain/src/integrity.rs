//! Integrity rules that guard every money path: the dishonesty list (失信名单) as dated entries an
//! administrator manages, and the refusal each path gives when a party is on it. The store loads
//! the entries in force on the day of the decision; these functions decide.

use chrono::NaiveDate;

use crate::enterprise::validate_text;
use crate::error::ValidationError;
use crate::inputs::DishonestyInput;
use crate::program::parse_date;
use crate::refusal::Refusal;

/// Which kind of party an entry lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartyKind {
    Enterprise,
    Supplier,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Enterprise => "enterprise",
            PartyKind::Supplier => "supplier",
        }
    }
    /// Parses `enterprise` or `supplier`; code `invalid_party_kind`.
    pub fn parse(field: &str, s: &str) -> Result<PartyKind, ValidationError> {
        match s {
            "enterprise" => Ok(PartyKind::Enterprise),
            "supplier" => Ok(PartyKind::Supplier),
            _ => Err(ValidationError::new(
                field,
                "invalid_party_kind",
                format!("{field}: {s:?} must be enterprise or supplier"),
            )),
        }
    }
}

/// One entry of the dishonesty list as the rules read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub entry_id: String,
    pub reason: String,
    /// The authority or document behind the entry (e.g. a court's enforcement notice number).
    pub source: String,
    pub listed_from: NaiveDate,
    /// Last day in force; `None` until lifted.
    pub listed_until: Option<NaiveDate>,
    pub lifted: bool,
}

impl Listing {
    /// In force on `day`: from its first day to its last, unless lifted.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        !self.lifted && self.listed_from <= day && self.listed_until.is_none_or(|u| day <= u)
    }
}

/// The first entry in force on `day`, if any.
pub fn listing_in_force(entries: &[Listing], day: NaiveDate) -> Option<&Listing> {
    entries.iter().find(|e| e.in_force_on(day))
}

/// The refusal of a money path because a party is listed; names the entry, its reason and
/// source, so the answer says which rule refused and why.
pub fn refuse_listed(kind: PartyKind, act: &str, l: &Listing) -> Refusal {
    Refusal::conflict_general(
        "dishonest",
        format!(
            "the {} is on the dishonesty list since {} (entry {}: {}; source: {}), so it cannot {act}",
            kind.as_str(),
            l.listed_from,
            l.entry_id,
            l.reason,
            l.source
        ),
    )
}

/// A new dishonesty-list entry, parsed once from what the administrator sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DishonestyRequest {
    pub party_kind: PartyKind,
    pub party_id: String,
    pub reason: String,
    pub source: String,
    pub listed_from: NaiveDate,
    pub listed_until: Option<NaiveDate>,
}

impl DishonestyRequest {
    /// Checks the fields; `listed_from` defaults to `today`, `listed_until` (if any) is on or
    /// after it.
    pub fn parse(
        input: &DishonestyInput,
        today: NaiveDate,
    ) -> Result<DishonestyRequest, ValidationError> {
        let party_kind = PartyKind::parse("party_kind", &input.party_kind)?;
        let party_id = validate_text("party_id", &input.party_id, 100)?;
        let reason = validate_text("reason", &input.reason, 2000)?;
        let source = validate_text("source", &input.source, 500)?;
        let listed_from = match input.listed_from.as_deref() {
            Some(s) => parse_date("listed_from", s)?,
            None => today,
        };
        let listed_until = match input.listed_until.as_deref() {
            Some(s) => Some(parse_date("listed_until", s)?),
            None => None,
        };
        if let Some(u) = listed_until.filter(|u| *u < listed_from) {
            return Err(ValidationError::new(
                "listed_until",
                "before_start",
                format!("listed_until: {u} is before listed_from {listed_from}"),
            ));
        }
        Ok(DishonestyRequest {
            party_kind,
            party_id,
            reason,
            source,
            listed_from,
            listed_until,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n)
    }

    fn entry(from: i64, until: Option<i64>, lifted: bool) -> Listing {
        Listing {
            entry_id: "dis_1".into(),
            reason: "r".into(),
            source: "s".into(),
            listed_from: day(from),
            listed_until: until.map(day),
            lifted,
        }
    }

    proptest! {
        #[test]
        fn in_force_exactly_within_its_days(from in 0i64..100, len in proptest::option::of(0i64..100), lifted: bool, d in 0i64..250) {
            let e = entry(from, len.map(|l| from + l), lifted);
            let expected = !lifted && d >= from && len.is_none_or(|l| d <= from + l);
            prop_assert_eq!(e.in_force_on(day(d)), expected);
            prop_assert_eq!(listing_in_force(std::slice::from_ref(&e), day(d)).is_some(), expected);
        }
    }

    #[test]
    fn refusal_names_the_entry() {
        let r = refuse_listed(PartyKind::Supplier, "be settled", &entry(0, None, false));
        assert_eq!(r.code, "dishonest");
        assert!(r.message.contains("dis_1") && r.message.contains("supplier"));
    }

    #[test]
    fn parse_checks_the_window() {
        let input = DishonestyInput {
            party_kind: "supplier".into(),
            party_id: "sup_1".into(),
            reason: "fake invoices".into(),
            source: "鲁财监〔2026〕12号".into(),
            listed_from: Some("2026-03-01".into()),
            listed_until: Some("2026-02-01".into()),
        };
        let e = DishonestyRequest::parse(&input, day(0)).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("listed_until", "before_start"));
        let ok = DishonestyRequest::parse(
            &DishonestyInput {
                listed_until: None,
                listed_from: None,
                ..input.clone()
            },
            day(5),
        )
        .unwrap();
        assert_eq!(ok.listed_from, day(5));
        let bad = DishonestyInput {
            party_kind: "bank".into(),
            ..input
        };
        assert_eq!(
            DishonestyRequest::parse(&bad, day(0)).unwrap_err().code,
            "invalid_party_kind"
        );
    }
}
