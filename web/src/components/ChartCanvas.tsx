// The chart itself, in a chunk of its own that Chart.tsx loads lazily (issue 15: ECharts is the
// largest part of the console, and the first page shows its figures before its charts).
// ECharts with only the parts we use (bar, line, pie; mark lines for a day on a time axis), so the
// bundle stays small. The big screen's map (MapChart, VisualMap) is registered in its own lazy chunk.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCoreImport from 'echarts-for-react/lib/core';
import { useT } from '../i18n';
import { CHART_COLORS, type ChartProps } from './Chart';
import { chartDescription } from './chartDescription';

// lib/core is CommonJS: depending on the bundler's interop the component is the default or its .default.
const ReactEChartsCore = ((ReactEChartsCoreImport as unknown as { default?: typeof ReactEChartsCoreImport }).default ?? ReactEChartsCoreImport) as typeof ReactEChartsCoreImport;

echarts.use([AriaComponent, BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, MarkLineComponent, CanvasRenderer]);

// Under automation (browser tests, screenshots) charts draw at once instead of animating.
const ANIMATE = typeof navigator === 'undefined' || !navigator.webdriver;

/**
 * A chart for the eye, and for a screen reader an image named by `label` (a short description in
 * the UI language, e.g. the card's title). ECharts' aria module puts a description of the series and
 * their points on the chart's own element, in the UI language and formatted as the tooltip formats
 * them (chartDescription.ts; ECharts' own lists internal dimensions, a stack's base as "NaN").
 */
export default function ChartCanvas({ option, label, height = 320, testid }: ChartProps) {
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
