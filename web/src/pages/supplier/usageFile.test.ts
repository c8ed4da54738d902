import { describe, expect, it } from 'vitest';
import { parseUsageFile, splitCsvLine, toNdjson } from './usageFile';

const HEAD = 'record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds';

describe('usage file parsing', () => {
  it('reads CSV with the columns of quan usage import', () => {
    const csv = `${HEAD}\nr1,p3,e7,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,3600\n\nr2, p3 ,e7,2026-01-01T01:00:00Z,2026-01-01T02:00:00Z,7200\r\n`;
    const r = parseUsageFile(csv, 'u.csv');
    expect(r.format).toBe('csv');
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(2);
    expect(r.records[0]).toEqual({ record_id: 'r1', product_id: 'p3', enterprise_id: 'e7', started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T01:00:00Z', gpu_seconds: 3600 });
    expect(r.records[1].product_id).toBe('p3');
    expect(r.records[1].gpu_seconds).toBe(7200);
  });
  it('finds columns by name, keeps an optional voucher_id and ignores extra columns', () => {
    const csv = 'gpu_seconds,note,voucher_id,ended_at,started_at,enterprise_id,product_id,record_id\n60,x,v1,2026-01-01T00:01:00Z,2026-01-01T00:00:00Z,e,p,a\n60,x,,2026-01-01T00:01:00Z,2026-01-01T00:00:00Z,e,p,b\n';
    const r = parseUsageFile(csv, 'u.csv');
    expect(r.errors).toEqual([]);
    expect(r.records[0]).toEqual({ record_id: 'a', product_id: 'p', enterprise_id: 'e', started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:01:00Z', gpu_seconds: 60, voucher_id: 'v1' });
    expect(r.records[1]).not.toHaveProperty('voucher_id');
  });
  it('rejects a header without the required columns', () => {
    const r = parseUsageFile('record_id,product_id,enterprise_id,started_at,ended_at,quantity\na,p,e,s,t,1\n', 'x.csv');
    expect(r.records).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, record_id: '', msg: 'header: missing column gpu_seconds' }]);
  });
  it('reports short rows and non-integer gpu_seconds and keeps the good rows', () => {
    const csv = `${HEAD}\na,p,e,s,t,1\nb,p\nc,p,e,s,t,1.5\nd,p,e,s,t,+2\n`;
    const r = parseUsageFile(csv, 'x.csv');
    expect(r.records.map((x) => [x.record_id, x.gpu_seconds])).toEqual([['a', 1], ['d', 2]]);
    expect(r.errors).toEqual([
      { line: 3, record_id: 'b', msg: 'missing field enterprise_id, started_at, ended_at, gpu_seconds' },
      { line: 4, record_id: 'c', msg: 'gpu_seconds: "1.5" is not a whole number' },
    ]);
  });
  it('reads NDJSON and sends objects as written', () => {
    const nd = '{"record_id":"a","product_id":"p12","enterprise_id":"e","started_at":"s","ended_at":"t","gpu_seconds":5}\nnot json\n\n[1]\n{"record_id":"b","gpu_seconds":"x"}\n';
    const r = parseUsageFile(nd, 'u.ndjson');
    expect(r.format).toBe('ndjson');
    expect(r.records).toHaveLength(2);
    expect(r.records[0].product_id).toBe('p12');
    expect(r.records[1]).toEqual({ record_id: 'b', gpu_seconds: 'x' });
    expect(r.errors.map((e) => e.line)).toEqual([2, 4]);
    expect(r.errors[1].msg).toBe('not a JSON object');
  });
  it('detects the format like the CLI: extension first, then the first character', () => {
    expect(parseUsageFile('{"record_id":"a"}\n', 'usage.txt').format).toBe('ndjson');
    expect(parseUsageFile('\uFEFF  {"record_id":"a"}\n').format).toBe('ndjson');
    expect(parseUsageFile('{"record_id":"a"}\n', 'u.jsonl').format).toBe('ndjson');
    expect(parseUsageFile(`${HEAD}\n`, 'u.txt').format).toBe('csv');
    const arr = parseUsageFile('[{"record_id":"a","gpu_seconds":1}]', 'u.json');
    expect(arr.format).toBe('json');
    expect(arr.records).toEqual([{ record_id: 'a', gpu_seconds: 1 }]);
  });
  it('writes NDJSON', () => {
    expect(toNdjson([{ record_id: 'a', product_id: 'p', enterprise_id: 'e', started_at: 's', ended_at: 't', gpu_seconds: 1 }])).toBe(
      '{"record_id":"a","product_id":"p","enterprise_id":"e","started_at":"s","ended_at":"t","gpu_seconds":1}\n',
    );
  });
  it('splits quoted CSV cells', () => {
    expect(splitCsvLine('a,"b,c","d""e"')).toEqual(['a', 'b,c', 'd"e']);
  });
});
