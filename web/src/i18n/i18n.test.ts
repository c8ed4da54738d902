import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { APPLICATION_STATUSES, REDEMPTION_STATUSES, USAGE_REASONS, VOUCHER_STATUSES, VOUCHER_TYPES } from '../api/types';
import { en } from './en';
import { CLIENT_ERROR_CODES, translate, translateError } from './index';
import { zh } from './zh';

describe('i18n', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
  });
  it('translates every error code the client makes itself', () => {
    for (const code of CLIENT_ERROR_CODES) {
      expect(zh, code).toHaveProperty(`err.${code}`);
      expect(en, code).toHaveProperty(`err.${code}`);
    }
  });
  it('labels every value of the enums of the document', () => {
    const enums: [string, readonly string[]][] = [
      ['vt', VOUCHER_TYPES], ['appst', APPLICATION_STATUSES], ['vst', VOUCHER_STATUSES], ['rst', REDEMPTION_STATUSES],
    ];
    for (const [prefix, values] of enums)
      for (const v of values) {
        expect(zh, `${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
        expect(en, `${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
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
  it('translates the codes of sorting, idempotency, dates and the yearly-cap edit', () => {
    const sort = new ApiError(400, 'invalid_sort', 'sort: "bogus" is not a sort key here; use one of seq, at, action', 'sort');
    expect(translateError('zh', sort)).toBe('该列表不支持按此列排序');
    expect(translateError('en', sort)).toBe('This list cannot be sorted by that column');
    const reused = new ApiError(422, 'idempotency_key_reused', 'Idempotency-Key was already used for a different request', 'Idempotency-Key');
    expect(translateError('zh', reused)).toContain('幂等键');
    expect(translateError('en', reused)).toContain('idempotency key');
    const date = new ApiError(400, 'invalid_date', 'from: "2026-13-01" is not a date in the form YYYY-MM-DD', 'from');
    expect(translateError('zh', date)).toContain('日期无效');
    expect(translateError('en', date)).toContain('Invalid date');
    const busy = new ApiError(503, 'busy', 'the database is busy; retry with the same Idempotency-Key');
    expect(translateError('en', busy)).toContain('busy');
  });
  it('names the figure of cap_below_usage from the server message', () => {
    const cap = new ApiError(409, 'cap_below_usage', 'enterprise_year_cap_fen: an enterprise has already drawn 3000.00 yuan from this program this year; the cap cannot go below that', 'enterprise_year_cap_fen');
    expect(translateError('zh', cap)).toContain('¥3,000.00');
    expect(translateError('en', cap)).toContain('¥3,000.00');
    expect(translateError('en', cap)).toContain('cannot go below');
    const bare = new ApiError(409, 'cap_below_usage', 'cap too low', 'enterprise_year_cap_fen');
    expect(translateError('zh', bare)).toBe('企业年度上限不能低于企业今年在本项目中已使用的金额');
  });
  it('fills placeholders', () => {
    expect(translate('zh', 'common.total', { n: 5 })).toBe('共 5 条');
    expect(translate('en', 'apply.done', { id: 'A-1' })).toBe('Application A-1 submitted');
  });
});
