// A tiny i18n: zh by default, English switch persisted in localStorage; antd's and dayjs's locales,
// <html lang> and the document title follow (App.tsx).
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { formatDate, formatFen, formatNumber, parseYuanToFen, type Lang } from '../format';
import { zh, type MsgKey } from './zh';

export type { MsgKey };
export const LANG_KEY = 'quan.lang';
/**
 * The dictionaries loaded so far. Chinese, the default, is in the first page's bundle; English is a
 * chunk of its own, fetched only when it is chosen (loadLang: before the first render for a stored
 * English choice, main.tsx; on the switch, setLang). Until then an English lookup reads Chinese.
 */
const DICTS: Partial<Record<Lang, Record<MsgKey, string>>> = { zh };
const dict = (lang: Lang): Record<MsgKey, string> => DICTS[lang] ?? zh;

/** Whether the dictionary of `lang` is loaded (translate reads it at once). */
export function langLoaded(lang: Lang): boolean {
  return DICTS[lang] !== undefined;
}

/** Load the dictionary of `lang` (once); resolves when translate can read it. */
export async function loadLang(lang: Lang): Promise<void> {
  if (DICTS[lang]) return;
  if (lang === 'en') DICTS.en = (await import('./en')).en;
}

/**
 * Error codes the client makes itself: `network` when the server cannot be reached, and the
 * fallbacks of client.ts for an error without a JSON body (by HTTP status). The codes the server
 * answers with are listed in server-codes.json (collected from the Rust source by
 * scripts/server-codes.mjs); server-codes.test.ts checks that every one of both is translated.
 */
export const CLIENT_ERROR_CODES = [
  'network', 'bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large',
  'idempotency_key_reused', 'throttled', 'internal',
] as const;

/**
 * Codes whose server message says more than the code: a figure the translation shows, or which
 * party or rule it is about. The first variant whose reader matches the message and whose text
 * (`err.<code>.<variant>`, e.g. `.amount`) exists is used; without one, the plain text.
 */
const yuanFigure = (re: RegExp) => (m: string, lang: Lang) => {
  const hit = re.exec(m);
  const fen = hit ? parseYuanToFen(hit[1]) : null;
  return fen === null ? null : { amount: formatFen(fen, lang) };
};
/** A variant for messages matching `re`, with no figure. */
const when = (re: RegExp) => (m: string) => (re.test(m) ? {} : null);
/** A variant naming the YYYY-MM-DD date the message gives ("… runs until 2026-03-31"). */
const untilDate = (m: string, lang: Lang) => {
  const hit = /runs until (\d{4}-\d{2}-\d{2})/.exec(m);
  return hit ? { date: formatDate(hit[1], lang) } : null;
};
/** A variant naming the count the message starts with ("3 objections are …"). */
const leadingCount = (m: string) => {
  const hit = /^(\d+) /.exec(m);
  return hit ? { count: hit[1] } : null;
};
type Detail = { variant: string; read: (message: string, lang: Lang) => Record<string, string> | null };
const DETAIL: Partial<Record<string, Detail[]>> = {
  // "enterprise_year_cap_fen: an enterprise has already drawn 3000.00 yuan from this program this year; …"
  cap_below_usage: [{ variant: 'amount', read: yuanFigure(/(\d+(?:\.\d{1,2})?)\s*yuan/) }],
  // "the supplier is on the dishonesty list since … (entry dis_…: …; source: …), so it cannot be
  // settled; its payables (600.00 yuan) are held until the entry is lifted": the figure, not the
  // entry's free text (which may hold figures of its own). A reimbursement run says "the enterprise".
  payables_held: [
    { variant: 'enterprise', read: (m, lang) => (/^the enterprise /.test(m) ? yuanFigure(/its payables \((\d+(?:\.\d{1,2})?) yuan\) are held/)(m, lang) : null) },
    { variant: 'amount', read: yuanFigure(/its payables \((\d+(?:\.\d{1,2})?) yuan\) are held/) },
  ],
  // "invoice_amount_fen: the program pays for invoices of at least 1000.00 yuan; this one is 999.00"
  below_min_invoice: [{ variant: 'amount', read: yuanFigure(/at least (\d+(?:\.\d{1,2})?) yuan/) }],
  // "3 vouchers of the program are still active; they expire after their validity (…) before the program can close"
  program_has_active_vouchers: [
    {
      variant: 'count',
      read: (m) => {
        const hit = /^(\d+) vouchers? of the program are still active/.exec(m);
        return hit ? { count: hit[1] } : null;
      },
    },
  ],
  // "contract_id: with 300.00 yuan already claimed, this invoice passes the contract's amount of 1000.00 yuan"
  over_contract: [{ variant: 'amount', read: yuanFigure(/contract's amount of (\d+(?:\.\d{1,2})?) yuan/) }],
  // A contract already claimed in another program (the same code as metered usage subsidised twice).
  double_subsidy: [{ variant: 'contract', read: when(/^contract_id:/) }],
  // A reimbursement run answers about "this enterprise", a settlement about "this supplier".
  already_settled: [{ variant: 'enterprise', read: when(/for this enterprise/) }],
  nothing_to_settle: [{ variant: 'enterprise', read: when(/to this enterprise/) }],
  // Selection rounds: "the call for entries runs until 2026-03-31", "the notice runs until …".
  call_open: [{ variant: 'date', read: untilDate }],
  notice_running: [{ variant: 'date', read: untilDate }],
  // "2 objections are not yet resolved", "3 assigned score sheets are not in yet".
  objections_open: [{ variant: 'count', read: leadingCount }],
  scores_missing: [{ variant: 'count', read: leadingCount }],
  // "record_count: 5000 records; the round needs at least 100000"
  too_few_records: [
    {
      variant: 'min',
      read: (m, lang) => {
        const hit = /needs at least (\d+)/.exec(m);
        return hit ? { min: formatNumber(Number(hit[1]), lang, 0) } : null;
      },
    },
  ],
  // The same code refuses an objection to an entry not selected and a hand listing on a model or
  // corpus program of a product its year's round did not select ("product_id: …").
  not_selected: [{ variant: 'listing', read: when(/^product_id:/) }],
  // A usage key for a supplier that is not a compute one ("supplier_id: a model supplier sends no
  // metered usage"); the plain text speaks of compute sites.
  not_compute_supplier: [{ variant: 'usage', read: when(/sends no metered usage/) }],
  // "Quan-Signature: this supplier signs its usage (key 0123456789abcdef); the batch carries no signature"
  signature_missing: [
    {
      variant: 'key',
      read: (m) => {
        const hit = /\(key ([0-9a-f]{16})\)/.exec(m);
        return hit ? { fp: hit[1] } : null;
      },
    },
  ],
};

export function translate(lang: Lang, key: MsgKey, vars?: Record<string, string | number>): string {
  const s = dict(lang)[key] ?? zh[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** Translate an API error by its code; unknown codes fall back to the server's message. */
export function translateError(lang: Lang, err: unknown): string {
  if (err instanceof ApiError) {
    const key = `err.${err.code}` as MsgKey;
    if (key in dict(lang)) {
      for (const detail of DETAIL[err.code] ?? []) {
        const vars = detail.read(err.message, lang);
        const withVars = `${key}.${detail.variant}` as MsgKey;
        if (vars && withVars in dict(lang)) return translate(lang, withVars, vars);
      }
      return translate(lang, key);
    }
    return err.message || translate(lang, 'err.unknown');
  }
  if (err instanceof Error && err.message) return err.message;
  return translate(lang, 'err.unknown');
}

/** The BCP 47 tag of a language, for <html lang>. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** The stored language choice (zh without one). */
export function initialLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* no storage */
  }
  return 'zh';
}

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MsgKey, vars?: Record<string, string | number>) => string;
  tErr: (err: unknown) => string;
  /** Label of an enum value, e.g. tEnum('vt', 'compute'); falls back to the raw value. */
  tEnum: (prefix: string, value: string | null | undefined) => string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  // A stored choice whose dictionary is not loaded yet (main.tsx loads it before the first render)
  // starts in Chinese and switches once it is in.
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    return langLoaded(l) ? l : 'zh';
  });
  const want = useRef<Lang>(lang);
  const setLang = useCallback((l: Lang) => {
    want.current = l;
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* ignore */
    }
    if (langLoaded(l)) {
      setLangState(l);
      return;
    }
    // The other language's dictionary is fetched on the switch; the page stays as it is meanwhile
    // (and stays if the chunk cannot be fetched). A later switch wins over an earlier one.
    loadLang(l).then(
      () => {
        if (want.current === l) setLangState(l);
      },
      () => {
        /* offline: keep the language shown */
      },
    );
  }, []);
  useEffect(() => {
    const l = initialLang();
    if (l !== lang && !langLoaded(l)) setLang(l);
    // Only on mount: a stored choice main.tsx could not load in time.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // <html lang> from the first render on (a stored English choice included), before paint.
  useLayoutEffect(() => {
    document.documentElement.lang = htmlLang(lang);
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      tErr: (err) => translateError(lang, err),
      tEnum: (prefix, v) => {
        if (v === null || v === undefined || v === '') return '—';
        const key = `${prefix}.${v}` as MsgKey;
        const d = dict(lang);
        return key in d ? d[key] : v;
      },
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useT(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useT outside I18nProvider');
  return v;
}
