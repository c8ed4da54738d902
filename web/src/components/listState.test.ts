import { describe, expect, it } from 'vitest';
import { listKey, parseBoolFilter, parseFilter, parseNumberFilter, parseView, sortOrderOf, writeList } from './listState';

const P = (s: string) => new URLSearchParams(s);
const D = { pageSize: 20, filters: { status: 'submitted' } };

describe('list state in the URL', () => {
  it('names keys under a prefix', () => {
    expect(listKey(undefined, 'page')).toBe('page');
    expect(listKey('', 'page')).toBe('page');
    expect(listKey('topups', 'sort')).toBe('topups.sort');
  });

  it('reads the view, with defaults for what is missing or nonsense', () => {
    expect(parseView(P(''), undefined, D)).toEqual({ page: 1, pageSize: 20, sort: undefined });
    expect(parseView(P('page=3&page_size=50&sort=-created_at'), undefined, D)).toEqual({ page: 3, pageSize: 50, sort: '-created_at' });
    expect(parseView(P('page=0&page_size=abc&sort=a%20b'), undefined, D)).toEqual({ page: 1, pageSize: 20, sort: undefined });
    expect(parseView(P('page=-2'), undefined, D).page).toBe(1);
    expect(parseView(P('page=4&b.page=2&b.sort=amount_fen'), 'b', D)).toEqual({ page: 2, pageSize: 20, sort: 'amount_fen' });
  });

  it('reads filters: absent is the default, empty is none', () => {
    expect(parseFilter(P(''), undefined, 'status', D.filters)).toBe('submitted');
    expect(parseFilter(P('status='), undefined, 'status', D.filters)).toBeUndefined();
    expect(parseFilter(P('status=approved'), undefined, 'status', D.filters)).toBe('approved');
    expect(parseFilter(P('q=%E5%AE%A1'), undefined, 'q')).toBe('审');
    expect(parseNumberFilter(P('awaiting_level=2'), undefined, 'awaiting_level')).toBe(2);
    expect(parseNumberFilter(P('awaiting_level=x'), undefined, 'awaiting_level')).toBeUndefined();
    expect(parseNumberFilter(P('awaiting_level='), undefined, 'awaiting_level')).toBeUndefined();
    expect(parseBoolFilter(P('x=true'), undefined, 'x')).toBe(true);
    expect(parseBoolFilter(P('x=0'), undefined, 'x')).toBe(false);
    expect(parseBoolFilter(P('x=maybe'), undefined, 'x')).toBeUndefined();
  });

  it('writes filters, leaving defaults out and going back to page 1', () => {
    const base = P('page=3&sort=-amount_fen&other=keep');
    expect(writeList(base, undefined, { filters: { status: 'approved' } }, D).toString()).toBe('sort=-amount_fen&other=keep&status=approved');
    expect(writeList(P('status=approved'), undefined, { filters: { status: 'submitted' } }, D).toString()).toBe('');
    // Clearing a filter that has a default is written empty, so it survives a reload.
    expect(writeList(P(''), undefined, { filters: { status: undefined } }, D).toString()).toBe('status=');
    expect(writeList(P('q=abc&page=2'), undefined, { filters: { q: null } }, D).toString()).toBe('');
    expect(writeList(P(''), undefined, { filters: { awaiting_level: 2, flag: true } }, D).toString()).toBe('awaiting_level=2&flag=true');
    // An unchanged filter keeps the page.
    expect(writeList(P('page=2&q=a'), undefined, { filters: { q: 'a' } }, D).toString()).toBe('page=2&q=a');
  });

  it('writes the view', () => {
    expect(writeList(P(''), undefined, { page: 2, sort: 'created_at' }, D).toString()).toBe('sort=created_at&page=2');
    expect(writeList(P('page=2&sort=x'), undefined, { page: 1, sort: null }, D).toString()).toBe('');
    expect(writeList(P('page=4'), undefined, { pageSize: 50, page: 4 }, D).toString()).toBe('page_size=50');
    expect(writeList(P('page_size=50'), undefined, { pageSize: 20 }, D).toString()).toBe('');
  });

  it('keeps two lists on one route apart', () => {
    let p = writeList(P(''), 'a', { page: 2, filters: { q: 'x' } }, { pageSize: 20 });
    expect(p.toString()).toBe('a.q=x');
    p = writeList(p, 'a', { page: 2 }, { pageSize: 20 });
    p = writeList(p, 'b', { page: 5, sort: '-n' }, { pageSize: 10 });
    expect(parseView(p, 'a', { pageSize: 20 })).toEqual({ page: 2, pageSize: 20, sort: undefined });
    expect(parseView(p, 'b', { pageSize: 10 })).toEqual({ page: 5, pageSize: 10, sort: '-n' });
    expect(parseFilter(p, 'b', 'q')).toBeUndefined();
    // Round trip: what is written reads back.
    const again = P(p.toString());
    expect(parseFilter(again, 'a', 'q')).toBe('x');
  });

  it('maps the sort to a column sort order', () => {
    expect(sortOrderOf('amount_fen', 'amount_fen')).toBe('ascend');
    expect(sortOrderOf('-amount_fen', 'amount_fen')).toBe('descend');
    expect(sortOrderOf('-amount_fen', 'created_at')).toBeNull();
    expect(sortOrderOf(undefined, 'x')).toBeNull();
  });
});
