import { Button, Layout, Menu, Skeleton } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { homeFor, useAuth } from '../auth';
import { useT } from '../i18n';
import { Brand, LangSwitch, MAIN_ID, MenuButton, NavDrawer, SkipLink, useNavDrawer } from './parts';
import { usePhone } from '../screen';

const { Header, Content, Footer } = Layout;

function usePublicMenuItems() {
  const { t } = useT();
  return [
    { key: '/', label: <Link to="/" data-testid="nav-dashboard">{t('nav.dashboard')}</Link> },
    { key: '/public/products', label: <Link to="/public/products" data-testid="nav-selected">{t('nav.selected')}</Link> },
    { key: '/public/selections', label: <Link to="/public/selections" data-testid="nav-selections">{t('nav.selections')}</Link> },
    { key: '/public/notices', label: <Link to="/public/notices" data-testid="nav-notices">{t('nav.notices')}</Link> },
    { key: '/public/registrations', label: <Link to="/public/registrations" data-testid="nav-registrations">{t('nav.registry')}</Link> },
    { key: '/verify', label: <Link to="/verify" data-testid="nav-verify">{t('nav.verify')}</Link> },
    { key: '/public/disclosures', label: <Link to="/public/disclosures" data-testid="nav-disclosures">{t('nav.disclosures')}</Link> },
    { key: '/public/targets', label: <Link to="/public/targets" data-testid="nav-targets">{t('nav.targets')}</Link> },
    { key: '/public/screen', label: <Link to="/public/screen" data-testid="nav-screen">{t('nav.screen')}</Link> },
  ];
}

/** Sign-in, or the way back to the console when signed in. */
function ConsoleEntry({ block }: { block?: boolean }) {
  const { t } = useT();
  const { user } = useAuth();
  return user ? (
    <Link to={homeFor(user.role)}>
      <Button type="primary" block={block} data-testid="open-console">{t('nav.console')}</Button>
    </Link>
  ) : (
    <Link to="/login">
      <Button type="primary" block={block} data-testid="nav-login">{t('nav.login')}</Button>
    </Link>
  );
}

export function PublicLayout() {
  const { t } = useT();
  const loc = useLocation();
  const phone = usePhone();
  const drawer = useNavDrawer();
  const items = usePublicMenuItems();
  const selected = [(loc.pathname === '/verify' || loc.pathname.startsWith('/verify/')) ? '/verify' : loc.pathname];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <SkipLink />
      <Header className={phone ? 'public-header public-header-phone' : 'public-header'}>
        <Brand />
        {phone ? (
          // Below md the menu and sign-in are in a drawer: a horizontal menu would fold to nothing.
          <div className="header-right">
            <LangSwitch compact />
            <MenuButton onClick={drawer.show} />
          </div>
        ) : (
          <>
            <Menu mode="horizontal" selectedKeys={selected} items={items} className="public-menu" />
            <div className="header-right">
              <LangSwitch />
              <ConsoleEntry />
            </div>
          </>
        )}
      </Header>
      <Content className={phone ? 'public-content public-content-phone' : 'public-content'} id={MAIN_ID} tabIndex={-1}>
        <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
          <Outlet />
        </Suspense>
      </Content>
      <Footer className="console-footer">{t('app.footer')}</Footer>
      {phone && (
        <NavDrawer open={drawer.open} onClose={drawer.hide} title={t('nav.menu')}>
          <Menu mode="inline" selectedKeys={selected} items={items} style={{ borderInlineEnd: 'none' }} />
          <div style={{ padding: 16 }}>
            <ConsoleEntry block />
          </div>
        </NavDrawer>
      )}
    </Layout>
  );
}
