import { describe, expect, it } from 'vitest';
import type { Enterprise, FileVersion, Supplier } from '../../api/types';
import { registeredOf } from '../enterprise/changeRequest';
import { enterprisePatchBody, historyRows, supplierPatchBody } from './partyFile';

const ent: Enterprise = {
  id: 'ent_1', uscc: '91370100MA3C000001', name: '济南示例科技有限公司', city_code: '370100', industry: 'I', size_class: 'small',
  pilot_zone: false, legal_rep: '王五', shareholders: ['王五', '赵六'], actual_controller: '', dishonest: false, created_at: '2025-01-02T07:00:00Z',
};
const v = (seq: number, superseded_on: string, legal_rep: string, extra: Partial<FileVersion> = {}): FileVersion => ({
  seq, superseded_on, legal_rep, shareholders: ['王五', '赵六'], actual_controller: '', industry: 'I', size_class: 'small', city_code: '370100', ...extra,
});

describe('historyRows', () => {
  it('is only the file in force when nothing was replaced, in force since registration', () => {
    const rows = historyRows(registeredOf(ent), [], ent.created_at);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: 'current', seq: null, from: '2025-01-02', until: null, changed: [] });
  });
  it('dates each version from the day the one before it was replaced until its own replacement', () => {
    // Newest first as the server answers; the sorting does not rely on it.
    const versions = [v(1, '2025-06-01', '张三', { size_class: 'micro' }), v(2, '2026-03-15', '李四')];
    const rows = historyRows(registeredOf(ent), versions, ent.created_at);
    expect(rows.map((r) => [r.key, r.from, r.until])).toEqual([
      ['current', '2026-03-15', null],
      ['v2', '2025-06-01', '2026-03-15'],
      ['v1', '2025-01-02', '2025-06-01'],
    ]);
    expect(rows[0].file.legal_rep).toBe('王五');
    expect(rows[0].changed).toEqual(['legal_rep']);
    expect(rows[1].changed).toEqual(['size_class', 'legal_rep']);
    expect(rows[2].changed).toEqual([]);
  });
  it('leaves the first day open when the registration date is not known', () => {
    const rows = historyRows(registeredOf(ent), [v(1, '2025-06-01', '张三')]);
    expect(rows[1].from).toBeNull();
  });
  it('counts a reordering of shareholders as a change, blanks and spaces not', () => {
    const rows = historyRows({ ...registeredOf(ent), shareholders: ['赵六', '王五'] }, [v(1, '2025-06-01', ' 王五 ', { shareholders: ['王五', '赵六', ''] })]);
    expect(rows[0].changed).toEqual(['shareholders']);
  });
});

describe('enterprisePatchBody', () => {
  it('sends only what changed, trimmed', () => {
    expect(enterprisePatchBody(ent, { name: ` ${ent.name} `, legal_rep: '王五', pilot_zone: false })).toBeNull();
    expect(enterprisePatchBody(ent, { name: '新名称 ', industry: 'c', pilot_zone: true, shareholders: ['王五', '赵六'] })).toEqual({ name: '新名称', industry: 'C', pilot_zone: true });
  });
});

describe('supplierPatchBody', () => {
  const sup: Supplier = {
    id: 'sup_1', name: '算力服务有限公司', uscc: '91370100MA3C000002', kind: 'compute', city_code: '370100', legal_rep: '钱七',
    shareholders: ['钱七'], actual_controller: '', dishonest: false, suspended: false, suspend_reason: null, created_at: '2025-01-02T07:00:00Z',
  };
  it('sends nothing for an unchanged form', () => {
    expect(supplierPatchBody(sup, { name: sup.name, city_code: '370100', legal_rep: '钱七 ', actual_controller: '', shareholders: ['钱七'], suspended: false })).toBeNull();
  });
  it('suspends with the reason and lifts without one', () => {
    expect(supplierPatchBody(sup, { suspended: true, suspend_reason: ' 虚开发票 ' })).toEqual({ suspended: true, suspend_reason: '虚开发票' });
    const suspended = { ...sup, suspended: true, suspend_reason: '虚开发票' };
    expect(supplierPatchBody(suspended, { suspended: true, suspend_reason: '虚开发票' })).toBeNull();
    expect(supplierPatchBody(suspended, { suspended: true, suspend_reason: '另案处理' })).toEqual({ suspended: true, suspend_reason: '另案处理' });
    expect(supplierPatchBody(suspended, { suspended: false, suspend_reason: '虚开发票' })).toEqual({ suspended: false });
  });
  it('sends changed file fields', () => {
    expect(supplierPatchBody(sup, { legal_rep: '孙八', shareholders: ['钱七', '孙八', ' '] })).toEqual({ legal_rep: '孙八', shareholders: ['钱七', '孙八'] });
  });
});
