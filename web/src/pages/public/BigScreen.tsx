// 数据大屏: the public big screen at /public/screen, full-screen, designed for 1920×1080 (scaled to
// fit any window) on a dark ground, refreshed every 10 s: the money granted and spent per city on a
// map of Shandong's cities (BigScreenMap.tsx; beneficiaries in the tooltip), the budget's
// execution, the registry's compute against the targets, the policy targets' progress, and the
// metered usage of the last hour per hub.
// Lazy-loaded (App.tsx), the map's boundaries in a chunk of their own (screenCharts.ts): neither the
// page nor the map's ECharts parts and geometry weigh on the first page.
import { ConfigProvider, Empty, theme as antdTheme } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { Dashboard } from '../../api/types';
import { useToday } from '../../clock';
import { Chart } from '../../components/Chart';
import { formatDate, formatFen, formatNumber } from '../../format';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { LangSwitch } from '../../layout/parts';
import { BigScreenMap } from './BigScreenMap';
import { useShandongMap } from './screenCharts';
import {
  computeVsTargets,
  executionRates,
  fitScale,
  meteringSeries,
  REFRESH_MS,
  targetsForScreen,
  type ComputeCapacity,
  type MeteringLive,
  type TargetStatus,
} from './screenData';
import { formatFigure } from './targets';
import './bigscreen.css';

const TEXT = '#d6e4ff';
const MUTED = '#8fa8cc';
const LINE = 'rgba(95, 140, 210, 0.25)';
const HUB_COLORS: Record<string, string> = { jinan: '#36cfc9', qingdao: '#4d8dff', zaozhuang: '#f5a623' };
const VERDICT_COLORS: Record<string, string> = { met: '#52c41a', on_track: '#36cfc9', at_risk: '#ff7a45', no_data: '#5b6b82' };

/** The map chart's height in the 1920×1080 design; the attribution line sits below it. */
const MAP_HEIGHT = 736;

const axis = { axisLine: { lineStyle: { color: '#3a5a8c' } }, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: LINE } } };

/** A tick every `ms`; the loaders below reload on it (the last figures stay shown meanwhile). */
function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const h = setInterval(() => setTick((x) => x + 1), ms);
    return () => clearInterval(h);
  }, [ms]);
  return tick;
}

/** The window's size, for the scale that fits the 1920×1080 design. */
function useWindowSize() {
  const [size, setSize] = useState(() => ({ w: window.innerWidth, h: window.innerHeight }));
  useEffect(() => {
    const on = () => setSize({ w: window.innerWidth, h: window.innerHeight });
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return size;
}

function Panel({ title, children, testid, extra, style }: { title: string; children: ReactNode; testid?: string; extra?: ReactNode; style?: React.CSSProperties }) {
  return (
    <section className="bs-panel" data-testid={testid} style={style} aria-label={title}>
      <header className="bs-panel-head">
        <h2>{title}</h2>
        {extra}
      </header>
      <div className="bs-panel-body">{children}</div>
    </section>
  );
}

function Kpi({ label, value, testid, sub }: { label: string; value: string; testid?: string; sub?: string }) {
  return (
    <div className="bs-kpi">
      <div className="bs-kpi-label">{label}</div>
      <div className="bs-kpi-value" data-testid={testid}>
        {value}
      </div>
      {sub ? <div className="bs-kpi-sub">{sub}</div> : null}
    </div>
  );
}

function Bar({ ratio, color }: { ratio: number | null; color: string }) {
  return (
    <div className="bs-bar" aria-hidden>
      <div className="bs-bar-fill" style={{ width: `${Math.round(Math.min(1, Math.max(0, ratio ?? 0)) * 1000) / 10}%`, background: color }} />
    </div>
  );
}

export default function BigScreen() {
  const { t, tEnum, lang } = useT();
  const today = useToday();
  const tick = useTick(REFRESH_MS);
  const { w, h } = useWindowSize();
  const scale = fitScale(w, h);
  // Asked for as the screen mounts, so the boundaries load beside the first figures.
  const map = useShandongMap();

  const dash = useAsync((s) => api.get<Dashboard>('/public/dashboard', undefined, s), [tick]);
  const compute = useAsync((s) => api.get<ComputeCapacity>('/public/compute-capacity', undefined, s), [tick]);
  const targets = useAsync((s) => api.get<TargetStatus[]>('/public/policy-targets', undefined, s).then(normalizeArray<TargetStatus>), [tick]);
  const live = useAsync((s) => api.get<MeteringLive>('/public/metering-live', undefined, s), [tick]);
  const [refreshedAt, setRefreshedAt] = useState<string | null>(null);
  useEffect(() => {
    if (dash.data && !dash.loading) setRefreshedAt(new Date().toTimeString().slice(0, 8));
  }, [dash.data, dash.loading]);

  const d = dash.data;
  const rates = d ? executionRates(d.totals) : { granted: null, spent: null };
  const money = (fen: number | null | undefined) => formatFen(fen ?? 0, lang);
  const pct = (v: number | null | undefined) => (v == null ? '—' : `${formatNumber(v, lang, 1)}%`);
  const metering = meteringSeries(live.error ? null : live.data);
  const targetRows = targetsForScreen(targets.data ?? []);
  const computeRows = compute.data ? computeVsTargets(compute.data, targets.data ?? []) : [];

  const gauge = (value: number | null, name: string, color: string, center: string) => ({
    type: 'gauge' as const,
    center: [center, '58%'],
    radius: '80%',
    startAngle: 210,
    endAngle: -30,
    min: 0,
    max: 100,
    progress: { show: true, width: 14, itemStyle: { color } },
    axisLine: { lineStyle: { width: 14, color: [[1, 'rgba(95,140,210,0.2)']] as [number, string][] } },
    axisTick: { show: false },
    splitLine: { show: false },
    axisLabel: { show: false },
    pointer: { show: false },
    anchor: { show: false },
    title: { offsetCenter: [0, '62%'], color: MUTED, fontSize: 16 },
    detail: { offsetCenter: [0, '5%'], color: TEXT, fontSize: 30, fontWeight: 'bold' as const, formatter: () => pct(value) },
    data: [{ value: value ?? 0, name }],
  });

  const meteringOption = {
    backgroundColor: 'transparent',
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, textStyle: { color: TEXT } },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category' as const, boundaryGap: false, data: metering.labels, ...axis, splitLine: { show: false } },
    yAxis: { type: 'value' as const, name: t('screen.recordsPerMinute'), nameTextStyle: { color: MUTED }, minInterval: 1, ...axis },
    series: metering.hubs.map((hh) => ({
      name: tEnum('tg.hubName', hh.hub),
      type: 'line' as const,
      stack: 'hubs',
      symbol: 'none',
      smooth: true,
      lineStyle: { width: 1.5, color: HUB_COLORS[hh.hub] },
      itemStyle: { color: HUB_COLORS[hh.hub] },
      areaStyle: { opacity: 0.3, color: HUB_COLORS[hh.hub] },
      data: hh.records,
    })),
  };

  const hubOption = compute.data
    ? {
        backgroundColor: 'transparent',
        tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => `${formatNumber(Number(v), lang, 1)} PFLOPS` },
        grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value' as const, ...axis },
        yAxis: { type: 'category' as const, data: compute.data.by_hub.map((x) => tEnum('tg.hubName', x.hub)), ...axis, axisLabel: { color: TEXT, fontSize: 14 } },
        series: [
          {
            name: t('screen.hubPflops'),
            type: 'bar' as const,
            barMaxWidth: 18,
            data: compute.data.by_hub.map((x) => ({ value: x.total_pflops, itemStyle: { color: HUB_COLORS[x.hub] } })),
            label: { show: true, position: 'right' as const, color: TEXT, formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang, 1) },
          },
        ],
      }
    : null;

  return (
    <ConfigProvider theme={{ algorithm: antdTheme.darkAlgorithm, token: { colorPrimary: '#4d8dff' } }}>
      <div className="bs-root" data-testid="page-public-screen">
        <div
          className="bs-stage"
          style={{ transform: `scale(${scale})`, left: Math.max(0, (w - 1920 * scale) / 2), top: Math.max(0, (h - 1080 * scale) / 2) }}
          id="main-content"
          tabIndex={-1}
        >
          <header className="bs-head">
            <div className="bs-head-side">
              <span data-testid="screen-refreshed">
                {t('screen.asOf')} {today ? formatDate(today, lang) : '—'} {refreshedAt ?? ''}
              </span>
              <span className="bs-muted">{t('screen.refreshEvery', { n: REFRESH_MS / 1000 })}</span>
            </div>
            <h1 className="bs-title">{t('screen.title')}</h1>
            <div className="bs-head-side bs-head-right">
              <LangSwitch />
              <Link to="/" className="bs-link" data-testid="screen-home">
                {t('screen.backToPortal')}
              </Link>
            </div>
          </header>

          <div className="bs-kpis" data-testid="screen-kpis">
            <Kpi label={t('screen.budget')} value={d ? money(d.totals.budget_fen) : '—'} testid="screen-budget" />
            <Kpi label={t('screen.granted')} value={d ? money(d.totals.granted_fen) : '—'} testid="screen-granted" />
            <Kpi label={t('screen.spent')} value={d ? money(d.totals.spent_fen) : '—'} testid="screen-spent" />
            <Kpi label={t('screen.beneficiaries')} value={d ? formatNumber(d.totals.beneficiaries, lang, 0) : '—'} testid="screen-beneficiaries" sub={d ? t('screen.enterprises', { n: formatNumber(d.totals.enterprises, lang, 0) }) : undefined} />
            <Kpi label={t('screen.vouchers')} value={d ? formatNumber(d.totals.vouchers, lang, 0) : '—'} testid="screen-vouchers" />
          </div>

          <div className="bs-main">
            <div className="bs-col">
              <Panel title={t('screen.execution')} testid="screen-execution" style={{ height: 260 }}>
                {d ? (
                  <Chart
                    label={t('screen.executionAria', { granted: pct(rates.granted), spent: pct(rates.spent) })}
                    height={200}
                    testid="chart-screen-execution"
                    option={{ backgroundColor: 'transparent', tooltip: { show: false, valueFormatter: (v: unknown) => pct(Number(v)) }, series: [gauge(rates.granted, t('screen.grantRate'), '#4d8dff', '27%'), gauge(rates.spent, t('screen.spendRate'), '#36cfc9', '73%')] }}
                  />
                ) : (
                  <ScreenEmpty failed={!!dash.error} />
                )}
              </Panel>
              <Panel title={t('screen.targets')} testid="screen-targets" style={{ flex: 1 }}>
                {targetRows.length ? (
                  <ul className="bs-targets">
                    {targetRows.map((r) => (
                      <li key={r.id} data-testid={`screen-target-${r.id}`} data-verdict={r.progress.verdict}>
                        <span className="bs-target-name" title={tEnum('tg.name', r.id)}>
                          {tEnum('tg.name', r.id)}
                        </span>
                        <Bar ratio={r.progress.ratio ?? null} color={VERDICT_COLORS[r.progress.verdict] ?? '#5b6b82'} />
                        <span className="bs-target-pct">{r.progress.ratio == null ? '—' : `${formatNumber(r.progress.ratio * 100, lang, 0)}%`}</span>
                        <span className="bs-target-verdict" style={{ color: VERDICT_COLORS[r.progress.verdict] }}>
                          {tEnum('tg.verdict', r.progress.verdict)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <ScreenEmpty failed={!!targets.error} />
                )}
              </Panel>
            </div>

            <Panel title={t('screen.map')} testid="screen-map" style={{ width: 840 }}>
              {d && map.cities ? (
                <BigScreenMap cities={map.cities} byCity={d.by_city} height={MAP_HEIGHT} />
              ) : d && !map.failed ? (
                <div style={{ height: MAP_HEIGHT }} aria-busy />
              ) : (
                <ScreenEmpty failed={!!dash.error || map.failed} />
              )}
            </Panel>

            <div className="bs-col">
              <Panel title={t('screen.compute')} testid="screen-compute" style={{ height: 370 }}>
                {compute.data ? (
                  <>
                    <ul className="bs-compute">
                      {computeRows.map((r) => (
                        <li key={r.key} data-testid={`screen-compute-${r.key}`}>
                          <div className="bs-compute-line">
                            <span>{tEnum('tg.name', r.key)}</span>
                            <span>
                              <b>{r.figure == null ? '—' : formatFigure(r.figure, r.unit, lang, tEnum)}</b>
                              <span className="bs-muted"> / {formatFigure(r.target, r.unit, lang, tEnum)}</span>
                            </span>
                          </div>
                          <Bar ratio={r.ratio} color="#4d8dff" />
                        </li>
                      ))}
                    </ul>
                    {hubOption && <Chart label={t('screen.hubAria')} height={130} option={hubOption} testid="chart-screen-hubs" />}
                  </>
                ) : (
                  <ScreenEmpty failed={!!compute.error} />
                )}
              </Panel>
              <Panel title={t('screen.metering')} testid="screen-metering" style={{ flex: 1 }}>
                {metering.labels.length ? (
                  <>
                    <div className="bs-metering-kpis">
                      <Kpi label={t('screen.recordsHour')} value={formatNumber(metering.totalRecords, lang, 0)} testid="screen-metering-records" />
                      <Kpi label={t('screen.gpuHoursHour')} value={formatNumber(metering.totalGpuHours, lang, 1)} testid="screen-metering-gpu" />
                    </div>
                    <Chart label={t('screen.meteringAria')} height={300} option={meteringOption} testid="chart-screen-metering" />
                  </>
                ) : (
                  <div data-testid="screen-metering-empty">
                    <ScreenEmpty failed={!!live.error} failedText={t('screen.meteringUnavailable')} emptyText={t('screen.meteringNone')} />
                  </div>
                )}
              </Panel>
            </div>
          </div>
        </div>
      </div>
    </ConfigProvider>
  );
}

function ScreenEmpty({ failed, failedText, emptyText }: { failed: boolean; failedText?: string; emptyText?: string }) {
  const { t } = useT();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={<span style={{ color: MUTED }}>{failed ? failedText ?? t('screen.unavailable') : emptyText ?? t('common.empty')}</span>}
    />
  );
}
