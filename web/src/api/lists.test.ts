// The list types come from the document's paths. Most of this file is checked by the compiler
// (`npm run build` type-checks the tests): a wrong row type or a filter the server does not declare
// fails there; the runtime part ties the list paths to the document.
import { describe, expect, it } from 'vitest';
import type { ListFilters, ListPath, ListRow } from './lists';
import spec from './openapi.json';
import { SORT_KEYS } from './sortKeys';
import type { Application, AuditEntry, Contract, DataAuthorization, DataConsent, DataRegistration, DishonestyEntry, Enterprise, EnterpriseChangeRequest, FundingTopUp, Product, Program, Reimbursement, SelectionEntry, SelectionRound, UsageRecord, User, Voucher } from './types';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The operations the document files under one shared operationId (list, create, get_one, patch) are
// typed by their own paths (scripts/api-schema.mjs), so each list answers its own rows.
const rows: [
  Same<ListRow<'/applications'>, Application>,
  Same<ListRow<'/enterprises'>, Enterprise>,
  Same<ListRow<'/programs'>, Program>,
  Same<ListRow<'/usage'>, UsageRecord>,
  Same<ListRow<'/vouchers'>, Voucher>,
  Same<ListRow<'/users'>, User>,
  Same<ListRow<'/audit'>, AuditEntry>,
  Same<ListRow<`/programs/${string}/eligible-products`>, Product>,
  Same<ListRow<'/dishonesty-list'>, DishonestyEntry>,
  Same<ListRow<'/enterprise-change-requests'>, EnterpriseChangeRequest>,
  Same<ListRow<`/funding-sources/${string}/top-ups`>, FundingTopUp>,
  Same<ListRow<'/contracts'>, Contract>,
  Same<ListRow<'/reimbursements'>, Reimbursement>,
  Same<ListRow<'/selection-rounds'>, SelectionRound>,
  Same<ListRow<`/selection-rounds/${string}/entries`>, SelectionEntry>,
  Same<ListRow<'/data-registrations'>, DataRegistration>,
  Same<ListRow<'/public/registrations'>, DataRegistration>,
  Same<ListRow<'/data-authorizations'>, DataAuthorization>,
  Same<ListRow<'/data-consents'>, DataConsent>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

const filters: ListFilters<'/programs'>[] = [{ voucher_type: 'compute', year: 2026 }];
const integrityFilters: [ListFilters<'/dishonesty-list'>, ListFilters<'/enterprise-change-requests'>] = [
  { party_kind: 'supplier', party_id: 'sup_1', in_force: true },
  { enterprise_id: 'ent_1', status: 'pending' },
];
// Contracts are searched by number or party name and filtered by either party; reimbursement runs by enterprise.
const modeFilters: [ListFilters<'/contracts'>, ListFilters<'/reimbursements'>] = [
  { q: 'SDMX', enterprise_id: 'ent_1', supplier_id: 'sup_1' },
  { enterprise_id: 'ent_1' },
];
// Selection rounds are filtered by year and kind; a round's entries only page and sort.
const selectionFilters: ListFilters<'/selection-rounds'> = { year: 2026, kind: 'model' };
const entriesTakeNoFilter: Same<keyof ListFilters<`/selection-rounds/${string}/entries`>, never> = true;
// @ts-expect-error GET /reimbursements takes no supplier filter
const noSupplier: ListFilters<'/reimbursements'> = { supplier_id: 'sup_1' };
// @ts-expect-error GET /programs takes no status filter
const noStatus: ListFilters<'/programs'> = { status: 'open' };
// GET /funding-sources/{id}/top-ups takes paging and sorting only: no filter.
const topUpsTakeNoFilter: Same<keyof ListFilters<`/funding-sources/${string}/top-ups`>, never> = true;
// @ts-expect-error GET /me is not a list
const notAList: ListPath = '/me';

describe('list paths', () => {
  it('are the GET endpoints of the document that page, each with a sort allowlist', () => {
    expect(rows.every(Boolean)).toBe(true);
    expect(filters.length + [noStatus, notAList].length + integrityFilters.length).toBe(5);
    expect([...modeFilters, noSupplier].length).toBe(3);
    expect(topUpsTakeNoFilter).toBe(true);
    expect(entriesTakeNoFilter && Object.keys(selectionFilters)).toEqual(['year', 'kind']);
    const paging = Object.entries(spec.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'page' && p.in === 'query'))
      .map(([p]) => p.replace(/^\/api\/v1/, ''));
    expect(paging.length).toBe(25);
    for (const p of paging.filter((p) => p !== '/public/selected-products')) expect(SORT_KEYS, p).toHaveProperty([p]);
  });
});
