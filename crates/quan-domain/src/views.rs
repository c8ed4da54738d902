//! The read models the platform hands out: what lists and pages show, as the store assembles
//! them from rows. Money fields are integer fen and end in `_fen`. With the `openapi` feature
//! they also describe themselves for the OpenAPI document (only quan-api turns it on).

use chrono::NaiveDate;
use serde::Serialize;

use crate::ids::{
    ApplicationId, ContractId, EnterpriseId, ProductId, ProgramId, RedemptionId, SettlementId,
    SupplierId, VoucherId,
};
use crate::lifecycle::{ApplicationStatus, RedemptionStatus, VoucherStatus};
use crate::money::Money;
use crate::program::VoucherType;
use crate::redemption::InvoiceNumber;

// Registries and money: one record per row of its table.

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enterprise {
    pub id: String,
    pub uscc: String,
    pub name: String,
    pub city_code: String,
    pub industry: String,
    pub size_class: String,
    pub pilot_zone: bool,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    /// 实际控制人; blank when not declared.
    #[serde(default)]
    pub actual_controller: String,
    pub dishonest: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supplier {
    pub id: String,
    pub name: String,
    pub uscc: String,
    pub kind: String,
    pub city_code: String,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    /// 实际控制人; blank when not declared.
    pub actual_controller: String,
    pub dishonest: bool,
    /// A suspended supplier is paid nothing new (no redemption, no metered usage).
    pub suspended: bool,
    pub suspend_reason: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub kind: String,
    pub name: String,
    pub city_code: Option<String>,
    pub gpu_model: Option<String>,
    /// Price per billing unit, fen (metered products only).
    pub price_per_unit_fen: Option<i64>,
    /// The unit the price is per (metered products only).
    pub billing_unit: Option<crate::billing::BillingUnit>,
    pub description: String,
    /// Programs whose selected (eligible) list holds this product now.
    pub eligible_programs: Vec<String>,
    /// A suspended product (or one of a suspended supplier) cannot be paid for.
    pub suspended: bool,
    pub suspend_reason: Option<String>,
    /// For a corpus: the data registration its data is listed under.
    pub data_registration_code: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingSource {
    pub id: String,
    pub name: String,
    pub level: String,
    pub city_code: Option<String>,
    pub appropriated_fen: i64,
    /// Not yet allocated to a program.
    pub available_fen: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramFunding {
    pub source_id: String,
    pub source_name: String,
    pub share_bps: i64,
    pub allocated_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Program {
    pub id: String,
    pub name: String,
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
    pub eligible_cities: Vec<String>,
    pub eligible_sizes: Vec<String>,
    pub eligible_industries: Vec<String>,
    pub budget_fen: i64,
    pub funding: Vec<ProgramFunding>,
    /// Budget neither reserved nor issued: what new grants can still draw on.
    pub available_fen: i64,
    /// Reserved for approved grants still in their notice period.
    pub reserved_fen: i64,
    pub created_at: String,
    /// Set once an administrator closed the program: no new applications, unspent budget
    /// released to the sources.
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
    /// What closing returned to the funding sources.
    pub released_fen: Option<i64>,
    pub policy: crate::policy::ProgramPolicyFields,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Objection {
    pub id: String,
    pub application_id: String,
    pub filed_by: String,
    pub reason: String,
    pub status: String,
    pub resolution_note: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: ApplicationId,
    /// The human-readable number (`SD-AP-2026-000123`), shown first and searchable.
    pub number: String,
    pub program_id: ProgramId,
    pub program_name: String,
    pub voucher_type: VoucherType,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub city_code: String,
    pub amount_fen: Money,
    pub plan: String,
    pub status: ApplicationStatus,
    pub approved_fen: Option<Money>,
    pub reason: Option<String>,
    pub reviewer_id: Option<String>,
    pub reviewed_at: Option<String>,
    pub notice_ends_on: Option<NaiveDate>,
    pub voucher_id: Option<VoucherId>,
    pub created_at: String,
    /// What the reader (a reviewer, administrator or auditor) must know of the applicant: the
    /// reader in its registered file, links they declared, the dishonesty flag (filled on the
    /// list and the single view).
    pub conflicts: Vec<crate::ReviewConflict>,
    pub objections: Vec<Objection>,
    /// Levels of the program's review chain this application has passed.
    pub review_level: i64,
    /// The program's review chain (empty: one review decides).
    pub review_chain: Vec<crate::review_chain::ReviewLevel>,
    /// Each level's decision, in order (filled on the single-application view).
    pub reviews: Vec<crate::review_chain::ReviewDecision>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Voucher {
    pub id: VoucherId,
    /// The human-readable number (`SD-AP-2026-000123`), shown first and searchable.
    pub number: String,
    pub application_id: ApplicationId,
    pub program_id: ProgramId,
    pub program_name: String,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub voucher_type: VoucherType,
    pub face_value_fen: Money,
    pub balance_fen: Money,
    pub redeemed_fen: Money,
    /// Subsidy of this voucher's redemptions that were clawed back (returned to the funding
    /// sources; it does not come back to the voucher).
    pub reversed_fen: Money,
    pub released_fen: Money,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: VoucherStatus,
    pub issued_at: String,
    /// The second milestone still held for the acceptance check (a program paying in
    /// milestones), in fen.
    pub held_fen: Money,
    /// The acceptance check's rating, once recorded.
    pub acceptance: Option<crate::plans::AcceptanceRating>,
    /// The panel that checked (with the rating).
    pub acceptance_panel: Option<String>,
    /// The day of the acceptance check.
    pub acceptance_checked_on: Option<NaiveDate>,
    /// The acceptance report's reference.
    pub acceptance_report_ref: Option<String>,
}

/// What a redemption would do, computed by the same facts and plan as the real one with nothing
/// written: the console shows it for confirmation before money moves.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionPreview {
    pub voucher_id: VoucherId,
    pub program_id: ProgramId,
    pub program_name: String,
    pub voucher_type: VoucherType,
    /// The voucher's holder.
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub invoice_amount_fen: Money,
    /// What the voucher may still pay now, before this redemption.
    pub balance_fen: Money,
    pub subsidy_fen: Money,
    pub enterprise_pays_fen: Money,
    pub balance_after_fen: Money,
    /// Who would be paid the subsidy: `supplier` or `enterprise` (reimbursed).
    pub payee: String,
    /// Set when it would be held for review instead of payable.
    pub hold: Option<crate::HoldReason>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redemption {
    pub id: RedemptionId,
    /// The human-readable number (`SD-AP-2026-000123`), shown first and searchable.
    pub number: String,
    pub voucher_id: VoucherId,
    pub program_id: ProgramId,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
    pub product_id: ProductId,
    pub product_name: String,
    pub invoice_number: InvoiceNumber,
    pub invoice_amount_fen: Money,
    pub invoice_date: NaiveDate,
    pub subsidy_fen: Money,
    pub enterprise_pays_fen: Money,
    pub status: RedemptionStatus,
    pub settlement_id: Option<SettlementId>,
    pub clawback_reason: Option<String>,
    /// Why it is (or was) held for review, in English (a suspected split purchase); before
    /// migration 0018 the release note was appended to it.
    pub hold_reason: Option<String>,
    /// The same reason as data: the rule's code and its figures.
    pub hold: Option<crate::HoldReason>,
    /// The administrator's note when a held redemption was released.
    pub release_note: Option<String>,
    pub created_at: String,
    /// Who is paid the subsidy: `supplier` (it redeemed) or `enterprise` (reimbursed; then
    /// `settlement_id` is the reimbursement run that paid it).
    pub payee: String,
    pub contract_id: Option<ContractId>,
    pub payment_proof: Option<String>,
    pub delivery_proof: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    pub id: String,
    /// The human-readable number (`SD-AP-2026-000123`), shown first and searchable.
    pub number: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub period: String,
    /// Everything payable in the run.
    pub total_fen: i64,
    /// Kept to recover what the supplier owed after clawbacks of paid subsidies.
    pub receivable_offset_fen: i64,
    /// Paid out: total − offset.
    pub paid_fen: i64,
    pub item_count: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub username: String,
    pub role: String,
    pub enterprise_id: Option<String>,
    pub supplier_id: Option<String>,
    pub display_name: String,
    /// A city reviewer's city (decides city levels of review chains and sees only that city's
    /// applications); None for everyone else.
    pub city_code: Option<String>,
}

// The public dashboard and the notice (公示) list.

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub budget_fen: i64,
    pub reserved_fen: i64,
    pub granted_fen: i64,
    pub spent_fen: i64,
    pub settled_fen: i64,
    pub released_fen: i64,
    /// Enterprises registered on the platform.
    pub enterprises: i64,
    /// Enterprises that hold at least one issued voucher (the policy's beneficiaries).
    pub beneficiaries: i64,
    pub vouchers: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityFigures {
    pub city_code: String,
    pub name_zh: String,
    pub name_en: String,
    pub granted_fen: i64,
    pub spent_fen: i64,
    /// Enterprises of the city that hold at least one issued voucher.
    pub beneficiaries: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TypeFigures {
    pub voucher_type: String,
    pub budget_fen: i64,
    pub granted_fen: i64,
    pub spent_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthFigures {
    pub month: String,
    pub granted_fen: i64,
    pub spent_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub totals: Totals,
    pub by_city: Vec<CityFigures>,
    pub by_voucher_type: Vec<TypeFigures>,
    pub by_month: Vec<MonthFigures>,
}

/// Metered usage accepted in one minute at one hub.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MinuteFigures {
    /// The minute's start, RFC 3339 (UTC).
    pub minute: String,
    pub records: i64,
    pub gpu_hours: f64,
}

/// One hub's last minutes, oldest first, every minute present (zero when nothing came).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HubMinutes {
    pub hub: crate::compute_capacity::Hub,
    pub city_code: String,
    pub per_minute: Vec<MinuteFigures>,
}

/// Live metering for the public big screen: what the writer accepted per minute and hub
/// (by the product's city), over the last `minutes` minutes up to `as_of`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeteringLive {
    pub as_of: String,
    pub minutes: i64,
    pub hubs: Vec<HubMinutes>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub application_id: String,
    pub enterprise_name: String,
    pub uscc: String,
    pub city_code: String,
    pub program_name: String,
    pub voucher_type: String,
    pub amount_fen: i64,
    pub approved_on: String,
    pub notice_ends_on: String,
}

// Metered usage: stored records and the hub view.

/// A stored usage record.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageRecord {
    pub supplier_id: String,
    pub record_id: String,
    pub product_id: String,
    pub enterprise_id: String,
    pub voucher_id: Option<String>,
    pub program_id: Option<String>,
    pub city_code: Option<String>,
    pub started_at: String,
    pub ended_at: String,
    /// Accelerator time (products billed per GPU- or card-hour); 0 for other units.
    pub gpu_seconds: i64,
    /// The metered quantity for products billed in another unit (core-seconds, tokens,
    /// GB-hours, bytes); absent for accelerator time.
    pub quantity: Option<i64>,
    pub amount_fen: i64,
    pub subsidy_fen: i64,
    pub settlement_id: Option<String>,
    pub batch_id: String,
    pub created_at: String,
}

/// GPU-hours and subsidy over three windows: the day of `today`, its month, and everything
/// recorded (the program to date).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageFigures {
    pub records: i64,
    pub gpu_hours_today: f64,
    pub subsidy_today_fen: i64,
    pub gpu_hours_month: f64,
    pub subsidy_month_fen: i64,
    pub gpu_hours_program: f64,
    pub subsidy_program_fen: i64,
    pub amount_program_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HubUsage {
    pub city_code: String,
    pub name_zh: String,
    pub name_en: String,
    pub compute_hub: bool,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductUsage {
    pub product_id: String,
    pub product_name: String,
    pub supplier_id: String,
    pub city_code: Option<String>,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseUsage {
    pub enterprise_id: String,
    pub enterprise_name: String,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageSummary {
    pub today: String,
    pub month: String,
    pub program_id: Option<String>,
    pub totals: UsageFigures,
    pub by_hub: Vec<HubUsage>,
    pub by_product: Vec<ProductUsage>,
    /// The 200 enterprises with the most subsidy.
    pub by_enterprise: Vec<EnterpriseUsage>,
}

// The answer to a usage batch, per record.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UsageStatus {
    Accepted,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageResult {
    pub record_id: String,
    pub status: UsageStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsidy_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voucher_id: Option<String>,
    /// Rejection code: invalid_record, duplicate_in_batch, invalid_time, end_before_start,
    /// in_future, quantity_zero, quantity_absurd, unknown_product, other_supplier_product,
    /// product_not_eligible, product_suspended, double_subsidy, unknown_enterprise, dishonest, affiliated, voucher_not_owned, no_valid_voucher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageBatchResult {
    pub batch_id: String,
    pub accepted: i64,
    pub duplicates: i64,
    pub rejected: i64,
    /// Sum of amounts of the records accepted by this batch.
    pub amount_fen: i64,
    /// Sum of subsidies drawn from vouchers by this batch.
    pub subsidy_fen: i64,
    /// One per input record, in input order.
    pub results: Vec<UsageResult>,
}

// A program's budget burn-down.

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceBudget {
    pub source_id: String,
    pub source_name: String,
    pub share_bps: i64,
    pub allocated_fen: i64,
    /// Not reserved nor issued.
    pub available_fen: i64,
    /// Reserved for approved grants in notice.
    pub reserved_fen: i64,
    /// Posted to issued vouchers.
    pub issued_fen: i64,
    /// Returned to this source from expired or closed vouchers.
    pub released_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetView {
    pub program_id: String,
    pub budget_fen: i64,
    pub available_fen: i64,
    pub reserved_fen: i64,
    pub issued_fen: i64,
    /// Subsidy paid out of this program's vouchers (redemptions and metered usage, net of clawbacks).
    pub spent_fen: i64,
    pub released_fen: i64,
    pub sources: Vec<SourceBudget>,
    /// Spend per month, for the burn-down chart.
    pub spent_by_month: Vec<MonthAmount>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthAmount {
    pub month: String,
    pub amount_fen: i64,
}

// Integrity and the administrator's money tools.

/// One entry of the dishonesty list; `in_force` is as of the platform's today.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DishonestyEntry {
    pub id: String,
    /// enterprise or supplier
    pub party_kind: String,
    pub party_id: String,
    pub party_name: Option<String>,
    pub reason: String,
    pub source: String,
    pub listed_from: NaiveDate,
    pub listed_until: Option<NaiveDate>,
    pub listed_by: String,
    pub created_at: String,
    pub lifted_at: Option<String>,
    pub lifted_by: Option<String>,
    pub lift_reason: Option<String>,
    pub in_force: bool,
}

/// One appropriation added to a funding source after it was created.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingTopUp {
    pub id: String,
    pub source_id: String,
    pub amount_fen: Money,
    pub document: String,
    pub created_by: String,
    pub created_at: String,
}

/// One field of a change request: what the file says, and what it would say.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A change request to an enterprise's registered file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseChangeRequest {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub changes: Vec<FieldChange>,
    pub evidence: String,
    /// pending, approved or rejected
    pub status: String,
    pub requested_by: String,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

/// Money owed to a supplier that is not paid out automatically, by supplier and reason.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldPayment {
    pub supplier_id: String,
    pub supplier_name: String,
    /// split_purchase (held redemptions waiting for release) or dishonest (payables of a
    /// supplier on the dishonesty list, held until the entry is lifted)
    pub reason: String,
    /// The dishonesty-list entry, for `dishonest`.
    pub entry_id: Option<String>,
    pub items: i64,
    pub amount_fen: i64,
}

/// One kind of work waiting for the signed-in user, and how many of it (a menu badge).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Todo {
    /// `applications_to_review`, `registrations_to_review`, `notices_due`, `objections_open`,
    /// `held_payments`, `change_requests`, `registrations_returned` or `vouchers_expiring`.
    pub key: String,
    pub count: i64,
}

/// What anyone may check of a voucher by its number (the QR code on its certificate): that it
/// exists, who holds it and its face value (both were in the grant's public notice), its validity
/// and status; never its balance or spending.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherVerification {
    pub number: String,
    pub program_name: String,
    pub voucher_type: VoucherType,
    pub holder_name: String,
    pub face_value_fen: Money,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: VoucherStatus,
    /// The day it was issued.
    pub issued_on: String,
}
