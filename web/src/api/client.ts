// Typed fetch wrapper for the Quan API (docs/API.md): bearer auth, JSON in and out, error bodies
// mapped to ApiError {status, code, field, message}, an Idempotency-Key on every POST (but /auth/*)
// and every PATCH. A form keeps one key across retries of one submission: see submission.ts.
import type { ListFilters, ListPath, ListRow } from './lists';
import type { ErrorBody, Page } from './types';

export const API_BASE = '/api/v1';
export const TOKEN_KEY = 'quan.token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  constructor(status: number, code: string, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

export const localTokenStore: TokenStore = {
  get: () => (typeof localStorage === 'undefined' ? null : localStorage.getItem(TOKEN_KEY)),
  set: (t) => localStorage.setItem(TOKEN_KEY, t),
  clear: () => {
    if (typeof localStorage !== 'undefined') localStorage.removeItem(TOKEN_KEY);
  },
};

/** A fresh key per form submission; a retry of the same submission reuses it. */
export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // Fallback for non-secure contexts (plain http on a LAN address): 128 random bits.
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The server requires a key on the money-moving POSTs (applications, review, issue, redemptions,
// clawback, settlements, expiry, usage, programs, funding sources) and on PATCH /programs/{id}, and
// binds it to user + method + route + path + body. A key is harmless where none is needed, so every
// POST but login/logout/password and every PATCH carries one.
// A preview (POST /redemptions/preview) and a what-if (POST /programs/{id}/what-if, a replay in
// memory, also as a spreadsheet) write nothing and take no key.
const NO_KEY_POSTS: RegExp[] = [/^\/auth\//, /^\/redemptions\/preview$/, /^\/programs\/[^/]+\/what-if$/, /^\/programs\/[^/]+\/what-if\/runs$/];

export function needsIdempotencyKey(method: string, path: string): boolean {
  const m = method.toUpperCase();
  if (m === 'PATCH') return true;
  if (m !== 'POST') return false;
  const p = path.split('?')[0];
  return !NO_KEY_POSTS.some((re) => re.test(p));
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export function buildQuery(q?: Query): string {
  if (!q) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => sp.append(k, String(x)));
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Raw body (e.g. NDJSON text); sent as-is with `contentType`. */
  rawBody?: string;
  contentType?: string;
  /** Use this key; when absent a fresh key is generated for a POST or PATCH that needs one. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ClientConfig {
  baseUrl?: string;
  fetch?: typeof fetch;
  store?: TokenStore;
  /** Called after a 401 once the token is cleared (e.g. to go to the login page). */
  onUnauthorized?: () => void;
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  readonly store: TokenStore;
  onUnauthorized?: () => void;

  constructor(cfg: ClientConfig = {}) {
    this.baseUrl = cfg.baseUrl ?? API_BASE;
    this.fetchImpl = cfg.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
    this.store = cfg.store ?? localTokenStore;
    this.onUnauthorized = cfg.onUnauthorized;
  }

  url(path: string, query?: Query): string {
    return `${this.baseUrl}${path}${buildQuery(query)}`;
  }

  private headers(method: string, path: string, opts: RequestOptions): Headers {
    const h = new Headers({ Accept: 'application/json' });
    const token = this.store.get();
    if (token) h.set('Authorization', `Bearer ${token}`);
    if (opts.rawBody !== undefined) h.set('Content-Type', opts.contentType ?? 'application/json');
    else if (opts.body !== undefined) h.set('Content-Type', 'application/json');
    const key = opts.idempotencyKey ?? (needsIdempotencyKey(method, path) ? newIdempotencyKey() : undefined);
    if (key) h.set('Idempotency-Key', key);
    return h;
  }

  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path, opts.query), {
        method,
        headers: this.headers(method, path, opts),
        body: opts.rawBody !== undefined ? opts.rawBody : opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        signal: opts.signal,
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', (e as Error)?.message ?? 'network error');
    }
    if (!res.ok) throw await this.toError(res);
    return res;
  }

  private async toError(res: Response): Promise<ApiError> {
    let body: Partial<ErrorBody> | null = null;
    const text = await res.text().catch(() => '');
    try {
      body = text ? (JSON.parse(text) as Partial<ErrorBody>) : null;
    } catch {
      body = null;
    }
    if (res.status === 401) {
      this.store.clear();
      this.onUnauthorized?.();
    }
    const code = typeof body?.code === 'string' ? body.code : fallbackCode(res.status);
    const message = typeof body?.message === 'string' ? body.message : text || res.statusText || `HTTP ${res.status}`;
    const field = typeof body?.field === 'string' ? body.field : null;
    return new ApiError(res.status, code, message, field);
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.raw(method, path, opts);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    const ct = res.headers.get('Content-Type') ?? '';
    if (ct.includes('json') || /^[[{"]/.test(text.trimStart())) {
      try {
        return JSON.parse(text) as T;
      } catch {
        /* fall through */
      }
    }
    return text as unknown as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  list<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>> {
    return this.get<Page<T> | T[]>(path, query, signal).then((r) => normalizePage<T>(r, query));
  }

  post<T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body: body ?? (opts.rawBody === undefined ? {} : undefined) });
  }

  patch<T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...opts, body });
  }

  /** DELETE, with query parameters where the endpoint takes some (a delisting's `reason`). */
  del<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, { query });
  }

  /** Authenticated download (e.g. statement.csv, which a plain link could not authorize). */
  async blob(path: string, query?: Query): Promise<Blob> {
    const res = await this.raw('GET', path, { query });
    return res.blob();
  }

  /** Authenticated download of a POST's answer (a what-if as a spreadsheet: the rules in the body). */
  async postBlob(path: string, body: unknown, query?: Query): Promise<Blob> {
    const res = await this.raw('POST', path, { query, body: body ?? {} });
    return res.blob();
  }
}

function fallbackCode(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 422: return 'idempotency_key_reused';
    case 429: return 'throttled';
    default: return status >= 500 ? 'internal' : `http_${status}`;
  }
}

/** Accept a bare array too, so a list endpoint that is not paginated yet still renders. */
export function normalizePage<T>(r: Page<T> | T[] | null | undefined, query?: Query): Page<T> {
  if (Array.isArray(r)) {
    return { items: r, total: r.length, page: Number(query?.page ?? 1), page_size: Number(query?.page_size ?? r.length) };
  }
  if (!r || !Array.isArray(r.items)) return { items: [], total: 0, page: 1, page_size: Number(query?.page_size ?? 20) };
  return r;
}

/**
 * Walk every page of a list (bounded), for charts that aggregate client-side. The path is one of the
 * document's list endpoints, its filters are that endpoint's query parameters, and the rows come
 * back typed as the document types them.
 */
export async function fetchAll<P extends ListPath>(c: ApiClient, path: P, query?: ListFilters<P>, maxPages = 25): Promise<ListRow<P>[]> {
  const out: ListRow<P>[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const r = await c.list<ListRow<P>>(path, { ...(query as Query | undefined), page, page_size: 200 });
    out.push(...r.items);
    if (r.items.length === 0 || out.length >= r.total) break;
  }
  return out;
}

export const api = new ApiClient();
