import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zh } from '../../i18n/zh';
import { ACCEPTANCE_RATINGS, acceptanceBody, acceptanceConfirmKey, acceptanceDue, acceptanceOutcome } from './acceptance';

describe('acceptance check', () => {
  it('is due on an active voucher with a held milestone and no check yet', () => {
    expect(acceptanceDue({ held_fen: 75000000, acceptance: null, status: 'active' })).toBe(true);
    expect(acceptanceDue({ held_fen: 75000000, acceptance: undefined, status: 'active' })).toBe(true);
    expect(acceptanceDue({ held_fen: 0, acceptance: null, status: 'active' })).toBe(false);
    expect(acceptanceDue({ held_fen: 75000000, acceptance: 'pass', status: 'active' })).toBe(false);
    expect(acceptanceDue({ held_fen: 75000000, acceptance: null, status: 'expired' })).toBe(false);
    expect(acceptanceDue({ held_fen: 75000000, acceptance: null, status: 'cancelled' })).toBe(false);
  });

  it('sends the texts trimmed', () => {
    expect(acceptanceBody({ rating: 'pass', panel: ' 省数据局验收专家组 ', checked_on: '2026-11-20', report_ref: ' YS-2026-001 ' })).toEqual({
      rating: 'pass', panel: '省数据局验收专家组', checked_on: '2026-11-20', report_ref: 'YS-2026-001',
    });
    expect(acceptanceBody({ rating: 'fail', panel: null, checked_on: '2026-11-20', report_ref: undefined })).toEqual({ rating: 'fail', panel: '', checked_on: '2026-11-20', report_ref: '' });
  });

  it("states each rating's effect in both languages, the failure's clawback and cancellation in words", () => {
    for (const r of ACCEPTANCE_RATINGS) {
      const k = acceptanceConfirmKey(r);
      expect(zh[k], k).toBeTruthy();
      expect(en[k], k).toBeTruthy();
    }
    expect(zh[acceptanceConfirmKey('fail')]).toMatch(/追回/);
    expect(zh[acceptanceConfirmKey('fail')]).toMatch(/作废/);
    expect(en[acceptanceConfirmKey('fail')]).toMatch(/clawed back/);
    expect(en[acceptanceConfirmKey('fail')]).toMatch(/cancelled/);
    expect(zh[acceptanceConfirmKey('excellent')]).toContain('{held}');
  });

  it('previews the voucher after the check', () => {
    const v = { face_value_fen: 75000000, balance_fen: 20000000, held_fen: 75000000 };
    expect(acceptanceOutcome(v, 'excellent')).toEqual({ faceAfterFen: 150000000, balanceAfterFen: 95000000, status: 'active' });
    expect(acceptanceOutcome(v, 'pass')).toEqual({ faceAfterFen: 75000000, balanceAfterFen: 20000000, status: 'active' });
    expect(acceptanceOutcome(v, 'fail')).toEqual({ faceAfterFen: 75000000, balanceAfterFen: 0, status: 'cancelled' });
  });
});
