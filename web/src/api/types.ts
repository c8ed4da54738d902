// Shapes of the Quan HTTP API v1. Money is integer fen (`*_fen`), rates are basis points (`*_bps`,
// 100% = 10000), dates are YYYY-MM-DD, timestamps RFC 3339 UTC.
//
// Every entity, input and response shape comes from the server's OpenAPI document: schema.d.ts is
// generated from openapi.json by `npm run gen:api` (and `npm run build` fails when it is stale), so a
// change on the server shows up here as a compile error instead of a silent drift. Only what the
// document does not carry is written by hand below: the enum value lists the forms offer (the
// document types them as plain strings), the generic page envelope, and the usage rejection codes.
import type { components } from './schema';

type S = components['schemas'];

/** Ids are opaque strings on the wire. */
export type Id = string;

export type Role = 'admin' | 'reviewer' | 'enterprise' | 'supplier' | 'auditor';
export const ROLES: Role[] = ['admin', 'reviewer', 'enterprise', 'supplier', 'auditor'];
/** The document types `User.role` as a string; a role the UI does not know opens no page. */
export function isRole(s: string | null | undefined): s is Role {
  return (ROLES as (string | null | undefined)[]).includes(s);
}

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

/** The list envelope every list endpoint answers with (the document spells one per entity, `Page_X`). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export type ErrorBody = S['ErrorBody'];

export type User = S['User'];
export type LoginInput = S['LoginInput'];
export type LoginResponse = S['LoginOutput'];
export type City = S['CitySchema'];

export type Enterprise = S['Enterprise'];
export type EnterpriseInput = S['EnterpriseInput'];
export type EnterprisePatch = S['EnterprisePatch'];
export type Supplier = S['Supplier'];
export type SupplierInput = S['SupplierInput'];
export type Product = S['Product'];
export type ProductInput = S['ProductInput'];

export type FundingSource = S['FundingSource'];
export type FundingSourceInput = S['FundingSourceInput'];
/** A funding source's share of a program, as the server answers it. */
export type FundingShare = S['ProgramFunding'];
/** A funding source's share of a program, as a program form sends it. */
export type FundingShareInput = S['FundingShareInput'];

export type Program = S['Program'];
export type ProgramInput = S['ProgramInput'];
/** PATCH /programs/{id}: every field optional; voucher type and year cannot change. */
export type ProgramPatch = S['ProgramPatch'];
export type EligibleInput = S['EligibleInput'];

/** GET /programs/{id}/budget, per funding source. */
export type BudgetLine = S['SourceBudget'];
/** GET /programs/{id}/budget */
export type BudgetView = S['BudgetView'];

export type Objection = S['Objection'];
export type ObjectionInput = S['ObjectionInput'];
export type ResolveInput = S['ResolveInput'];
export type Application = S['Application'];
export type ApplicationInput = S['ApplicationInput'];
export type ReviewInput = S['ReviewInput'];

export type Voucher = S['Voucher'];
export type Redemption = S['Redemption'];
export type RedemptionInput = S['RedemptionInput'];
export type ClawbackInput = S['ClawbackInput'];
export type Settlement = S['Settlement'];
export type SettlementInput = S['SettlementInput'];

export type Notice = S['Notice'];
export type DashboardTotals = S['Totals'];
export type Dashboard = S['Dashboard'];

/** One usage record as a compute supplier sends it to POST /usage. */
export type UsageInput = S['UsageInput'];
export type UsageStatus = S['UsageStatus'];
/** The answer for one record of a batch. */
export type UsageResult = S['UsageResult'];
/** Response of POST /usage. */
export type UsageBatchResult = S['UsageBatchResult'];
/** A stored usage record, a row of GET /usage. */
export type UsageRecord = S['UsageRecord'];
/** GPU-hours and subsidy today, this month and for the program to date. */
export type UsageFigures = S['UsageFigures'];
export type HubUsage = S['HubUsage'];
export type ProductUsage = S['ProductUsage'];
export type EnterpriseUsage = S['EnterpriseUsage'];
/** GET /usage/summary: the hub view, scoped to what the caller may see. */
export type UsageSummary = S['UsageSummary'];

/** Rejection codes of a usage record (UsageResult.reason). */
export const USAGE_REASONS = [
  'invalid_record', 'duplicate_in_batch', 'invalid_time', 'end_before_start', 'in_future', 'quantity_zero',
  'quantity_absurd', 'unknown_product', 'other_supplier_product', 'product_not_eligible', 'unknown_enterprise',
  'dishonest', 'voucher_not_owned', 'no_valid_voucher',
] as const;

/** A row of GET /audit. `before` and `after` are JSON texts. */
export type AuditEntry = S['AuditRecordSchema'];
/** GET /audit/verify */
export type AuditVerify = S['VerifyOutput'];
