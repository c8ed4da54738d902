// The acceptance check of a voucher paid in milestones (验收): which vouchers await one, what the
// form sends, and what each rating does to the money (the confirmation states it before sending).
import type { Voucher } from '../../api/types';
import type { AcceptanceRatingValue } from '../reviewer/chain';

export const ACCEPTANCE_RATINGS: readonly AcceptanceRatingValue[] = ['excellent', 'pass', 'fail'];

/** POST /vouchers/{id}/acceptance */
export interface AcceptanceBody {
  rating: AcceptanceRatingValue;
  panel: string;
  checked_on: string;
  report_ref: string;
}

/**
 * Whether the voucher awaits its acceptance check: a second milestone is held, no check is recorded
 * yet, and the voucher is active (the server refuses an expired or cancelled one: milestone_unpaid).
 */
export function acceptanceDue(v: Pick<Voucher, 'held_fen' | 'acceptance' | 'status'>): boolean {
  return v.held_fen > 0 && !v.acceptance && v.status === 'active';
}

/** The body the form sends: the texts trimmed, the date as YYYY-MM-DD. */
export function acceptanceBody(v: { rating: AcceptanceRatingValue; panel?: string | null; checked_on: string; report_ref?: string | null }): AcceptanceBody {
  return { rating: v.rating, panel: (v.panel ?? '').trim(), checked_on: v.checked_on, report_ref: (v.report_ref ?? '').trim() };
}

/** The i18n key of the confirmation stating what the rating does, in words (with the held amount). */
export function acceptanceConfirmKey(rating: AcceptanceRatingValue): 'acc.confirm.excellent' | 'acc.confirm.pass' | 'acc.confirm.fail' {
  return `acc.confirm.${rating}`;
}

/** What the voucher looks like after the check, as the confirmation previews it. */
export function acceptanceOutcome(v: Pick<Voucher, 'held_fen' | 'face_value_fen' | 'balance_fen'>, rating: AcceptanceRatingValue): { faceAfterFen: number; balanceAfterFen: number; status: 'active' | 'cancelled' } {
  if (rating === 'excellent') return { faceAfterFen: v.face_value_fen + v.held_fen, balanceAfterFen: v.balance_fen + v.held_fen, status: 'active' };
  if (rating === 'pass') return { faceAfterFen: v.face_value_fen, balanceAfterFen: v.balance_fen, status: 'active' };
  return { faceAfterFen: v.face_value_fen, balanceAfterFen: 0, status: 'cancelled' };
}
