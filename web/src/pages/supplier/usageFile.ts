// Parse a usage file into records for POST /usage, reading the formats of `quan usage import`
// (which, unlike this page, still wants a gpu_seconds column, left empty beside a quantity):
// CSV with a header row naming record_id,product_id,enterprise_id,started_at,ended_at and a
// gpu_seconds or a quantity column (or both: then each row fills exactly one of them), optionally
// voucher_id (columns found by name, extra columns ignored, cells trimmed), or NDJSON (.ndjson /
// .jsonl, or any file whose first character is `{`). A JSON array file is read too.
//
// NDJSON objects are sent as written: the server judges each one (an element that is not a usage
// record is rejected on its own as `invalid_record`). Lines that cannot be sent at all (not JSON,
// a CSV row without a required column, with a gpu_seconds or quantity that is not a whole number,
// or with both or neither of them filled) become local rejections with reason `invalid_record`,
// like the CLI reports them. Each carries its English message (`msg`, in the CLI's wording) and the
// `problem` the page translates.
import type { UsageInput } from '../../api/types';

/** The columns every usage CSV has. */
export const USAGE_CSV_COLUMNS = ['record_id', 'product_id', 'enterprise_id', 'started_at', 'ended_at'] as const;
/**
 * The columns that carry what was used, one of which a CSV has: accelerator time (products billed
 * per gpu_hour or card_hour) or the quantity in the product's unit base (USAGE_UNIT_BASES).
 */
export const USAGE_MEASURE_COLUMNS = ['gpu_seconds', 'quantity'] as const;
export type UsageMeasure = (typeof USAGE_MEASURE_COLUMNS)[number];
/** The header row's fixed part as the upload hint shows it; a measure column and voucher_id follow. */
export const USAGE_CSV_HEADER = USAGE_CSV_COLUMNS.join(',');

/**
 * What `quantity` counts for each billing unit (the unit base of the API's UsageInput): seconds for
 * the hour units, tokens for k_tokens, GB-hours for gb_month, bytes for gb_transferred.
 */
export const USAGE_UNIT_BASES = [
  { base: 'seconds', units: ['gpu_hour', 'card_hour', 'cpu_core_hour'] },
  { base: 'tokens', units: ['k_tokens'] },
  { base: 'gbHours', units: ['gb_month'] },
  { base: 'bytes', units: ['gb_transferred'] },
] as const;

/**
 * Why a line could not be read, for the page to translate. `measure` on the missing ones: the
 * line (or header) also lacks a measure (gpu_seconds or quantity; only the header's one when it
 * has a single one, then named in `fields`).
 */
export type ParseProblem =
  | { kind: 'notJson'; detail: string }
  | { kind: 'notArray' }
  | { kind: 'notObject' }
  | { kind: 'missingColumn'; fields: string[]; measure: boolean }
  | { kind: 'missingField'; fields: string[]; measure: boolean }
  | { kind: 'notWhole'; field: UsageMeasure; value: string }
  | { kind: 'bothMeasures' }
  | { kind: 'noMeasure' };

/** A line that could not be turned into a record; `record_id` as far as it could be read. */
export interface ParseError {
  line: number;
  record_id: string;
  /** In English, as the CLI words it. */
  msg: string;
  problem: ParseProblem;
}

export interface ParseResult {
  format: 'csv' | 'ndjson' | 'json';
  /** Sent to the server as a JSON array, in file order. */
  records: UsageInput[];
  errors: ParseError[];
}

/** Split one CSV line, honouring double quotes ("a,b" and "" escapes); cells are trimmed. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Like Rust's `str::parse::<i64>()` on a trimmed cell: an optional sign and digits only. */
const WHOLE = /^[+-]?\d+$/;

function detect(text: string, filename: string): ParseResult['format'] {
  const ext = (/\.([^.]+)$/.exec(filename)?.[1] ?? '').toLowerCase();
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'csv') return 'csv';
  const first = text.trimStart()[0];
  if (first === '{') return 'ndjson';
  if (first === '[') return 'json';
  return 'csv';
}

/** A missing list as the CLI words it: the names, then "gpu_seconds or quantity" if `measure`. */
function missingList(fields: string[], measure: boolean): string {
  return [...fields, ...(measure ? [USAGE_MEASURE_COLUMNS.join(' or ')] : [])].join(', ');
}

/** The English message of a problem (what `msg` holds). */
export function problemMessage(p: ParseProblem): string {
  switch (p.kind) {
    case 'notJson':
      return `not JSON: ${p.detail}`;
    case 'notArray':
      return 'not a JSON array';
    case 'notObject':
      return 'not a JSON object';
    case 'missingColumn':
      return `header: missing column ${missingList(p.fields, p.measure)}`;
    case 'missingField':
      return `missing field ${missingList(p.fields, p.measure)}`;
    case 'notWhole':
      return `${p.field}: "${p.value}" is not a whole number`;
    case 'bothMeasures':
      return 'gpu_seconds and quantity are both filled; fill one of them';
    case 'noMeasure':
      return 'neither gpu_seconds nor quantity is filled; fill one of them';
  }
}

export function parseUsageFile(text: string, filename = ''): ParseResult {
  text = text.replace(/^\uFEFF/, '');
  const format = detect(text, filename);
  const records: UsageInput[] = [];
  const errors: ParseError[] = [];
  const fail = (line: number, record_id: string, problem: ParseProblem) => errors.push({ line, record_id, msg: problemMessage(problem), problem });
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));

  if (format === 'json') {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      fail(1, '', { kind: 'notJson', detail: (e as Error).message });
      return { format, records, errors };
    }
    if (Array.isArray(v)) v.forEach((o) => records.push(o as UsageInput));
    else fail(1, '', { kind: 'notArray' });
    return { format, records, errors };
  }

  if (format === 'ndjson') {
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch (e) {
        fail(i + 1, '', { kind: 'notJson', detail: (e as Error).message });
        return;
      }
      if (!o || typeof o !== 'object' || Array.isArray(o)) {
        fail(i + 1, '', { kind: 'notObject' });
        return;
      }
      records.push(o as UsageInput);
    });
    return { format, records, errors };
  }

  // CSV: the first non-empty line is the header.
  const headerIdx = lines.findIndex((l) => l.trim());
  if (headerIdx < 0) return { format, records, errors };
  const header = splitCsvLine(lines[headerIdx]);
  const missing = USAGE_CSV_COLUMNS.filter((c) => !header.includes(c));
  // The measure columns the header has: one, or both (then each row fills exactly one).
  const measures = USAGE_MEASURE_COLUMNS.filter((c) => header.includes(c));
  if (missing.length || !measures.length) {
    fail(headerIdx + 1, '', { kind: 'missingColumn', fields: missing, measure: !measures.length });
    return { format, records, errors };
  }
  const col = (cells: string[], name: string) => {
    const j = header.indexOf(name);
    return j >= 0 ? cells[j] : undefined;
  };
  for (let i = headerIdx + 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = splitCsvLine(lines[i]);
    const rid = col(cells, 'record_id') ?? '';
    const absent: string[] = USAGE_CSV_COLUMNS.filter((c) => col(cells, c) === undefined);
    // With one measure column its cell is required like the others; with both, a row short of
    // both lacks "gpu_seconds or quantity".
    let measureAbsent = false;
    if (measures.length === 1) {
      if (col(cells, measures[0]) === undefined) absent.push(measures[0]);
    } else measureAbsent = measures.every((m) => col(cells, m) === undefined);
    if (absent.length || measureAbsent) {
      fail(i + 1, rid, { kind: 'missingField', fields: absent, measure: measureAbsent });
      continue;
    }
    let measure: UsageMeasure = measures[0];
    if (measures.length > 1) {
      const filled = measures.filter((m) => (col(cells, m) ?? '') !== '');
      if (filled.length !== 1) {
        fail(i + 1, rid, { kind: filled.length ? 'bothMeasures' : 'noMeasure' });
        continue;
      }
      measure = filled[0];
    }
    const value = col(cells, measure) ?? '';
    if (!WHOLE.test(value)) {
      fail(i + 1, rid, { kind: 'notWhole', field: measure, value });
      continue;
    }
    const rec: UsageInput = {
      record_id: col(cells, 'record_id') as string,
      product_id: col(cells, 'product_id') as string,
      enterprise_id: col(cells, 'enterprise_id') as string,
      started_at: col(cells, 'started_at') as string,
      ended_at: col(cells, 'ended_at') as string,
    };
    // Only the field the row gave: the server takes gpu_seconds or quantity.
    rec[measure] = Number(value);
    const v = col(cells, 'voucher_id');
    if (v) rec.voucher_id = v;
    records.push(rec);
  }
  return { format, records, errors };
}

/** NDJSON text of records, one per line (what `quan usage import` and POST /usage with x-ndjson read). */
export function toNdjson(records: UsageInput[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
