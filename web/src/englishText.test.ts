// The classifier of the zh walk (e2e/english.mjs): English UI words are found, codes and names are not.
import { describe, expect, it } from 'vitest';
import { classifyToken, englishFragments } from '../e2e/english.mjs';

describe('englishFragments', () => {
  it('flags English UI words', () => {
    for (const s of ['Loading', 'No data', 'Submit', 'Cancel', 'OK', 'Print', 'Click or drag file to this area']) {
      expect(englishFragments(s), s).toEqual([s]);
    }
    expect(englishFragments('共 3 条 Loading... 暂无数据')).toEqual(['Loading']);
    expect(englishFragments('项目 No data\n提交')).toEqual(['No data']);
  });

  it('flags untranslated i18n keys and raw snake_case codes', () => {
    expect(englishFragments('状态：in_notice')).toEqual(['in_notice']);
    expect(englishFragments('common.submit')).toEqual(['common.submit']);
    expect(classifyToken('nav.ent.file')).toBe('key');
  });

  it('leaves record numbers, USCCs, models, units and brands alone', () => {
    for (const s of [
      'SD-AP-2026-000012', '91370100MA3C8X1234', 'A100', 'GPU·h', 'SD-VC-2026-000001', '1,234.00 PFLOPS',
      'Quan 券', '导出 CSV', '导出 Excel', 'XLSX', '扫描 QR 码', 'English', 'H800 × 8', '¥ 12,000.00',
      'http://127.0.0.1:18613/verify-voucher/SD-VC-2026-000001', 'ops@example.com', 'statement.csv', 'USCC',
      '2026-03-31', '万 tokens', 'record_id,product_id,enterprise_id', 'E2E 测试项目 M4X9K2',
      '地图边界：© OpenStreetMap 贡献者（ODbL 1.0），经 geoBoundaries 整理；示意图，非标准地图',
    ]) {
      expect(englishFragments(s), s).toEqual([]);
    }
  });

  it('leaves the data values it is handed alone', () => {
    expect(englishFragments('Llama Inference Service 推理服务', ['Llama Inference Service'])).toEqual([]);
    expect(englishFragments('Llama Inference Service · Cancel', ['Llama Inference Service'])).toEqual(['Cancel']);
  });
});
