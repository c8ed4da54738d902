// The platform's users (administrators): who they are, their role, and what they are bound to. A
// new user gets a role and, for a reviewer, optionally a city: a city reviewer sees only the
// applications of enterprises in that city and decides the city levels of review chains.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import type { User } from '../../api/types';
import { PageHeader } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { PartySelect } from '../../components/PartySelect';
import { ServerTable } from '../../components/ServerTable';
import { invalidate, useCities } from '../../hooks';
import { useT } from '../../i18n';
import { bindingOf, CREATABLE_ROLES, PASSWORD_MIN, userBody, type UserValues } from './newUser';

const ROLE_COLOR: Record<string, string> = { admin: 'red', reviewer: 'blue', enterprise: 'green', supplier: 'purple', auditor: 'gold' };

function useCityName() {
  const { lang } = useT();
  const { cities } = useCities();
  return (code: string | null | undefined) => {
    if (!code) return undefined;
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : code;
  };
}

export default function Users() {
  const { t, tEnum } = useT();
  const cityName = useCityName();
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  const columns: ColumnsType<User> = [
    { title: t('login.username'), dataIndex: 'username', key: 'username', sorter: true, render: (v: string) => <span className="mono" data-testid="user-row-username">{v}</span> },
    { title: t('users.displayName'), dataIndex: 'display_name' },
    { title: t('users.role'), dataIndex: 'role', key: 'role', sorter: true, render: (v: string) => <Tag color={ROLE_COLOR[v]}>{tEnum('role', v)}</Tag> },
    {
      title: t('users.binding'),
      key: 'binding',
      render: (_, r) => {
        const b = bindingOf(r.role);
        if (b === 'city') return r.city_code ? <span data-testid="user-city" data-city={r.city_code}>{cityName(r.city_code)}</span> : <Typography.Text type="secondary">{t('users.cityProvince')}</Typography.Text>;
        if (b === 'enterprise') return r.enterprise_id ? <span className="mono">{r.enterprise_id}</span> : '—';
        if (b === 'supplier') return r.supplier_id ? <span className="mono">{r.supplier_id}</span> : '—';
        return '—';
      },
    },
    { title: t('common.id'), dataIndex: 'id', render: (v: string) => <Typography.Text type="secondary" className="mono">{v}</Typography.Text> },
  ];

  return (
    <div data-testid="page-admin-users">
      <PageHeader
        title={t('nav.admin.users')}
        sub={t('users.sub')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-new">
            {t('users.create')}
          </Button>
        }
      />
      <Card>
        <ServerTable testid="table-users" path="/users" columns={columns} reloadKey={reloadKey} />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          invalidate('users');
          setReloadKey((k) => k + 1);
        }}
      />
    </div>
  );
}

const USER_FIELDS = ['username', 'display_name', 'password', 'role', 'city_code', 'enterprise_id', 'supplier_id'];

function CreateUserModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (u: User) => void }) {
  const { t, tErr, tEnum, lang } = useT();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [form] = Form.useForm<UserValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const role = Form.useWatch('role', form);
  const binding = bindingOf(role);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setFormError(null);
    }
  }, [open, form]);

  const submit = async () => {
    let v: UserValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const created = await submission.post<User>('/users', userBody(v));
      message.success(t('users.created', { name: created.display_name || created.username }));
      onDone(created);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), USER_FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('users.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ ...({ 'data-testid': 'user-submit' } as object) }}
      destroyOnHidden
      data-testid="user-modal"
    >
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="user-error" /> : null}
      <Form form={form} layout="vertical" initialValues={{ role: 'reviewer' }} data-testid="user-form">
        <Form.Item name="username" label={t('login.username')} extra={t('users.usernameHint')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
          <Input maxLength={64} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="display_name" label={t('users.displayName')} extra={t('users.displayNameHint')}>
          <Input maxLength={100} data-testid="user-display-name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.password')}
          extra={t('users.passwordHint', { min: PASSWORD_MIN })}
          rules={[
            { required: true, message: t('err.required') },
            { min: PASSWORD_MIN, message: t('users.passwordShort', { min: PASSWORD_MIN }) },
          ]}
        >
          <Input.Password maxLength={256} autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('err.required') }]}>
          <Select options={CREATABLE_ROLES.map((r) => ({ value: r, label: tEnum('role', r) }))} data-testid="user-role" />
        </Form.Item>
        {binding === 'city' && (
          <Form.Item name="city_code" label={t('users.city')} extra={t('users.cityHint')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t('users.cityProvince')}
              options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))}
              data-testid="user-city"
            />
          </Form.Item>
        )}
        {binding === 'enterprise' && (
          <Form.Item name="enterprise_id" label={t('users.enterprise')} rules={[{ required: true, message: t('err.required') }]}>
            <PartySelect kind="enterprise" placeholder={t('users.enterprisePh')} testid="user-enterprise" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {binding === 'supplier' && (
          <Form.Item name="supplier_id" label={t('users.supplier')} rules={[{ required: true, message: t('err.required') }]}>
            <PartySelect kind="supplier" placeholder={t('users.supplierPh')} testid="user-supplier" style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
