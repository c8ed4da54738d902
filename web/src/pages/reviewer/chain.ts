// Pure helpers for multi-level review and the acceptance check.
import type { Application } from '../../api/types';

/** The level (1-based) the next reviewer decides, or null when the program has no chain or it is done. */
export function nextLevel(app: Pick<Application, 'review_chain' | 'review_level'>): number | null {
  const n = app.review_chain?.length ?? 0;
  if (n === 0 || app.review_level >= n) return null;
  return app.review_level + 1;
}

/** The amount the previous level approved (the cap of the next one), or null at the first level. */
export function previousAmount(app: Pick<Application, 'reviews' | 'review_level'>): number | null {
  if (app.review_level <= 0) return null;
  const prev = (app.reviews ?? []).filter((r) => r.level === app.review_level && r.decision === 'approve');
  const a = prev.length ? prev[prev.length - 1].amount_fen : null;
  return a ?? null;
}

export type AcceptanceRatingValue = 'excellent' | 'pass' | 'fail';

/** The i18n key stating a rating's effect (the confirmation shows it with the held amount). */
export function acceptanceEffectKey(rating: AcceptanceRatingValue): 'acc.effect.excellent' | 'acc.effect.pass' | 'acc.effect.fail' {
  return `acc.effect.${rating}`;
}

type ChainFacts = Pick<Application, 'status' | 'review_chain' | 'review_level' | 'reviews' | 'reason'>;

/** Whether the application's program reviews in more than one level (the chain is worth showing). */
export function showsChain(app: Pick<Application, 'review_chain'>): boolean {
  return (app.review_chain?.length ?? 0) > 1;
}

export type LevelState = 'approved' | 'rejected' | 'current' | 'waiting';

export interface ChainStep {
  /** 1-based. */
  level: number;
  name: string;
  scope: Application['review_chain'][number]['scope'];
  state: LevelState;
  /** The level's recorded decision (on the single-application view). */
  decision?: Application['reviews'][number];
}

/** Where the application stands at a rejection: the level that rejected it (null without a chain) and the reason. */
export interface Rejection {
  level: number | null;
  name: string | null;
  reason: string | null;
}

export function rejectionOf(app: ChainFacts): Rejection | null {
  if (app.status !== 'rejected') return null;
  const chain = app.review_chain ?? [];
  const d = [...(app.reviews ?? [])].reverse().find((r) => r.decision === 'reject');
  if (d) return { level: d.level, name: d.level_name || chain[d.level - 1]?.name || null, reason: d.reason ?? app.reason ?? null };
  if (chain.length === 0) return { level: null, name: null, reason: app.reason ?? null };
  // A rejection does not count as a level passed: the level deciding was the one after those passed.
  const level = Math.min(app.review_level + 1, chain.length);
  return { level, name: chain[level - 1].name, reason: app.reason ?? null };
}

/** Each level of the chain with its decision and state: passed, rejected, deciding now, or not reached. */
export function chainSteps(app: ChainFacts): ChainStep[] {
  const rejected = rejectionOf(app)?.level ?? null;
  return (app.review_chain ?? []).map((l, i) => {
    const level = i + 1;
    const decisions = (app.reviews ?? []).filter((r) => r.level === level);
    const decision = decisions.length ? decisions[decisions.length - 1] : undefined;
    let state: LevelState;
    if (decision) state = decision.decision === 'approve' ? 'approved' : 'rejected';
    else if (rejected === level) state = 'rejected';
    else if (level <= app.review_level) state = 'approved';
    else if (app.status === 'submitted' && level === app.review_level + 1) state = 'current';
    else state = 'waiting';
    return { level, name: l.name, scope: l.scope, state, decision };
  });
}
