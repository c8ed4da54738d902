// 预算用尽预测: the selected program's run-out forecast (GET /programs/{id}/forecast) for the
// committed basis (budget not yet issued as vouchers) and the spent basis (money not yet paid):
// money left, the pace per day, the run-out day with its interval, the period's end, the verdict;
// a chart of money left projected to the end with the interval band and the end day marked; per
// funding source the committed forecast.
import { Card, Col, Descriptions, Row, Segmented, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { Chart } from '../../components/Chart';
import { DateText, EmptyState, ErrorState, Money } from '../../components/common';
import { ExportButtons } from '../../components/ExportButtons';
import { formatDate, formatFen, formatFenCompact } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { projectRemaining, verdictTagColor, type ProgramForecast, type RunOutForecast } from './forecast';

type Basis = 'committed' | 'spent';
type SourceRow = ProgramForecast['sources'][number];

export function Interval({ f }: { f: RunOutForecast }) {
  const { t } = useT();
  if (!f.earliest_on && !f.latest_on) return <>—</>;
  return (
    <span>
      {f.earliest_on ? <DateText d={f.earliest_on} /> : '—'} {t('fc.to')} {f.latest_on ? <DateText d={f.latest_on} /> : t('fc.never')}
    </span>
  );
}

export function Verdict({ f, testid }: { f: RunOutForecast; testid?: string }) {
  const { tEnum } = useT();
  return (
    <Tag color={verdictTagColor(f.verdict)} data-testid={testid} data-verdict={f.verdict}>
      {tEnum('fc.verdict', f.verdict)}
    </Tag>
  );
}

function BasisFacts({ f, basis }: { f: RunOutForecast; basis: Basis }) {
  const { t } = useT();
  return (
    <Descriptions size="small" column={1} bordered title={t(`fc.basis.${basis}`)} data-testid={`forecast-${basis}`}>
      <Descriptions.Item label={t('fc.remaining')}>
        <Money fen={f.remaining_fen} strong testid={`forecast-${basis}-remaining`} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.pace')}>
        <Money fen={f.fen_per_day} /> {t('fc.perDay')}
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
          {t('fc.window')} <DateText d={f.window_from} /> {t('fc.to')} <DateText d={f.window_to} />
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.runOut')}>
        <span data-testid={`forecast-${basis}-runout`}>{f.run_out_on ? <DateText d={f.run_out_on} /> : '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.interval')}>
        <Interval f={f} />
      </Descriptions.Item>
      <Descriptions.Item label={t(basis === 'committed' ? 'fc.endsOn.committed' : 'fc.endsOn.spent')}>
        <DateText d={f.ends_on} />
      </Descriptions.Item>
      {f.left_at_end_fen != null && (
        <Descriptions.Item label={t('fc.leftAtEnd')}>
          <Money fen={f.left_at_end_fen} />
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('fc.verdict')}>
        <Verdict f={f} testid={`forecast-${basis}-verdict`} />
      </Descriptions.Item>
    </Descriptions>
  );
}

export function ForecastPanel({ programId }: { programId: string | undefined }) {
  const { t, lang } = useT();
  const [basis, setBasis] = useState<Basis>('committed');
  const fc = useAsync((s) => (programId ? api.get<ProgramForecast>(`/programs/${programId}/forecast`, undefined, s) : Promise.resolve(null)), [programId]);
  const data = fc.data ?? null;

  const chart = (f: RunOutForecast, today: string) => {
    const p = projectRemaining(f, today);
    const yuan = (v: unknown) => (v == null ? '—' : formatFen(Math.round(Number(v) * 100), lang));
    const label = t('fc.chartLabel', { basis: t(`fc.basis.${basis}`) });
    const pair = (vals: (number | null)[]) => p.days.map((d, i) => [d, vals[i]]);
    return (
      <Chart
        testid="chart-forecast"
        label={label}
        height={300}
        option={{
          tooltip: {
            trigger: 'axis',
            // The screen reader's description of the points formats them with it (components/Chart.tsx).
            valueFormatter: yuan,
            formatter: (params: unknown) => {
              const ps = params as { seriesName: string; value: [string, number | null]; seriesIndex: number; marker: string }[];
              if (!ps.length) return '';
              const i = p.days.indexOf(ps[0].value[0]);
              const rows = [`<b>${formatDate(ps[0].value[0], lang)}</b>`];
              if (p.central[i] != null) rows.push(`${t('fc.series.central')}: ${yuan(p.central[i])}`);
              rows.push(`${t('fc.series.band')}: ${yuan(p.low[i])} – ${yuan(p.high[i])}`);
              return rows.join('<br/>');
            },
          },
          legend: { top: 0, data: [t('fc.series.central'), t('fc.series.band')] },
          grid: { left: 8, right: 24, bottom: 8, top: 36, containLabel: true },
          xAxis: { type: 'time', minInterval: 86_400_000, axisLabel: { hideOverlap: true, formatter: (v: number) => formatDate(new Date(v).toISOString().slice(0, 10), lang) } },
          yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v: number) => formatFenCompact(v * 100, lang) } },
          series: [
            // The band: its lower edge (not drawn), and the width up to the upper edge stacked on it.
            { name: t('fc.series.low'), type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: pair(p.low), tooltip: { show: false } },
            {
              name: t('fc.series.band'),
              type: 'line',
              stack: 'band',
              symbol: 'none',
              lineStyle: { opacity: 0 },
              areaStyle: { opacity: 0.25, color: '#f5a623' },
              itemStyle: { color: '#f5a623' },
              // Its values are the band's width: the tooltip (and a screen reader's description) gives
              // the band's edges instead, from the tooltip formatter above.
              tooltip: { show: false },
              data: p.days.map((d, i) => [d, Math.round((p.high[i] - p.low[i]) * 100) / 100]),
            },
            {
              name: t('fc.series.central'),
              type: 'line',
              symbol: 'none',
              lineStyle: { width: 2 },
              itemStyle: { color: '#1f5fbf' },
              data: pair(p.central),
              markLine: {
                symbol: 'none',
                silent: true,
                label: { formatter: (m: { name?: string }) => m.name ?? '', position: 'insideEndTop' },
                data: [
                  // The end day, when it is still ahead (a period already over says so in the facts).
                  ...(f.ends_on >= today ? [{ name: `${t(basis === 'committed' ? 'fc.endsOn.committed' : 'fc.endsOn.spent')} ${formatDate(f.ends_on, lang)}`, xAxis: f.ends_on, lineStyle: { color: '#595959', type: 'dashed' as const } }] : []),
                  ...(f.run_out_on ? [{ name: `${t('fc.runOut')} ${formatDate(f.run_out_on, lang)}`, xAxis: f.run_out_on, lineStyle: { color: '#1f5fbf', type: 'dotted' as const } }] : []),
                ],
              },
            },
          ],
        }}
      />
    );
  };

  return (
    <Card
      title={t('fc.title')}
      data-testid="forecast-panel"
      extra={
        data && programId ? (
          <Space size="middle" wrap>
            <Typography.Text type="secondary">
              {t('fc.asOf')} <DateText d={data.today} />
            </Typography.Text>
            {/* The forecast as a spreadsheet (GET …/forecast?format=csv|xlsx&lang=). */}
            <ExportButtons path={`/programs/${encodeURIComponent(programId)}/forecast`} name="forecast" testid="forecast-export" />
          </Space>
        ) : null
      }
    >
      {!programId ? (
        <EmptyState />
      ) : fc.error ? (
        <ErrorState error={fc.error} onRetry={fc.reload} compact />
      ) : fc.loading || !data ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <BasisFacts f={data.committed} basis="committed" />
          </Col>
          <Col xs={24} lg={12}>
            <BasisFacts f={data.spent} basis="spent" />
          </Col>
          <Col xs={24}>
            <Segmented<Basis>
              value={basis}
              onChange={setBasis}
              options={[
                { value: 'committed', label: t('fc.basis.committed') },
                { value: 'spent', label: t('fc.basis.spent') },
              ]}
              data-testid="forecast-basis"
              aria-label={t('fc.basisPick')}
              style={{ marginBottom: 8 }}
            />
            {chart(data[basis], data.today)}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
              {t('fc.method')}
            </Typography.Paragraph>
          </Col>
          <Col xs={24}>
            <Typography.Title level={5}>{t('fc.bySource')}</Typography.Title>
            <div data-testid="table-forecast-sources">
              <Table<SourceRow>
                size="small"
                rowKey="source_id"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={data.sources}
                locale={{ emptyText: <EmptyState /> }}
                columns={[
                  { title: t('prog.source'), dataIndex: 'source_name' },
                  { title: t('budget.allocated'), dataIndex: 'allocated_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
                  { title: t('fc.remaining'), key: 'remaining', align: 'right', render: (_, r) => <Money fen={r.committed.remaining_fen} /> },
                  { title: t('fc.pace'), key: 'pace', align: 'right', render: (_, r) => <Money fen={r.committed.fen_per_day} /> },
                  { title: t('fc.runOut'), key: 'run', render: (_, r) => (r.committed.run_out_on ? <DateText d={r.committed.run_out_on} /> : '—') },
                  { title: t('fc.interval'), key: 'interval', render: (_, r) => <Interval f={r.committed} /> },
                  { title: t('fc.verdict'), key: 'verdict', render: (_, r) => <Verdict f={r.committed} /> },
                ]}
              />
            </div>
          </Col>
        </Row>
      )}
    </Card>
  );
}
