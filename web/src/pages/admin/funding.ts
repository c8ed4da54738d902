// A top-up (追加拨款) of a funding source: what it changes, for the confirmation the admin reads
// before sending it. The whole amount is appropriated and, not being allocated to any program yet,
// available.
import type { FundingSource, TopUpInput } from '../../api/types';
import { parseYuanToFen } from '../../format';

export interface TopUpPreview {
  appropriatedBefore: number;
  appropriatedAfter: number;
  availableBefore: number;
  availableAfter: number;
}

export function topUpPreview(s: Pick<FundingSource, 'appropriated_fen' | 'available_fen'>, amountFen: number): TopUpPreview {
  return {
    appropriatedBefore: s.appropriated_fen,
    appropriatedAfter: s.appropriated_fen + amountFen,
    availableBefore: s.available_fen,
    availableAfter: s.available_fen + amountFen,
  };
}

/** The body of POST /funding-sources/{id}/top-ups from the form (yuan as typed); null when the amount is not a positive sum. */
export function topUpBody(amountYuan: string, document: string): TopUpInput | null {
  const fen = parseYuanToFen(amountYuan);
  if (fen === null || fen <= 0) return null;
  return { amount_fen: fen, document: document.trim() };
}
