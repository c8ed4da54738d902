import { describe, expect, it } from 'vitest';
import { acceptanceEffectKey, chainSteps, nextLevel, previousAmount, rejectionOf, showsChain } from './chain';

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

describe('the chain as the enterprise and the reviewer see it', () => {
  const three = [...chain, { name: '财政审批', scope: 'province' as const }];
  const base = { status: 'submitted' as const, review_chain: three, review_level: 0, reviews: [], reason: null };

  it('shows a chain of more than one level', () => {
    expect(showsChain({ review_chain: three })).toBe(true);
    expect(showsChain({ review_chain: [chain[0]] })).toBe(false);
    expect(showsChain({ review_chain: [] })).toBe(false);
  });

  it('marks the levels passed, the one deciding and those not reached', () => {
    expect(chainSteps(base).map((s) => s.state)).toEqual(['current', 'waiting', 'waiting']);
    const midway = { ...base, review_level: 1, reviews: [rev(1, 50000)] };
    const steps = chainSteps(midway);
    expect(steps.map((s) => s.state)).toEqual(['approved', 'current', 'waiting']);
    expect(steps[0].decision?.amount_fen).toBe(50000);
    expect(steps.map((s) => s.name)).toEqual(['市级初审', '省级复核', '财政审批']);
    // The list does not carry the decisions: the levels passed still read as approved.
    expect(chainSteps({ ...base, review_level: 2 }).map((s) => s.state)).toEqual(['approved', 'approved', 'current']);
    expect(chainSteps({ ...base, status: 'approved', review_level: 3 }).map((s) => s.state)).toEqual(['approved', 'approved', 'approved']);
    expect(chainSteps({ ...base, review_chain: [] })).toEqual([]);
  });

  it('names the level that rejected, with the reason', () => {
    const rejected = { ...base, status: 'rejected' as const, review_level: 1, reviews: [rev(1, 50000), { ...rev(2, null, 'reject'), level_name: '省级复核', reason: '材料不全' }], reason: '材料不全' };
    expect(rejectionOf(rejected)).toEqual({ level: 2, name: '省级复核', reason: '材料不全' });
    expect(chainSteps(rejected).map((s) => s.state)).toEqual(['approved', 'rejected', 'waiting']);
    // From the list (no decisions): the level after those passed.
    expect(rejectionOf({ ...rejected, reviews: [] })).toEqual({ level: 2, name: '省级复核', reason: '材料不全' });
    expect(chainSteps({ ...rejected, reviews: [] }).map((s) => s.state)).toEqual(['approved', 'rejected', 'waiting']);
    // Without a chain: the reason alone.
    expect(rejectionOf({ ...rejected, review_chain: [], review_level: 0, reviews: [] })).toEqual({ level: null, name: null, reason: '材料不全' });
    expect(rejectionOf(base)).toBeNull();
  });
});
