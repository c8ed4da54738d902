// Finding English UI words in the text of a page shown in Chinese (the zh walk of e2e/run.mjs).
// Pure: the browser collects the text (innerText, placeholders, titles, aria-labels), this module
// says which fragments of it are English UI words. Unit-tested by src/englishText.test.ts.
//
// What is NOT English UI text, and so never flagged:
//  - tokens with a digit: numbers, record numbers (SD-AP-2026-000012), USCCs (91370100MA3C8X1234),
//    model names (A100, H800), dates, amounts, versions;
//  - acronyms in capitals (GPU, USCC, API, PDF, CSV, XLSX, QR) and single letters (the "h" of GPU·h);
//  - URLs, e-mail addresses, domain names and file names (a dot between letters, "://", "@");
//  - the words of ALLOWED_WORDS below (brands, units, formats), and any data value handed in
//    (`allowedPhrases`: names of the demo's products, enterprises, programs… as the API gives them).
// What IS flagged: a run of Latin words with one that is a lower-case or capitalised word not
// allowed ("Loading", "No data", "Submit", "Cancel", "Print"), an untranslated i18n key
// ("common.submit", "nav.ent.file") or a raw snake_case code ("in_notice"), and the capitalised
// UI words antd would show in English (UI_ACRONYMS: "OK").

/**
 * Latin words that are legitimate in the Chinese console, each with why. Case-sensitive.
 */
export const ALLOWED_WORDS = new Set([
  'Quan', // the platform's brand ("Quan 券")
  'English', // the language switch is labelled in the language it switches to
  'Excel', // the spreadsheet format of the downloads ("导出 Excel")
  'NDJSON', 'JSON', // usage file formats
  'RFC', // "RFC 3339" timestamps in the usage file format
  'kWh', 'Mbps', 'Gbps', 'TFLOPS', 'PFLOPS', 'FLOPS', 'GiB', 'MiB', // units
  'tokens', 'token', // the unit of model usage ("万 tokens")
  'WebP', // image format named in upload hints
  'SC', // the "Noto Sans CJK SC" font family name, should it ever be shown
  'OpenStreetMap', 'geoBoundaries', 'ODbL', // the big screen map's data source and licence, named as ODbL asks
]);

/**
 * Column names of the usage file format ('upload.format'): a file format's headers, shown as they
 * must be typed, not words of the UI.
 */
export const ALLOWED_CODES = new Set([
  'record_id', 'product_id', 'enterprise_id', 'started_at', 'ended_at', 'gpu_seconds', 'voucher_id',
  'tokens_in', 'tokens_out',
  'enterprise.name', // the example of a data field name ("类别.字段"), typed as shown
  'redemption', // the example of an audit action code in the audit log's filter
  'Idempotency-Key', // the HTTP header named by two error messages
  'xlsx', 'csv', // file name extensions ("Excel（xlsx）")
]);

/** Capitalised words antd or a page might leave in English though they look like acronyms. */
export const UI_ACRONYMS = new Set(['OK', 'ON', 'OFF', 'N/A', 'TODO']);

const LATIN_TOKEN = /[A-Za-z0-9][A-Za-z0-9_.\-'’·/:@]*[A-Za-z0-9_]|[A-Za-z0-9]/g;
const WORD = /^[A-Za-z][A-Za-z'’-]*$/;
const I18N_KEY = /^[a-z][a-zA-Z]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/;
const SNAKE_CODE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
const DOMAIN_END = /\.(com|cn|org|net|gov|io|local|png|jpe?g|pdf|csv|xlsx|json|ndjson|txt|zip)$/i;

/** The kind of one token: 'word' (an English UI word), 'key', 'code', or null when it is fine. */
export function classifyToken(tok) {
  if (UI_ACRONYMS.has(tok)) return 'word';
  if (ALLOWED_WORDS.has(tok) || ALLOWED_CODES.has(tok)) return null;
  if (/[0-9]/.test(tok)) return null; // numbers, record numbers, USCCs, model names
  if (/:\/\/|@/.test(tok)) return null; // URLs, e-mail addresses
  if (tok.includes('·')) {
    // "GPU·h": units joined by a middle dot; each part judged alone.
    const parts = tok.split('·').filter(Boolean);
    return parts.map(classifyToken).find((k) => k) ?? null;
  }
  if (/^[a-z]+_$/.test(tok)) return null; // an id's prefix ("ent_ 开头")
  if (SNAKE_CODE.test(tok)) return 'code';
  if (I18N_KEY.test(tok)) return DOMAIN_END.test(tok) ? null : 'key';
  if (/[./]/.test(tok)) {
    if (DOMAIN_END.test(tok) || /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(tok)) return null; // a.b.c, file.csv
    const parts = tok.split(/[./]/).filter(Boolean);
    return parts.map(classifyToken).find((k) => k) ?? null; // "CSV/XLSX", "and/or"
  }
  if (!WORD.test(tok)) return null;
  const letters = tok.replace(/['’-]/g, '');
  if (letters.length <= 1) return null; // "h", "x", a grade letter
  if (letters === letters.toUpperCase()) return null; // acronyms: GPU, USCC, QR, CSV
  return 'word';
}

/** `text` with every allowed phrase (longest first) blanked out. */
function withoutPhrases(text, phrases) {
  let out = text;
  for (const p of phrases) {
    if (!p) continue;
    out = out.split(p).join(' ');
  }
  return out;
}

/**
 * The English fragments of `text`: each run of Latin tokens (separated by blanks or light
 * punctuation) holding at least one flagged token, as it reads on the page.
 * `allowedPhrases`: data values to leave alone (product names etc.), matched as substrings.
 */
export function englishFragments(text, allowedPhrases = []) {
  const phrases = [...new Set(allowedPhrases.map((p) => String(p ?? '').trim()).filter((p) => /[A-Za-z]/.test(p)))].sort((a, b) => b.length - a.length);
  const found = [];
  for (const rawLine of String(text ?? '').split(/\n+/)) {
    const line = withoutPhrases(rawLine, phrases);
    // Runs: Latin tokens joined by spaces and the punctuation that sits inside an English phrase.
    const runs = line.match(/[A-Za-z0-9][A-Za-z0-9_.\-'’·/:@]*(?:[ \t,;!?()&+]+[A-Za-z0-9][A-Za-z0-9_.\-'’·/:@]*)*/g) ?? [];
    for (const run of runs) {
      const toks = run.match(LATIN_TOKEN) ?? [];
      const bad = toks.map((t) => t.replace(/[.:]+$/, '')).filter((t) => t && classifyToken(t));
      if (bad.length) found.push(run.trim().replace(/[\s,;:(.!?]+$/, ''));
    }
  }
  return [...new Set(found)];
}
