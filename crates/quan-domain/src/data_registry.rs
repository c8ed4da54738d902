//! Data resource registration (seed 002 §(1); the national interim measures for public data
//! resource registration, in force 2025-03-01): apply → accept → formal review (returned with
//! reasons, or passed) → public notice with objections → registration code and certificate.
//! Change, correction, renewal and cancellation are registrations of their own that name the
//! original; a registration is valid for three years. The three separated rights — resource
//! holding, processing and use, product operation — each name their holder.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ValidationError;
use crate::refusal::Refusal;

/// How long a registration is valid, from the day it is registered.
pub const REGISTRATION_VALID_YEARS: u32 = 3;
/// Calendar days of the public notice before a registration code is issued.
pub const REGISTRATION_NOTICE_DAYS: i64 = 10;

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
            /// Parses the stored or requested form; the error names `field` and the choices.
            pub fn parse(field: &str, s: &str) -> Result<$name, ValidationError> {
                match s.trim() {
                    $($s => Ok($name::$v),)+
                    other => Err(ValidationError::new(
                        field,
                        "invalid_choice",
                        format!("{field}: {other:?} is not one of {}", [$($s),+].join(", ")),
                    )),
                }
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// Which registration this is: the first, or one that changes, corrects, renews or cancels
    /// an earlier one.
    RegistrationKind {
        Initial = "initial",
        Change = "change",
        Correction = "correction",
        Renewal = "renewal",
        Cancellation = "cancellation",
    }
);

str_enum!(
    /// Where a registration stands.
    RegistrationStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        Returned = "returned",
        InNotice = "in_notice",
        Registered = "registered",
        Rejected = "rejected",
        /// A change, correction or renewal of it was registered.
        Superseded = "superseded",
        /// A cancellation of it was registered.
        Cancelled = "cancelled",
        Expired = "expired",
    }
);

str_enum!(
    /// Who a right holder is: an enterprise or a supplier on the platform, or a public body.
    HolderKind {
        Enterprise = "enterprise",
        Supplier = "supplier",
        PublicBody = "public_body",
    }
);

str_enum!(
    /// The sensitivity grade (GB/T 43697-2024 data classification and grading).
    DataGrade {
        General = "general",
        Important = "important",
        Core = "core",
    }
);

str_enum!(
    UpdateCycle {
        Realtime = "realtime",
        Daily = "daily",
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        Yearly = "yearly",
        Irregular = "irregular",
    }
);

/// The holder of one of the three rights.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightHolder {
    pub party_kind: HolderKind,
    /// The enterprise's or supplier's id; none for a public body.
    pub party_id: Option<String>,
    pub name: String,
}

/// The three separated rights of a data resource (one party may hold several).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataRights {
    /// Resource holding (数据资源持有权).
    pub holding: RightHolder,
    /// Processing and use (数据加工使用权).
    pub processing: RightHolder,
    /// Product operation (数据产品经营权).
    pub operation: RightHolder,
}

/// What a registration records about the resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationContent {
    pub resource_name: String,
    pub description: String,
    /// The data category (e.g. 交通运输, 医疗健康, 工业制造).
    pub category: String,
    pub grade: DataGrade,
    pub source: String,
    pub update_cycle: UpdateCycle,
    pub record_count: i64,
    pub size_bytes: i64,
    pub format: String,
    pub security_measures: String,
    pub usage_permissions: String,
    pub rights: DataRights,
}

/// The party applying: the holder of the resource-holding right must be the applicant (an
/// administrator applies for a public body, or on behalf of anyone).
pub fn check_applicant(
    applicant: Option<(HolderKind, &str)>,
    rights: &DataRights,
) -> Result<(), Refusal> {
    let Some((kind, id)) = applicant else {
        return Ok(());
    };
    let h = &rights.holding;
    if h.party_kind != kind || h.party_id.as_deref() != Some(id) {
        return Err(Refusal::invalid(
            "not_holder",
            "holding.party_id",
            "holding.party_id: the applicant registers only data it holds; the holding right must name the applicant",
        ));
    }
    Ok(())
}

/// A reviewer's or holder's step on a registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistrationStep {
    /// The reviewer accepts the application for formal review.
    Accept,
    /// The reviewer returns it to the holder with the reasons.
    Return { reason: String },
    /// The holder resubmits a returned application with corrected content.
    Resubmit { content: Box<RegistrationContent> },
    /// The formal review passes: public notice (initial, change, correction) or, for a renewal
    /// or a cancellation, registration at once.
    Pass,
    /// The reviewer refuses it (with the reason), e.g. after an upheld objection.
    Reject { reason: String },
    /// The notice ended without open objections: the code is issued.
    Register,
}

impl RegistrationStep {
    pub fn name(&self) -> &'static str {
        match self {
            RegistrationStep::Accept => "accept",
            RegistrationStep::Return { .. } => "return",
            RegistrationStep::Resubmit { .. } => "resubmit",
            RegistrationStep::Pass => "pass",
            RegistrationStep::Reject { .. } => "reject",
            RegistrationStep::Register => "register",
        }
    }
}

/// What a step decides on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationFacts {
    pub kind: RegistrationKind,
    pub status: RegistrationStatus,
    pub notice_ends: Option<NaiveDate>,
    pub open_objections: i64,
    /// The registration an amendment names, as it stands now.
    pub original: Option<OriginalFacts>,
    pub today: NaiveDate,
}

/// The registration a change, correction, renewal or cancellation applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginalFacts {
    pub status: RegistrationStatus,
    pub valid_until: Option<NaiveDate>,
}

/// What the store writes for a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationPlan {
    pub status: RegistrationStatus,
    pub notice_ends: Option<NaiveDate>,
    /// Set when the step registers it: the validity window.
    pub validity: Option<(NaiveDate, NaiveDate)>,
    /// The original's new status when this registration takes effect.
    pub original_becomes: Option<RegistrationStatus>,
}

fn wrong_state(step: &RegistrationStep, status: RegistrationStatus) -> Refusal {
    Refusal::conflict_general(
        "invalid_state",
        format!(
            "a registration that is {} cannot be given the step {}",
            status.as_str(),
            step.name()
        ),
    )
}

/// The last day of a validity of `years` starting on `from`.
pub fn validity_end(from: NaiveDate, years: u32) -> NaiveDate {
    from.checked_add_months(Months::new(12 * years))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The original must still be registered and valid for an amendment to take effect.
pub fn check_original(
    kind: RegistrationKind,
    o: &OriginalFacts,
    on: NaiveDate,
) -> Result<(), Refusal> {
    let live = o.status == RegistrationStatus::Registered && o.valid_until.is_some_and(|u| on <= u);
    if !live {
        return Err(Refusal::conflict(
            "original_not_valid",
            "original_code",
            format!(
                "original_code: a {} applies only to a registration that is registered and in its validity (it is {})",
                kind.as_str(),
                if o.status == RegistrationStatus::Registered { "expired" } else { o.status.as_str() }
            ),
        ));
    }
    Ok(())
}

/// Decides one step of the registration workflow.
pub fn plan_registration_step(
    f: &RegistrationFacts,
    step: &RegistrationStep,
) -> Result<RegistrationPlan, Refusal> {
    use RegistrationStatus as S;
    let keep = |status| RegistrationPlan {
        status,
        notice_ends: f.notice_ends,
        validity: None,
        original_becomes: None,
    };
    match (step, f.status) {
        (RegistrationStep::Accept, S::Submitted) => Ok(keep(S::Accepted)),
        (RegistrationStep::Return { .. }, S::Submitted | S::Accepted) => Ok(keep(S::Returned)),
        (RegistrationStep::Resubmit { .. }, S::Returned) => Ok(keep(S::Submitted)),
        (RegistrationStep::Reject { .. }, S::Submitted | S::Accepted | S::InNotice) => {
            Ok(keep(S::Rejected))
        }
        (RegistrationStep::Pass, S::Accepted) => {
            if let Some(o) = &f.original {
                check_original(f.kind, o, f.today)?;
            }
            match f.kind {
                RegistrationKind::Renewal | RegistrationKind::Cancellation => register(f),
                _ => Ok(RegistrationPlan {
                    status: S::InNotice,
                    notice_ends: Some(f.today + chrono::Duration::days(REGISTRATION_NOTICE_DAYS)),
                    validity: None,
                    original_becomes: None,
                }),
            }
        }
        (RegistrationStep::Register, S::InNotice) => {
            let ends = f.notice_ends.unwrap_or(f.today);
            if f.today < ends {
                return Err(Refusal::conflict_general(
                    "notice_running",
                    format!("the public notice runs until {ends}; the code is issued after it"),
                ));
            }
            if f.open_objections > 0 {
                return Err(Refusal::conflict_general(
                    "open_objections",
                    format!(
                        "{} objection(s) filed during the notice are not resolved",
                        f.open_objections
                    ),
                ));
            }
            if let Some(o) = &f.original {
                check_original(f.kind, o, f.today)?;
            }
            register(f)
        }
        (s, status) => Err(wrong_state(s, status)),
    }
}

/// Registration itself: validity from today for three years (a change or correction keeps the
/// original's end; a renewal runs three years from the day after the original's end).
fn register(f: &RegistrationFacts) -> Result<RegistrationPlan, Refusal> {
    use RegistrationKind as K;
    let original_until = f.original.as_ref().and_then(|o| o.valid_until);
    let (validity, original_becomes) = match (f.kind, original_until) {
        (K::Initial, _) => (
            Some((f.today, validity_end(f.today, REGISTRATION_VALID_YEARS))),
            None,
        ),
        (K::Change | K::Correction, Some(until)) => {
            (Some((f.today, until)), Some(RegistrationStatus::Superseded))
        }
        (K::Renewal, Some(until)) => {
            let from = until.succ_opt().unwrap_or(until);
            (
                Some((f.today, validity_end(from, REGISTRATION_VALID_YEARS))),
                Some(RegistrationStatus::Superseded),
            )
        }
        (K::Cancellation, Some(_)) => (None, Some(RegistrationStatus::Cancelled)),
        (_, None) => {
            return Err(Refusal::conflict(
                "original_not_valid",
                "original_code",
                "original_code: the original registration has no validity",
            ))
        }
    };
    Ok(RegistrationPlan {
        status: RegistrationStatus::Registered,
        notice_ends: f.notice_ends,
        validity,
        original_becomes,
    })
}

/// What a public verification answers about a registration code on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Standing {
    Valid,
    /// Replaced by a change, correction or renewal (the successor is named).
    Changed,
    Cancelled,
    Expired,
    /// Not (yet) registered: in review, in notice, returned or rejected.
    NotRegistered,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Valid => "valid",
            Standing::Changed => "changed",
            Standing::Cancelled => "cancelled",
            Standing::Expired => "expired",
            Standing::NotRegistered => "not_registered",
        }
    }
}

/// How a registration stands on `on`.
pub fn standing(
    status: RegistrationStatus,
    valid: Option<(NaiveDate, NaiveDate)>,
    on: NaiveDate,
) -> Standing {
    use RegistrationStatus as S;
    match status {
        S::Registered => match valid {
            Some((_, until)) if on > until => Standing::Expired,
            Some(_) => Standing::Valid,
            // A registered cancellation has no validity of its own.
            None => Standing::Cancelled,
        },
        S::Superseded => Standing::Changed,
        S::Cancelled => Standing::Cancelled,
        S::Expired => Standing::Expired,
        _ => Standing::NotRegistered,
    }
}

/// What is printed on a certificate and hashed into the audit chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub code: String,
    pub kind: RegistrationKind,
    pub original_code: Option<String>,
    pub resource_name: String,
    pub category: String,
    pub grade: DataGrade,
    pub record_count: i64,
    pub rights: DataRights,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub registered_on: NaiveDate,
}

impl Certificate {
    /// SHA-256 over the certificate's canonical JSON (fields in declaration order), hex.
    pub fn digest(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        hex::encode(Sha256::digest(json.as_bytes()))
    }
}

/// A registration code: `SD-DR-<year>-<six digits>`.
pub fn registration_code(year: i32, n: i64) -> String {
    format!("SD-DR-{year}-{n:06}")
}

/// A corpus's data as the listing rules read it: the registration its product names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusRegistration {
    pub code: String,
    pub standing: Standing,
    pub operation: RightHolder,
}

/// A corpus product is listed (entered in a selection round, put on a corpus program's list)
/// only while its data has a valid registration whose product-operation right the supplier
/// holds.
pub fn check_corpus_registration(
    field: &str,
    code: Option<&str>,
    reg: Option<&CorpusRegistration>,
    supplier: &str,
) -> Result<(), Refusal> {
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return Err(Refusal::invalid(
            "data_registration_required",
            field,
            format!("{field}: a corpus is listed only with the registration code of its data"),
        ));
    };
    let Some(r) = reg else {
        return Err(Refusal::invalid(
            "data_registration_unknown",
            field,
            format!("{field}: no data registration {code}"),
        ));
    };
    if r.standing != Standing::Valid {
        return Err(Refusal::conflict(
            "data_registration_invalid",
            field,
            format!(
                "{field}: data registration {code} is not valid (it is {})",
                r.standing.as_str()
            ),
        ));
    }
    let op = &r.operation;
    if op.party_kind != HolderKind::Supplier || op.party_id.as_deref() != Some(supplier) {
        return Err(Refusal::conflict(
            "data_registration_holder",
            field,
            format!(
                "{field}: the product-operation right of {code} is held by {}, not by this product's supplier",
                op.name
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "data_registry_tests.rs"]
mod tests;
