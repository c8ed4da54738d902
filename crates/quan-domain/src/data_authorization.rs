//! The data authorization hub (seed 002 §(3)). Public data: an *overall* authorization from an
//! authority to an operator (at most five years), *sub-domain* authorizations under it and
//! *scenario* authorizations under those; nothing is wider or longer than its parent, and a
//! revoked parent suspends everything under it. Personal and legal-person data: *one scenario,
//! one authorization* — a consent per subject per scenario for at most the fields the scenario
//! declares, revocable at any time, with a receipt (ISO/IEC TS 27560, Kantara consent receipt).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::data_registry::{str_enum, validity_end};
use crate::enterprise::validate_text;
use crate::error::ValidationError;
use crate::program::parse_date;
use crate::refusal::Refusal;

/// The longest an authorization of public data may run.
pub const AUTHORIZATION_MAX_YEARS: u32 = 5;
const MAX_ITEMS: usize = 200;

str_enum!(
    AuthorizationLevel {
        Overall = "overall",
        SubDomain = "sub_domain",
        Scenario = "scenario",
    }
);

str_enum!(
    /// Whose data: public data (authorized by an authority), personal data of natural persons
    /// or data of legal persons (each by the subject's own consent).
    DataClass {
        Public = "public",
        Personal = "personal",
        LegalPerson = "legal_person",
    }
);

str_enum!(
    SubjectKind {
        /// A natural person, known to the platform only by a pseudonymous id.
        NaturalPerson = "natural_person",
        /// An enterprise on the platform.
        LegalPerson = "legal_person",
    }
);

/// An authorization as requested.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AuthorizationInput {
    /// overall, sub_domain or scenario
    pub level: String,
    /// public (default), personal or legal_person; only a scenario may be personal or legal_person
    pub data_class: Option<String>,
    /// The authorization this one is under (required for sub_domain and public scenario).
    pub parent_id: Option<String>,
    /// The authorizing body (overall) or the domain's name (sub_domain) or the scenario's name.
    pub name: String,
    pub authority: Option<String>,
    /// The operator enterprise the data is authorized to.
    pub operator_id: String,
    pub purpose: String,
    /// Data fields (e.g. `enterprise.name`, `tax.annual_revenue`): the scope.
    pub fields: Vec<String>,
    /// Registration codes of the public data resources in scope.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Who receives the data (scenario).
    #[serde(default)]
    pub recipients: Vec<String>,
    pub valid_from: String,
    pub valid_until: String,
}

/// A checked authorization request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationTerms {
    pub level: AuthorizationLevel,
    pub data_class: DataClass,
    pub name: String,
    pub authority: Option<String>,
    pub operator_id: String,
    pub purpose: String,
    pub fields: BTreeSet<String>,
    pub resources: BTreeSet<String>,
    pub recipients: BTreeSet<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// A field name: letters, digits, `_`, `.` and `-`, 1–64 characters.
pub fn parse_field_name(field: &str, s: &str) -> Result<String, ValidationError> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.chars().count() <= 64
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !ok {
        return Err(ValidationError::new(
            field,
            "invalid_field_name",
            format!("{field}: {t:?} is not a field name (letters, digits, _ . -; at most 64)"),
        ));
    }
    Ok(t.to_string())
}

/// A set of names from a list: each checked, none repeated, at most 200.
pub fn name_set(
    field: &str,
    v: &[String],
    parse: fn(&str, &str) -> Result<String, ValidationError>,
) -> Result<BTreeSet<String>, ValidationError> {
    if v.len() > MAX_ITEMS {
        return Err(ValidationError::new(
            field,
            "too_many",
            format!("{field}: at most {MAX_ITEMS} items"),
        ));
    }
    let mut out = BTreeSet::new();
    for (i, s) in v.iter().enumerate() {
        let name = parse(&format!("{field}[{i}]"), s)?;
        if !out.insert(name.clone()) {
            return Err(ValidationError::new(
                format!("{field}[{i}]"),
                "duplicate",
                format!("{field}[{i}]: {name:?} is listed twice"),
            ));
        }
    }
    Ok(out)
}

fn plain(field: &str, s: &str) -> Result<String, ValidationError> {
    validate_text(field, s, 200)
}

impl AuthorizationTerms {
    pub fn parse(i: &AuthorizationInput) -> Result<AuthorizationTerms, ValidationError> {
        let level = AuthorizationLevel::parse("level", &i.level)?;
        let data_class = match i.data_class.as_deref() {
            None | Some("") => DataClass::Public,
            Some(c) => DataClass::parse("data_class", c)?,
        };
        if data_class != DataClass::Public && level != AuthorizationLevel::Scenario {
            return Err(ValidationError::new(
                "data_class",
                "invalid_choice",
                "data_class: personal and legal-person data are authorized scenario by scenario (one scenario, one authorization)",
            ));
        }
        let fields = name_set("fields", &i.fields, parse_field_name)?;
        if fields.is_empty() {
            return Err(ValidationError::new(
                "fields",
                "required",
                "fields: an authorization names the data fields it covers",
            ));
        }
        let valid_from = parse_date("valid_from", &i.valid_from)?;
        let valid_until = parse_date("valid_until", &i.valid_until)?;
        if valid_until < valid_from {
            return Err(ValidationError::new(
                "valid_until",
                "before_start",
                format!("valid_until: {valid_until} is before valid_from ({valid_from})"),
            ));
        }
        let longest = validity_end(valid_from, AUTHORIZATION_MAX_YEARS);
        if valid_until > longest {
            return Err(ValidationError::new(
                "valid_until",
                "too_long",
                format!("valid_until: an authorization lasts at most {AUTHORIZATION_MAX_YEARS} years (until {longest})"),
            ));
        }
        let authority = i
            .authority
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|a| validate_text("authority", a, 200))
            .transpose()?;
        if level == AuthorizationLevel::Overall && authority.is_none() {
            return Err(ValidationError::new(
                "authority",
                "required",
                "authority: an overall authorization names the authorizing body",
            ));
        }
        Ok(AuthorizationTerms {
            level,
            data_class,
            name: validate_text("name", &i.name, 200)?,
            authority,
            operator_id: validate_text("operator_id", &i.operator_id, 64)?,
            purpose: validate_text("purpose", &i.purpose, 1000)?,
            fields,
            resources: name_set("resources", &i.resources, plain)?,
            recipients: name_set("recipients", &i.recipients, plain)?,
            valid_from,
            valid_until,
        })
    }
}

/// An authorization as the nesting and check rules read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationFacts {
    pub id: String,
    pub level: AuthorizationLevel,
    pub data_class: DataClass,
    pub operator_id: String,
    pub fields: BTreeSet<String>,
    pub resources: BTreeSet<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub revoked: bool,
}

/// Why an authorization is not in force on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotInForce {
    Revoked { id: String },
    ParentRevoked { id: String },
    NotYet { from: NaiveDate },
    Ended { until: NaiveDate },
}

impl NotInForce {
    pub fn code(&self) -> &'static str {
        match self {
            NotInForce::Revoked { .. } => "authorization_revoked",
            NotInForce::ParentRevoked { .. } => "parent_revoked",
            NotInForce::NotYet { .. } => "authorization_not_started",
            NotInForce::Ended { .. } => "authorization_ended",
        }
    }
    pub fn message(&self) -> String {
        match self {
            NotInForce::Revoked { id } => format!("authorization {id} was revoked"),
            NotInForce::ParentRevoked { id } => {
                format!("authorization {id} above it was revoked, which suspends it")
            }
            NotInForce::NotYet { from } => format!("the authorization starts on {from}"),
            NotInForce::Ended { until } => format!("the authorization ended on {until}"),
        }
    }
}

/// Whether `chain` (the authorization first, then its parent, then the parent's parent) is in
/// force on `on`: none revoked, and `on` inside the first's period (which the nesting rule
/// keeps inside every ancestor's).
pub fn in_force(chain: &[AuthorizationFacts], on: NaiveDate) -> Result<(), NotInForce> {
    let Some(first) = chain.first() else {
        return Ok(());
    };
    if first.revoked {
        return Err(NotInForce::Revoked {
            id: first.id.clone(),
        });
    }
    if let Some(p) = chain[1..].iter().find(|p| p.revoked) {
        return Err(NotInForce::ParentRevoked { id: p.id.clone() });
    }
    for a in chain {
        if on < a.valid_from {
            return Err(NotInForce::NotYet { from: a.valid_from });
        }
        if on > a.valid_until {
            return Err(NotInForce::Ended {
                until: a.valid_until,
            });
        }
    }
    Ok(())
}

pub(crate) fn beyond(child: &BTreeSet<String>, parent: &BTreeSet<String>) -> Vec<String> {
    child.difference(parent).cloned().collect()
}

/// The nesting rule: the level under the right parent, never wider (fields, resources) or
/// longer than the parent, the parent in force when the child is granted, and nothing ending
/// in the past.
pub fn check_nesting(
    t: &AuthorizationTerms,
    parent: &[AuthorizationFacts],
    today: NaiveDate,
) -> Result<(), Refusal> {
    use AuthorizationLevel as L;
    let want = match (t.level, t.data_class) {
        (L::Overall, _) => None,
        (L::SubDomain, _) => Some(L::Overall),
        (L::Scenario, DataClass::Public) => Some(L::SubDomain),
        (L::Scenario, _) => None,
    };
    if t.valid_until < today {
        return Err(Refusal::invalid(
            "in_the_past",
            "valid_until",
            format!("valid_until: {} is already past", t.valid_until),
        ));
    }
    let p = match (want, parent.first()) {
        (None, None) => return Ok(()),
        (None, Some(_)) => {
            return Err(Refusal::invalid(
                "no_parent_allowed",
                "parent_id",
                format!(
                    "parent_id: a {} {} authorization stands on its own",
                    t.data_class.as_str(),
                    t.level.as_str()
                ),
            ))
        }
        (Some(w), None) => {
            return Err(Refusal::invalid(
                "parent_required",
                "parent_id",
                format!(
                    "parent_id: a {} authorization is granted under a {} authorization",
                    t.level.as_str(),
                    w.as_str()
                ),
            ))
        }
        (Some(w), Some(p)) if p.level != w => {
            return Err(Refusal::invalid(
                "wrong_parent_level",
                "parent_id",
                format!(
                    "parent_id: a {} authorization is granted under a {} authorization, not a {}",
                    t.level.as_str(),
                    w.as_str(),
                    p.level.as_str()
                ),
            ))
        }
        (Some(_), Some(p)) => p,
    };
    if let Err(e) = in_force(parent, today) {
        return Err(Refusal::conflict(
            "parent_not_in_force",
            "parent_id",
            format!("parent_id: {}", e.message()),
        ));
    }
    check_within(t, p)
}

fn check_within(t: &AuthorizationTerms, p: &AuthorizationFacts) -> Result<(), Refusal> {
    let wider = beyond(&t.fields, &p.fields);
    if !wider.is_empty() {
        return Err(Refusal::invalid(
            "wider_than_parent",
            "fields",
            format!(
                "fields: {} are not in the parent authorization",
                wider.join(", ")
            ),
        ));
    }
    let wider = beyond(&t.resources, &p.resources);
    if !wider.is_empty() {
        return Err(Refusal::invalid(
            "wider_than_parent",
            "resources",
            format!(
                "resources: {} are not in the parent authorization",
                wider.join(", ")
            ),
        ));
    }
    if t.valid_from < p.valid_from {
        return Err(Refusal::invalid(
            "longer_than_parent",
            "valid_from",
            format!(
                "valid_from: {} is before the parent authorization starts ({})",
                t.valid_from, p.valid_from
            ),
        ));
    }
    if t.valid_until > p.valid_until {
        return Err(Refusal::invalid(
            "longer_than_parent",
            "valid_until",
            format!(
                "valid_until: {} is after the parent authorization ends ({})",
                t.valid_until, p.valid_until
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "data_authorization_tests.rs"]
mod tests;
