import { describe, expect, it } from 'vitest';
import type { ProductKind } from '../../api/types';
import { contractBody, contractClaimable, contractLeft, contractsFor, CONTRACT_NUMBER_RE, looksLikeEnterpriseId, mayRegisterContract, partyOptions } from './contracts';

const c = (over: Partial<{ enterprise_id: string; supplier_id: string; kind: ProductKind; amount_fen: number; claimed_fen: number; claim_count: number }> = {}) => ({
  enterprise_id: 'ent_1',
  supplier_id: 'sup_1',
  kind: 'model' as ProductKind,
  amount_fen: 100000,
  claimed_fen: 0,
  claim_count: 0,
  ...over,
});

describe('contracts', () => {
  it('knows what is left to claim, and whether a claim could still name it', () => {
    expect(contractLeft(c({ claimed_fen: 30000 }))).toBe(70000);
    expect(contractLeft(c({ claimed_fen: 120000 }))).toBe(0);
    expect(contractClaimable(c(), false)).toBe(true);
    // Claimed once: only where instalments are allowed, and only while something is left.
    expect(contractClaimable(c({ claimed_fen: 30000, claim_count: 1 }), false)).toBe(false);
    expect(contractClaimable(c({ claimed_fen: 30000, claim_count: 1 }), true)).toBe(true);
    expect(contractClaimable(c({ claimed_fen: 100000, claim_count: 2 }), true)).toBe(false);
  });

  it('lists the contracts between the parties of a claim, for the kind bought', () => {
    const list = [c(), c({ enterprise_id: 'ent_2' }), c({ supplier_id: 'sup_2' }), c({ kind: 'compute' })];
    expect(contractsFor(list, { enterpriseId: 'ent_1', supplierId: 'sup_1', kind: 'model' })).toEqual([list[0]]);
    expect(contractsFor(list, { supplierId: 'sup_1', kind: 'model' })).toEqual([list[0], list[1]]);
    expect(contractsFor(list, {})).toEqual(list);
  });

  it('takes contract numbers of letters, digits and - _ / . ( )', () => {
    for (const ok of ['SDMX-2026-0101', 'HT/2026/(3).a', '鲁算合〔2026〕'.replace(/〔|〕/g, ''), 'A_1', '合同（一）']) expect(CONTRACT_NUMBER_RE.test(ok), ok).toBe(true);
    for (const bad of ['', 'a b', 'x;y', 'a'.repeat(65), '#1']) expect(CONTRACT_NUMBER_RE.test(bad), bad).toBe(false);
  });

  it('names each party once, by name, from the rows it appears in', () => {
    const opts = partyOptions([
      { id: 'sup_b', name: '乙科技' },
      { id: 'sup_a', name: '甲科技' },
      { id: 'sup_b', name: '乙科技' },
      { id: 'sup_c', name: null },
      { id: null, name: 'nobody' },
    ]);
    expect(opts.map((o) => o.value).sort()).toEqual(['sup_a', 'sup_b', 'sup_c']);
    expect(opts.find((o) => o.value === 'sup_c')?.label).toBe('sup_c');
    expect(looksLikeEnterpriseId('ent_e0ab4419a0d74c02bbbf778f746584c2')).toBe(true);
    expect(looksLikeEnterpriseId(' ent_abcd ')).toBe(true);
    expect(looksLikeEnterpriseId('济南数智')).toBe(false);
    expect(looksLikeEnterpriseId('sup_1234')).toBe(false);
  });

  it('sends the other party only: an enterprise names the supplier, a supplier the enterprise, an admin both', () => {
    const v = { enterprise_id: 'ent_1', supplier_id: 'sup_1', contract_number: ' SDMX-1 ', kind: 'model' as const, subject: ' 大模型部署 ', signed_on: '2026-08-15', amount_fen: 150000000 };
    const base = { contract_number: 'SDMX-1', kind: 'model', subject: '大模型部署', signed_on: '2026-08-15', amount_fen: 150000000 };
    expect(contractBody(v, 'enterprise')).toEqual({ ...base, supplier_id: 'sup_1' });
    expect(contractBody(v, 'supplier')).toEqual({ ...base, enterprise_id: 'ent_1' });
    expect(contractBody(v, 'admin')).toEqual({ ...base, enterprise_id: 'ent_1', supplier_id: 'sup_1' });
    expect(['enterprise', 'supplier', 'admin', 'auditor', 'reviewer', undefined].map(mayRegisterContract)).toEqual([true, true, true, false, false, false]);
  });
});
