import { Alert, Card, Select, Skeleton, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api } from '../../api/client';
import { APPLICATION_STATUSES, type Application, type ApplicationStatus } from '../../api/types';
import { DateText, ErrorState, Money, PageHeader, StatusTag } from '../../components/common';
import { ListSearch, numberColumn, ShortId } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { byId, useAsync, usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { rejectionOf, showsChain } from '../reviewer/chain';
import { ReviewChainSteps } from '../reviewer/ReviewChain';

export default function MyApplications() {
  const { t, tEnum } = useT();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const list = useListState();
  const status = list.get('status') as ApplicationStatus | undefined;
  const setStatus = (v: ApplicationStatus | null | undefined) => list.setFilter('status', v);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const columns: ColumnsType<Application> = [
    numberColumn<Application>(t('rec.number')),
    { title: t('app.program'), dataIndex: 'program_id', render: (v, r) => r.program_name ?? progs.get(String(v))?.name ?? v },
    { title: t('app.amount'), dataIndex: 'amount_fen', key: 'amount_fen', align: 'right', sorter: true, render: (v: number) => <Money fen={v} /> },
    { title: t('app.approved'), dataIndex: 'approved_fen', align: 'right', render: (v: number | null) => (v == null ? '—' : <Money fen={v} strong />) },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="appst" status={v} /> },
    { title: t('app.chainProgress'), key: 'chain', render: (_, r) => <ChainProgress app={r} /> },
    { title: t('app.noticeEnds'), dataIndex: 'notice_ends_on', render: (v: string | null) => <DateText d={v} /> },
    { title: t('app.voucher'), dataIndex: 'voucher_id', render: (v) => (v == null ? '—' : <ShortId id={String(v)} />) },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <DateText d={v} /> },
  ];
  return (
    <div data-testid="page-ent-applications">
      <PageHeader title={t('nav.ent.applications')} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchVoucher')} onSearch={setQ} value={q} testid="my-applications-search" />
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
          path="/applications" exportName="applications"
          query={{ q, status }}
          columns={columns}
          tableProps={{
            expandable: {
              expandedRowRender: (r) => (
                <div data-testid={`application-detail-${r.id}`}>
                  <Typography.Paragraph><strong>{t('app.plan')}：</strong>{r.plan}</Typography.Paragraph>
                  <RejectionNote app={r} />
                  {showsChain(r) && <ApplicationChain id={r.id} />}
                </div>
              ),
            },
          }}
        />
      </Card>
    </div>
  );
}

/** Where a chained application stands in the list: the level deciding, the level that rejected, or done. */
function ChainProgress({ app }: { app: Application }) {
  const { t } = useT();
  if (!showsChain(app)) return <>—</>;
  const total = app.review_chain.length;
  const rejection = rejectionOf(app);
  if (rejection?.level != null) return <Tag color="error" data-testid="application-chain-progress" data-level={rejection.level}>{t('app.rejectedAtShort', { n: rejection.level, total, name: rejection.name ?? '' })}</Tag>;
  if (app.status === 'submitted' && app.review_level < total) {
    const n = app.review_level + 1;
    return <Tag color="processing" data-testid="application-chain-progress" data-level={n}>{t('app.chainAt', { n, total, name: app.review_chain[n - 1].name })}</Tag>;
  }
  if (app.review_level >= total) return <Tag color="success" data-testid="application-chain-progress" data-level={total}>{t('app.chainDone', { total })}</Tag>;
  return <>—</>;
}

/** The rejection's reason, with the level that rejected when the program reviews in a chain. */
function RejectionNote({ app }: { app: Application }) {
  const { t } = useT();
  const r = rejectionOf(app);
  if (!r) return app.reason ? <Typography.Paragraph type="secondary"><strong>{t('app.reason')}：</strong>{app.reason}</Typography.Paragraph> : null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="application-rejection"
      data-level={r.level ?? undefined}
      message={r.level != null ? t('app.rejectedAt', { n: r.level, name: r.name ?? '' }) : t('app.rejected')}
      description={r.reason ? `${t('app.reason')}：${r.reason}` : undefined}
    />
  );
}

/** The chain with each level's decision: the list carries no decisions, so the application is read on its own. */
function ApplicationChain({ id }: { id: Application['id'] }) {
  const { t } = useT();
  const detail = useAsync((s) => api.get<Application>(`/applications/${id}`, undefined, s), [id]);
  return (
    <div style={{ maxWidth: 720 }}>
      <Typography.Text strong>{t('rev.chain')}</Typography.Text>
      <div style={{ marginTop: 8 }}>
        {detail.error ? (
          <ErrorState error={detail.error} onRetry={detail.reload} compact />
        ) : detail.loading || !detail.data ? (
          <Skeleton active paragraph={{ rows: 3 }} />
        ) : (
          <ReviewChainSteps app={detail.data} showReviewer={false} testid="application-chain" />
        )}
      </div>
    </div>
  );
}
