// Money, percent and date formatting. Money is integer fen everywhere; display goes through
// Intl.NumberFormat (never hand-formatted), input in yuan is parsed as a decimal string (never
// multiplied as a float).

export type Lang = 'zh' | 'en';

const intlLocale = (lang: Lang) => (lang === 'en' ? 'en-US' : 'zh-CN');

const currencyFormatters = new Map<Lang, Intl.NumberFormat>();
function currencyFormatter(lang: Lang): Intl.NumberFormat {
  let f = currencyFormatters.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(lang), {
      style: 'currency',
      currency: 'CNY',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    currencyFormatters.set(lang, f);
  }
  return f;
}

/** Exact decimal string of a fen amount in yuan: 1234 → "12.34", -5 → "-0.05". */
export function fenToYuanString(fen: number | bigint): string {
  const v = BigInt(fen);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const yuan = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${yuan.toString()}.${cents}`;
}

/** Same as fenToYuanString but without a trailing ".00" (for form defaults): 1200 → "12", 1234 → "12.34". */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '';
  const s = fenToYuanString(Math.trunc(fen));
  return s.endsWith('.00') ? s.slice(0, -3) : s;
}

/**
 * Format fen as CNY for display: 123456 → "¥1,234.56" (zh) / "CN¥1,234.56" (en).
 * The amount is handed to Intl as an exact decimal string so large values keep every fen.
 */
export function formatFen(fen: number | bigint | null | undefined, lang: Lang = 'zh'): string {
  if (fen === null || fen === undefined) return '—';
  if (typeof fen === 'number' && !Number.isFinite(fen)) return '—';
  const dec = fenToYuanString(typeof fen === 'number' ? Math.trunc(fen) : fen);
  // Intl.NumberFormat.prototype.format accepts decimal strings exactly (ECMA-402 NumberFormat v3).
  return currencyFormatter(lang).format(dec as unknown as number);
}

/** Compact form for chart axes: 1.2亿 / 120M. Display only. */
export function formatFenCompact(fen: number, lang: Lang = 'zh'): string {
  return new Intl.NumberFormat(intlLocale(lang), {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(fen / 100);
}

const YUAN_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parse a yuan amount typed by a person into integer fen, exactly.
 * "12.34" → 1234, "0.1" → 10, "1,000" → 100000, "-3" → -300.
 * Returns null for anything that is not a plain decimal with at most two fraction digits
 * ("1.005", "abc", "", "1e3") or that does not fit a safe integer.
 */
export function parseYuanToFen(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  const s = String(input).trim().replace(/[,，\s]/g, '').replace(/^[¥￥]/, '');
  const m = YUAN_RE.exec(s);
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  const fen = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0') || '0');
  const signed = sign ? -fen : fen;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) return null;
  const n = Number(signed);
  return Object.is(n, -0) ? 0 : n;
}

const PCT_RE = /^(\d+)(?:\.(\d{1,2}))?$/;

/** "5" → 500 bps, "99.99" → 9999, "100" → 10000; null for anything else (including "1.005", negatives). */
export function parsePercentToBps(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  const s = String(input).trim().replace(/%$/, '');
  const m = PCT_RE.exec(s);
  if (!m) return null;
  const [, whole, frac = ''] = m;
  const bps = Number(whole) * 100 + Number(frac.padEnd(2, '0') || '0');
  return Number.isSafeInteger(bps) ? bps : null;
}

/** 550 → "5.5" (for form defaults). */
export function bpsToPercentInput(bps: number | null | undefined): string {
  if (bps === null || bps === undefined) return '';
  const whole = Math.trunc(bps / 100);
  const frac = Math.abs(bps % 100);
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** 550 bps → "5.5%" (locale-aware). */
export function formatBps(bps: number | null | undefined, lang: Lang = 'zh'): string {
  if (bps === null || bps === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10000);
}

export function formatNumber(n: number | null | undefined, lang: Lang = 'zh', maxFrac = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: maxFrac }).format(n);
}

/** A YYYY-MM-DD date stays as it is in zh; English gets "Mar 5, 2026". */
export function formatDate(d: string | null | undefined, lang: Lang = 'zh'): string {
  if (!d) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return formatDateTime(d, lang);
  if (lang === 'zh') return d;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** RFC 3339 timestamp → local date and time. */
export function formatDateTime(ts: string | null | undefined, lang: Lang = 'zh'): string {
  if (!ts) return '—';
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts;
  return new Intl.DateTimeFormat(intlLocale(lang), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** An industry section by its letter and its name: `C 制造业`. An unknown letter stays as it is. */
export function industryLabel(tEnum: (prefix: string, v: string | null | undefined) => string, section: string | null | undefined): string {
  if (!section) return '—';
  const name = tEnum('industry', section);
  return name === section ? section : `${section} ${name}`;
}
