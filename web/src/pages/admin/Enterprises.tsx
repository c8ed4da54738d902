// 企业档案管理: every enterprise's file (一企一档), searched by name or USCC and filtered by city and
// size on the server; a drawer shows the registered file, its history and its change requests.
// Administrators correct the file; reviewers and auditors read.
import { Button, Card, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import type { ListFilters } from '../../api/lists';
import { SIZE_CLASSES, type Enterprise, type SizeClass } from '../../api/types';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/common';
import { ListSearch } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { industryLabel } from '../../format';
import { useCities, useCityName } from '../../hooks';
import { useT } from '../../i18n';
import { EnterpriseDrawer } from './EnterpriseDrawer';

export default function Enterprises() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const canEdit = user?.role === 'admin';
  const { cities } = useCities();
  const cityName = useCityName(lang);
  const list = useListState();
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const city = list.get('city_code');
  const setCity = (v: string | null | undefined) => list.setFilter('city_code', v);
  const size = list.get('size_class') as SizeClass | undefined;
  const setSize = (v: SizeClass | null | undefined) => list.setFilter('size_class', v);
  const [open, setOpen] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const query: ListFilters<'/enterprises'> = { q, city_code: city, size_class: size };

  const columns: ColumnsType<Enterprise> = [
    {
      title: t('ent.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Link onClick={() => setOpen(r.id)} data-testid={`enterprise-open-${r.id}`}>
            <strong>{v}</strong>
          </Typography.Link>
          <Typography.Text type="secondary" className="mono" style={{ fontSize: 12 }}>{r.id}</Typography.Text>
        </Space>
      ),
    },
    { title: t('ent.uscc'), dataIndex: 'uscc', key: 'uscc', sorter: true, render: (v: string) => <span className="mono">{v}</span> },
    { title: t('common.city'), dataIndex: 'city_code', key: 'city_code', sorter: true, render: (v: string) => cityName(v) },
    { title: t('ent.size'), dataIndex: 'size_class', render: (v: string) => tEnum('size', v) },
    { title: t('ent.industry'), dataIndex: 'industry', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{industryLabel(tEnum, v)}</span> },
    { title: t('entAdmin.pilot'), dataIndex: 'pilot_zone', render: (v: boolean) => (v ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
    {
      title: t('ent.credit'),
      dataIndex: 'dishonest',
      render: (v: boolean) => (
        <span data-testid="enterprise-dishonest" data-dishonest={String(v)}>
          {v ? <Tag color="error">{t('ent.creditListed')}</Tag> : <Tag color="success">{t('ent.creditOk')}</Tag>}
        </span>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, r) => (
        <Button size="small" type="link" onClick={() => setOpen(r.id)} data-testid={`enterprise-detail-${r.id}`}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  const filtered = !!(q || city || size);
  return (
    <div data-testid="page-admin-enterprises">
      <PageHeader title={t('entAdmin.title')} sub={t('entAdmin.sub')} extra={canEdit ? undefined : <Tag data-testid="read-only">{t('entAdmin.readOnly')}</Tag>} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('entAdmin.search')} onSearch={setQ} value={q} testid="enterprise-search" width={320} />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('common.city')}
            style={{ width: 160 }}
            value={city}
            onChange={setCity}
            options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))}
            data-testid="enterprise-filter-city"
          />
          <Select
            allowClear
            placeholder={t('ent.size')}
            style={{ width: 140 }}
            value={size}
            onChange={setSize}
            options={SIZE_CLASSES.map((s) => ({ value: s, label: tEnum('size', s) }))}
            data-testid="enterprise-filter-size"
          />
        </Space>
        <ServerTable
          testid="table-enterprises"
          path="/enterprises" exportName="enterprises"
          query={query}
          columns={columns}
          reloadKey={reloadKey}
          emptyText={filtered ? t('common.noMatch') : undefined}
        />
      </Card>
      <EnterpriseDrawer id={open} canEdit={canEdit} onClose={() => setOpen(null)} onSaved={() => setReloadKey((k) => k + 1)} />
    </div>
  );
}
