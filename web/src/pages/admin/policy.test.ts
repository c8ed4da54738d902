import { describe, expect, it } from 'vitest';
import type { BudgetLine } from '../../api/types';
import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';
import { applyServerFieldError, fieldPath } from '../../components/formErrors';
import {
  bonusOverflows, closePreview, contractWindowReversed, duplicateLevelNames, hasContractRules, hasPolicy, isClosed, milestoneSplit, pilotRate, POLICY_FIELDS, policyBody, policyToValues,
  reviewLevelsBody, splitMissing, type ReviewLevel,
} from './policy';

/** The mode and switches a policy with none of them reads as (and is sent as). */
const SUPPLIER_REDEEMS = { redemption_mode: 'supplier_redeems', contract_required: false, instalments_allowed: false, delivery_proof_required: false } as const;
/** No review chain: sent always (an empty list), read as no levels. */
const NO_CHAIN: { review_levels: ReviewLevel[] } = { review_levels: [] };

describe('program policy', () => {
  it('reads a policy into percent and yuan, and writes it back to basis points and fen', () => {
    const p = { pilot_bonus_bps: 500, supplier_cap_fen: 20000000, group_year_cap_fen: 50000000, type_year_cap_fen: 80000000, min_invoice_fen: 10000000, split_window_days: 30, split_threshold_fen: 500000, ...SUPPLIER_REDEEMS, ...NO_CHAIN };
    const v = policyToValues(p);
    expect(v).toEqual({
      pilot_bonus_bps: '5', supplier_cap_fen: '200000', group_year_cap_fen: '500000', type_year_cap_fen: '800000', min_invoice_fen: '100000', split_window_days: 30, split_threshold_fen: '5000',
      ...SUPPLIER_REDEEMS, contract_from: '', contract_until: '', review_levels: [], first_milestone_fen: '',
    });
    expect(policyBody(v)).toEqual(p);
  });

  it('reads and writes the reimbursed mode and the contract rules as the server shows them', () => {
    const p = {
      pilot_bonus_bps: 0, supplier_cap_fen: null, group_year_cap_fen: null, type_year_cap_fen: null, min_invoice_fen: null, split_window_days: null, split_threshold_fen: null,
      redemption_mode: 'enterprise_reimbursed', contract_required: true, contract_from: '2026-08-01', contract_until: null,
      instalments_allowed: true, delivery_proof_required: true,
    } as const;
    const v = policyToValues(p);
    expect(v).toMatchObject({ redemption_mode: 'enterprise_reimbursed', contract_required: true, contract_from: '2026-08-01', contract_until: '', instalments_allowed: true, delivery_proof_required: true });
    expect(policyBody(v)).toEqual({
      pilot_bonus_bps: 0, redemption_mode: 'enterprise_reimbursed', contract_required: true, contract_from: '2026-08-01',
      instalments_allowed: true, delivery_proof_required: true, ...NO_CHAIN,
    });
    // A mode the form does not know is never sent: the supplier redeems.
    expect(policyBody({ redemption_mode: 'bogus' as never }).redemption_mode).toBe('supplier_redeems');
    // An absent mode (a program saved before the modes) is the supplier's.
    expect(policyToValues({ pilot_bonus_bps: 0 }).redemption_mode).toBe('supplier_redeems');
  });

  it('sends the bonus, the mode and the switches always and every other rule only when filled in (PATCH replaces the policy)', () => {
    expect(policyToValues(undefined)).toEqual({
      pilot_bonus_bps: '', supplier_cap_fen: '', group_year_cap_fen: '', type_year_cap_fen: '', min_invoice_fen: '', split_window_days: null, split_threshold_fen: '',
      ...SUPPLIER_REDEEMS, contract_from: '', contract_until: '', review_levels: [], first_milestone_fen: '',
    });
    expect(policyBody(policyToValues(undefined))).toEqual({ pilot_bonus_bps: 0, ...SUPPLIER_REDEEMS, ...NO_CHAIN });
    expect(policyBody(undefined)).toEqual({ pilot_bonus_bps: 0, ...SUPPLIER_REDEEMS, ...NO_CHAIN });
    expect(policyBody({ pilot_bonus_bps: '2.5', min_invoice_fen: '1,000.50', supplier_cap_fen: '  ', contract_from: ' ', contract_until: null })).toEqual({
      pilot_bonus_bps: 250, min_invoice_fen: 100050, ...SUPPLIER_REDEEMS, ...NO_CHAIN,
    });
    expect(policyToValues({ pilot_bonus_bps: 0, supplier_cap_fen: null }).pilot_bonus_bps).toBe('');
  });

  it('reads the review chain and the first milestone, and writes them back (the milestone from yuan to fen)', () => {
    const chain: ReviewLevel[] = [
      { name: '市级初审', scope: 'city' },
      { name: '省级复核', scope: 'province' },
      { name: '财政审批', scope: 'province' },
    ];
    const p = { pilot_bonus_bps: 0, ...SUPPLIER_REDEEMS, review_levels: chain, first_milestone_fen: 75000000 };
    const v = policyToValues(p);
    expect(v.review_levels).toEqual(chain);
    expect(v.first_milestone_fen).toBe('750000');
    expect(policyBody(v)).toEqual(p);
    // The values are copies: editing the form does not touch the program it was read from.
    v.review_levels![0].name = 'x';
    expect(chain[0].name).toBe('市级初审');
    // Yuan with cents and separators become fen; an emptied milestone is not sent (PATCH: paid at once).
    expect(policyBody({ first_milestone_fen: '1,234.56' }).first_milestone_fen).toBe(123456);
    expect(policyBody({ first_milestone_fen: '  ' })).not.toHaveProperty('first_milestone_fen');
    expect(policyBody({ first_milestone_fen: 'abc' })).not.toHaveProperty('first_milestone_fen');
    expect(policyToValues({ first_milestone_fen: null }).first_milestone_fen).toBe('');
  });

  it('sends the chain in order, names trimmed, a level without a name left out, the province unless the city was picked', () => {
    expect(reviewLevelsBody([{ name: ' 市级初审 ', scope: 'city' }, { name: '', scope: 'city' }, { name: '省级复核' }, { name: '终审', scope: 'province' }])).toEqual([
      { name: '市级初审', scope: 'city' },
      { name: '省级复核', scope: 'province' },
      { name: '终审', scope: 'province' },
    ]);
    expect(reviewLevelsBody(undefined)).toEqual([]);
    expect(reviewLevelsBody([{ name: '   ' }])).toEqual([]);
    // An emptied chain is sent as an empty list: one review decides again.
    expect(policyBody({ review_levels: [] }).review_levels).toEqual([]);
  });

  it('finds level names given twice', () => {
    expect(duplicateLevelNames([{ name: '初审' }, { name: '复核' }, { name: ' 初审' }])).toEqual(['初审']);
    expect(duplicateLevelNames([{ name: '初审' }, { name: '' }, { name: '' }])).toEqual([]);
    expect(duplicateLevelNames(null)).toEqual([]);
  });

  it('splits a voucher into what is paid at issue and what is held for the acceptance check', () => {
    expect(milestoneSplit(150000000, 75000000)).toEqual({ atIssueFen: 75000000, heldFen: 75000000 });
    // A grant under the first milestone is paid whole at issue.
    expect(milestoneSplit(50000000, 75000000)).toEqual({ atIssueFen: 50000000, heldFen: 0 });
    expect(milestoneSplit(150000000, null)).toBeNull();
    expect(milestoneSplit(null, 75000000)).toBeNull();
    expect(milestoneSplit(0, 75000000)).toBeNull();
  });

  it('checks the contract window runs forward', () => {
    expect(contractWindowReversed({ contract_from: '2026-08-01', contract_until: '2026-07-31' })).toBe(true);
    expect(contractWindowReversed({ contract_from: '2026-08-01', contract_until: '2026-08-01' })).toBe(false);
    expect(contractWindowReversed({ contract_from: '2026-08-01', contract_until: '' })).toBe(false);
    expect(contractWindowReversed({ contract_from: null, contract_until: '2026-01-01' })).toBe(false);
    expect(contractWindowReversed(undefined)).toBe(false);
  });

  it('checks the bonus against the rate and the split rule for both of its fields', () => {
    expect(bonusOverflows(9000, 1000)).toBe(false);
    expect(bonusOverflows(9000, 1001)).toBe(true);
    expect(bonusOverflows(null, 1001)).toBe(false);
    expect(pilotRate(3000, 500)).toBe(3500);
    expect(pilotRate(9800, 500)).toBe(10000);
    expect(pilotRate(3000, undefined)).toBe(3000);
    expect(splitMissing({ split_window_days: 7, split_threshold_fen: '' })).toBe('split_threshold_fen');
    expect(splitMissing({ split_window_days: null, split_threshold_fen: '4000' })).toBe('split_window_days');
    expect(splitMissing({ split_window_days: 7, split_threshold_fen: '4000' })).toBeNull();
    expect(splitMissing({ split_window_days: null, split_threshold_fen: '' })).toBeNull();
  });

  it('names its fields as the server names them in errors (policy.<field>)', () => {
    for (const f of POLICY_FIELDS) expect(fieldPath(`policy.${f}`)).toEqual(['policy', f]);
  });

  it('puts a server error on the policy field it names (the form registers policy.<field>)', () => {
    const registered = new Set(POLICY_FIELDS.map((f) => `policy.${f}`));
    for (const f of POLICY_FIELDS) {
      const set: unknown[] = [];
      const form = {
        getFieldInstance: (name: (string | number)[]) => (registered.has(name.join('.')) ? {} : undefined),
        setFields: (fields: unknown[]) => set.push(...fields),
        scrollToField: () => undefined,
      } as unknown as FormInstance;
      const err = new ApiError(400, 'amount_not_positive', `policy.${f}: must be positive`, `policy.${f}`);
      expect(applyServerFieldError(form, err, '金额必须大于 0', ['name', 'policy'])).toBe(true);
      expect(set).toEqual([{ name: ['policy', f], errors: ['金额必须大于 0'] }]);
    }
  });

  it('tells whether any rule is on', () => {
    expect(hasPolicy({ pilot_bonus_bps: 0 })).toBe(false);
    expect(hasPolicy({})).toBe(false);
    expect(hasPolicy({ pilot_bonus_bps: 0, ...SUPPLIER_REDEEMS, contract_from: null })).toBe(false);
    expect(hasPolicy({ pilot_bonus_bps: 0, min_invoice_fen: 100 })).toBe(true);
    expect(hasPolicy({ pilot_bonus_bps: 500 })).toBe(true);
    expect(hasPolicy({ group_year_cap_fen: 100 })).toBe(true);
    expect(hasPolicy({ redemption_mode: 'enterprise_reimbursed' })).toBe(true);
    expect(hasPolicy({ delivery_proof_required: true })).toBe(true);
    expect(hasPolicy({ pilot_bonus_bps: 0, ...NO_CHAIN })).toBe(false);
    expect(hasPolicy({ review_levels: [{ name: '初审', scope: 'city' }] })).toBe(true);
    expect(hasPolicy({ first_milestone_fen: 100 })).toBe(true);
    expect(hasContractRules({ contract_required: true })).toBe(true);
    expect(hasContractRules({ contract_until: '2026-12-31' })).toBe(true);
    expect(hasContractRules({ redemption_mode: 'enterprise_reimbursed' })).toBe(false);
    expect(hasContractRules(null)).toBe(false);
  });
});

describe('closing a program', () => {
  it('is closed once closed_at is set', () => {
    expect(isClosed({ closed_at: '2026-12-31T08:00:00Z' })).toBe(true);
    expect(isClosed({ closed_at: null })).toBe(false);
    expect(isClosed({})).toBe(false);
    expect(isClosed(null)).toBe(false);
  });

  it('previews what goes back to the sources: the available budget, per source', () => {
    const line = (source_id: string, available_fen: number, share_bps: number): BudgetLine => ({
      source_id,
      source_name: source_id,
      share_bps,
      allocated_fen: 0,
      available_fen,
      issued_fen: 0,
      released_fen: 0,
      reserved_fen: 0,
    });
    const p = closePreview({ available_fen: 600000, reserved_fen: 0 }, [line('fs_1', 360000, 6000), line('fs_2', 240000, 4000)]);
    expect(p.releaseFen).toBe(600000);
    expect(p.bySource.map((s) => s.release_fen)).toEqual([360000, 240000]);
    expect(p.bySource.reduce((a, s) => a + s.release_fen, 0)).toBe(p.releaseFen);
    expect(closePreview({ available_fen: 0, reserved_fen: 5000 }).reservedFen).toBe(5000);
    expect(closePreview({ available_fen: 0, reserved_fen: 0 }, null).bySource).toEqual([]);
  });
});
