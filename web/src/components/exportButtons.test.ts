import { describe, expect, it } from 'vitest';
import { exportFileName, exportQuery } from './ExportButtons';

describe('list export', () => {
  it('asks for every row the filters and sort select, in a format and language, never a page', () => {
    expect(exportQuery({ status: 'settled', q: '', page: 3, page_size: 20, program_id: undefined }, '-invoice_amount_fen', 'xlsx', 'zh')).toEqual({
      status: 'settled',
      sort: '-invoice_amount_fen',
      format: 'xlsx',
      lang: 'zh',
    });
    expect(exportQuery(undefined, undefined, 'csv', 'en')).toEqual({ format: 'csv', lang: 'en' });
    expect(exportFileName('redemptions', 'csv')).toBe('redemptions.csv');
  });
});
