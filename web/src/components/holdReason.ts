// A redemption's hold reason (Redemption.hold_reason) is written by the server in English, with
// figures: "split purchase suspected: with 4 earlier invoices of 3996.00 yuan to the same supplier
// within 1 days, the total reaches the threshold of 4000.00 yuan", and on release the administrator's
// note is appended (" — released: <note>"). The UI reads the figures out of it and says it in the
// chosen language; a text it cannot read is shown as a generic "suspected split purchase" in
// Chinese (never the English text) and as written in English.
import { parseYuanToFen } from '../format';

export interface SplitHold {
  kind: 'split';
  /** Invoices from the same enterprise to the same supplier within the window, before this one. */
  earlierCount: number;
  earlierFen: number;
  windowDays: number;
  thresholdFen: number;
}
export interface OtherHold {
  kind: 'other';
  text: string;
}
export interface HoldReason {
  hold: SplitHold | OtherHold | null;
  /** The administrator's note when the redemption was released. */
  releasedNote: string | null;
}

const SPLIT =
  /split purchase suspected: with (\d+) earlier invoices? of (\d+(?:\.\d{1,2})?) yuan to the same supplier within (\d+) days?, the total reaches the threshold of (\d+(?:\.\d{1,2})?) yuan/;
const RELEASED = /\s*—\s*released:\s*/;

export function parseHoldReason(text: string | null | undefined): HoldReason | null {
  if (!text || !text.trim()) return null;
  const cut = RELEASED.exec(text);
  const head = (cut ? text.slice(0, cut.index) : text).trim();
  const releasedNote = cut ? text.slice(cut.index + cut[0].length).trim() || null : null;
  let hold: SplitHold | OtherHold | null = null;
  if (head) {
    const m = SPLIT.exec(head);
    const earlier = m ? parseYuanToFen(m[2]) : null;
    const threshold = m ? parseYuanToFen(m[4]) : null;
    hold =
      m && earlier !== null && threshold !== null
        ? { kind: 'split', earlierCount: Number(m[1]), earlierFen: earlier, windowDays: Number(m[3]), thresholdFen: threshold }
        : { kind: 'other', text: head };
  }
  return { hold, releasedNote };
}
