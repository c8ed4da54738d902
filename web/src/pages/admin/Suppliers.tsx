// 服务商管理: the suppliers, searched by name or USCC and filtered by kind on the server,
// suspended ones marked with their reason; a drawer shows the file and the products, and lets an administrator correct the file or
// suspend the supplier (no new payments until lifted). Reviewers and auditors read.
import { Button, Card, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ListFilters } from '../../api/lists';
import { PRODUCT_KINDS, type ProductKind, type Supplier } from '../../api/types';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/common';
import { ListSearch } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useCityName } from '../../hooks';
import { useT } from '../../i18n';
import { SupplierDrawer, SuspendedTag } from './SupplierDrawer';

export default function Suppliers() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const canEdit = user?.role === 'admin';
  const cityName = useCityName(lang);
  const list = useListState();
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const kind = list.get('kind') as ProductKind | undefined;
  const setKind = (v: ProductKind | null | undefined) => list.setFilter('kind', v);
  const [open, setOpen] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const query: ListFilters<'/suppliers'> = { q, kind };

  const columns: ColumnsType<Supplier> = [
    {
      title: t('common.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Link onClick={() => setOpen(r.id)} data-testid={`supplier-open-${r.id}`}>
            <strong>{v}</strong>
          </Typography.Link>
          <Typography.Text type="secondary" className="mono" style={{ fontSize: 12 }}>{r.id}</Typography.Text>
        </Space>
      ),
    },
    { title: t('ent.uscc'), dataIndex: 'uscc', render: (v: string) => <span className="mono">{v}</span> },
    { title: t('supAdmin.kind'), dataIndex: 'kind', key: 'kind', sorter: true, render: (v: string) => tEnum('pk', v) },
    { title: t('common.city'), dataIndex: 'city_code', render: (v: string) => cityName(v) },
    {
      title: t('ent.credit'),
      dataIndex: 'dishonest',
      render: (v: boolean) => (v ? <Tag color="error">{t('ent.creditListed')}</Tag> : <Tag color="success">{t('ent.creditOk')}</Tag>),
    },
    {
      title: t('supAdmin.standing'),
      dataIndex: 'suspended',
      render: (_: boolean, r) => (
        <Space direction="vertical" size={0} style={{ maxWidth: 260 }}>
          <SuspendedTag supplier={r} />
          {r.suspended && r.suspend_reason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 260 }} ellipsis={{ tooltip: r.suspend_reason }}>
              {r.suspend_reason}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space size={0} wrap>
          <Button size="small" type="link" onClick={() => setOpen(r.id)} data-testid={`supplier-detail-${r.id}`}>
            {t('common.detail')}
          </Button>
          {r.kind === 'compute' ? (
            <Link to={`/admin/suppliers/${encodeURIComponent(r.id)}/usage-keys`} data-testid={`supplier-usage-keys-${r.id}`}>
              <Button size="small" type="link">{t('uk.open')}</Button>
            </Link>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-admin-suppliers">
      <PageHeader title={t('supAdmin.title')} sub={t('supAdmin.sub')} extra={canEdit ? undefined : <Tag data-testid="read-only">{t('supAdmin.readOnly')}</Tag>} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('supAdmin.search')} onSearch={setQ} value={q} testid="supplier-search" width={320} />
          <Select
            allowClear
            placeholder={t('supAdmin.kind')}
            style={{ width: 160 }}
            value={kind}
            onChange={setKind}
            options={PRODUCT_KINDS.map((k) => ({ value: k, label: tEnum('pk', k) }))}
            data-testid="supplier-filter-kind"
          />
        </Space>
        <ServerTable testid="table-suppliers" path="/suppliers" query={query} columns={columns} reloadKey={reloadKey} emptyText={q || kind ? t('common.noMatch') : undefined} />
      </Card>
      <SupplierDrawer id={open} canEdit={canEdit} onClose={() => setOpen(null)} onSaved={() => setReloadKey((k) => k + 1)} />
    </div>
  );
}
