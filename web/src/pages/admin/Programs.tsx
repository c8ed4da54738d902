import { EditOutlined, PlusOutlined, StopOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { redemptionMode, VOUCHER_TYPES, type Program } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, Money, PageHeader, Pct, StatusTag } from '../../components/common';
import { formatDateTime } from '../../format';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { programPhase } from '../../dates';
import { byId, useFundingSources } from '../../hooks';
import { useT } from '../../i18n';
import { ProgramRules } from '../enterprise/ProgramRules';
import { CloseProgramModal } from './CloseProgramModal';
import { EligibleProducts } from './EligibleProducts';
import { ProgramForm } from './ProgramForm';
import { isClosed } from './policy';

export default function Programs() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const today = useToday();
  const { message } = App.useApp();
  const canEdit = user?.role === 'admin';
  const { sources } = useFundingSources();
  const srcs = byId(sources);
  const list = useListState();
  const type = list.get('voucher_type');
  const setType = (v: string | null | undefined) => list.setFilter('voucher_type', v);
  const [editing, setEditing] = useState<Program | 'new' | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [listing, setListing] = useState<Program | null>(null);
  const [closing, setClosing] = useState<Program | null>(null);

  const columns: ColumnsType<Program> = [
    { title: t('common.id'), dataIndex: 'id', key: 'id', sorter: true, width: 70 },
    { title: t('prog.name'), dataIndex: 'name', key: 'name', sorter: true, render: (v: string) => <strong data-testid="program-row-name">{v}</strong> },
    { title: t('prog.type'), dataIndex: 'voucher_type', render: (v: string) => <Tag color="blue">{tEnum('vt', v)}</Tag> },
    {
      title: t('policy.mode'),
      key: 'redemption_mode',
      render: (_, r) => {
        const m = redemptionMode(r);
        return (
          <Tag color={m === 'enterprise_reimbursed' ? 'purple' : 'blue'} data-testid="program-mode" data-mode={m}>
            {tEnum('mode', m)}
          </Tag>
        );
      },
    },
    { title: t('common.year'), dataIndex: 'year', key: 'year', sorter: true },
    { title: t('apply.rate'), dataIndex: 'rate_bps', align: 'right', render: (v: number) => <Pct bps={v} /> },
    { title: t('apply.budget'), dataIndex: 'budget_fen', key: 'budget_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('apply.faceCap'), dataIndex: 'face_value_cap_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    {
      title: t('prog.funding'),
      dataIndex: 'funding',
      render: (f: Program['funding']) =>
        (f ?? []).map((x) => (
          <Tag key={String(x.source_id)}>
            {x.source_name ?? srcs.get(String(x.source_id))?.name ?? `#${x.source_id}`} <Pct bps={x.share_bps} />
          </Tag>
        )),
    },
    { title: t('apply.applyWindow'), key: 'window', render: (_, r) => <span><DateText d={r.apply_from} /> ~ <DateText d={r.apply_until} /></span> },
    { title: t('apply.remaining'), dataIndex: 'available_fen', align: 'right', render: (v?: number) => (v == null ? '—' : <Money fen={v} />) },
    {
      title: t('common.status'),
      key: 'status',
      render: (_, r) =>
        isClosed(r) ? (
          <Tooltip title={r.close_reason ? `${t('prog.closeReason')}：${r.close_reason}` : undefined}>
            <Space direction="vertical" size={0}>
              <Tag color="default" data-testid="program-closed-tag" data-status="program_closed">
                {t('prog.closedTag')}
              </Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                {t('prog.closedAtHint', { at: formatDateTime(r.closed_at, lang) })}
              </Typography.Text>
            </Space>
          </Tooltip>
        ) : (
          <StatusTag prefix="prst" status={programPhase(r, today)} />
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right' as const,
      render: (_: unknown, r: Program) => (
        <Space size={0}>
          {canEdit && !isClosed(r) && (
            <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`program-edit-${r.id}`}>
              {t('common.edit')}
            </Button>
          )}
          <Button size="small" type="link" icon={<UnorderedListOutlined />} onClick={() => setListing(r)} data-testid={`program-eligible-${r.id}`} data-program-name={r.name}>
            {t('prog.eligible')}
          </Button>
          {canEdit && !isClosed(r) && (
            <Button size="small" type="link" danger icon={<StopOutlined />} onClick={() => setClosing(r)} data-testid={`program-close-${r.id}`} data-program-name={r.name}>
              {t('prog.close')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-admin-programs">
      <PageHeader
        title={t('prog.title')}
        extra={canEdit && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="program-new">{t('prog.new')}</Button>}
      />
      <Card>
        <Space className="filters" wrap>
          <Select allowClear placeholder={t('prog.type')} style={{ width: 180 }} value={type} onChange={setType} options={VOUCHER_TYPES.map((v) => ({ value: v, label: tEnum('vt', v) }))} />
        </Space>
        <ServerTable
          testid="table-programs"
          path="/programs"
          query={{ voucher_type: type }}
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ expandable: { expandedRowRender: (r) => <ProgramRules p={r} column={3} /> } }}
        />
      </Card>
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        width={Math.min(860, typeof window === 'undefined' ? 860 : window.innerWidth)}
        title={editing === 'new' ? t('prog.new') : t('prog.edit')}
        destroyOnClose
        data-testid="program-drawer"
        key={lang}
      >
        {editing !== null && (
          <ProgramForm
            program={editing === 'new' ? undefined : editing}
            onSaved={() => {
              message.success(editing === 'new' ? t('prog.created') : t('prog.updated'));
              setEditing(null);
              setReloadKey((k) => k + 1);
            }}
          />
        )}
      </Drawer>
      <Drawer open={listing !== null} onClose={() => setListing(null)} width={720} title={listing ? `${t('prog.eligible')} · ${listing.name}` : ''} destroyOnClose>
        {listing && <EligibleProducts program={listing} readOnly={!canEdit || isClosed(listing)} />}
      </Drawer>
      {canEdit && (
        <CloseProgramModal
          program={closing}
          onClose={() => setClosing(null)}
          onClosed={() => {
            setClosing(null);
            setReloadKey((k) => k + 1);
          }}
          onStale={() => setReloadKey((k) => k + 1)}
        />
      )}
    </div>
  );
}
