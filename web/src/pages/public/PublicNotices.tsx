import { Card, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api } from '../../api/client';
import type { Notice } from '../../api/types';
import { DateText, EmptyState, ErrorState, Money, NoticeTag, PageHeader } from '../../components/common';
import { useToday } from '../../clock';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';

export default function PublicNotices() {
  const { t, tEnum } = useT();
  const today = useToday();
  const { data, error, loading, reload } = useAsync(
    // The server answers every notice under way (no paging parameters).
    (s) => api.get<Notice[] | { items: Notice[] }>('/public/notices', undefined, s).then(normalizeArray<Notice>),
    [],
  );
  const columns: ColumnsType<Notice> = [
    { title: t('common.id'), dataIndex: 'application_id', width: 90 },
    { title: t('notice.enterprise'), dataIndex: 'enterprise_name', render: (v: string) => <strong>{v}</strong> },
    { title: t('notice.program'), dataIndex: 'program_name' },
    { title: t('v.type'), dataIndex: 'voucher_type', render: (v: string) => <Tag color="blue">{tEnum('vt', v)}</Tag> },
    { title: t('notice.amount'), dataIndex: 'amount_fen', align: 'right', render: (v: number) => <Money fen={v} strong />, sorter: (a, b) => a.amount_fen - b.amount_fen },
    {
      title: t('notice.endsOn'),
      dataIndex: 'notice_ends_on',
      sorter: (a, b) => a.notice_ends_on.localeCompare(b.notice_ends_on),
      defaultSortOrder: 'ascend',
      render: (v: string) => (
        <span>
          <DateText d={v} /> <NoticeTag endsOn={v} today={today} />
        </span>
      ),
    },
  ];
  return (
    <div data-testid="page-public-notices">
      <PageHeader title={t('notice.title')} sub={t('notice.sub')} />
      <Card>
        {error ? (
          <ErrorState error={error} onRetry={reload} compact />
        ) : (
          <div data-testid="table-notices">
          <Table<Notice>
            rowKey="application_id"
            loading={loading}
            columns={columns}
            dataSource={data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
            locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <EmptyState /> }}
            scroll={{ x: 'max-content' }}
          />
          </div>
        )}
      </Card>
    </div>
  );
}
