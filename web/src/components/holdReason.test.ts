import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { translate } from '../i18n';
import { zh } from '../i18n/zh';
import { parseHoldReason } from './holdReason';

// As the server writes it (quan-domain plans/redemption.rs split_hold, ops/redemptions.rs release).
const HELD = 'split purchase suspected: with 4 earlier invoices of 3996.00 yuan to the same supplier within 1 days, the total reaches the threshold of 4000.00 yuan';

describe('hold reason', () => {
  it('reads the figures of a split-purchase hold', () => {
    expect(parseHoldReason(HELD)).toEqual({
      hold: { kind: 'split', earlierCount: 4, earlierFen: 399600, windowDays: 1, thresholdFen: 400000 },
      releasedNote: null,
    });
  });

  it('reads the release note appended on release', () => {
    const r = parseHoldReason(`${HELD} — released: 经核查为正常分批采购`);
    expect(r?.hold?.kind).toBe('split');
    expect(r?.releasedNote).toBe('经核查为正常分批采购');
    // A redemption released without a hold reason of its own.
    expect(parseHoldReason(' — released: ok')).toEqual({ hold: null, releasedNote: 'ok' });
  });

  it('keeps a text it cannot read as it is, and nothing for no text', () => {
    expect(parseHoldReason('held for some other reason')).toEqual({ hold: { kind: 'other', text: 'held for some other reason' }, releasedNote: null });
    expect(parseHoldReason(null)).toBeNull();
    expect(parseHoldReason('  ')).toBeNull();
  });

  it('says it in Chinese with no English left', () => {
    const vars = { days: 1, n: 4, earlier: '¥3,996.00', threshold: '¥4,000.00' };
    for (const key of ['hold.split', 'hold.splitShort'] as const) {
      const s = translate('zh', key, vars);
      expect(s).toContain('¥4,000.00');
      expect(s).not.toMatch(/[A-Za-z{}]/);
      expect(translate('en', key, vars)).toMatch(/Suspected split purchase.*4 .*¥3,996\.00.*¥4,000\.00/);
    }
    expect(zh['hold.generic']).not.toMatch(/[A-Za-z]/);
    expect(en['hold.released']).toContain('{note}');
  });
});
