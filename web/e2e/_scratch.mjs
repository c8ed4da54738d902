import { chromium } from 'playwright-core';
const BASE = 'http://127.0.0.1:18612';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function pageFor(user) {
  const c = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await c.newPage();
  p.setDefaultTimeout(15000);
  p.on('pageerror', (e) => console.log(`[${user} page error] ${e.message}`));
  p.on('console', (m) => { if (m.type() === 'error') console.log(`[${user} console] ${m.text().slice(0, 300)}`); });
  if (user !== 'public') {
    await p.goto(`${BASE}/login`);
    await p.getByTestId('login-username').fill(user);
    await p.getByTestId('login-password').fill('quan-demo');
    await p.getByTestId('login-submit').click();
    await p.getByTestId('current-role').waitFor();
  }
  return p;
}
const shots = process.argv.slice(2);
const plan = {
  enterprise: ['/ent/registrations', '/ent/consent', '/ent/consent?tab=consents', '/ent/consent?tab=check', '/ent/consent?tab=disclosure'],
  reviewer: ['/review/registrations'],
  admin: ['/admin/authorizations', '/review/registrations'],
  public: ['/public/registrations', '/verify/SD-DR-2026-000001', '/verify/SD-DR-2025-000013', '/verify/NOPE', '/certificate/SD-DR-2026-000001', '/public/disclosures'],
};
for (const [user, paths] of Object.entries(plan)) {
  const p = await pageFor(user);
  for (const path of paths) {
    await p.goto(`${BASE}${path}`);
    await p.waitForLoadState('networkidle').catch(() => {});
    await p.waitForTimeout(500);
    const name = `${user}${path.replace(/[/?=]/g, '-')}`;
    await p.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: false });
    console.log('shot', name);
  }
}
await browser.close();
