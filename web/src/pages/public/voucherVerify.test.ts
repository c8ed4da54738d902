import { describe, expect, it } from 'vitest';
import { normalizeVoucherNumber, voucherTone, voucherVerifyUrl } from './voucherVerify';

describe('voucher verification', () => {
  it('builds the absolute verification address of a number', () => {
    expect(voucherVerifyUrl('https://quan.example.cn/', 'SD-VC-2026-000001')).toBe('https://quan.example.cn/verify-voucher/SD-VC-2026-000001');
    expect(voucherVerifyUrl('http://127.0.0.1:8080', 'a/b c')).toBe('http://127.0.0.1:8080/verify-voucher/a%2Fb%20c');
  });
  it('normalizes a typed number', () => {
    expect(normalizeVoucherNumber('  sd-vc-2026-000001 ')).toBe('SD-VC-2026-000001');
  });
  it('colours the status', () => {
    expect(voucherTone('active')).toBe('success');
    expect(voucherTone('expired')).toBe('secondary');
    expect(voucherTone('cancelled')).toBe('error');
  });
});
