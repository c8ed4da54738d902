// The console's menu badges: what GET /me/todos says waits for the signed-in user, counted on the
// menu entry of the page that lists that work.
import type { Todo } from './api/types';

/** Each to-do key and the console page that lists its work. */
export const TODO_ROUTES: Record<string, string> = {
  applications_to_review: '/review/applications',
  registrations_to_review: '/review/registrations',
  notices_due: '/admin/notices',
  objections_open: '/admin/notices',
  held_payments: '/admin/held-payments',
  change_requests: '/admin/change-requests',
  registrations_returned: '/ent/registrations',
  vouchers_expiring: '/ent/vouchers',
};

/** The refresh on a change of page waits this long after the previous fetch. */
export const TODO_REFRESH_MS = 60_000;

/** The badge counts by page path: keys of the same page add up; unknown keys and zeros are left out. */
export function todoCounts(todos: readonly Todo[] | null | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const x of todos ?? []) {
    const path = Object.hasOwn(TODO_ROUTES, x.key) ? TODO_ROUTES[x.key] : undefined;
    const n = Number(x.count);
    if (!path || !Number.isFinite(n) || n <= 0) continue;
    out.set(path, (out.get(path) ?? 0) + n);
  }
  return out;
}
