import { beforeAll, describe, expect, it } from 'vitest';
import { loadLang, translate } from './i18n';
import type { MsgKey } from './i18n/zh';
import { documentTitle, matchesPage, pageTitleKey } from './title';

// English is loaded on demand (i18n/index.tsx); these tests read it.
beforeAll(() => loadLang('en'));

const PAGES: { path: string; label: MsgKey }[] = [
  { path: '/admin/programs', label: 'nav.admin.programs' },
  { path: '/ent/vouchers', label: 'nav.ent.vouchers' },
  { path: '/admin/selection', label: 'nav.admin.selection' },
  { path: '/admin/selection/:id', label: 'nav.admin.selectionRound' },
];

describe('document title', () => {
  it('names public pages, console pages and unknown ones', () => {
    expect(pageTitleKey('/', PAGES)).toBe('nav.dashboard');
    expect(pageTitleKey('/public/notices/', PAGES)).toBe('nav.notices');
    expect(pageTitleKey('/login', PAGES)).toBe('login.title');
    expect(pageTitleKey('/admin/programs', PAGES)).toBe('nav.admin.programs');
    expect(pageTitleKey('/admin/programs/7', PAGES)).toBe('notFound.title');
    expect(pageTitleKey('/no-such-page', PAGES)).toBe('notFound.title');
    expect(pageTitleKey('/public/selections', PAGES)).toBe('nav.selections');
  });
  it('names a page with an id in its path', () => {
    expect(pageTitleKey('/admin/selection', PAGES)).toBe('nav.admin.selection');
    expect(pageTitleKey('/admin/selection/sel_1', PAGES)).toBe('nav.admin.selectionRound');
    expect(pageTitleKey('/admin/selection/sel_1/', PAGES)).toBe('nav.admin.selectionRound');
    expect(pageTitleKey('/admin/selection/sel_1/entries', PAGES)).toBe('notFound.title');
    expect(matchesPage('/admin/selection/:id', '/admin/selection/')).toBe(false);
  });
  it('names the public pages of the data resource register, with a code in the path', () => {
    expect(pageTitleKey('/public/registrations', PAGES)).toBe('nav.registry');
    expect(pageTitleKey('/verify', PAGES)).toBe('nav.verify');
    expect(pageTitleKey('/verify/SD-DR-2026-000001', PAGES)).toBe('nav.verify');
    expect(pageTitleKey('/certificate/SD-DR-2026-000001', PAGES)).toBe('nav.certificate');
    expect(pageTitleKey('/certificate', PAGES)).toBe('notFound.title');
    expect(pageTitleKey('/verify-voucher/SD-VC-2026-000001', PAGES)).toBe('nav.verifyVoucher');
  });
  it('follows the language', () => {
    expect(documentTitle((k) => translate('zh', k), '/ent/vouchers', PAGES)).toBe('我的券 · Quan 券 · 山东省人工智能要素券服务平台');
    expect(documentTitle((k) => translate('en', k), '/ent/vouchers', PAGES)).toBe('My vouchers · Quan · Shandong AI Voucher Service Platform');
  });
});
