// A program's own rules (its policy: pilot-zone bonus, cap per supplier, minimum invoice, split-
// purchase detection, who claims the subsidy and what a claim must bring: a contract signed in a
// window, instalments, proof of delivery) as the program form edits them, and what closing a
// program would release. The form works in percent and yuan; the API in basis points and fen.
import { REDEMPTION_MODES, type BudgetLine, type Program, type ProgramPolicy, type RedemptionMode } from '../../api/types';
import type { components } from '../../api/schema';
import { bpsToPercentInput, fenToYuanInput, parsePercentToBps, parseYuanToFen } from '../../format';

/** One level of a program's review chain (e.g. 市级初审, city; 省级复核, province). */
export type ReviewLevel = components['schemas']['ReviewLevel'];
export type ReviewScope = components['schemas']['ReviewScope'];
export const REVIEW_SCOPES: readonly ReviewScope[] = ['city', 'province'];
/** The most levels a chain may have (the server answers out_of_range past it). */
export const REVIEW_LEVELS_MAX = 5;
/** The longest name of a level the server takes. */
export const REVIEW_LEVEL_NAME_MAX = 50;

/** A level as the form holds it: the name as typed, the scope picked. */
export interface ReviewLevelValues {
  name?: string;
  scope?: ReviewScope;
}

/** The policy as the form holds it: percent and yuan as typed, days as a number; empty = the rule is off. */
export interface PolicyValues {
  pilot_bonus_bps?: string;
  supplier_cap_fen?: string;
  /** Yearly cap for all enterprises with one actual controller together, in yuan. */
  group_year_cap_fen?: string;
  /** Yearly cap for one enterprise across all programs of the voucher type, in yuan. */
  type_year_cap_fen?: string;
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
  /** The review chain, in order; empty = one review decides. */
  review_levels?: ReviewLevelValues[];
  /** Milestones: at most this much (in yuan) is paid at issue, the rest held for the acceptance check; empty = paid at once. */
  first_milestone_fen?: string;
}

/** The policy's fields, named as the API names them (a server error names `policy.<field>`). */
export const POLICY_FIELDS = [
  'pilot_bonus_bps', 'supplier_cap_fen', 'group_year_cap_fen', 'type_year_cap_fen', 'min_invoice_fen', 'split_window_days', 'split_threshold_fen',
  'redemption_mode', 'contract_required', 'contract_from', 'contract_until', 'instalments_allowed', 'delivery_proof_required',
  'review_levels', 'first_milestone_fen',
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
    type_year_cap_fen: p?.type_year_cap_fen != null ? fenToYuanInput(p.type_year_cap_fen) : '',
    min_invoice_fen: p?.min_invoice_fen != null ? fenToYuanInput(p.min_invoice_fen) : '',
    split_window_days: p?.split_window_days ?? null,
    split_threshold_fen: p?.split_threshold_fen != null ? fenToYuanInput(p.split_threshold_fen) : '',
    redemption_mode: p?.redemption_mode === 'enterprise_reimbursed' ? 'enterprise_reimbursed' : 'supplier_redeems',
    contract_required: !!p?.contract_required,
    contract_from: p?.contract_from ?? '',
    contract_until: p?.contract_until ?? '',
    instalments_allowed: !!p?.instalments_allowed,
    delivery_proof_required: !!p?.delivery_proof_required,
    review_levels: (p?.review_levels ?? []).map((l) => ({ name: l.name, scope: l.scope })),
    first_milestone_fen: p?.first_milestone_fen != null ? fenToYuanInput(p.first_milestone_fen) : '',
  };
}

/**
 * The chain a program form sends: each level's name trimmed, its scope city or province (the
 * province unless the city was picked). A level left without a name is not sent.
 */
export function reviewLevelsBody(levels: ReviewLevelValues[] | null | undefined): ReviewLevel[] {
  return (levels ?? [])
    .filter((l) => filled(l?.name))
    .map((l): ReviewLevel => ({ name: String(l.name).trim(), scope: l.scope === 'city' ? 'city' : 'province' }));
}

/** Names given to more than one level of a chain (trimmed), so the form can point at them. */
export function duplicateLevelNames(levels: ReviewLevelValues[] | null | undefined): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const l of levels ?? []) {
    const n = filled(l?.name) ? String(l.name).trim() : '';
    if (!n) continue;
    if (seen.has(n)) dup.add(n);
    seen.add(n);
  }
  return [...dup];
}

/**
 * What a voucher of `faceFen` gets at issue and what is held for the acceptance check under a first
 * milestone of `firstFen`; null when the program pays at once (no milestone) or a figure is missing.
 */
export function milestoneSplit(faceFen: number | null | undefined, firstFen: number | null | undefined): { atIssueFen: number; heldFen: number } | null {
  if (faceFen == null || firstFen == null || faceFen <= 0 || firstFen <= 0) return null;
  const atIssueFen = Math.min(faceFen, firstFen);
  return { atIssueFen, heldFen: faceFen - atIssueFen };
}

/**
 * The policy a program form sends: the bonus, the mode and the switches always (0, the supplier
 * redeems, off), each other rule only when it is filled in. PATCH replaces the whole policy, so an
 * emptied field turns its rule off.
 */
export function policyBody(v: PolicyValues | null | undefined): ProgramPolicy {
  const body: ProgramPolicy = { pilot_bonus_bps: filled(v?.pilot_bonus_bps) ? (parsePercentToBps(v!.pilot_bonus_bps) ?? 0) : 0 };
  const money = (k: 'supplier_cap_fen' | 'group_year_cap_fen' | 'type_year_cap_fen' | 'min_invoice_fen' | 'split_threshold_fen') => {
    const fen = filled(v?.[k]) ? parseYuanToFen(v![k]) : null;
    if (fen !== null) body[k] = fen;
  };
  money('supplier_cap_fen');
  money('group_year_cap_fen');
  money('type_year_cap_fen');
  money('min_invoice_fen');
  if (v?.split_window_days !== undefined && v.split_window_days !== null && String(v.split_window_days) !== '') body.split_window_days = Number(v.split_window_days);
  money('split_threshold_fen');
  body.redemption_mode = v?.redemption_mode && (REDEMPTION_MODES as readonly string[]).includes(v.redemption_mode) ? v.redemption_mode : 'supplier_redeems';
  body.contract_required = !!v?.contract_required;
  if (filled(v?.contract_from)) body.contract_from = String(v!.contract_from).trim();
  if (filled(v?.contract_until)) body.contract_until = String(v!.contract_until).trim();
  body.instalments_allowed = !!v?.instalments_allowed;
  body.delivery_proof_required = !!v?.delivery_proof_required;
  // Always sent: PATCH replaces the policy, and an absent chain would turn a chained review into one.
  body.review_levels = reviewLevelsBody(v?.review_levels);
  const first = filled(v?.first_milestone_fen) ? parseYuanToFen(v!.first_milestone_fen) : null;
  if (first !== null) body.first_milestone_fen = first;
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
      p.type_year_cap_fen != null ||
      p.min_invoice_fen != null ||
      p.split_window_days != null ||
      p.split_threshold_fen != null ||
      p.redemption_mode === 'enterprise_reimbursed' ||
      (p.review_levels?.length ?? 0) > 0 ||
      p.first_milestone_fen != null ||
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
