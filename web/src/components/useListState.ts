// A list's page, sort and filters kept in the URL's query string (see listState.ts). The table
// (ServerTable) reads and writes the page, page size and sort; the page its filters, under the
// same prefix. Each change is a history entry, so back/forward steps through the views.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type FilterValue, type ListDefaults, type ListPatch, type ListView, parseBoolFilter, parseFilter, parseNumberFilter, parseView, writeList } from './listState';

export interface ListState extends ListView {
  /** A filter as text (its default when the URL leaves it out). */
  get(name: string): string | undefined;
  num(name: string): number | undefined;
  bool(name: string): boolean | undefined;
  /** Set one filter (back to page 1 when it changes). */
  setFilter(name: string, value: FilterValue): void;
  /** Set several filters at once (one history entry). */
  setFilters(values: Record<string, FilterValue>): void;
  /** Set the page, page size or sort; `replace` rewrites the current history entry. */
  setView(patch: Omit<ListPatch, 'filters'>, replace?: boolean): void;
}

export interface ListStateOptions {
  /** Keys are written `prefix.name`; a route with two lists gives each its own. */
  prefix?: string;
  pageSize?: number;
  /** Filter values when the URL does not name them. */
  defaults?: Record<string, string | number | boolean>;
}

export function useListState({ prefix, pageSize = 20, defaults }: ListStateOptions = {}): ListState {
  const [params, setParams] = useSearchParams();
  const defaultsKey = JSON.stringify(defaults ?? {});
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const d: ListDefaults = useMemo(() => ({ pageSize, filters: defaults }), [pageSize, defaultsKey]);
  const write = useCallback(
    (patch: ListPatch, replace = false) => {
      // The live URL, not this render's: two writes in one tick must not undo each other.
      const current = new URLSearchParams(typeof window !== 'undefined' ? window.location.search : params.toString());
      const next = writeList(current, prefix, patch, d);
      if (next.toString() === current.toString()) return;
      setParams(next, { replace });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [prefix, d, setParams],
  );
  const view = parseView(params, prefix, d);
  return {
    ...view,
    get: (name) => parseFilter(params, prefix, name, d.filters),
    num: (name) => parseNumberFilter(params, prefix, name, d.filters),
    bool: (name) => parseBoolFilter(params, prefix, name, d.filters),
    setFilter: (name, value) => write({ filters: { [name]: value } }),
    setFilters: (values) => write({ filters: values }),
    setView: (patch, replace) => write(patch, replace),
  };
}
