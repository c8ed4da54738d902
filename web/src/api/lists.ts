// The list endpoints of the API, typed from the server's OpenAPI document (schema.d.ts): which
// paths answer a page, which query parameters each takes and what a row of it is. A table or a
// fetchAll call names its path, and the compiler then checks the filters it sends against the
// parameters the server declares (a misspelt or unsupported filter is a compile error, not a
// silently ignored query string) and types the rows it gets back.
import type { paths } from './schema';

type V1 = {
  [K in keyof paths as K extends `/api/v1${infer P}` ? P : never]: paths[K];
};

/** `/programs/{id}/eligible-products` → `/programs/${string}/eligible-products`. */
type Filled<P extends string> = P extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Filled<B>}` : P;

type GetOf<P extends keyof V1> = V1[P] extends { get: infer O } ? O : never;
type RowOf<O> = O extends { responses: { 200: { content: { 'application/json': { items: (infer R)[]; total: number } } } } } ? R : never;
type QueryParamsOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** Document paths (without /api/v1) whose GET answers a page of rows. */
type RawListPath = { [P in keyof V1]: [RowOf<GetOf<P>>] extends [never] ? never : P }[keyof V1];

type ListOps = { [P in RawListPath as Filled<P & string>]: GetOf<P> };

/** A list path as the client writes it: `/vouchers`, `/programs/${id}/eligible-products`. */
export type ListPath = keyof ListOps;
/** One row of the list at `P`. */
export type ListRow<P extends ListPath> = RowOf<ListOps[P]>;
/** The query parameters the list at `P` takes (page, page_size and sort included). */
export type ListQuery<P extends ListPath> = QueryParamsOf<ListOps[P]>;
/** The filters of the list at `P`: its query parameters but paging and sorting, which the table sets. */
export type ListFilters<P extends ListPath> = Omit<ListQuery<P>, 'page' | 'page_size' | 'sort'>;
