import { describe, expect, it } from 'vitest';
import { bindingOf, userBody } from './newUser';

describe('creating a user', () => {
  it('sends a city reviewer with the city, a provincial one without', () => {
    expect(userBody({ username: ' jinan_rev ', display_name: ' 济南市 李审核 ', password: 'quan-demo-1', role: 'reviewer', city_code: '370100' })).toEqual({
      username: 'jinan_rev', display_name: '济南市 李审核', password: 'quan-demo-1', role: 'reviewer', city_code: '370100',
    });
    expect(userBody({ username: 'prov', password: 'x'.repeat(8), role: 'reviewer', city_code: '' })).toEqual({ username: 'prov', display_name: 'prov', password: 'xxxxxxxx', role: 'reviewer' });
    expect(userBody({ username: 'prov', password: 'x'.repeat(8), role: 'reviewer', city_code: null })).not.toHaveProperty('city_code');
  });

  it('sends only the binding of the role: a city is never sent for another role', () => {
    const all = { username: 'u', password: 'p'.repeat(8), city_code: '370100', enterprise_id: 'ent_1', supplier_id: 'sup_1' };
    expect(userBody({ ...all, role: 'admin' })).toEqual({ username: 'u', display_name: 'u', password: 'pppppppp', role: 'admin' });
    expect(userBody({ ...all, role: 'auditor' })).not.toHaveProperty('city_code');
    expect(userBody({ ...all, role: 'enterprise' })).toMatchObject({ enterprise_id: 'ent_1' });
    expect(userBody({ ...all, role: 'enterprise' })).not.toHaveProperty('supplier_id');
    expect(userBody({ ...all, role: 'supplier' })).toMatchObject({ supplier_id: 'sup_1' });
    expect(userBody({ ...all, role: 'supplier' })).not.toHaveProperty('enterprise_id');
  });

  it('tells which party a role is bound to', () => {
    expect(bindingOf('reviewer')).toBe('city');
    expect(bindingOf('enterprise')).toBe('enterprise');
    expect(bindingOf('supplier')).toBe('supplier');
    expect(bindingOf('admin')).toBeNull();
    expect(bindingOf(undefined)).toBeNull();
  });
});
