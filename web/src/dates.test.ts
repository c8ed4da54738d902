import { describe, expect, it } from 'vitest';
import {
  daysUntil,
  expiresWithin,
  isAfterToday,
  isApplyOpen,
  isYmd,
  noticeBlocksIssue,
  noticeState,
  previousMonth,
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
