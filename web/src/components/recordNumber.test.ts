import { describe, expect, it } from 'vitest';
import { searchTerm, shortId } from './recordNumber';

describe('shortId', () => {
  it('keeps the first 8 characters of a long id', () => {
    expect(shortId('app_98ce16abdbdb4e27882697534fc9cbc2')).toBe('app_98ce…');
  });
  it('leaves a short id alone', () => {
    expect(shortId('12345678')).toBe('12345678');
    expect(shortId(42)).toBe('42');
  });
  it('is empty for no id', () => {
    expect(shortId(null)).toBe('');
    expect(shortId(undefined)).toBe('');
  });
});

describe('searchTerm', () => {
  it('trims, and sends nothing for a blank box', () => {
    expect(searchTerm('  SD-AP-2026 ')).toBe('SD-AP-2026');
    expect(searchTerm('   ')).toBeUndefined();
    expect(searchTerm(undefined)).toBeUndefined();
  });
});
