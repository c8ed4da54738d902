import { describe, expect, it } from 'vitest';
import { chartDescription } from './chartDescription';

const more = (n: number) => `等 ${n} 项`;

describe('chartDescription', () => {
  it('names each point by its category and formats it as the tooltip does; no NaN for a stack\'s base', () => {
    const d = chartDescription(
      {
        tooltip: { trigger: 'axis', valueFormatter: (v) => `¥${Number(v) / 100}` },
        yAxis: { type: 'category', data: ['济南', '青岛'] },
        xAxis: { type: 'value' },
        series: [
          { name: '已发券', type: 'bar', stack: 'total', data: [700000, 0] },
          { name: '已释放', type: 'bar', stack: 'released', data: [null, undefined as unknown as number] },
        ],
      },
      '各资金来源',
      'zh',
      more,
    );
    expect(d).toBe('各资金来源。已发券：济南 ¥7000，青岛 ¥0。');
    expect(d).not.toMatch(/NaN/);
  });

  it('reads time-axis pairs as dates, skips series hidden from the tooltip, counts what it leaves out', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const day = 86_400_000;
    const d = chartDescription(
      {
        xAxis: { type: 'time' },
        yAxis: { type: 'value' },
        series: [
          { name: 'low', type: 'line', data: [[t0, 1]], tooltip: { show: false } },
          { name: 'Pace', type: 'line', data: Array.from({ length: 14 }, (_, i) => [t0 + i * day, i]) },
        ],
      },
      'Forecast',
      'en',
      (n) => `and ${n} more`,
    );
    expect(d).toMatch(/^Forecast\. Pace — Jan 1, 2026: 0, Jan 2, 2026: 1, /);
    expect(d.endsWith(', and 2 more.')).toBe(true);
    expect(d).not.toContain('low');
  });

  it('names pie slices by their own names, and says only the label when there is no data', () => {
    expect(chartDescription({ series: [{ type: 'pie', data: [{ name: '算力券', value: 3 }] }] }, '按券种', 'zh', more)).toBe('按券种。算力券 3。');
    expect(chartDescription({ series: [] }, '按月', 'zh', more)).toBe('按月。');
  });
});
