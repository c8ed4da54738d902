import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import {
  APPLICATION_STATUSES, ASSIGNMENT_STATUSES, INDUSTRY_SECTIONS, OUTCOMES, PAYEES, PRODUCT_KINDS, REDEMPTION_MODES, REDEMPTION_STATUSES, ROUND_STATUSES,
  SELECTION_OBJECTION_STATUSES, USAGE_REASONS, VOUCHER_STATUSES, VOUCHER_TYPES,
  AUTHORIZATION_LEVELS, DATA_CLASSES, DATA_GRADES, HOLDER_KINDS, REGISTRATION_KINDS, REGISTRATION_STATUSES, SUBJECT_KINDS, UPDATE_CYCLES,
} from '../api/types';
import { en } from './en';
import { CLIENT_ERROR_CODES, langLoaded, loadLang, translate, translateError } from './index';
import { zh } from './zh';

// English is a chunk of its own (issue 15): loaded on demand, Chinese until then.
describe('the English dictionary, loaded on demand', () => {
  it('is not in the bundle until asked for, then translates', async () => {
    expect(langLoaded('zh')).toBe(true);
    expect(langLoaded('en')).toBe(false);
    expect(translate('en', 'app.title')).toBe(zh['app.title']);
    await loadLang('en');
    expect(langLoaded('en')).toBe(true);
    expect(translate('en', 'app.title')).toBe(en['app.title']);
    await loadLang('en');
    expect(translate('en', 'app.title')).toBe('Shandong AI Voucher Service Platform');
  });
});

describe('i18n', () => {
  beforeAll(() => loadLang('en'));
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
  });
  it('translates every error code the client makes itself', () => {
    for (const code of CLIENT_ERROR_CODES) {
      expect(zh, code).toHaveProperty(`err.${code}`);
      expect(en, code).toHaveProperty(`err.${code}`);
    }
  });
  it('labels every value of the enums of the document', () => {
    const enums: [string, readonly string[]][] = [
      ['vt', VOUCHER_TYPES], ['appst', APPLICATION_STATUSES], ['vst', VOUCHER_STATUSES], ['rst', REDEMPTION_STATUSES],
      ['industry', INDUSTRY_SECTIONS], ['mode', REDEMPTION_MODES], ['payee', PAYEES], ['pk', PRODUCT_KINDS],
      ['srst', ROUND_STATUSES], ['sout', OUTCOMES], ['sasg', ASSIGNMENT_STATUSES], ['sobj', SELECTION_OBJECTION_STATUSES],
      ['regst', REGISTRATION_STATUSES], ['regkind', REGISTRATION_KINDS], ['holder', HOLDER_KINDS], ['grade', DATA_GRADES], ['cycle', UPDATE_CYCLES],
      ['alevel', AUTHORIZATION_LEVELS], ['dclass', DATA_CLASSES], ['subj', SUBJECT_KINDS],
      ['standing', ['valid', 'changed', 'cancelled', 'expired', 'not_registered']], ['right', ['holding', 'processing', 'operation']],
      ['regobj', ['open', 'upheld', 'dismissed']], ['regstep', ['apply', 'accept', 'return', 'resubmit', 'pass', 'reject', 'register', 'expire']],
      ['dr.standingSays', ['valid', 'changed', 'cancelled', 'expired', 'not_registered']], ['hub.classHint', DATA_CLASSES], ['hub.nameOf', AUTHORIZATION_LEVELS],
    ];
    for (const [prefix, values] of enums)
      for (const v of values) {
        expect(zh, `${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
        expect(en, `${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
      }
  });
  it('translates every usage rejection reason', () => {
    for (const code of USAGE_REASONS) {
      expect(zh, code).toHaveProperty(`usageReason.${code}`);
      expect(en, code).toHaveProperty(`usageReason.${code}`);
    }
  });
  it('translates errors by code and falls back to the server message', () => {
    const known = new ApiError(400, 'invalid_invoice_number', 'invoice_number: expected 20 digits', 'invoice_number');
    expect(translateError('zh', known)).toBe('发票号码应为 20 位数字');
    expect(translateError('en', known)).toBe('An invoice number has 20 digits');
    const unknown = new ApiError(400, 'brand_new_code', 'something the UI does not know yet');
    expect(translateError('en', unknown)).toBe('something the UI does not know yet');
  });
  it('translates the codes of sorting, idempotency, dates and the yearly-cap edit', () => {
    const sort = new ApiError(400, 'invalid_sort', 'sort: "bogus" is not a sort key here; use one of seq, at, action', 'sort');
    expect(translateError('zh', sort)).toBe('该列表不支持按此列排序');
    expect(translateError('en', sort)).toBe('This list cannot be sorted by that column');
    const reused = new ApiError(422, 'idempotency_key_reused', 'Idempotency-Key was already used for a different request', 'Idempotency-Key');
    expect(translateError('zh', reused)).toContain('幂等键');
    expect(translateError('en', reused)).toContain('idempotency key');
    const date = new ApiError(400, 'invalid_date', 'from: "2026-13-01" is not a date in the form YYYY-MM-DD', 'from');
    expect(translateError('zh', date)).toContain('日期无效');
    expect(translateError('en', date)).toContain('Invalid date');
    const busy = new ApiError(503, 'busy', 'the database is busy; retry with the same Idempotency-Key');
    expect(translateError('en', busy)).toContain('busy');
  });
  it('names the figure of cap_below_usage from the server message', () => {
    const cap = new ApiError(409, 'cap_below_usage', 'enterprise_year_cap_fen: an enterprise has already drawn 3000.00 yuan from this program this year; the cap cannot go below that', 'enterprise_year_cap_fen');
    expect(translateError('zh', cap)).toContain('¥3,000.00');
    expect(translateError('en', cap)).toContain('¥3,000.00');
    expect(translateError('en', cap)).toContain('cannot go below');
    const bare = new ApiError(409, 'cap_below_usage', 'cap too low', 'enterprise_year_cap_fen');
    expect(translateError('zh', bare)).toBe('企业年度上限不能低于企业今年在本项目中已使用的金额');
  });
  it('names the held payables of payables_held, not a figure of the entry\'s reason', () => {
    const held = new ApiError(
      409,
      'payables_held',
      'the supplier is on the dishonesty list since 2026-05-01 (entry dis_1: 虚开发票 88 yuan; source: 青岛市税务局稽查通知 2026-117), so it cannot be settled; its payables (600.00 yuan) are held until the entry is lifted',
    );
    expect(translateError('zh', held)).toContain('¥600.00');
    expect(translateError('zh', held)).not.toContain('88');
    expect(translateError('en', held)).toContain('¥600.00');
    expect(translateError('zh', new ApiError(409, 'payables_held', 'held'))).toBe('该服务商在失信名单有效期内，应付款项暂缓结算，移出名单后方可结算');
  });
  it('names the minimum invoice of below_min_invoice and the vouchers still active of a refused close', () => {
    const min = new ApiError(400, 'below_min_invoice', 'invoice_amount_fen: the program pays for invoices of at least 100000.00 yuan; this one is 99999.99', 'invoice_amount_fen');
    expect(translateError('zh', min)).toContain('¥100,000.00');
    expect(translateError('zh', min)).not.toMatch(/[A-Za-z]/);
    expect(translateError('en', min)).toMatch(/at least (CN)?¥100,000\.00/);
    expect(translateError('zh', new ApiError(400, 'below_min_invoice', 'too small'))).toBe('发票金额低于本项目的最低发票金额，不予核销补贴');
    const active = new ApiError(409, 'program_has_active_vouchers', '3 vouchers of the program are still active; they expire after their validity (or an administrator expires them) before the program can close');
    expect(translateError('zh', active)).toContain('仍有 3 张有效的要素券');
    expect(translateError('zh', active)).not.toMatch(/[A-Za-z]/);
    expect(translateError('en', active)).toMatch(/^3 vouchers/);
    expect(translateError('zh', new ApiError(409, 'program_has_active_vouchers', 'still active'))).toBe('该项目仍有有效的要素券，须待券到期（或由管理员作过期处理）后才能关闭');
    expect(translateError('zh', new ApiError(409, 'supplier_cap', 'voucher_id: the supplier has been paid this program\'s cap per supplier'))).toContain('单个服务商补贴上限');
  });
  it('keeps the dishonesty refusal generic in Chinese: no entry id, reason or English text', () => {
    const listed = new ApiError(409, 'dishonest', 'the enterprise is on the dishonesty list since 2026-03-01 (entry dis_9: fake invoices; source: 鲁财监〔2026〕12号), so it cannot redeem a voucher');
    const zhText = translateError('zh', listed);
    expect(zhText).toContain('失信名单');
    expect(zhText).not.toMatch(/[A-Za-z]/);
  });
  it('tells a contract claimed in another program from metered usage subsidised twice, and names the contract amount passed', () => {
    const twice = new ApiError(409, 'double_subsidy', 'contract_id: the contract was already claimed in program prg_1; one contract is subsidised by one program', 'contract_id');
    expect(translateError('zh', twice)).toContain('另一个项目');
    expect(translateError('en', twice)).toContain('another program');
    expect(translateError('zh', new ApiError(409, 'double_subsidy', 'metered usage of this product in that month was already subsidised'))).toBe('该企业本月使用该产品的计量用量已获补贴，同一月份不重复补贴');
    const over = new ApiError(409, 'over_contract', "contract_id: with 300.00 yuan already claimed, this invoice passes the contract's amount of 1000.00 yuan", 'contract_id');
    expect(translateError('zh', over)).toContain('¥1,000.00');
    expect(translateError('zh', over)).not.toMatch(/[A-Za-z]/);
    expect(translateError('zh', new ApiError(409, 'over_contract', 'too much'))).toBe('连同此前已申领的金额，本张发票超出了合同金额');
  });
  it('speaks of the enterprise when a reimbursement run is refused, of the supplier when a settlement is', () => {
    expect(translateError('zh', new ApiError(409, 'already_settled', 'period: 2026-09 is already settled for this enterprise', 'period'))).toContain('该企业');
    expect(translateError('zh', new ApiError(409, 'already_settled', 'period: 2026-09 is already settled for this supplier', 'period'))).toContain('该服务商');
    expect(translateError('en', new ApiError(409, 'nothing_to_settle', 'nothing is payable to this enterprise up to the end of 2026-10'))).toContain('reimbursable to this enterprise');
    const held = new ApiError(409, 'payables_held', 'the enterprise is on the dishonesty list since 2026-05-01 (entry dis_2: x; source: y), so it cannot be settled; its payables (1200.00 yuan) are held until the entry is lifted');
    expect(translateError('zh', held)).toContain('该企业');
    expect(translateError('zh', held)).toContain('¥1,200.00');
  });
  it('labels both redemption modes and both payees', () => {
    for (const k of ['mode.supplier_redeems', 'mode.enterprise_reimbursed', 'payee.supplier', 'payee.enterprise', 'policy.modeHint.supplier_redeems', 'policy.modeHint.enterprise_reimbursed'])
      for (const table of [zh, en]) expect(table, k).toHaveProperty([k]);
  });
  it('names the dates and figures of the selection rounds\' refusals, in Chinese without English', () => {
    const call = new ApiError(409, 'call_open', 'the call for entries runs until 2026-03-31');
    expect(translateError('zh', call)).toContain('2026-03-31');
    expect(translateError('zh', call)).not.toMatch(/[A-Za-z]/);
    expect(translateError('en', call)).toContain('Mar 31, 2026');
    expect(translateError('zh', new ApiError(409, 'notice_running', 'the notice runs until 2026-12-10'))).toContain('2026-12-10');
    expect(translateError('zh', new ApiError(409, 'objections_open', '2 objections are not yet resolved'))).toContain('2 件异议');
    expect(translateError('en', new ApiError(409, 'scores_missing', '3 assigned score sheets are not in yet'))).toMatch(/^3 assigned score sheets/);
    const few = new ApiError(400, 'too_few_records', 'record_count: 5000 records; the round needs at least 100000', 'record_count');
    expect(translateError('zh', few)).toContain('100,000');
    expect(translateError('en', few)).toContain('100,000');
    expect(translateError('zh', new ApiError(400, 'too_few_records', 'too few'))).toBe('语料记录数低于本轮遴选的最低要求');
    expect(translateError('zh', new ApiError(409, 'not_selected', 'only a selected entry can be objected to'))).toBe('只能对入选的产品提出异议');
    expect(translateError('zh', new ApiError(409, 'not_selected', 'product_id: a model or corpus program lists only the products its year\'s selection round selected', 'product_id'))).toContain('当年遴选');
    expect(translateError('en', new ApiError(400, 'weights_sum', 'criteria: the weights sum to 90, not 100', 'criteria'))).toBe('The criteria weights must sum to 100');
  });
  it('speaks of usage keys when a usage key is refused for a supplier that is not a compute one, and names the key a batch lacks the signature of', () => {
    const usage = new ApiError(409, 'not_compute_supplier', 'supplier_id: a model supplier sends no metered usage', 'supplier_id');
    expect(translateError('zh', usage)).toContain('签名密钥');
    expect(translateError('zh', usage)).not.toMatch(/[A-Za-z]/);
    expect(translateError('en', usage)).toContain('signing key');
    expect(translateError('zh', new ApiError(409, 'not_compute_supplier', 'supplier_id: a corpus supplier operates no compute sites', 'supplier_id'))).toContain('算力设施');
    const missing = new ApiError(400, 'signature_missing', 'Quan-Signature: this supplier signs its usage (key 0123456789abcdef); the batch carries no signature', 'Quan-Signature');
    expect(translateError('zh', missing)).toBe('该服务商已登记签名密钥（指纹 0123456789abcdef），批次必须附带签名');
    expect(translateError('en', missing)).toContain('0123456789abcdef');
    expect(translateError('zh', new ApiError(400, 'signature_missing', 'unsigned'))).toBe('该供应商已登记签名密钥，批次必须附带签名');
  });
  it('fills placeholders', () => {
    expect(translate('zh', 'common.total', { n: 5 })).toBe('共 5 条');
    expect(translate('en', 'apply.done', { id: 'A-1' })).toBe('Application A-1 submitted');
  });
});
