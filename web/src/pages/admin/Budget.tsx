import { ExperimentOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Select, Skeleton, Space, Statistic, Table, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, fetchAll } from '../../api/client';
import type { BudgetLine, BudgetView } from '../../api/types';
import { Chart } from '../../components/Chart';
import { EmptyState, ErrorState, Money, PageHeader, Pct } from '../../components/common';
import { formatFen, formatFenCompact } from '../../format';
import { useToday } from '../../clock';
import { programOfToday } from '../../dates';
import { useAsync, usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { burnDown, burnDownBySource } from './burndown';
import { ForecastPanel } from './ForecastPanel';

export default function Budget() {
  const { t, lang } = useT();
  const navigate = useNavigate();
  const { programs, loading: pLoading } = usePrograms();
  const today = useToday();
  // The program asked for in the URL (?program=, as the what-if page links back), else the one below.
  const [params] = useSearchParams();
  const [pid, setPid] = useState<string | undefined>(params.get('program') ?? undefined);
  // Opens on the program in force on the platform's today (never the browser's), else the most recent.
  useEffect(() => {
    const first = pid ? undefined : programOfToday(programs, today);
    if (first) setPid(String(first.id));
  }, [programs, pid, today]);
  const program = programs.find((p) => String(p.id) === pid);

  const budget = useAsync((s) => (pid ? api.get<BudgetView>(`/programs/${pid}/budget`, undefined, s) : Promise.resolve(null)), [pid]);
  const vouchers = useAsync(() => (pid ? fetchAll(api, '/vouchers', { program_id: pid }) : Promise.resolve([])), [pid]);

  const money = (v: unknown) => formatFen(Number(v), lang);
  const axis = { type: 'value' as const, axisLabel: { formatter: (v: number) => formatFenCompact(v, lang) } };
  const view = budget.data ?? null;
  const points = view ? burnDown(view, vouchers.data ?? [], { closing: program, today }) : [];
  const lines = view?.sources ?? [];

  return (
    <div data-testid="page-admin-budget">
      <PageHeader
        title={t('budget.title')}
        sub={t('budget.sub')}
        extra={
          <Space wrap>
            <Select
              style={{ width: 320, maxWidth: '100%' }}
              loading={pLoading}
              placeholder={t('budget.pick')}
              value={pid}
              onChange={setPid}
              showSearch
              optionFilterProp="label"
              options={programs.map((p) => ({ value: String(p.id), label: p.name }))}
              data-testid="budget-program"
            />
            {pid ? (
              <Tooltip title={t('wi.openHint')}>
                <Button icon={<ExperimentOutlined />} onClick={() => navigate(`/admin/programs/${encodeURIComponent(pid)}/what-if`)} data-testid="budget-what-if">
                  {t('wi.open')}
                </Button>
              </Tooltip>
            ) : null}
          </Space>
        }
      />
      {!pLoading && programs.length === 0 ? (
        <Card><EmptyState /></Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('budget.burnDown')}>
              {budget.error ? (
                <ErrorState error={budget.error} onRetry={budget.reload} compact />
              ) : budget.loading || vouchers.loading ? (
                <Skeleton active />
              ) : points.length === 0 ? (
                <EmptyState description={t('budget.noActivity')} />
              ) : (
                <Chart
                  testid="chart-burndown"
                  label={t('budget.burnDown')}
                  option={{
                    tooltip: { trigger: 'axis', valueFormatter: money },
                    legend: { top: 0 },
                    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
                    xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => p.month) },
                    yAxis: axis,
                    series: [
                      // One filled area only: two translucent fills over each other (blue under amber) turn grey.
                      { name: t('budget.remainingAfterGrant'), type: 'line', step: 'end', areaStyle: { opacity: 0.15 }, data: points.map((p) => p.afterGrant) },
                      { name: t('budget.remainingAfterSpend'), type: 'line', step: 'end', lineStyle: { width: 2 }, data: points.map((p) => p.afterSpend) },
                    ],
                  }}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('budget.burnDownBySource')}>
              {budget.loading || vouchers.loading ? (
                <Skeleton active />
              ) : points.length === 0 || lines.length === 0 || !view ? (
                <EmptyState description={t('budget.noActivity')} />
              ) : (
                <Chart
                  testid="chart-burndown-sources"
                  label={t('budget.burnDownBySource')}
                  option={{
                    tooltip: { trigger: 'axis', valueFormatter: money },
                    legend: { top: 0 },
                    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
                    xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => p.month) },
                    yAxis: axis,
                    series: burnDownBySource(points, view).map((s) => ({ name: s.name, type: 'line', stack: 'src', areaStyle: { opacity: 0.35 }, data: s.data })),
                  }}
                />
              )}
            </Card>
          </Col>
          {view && (
            <Col xs={24}>
              <Card>
                <Row gutter={16}>
                  {(['budget_fen', 'issued_fen', 'reserved_fen', 'spent_fen', 'released_fen', 'available_fen'] as const).map((k) => (
                    <Col xs={12} md={4} key={k}>
                      <Statistic
                        title={t(k === 'budget_fen' ? 'apply.budget' : (`budget.${k.replace('_fen', '')}` as 'budget.issued'))}
                        value={formatFen(view[k], lang)}
                        valueStyle={{ fontSize: 18 }}
                        valueRender={(n) => <span data-testid={`budget-${k}`}>{n}</span>}
                      />
                    </Col>
                  ))}
                </Row>
              </Card>
            </Col>
          )}
          <Col xs={24}>
            <ForecastPanel programId={pid} />
          </Col>
          <Col xs={24}>
            <Card title={t('budget.bySource')}>
              {budget.error ? (
                <ErrorState error={budget.error} onRetry={budget.reload} compact />
              ) : budget.loading ? (
                <Skeleton active />
              ) : lines.length === 0 ? (
                <EmptyState />
              ) : (
                <>
                  <Chart
                    height={60 + lines.length * 48}
                    testid="chart-budget-sources"
                    label={t('budget.bySource')}
                    option={{
                      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: money },
                      legend: { top: 0 },
                      grid: { left: 8, right: 24, bottom: 8, top: 36, containLabel: true },
                      yAxis: { type: 'category', data: lines.map((l) => l.source_name ?? String(l.source_id)) },
                      xAxis: axis,
                      series: (['issued_fen', 'reserved_fen', 'available_fen', 'released_fen'] as const).map((k) => ({
                        name: t(`budget.${k.replace('_fen', '') as 'issued' | 'reserved' | 'available' | 'released'}`),
                        type: 'bar',
                        stack: k === 'released_fen' ? 'released' : 'total',
                        barMaxWidth: 26,
                        data: lines.map((l) => l[k] ?? 0),
                      })),
                    }}
                  />
                  <div data-testid="table-budget">
                    <Table<BudgetLine>
                      size="small"
                      rowKey={(r) => String(r.source_id)}
                      pagination={false}
                      scroll={{ x: 'max-content' }}
                      dataSource={lines}
                      columns={[
                        { title: t('prog.source'), render: (_, r) => r.source_name ?? `#${r.source_id}` },
                        { title: t('prog.share'), align: 'right', render: (_, r) => <Pct bps={r.share_bps ?? program?.funding.find((f) => String(f.source_id) === String(r.source_id))?.share_bps} /> },
                        { title: t('budget.allocated'), dataIndex: 'allocated_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
                        { title: t('budget.reserved'), dataIndex: 'reserved_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
                        { title: t('budget.issued'), dataIndex: 'issued_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
                        { title: t('budget.released'), dataIndex: 'released_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
                        { title: t('budget.available'), dataIndex: 'available_fen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
                      ]}
                    />
                  </div>
                </>
              )}
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
