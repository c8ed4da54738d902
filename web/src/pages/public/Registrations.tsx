// 数据资源登记公示 (public): the register of data resource registrations with their standing, a
// search by name or code, and a box to verify a code.
import { Card, Input, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router-dom';
import { REGISTRATION_KINDS, type DataRegistration, type RegistrationKind } from '../../api/types';
import { DateText, PageHeader } from '../../components/common';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useT } from '../../i18n';
import { normalizeCode } from '../data/registration';
import { RegStatusTag, StandingTag } from '../data/RegistrationParts';

export default function PublicRegistrations() {
  const { t, tEnum } = useT();
  const nav = useNavigate();
  const list = useListState();
  const q = list.get('q');
  const setQ = (v: string) => list.setFilter('q', v.trim());
  const kind = list.get('kind') as RegistrationKind | undefined;
  const setKind = (v: RegistrationKind | null | undefined) => list.setFilter('kind', v);

  const columns: ColumnsType<DataRegistration> = [
    {
      title: t('dr.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      render: (v: string | null) => (v ? <Link to={`/verify/${encodeURIComponent(v)}`} className="mono" data-testid="public-reg-code">{v}</Link> : '—'),
    },
    { title: t('dr.resourceName'), key: 'resource_name', sorter: true, render: (_, r) => <strong>{r.content.resource_name}</strong> },
    { title: t('dr.category'), key: 'category', render: (_, r) => r.content.category },
    { title: t('dr.grade'), key: 'grade', render: (_, r) => tEnum('grade', r.content.grade) },
    { title: t('dr.holder'), key: 'holder', render: (_, r) => r.content.rights.holding.name },
    { title: t('dr.kind'), dataIndex: 'kind', render: (v: string) => tEnum('regkind', v) },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <RegStatusTag status={v} /> },
    { title: t('dr.standing'), dataIndex: 'standing', render: (v: DataRegistration['standing']) => <StandingTag standing={v} /> },
    { title: t('dr.registeredOn'), dataIndex: 'registered_on', render: (v: string | null) => <DateText d={v} /> },
    { title: t('dr.validUntil'), dataIndex: 'valid_until', key: 'valid_until', sorter: true, render: (v: string | null) => <DateText d={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) =>
        r.code ? (
          <Space size="small">
            <Link to={`/verify/${encodeURIComponent(r.code)}`}>{t('dr.verify')}</Link>
            {r.status === 'registered' && <Link to={`/certificate/${encodeURIComponent(r.code)}`}>{t('dr.certificate')}</Link>}
          </Space>
        ) : null,
    },
  ];

  return (
    <div data-testid="page-public-registrations">
      <PageHeader
        title={t('nav.registry')}
        sub={t('dr.publicSub')}
        extra={
          <Input.Search
            placeholder={t('dr.verifyPh')}
            enterButton={t('dr.verify')}
            style={{ width: 360 }}
            onSearch={(v) => v.trim() && nav(`/verify/${encodeURIComponent(normalizeCode(v))}`)}
            data-testid="public-verify-input"
          />
        }
      />
      <Card>
        <Space className="filters" wrap>
          <Input.Search allowClear placeholder={t('dr.searchPh')} style={{ width: 300 }} defaultValue={q} onSearch={setQ} data-testid="public-reg-q" />
          <Select
            allowClear
            placeholder={t('dr.kind')}
            style={{ width: 160 }}
            value={kind}
            onChange={setKind}
            options={REGISTRATION_KINDS.map((k) => ({ value: k, label: tEnum('regkind', k) }))}
            data-testid="public-reg-kind"
          />
          <Typography.Text type="secondary">{t('dr.publicHint')}</Typography.Text>
        </Space>
        <ServerTable testid="table-public-registrations" path="/public/registrations" query={{ q: q || undefined, kind }} columns={columns} emptyText={q ? t('common.noMatch') : undefined} />
      </Card>
    </div>
  );
}
