import { GlobalOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Layout, Skeleton } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useT } from '../i18n';

export function Brand({ compact }: { compact?: boolean }) {
  const { t } = useT();
  return (
    <Link to="/" className="brand" data-testid="brand">
      <span className="brand-mark">券</span>
      <span className="brand-text">
        <span className="brand-name">{t('app.name')}</span>
        {!compact && <span className="brand-sub">{t('app.title')}</span>}
      </span>
    </Link>
  );
}

/** The language switch; `compact` (a phone's header): the globe only, the language as its name. */
export function LangSwitch({ compact }: { compact?: boolean }) {
  const { lang, setLang, t } = useT();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      data-testid="lang-switch"
      data-lang={lang}
      aria-label={compact ? t('lang.switch') : undefined}
    >
      {compact ? null : t('lang.switch')}
    </Button>
  );
}

/** The open state of a layout's menu drawer; it closes when the page changes. */
export function useNavDrawer() {
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]);
  const show = useCallback(() => setOpen(true), []);
  const hide = useCallback(() => setOpen(false), []);
  return { open, show, hide };
}

/** The header's hamburger that opens the menu drawer on a phone. */
export function MenuButton({ onClick }: { onClick: () => void }) {
  const { t } = useT();
  return <Button type="text" icon={<MenuOutlined />} onClick={onClick} aria-label={t('nav.openMenu')} data-testid="menu-button" className="menu-button" />;
}

/** The menu drawer of a phone, from the left. */
export function NavDrawer({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  const { t } = useT();
  return (
    <Drawer open={open} onClose={onClose} placement="left" width={280} title={title} aria-label={t('nav.menu')} styles={{ body: { padding: 0 } }}>
      <nav aria-label={t('nav.menu')} data-testid="nav-drawer">
        {children}
      </nav>
    </Drawer>
  );
}

/** The element a layout's skip link moves the focus to (its <main>, with tabIndex -1). */
export const MAIN_ID = 'main-content';

/** "Skip to main content": the layout's first focusable element, shown only when focused. */
export function SkipLink() {
  const { t } = useT();
  const skip = (e: React.MouseEvent<HTMLAnchorElement>) => {
    const main = document.getElementById(MAIN_ID);
    if (!main) return;
    e.preventDefault();
    main.focus();
  };
  return (
    <a href={`#${MAIN_ID}`} className="skip-link" onClick={skip} data-testid="skip-link">
      {t('a11y.skipToMain')}
    </a>
  );
}

/**
 * The console's frame while its chunk loads (ConsoleLayout is lazy, App.tsx): the sider with the
 * brand and the header with the title where they will be, and a skeleton for the page. Plain
 * elements where antd's would pull more code into the first page's bundle.
 */
export function ConsoleShell({ phone }: { phone: boolean }) {
  const { t } = useT();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* Where the Sider will be (it folds away below lg); a plain element, not antd's Sider. */}
      {!phone && (
        <div className="console-sider console-shell-sider">
          <div className="sider-brand">
            <Brand compact />
          </div>
        </div>
      )}
      <Layout>
        <Layout.Header className={phone ? 'console-header console-header-phone' : 'console-header'}>
          <strong className="console-title">{t('app.title')}</strong>
        </Layout.Header>
        <Layout.Content className={phone ? 'console-content console-content-phone' : 'console-content'}>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
