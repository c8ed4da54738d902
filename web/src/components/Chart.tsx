// ECharts with only the parts we use (bar, line, pie), so the bundle stays small.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCoreImport from 'echarts-for-react/lib/core';
import type { EChartsOption } from 'echarts';
import { useT } from '../i18n';

// lib/core is CommonJS: depending on the bundler's interop the component is the default or its .default.
const ReactEChartsCore = ((ReactEChartsCoreImport as unknown as { default?: typeof ReactEChartsCoreImport }).default ?? ReactEChartsCoreImport) as typeof ReactEChartsCoreImport;

echarts.use([AriaComponent, BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, CanvasRenderer]);

// The primary blue first, then colours that stay apart from it and from each other (granted / spent
// read as blue / amber); no red, which the UI keeps for errors.
export const CHART_COLORS = ['#1f5fbf', '#f5a623', '#13a8a8', '#722ed1', '#52c41a', '#eb2f96', '#8c8c8c'];

// Under automation (browser tests, screenshots) charts draw at once instead of animating.
const ANIMATE = typeof navigator === 'undefined' || !navigator.webdriver;

/**
 * A chart for the eye, and for a screen reader an image named by `label` (a short description in
 * the UI language, e.g. the card's title). ECharts' aria module describes the series and their
 * data on the chart's own element, in the UI language.
 */
export function Chart({ option, label, height = 320, testid }: { option: EChartsOption; label: string; height?: number; testid?: string }) {
  const { lang } = useT();
  return (
    <div data-testid={testid} role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ color: CHART_COLORS, animation: ANIMATE, aria: { enabled: true }, ...option }}
        opts={{ locale: lang === 'zh' ? 'ZH' : 'EN' }}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
      />
    </div>
  );
}
