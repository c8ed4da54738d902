//! State machines of applications, vouchers and redemptions, and the review rules.
//!
//! | object | from | event | to |
//! |---|---|---|---|
//! | application | submitted | approve | approved |
//! | application | submitted | reject | rejected |
//! | application | approved | uphold_objection | revoked |
//! | application | approved | issue | issued |
//! | voucher | active | expire | expired |
//! | redemption | payable | settle | settled |
//! | redemption | payable, settled | clawback | clawed_back |
//!
//! Every other pair is an [`IllegalTransition`].

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::money::Money;

/// An event that the current state does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {event} an application that is {from}")]
pub struct IllegalTransition {
    /// The current state (`as_str` of the status).
    pub from: String,
    /// The rejected event, as a verb phrase (e.g. `approve`, `uphold an objection to`).
    pub event: String,
}

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($var),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The snake_case name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            /// Parses the snake_case name.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$var),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum!(
    /// Status of an application for a voucher.
    ApplicationStatus { Submitted => "submitted", Approved => "approved", Rejected => "rejected",
                        Revoked => "revoked", Issued => "issued" }
);
str_enum!(
    /// What can happen to an application.
    ApplicationEvent { Approve => "approve", Reject => "reject",
                       UpholdObjection => "uphold_objection", Issue => "issue" }
);
str_enum!(
    /// Status of an issued voucher.
    VoucherStatus { Active => "active", Expired => "expired", Cancelled => "cancelled" }
);
str_enum!(
    /// What can happen to a voucher.
    VoucherEvent { Expire => "expire", FailAcceptance => "fail_acceptance" }
);
str_enum!(
    /// Status of a redemption. `held`: paid from the voucher but not settled until an
    /// administrator releases it (a suspected split purchase).
    RedemptionStatus { Held => "held", Payable => "payable", Settled => "settled", ClawedBack => "clawed_back" }
);
str_enum!(
    /// What can happen to a redemption.
    RedemptionEvent { Release => "release", Settle => "settle", Clawback => "clawback" }
);

impl ApplicationEvent {
    /// The event as a verb phrase for messages.
    pub fn verb(self) -> &'static str {
        match self {
            ApplicationEvent::Approve => "approve",
            ApplicationEvent::Reject => "reject",
            ApplicationEvent::UpholdObjection => "uphold an objection to",
            ApplicationEvent::Issue => "issue a voucher for",
        }
    }
}

fn illegal(from: &str, event: &str) -> IllegalTransition {
    IllegalTransition {
        from: from.to_string(),
        event: event.to_string(),
    }
}

impl ApplicationStatus {
    /// The state after `ev`, or [`IllegalTransition`].
    pub fn apply(self, ev: ApplicationEvent) -> Result<ApplicationStatus, IllegalTransition> {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        match (self, ev) {
            (S::Submitted, E::Approve) => Ok(S::Approved),
            (S::Submitted, E::Reject) => Ok(S::Rejected),
            (S::Approved, E::UpholdObjection) => Ok(S::Revoked),
            (S::Approved, E::Issue) => Ok(S::Issued),
            _ => Err(illegal(self.as_str(), ev.verb())),
        }
    }

    /// Whether no event is accepted any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Rejected | ApplicationStatus::Revoked | ApplicationStatus::Issued
        )
    }
}

impl VoucherStatus {
    /// The state after `ev`, or [`IllegalTransition`].
    pub fn apply(self, ev: VoucherEvent) -> Result<VoucherStatus, IllegalTransition> {
        match (self, ev) {
            (VoucherStatus::Active, VoucherEvent::Expire) => Ok(VoucherStatus::Expired),
            (VoucherStatus::Active, VoucherEvent::FailAcceptance) => Ok(VoucherStatus::Cancelled),
            _ => Err(illegal(self.as_str(), ev.as_str())),
        }
    }

    /// Whether no event is accepted any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, VoucherStatus::Expired | VoucherStatus::Cancelled)
    }
}

impl RedemptionStatus {
    /// The state after `ev`, or [`IllegalTransition`].
    pub fn apply(self, ev: RedemptionEvent) -> Result<RedemptionStatus, IllegalTransition> {
        use RedemptionEvent as E;
        use RedemptionStatus as S;
        match (self, ev) {
            (S::Held, E::Release) => Ok(S::Payable),
            (S::Payable, E::Settle) => Ok(S::Settled),
            (S::Held | S::Payable | S::Settled, E::Clawback) => Ok(S::ClawedBack),
            _ => Err(illegal(self.as_str(), ev.as_str())),
        }
    }

    /// Whether no event is accepted any more.
    pub fn is_terminal(self) -> bool {
        self == RedemptionStatus::ClawedBack
    }
}

/// The amount a reviewer may approve: positive, at most the requested amount and at most the
/// program's face value cap. Errors name the field `amount_fen`.
pub fn review_amount(
    requested: Money,
    approved: Money,
    face_value_cap: Money,
) -> Result<Money, ValidationError> {
    let field = "amount_fen";
    let approved = Money::positive(field, approved.fen())?;
    if approved > requested {
        return Err(ValidationError::new(
            field,
            "exceeds_requested",
            format!("{field}: approved {approved} exceeds requested {requested}"),
        ));
    }
    if approved > face_value_cap {
        return Err(ValidationError::new(
            field,
            "exceeds_cap",
            format!("{field}: approved {approved} exceeds the program's face value cap {face_value_cap}"),
        ));
    }
    Ok(approved)
}

/// The last day of the notice (公示) period: the notice runs for `notice_days` days after the
/// approval day, so it ends on `approved_on + notice_days` (the approval day itself when
/// `notice_days` is 0). The voucher may be issued on any day after that. Saturates at the
/// largest representable date.
pub fn notice_ends_on(approved_on: NaiveDate, notice_days: u32) -> NaiveDate {
    approved_on
        .checked_add_days(Days::new(notice_days as u64))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
