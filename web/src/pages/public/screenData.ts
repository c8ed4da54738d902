// The public big screen's figures, from four public endpoints and one more the server is gaining:
//   GET /public/dashboard         totals, by_city (granted, spent, beneficiaries)
//   GET /public/compute-capacity  the registry's compute against the compute targets
//   GET /public/policy-targets    every target's progress
//   GET /public/metering-live     metered usage per minute per hub over the last hour
import type { components } from '../../api/schema';
import type { Dashboard } from '../../api/types';

type S = components['schemas'];
export type ComputeCapacity = S['ComputeCapacity'];
export type TargetStatus = S['TargetStatus'];
export type Hub = S['Hub'];
export type CityFigures = Dashboard['by_city'][number];
/** GET /public/metering-live. */
export type MeteringLive = S['MeteringLive'];

/** Seconds between two refreshes of the screen. */
export const REFRESH_MS = 10_000;

/** A city's key whatever the length of its code: "3701", "370100" and "370100000000" are Jinan. */
export const cityKey = (code: string | null | undefined) => String(code ?? '').slice(0, 4);

export interface MapCell {
  /** The map feature's name: the city's six-digit code. */
  name: string;
  /** What the visual map colours by: yuan granted. */
  value: number;
  granted_fen: number;
  spent_fen: number;
  beneficiaries: number | null;
}

/** One cell per map feature (city code), with the dashboard's figures of that city (0 without). */
export function mapCells(byCity: readonly CityFigures[], featureCodes: readonly string[]): MapCell[] {
  const of = new Map(byCity.map((c) => [cityKey(c.city_code), c]));
  return featureCodes.map((code) => {
    const c = of.get(cityKey(code));
    return {
      name: code,
      value: c ? c.granted_fen / 100 : 0,
      granted_fen: c?.granted_fen ?? 0,
      spent_fen: c?.spent_fen ?? 0,
      beneficiaries: c?.beneficiaries ?? null,
    };
  });
}

/** Percent of the budget granted and spent (null without a budget). */
export function executionRates(t: Dashboard['totals']): { granted: number | null; spent: number | null } {
  if (!t.budget_fen) return { granted: null, spent: null };
  const pct = (v: number) => Math.round((v / t.budget_fen) * 1000) / 10;
  return { granted: pct(t.granted_fen), spent: pct(t.spent_fen) };
}

export interface ComputeRow {
  key: 'total_compute' | 'intelligent_compute_share' | 'hub_share_new_compute';
  figure: number | null;
  target: number;
  unit: 'EFLOPS' | 'percent';
  /** figure ÷ target, 0–1 capped for a bar; null without a figure. */
  ratio: number | null;
}

/** The registry's three figures against their targets (the targets' own values where listed). */
export function computeVsTargets(c: ComputeCapacity, targets: readonly TargetStatus[] = []): ComputeRow[] {
  const goal = (id: ComputeRow['key'], fallback: number) => targets.find((x) => x.id === id)?.target ?? fallback;
  const row = (key: ComputeRow['key'], figure: number | null | undefined, target: number, unit: ComputeRow['unit']): ComputeRow => ({
    key,
    figure: figure ?? null,
    target,
    unit,
    ratio: figure == null || !target ? null : Math.min(1, figure / target),
  });
  return [
    row('total_compute', c.total_eflops, goal('total_compute', 12), 'EFLOPS'),
    row('intelligent_compute_share', c.intelligent_share, goal('intelligent_compute_share', 50), 'percent'),
    row('hub_share_new_compute', c.hub_share_new, goal('hub_share_new_compute', 70), 'percent'),
  ];
}

export interface MeteringSeries {
  /** "HH:MM" of each minute, oldest first, in local time (as the console shows every timestamp). */
  labels: string[];
  hubs: { hub: Hub; records: number[]; gpuHours: number[] }[];
  totalRecords: number;
  totalGpuHours: number;
}

/** An RFC 3339 minute ("2026-11-23T21:44:00Z") as local "HH:MM"; an unreadable one as it is. */
export function minuteLabel(m: string): string {
  const d = new Date(m);
  if (Number.isNaN(d.getTime())) return m;
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The hubs' minutes on one axis (a minute a hub did not answer counts 0), with the hour's totals. */
export function meteringSeries(live: MeteringLive | null | undefined): MeteringSeries {
  if (!live || !Array.isArray(live.hubs)) return { labels: [], hubs: [], totalRecords: 0, totalGpuHours: 0 };
  const minutes = [...new Set(live.hubs.flatMap((h) => (h.per_minute ?? []).map((m) => m.minute)))].sort();
  const hubs = live.hubs.map((h) => {
    const at = new Map((h.per_minute ?? []).map((m) => [m.minute, m]));
    return {
      hub: h.hub,
      records: minutes.map((m) => at.get(m)?.records ?? 0),
      gpuHours: minutes.map((m) => Math.round((at.get(m)?.gpu_hours ?? 0) * 100) / 100),
    };
  });
  const totalRecords = hubs.reduce((s, h) => s + h.records.reduce((a, b) => a + b, 0), 0);
  const totalGpuHours = Math.round(hubs.reduce((s, h) => s + h.gpuHours.reduce((a, b) => a + b, 0), 0) * 100) / 100;
  const labels = minutes.map(minuteLabel);
  return { labels, hubs, totalRecords, totalGpuHours };
}

/** The targets in the order the screen lists them: by area, then by how far along they are. */
export function targetsForScreen(targets: readonly TargetStatus[]): TargetStatus[] {
  return [...targets].sort((a, b) => a.area.localeCompare(b.area) || (b.progress.ratio ?? -1) - (a.progress.ratio ?? -1));
}

/** The scale that fits a 1920×1080 design into a `w`×`h` window, whole. */
export function fitScale(w: number, h: number): number {
  if (!w || !h) return 1;
  return Math.min(w / 1920, h / 1080);
}
