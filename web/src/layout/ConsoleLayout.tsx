import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Layout, Menu, Skeleton, Tag, Typography, type MenuProps } from 'antd';
import { Suspense, useMemo } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useT } from '../i18n';
import { DASHBOARD_ICON, menuPages, PAGES, testIdFor } from '../routes';
import { Brand, LangSwitch } from './parts';

const { Header, Sider, Content, Footer } = Layout;

export function ConsoleLayout() {
  const { user, logout } = useAuth();
  const { t, tEnum } = useT();
  const loc = useLocation();
  const nav = useNavigate();

  const items = useMemo(() => {
    if (!user) return [];
    const mine = menuPages(user.role);
    type Group = { key: string; label: string; children: NonNullable<MenuProps['items']>; type: 'group' };
    const groups: Group[] = [];
    for (const p of mine) {
      let g = groups.find((x) => x.key === p.group);
      if (!g) {
        g = { key: p.group, label: t(p.group), children: [], type: 'group' };
        groups.push(g);
      }
      g.children.push({
        key: p.path,
        icon: p.icon,
        label: (
          <Link to={p.path} data-testid={testIdFor(p.path)}>
            {t(p.label)}
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
  }, [user, t]);

  const selected = PAGES.find((p) => !p.hidden && (loc.pathname === p.path || loc.pathname.startsWith(`${p.path}/`)))?.path ?? loc.pathname;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={224} breakpoint="lg" collapsedWidth={0} theme="light" className="console-sider">
        <div className="sider-brand">
          <Brand compact />
        </div>
        <Menu mode="inline" selectedKeys={[selected]} items={items} data-testid="side-menu" />
      </Sider>
      <Layout>
        <Header className="console-header">
          <Typography.Text strong className="console-title">
            {t('app.title')}
          </Typography.Text>
          <div className="header-right">
            <LangSwitch />
            {user && (
              <Dropdown
                menu={{
                  items: [
                    {
                      key: 'logout',
                      icon: <LogoutOutlined />,
                      label: <span data-testid="logout">{t('nav.logout')}</span>,
                      onClick: async () => {
                        await logout();
                        nav('/login');
                      },
                    },
                  ],
                }}
              >
                <Button type="text" data-testid="user-menu">
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: 'var(--quan-primary)' }} />
                  <span style={{ marginLeft: 8 }} data-testid="current-user">
                    {user.display_name || user.username}
                  </span>
                  <Tag style={{ marginLeft: 8 }} data-testid="current-role" data-role={user.role}>
                    {tEnum('role', user.role)}
                  </Tag>
                </Button>
              </Dropdown>
            )}
          </div>
        </Header>
        <Content className="console-content">
          <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
            <Outlet />
          </Suspense>
        </Content>
        <Footer className="console-footer">{t('app.footer')}</Footer>
      </Layout>
    </Layout>
  );
}
