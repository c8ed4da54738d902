// The dishonesty list (失信名单) and the decisions on change requests: what a row's state is against
// the platform's today, and the bodies the admin forms send.
import type { ChangeDecisionInput, DishonestyEntry, DishonestyInput, PartyKind } from '../../api/types';
import { isYmd } from '../../dates';

/**
 * An entry's state: in force (the server's `in_force`, as of the platform's today), lifted, past
 * its last day, or not started yet; `inactive` when not in force and the platform's today is not
 * known yet (no guess from the browser's clock).
 */
export type EntryState = 'in_force' | 'lifted' | 'expired' | 'upcoming' | 'inactive';
export const ENTRY_STATES: EntryState[] = ['in_force', 'lifted', 'expired', 'upcoming', 'inactive'];

export function entryState(e: Pick<DishonestyEntry, 'in_force' | 'lifted_at' | 'listed_from' | 'listed_until'>, today: string | null | undefined): EntryState {
  if (e.lifted_at) return 'lifted';
  if (e.in_force) return 'in_force';
  if (!isYmd(today)) return 'inactive';
  if (e.listed_from > today) return 'upcoming';
  if (e.listed_until && e.listed_until < today) return 'expired';
  return 'inactive';
}

/** An entry may be lifted until it has been (an expired or future entry too). */
export function mayLift(e: Pick<DishonestyEntry, 'lifted_at'>): boolean {
  return !e.lifted_at;
}

/** The list's in-force filter as the page offers it, and as GET /dishonesty-list takes it. */
export type InForceFilter = 'all' | 'in_force' | 'not_in_force';
export function inForceParam(f: InForceFilter): boolean | undefined {
  return f === 'in_force' ? true : f === 'not_in_force' ? false : undefined;
}

/** Whether a last day lies before the first (the server answers 400 before_start). */
export function untilBeforeFrom(from: string | null | undefined, until: string | null | undefined): boolean {
  return isYmd(from) && isYmd(until) && until < from;
}

export interface DishonestyDraft {
  party_kind: PartyKind;
  party_id: string;
  reason: string;
  source: string;
  /** YYYY-MM-DD; empty for "from the platform's today". */
  listed_from?: string | null;
  /** YYYY-MM-DD; empty for "until lifted". */
  listed_until?: string | null;
}

/** The body of POST /dishonesty-list: texts trimmed, an empty date left out (the server's default). */
export function dishonestyBody(d: DishonestyDraft): DishonestyInput {
  const body: DishonestyInput = { party_kind: d.party_kind, party_id: d.party_id.trim(), reason: d.reason.trim(), source: d.source.trim() };
  if (d.listed_from) body.listed_from = d.listed_from;
  if (d.listed_until) body.listed_until = d.listed_until;
  return body;
}

/** The body of POST /enterprise-change-requests/{id}/decide: a note only when one is written (a rejection needs one). */
export function decisionBody(decision: 'approve' | 'reject', note: string | null | undefined): ChangeDecisionInput {
  const n = (note ?? '').trim();
  return n ? { decision, note: n } : { decision };
}
