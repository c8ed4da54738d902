// ECharts with only the parts we use (bar, line, pie; mark lines for a day on a time axis), so the
// bundle stays small. The big screen's map (MapChart, VisualMap) is registered in its own lazy chunk.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCoreImport from 'echarts-for-react/lib/core';
import type { EChartsOption } from 'echarts';
import { useT } from '../i18n';
import { chartDescription } from './chartDescription';

// lib/core is CommonJS: depending on the bundler's interop the component is the default or its .default.
const ReactEChartsCore = ((ReactEChartsCoreImport as unknown as { default?: typeof ReactEChartsCoreImport }).default ?? ReactEChartsCoreImport) as typeof ReactEChartsCoreImport;

echarts.use([AriaComponent, BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, MarkLineComponent, CanvasRenderer]);

// The primary blue first, then colours that stay apart from it and from each other (granted / spent
// read as blue / amber); no red, which the UI keeps for errors.
export const CHART_COLORS = ['#1f5fbf', '#f5a623', '#13a8a8', '#722ed1', '#52c41a', '#eb2f96', '#8c8c8c'];

// Under automation (browser tests, screenshots) charts draw at once instead of animating.
const ANIMATE = typeof navigator === 'undefined' || !navigator.webdriver;

/**
 * A chart for the eye, and for a screen reader an image named by `label` (a short description in
 * the UI language, e.g. the card's title). ECharts' aria module puts a description of the series and
 * their points on the chart's own element, in the UI language and formatted as the tooltip formats
 * them (chartDescription.ts; ECharts' own lists internal dimensions, a stack's base as "NaN").
 */
export function Chart({ option, label, height = 320, testid }: { option: EChartsOption; label: string; height?: number; testid?: string }) {
  const { lang, t } = useT();
  const description = chartDescription(option, label, lang, (n) => t('chart.more', { n }));
  return (
    <div data-testid={testid} role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ color: CHART_COLORS, animation: ANIMATE, aria: { enabled: true, label: { description } }, ...option }}
        opts={{ locale: lang === 'zh' ? 'ZH' : 'EN' }}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
      />
    </div>
  );
}
