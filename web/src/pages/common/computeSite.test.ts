import { describe, expect, it } from 'vitest';
import { hubsForCity, pflopsProblem, reportedField, siteBody } from './computeSite';

describe('compute site form', () => {
  it('offers a hub only in its own city', () => {
    expect(hubsForCity('370100')).toEqual(['jinan']);
    expect(hubsForCity('370200')).toEqual(['qingdao']);
    expect(hubsForCity('370400')).toEqual(['zaozhuang']);
    expect(hubsForCity('370300')).toEqual([]);
    expect(hubsForCity(undefined)).toEqual([]);
  });

  it('takes PFLOPS with at most three decimals, not below 0', () => {
    expect(pflopsProblem('12.125')).toBeNull();
    expect(pflopsProblem('0')).toBeNull();
    expect(pflopsProblem('')).toBeNull();
    expect(pflopsProblem('1.2345')).toBe('decimals');
    expect(pflopsProblem('-1')).toBe('number');
    expect(pflopsProblem('1e3')).toBe('number');
    expect(pflopsProblem('abc')).toBe('number');
  });

  it('builds the body: the hub dropped outside its city, supplier_id only for an administrator', () => {
    const v = { supplier_id: 'sup_1', name: ' 济南智算中心 ', city_code: '370300', hub: 'jinan' as const, kind: 'intelligent' as const, commissioned_on: '2026-01-01', fp16_pflops: '100.5', fp64_pflops: '', accelerator_model: ' 昇腾910B ', accelerator_count: '512' };
    const own = siteBody(v, false);
    expect(own).toEqual({ name: '济南智算中心', city_code: '370300', kind: 'intelligent', commissioned_on: '2026-01-01', hub: null, fp16_pflops: 100.5, fp64_pflops: 0, accelerator_count: 512, accelerator_model: '昇腾910B' });
    expect('supplier_id' in own).toBe(false);
    const named = siteBody({ ...v, city_code: '370100' }, true);
    expect(named.hub).toBe('jinan');
    expect(named.supplier_id).toBe('sup_1');
  });

  it('names the precision a kind reports', () => {
    expect(reportedField('intelligent')).toBe('fp16_pflops');
    expect(reportedField('general')).toBe('fp64_pflops');
  });
});
