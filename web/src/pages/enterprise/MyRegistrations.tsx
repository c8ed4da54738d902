// 数据资源登记 (an enterprise as data holder; a supplier for the corpora it offers): its registrations with status and standing, the form
// to apply, a change / correction / renewal / cancellation of a registered one (prefilled), a
// resubmission of a returned one (with the reason it came back), and the detail with its history.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Dropdown, Input, Select, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { REGISTRATION_STATUSES, type DataRegistration, type Enterprise, type RegistrationInput, type Supplier, type RegistrationStatus } from '../../api/types';
import { useAuth } from '../../auth';
import { DateText, PageHeader } from '../../components/common';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { canFollowUp, FOLLOW_UP_KINDS, inputFromRegistration, selfHolder } from '../data/registration';
import { RegistrationDrawer, RegStatusTag, StandingTag } from '../data/RegistrationParts';
import { RegistrationForm } from './RegistrationForm';

type FormState = { title: string; initial?: RegistrationInput; resubmitId?: string; lastReason?: string | null } | null;

export default function MyRegistrations() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const list = useListState();
  const status = list.get('status') as RegistrationStatus | undefined;
  const setStatus = (v: RegistrationStatus | null | undefined) => list.setFilter('status', v);
  const q = list.get('q');
  const setQ = (v: string) => list.setFilter('q', v.trim());
  const [reloadKey, setReloadKey] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [formState, setFormState] = useState<FormState>(null);
  // The applicant: the enterprise, or a supplier (the holder of the corpora it offers).
  const supplierId = user?.role === 'supplier' ? user.supplier_id : null;
  const party = useAsync<{ name: string } | null>(
    (s) =>
      supplierId
        ? api.get<Supplier>(`/suppliers/${supplierId}`, undefined, s)
        : user?.enterprise_id
          ? api.get<Enterprise>(`/enterprises/${user.enterprise_id}`, undefined, s)
          : Promise.resolve(null),
    [supplierId, user?.enterprise_id],
  );
  const self = selfHolder(supplierId ?? user?.enterprise_id, party.data?.name ?? user?.display_name ?? '', supplierId ? 'supplier' : 'enterprise');

  const openResubmit = (r: DataRegistration) =>
    setFormState({ title: t('dr.resubmitTitle', { name: r.content.resource_name }), initial: inputFromRegistration(r), resubmitId: r.id, lastReason: r.last_reason });

  const columns: ColumnsType<DataRegistration> = [
    { title: t('dr.code'), dataIndex: 'code', key: 'code', sorter: true, render: (v: string | null) => (v ? <span className="mono">{v}</span> : '—') },
    { title: t('dr.resourceName'), key: 'resource_name', sorter: true, render: (_, r) => <strong>{r.content.resource_name}</strong> },
    { title: t('dr.kind'), dataIndex: 'kind', render: (v: string) => tEnum('regkind', v) },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <RegStatusTag status={v} /> },
    { title: t('dr.standing'), dataIndex: 'standing', render: (v: DataRegistration['standing']) => <StandingTag standing={v} /> },
    { title: t('dr.appliedAt'), dataIndex: 'applied_at', key: 'applied_at', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('dr.validUntil'), dataIndex: 'valid_until', key: 'valid_until', sorter: true, render: (v: string | null) => <DateText d={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) => (
        <Space size={0} wrap>
          <Button size="small" type="link" onClick={() => setOpenId(r.id)} data-testid={`reg-open-${r.id}`}>
            {t('common.detail')}
          </Button>
          {r.status === 'returned' && (
            <Button size="small" type="link" onClick={() => openResubmit(r)} data-testid={`reg-resubmit-${r.id}`}>
              {t('dr.resubmit')}
            </Button>
          )}
          {canFollowUp(r) && (
            <>
              <Link to={`/certificate/${encodeURIComponent(r.code!)}`} target="_blank" data-testid={`reg-cert-${r.id}`}>
                {t('dr.certificate')}
              </Link>
              <Dropdown
                menu={{
                  items: FOLLOW_UP_KINDS.map((k) => ({ key: k, label: <span data-testid={`reg-follow-${k}`}>{tEnum('regkind', k)}</span> })),
                  onClick: ({ key }) =>
                    setFormState({
                      title: `${tEnum('regkind', key)} · ${r.code}`,
                      initial: inputFromRegistration(r, key as (typeof FOLLOW_UP_KINDS)[number]),
                    }),
                }}
              >
                <Button size="small" type="link" data-testid={`reg-follow-${r.id}`}>
                  {t('dr.followUp')}
                </Button>
              </Dropdown>
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-my-registrations">
      <PageHeader
        title={t('dr.myTitle')}
        sub={t('dr.mySub')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormState({ title: t('dr.new') })} data-testid="reg-new">
            {t('dr.new')}
          </Button>
        }
      />
      <Card>
        <Space className="filters" wrap>
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            options={REGISTRATION_STATUSES.map((s) => ({ value: s, label: tEnum('regst', s) }))}
            data-testid="reg-filter-status"
          />
          <Input.Search allowClear placeholder={t('dr.searchPh')} style={{ width: 280 }} defaultValue={q} onSearch={setQ} data-testid="reg-filter-q" />
        </Space>
        <ServerTable
          testid="table-registrations"
          path="/data-registrations"
          query={{ status, q: q || undefined }}
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ onRow: (r) => ({ onDoubleClick: () => setOpenId(r.id) }) }}
        />
      </Card>
      <RegistrationDrawer
        id={openId}
        reloadKey={reloadKey}
        onClose={() => setOpenId(null)}
        extra={(r) =>
          r.status === 'returned' ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={t('dr.returnedMsg')}
              description={r.last_reason}
              action={
                <Button size="small" onClick={() => { setOpenId(null); openResubmit(r); }} data-testid="reg-drawer-resubmit">
                  {t('dr.resubmit')}
                </Button>
              }
            />
          ) : null
        }
      />
      <Drawer
        open={formState != null}
        onClose={() => setFormState(null)}
        width={Math.min(860, typeof window === 'undefined' ? 860 : window.innerWidth)}
        title={formState?.title}
        destroyOnClose
        data-testid="reg-form-drawer"
        key={lang}
      >
        {formState?.lastReason ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('dr.lastReason')} description={formState.lastReason} data-testid="reg-last-reason" /> : null}
        {formState && (
          <RegistrationForm
            initial={formState.initial}
            resubmitId={formState.resubmitId}
            self={self}
            onSaved={() => {
              message.success(t('dr.applied'));
              setFormState(null);
              setReloadKey((k) => k + 1);
            }}
          />
        )}
      </Drawer>
    </div>
  );
}
