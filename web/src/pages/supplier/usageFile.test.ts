import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zh } from '../../i18n/zh';
import { parseUsageFile, splitCsvLine, toNdjson, USAGE_UNIT_BASES, type ParseError, type ParseProblem } from './usageFile';

const BASE = 'record_id,product_id,enterprise_id,started_at,ended_at';
const HEAD = `${BASE},gpu_seconds`;
/** The errors without their `problem` (the page's translation of `msg`; checked apart). */
const plain = (errors: ParseError[]) => errors.map(({ problem: _problem, ...e }) => e);

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
    const r = parseUsageFile(`${BASE},gpu_hours\na,p,e,s,t,1\n`, 'x.csv');
    expect(r.records).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, record_id: '', msg: 'header: missing column gpu_seconds or quantity', problem: { kind: 'missingColumn', fields: [], measure: true } }]);
    const short = parseUsageFile('\nproduct_id,enterprise_id,ended_at,quantity\np,e,t,1\n', 'x.csv');
    expect(plain(short.errors)).toEqual([{ line: 2, record_id: '', msg: 'header: missing column record_id, started_at' }]);
    const both = parseUsageFile('product_id,enterprise_id,started_at,ended_at\n', 'x.csv');
    expect(plain(both.errors)).toEqual([{ line: 1, record_id: '', msg: 'header: missing column record_id, gpu_seconds or quantity' }]);
  });
  it('reads a quantity column instead of gpu_seconds, each record carrying only it', () => {
    const r = parseUsageFile(`${BASE},quantity,voucher_id\nr1,p,e,s,t,1500000,v1\nr2,p,e,s,t,0,\n`, 'u.csv');
    expect(r.errors).toEqual([]);
    expect(r.records).toEqual([
      { record_id: 'r1', product_id: 'p', enterprise_id: 'e', started_at: 's', ended_at: 't', quantity: 1500000, voucher_id: 'v1' },
      { record_id: 'r2', product_id: 'p', enterprise_id: 'e', started_at: 's', ended_at: 't', quantity: 0 },
    ]);
    expect(r.records[0]).not.toHaveProperty('gpu_seconds');
    expect(toNdjson(r.records.slice(1))).toBe('{"record_id":"r2","product_id":"p","enterprise_id":"e","started_at":"s","ended_at":"t","quantity":0}\n');
  });
  it('takes both columns when each row fills one of them', () => {
    const csv = `quantity,${HEAD}\n,a,p1,e,s,t,3600\n2048,b,p2,e,s,t,\n 7 ,c,p2,e,s,t, \n`;
    const r = parseUsageFile(csv, 'u.csv');
    expect(r.errors).toEqual([]);
    expect(r.records.map((x) => [x.record_id, x.gpu_seconds, x.quantity])).toEqual([['a', 3600, undefined], ['b', undefined, 2048], ['c', undefined, 7]]);
    expect(r.records[0]).not.toHaveProperty('quantity');
    expect(r.records[1]).not.toHaveProperty('gpu_seconds');
  });
  it('reports a row with both or neither of gpu_seconds and quantity filled, with its line', () => {
    const csv = `${HEAD},quantity\na,p,e,s,t,60,\nb,p,e,s,t,60,100\n\nc,p,e,s,t,,\nd,p,e,s,t\ne,p\nf,p,e,s,t,,5\n`;
    const r = parseUsageFile(csv, 'x.csv');
    expect(r.records.map((x) => x.record_id)).toEqual(['a', 'f']);
    expect(r.errors).toEqual([
      { line: 3, record_id: 'b', msg: 'gpu_seconds and quantity are both filled; fill one of them', problem: { kind: 'bothMeasures' } },
      { line: 5, record_id: 'c', msg: 'neither gpu_seconds nor quantity is filled; fill one of them', problem: { kind: 'noMeasure' } },
      { line: 6, record_id: 'd', msg: 'missing field gpu_seconds or quantity', problem: { kind: 'missingField', fields: [], measure: true } },
      { line: 7, record_id: 'e', msg: 'missing field enterprise_id, started_at, ended_at, gpu_seconds or quantity', problem: { kind: 'missingField', fields: ['enterprise_id', 'started_at', 'ended_at'], measure: true } },
    ]);
  });
  it('reports a quantity that is not a whole number', () => {
    const r = parseUsageFile(`${BASE},quantity\na,p,e,s,t,1.5\nb,p,e,s,t,\nc,p,e,s,t,12\n`, 'x.csv');
    expect(r.records.map((x) => [x.record_id, x.quantity])).toEqual([['c', 12]]);
    expect(r.errors).toEqual([
      { line: 2, record_id: 'a', msg: 'quantity: "1.5" is not a whole number', problem: { kind: 'notWhole', field: 'quantity', value: '1.5' } },
      { line: 3, record_id: 'b', msg: 'quantity: "" is not a whole number', problem: { kind: 'notWhole', field: 'quantity', value: '' } },
    ]);
    const both = parseUsageFile(`${HEAD},quantity\na,p,e,s,t,,1.5\nb,p,e,s,t,2.5,\n`, 'x.csv');
    expect(both.errors.map((e) => [e.line, e.msg])).toEqual([[2, 'quantity: "1.5" is not a whole number'], [3, 'gpu_seconds: "2.5" is not a whole number']]);
  });
  it('reports short rows and non-integer gpu_seconds and keeps the good rows', () => {
    const csv = `${HEAD}\na,p,e,s,t,1\nb,p\nc,p,e,s,t,1.5\nd,p,e,s,t,+2\n`;
    const r = parseUsageFile(csv, 'x.csv');
    expect(r.records.map((x) => [x.record_id, x.gpu_seconds])).toEqual([['a', 1], ['d', 2]]);
    expect(plain(r.errors)).toEqual([
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
    expect(r.errors[0].msg).toMatch(/^not JSON: /);
    expect(r.errors[0].problem.kind).toBe('notJson');
  });
  it('detects the format like the CLI: extension first, then the first character', () => {
    expect(parseUsageFile('{"record_id":"a"}\n', 'usage.txt').format).toBe('ndjson');
    expect(parseUsageFile('\uFEFF  {"record_id":"a"}\n').format).toBe('ndjson');
    expect(parseUsageFile('{"record_id":"a"}\n', 'u.jsonl').format).toBe('ndjson');
    expect(parseUsageFile(`${HEAD}\n`, 'u.txt').format).toBe('csv');
    const arr = parseUsageFile('[{"record_id":"a","gpu_seconds":1}]', 'u.json');
    expect(arr.format).toBe('json');
    expect(arr.records).toEqual([{ record_id: 'a', gpu_seconds: 1 }]);
    expect(parseUsageFile('[{"record_id":"a","quantity":9}]', 'u.json').records).toEqual([{ record_id: 'a', quantity: 9 }]);
    const bad = parseUsageFile('[{"record_id":"a"},', 'u.json');
    expect(bad.records).toEqual([]);
    expect(bad.errors.map((e) => [e.line, e.problem.kind, e.msg.startsWith('not JSON: ')])).toEqual([[1, 'notJson', true]]);
  });
  it('writes NDJSON', () => {
    expect(toNdjson([{ record_id: 'a', product_id: 'p', enterprise_id: 'e', started_at: 's', ended_at: 't', gpu_seconds: 1 }])).toBe(
      '{"record_id":"a","product_id":"p","enterprise_id":"e","started_at":"s","ended_at":"t","gpu_seconds":1}\n',
    );
  });
  it('has the page\'s words for every problem and unit base in both languages', () => {
    const kinds = Object.keys({ notJson: 1, notArray: 1, notObject: 1, missingColumn: 1, missingField: 1, notWhole: 1, bothMeasures: 1, noMeasure: 1 } satisfies Record<ParseProblem['kind'], 1>);
    const keys = [...kinds.map((k) => `upload.perr.${k}`), ...USAGE_UNIT_BASES.flatMap((b) => [`upload.base.${b.base}`, ...b.units.map((u) => `unit.${u}`)])];
    for (const k of keys) {
      expect(zh, k).toHaveProperty([k]);
      expect(en, k).toHaveProperty([k]);
    }
  });
  it('splits quoted CSV cells', () => {
    expect(splitCsvLine('a,"b,c","d""e"')).toEqual(['a', 'b,c', 'd"e']);
  });
});
