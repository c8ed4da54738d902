import { describe, expect, it } from 'vitest';
import { needsIdempotencyKey } from '../../api/client';
import { reportExportQuery } from '../../components/ExportButtons';
import { breakdownPairs, changedCount, runEnded, runPercent, diffTone, headlineRows, refusals, sourcePairs, valuesOfProgram, whatIfBody, type WhatIfFigures } from './whatIf';

const program = {
  rate_bps: 2000,
  face_value_cap_fen: 50_000_000,
  enterprise_year_cap_fen: 100_000_000,
  budget_fen: 30_000_000_000,
  eligible_cities: ['370100', '370200'],
  eligible_sizes: [],
  policy: { pilot_bonus_bps: 500, supplier_cap_fen: 20_000_000, group_year_cap_fen: null, type_year_cap_fen: undefined },
};

describe('what-if form', () => {
  it('starts from the rules in force: percent for bps, yuan for fen, an absent cap empty', () => {
    expect(valuesOfProgram(program)).toEqual({
      rate_bps: '20',
      pilot_bonus_bps: '5',
      face_value_cap_fen: '500000',
      enterprise_year_cap_fen: '1000000',
      supplier_cap_fen: '200000',
      group_year_cap_fen: '',
      type_year_cap_fen: '',
      budget_fen: '300000000',
      eligible_cities: ['370100', '370200'],
      eligible_sizes: [],
    });
  });

  it('sends nothing when nothing changed (the same figure typed another way is no change)', () => {
    const start = valuesOfProgram(program);
    expect(whatIfBody(start, start)).toEqual({});
    expect(whatIfBody({ ...start, rate_bps: '20.00', budget_fen: '300,000,000.00', eligible_cities: ['370200', '370100'] }, start)).toEqual({});
    expect(changedCount({})).toBe(0);
  });

  it('sends only the changed fields, percent → bps and yuan → fen', () => {
    const start = valuesOfProgram(program);
    const body = whatIfBody({ ...start, rate_bps: '12.5', face_value_cap_fen: '300000.5', budget_fen: '0' }, start);
    expect(body).toEqual({ rate_bps: 1250, face_value_cap_fen: 30_000_050, budget_fen: 0 });
    expect(changedCount(body)).toBe(3);
  });

  it('an emptied cap is 0 (no cap), a new cap its fen; lists are sent whole, [] = any', () => {
    const start = valuesOfProgram(program);
    expect(whatIfBody({ ...start, supplier_cap_fen: '', group_year_cap_fen: '8000' }, start)).toEqual({ supplier_cap_fen: 0, group_year_cap_fen: 800_000 });
    expect(whatIfBody({ ...start, type_year_cap_fen: '  ' }, start)).toEqual({});
    expect(whatIfBody({ ...start, eligible_cities: [], eligible_sizes: ['micro', 'small'] }, start)).toEqual({ eligible_cities: [], eligible_sizes: ['micro', 'small'] });
  });

  it('leaves out what does not parse (the form refuses it first)', () => {
    const start = valuesOfProgram(program);
    expect(whatIfBody({ ...start, rate_bps: 'abc', enterprise_year_cap_fen: '1.005' }, start)).toEqual({});
    // Over 100% parses: the server refuses it at rate_bps.
    expect(whatIfBody({ ...start, rate_bps: '150' }, start)).toEqual({ rate_bps: 15000 });
  });
});

const runOut = { basis: 'spent', remaining_fen: 0, window_from: '2026-09-01', window_to: '2026-11-23', window_fen: 0, fen_per_day: 0, weekly_fen: [], ends_on: '2026-12-31', verdict: 'lasts_to_end', method: '' } as unknown as WhatIfFigures['run_out'];
const figures = (o: Partial<WhatIfFigures>): WhatIfFigures => ({
  granted_fen: 0, vouchers: 0, beneficiaries: 0, paid_fen: 0, clawed_back_fen: 0, subsidised_enterprises: 0, grants_not_eligible: 0, grants_over_year_cap: 0,
  grants_budget_exhausted: 0, redemptions_refused: 0, usage_unsubsidised: 0, by_source: [], by_city: [], by_size: [], by_voucher_type: [], run_out: runOut, ...o,
});

describe('what-if comparison', () => {
  it('gives each headline figure recorded, replayed and the difference', () => {
    const rows = headlineRows({ recorded: figures({ paid_fen: 89_000, vouchers: 4 }), replayed: figures({ paid_fen: 66_750, vouchers: 3, grants_not_eligible: 1 }) });
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.paid_fen).toMatchObject({ kind: 'fen', recorded: 89_000, replayed: 66_750, diff: -22_250 });
    expect(by.vouchers).toMatchObject({ kind: 'count', diff: -1, better: 'up' });
    expect(by.grants_not_eligible).toMatchObject({ diff: 1, better: 'down' });
    expect(diffTone(by.vouchers.diff, by.vouchers.better)).toBe('bad');
    expect(diffTone(by.grants_not_eligible.diff, 'down')).toBe('bad');
    expect(diffTone(-2, 'down')).toBe('good');
    expect(diffTone(by.paid_fen.diff, by.paid_fen.better)).toBe('changed');
    expect(diffTone(0, 'up')).toBe('same');
  });

  it('pairs the breakdowns by key, a side without it at 0', () => {
    const pairs = breakdownPairs(
      [{ key: '370100', beneficiaries: 2, vouchers: 2, granted_fen: 100, paid_fen: 50 }, { key: '370200', beneficiaries: 1, vouchers: 1, granted_fen: 80, paid_fen: 40 }],
      [{ key: '370200', beneficiaries: 1, vouchers: 1, granted_fen: 80, paid_fen: 30 }, { key: '370300', beneficiaries: 1, vouchers: 1, granted_fen: 10, paid_fen: 5 }],
    );
    expect(pairs.map((p) => p.key)).toEqual(['370100', '370200', '370300']);
    expect(pairs[0].replayed).toEqual({ key: '370100', beneficiaries: 0, vouchers: 0, granted_fen: 0, paid_fen: 0 });
    expect(pairs[1].replayed.paid_fen - pairs[1].recorded.paid_fen).toBe(-10);
    expect(pairs[2].recorded.granted_fen).toBe(0);
  });

  it('pairs the funding sources by id, keeping the name and allocation of the side that has it', () => {
    const s = { source_id: 'src_1', source_name: '省专项资金', allocated_fen: 1000, granted_fen: 500, paid_fen: 200 };
    const pairs = sourcePairs([s], [{ ...s, allocated_fen: 2000, paid_fen: 150 }, { ...s, source_id: 'src_2', source_name: '市配套' }]);
    expect(pairs).toHaveLength(2);
    expect(pairs[0]).toMatchObject({ key: 'src_1', name: '省专项资金', recorded: { paid_fen: 200 }, replayed: { paid_fen: 150, allocated_fen: 2000 } });
    expect(pairs[1]).toMatchObject({ key: 'src_2', name: '市配套', recorded: { granted_fen: 0, paid_fen: 0 } });
  });

  it('notes the refusals only when the replay refuses something', () => {
    expect(refusals(figures({}))).toBeNull();
    expect(refusals(figures({ grants_over_year_cap: 2, usage_unsubsidised: 7 }))).toEqual({ notEligible: 0, overCap: 2, budget: 0, redemptions: 0, usage: 7 });
  });
});

describe('what-if request', () => {
  it('takes no Idempotency-Key (it writes nothing) and exports with the format and language only', () => {
    expect(needsIdempotencyKey('POST', '/programs/prg_1/what-if')).toBe(false);
    expect(needsIdempotencyKey('POST', '/programs/prg_1/what-if?format=xlsx&lang=zh')).toBe(false);
    expect(needsIdempotencyKey('POST', '/programs/prg_1/what-if/runs')).toBe(false);
    expect(needsIdempotencyKey('POST', '/programs')).toBe(true);
    expect(reportExportQuery('xlsx', 'zh')).toEqual({ format: 'xlsx', lang: 'zh' });
  });
});

describe('what-if run', () => {
  it('ends when done or failed, and reads its basis points as a percent within 0–100', () => {
    expect(runEnded({ stage: 'done' })).toBe(true);
    expect(runEnded({ stage: 'failed' })).toBe(true);
    expect(runEnded({ stage: 'usage' })).toBe(false);
    expect(runEnded({ stage: 'queued' })).toBe(false);
    expect(runPercent({ progress_bps: 4_567 })).toBe(45.7);
    expect(runPercent({ progress_bps: 10_000 })).toBe(100);
    expect(runPercent({ progress_bps: 12_000 })).toBe(100);
    expect(runPercent({ progress_bps: -3 })).toBe(0);
  });
});
