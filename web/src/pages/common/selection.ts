// The annual selection rounds (年度遴选) as the pages reckon with them: criteria weights and the
// weighted total of a score sheet (Σ weight × score, in hundredths of a point, as the server keeps
// it), scores shown with two decimals, the bodies the forms send, what the round's state allows,
// and what still keeps a panel from closing. The server decides; these say so beforehand.
import type {
  Assignment,
  Criterion,
  Outcome,
  RoundStatus,
  ScoreInput,
  SelectionEntry,
  SelectionEntryInput,
  SelectionKind,
  SelectionRound,
  SelectionRoundInput,
} from '../../api/types';
import { daysUntil, isYmd } from '../../dates';

/** The weights of a round sum to this (percent). */
export const WEIGHTS_TOTAL = 100;
/** A criterion's key as the server takes it: a-z, 0-9 and _. */
export const CRITERION_KEY_RE = /^[a-z0-9_]+$/;

/** Σ of the weights typed so far; a missing or non-integer weight counts as nothing. */
export function weightsSum(list: { weight?: number | string | null }[] | null | undefined): number {
  let sum = 0;
  for (const c of list ?? []) {
    const w = Number(c?.weight);
    if (Number.isInteger(w) && w > 0) sum += w;
  }
  return sum;
}

/** What is wrong with a list of criteria as the server would see it, or null when nothing is. */
export type CriteriaProblem = 'empty' | 'too_many' | 'duplicate_key' | 'weights_sum';

export function criteriaProblem(list: { key?: string | null; weight?: number | string | null }[] | null | undefined): CriteriaProblem | null {
  const l = list ?? [];
  if (l.length === 0) return 'empty';
  if (l.length > 20) return 'too_many';
  const keys = l.map((c) => (c?.key ?? '').trim()).filter((k) => k !== '');
  if (new Set(keys).size !== keys.length) return 'duplicate_key';
  if (weightsSum(l) !== WEIGHTS_TOTAL) return 'weights_sum';
  return null;
}

/**
 * A score sheet's total as the server reckons it: Σ weight × score over the round's criteria, in
 * hundredths of a point (0–10,000). Null until every criterion has a whole score 0–100.
 */
export function weightedTotal(criteria: Pick<Criterion, 'key' | 'weight'>[], scores: Record<string, number | null | undefined>): number | null {
  let total = 0;
  for (const c of criteria) {
    const s = scores[c.key];
    if (s === null || s === undefined || !Number.isInteger(s) || s < 0 || s > 100) return null;
    total += c.weight * s;
  }
  return total;
}

/** The part of the weighted total that criteria already scored make up (for a running figure). */
export function partialTotal(criteria: Pick<Criterion, 'key' | 'weight'>[], scores: Record<string, number | null | undefined>): number {
  let total = 0;
  for (const c of criteria) {
    const s = scores[c.key];
    if (typeof s === 'number' && Number.isInteger(s) && s >= 0 && s <= 100) total += c.weight * s;
  }
  return total;
}

/** Hundredths of a point as a score: 9500 → "95.00", 8733 → "87.33", null → "—". Exact, no float. */
export function formatScore(hundredths: number | null | undefined): string {
  if (hundredths === null || hundredths === undefined || !Number.isFinite(hundredths)) return '—';
  const v = Math.trunc(hundredths);
  const neg = v < 0;
  const a = Math.abs(v);
  return `${neg ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** The body of a score sheet, one score per criterion in the round's order, and the comment if any. */
export function scoreBody(criteria: Pick<Criterion, 'key'>[], scores: Record<string, number | null | undefined>, comment?: string | null): ScoreInput {
  const c = (comment ?? '').trim();
  return {
    scores: criteria.map((x) => ({ criterion: x.key, score: Number(scores[x.key]) })),
    ...(c ? { comment: c } : {}),
  };
}

/** The scores of a sheet by criterion key, to fill the form again. */
export function scoresByKey(sheet: { criterion: string; score: number }[] | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sheet ?? []) out[s.criterion] = s.score;
  return out;
}

/**
 * The criterion a server error about a sheet names: `scores[2].score` is the third score sent,
 * i.e. the round's third criterion (scoreBody keeps their order). Null for anything else.
 */
export function scoreFieldCriterion(field: string | null | undefined, criteria: Pick<Criterion, 'key'>[]): string | null {
  const m = field ? /^scores\[(\d+)\]/.exec(field) : null;
  if (!m) return null;
  return criteria[Number(m[1])]?.key ?? null;
}

export interface RoundFormValues {
  name: string;
  kind: SelectionKind;
  year: number;
  /** The year's batch (1 = 第一批); each batch is a round of its own. */
  batch?: number | null;
  cap: number;
  /** YYYY-MM-DD */
  call_from: string;
  call_until: string;
  notice_days: number;
  pass_mark: number;
  min_records?: number | null;
  registration_required?: boolean;
  criteria: { key: string; name: string; weight: number }[];
}

/** The body of POST /selection-rounds; the corpus rules are sent for a corpus round only. */
export function roundBody(v: RoundFormValues): SelectionRoundInput {
  const body: SelectionRoundInput = {
    name: v.name.trim(),
    kind: v.kind,
    year: Number(v.year),
    batch: v.batch === null || v.batch === undefined ? 1 : Number(v.batch),
    cap: Number(v.cap),
    call_from: v.call_from,
    call_until: v.call_until,
    notice_days: Number(v.notice_days),
    pass_mark: Number(v.pass_mark),
    criteria: v.criteria.map((c) => ({ key: c.key.trim(), name: c.name.trim(), weight: Number(c.weight) })),
  };
  if (v.kind === 'corpus') {
    if (v.min_records !== null && v.min_records !== undefined) body.min_records = Number(v.min_records);
    body.registration_required = !!v.registration_required;
  }
  return body;
}

export interface EntryFormValues {
  product_id: string;
  evaluation_report?: string | null;
  deployment_evidence?: string | null;
  record_count?: number | null;
  registration_ref?: string | null;
  summary?: string | null;
}

const text = (s: string | null | undefined) => {
  const v = (s ?? '').trim();
  return v === '' ? undefined : v;
};

/** The body of POST /selection-rounds/{id}/entries: the evidence a round of this kind asks for, empty fields left out. */
export function entryBody(kind: SelectionKind | string, v: EntryFormValues): SelectionEntryInput {
  const body: SelectionEntryInput = { product_id: v.product_id };
  if (kind === 'model') {
    const report = text(v.evaluation_report);
    const deployment = text(v.deployment_evidence);
    if (report) body.evaluation_report = report;
    if (deployment) body.deployment_evidence = deployment;
  } else {
    if (v.record_count !== null && v.record_count !== undefined) body.record_count = Number(v.record_count);
    const reg = text(v.registration_ref);
    if (reg) body.registration_ref = reg;
  }
  const summary = text(v.summary);
  if (summary) body.summary = summary;
  return body;
}

/** Where a round's call for entries stands on `today`: before, during, or after it (or closed with the round). */
export type CallState = 'upcoming' | 'open' | 'ended';

export function callState(r: Pick<SelectionRound, 'status' | 'call_from' | 'call_until'>, today: string | null | undefined): CallState | null {
  if (r.status !== 'open') return 'ended';
  if (!isYmd(today)) return null;
  if (today < r.call_from) return 'upcoming';
  if (today <= r.call_until) return 'open';
  return 'ended';
}

/** The position of a round's state in its steps (open → panel closed → published → effective). */
export const ROUND_STEPS: RoundStatus[] = ['open', 'panel_closed', 'published', 'effective'];
export function roundStep(status: RoundStatus | string): number {
  return Math.max(0, ROUND_STEPS.indexOf(status as RoundStatus));
}

/** The administrator's next step for a round in this state, or null once it is in force. */
export type RoundAction = 'close-panel' | 'publish' | 'take-effect';
export function nextAction(status: RoundStatus | string): RoundAction | null {
  switch (status) {
    case 'open':
      return 'close-panel';
    case 'panel_closed':
      return 'publish';
    case 'published':
      return 'take-effect';
    default:
      return null;
  }
}

/** Whether the ranking is public (its outcome may be shown to the supplier): published or in force. */
export function rankingPublic(status: RoundStatus | string | null | undefined): boolean {
  return status === 'published' || status === 'effective';
}

/** What still keeps the panel from closing, as the server checks it. */
export interface PanelReadiness {
  /** The call for entries runs until its last day: the panel closes after it. */
  callOpen: boolean;
  /** Entries with no expert who is not recused. */
  unassigned: number;
  /** Score sheets due (assignments not recused) and not in. */
  sheetsMissing: number;
  ready: boolean;
}

export function panelReadiness(
  round: Pick<SelectionRound, 'call_until'>,
  entries: Pick<SelectionEntry, 'sheets_in' | 'sheets_due'>[],
  today: string | null | undefined,
): PanelReadiness {
  const left = daysUntil(round.call_until, today);
  const callOpen = left === null ? false : left >= 0;
  const unassigned = entries.filter((e) => e.sheets_due === 0).length;
  const sheetsMissing = entries.reduce((n, e) => n + Math.max(0, e.sheets_due - e.sheets_in), 0);
  return { callOpen, unassigned, sheetsMissing, ready: !callOpen && unassigned === 0 && sheetsMissing === 0 };
}

/** An expert's standing on an entry as the tasks page shows it. */
export type TaskState = 'recused' | 'scored' | 'to_score';
export function taskState(a: Pick<Assignment, 'status' | 'scored'> | null | undefined): TaskState | null {
  if (!a) return null;
  if (a.status === 'recused') return 'recused';
  return a.scored ? 'scored' : 'to_score';
}

/** The reader's own assignment on an entry (an expert sees only theirs). */
export function ownAssignment(e: Pick<SelectionEntry, 'assignments'>, userId: string | null | undefined): Assignment | null {
  if (!userId) return null;
  return e.assignments.find((a) => String(a.expert_id) === String(userId)) ?? null;
}

/**
 * Whether an objection may be filed against a selected entry of a round on `today`: the round is
 * published and its notice runs (through its last day). Unknown today: let the server decide.
 */
export function objectionOpen(
  r: { round_status?: RoundStatus | string; status?: RoundStatus | string; notice_ends_on?: string | null },
  today: string | null | undefined,
  outcome: Outcome | null | undefined = 'selected',
): boolean {
  const status = r.round_status ?? r.status;
  if (status !== 'published' || outcome !== 'selected') return false;
  const left = daysUntil(r.notice_ends_on, today);
  return left === null || left >= 0;
}

/** The years present in a list, newest first. */
export function yearsOf(rows: { year: number }[]): number[] {
  return [...new Set(rows.map((r) => r.year))].sort((a, b) => b - a);
}

/** Public selections in reading order: newest year first, then kind (models before corpora), then rank. */
export function publicOrder<T extends { year: number; kind: string; rank: number }>(rows: T[]): T[] {
  const kindRank = (k: string) => (k === 'model' ? 0 : k === 'corpus' ? 1 : 2);
  return [...rows].sort((a, b) => b.year - a.year || kindRank(a.kind) - kindRank(b.kind) || a.rank - b.rank);
}
