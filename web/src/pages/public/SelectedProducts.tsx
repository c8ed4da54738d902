import { Card, Table, Tabs, Tag } from 'antd';
import { UnitPrice } from '../../components/UnitPrice';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../api/client';
import { PRODUCT_KINDS, type Product, type ProductKind } from '../../api/types';
import { EmptyState, ErrorState, PageHeader } from '../../components/common';
import { normalizeArray, useAsync, useCities } from '../../hooks';
import { useT } from '../../i18n';

export default function SelectedProducts() {
  const { t, lang, tEnum } = useT();
  const [kind, setKind] = useState<ProductKind>('model');
  const { cities } = useCities();
  const { data, error, loading, reload } = useAsync(
    (s) => api.get<Product[] | { items: Product[] }>('/public/selected-products', { kind, page_size: 200 }, s).then(normalizeArray<Product>),
    [kind],
  );
  const cityName = (code?: string | null) => {
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : (code ?? '—');
  };
  const columns: ColumnsType<Product> = [
    { title: t('common.name'), dataIndex: 'name', render: (v: string) => <strong>{v}</strong> },
    { title: t('sel.supplier'), dataIndex: 'supplier_name', render: (v: string | undefined, r) => v ?? r.supplier_id },
    { title: t('sel.kind'), dataIndex: 'kind', render: (v: string) => <Tag color="blue">{tEnum('pk', v)}</Tag> },
    { title: t('common.city'), dataIndex: 'city_code', render: (v: string | null) => cityName(v) },
    ...(kind === 'compute'
      ? [
          { title: t('sel.gpu'), dataIndex: 'gpu_model' },
          { title: t('sel.price'), dataIndex: 'price_per_unit_fen', align: 'right' as const, render: (v: number | null, r: { billing_unit?: string | null }) => <UnitPrice fen={v} unit={r.billing_unit} /> },
        ]
      : []),
    { title: t('sel.description'), dataIndex: 'description', ellipsis: true },
  ];
  return (
    <div data-testid="page-selected-products">
      <PageHeader title={t('sel.title')} sub={t('sel.sub')} />
      <Card>
        <Tabs
          activeKey={kind}
          onChange={(k) => setKind(k as ProductKind)}
          items={PRODUCT_KINDS.map((k) => ({ key: k, label: <span data-testid={`selected-tab-${k}`}>{tEnum('pk', k)}</span> }))}
        />
        {error ? (
          <ErrorState error={error} onRetry={reload} compact />
        ) : (
          <div data-testid="table-selected-products">
          <Table<Product>
            rowKey="id"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
            locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <EmptyState /> }}
            scroll={{ x: 'max-content' }}
          />
          </div>
        )}
      </Card>
    </div>
  );
}
