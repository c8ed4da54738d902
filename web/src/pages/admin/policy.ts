// A program's own rules (its policy: pilot-zone bonus, cap per supplier, minimum invoice, split-
// purchase detection) as the program form edits them, and what closing a program would release.
// The form works in percent and yuan; the API in basis points and fen.
import type { BudgetLine, Program, ProgramPolicy } from '../../api/types';
import { bpsToPercentInput, fenToYuanInput, parsePercentToBps, parseYuanToFen } from '../../format';

/** The policy as the form holds it: percent and yuan as typed, days as a number; empty = the rule is off. */
export interface PolicyValues {
  pilot_bonus_bps?: string;
  supplier_cap_fen?: string;
  min_invoice_fen?: string;
  split_window_days?: number | null;
  split_threshold_fen?: string;
}

/** The policy's fields, named as the API names them (a server error names `policy.<field>`). */
export const POLICY_FIELDS = ['pilot_bonus_bps', 'supplier_cap_fen', 'min_invoice_fen', 'split_window_days', 'split_threshold_fen'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** The split-purchase window the server accepts, in days. */
export const SPLIT_WINDOW_MIN = 1;
export const SPLIT_WINDOW_MAX = 366;

const filled = (s: string | null | undefined) => s !== undefined && s !== null && String(s).trim() !== '';

export function policyToValues(p: ProgramPolicy | null | undefined): PolicyValues {
  return {
    pilot_bonus_bps: p?.pilot_bonus_bps ? bpsToPercentInput(p.pilot_bonus_bps) : '',
    supplier_cap_fen: p?.supplier_cap_fen != null ? fenToYuanInput(p.supplier_cap_fen) : '',
    min_invoice_fen: p?.min_invoice_fen != null ? fenToYuanInput(p.min_invoice_fen) : '',
    split_window_days: p?.split_window_days ?? null,
    split_threshold_fen: p?.split_threshold_fen != null ? fenToYuanInput(p.split_threshold_fen) : '',
  };
}

/**
 * The policy a program form sends: the bonus always (0 when empty), each other rule only when it is
 * filled in. PATCH replaces the whole policy, so an emptied field turns its rule off.
 */
export function policyBody(v: PolicyValues | null | undefined): ProgramPolicy {
  const body: ProgramPolicy = { pilot_bonus_bps: filled(v?.pilot_bonus_bps) ? (parsePercentToBps(v!.pilot_bonus_bps) ?? 0) : 0 };
  const money = (k: 'supplier_cap_fen' | 'min_invoice_fen' | 'split_threshold_fen') => {
    const fen = filled(v?.[k]) ? parseYuanToFen(v![k]) : null;
    if (fen !== null) body[k] = fen;
  };
  money('supplier_cap_fen');
  money('min_invoice_fen');
  if (v?.split_window_days !== undefined && v.split_window_days !== null && String(v.split_window_days) !== '') body.split_window_days = Number(v.split_window_days);
  money('split_threshold_fen');
  return body;
}

/** Whether a pilot-zone bonus on top of the rate passes 100% (the server answers rate_over_100). */
export function bonusOverflows(rateBps: number | null, bonusBps: number | null): boolean {
  return rateBps !== null && bonusBps !== null && rateBps + bonusBps > 10000;
}

/** The rate a pilot-zone enterprise gets: the program's rate plus the bonus, at most 100%. */
export function pilotRate(rateBps: number, bonusBps: number | null | undefined): number {
  return Math.min(10000, rateBps + (bonusBps ?? 0));
}

/** The split rule needs both its window and its threshold: the one missing, if only one is given. */
export function splitMissing(v: Pick<PolicyValues, 'split_window_days' | 'split_threshold_fen'> | null | undefined): 'split_window_days' | 'split_threshold_fen' | null {
  const days = v?.split_window_days !== undefined && v.split_window_days !== null && String(v.split_window_days) !== '';
  const threshold = filled(v?.split_threshold_fen);
  if (days && !threshold) return 'split_threshold_fen';
  if (threshold && !days) return 'split_window_days';
  return null;
}

/** Whether any of the program's own rules is on. */
export function hasPolicy(p: ProgramPolicy | null | undefined): boolean {
  return !!p && (!!p.pilot_bonus_bps || p.supplier_cap_fen != null || p.min_invoice_fen != null || p.split_window_days != null || p.split_threshold_fen != null);
}

/** Whether an administrator closed the program (no applications; unspent budget back to the sources). */
export function isClosed(p: Pick<Program, 'closed_at'> | null | undefined): boolean {
  return !!p?.closed_at;
}

export interface ClosePreview {
  /** What closing returns to the funding sources: the budget neither reserved nor issued. */
  releaseFen: number;
  /** Reserved for grants in their notice period: while any is, the server refuses to close. */
  reservedFen: number;
  /** Per source, what goes back to it (from GET /programs/{id}/budget, when loaded). */
  bySource: { source_id: string; source_name: string; share_bps: number; release_fen: number }[];
}

export function closePreview(p: Pick<Program, 'available_fen' | 'reserved_fen'>, lines?: BudgetLine[] | null): ClosePreview {
  return {
    releaseFen: Math.max(0, p.available_fen),
    reservedFen: p.reserved_fen,
    bySource: (lines ?? []).map((l) => ({ source_id: l.source_id, source_name: l.source_name, share_bps: l.share_bps, release_fen: Math.max(0, l.available_fen) })),
  };
}
