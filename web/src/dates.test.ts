import { describe, expect, it } from 'vitest';
import {
  daysUntil,
  expiresWithin,
  isAfterToday,
  isApplyOpen,
  isInForce,
  isYmd,
  noticeBlocksIssue,
  noticeState,
  previousMonth,
  programOfToday,
  programPhase,
  yearOf,
} from './dates';

// The demo's platform date; the browser's clock (whatever it says while this runs) plays no part.
const TODAY = '2026-11-23';

describe('date helpers against an explicit today', () => {
  it('counts calendar days, across months, years and leap days', () => {
    expect(daysUntil('2026-11-28', TODAY)).toBe(5);
    expect(daysUntil(TODAY, TODAY)).toBe(0);
    expect(daysUntil('2026-11-22', TODAY)).toBe(-1);
    expect(daysUntil('2026-01-10', '2026-01-01')).toBe(9);
    expect(daysUntil('2025-12-31', '2026-01-01')).toBe(-1);
    expect(daysUntil('2028-03-01', '2028-02-28')).toBe(2);
    expect(daysUntil('2026-03-30', '2026-03-28')).toBe(2); // a DST change in many zones: still whole days
  });
  it('knows nothing without a today or a date', () => {
    expect(daysUntil('2026-11-28', null)).toBeNull();
    expect(daysUntil(null, TODAY)).toBeNull();
    expect(daysUntil('2026-02-30', TODAY)).toBeNull();
    expect(daysUntil('2026-11-28T00:00:00Z', TODAY)).toBeNull();
    expect(isYmd('2026-11-23')).toBe(true);
    expect(isYmd('2026-13-01')).toBe(false);
  });
  it('runs a notice through its last day', () => {
    expect(noticeState('2026-11-28', TODAY)).toEqual({ kind: 'running', daysLeft: 5 });
    expect(noticeState(TODAY, TODAY)).toEqual({ kind: 'running', daysLeft: 0 });
    expect(noticeState('2026-11-22', TODAY)).toEqual({ kind: 'ended' });
    expect(noticeState('2026-11-28', null)).toBeNull();
    // The same notice seen on the real date of the demo run (2026-12-02) has ended: today decides.
    expect(noticeState('2026-11-28', '2026-12-02')).toEqual({ kind: 'ended' });
  });
  it('lets the voucher be issued from the notice’s last day on, as the server does', () => {
    expect(noticeBlocksIssue('2026-11-28', TODAY)).toBe(true);
    expect(noticeBlocksIssue(TODAY, TODAY)).toBe(false);
    expect(noticeBlocksIssue('2026-11-01', TODAY)).toBe(false);
    expect(noticeBlocksIssue(null, TODAY)).toBe(false);
  });
  it('gives a program its phase', () => {
    const p = { apply_from: '2026-03-01', apply_until: '2026-11-30', valid_until: '2027-06-30' };
    expect(programPhase(p, '2026-02-28')).toBe('upcoming');
    expect(programPhase(p, '2026-03-01')).toBe('open');
    expect(programPhase(p, TODAY)).toBe('open');
    expect(programPhase(p, '2026-11-30')).toBe('open');
    expect(programPhase(p, '2026-12-01')).toBe('active');
    expect(programPhase(p, '2027-06-30')).toBe('active');
    expect(programPhase(p, '2027-07-01')).toBe('closed');
    expect(programPhase(p, null)).toBeNull();
  });
  it('takes applications inside the window, both ends included', () => {
    const p = { apply_from: '2026-01-01', apply_until: TODAY };
    expect(isApplyOpen(p, TODAY)).toBe(true);
    expect(isApplyOpen(p, '2026-01-01')).toBe(true);
    expect(isApplyOpen(p, '2026-11-24')).toBe(false);
    expect(isApplyOpen(p, '2025-12-31')).toBe(false);
    expect(isApplyOpen(p, null)).toBe(false);
  });
  it('says when a voucher expires soon', () => {
    expect(expiresWithin('2026-12-31', TODAY)).toBe(38);
    expect(expiresWithin(TODAY, TODAY)).toBe(0);
    expect(expiresWithin('2027-06-30', TODAY)).toBeNull();
    expect(expiresWithin('2026-11-01', TODAY)).toBeNull();
    expect(expiresWithin('2026-12-31', TODAY, 30)).toBeNull();
  });
  it('bounds form dates by today', () => {
    expect(isAfterToday('2026-11-24', TODAY)).toBe(true);
    expect(isAfterToday(TODAY, TODAY)).toBe(false);
    expect(isAfterToday('2026-12-02', null)).toBe(false);
    expect(previousMonth(TODAY)).toBe('2026-10');
    expect(previousMonth('2026-01-15')).toBe('2025-12');
    expect(yearOf(TODAY)).toBe(2026);
  });
});

describe('the program a page opens on', () => {
  const prog = (id: string, apply_from: string, apply_until: string, valid_until: string, closed_at: string | null = null) => ({ id, apply_from, apply_until, valid_until, closed_at });
  const closed2025 = prog('2025', '2025-01-02', '2025-06-30', '2025-12-31', '2026-01-10T00:00:00Z');
  const compute2026 = prog('2026', '2026-01-05', '2026-12-15', '2026-12-31');
  const pilot2026 = prog('pilot', '2026-08-01', '2026-10-31', '2026-12-31');
  const next2027 = prog('2027', '2027-01-05', '2027-06-30', '2027-12-31');

  it('opens on the program in force on the platform\'s today, not the last listed', () => {
    expect(programOfToday([compute2026, closed2025], TODAY)?.id).toBe('2026');
    // Several in force: the latest started.
    expect(programOfToday([compute2026, pilot2026, closed2025, next2027], TODAY)?.id).toBe('pilot');
  });

  it('falls back to the most recent one when none is in force', () => {
    expect(programOfToday([closed2025, next2027], TODAY)?.id).toBe('2025');
    expect(programOfToday([next2027], TODAY)?.id).toBe('2027');
    // Closed early: not in force even within its dates.
    const early = prog('early', '2026-01-05', '2026-12-15', '2026-12-31', '2026-06-01T00:00:00Z');
    expect(isInForce(early, TODAY)).toBe(false);
    expect(programOfToday([early, pilot2026], TODAY)?.id).toBe('pilot');
  });

  it('waits for the server\'s today', () => {
    expect(programOfToday([compute2026], null)).toBeUndefined();
    expect(programOfToday([], TODAY)).toBeUndefined();
  });
});
