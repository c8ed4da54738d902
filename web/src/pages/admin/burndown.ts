// Budget burn-down of one program: remaining budget after grants (issued vouchers) and after
// spending (the server's spent_by_month), month by month.
//
// The program's budget is what its budget accounts hold (BudgetView.available_fen): a voucher's
// face value leaves it when the voucher is issued, and what a voucher gives back when it expires or
// is cancelled (Voucher.released_fen) goes to the funding source, not back to the program; on
// closing, the program's unissued remainder goes back to the sources too (Program.released_fen).
// What is reserved for approved applications not yet issued (BudgetView.reserved_fen) is held
// today: it is drawn in the platform's current month. So the line after grants ends where the
// budget accounts stand (available_fen), as the figure beside the chart says.
import type { BudgetView, Program, Voucher } from '../../api/types';

export interface BurnPoint {
  month: string;
  afterGrant: number;
  afterSpend: number;
}

/** When a closed program gave its remainder back to the sources, and how much. */
export type Closing = Partial<Pick<Program, 'closed_at' | 'released_fen'>>;

/** What the burn-down needs besides the budget and the vouchers. */
export interface BurnContext {
  /** The program, for its closing (closed_at, released_fen). */
  closing?: Closing;
  /** The platform's today (YYYY-MM-DD): the month the reservations are held in. */
  today?: string | null;
}

const monthOf = (d: string) => d.slice(0, 7);

function add(m: Map<string, number>, month: string, fen: number) {
  m.set(month, (m.get(month) ?? 0) + fen);
}

/**
 * What left the program's budget each month: vouchers issued (face value), the remainder returned
 * on closing, and this month what is reserved.
 */
function drawnByMonth(view: BudgetView, vouchers: Voucher[], { closing, today }: BurnContext): Map<string, number> {
  const drawn = new Map<string, number>();
  for (const v of vouchers) {
    if (String(v.program_id) === String(view.program_id)) add(drawn, monthOf(v.issued_at ?? v.valid_from), v.face_value_fen);
  }
  if (closing?.closed_at && closing.released_fen) add(drawn, monthOf(closing.closed_at), closing.released_fen);
  if (today && view.reserved_fen) add(drawn, monthOf(today), view.reserved_fen);
  return drawn;
}

export function burnDown(view: BudgetView, vouchers: Voucher[], context: BurnContext = {}): BurnPoint[] {
  const drawn = drawnByMonth(view, vouchers, context);
  const spent = new Map<string, number>();
  for (const s of view.spent_by_month ?? []) add(spent, s.month, s.amount_fen);
  const months = [...new Set([...drawn.keys(), ...spent.keys()])].sort();
  let g = 0;
  let s = 0;
  return months.map((m) => {
    g += drawn.get(m) ?? 0;
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
