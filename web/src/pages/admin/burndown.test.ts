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
const v = (id: string, program_id: string, issued_at: string, face: number, released = 0) =>
  ({ id, program_id, issued_at, valid_from: issued_at.slice(0, 10), face_value_fen: face, released_fen: released }) as Voucher;

describe('burn-down', () => {
  it('accumulates grants and spending per month', () => {
    const pts = burnDown(view, [v('a', 'p1', '2026-01-15T00:00:00Z', 200_000), v('b', 'p2', '2026-01-15T00:00:00Z', 999), v('c', 'p1', '2026-03-01T00:00:00Z', 100_000)]);
    expect(pts).toEqual([
      { month: '2026-01', afterGrant: 800_000, afterSpend: 1_000_000 },
      { month: '2026-02', afterGrant: 800_000, afterSpend: 990_000 },
      { month: '2026-03', afterGrant: 700_000, afterSpend: 985_000 },
    ]);
  });
  it('does not give back to the program what an expired voucher released (it goes to the source)', () => {
    // The demo's closed 2025 program: its line after grants ended far above the 0 available.
    const closed: BudgetView = { ...view, budget_fen: 1_000_000, issued_fen: 900_000, released_fen: 700_000, available_fen: 0, spent_by_month: [{ month: '2025-06', amount_fen: 200_000 }] };
    const pts = burnDown(closed, [v('a', 'p1', '2025-02-10T00:00:00Z', 900_000, 700_000)], { closing: { closed_at: '2026-01-10T12:00:00Z', released_fen: 100_000 } });
    expect(pts).toEqual([
      { month: '2025-02', afterGrant: 100_000, afterSpend: 1_000_000 },
      { month: '2025-06', afterGrant: 100_000, afterSpend: 800_000 },
      // On closing the unissued remainder went back to the sources: nothing is left, as available_fen says.
      { month: '2026-01', afterGrant: 0, afterSpend: 800_000 },
    ]);
    expect(pts[pts.length - 1].afterGrant).toBe(closed.available_fen);
  });
  it('draws the reservations in the platform\'s current month, so it ends at the available budget', () => {
    const open: BudgetView = { ...view, issued_fen: 300_000, reserved_fen: 50_000, available_fen: 650_000 };
    const vouchers = [v('a', 'p1', '2026-01-15T00:00:00Z', 200_000, 20_000), v('c', 'p1', '2026-03-01T00:00:00Z', 100_000)];
    const pts = burnDown(open, vouchers, { today: '2026-11-23' });
    expect(pts.map((p) => p.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-11']);
    expect(pts[pts.length - 1]).toEqual({ month: '2026-11', afterGrant: open.available_fen, afterSpend: open.budget_fen - 15_000 });
    // Before the server's today is known, the reservations wait.
    expect(burnDown(open, vouchers).at(-1)?.afterGrant).toBe(open.available_fen + open.reserved_fen);
  });
  it('splits spending across sources by share', () => {
    const pts = burnDown(view, []);
    const by = burnDownBySource(pts, view);
    expect(by[0].data).toEqual([594_000, 591_000]);
    expect(by[1].data).toEqual([396_000, 394_000]);
  });
});
