// The sort keys each list endpoint accepts (`sort=key` or `sort=-key`); any other key is answered
// 400 invalid_sort. The OpenAPI document does not enumerate them (the `sort` parameter is a plain
// string), so they are written here from the server's allowlists, each checked against the fields
// of the row type where the row carries the field. ServerTable refuses to offer a column sorter
// whose key is not listed, and the browser story asks the server for every key listed here.
import type { Application, AuditEntry, Contract, DataAuthorization, DataConsent, DataRegistration, DishonestyEntry, Enterprise, EnterpriseChangeRequest, FundingSource, FundingTopUp, Product, Program, Redemption, Reimbursement, SelectionEntry, SelectionRound, Settlement, Supplier, UsageRecord, User, Voucher } from './types';

const keysOf =
  <T>() =>
  <K extends keyof T & string>(...keys: K[]): readonly string[] =>
    keys;

const productKeys = keysOf<Product>()('id', 'name', 'kind', 'created_at', 'price_per_unit_fen');

export const SORT_KEYS: Record<string, readonly string[]> = {
  '/applications': keysOf<Application>()('id', 'number', 'created_at', 'amount_fen', 'approved_fen', 'notice_ends_on', 'status'),
  '/vouchers': keysOf<Voucher>()('id', 'number', 'face_value_fen', 'balance_fen', 'valid_until', 'issued_at', 'status'),
  '/redemptions': keysOf<Redemption>()('id', 'number', 'invoice_date', 'invoice_amount_fen', 'subsidy_fen', 'created_at', 'status'),
  '/settlements': keysOf<Settlement>()('id', 'number', 'period', 'total_fen', 'created_at'),
  '/reimbursements': keysOf<Reimbursement>()('number', 'period', 'total_fen', 'created_at'),
  '/contracts': keysOf<Contract>()('signed_on', 'amount_fen', 'contract_number', 'created_at'),
  '/programs': keysOf<Program>()('id', 'name', 'year', 'voucher_type', 'budget_fen', 'apply_until'),
  '/funding-sources': keysOf<FundingSource>()('id', 'name', 'level', 'appropriated_fen', 'available_fen'),
  '/funding-sources/{id}/top-ups': keysOf<FundingTopUp>()('created_at', 'amount_fen'),
  '/products': productKeys,
  '/programs/{id}/eligible-products': productKeys,
  '/suppliers': keysOf<Supplier>()('id', 'name', 'kind', 'created_at'),
  '/enterprises': keysOf<Enterprise>()('id', 'name', 'uscc', 'city_code', 'created_at'),
  '/users': keysOf<User>()('username', 'role'),
  '/audit': keysOf<AuditEntry>()('seq', 'at', 'action'),
  '/usage': keysOf<UsageRecord>()('ended_at'),
  '/dishonesty-list': keysOf<DishonestyEntry>()('listed_from', 'created_at', 'party_id'),
  '/enterprise-change-requests': keysOf<EnterpriseChangeRequest>()('created_at', 'status'),
  '/selection-rounds': keysOf<SelectionRound>()('year', 'name', 'call_until', 'created_at'),
  '/selection-rounds/{id}/entries': keysOf<SelectionEntry>()('rank', 'entered_at', 'product_name', 'supplier_name'),
  // resource_name is a field of the registration's content, not of the row itself.
  '/data-registrations': [...keysOf<DataRegistration>()('applied_at', 'code', 'valid_until'), 'resource_name'],
  '/public/registrations': [...keysOf<DataRegistration>()('applied_at', 'code', 'valid_until'), 'resource_name'],
  '/data-authorizations': keysOf<DataAuthorization>()('created_at', 'valid_until', 'name'),
  '/data-consents': keysOf<DataConsent>()('granted_at', 'expires_at'),
};

/** The list paths with an id in them, as a pattern and the template SORT_KEYS lists them by. */
const TEMPLATED: [RegExp, string][] = [
  [/^\/programs\/[^/]+\/eligible-products$/, '/programs/{id}/eligible-products'],
  [/^\/funding-sources\/[^/]+\/top-ups$/, '/funding-sources/{id}/top-ups'],
  [/^\/selection-rounds\/[^/]+\/entries$/, '/selection-rounds/{id}/entries'],
];

/** The allowlist of a list path such as `/programs/prg_1/eligible-products`; undefined if unknown. */
export function sortKeysFor(path: string): readonly string[] | undefined {
  const p = path.split('?')[0].replace(/\/+$/, '');
  if (SORT_KEYS[p]) return SORT_KEYS[p];
  const hit = TEMPLATED.find(([re]) => re.test(p));
  return hit ? SORT_KEYS[hit[1]] : undefined;
}

/** The sort keys of `sortable` that the endpoint at `path` would refuse. */
export function refusedSortKeys(path: string, sortable: string[]): string[] {
  const allowed = sortKeysFor(path);
  if (!allowed) return [];
  return sortable.filter((k) => !allowed.includes(k));
}
