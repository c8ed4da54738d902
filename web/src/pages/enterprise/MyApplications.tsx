import { Card, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { APPLICATION_STATUSES, type Application, type ApplicationStatus } from '../../api/types';
import { DateText, Money, PageHeader, StatusTag } from '../../components/common';
import { ServerTable } from '../../components/ServerTable';
import { byId, usePrograms } from '../../hooks';
import { useT } from '../../i18n';

export default function MyApplications() {
  const { t, tEnum } = useT();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const [status, setStatus] = useState<ApplicationStatus | undefined>();
  const columns: ColumnsType<Application> = [
    { title: t('common.id'), dataIndex: 'id', key: 'id', sorter: true, width: 80 },
    { title: t('app.program'), dataIndex: 'program_id', render: (v, r) => r.program_name ?? progs.get(String(v))?.name ?? v },
    { title: t('app.amount'), dataIndex: 'amount_fen', key: 'amount_fen', align: 'right', sorter: true, render: (v: number) => <Money fen={v} /> },
    { title: t('app.approved'), dataIndex: 'approved_fen', align: 'right', render: (v: number | null) => (v == null ? '—' : <Money fen={v} strong />) },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="appst" status={v} /> },
    { title: t('app.noticeEnds'), dataIndex: 'notice_ends_on', render: (v: string | null) => <DateText d={v} /> },
    { title: t('app.voucher'), dataIndex: 'voucher_id', render: (v) => (v == null ? '—' : <Typography.Text copyable className="mono">{String(v)}</Typography.Text>) },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <DateText d={v} /> },
  ];
  return (
    <div data-testid="page-ent-applications">
      <PageHeader title={t('nav.ent.applications')} />
      <Card>
        <Space className="filters" wrap>
          <Select
            allowClear
            placeholder={t('rev.filterStatus')}
            style={{ width: 180 }}
            value={status}
            onChange={setStatus}
            options={APPLICATION_STATUSES.map((s) => ({ value: s, label: tEnum('appst', s) }))}
          />
        </Space>
        <ServerTable
          testid="table-my-applications"
          path="/applications"
          query={{ status }}
          columns={columns}
          tableProps={{
            expandable: {
              expandedRowRender: (r) => (
                <div>
                  <Typography.Paragraph><strong>{t('app.plan')}：</strong>{r.plan}</Typography.Paragraph>
                  {r.reason && <Typography.Paragraph type="secondary"><strong>{t('app.reason')}：</strong>{r.reason}</Typography.Paragraph>}
                </div>
              ),
            },
          }}
        />
      </Card>
    </div>
  );
}
