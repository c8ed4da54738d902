// Acting on many rows at once (approve, reject, issue): the rows are sent one after the other, each
// as its own request with its own Idempotency-Key, and each row's outcome is kept, so one refusal
// does not stop the others and the user sees which went through. Pure, so it is unit-tested.

export interface BulkOutcome<K = string> {
  key: K;
  ok: boolean;
  /** The server's refusal (an ApiError) or the network failure, when not ok. */
  error?: unknown;
}

/** Run `act` on each row in turn; `onProgress` hears each outcome as it comes. */
export async function runBulk<T, K = string>(
  rows: readonly T[],
  keyOf: (row: T) => K,
  act: (row: T) => Promise<unknown>,
  onProgress?: (outcomes: BulkOutcome<K>[]) => void,
): Promise<BulkOutcome<K>[]> {
  const out: BulkOutcome<K>[] = [];
  for (const row of rows) {
    try {
      await act(row);
      out.push({ key: keyOf(row), ok: true });
    } catch (error) {
      out.push({ key: keyOf(row), ok: false, error });
    }
    onProgress?.([...out]);
  }
  return out;
}

/** The sum of the rows' amounts (in fen; a row without one counts nothing). */
export function bulkTotal<T>(rows: readonly T[], amount: (row: T) => number | null | undefined): number {
  return rows.reduce((s, r) => s + (amount(r) ?? 0), 0);
}

/** How many went through and how many were refused. */
export function bulkCounts(outcomes: readonly BulkOutcome<unknown>[]): { ok: number; refused: number } {
  const ok = outcomes.filter((o) => o.ok).length;
  return { ok, refused: outcomes.length - ok };
}

/**
 * The row to open after `current` in the list the user sees: the one after it; when `current` has
 * left the list (decided, so no longer in the queue), the one now where it was (`lastIndex`).
 */
export function nextRowKey<K>(keys: readonly K[], current: K | null, lastIndex = -1): K | null {
  if (current == null) return keys[0] ?? null;
  const i = keys.indexOf(current);
  if (i >= 0) return keys[i + 1] ?? null;
  const at = keys[Math.max(lastIndex, 0)];
  return at === undefined ? null : at;
}
