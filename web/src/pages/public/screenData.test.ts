import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../api/types';
import { pageTitleKey } from '../../title';
import { cityKey, computeVsTargets, minuteLabel, executionRates, fitScale, mapCells, meteringSeries, type ComputeCapacity, type MeteringLive, type TargetStatus } from './screenData';

describe('big screen figures', () => {
  it('matches cities by their first four digits', () => {
    expect(cityKey('370100')).toBe('3701');
    expect(cityKey('3701')).toBe('3701');
    const cells = mapCells(
      [
        { city_code: '3701', name_zh: '济南市', name_en: 'Jinan', granted_fen: 12_345_00, spent_fen: 1_000_00, beneficiaries: 7 },
        { city_code: '370200', name_zh: '青岛市', name_en: 'Qingdao', granted_fen: 50_00, spent_fen: 0, beneficiaries: 0 },
      ],
      ['370100', '370200', '370300'],
    );
    expect(cells).toEqual([
      { name: '370100', value: 12_345, granted_fen: 12_345_00, spent_fen: 1_000_00, beneficiaries: 7 },
      { name: '370200', value: 50, granted_fen: 50_00, spent_fen: 0, beneficiaries: 0 },
      { name: '370300', value: 0, granted_fen: 0, spent_fen: 0, beneficiaries: null },
    ]);
  });

  it('gives the execution rates in percent, none without a budget', () => {
    const totals = { budget_fen: 1000, granted_fen: 500, spent_fen: 123, reserved_fen: 0, settled_fen: 0, released_fen: 0, enterprises: 0, beneficiaries: 0, vouchers: 0 } as Dashboard['totals'];
    expect(executionRates(totals)).toEqual({ granted: 50, spent: 12.3 });
    expect(executionRates({ ...totals, budget_fen: 0 })).toEqual({ granted: null, spent: null });
  });

  it('sets compute against the targets, their own values first', () => {
    const c = { total_eflops: 6, intelligent_share: 60, hub_share_new: null } as ComputeCapacity;
    const rows = computeVsTargets(c, [{ id: 'total_compute', target: 10 } as TargetStatus]);
    expect(rows.map((r) => [r.key, r.target, r.ratio])).toEqual([
      ['total_compute', 10, 0.6],
      ['intelligent_compute_share', 50, 1],
      ['hub_share_new_compute', 70, null],
    ]);
  });

  it('puts the hubs minutes on one axis', () => {
    const live: MeteringLive = {
      as_of: '2026-12-06T14:06:30+08:00',
      minutes: 60,
      hubs: [
        { hub: 'jinan', city_code: '3701', per_minute: [{ minute: '2026-12-06T14:05:00+08:00', records: 3, gpu_hours: 1.5 }] },
        { hub: 'qingdao', city_code: '3702', per_minute: [{ minute: '2026-12-06T14:04:00+08:00', records: 1, gpu_hours: 0.25 }, { minute: '2026-12-06T14:05:00+08:00', records: 2, gpu_hours: 1 }] },
      ],
    };
    const s = meteringSeries(live);
    const local = (iso: string) => {
      const d = new Date(iso);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    };
    expect(s.labels).toEqual([local('2026-12-06T14:04:00+08:00'), local('2026-12-06T14:05:00+08:00')]);
    expect(minuteLabel('nonsense')).toBe('nonsense');
    expect(s.hubs[0].records).toEqual([0, 3]);
    expect(s.hubs[1].gpuHours).toEqual([0.25, 1]);
    expect(s.totalRecords).toBe(6);
    expect(s.totalGpuHours).toBe(2.75);
    expect(meteringSeries(null).labels).toEqual([]);
    expect(meteringSeries({ as_of: '', minutes: 60 } as unknown as MeteringLive).hubs).toEqual([]);
  });

  it('is titled 数据大屏', () => {
    expect(pageTitleKey('/public/screen', [])).toBe('nav.screen');
  });

  it('fits the 1920×1080 design into the window', () => {
    expect(fitScale(1920, 1080)).toBe(1);
    expect(fitScale(960, 1080)).toBe(0.5);
    expect(fitScale(0, 0)).toBe(1);
  });
});
