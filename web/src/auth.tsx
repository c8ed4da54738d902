// Session: token in localStorage, the current user from POST /auth/login or GET /me.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from './api/client';
import { isRole, type LoginResponse, type User } from './api/types';

const USER_KEY = 'quan.user';

interface Auth {
  user: User | null;
  /** false until a stored token has been checked against GET /me */
  ready: boolean;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
  /** Set when the server answered 401 to a signed-in user. */
  expired: boolean;
}

const Ctx = createContext<Auth | null>(null);

function storedUser(): User | null {
  try {
    const s = localStorage.getItem(USER_KEY);
    return s && api.store.get() ? (JSON.parse(s) as User) : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(storedUser);
  const [ready, setReady] = useState(() => !api.store.get());
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    api.onUnauthorized = () => {
      localStorage.removeItem(USER_KEY);
      setUser((u) => {
        if (u) setExpired(true);
        return null;
      });
    };
    return () => {
      api.onUnauthorized = undefined;
    };
  }, []);

  useEffect(() => {
    if (!api.store.get()) return;
    api
      .get<User>('/me')
      .then((u) => {
        setUser(u);
        localStorage.setItem(USER_KEY, JSON.stringify(u));
      })
      .catch(() => {
        /* 401 handled by onUnauthorized; network errors keep the cached user */
      })
      .finally(() => setReady(true));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await api.post<LoginResponse>('/auth/login', { username, password });
    api.store.set(r.token);
    let u = r.user;
    if (!u) u = await api.get<User>('/me');
    localStorage.setItem(USER_KEY, JSON.stringify(u));
    setExpired(false);
    setUser(u);
    setReady(true);
    return u;
  }, []);

  const logout = useCallback(async () => {
    try {
      if (api.store.get()) await api.post('/auth/logout');
    } catch {
      /* the token is dropped locally either way */
    }
    api.store.clear();
    localStorage.removeItem(USER_KEY);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, ready, login, logout, expired }), [user, ready, login, logout, expired]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

export function homeFor(role: string): string {
  if (!isRole(role)) return '/';
  switch (role) {
    case 'admin': return '/admin/programs';
    case 'reviewer': return '/review/applications';
    case 'enterprise': return '/ent/vouchers';
    case 'supplier': return '/sup/products';
    case 'auditor': return '/audit';
  }
}
