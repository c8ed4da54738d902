// A program's own rules (its policy: pilot-zone bonus, cap per supplier, minimum invoice, split-
// purchase detection, who claims the subsidy and what a claim must bring: a contract signed in a
// window, instalments, proof of delivery) as the program form edits them, and what closing a
// program would release. The form works in percent and yuan; the API in basis points and fen.
import { REDEMPTION_MODES, type BudgetLine, type Program, type ProgramPolicy, type RedemptionMode } from '../../api/types';
import { bpsToPercentInput, fenToYuanInput, parsePercentToBps, parseYuanToFen } from '../../format';

/** The policy as the form holds it: percent and yuan as typed, days as a number; empty = the rule is off. */
export interface PolicyValues {
  pilot_bonus_bps?: string;
  supplier_cap_fen?: string;
  /** Yearly cap for all enterprises with one actual controller together, in yuan. */
  group_year_cap_fen?: string;
  min_invoice_fen?: string;
  split_window_days?: number | null;
  split_threshold_fen?: string;
  /** Who claims: the supplier redeems (default) or the enterprise pays in full and is reimbursed. */
  redemption_mode?: RedemptionMode;
  contract_required?: boolean;
  /** YYYY-MM-DD; empty = no bound. */
  contract_from?: string | null;
  contract_until?: string | null;
  instalments_allowed?: boolean;
  delivery_proof_required?: boolean;
}

/** The policy's fields, named as the API names them (a server error names `policy.<field>`). */
export const POLICY_FIELDS = [
  'pilot_bonus_bps', 'supplier_cap_fen', 'group_year_cap_fen', 'min_invoice_fen', 'split_window_days', 'split_threshold_fen',
  'redemption_mode', 'contract_required', 'contract_from', 'contract_until', 'instalments_allowed', 'delivery_proof_required',
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** The split-purchase window the server accepts, in days. */
export const SPLIT_WINDOW_MIN = 1;
export const SPLIT_WINDOW_MAX = 366;

const filled = (s: string | null | undefined) => s !== undefined && s !== null && String(s).trim() !== '';

export function policyToValues(p: ProgramPolicy | null | undefined): PolicyValues {
  return {
    pilot_bonus_bps: p?.pilot_bonus_bps ? bpsToPercentInput(p.pilot_bonus_bps) : '',
    supplier_cap_fen: p?.supplier_cap_fen != null ? fenToYuanInput(p.supplier_cap_fen) : '',
    group_year_cap_fen: p?.group_year_cap_fen != null ? fenToYuanInput(p.group_year_cap_fen) : '',
    min_invoice_fen: p?.min_invoice_fen != null ? fenToYuanInput(p.min_invoice_fen) : '',
    split_window_days: p?.split_window_days ?? null,
    split_threshold_fen: p?.split_threshold_fen != null ? fenToYuanInput(p.split_threshold_fen) : '',
    redemption_mode: p?.redemption_mode === 'enterprise_reimbursed' ? 'enterprise_reimbursed' : 'supplier_redeems',
    contract_required: !!p?.contract_required,
    contract_from: p?.contract_from ?? '',
    contract_until: p?.contract_until ?? '',
    instalments_allowed: !!p?.instalments_allowed,
    delivery_proof_required: !!p?.delivery_proof_required,
  };
}

/**
 * The policy a program form sends: the bonus, the mode and the switches always (0, the supplier
 * redeems, off), each other rule only when it is filled in. PATCH replaces the whole policy, so an
 * emptied field turns its rule off.
 */
export function policyBody(v: PolicyValues | null | undefined): ProgramPolicy {
  const body: ProgramPolicy = { pilot_bonus_bps: filled(v?.pilot_bonus_bps) ? (parsePercentToBps(v!.pilot_bonus_bps) ?? 0) : 0 };
  const money = (k: 'supplier_cap_fen' | 'group_year_cap_fen' | 'min_invoice_fen' | 'split_threshold_fen') => {
    const fen = filled(v?.[k]) ? parseYuanToFen(v![k]) : null;
    if (fen !== null) body[k] = fen;
  };
  money('supplier_cap_fen');
  money('group_year_cap_fen');
  money('min_invoice_fen');
  if (v?.split_window_days !== undefined && v.split_window_days !== null && String(v.split_window_days) !== '') body.split_window_days = Number(v.split_window_days);
  money('split_threshold_fen');
  body.redemption_mode = v?.redemption_mode && (REDEMPTION_MODES as readonly string[]).includes(v.redemption_mode) ? v.redemption_mode : 'supplier_redeems';
  body.contract_required = !!v?.contract_required;
  if (filled(v?.contract_from)) body.contract_from = String(v!.contract_from).trim();
  if (filled(v?.contract_until)) body.contract_until = String(v!.contract_until).trim();
  body.instalments_allowed = !!v?.instalments_allowed;
  body.delivery_proof_required = !!v?.delivery_proof_required;
  return body;
}

/** A contract window whose last day comes before its first (the server answers before_start). */
export function contractWindowReversed(v: Pick<PolicyValues, 'contract_from' | 'contract_until'> | null | undefined): boolean {
  return filled(v?.contract_from) && filled(v?.contract_until) && String(v!.contract_until) < String(v!.contract_from);
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

/** Whether any of the program's own rules is on (a reimbursed mode counts). */
export function hasPolicy(p: ProgramPolicy | null | undefined): boolean {
  return (
    !!p &&
    (!!p.pilot_bonus_bps ||
      p.supplier_cap_fen != null ||
      p.group_year_cap_fen != null ||
      p.min_invoice_fen != null ||
      p.split_window_days != null ||
      p.split_threshold_fen != null ||
      p.redemption_mode === 'enterprise_reimbursed' ||
      hasContractRules(p))
  );
}

/** Whether a claim must bring more than an invoice: a contract (in a window, once or in instalments) or proof of delivery. */
export function hasContractRules(p: ProgramPolicy | null | undefined): boolean {
  return !!p && (!!p.contract_required || !!p.contract_from || !!p.contract_until || !!p.instalments_allowed || !!p.delivery_proof_required);
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
