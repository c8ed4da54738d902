import { App as AntApp, ConfigProvider, Result, Button, Skeleton } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, type ComponentType } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { I18nProvider, useT } from './i18n';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { PublicLayout } from './layout/PublicLayout';
import { mayOpen, PAGES, type PageDef } from './routes';

const Login = lazy(() => import('./pages/Login'));
const PublicDashboard = lazy(() => import('./pages/public/PublicDashboard'));
const SelectedProducts = lazy(() => import('./pages/public/SelectedProducts'));
const PublicNotices = lazy(() => import('./pages/public/PublicNotices'));

export function Forbidden() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  return (
    <Result
      status="403"
      title={<span data-testid="forbidden">{t('forbidden.title')}</span>}
      subTitle={t('forbidden.sub', { role: user ? tEnum('role', user.role) : '—' })}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.home')}</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  const { t } = useT();
  return (
    <Result
      status="404"
      title={<span data-testid="not-found">{t('notFound.title')}</span>}
      subTitle={t('notFound.sub')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.home')}</Button>
        </Link>
      }
    />
  );
}

/** Only the roles of the page see its content; everyone else gets the 403 page, never the content. */
function Guard({ page }: { page: PageDef }) {
  const { user, ready } = useAuth();
  const loc = useLocation();
  if (!user && !ready) return <Skeleton active />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (!mayOpen(page, user.role)) return <Forbidden />;
  const C: ComponentType = page.component;
  return <C key={page.path} />;
}

function RequireLogin({ children }: { children: React.ReactNode }) {
  const { user, ready } = useAuth();
  const loc = useLocation();
  if (!user && !ready) return <Skeleton active />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname)}`} replace />;
  return <>{children}</>;
}

function Localized({ children }: { children: React.ReactNode }) {
  const { lang } = useT();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        token: { colorPrimary: '#c8161d', colorLink: '#1456f0', borderRadius: 6, fontFamily: "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif" },
        components: { Layout: { headerBg: '#ffffff', siderBg: '#ffffff' } },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <I18nProvider>
      <Localized>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route element={<PublicLayout />}>
                <Route index element={<PublicDashboard />} />
                <Route path="public/products" element={<PublicProductsRoute />} />
                <Route path="public/notices" element={<PublicNotices />} />
              </Route>
              <Route
                path="login"
                element={
                  <Suspense fallback={<Skeleton active />}>
                    <Login />
                  </Suspense>
                }
              />
              <Route
                element={
                  <RequireLogin>
                    <ConsoleLayout />
                  </RequireLogin>
                }
              >
                {PAGES.map((p) => (
                  <Route key={p.path} path={p.path.slice(1)} element={<Guard page={p} />} />
                ))}
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </Localized>
    </I18nProvider>
  );
}

function PublicProductsRoute() {
  return <SelectedProducts />;
}
