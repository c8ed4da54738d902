// The run-out forecast of GET /programs/{id}/forecast, drawn: money left from the platform's
// today on, at the window's pace (to the run-out day), with the interval band between the fast
// (second-highest weekly pace: the earliest day) and the slow (second-lowest: the latest day) pace.
import type { components } from '../../api/schema';

export type RunOutForecast = components['schemas']['RunOutForecast'];
export type ProgramForecast = components['schemas']['ProgramForecast'];

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
/** Whole days from `a` to `b` (YYYY-MM-DD). */
export const daysBetween = (a: string, b: string) => Math.round((ms(b) - ms(a)) / DAY);

export interface Projection {
  /** YYYY-MM-DD days, today first. */
  days: string[];
  /** Money left (yuan) on each day at the pace; null after the run-out day. */
  central: (number | null)[];
  /** The band: money left at the fast pace (the lower edge) and the slow pace (the upper). */
  low: number[];
  high: number[];
}

/**
 * Money left from `today` on, in yuan (the charts show yuan, not fen), sampled at most `steps`
 * times up to the later of the period's end and the run-out day (and the band's earliest day), at
 * least `minDays` and at most `maxDays` ahead. A forecast with nothing left, or without pace, is flat.
 */
export function projectRemaining(f: RunOutForecast, today: string, steps = 60, maxDays = 3 * 365, minDays = 30): Projection {
  const left = f.remaining_fen / 100;
  const lastCandidates = [f.ends_on, f.run_out_on, f.earliest_on].filter((d): d is string => !!d);
  // At least `minDays` ahead, so a period already over still draws a readable axis.
  let horizon = Math.max(minDays, ...lastCandidates.map((d) => daysBetween(today, d)));
  horizon = Math.min(horizon, maxDays);
  const step = Math.max(1, Math.ceil(horizon / steps));
  const offsets: number[] = [];
  for (let d = 0; d < horizon; d += step) offsets.push(d);
  offsets.push(horizon);
  // Key days on the grid exactly, so the line reaches 0 on the run-out day itself.
  for (const d of [f.run_out_on, f.earliest_on, f.latest_on, f.ends_on]) {
    if (!d) continue;
    const k = daysBetween(today, d);
    if (k > 0 && k < horizon && !offsets.includes(k)) offsets.push(k);
  }
  offsets.sort((a, b) => a - b);
  /** Left after `k` days when it runs out after `n` days (linear), `n` null: never. */
  const at = (k: number, n: number | null) => (n === null || n <= 0 ? (n === null ? left : 0) : Math.max(0, left * (1 - k / n)));
  const days = (d: string | null | undefined) => (d ? daysBetween(today, d) : null);
  const nRun = left <= 0 ? 0 : days(f.run_out_on) ?? (f.fen_per_day > 0 ? f.remaining_fen / f.fen_per_day : null);
  const nFast = left <= 0 ? 0 : days(f.earliest_on) ?? nRun;
  const nSlow = left <= 0 ? 0 : f.latest_on ? days(f.latest_on) : null;
  const round = (v: number) => Math.round(v * 100) / 100;
  const central: (number | null)[] = [];
  let ended = false;
  for (const k of offsets) {
    if (ended) central.push(null);
    else {
      const v = at(k, nRun);
      central.push(round(v));
      if (v === 0 && nRun !== null) ended = true;
    }
  }
  const low = offsets.map((k) => round(at(k, nFast)));
  const high = offsets.map((k) => round(Math.max(at(k, nSlow), at(k, nFast))));
  return { days: offsets.map((k) => iso(ms(today) + k * DAY)), central, low, high };
}

/** The verdict's colour (antd Tag): running out before the end is the warning, not an error. */
export function verdictTagColor(v: RunOutForecast['verdict']): string {
  switch (v) {
    case 'runs_out_before_end':
      return 'orange';
    case 'exhausted':
      return 'red';
    case 'lasts_to_end':
      return 'green';
    default:
      return 'default';
  }
}
