// A small in-memory stand-in for `quan demo`, following docs/API.md, for developing the web UI and
// its browser test while the Rust server is not ready. NOT the product: the e2e test targets the real
// server (QUAN_URL). Usage: node e2e/mock-server.mjs [port]  (serves dist/ with SPA fallback).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { randomUUID } from 'node:crypto';

const port = Number(process.argv[2] ?? 18081);
const dist = new URL('../dist/', import.meta.url).pathname;
const TODAY = '2026-03-02';
const now = () => new Date().toISOString();

const cities = [
  ['370100', '济南市', 'Jinan', true, 'jinan_qingdao_ai'], ['370200', '青岛市', 'Qingdao', true, 'jinan_qingdao_ai'], ['370300', '淄博市', 'Zibo', false, null],
  ['370400', '枣庄市', 'Zaozhuang', true, null], ['370500', '东营市', 'Dongying', false, null], ['370600', '烟台市', 'Yantai', false, null],
  ['370700', '潍坊市', 'Weifang', false, null], ['370800', '济宁市', 'Jining', false, null], ['370900', '泰安市', "Tai'an", false, null],
  ['371000', '威海市', 'Weihai', false, null], ['371100', '日照市', 'Rizhao', false, null], ['371300', '临沂市', 'Linyi', false, null],
  ['371400', '德州市', 'Dezhou', false, null], ['371500', '聊城市', 'Liaocheng', false, null], ['371600', '滨州市', 'Binzhou', false, null],
  ['371700', '菏泽市', 'Heze', false, null],
].map(([code, name_zh, name_en, compute_hub, pilot_zone]) => ({ code, name_zh, name_en, compute_hub, pilot_zone }));

let seq = 100;
const id = () => String(++seq);
const users = ['admin', 'reviewer', 'auditor', 'enterprise', 'supplier'].map((u, i) => ({
  id: `u${i}`, username: u, role: u, enterprise_id: u === 'enterprise' ? 'e1' : null, supplier_id: u === 'supplier' ? 's1' : null,
  display_name: { admin: '省发改委管理员', reviewer: '评审专家张工', auditor: '审计员李审', enterprise: '济南智算科技', supplier: '齐鲁算力中心' }[u],
}));
const tokens = new Map();
const db = {
  enterprises: [{ id: 'e1', uscc: '91370100MA3C0000X1', name: '济南智算科技有限公司', city_code: '370100', industry: 'I', size_class: 'small', pilot_zone: true, legal_rep: '王明', shareholders: ['王明', '刘芳'], created_at: now() }],
  suppliers: [{ id: 's1', name: '齐鲁算力中心', uscc: '91370100MA3C0001X2', kind: 'compute', city_code: '370100', legal_rep: '赵强', shareholders: [] }],
  products: [
    { id: 'p1', supplier_id: 's1', supplier_name: '齐鲁算力中心', kind: 'compute', name: 'A800 裸金属', city_code: '370100', gpu_model: 'A800', price_per_gpu_hour_fen: 1800, description: '济南枢纽', eligible_programs: [] },
    { id: 'p2', supplier_id: 's1', supplier_name: '齐鲁算力中心', kind: 'model', name: '齐鲁大模型', city_code: '370100', gpu_model: null, price_per_gpu_hour_fen: null, description: '', eligible_programs: [] },
  ],
  sources: [
    { id: 'f1', name: '省级人工智能发展资金', level: 'province', city_code: null, appropriated_fen: 100000000000, available_fen: 100000000000 },
    { id: 'f2', name: '济南市配套资金', level: 'city', city_code: '370100', appropriated_fen: 20000000000, available_fen: 20000000000 },
  ],
  programs: [], eligible: new Map(), applications: [], vouchers: [], redemptions: [], settlements: [], audit: [], invoices: new Set(),
};
const audit = (actor, action, entity, entity_id, after) => {
  const prev = db.audit.at(-1)?.hash ?? '0'.repeat(64);
  db.audit.push({ seq: db.audit.length + 1, at: now(), actor, action, entity, entity_id, after, prev_hash: prev, hash: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '') });
};

const err = (status, code, message, field = null) => ({ status, body: { code, message, field } });
const page = (items, q) => {
  const p = Number(q.get('page') ?? 1), ps = Number(q.get('page_size') ?? 50);
  if (ps > 200) throw err(400, 'page_size_too_large', 'page_size: at most 200', 'page_size');
  return { items: items.slice((p - 1) * ps, p * ps), total: items.length, page: p, page_size: ps };
};
const filt = (items, q, keys) => items.filter((x) => keys.every((k) => !q.get(k) || String(x[k]) === q.get(k)));
const need = (u, ...roles) => { if (!u) throw err(401, 'unauthorized', 'not logged in'); if (roles.length && !roles.includes(u.role)) throw err(403, 'forbidden', `role ${u.role} may not`); };
const find = (arr, i) => { const x = arr.find((y) => y.id === i); if (!x) throw err(404, 'not_found', 'not found'); return x; };
const progView = (p) => ({ ...p, funding: p.funding.map((f) => ({ ...f, source_name: db.sources.find((s) => s.id === f.source_id)?.name, allocated_fen: Math.floor((p.budget_fen * f.share_bps) / 10000) })) });
const idem = new Map();

function validateProgram(b, partial = false) {
  if (!partial || b.funding) {
    const sum = (b.funding ?? []).reduce((a, f) => a + f.share_bps, 0);
    if (sum !== 10000) throw err(400, 'shares_not_100', `funding: shares add up to ${sum} bps, not 10000`, 'funding');
  }
  if (b.rate_bps !== undefined && b.rate_bps > 10000) throw err(400, 'rate_over_100', 'rate_bps: over 100%', 'rate_bps');
  if (b.budget_fen !== undefined && b.budget_fen <= 0) throw err(400, 'amount_not_positive', 'budget_fen: must be positive', 'budget_fen');
}

async function handle(method, path, q, body, u, headers) {
  const m = (re) => path.match(re);
  let r;
  if (method === 'POST' && path === '/auth/login') {
    const user = users.find((x) => x.username === body.username);
    if (!user || body.password !== 'quan-demo') throw err(401, 'unauthorized', 'wrong username or password');
    const token = randomUUID(); tokens.set(token, user);
    return { token, expires_at: now(), user };
  }
  if (path === '/public/cities') return cities;
  if (path === '/public/dashboard') {
    const granted = db.vouchers.reduce((a, v) => a + v.face_value_fen, 0), spent = db.redemptions.reduce((a, x) => a + x.subsidy_fen, 0);
    const ent = (eid) => db.enterprises.find((e) => e.id === eid);
    const by_city = cities.map((c) => ({ city_code: c.code, name_zh: c.name_zh, name_en: c.name_en,
      granted_fen: db.vouchers.filter((v) => ent(v.enterprise_id)?.city_code === c.code).reduce((a, v) => a + v.face_value_fen, 0),
      spent_fen: db.redemptions.filter((x) => ent(x.enterprise_id)?.city_code === c.code).reduce((a, x) => a + x.subsidy_fen, 0) }));
    const by_voucher_type = ['compute', 'model', 'corpus', 'innovation'].map((vt) => ({ voucher_type: vt,
      budget_fen: db.programs.filter((p) => p.voucher_type === vt).reduce((a, p) => a + p.budget_fen, 0),
      granted_fen: db.vouchers.filter((v) => v.voucher_type === vt).reduce((a, v) => a + v.face_value_fen, 0),
      spent_fen: db.redemptions.filter((x) => db.vouchers.find((v) => v.id === x.voucher_id)?.voucher_type === vt).reduce((a, x) => a + x.subsidy_fen, 0) }));
    const months = [...new Set([...db.vouchers.map((v) => v.valid_from.slice(0, 7)), ...db.redemptions.map((x) => x.invoice_date.slice(0, 7))])].sort();
    return { totals: { budget_fen: db.programs.reduce((a, p) => a + p.budget_fen, 0), reserved_fen: db.applications.filter((a) => a.status === 'approved').reduce((a, x) => a + x.approved_fen, 0), granted_fen: granted, spent_fen: spent, settled_fen: 0, released_fen: 0, enterprises: new Set(db.vouchers.map((v) => v.enterprise_id)).size, vouchers: db.vouchers.length },
      by_city, by_voucher_type, by_month: months.map((mo) => ({ month: mo, granted_fen: db.vouchers.filter((v) => v.valid_from.startsWith(mo)).reduce((a, v) => a + v.face_value_fen, 0), spent_fen: db.redemptions.filter((x) => x.invoice_date.startsWith(mo)).reduce((a, x) => a + x.subsidy_fen, 0) })) };
  }
  if (path === '/public/selected-products') return page(db.products.filter((p) => p.eligible_programs.length && (!q.get('kind') || p.kind === q.get('kind'))), q);
  if (path === '/public/notices') return page(db.applications.filter((a) => a.status === 'approved').map((a) => ({ application_id: a.id, enterprise_name: a.enterprise_name, program_name: a.program_name, voucher_type: a.voucher_type, amount_fen: a.approved_fen, notice_ends_on: a.notice_ends_on })), q);
  need(u);
  if (path === '/me') return u;
  if (path === '/auth/logout') return {};
  if ((r = m(/^\/enterprises\/(\w+)$/))) {
    if (u.role === 'enterprise' && u.enterprise_id !== r[1]) throw err(404, 'not_found', 'not found');
    const e = find(db.enterprises, r[1]);
    if (method === 'PATCH') { need(u, 'admin', 'enterprise'); if (body.name === '') throw err(400, 'required', 'name: is required', 'name'); Object.assign(e, body); }
    return e;
  }
  if (path === '/suppliers') return page(db.suppliers, q);
  if (path === '/products') {
    if (method === 'POST') { need(u, 'admin', 'supplier'); const p = { id: id(), supplier_id: u.supplier_id ?? body.supplier_id, supplier_name: '齐鲁算力中心', eligible_programs: [], city_code: null, gpu_model: null, price_per_gpu_hour_fen: null, description: '', ...body }; db.products.push(p); return p; }
    return page(filt(db.products, q, ['supplier_id', 'kind']), q);
  }
  if (path === '/funding-sources') {
    need(u, 'admin', 'auditor');
    if (method === 'POST') { const s = { id: id(), available_fen: body.appropriated_fen, ...body }; db.sources.push(s); return s; }
    return page(db.sources, q);
  }
  if (path === '/programs') {
    if (method === 'POST') { need(u, 'admin'); validateProgram(body); const p = { id: id(), ...body, available_fen: body.budget_fen, reserved_fen: 0, created_at: now() }; db.programs.push(p); audit(u.username, 'program.create', 'program', p.id, p); return progView(p); }
    return page(filt(db.programs, q, ['voucher_type']).map(progView), q);
  }
  if ((r = m(/^\/programs\/(\w+)\/budget$/))) {
    need(u, 'admin', 'auditor'); const p = find(db.programs, r[1]);
    const vs = db.vouchers.filter((v) => v.program_id === p.id);
    const issued = vs.reduce((a, v) => a + v.face_value_fen, 0), reserved = db.applications.filter((a) => a.program_id === p.id && a.status === 'approved').reduce((a, x) => a + x.approved_fen, 0);
    const spent = db.redemptions.filter((x) => x.program_id === p.id);
    const months = [...new Set(spent.map((x) => x.invoice_date.slice(0, 7)))].sort();
    return { program_id: p.id, budget_fen: p.budget_fen, available_fen: p.budget_fen - issued - reserved, reserved_fen: reserved, issued_fen: issued, spent_fen: spent.reduce((a, x) => a + x.subsidy_fen, 0), released_fen: 0,
      sources: p.funding.map((f) => { const sh = (x) => Math.floor((x * f.share_bps) / 10000); return { source_id: f.source_id, source_name: db.sources.find((s) => s.id === f.source_id)?.name, share_bps: f.share_bps, allocated_fen: sh(p.budget_fen), available_fen: sh(p.budget_fen - issued - reserved), reserved_fen: sh(reserved), issued_fen: sh(issued), released_fen: 0 }; }),
      spent_by_month: months.map((mo) => ({ month: mo, amount_fen: spent.filter((x) => x.invoice_date.startsWith(mo)).reduce((a, x) => a + x.subsidy_fen, 0) })) };
  }
  if ((r = m(/^\/programs\/(\w+)\/eligible-products$/))) {
    const p = find(db.programs, r[1]);
    if (method === 'POST') { need(u, 'admin'); const pr = find(db.products, body.product_id); pr.eligible_programs.push(p.id); return pr; }
    return page(db.products.filter((x) => x.eligible_programs.includes(p.id)), q);
  }
  if ((r = m(/^\/programs\/(\w+)$/))) {
    const p = find(db.programs, r[1]);
    if (method === 'PATCH') { need(u, 'admin'); validateProgram(body, true); Object.assign(p, body); }
    return progView(p);
  }
  if (path === '/applications') {
    if (method === 'POST') {
      need(u, 'enterprise', 'admin');
      if (!headers['idempotency-key']) throw err(400, 'idempotency_key_required', 'Idempotency-Key header required');
      const p = find(db.programs, body.program_id);
      if (!(body.amount_fen > 0)) throw err(400, 'amount_not_positive', 'amount_fen: must be positive', 'amount_fen');
      if (body.amount_fen > p.face_value_cap_fen) throw err(400, 'not_eligible', 'amount_fen: over the cap per voucher', 'amount_fen');
      const e = find(db.enterprises, u.enterprise_id ?? body.enterprise_id);
      const a = { id: id(), program_id: p.id, program_name: p.name, voucher_type: p.voucher_type, enterprise_id: e.id, enterprise_name: e.name, city_code: e.city_code, amount_fen: body.amount_fen, plan: body.plan, status: 'submitted', approved_fen: null, reason: null, reviewer_id: null, notice_ends_on: null, voucher_id: null, conflicts: [], objections: [], created_at: now() };
      db.applications.push(a); audit(u.username, 'application.submit', 'application', a.id, a); return a;
    }
    let items = filt(db.applications, q, ['status', 'program_id']);
    if (u.role === 'enterprise') items = items.filter((a) => a.enterprise_id === u.enterprise_id);
    return page([...items].reverse(), q);
  }
  if ((r = m(/^\/applications\/(\w+)\/review$/))) {
    need(u, 'reviewer', 'admin'); const a = find(db.applications, r[1]);
    if (a.status !== 'submitted') throw err(409, 'invalid_state', 'already decided');
    if (body.decision === 'approve') { const p = find(db.programs, a.program_id); a.status = 'approved'; a.approved_fen = body.amount_fen ?? a.amount_fen; const d = new Date(TODAY); d.setDate(d.getDate() + p.notice_days); a.notice_ends_on = d.toISOString().slice(0, 10); }
    else { if (!body.reason) throw err(400, 'required', 'reason: is required', 'reason'); a.status = 'rejected'; a.reason = body.reason; }
    a.reviewer_id = u.id; audit(u.username, 'application.review', 'application', a.id, a); return a;
  }
  if ((r = m(/^\/applications\/(\w+)\/issue$/))) {
    need(u, 'admin'); const a = find(db.applications, r[1]);
    if (a.status !== 'approved') throw err(409, 'invalid_state', 'not in notice');
    const p = find(db.programs, a.program_id);
    const v = { id: id(), application_id: a.id, program_id: p.id, program_name: p.name, enterprise_id: a.enterprise_id, enterprise_name: a.enterprise_name, voucher_type: p.voucher_type, face_value_fen: a.approved_fen, balance_fen: a.approved_fen, redeemed_fen: 0, reversed_fen: 0, released_fen: 0, valid_from: TODAY, valid_until: p.valid_until, status: 'active', issued_at: now() };
    db.vouchers.push(v); a.status = 'issued'; a.voucher_id = v.id; audit(u.username, 'voucher.issue', 'voucher', v.id, v); return v;
  }
  if ((r = m(/^\/applications\/(\w+)$/))) { const a = find(db.applications, r[1]); if (u.role === 'enterprise' && a.enterprise_id !== u.enterprise_id) throw err(404, 'not_found', 'nf'); return a; }
  if ((r = m(/^\/vouchers\/(\w+)$/))) { const v = find(db.vouchers, r[1]); if (u.role === 'enterprise' && v.enterprise_id !== u.enterprise_id) throw err(404, 'not_found', 'nf'); return v; }
  if (path === '/vouchers') { let items = filt(db.vouchers, q, ['program_id']); if (u.role === 'enterprise') items = items.filter((v) => v.enterprise_id === u.enterprise_id); else need(u, 'admin', 'reviewer', 'auditor'); return page(items, q); }
  if (path === '/redemptions') {
    if (method === 'POST') {
      need(u, 'supplier', 'enterprise');
      if (!headers['idempotency-key']) throw err(400, 'idempotency_key_required', 'Idempotency-Key header required');
      if (!/^\d{20}$/.test(body.invoice_number ?? '')) throw err(400, 'invalid_invoice_number', `invoice_number: ${JSON.stringify(body.invoice_number)} is not 20 digits`, 'invoice_number');
      if (db.invoices.has(body.invoice_number)) throw err(409, 'duplicate_invoice', 'invoice already redeemed', 'invoice_number');
      const v = db.vouchers.find((x) => x.id === body.voucher_id); if (!v) throw err(404, 'not_found', 'voucher_id: no such voucher', 'voucher_id');
      const pr = find(db.products, body.product_id); if (!pr.eligible_programs.includes(v.program_id)) throw err(409, 'product_not_eligible', 'product_id: not on the list', 'product_id');
      const p = find(db.programs, v.program_id);
      const subsidy = Math.min(Math.floor((body.invoice_amount_fen * p.rate_bps) / 10000), v.balance_fen);
      v.balance_fen -= subsidy; v.redeemed_fen += subsidy; db.invoices.add(body.invoice_number);
      const x = { id: id(), voucher_id: v.id, program_id: v.program_id, enterprise_id: v.enterprise_id, enterprise_name: v.enterprise_name, supplier_id: pr.supplier_id, supplier_name: pr.supplier_name, product_id: pr.id, product_name: pr.name, invoice_number: body.invoice_number, invoice_amount_fen: body.invoice_amount_fen, invoice_date: body.invoice_date, subsidy_fen: subsidy, enterprise_pays_fen: body.invoice_amount_fen - subsidy, status: 'payable', settlement_id: null, created_at: now() };
      db.redemptions.push(x); audit(u.username, 'redemption.create', 'redemption', x.id, x); return x;
    }
    let items = filt(db.redemptions, q, ['status', 'program_id']);
    if (u.role === 'enterprise') items = items.filter((x) => x.enterprise_id === u.enterprise_id);
    if (u.role === 'supplier') items = items.filter((x) => x.supplier_id === u.supplier_id);
    return page(items, q);
  }
  if (path === '/settlements') {
    if (method === 'POST') { need(u, 'admin'); const items = db.redemptions.filter((x) => x.supplier_id === body.supplier_id && x.status === 'payable'); const s = { id: id(), supplier_id: body.supplier_id, supplier_name: '齐鲁算力中心', period: body.period, total_fen: items.reduce((a, x) => a + x.subsidy_fen, 0), item_count: items.length, created_by: u.id, created_at: now() }; items.forEach((x) => { x.status = 'settled'; x.settlement_id = s.id; }); db.settlements.push(s); return s; }
    return page(u.role === 'supplier' ? db.settlements.filter((s) => s.supplier_id === u.supplier_id) : db.settlements, q);
  }
  if ((r = m(/^\/settlements\/(\w+)\/statement\.csv$/))) { const s = find(db.settlements, r[1]); return { csv: `redemption_id,invoice_number,subsidy_fen\n${db.redemptions.filter((x) => x.settlement_id === s.id).map((x) => `${x.id},${x.invoice_number},${x.subsidy_fen}`).join('\n')}\n` }; }
  if (path === '/usage/summary') throw err(404, 'not_found', 'metering not implemented');
  if (path === '/audit') { need(u, 'admin', 'auditor'); return page([...db.audit].reverse(), q); }
  if (path === '/audit/verify') { need(u, 'admin', 'auditor'); return { ok: true, count: db.audit.length, head: db.audit.at(-1)?.hash ?? null }; }
  throw err(404, 'not_found', `no route ${method} ${path}`);
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/healthz') return res.end('ok');
  if (url.pathname.startsWith('/api/v1/')) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    let body = {};
    try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {}; } catch { res.writeHead(400, { 'Content-Type': 'application/json' }); return res.end(JSON.stringify({ code: 'malformed_json', message: 'bad json', field: null })); }
    const u = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const path = url.pathname.slice(7);
    const key = req.headers['idempotency-key'];
    try {
      if (key && idem.has(key)) { res.writeHead(200, { 'Content-Type': 'application/json' }); return res.end(idem.get(key)); }
      const out = await handle(req.method, path, url.searchParams, body, u, req.headers);
      if (out && typeof out.csv === 'string') { res.writeHead(200, { 'Content-Type': 'text/csv' }); return res.end(out.csv); }
      const s = JSON.stringify(out);
      if (key) idem.set(key, s);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(s);
    } catch (e) {
      if (e && e.status) { res.writeHead(e.status, { 'Content-Type': 'application/json' }); return res.end(JSON.stringify(e.body)); }
      console.error(e);
      res.writeHead(500, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ code: 'internal', message: String(e), field: null }));
    }
  }
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.html': 'text/html' };
  try {
    const f = join(dist, url.pathname);
    const data = await readFile(f);
    res.writeHead(200, { 'Content-Type': types[extname(f)] ?? 'application/octet-stream' });
    res.end(data);
  } catch {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(await readFile(join(dist, 'index.html')));
  }
}).listen(port, '127.0.0.1', () => console.log(`mock quan on http://127.0.0.1:${port}`));
