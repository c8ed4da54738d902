// 算力设施登记: the computing-power registry's sites (GET /compute-sites: a supplier's own, every
// site for staff) and the registration form (POST /compute-sites): a compute supplier registers its
// own sites, an administrator registers one for a supplier it names. The list endpoint answers every
// row at once (no server pages), so the table pages and sorts in the browser.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Form, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { useAuth } from '../../auth';
import { DateText, EmptyState, ErrorState, PageHeader } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { PartySelect } from '../../components/PartySelect';
import { InputNumber } from '../../components/InputNumber';
import { formatDateTime, formatNumber } from '../../format';
import { normalizeArray, useAsync, useCities } from '../../hooks';
import { useT } from '../../i18n';
import { hubsForCity, KINDS, MAX_ACCELERATORS, pflopsProblem, reportedField, SITE_FIELDS, siteBody, type ComputeSite, type SiteFormValues } from './computeSite';

type FormValues = Omit<SiteFormValues, 'commissioned_on'> & { commissioned_on?: Dayjs };

export default function ComputeSites() {
  const { t, tEnum, tErr, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [form] = Form.useForm<FormValues>();
  const submission = useSubmissionKey();
  const city = Form.useWatch('city_code', form);
  const kind = Form.useWatch('kind', form);
  const isAdmin = user?.role === 'admin';
  const isSupplier = user?.role === 'supplier';
  const mayRegister = isAdmin || (isSupplier && user?.supplier_id != null);
  const sites = useAsync((s) => api.get<ComputeSite[]>('/compute-sites', undefined, s).then(normalizeArray<ComputeSite>), []);

  const cityName = (code?: string | null) => {
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : (code ?? '—');
  };
  const pf = (v: number) => formatNumber(v, lang, 3);

  const columns: ColumnsType<ComputeSite> = [
    { title: t('cs.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name), render: (v: string) => <strong>{v}</strong> },
    ...(isSupplier ? [] : [{ title: t('cs.supplier'), dataIndex: 'supplier_name', sorter: (a: ComputeSite, b: ComputeSite) => a.supplier_name.localeCompare(b.supplier_name) }]),
    { title: t('common.city'), dataIndex: 'city_code', render: (v: string) => cityName(v) },
    { title: t('cs.hub'), dataIndex: 'hub', render: (v: string | null | undefined) => (v ? <Tag color="blue">{tEnum('tg.hubName', v)}</Tag> : t('cs.noHub')) },
    { title: t('cs.kind'), dataIndex: 'kind', render: (v: string) => tEnum('cs.kind', v) },
    { title: t('cs.commissionedOn'), dataIndex: 'commissioned_on', defaultSortOrder: 'ascend', sorter: (a, b) => a.commissioned_on.localeCompare(b.commissioned_on), render: (v: string) => <DateText d={v} /> },
    { title: t('cs.fp16'), dataIndex: 'fp16_pflops', align: 'right', sorter: (a, b) => a.fp16_pflops - b.fp16_pflops, render: pf },
    { title: t('cs.fp64'), dataIndex: 'fp64_pflops', align: 'right', sorter: (a, b) => a.fp64_pflops - b.fp64_pflops, render: pf },
    { title: t('cs.accelerators'), key: 'acc', align: 'right', render: (_, r) => (r.accelerator_count > 0 ? `${r.accelerator_model ?? ''} × ${formatNumber(r.accelerator_count, lang, 0)}` : '—') },
    { title: t('cs.registeredAt'), dataIndex: 'registered_at', render: (v: string) => formatDateTime(v, lang) },
  ];

  const onFinish = async (v: FormValues) => {
    setBusy(true);
    setFormError(null);
    try {
      const body = siteBody({ ...v, commissioned_on: v.commissioned_on?.format('YYYY-MM-DD') ?? '' }, isAdmin);
      await submission.post('/compute-sites', body);
      message.success(t('cs.registered'));
      setOpen(false);
      form.resetFields();
      sites.reload();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), [...SITE_FIELDS])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const pflopsRule = {
    validator: (_: unknown, v: unknown) => {
      const p = pflopsProblem(v as string);
      return p ? Promise.reject(new Error(t(p === 'decimals' ? 'cs.pflopsDecimals' : 'cs.pflopsNumber'))) : Promise.resolve();
    },
  };
  const required = { required: true, message: t('err.required') };
  const reported = reportedField(kind);
  const hubOptions = hubsForCity(city);

  return (
    <div data-testid="page-compute-sites">
      <PageHeader
        title={t('cs.title')}
        sub={t(isSupplier ? 'cs.subSupplier' : 'cs.subStaff')}
        extra={
          mayRegister ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="compute-site-new">
              {t('cs.new')}
            </Button>
          ) : null
        }
      />
      {isSupplier && user?.supplier_id == null ? <Alert type="warning" showIcon message={t('sup.noBinding')} style={{ marginBottom: 16 }} /> : null}
      <Card>
        {sites.error ? (
          <ErrorState error={sites.error} onRetry={sites.reload} />
        ) : (
          <div data-testid="table-compute-sites">
            <Table<ComputeSite>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={sites.data ?? []}
              loading={sites.loading}
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (n) => t('common.total', { n }) }}
              locale={{ emptyText: <EmptyState description={t('cs.none')} /> }}
            />
          </div>
        )}
      </Card>
      <Drawer title={t('cs.new')} open={open} onClose={() => setOpen(false)} width={520} destroyOnClose>
        {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="compute-site-error" /> : null}
        <Form<FormValues>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={{ kind: 'intelligent', hub: null }}
          onValuesChange={(changed) => {
            // A hub belongs to one city: a change of city drops a hub that is not that city's.
            if ('city_code' in changed && !hubsForCity(changed.city_code).includes(form.getFieldValue('hub'))) form.setFieldValue('hub', null);
          }}
          data-testid="compute-site-form"
        >
          {isAdmin && (
            <Form.Item name="supplier_id" label={t('cs.supplier')} rules={[required]} extra={t('cs.supplierHint')}>
              <PartySelect kind="supplier" placeholder={t('cs.pickSupplier')} testid="compute-site-supplier" />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('cs.name')} rules={[required]}>
            <Input maxLength={200} data-testid="compute-site-name" />
          </Form.Item>
          <Form.Item name="city_code" label={t('common.city')} rules={[required]}>
            <Select
              data-testid="compute-site-city"
              showSearch
              optionFilterProp="label"
              placeholder={t('cs.pickCity')}
              options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))}
            />
          </Form.Item>
          <Form.Item name="hub" label={t('cs.hub')} extra={hubOptions.length ? t('cs.hubHint') : t('cs.hubNone')}>
            <Select
              data-testid="compute-site-hub"
              disabled={hubOptions.length === 0}
              options={[{ value: null as unknown as string, label: t('cs.noHub') }, ...hubOptions.map((h) => ({ value: h, label: tEnum('tg.hubName', h) }))]}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('cs.kind')} rules={[required]}>
            <Select data-testid="compute-site-kind" options={KINDS.map((k) => ({ value: k, label: tEnum('cs.kind', k) }))} />
          </Form.Item>
          <Form.Item name="commissioned_on" label={t('cs.commissionedOn')} rules={[required]} extra={t('cs.commissionedHint')}>
            <DatePicker style={{ width: '100%' }} id="commissioned_on" />
          </Form.Item>
          <Form.Item name="fp16_pflops" label={t('cs.fp16')} rules={[...(reported === 'fp16_pflops' ? [required] : []), pflopsRule]} extra={t('cs.pflopsHint')}>
            <Input inputMode="decimal" suffix="PFLOPS" data-testid="compute-site-fp16" />
          </Form.Item>
          <Form.Item name="fp64_pflops" label={t('cs.fp64')} rules={[...(reported === 'fp64_pflops' ? [required] : []), pflopsRule]}>
            <Input inputMode="decimal" suffix="PFLOPS" data-testid="compute-site-fp64" />
          </Form.Item>
          <Form.Item name="accelerator_model" label={t('cs.acceleratorModel')} rules={kind === 'intelligent' ? [required] : []} extra={t('cs.acceleratorHint')}>
            <Input maxLength={100} data-testid="compute-site-model" />
          </Form.Item>
          <Form.Item name="accelerator_count" label={t('cs.acceleratorCount')} rules={kind === 'intelligent' ? [required] : []}>
            <InputNumber min={0} max={MAX_ACCELERATORS} precision={0} style={{ width: '100%' }} data-testid="compute-site-count" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="compute-site-submit">
            {t('common.submit')}
          </Button>
        </Form>
      </Drawer>
    </div>
  );
}
