import { describe, expect, it } from 'vitest';
import type { BudgetLine } from '../../api/types';
import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';
import { applyServerFieldError, fieldPath } from '../../components/formErrors';
import { bonusOverflows, closePreview, hasPolicy, isClosed, pilotRate, POLICY_FIELDS, policyBody, policyToValues, splitMissing } from './policy';

describe('program policy', () => {
  it('reads a policy into percent and yuan, and writes it back to basis points and fen', () => {
    const p = { pilot_bonus_bps: 500, supplier_cap_fen: 20000000, min_invoice_fen: 10000000, split_window_days: 30, split_threshold_fen: 500000 };
    const v = policyToValues(p);
    expect(v).toEqual({ pilot_bonus_bps: '5', supplier_cap_fen: '200000', min_invoice_fen: '100000', split_window_days: 30, split_threshold_fen: '5000' });
    expect(policyBody(v)).toEqual(p);
  });

  it('sends the bonus always and every other rule only when filled in (PATCH replaces the policy)', () => {
    expect(policyToValues(undefined)).toEqual({ pilot_bonus_bps: '', supplier_cap_fen: '', min_invoice_fen: '', split_window_days: null, split_threshold_fen: '' });
    expect(policyBody(policyToValues(undefined))).toEqual({ pilot_bonus_bps: 0 });
    expect(policyBody(undefined)).toEqual({ pilot_bonus_bps: 0 });
    expect(policyBody({ pilot_bonus_bps: '2.5', min_invoice_fen: '1,000.50', supplier_cap_fen: '  ' })).toEqual({ pilot_bonus_bps: 250, min_invoice_fen: 100050 });
    expect(policyToValues({ pilot_bonus_bps: 0, supplier_cap_fen: null }).pilot_bonus_bps).toBe('');
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
    expect(hasPolicy({ pilot_bonus_bps: 0, min_invoice_fen: 100 })).toBe(true);
    expect(hasPolicy({ pilot_bonus_bps: 500 })).toBe(true);
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
