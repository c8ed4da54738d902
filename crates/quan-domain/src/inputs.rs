//! What a caller asks for, as data: the shapes of new registrations, reviews, redemptions and
//! usage records. The same shapes come from JSON (decoded by quan-api, which is the only crate
//! that reads HTTP), from CSV imports, from the demo seed and from the simulation; the store
//! validates them with this crate's rules. Unknown JSON fields are refused.

use serde::{Deserialize, Serialize};

// Applications, review and the public notice.

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub program_id: String,
    /// Only an administrator applies on behalf of an enterprise; an enterprise user applies for itself.
    pub enterprise_id: Option<String>,
    pub amount_fen: i64,
    pub plan: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// approve or reject
    pub decision: String,
    /// Approved amount (≤ requested); defaults to the requested amount.
    pub amount_fen: Option<i64>,
    pub reason: Option<String>,
    /// In a program with a review chain: the level (1-based) the reviewer decides; refused
    /// unless it is the application's next level.
    pub level: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ObjectionInput {
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    pub uphold: bool,
    #[serde(default)]
    pub note: String,
}

// Redemption and clawback.

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RedemptionInput {
    pub voucher_id: String,
    pub product_id: String,
    /// 20-digit fully-digital e-invoice number; usable once on the whole platform.
    pub invoice_number: String,
    pub invoice_amount_fen: i64,
    pub invoice_date: String,
    /// The registered contract the invoice is for (required where the program says so).
    #[serde(default)]
    pub contract_id: Option<String>,
    /// Reference to the proof that the enterprise paid the invoice in full (bank slip number);
    /// required when the program reimburses the enterprise.
    #[serde(default)]
    pub payment_proof: Option<String>,
    /// Reference to the proof of delivery (acceptance record), where the program requires one.
    #[serde(default)]
    pub delivery_proof: Option<String>,
}

/// A contract between an enterprise and a supplier, registered by either party (or an
/// administrator) before a claim refers to it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContractInput {
    /// The contract's own number, unique per supplier.
    pub contract_number: String,
    /// The enterprise party; an enterprise user registers for itself and leaves it out.
    pub enterprise_id: Option<String>,
    /// The supplier party; a supplier user registers for itself and leaves it out.
    pub supplier_id: Option<String>,
    /// What is bought: compute, model, corpus or innovation_service.
    pub kind: String,
    /// What the contract covers, in the parties' words.
    pub subject: String,
    pub signed_on: String,
    pub amount_fen: i64,
}

/// A reimbursement run: pays an enterprise what is reimbursable to it up to the end of a month.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReimbursementInput {
    pub enterprise_id: String,
    /// YYYY-MM
    pub period: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClawbackInput {
    pub reason: String,
}

// Integrity: the dishonesty list, and the administrator's money tools.

/// A new entry on the dishonesty list (失信名单).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DishonestyInput {
    /// enterprise or supplier
    pub party_kind: String,
    pub party_id: String,
    pub reason: String,
    /// The authority or document behind the entry, e.g. an enforcement notice number.
    pub source: String,
    /// First day in force (YYYY-MM-DD); defaults to today.
    pub listed_from: Option<String>,
    /// Last day in force (YYYY-MM-DD); open-ended until lifted when absent.
    pub listed_until: Option<String>,
}

/// Lifting an entry, or closing a program: why, for the record.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    pub reason: String,
}

/// More money appropriated to a funding source (追加预算).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopUpInput {
    pub amount_fen: i64,
    /// The appropriation document, e.g. 鲁财教指〔2026〕31号.
    pub document: String,
}

// Settlement runs.

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettlementInput {
    pub supplier_id: String,
    /// YYYY-MM; the period must have ended (or be the current month).
    pub period: String,
}

// Funding sources and programs.

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FundingSourceInput {
    pub name: String,
    /// province, city or county
    pub level: String,
    pub city_code: Option<String>,
    pub appropriated_fen: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FundingShareInput {
    pub source_id: String,
    pub share_bps: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramInput {
    pub name: String,
    /// compute, model, corpus or innovation
    pub voucher_type: String,
    pub year: i64,
    pub rate_bps: i64,
    pub face_value_cap_fen: i64,
    pub enterprise_year_cap_fen: i64,
    pub apply_from: String,
    pub apply_until: String,
    pub valid_from: String,
    pub valid_until: String,
    pub notice_days: i64,
    #[serde(default)]
    pub eligible_cities: Vec<String>,
    #[serde(default)]
    pub eligible_sizes: Vec<String>,
    #[serde(default)]
    pub eligible_industries: Vec<String>,
    pub budget_fen: i64,
    pub funding: Vec<FundingShareInput>,
    /// The program's own rules (pilot-zone bonus, supplier cap, minimum invoice, split purchases).
    #[serde(default)]
    pub policy: crate::policy::ProgramPolicyFields,
}

/// Every field optional; what is given replaces what is there. `funding` can change only while
/// no grant has been approved; `budget_fen` can grow (allocated from the sources by share).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    pub name: Option<String>,
    pub rate_bps: Option<i64>,
    pub face_value_cap_fen: Option<i64>,
    pub enterprise_year_cap_fen: Option<i64>,
    pub apply_from: Option<String>,
    pub apply_until: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub notice_days: Option<i64>,
    pub eligible_cities: Option<Vec<String>>,
    pub eligible_sizes: Option<Vec<String>>,
    pub eligible_industries: Option<Vec<String>>,
    pub budget_fen: Option<i64>,
    pub funding: Option<Vec<FundingShareInput>>,
    /// Replaces the whole policy.
    pub policy: Option<crate::policy::ProgramPolicyFields>,
}

// The enterprise file.

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    pub uscc: String,
    pub name: String,
    pub city_code: String,
    pub industry: String,
    pub size_class: String,
    #[serde(default)]
    pub pilot_zone: bool,
    pub legal_rep: String,
    #[serde(default)]
    pub shareholders: Vec<String>,
    /// 实际控制人, if declared.
    #[serde(default)]
    pub actual_controller: String,
}

/// Edits of an enterprise's file. An enterprise may change only its `name` this way; the
/// registered fields go through a change request. The dishonesty list is its own registry.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnterprisePatch {
    pub name: Option<String>,
    pub industry: Option<String>,
    pub size_class: Option<String>,
    pub legal_rep: Option<String>,
    pub shareholders: Option<Vec<String>>,
    pub actual_controller: Option<String>,
    pub city_code: Option<String>,
    pub pilot_zone: Option<bool>,
}

/// A change to an enterprise's registered file, asked for by the enterprise and decided by an
/// administrator; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnterpriseChangeInput {
    pub industry: Option<String>,
    pub size_class: Option<String>,
    pub legal_rep: Option<String>,
    pub shareholders: Option<Vec<String>>,
    pub actual_controller: Option<String>,
    pub city_code: Option<String>,
    /// What backs the change, e.g. the updated business licence or registry extract number.
    pub evidence: String,
}

/// An administrator's decision on a change request.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeDecisionInput {
    /// approve or reject
    pub decision: String,
    /// Required when rejecting.
    pub note: Option<String>,
}

// Suppliers and their products.

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupplierInput {
    pub name: String,
    pub uscc: String,
    pub kind: String,
    pub city_code: String,
    pub legal_rep: String,
    #[serde(default)]
    pub shareholders: Vec<String>,
    /// 实际控制人, if declared.
    #[serde(default)]
    pub actual_controller: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// Required for administrators; a supplier user always lists under its own supplier.
    pub supplier_id: Option<String>,
    pub kind: String,
    pub name: String,
    pub city_code: Option<String>,
    pub gpu_model: Option<String>,
    /// Price per billing unit, fen (metered products: computing power, and models by tokens).
    #[serde(alias = "price_per_gpu_hour_fen")]
    pub price_per_unit_fen: Option<i64>,
    /// gpu_hour (default for a priced compute product), card_hour, cpu_core_hour, k_tokens
    /// (the only unit of a model product), gb_month or gb_transferred. Fixed once created.
    #[serde(default)]
    pub billing_unit: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// An administrator's edit of a supplier's file; absent fields stay. Suspending stops new
/// payments (redemptions, metered usage) until lifted; what is payable is still settled.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupplierPatch {
    pub name: Option<String>,
    pub city_code: Option<String>,
    pub legal_rep: Option<String>,
    pub shareholders: Option<Vec<String>>,
    pub actual_controller: Option<String>,
    pub suspended: Option<bool>,
    /// Required when suspending.
    pub suspend_reason: Option<String>,
}

/// An edit of a product: its supplier may correct the name and description; price, GPU model
/// and suspension are the administrator's.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub gpu_model: Option<String>,
    /// Price per the product's billing unit, fen.
    #[serde(alias = "price_per_gpu_hour_fen")]
    pub price_per_unit_fen: Option<i64>,
    pub suspended: Option<bool>,
    /// Required when suspending.
    pub suspend_reason: Option<String>,
}

// Metered usage records.

/// A key registration as the API takes it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageKeyInput {
    /// Ed25519 public key, 64 hexadecimal characters.
    pub public_key: String,
    /// When the supplier already has a live key: that key's signature (hex) of
    /// `quan-usage-key-rotation/v1\n{supplier_id}\n{new public key, lower-case hex}`.
    /// An administrator rotates without it.
    #[serde(default)]
    pub rotation_signature: Option<String>,
}

/// One usage record as a compute supplier sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageInput {
    /// Unique per supplier; a resend with the same id counts once.
    pub record_id: String,
    pub product_id: String,
    pub enterprise_id: String,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339; the price and the voucher's validity are taken at this moment.
    pub ended_at: String,
    /// Accelerator time (products billed per gpu_hour or card_hour). Give this or `quantity`.
    #[serde(default)]
    pub gpu_seconds: i64,
    /// The metered quantity in the product's unit base: seconds (gpu_hour, card_hour,
    /// cpu_core_hour), tokens (k_tokens), GB-hours (gb_month) or bytes (gb_transferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// Optional: otherwise the enterprise's valid compute voucher whose program lists the
    /// product, oldest expiry first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voucher_id: Option<String>,
}

/// A batch element: a record, or an element that could not be read as one.
#[derive(Debug, Clone)]
pub enum UsageItem {
    Record(UsageInput),
    Malformed { record_id: String, message: String },
}

/// A selection round (annual selection of model products or corpora).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SelectionRoundInput {
    pub name: String,
    /// model or corpus
    pub kind: String,
    pub year: i32,
    /// Batch of the year (1 = 第一批, default); each batch is a round of its own.
    pub batch: Option<u32>,
    /// At most this many products are selected.
    pub cap: u32,
    pub call_from: String,
    pub call_until: String,
    /// Days of public notice after publication (0–30).
    pub notice_days: u32,
    /// Corpora: least record count (default 100,000).
    pub min_records: Option<i64>,
    /// Corpora: whether the data resource registration certificate is required.
    pub registration_required: Option<bool>,
    /// Least mean score (0–100, default 60) to be selected.
    pub pass_mark: Option<u32>,
    pub criteria: Vec<crate::selection::Criterion>,
}

/// A supplier's entry of one product into a round, with its evidence.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SelectionEntryInput {
    pub product_id: String,
    /// Models: reference of the third-party evaluation report.
    pub evaluation_report: Option<String>,
    /// Models: where and how the model is deployed.
    pub deployment_evidence: Option<String>,
    /// Corpora: number of records.
    pub record_count: Option<i64>,
    /// Corpora: data resource registration certificate number.
    pub registration_ref: Option<String>,
    pub summary: Option<String>,
}

/// An expert on a round's panel (a reviewer user).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PanelExpertInput {
    pub user_id: String,
}

/// Assigns an entry to a panel expert.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    pub entry_id: String,
    pub expert_id: String,
}

/// One criterion's score, 0–100.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CriterionScoreInput {
    pub criterion: String,
    pub score: i64,
}

/// An expert's score sheet for one entry.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    pub scores: Vec<CriterionScoreInput>,
    pub comment: Option<String>,
}

/// An acceptance check of a milestone-paid voucher's work (e.g. a corpus project).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptanceInput {
    /// excellent, pass or fail
    pub rating: String,
    /// The expert panel that checked, e.g. 省数据局验收专家组（张、李、王）.
    pub panel: String,
    /// YYYY-MM-DD
    pub checked_on: String,
    /// Reference of the acceptance report.
    pub report_ref: String,
}

/// An administrator's figure for a target.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FigureInput {
    pub value: f64,
    /// The day the figure is true of (YYYY-MM-DD, not after today).
    pub as_of: chrono::NaiveDate,
    /// The source document.
    pub source: String,
}

/// A compute site to register in the computing-power registry.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComputeSiteInput {
    /// Only an administrator registers a site for a supplier; a supplier registers its own.
    pub supplier_id: Option<String>,
    pub name: String,
    /// GB/T 2260 city code of a Shandong city, e.g. 370100.
    pub city_code: String,
    /// jinan, qingdao or zaozhuang (the site's city must be the hub's); none outside the hubs.
    pub hub: Option<String>,
    /// general or intelligent
    pub kind: String,
    /// YYYY-MM-DD; a planned site counts from this day (at most five years ahead).
    pub commissioned_on: chrono::NaiveDate,
    /// FP16/BF16 capacity in PFLOPS (at most three decimals).
    #[serde(default)]
    pub fp16_pflops: f64,
    /// FP64 capacity in PFLOPS (at most three decimals).
    #[serde(default)]
    pub fp64_pflops: f64,
    /// e.g. 昇腾910B, A800; required for intelligent computing.
    pub accelerator_model: Option<String>,
    #[serde(default)]
    pub accelerator_count: i64,
}
