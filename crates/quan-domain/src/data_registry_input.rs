//! The input of a data resource registration as the holder sends it, and its checking into a
//! registration request (kind, the code it amends, the content with the three rights).
use serde::Deserialize;

use crate::data_registry::*;
use crate::enterprise::validate_text;
use crate::error::ValidationError;

/// The input shape of a right holder.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RightHolderInput {
    /// enterprise, supplier or public_body
    pub party_kind: String,
    pub party_id: Option<String>,
    pub name: String,
}

/// A registration as applied for; `kind` other than initial names `original_code`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    /// initial (default), change, correction, renewal or cancellation
    pub kind: Option<String>,
    /// The registration code this one changes, corrects, renews or cancels.
    pub original_code: Option<String>,
    /// The reason of a change, correction or cancellation.
    pub reason: Option<String>,
    pub resource_name: String,
    pub description: String,
    pub category: String,
    /// general, important or core
    pub grade: String,
    pub source: String,
    /// realtime, daily, weekly, monthly, quarterly, yearly or irregular
    pub update_cycle: String,
    pub record_count: i64,
    pub size_bytes: i64,
    pub format: String,
    pub security_measures: String,
    pub usage_permissions: String,
    pub holding: RightHolderInput,
    pub processing: RightHolderInput,
    pub operation: RightHolderInput,
}

fn holder(field: &str, i: &RightHolderInput) -> Result<RightHolder, ValidationError> {
    let party_kind = HolderKind::parse(&format!("{field}.party_kind"), &i.party_kind)?;
    let id = i
        .party_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let party_id = match (party_kind, id) {
        (HolderKind::PublicBody, _) => None,
        (_, Some(id)) => Some(validate_text(&format!("{field}.party_id"), id, 64)?),
        (_, None) => {
            return Err(ValidationError::new(
                format!("{field}.party_id"),
                "required",
                format!("{field}.party_id: an enterprise or supplier holder is named by its id"),
            ))
        }
    };
    Ok(RightHolder {
        party_kind,
        party_id,
        name: validate_text(&format!("{field}.name"), &i.name, 200)?,
    })
}

fn count(field: &str, v: i64) -> Result<i64, ValidationError> {
    if !(0..=1_000_000_000_000_000).contains(&v) {
        return Err(ValidationError::new(
            field,
            "out_of_range",
            format!("{field}: {v} must be between 0 and 10^18"),
        ));
    }
    Ok(v)
}

/// A checked application: its kind, the code it names and the content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationRequest {
    pub kind: RegistrationKind,
    pub original_code: Option<String>,
    pub reason: Option<String>,
    pub content: RegistrationContent,
}

impl RegistrationRequest {
    pub fn parse(i: &RegistrationInput) -> Result<RegistrationRequest, ValidationError> {
        let kind = match i.kind.as_deref() {
            None | Some("") => RegistrationKind::Initial,
            Some(k) => RegistrationKind::parse("kind", k)?,
        };
        let original_code = i
            .original_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let original_code = match (kind, original_code) {
            (RegistrationKind::Initial, None) => None,
            (RegistrationKind::Initial, Some(_)) => {
                return Err(ValidationError::new(
                    "original_code",
                    "not_allowed",
                    "original_code: an initial registration names no earlier registration",
                ))
            }
            (_, Some(c)) => Some(validate_text("original_code", c, 40)?),
            (k, None) => {
                return Err(ValidationError::new(
                    "original_code",
                    "required",
                    format!(
                        "original_code: a {} registration names the registration it applies to",
                        k.as_str()
                    ),
                ))
            }
        };
        let reason = i
            .reason
            .as_deref()
            .map(|r| validate_text("reason", r, 1000))
            .transpose()?;
        if reason.is_none()
            && matches!(
                kind,
                RegistrationKind::Change
                    | RegistrationKind::Correction
                    | RegistrationKind::Cancellation
            )
        {
            return Err(ValidationError::new(
                "reason",
                "required",
                format!("reason: a {} registration gives its reason", kind.as_str()),
            ));
        }
        let content = RegistrationContent {
            resource_name: validate_text("resource_name", &i.resource_name, 200)?,
            description: validate_text("description", &i.description, 4000)?,
            category: validate_text("category", &i.category, 100)?,
            grade: DataGrade::parse("grade", &i.grade)?,
            source: validate_text("source", &i.source, 500)?,
            update_cycle: UpdateCycle::parse("update_cycle", &i.update_cycle)?,
            record_count: count("record_count", i.record_count)?,
            size_bytes: count("size_bytes", i.size_bytes)?,
            format: validate_text("format", &i.format, 100)?,
            security_measures: validate_text("security_measures", &i.security_measures, 2000)?,
            usage_permissions: validate_text("usage_permissions", &i.usage_permissions, 2000)?,
            rights: DataRights {
                holding: holder("holding", &i.holding)?,
                processing: holder("processing", &i.processing)?,
                operation: holder("operation", &i.operation)?,
            },
        };
        Ok(RegistrationRequest {
            kind,
            original_code,
            reason,
            content,
        })
    }
}
