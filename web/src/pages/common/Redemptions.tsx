import { Card, Descriptions, Select, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { REDEMPTION_STATUSES, type Redemption, type RedemptionStatus } from '../../api/types';
import { DateText, Money, PageHeader, StatusTag } from '../../components/common';
import { HoldReasonText } from '../../components/HoldReason';
import { ServerTable } from '../../components/ServerTable';
import { useAuth } from '../../auth';
import { useT } from '../../i18n';

/** Redemption history: an enterprise sees its own, a supplier its own (the server scopes the list). */
export default function Redemptions() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const [status, setStatus] = useState<RedemptionStatus | undefined>();
  const columns: ColumnsType<Redemption> = [
    { title: t('common.id'), dataIndex: 'id', key: 'id', sorter: true, width: 80 },
    { title: t('r.invoice'), dataIndex: 'invoice_number', render: (v: string) => <span className="mono">{v}</span> },
    { title: t('r.invoiceDate'), dataIndex: 'invoice_date', key: 'invoice_date', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('r.voucher'), dataIndex: 'voucher_id', render: (v) => <span className="mono">{String(v)}</span> },
    { title: t('r.product'), dataIndex: 'product_id', render: (v, r) => r.product_name ?? String(v) },
    ...(user?.role === 'supplier'
      ? [{ title: t('app.enterprise'), dataIndex: 'enterprise_name', render: (v: string | undefined, r: Redemption) => v ?? String(r.enterprise_id) }]
      : [{ title: t('sel.supplier'), dataIndex: 'supplier_name', render: (v: string | undefined, r: Redemption) => v ?? String(r.supplier_id) }]),
    { title: t('r.invoiceAmount'), dataIndex: 'invoice_amount_fen', key: 'invoice_amount_fen', align: 'right', sorter: true, render: (v: number) => <Money fen={v} /> },
    { title: t('r.subsidy'), dataIndex: 'subsidy_fen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
    { title: t('r.entPays'), dataIndex: 'enterprise_pays_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="rst" status={v} /> },
    { title: t('r.settlement'), dataIndex: 'settlement_id', render: (v) => (v == null ? '—' : String(v)) },
  ];
  return (
    <div data-testid="page-redemptions">
      <PageHeader title={t('r.title')} />
      <Card>
        <Space className="filters" wrap>
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
          path="/redemptions"
          query={{ status }}
          columns={columns}
          tableProps={{ expandable: { expandedRowRender: (r) => <RedemptionDetail r={r} />, rowExpandable: (r) => !!(r.hold_reason || r.clawback_reason) } }}
        />
      </Card>
    </div>
  );
}

/** Why a redemption is or was held, and why it was clawed back (an expanded row). */
export function RedemptionDetail({ r }: { r: Redemption }) {
  const { t } = useT();
  return (
    <Descriptions size="small" column={1} data-testid="redemption-detail">
      {r.status === 'held' && <Descriptions.Item label={t('common.status')}>{t('r.heldExplain')}</Descriptions.Item>}
      {r.hold_reason && (
        <Descriptions.Item label={t('r.holdReason')}>
          <HoldReasonText text={r.hold_reason} />
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
