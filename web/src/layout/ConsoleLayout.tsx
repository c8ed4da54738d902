import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Badge, Button, Dropdown, Layout, Menu, Skeleton, Tag, Typography, type MenuProps } from 'antd';
import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, matchPath, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import type { Todo } from '../api/types';
import { useAuth } from '../auth';
import { useT } from '../i18n';
import { menuPages, PAGES, testIdFor } from '../routes';
import { DASHBOARD_ICON, MENU_ICONS } from './menuIcons';
import { Brand, LangSwitch, MAIN_ID, MenuButton, NavDrawer, SkipLink, useNavDrawer } from './parts';
import { usePhone } from '../screen';
import { TODO_REFRESH_MS, todoCounts } from '../todos';

const { Header, Sider, Content, Footer } = Layout;

type Group = { key: string; label: string; children: NonNullable<MenuProps['items']>; type: 'group' };

/**
 * What waits for the signed-in user (GET /me/todos), by page path: fetched on sign-in, then again
 * on a change of page, at most once a minute. A failed fetch leaves the badges as they were.
 */
function useTodoCounts(): Map<string, number> {
  const { user } = useAuth();
  const { pathname } = useLocation();
  const [counts, setCounts] = useState<Map<string, number>>(() => new Map());
  const last = useRef<{ user: string; at: number } | null>(null);
  const uid = user ? String(user.id) : '';
  useEffect(() => {
    if (!uid) {
      last.current = null;
      setCounts(new Map());
      return;
    }
    const now = Date.now();
    if (last.current && last.current.user === uid && now - last.current.at < TODO_REFRESH_MS) return;
    if (last.current?.user !== uid) setCounts(new Map());
    last.current = { user: uid, at: now };
    let live = true;
    api
      .get<Todo[]>('/me/todos')
      .then((r) => live && setCounts(todoCounts(Array.isArray(r) ? r : [])))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [uid, pathname]);
  return counts;
}

/** The signed-in user's pages, grouped as the routes group them, then the public dashboard. */
function useMenuItems(): Group[] {
  const { user } = useAuth();
  const { t } = useT();
  const counts = useTodoCounts();
  return useMemo(() => {
    if (!user) return [];
    const groups: Group[] = [];
    for (const p of menuPages(user.role)) {
      let g = groups.find((x) => x.key === p.group);
      if (!g) {
        g = { key: p.group, label: t(p.group), children: [], type: 'group' };
        groups.push(g);
      }
      g.children.push({
        key: p.path,
        icon: MENU_ICONS[p.path],
        label: (
          <Link to={p.path} data-testid={testIdFor(p.path)} className="menu-link">
            {t(p.label)}
            {counts.get(p.path) ? (
              <Badge
                count={counts.get(p.path)}
                overflowCount={99}
                size="small"
                className="menu-badge"
                title={t('todo.badge', { n: counts.get(p.path)! })}
                aria-label={t('todo.badge', { n: counts.get(p.path)! })}
                data-testid={`todo-${testIdFor(p.path)}`}
                data-count={counts.get(p.path)}
              />
            ) : null}
          </Link>
        ),
      });
    }
    groups.push({
      key: 'public',
      label: t('nav.public'),
      type: 'group',
      children: [{ key: '/', icon: DASHBOARD_ICON, label: <Link to="/" data-testid="menu-public">{t('nav.dashboard')}</Link> }],
    });
    return groups;
  }, [user, t, counts]);
}

/** The menu entry of the page shown (a page's sub-pages select their page). */
function useSelectedPage(): string {
  const loc = useLocation();
  const reachedFrom = PAGES.find((p) => p.hidden && p.from && matchPath(p.path, loc.pathname))?.from;
  if (reachedFrom) return reachedFrom;
  return PAGES.find((p) => !p.hidden && (loc.pathname === p.path || loc.pathname.startsWith(`${p.path}/`)))?.path ?? loc.pathname;
}

/** Who is signed in, with sign-out; on a phone the avatar and the role only. */
function UserMenu({ phone }: { phone: boolean }) {
  const { user, logout } = useAuth();
  const { t, tEnum } = useT();
  const nav = useNavigate();
  if (!user) return null;
  const items: MenuProps['items'] = [
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('nav.logout')}</span>,
      onClick: async () => {
        await logout();
        nav('/login');
      },
    },
  ];
  return (
    <Dropdown menu={{ items }}>
      <Button type="text" data-testid="user-menu" style={phone ? { paddingInline: 4 } : undefined}>
        <Avatar size="small" icon={<UserOutlined />} style={{ background: 'var(--quan-primary)' }} />
        <span style={{ marginLeft: 8 }} data-testid="current-user" className={phone ? 'sr-only' : undefined}>
          {user.display_name || user.username}
        </span>
        <Tag style={{ marginLeft: phone ? 4 : 8, marginInlineEnd: 0 }} data-testid="current-role" data-role={user.role}>
          {tEnum('role', user.role)}
        </Tag>
      </Button>
    </Dropdown>
  );
}

export function ConsoleLayout() {
  const { t } = useT();
  const items = useMenuItems();
  const selected = useSelectedPage();
  const phone = usePhone();
  const drawer = useNavDrawer();
  const menu = <Menu mode="inline" selectedKeys={[selected]} items={items} data-testid="side-menu" />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <SkipLink />
      {/* Below md the menu is a drawer opened from the header; the Sider folds away below lg. */}
      {!phone && (
        <Sider width={224} breakpoint="lg" collapsedWidth={0} theme="light" className="console-sider">
          <div className="sider-brand">
            <Brand compact />
          </div>
          {menu}
        </Sider>
      )}
      <Layout>
        <Header className={phone ? 'console-header console-header-phone' : 'console-header'}>
          {phone && <MenuButton onClick={drawer.show} />}
          <Typography.Text strong className="console-title">
            {t('app.title')}
          </Typography.Text>
          <div className="header-right">
            <LangSwitch compact={phone} />
            <UserMenu phone={phone} />
          </div>
        </Header>
        <Content className={phone ? 'console-content console-content-phone' : 'console-content'} id={MAIN_ID} tabIndex={-1}>
          <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
            <Outlet />
          </Suspense>
        </Content>
        <Footer className="console-footer">{t('app.footer')}</Footer>
      </Layout>
      {phone && (
        <NavDrawer open={drawer.open} onClose={drawer.hide} title={<Brand compact />}>
          {menu}
        </NavDrawer>
      )}
    </Layout>
  );
}
