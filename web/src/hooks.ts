import { useCallback, useEffect, useRef, useState } from 'react';
import { api, fetchAll } from './api/client';
import type { City, Id, User } from './api/types';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Run an async loader on mount and whenever deps change; stale answers are dropped. */
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    fnRef
      .current(ac.signal)
      .then((d) => {
        if (!ac.signal.aborted) setData(d);
      })
      .catch((e) => {
        if (!ac.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!ac.signal.aborted) setLoading(false);
      });
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}

// Small shared caches for reference data used to label ids.
const cache = new Map<string, Promise<unknown>>();
function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load().catch((e) => {
      cache.delete(key);
      throw e;
    });
    cache.set(key, p);
  }
  return p;
}
export function invalidate(key: 'programs' | 'funding' | 'cities' | 'users') {
  if (key === 'users') {
    // The user list is cached per role (useUsers).
    for (const k of [...cache.keys()]) if (k.startsWith('users:')) cache.delete(k);
    return;
  }
  cache.delete(key);
}

export function useCities() {
  const s = useAsync(() => cached('cities', () => api.get<City[] | { items: City[] }>('/public/cities')).then(normalizeArray<City>), []);
  return { ...s, cities: s.data ?? [] };
}

/** A city's name in the page's language, by its code (the code itself while the cities load). */
export function useCityName(lang: 'zh' | 'en') {
  const { cities } = useCities();
  return (code: string | null | undefined) => {
    if (!code) return '—';
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : code;
  };
}

export function usePrograms(reloadKey = 0) {
  const s = useAsync(() => cached('programs', () => fetchAll(api, '/programs')), [reloadKey]);
  return { ...s, programs: s.data ?? [] };
}

export function useFundingSources(reloadKey = 0) {
  const s = useAsync(() => cached('funding', () => fetchAll(api, '/funding-sources')), [reloadKey]);
  return { ...s, sources: s.data ?? [] };
}

/** Roles the server lets read GET /users (the others get 403, so it is not asked). */
const USER_READERS = new Set(['admin', 'auditor']);

/**
 * The platform's users by id, to name the one who did something (listed, decided, topped up).
 * Only administrators and auditors may read the users; for the other roles this stays empty and
 * `UserName` shows the id. Cached per role, so a later login under another role does not see it.
 */
export function useUsers(role: string | undefined) {
  const readable = !!role && USER_READERS.has(role);
  const s = useAsync(() => (readable ? cached(`users:${role}`, () => fetchAll(api, '/users')) : Promise.resolve([] as User[])), [readable, role]);
  return { ...s, users: s.data ?? [] };
}

export function normalizeArray<T>(r: T[] | { items: T[] } | null | undefined): T[] {
  if (Array.isArray(r)) return r;
  return r?.items ?? [];
}

export function byId<T extends { id: Id }>(items: T[]): Map<string, T> {
  return new Map(items.map((x) => [String(x.id), x]));
}
