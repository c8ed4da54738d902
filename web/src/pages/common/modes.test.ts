import { describe, expect, it } from 'vitest';
import { claimBody, claimRate, claimRules, monthOf, quoteSubsidy, reimbursementDue } from './modes';

describe('redemption modes', () => {
  it('quotes the subsidy as the server does: rate × amount rounded down, at most the balance', () => {
    expect(quoteSubsidy(1234567, 3000, 4000000)).toEqual({ subsidy_fen: 370370, own_fen: 864197, capped_by: null });
    expect(quoteSubsidy(183000000, 3000, 45100000)).toEqual({ subsidy_fen: 45100000, own_fen: 137900000, capped_by: 'voucher_balance' });
    expect(quoteSubsidy(100, 3333, 1000).subsidy_fen).toBe(33);
    expect(quoteSubsidy(0, 3000, 1000)).toEqual({ subsidy_fen: 0, own_fen: 0, capped_by: null });
    // Exact beyond 2^53 / 10000: no float on the way.
    expect(quoteSubsidy(900719925474099, 9999, Number.MAX_SAFE_INTEGER).subsidy_fen).toBe(900629853481551);
  });

  it('adds the pilot-zone bonus for an enterprise in a pilot zone, at most 100%', () => {
    const p = { rate_bps: 3000, policy: { pilot_bonus_bps: 500 } };
    expect(claimRate(p, false)).toBe(3000);
    expect(claimRate(p, true)).toBe(3500);
    expect(claimRate({ rate_bps: 9800, policy: { pilot_bonus_bps: 500 } }, true)).toBe(10000);
    expect(claimRate({ rate_bps: 3000, policy: {} }, true)).toBe(3000);
  });

  it('reads who claims and what a claim needs across the programs it may fall under', () => {
    const reimbursed = { policy: { redemption_mode: 'enterprise_reimbursed' as const, contract_required: true, delivery_proof_required: true } };
    const redeems = { policy: { pilot_bonus_bps: 0 } };
    const contracted = { policy: { redemption_mode: 'supplier_redeems' as const, contract_required: true, instalments_allowed: true } };
    expect(claimRules([reimbursed])).toEqual({ mode: 'enterprise_reimbursed', contractRequired: true, deliveryProofRequired: true, instalmentsAllowed: false });
    expect(claimRules([redeems, contracted])).toEqual({ mode: 'supplier_redeems', contractRequired: false, deliveryProofRequired: false, instalmentsAllowed: false });
    expect(claimRules([reimbursed, redeems]).mode).toBeNull();
    expect(claimRules([contracted]).instalmentsAllowed).toBe(true);
    expect(claimRules([]).mode).toBeNull();
  });

  it('sends a claim with its contract and proofs, leaving out the empty ones', () => {
    const v = { voucher_id: ' vch_1 ', product_id: 'prd_1', invoice_number: ' 26370000000000000001 ', invoice_amount_fen: 150000000, invoice_date: '2026-11-20' };
    expect(claimBody({ ...v, contract_id: 'ctr_1', payment_proof: ' 银行电子回单 1 ', delivery_proof: '  ' })).toEqual({
      voucher_id: 'vch_1', product_id: 'prd_1', invoice_number: '26370000000000000001', invoice_amount_fen: 150000000, invoice_date: '2026-11-20',
      contract_id: 'ctr_1', payment_proof: '银行电子回单 1',
    });
    expect(Object.keys(claimBody({ ...v, contract_id: null })).sort()).toEqual(['invoice_amount_fen', 'invoice_date', 'invoice_number', 'product_id', 'voucher_id']);
  });

  it('adds up what a reimbursement run would pay: the enterprise\'s payable claims invoiced up to the month\'s end', () => {
    const r = (payee: string, status: string, invoice_date: string, subsidy_fen: number) => ({ payee, status: status as 'payable', invoice_date, subsidy_fen });
    const rows = [
      r('enterprise', 'payable', '2026-10-16', 300),
      r('enterprise', 'payable', '2026-10-31', 200),
      r('enterprise', 'payable', '2026-11-01', 1000),
      r('enterprise', 'settled', '2026-09-18', 5000),
      r('enterprise', 'held', '2026-10-02', 7000),
      r('supplier', 'payable', '2026-10-02', 9000),
    ];
    expect(reimbursementDue(rows, '2026-10')).toEqual({ count: 2, total_fen: 500 });
    expect(reimbursementDue(rows, '2026-11')).toEqual({ count: 3, total_fen: 1500 });
    expect(reimbursementDue(rows, '2026-09')).toEqual({ count: 0, total_fen: 0 });
    expect(monthOf('2026-11-23')).toBe('2026-11');
  });
});
