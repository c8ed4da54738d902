import { describe, expect, it } from 'vitest';
import type { BudgetView, Voucher } from '../../api/types';
import { burnDown, burnDownBySource } from './burndown';

const view: BudgetView = {
  program_id: 'p1',
  budget_fen: 1_000_000,
  available_fen: 0,
  reserved_fen: 0,
  issued_fen: 0,
  spent_fen: 0,
  released_fen: 0,
  sources: [
    { source_id: 's1', source_name: 'Province', share_bps: 6000, allocated_fen: 600_000, available_fen: 0, reserved_fen: 0, issued_fen: 0, released_fen: 0 },
    { source_id: 's2', source_name: 'Jinan', share_bps: 4000, allocated_fen: 400_000, available_fen: 0, reserved_fen: 0, issued_fen: 0, released_fen: 0 },
  ],
  spent_by_month: [
    { month: '2026-02', amount_fen: 10_000 },
    { month: '2026-03', amount_fen: 5_000 },
  ],
};
const v = (id: string, program_id: string, issued_at: string, face: number) =>
  ({ id, program_id, issued_at, valid_from: issued_at.slice(0, 10), face_value_fen: face, released_fen: 0 }) as Voucher;

describe('burn-down', () => {
  it('accumulates grants and spending per month', () => {
    const pts = burnDown(view, [v('a', 'p1', '2026-01-15T00:00:00Z', 200_000), v('b', 'p2', '2026-01-15T00:00:00Z', 999), v('c', 'p1', '2026-03-01T00:00:00Z', 100_000)]);
    expect(pts).toEqual([
      { month: '2026-01', afterGrant: 800_000, afterSpend: 1_000_000 },
      { month: '2026-02', afterGrant: 800_000, afterSpend: 990_000 },
      { month: '2026-03', afterGrant: 700_000, afterSpend: 985_000 },
    ]);
  });
  it('splits spending across sources by share', () => {
    const pts = burnDown(view, []);
    const by = burnDownBySource(pts, view);
    expect(by[0].data).toEqual([594_000, 591_000]);
    expect(by[1].data).toEqual([396_000, 394_000]);
  });
});
