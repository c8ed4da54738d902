import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, type TokenStore } from './client';
import { createSubmissionKey } from './submission';

const store: TokenStore = { get: () => 'tok', set: () => undefined, clear: () => undefined };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A client whose fetch answers with `answers` in turn (an Error rejects, as a dropped connection does). */
function client(answers: (Response | Error)[]) {
  let i = 0;
  const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => {
    const a = answers[Math.min(i++, answers.length - 1)];
    if (a instanceof Error) throw a;
    return a.clone();
  });
  const c = new ApiClient({ fetch: fetchMock as unknown as typeof fetch, store });
  const keyOf = (n: number) => new Headers(fetchMock.mock.calls[n][1]?.headers).get('Idempotency-Key');
  return { c, fetchMock, keyOf };
}

const busy = () => json(503, { code: 'busy', message: 'the database is busy; retry with the same Idempotency-Key', field: null });
const ok = (body: unknown = { id: 'red_1' }) => json(201, body);
let seq = 0;
const counter = () => `k${++seq}`;

describe('submission key (keyFor / succeeded / failed)', () => {
  it('keeps one key while the same submission is retried', () => {
    const s = createSubmissionKey({ newKey: counter });
    const body = { voucher_id: 'v1', invoice_amount_fen: 100 };
    const a = s.keyFor('POST', '/redemptions', body);
    expect(s.keyFor('POST', '/redemptions', { voucher_id: 'v1', invoice_amount_fen: 100 })).toBe(a);
    s.failed(new ApiError(503, 'busy', 'busy'));
    expect(s.keyFor('POST', '/redemptions', body)).toBe(a);
    s.failed(new ApiError(0, 'network', 'Failed to fetch'));
    expect(s.keyFor('POST', '/redemptions', body)).toBe(a);
  });

  it('takes a fresh key when the values change', () => {
    const s = createSubmissionKey({ newKey: counter });
    const a = s.keyFor('POST', '/redemptions', { invoice_amount_fen: 100 });
    const b = s.keyFor('POST', '/redemptions', { invoice_amount_fen: 101 });
    expect(b).not.toBe(a);
    // Going back to the first values is a new submission too: the server bound `a` to them, but
    // nothing was committed under it, and a fresh key is always safe.
    expect(s.keyFor('POST', '/redemptions', { invoice_amount_fen: 100 })).not.toBe(b);
  });

  it('takes a fresh key for another target or method', () => {
    const s = createSubmissionKey({ newKey: counter });
    const a = s.keyFor('POST', '/applications/a1/issue', {});
    const b = s.keyFor('POST', '/applications/a2/issue', {});
    const c = s.keyFor('PATCH', '/applications/a2/issue', {});
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('takes a fresh key after a success, even with the same values', () => {
    const s = createSubmissionKey({ newKey: counter });
    const body = { name: 'x' };
    const a = s.keyFor('PATCH', '/programs/p1', body);
    s.succeeded();
    expect(s.keyFor('PATCH', '/programs/p1', body)).not.toBe(a);
  });

  it('drops a key the server says is bound to another request', () => {
    const s = createSubmissionKey({ newKey: counter });
    const a = s.keyFor('POST', '/settlements', { period: '2026-10' });
    s.failed(new ApiError(422, 'idempotency_key_reused', 'used for a different request', 'Idempotency-Key'));
    expect(s.keyFor('POST', '/settlements', { period: '2026-10' })).not.toBe(a);
  });

  it('makes real keys by default', () => {
    const s = createSubmissionKey();
    const k = s.keyFor('POST', '/applications', { a: 1 });
    expect(k.length).toBeGreaterThanOrEqual(32);
    expect(k.length).toBeLessThanOrEqual(128);
  });
});

describe('submission key on the wire', () => {
  it('a retry after 503 busy sends the same key; the next submission a fresh one', async () => {
    const { c, keyOf } = client([busy(), ok(), ok()]);
    const s = createSubmissionKey({ client: c });
    const body = { voucher_id: 'v1', product_id: 'p1', invoice_number: '1'.repeat(20), invoice_amount_fen: 100, invoice_date: '2026-11-01' };
    await expect(s.post('/redemptions', body)).rejects.toMatchObject({ status: 503, code: 'busy' });
    await s.post('/redemptions', { ...body });
    await s.post('/redemptions', { ...body, invoice_number: '2'.repeat(20) });
    expect(keyOf(0)).toBeTruthy();
    expect(keyOf(1)).toBe(keyOf(0));
    expect(keyOf(2)).not.toBe(keyOf(1));
  });

  it('a retry after a network error sends the same key', async () => {
    const { c, keyOf } = client([new TypeError('Failed to fetch'), ok()]);
    const s = createSubmissionKey({ client: c });
    await expect(s.post('/applications', { program_id: 'p', amount_fen: 1, plan: 'x' })).rejects.toMatchObject({ code: 'network' });
    await s.post('/applications', { program_id: 'p', amount_fen: 1, plan: 'x' });
    expect(keyOf(1)).toBe(keyOf(0));
  });

  it('a validation error, then corrected values, sends a fresh key', async () => {
    const { c, keyOf } = client([json(400, { code: 'invalid_invoice_number', message: 'x', field: 'invoice_number' }), ok()]);
    const s = createSubmissionKey({ client: c });
    await expect(s.post('/redemptions', { invoice_number: '1' })).rejects.toMatchObject({ status: 400 });
    await s.post('/redemptions', { invoice_number: '1'.repeat(20) });
    expect(keyOf(1)).not.toBe(keyOf(0));
  });

  it('a program edit is a PATCH with a key, kept across a retry of the same edit', async () => {
    const { c, fetchMock, keyOf } = client([busy(), json(200, { id: 'prg_1', name: 'New name' })]);
    const s = createSubmissionKey({ client: c });
    await expect(s.patch('/programs/prg_1', { name: 'New name' })).rejects.toMatchObject({ code: 'busy' });
    const saved = await s.patch<{ name: string }>('/programs/prg_1', { name: 'New name' });
    expect(saved.name).toBe('New name');
    const init = fetchMock.mock.calls[1][1]!;
    expect(init.method).toBe('PATCH');
    expect(init.body).toBe('{"name":"New name"}');
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/programs/prg_1');
    expect(keyOf(0)).toBeTruthy();
    expect(keyOf(1)).toBe(keyOf(0));
  });

  it('sends {} for a POST without a body, and fingerprints it as such', async () => {
    const { c, fetchMock, keyOf } = client([busy(), ok()]);
    const s = createSubmissionKey({ client: c });
    await s.post('/applications/a1/issue').catch(() => undefined);
    await s.post('/applications/a1/issue', {});
    expect(fetchMock.mock.calls[0][1]!.body).toBe('{}');
    expect(keyOf(1)).toBe(keyOf(0));
  });
});
