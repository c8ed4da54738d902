// 政策目标: the 19 figures the policy documents promise, each with its current figure (the
// platform's own, or the latest an administrator entered with its source document), the deadline,
// the progress and the standing with its rule; and the compute registry's figures behind the
// compute targets — total EFLOPS, the intelligent share, the share of new compute in the three
// hubs — per hub, with each figure's method. Public, no login.
import { Card, Col, Descriptions, Progress, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import type { components } from '../../api/schema';
import { DateText, EmptyState, ErrorState, PageHeader } from '../../components/common';
import { ExportButtons } from '../../components/ExportButtons';
import { normalizeArray, useAsync, useCityName } from '../../hooks';
import { useT } from '../../i18n';
import { formatFigure, verdictColor } from './targets';

type TargetStatus = components['schemas']['TargetStatus'];
type ComputeCapacity = components['schemas']['ComputeCapacity'];
type HubPart = ComputeCapacity['by_hub'][number];

export default function Targets() {
  const { t, tEnum, lang } = useT();
  const cityName = useCityName(lang);
  const { user } = useAuth();
  // Administrators enter a target's figure (auditors read the history) from here.
  const staff = user?.role === 'admin' || user?.role === 'auditor';
  const targets = useAsync((s) => api.get<TargetStatus[]>('/public/policy-targets', undefined, s).then(normalizeArray<TargetStatus>), []);
  const compute = useAsync((s) => api.get<ComputeCapacity>('/public/compute-capacity', undefined, s), []);

  const columns: ColumnsType<TargetStatus> = [
    {
      title: t('tg.target'),
      dataIndex: 'id',
      render: (id: string, r) => (
        <div>
          <strong>{tEnum('tg.name', id)}</strong>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {t('tg.seedArea', { seed: r.seed, area: tEnum('tg.area', r.area) })}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('tg.goal'), dataIndex: 'target', align: 'right', render: (v: number, r) => formatFigure(v, r.unit, lang, tEnum) },
    {
      title: t('tg.figure'),
      dataIndex: 'figure',
      align: 'right',
      render: (v: number | null | undefined, r) => (
        <span data-testid={`target-figure-${r.id}`} data-figure={v ?? ''}>
          {v == null ? '—' : formatFigure(v, r.unit, lang, tEnum)}
        </span>
      ),
    },
    {
      title: t('tg.source'),
      key: 'source',
      render: (_, r) =>
        r.source === 'platform' ? (
          <Tooltip title={tEnum('tg.method', r.id)}>
            <Tag color="blue">{t('tg.platform')}</Tag>
          </Tooltip>
        ) : r.figure == null ? (
          '—'
        ) : (
          <span>
            {r.source_document}
            {r.as_of && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {t('tg.asOf')} <DateText d={r.as_of} />
              </Typography.Text>
            )}
          </span>
        ),
    },
    { title: t('tg.deadline'), dataIndex: 'deadline', render: (d: string | null | undefined, r) => (d ? <DateText d={d} /> : r.unit.endsWith('/year') ? t('tg.yearly') : t('tg.standing')) },
    {
      title: t('tg.progress'),
      key: 'progress',
      width: 200,
      render: (_, r) =>
        r.progress.ratio == null ? (
          '—'
        ) : (
          <Progress percent={Math.round(Math.min(r.progress.ratio, 1) * 1000) / 10} size="small" status={r.progress.verdict === 'at_risk' ? 'exception' : undefined} aria-label={t('tg.progressOf', { name: tEnum('tg.name', r.id) })} />
        ),
    },
    {
      title: t('tg.verdict'),
      key: 'verdict',
      render: (_, r) => (
        <Tooltip title={t('tg.rule')}>
          <Tag color={verdictColor(r.progress.verdict)} data-testid={`target-verdict-${r.id}`} data-verdict={r.progress.verdict}>
            {tEnum('tg.verdict', r.progress.verdict)}
          </Tag>
        </Tooltip>
      ),
    },
    ...(staff
      ? [
          {
            title: t('common.actions'),
            key: 'figures',
            render: (_: unknown, r: TargetStatus) => (
              <Link to={`/admin/targets/${encodeURIComponent(r.id)}`} data-testid={`target-figures-${r.id}`}>
                {user?.role === 'admin' && r.source !== 'platform' ? t('tf.enterLink') : t('tf.historyLink')}
              </Link>
            ),
          },
        ]
      : []),
  ];

  const hubColumns: ColumnsType<HubPart> = [
    { title: t('tg.hub'), dataIndex: 'hub', render: (h: string, r) => `${tEnum('tg.hubName', h)}（${cityName(r.city_code)}）` },
    { title: t('tg.sites'), dataIndex: 'sites', align: 'right' },
    { title: t('tg.totalPflops'), dataIndex: 'total_pflops', align: 'right', render: (v: number) => v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US') },
    { title: t('tg.intelligentPflops'), dataIndex: 'intelligent_pflops', align: 'right', render: (v: number) => v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US') },
    { title: t('tg.newPflops'), dataIndex: 'new_pflops', align: 'right', render: (v: number) => v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US') },
    { title: t('tg.accelerators'), dataIndex: 'accelerators', align: 'right', render: (v: number) => v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US') },
  ];

  const c = compute.data;
  const pct = (v: number | null | undefined) => (v == null ? '—' : `${v.toFixed(1)}%`);
  return (
    <div data-testid="page-public-targets">
      <PageHeader title={t('tg.title')} sub={t('tg.sub')} />
      <Card title={t('tg.computeTitle')} style={{ marginBottom: 16 }} data-testid="compute-capacity">
        {compute.error ? (
          <ErrorState error={compute.error} onRetry={compute.reload} />
        ) : (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={24} md={8}>
                <Statistic title={t('tg.totalEflops')} value={c ? c.total_eflops : '—'} precision={c ? 2 : undefined} suffix={c ? t('tg.ofTarget', { n: 12, unit: 'EFLOPS' }) : undefined} loading={compute.loading} />
              </Col>
              <Col xs={24} md={8}>
                <Statistic title={t('tg.intelligentShare')} value={pct(c?.intelligent_share)} suffix={c ? t('tg.ofTarget', { n: 50, unit: '%' }) : undefined} loading={compute.loading} />
              </Col>
              <Col xs={24} md={8}>
                <Statistic title={t('tg.hubShareNew')} value={pct(c?.hub_share_new)} suffix={c ? t('tg.ofTarget', { n: 70, unit: '%' }) : undefined} loading={compute.loading} />
              </Col>
            </Row>
            <Table<HubPart> style={{ marginTop: 16 }} size="small" rowKey="hub" pagination={false} columns={hubColumns} dataSource={c?.by_hub ?? []} loading={compute.loading} data-testid="compute-by-hub" scroll={{ x: 'max-content' }} />
            {c && (
              <Descriptions size="small" column={1} style={{ marginTop: 16 }} title={t('tg.methods')}>
                <Descriptions.Item label={t('tg.asOf')}>
                  <DateText d={c.as_of} />（{t('tg.newFrom')} <DateText d={c.new_from} />）
                </Descriptions.Item>
                <Descriptions.Item label={t('tg.totalEflops')}>{t('tg.method.total_compute')}</Descriptions.Item>
                <Descriptions.Item label={t('tg.intelligentShare')}>{t('tg.method.intelligent_compute_share')}</Descriptions.Item>
                <Descriptions.Item label={t('tg.hubShareNew')}>{t('tg.methodHubShareAny')}</Descriptions.Item>
              </Descriptions>
            )}
          </>
        )}
      </Card>
      <Card title={t('tg.listTitle')} extra={<ExportButtons path="/public/policy-targets" name="policy-targets" testid="targets-export" />}>
        {targets.error ? (
          <ErrorState error={targets.error} onRetry={targets.reload} />
        ) : (
          <Table<TargetStatus>
            rowKey="id"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={targets.data ?? []}
            loading={targets.loading}
            data-testid="table-policy-targets"
            locale={{ emptyText: <EmptyState /> }}
            scroll={{ x: 'max-content' }}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('tg.rule')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
