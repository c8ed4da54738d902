import { describe, expect, it } from 'vitest';
import { formatFigure, verdictColor } from './targets';

const tEnum = (p: string, v: string) => `${p}.${v}`;

describe('policy target figures', () => {
  it('says money in 亿元 from ¥100 million and yuan below', () => {
    expect(formatFigure(1e9, 'CNY', 'zh', tEnum)).toBe('10 tg.unit.CNY_100m');
    expect(formatFigure(123_456_789, 'CNY', 'zh', tEnum)).toBe('1.23 tg.unit.CNY_100m');
    expect(formatFigure(30_000, 'CNY', 'en', tEnum)).toBe('30,000 tg.unit.CNY');
  });
  it('says percent, compute and counts in their units', () => {
    expect(formatFigure(46.9026, 'percent', 'zh', tEnum)).toBe('46.9%');
    expect(formatFigure(11.3, 'EFLOPS', 'zh', tEnum)).toBe('11.3 EFLOPS');
    expect(formatFigure(30, 'products/year', 'zh', tEnum)).toBe('30 tg.unit.products/year');
  });
  it('colours a standing', () => {
    expect([verdictColor('met'), verdictColor('at_risk'), verdictColor('no_data')]).toEqual(['green', 'red', 'default']);
  });
});
