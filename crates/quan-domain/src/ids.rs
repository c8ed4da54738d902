//! Typed ids, one newtype per entity, so a voucher id can never be passed where a supplier id is
//! expected. Ids are opaque strings (`vch_…`, `sup_…`, or whatever a seed chose); the newtype
//! only fixes which entity one names. JSON and SQL see the plain string.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(String);

        impl $name {
            /// Wraps an id read from storage or from a request path.
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }
            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    )+};
}

id_type!(
    /// An enterprise ("one enterprise, one file").
    EnterpriseId,
    /// A supplier (compute hub operator, model vendor, corpus provider, service provider).
    SupplierId,
    /// A catalogue product of a supplier.
    ProductId,
    /// A funding source (province, city, county).
    FundingSourceId,
    /// A voucher program (one voucher type, one period).
    ProgramId,
    /// An application for a voucher.
    ApplicationId,
    /// An issued voucher.
    VoucherId,
    /// An invoice-based redemption.
    RedemptionId,
    /// A settlement run for one supplier and period.
    SettlementId,
    /// An objection filed during a public notice.
    ObjectionId,
    /// A platform user.
    UserId,
    /// A contract between an enterprise and a supplier that redemptions claim against.
    ContractId,
    /// A reimbursement run: what one enterprise is paid for one period.
    ReimbursementId,
    /// An annual selection round (model products or corpora of one year).
    SelectionRoundId,
    /// A product entered in a selection round.
    SelectionEntryId,
);
