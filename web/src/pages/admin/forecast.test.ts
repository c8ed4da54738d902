import { describe, expect, it } from 'vitest';
import { daysBetween, projectRemaining, type RunOutForecast } from './forecast';

const base: RunOutForecast = {
  basis: 'committed',
  remaining_fen: 100_000_00, // 100,000 yuan
  window_from: '2026-01-01',
  window_to: '2026-03-25',
  window_fen: 0,
  fen_per_day: 1_000_00,
  weekly_fen: [],
  ends_on: '2026-12-31',
  verdict: 'runs_out_before_end',
  method: 'm',
  run_out_on: '2026-07-10',
  earliest_on: '2026-06-01',
  latest_on: '2026-09-18',
  left_at_end_fen: null,
};

describe('projectRemaining', () => {
  it('goes from the money left today to 0 on the run-out day, in yuan', () => {
    const p = projectRemaining(base, '2026-04-01');
    expect(p.days[0]).toBe('2026-04-01');
    expect(p.central[0]).toBe(100_000);
    const i = p.days.indexOf('2026-07-10');
    expect(i).toBeGreaterThan(0);
    expect(p.central[i]).toBe(0);
    expect(p.central.slice(i + 1).every((v) => v === null)).toBe(true);
    expect(p.days[p.days.length - 1]).toBe('2026-12-31');
  });

  it('keeps the band between the fast and the slow pace', () => {
    const p = projectRemaining(base, '2026-04-01');
    const j = p.days.indexOf('2026-06-01');
    expect(p.low[j]).toBe(0);
    expect(p.high[j]).toBeGreaterThan(0);
    p.days.forEach((_, k) => expect(p.high[k]).toBeGreaterThanOrEqual(p.low[k]));
    expect(p.high[p.days.indexOf('2026-09-18')]).toBe(0);
  });

  it('stays flat without a pace and lasts to the end', () => {
    const p = projectRemaining({ ...base, fen_per_day: 0, run_out_on: null, earliest_on: null, latest_on: null, verdict: 'no_recent_activity' }, '2026-04-01');
    expect(new Set(p.central)).toEqual(new Set([100_000]));
    expect(new Set(p.high)).toEqual(new Set([100_000]));
  });

  it('is 0 throughout when the money is gone', () => {
    const p = projectRemaining({ ...base, remaining_fen: 0, verdict: 'exhausted', run_out_on: null }, '2026-04-01');
    expect(p.central[0]).toBe(0);
    expect(p.low.every((v) => v === 0)).toBe(true);
  });

  it('draws at least a month ahead when the period is over', () => {
    const p = projectRemaining({ ...base, ends_on: '2026-03-31', run_out_on: null, earliest_on: null, latest_on: null, verdict: 'ended' }, '2026-04-01');
    expect(p.days[p.days.length - 1]).toBe('2026-05-01');
  });

  it('samples at most the asked number of steps, plus the key days', () => {
    const p = projectRemaining(base, '2026-04-01', 10);
    expect(p.days.length).toBeLessThanOrEqual(15);
    expect(daysBetween('2026-04-01', '2026-04-11')).toBe(10);
  });
});
