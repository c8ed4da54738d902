// 假设推演 (what-if): the program's recorded history replayed under changed rules (POST
// /programs/{id}/what-if; writes nothing, so no Idempotency-Key), beside what happened. The form
// starts from the program's rules in force (GET /programs/{id}); only what is changed is sent. While
// the run goes on on the server (POST /programs/{id}/what-if/runs, polled every 250 ms at
// GET /what-if-runs/{run}), its stage, the rows loaded of the rows the history holds and a timer; then what was replayed and how long it took, the headline
// figures (recorded | what-if | difference), per funding source, city, size class and voucher type,
// each side's run-out, a chart of the subsidy paid per city, a note when the replay refuses records,
// and the method in the UI language. The result exports as CSV / XLSX (the same POST, ?format=).
// Administrators, reviewers and auditors alike (nothing is written). Reached from the budget page,
// which the menu highlights.
import { ArrowLeftOutlined, ExperimentOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Progress, Row, Select, Skeleton, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { SIZE_CLASSES, type Program } from '../../api/types';
import { Chart } from '../../components/Chart';
import { DateText, EmptyState, ErrorState, Money, PageHeader } from '../../components/common';
import { ExportButtons } from '../../components/ExportButtons';
import { applyServerFieldError } from '../../components/formErrors';
import { formatFen, formatFenCompact, formatNumber, parsePercentToBps, parseYuanToFen } from '../../format';
import { useAsync, useCities, useCityName } from '../../hooks';
import { useT, type MsgKey } from '../../i18n';
import { Interval, Verdict } from './ForecastPanel';
import {
  breakdownPairs, changedCount, diffTone, headlineRows, refusals, RUN_POLL_MS, runEnded, runPercent, sourcePairs, valuesOfProgram, WHAT_IF_FIELDS, whatIfBody,
  type Better, type WhatIfRun, type BreakdownPair, type HeadlineRow, type SourcePair, type WhatIf as WhatIfAnswer, type WhatIfFigures, type WhatIfInput, type WhatIfValues,
} from './whatIf';

const TONE_COLOR = { good: '#389e0d', bad: '#cf1322', changed: '#1f5fbf', same: undefined } as const;

/** A difference, signed and coloured; "no change" when nil. */
function Diff({ diff, kind, better = 'none', testid }: { diff: number; kind: 'fen' | 'count'; better?: Better; testid?: string }) {
  const { t, lang } = useT();
  const tone = diffTone(diff, better);
  if (tone === 'same')
    return (
      <Typography.Text type="secondary" data-testid={testid} data-diff={0}>
        {t('wi.same')}
      </Typography.Text>
    );
  const abs = kind === 'fen' ? formatFen(Math.abs(diff), lang) : formatNumber(Math.abs(diff), lang, 0);
  return (
    <span data-testid={testid} data-diff={diff} data-tone={tone} style={{ color: TONE_COLOR[tone], fontWeight: 600, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {diff > 0 ? '+' : '−'}
      {abs}
    </span>
  );
}

function Figure({ v, kind }: { v: number; kind: 'fen' | 'count' }) {
  const { lang } = useT();
  return kind === 'fen' ? <Money fen={v} /> : <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatNumber(v, lang, 0)}</span>;
}

/** Columns "recorded | what-if | difference" of one figure of a paired row, grouped under its title. */
function pairColumns<R extends { key: string; recorded: object; replayed: object }>(
  t: (k: MsgKey) => string,
  title: MsgKey,
  pick: (side: R['recorded']) => number,
  kind: 'fen' | 'count',
  id: string,
): ColumnsType<R>[number] {
  return {
    title: t(title),
    children: [
      { title: t('wi.col.recorded'), key: `${id}-r`, align: 'right', render: (_, r) => <Figure v={pick(r.recorded)} kind={kind} /> },
      { title: t('wi.col.replayed'), key: `${id}-w`, align: 'right', render: (_, r) => <Figure v={pick(r.replayed)} kind={kind} /> },
      { title: t('wi.col.diff'), key: `${id}-d`, align: 'right', render: (_, r) => <Diff diff={pick(r.replayed) - pick(r.recorded)} kind={kind} testid={`wi-diff-${id}-${r.key}`} /> },
    ],
  };
}

function RunOut({ f, side }: { f: WhatIfFigures['run_out']; side: 'recorded' | 'replayed' }) {
  const { t } = useT();
  return (
    <Descriptions size="small" column={1} bordered title={t(side === 'recorded' ? 'wi.col.recorded' : 'wi.col.replayed')} data-testid={`wi-runout-${side}`}>
      <Descriptions.Item label={t('fc.remaining')}>
        <Money fen={f.remaining_fen} strong />
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.pace')}>
        <Money fen={f.fen_per_day} /> {t('fc.perDay')}
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.runOut')}>
        <span data-testid={`wi-runout-${side}-on`}>{f.run_out_on ? <DateText d={f.run_out_on} /> : t('fc.never')}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.interval')}>
        <Interval f={f} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.endsOn.spent')}>
        <DateText d={f.ends_on} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fc.verdict')}>
        <Verdict f={f} testid={`wi-runout-${side}-verdict`} />
      </Descriptions.Item>
    </Descriptions>
  );
}

export default function WhatIf() {
  const { id = '' } = useParams();
  const { t, tEnum, tErr, lang } = useT();
  const [form] = Form.useForm<WhatIfValues>();
  const { cities } = useCities();
  const cityName = useCityName(lang);
  const program = useAsync((s) => api.get<Program>(`/programs/${encodeURIComponent(id)}`, undefined, s), [id]);
  const start = useMemo(() => (program.data ? valuesOfProgram(program.data) : null), [program.data]);
  const [values, setValues] = useState<Partial<WhatIfValues>>({});
  const [result, setResult] = useState<{ answer: WhatIfAnswer; body: WhatIfInput } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [progress, setProgress] = useState<WhatIfRun | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!start) return;
    form.setFieldsValue(start);
    setValues(start);
  }, [start, form]);

  // The running timer between the server's answers (they come every 250 ms).
  useEffect(() => {
    if (running === null) return;
    const tick = () => setElapsed((Date.now() - running) / 1000);
    tick();
    const h = window.setInterval(tick, 100);
    return () => window.clearInterval(h);
  }, [running]);
  useEffect(() => () => abort.current?.abort(), []);

  const body = start ? whatIfBody(values, start) : {};
  const changed = changedCount(body);

  /** Asks the run how far it has come until it has ended; stopping only stops asking (the run writes nothing). */
  const follow = async (first: WhatIfRun, signal: AbortSignal): Promise<WhatIfRun> => {
    let r = first;
    while (!runEnded(r)) {
      await new Promise((ok) => window.setTimeout(ok, RUN_POLL_MS));
      if (signal.aborted) throw new DOMException('stopped', 'AbortError');
      r = await api.get<WhatIfRun>(`/what-if-runs/${encodeURIComponent(r.id)}`, undefined, signal);
      setProgress(r);
    }
    return r;
  };

  const run = async () => {
    if (!start) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const asked = whatIfBody(v, start);
    const ctl = new AbortController();
    abort.current = ctl;
    setError(null);
    setProgress(null);
    setRunning(Date.now());
    try {
      const first = await api.post<WhatIfRun>(`/programs/${encodeURIComponent(id)}/what-if/runs`, asked, { signal: ctl.signal });
      setProgress(first);
      const ended = await follow(first, ctl.signal);
      if (ended.result) setResult({ answer: ended.result, body: asked });
      else throw new ApiError(500, ended.error?.code ?? 'internal', ended.error?.message ?? '', ended.error?.field ?? null);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      if (!applyServerFieldError(form, e, tErr(e), WHAT_IF_FIELDS)) setError(e);
    } finally {
      if (abort.current === ctl) abort.current = null;
      setRunning(null);
    }
  };

  // Over 100% is the server's to refuse (rate_over_100), shown at its field like any refusal.
  const percent = () => [
    {
      validator: (_: unknown, v: string) => {
        if (!v && v !== '0') return Promise.reject(new Error(t('err.required')));
        const b = parsePercentToBps(v);
        if (b === null) return Promise.reject(new Error(t('common.percentInvalid')));
        return Promise.resolve();
      },
    },
  ];
  const money = (optional: boolean, positive: boolean) => [
    {
      validator: (_: unknown, v: string) => {
        if (!v || !v.trim()) return optional ? Promise.resolve() : Promise.reject(new Error(t('err.required')));
        const fen = parseYuanToFen(v);
        if (fen === null || fen < 0) return Promise.reject(new Error(t('common.moneyInvalid')));
        if (positive && fen <= 0) return Promise.reject(new Error(t('common.moneyPositive')));
        return Promise.resolve();
      },
    },
  ];

  const p = program.data;
  const w = result?.answer;
  const refused = w ? refusals(w.replayed) : null;

  const headColumns: ColumnsType<HeadlineRow> = [
    { title: t('wi.col.figure'), key: 'k', render: (_, r) => t(`wi.fig.${r.key}` as MsgKey) },
    { title: t('wi.col.recorded'), key: 'r', align: 'right', render: (_, r) => <Figure v={r.recorded} kind={r.kind} /> },
    { title: t('wi.col.replayed'), key: 'w', align: 'right', render: (_, r) => <Figure v={r.replayed} kind={r.kind} /> },
    { title: t('wi.col.diff'), key: 'd', align: 'right', render: (_, r) => <Diff diff={r.diff} kind={r.kind} better={r.better} testid={`wi-diff-${r.key}`} /> },
  ];
  const sources = w ? sourcePairs(w.recorded.by_source, w.replayed.by_source) : [];
  // The allocation changes only with the budget: one column unless it does.
  const allocationChanged = sources.some((r) => r.recorded.allocated_fen !== r.replayed.allocated_fen);
  const sourceColumns: ColumnsType<SourcePair> = [
    { title: t('wi.col.source'), key: 'name', render: (_, r) => r.name, fixed: 'left' },
    allocationChanged
      ? pairColumns<SourcePair>(t, 'wi.col.allocated', (s) => (s as SourcePair['recorded']).allocated_fen, 'fen', 'allocated')
      : { title: t('wi.col.allocated'), key: 'allocated', align: 'right', render: (_, r) => <Money fen={r.recorded.allocated_fen} /> },
    pairColumns<SourcePair>(t, 'wi.col.granted', (s) => (s as SourcePair['recorded']).granted_fen, 'fen', 'src-granted'),
    pairColumns<SourcePair>(t, 'wi.col.paid', (s) => (s as SourcePair['recorded']).paid_fen, 'fen', 'src-paid'),
  ];
  const breakdownColumns = (title: MsgKey, label: (key: string) => string, id: string): ColumnsType<BreakdownPair> => [
    { title: t(title), key: 'name', render: (_, r) => label(r.key), fixed: 'left' },
    pairColumns<BreakdownPair>(t, 'wi.col.beneficiaries', (s) => (s as BreakdownPair['recorded']).beneficiaries, 'count', `${id}-ben`),
    pairColumns<BreakdownPair>(t, 'wi.col.granted', (s) => (s as BreakdownPair['recorded']).granted_fen, 'fen', `${id}-granted`),
    pairColumns<BreakdownPair>(t, 'wi.col.paid', (s) => (s as BreakdownPair['recorded']).paid_fen, 'fen', `${id}-paid`),
  ];
  const city = (k: string) => (k ? cityName(k) : t('wi.otherCity'));
  const size = (k: string) => (k ? tEnum('size', k) : t('wi.otherCity'));
  const vtype = (k: string) => tEnum('vt', k);

  const table = <R extends object>(testid: string, rows: R[], columns: ColumnsType<R>, rowKey: keyof R & string) => (
    <div data-testid={testid}>
      <Table<R> size="small" rowKey={rowKey} pagination={false} bordered scroll={{ x: 'max-content' }} dataSource={rows} columns={columns} locale={{ emptyText: <EmptyState /> }} />
    </div>
  );

  const cityRows = w ? breakdownPairs(w.recorded.by_city, w.replayed.by_city) : [];
  const yuan = (v: unknown) => (v == null ? '—' : formatFen(Math.round(Number(v) * 100), lang));

  return (
    <div data-testid="page-admin-what-if">
      <PageHeader
        title={t('wi.title')}
        sub={p ? t('wi.sub', { name: p.name }) : undefined}
        extra={
          <Link to={`/admin/budget?program=${encodeURIComponent(id)}`} data-testid="wi-back">
            <ArrowLeftOutlined /> {t('wi.back')}
          </Link>
        }
      />
      {program.error ? (
        <ErrorState error={program.error} onRetry={program.reload} />
      ) : !start ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={8}>
            <Card title={t('wi.form')} data-testid="wi-form-card">
              <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
                {t('wi.formHint')}
              </Typography.Paragraph>
              <Form<WhatIfValues> form={form} layout="vertical" onValuesChange={(_, all) => setValues(all)} onFinish={run} data-testid="wi-form" disabled={running !== null}>
                <Row gutter={12}>
                  <Col xs={24} sm={12}>
                    <Form.Item name="rate_bps" label={t('wi.rate')} rules={percent()}>
                      <Input suffix="%" inputMode="decimal" data-testid="wi-rate" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="pilot_bonus_bps" tooltip={t('policy.pilotBonusHint')} label={t('wi.pilotBonus')} rules={percent()}>
                      <Input suffix="%" inputMode="decimal" data-testid="wi-pilot-bonus" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="face_value_cap_fen" label={t('wi.faceCap')} rules={money(false, true)}>
                      <Input prefix="¥" inputMode="decimal" data-testid="wi-face-cap" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="enterprise_year_cap_fen" label={t('wi.yearCap')} rules={money(false, true)}>
                      <Input prefix="¥" inputMode="decimal" data-testid="wi-year-cap" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="budget_fen" label={t('wi.budget')} rules={money(false, false)}>
                      <Input prefix="¥" inputMode="decimal" data-testid="wi-budget" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="supplier_cap_fen" tooltip={t('policy.supplierCapHint')} label={t('wi.supplierCap')} rules={money(true, true)}>
                      <Input prefix="¥" inputMode="decimal" placeholder={t('wi.capEmpty')} allowClear data-testid="wi-supplier-cap" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="group_year_cap_fen" tooltip={t('policy.groupCapHint')} label={t('wi.groupCap')} rules={money(true, true)}>
                      <Input prefix="¥" inputMode="decimal" placeholder={t('wi.capEmpty')} allowClear data-testid="wi-group-cap" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="type_year_cap_fen" tooltip={t('policy.typeCapHint')} label={t('wi.typeCap')} rules={money(true, true)}>
                      <Input prefix="¥" inputMode="decimal" placeholder={t('wi.capEmpty')} allowClear data-testid="wi-type-cap" />
                    </Form.Item>
                  </Col>
                  <Col span={24}>
                    <Form.Item name="eligible_cities" label={t('wi.cities')}>
                      <Select
                        mode="multiple"
                        allowClear
                        placeholder={t('wi.anyCity')}
                        optionFilterProp="label"
                        options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))}
                        data-testid="wi-cities"
                      />
                    </Form.Item>
                  </Col>
                  <Col span={24}>
                    <Form.Item name="eligible_sizes" label={t('wi.sizes')}>
                      <Select mode="multiple" allowClear placeholder={t('wi.anySize')} options={SIZE_CLASSES.map((s) => ({ value: s, label: tEnum('size', s) }))} data-testid="wi-sizes" />
                    </Form.Item>
                  </Col>
                </Row>
                <Typography.Paragraph type="secondary" data-testid="wi-changed" data-changed={changed}>
                  {changed ? t('wi.changed', { n: changed }) : t('wi.unchanged')}
                </Typography.Paragraph>
                <Space wrap>
                  <Button type="primary" htmlType="submit" icon={<ExperimentOutlined />} loading={running !== null} data-testid="wi-run">
                    {t('wi.run')}
                  </Button>
                  <Button
                    icon={<UndoOutlined />}
                    onClick={() => {
                      form.resetFields();
                      form.setFieldsValue(start);
                      setValues(start);
                    }}
                    data-testid="wi-reset"
                  >
                    {t('wi.reset')}
                  </Button>
                </Space>
              </Form>
            </Card>
          </Col>
          <Col xs={24} xl={16}>
            {running !== null ? (
              <Card data-testid="wi-running">
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Progress percent={progress ? runPercent(progress) : 0} status="active" data-testid="wi-progress" data-stage={progress?.stage ?? 'queued'} />
                  <Space size="middle" align="center" wrap>
                    <span role="status" aria-live="polite">
                      {t(`wi.stage.${progress?.stage ?? 'queued'}` as MsgKey)}
                      {' · '}
                      {t('wi.running', { s: elapsed.toFixed(1) })}
                    </span>
                    {progress && progress.total_rows > 0 ? (
                      <Typography.Text type="secondary" data-testid="wi-loaded">
                        {t('wi.loaded', { n: formatNumber(progress.loaded_rows, lang, 0), total: formatNumber(progress.total_rows, lang, 0) })}
                      </Typography.Text>
                    ) : null}
                    <Button size="small" icon={<StopOutlined />} onClick={() => abort.current?.abort()} data-testid="wi-cancel">
                      {t('wi.cancel')}
                    </Button>
                  </Space>
                </Space>
              </Card>
            ) : null}
            {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginBottom: 16 }} data-testid="wi-error" /> : null}
            {!w && running === null ? (
              <Card>
                <EmptyState description={t('wi.empty')} />
              </Card>
            ) : null}
            {w && running === null ? (
              <Card
                title={t('wi.headline')}
                data-testid="wi-result"
                extra={<ExportButtons path={`/programs/${encodeURIComponent(id)}/what-if`} body={result!.body} name="what-if" testid="wi-export" />}
              >
                {JSON.stringify(body) !== JSON.stringify(result!.body) ? (
                  <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('wi.stale')} data-testid="wi-stale" />
                ) : null}
                <Typography.Paragraph data-testid="wi-timing">
                  {t('wi.timing', {
                    grants: formatNumber(w.grants, lang, 0),
                    redemptions: formatNumber(w.redemptions, lang, 0),
                    usage: formatNumber(w.usage_records, lang, 0),
                    replay: formatNumber(w.replay_ms, lang, 0),
                    load: formatNumber(w.load_ms, lang, 0),
                  })}
                </Typography.Paragraph>
                {refused ? (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ marginBottom: 12 }}
                    message={t('wi.refusedTitle')}
                    description={t('wi.refused', {
                      notEligible: formatNumber(refused.notEligible, lang, 0),
                      overCap: formatNumber(refused.overCap, lang, 0),
                      budget: formatNumber(refused.budget, lang, 0),
                      redemptions: formatNumber(refused.redemptions, lang, 0),
                      usage: formatNumber(refused.usage, lang, 0),
                    })}
                    data-testid="wi-refused"
                  />
                ) : null}
                {table('table-wi-headline', headlineRows(w), headColumns, 'key')}
              </Card>
            ) : null}
            {w && running === null ? (
              <Card title={t('wi.runOut')} data-testid="wi-runout" style={{ marginTop: 16 }}>
                <Row gutter={[16, 16]}>
                  <Col xs={24} lg={12}>
                    <RunOut f={w.recorded.run_out} side="recorded" />
                  </Col>
                  <Col xs={24} lg={12}>
                    <RunOut f={w.replayed.run_out} side="replayed" />
                  </Col>
                </Row>
              </Card>
            ) : null}
          </Col>
          {w && running === null ? (
            <>
              <Col xs={24}>
                <Card title={t('wi.bySource')}>{table('table-wi-sources', sources, sourceColumns, 'key')}</Card>
              </Col>
              <Col xs={24}>
                <Card title={t('wi.chartShort')}>
                  {cityRows.length === 0 ? (
                    <EmptyState />
                  ) : (
                    <Chart
                      testid="chart-wi-city"
                      label={t('wi.chart')}
                      height={Math.max(260, 60 + cityRows.length * 44)}
                      option={{
                        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: yuan },
                        legend: { top: 0 },
                        grid: { left: 8, right: 24, bottom: 8, top: 36, containLabel: true },
                        yAxis: { type: 'category', inverse: true, data: cityRows.map((r) => city(r.key)) },
                        xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatFenCompact(v * 100, lang) } },
                        series: [
                          { name: t('wi.col.recorded'), type: 'bar', barMaxWidth: 16, data: cityRows.map((r) => r.recorded.paid_fen / 100) },
                          { name: t('wi.col.replayed'), type: 'bar', barMaxWidth: 16, data: cityRows.map((r) => r.replayed.paid_fen / 100) },
                        ],
                      }}
                    />
                  )}
                </Card>
              </Col>
              <Col xs={24}>
                <Card title={t('wi.byCity')}>{table('table-wi-cities', cityRows, breakdownColumns('wi.col.city', city, 'city'), 'key')}</Card>
              </Col>
              <Col xs={24}>
                <Card title={t('wi.bySize')}>{table('table-wi-sizes', breakdownPairs(w.recorded.by_size, w.replayed.by_size), breakdownColumns('wi.col.size', size, 'size'), 'key')}</Card>
              </Col>
              <Col xs={24}>
                <Card title={t('wi.byType')}>
                  {table('table-wi-types', breakdownPairs(w.recorded.by_voucher_type, w.replayed.by_voucher_type), breakdownColumns('wi.col.type', vtype, 'type'), 'key')}
                </Card>
              </Col>
              <Col xs={24}>
                <Card size="small" title={t('wi.methodTitle')}>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} data-testid="wi-method">
                    {t('wi.method')}
                  </Typography.Paragraph>
                </Card>
              </Col>
            </>
          ) : null}
        </Row>
      )}
    </div>
  );
}
