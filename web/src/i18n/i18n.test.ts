import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { USAGE_REASONS } from '../api/types';
import { en } from './en';
import { ERROR_CODES, translate, translateError } from './index';
import { zh } from './zh';

describe('i18n', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
  });
  it('translates every error code of the contract', () => {
    for (const code of ERROR_CODES) {
      expect(zh, code).toHaveProperty(`err.${code}`);
      expect(en, code).toHaveProperty(`err.${code}`);
    }
  });
  it('translates every usage rejection reason', () => {
    for (const code of USAGE_REASONS) {
      expect(zh, code).toHaveProperty(`usageReason.${code}`);
      expect(en, code).toHaveProperty(`usageReason.${code}`);
    }
  });
  it('translates errors by code and falls back to the server message', () => {
    const known = new ApiError(400, 'invalid_invoice_number', 'invoice_number: expected 20 digits', 'invoice_number');
    expect(translateError('zh', known)).toBe('发票号码应为 20 位数字');
    expect(translateError('en', known)).toBe('An invoice number has 20 digits');
    const unknown = new ApiError(400, 'brand_new_code', 'something the UI does not know yet');
    expect(translateError('en', unknown)).toBe('something the UI does not know yet');
  });
  it('fills placeholders', () => {
    expect(translate('zh', 'common.total', { n: 5 })).toBe('共 5 条');
    expect(translate('en', 'apply.done', { id: 'A-1' })).toBe('Application A-1 submitted');
  });
});
