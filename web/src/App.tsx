import { App as AntApp, ConfigProvider, Result, Button, Skeleton } from 'antd';
// The ES modules of the locales: `antd/locale/*` is CommonJS re-exporting `lib/`, whose default the
// bundler handed over as `{ default: … }`, so antd silently fell back to English ("/ page").
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { BrowserRouter, Link, matchPath, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { ClockProvider } from './clock';
import { I18nProvider, useT } from './i18n';
import { ConsoleShell } from './layout/parts';
import { PublicLayout } from './layout/PublicLayout';
import { usePhone } from './screen';
import { mayOpen, PAGES, preloadPage, type PageDef } from './routes';
import { documentTitle } from './title';

const Login = lazy(() => import('./pages/Login'));
const PublicDashboard = lazy(() => import('./pages/public/PublicDashboard'));
const SelectedProducts = lazy(() => import('./pages/public/SelectedProducts'));
const PublicNotices = lazy(() => import('./pages/public/PublicNotices'));
const NoticeSheet = lazy(() => import('./pages/public/NoticeSheet'));
const PublicSelections = lazy(() => import('./pages/public/Selections'));
const PublicTargets = lazy(() => import('./pages/public/Targets'));
const PublicRegistrations = lazy(() => import('./pages/public/Registrations'));
const Verify = lazy(() => import('./pages/public/Verify'));
const Certificate = lazy(() => import('./pages/public/Certificate'));
const VerifyVoucher = lazy(() => import('./pages/public/VerifyVoucher'));
const PublicDisclosures = lazy(() => import('./pages/public/Disclosures'));
// The console's frame (menu, to-do badges, user menu) only once signed in: the public pages do not load it.
const ConsoleLayout = lazy(() => import('./layout/ConsoleLayout').then((m) => ({ default: m.ConsoleLayout })));
// The big screen: full-screen, outside the public layout, in a chunk of its own (with the map).
const BigScreen = lazy(() => import('./pages/public/BigScreen'));

export function Forbidden() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  return (
    <Result
      status="403"
      title={<h1 className="inline-h1" data-testid="forbidden">{t('forbidden.title')}</h1>}
      subTitle={t('forbidden.sub', { role: user ? tEnum('role', user.role) : '—' })}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.home')}</Button>
        </Link>
      }
    />
  );
}

/** Any URL that is no page of the app (in the chosen language, with the switch in the header). */
export function NotFound() {
  const { t } = useT();
  const { pathname } = useLocation();
  return (
    <Result
      status="404"
      title={<h1 className="inline-h1" data-testid="not-found">{t('notFound.title')}</h1>}
      subTitle={
        <>
          {t('notFound.sub')}
          <div className="mono" style={{ marginTop: 4 }}>{pathname}</div>
        </>
      }
      extra={
        <Link to="/" data-testid="not-found-home">
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

/**
 * The platform's primary colour, a government blue; red (antd's colorError) is kept for errors and
 * danger only. Also in styles.css (--quan-primary) and the charts' palette (components/Chart.tsx).
 */
export const PRIMARY = '#1f5fbf';

const THEME = {
  token: {
    colorPrimary: PRIMARY,
    colorInfo: PRIMARY,
    colorLink: PRIMARY,
    borderRadius: 6,
    fontFamily: "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: { Layout: { headerBg: '#ffffff', siderBg: '#ffffff' } },
};

/** antd's locale and dayjs's (month and weekday names in the date pickers) follow the language switch. */
function Localized({ children }: { children: React.ReactNode }) {
  const { lang } = useT();
  // Set during render, not in an effect: the pickers below format with the global dayjs locale on
  // this very render.
  const dayjsLocale = lang === 'zh' ? 'zh-cn' : 'en';
  if (dayjs.locale() !== dayjsLocale) dayjs.locale(dayjsLocale);
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** The document title names the page and the platform in the chosen language. */
function DocumentTitle() {
  const { t } = useT();
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = documentTitle(t, pathname, PAGES);
  }, [t, pathname]);
  return null;
}

/** The console's frame (a lazy chunk), with the chunk of the page asked for at the same time. */
function ConsoleFrame() {
  const { pathname } = useLocation();
  const { user } = useAuth();
  const page = PAGES.find((p) => matchPath(p.path, pathname));
  const preload = page && user && mayOpen(page, user.role) ? page : null;
  const phone = usePhone();
  useEffect(() => {
    if (preload) preloadPage(preload);
  }, [preload]);
  return (
    <Suspense fallback={<ConsoleShell phone={phone} />}>
      <ConsoleLayout />
    </Suspense>
  );
}

export default function App() {
  return (
    <I18nProvider>
      <ClockProvider>
      <Localized>
        <AuthProvider>
          <BrowserRouter>
            <DocumentTitle />
            <Routes>
              <Route element={<PublicLayout />}>
                <Route index element={<PublicDashboard />} />
                <Route path="public/products" element={<PublicProductsRoute />} />
                <Route path="public/notices" element={<PublicNotices />} />
                <Route path="public/notices/:id" element={<NoticeSheet />} />
                <Route path="public/selections" element={<PublicSelections />} />
                <Route path="public/targets" element={<PublicTargets />} />
                <Route path="public/registrations" element={<PublicRegistrations />} />
                <Route path="public/disclosures" element={<PublicDisclosures />} />
                <Route path="verify" element={<Verify />} />
                <Route path="verify/:code" element={<Verify />} />
                <Route path="certificate/:code" element={<Certificate />} />
                <Route path="verify-voucher" element={<VerifyVoucher />} />
                <Route path="verify-voucher/:number" element={<VerifyVoucher />} />
                {/* Any URL that is no page of the app, signed in or not: a 404 with a link home, not the login page. */}
                <Route path="*" element={<NotFound />} />
              </Route>
              <Route
                path="public/screen"
                element={
                  <Suspense fallback={<Skeleton active />}>
                    <BigScreen />
                  </Suspense>
                }
              />
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
                    <ConsoleFrame />
                  </RequireLogin>
                }
              >
                {PAGES.map((p) => (
                  <Route key={p.path} path={p.path.slice(1)} element={<Guard page={p} />} />
                ))}
              </Route>
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </Localized>
      </ClockProvider>
    </I18nProvider>
  );
}

function PublicProductsRoute() {
  return <SelectedProducts />;
}
