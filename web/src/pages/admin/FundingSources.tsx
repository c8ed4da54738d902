import { PlusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Form, Input, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { FUNDING_LEVELS, type FundingSource, type FundingSourceInput, type FundingTopUp } from '../../api/types';
import { useAuth } from '../../auth';
import { Money, PageHeader } from '../../components/common';
import { formatDateTime } from '../../format';
import { applyServerFieldError } from '../../components/formErrors';
import { ServerTable } from '../../components/ServerTable';
import { parseYuanToFen } from '../../format';
import { invalidate, useCities } from '../../hooks';
import { useT } from '../../i18n';
import { UserName } from '../../components/UserName';
import { TopUpModal } from './TopUpModal';

export default function FundingSources() {
  const { t, tEnum, tErr, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [form] = Form.useForm();
  const submission = useSubmissionKey();
  const level = Form.useWatch('level', form);
  const isAdmin = user?.role === 'admin';
  const [toppingUp, setToppingUp] = useState<FundingSource | null>(null);
  const cityName = (code: string | null) => {
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : (code ?? '—');
  };

  const columns: ColumnsType<FundingSource> = [
    { title: t('common.id'), dataIndex: 'id', key: 'id', sorter: true, width: 70 },
    { title: t('common.name'), dataIndex: 'name', key: 'name', sorter: true, render: (v: string) => <strong>{v}</strong> },
    { title: t('fs.level'), dataIndex: 'level', render: (v: string) => <Tag color={v === 'province' ? 'geekblue' : v === 'city' ? 'cyan' : 'default'}>{tEnum('level', v)}</Tag> },
    { title: t('common.city'), dataIndex: 'city_code', render: (v: string | null) => cityName(v) },
    { title: t('fs.appropriated'), dataIndex: 'appropriated_fen', key: 'appropriated_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('fs.available'), dataIndex: 'available_fen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
    ...(isAdmin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: FundingSource) => (
              <Button size="small" type="link" icon={<PlusCircleOutlined />} onClick={() => setToppingUp(r)} data-testid={`funding-topup-${r.id}`} data-source-name={r.name}>
                {t('fs.topUp')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const onFinish = async (v: { name: string; level: string; city_code?: string; appropriated_fen: string }) => {
    setBusy(true);
    setFormError(null);
    try {
      const body: FundingSourceInput = { name: v.name, level: v.level, city_code: v.level === 'province' ? null : (v.city_code ?? null), appropriated_fen: parseYuanToFen(v.appropriated_fen)! };
      await submission.post('/funding-sources', body);
      invalidate('funding');
      message.success(t('fs.created'));
      setOpen(false);
      form.resetFields();
      setReloadKey((k) => k + 1);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['name', 'level', 'city_code', 'appropriated_fen'])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-admin-funding">
      <PageHeader
        title={t('fs.title')}
        extra={user?.role === 'admin' && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="funding-new">{t('fs.new')}</Button>}
      />
      <Card>
        <ServerTable
          testid="table-funding"
          path="/funding-sources"
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ expandable: { expandedRowRender: (r) => <TopUpHistory source={r} reloadKey={reloadKey} /> } }}
        />
      </Card>
      {isAdmin && (
        <TopUpModal
          source={toppingUp}
          onClose={() => setToppingUp(null)}
          onDone={() => {
            setToppingUp(null);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      <Drawer open={open} onClose={() => setOpen(false)} title={t('fs.new')} width={460} destroyOnClose>
        {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ level: 'province' }}>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('err.required') }]}>
            <Input maxLength={200} data-testid="funding-name" />
          </Form.Item>
          <Form.Item name="level" label={t('fs.level')} rules={[{ required: true, message: t('err.required') }]}>
            <Select options={FUNDING_LEVELS.map((l) => ({ value: l, label: tEnum('level', l) }))} />
          </Form.Item>
          {level !== 'province' && (
            <Form.Item name="city_code" label={t('common.city')} rules={[{ required: true, message: t('err.required') }]}>
              <Select showSearch optionFilterProp="label" options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))} />
            </Form.Item>
          )}
          <Form.Item
            name="appropriated_fen"
            label={`${t('fs.appropriated')}（${t('common.yuan')}）`}
            rules={[{ required: true, message: t('err.required') }, { validator: (_, v) => (!v || (parseYuanToFen(v) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('common.moneyInvalid')))) }]}
          >
            <Input prefix="¥" inputMode="decimal" data-testid="funding-amount" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="funding-submit">{t('common.submit')}</Button>
        </Form>
      </Drawer>
    </div>
  );
}

/** The top-ups of one source, newest first (an expanded row of the funding table). */
function TopUpHistory({ source, reloadKey }: { source: FundingSource; reloadKey: number }) {
  const { t, lang } = useT();
  const columns: ColumnsType<FundingTopUp> = [
    { title: t('fs.topUpAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span> },
    { title: t('fs.topUpAmount'), dataIndex: 'amount_fen', key: 'amount_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} strong /> },
    { title: t('fs.topUpDocument'), dataIndex: 'document', render: (v: string) => <span data-testid="topup-row-document">{v}</span> },
    { title: t('fs.topUpBy'), dataIndex: 'created_by', render: (v: string) => <UserName id={v} /> },
  ];
  return (
    <div style={{ padding: '4px 0' }}>
      {/* A block of its own, clear of the nested table (antd pulls an expanded row's table up). */}
      <Typography.Title level={5} style={{ fontSize: 14, margin: '0 0 20px' }}>
        {t('fs.topUpHistory')}
      </Typography.Title>
      <ServerTable
        urlKey={false}
        testid={`table-topups-${source.id}`}
        path={`/funding-sources/${source.id}/top-ups`}
        columns={columns}
        reloadKey={reloadKey}
        pageSize={10}
        emptyText={t('fs.topUpNone')}
      />
    </div>
  );
}
