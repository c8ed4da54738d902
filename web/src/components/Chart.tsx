// A chart: ECharts (ChartCanvas.tsx) is loaded lazily, in a chunk of its own, the first time a chart
// renders, so a page's figures show before the chart code has arrived (issue 15). Until then the
// chart's place is kept at its height, so nothing moves when it draws.
import type { EChartsOption } from 'echarts';
import { lazy, Suspense } from 'react';

// The primary blue first, then colours that stay apart from it and from each other (granted / spent
// read as blue / amber); no red, which the UI keeps for errors.
export const CHART_COLORS = ['#1f5fbf', '#f5a623', '#13a8a8', '#722ed1', '#52c41a', '#eb2f96', '#8c8c8c'];

export interface ChartProps {
  option: EChartsOption;
  /** A short description in the UI language (e.g. the card's title), the chart's accessible name. */
  label: string;
  height?: number;
  testid?: string;
}

const ChartCanvas = lazy(() => import('./ChartCanvas'));

/**
 * A chart for the eye, and for a screen reader an image named by `label` (a short description in
 * the UI language, e.g. the card's title). ECharts' aria module puts a description of the series and
 * their points on the chart's own element, in the UI language and formatted as the tooltip formats
 * them (chartDescription.ts; ECharts' own lists internal dimensions, a stack's base as "NaN").
 */
export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<div aria-busy="true" style={{ height: props.height ?? 320, width: '100%' }} />}>
      <ChartCanvas {...props} />
    </Suspense>
  );
}
