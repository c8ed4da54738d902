import { describe, expect, it } from 'vitest';
import { afterToday, figureBody, figureValueProblem, newestFirst, type TargetFigure } from './targetFigure';

describe('target figure form', () => {
  it('takes a number not below 0', () => {
    expect(figureValueProblem('')).toBe('required');
    expect(figureValueProblem(undefined)).toBe('required');
    expect(figureValueProblem('12.5')).toBeNull();
    expect(figureValueProblem('1,200')).toBeNull();
    expect(figureValueProblem(3)).toBeNull();
    expect(figureValueProblem('-1')).toBe('number');
    expect(figureValueProblem('abc')).toBe('number');
  });

  it('refuses a day after the platform today', () => {
    expect(afterToday('2026-12-07', '2026-12-06')).toBe(true);
    expect(afterToday('2026-12-06', '2026-12-06')).toBe(false);
    expect(afterToday('2030-01-01', null)).toBe(false);
  });

  it('builds the body, trimmed', () => {
    expect(figureBody({ value: ' 1,200.5 ', as_of: '2026-06-30', source: ' 统计公报 ' })).toEqual({ value: 1200.5, as_of: '2026-06-30', source: '统计公报' });
  });

  it('lists the newest first', () => {
    const f = (id: string, as_of: string, entered_at: string): TargetFigure => ({ id, target_id: 't', value: 1, as_of, source: 's', entered_by: 'admin', entered_at });
    expect(newestFirst([f('a', '2026-01-01', '1'), f('b', '2026-03-01', '1'), f('c', '2026-03-01', '2')]).map((x) => x.id)).toEqual(['c', 'b', 'a']);
  });
});
