import { describe, expect, it } from 'vitest';
import {
  bpsToPercentInput,
  fenToYuanInput,
  fenToYuanString,
  formatBps,
  formatDate,
  formatFen,
  industryLabel,
  parsePercentToBps,
  parseYuanToFen,
} from './format';

describe('parseYuanToFen', () => {
  it('parses exact decimals without float error', () => {
    expect(parseYuanToFen('12.34')).toBe(1234);
    expect(parseYuanToFen('0.1')).toBe(10);
    expect(parseYuanToFen('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 as a float
    expect(parseYuanToFen('1.1')).toBe(110);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('4.35')).toBe(435); // 4.35 * 100 = 434.99999999999994
    expect(parseYuanToFen('100')).toBe(10000);
  });
  it('handles zero, negatives and separators', () => {
    expect(parseYuanToFen('0')).toBe(0);
    expect(parseYuanToFen('0.00')).toBe(0);
    expect(parseYuanToFen('-0')).toBe(0);
    expect(parseYuanToFen('-3.5')).toBe(-350);
    expect(parseYuanToFen('1,234,567.89')).toBe(123456789);
    expect(parseYuanToFen(' ¥ 8 ')).toBe(800);
    expect(parseYuanToFen(12.5)).toBe(1250);
  });
  it('handles large amounts exactly', () => {
    expect(parseYuanToFen('1000000000')).toBe(100000000000); // ¥1 billion fund
    expect(parseYuanToFen('90071992547409.91')).toBe(9007199254740991);
    expect(parseYuanToFen('90071992547409.92')).toBeNull(); // beyond a safe integer
  });
  it('rejects more than two decimals and garbage', () => {
    expect(parseYuanToFen('1.005')).toBeNull();
    expect(parseYuanToFen('0.001')).toBeNull();
    expect(parseYuanToFen('')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
    expect(parseYuanToFen('1e3')).toBeNull();
    expect(parseYuanToFen('.5')).toBeNull();
    expect(parseYuanToFen('1.')).toBeNull();
    expect(parseYuanToFen('1.2.3')).toBeNull();
    expect(parseYuanToFen(null)).toBeNull();
    expect(parseYuanToFen(undefined)).toBeNull();
  });
});

describe('fen to yuan strings', () => {
  it('is exact', () => {
    expect(fenToYuanString(1234)).toBe('12.34');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(0)).toBe('0.00');
    expect(fenToYuanString(-5)).toBe('-0.05');
    expect(fenToYuanString(-123456)).toBe('-1234.56');
    expect(fenToYuanString(9007199254740991)).toBe('90071992547409.91');
  });
  it('round-trips through the parser', () => {
    for (const fen of [0, 1, 10, 99, 100, 1234, 100000000000, -42, 9007199254740991]) {
      expect(parseYuanToFen(fenToYuanString(fen))).toBe(fen);
      expect(parseYuanToFen(fenToYuanInput(fen))).toBe(fen);
    }
  });
  it('drops a trailing .00 for inputs', () => {
    expect(fenToYuanInput(120000)).toBe('1200');
    expect(fenToYuanInput(1234)).toBe('12.34');
    expect(fenToYuanInput(null)).toBe('');
  });
});

describe('formatFen', () => {
  it('formats zh-CN currency with separators', () => {
    expect(formatFen(123456, 'zh')).toBe('¥1,234.56');
    expect(formatFen(0, 'zh')).toBe('¥0.00');
    expect(formatFen(100000000000, 'zh')).toBe('¥1,000,000,000.00');
  });
  it('formats en-US currency', () => {
    expect(formatFen(123456, 'en')).toBe('CN¥1,234.56');
    expect(formatFen(0, 'en')).toBe('CN¥0.00');
  });
  it('formats negatives and keeps every fen of large values', () => {
    expect(formatFen(-5, 'zh')).toBe('-¥0.05');
    expect(formatFen(-123456, 'en')).toBe('-CN¥1,234.56');
    expect(formatFen(9007199254740991, 'zh')).toBe('¥90,071,992,547,409.91');
    expect(formatFen(12345678901234567n, 'zh')).toBe('¥123,456,789,012,345.67');
  });
  it('shows a dash for missing values', () => {
    expect(formatFen(null)).toBe('—');
    expect(formatFen(undefined)).toBe('—');
    expect(formatFen(Number.NaN)).toBe('—');
  });
});

describe('percent and basis points', () => {
  it('parses percents to bps exactly', () => {
    expect(parsePercentToBps('5')).toBe(500);
    expect(parsePercentToBps('99.99')).toBe(9999);
    expect(parsePercentToBps('33.33')).toBe(3333);
    expect(parsePercentToBps('100')).toBe(10000);
    expect(parsePercentToBps('0.5')).toBe(50);
    expect(parsePercentToBps('1.005')).toBeNull();
    expect(parsePercentToBps('-1')).toBeNull();
    expect(parsePercentToBps('x')).toBeNull();
  });
  it('formats bps', () => {
    expect(formatBps(550, 'zh')).toBe('5.5%');
    expect(formatBps(10000, 'en')).toBe('100%');
    expect(formatBps(3333, 'en')).toBe('33.33%');
    expect(bpsToPercentInput(550)).toBe('5.5');
    expect(bpsToPercentInput(3333)).toBe('33.33');
    expect(bpsToPercentInput(10000)).toBe('100');
    expect(bpsToPercentInput(5)).toBe('0.05');
  });
});

describe('dates', () => {
  it('keeps ISO dates in zh and spells them in en', () => {
    expect(formatDate('2026-12-31', 'zh')).toBe('2026-12-31');
    expect(formatDate('2026-12-31', 'en')).toBe('Dec 31, 2026');
    expect(formatDate(null, 'en')).toBe('—');
  });
});

describe('industryLabel', () => {
  const tEnum = (prefix: string, v: string | null | undefined) => (prefix === 'industry' && v === 'C' ? '制造业' : (v ?? ''));
  it('shows the section letter with its name, an unknown letter as it is', () => {
    expect(industryLabel(tEnum, 'C')).toBe('C 制造业');
    expect(industryLabel(tEnum, 'Z')).toBe('Z');
    expect(industryLabel(tEnum, null)).toBe('—');
  });
});
