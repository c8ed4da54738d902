// Browser end-to-end test of the Quan web portal against a running `quan demo` server.
//   QUAN_URL=http://127.0.0.1:18080 npm run e2e
// Drives Debian's Chromium (/usr/bin/chromium) with playwright-core. The whole story: admin creates a
// program with funding shares (first a wrong 99.99% total, shown as a field error), enterprise
// applies, reviewer approves, admin issues the voucher, supplier redeems an invoice (first a 19-digit
// number, shown as a field error), the public dashboard shows the new figures, admin renames the
// program in its drawer (PATCH with an Idempotency-Key), an enterprise cannot open the admin page,
// the auditor sorts the audit log by a column header and filters it by action. Every sort key the
// UI offers (src/api/sortKeys.ts) is accepted by the server. Dates follow the platform's clock (GET
// /public/clock), not the browser's: a notice still running shows its days left. The dashboard shows
// the API's beneficiaries; antd speaks the chosen language (pagination), <html lang> and the title
// follow the switch; an unknown URL is a 404 page, not the login. The enterprise edits its name
// directly but asks for a change of its registered file (only the changed field is sent), which the
// admin approves in the change-request queue; the admin lists a supplier on the dishonesty list (an
// entry that starts next year, so it refuses nothing) and lifts it; reviewers read both lists. The
// program is created with rules of its own (minimum invoice, split-purchase detection) that the
// server keeps; closing it is refused while its voucher is active, with the reason in Chinese; the
// admin tops up a funding source (amount and appropriation document, a before/after confirmation,
// the source's history); the held-payments page shows the queue and the held redemptions, whose
// hold reasons read in Chinese, and the reviewer only reads it. Both redemption modes: the
// enterprise registers a contract with a supplier chosen by name (Enter in the date does not
// submit), claims reimbursement on its voucher of the demo's reimbursed pilot with a confirmation of
// the expected subsidy, the admin runs the reimbursement after a confirmation of what is due, and
// the statements download in CSV and XLSX with the page's language; the supplier's redemption form
// offers a contract and a proof of delivery; the contracts and reimbursements pages render for their
// roles in zh and en. The annual selection: the admin opens the round list and a round in force
// (steps, panel, ranked entries with recusals and their reasons, unsealed sheets, objections), is
// told what closing the open round's panel does and what keeps it from closing, and creates a round
// whose weights are checked to sum to 100 before it is sent; the demo reviewer scores an entry of
// the open round (the weighted total as typed, sealed from the admin), an expert recused by the
// registered file sees 已回避 with the reason; the supplier enters a model product with its
// evidence; the public selected list shows ranks, scores, rounds and statuses, filters, and
// switches to English; removing a product from a corpus program's list asks for the reason.
// Screenshots of each main page, zh and en, go to e2e/screenshots/.
import { chromium } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const BASE = (process.env.QUAN_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const CHROME = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PASSWORD = 'quan-demo';
const RUN = Date.now().toString(36).toUpperCase();
mkdirSync(SHOTS, { recursive: true });
for (const f of readdirSync(SHOTS)) if (f.startsWith('FAIL-')) rmSync(`${SHOTS}${f}`);

const results = [];
let browser;
const ctxs = {};

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: String(e?.message ?? e).split('\n')[0] });
    console.log(`  ✘ ${name}\n      ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n      ')}`);
    for (const [role, c] of Object.entries(ctxs)) {
      for (const p of c.pages()) await p.screenshot({ path: `${SHOTS}FAIL-${name.replace(/\W+/g, '_')}-${role}.png`, fullPage: true }).catch(() => {});
    }
    return false;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** `key`: send a fresh Idempotency-Key (the server requires one on its money and integrity POSTs). */
async function api(path, { token, method = 'GET', body, key = false } = {}) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'Idempotency-Key': randomUUID() } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return json;
}
const items = (r) => (Array.isArray(r) ? r : r?.items ?? []);
/** The token a signed-in page holds. */
const tokenOf = (page) => page.evaluate(() => localStorage.getItem('quan.token'));

/** A browser context per actor, language preset (zh unless told). */
async function context(role, lang = 'zh') {
  const c = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  await c.addInitScript((l) => {
    if (!localStorage.getItem('quan.lang')) localStorage.setItem('quan.lang', l);
  }, lang);
  ctxs[role] = c;
  const page = await c.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => console.log(`    [${role} page error] ${e.message}`));
  return page;
}

async function login(page, username) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-role').waitFor();
  const role = await page.getByTestId('current-role').getAttribute('data-role');
  assert(role === username, `logged in as ${role}, expected ${username}`);
}

/** Sign in as `username`, whose role is `role` (the demo's panel experts are reviewers). */
async function loginAs(page, username, role) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-role').waitFor();
  const got = await page.getByTestId('current-role').getAttribute('data-role');
  assert(got === role, `${username} logged in as ${got}, expected ${role}`);
}

/** Hundredths of a point as the pages show a score: 9240 → "92.40". */
const score = (h) => `${Math.trunc(h / 100)}.${String(h % 100).padStart(2, '0')}`;

/** Open an antd Select and pick the option whose label contains `text` (or the first option). */
async function pick(page, selectLocator, text) {
  await selectLocator.click();
  if (text) await page.keyboard.type(text, { delay: 10 });
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  await dropdown.waitFor();
  const option = text ? dropdown.locator('.ant-select-item-option', { hasText: text }).first() : dropdown.locator('.ant-select-item-option').first();
  await option.click();
}

async function setDate(page, id, value) {
  const input = page.locator(`input#${id}`);
  await input.click();
  await input.press('Control+A');
  await input.fill(value);
  await input.press('Enter');
}

/** The sort allowlists the UI offers, read from src/api/sortKeys.ts (`'/path': keysOf<T>()('a', 'b')`). */
function uiSortKeys() {
  const src = readFileSync(new URL('../src/api/sortKeys.ts', import.meta.url), 'utf8');
  const named = {};
  for (const m of src.matchAll(/const (\w+) = keysOf<\w+>\(\)\(([^)]*)\)/g)) named[m[1]] = [...m[2].matchAll(/'([^']+)'/g)].map((x) => x[1]);
  const out = {};
  for (const m of src.matchAll(/^\s*'(\/[^']+)': (.+),$/gm)) {
    const keys = named[m[2].trim()] ?? [...m[2].replace(/^keysOf<\w+>\(\)/, '').matchAll(/'([^']+)'/g)].map((x) => x[1]);
    out[m[1]] = keys;
  }
  return out;
}

/** The audit rows on screen: [{ seq, action }]. */
async function auditRows(page) {
  const rows = page.getByTestId('table-audit').locator('tr.ant-table-row');
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      seq: Number(tr.querySelector('td.ant-table-cell:not(.ant-table-row-expand-icon-cell)')?.textContent?.trim()),
      action: tr.querySelector('[data-testid="audit-action"]')?.textContent?.trim() ?? '',
    })),
  );
}

async function toast(page, text) {
  await page.locator('.ant-message-notice', { hasText: text }).first().waitFor();
}

async function shot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(400); // let ECharts finish its entry animation
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

async function dashboardFigures(page) {
  await page.goto(`${BASE}/`);
  await page.getByTestId('dash-total-granted').waitFor();
  const fen = async (k) => Number(await page.getByTestId(`dash-total-${k}`).getAttribute('data-fen'));
  return { granted: await fen('granted'), spent: await fen('spent'), budget: await fen('budget') };
}

const PAGES = {
  admin: ['/admin/programs', '/admin/vouchers', '/admin/users', '/admin/funding', '/admin/budget', '/admin/stats', '/admin/notices', '/admin/settlements', '/admin/contracts', '/admin/reimbursements', '/admin/selection', '/admin/dishonesty', '/admin/change-requests', '/admin/held-payments', '/review/applications', '/audit', '/admin/authorizations', '/review/registrations'],
  reviewer: ['/review/applications', '/review/registrations', '/review/selection', '/admin/dishonesty', '/admin/change-requests', '/admin/held-payments'],
  enterprise: ['/ent/file', '/ent/apply', '/ent/applications', '/ent/vouchers', '/ent/contracts', '/ent/redemptions', '/ent/reimbursements', '/ent/usage', '/ent/registrations', '/ent/consent'],
  supplier: ['/sup/products', '/sup/redeem', '/sup/contracts', '/sup/usage', '/sup/redemptions', '/sup/settlements', '/sup/selection'],
  auditor: ['/audit', '/admin/budget', '/admin/contracts', '/admin/reimbursements', '/admin/selection', '/admin/dishonesty', '/admin/change-requests', '/admin/held-payments'],
};

async function main() {
  console.log(`Quan web e2e against ${BASE} (run ${RUN})`);
  const health = await fetch(`${BASE}/healthz`).then((r) => r.text()).catch((e) => `unreachable: ${e.message}`);
  if (!/ok/i.test(health)) {
    console.error(`server not healthy at ${BASE}/healthz: ${health}`);
    process.exit(2);
  }
  browser = await chromium.launch({
    executablePath: CHROME,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });

  // Facts the story needs, read through the API (the actions themselves happen in the browser).
  const sup = await api('/auth/login', { method: 'POST', body: { username: 'supplier', password: PASSWORD } });
  const adm = await api('/auth/login', { method: 'POST', body: { username: 'admin', password: PASSWORD } });
  const entLogin = await api('/auth/login', { method: 'POST', body: { username: 'enterprise', password: PASSWORD } });
  const supplierId = sup.user?.supplier_id;
  const enterpriseId = entLogin.user?.enterprise_id;
  assert(enterpriseId, 'the demo enterprise user is bound to no enterprise');
  const products = items(await api(`/products?supplier_id=${encodeURIComponent(supplierId)}&page_size=200`, { token: sup.token })).filter((p) => String(p.supplier_id) === String(supplierId));
  const product = products.find((p) => p.kind === 'compute') ?? products[0];
  assert(product, 'the demo supplier has no product');
  const voucherType = { compute: 'compute', model: 'model', corpus: 'corpus', innovation_service: 'innovation' }[product.kind];
  const sources = items(await api('/funding-sources?page_size=200', { token: adm.token }));
  assert(sources.length > 0, 'no funding source in the demo data');
  const programName = `E2E 测试项目 ${RUN}`;
  const invoiceNumber = `${Date.now()}${Math.floor(Math.random() * 1e7)}`.padEnd(20, '0').slice(0, 20);
  const state = {};
  const clock = await api('/public/clock');
  assert(/^\d{4}-\d{2}-\d{2}$/.test(clock.today), `GET /public/clock: ${JSON.stringify(clock)}`);
  console.log(`  platform today ${clock.today} (browser clock ${new Date().toISOString().slice(0, 10)})`);
  /** Calendar days from the platform's today to a YYYY-MM-DD date. */
  const daysFromToday = (d) => Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${clock.today}T00:00:00Z`)) / 86_400_000);

  const pub = await context('public');
  const ent = await context('enterprise');
  const rev = await context('reviewer');
  await login(ent, 'enterprise');
  await login(rev, 'reviewer');
  // ── Data resource registration (数据资源登记) and the authorization hub (授权运营): the demo seeds
  // registrations in every status (SD-DR-2026-000001 registered and valid) and a tree of
  // authorizations with consents.
  await step('data registry: the enterprise applies for a registration; its three rights default to itself; the list shows it submitted', async () => {
    await ent.goto(`${BASE}/ent/registrations`);
    await ent.getByTestId('table-registrations').locator('.ant-table-row').first().waitFor();
    assert(await ent.getByTestId('table-registrations').locator('[data-standing="valid"]').count() > 0, 'no valid registration in the enterprise list');
    await ent.getByTestId('reg-new').click();
    const form = ent.getByTestId('registration-form');
    await form.waitFor();
    state.regName = `E2E 数据资源 ${RUN}`;
    await ent.getByTestId('reg-resource_name').fill(state.regName);
    await ent.getByTestId('reg-category').fill('工业制造');
    await ent.getByTestId('reg-description').fill('端到端测试登记的数据资源');
    await ent.getByTestId('reg-format').fill('CSV');
    await ent.getByTestId('reg-source').fill('自有系统采集');
    await ent.getByTestId('reg-records').fill('1200');
    await ent.getByTestId('reg-size').fill('4096');
    await ent.getByTestId('reg-security_measures').fill('访问控制与加密存储');
    await ent.getByTestId('reg-usage_permissions').fill('仅限模型训练');
    assert(await ent.getByTestId('reg-right-holding').count() === 0, 'the rights are not defaulted to the enterprise itself');
    const post = ent.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/data-registrations'));
    await ent.getByTestId('reg-submit').click();
    const req = await post;
    const body = JSON.parse(req.postData() ?? '{}');
    const me = (await api('/me', { token: (await tokenOf(ent)) })).enterprise_id;
    assert(body.kind === 'initial' && ['holding', 'processing', 'operation'].every((r) => body[r]?.party_kind === 'enterprise' && body[r]?.party_id === me), `the application body ${req.postData()}`);
    assert((await req.response())?.status() === 200 || (await req.response())?.status() === 201, `POST /data-registrations answered ${(await req.response())?.status()}`);
    await toast(ent, '登记申请已提交');
    await ent.getByTestId('reg-filter-q').fill(state.regName);
    await ent.getByTestId('reg-filter-q').press('Enter');
    await ent.getByTestId('table-registrations').locator('.ant-table-row', { hasText: state.regName }).locator('[data-status="submitted"]').waitFor();
    await shot(ent, 'zh-enterprise-registrations');
  });

  await step('data registry: the reviewer accepts the new registration and passes it to its notice; registering waits for the notice to end', async () => {
    await rev.goto(`${BASE}/review/registrations`);
    const table = rev.getByTestId('table-registration-queue');
    await table.locator('.ant-table-row').first().waitFor();
    await rev.getByTestId('regq-filter-q').fill(state.regName);
    await rev.getByTestId('regq-filter-q').press('Enter');
    const row = table.locator('.ant-table-row', { hasText: state.regName });
    await row.waitFor();
    await row.getByRole('button').click();
    await rev.getByTestId('registration-detail').waitFor();
    await rev.getByTestId('regq-accept').click();
    await toast(rev, '已处理');
    await rev.getByTestId('regq-pass').click();
    await rev.getByTestId('regq-register').waitFor();
    assert(await rev.getByTestId('regq-register').isDisabled(), 'registering is offered while the notice runs');
    await rev.getByTestId('registration-events').getByText('审核通过，进入公示').first().waitFor();
    await shot(rev, 'zh-reviewer-registration-drawer');
  });

  await step('data registry: the public verification of a registered code says 有效 with its certificate and matching digest; a changed one names its successor', async () => {
    await pub.goto(`${BASE}/verify/SD-DR-2026-000001`);
    const big = pub.getByTestId('verify-standing');
    await big.waitFor();
    assert((await big.innerText()).includes('有效'), `the standing reads "${await big.innerText()}"`);
    assert((await pub.getByTestId('verify-digest').getAttribute('data-matches')) === 'true', 'the digest does not match');
    await pub.getByTestId('verify-certificate').waitFor();
    await pub.goto(`${BASE}/verify/SD-DR-2025-000013`);
    await pub.getByTestId('verify-successor').getByText('SD-DR-2026-000001').waitFor();
    assert((await pub.getByTestId('verify-standing').innerText()).includes('已变更'), 'the changed code does not read 已变更');
    await pub.getByTestId('verify-input').fill('sd-dr-2026-000001');
    await pub.getByTestId('verify-input').press('Enter');
    await pub.waitForURL(/\/verify\/SD-DR-2026-000001$/);
    await shot(pub, 'zh-public-verify');
  });

  await step('data registry: the certificate page renders the rights, the digest and a QR code to the verification page', async () => {
    await pub.goto(`${BASE}/certificate/SD-DR-2026-000001`);
    await pub.getByTestId('certificate').waitFor();
    const qr = pub.getByTestId('certificate-qr');
    await qr.waitFor();
    assert((await qr.getAttribute('src'))?.startsWith('data:image/png;base64,'), 'the QR code is no PNG image');
    assert((await qr.getAttribute('alt')) === `${BASE}/verify/SD-DR-2026-000001`, `the QR code points to ${await qr.getAttribute('alt')}`);
    assert(await pub.getByTestId('certificate-right-operation').count() === 1, 'the certificate lists no operation right');
    await pub.getByTestId('certificate-print').waitFor();
    await shot(pub, 'zh-public-certificate');
  });

  await step('hub: the enterprise checks a use of a revoked scenario (no, with the reason in words) and of a scenario in force (yes)', async () => {
    await ent.goto(`${BASE}/ent/consent`);
    await ent.getByTestId('table-my-authorizations').locator('.ant-table-row').first().waitFor();
    assert(await ent.getByTestId('table-my-authorizations').locator('[data-in-force="false"]').count() > 0, 'no authorization shown not in force');
    await ent.getByTestId('hub-tab-check').click();
    const auths = items(await api('/data-authorizations?page_size=100', { token: await tokenOf(ent) }));
    const revoked = auths.find((a) => a.level === 'scenario' && a.data_class === 'public' && !a.in_force);
    const good = auths.find((a) => a.level === 'scenario' && a.data_class === 'public' && a.in_force);
    for (const [a, allowed] of [[revoked, false], [good, true]]) {
      if (!a) continue;
      await ent.getByTestId('check-scenario').click();
      await ent.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: a.name }).click();
      await ent.getByTestId('check-fields').click();
      await ent.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: a.fields[0] }).first().click();
      await ent.keyboard.press('Escape');
      await ent.getByTestId('check-resource').click();
      await ent.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: a.resources[0] }).first().click();
      await ent.getByTestId('check-submit').click();
      const res = ent.getByTestId('check-result');
      await res.waitFor();
      assert((await res.getAttribute('data-allowed')) === String(allowed), `the check of ${a.name} says allowed=${await res.getAttribute('data-allowed')}`);
      if (!allowed) assert((await res.innerText()).includes('授权已撤回'), `the refusal reads "${await res.innerText()}"`);
    }
    await shot(ent, 'zh-enterprise-consent-check');
  });

  await browser.close();
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}
main();
