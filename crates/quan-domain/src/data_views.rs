//! Read models of the data registry and the authorization hub.
use chrono::NaiveDate;
use serde::Serialize;

use crate::data_authorization::{AuthorizationLevel, DataClass, SubjectKind};
use crate::data_registry::{
    Certificate, HolderKind, RegistrationContent, RegistrationKind, RegistrationStatus, Standing,
};

/// One step in a registration's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationEvent {
    pub step: String,
    pub status: RegistrationStatus,
    pub reason: Option<String>,
    pub actor: String,
    pub at: String,
}

/// An objection filed during a registration's public notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationObjection {
    pub id: String,
    pub registration_id: String,
    pub reason: String,
    pub filed_by: String,
    pub filed_at: String,
    /// open, upheld or dismissed
    pub status: String,
    pub resolution: Option<String>,
    pub resolved_at: Option<String>,
}

/// A data resource registration as shown to its holder and the reviewers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataRegistration {
    pub id: String,
    pub code: Option<String>,
    pub kind: RegistrationKind,
    pub original_code: Option<String>,
    pub reason: Option<String>,
    pub status: RegistrationStatus,
    /// How it stands today (valid, changed, cancelled, expired, not_registered).
    pub standing: Standing,
    pub applicant_kind: HolderKind,
    pub applicant_id: Option<String>,
    pub content: RegistrationContent,
    pub notice_ends: Option<NaiveDate>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    /// The change, correction, renewal or cancellation that replaced it.
    pub successor_code: Option<String>,
    pub certificate_digest: Option<String>,
    /// The reason of the last return or rejection.
    pub last_reason: Option<String>,
    pub open_objections: i64,
    /// Filled on a single registration, empty in lists.
    pub events: Vec<RegistrationEvent>,
    pub objections: Vec<RegistrationObjection>,
    pub applied_by: String,
    pub applied_at: String,
}

/// What anyone may learn of a registration code: how it stands and, if it was registered,
/// its certificate and the digest recorded in the audit chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationVerification {
    pub code: String,
    pub standing: Standing,
    pub certificate: Option<Certificate>,
    /// The digest recorded when it was registered; equal to `certificate`'s digest unless the
    /// record was tampered with.
    pub recorded_digest: Option<String>,
    pub digest_matches: bool,
    pub successor_code: Option<String>,
    pub checked_on: NaiveDate,
}

/// An authorization of the hub.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataAuthorization {
    pub id: String,
    pub level: AuthorizationLevel,
    pub data_class: DataClass,
    pub parent_id: Option<String>,
    pub name: String,
    pub authority: Option<String>,
    pub operator_id: String,
    pub operator_name: String,
    pub purpose: String,
    pub fields: Vec<String>,
    pub resources: Vec<String>,
    pub recipients: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
    /// Whether it is in force today (not revoked, no ancestor revoked, inside its period), and
    /// if not, why.
    pub in_force: bool,
    pub not_in_force_reason: Option<String>,
    pub created_at: String,
}

/// A consent of one subject to one scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataConsent {
    pub id: String,
    pub scenario_id: String,
    pub scenario_name: String,
    pub operator_id: String,
    pub operator_name: String,
    pub purpose: String,
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    pub fields: Vec<String>,
    pub granted_at: String,
    pub expires_at: NaiveDate,
    pub revoked_at: Option<String>,
    /// Checks that said yes under this consent.
    pub use_count: i64,
}

/// An operator's annual disclosure: the data it was authorized for, its products and fees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataDisclosure {
    pub operator_id: String,
    pub operator_name: String,
    pub year: i32,
    pub authorizations: Vec<DataAuthorization>,
    pub products: Vec<DisclosedItem>,
    pub fees: Vec<DisclosedItem>,
    pub published_at: String,
}

/// One product or fee line of a disclosure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosedItem {
    pub name: String,
    pub description: String,
}

/// An operator's annual disclosure as published (by the operator, or the administrator for it).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisclosureInput {
    /// The operator; an enterprise user publishes for itself and may leave it out.
    pub operator_id: Option<String>,
    pub year: i32,
    pub products: Vec<DisclosedItem>,
    pub fees: Vec<DisclosedItem>,
}
