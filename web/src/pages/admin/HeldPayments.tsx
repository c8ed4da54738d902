// 暂缓支付: money owed to suppliers that is not paid out automatically. Two reasons: invoices held
// as suspected split purchases (released by an administrator, or clawed back), and the payables of
// a supplier on the dishonesty list (held until the entry is lifted or runs out). Administrators
// decide; reviewers and auditors read.
import { CheckCircleOutlined, RollbackOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { HeldPayment, Redemption } from '../../api/types';
import { useAuth } from '../../auth';
import { DateText, EmptyState, ErrorState, Money, PageHeader, StatusTag } from '../../components/common';
import { HoldReasonText } from '../../components/HoldReason';
import { ListSearch, numberColumn } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { RedemptionActionModal, type RedemptionAction } from './RedemptionActions';

const REASON_COLORS: Record<string, string> = { split_purchase: 'warning', dishonest: 'error' };

export default function HeldPayments() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const canDecide = user?.role === 'admin';
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey((k) => k + 1);
  const queue = useAsync((s) => api.get<HeldPayment[]>('/held-payments', undefined, s), [reloadKey]);
  const rows = queue.data ?? [];
  const list = useListState();
  const supplierId = list.get('supplier_id');
  const setSupplierId = (v: string | null | undefined) => list.setFilter('supplier_id', v);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const [acting, setActing] = useState<{ r: Redemption; action: RedemptionAction } | null>(null);
  const splitSuppliers = useMemo(() => rows.filter((r) => r.reason === 'split_purchase'), [rows]);
  const total = rows.reduce((a, r) => a + r.amount_fen, 0);

  const queueColumns: ColumnsType<HeldPayment> = [
    {
      title: t('st.supplier'),
      dataIndex: 'supplier_name',
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          <strong>{v}</strong>
          <Typography.Text type="secondary" className="mono">{r.supplier_id}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('held.reason'),
      dataIndex: 'reason',
      render: (v: string) => (
        <Tag color={REASON_COLORS[v] ?? 'default'} data-testid="held-reason" data-reason={v}>
          {tEnum('heldReason', v)}
        </Tag>
      ),
    },
    { title: t('held.items'), dataIndex: 'items', align: 'right' },
    { title: t('held.amount'), dataIndex: 'amount_fen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
    { title: t('held.explain'), key: 'explain', render: (_, r) => <Typography.Text type="secondary" style={{ display: 'inline-block', maxWidth: 280 }}>{t(r.reason === 'dishonest' ? 'held.explainDishonest' : 'held.explainSplit')}</Typography.Text> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) =>
        r.reason === 'split_purchase' ? (
          <Button size="small" type="link" icon={<UnorderedListOutlined />} onClick={() => setSupplierId(r.supplier_id)} data-testid={`held-view-${r.supplier_id}`}>
            {t('held.viewItems')}
          </Button>
        ) : (
          <Link to="/admin/dishonesty" data-testid={`held-dishonesty-${r.supplier_id}`} data-entry-id={r.entry_id ?? undefined}>
            {t('held.viewEntry')}
          </Link>
        ),
    },
  ];

  const columns: ColumnsType<Redemption> = [
    // Compact enough that the hold reason, what the administrator decides on, is on screen: the
    // parties stacked in one column, the status (always held here) beside the reason.
    numberColumn<Redemption>(t('rec.number')),
    {
      title: t('held.invoiceProduct'),
      dataIndex: 'invoice_number',
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          <Tooltip title={`${t('rec.id')}: ${r.id}`}>
            <span className="mono">{v}</span>
          </Tooltip>
          <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 180 }} ellipsis={{ tooltip: r.product_name }}>
            {r.product_name}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('r.invoiceDate'), dataIndex: 'invoice_date', key: 'invoice_date', sorter: true, render: (v: string) => <DateText d={v} /> },
    {
      title: `${t('app.enterprise')} / ${t('sel.supplier')}`,
      dataIndex: 'enterprise_name',
      render: (v: string, r) => (
        <Space direction="vertical" size={0} style={{ maxWidth: 180 }}>
          <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 180 }}>
            {v}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 180 }} ellipsis={{ tooltip: r.supplier_name }}>
            {r.supplier_name}
          </Typography.Text>
        </Space>
      ),
    },
    // The subsidy held, the invoice's amount below it.
    {
      title: t('held.amounts'),
      dataIndex: 'subsidy_fen',
      key: 'subsidy_fen',
      sorter: true,
      align: 'right',
      render: (v: number, r) => (
        <Space direction="vertical" size={0} align="end">
          <Money fen={v} strong />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <Money fen={r.invoice_amount_fen} />
          </Typography.Text>
          {/* Who the subsidy goes to once released: the supplier, or the enterprise reimbursed. */}
          <Tooltip title={t('r.payee')}>
            <Tag color={r.payee === 'enterprise' ? 'purple' : 'blue'} style={{ marginInlineEnd: 0, marginTop: 2 }} data-testid="redemption-payee" data-payee={r.payee}>
              {tEnum('payee', r.payee)}
            </Tag>
          </Tooltip>
        </Space>
      ),
    },
    {
      title: t('r.holdReason'),
      key: 'hold',
      render: (_: unknown, r) => (
        <div style={{ maxWidth: 240 }}>
          <StatusTag prefix="rst" status={r.status} />
          <div style={{ marginTop: 4 }}>
            <HoldReasonText redemption={r} compact />
          </div>
        </div>
      ),
    },
    ...(canDecide
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: Redemption) => (
              <Space size={0}>
                <Button size="small" type="link" icon={<CheckCircleOutlined />} onClick={() => setActing({ r, action: 'release' })} data-testid={`held-release-${r.id}`}>
                  {t('held.release')}
                </Button>
                <Button size="small" type="link" danger icon={<RollbackOutlined />} onClick={() => setActing({ r, action: 'clawback' })} data-testid={`held-clawback-${r.id}`}>
                  {t('held.clawback')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-admin-held-payments">
      <PageHeader title={t('held.title')} sub={t('held.sub')} extra={!canDecide && <Tag data-testid="read-only">{t('held.readOnly')}</Tag>} />
      <Card
        title={t('held.queue')}
        style={{ marginBottom: 16 }}
        extra={
          rows.length > 0 && (
            <span data-testid="held-total" data-fen={total}>
              {t('held.total')} <Money fen={total} strong />
            </span>
          )
        }
      >
        {queue.error ? (
          <ErrorState error={queue.error} onRetry={queue.reload} compact />
        ) : (
          <div data-testid="held-queue">
            <Table<HeldPayment>
              size="middle"
              rowKey={(r) => `${r.reason}:${r.supplier_id}`}
              columns={queueColumns}
              dataSource={rows}
              loading={queue.loading}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: queue.loading ? <div style={{ height: 80 }} /> : <EmptyState description={t('held.queueEmpty')} /> }}
            />
          </div>
        )}
      </Card>
      <Card title={t('held.splitTitle')}>
        <Alert type="info" showIcon message={t('held.splitHint')} style={{ marginBottom: 12 }} />
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchRedemption')} onSearch={setQ} value={q} testid="held-search" />
          <Select
            allowClear
            placeholder={t('held.filterSupplier')}
            style={{ width: 280 }}
            value={supplierId}
            onChange={setSupplierId}
            options={splitSuppliers.map((r) => ({ value: r.supplier_id, label: r.supplier_name }))}
            data-testid="held-filter-supplier"
          />
        </Space>
        <ServerTable
          testid="table-held-redemptions"
          path="/redemptions"
          query={{ q, status: 'held', supplier_id: supplierId }}
          columns={columns}
          reloadKey={reloadKey}
          emptyText={t('held.splitEmpty')}
        />
      </Card>
      {canDecide && (
        <RedemptionActionModal
          redemption={acting?.r ?? null}
          action={acting?.action ?? 'release'}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            reload();
          }}
          onStale={reload}
        />
      )}
    </div>
  );
}
