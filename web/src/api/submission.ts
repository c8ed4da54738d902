// One Idempotency-Key per form submission. The server binds a key to user + method + route + path +
// body and keeps it only when the request's effect commits (a failed attempt rolls the key back with
// it). So a form keeps its key while the user retries the same submission — after a 503 `busy`, a
// network error whose answer was lost, or a double click — and the server applies it at most once;
// it takes a fresh key once a submission succeeded or as soon as what it sends changes (reusing the
// key for another body would be refused with 422 `idempotency_key_reused`).
import { useState } from 'react';
import { api, ApiError, newIdempotencyKey, type ApiClient } from './client';

export type SubmitMethod = 'POST' | 'PATCH';

export interface SubmissionKey {
  /**
   * The key to send `body` to `method path` with: the previous attempt's key while the target and
   * body are unchanged and no attempt has succeeded since, a fresh one otherwise.
   */
  keyFor(method: SubmitMethod, path: string, body: unknown): string;
  /** The submission went through: the next one gets a fresh key, even with the same values. */
  succeeded(): void;
  /** An attempt failed: keep the key for a retry, unless the server says it is bound elsewhere. */
  failed(err: unknown): void;
  /** Send `body` with the submission's key, and settle the key by the outcome. */
  send<T>(method: SubmitMethod, path: string, body?: unknown): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
}

/** What the server fingerprints, as the client will send it (the same bytes: JSON.stringify). */
function fingerprint(method: string, path: string, body: unknown): string {
  return `${method.toUpperCase()} ${path} ${JSON.stringify(body ?? {})}`;
}

export function createSubmissionKey(opts: { client?: Pick<ApiClient, 'request'>; newKey?: () => string } = {}): SubmissionKey {
  const newKey = opts.newKey ?? newIdempotencyKey;
  let current: { key: string; print: string } | null = null;
  const self: SubmissionKey = {
    keyFor(method, path, body) {
      const print = fingerprint(method, path, body);
      if (!current || current.print !== print) current = { key: newKey(), print };
      return current.key;
    },
    succeeded() {
      current = null;
    },
    failed(err) {
      if (err instanceof ApiError && err.code === 'idempotency_key_reused') current = null;
    },
    async send<T>(method: SubmitMethod, path: string, body?: unknown) {
      const b = body ?? {};
      const idempotencyKey = self.keyFor(method, path, b);
      try {
        const r = await (opts.client ?? api).request<T>(method, path, { body: b, idempotencyKey });
        self.succeeded();
        return r;
      } catch (e) {
        self.failed(e);
        throw e;
      }
    },
    post<T>(path: string, body?: unknown) {
      return self.send<T>('POST', path, body);
    },
    patch<T>(path: string, body: unknown) {
      return self.send<T>('PATCH', path, body);
    },
  };
  return self;
}

/** The submission key of one form, stable across renders. */
export function useSubmissionKey(client?: Pick<ApiClient, 'request'>): SubmissionKey {
  const [k] = useState(() => createSubmissionKey({ client }));
  return k;
}
