import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, buildQuery, fetchAll, needsIdempotencyKey, normalizePage, type TokenStore } from './client';

function memStore(initial: string | null = null): TokenStore & { value: string | null } {
  const s = {
    value: initial,
    get: () => s.value,
    set: (t: string) => {
      s.value = t;
    },
    clear: () => {
      s.value = null;
    },
  };
  return s;
}

/** Await a promise that must reject; give back its ApiError. */
function fail(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e as ApiError,
  );
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function setup(status: number, body: unknown, token: string | null = 'tok-1') {
  const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => jsonResponse(status, body));
  const store = memStore(token);
  const onUnauthorized = vi.fn();
  const client = new ApiClient({ fetch: fetchMock as unknown as typeof fetch, store, onUnauthorized });
  const headersOf = (i = 0) => new Headers(fetchMock.mock.calls[i][1]?.headers);
  return { fetchMock, store, client, onUnauthorized, headersOf };
}

describe('ApiClient', () => {
  it('sends the bearer token and JSON', async () => {
    const { client, fetchMock, headersOf } = setup(200, { id: 1, username: 'admin' });
    const me = await client.get<{ username: string }>('/me');
    expect(me.username).toBe('admin');
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/me');
    expect(headersOf().get('Authorization')).toBe('Bearer tok-1');
    expect(headersOf().get('Accept')).toBe('application/json');
  });

  it('downloads a statement with the token and the language of the page', async () => {
    const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => new Response('a,b\n1,2\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }));
    const client = new ApiClient({ fetch: fetchMock as unknown as typeof fetch, store: memStore('tok-2') });
    const blob = await client.blob('/reimbursements/rmb_1/statement.xlsx', { lang: 'en' });
    expect(await blob.text()).toBe('a,b\n1,2\n');
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/reimbursements/rmb_1/statement.xlsx?lang=en');
    expect(new Headers(fetchMock.mock.calls[0][1]?.headers).get('Authorization')).toBe('Bearer tok-2');
    await client.blob('/settlements/st_1/statement.csv');
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/settlements/st_1/statement.csv');
  });

  it('sends no Authorization header without a token', async () => {
    const { client, headersOf } = setup(200, { totals: {} }, null);
    await client.get('/public/dashboard');
    expect(headersOf().has('Authorization')).toBe(false);
  });

  it('encodes query parameters and skips empty ones', async () => {
    const { client, fetchMock } = setup(200, { items: [], total: 0, page: 2, page_size: 50 });
    await client.list('/applications', { page: 2, page_size: 50, status: 'submitted', program_id: undefined, q: '' });
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/applications?page=2&page_size=50&status=submitted');
    expect(buildQuery({ kind: 'model', a: ['x', 'y'] })).toBe('?kind=model&a=x&a=y');
  });

  it('maps an error body to ApiError with code, field and message', async () => {
    const { client } = setup(400, { code: 'invalid_uscc', message: "uscc: check character should be 'X', got 'Y'", field: 'uscc' });
    const err = await fail(client.patch('/enterprises/1', { uscc: 'bad' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_uscc');
    expect(err.field).toBe('uscc');
    expect(err.message).toContain('check character');
  });

  it('keeps a null field as null', async () => {
    const { client } = setup(409, { code: 'insufficient_funds', message: 'not enough', field: null });
    const err = await fail(client.post('/redemptions', { voucher_id: 1 }));
    expect(err.code).toBe('insufficient_funds');
    expect(err.field).toBeNull();
  });

  it('falls back to a status code when the body is not JSON', async () => {
    const fetchMock = vi.fn(async () => new Response('Bad Gateway', { status: 502 }));
    const client = new ApiClient({ fetch: fetchMock as unknown as typeof fetch, store: memStore('t') });
    const err = await fail(client.get('/me'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('internal');
    expect(err.status).toBe(502);
    expect(err.message).toBe('Bad Gateway');
  });

  it('maps a network failure to code "network"', async () => {
    const fetchMock = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = new ApiClient({ fetch: fetchMock as unknown as typeof fetch, store: memStore('t') });
    const err = await fail(client.get('/me'));
    expect(err.code).toBe('network');
    expect(err.status).toBe(0);
  });

  it('clears the token and notifies on 401', async () => {
    const { client, store, onUnauthorized } = setup(401, { code: 'unauthorized', message: 'token expired', field: null });
    const err = await fail(client.get('/vouchers'));
    expect(err.code).toBe('unauthorized');
    expect(store.value).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not clear the token on 403', async () => {
    const { client, store, onUnauthorized } = setup(403, { code: 'forbidden', message: 'role may not', field: null });
    await client.get('/audit').catch(() => undefined);
    expect(store.value).toBe('tok-1');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('adds an Idempotency-Key to money-moving POSTs', async () => {
    const { client, headersOf } = setup(201, { id: 9 });
    await client.post('/redemptions', { invoice_number: '1'.repeat(20) });
    await client.post('/applications/7/review', { decision: 'approve' });
    await client.post('/applications/7/issue');
    await client.post('/settlements', { supplier_id: 1, period: '2026-01' });
    await client.post('/usage', [{ record_id: 'r1' }]);
    for (let i = 0; i < 5; i++) {
      const key = headersOf(i).get('Idempotency-Key');
      expect(key).toBeTruthy();
      expect(key!.length).toBeGreaterThan(0);
      expect(key!.length).toBeLessThanOrEqual(128);
    }
    expect(headersOf(0).get('Idempotency-Key')).not.toBe(headersOf(1).get('Idempotency-Key'));
  });

  it('uses the caller-supplied key so a retried submission reuses it', async () => {
    const { client, headersOf } = setup(201, { id: 9 });
    await client.post('/redemptions', { a: 1 }, { idempotencyKey: 'form-key-1' });
    await client.post('/redemptions', { a: 1 }, { idempotencyKey: 'form-key-1' });
    expect(headersOf(0).get('Idempotency-Key')).toBe('form-key-1');
    expect(headersOf(1).get('Idempotency-Key')).toBe('form-key-1');
  });

  it('sends no Idempotency-Key where none is needed', async () => {
    const { client, headersOf } = setup(200, { token: 't', expires_at: '', user: {} }, null);
    await client.post('/auth/login', { username: 'admin', password: 'quan-demo' });
    await client.post('/auth/logout');
    await client.get('/applications');
    await client.del('/programs/1/eligible-products/2');
    await client.post('/redemptions/preview', { a: 1 });
    for (let i = 0; i < 5; i++) expect(headersOf(i).has('Idempotency-Key')).toBe(false);
  });

  it('sends the query of a DELETE (the reason a product leaves a program\'s list)', async () => {
    const { client, fetchMock } = setup(200, {});
    await client.del('/programs/prg_1/eligible-products/prd_2', { reason: '停止服务 & 下线' });
    const url = String(fetchMock.mock.calls[0][0]);
    expect(fetchMock.mock.calls[0][1]!.method).toBe('DELETE');
    expect(new URL(url, 'http://x').searchParams.get('reason')).toBe('停止服务 & 下线');
    expect(url.startsWith('/api/v1/programs/prg_1/eligible-products/prd_2?reason=')).toBe(true);
  });

  it('adds an Idempotency-Key to every PATCH (PATCH /programs/{id} requires one)', async () => {
    const { client, headersOf, fetchMock } = setup(200, { id: 'prg_1' });
    await client.patch('/programs/prg_1', { name: 'x' });
    await client.patch('/enterprises/ent_1', { name: 'y' });
    const a = headersOf(0).get('Idempotency-Key');
    const b = headersOf(1).get('Idempotency-Key');
    expect(fetchMock.mock.calls[0][1]!.method).toBe('PATCH');
    expect(a).toBeTruthy();
    expect(b).toBeTruthy();
    expect(a).not.toBe(b);
  });

  it('uses the caller-supplied key on a PATCH', async () => {
    const { client, headersOf } = setup(200, { id: 'prg_1' });
    await client.patch('/programs/prg_1', { name: 'x' }, { idempotencyKey: 'edit-key-1' });
    expect(headersOf().get('Idempotency-Key')).toBe('edit-key-1');
  });

  it('sends the JSON body and method', async () => {
    const { client, fetchMock, headersOf } = setup(200, {});
    await client.patch('/programs/3', { rate_bps: 500 });
    const init = fetchMock.mock.calls[0][1]!;
    expect(init.method).toBe('PATCH');
    expect(init.body).toBe('{"rate_bps":500}');
    expect(headersOf().get('Content-Type')).toBe('application/json');
  });

  it('sends raw NDJSON bodies untouched', async () => {
    const { client, fetchMock, headersOf } = setup(200, { results: [] });
    const nd = '{"record_id":"a"}\n{"record_id":"b"}\n';
    await client.post('/usage', undefined, { rawBody: nd, contentType: 'application/x-ndjson' });
    expect(fetchMock.mock.calls[0][1]!.body).toBe(nd);
    expect(headersOf().get('Content-Type')).toBe('application/x-ndjson');
    expect(headersOf().get('Idempotency-Key')).toBeTruthy();
  });
});

describe('helpers', () => {
  it('knows which POSTs need a key', () => {
    expect(needsIdempotencyKey('POST', '/applications')).toBe(true);
    expect(needsIdempotencyKey('POST', '/redemptions/5/clawback')).toBe(true);
    expect(needsIdempotencyKey('POST', '/vouchers/5/expire')).toBe(true);
    expect(needsIdempotencyKey('GET', '/applications')).toBe(false);
    expect(needsIdempotencyKey('POST', '/programs')).toBe(true); // the server asks for one here too
    expect(needsIdempotencyKey('POST', '/auth/login')).toBe(false);
    expect(needsIdempotencyKey('POST', '/auth/logout')).toBe(false);
    expect(needsIdempotencyKey('POST', '/auth/password')).toBe(false);
    expect(needsIdempotencyKey('PATCH', '/programs/1')).toBe(true);
    expect(needsIdempotencyKey('patch', '/enterprises/1')).toBe(true);
    expect(needsIdempotencyKey('DELETE', '/programs/1/eligible-products/2')).toBe(false);
  });
  it('normalizes bare arrays into pages', () => {
    expect(normalizePage([1, 2, 3])).toEqual({ items: [1, 2, 3], total: 3, page: 1, page_size: 3 });
    expect(normalizePage(null, { page_size: 20 })).toEqual({ items: [], total: 0, page: 1, page_size: 20 });
  });
  it('fetchAll walks pages until total', async () => {
    const pages = [
      { items: [1, 2], total: 3, page: 1, page_size: 200 },
      { items: [3], total: 3, page: 2, page_size: 200 },
    ];
    let i = 0;
    const fetchMock = vi.fn(async () => jsonResponse(200, pages[i++]));
    const client = new ApiClient({ fetch: fetchMock as unknown as typeof fetch, store: memStore('t') });
    expect(await fetchAll(client, '/vouchers')).toEqual([1, 2, 3]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
