// The platform's "today", read from GET /public/clock once at start and again every few minutes
// (and when the tab comes back into view). Every date-dependent state in the UI is decided against
// it through the helpers of dates.ts, never against the browser's clock: a demo or test server runs
// at another date, and a browser's clock may simply be wrong. Until the first answer arrives
// `useToday()` is null and the pages show dates without a state.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from './api/client';
import type { components } from './api/schema';

export type ClockView = components['schemas']['ClockView'];

export interface ServerClock {
  /** The platform's today, YYYY-MM-DD; null until the server has answered. */
  today: string | null;
  /** The platform's time when it last answered (RFC 3339); null until then. */
  now: string | null;
  /** Ask the server again now. */
  refresh: () => void;
}

/** How often the clock is read again; after a failed read, sooner. */
export const CLOCK_REFRESH_MS = 5 * 60_000;
const CLOCK_RETRY_MS = 30_000;

// The last answer, for code outside React (the date pickers' notion of "today").
let latest: ClockView | null = null;
/** The platform's today as last read, or null before the first answer. */
export function serverToday(): string | null {
  return latest?.today ?? null;
}

const Ctx = createContext<ServerClock>({ today: null, now: null, refresh: () => {} });

export function ClockProvider({ children, refreshMs = CLOCK_REFRESH_MS }: { children: ReactNode; refreshMs?: number }) {
  const [clock, setClock] = useState<ClockView | null>(latest);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<AbortController | null>(null);

  const read = useCallback(() => {
    clearTimeout(timer.current);
    inFlight.current?.abort();
    const ac = new AbortController();
    inFlight.current = ac;
    api
      .get<ClockView>('/public/clock', undefined, ac.signal)
      .then((c) => {
        if (ac.signal.aborted || !c || typeof c.today !== 'string') return;
        latest = c;
        setClock(c);
        timer.current = setTimeout(read, refreshMs);
      })
      .catch(() => {
        if (!ac.signal.aborted) timer.current = setTimeout(read, Math.min(refreshMs, CLOCK_RETRY_MS));
      });
  }, [refreshMs]);

  useEffect(() => {
    read();
    const onVisible = () => {
      if (document.visibilityState === 'visible') read();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(timer.current);
      inFlight.current?.abort();
    };
  }, [read]);

  const value = useMemo<ServerClock>(() => ({ today: clock?.today ?? null, now: clock?.now ?? null, refresh: read }), [clock, read]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useClock(): ServerClock {
  return useContext(Ctx);
}

/** The platform's today (YYYY-MM-DD), or null until the server has answered. */
export function useToday(): string | null {
  return useContext(Ctx).today;
}
