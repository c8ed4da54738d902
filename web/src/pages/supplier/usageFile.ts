// Parse a usage file into records for POST /usage, reading the same formats as `quan usage import`:
// CSV with a header row naming record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds
// and optionally voucher_id (columns found by name, extra columns ignored, cells trimmed), or NDJSON
// (.ndjson / .jsonl, or any file whose first character is `{`). A JSON array file is read too.
//
// NDJSON objects are sent as written: the server judges each one (an element that is not a usage
// record is rejected on its own as `invalid_record`). Lines that cannot be sent at all (not JSON,
// a CSV row without a required column or with a gpu_seconds that is not a whole number) become
// local rejections with reason `invalid_record`, like the CLI reports them.
import type { UsageInput } from '../../api/types';

export const USAGE_CSV_COLUMNS = ['record_id', 'product_id', 'enterprise_id', 'started_at', 'ended_at', 'gpu_seconds'] as const;
/** The header row as the upload hint shows it (voucher_id optional). */
export const USAGE_CSV_HEADER = `${USAGE_CSV_COLUMNS.join(',')}[,voucher_id]`;

/** A line that could not be turned into a record; `record_id` as far as it could be read. */
export interface ParseError {
  line: number;
  record_id: string;
  msg: string;
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

export function parseUsageFile(text: string, filename = ''): ParseResult {
  text = text.replace(/^\uFEFF/, '');
  const format = detect(text, filename);
  const records: UsageInput[] = [];
  const errors: ParseError[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));

  if (format === 'json') {
    try {
      const v = JSON.parse(text);
      if (!Array.isArray(v)) throw new Error('not a JSON array');
      v.forEach((o) => records.push(o as UsageInput));
    } catch (e) {
      errors.push({ line: 1, record_id: '', msg: (e as Error).message });
    }
    return { format, records, errors };
  }

  if (format === 'ndjson') {
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch (e) {
        errors.push({ line: i + 1, record_id: '', msg: `not JSON: ${(e as Error).message}` });
        return;
      }
      if (!o || typeof o !== 'object' || Array.isArray(o)) {
        errors.push({ line: i + 1, record_id: '', msg: 'not a JSON object' });
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
  if (missing.length) {
    errors.push({ line: headerIdx + 1, record_id: '', msg: `header: missing column ${missing.join(', ')}` });
    return { format, records, errors };
  }
  const col = (cells: string[], name: string) => {
    const j = header.indexOf(name);
    return j >= 0 ? cells[j] : undefined;
  };
  for (let i = headerIdx + 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = splitCsvLine(lines[i]);
    const rid = cells[0] ?? '';
    const absent = USAGE_CSV_COLUMNS.filter((c) => col(cells, c) === undefined);
    if (absent.length) {
      errors.push({ line: i + 1, record_id: rid, msg: `missing field ${absent.join(', ')}` });
      continue;
    }
    const gs = col(cells, 'gpu_seconds') as string;
    if (!WHOLE.test(gs)) {
      errors.push({ line: i + 1, record_id: col(cells, 'record_id') ?? rid, msg: `gpu_seconds: "${gs}" is not a whole number` });
      continue;
    }
    const rec: UsageInput = {
      record_id: col(cells, 'record_id') as string,
      product_id: col(cells, 'product_id') as string,
      enterprise_id: col(cells, 'enterprise_id') as string,
      started_at: col(cells, 'started_at') as string,
      ended_at: col(cells, 'ended_at') as string,
      gpu_seconds: Number(gs),
    };
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
