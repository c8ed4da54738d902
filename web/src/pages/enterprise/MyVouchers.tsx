import { InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Voucher } from '../../api/types';
import { DateText, Money, PageHeader, StatusTag } from '../../components/common';
import { ServerTable } from '../../components/ServerTable';
import { useToday } from '../../clock';
import { expiresWithin } from '../../dates';
import { byId, usePrograms } from '../../hooks';
import { useT } from '../../i18n';

export default function MyVouchers() {
  const { t, tEnum } = useT();
  const today = useToday();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const columns: ColumnsType<Voucher> = [
    {
      title: t('app.voucher'),
      dataIndex: 'id',
      key: 'id',
      sorter: true,
      render: (v) => <Typography.Text copyable className="mono" data-testid="voucher-id">{String(v)}</Typography.Text>,
    },
    { title: t('v.type'), dataIndex: 'voucher_type', render: (v: string) => <Tag color="blue">{tEnum('vt', v)}</Tag> },
    { title: t('app.program'), dataIndex: 'program_id', render: (v, r) => r.program_name ?? progs.get(String(v))?.name ?? v },
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
    { title: t('v.redeemed'), dataIndex: 'redeemed_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
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
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="vst" status={v} /> },
  ];
  return (
    <div data-testid="page-ent-vouchers">
      <PageHeader title={t('v.title')} />
      <Alert type="info" showIcon message={t('v.hint')} style={{ marginBottom: 16 }} />
      <Card>
        <ServerTable testid="table-my-vouchers" path="/vouchers" columns={columns} />
      </Card>
    </div>
  );
}
