// 遴选管理: the annual selection rounds of model products and corpora. An administrator opens a
// round (one per year and kind) and runs it from its page; the auditor reads. Each round shows
// where it is (call and scoring → panel closed → notice → in force) and how many products it has
// taken in and selected.
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Select, Space, Tag, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { SELECTION_KINDS, type SelectionRound } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, PageHeader } from '../../components/common';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useT } from '../../i18n';
import { callState } from '../common/selection';
import { RoundStatusTag } from '../common/SelectionParts';
import { SelectionRoundForm } from './SelectionRoundForm';

export default function SelectionRounds() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const isAdmin = user?.role === 'admin';
  const today = useToday();
  const nav = useNavigate();
  const { message } = App.useApp();
  const list = useListState();
  const year = list.num('year');
  const setYear = (v: number | null | undefined) => list.setFilter('year', v);
  const kind = list.get('kind');
  const setKind = (v: string | null | undefined) => list.setFilter('kind', v);
  const [open, setOpen] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  const columns: ColumnsType<SelectionRound> = [
    {
      title: t('sr.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      render: (v: string, r) => (
        <Link to={`/admin/selection/${encodeURIComponent(r.id)}`} data-testid="round-row-link" data-round-id={r.id}>
          <strong>{v}</strong>
        </Link>
      ),
    },
    { title: t('sr.kind'), dataIndex: 'kind', render: (v: string) => <Tag color="blue">{tEnum('pk', v)}</Tag> },
    {
      title: t('common.year'),
      dataIndex: 'year',
      key: 'year',
      sorter: true,
      render: (v: number, r) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {v} · {t('sr.batchN', { n: r.batch })}
        </span>
      ),
    },
    {
      title: t('sr.callWindow'),
      key: 'call_until',
      sorter: true,
      render: (_, r) => {
        const s = callState(r, today);
        return (
          <Space direction="vertical" size={0}>
            <span>
              <DateText d={r.call_from} /> ~ <DateText d={r.call_until} />
            </span>
            {s && r.status === 'open' ? <Typography.Text type={s === 'open' ? 'success' : 'secondary'} style={{ fontSize: 12 }}>{t(`sr.call.${s}`)}</Typography.Text> : null}
          </Space>
        );
      },
    },
    { title: t('sr.cap'), dataIndex: 'cap', align: 'right' },
    { title: t('sr.passMark'), dataIndex: 'pass_mark', align: 'right' },
    { title: t('sr.entryCount'), dataIndex: 'entry_count', align: 'right', render: (v: number) => <span data-testid="round-entry-count">{v}</span> },
    { title: t('sr.selectedCount'), dataIndex: 'selected_count', align: 'right', render: (v: number) => <span data-testid="round-selected-count">{v}</span> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <RoundStatusTag status={v} /> },
    { title: t('sr.effectiveOn'), dataIndex: 'effective_on', render: (v: string | null) => <DateText d={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) => (
        <Link to={`/admin/selection/${encodeURIComponent(r.id)}`} data-testid={`round-open-${r.id}`}>
          {t('common.detail')}
        </Link>
      ),
    },
  ];

  return (
    <div data-testid="page-admin-selection">
      <PageHeader
        title={t('sr.adminTitle')}
        sub={t('sr.adminSub')}
        extra={
          isAdmin ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="round-new">
              {t('sr.new')}
            </Button>
          ) : (
            <Tag data-testid="read-only">{t('sr.readOnly')}</Tag>
          )
        }
      />
      <Card>
        <Space className="filters" wrap>
          <InputNumber
            placeholder={t('common.year')}
            min={2000}
            max={2100}
            precision={0}
            style={{ width: 140 }}
            value={year}
            onChange={(v) => setYear(typeof v === 'number' ? v : null)}
            data-testid="round-filter-year"
          />
          <Select
            allowClear
            placeholder={t('sr.kind')}
            style={{ width: 160 }}
            value={kind}
            onChange={setKind}
            options={SELECTION_KINDS.map((k) => ({ value: k, label: tEnum('pk', k) }))}
            data-testid="round-filter-kind"
          />
        </Space>
        <ServerTable
          testid="table-rounds"
          path="/selection-rounds"
          query={{ year: year ?? undefined, kind }}
          columns={columns}
          reloadKey={reloadKey}
          emptyText={year || kind ? t('common.noMatch') : undefined}
          tableProps={{ onRow: (r) => ({ onDoubleClick: () => nav(`/admin/selection/${encodeURIComponent(r.id)}`) }) }}
        />
      </Card>
      {isAdmin && (
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          width={Math.min(860, typeof window === 'undefined' ? 860 : window.innerWidth)}
          title={t('sr.new')}
          destroyOnClose
          data-testid="round-drawer"
          key={lang}
        >
          {open && (
            <SelectionRoundForm
              onSaved={(r) => {
                message.success(t('sr.created', { name: r.name }));
                setOpen(false);
                setReloadKey((k) => k + 1);
              }}
            />
          )}
        </Drawer>
      )}
    </div>
  );
}
