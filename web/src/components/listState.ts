// The state of a list (page, page size, sort and its filters) as the URL's query string holds it,
// so that a reload, back/forward or a shared link shows the same view. Pure: parse and serialise.
//
// Each list writes its keys under an optional prefix (`apps.page`, `apps.status`), so two lists
// on one route do not collide. A key left out means its default; a filter whose default is set
// but that the user cleared is written empty (`status=`), so "no filter" survives a reload too.

export type FilterValue = string | number | boolean | null | undefined;

export interface ListView {
  page: number;
  pageSize: number;
  /** `field` or `-field` (descending), as the server's `sort=` takes it. */
  sort?: string;
}

export interface ListDefaults {
  pageSize: number;
  /** Filters' values when the URL does not name them. */
  filters?: Record<string, string | number | boolean>;
}

/** The URL key of `name` in the list under `prefix`. */
export function listKey(prefix: string | undefined, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function positiveInt(s: string | null): number | undefined {
  if (s === null || !/^\d{1,6}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 ? n : undefined;
}

const SORT_RE = /^-?[A-Za-z_][A-Za-z0-9_.]*$/;

/** The page, page size and sort the URL holds (the defaults where it holds none or nonsense). */
export function parseView(params: URLSearchParams, prefix: string | undefined, defaults: Pick<ListDefaults, 'pageSize'>): ListView {
  const page = positiveInt(params.get(listKey(prefix, 'page'))) ?? 1;
  const pageSize = positiveInt(params.get(listKey(prefix, 'page_size'))) ?? defaults.pageSize;
  const s = params.get(listKey(prefix, 'sort'));
  return { page, pageSize, sort: s && SORT_RE.test(s) ? s : undefined };
}

/** A filter's value as text: the default when the URL leaves it out, undefined when it is empty. */
export function parseFilter(params: URLSearchParams, prefix: string | undefined, name: string, defaults?: ListDefaults['filters']): string | undefined {
  const v = params.get(listKey(prefix, name));
  if (v === null) {
    const d = defaults?.[name];
    return d === undefined ? undefined : String(d);
  }
  return v === '' ? undefined : v;
}

/** A filter as a number (undefined when absent or not a number). */
export function parseNumberFilter(params: URLSearchParams, prefix: string | undefined, name: string, defaults?: ListDefaults['filters']): number | undefined {
  const v = parseFilter(params, prefix, name, defaults);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A filter as a boolean: `true`/`1` and `false`/`0`, undefined otherwise. */
export function parseBoolFilter(params: URLSearchParams, prefix: string | undefined, name: string, defaults?: ListDefaults['filters']): boolean | undefined {
  const v = parseFilter(params, prefix, name, defaults);
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

function blank(v: FilterValue): boolean {
  return v === undefined || v === null || v === '';
}

export interface ListPatch {
  page?: number;
  pageSize?: number;
  /** `null` clears the sort. */
  sort?: string | null;
  filters?: Record<string, FilterValue>;
}

/**
 * `params` with the list's `patch` written in (a new object; other keys kept as they are). A
 * value equal to its default is left out; changing a filter or the page size goes back to page 1.
 */
export function writeList(params: URLSearchParams, prefix: string | undefined, patch: ListPatch, defaults: ListDefaults): URLSearchParams {
  const next = new URLSearchParams(params);
  const key = (n: string) => listKey(prefix, n);
  let resetPage = false;
  if (patch.filters) {
    for (const [name, v] of Object.entries(patch.filters)) {
      const before = next.get(key(name));
      const d = defaults.filters?.[name];
      if (blank(v)) {
        if (d === undefined) next.delete(key(name));
        else next.set(key(name), '');
      } else if (d !== undefined && String(d) === String(v)) next.delete(key(name));
      else next.set(key(name), String(v));
      if (next.get(key(name)) !== before) resetPage = true;
    }
  }
  if (patch.pageSize !== undefined) {
    const before = next.get(key('page_size'));
    if (patch.pageSize === defaults.pageSize) next.delete(key('page_size'));
    else next.set(key('page_size'), String(patch.pageSize));
    if (next.get(key('page_size')) !== before) resetPage = true;
  }
  if (patch.sort !== undefined) {
    if (patch.sort === null || patch.sort === '') next.delete(key('sort'));
    else next.set(key('sort'), patch.sort);
  }
  if (patch.page !== undefined && !resetPage) {
    if (patch.page <= 1) next.delete(key('page'));
    else next.set(key('page'), String(Math.floor(patch.page)));
  } else if (resetPage) next.delete(key('page'));
  return next;
}

/** The antd sorter's order of the column `key` under `sort` (for a controlled `sortOrder`). */
export function sortOrderOf(sort: string | undefined, key: string | undefined): 'ascend' | 'descend' | null {
  if (!sort || !key) return null;
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}
