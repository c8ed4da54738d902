import { Card, Descriptions, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, fetchAll } from '../../api/client';
import { REDEMPTION_STATUSES, type Contract, type Redemption, type RedemptionStatus } from '../../api/types';
import { DateText, Money, PageHeader, StatusTag } from '../../components/common';
import { HoldReasonText } from '../../components/HoldReason';
import { hasHold } from '../../components/holdReason';
import { ListSearch, numberColumn, ShortId } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useAuth } from '../../auth';
import { byId, useAsync } from '../../hooks';
import { useT } from '../../i18n';

/**
 * Redemption history: an enterprise sees its own, a supplier its own (the server scopes the list).
 * A redemption is paid to the supplier (it redeemed) or to the enterprise (reimbursed, then its
 * settlement is the reimbursement run); a claim under a contract names it.
 */
export default function Redemptions() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const list = useListState();
  const status = list.get('status') as RedemptionStatus | undefined;
  const setStatus = (v: RedemptionStatus | null | undefined) => list.setFilter('status', v);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  // The parties' own contracts (few), to show a claim's contract by its number.
  const contracts = useAsync(() => fetchAll(api, '/contracts', undefined, 10).catch(() => [] as Contract[]), []);
  const contractById = byId(contracts.data ?? []);
  const columns: ColumnsType<Redemption> = [
    numberColumn<Redemption>(t('rec.number')),
    ...(user?.role === 'supplier'
      ? [{ title: t('app.enterprise'), dataIndex: 'enterprise_name', render: (v: string | undefined, r: Redemption) => v ?? String(r.enterprise_id) }]
      : [{ title: t('sel.supplier'), dataIndex: 'supplier_name', render: (v: string | undefined, r: Redemption) => v ?? String(r.supplier_id) }]),
    { title: t('r.product'), dataIndex: 'product_id', render: (v, r) => <Typography.Text ellipsis={{ tooltip: r.product_name }} style={{ maxWidth: 180 }}>{r.product_name ?? String(v)}</Typography.Text> },
    { title: t('r.invoiceAmount'), dataIndex: 'invoice_amount_fen', key: 'invoice_amount_fen', align: 'right', sorter: true, render: (v: number) => <Money fen={v} /> },
    { title: t('r.subsidy'), dataIndex: 'subsidy_fen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
    { title: t('r.entPays'), dataIndex: 'enterprise_pays_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="rst" status={v} /> },
    {
      title: t('r.payee'),
      dataIndex: 'payee',
      render: (v: string) => (
        <Tag color={v === 'enterprise' ? 'purple' : 'blue'} data-testid="redemption-payee" data-payee={v}>
          {tEnum('payee', v)}
        </Tag>
      ),
    },
    { title: t('r.invoice'), dataIndex: 'invoice_number', render: (v: string) => <span className="mono">{v}</span> },
    { title: t('r.invoiceDate'), dataIndex: 'invoice_date', key: 'invoice_date', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('r.voucher'), dataIndex: 'voucher_id', render: (v) => <ShortId id={String(v)} /> },
    {
      title: t('r.contract'),
      dataIndex: 'contract_id',
      render: (v: string | null | undefined) => {
        if (!v) return '—';
        const c = contractById.get(String(v));
        return (
          <Tooltip title={c ? `${c.subject} · ${c.enterprise_name} / ${c.supplier_name}` : String(v)}>
            <span className="mono" data-testid="redemption-contract" data-contract-id={v}>
              {c?.contract_number ?? String(v)}
            </span>
          </Tooltip>
        );
      },
    },
    { title: t('r.settlementOrRun'), dataIndex: 'settlement_id', render: (v) => (v == null ? '—' : <ShortId id={String(v)} />) },
  ];
  return (
    <div data-testid="page-redemptions">
      <PageHeader title={t('r.title')} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchRedemption')} onSearch={setQ} value={q} testid="redemptions-search" />
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 180 }}
            value={status}
            onChange={setStatus}
            options={REDEMPTION_STATUSES.map((s) => ({ value: s, label: tEnum('rst', s) }))}
          />
        </Space>
        <ServerTable
          testid="table-redemptions"
          path="/redemptions" exportName="redemptions"
          query={{ q, status }}
          columns={columns}
          tableProps={{ expandable: { expandedRowRender: (r) => <RedemptionDetail r={r} />, rowExpandable: (r) => !!(hasHold(r) || r.clawback_reason || r.payment_proof || r.delivery_proof) } }}
        />
      </Card>
    </div>
  );
}

/** A claim's proofs of payment and delivery, why it is or was held, and why it was clawed back (an expanded row). */
export function RedemptionDetail({ r }: { r: Redemption }) {
  const { t } = useT();
  return (
    <Descriptions size="small" column={1} data-testid="redemption-detail">
      {r.payment_proof && (
        <Descriptions.Item label={t('r.paymentProof')}>
          <span data-testid="redemption-payment-proof">{r.payment_proof}</span>
        </Descriptions.Item>
      )}
      {r.delivery_proof && (
        <Descriptions.Item label={t('r.deliveryProof')}>
          <span data-testid="redemption-delivery-proof">{r.delivery_proof}</span>
        </Descriptions.Item>
      )}
      {r.status === 'held' && <Descriptions.Item label={t('common.status')}>{t('r.heldExplain')}</Descriptions.Item>}
      {hasHold(r) && (
        <Descriptions.Item label={t('r.holdReason')}>
          <HoldReasonText redemption={r} />
        </Descriptions.Item>
      )}
      {r.clawback_reason && (
        <Descriptions.Item label={t('r.clawbackReason')}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{r.clawback_reason}</span>
          <div style={{ opacity: 0.7 }}>{t('r.clawbackExplain')}</div>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
