import { describe, expect, it } from 'vitest';
import { acceptanceEffectKey, nextLevel, previousAmount } from './chain';

const chain = [
  { name: '市级初审', scope: 'city' as const },
  { name: '省级复核', scope: 'province' as const },
];
const rev = (level: number, amount_fen: number | null, decision = 'approve') => ({ level, level_name: '', decision, amount_fen, reviewer_name: 'x', decided_at: '' });

describe('review chain helpers', () => {
  it('next level', () => {
    expect(nextLevel({ review_chain: [], review_level: 0 })).toBeNull();
    expect(nextLevel({ review_chain: chain, review_level: 0 })).toBe(1);
    expect(nextLevel({ review_chain: chain, review_level: 1 })).toBe(2);
    expect(nextLevel({ review_chain: chain, review_level: 2 })).toBeNull();
  });
  it('previous amount', () => {
    expect(previousAmount({ reviews: [], review_level: 0 })).toBeNull();
    expect(previousAmount({ reviews: [rev(1, 50000)], review_level: 1 })).toBe(50000);
    expect(previousAmount({ reviews: [rev(1, 50000), rev(2, 40000)], review_level: 2 })).toBe(40000);
  });
  it('acceptance effect key', () => {
    expect(acceptanceEffectKey('excellent')).toBe('acc.effect.excellent');
    expect(acceptanceEffectKey('fail')).toBe('acc.effect.fail');
  });
});
