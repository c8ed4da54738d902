// A table that pages, sorts and filters on the server: ?page=&page_size=&sort=(-)field&<filters>.
import { Table, type TableProps } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { useEffect, useState } from 'react';
import { api, type Query } from '../api/client';
import type { Page } from '../api/types';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { EmptyState, ErrorState } from './common';

export interface ServerTableProps<T> {
  path: string;
  columns: ColumnsType<T>;
  /** Filters sent as query parameters; changing them goes back to page 1. */
  query?: Query;
  rowKey?: string | ((r: T) => string);
  testid: string;
  /** Bump to reload (e.g. after a write). */
  reloadKey?: number;
  pageSize?: number;
  emptyText?: React.ReactNode;
  onLoaded?: (page: Page<T>) => void;
  tableProps?: Omit<TableProps<T>, 'columns' | 'dataSource' | 'pagination' | 'loading' | 'onChange' | 'rowKey'>;
}

export function ServerTable<T extends object>({
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
}: ServerTableProps<T>) {
  const { t } = useT();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const [sort, setSort] = useState<string | undefined>();
  const queryKey = JSON.stringify(query ?? {});
  useEffect(() => setPage(1), [queryKey]);

  const { data, error, loading, reload } = useAsync(
    (signal) => api.list<T>(path, { ...(query ?? {}), page, page_size: pageSize, sort }, signal),
    [path, page, pageSize, sort, queryKey, reloadKey],
  );
  useEffect(() => {
    if (data) onLoaded?.(data);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const onChange: TableProps<T>['onChange'] = (pg, _filters, sorter) => {
    if (pg.current) setPage(pg.current);
    if (pg.pageSize && pg.pageSize !== pageSize) {
      setPageSize(pg.pageSize);
      setPage(1);
    }
    const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const field = s?.order ? String(s.columnKey ?? s.field) : undefined;
    setSort(field ? (s!.order === 'descend' ? `-${field}` : field) : undefined);
  };

  return (
    <div data-testid={testid}>
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorState error={error} onRetry={reload} compact />
        </div>
      ) : null}
      <Table<T>
        size="middle"
        rowKey={rowKey as TableProps<T>['rowKey']}
        columns={columns}
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
      />
    </div>
  );
}
