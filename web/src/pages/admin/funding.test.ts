import { describe, expect, it } from 'vitest';
import { topUpBody, topUpPreview } from './funding';

describe('funding top-up', () => {
  it('adds the whole amount to what is appropriated and what is available', () => {
    expect(topUpPreview({ appropriated_fen: 500000000, available_fen: 120000000 }, 3000000)).toEqual({
      appropriatedBefore: 500000000,
      appropriatedAfter: 503000000,
      availableBefore: 120000000,
      availableAfter: 123000000,
    });
  });

  it('sends the amount in fen, parsed exactly from yuan, and the document trimmed', () => {
    expect(topUpBody('30000.10', ' 鲁财教指〔2026〕31号 ')).toEqual({ amount_fen: 3000010, document: '鲁财教指〔2026〕31号' });
    expect(topUpBody('1,000', 'x')).toEqual({ amount_fen: 100000, document: 'x' });
    expect(topUpBody('0', 'x')).toBeNull();
    expect(topUpBody('1.005', 'x')).toBeNull();
    expect(topUpBody('-5', 'x')).toBeNull();
  });
});
