import { describe, expect, it, vi } from 'vitest';
import { withAllowedSorters } from '../components/ServerTable';
import { refusedSortKeys, SORT_KEYS, sortKeysFor } from './sortKeys';
import spec from './openapi.json';

describe('sort keys', () => {
  it('knows a list path, with or without an id in it', () => {
    expect(sortKeysFor('/audit')).toEqual(['seq', 'at', 'action']);
    expect(sortKeysFor('/programs/prg_1/eligible-products')).toContain('price_per_unit_fen');
    expect(sortKeysFor('/funding-sources/fs_1/top-ups')).toEqual(['created_at', 'amount_fen']);
    expect(sortKeysFor('/funding-sources/fs_1/top-ups?page=2')).toEqual(['created_at', 'amount_fen']);
    expect(sortKeysFor('/funding-sources/fs_1')).toBeUndefined();
    expect(sortKeysFor('/selection-rounds/sel_1/entries')).toEqual(['rank', 'entered_at', 'product_name', 'supplier_name']);
    expect(sortKeysFor('/selection-rounds')).toContain('call_until');
    expect(sortKeysFor('/nothing-here')).toBeUndefined();
  });

  it('covers every list endpoint of the document that takes sort=', () => {
    const withSort = Object.entries(spec.paths as Record<string, Record<string, { parameters?: { name: string }[] }>>)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'sort'))
      .map(([path]) => path.replace(/^\/api\/v1/, ''));
    expect(withSort.length).toBeGreaterThan(10);
    for (const p of withSort) expect(SORT_KEYS, p).toHaveProperty([p]);
  });

  it('names the keys the server would refuse', () => {
    expect(refusedSortKeys('/audit', ['seq', 'hash'])).toEqual(['hash']);
    expect(refusedSortKeys('/vouchers', ['id', 'balance_fen', 'valid_until'])).toEqual([]);
    expect(refusedSortKeys('/unknown', ['x'])).toEqual([]);
    expect(refusedSortKeys('/funding-sources/fs_1/top-ups', ['amount_fen', 'document'])).toEqual(['document']);
  });

  it('drops a column sorter the endpoint would refuse and keeps the others', () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const cols = withAllowedSorters<{ seq: number; hash: string }>('/audit', [
      { title: 'seq', dataIndex: 'seq', key: 'seq', sorter: true },
      { title: 'hash', dataIndex: 'hash', sorter: true },
    ]);
    expect(cols[0].sorter).toBe(true);
    expect(cols[1].sorter).toBe(false);
    expect(err).toHaveBeenCalledTimes(1);
    err.mockRestore();
  });
});
