import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import type { Role } from '../api/types';
import { homeFor, useAuth } from '../auth';
import { useT } from '../i18n';
import { Brand, LangSwitch } from '../layout/parts';
import { mayOpen, PAGES } from '../routes';
import { PUBLIC_TITLES } from '../title';

const DEMO_PASSWORD = 'quan-demo';
const DEMO_USERS: Role[] = ['admin', 'reviewer', 'auditor', 'enterprise', 'supplier'];
// Set VITE_HIDE_DEMO_USERS=1 at build time for a production build without the hint.
const SHOW_DEMO = !import.meta.env.VITE_HIDE_DEMO_USERS;

export default function Login() {
  const { t, tErr } = useT();
  const { login, user, expired } = useAuth();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user && !busy) return <Navigate to={homeFor(user.role)} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const u = await login(v.username.trim(), v.password);
      const next = params.get('next');
      // Go back where the user was headed only if the role may open it (a public page, e.g. the
      // selected list to object to an entry, anyone may).
      const ok = next && ((next !== '/login' && Object.hasOwn(PUBLIC_TITLES, next)) || PAGES.some((p) => next.startsWith(p.path) && mayOpen(p, u.role)));
      nav(ok ? next! : homeFor(u.role), { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const errText = error instanceof ApiError && (error.status === 401 || error.code === 'unauthorized') ? t('login.failed') : error ? tErr(error) : null;

  return (
    <div className="login-wrap">
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LangSwitch />
      </div>
      <Space direction="vertical" size={20} className="login-card">
        <div style={{ textAlign: 'center' }}>
          <Brand />
        </div>
        <Card title={<h1 className="inline-h1">{t('login.title')}</h1>}>
          {expired && <Alert type="warning" showIcon message={t('session.expired')} style={{ marginBottom: 16 }} />}
          {errText && <Alert type="error" showIcon message={errText} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="login-form">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('err.required') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" size="large" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('err.required') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" size="large" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        {SHOW_DEMO && (
          <Card size="small" title={t('login.demoTitle')} data-testid="demo-users">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('login.demoHint', { pw: DEMO_PASSWORD })}
            </Typography.Paragraph>
            <Space wrap>
              {DEMO_USERS.map((u) => (
                <Tag
                  key={u}
                  className="demo-user"
                  color="blue"
                  data-testid={`demo-user-${u}`}
                  onClick={() => form.setFieldsValue({ username: u, password: DEMO_PASSWORD })}
                >
                  {u} · {t(`role.${u}`)}
                </Tag>
              ))}
            </Space>
          </Card>
        )}
      </Space>
    </div>
  );
}
