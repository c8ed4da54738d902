// Every code the server answers with has a text in both languages. server-codes.json is collected
// from the Rust source by `node scripts/server-codes.mjs --write` (`npm run check:codes` says when it
// is stale); the translation table may hold more codes than the file lists.
import { describe, expect, it } from 'vitest';
import { USAGE_REASONS } from '../api/types';
import { en } from './en';
import codes from './server-codes.json';
import { zh } from './zh';

const tables = { zh, en } as Record<string, Record<string, string>>;

function untranslated(prefix: string, list: string[]): string[] {
  const out: string[] = [];
  for (const code of list)
    for (const [lang, table] of Object.entries(tables)) if (!table[`${prefix}.${code}`]?.trim()) out.push(`${lang}: ${prefix}.${code}`);
  return out;
}

describe('server codes', () => {
  it('is a sorted list of distinct snake_case codes, per kind', () => {
    for (const list of [codes.errors, codes.usage_reasons]) {
      expect(list.length).toBeGreaterThan(0);
      expect([...new Set(list)].sort()).toEqual(list);
      for (const c of list) expect(c).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
    }
    expect(codes.errors.length).toBeGreaterThan(50);
  });

  it('has a zh and an en text for every error code the server answers with', () => {
    expect(untranslated('err', codes.errors)).toEqual([]);
  });

  it('has a zh and an en text for every usage rejection reason, and the upload page knows each', () => {
    expect(untranslated('usageReason', codes.usage_reasons)).toEqual([]);
    expect(codes.usage_reasons.filter((c) => !(USAGE_REASONS as readonly string[]).includes(c))).toEqual([]);
  });

  it('lists the codes of the rules the UI explains', () => {
    for (const c of ['insufficient_funds', 'conflict_of_interest', 'duplicate_invoice', 'notice_not_over', 'busy', 'throttled'])
      expect(codes.errors).toContain(c);
  });
});
