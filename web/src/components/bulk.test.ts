import { describe, expect, it } from 'vitest';
import { bulkCounts, bulkTotal, nextRowKey, runBulk } from './bulk';

describe('bulk actions', () => {
  it('runs each row in turn and keeps each outcome', async () => {
    const seen: string[] = [];
    const progress: number[] = [];
    const out = await runBulk(
      ['a', 'b', 'c'],
      (r) => r,
      async (r) => {
        seen.push(r);
        if (r === 'b') throw new Error('refused');
      },
      (o) => progress.push(o.length),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(progress).toEqual([1, 2, 3]);
    expect(out.map((o) => [o.key, o.ok])).toEqual([['a', true], ['b', false], ['c', true]]);
    expect((out[1].error as Error).message).toBe('refused');
    expect(bulkCounts(out)).toEqual({ ok: 2, refused: 1 });
  });

  it('sums the amounts', () => {
    expect(bulkTotal([{ f: 100 }, { f: null }, { f: 250 }], (r) => r.f)).toBe(350);
    expect(bulkTotal([], () => 1)).toBe(0);
  });

  it('finds the next row of the page', () => {
    const keys = ['a', 'b', 'c'];
    expect(nextRowKey(keys, 'a')).toBe('b');
    expect(nextRowKey(keys, 'c')).toBeNull();
    expect(nextRowKey(keys, null)).toBe('a');
    // "b" was decided and left the queue: the one now where it stood.
    expect(nextRowKey(['a', 'c'], 'b', 1)).toBe('c');
    expect(nextRowKey(['a'], 'b', 1)).toBeNull();
    expect(nextRowKey([], 'b', 0)).toBeNull();
  });
});
