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
