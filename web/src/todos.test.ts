import { describe, expect, it } from 'vitest';
import { PAGES } from './routes';
import { TODO_ROUTES, todoCounts } from './todos';

describe('todoCounts', () => {
  it('maps each key to its page and adds up keys of the same page', () => {
    const m = todoCounts([
      { key: 'applications_to_review', count: 11 },
      { key: 'notices_due', count: 2 },
      { key: 'objections_open', count: 3 },
      { key: 'vouchers_expiring', count: 1 },
    ]);
    expect(m.get('/review/applications')).toBe(11);
    expect(m.get('/admin/notices')).toBe(5);
    expect(m.get('/ent/vouchers')).toBe(1);
    expect(m.size).toBe(3);
  });

  it('leaves out zeros, unknown keys and an empty answer', () => {
    expect(todoCounts([{ key: 'held_payments', count: 0 }, { key: 'something_new', count: 4 }, { key: 'toString', count: 1 }]).size).toBe(0);
    expect(todoCounts(undefined).size).toBe(0);
  });

  it('points every key at a console page in the menu', () => {
    for (const path of Object.values(TODO_ROUTES)) expect(PAGES.some((p) => p.path === path && !p.hidden)).toBe(true);
  });
});
