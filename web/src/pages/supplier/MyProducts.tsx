import { PlusOutlined } from '@ant-design/icons';
import { UnitPrice } from '../../components/UnitPrice';
import { Alert, App, Button, Card, Drawer, Form, Input, Select, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../api/client';
import { PRODUCT_KINDS, type Product, type ProductInput } from '../../api/types';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { ServerTable } from '../../components/ServerTable';
import { parseYuanToFen } from '../../format';
import { normalizeArray, useAsync, useCities } from '../../hooks';
import { useT } from '../../i18n';

const BILLING_UNITS = ['gpu_hour', 'card_hour', 'cpu_core_hour', 'k_tokens', 'gb_month', 'gb_transferred'] as const;

/** Ids of products on any selected list (the public lists, one per kind). */
export function useSelectedIds() {
  return useAsync(async (s) => {
    const lists = await Promise.all(
      PRODUCT_KINDS.map((kind) =>
        api
          .get<Product[] | { items: Product[] }>('/public/selected-products', { kind, page_size: 200 }, s)
          .then(normalizeArray<Product>)
          .catch(() => [] as Product[]),
      ),
    );
    return new Set(lists.flat().map((p) => String(p.id)));
  }, []);
}

export default function MyProducts() {
  const { t, tEnum, tErr, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const { cities } = useCities();
  const selected = useSelectedIds();
  const [open, setOpen] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);
  const unit = Form.useWatch('billing_unit', form) as string | undefined;

  if (user?.supplier_id == null) return <Alert type="warning" showIcon message={t('sup.noBinding')} />;

  const cityName = (code?: string | null) => {
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : (code ?? '—');
  };

  const columns: ColumnsType<Product> = [
    { title: t('common.id'), dataIndex: 'id', key: 'id', sorter: true, width: 80 },
    { title: t('common.name'), dataIndex: 'name', key: 'name', sorter: true, render: (v: string) => <strong>{v}</strong> },
    { title: t('sel.kind'), dataIndex: 'kind', render: (v: string) => tEnum('pk', v) },
    { title: t('common.city'), dataIndex: 'city_code', render: (v: string | null) => cityName(v) },
    { title: t('sel.gpu'), dataIndex: 'gpu_model', render: (v) => v ?? '—' },
    { title: t('sel.price'), dataIndex: 'price_per_unit_fen', align: 'right', render: (v: number | null, r) => <UnitPrice fen={v} unit={r.billing_unit} /> },
    {
      title: t('sup.onList'),
      key: 'listed',
      render: (_, r) =>
        (r.eligible_programs?.length ?? 0) > 0 || selected.data?.has(String(r.id)) ? (
          <Tag color="success" data-testid="product-listed">{t('sup.listed')}</Tag>
        ) : (
          <Tag data-testid="product-not-listed">{t('sup.notListed')}</Tag>
        ),
    },
    { title: t('sel.description'), dataIndex: 'description', ellipsis: true },
  ];

  const onFinish = async (v: Record<string, string>) => {
    setBusy(true);
    setFormError(null);
    try {
      const body: ProductInput = { supplier_id: user.supplier_id, kind: v.kind, name: v.name, description: v.description ?? '' };
      if (v.city_code) body.city_code = v.city_code;
      if (v.kind === 'compute') {
        body.billing_unit = v.billing_unit ?? 'gpu_hour';
        if (v.gpu_model) body.gpu_model = v.gpu_model;
        body.price_per_unit_fen = parseYuanToFen(v.price_per_unit_fen);
      } else if (v.kind === 'model' && v.price_per_unit_fen) {
        // A model metered by tokens: model vouchers are drawn down by the tokens used.
        body.billing_unit = 'k_tokens';
        body.price_per_unit_fen = parseYuanToFen(v.price_per_unit_fen);
      }
      await api.post('/products', body);
      message.success(t('common.saved'));
      setOpen(false);
      form.resetFields();
      setReloadKey((k) => k + 1);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['kind', 'name', 'city_code', 'gpu_model', 'price_per_unit_fen', 'billing_unit', 'description'])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-sup-products">
      <PageHeader
        title={t('sup.products.title')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="product-new">{t('sup.newProduct')}</Button>}
      />
      <Card>
        <ServerTable testid="table-my-products" path="/products" query={{ supplier_id: String(user.supplier_id) }} columns={columns} reloadKey={reloadKey} />
      </Card>
      <Drawer title={t('sup.newProduct')} open={open} onClose={() => setOpen(false)} width={480} destroyOnClose>
        {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ kind: 'model' }}>
          <Form.Item name="kind" label={t('sel.kind')} rules={[{ required: true, message: t('err.required') }]}>
            <Select options={PRODUCT_KINDS.map((k) => ({ value: k, label: tEnum('pk', k) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('err.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="city_code" label={t('common.city')}>
            <Select allowClear options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))} />
          </Form.Item>
          {kind === 'compute' && (
            <>
              <Form.Item name="billing_unit" label={t('sel.billingUnit')} initialValue="gpu_hour" extra={t('sel.unitHelp')}>
                <Select data-testid="product-unit" options={BILLING_UNITS.map((u) => ({ value: u, label: tEnum('unit', u) }))} />
              </Form.Item>
              <Form.Item name="gpu_model" label={t('sel.gpu')} rules={[{ required: unit === 'gpu_hour' || unit === 'card_hour', message: t('err.required') }]}>
                <Input />
              </Form.Item>
              <Form.Item
                name="price_per_unit_fen"
                label={`${t('sel.price')}（${t('common.yuan')}）`}
                rules={[{ required: true, message: t('err.required') }, { validator: (_, v) => (!v || (parseYuanToFen(v) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('common.moneyInvalid')))) }]}
              >
                <Input prefix="¥" inputMode="decimal" suffix={`/ ${tEnum('unit', unit ?? 'gpu_hour')}`} />
              </Form.Item>
            </>
          )}
          {kind === 'model' && (
            <Form.Item
              name="price_per_unit_fen"
              label={`${t('sel.tokenPrice')}（${t('common.yuan')}）`}
              extra={t('sel.tokenPriceHelp')}
              rules={[{ validator: (_, v) => (!v || (parseYuanToFen(v) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('common.moneyInvalid')))) }]}
            >
              <Input prefix="¥" inputMode="decimal" suffix={`/ ${tEnum('unit', 'k_tokens')}`} data-testid="product-token-price" />
            </Form.Item>
          )}
          <Form.Item name="description" label={t('sel.description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('common.submit')}</Button>
        </Form>
      </Drawer>
    </div>
  );
}
