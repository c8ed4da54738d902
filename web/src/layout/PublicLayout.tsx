import { Button, Layout, Menu, Skeleton } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { homeFor, useAuth } from '../auth';
import { useT } from '../i18n';
import { Brand, LangSwitch } from './parts';

const { Header, Content, Footer } = Layout;

export function PublicLayout() {
  const { t } = useT();
  const { user } = useAuth();
  const loc = useLocation();
  const items = [
    { key: '/', label: <Link to="/" data-testid="nav-dashboard">{t('nav.dashboard')}</Link> },
    { key: '/public/products', label: <Link to="/public/products" data-testid="nav-selected">{t('nav.selected')}</Link> },
    { key: '/public/selections', label: <Link to="/public/selections" data-testid="nav-selections">{t('nav.selections')}</Link> },
    { key: '/public/notices', label: <Link to="/public/notices" data-testid="nav-notices">{t('nav.notices')}</Link> },
    { key: '/public/registrations', label: <Link to="/public/registrations" data-testid="nav-registrations">{t('nav.registry')}</Link> },
    { key: '/verify', label: <Link to="/verify" data-testid="nav-verify">{t('nav.verify')}</Link> },
    { key: '/public/disclosures', label: <Link to="/public/disclosures" data-testid="nav-disclosures">{t('nav.disclosures')}</Link> },
  ];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header className="public-header">
        <Brand />
        <Menu mode="horizontal" selectedKeys={[loc.pathname.startsWith('/verify') ? '/verify' : loc.pathname]} items={items} className="public-menu" />
        <div className="header-right">
          <LangSwitch />
          {user ? (
            <Link to={homeFor(user.role)}>
              <Button type="primary" data-testid="open-console">{t('nav.console')}</Button>
            </Link>
          ) : (
            <Link to="/login">
              <Button type="primary" data-testid="nav-login">{t('nav.login')}</Button>
            </Link>
          )}
        </div>
      </Header>
      <Content className="public-content">
        <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
          <Outlet />
        </Suspense>
      </Content>
      <Footer className="console-footer">{t('app.footer')}</Footer>
    </Layout>
  );
}
