//! Consents and the check of the data authorization hub: *one scenario, one authorization* for
//! personal and legal-person data — a consent per subject per scenario for at most the fields
//! the scenario declares, revocable at any time, with a receipt (ISO/IEC TS 27560, Kantara
//! consent receipt) — and the pure decision of "may operator X use fields F now?".
use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::data_authorization::*;
use crate::data_registry::Standing;
use crate::program::parse_date;
use crate::refusal::Refusal;

/// A consent as requested by (or recorded for) a subject.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    pub scenario_id: String,
    /// natural_person or legal_person; a legal person is an enterprise on the platform
    pub subject_kind: String,
    /// The pseudonymous id of a natural person; for a legal person the enterprise id (an
    /// enterprise user consents for its own enterprise and may leave it out).
    pub subject_id: Option<String>,
    /// The fields consented to: at most the scenario's declared fields (default: all of them).
    pub fields: Option<Vec<String>>,
    pub expires_at: String,
}

/// The scenario a consent is given for, as the consent rule reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioFacts {
    pub chain: Vec<AuthorizationFacts>,
}

/// A checked consent: the fields (never more than the scenario declares) and the expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentTerms {
    pub fields: BTreeSet<String>,
    pub expires_at: NaiveDate,
}

/// The minimal-field rule and the consent's window: one scenario, one authorization, for the
/// scenario's purpose and recipients, at most its fields, ending no later than it does.
pub fn plan_consent(
    scenario: &ScenarioFacts,
    subject_kind: SubjectKind,
    fields: Option<&[String]>,
    expires_at: &str,
    today: NaiveDate,
) -> Result<ConsentTerms, Refusal> {
    let s = scenario.chain.first().ok_or_else(|| {
        Refusal::invalid("not_found", "scenario_id", "scenario_id: no such scenario")
    })?;
    let want_class = match subject_kind {
        SubjectKind::NaturalPerson => DataClass::Personal,
        SubjectKind::LegalPerson => DataClass::LegalPerson,
    };
    if s.level != AuthorizationLevel::Scenario || s.data_class != want_class {
        return Err(Refusal::invalid(
            "scenario_class",
            "scenario_id",
            format!(
                "scenario_id: consents of a {} are given for a scenario over {} data",
                subject_kind.as_str(),
                want_class.as_str()
            ),
        ));
    }
    if let Err(e) = in_force(&scenario.chain, today) {
        return Err(Refusal::conflict(
            "scenario_not_in_force",
            "scenario_id",
            format!("scenario_id: {}", e.message()),
        ));
    }
    let fields = match fields {
        None => s.fields.clone(),
        Some(f) => name_set("fields", f, parse_field_name)?,
    };
    let extra = beyond(&fields, &s.fields);
    if !extra.is_empty() {
        return Err(Refusal::invalid(
            "fields_beyond_scenario",
            "fields",
            format!(
                "fields: {} are not needed by the scenario (minimum and necessary: it declares {})",
                extra.join(", "),
                s.fields.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    if fields.is_empty() {
        return Err(Refusal::invalid(
            "required",
            "fields",
            "fields: a consent covers at least one field",
        ));
    }
    let expires = parse_date("expires_at", expires_at)?;
    if expires < today {
        return Err(Refusal::invalid(
            "in_the_past",
            "expires_at",
            format!("expires_at: {expires} is already past"),
        ));
    }
    if expires > s.valid_until {
        return Err(Refusal::invalid(
            "longer_than_parent",
            "expires_at",
            format!(
                "expires_at: {expires} is after the scenario ends ({})",
                s.valid_until
            ),
        ));
    }
    Ok(ConsentTerms {
        fields,
        expires_at: expires,
    })
}

/// A consent as the check reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentFacts {
    pub id: String,
    pub fields: BTreeSet<String>,
    pub expires_at: NaiveDate,
    pub revoked: bool,
}

/// "May operator X use fields F of subject S (or resource R) for scenario Y now?"
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInput {
    pub scenario_id: String,
    /// The operator asking; an enterprise user asks for its own enterprise and may leave it out.
    pub operator_id: Option<String>,
    pub fields: Vec<String>,
    /// natural_person or legal_person, with subject_id: for personal and legal-person data.
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// A registration code: for public data.
    pub resource: Option<String>,
}

/// The answer of a check: yes, or no with the rule that says no.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckDecision {
    pub allowed: bool,
    /// `ok`, or the snake_case rule that refused.
    pub code: String,
    pub reason: String,
    /// The consent that allowed it (personal and legal-person data).
    pub consent_id: Option<String>,
}

impl CheckDecision {
    fn no(code: &str, reason: impl Into<String>) -> CheckDecision {
        CheckDecision {
            allowed: false,
            code: code.into(),
            reason: reason.into(),
            consent_id: None,
        }
    }
}

/// What a check reads: the scenario's chain, the consent of the subject (if any), and the
/// standing of the resource (if one is named).
#[derive(Clone, Debug)]
pub struct CheckFacts<'a> {
    pub chain: &'a [AuthorizationFacts],
    pub consent: Option<&'a ConsentFacts>,
    pub resource: Option<(&'a str, Standing)>,
}

/// Decides a check; pure, so the same rule answers the API and the benchmark.
pub fn decide_check(
    f: &CheckFacts,
    operator: &str,
    fields: &BTreeSet<String>,
    has_subject: bool,
    today: NaiveDate,
) -> CheckDecision {
    let Some(s) = f.chain.first() else {
        return CheckDecision::no("no_scenario", "no such scenario");
    };
    if s.level != AuthorizationLevel::Scenario {
        return CheckDecision::no("not_a_scenario", "checks are made against a scenario");
    }
    if s.operator_id != operator {
        return CheckDecision::no(
            "not_operator",
            format!(
                "the scenario is authorized to {}, not to {operator}",
                s.operator_id
            ),
        );
    }
    if let Err(e) = in_force(f.chain, today) {
        return CheckDecision::no(e.code(), e.message());
    }
    let extra = beyond(fields, &s.fields);
    if !extra.is_empty() {
        return CheckDecision::no(
            "fields_beyond_scenario",
            format!("{} are not in the scenario", extra.join(", ")),
        );
    }
    if s.data_class == DataClass::Public {
        return match f.resource {
            None => CheckDecision::no("resource_required", "public data is checked per resource"),
            Some((code, _)) if !s.resources.contains(code) => CheckDecision::no(
                "resource_not_in_scope",
                format!("{code} is not in the scenario's resources"),
            ),
            Some((code, st)) if st != Standing::Valid => CheckDecision::no(
                "resource_not_registered",
                format!("the registration of {code} is {}", st.as_str()),
            ),
            Some(_) => ok(None),
        };
    }
    if !has_subject {
        return CheckDecision::no(
            "subject_required",
            "personal and legal-person data are checked per subject",
        );
    }
    let Some(c) = f.consent else {
        return CheckDecision::no(
            "no_consent",
            "the subject has not consented to this scenario",
        );
    };
    if c.revoked {
        return CheckDecision::no("consent_revoked", "the subject revoked the consent");
    }
    if today > c.expires_at {
        return CheckDecision::no(
            "consent_expired",
            format!("the consent expired on {}", c.expires_at),
        );
    }
    let extra = beyond(fields, &c.fields);
    if !extra.is_empty() {
        return CheckDecision::no(
            "fields_beyond_consent",
            format!("the subject did not consent to {}", extra.join(", ")),
        );
    }
    ok(Some(c.id.clone()))
}

fn ok(consent: Option<String>) -> CheckDecision {
    CheckDecision {
        allowed: true,
        code: "ok".into(),
        reason: "authorized".into(),
        consent_id: consent,
    }
}

/// A consent receipt after the Kantara Initiative's Consent Receipt and ISO/IEC TS 27560: what
/// the subject keeps of what it agreed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentReceipt {
    pub version: String,
    pub jurisdiction: String,
    pub consent_receipt_id: String,
    pub consent_timestamp: String,
    pub collection_method: String,
    pub pii_principal_id: String,
    pub subject_kind: SubjectKind,
    pub pii_controller: String,
    pub pii_controller_id: String,
    pub purpose: String,
    pub recipients: Vec<String>,
    pub pii_categories: Vec<String>,
    pub legal_basis: String,
    pub expires_at: NaiveDate,
    pub revoked_at: Option<String>,
    pub scenario_id: String,
    pub scenario_name: String,
    /// SHA-256 over the receipt's other fields, so a copy can be checked against the platform.
    pub digest: String,
}

impl ConsentReceipt {
    /// Fills `digest` from the other fields (canonical JSON with an empty digest).
    pub fn sealed(mut self) -> ConsentReceipt {
        use sha2::{Digest, Sha256};
        self.digest = String::new();
        let json = serde_json::to_string(&self).unwrap_or_default();
        self.digest = hex::encode(Sha256::digest(json.as_bytes()));
        self
    }
}
