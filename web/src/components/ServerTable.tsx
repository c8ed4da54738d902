// A table that pages, sorts and filters on the server: ?page=&page_size=&sort=(-)field&<filters>.
import { Table, type TableProps } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type Query } from '../api/client';
import type { ListFilters, ListPath, ListRow } from '../api/lists';
import { refusedSortKeys } from '../api/sortKeys';
import type { Page } from '../api/types';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { usePhone } from '../screen';
import { EmptyState, ErrorState } from './common';
import { ExportButtons } from './ExportButtons';
import { sortOrderOf } from './listState';
import { useListState } from './useListState';

/** A row of the list at `P`, as the document types it. */
type Row<P extends ListPath> = ListRow<P> & object;

export interface ServerTableProps<P extends ListPath> {
  /** One of the document's list endpoints; it types the rows and the filters. */
  path: P;
  columns: ColumnsType<Row<P>>;
  /** Filters sent as query parameters (those the endpoint declares); changing them goes back to page 1. */
  query?: ListFilters<P>;
  rowKey?: string | ((r: Row<P>) => string);
  testid: string;
  /** Bump to reload (e.g. after a write). */
  reloadKey?: number;
  pageSize?: number;
  emptyText?: React.ReactNode;
  onLoaded?: (page: Page<Row<P>>) => void;
  tableProps?: Omit<TableProps<Row<P>>, 'columns' | 'dataSource' | 'pagination' | 'loading' | 'onChange' | 'rowKey'>;
  /** Offer Excel and CSV downloads of every row the filters and sort select, named so. */
  exportName?: string;
  /**
   * Where the page, page size and sort live: the URL's query string under this prefix (`''`, the
   * default: `page`, `sort`…; a second list on the route takes its own, e.g. `topups`), or `false`
   * for the table's own state (a table in a drawer or a modal). Filters of a URL-kept table should
   * be set with the same prefix's `useListState().setFilter`, which goes back to page 1.
   */
  urlKey?: string | false;
}

/** The key a column sorts by: its `key`, else its `dataIndex` (what `sort=` carries). */
export function sortKeyOf<T>(c: ColumnsType<T>[number]): string | undefined {
  const k = c.key ?? (c as { dataIndex?: unknown }).dataIndex;
  return k === undefined || k === null ? undefined : String(k);
}

/**
 * Columns with their server sorters checked against the endpoint's allowlist: a sorter whose key
 * the server would refuse (400 invalid_sort) is dropped, and reported while developing.
 */
export function withAllowedSorters<T>(path: string, columns: ColumnsType<T>): ColumnsType<T> {
  const sortable = columns.filter((c) => c.sorter === true).map(sortKeyOf).filter((k): k is string => !!k);
  const refused = refusedSortKeys(path, sortable);
  if (refused.length === 0) return columns;
  if (import.meta.env?.DEV) console.error(`ServerTable ${path}: the server does not sort by ${refused.join(', ')}`);
  return columns.map((c) => (c.sorter === true && refused.includes(sortKeyOf(c) ?? '') ? { ...c, sorter: false } : c));
}

/** On a phone no column stays fixed: a fixed actions column would cover what scrolls under it. */
function unfixed<T>(columns: ColumnsType<T>, phone: boolean): ColumnsType<T> {
  return phone ? columns.map((c) => (c.fixed ? { ...c, fixed: undefined } : c)) : columns;
}

export function ServerTable<P extends ListPath>({
  path,
  columns,
  query,
  rowKey = 'id',
  testid,
  reloadKey = 0,
  pageSize: initialPageSize = 20,
  emptyText,
  onLoaded,
  tableProps,
  exportName,
  urlKey = '',
}: ServerTableProps<P>) {
  type T = Row<P>;
  const { t } = useT();
  const inUrl = urlKey !== false;
  const url = useListState({ prefix: urlKey || undefined, pageSize: initialPageSize });
  const [local, setLocal] = useState<{ page: number; pageSize: number; sort?: string }>({ page: 1, pageSize: initialPageSize });
  const { page, pageSize, sort } = inUrl ? url : local;
  const setView = (v: { page?: number; pageSize?: number; sort?: string | null }, replace?: boolean) => {
    if (inUrl) url.setView(v, replace);
    else
      setLocal((l) => {
        const size = v.pageSize ?? l.pageSize;
        return { page: size !== l.pageSize ? 1 : (v.page ?? l.page), pageSize: size, sort: v.sort === undefined ? l.sort : (v.sort ?? undefined) };
      });
  };
  const queryKey = JSON.stringify(query ?? {});
  const phone = usePhone();
  const cols = useMemo(
    () => unfixed(withAllowedSorters(path, columns), phone).map((c) => (c.sorter === true ? { ...c, sortOrder: sortOrderOf(sort, sortKeyOf(c)) } : c)),
    [path, columns, phone, sort],
  );
  // New filters go back to page 1. A URL-kept table is told so by the filters' setter (and a
  // back/forward that changes both the filters and the page must keep the page it brings back).
  const lastQuery = useRef(queryKey);
  useEffect(() => {
    if (lastQuery.current === queryKey) return;
    lastQuery.current = queryKey;
    if (!inUrl) setLocal((l) => (l.page === 1 ? l : { ...l, page: 1 }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryKey]);

  const { data, error, loading, reload } = useAsync(
    (signal) => api.list<T>(path, { ...(query as Query | undefined), page, page_size: pageSize, sort }, signal),
    [path, page, pageSize, sort, queryKey, reloadKey],
  );
  useEffect(() => {
    if (data) onLoaded?.(data);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const onChange: TableProps<T>['onChange'] = (pg, _filters, sorter) => {
    const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const field = s?.order ? String(s.columnKey ?? s.field) : undefined;
    const nextSort = field ? (s!.order === 'descend' ? `-${field}` : field) : null;
    // A new sort shows its first page.
    const sortChanged = (nextSort ?? undefined) !== sort;
    setView({ page: sortChanged ? 1 : (pg.current ?? page), pageSize: pg.pageSize ?? pageSize, sort: nextSort });
  };

  // An expanded row spans every column of a table that is as wide as its content (scroll.x is
  // max-content). Without a fixed column, Chromium sizes that table by the expanded content: a
  // Descriptions (a 100%-wide table) inside it then widens the table to hundreds of thousands of
  // pixels. A fixed expand column makes rc-table hold the expanded content to the table's visible
  // width (and keeps it in view when the table scrolls sideways).
  const expandable = tableProps?.expandable ? { fixed: 'left' as const, ...tableProps.expandable } : undefined;
  // antd labels the select-all checkbox "Select all" in every locale: name it in the UI language.
  const rowSelection = tableProps?.rowSelection
    ? { getTitleCheckboxProps: () => ({ 'aria-label': t('a11y.selectAllRows') }), ...tableProps.rowSelection }
    : undefined;

  return (
    <div data-testid={testid}>
      {exportName ? <ExportButtons path={path} query={query as Query | undefined} sort={sort} name={exportName} /> : null}
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorState error={error} onRetry={reload} compact />
        </div>
      ) : null}
      <Table<T>
        size="middle"
        rowKey={rowKey as TableProps<T>['rowKey']}
        columns={cols}
        dataSource={error ? [] : (data?.items ?? [])}
        loading={loading}
        onChange={onChange}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <EmptyState description={emptyText} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100, 200],
          showTotal: (n) => t('common.total', { n }),
        }}
        {...tableProps}
        expandable={expandable}
        rowSelection={rowSelection}
      />
    </div>
  );
}
