import { describe, expect, it } from 'vitest';
import type { RedemptionPreview } from '../../api/types';
import { previewHold, previewRows } from './redemptionPreview';

const preview: RedemptionPreview = {
  voucher_id: 'vch_1',
  program_id: 'prg_1',
  program_name: '2026年山东省算力券',
  voucher_type: 'compute',
  enterprise_id: 'ent_1',
  enterprise_name: '济南海岱精密制造有限公司',
  invoice_amount_fen: 1234567,
  balance_fen: 4000000,
  subsidy_fen: 370370,
  enterprise_pays_fen: 864197,
  balance_after_fen: 3629630,
  payee: 'supplier',
  hold: null,
};

describe('previewRows', () => {
  it('reads holder, program, invoice, balance, subsidy, share, balance after and payee, in that order', () => {
    const rows = previewRows(preview);
    expect(rows.map((r) => r.key)).toEqual(['holder', 'program', 'invoice', 'balance', 'subsidy', 'entPays', 'balanceAfter', 'payee']);
    expect(rows[0]).toMatchObject({ kind: 'text', text: '济南海岱精密制造有限公司' });
    expect(rows[1]).toMatchObject({ kind: 'text', text: '2026年山东省算力券' });
    const fen = Object.fromEntries(rows.flatMap((r) => (r.kind === 'money' ? [[r.key, r.fen]] : [])));
    expect(fen).toEqual({ invoice: 1234567, balance: 4000000, subsidy: 370370, entPays: 864197, balanceAfter: 3629630 });
    expect(rows.find((r) => r.key === 'subsidy')).toMatchObject({ strong: true });
    expect(rows[7]).toMatchObject({ kind: 'payee', payee: 'supplier' });
  });

  it('says the enterprise is paid on a reimbursement', () => {
    expect(previewRows({ ...preview, payee: 'enterprise' }).at(-1)).toMatchObject({ payee: 'enterprise' });
  });
});

describe('previewHold', () => {
  it('is none when the payment would not be held', () => {
    expect(previewHold(preview)).toBeNull();
  });
  it('carries the split-purchase figures as a redemption does', () => {
    const hold = { code: 'split_purchase' as const, earlier_count: 4, earlier_fen: 399600, window_days: 30, threshold_fen: 400000 };
    expect(previewHold({ ...preview, hold })).toEqual({ hold, release_note: null, hold_reason: null });
  });
});
