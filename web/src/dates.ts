// Calendar-day arithmetic for every date-dependent state the UI shows ("N days left", "ended",
// "open", "expires in", a program's phase, form date defaults). Each helper takes `today`
// explicitly: the platform's date from GET /public/clock (see clock.tsx), never the browser's
// clock, which may be on another day (or, for a demo or test server, in another month).
//
// Dates are YYYY-MM-DD strings, compared as calendar days with no time zone involved. The rules
// follow the server's: an application window and a voucher's validity include their last day; a
// notice runs through its last day (objections are taken on it) and the voucher may be issued
// from that day on.

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a YYYY-MM-DD date; null for anything else. */
function dayNumber(d: string | null | undefined): number | null {
  const m = d ? YMD.exec(d) : null;
  if (!m) return null;
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || day < 1 || day > 31) return null;
  const t = Date.UTC(y, mo - 1, day);
  // Date.UTC rolls 2026-02-30 over into March: such a date is not a date.
  if (new Date(t).getUTCDate() !== day) return null;
  return Math.round(t / DAY_MS);
}

export function isYmd(s: string | null | undefined): s is string {
  return dayNumber(s) !== null;
}

/** Calendar days from `today` until `date`: 0 on the day itself, negative once past; null when either is not a date. */
export function daysUntil(date: string | null | undefined, today: string | null | undefined): number | null {
  const a = dayNumber(date);
  const b = dayNumber(today);
  return a === null || b === null ? null : a - b;
}

export type NoticeState = { kind: 'running'; daysLeft: number } | { kind: 'ended' };

/** A notice (公示) runs through `endsOn`, its last day; null when unknown (no date or no today yet). */
export function noticeState(endsOn: string | null | undefined, today: string | null | undefined): NoticeState | null {
  const n = daysUntil(endsOn, today);
  if (n === null) return null;
  return n >= 0 ? { kind: 'running', daysLeft: n } : { kind: 'ended' };
}

/** Whether the server would still refuse to issue the voucher (it issues from the notice's last day on). */
export function noticeBlocksIssue(endsOn: string | null | undefined, today: string | null | undefined): boolean {
  const n = daysUntil(endsOn, today);
  return n !== null && n > 0;
}

export type ProgramPhase = 'upcoming' | 'open' | 'active' | 'closed';

interface ProgramDates {
  apply_from: string;
  apply_until: string;
  valid_until: string;
}

/**
 * A program without a status from the server: upcoming before its application window, open while
 * applications are taken, active until its vouchers expire, then closed. Null without a today.
 */
export function programPhase(p: ProgramDates, today: string | null | undefined): ProgramPhase | null {
  if (!isYmd(today)) return null;
  if (today < p.apply_from) return 'upcoming';
  if (today <= p.apply_until) return 'open';
  if (today <= p.valid_until) return 'active';
  return 'closed';
}

/** Whether applications are taken on `today` (the window includes both ends). */
export function isApplyOpen(p: { apply_from?: string | null; apply_until?: string | null }, today: string | null | undefined): boolean {
  if (!isYmd(today)) return false;
  return (!p.apply_from || p.apply_from <= today) && (!p.apply_until || p.apply_until >= today);
}

/** Days left of a voucher valid through `validUntil` when that is within `withinDays` (0 = its last day); else null. */
export function expiresWithin(validUntil: string | null | undefined, today: string | null | undefined, withinDays = 60): number | null {
  const n = daysUntil(validUntil, today);
  return n !== null && n >= 0 && n <= withinDays ? n : null;
}

/** Whether `date` lies after `today` (a future invoice date, say). False when either is unknown. */
export function isAfterToday(date: string | null | undefined, today: string | null | undefined): boolean {
  const n = daysUntil(date, today);
  return n !== null && n > 0;
}

/** The calendar month before the one `today` falls in, as YYYY-MM (a settlement's default period). */
export function previousMonth(today: string): string {
  const m = YMD.exec(today);
  if (!m) throw new Error(`not a date: ${today}`);
  let y = Number(m[1]);
  let mo = Number(m[2]) - 1;
  if (mo === 0) {
    mo = 12;
    y -= 1;
  }
  return `${y}-${String(mo).padStart(2, '0')}`;
}

/** The year `today` falls in. */
export function yearOf(today: string): number {
  const m = YMD.exec(today);
  if (!m) throw new Error(`not a date: ${today}`);
  return Number(m[1]);
}

interface DatedProgram extends ProgramDates {
  closed_at?: string | null;
}

/** Whether a program is in force on `today`: not closed, and taking applications or its vouchers valid. */
export function isInForce(p: DatedProgram, today: string | null | undefined): boolean {
  const phase = programPhase(p, today);
  return !p.closed_at && (phase === 'open' || phase === 'active');
}

/** The latest-starting of `programs` (by apply_from; the first listed on a tie); undefined for none. */
function latestStarted<P extends DatedProgram>(programs: P[]): P | undefined {
  return programs.reduce<P | undefined>((best, p) => (!best || p.apply_from > best.apply_from ? p : best), undefined);
}

/**
 * The program a page opens on: the one in force on the platform's `today` (the latest-starting if
 * several are), else the most recent one (the latest started by today, else the latest of all).
 * Undefined without a today or without programs.
 */
export function programOfToday<P extends DatedProgram>(programs: P[], today: string | null | undefined): P | undefined {
  if (!isYmd(today) || programs.length === 0) return undefined;
  const inForce = programs.filter((p) => isInForce(p, today));
  if (inForce.length) return latestStarted(inForce);
  return latestStarted(programs.filter((p) => p.apply_from <= today)) ?? latestStarted(programs);
}
