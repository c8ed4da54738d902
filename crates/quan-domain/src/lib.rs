//! Pure domain rules of Quan, the platform that runs Shandong's AI-voucher subsidy programs:
//! money and rates, USCC and city validation, enterprise and program rules, the lifecycle state
//! machines, the subsidy quote, a reference model of the double-entry ledger, and the audit hash
//! chain. **Invariant: this crate does no I/O** — no files at runtime, no network, no clock
//! (dates are passed in); every rule here is pure and property-tested.

pub mod audit;
pub mod checkpoint;
pub mod city;
pub mod compute_capacity;
pub mod contract;
pub mod data_authorization;
pub mod data_consent;
pub mod data_registry;
pub mod data_registry_input;
pub mod data_views;
pub mod document_number;
pub mod enterprise;
pub mod error;
pub mod forecast;
pub mod ids;
pub mod inputs;
pub mod integrity;
pub mod ledger;
pub mod lifecycle;
pub mod money;
pub mod plans;
pub mod policy;
pub mod policy_target;
pub mod program;
pub mod reconcile;
pub mod redemption;
pub mod refusal;
pub mod review_chain;
pub mod review_conflict;
pub mod selection;
pub mod selection_notice;
pub mod selection_panel;
pub mod selection_views;
pub mod text;
pub mod throttle;
pub mod uscc;
pub mod views;

pub use audit::*;
pub use checkpoint::*;
pub use city::*;
pub use compute_capacity::*;
pub use contract::*;
pub use data_authorization::*;
pub use data_consent::*;
pub use data_registry::*;
pub use data_registry_input::*;
pub use data_views::*;
pub use document_number::*;
pub use enterprise::*;
pub use error::*;
pub use forecast::*;
pub use ids::*;
pub use integrity::*;
pub use ledger::*;
pub use lifecycle::*;
pub use money::*;
pub use plans::*;
pub use policy::*;
pub use policy_target::*;
pub use program::*;
pub use reconcile::*;
pub use redemption::*;
pub use refusal::*;
pub use review_chain::*;
pub use review_conflict::*;
pub use selection::*;
pub use selection_views::*;
pub use text::*;
pub use throttle::*;
pub use uscc::*;
