// 入选名单: the products the annual selection rounds selected, for everyone — during the round's
// public notice (公示中) and once the selection is in force (已生效), with their rank and mean
// score. During the notice anyone signed in may object to a selected product.
import { ExclamationCircleOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { SELECTION_KINDS, type PublicSelection, type SelectionKind } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, EmptyState, ErrorState, NoticeTag, PageHeader } from '../../components/common';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { objectionOpen, publicOrder, yearsOf } from '../common/selection';
import { ObjectionModal, RoundStatusTag, Score, type ObjectionTarget } from '../common/SelectionParts';

export default function Selections() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const today = useToday();
  const [year, setYear] = useState<number | undefined>();
  const [kind, setKind] = useState<SelectionKind | 'all'>('all');
  const [objecting, setObjecting] = useState<ObjectionTarget | null>(null);
  // Every year on the list, for the year filter (the list is short: a few dozen products a year).
  const years = useAsync((s) => api.get<PublicSelection[] | { items: PublicSelection[] }>('/public/selections', undefined, s).then(normalizeArray<PublicSelection>).then(yearsOf), []);
  const { data, error, loading, reload } = useAsync(
    (s) =>
      api
        .get<PublicSelection[] | { items: PublicSelection[] }>('/public/selections', { year, kind: kind === 'all' ? undefined : kind }, s)
        .then(normalizeArray<PublicSelection>)
        .then(publicOrder),
    [year, kind],
  );
  const rows = useMemo(() => data ?? [], [data]);

  const columns: ColumnsType<PublicSelection> = [
    {
      title: t('sr.rank'),
      dataIndex: 'rank',
      width: 70,
      render: (v: number) => (
        <span className={v <= 3 ? 'rank rank-top' : 'rank'} data-testid="selection-rank">
          {v}
        </span>
      ),
    },
    { title: t('sr.product'), dataIndex: 'product_name', render: (v: string) => <strong data-testid="selection-product">{v}</strong> },
    { title: t('sel.supplier'), dataIndex: 'supplier_name' },
    { title: t('sel.kind'), dataIndex: 'kind', render: (v: string) => <Tag color="blue">{tEnum('pk', v)}</Tag> },
    { title: t('sr.mean'), dataIndex: 'mean_score', align: 'right', render: (v: number) => <Score hundredths={v} strong testid="selection-score" /> },
    {
      title: t('sr.round'),
      key: 'round',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{r.round_name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.year} · {t('sr.batchN', { n: r.batch })}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('common.status'), dataIndex: 'round_status', render: (v: string) => <span data-testid="selection-status" data-status={v}><RoundStatusTag status={v} /></span> },
    {
      title: t('sr.dates'),
      key: 'dates',
      render: (_, r) =>
        r.round_status === 'published' ? (
          <Space direction="vertical" size={0}>
            <span>
              {t('sr.publishedOn')} <DateText d={r.published_on} />
            </span>
            <span>
              {t('sr.noticeEndsOn')} <DateText d={r.notice_ends_on} /> <NoticeTag endsOn={r.notice_ends_on} today={today} />
            </span>
          </Space>
        ) : (
          <Space direction="vertical" size={0}>
            <span>
              {t('sr.publishedOn')} <DateText d={r.published_on} />
            </span>
            <span>
              {t('sr.effectiveOn')} <DateText d={r.effective_on} />
            </span>
          </Space>
        ),
    },
    ...(user
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: PublicSelection) =>
              objectionOpen(r, today) ? (
                <Button
                  size="small"
                  icon={<ExclamationCircleOutlined />}
                  onClick={() => setObjecting({ entry_id: r.entry_id, product_name: r.product_name, supplier_name: r.supplier_name, round_name: r.round_name, notice_ends_on: r.notice_ends_on })}
                  data-testid={`selection-object-${r.entry_id}`}
                >
                  {t('sr.object')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const anyNotice = rows.some((r) => r.round_status === 'published');

  return (
    <div data-testid="page-public-selections">
      <PageHeader title={t('sr.publicTitle')} sub={t('sr.publicSub')} />
      <Card>
        <Space className="filters" wrap>
          <Select
            allowClear
            placeholder={t('sr.allYears')}
            style={{ width: 140 }}
            value={year}
            onChange={setYear}
            loading={years.loading}
            options={(years.data ?? []).map((y) => ({ value: y, label: String(y) }))}
            data-testid="selections-filter-year"
          />
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as SelectionKind | 'all')}
            options={[{ value: 'all', label: t('common.all') }, ...SELECTION_KINDS.map((k) => ({ value: k, label: tEnum('pk', k) }))]}
            aria-label={t('a11y.filterKind')}
            data-testid="selections-filter-kind"
          />
        </Space>
        {anyNotice && (
          <Typography.Paragraph type="secondary" data-testid="selections-notice-hint">
            {user ? t('sr.noticeHintSignedIn') : (
              <>
                {t('sr.noticeHint')} <Link to="/login?next=%2Fpublic%2Fselections">{t('nav.login')}</Link>
              </>
            )}
          </Typography.Paragraph>
        )}
        {error ? (
          <ErrorState error={error} onRetry={reload} compact />
        ) : (
          <div data-testid="table-public-selections">
            <Table<PublicSelection>
              rowKey="entry_id"
              size="middle"
              loading={loading}
              columns={columns}
              dataSource={rows}
              pagination={{ pageSize: 30, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
              locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <EmptyState description={year || kind !== 'all' ? t('common.noMatch') : t('sr.noSelections')} /> }}
              scroll={{ x: 'max-content' }}
            />
          </div>
        )}
      </Card>
      <ObjectionModal target={objecting} onClose={() => setObjecting(null)} onFiled={() => setObjecting(null)} />
    </div>
  );
}
