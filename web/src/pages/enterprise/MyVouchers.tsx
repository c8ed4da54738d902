import { FileAddOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { redemptionMode, type Voucher } from '../../api/types';
import { DateText, Money, PageHeader, StatusTag } from '../../components/common';
import { ListSearch, numberColumn, ShortId } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useToday } from '../../clock';
import { expiresWithin } from '../../dates';
import { byId, usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { ClaimReimbursement } from './ClaimReimbursement';

/**
 * The enterprise's vouchers. In a program where the supplier redeems, the enterprise gives the
 * supplier the voucher number; in one where the enterprise pays in full and is reimbursed, it
 * claims here (申请报销), with the contract, the invoice and proof of payment.
 */
export default function MyVouchers() {
  const { t, tEnum } = useT();
  const today = useToday();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const [claiming, setClaiming] = useState<Voucher | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const list = useListState();
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const modeOf = (v: Voucher) => redemptionMode(progs.get(String(v.program_id)));
  const [shown, setShown] = useState<Voucher[]>([]);
  const reimbursed = shown.some((v) => progs.has(String(v.program_id)) && modeOf(v) === 'enterprise_reimbursed');
  const columns: ColumnsType<Voucher> = [
    numberColumn<Voucher>(t('rec.number')),
    {
      title: t('app.program'),
      dataIndex: 'program_id',
      render: (v, r) => {
        const name = r.program_name ?? progs.get(String(v))?.name ?? String(v);
        return <Typography.Text ellipsis={{ tooltip: name }} style={{ maxWidth: 200 }}>{name}</Typography.Text>;
      },
    },
    { title: t('v.face'), dataIndex: 'face_value_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    {
      title: t('v.balance'),
      dataIndex: 'balance_fen',
      key: 'balance_fen',
      align: 'right',
      sorter: true,
      render: (v: number, r) => (
        <Space direction="vertical" size={0} style={{ minWidth: 160 }}>
          <span data-testid="voucher-balance" data-fen={v}><Money fen={v} strong /></span>
          <Progress
            percent={r.face_value_fen > 0 ? Math.round(((r.face_value_fen - v) / r.face_value_fen) * 100) : 0}
            size="small"
            showInfo={false}
          />
        </Space>
      ),
    },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="vst" status={v} /> },
    // The id the supplier redeems with: shown short, copied whole.
    { title: t('redeem.voucherId'), dataIndex: 'id', render: (v) => <ShortId id={String(v)} testid="voucher-id" /> },
    { title: t('v.type'), dataIndex: 'voucher_type', render: (v: string) => <Tag color="blue">{tEnum('vt', v)}</Tag> },
    { title: t('v.redeemed'), dataIndex: 'redeemed_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('v.held'), dataIndex: 'held_fen', align: 'right', render: (v: number) => (v > 0 ? <span data-testid="voucher-held"><Money fen={v} /></span> : '—') },
    {
      title: t('acc.rating'),
      dataIndex: 'acceptance',
      render: (v: string | null | undefined, r) =>
        v ? (
          <Tag color={v === 'excellent' ? 'green' : v === 'pass' ? 'blue' : 'red'} data-testid="voucher-acceptance">{t(`acc.${v}` as 'acc.pass')}</Tag>
        ) : r.held_fen > 0 ? (
          <Tag>{t('acc.none')}</Tag>
        ) : (
          '—'
        ),
    },
    {
      title: (
        <Tooltip title={t('v.reversedHint')}>
          <span data-testid="voucher-reversed-title">
            {t('v.reversed')} <InfoCircleOutlined />
          </span>
        </Tooltip>
      ),
      dataIndex: 'reversed_fen',
      align: 'right',
      render: (v: number) => <Money fen={v} />,
    },
    {
      title: t('v.validUntil'),
      dataIndex: 'valid_until',
      key: 'valid_until',
      sorter: true,
      render: (v: string, r) => {
        const n = r.status === 'active' ? expiresWithin(v, today) : null;
        return (
          <span>
            <DateText d={v} />{' '}
            {n !== null && (
              <Tag color="orange" data-testid="voucher-expires" data-days-left={n}>
                {n === 0 ? t('v.expiresToday') : n === 1 ? t('v.expiresTomorrow') : t('v.expiresIn', { n })}
              </Tag>
            )}
          </span>
        );
      },
    },
    {
      title: t('v.mode'),
      key: 'mode',
      render: (_, r) => {
        if (!progs.has(String(r.program_id))) return '—';
        const m = modeOf(r);
        return (
          <Tag color={m === 'enterprise_reimbursed' ? 'purple' : 'blue'} data-testid="voucher-mode" data-mode={m}>
            {tEnum('mode', m)}
          </Tag>
        );
      },
    },
    {
      title: t('nav.voucherCertificate'),
      key: 'certificate',
      render: (_, r) => (
        <Link to={`/ent/vouchers/${encodeURIComponent(String(r.id))}/certificate`} data-testid={`voucher-certificate-${r.id}`}>
          {t('vv.printCertificate')}
        </Link>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right' as const,
      render: (_, r) =>
        progs.has(String(r.program_id)) && modeOf(r) === 'enterprise_reimbursed' ? (
          <Button
            size="small"
            type="link"
            icon={<FileAddOutlined />}
            disabled={r.status !== 'active' || r.balance_fen <= 0}
            onClick={() => setClaiming(r)}
            data-testid={`voucher-claim-${r.id}`}
          >
            {t('v.claim')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('v.bySupplier')}</Typography.Text>
        ),
    },
  ];
  return (
    <div data-testid="page-ent-vouchers">
      <PageHeader title={t('v.title')} />
      <Alert type="info" showIcon message={t('v.hint')} style={{ marginBottom: reimbursed ? 8 : 16 }} />
      {reimbursed && <Alert type="info" showIcon message={t('v.hintReimbursed')} style={{ marginBottom: 16 }} data-testid="voucher-reimbursed-hint" />}
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchVoucher')} onSearch={setQ} value={q} testid="my-vouchers-search" />
        </Space>
        <ServerTable testid="table-my-vouchers" path="/vouchers" exportName="vouchers" query={{ q }} columns={columns} reloadKey={reloadKey} onLoaded={(p) => setShown(p.items)} />
      </Card>
      <ClaimReimbursement
        voucher={claiming}
        program={claiming ? progs.get(String(claiming.program_id)) : undefined}
        onClose={() => setClaiming(null)}
        onDone={() => setReloadKey((k) => k + 1)}
      />
    </div>
  );
}
