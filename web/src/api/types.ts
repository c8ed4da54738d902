// Shapes of the Quan HTTP API v1 (docs/API.md). Money is integer fen (`*_fen`),
// rates are basis points (`*_bps`, 100% = 10000), dates are YYYY-MM-DD, timestamps RFC 3339 UTC.

/** Ids are opaque to the UI: the server may use integers or strings. */
export type Id = number | string;

export type Role = 'admin' | 'reviewer' | 'enterprise' | 'supplier' | 'auditor';
export const ROLES: Role[] = ['admin', 'reviewer', 'enterprise', 'supplier', 'auditor'];

export type VoucherType = 'compute' | 'model' | 'corpus' | 'innovation';
export const VOUCHER_TYPES: VoucherType[] = ['compute', 'model', 'corpus', 'innovation'];

export type ProductKind = 'compute' | 'model' | 'corpus' | 'innovation_service';
export const PRODUCT_KINDS: ProductKind[] = ['compute', 'model', 'corpus', 'innovation_service'];

export type SizeClass = 'micro' | 'small' | 'medium' | 'large';
export const SIZE_CLASSES: SizeClass[] = ['micro', 'small', 'medium', 'large'];

export type FundingLevel = 'province' | 'city' | 'county';
export const FUNDING_LEVELS: FundingLevel[] = ['province', 'city', 'county'];

/** GB/T 4754 sections. */
export const INDUSTRY_SECTIONS = 'ABCDEFGHIJKLMNOPQRST'.split('');

export type ApplicationStatus = 'submitted' | 'approved' | 'rejected' | 'revoked' | 'issued';
export const APPLICATION_STATUSES: ApplicationStatus[] = ['submitted', 'approved', 'rejected', 'revoked', 'issued'];

export type VoucherStatus = 'active' | 'expired';
export type RedemptionStatus = 'payable' | 'settled' | 'clawed_back';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface ErrorBody {
  code: string;
  message: string;
  field: string | null;
}

export interface User {
  id: Id;
  username: string;
  role: Role;
  enterprise_id: Id | null;
  supplier_id: Id | null;
  display_name: string;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: User;
}

export interface City {
  code: string;
  name_zh: string;
  name_en: string;
  compute_hub: boolean;
  pilot_zone: string | boolean | null;
}

export interface Enterprise {
  id: Id;
  uscc: string;
  name: string;
  city_code: string;
  industry: string;
  size_class: SizeClass;
  pilot_zone: boolean;
  legal_rep: string;
  shareholders: string[];
  created_at: string;
}

export interface Supplier {
  id: Id;
  name: string;
  uscc: string;
  kind: ProductKind;
  city_code: string;
  legal_rep: string;
  shareholders: string[];
}

export interface Product {
  id: Id;
  supplier_id: Id;
  kind: ProductKind;
  name: string;
  city_code?: string | null;
  gpu_model?: string | null;
  price_per_gpu_hour_fen?: number | null;
  description: string;
  /** Joined in by the server. */
  supplier_name?: string;
  /** Programs whose selected list holds this product. */
  eligible_programs?: Id[];
}

export interface FundingSource {
  id: Id;
  name: string;
  level: FundingLevel;
  city_code: string | null;
  appropriated_fen: number;
  available_fen: number;
}

export interface FundingShare {
  source_id: Id;
  share_bps: number;
  source_name?: string;
  allocated_fen?: number;
}

export interface Program {
  id: Id;
  name: string;
  voucher_type: VoucherType;
  year: number;
  rate_bps: number;
  face_value_cap_fen: number;
  enterprise_year_cap_fen: number;
  apply_from: string;
  apply_until: string;
  valid_from: string;
  valid_until: string;
  notice_days: number;
  eligible_cities: string[];
  eligible_sizes: SizeClass[];
  eligible_industries: string[];
  budget_fen: number;
  funding: FundingShare[];
  status?: string;
  /** Not in the abridged contract; shown when the server sends it. */
  available_fen?: number;
  reserved_fen?: number;
  remaining_fen?: number;
}

export type ProgramInput = Omit<Program, 'id' | 'status' | 'available_fen' | 'remaining_fen' | 'reserved_fen'>;

/** GET /programs/{id}/budget, per funding source. */
export interface BudgetLine {
  source_id: Id;
  source_name?: string;
  share_bps?: number;
  allocated_fen: number;
  /** neither reserved nor issued */
  available_fen: number;
  /** reserved for approved grants in notice */
  reserved_fen: number;
  /** posted to issued vouchers */
  issued_fen?: number;
  spent_fen?: number;
  released_fen: number;
}

/** GET /programs/{id}/budget */
export interface BudgetView {
  program_id: Id;
  budget_fen: number;
  available_fen: number;
  reserved_fen: number;
  issued_fen: number;
  spent_fen: number;
  released_fen: number;
  sources: BudgetLine[];
  /** subsidy spent per month, for the burn-down */
  spent_by_month: { month: string; amount_fen: number }[];
}

export interface Objection {
  id: Id;
  application_id?: Id;
  reason: string;
  status?: string;
  uphold?: boolean | null;
  note?: string | null;
  resolution_note?: string | null;
  filed_by?: string;
  created_at?: string;
}

export interface Application {
  id: Id;
  program_id: Id;
  enterprise_id: Id;
  amount_fen: number;
  plan: string;
  status: ApplicationStatus;
  approved_fen: number | null;
  reason: string | null;
  reviewer_id: Id | null;
  notice_ends_on: string | null;
  voucher_id: Id | null;
  conflicts: string[];
  created_at: string;
  /** Not in the abridged contract; shown when the server sends it. */
  objections?: Objection[];
  enterprise_name?: string;
  program_name?: string;
}

export interface Voucher {
  id: Id;
  program_id: Id;
  enterprise_id: Id;
  voucher_type: VoucherType;
  face_value_fen: number;
  balance_fen: number;
  redeemed_fen: number;
  reversed_fen: number;
  released_fen: number;
  valid_from: string;
  valid_until: string;
  status: VoucherStatus;
  program_name?: string;
  enterprise_name?: string;
  issued_at?: string;
}

export interface Redemption {
  id: Id;
  voucher_id: Id;
  enterprise_id: Id;
  supplier_id: Id;
  product_id: Id;
  invoice_number: string;
  invoice_amount_fen: number;
  invoice_date: string;
  subsidy_fen: number;
  enterprise_pays_fen: number;
  status: RedemptionStatus;
  settlement_id: Id | null;
  program_id?: Id;
  enterprise_name?: string;
  supplier_name?: string;
  product_name?: string;
  created_at?: string;
}

export interface RedemptionInput {
  voucher_id: Id;
  product_id: Id;
  invoice_number: string;
  invoice_amount_fen: number;
  invoice_date: string;
}

/** Settlement shape is not spelled out in the contract; the UI reads these fields when present. */
export interface Settlement {
  id: Id;
  supplier_id: Id;
  period: string;
  status?: string;
  amount_fen?: number;
  total_subsidy_fen?: number;
  total_fen?: number;
  item_count?: number;
  supplier_name?: string;
  subsidy_fen?: number;
  redemption_count?: number;
  count?: number;
  created_at?: string;
}

export interface Notice {
  application_id: Id;
  enterprise_name: string;
  program_name: string;
  voucher_type: VoucherType;
  amount_fen: number;
  notice_ends_on: string;
}

export interface DashboardTotals {
  budget_fen: number;
  reserved_fen: number;
  granted_fen: number;
  spent_fen: number;
  settled_fen: number;
  released_fen: number;
  enterprises: number;
  vouchers: number;
}

export interface Dashboard {
  totals: DashboardTotals;
  by_city: { city_code: string; name_zh: string; name_en: string; granted_fen: number; spent_fen: number }[];
  by_voucher_type: { voucher_type: VoucherType; budget_fen: number; granted_fen: number; spent_fen: number }[];
  by_month: { month: string; granted_fen: number; spent_fen: number }[];
}

/** One usage record as a compute supplier sends it to POST /usage (quan_store::ops::usage::UsageInput). */
export interface UsageInput {
  /** Unique per supplier; a resend with the same id counts once. */
  record_id: string;
  product_id: Id;
  enterprise_id: Id;
  /** RFC 3339. */
  started_at: string;
  /** RFC 3339; price and voucher validity are taken at this moment. */
  ended_at: string;
  gpu_seconds: number;
  /** Optional: otherwise the enterprise's valid compute voucher whose program lists the product. */
  voucher_id?: Id;
}

export type UsageStatus = 'accepted' | 'duplicate' | 'rejected';

/** Rejection codes of a usage record (UsageResult.reason). */
export const USAGE_REASONS = [
  'invalid_record', 'duplicate_in_batch', 'invalid_time', 'end_before_start', 'in_future', 'quantity_zero',
  'quantity_absurd', 'unknown_product', 'other_supplier_product', 'product_not_eligible', 'unknown_enterprise',
  'dishonest', 'voucher_not_owned', 'no_valid_voucher',
] as const;

/** The answer for one record of a batch (UsageResult). */
export interface UsageResult {
  record_id: string;
  status: UsageStatus;
  amount_fen?: number;
  subsidy_fen?: number;
  voucher_id?: Id;
  /** Rejection code, one of USAGE_REASONS. */
  reason?: string;
  message?: string;
}

/** Response of POST /usage (UsageBatchResult). */
export interface UsageBatchResult {
  batch_id: string;
  accepted: number;
  duplicates: number;
  rejected: number;
  amount_fen: number;
  subsidy_fen: number;
  /** One per input record, in input order. */
  results: UsageResult[];
}

/** A stored usage record, a row of GET /usage (UsageRecord). */
export interface UsageRecord {
  supplier_id: Id;
  record_id: string;
  product_id: Id;
  enterprise_id: Id;
  voucher_id: Id | null;
  program_id: Id | null;
  city_code: string | null;
  started_at: string;
  ended_at: string;
  gpu_seconds: number;
  amount_fen: number;
  subsidy_fen: number;
  settlement_id: Id | null;
  batch_id: string;
  created_at: string;
}

/** GPU-hours and subsidy today, this month and for the program to date (UsageFigures). */
export interface UsageFigures {
  records: number;
  gpu_hours_today: number;
  subsidy_today_fen: number;
  gpu_hours_month: number;
  subsidy_month_fen: number;
  gpu_hours_program: number;
  subsidy_program_fen: number;
  amount_program_fen: number;
}

export interface HubUsage extends UsageFigures {
  city_code: string;
  name_zh: string;
  name_en: string;
  compute_hub: boolean;
}

export interface ProductUsage extends UsageFigures {
  product_id: Id;
  product_name: string;
  supplier_id: Id;
  city_code: string | null;
}

export interface EnterpriseUsage extends UsageFigures {
  enterprise_id: Id;
  enterprise_name: string;
}

/** GET /usage/summary: the hub view, scoped to what the caller may see. */
export interface UsageSummary {
  /** YYYY-MM-DD. */
  today: string;
  /** YYYY-MM. */
  month: string;
  program_id: Id | null;
  totals: UsageFigures;
  by_hub: HubUsage[];
  by_product: ProductUsage[];
  /** The 200 enterprises with the most subsidy. */
  by_enterprise: EnterpriseUsage[];
}

export interface AuditEntry {
  seq?: number;
  id?: Id;
  at?: string;
  created_at?: string;
  actor?: string;
  actor_id?: Id;
  action?: string;
  entity?: string;
  entity_type?: string;
  entity_id?: Id;
  object?: string;
  before?: unknown;
  after?: unknown;
  hash?: string;
  prev_hash?: string;
}

export interface AuditVerify {
  ok: boolean;
  count?: number;
  entries?: number;
  head?: string;
  first_bad?: number | null;
  message?: string;
  records?: number;
  first_broken_seq?: number | null;
  reason?: string | null;
}
