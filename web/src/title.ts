// The document title: the page's name, then the platform's, in the chosen language.
import type { MsgKey } from './i18n/zh';

/** Pages outside the console (the public site and the login page), by path. */
export const PUBLIC_TITLES: Record<string, MsgKey> = {
  '/': 'nav.dashboard',
  '/public/products': 'nav.selected',
  '/public/notices': 'nav.notices',
  '/public/notices/:id': 'nav.noticeSheet',
  '/public/selections': 'nav.selections',
  '/public/registrations': 'nav.registry',
  '/public/disclosures': 'nav.disclosures',
  '/public/targets': 'nav.targets',
  '/public/screen': 'nav.screen',
  '/verify': 'nav.verify',
  '/verify/:code': 'nav.verify',
  '/certificate/:code': 'nav.certificate',
  '/verify-voucher': 'nav.verifyVoucher',
  '/verify-voucher/:number': 'nav.verifyVoucher',
  '/login': 'login.title',
};

/** Whether `path` is the page `pattern` names: the same segments, a `:param` segment standing for any one. */
export function matchesPage(pattern: string, path: string): boolean {
  if (!pattern.includes(':')) return pattern === path;
  const a = pattern.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((seg, i) => (seg.startsWith(':') ? b[i] !== '' : seg === b[i]));
}

/** The name of the page at `pathname`: a public page, a console page of `pages`, or "page not found". */
export function pageTitleKey(pathname: string, pages: readonly { path: string; label: MsgKey }[]): MsgKey {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const publicKey = PUBLIC_TITLES[path] ?? Object.entries(PUBLIC_TITLES).find(([pattern]) => matchesPage(pattern, path))?.[1];
  return publicKey ?? pages.find((p) => p.path === path)?.label ?? pages.find((p) => matchesPage(p.path, path))?.label ?? 'notFound.title';
}

/** "授予公示 · Quan 券 · 山东省人工智能要素券服务平台" / "Grant notices · Quan · Shandong AI Voucher Service Platform". */
export function documentTitle(t: (k: MsgKey) => string, pathname: string, pages: readonly { path: string; label: MsgKey }[]): string {
  return [t(pageTitleKey(pathname, pages)), t('app.name'), t('app.title')].join(' · ');
}
