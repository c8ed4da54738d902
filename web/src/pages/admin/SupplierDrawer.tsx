// One supplier as the administrator sees it: its file, its standing (suspended and why), its
// products, and — for an administrator — a form that corrects the file or suspends the supplier.
import { EditOutlined, KeyOutlined } from '@ant-design/icons';
import { UnitPrice } from '../../components/UnitPrice';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Form, Input, Row, Select, Skeleton, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Product, Supplier } from '../../api/types';
import { DateText, ErrorState } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { ServerTable } from '../../components/ServerTable';
import { useAsync, useCities, useCityName } from '../../hooks';
import { useT } from '../../i18n';
import { supplierPatchBody, type SupplierDraft } from './partyFile';

/** Whether the supplier may be paid: suspended (with the reason on hover) or active. */
export function SuspendedTag({ supplier }: { supplier: Pick<Supplier, 'suspended' | 'suspend_reason'> }) {
  const { t } = useT();
  return (
    <span data-testid="supplier-suspended" data-suspended={String(supplier.suspended)}>
      {supplier.suspended ? (
        <Tooltip title={supplier.suspend_reason || undefined}>
          <Tag color="warning">{t('supAdmin.suspended')}</Tag>
        </Tooltip>
      ) : (
        <Tag color="success">{t('supAdmin.active')}</Tag>
      )}
    </span>
  );
}

export function SupplierDrawer({ id, canEdit, onClose, onSaved }: { id: string | null; canEdit: boolean; onClose: () => void; onSaved: () => void }) {
  const { t, tEnum, lang } = useT();
  const cityName = useCityName(lang);
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState(false);
  useEffect(() => setEditing(false), [id]);
  const { data: s, error, loading, reload } = useAsync(
    (sig) => (id ? api.get<Supplier>(`/suppliers/${id}`, undefined, sig) : Promise.resolve(undefined)),
    [id, reloadKey],
  );

  const products: ColumnsType<Product> = [
    { title: t('common.name'), dataIndex: 'name', key: 'name', sorter: true },
    { title: t('supAdmin.kind'), dataIndex: 'kind', render: (v: string) => tEnum('pk', v) },
    { title: t('supAdmin.price'), dataIndex: 'price_per_unit_fen', render: (v?: number | null, r?: { billing_unit?: string | null }) => <UnitPrice fen={v} unit={r?.billing_unit} /> },
    { title: t('supAdmin.programs'), dataIndex: 'eligible_programs', render: (v: string[]) => v?.length ?? 0 },
    {
      title: t('common.status'),
      dataIndex: 'suspended',
      render: (v: boolean, r) => (v ? <Tag color="warning" title={r.suspend_reason ?? undefined}>{t('supAdmin.suspended')}</Tag> : <Tag color="success">{t('supAdmin.active')}</Tag>),
    },
  ];

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={Math.min(900, typeof window === 'undefined' ? 900 : window.innerWidth)}
      title={s?.name ?? t('supAdmin.drawer')}
      destroyOnHidden
      data-testid="supplier-drawer"
      extra={
        s && (s.kind === 'compute' || (canEdit && !editing)) ? (
          <Space wrap>
            {/* A compute supplier's usage signing keys: a page of their own (registering one changes what usage it may send). */}
            {s.kind === 'compute' ? (
              <Tooltip title={t('uk.openHint')}>
                <Link to={`/admin/suppliers/${encodeURIComponent(s.id)}/usage-keys`} data-testid="supplier-usage-keys">
                  <Button icon={<KeyOutlined />}>{t('uk.open')}</Button>
                </Link>
              </Tooltip>
            ) : null}
            {canEdit && !editing ? (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="supplier-edit">
                {t('common.edit')}
              </Button>
            ) : null}
          </Space>
        ) : undefined
      }
    >
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !s ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : s ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {s.suspended ? (
            <Alert
              type="warning"
              showIcon
              message={t('supAdmin.suspendedTitle')}
              description={
                <>
                  <div data-testid="supplier-suspend-reason">{t('supAdmin.reasonIs', { reason: s.suspend_reason || '—' })}</div>
                  <div>{t('supAdmin.suspendEffect')}</div>
                </>
              }
            />
          ) : null}
          {editing ? (
            <EditForm
              supplier={s}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setReloadKey((k) => k + 1);
                onSaved();
              }}
            />
          ) : (
            <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} data-testid="supplier-file">
              <Descriptions.Item label={t('common.name')} span={2}>{s.name}</Descriptions.Item>
              <Descriptions.Item label={t('ent.uscc')}><span className="mono">{s.uscc}</span></Descriptions.Item>
              <Descriptions.Item label={t('common.id')}><span className="mono">{s.id}</span></Descriptions.Item>
              <Descriptions.Item label={t('supAdmin.kind')}>{tEnum('pk', s.kind)}</Descriptions.Item>
              <Descriptions.Item label={t('common.city')}>{cityName(s.city_code)}</Descriptions.Item>
              <Descriptions.Item label={t('ent.legalRep')}>{s.legal_rep || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ent.actualController')}>{s.actual_controller || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ent.shareholders')} span={2}>{s.shareholders?.join(lang === 'zh' ? '、' : ', ') || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ent.credit')}>
                {s.dishonest ? <Tag color="error">{t('ent.creditListed')}</Tag> : <Tag color="success">{t('ent.creditOk')}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('supAdmin.standing')}><SuspendedTag supplier={s} /></Descriptions.Item>
              <Descriptions.Item label={t('common.createdAt')}><DateText d={s.created_at} /></Descriptions.Item>
            </Descriptions>
          )}
          <Card size="small" title={t('supAdmin.products')}>
            <ServerTable urlKey={false} testid="table-supplier-products" path="/products" query={{ supplier_id: s.id }} columns={products} pageSize={10} />
          </Card>
        </Space>
      ) : null}
    </Drawer>
  );
}

type Values = { [K in keyof SupplierDraft]: NonNullable<SupplierDraft[K]> };
const FIELDS = ['name', 'city_code', 'legal_rep', 'actual_controller', 'shareholders', 'suspended', 'suspend_reason'];

function EditForm({ supplier, onCancel, onSaved }: { supplier: Supplier; onCancel: () => void; onSaved: () => void }) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [form] = Form.useForm<Values>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const initial: Values = {
    name: supplier.name,
    city_code: supplier.city_code,
    legal_rep: supplier.legal_rep,
    actual_controller: supplier.actual_controller ?? '',
    shareholders: [...(supplier.shareholders ?? [])],
    suspended: supplier.suspended,
    suspend_reason: supplier.suspend_reason ?? '',
  };
  const draft = Form.useWatch([], form) as SupplierDraft | undefined;
  const suspended = Form.useWatch('suspended', form) ?? supplier.suspended;
  const body = draft ? supplierPatchBody(supplier, draft) : null;

  const onFinish = async (v: Values) => {
    const b = supplierPatchBody(supplier, v);
    if (!b) return;
    setBusy(true);
    setFormError(null);
    try {
      await submission.patch<Supplier>(`/suppliers/${supplier.id}`, b);
      message.success(b.suspended === true && !supplier.suspended ? t('supAdmin.suspendedDone') : b.suspended === false ? t('supAdmin.liftedDone') : t('common.saved'));
      onSaved();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('supAdmin.editTitle')}>
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="supplier-edit-error" /> : null}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={onFinish} data-testid="supplier-form">
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="city_code" label={t('common.city')} rules={[{ required: true, message: t('err.required') }]}>
              <Select showSearch optionFilterProp="label" options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="legal_rep" label={t('ent.legalRep')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="actual_controller" label={t('ent.actualController')} extra={t('ent.actualControllerHint')}>
              <Input maxLength={100} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="shareholders" label={t('ent.shareholders')} extra={t('ent.shareholdersHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="suspended" label={t('supAdmin.suspend')} valuePropName="checked" extra={t('supAdmin.suspendEffect')}>
              <Switch data-testid="supplier-suspend" />
            </Form.Item>
          </Col>
          {suspended ? (
            <Col xs={24}>
              <Form.Item name="suspend_reason" label={t('supAdmin.reason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
                <Input.TextArea rows={2} maxLength={1000} data-testid="supplier-suspend-reason-input" />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!body} danger={!!body?.suspended && !supplier.suspended} data-testid="supplier-save">
            {t('common.save')}
          </Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          {!body && <Typography.Text type="secondary">{t('entAdmin.noChange')}</Typography.Text>}
        </Space>
      </Form>
    </Card>
  );
}
