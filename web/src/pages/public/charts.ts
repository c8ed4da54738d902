// ECharts options shared by the public dashboard and the admin statistics.
import type { EChartsOption } from 'echarts';
import type { Dashboard } from '../../api/types';
import { formatFen, formatFenCompact, type Lang } from '../../format';
import type { MsgKey } from '../../i18n';

type T = (k: MsgKey) => string;

const moneyAxis = (lang: Lang) => ({ type: 'value' as const, axisLabel: { formatter: (v: number) => formatFenCompact(v, lang) } });
const moneyTooltip = (lang: Lang) => ({
  trigger: 'axis' as const,
  valueFormatter: (v: unknown) => formatFen(Number(v), lang),
});

export function byCityOption(d: Dashboard, lang: Lang, t: T, series: ('granted' | 'spent')[] = ['granted', 'spent']): EChartsOption {
  const rows = [...d.by_city].sort((a, b) => b.granted_fen - a.granted_fen || b.spent_fen - a.spent_fen);
  return {
    tooltip: moneyTooltip(lang),
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: 'category', data: rows.map((c) => (lang === 'zh' ? c.name_zh : c.name_en)), axisLabel: { interval: 0, rotate: rows.length > 8 ? 40 : 0 } },
    yAxis: moneyAxis(lang),
    series: series.map((s) => ({
      name: t(`dash.series.${s}`),
      type: 'bar' as const,
      barMaxWidth: 22,
      data: rows.map((c) => (s === 'granted' ? c.granted_fen : c.spent_fen)),
    })),
  };
}

export function byTypeBarOption(d: Dashboard, lang: Lang, t: T, tEnum: (p: string, v: string) => string, series: ('budget' | 'granted' | 'spent')[]): EChartsOption {
  return {
    tooltip: moneyTooltip(lang),
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: 'category', data: d.by_voucher_type.map((v) => tEnum('vt', v.voucher_type)) },
    yAxis: moneyAxis(lang),
    series: series.map((s) => ({
      name: t(`dash.series.${s}`),
      type: 'bar' as const,
      barMaxWidth: 36,
      data: d.by_voucher_type.map((v) => (s === 'budget' ? v.budget_fen : s === 'granted' ? v.granted_fen : v.spent_fen)),
    })),
  };
}

export function byTypePieOption(d: Dashboard, lang: Lang, tEnum: (p: string, v: string) => string): EChartsOption {
  return {
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => formatFen(Number(v), lang) },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['42%', '70%'],
        center: ['50%', '45%'],
        itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 4 },
        label: { formatter: '{b}\n{d}%' },
        data: d.by_voucher_type.filter((v) => v.granted_fen > 0).map((v) => ({ name: tEnum('vt', v.voucher_type), value: v.granted_fen })),
      },
    ],
  };
}

export function byMonthOption(d: Dashboard, lang: Lang, t: T): EChartsOption {
  const rows = [...d.by_month].sort((a, b) => a.month.localeCompare(b.month));
  return {
    tooltip: moneyTooltip(lang),
    legend: { top: 0 },
    // Room on the right for the last month's label; monotone smoothing never dips below zero.
    grid: { left: 8, right: 32, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: rows.map((m) => m.month) },
    yAxis: moneyAxis(lang),
    series: [
      { name: t('dash.series.granted'), type: 'line', smooth: true, smoothMonotone: 'x', symbolSize: 8, areaStyle: { opacity: 0.15 }, data: rows.map((m) => m.granted_fen) },
      { name: t('dash.series.spent'), type: 'line', smooth: true, smoothMonotone: 'x', symbolSize: 8, areaStyle: { opacity: 0.15 }, data: rows.map((m) => m.spent_fen) },
    ],
  };
}
