// 假设推演 (what-if): the form's values from a program's rules, the request body from the values
// (only what changed: percent → bps, yuan → fen, an emptied cap → 0 = no cap), and the rows that set
// what was recorded beside what the replay gives (headline figures, funding sources, breakdowns).
import type { components } from '../../api/schema';
import type { Program } from '../../api/types';
import { bpsToPercentInput, fenToYuanInput, parsePercentToBps, parseYuanToFen } from '../../format';

export type WhatIf = components['schemas']['WhatIf'];
export type WhatIfInput = components['schemas']['WhatIfInput'];
export type WhatIfFigures = components['schemas']['WhatIfFigures'];
export type WhatIfRun = components['schemas']['WhatIfRun'];
export type WhatIfStage = components['schemas']['WhatIfStage'];

/** How often the page asks a running what-if how far it has come. */
export const RUN_POLL_MS = 250;

/** Whether a run has ended (its answer or its error is in it). */
export function runEnded(r: Pick<WhatIfRun, 'stage'>): boolean {
  return r.stage === 'done' || r.stage === 'failed';
}

/** The progress bar's percent (0–100, one decimal) from the run's basis points. */
export function runPercent(r: Pick<WhatIfRun, 'progress_bps'>): number {
  return Math.round(Math.min(10_000, Math.max(0, r.progress_bps)) / 10) / 10;
}
export type BreakdownRow = components['schemas']['BreakdownRow'];
export type SourceRow = components['schemas']['SourceRow'];

/** The form's values, named as the API names them (so a server error finds its field). */
export interface WhatIfValues {
  rate_bps: string;
  pilot_bonus_bps: string;
  face_value_cap_fen: string;
  enterprise_year_cap_fen: string;
  /** Empty = no cap. */
  supplier_cap_fen: string;
  group_year_cap_fen: string;
  type_year_cap_fen: string;
  budget_fen: string;
  /** Empty = any city. */
  eligible_cities: string[];
  /** Empty = any size. */
  eligible_sizes: string[];
}

export const WHAT_IF_FIELDS: (keyof WhatIfValues)[] = [
  'rate_bps', 'pilot_bonus_bps', 'face_value_cap_fen', 'enterprise_year_cap_fen', 'supplier_cap_fen', 'group_year_cap_fen',
  'type_year_cap_fen', 'budget_fen', 'eligible_cities', 'eligible_sizes',
];

/** The caps that may be removed (0 on the wire, an empty field in the form). */
export const REMOVABLE_CAPS = ['supplier_cap_fen', 'group_year_cap_fen', 'type_year_cap_fen'] as const;
/** The amounts that must stay above 0 (the budget may be 0). */
export const REQUIRED_MONEY = ['face_value_cap_fen', 'enterprise_year_cap_fen', 'budget_fen'] as const;
export const PERCENTS = ['rate_bps', 'pilot_bonus_bps'] as const;

type ProgramRules = Pick<Program, 'rate_bps' | 'face_value_cap_fen' | 'enterprise_year_cap_fen' | 'budget_fen' | 'eligible_cities' | 'eligible_sizes'> & {
  policy?: Partial<Pick<Program['policy'], 'pilot_bonus_bps' | 'supplier_cap_fen' | 'group_year_cap_fen' | 'type_year_cap_fen'>> | null;
};

const cap = (fen: number | null | undefined) => (fen == null || fen === 0 ? '' : fenToYuanInput(fen));

/** The program's rules in force, as the form's starting values. */
export function valuesOfProgram(p: ProgramRules): WhatIfValues {
  return {
    rate_bps: bpsToPercentInput(p.rate_bps),
    pilot_bonus_bps: bpsToPercentInput(p.policy?.pilot_bonus_bps ?? 0),
    face_value_cap_fen: fenToYuanInput(p.face_value_cap_fen),
    enterprise_year_cap_fen: fenToYuanInput(p.enterprise_year_cap_fen),
    supplier_cap_fen: cap(p.policy?.supplier_cap_fen),
    group_year_cap_fen: cap(p.policy?.group_year_cap_fen),
    type_year_cap_fen: cap(p.policy?.type_year_cap_fen),
    budget_fen: fenToYuanInput(p.budget_fen),
    eligible_cities: [...(p.eligible_cities ?? [])],
    eligible_sizes: [...(p.eligible_sizes ?? [])],
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

/**
 * The body of POST /programs/{id}/what-if: only the fields whose value differs from the program's
 * (compared as numbers, so "20" and "20.00" are the same rate). A removable cap emptied is 0 (no
 * cap). A field that does not parse is left out here (the form's validation stops it first).
 */
export function whatIfBody(values: Partial<WhatIfValues>, start: WhatIfValues): WhatIfInput {
  const out: WhatIfInput = {};
  for (const k of PERCENTS) {
    const now = parsePercentToBps(values[k] ?? '');
    if (now !== null && now !== parsePercentToBps(start[k])) out[k] = now;
  }
  for (const k of REQUIRED_MONEY) {
    const now = parseYuanToFen(values[k] ?? '');
    if (now !== null && now !== parseYuanToFen(start[k])) out[k] = now;
  }
  for (const k of REMOVABLE_CAPS) {
    const text = (values[k] ?? '').trim();
    const now = text === '' ? 0 : parseYuanToFen(text);
    const was = start[k].trim() === '' ? 0 : parseYuanToFen(start[k]);
    if (now !== null && now !== was) out[k] = now;
  }
  for (const k of ['eligible_cities', 'eligible_sizes'] as const) {
    const now = values[k] ?? [];
    if (!sameSet(now, start[k])) out[k] = [...now];
  }
  return out;
}

/** How many rules the body changes. */
export const changedCount = (body: WhatIfInput) => Object.keys(body).length;

export type FigureKind = 'fen' | 'count';
/** Which way is the better one: more (vouchers, beneficiaries), fewer (refusals), or neither (money). */
export type Better = 'up' | 'down' | 'none';

export interface HeadlineRow {
  key: keyof WhatIfFigures;
  kind: FigureKind;
  better: Better;
  recorded: number;
  replayed: number;
  diff: number;
}

const HEADLINES: [keyof WhatIfFigures, FigureKind, Better][] = [
  ['granted_fen', 'fen', 'none'],
  ['paid_fen', 'fen', 'none'],
  ['clawed_back_fen', 'fen', 'none'],
  ['vouchers', 'count', 'up'],
  ['beneficiaries', 'count', 'up'],
  ['subsidised_enterprises', 'count', 'up'],
  ['grants_not_eligible', 'count', 'down'],
  ['grants_over_year_cap', 'count', 'down'],
  ['grants_budget_exhausted', 'count', 'down'],
  ['redemptions_refused', 'count', 'down'],
  ['usage_unsubsidised', 'count', 'down'],
];

/** The headline figures: recorded, replayed and the difference (replayed − recorded). */
export function headlineRows(w: Pick<WhatIf, 'recorded' | 'replayed'>): HeadlineRow[] {
  return HEADLINES.map(([key, kind, better]) => {
    const recorded = Number(w.recorded[key] ?? 0);
    const replayed = Number(w.replayed[key] ?? 0);
    return { key, kind, better, recorded, replayed, diff: replayed - recorded };
  });
}

/** The tone of a difference: 'good', 'bad', 'changed' (neither better nor worse) or 'same'. */
export function diffTone(diff: number, better: Better): 'good' | 'bad' | 'changed' | 'same' {
  if (diff === 0) return 'same';
  if (better === 'none') return 'changed';
  return (diff > 0) === (better === 'up') ? 'good' : 'bad';
}

export interface PairRow<T> {
  key: string;
  recorded: T | null;
  replayed: T | null;
}

/** Rows of both sides paired by key, in the recorded order, then any key only the replay has. */
export function pairRows<T>(recorded: readonly T[], replayed: readonly T[], keyOf: (r: T) => string): PairRow<T>[] {
  const out = new Map<string, PairRow<T>>();
  for (const r of recorded) out.set(keyOf(r), { key: keyOf(r), recorded: r, replayed: null });
  for (const r of replayed) {
    const k = keyOf(r);
    const row = out.get(k);
    if (row) row.replayed = r;
    else out.set(k, { key: k, recorded: null, replayed: r });
  }
  return [...out.values()];
}

export interface BreakdownPair {
  key: string;
  recorded: BreakdownRow;
  replayed: BreakdownRow;
}

const NONE: Omit<BreakdownRow, 'key'> = { beneficiaries: 0, vouchers: 0, granted_fen: 0, paid_fen: 0 };

/** A breakdown (city, size class, voucher type) on both sides, a side without the key at 0. */
export function breakdownPairs(recorded: readonly BreakdownRow[], replayed: readonly BreakdownRow[]): BreakdownPair[] {
  return pairRows(recorded, replayed, (r) => r.key).map((p) => ({
    key: p.key,
    recorded: p.recorded ?? { key: p.key, ...NONE },
    replayed: p.replayed ?? { key: p.key, ...NONE },
  }));
}

export interface SourcePair {
  key: string;
  name: string;
  recorded: SourceRow;
  replayed: SourceRow;
}

/** The funding sources on both sides, by source id. */
export function sourcePairs(recorded: readonly SourceRow[], replayed: readonly SourceRow[]): SourcePair[] {
  return pairRows(recorded, replayed, (r) => String(r.source_id)).map((p) => {
    const any = (p.recorded ?? p.replayed)!;
    const zero = { ...any, granted_fen: 0, paid_fen: 0 };
    return { key: p.key, name: any.source_name, recorded: p.recorded ?? zero, replayed: p.replayed ?? zero };
  });
}

/** The replay's refusals, when it refuses anything (for the note above the tables). */
export function refusals(f: WhatIfFigures): { notEligible: number; overCap: number; budget: number; redemptions: number; usage: number } | null {
  const r = {
    notEligible: f.grants_not_eligible,
    overCap: f.grants_over_year_cap,
    budget: f.grants_budget_exhausted,
    redemptions: f.redemptions_refused,
    usage: f.usage_unsubsidised,
  };
  return Object.values(r).some((n) => n > 0) ? r : null;
}
