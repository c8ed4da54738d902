// First-paint measurement of the console (issue 15): first contentful paint, time to data and the JS
// bytes of the first page, for the public dashboard (/) and an admin list (/admin/vouchers), on
// loopback and on a throttled phone profile, cold (a fresh browser context per run) and warm (a
// second navigation in the same context: the hashed assets come from the HTTP cache).
//   cd web && QUAN_URL=http://127.0.0.1:18613 node scripts/perf.mjs [--runs 5]
// Drives Debian's Chromium (/usr/bin/chromium) with playwright-core. Prints a table of medians
// (min–max) and, as its last line, one JSON object with every figure.
//  - FCP: performance.getEntriesByName('first-contentful-paint').
//  - Time to data: from navigation start (performance.timeOrigin) until an element that exists only
//    once the API's figures have rendered is in the DOM (a MutationObserver set before the page runs).
//  - JS bytes: resource timing of the *.js responses once the page is idle: transferred (transferSize,
//    compressed as served plus headers, 0 when from the cache), encoded body (compressed) and decoded
//    body; the number of JS files; of these, the files (and encoded bytes) loaded before the data
//    showed; the total transferred bytes of the page load (document + every resource).
// The server's Content-Encoding and Cache-Control for the HTML and a hashed JS asset are checked first.
import { chromium } from 'playwright-core';

const BASE = (process.env.QUAN_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const CHROME = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'quan-demo';
const NAV_TIMEOUT = 90_000;
const MAX_RUNS = 20;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const RUNS = Math.min(MAX_RUNS, Math.max(1, Number.parseInt(arg('runs', '5'), 10) || 5));

/** The pages measured; `data` appears only once the API's figures have rendered. */
const PAGES = [
  { key: 'public-dashboard', path: '/', data: '[data-testid="dash-total-beneficiaries"]', admin: false },
  { key: 'admin-vouchers', path: '/admin/vouchers', data: '[data-testid="table-admin-vouchers"] tr.ant-table-row', admin: true },
];

/** CDP network condition throughputs are bytes per second. */
const PROFILES = [
  { key: 'loopback', viewport: { width: 1440, height: 900 } },
  {
    key: 'throttled-phone',
    viewport: { width: 390, height: 844 },
    network: { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) },
    cpu: 4,
  },
];

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x));
  return s.length ? { median: median(s), min: Math.min(...s), max: Math.max(...s), n: s.length } : null;
};

async function loginToken() {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) throw new Error(`POST /auth/login → ${res.status} ${(await res.text()).slice(0, 200)}`);
  const r = await res.json();
  let user = r.user;
  if (!user) {
    const me = await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${r.token}` }, signal: AbortSignal.timeout(15_000) });
    user = await me.json();
  }
  return { token: r.token, user };
}

/** Content-Encoding and Cache-Control of the HTML and of the first hashed script it loads. */
async function headerCheck() {
  const get = (path) => fetch(`${BASE}${path}`, { headers: { 'Accept-Encoding': 'br, gzip' }, signal: AbortSignal.timeout(15_000) });
  const html = await get('/');
  const text = await html.text();
  const src = text.match(/<script[^>]+src="([^"]+\.js)"/)?.[1];
  const out = {
    html: { 'content-encoding': html.headers.get('content-encoding'), 'cache-control': html.headers.get('cache-control') },
  };
  if (src) {
    const js = await get(src);
    await js.arrayBuffer();
    out.js = { path: src, 'content-encoding': js.headers.get('content-encoding'), 'cache-control': js.headers.get('cache-control') };
    const gz = await fetch(`${BASE}${src}`, { headers: { 'Accept-Encoding': 'gzip' }, signal: AbortSignal.timeout(15_000) });
    await gz.arrayBuffer();
    out.jsGzipOnly = { 'content-encoding': gz.headers.get('content-encoding') };
  }
  return out;
}

/** One navigation of `page` to `pg`, measured. */
async function measure(page, pg) {
  await page.goto(`${BASE}${pg.path}`, { waitUntil: 'commit', timeout: NAV_TIMEOUT });
  await page.waitForFunction(() => window.__quanDataAt != null, null, { timeout: NAV_TIMEOUT, polling: 100 });
  // Let the lazy chunks and the remaining requests finish (bounded) before reading resource timing.
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 10_000 }).catch(() => {});
  return page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const js = res.filter((e) => /\.m?js$/.test(new URL(e.name).pathname));
    const sum = (xs, k) => xs.reduce((a, e) => a + (e[k] ?? 0), 0);
    const atData = js.filter((e) => e.responseEnd <= window.__quanDataAt);
    return {
      fcpMs: fcp,
      dataMs: window.__quanDataAt,
      jsFiles: js.length,
      jsTransferred: sum(js, 'transferSize'),
      jsEncoded: sum(js, 'encodedBodySize'),
      jsDecoded: sum(js, 'decodedBodySize'),
      jsFromCache: js.filter((e) => e.transferSize === 0).length,
      jsFilesAtData: atData.length,
      jsEncodedAtData: sum(atData, 'encodedBodySize'),
      totalTransferred: (nav?.transferSize ?? 0) + sum(res, 'transferSize'),
    };
  });
}

async function newContext(browser, pg, profile, auth) {
  const ctx = await browser.newContext({ viewport: profile.viewport, locale: 'zh-CN' });
  await ctx.addInitScript(({ sel, auth }) => {
    if (!localStorage.getItem('quan.lang')) localStorage.setItem('quan.lang', 'zh');
    if (auth) {
      localStorage.setItem('quan.token', auth.token);
      localStorage.setItem('quan.user', JSON.stringify(auth.user));
    }
    window.__quanDataAt = null;
    const seen = () => {
      if (window.__quanDataAt == null && document.querySelector(sel)) {
        window.__quanDataAt = performance.now();
        obs.disconnect();
      }
    };
    const obs = new MutationObserver(seen);
    obs.observe(document, { childList: true, subtree: true });
  }, { sel: pg.data, auth: pg.admin ? auth : null });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`    [page error ${pg.key}] ${e.message}`));
  if (profile.network || profile.cpu) {
    const cdp = await ctx.newCDPSession(page);
    if (profile.network) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', profile.network);
    }
    if (profile.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  }
  return { ctx, page };
}

const KB = (b) => (b == null ? '—' : `${(b / 1024).toFixed(0)}`);
const MS = (x) => (x == null ? '—' : `${Math.round(x)}`);
const cell = (s, f) => (s ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : '—');

async function main() {
  const headers = await headerCheck();
  const auth = await loginToken();
  const browser = await chromium.launch({
    executablePath: CHROME,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const raw = {};
  try {
    for (const pg of PAGES) {
      for (const profile of PROFILES) {
        const cold = [];
        const warm = [];
        for (let i = 0; i < RUNS; i++) {
          const { ctx, page } = await newContext(browser, pg, profile, auth);
          try {
            cold.push(await measure(page, pg));
            warm.push(await measure(page, pg));
          } catch (e) {
            console.error(`  ✘ ${pg.key} ${profile.key} run ${i + 1}: ${String(e?.message ?? e).split('\n')[0]}`);
          } finally {
            await ctx.close();
          }
        }
        raw[`${pg.key}/${profile.key}/cold`] = cold;
        raw[`${pg.key}/${profile.key}/warm`] = warm;
        console.error(`  ✔ ${pg.key} ${profile.key}: ${cold.length}/${RUNS} runs`);
      }
    }
  } finally {
    await browser.close();
  }

  const figures = {};
  for (const [k, runs] of Object.entries(raw)) {
    const f = {};
    for (const m of ['fcpMs', 'dataMs', 'jsFiles', 'jsTransferred', 'jsEncoded', 'jsDecoded', 'jsFromCache', 'jsFilesAtData', 'jsEncodedAtData', 'totalTransferred']) f[m] = stats(runs.map((r) => r[m]));
    figures[k] = f;
  }

  console.log(`\nQuan first paint — ${BASE}, ${RUNS} runs each; median (min–max); KB = 1024 bytes`);
  console.log(`Server: HTML ${headers.html['content-encoding'] ?? 'identity'}, Cache-Control "${headers.html['cache-control']}"; JS ${headers.js?.path}: ${headers.js?.['content-encoding'] ?? 'identity'} (gzip-only client: ${headers.jsGzipOnly?.['content-encoding'] ?? 'identity'}), Cache-Control "${headers.js?.['cache-control']}"`);
  const cols = ['page / profile / cache', 'FCP ms', 'data ms', 'JS files', 'JS transferred KB', 'JS encoded KB', 'JS decoded KB', 'JS before data (files, KB enc.)', 'total transferred KB'];
  const rows = Object.entries(figures).map(([k, f]) => [
    k,
    cell(f.fcpMs, MS),
    cell(f.dataMs, MS),
    cell(f.jsFiles, (x) => String(x)),
    cell(f.jsTransferred, KB),
    cell(f.jsEncoded, KB),
    cell(f.jsDecoded, KB),
    `${f.jsFilesAtData ? f.jsFilesAtData.median : '—'}, ${f.jsEncodedAtData ? KB(f.jsEncodedAtData.median) : '—'}`,
    cell(f.totalTransferred, KB),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(JSON.stringify({ base: BASE, runs: RUNS, headers, figures }));
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
