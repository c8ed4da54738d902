import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { loadLang, translate } from '../i18n';
import { zh } from '../i18n/zh';
import { hasHold, parseHoldReason, readHold } from './holdReason';

// English is loaded on demand (i18n/index.tsx); these tests read it.
beforeAll(() => loadLang('en'));

// As the server writes it (quan-domain plans/redemption.rs split_hold, ops/redemptions.rs release).
const HELD = 'split purchase suspected: with 4 earlier invoices of 3996.00 yuan to the same supplier within 1 days, the total reaches the threshold of 4000.00 yuan';

const SPLIT_HOLD = { code: 'split_purchase', earlier_count: 4, earlier_fen: 399600, window_days: 1, threshold_fen: 400000 } as const;

describe('hold reason as data', () => {
  it('reads the figures of a split-purchase hold from its code, not from the sentence', () => {
    expect(readHold({ hold: SPLIT_HOLD, hold_reason: 'some other sentence', release_note: null })).toEqual({
      hold: { kind: 'split', earlierCount: 4, earlierFen: 399600, windowDays: 1, thresholdFen: 400000 },
      releasedNote: null,
    });
  });

  it('takes the release note from release_note', () => {
    expect(readHold({ hold: SPLIT_HOLD, hold_reason: HELD, release_note: '经核查为正常分批采购' })?.releasedNote).toBe('经核查为正常分批采购');
    expect(readHold({ hold: SPLIT_HOLD, hold_reason: HELD, release_note: '  ' })?.releasedNote).toBeNull();
  });

  it('keeps an unknown code apart, with the server sentence for English', () => {
    const hold = { ...SPLIT_HOLD, code: 'brand_new_rule' } as unknown as typeof SPLIT_HOLD;
    expect(readHold({ hold, hold_reason: 'held by a new rule', release_note: null })).toEqual({
      hold: { kind: 'other', text: 'held by a new rule', code: 'brand_new_rule' },
      releasedNote: null,
    });
    expect(zh['hold.unknown']).not.toMatch(/[A-Za-z]/);
  });

  it('falls back to the sentence only when hold is null (old rows)', () => {
    expect(readHold({ hold: null, hold_reason: `${HELD} — released: ok`, release_note: null })).toEqual({
      hold: { kind: 'split', earlierCount: 4, earlierFen: 399600, windowDays: 1, thresholdFen: 400000 },
      releasedNote: 'ok',
    });
    // An old row released since: the note kept apart wins over none in the sentence.
    expect(readHold({ hold: null, hold_reason: HELD, release_note: '已核查' })?.releasedNote).toBe('已核查');
    expect(readHold({ hold: null, hold_reason: null, release_note: null })).toBeNull();
    expect(readHold({ hold: null, hold_reason: null, release_note: '已核查' })).toEqual({ hold: null, releasedNote: '已核查' });
  });

  it('says whether there is anything to show', () => {
    expect(hasHold({ hold: SPLIT_HOLD, hold_reason: null, release_note: null })).toBe(true);
    expect(hasHold({ hold: null, hold_reason: HELD, release_note: null })).toBe(true);
    expect(hasHold({ hold: null, hold_reason: ' ', release_note: null })).toBe(false);
  });
});

describe('hold reason of old rows (the sentence)', () => {
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
