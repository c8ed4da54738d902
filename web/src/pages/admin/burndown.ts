// Budget burn-down of one program: remaining budget after grants (issued vouchers) and after
// spending (the server's spent_by_month), month by month.
import type { BudgetView, Voucher } from '../../api/types';

export interface BurnPoint {
  month: string;
  afterGrant: number;
  afterSpend: number;
}

const monthOf = (d: string) => d.slice(0, 7);

export function burnDown(view: BudgetView, vouchers: Voucher[]): BurnPoint[] {
  const granted = new Map<string, number>();
  for (const v of vouchers) {
    if (String(v.program_id) !== String(view.program_id)) continue;
    const m = monthOf(v.issued_at ?? v.valid_from);
    granted.set(m, (granted.get(m) ?? 0) + v.face_value_fen - v.released_fen);
  }
  const spent = new Map<string, number>();
  for (const s of view.spent_by_month ?? []) spent.set(s.month, (spent.get(s.month) ?? 0) + s.amount_fen);
  const months = [...new Set([...granted.keys(), ...spent.keys()])].sort();
  let g = 0;
  let s = 0;
  return months.map((m) => {
    g += granted.get(m) ?? 0;
    s += spent.get(m) ?? 0;
    return { month: m, afterGrant: view.budget_fen - g, afterSpend: view.budget_fen - s };
  });
}

/** Each source bears its share of what was spent: remaining = allocated − share × cumulative spend. */
export function burnDownBySource(points: BurnPoint[], view: BudgetView) {
  return (view.sources ?? []).map((l) => ({
    source_id: l.source_id,
    name: l.source_name ?? `#${l.source_id}`,
    data: points.map((p) => l.allocated_fen - Math.floor(((view.budget_fen - p.afterSpend) * (l.share_bps ?? 0)) / 10000)),
  }));
}
