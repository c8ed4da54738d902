// Shapes of the Quan HTTP API v1. Money is integer fen (`*_fen`, the `Money` schema), rates are basis
// points (`*_bps`, 100% = 10000), dates are YYYY-MM-DD, timestamps RFC 3339 UTC.
//
// Every entity, input and response shape comes from the server's OpenAPI document: schema.d.ts is
// generated from openapi.json by `npm run gen:api` (and `npm run build` fails when it is stale), so a
// change on the server shows up here as a compile error instead of a silent drift. The list
// endpoints, their filters and rows are typed from the document's paths in lists.ts. Written by hand
// below: the value lists the forms offer (checked against the document's enums where it has one),
// the enums the document still types as plain strings, the generic page envelope, and the usage
// rejection codes.
import type { components } from './schema';

type S = components['schemas'];

/**
 * Every member of the union `T`, once: `every<T>()([...])` does not compile when a member is missing
 * (the error names it), so a value the server adds to an enum reaches the forms' option lists.
 */
function every<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): readonly T[] => list;
}

/** Ids are opaque strings on the wire (the document names each kind: ApplicationId, VoucherId, …). */
export type Id = string;
/** An amount of money in integer fen (¥1.00 = 100 fen). */
export type Money = S['Money'];

export type Role = 'admin' | 'reviewer' | 'enterprise' | 'supplier' | 'auditor';
export const ROLES: Role[] = ['admin', 'reviewer', 'enterprise', 'supplier', 'auditor'];
/** The document types `User.role` as a string; a role the UI does not know opens no page. */
export function isRole(s: string | null | undefined): s is Role {
  return (ROLES as (string | null | undefined)[]).includes(s);
}

/** The document's enum (Voucher.voucher_type, Application.voucher_type). */
export type VoucherType = S['VoucherType'];
export const VOUCHER_TYPES = every<VoucherType>()(['compute', 'model', 'corpus', 'innovation']);

/** The document's enum (Contract.kind; Product.kind is still a plain string there). */
export type ProductKind = S['ProductKind'];
export const PRODUCT_KINDS = every<ProductKind>()(['compute', 'model', 'corpus', 'innovation_service']);

// The document types these as plain strings.
export type SizeClass = 'micro' | 'small' | 'medium' | 'large';
export const SIZE_CLASSES: SizeClass[] = ['micro', 'small', 'medium', 'large'];

export type FundingLevel = 'province' | 'city' | 'county';
export const FUNDING_LEVELS: FundingLevel[] = ['province', 'city', 'county'];

/** GB/T 4754 sections. */
export const INDUSTRY_SECTIONS = 'ABCDEFGHIJKLMNOPQRST'.split('');

// Statuses: the document's enums.
export type ApplicationStatus = S['ApplicationStatus'];
export const APPLICATION_STATUSES = every<ApplicationStatus>()(['submitted', 'approved', 'rejected', 'revoked', 'issued']);
export type VoucherStatus = S['VoucherStatus'];
export const VOUCHER_STATUSES = every<VoucherStatus>()(['active', 'expired', 'cancelled']);
export type RedemptionStatus = S['RedemptionStatus'];
export const REDEMPTION_STATUSES = every<RedemptionStatus>()(['held', 'payable', 'settled', 'clawed_back']);

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
/** One earlier version of an enterprise's registered file (GET /enterprises/{id}/history, newest first). */
export type FileVersion = S['FileVersion'];
export type Supplier = S['Supplier'];
/** PATCH /suppliers/{id} (administrators): absent fields stay; suspending needs a reason. */
export type SupplierPatch = S['SupplierPatch'];
export type SupplierInput = S['SupplierInput'];
export type Product = S['Product'];
export type ProductInput = S['ProductInput'];

export type FundingSource = S['FundingSource'];
export type FundingSourceInput = S['FundingSourceInput'];
/** A funding source's share of a program, as the server answers it. */
export type FundingShare = S['ProgramFunding'];
/** A funding source's share of a program, as a program form sends it. */
export type FundingShareInput = S['FundingShareInput'];
/** One appropriation added to a funding source after it was created (GET /funding-sources/{id}/top-ups). */
export type FundingTopUp = S['FundingTopUp'];
/** POST /funding-sources/{id}/top-ups: the amount and the appropriation document (追加拨款). */
export type TopUpInput = S['TopUpInput'];

export type Program = S['Program'];
export type ProgramInput = S['ProgramInput'];
/** PATCH /programs/{id}: every field optional; voucher type and year cannot change. */
export type ProgramPatch = S['ProgramPatch'];
export type EligibleInput = S['EligibleInput'];
/** A program's own rules (pilot-zone bonus, cap per supplier, minimum invoice, split purchases); absent = off. */
export type ProgramPolicy = S['ProgramPolicyFields'];

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
/** GET /public/vouchers/{number}: a voucher as its certificate's QR code checks it. */
export type VoucherVerification = S['VoucherVerification'];
/** GET /me/todos: one kind of work waiting for the signed-in user (a menu badge). */
export type Todo = S['Todo'];
export type Redemption = S['Redemption'];
/** What a redemption would do (POST /redemptions/preview), shown for confirmation before it is made. */
export type RedemptionPreview = S['RedemptionPreview'];
export type RedemptionInput = S['RedemptionInput'];
export type ClawbackInput = S['ClawbackInput'];
export type Settlement = S['Settlement'];
export type SettlementInput = S['SettlementInput'];

// The two redemption modes: the supplier redeems the voucher (the enterprise pays its share only),
// or the enterprise pays in full and is reimbursed the subsidy (reimbursement runs).

/** Who claims a voucher's subsidy (ProgramPolicyFields.redemption_mode; absent = supplier_redeems). */
export type RedemptionMode = S['RedemptionMode'];
export const REDEMPTION_MODES = every<RedemptionMode>()(['supplier_redeems', 'enterprise_reimbursed']);
/** A program's mode: the supplier redeems unless the policy says the enterprise is reimbursed. */
export function redemptionMode(p: { policy?: { redemption_mode?: RedemptionMode | null } | null } | null | undefined): RedemptionMode {
  return p?.policy?.redemption_mode === 'enterprise_reimbursed' ? 'enterprise_reimbursed' : 'supplier_redeems';
}
/** Who is paid a redemption's subsidy (Redemption.payee; the document types it as a string). */
export type Payee = 'supplier' | 'enterprise';
export const PAYEES: Payee[] = ['supplier', 'enterprise'];
/** A contract between an enterprise and a supplier, with what was claimed against it. */
export type Contract = S['Contract'];
/** POST /contracts: an enterprise names the supplier, a supplier the enterprise, an administrator both. */
export type ContractInput = S['ContractInput'];
/** A reimbursement run: what one enterprise was paid for one month. */
export type Reimbursement = S['Reimbursement'];
/** POST /reimbursements (administrators). */
export type ReimbursementInput = S['ReimbursementInput'];

/** The kind of product a voucher type pays for (a contract's kind must be it too). */
export const PRODUCT_KIND_OF: Record<VoucherType, ProductKind> = { compute: 'compute', model: 'model', corpus: 'corpus', innovation: 'innovation_service' };

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

/**
 * Rejection codes of a usage record (UsageResult.reason); the server's are collected from the Rust
 * source into src/i18n/server-codes.json, and server-codes.test.ts checks each is listed here.
 */
export const USAGE_REASONS = [
  'invalid_record', 'invalid_text', 'duplicate_in_batch', 'invalid_time', 'end_before_start', 'in_future',
  'quantity_zero', 'quantity_absurd', 'unknown_product', 'other_supplier_product', 'product_not_eligible',
  'product_suspended', 'double_subsidy', 'redemption_mode', 'unknown_enterprise', 'dishonest', 'affiliated', 'voucher_not_owned', 'no_valid_voucher', 'unit_mismatch',
] as const;

// Integrity: the dishonesty list (失信名单) and change requests to an enterprise's registered file.

/** Which kind of party a dishonesty-list entry lists (the document types it as a string). */
export type PartyKind = 'enterprise' | 'supplier';
export const PARTY_KINDS: PartyKind[] = ['enterprise', 'supplier'];
/** One entry of GET /dishonesty-list; `in_force` is as of the platform's today. */
export type DishonestyEntry = S['DishonestyEntry'];
/** POST /dishonesty-list */
export type DishonestyInput = S['DishonestyInput'];
/** POST /dishonesty-list/{id}/lift */
export type ReasonInput = S['ReasonInput'];

/** A change request's status (the document types it as a string). */
export type ChangeRequestStatus = 'pending' | 'approved' | 'rejected';
export const CHANGE_REQUEST_STATUSES: ChangeRequestStatus[] = ['pending', 'approved', 'rejected'];
/** A row of GET /enterprise-change-requests. */
export type EnterpriseChangeRequest = S['EnterpriseChangeRequest'];
/** One field of a change request: what the file says, and what it would say. */
export type FieldChange = S['FieldChange'];
/** POST /enterprises/{id}/change-requests: absent fields stay as they are. */
export type EnterpriseChangeInput = S['EnterpriseChangeInput'];
/** POST /enterprise-change-requests/{id}/decide */
export type ChangeDecisionInput = S['ChangeDecisionInput'];

/** Why a supplier's money is held (HeldPayment.reason; the document types it as a string). */
export type HeldReason = 'split_purchase' | 'dishonest';
export const HELD_REASONS: HeldReason[] = ['split_purchase', 'dishonest'];
/** A row of GET /held-payments: what a supplier is owed but not paid out, by reason. */
export type HeldPayment = S['HeldPayment'];

/** A row of GET /audit. `before` and `after` are JSON texts. */
export type AuditEntry = S['AuditRecordSchema'];
/** GET /audit/verify */
export type AuditVerify = S['VerifyOutput'];

// Annual selection rounds (年度遴选) of model products and corpora: a round per year and kind, a
// panel of reviewer experts whose score sheets are sealed until the panel closes, a ranking, a
// public notice with objections, and the effect (the selected products become that year's eligible
// list of model and corpus programs).

/** A round's state (the document's enum). */
export type RoundStatus = S['RoundStatus'];
export const ROUND_STATUSES = every<RoundStatus>()(['open', 'panel_closed', 'published', 'effective']);
/** What the ranking decided for an entry (the document's enum). */
export type Outcome = S['Outcome'];
export const OUTCOMES = every<Outcome>()(['selected', 'reserve', 'below_pass_mark', 'excluded']);
/** An expert's standing on one entry (the document's enum). */
export type AssignmentStatus = S['AssignmentStatus'];
export const ASSIGNMENT_STATUSES = every<AssignmentStatus>()(['assigned', 'recused']);
/** The kinds a round selects (SelectionRoundInput.kind is a plain string there). */
export type SelectionKind = Extract<ProductKind, 'model' | 'corpus'>;
export const SELECTION_KINDS: SelectionKind[] = ['model', 'corpus'];
/** An objection's state (SelectionObjection.status is a plain string there). */
export type SelectionObjectionStatus = 'open' | 'upheld' | 'dismissed';
export const SELECTION_OBJECTION_STATUSES: SelectionObjectionStatus[] = ['open', 'upheld', 'dismissed'];

export type Criterion = S['Criterion'];
export type SelectionRound = S['SelectionRound'];
/** POST /selection-rounds (administrators). */
export type SelectionRoundInput = S['SelectionRoundInput'];
/** POST /selection-rounds/{id}/experts */
export type PanelExpertInput = S['PanelExpertInput'];
export type PanelExpert = S['PanelExpert'];
export type SelectionEntry = S['SelectionEntry'];
/** POST /selection-rounds/{id}/entries: a supplier's product with the evidence its kind needs. */
export type SelectionEntryInput = S['SelectionEntryInput'];
/** One expert on one entry, with the score sheet where the reader may see it. */
export type Assignment = S['Assignment'];
/** POST /selection-rounds/{id}/assignments */
export type AssignmentInput = S['AssignmentInput'];
export type CriterionScore = S['CriterionScore'];
/** POST /selection-entries/{id}/scores */
export type ScoreInput = S['ScoreInput'];
export type SelectionObjection = S['SelectionObjection'];
/** A row of GET /public/selections. */
export type PublicSelection = S['PublicSelection'];

// Data resource registration (数据资源登记) and the data authorization hub (授权运营).
/** The document's enums of a registration. */
export type RegistrationStatus = S['RegistrationStatus'];
export const REGISTRATION_STATUSES = every<RegistrationStatus>()(['submitted', 'accepted', 'returned', 'in_notice', 'registered', 'rejected', 'superseded', 'cancelled', 'expired']);
export type RegistrationKind = S['RegistrationKind'];
export const REGISTRATION_KINDS = every<RegistrationKind>()(['initial', 'change', 'correction', 'renewal', 'cancellation']);
export type Standing = S['Standing'];
export type HolderKind = S['HolderKind'];
export const HOLDER_KINDS = every<HolderKind>()(['enterprise', 'supplier', 'public_body']);
export type DataGrade = S['DataGrade'];
export const DATA_GRADES = every<DataGrade>()(['general', 'important', 'core']);
export type UpdateCycle = S['UpdateCycle'];
export const UPDATE_CYCLES = every<UpdateCycle>()(['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']);
export type DataRegistration = S['DataRegistration'];
export type RegistrationInput = S['RegistrationInput'];
export type RightHolderInput = S['RightHolderInput'];
export type RegistrationObjection = S['RegistrationObjection'];
export type RegistrationVerification = S['RegistrationVerification'];
export type AuthorizationLevel = S['AuthorizationLevel'];
export const AUTHORIZATION_LEVELS = every<AuthorizationLevel>()(['overall', 'sub_domain', 'scenario']);
export type DataClass = S['DataClass'];
export const DATA_CLASSES = every<DataClass>()(['public', 'personal', 'legal_person']);
export type SubjectKind = S['SubjectKind'];
export const SUBJECT_KINDS = every<SubjectKind>()(['natural_person', 'legal_person']);
export type DataAuthorization = S['DataAuthorization'];
export type AuthorizationInput = S['AuthorizationInput'];
export type DataConsent = S['DataConsent'];
export type ConsentInput = S['ConsentInput'];
export type ConsentReceipt = S['ConsentReceipt'];
export type CheckInput = S['CheckInput'];
export type CheckDecision = S['CheckDecision'];
export type DataDisclosure = S['DataDisclosure'];
export type DisclosureInput = S['DisclosureInput'];
