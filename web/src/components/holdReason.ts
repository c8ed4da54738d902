// Why a redemption is (or was) held. The server gives it as data (Redemption.hold: the rule's code
// and its figures) and the administrator's note on release (Redemption.release_note); the UI says
// it in the chosen language. Rows written before the server kept it as data have `hold` null and
// only the English sentence (Redemption.hold_reason): "split purchase suspected: with 4 earlier
// invoices of 3996.00 yuan to the same supplier within 1 days, the total reaches the threshold of
// 4000.00 yuan", with the release note appended (" — released: <note>"); for those the figures are
// read out of the sentence. A code or a text the UI cannot read is shown as a generic text in
// Chinese (never the English text) and as the server wrote it in English.
import type { Redemption } from '../api/types';
import { parseYuanToFen } from '../format';

export interface SplitHold {
  kind: 'split';
  /** Invoices from the same enterprise to the same supplier within the window, before this one. */
  earlierCount: number;
  earlierFen: number;
  windowDays: number;
  thresholdFen: number;
}
/** A hold the UI cannot read: an unknown code, or an old sentence of another form. */
export interface OtherHold {
  kind: 'other';
  /** The server's English sentence, if any. */
  text: string | null;
  /** The rule's code when the server gave one the UI does not know. */
  code?: string;
}
export interface HoldReason {
  hold: SplitHold | OtherHold | null;
  /** The administrator's note when the redemption was released. */
  releasedNote: string | null;
}
/** The fields of a redemption that say why it is (or was) held. */
export type HeldFields = Pick<Redemption, 'hold' | 'release_note' | 'hold_reason'>;

const SPLIT =
  /split purchase suspected: with (\d+) earlier invoices? of (\d+(?:\.\d{1,2})?) yuan to the same supplier within (\d+) days?, the total reaches the threshold of (\d+(?:\.\d{1,2})?) yuan/;
const RELEASED = /\s*—\s*released:\s*/;

const blankToNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/** Why a redemption is (or was) held: from `hold` and `release_note`, else its old sentence. */
export function readHold(r: HeldFields): HoldReason | null {
  if (!r.hold) return withReleaseNote(parseHoldReason(r.hold_reason), r.release_note);
  return { hold: holdOfCode(r.hold, r.hold_reason), releasedNote: blankToNull(r.release_note) };
}

/** The structured hold, by its code. */
function holdOfCode(hold: NonNullable<Redemption['hold']>, text: string | null | undefined): SplitHold | OtherHold {
  const code: string = hold.code;
  if (code === 'split_purchase')
    return { kind: 'split', earlierCount: hold.earlier_count, earlierFen: hold.earlier_fen, windowDays: hold.window_days, thresholdFen: hold.threshold_fen };
  return { kind: 'other', text: blankToNull(text), code };
}

/** An old row released after the server kept the note apart: the note given beside the sentence wins. */
function withReleaseNote(parsed: HoldReason | null, note: string | null | undefined): HoldReason | null {
  const given = blankToNull(note);
  if (!given) return parsed;
  return { hold: parsed?.hold ?? null, releasedNote: given };
}

/** The old sentence (`hold_reason` of rows with no `hold`), release note appended. */
export function parseHoldReason(text: string | null | undefined): HoldReason | null {
  if (!text || !text.trim()) return null;
  const cut = RELEASED.exec(text);
  const head = (cut ? text.slice(0, cut.index) : text).trim();
  const releasedNote = cut ? text.slice(cut.index + cut[0].length).trim() || null : null;
  return { hold: head ? holdOfSentence(head) : null, releasedNote };
}

function holdOfSentence(head: string): SplitHold | OtherHold {
  const m = SPLIT.exec(head);
  const earlier = m ? parseYuanToFen(m[2]) : null;
  const threshold = m ? parseYuanToFen(m[4]) : null;
  if (!m || earlier === null || threshold === null) return { kind: 'other', text: head };
  return { kind: 'split', earlierCount: Number(m[1]), earlierFen: earlier, windowDays: Number(m[3]), thresholdFen: threshold };
}

/** Whether there is anything to say about a hold (a detail row is worth showing). */
export function hasHold(r: HeldFields): boolean {
  return !!(r.hold || blankToNull(r.hold_reason) || blankToNull(r.release_note));
}
