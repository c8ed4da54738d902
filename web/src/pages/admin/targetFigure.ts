// The figure an administrator enters for a policy target (POST /policy-targets/{id}/figures, body
// FigureInput): a number, the day it is true of (not after the platform's today), the source document.
import type { components } from '../../api/schema';

export type FigureInput = components['schemas']['FigureInput'];
export type TargetFigure = components['schemas']['TargetFigure'];
export type TargetStatus = components['schemas']['TargetStatus'];

export const FIGURE_FIELDS = ['value', 'as_of', 'source'] as const;

/** Why the typed value is refused, or null: a finite number not below 0. */
export function figureValueProblem(v: string | number | null | undefined): 'required' | 'number' | null {
  if (v === null || v === undefined || String(v).trim() === '') return 'required';
  const s = String(v).trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return 'number';
  return Number.isFinite(Number(s)) ? null : 'number';
}

/** Whether a YYYY-MM-DD day lies after the platform's today (the server refuses a figure of the future). */
export function afterToday(day: string, today: string | null): boolean {
  return !!today && day > today;
}

export function figureBody(v: { value: string | number; as_of: string; source: string }): FigureInput {
  return { value: Number(String(v.value).trim().replace(/,/g, '')), as_of: v.as_of, source: v.source.trim() };
}

/** The entered figures newest first (by the day they are true of, then by entry). */
export function newestFirst(rows: readonly TargetFigure[]): TargetFigure[] {
  return [...rows].sort((a, b) => b.as_of.localeCompare(a.as_of) || b.entered_at.localeCompare(a.entered_at));
}
