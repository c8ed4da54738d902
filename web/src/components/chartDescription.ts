// What a chart says to a screen reader: its label, then each series with its points as the tooltip
// shows them ("已发券：济南 ¥7,000,000.00，青岛 …"). ECharts' own description lists every internal
// dimension of a data item (a stacked series' base reads "NaN") and raw numbers (fen, timestamps),
// so Chart.tsx hands this one to its aria module instead. Pure, so it is unit-tested.
import type { EChartsOption } from 'echarts';
import { formatDate, formatNumber, type Lang } from '../format';

/** Points named per series; the rest is counted ("等 3 项"). */
export const MAX_POINTS = 12;

type Fmt = (value: unknown, dataIndex: number) => string;
type Obj = Record<string, unknown>;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v == null ? [] : [v]);
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

function formatterOf(tooltip: unknown): Fmt | undefined {
  const f = obj(list(tooltip)[0])?.valueFormatter;
  return typeof f === 'function' ? (f as Fmt) : undefined;
}

/** The first axis (x, then y) of the given type. */
function axisOf(option: Obj, type: string): Obj | undefined {
  for (const a of [...list(option.xAxis), ...list(option.yAxis)]) {
    const ax = obj(a);
    if (ax && (ax.type ?? (type === 'category' && ax.data ? 'category' : undefined)) === type) return ax;
  }
  return undefined;
}

const missing = (v: unknown) => v === null || v === undefined || v === '' || v === '-' || (typeof v === 'number' && !Number.isFinite(v));

export function chartDescription(option: EChartsOption, label: string, lang: Lang, more: (n: number) => string): string {
  const o = option as unknown as Obj;
  const categories = list(axisOf(o, 'category')?.data).map((c) => String(obj(c)?.value ?? c));
  const time = !!axisOf(o, 'time');
  const xName = (x: unknown) => (time && typeof x === 'number' ? formatDate(new Date(x).toISOString().slice(0, 10), lang) : String(x));
  const chartFmt = formatterOf(o.tooltip);
  // zh "已发券：济南 ¥7,000.00，青岛 ¥0.00"; en "Issued — Jinan: ¥7,000.00, Qingdao: ¥0.00" (a date's comma
  // would run into a value without the colon).
  const [pointSep, seriesSep, nameSep, valueSep, end] = lang === 'zh' ? ['，', '；', '：', ' ', '。'] : [', ', '; ', ' — ', ': ', '. '];
  const parts: string[] = [];
  for (const s of list(o.series).map(obj)) {
    if (!s || obj(s.tooltip)?.show === false) continue; // a helper series (a band's lower edge) the tooltip leaves out
    const fmt: Fmt = formatterOf(s.tooltip) ?? chartFmt ?? ((v) => formatNumber(Number(v), lang));
    const points: string[] = [];
    let shown = 0;
    list(s.data).forEach((item, i) => {
      let name: unknown = categories[i];
      let value: unknown = item;
      if (Array.isArray(item)) {
        name = xName(item[0]);
        value = item[1];
      } else if (obj(item)) {
        const it = obj(item)!;
        name = it.name ?? name;
        value = Array.isArray(it.value) ? it.value[1] : it.value;
      }
      if (missing(value) || Number.isNaN(Number(value))) return;
      shown += 1;
      if (points.length < MAX_POINTS) points.push(`${name != null && name !== '' ? `${name}${valueSep}` : ''}${fmt(value, i)}`);
    });
    if (!points.length) continue;
    const rest = shown - points.length;
    parts.push(`${s.name ? `${String(s.name)}${nameSep}` : ''}${points.join(pointSep)}${rest > 0 ? `${pointSep}${more(rest)}` : ''}`);
  }
  return `${label}${end}${parts.join(seriesSep)}${parts.length ? end : ''}`.trim();
}
