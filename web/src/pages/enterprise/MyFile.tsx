// The enterprise's own file (一企一档). The name is edited directly (PATCH); the registered fields —
// industry, size class, legal representative, actual controller, shareholders, city — change only through a change
// request that an administrator approves, with its evidence; the pilot-zone flag and the credit
// standing are the administrator's and shown read-only.
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { INDUSTRY_SECTIONS, SIZE_CLASSES, type Enterprise, type EnterpriseChangeRequest, type EnterprisePatch } from '../../api/types';
import { useAuth } from '../../auth';
import { DateText, ErrorState, PageHeader, StatusTag } from '../../components/common';
import { FieldChangeList, FieldChangeTable } from '../../components/FieldChanges';
import { FileHistory } from '../../components/FileHistory';
import { applyServerFieldError } from '../../components/formErrors';
import { ServerTable } from '../../components/ServerTable';
import { formatDateTime, industryLabel } from '../../format';
import { useAsync, useCities } from '../../hooks';
import { useT } from '../../i18n';
import { CHANGE_STATUS_COLORS, changeRequestBody, previewChanges, REGISTERED_FIELDS, registeredOf, type RegisteredDraft } from './changeRequest';

export default function MyFile() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const { cities } = useCities();
  const [requestsKey, setRequestsKey] = useState(0);
  const id = user?.enterprise_id;
  const { data, error, loading, reload } = useAsync(
    (s) => (id == null ? Promise.resolve(undefined) : api.get<Enterprise>(`/enterprises/${id}`, undefined, s)),
    [id],
  );
  // The request waiting for a decision, if any (one at a time per enterprise).
  const pending = useAsync(
    (s) =>
      id == null
        ? Promise.resolve(null)
        : api.list<EnterpriseChangeRequest>('/enterprise-change-requests', { enterprise_id: id, status: 'pending', page_size: 1 }, s).then((p) => p.items[0] ?? null),
    [id, requestsKey],
  );

  if (id == null) return <Alert type="warning" showIcon message={t('ent.noBinding')} />;

  const cityName = (code?: string) => {
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : code || '—';
  };
  const requestsChanged = () => {
    setRequestsKey((k) => k + 1);
    reload();
  };

  const history: ColumnsType<EnterpriseChangeRequest> = [
    { title: t('chg.requestedAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span> },
    { title: t('chg.changes'), dataIndex: 'changes', render: (c: EnterpriseChangeRequest['changes']) => <FieldChangeList changes={c ?? []} /> },
    { title: t('chg.evidence'), dataIndex: 'evidence', render: (v: string) => <Typography.Text style={{ maxWidth: 260 }} ellipsis={{ tooltip: v }}>{v}</Typography.Text> },
    { title: t('common.status'), dataIndex: 'status', key: 'status', sorter: true, render: (v: string) => <StatusTag prefix="crst" status={v} colors={CHANGE_STATUS_COLORS} /> },
    { title: t('chg.note'), dataIndex: 'decision_note', render: (v?: string | null) => v || '—' },
    { title: t('chg.decidedAt'), dataIndex: 'decided_at', render: (v?: string | null) => (v ? <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span> : '—') },
  ];

  return (
    <div data-testid="page-ent-file">
      <PageHeader title={t('ent.file.title')} sub={t('ent.file.sub')} />
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
      ) : data ? (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={9}>
              <Card style={{ height: '100%' }}>
                <Descriptions column={1} size="small" data-testid="ent-file-registered">
                  <Descriptions.Item label={t('ent.uscc')}>
                    <span className="mono" data-testid="ent-uscc">{data.uscc}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('common.id')}><span className="mono">{data.id}</span></Descriptions.Item>
                  <Descriptions.Item label={t('ent.name')}>{data.name}</Descriptions.Item>
                  <Descriptions.Item label={t('common.city')}>{cityName(data.city_code)}</Descriptions.Item>
                  <Descriptions.Item label={t('ent.industry')}>{industryLabel(tEnum, data.industry)}</Descriptions.Item>
                  <Descriptions.Item label={t('ent.size')}>{tEnum('size', data.size_class)}</Descriptions.Item>
                  <Descriptions.Item label={t('ent.legalRep')}>{data.legal_rep || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('ent.actualController')}>
                    <span data-testid="ent-actual-controller">{data.actual_controller || '—'}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('ent.shareholders')}>{data.shareholders?.join(lang === 'zh' ? '、' : ', ') || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('ent.pilot')}>
                    <Space direction="vertical" size={2}>
                      <span data-testid="ent-pilot" data-pilot={String(data.pilot_zone)}>
                        {data.pilot_zone ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>}
                      </span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('ent.pilotAdmin')}</Typography.Text>
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('ent.credit')}>
                    <span data-testid="ent-credit" data-dishonest={String(data.dishonest)}>
                      {data.dishonest ? <Tag color="error">{t('ent.creditListed')}</Tag> : <Tag color="success">{t('ent.creditOk')}</Tag>}
                    </span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('common.createdAt')}>
                    <DateText d={data.created_at} />
                  </Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} lg={15}>
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                <NameCard enterprise={data} onSaved={reload} />
                <Card title={t('chg.title')} data-testid="change-card">
                  <Typography.Paragraph type="secondary">{t('chg.sub')}</Typography.Paragraph>
                  {pending.error ? (
                    <ErrorState error={pending.error} onRetry={pending.reload} compact />
                  ) : pending.loading && pending.data === undefined ? (
                    <Skeleton active paragraph={{ rows: 4 }} />
                  ) : pending.data ? (
                    <PendingRequest request={pending.data} />
                  ) : (
                    <ChangeRequestForm enterprise={data} onSubmitted={requestsChanged} />
                  )}
                </Card>
              </Space>
            </Col>
          </Row>
          <Card title={t('hist.title')} style={{ marginTop: 16 }} data-testid="ent-file-history-card">
            <FileHistory enterprise={data} reloadKey={requestsKey} testid="ent-file-history" />
          </Card>
          <Card title={t('chg.history')} style={{ marginTop: 16 }}>
            <ServerTable
              testid="table-my-change-requests"
              path="/enterprise-change-requests"
              query={{ enterprise_id: String(id) }}
              columns={history}
              reloadKey={requestsKey}
              pageSize={10}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}

/** The name: edited directly, sent alone and only when it changed. */
function NameCard({ enterprise, onSaved }: { enterprise: Enterprise; onSaved: () => void }) {
  const { t, tErr } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const submission = useSubmissionKey();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const name = Form.useWatch('name', form);
  useEffect(() => form.setFieldsValue({ name: enterprise.name }), [enterprise, form]);
  const unchanged = (name ?? enterprise.name).trim() === enterprise.name.trim();

  const onFinish = async (v: { name: string }) => {
    if (v.name.trim() === enterprise.name.trim()) return;
    setSaving(true);
    setFormError(null);
    try {
      const body: EnterprisePatch = { name: v.name.trim() };
      await submission.patch<Enterprise>(`/enterprises/${enterprise.id}`, body);
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['name'])) setFormError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('ent.file.nameCard')}>
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={onFinish} data-testid="ent-file-form">
        <Form.Item name="name" label={t('ent.name')} extra={t('ent.file.nameHint')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
          <Input data-testid="ent-name" maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} disabled={unchanged} data-testid="ent-file-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

function PendingRequest({ request }: { request: EnterpriseChangeRequest }) {
  const { t, lang } = useT();
  return (
    <div data-testid="change-pending" data-id={request.id}>
      <Alert type="info" showIcon message={t('chg.pending')} description={t('chg.pendingHint')} style={{ marginBottom: 16 }} />
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('chg.requestedAt')}>{formatDateTime(request.created_at, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}><StatusTag prefix="crst" status={request.status} colors={CHANGE_STATUS_COLORS} /></Descriptions.Item>
        <Descriptions.Item label={t('chg.evidence')} span={2}><span data-testid="change-pending-evidence">{request.evidence}</span></Descriptions.Item>
      </Descriptions>
      <FieldChangeTable changes={request.changes ?? []} testid="change-pending-table" />
    </div>
  );
}

type ChangeValues = RegisteredDraft & { evidence?: string };

/** The registered fields, prefilled with the file; only what differs from it is sent. */
function ChangeRequestForm({ enterprise, onSubmitted }: { enterprise: Enterprise; onSubmitted: () => void }) {
  const { t, tErr, tEnum, lang } = useT();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [form] = Form.useForm<ChangeValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const file = registeredOf(enterprise);
  useEffect(() => form.setFieldsValue({ ...registeredOf(enterprise), evidence: '' }), [enterprise, form]);

  const draft: RegisteredDraft = {
    industry: Form.useWatch('industry', form),
    size_class: Form.useWatch('size_class', form),
    legal_rep: Form.useWatch('legal_rep', form),
    actual_controller: Form.useWatch('actual_controller', form),
    city_code: Form.useWatch('city_code', form),
    shareholders: Form.useWatch('shareholders', form),
  };
  const changes = previewChanges(file, draft);

  const onFinish = async (v: ChangeValues) => {
    const body = changeRequestBody(file, v, v.evidence ?? '');
    if (!body) return;
    setBusy(true);
    setFormError(null);
    try {
      await submission.post<EnterpriseChangeRequest>(`/enterprises/${enterprise.id}/change-requests`, body);
      message.success(t('chg.submitted'));
      onSubmitted();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), [...REGISTERED_FIELDS, 'evidence'])) setFormError(e);
      // Another request went in meanwhile (another tab, a colleague): show it.
      if (isApiError(e) && e.code === 'change_request_open') onSubmitted();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="change-error" /> : null}
      <Form form={form} layout="vertical" onFinish={onFinish} data-testid="change-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="city_code" label={t('common.city')} rules={[{ required: true, message: t('err.required') }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))}
                data-testid="change-city"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industry" label={t('ent.industry')} rules={[{ required: true, message: t('err.required') }]}>
              <Select showSearch optionFilterProp="label" options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: industryLabel(tEnum, s) }))} data-testid="change-industry" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="size_class" label={t('ent.size')} rules={[{ required: true, message: t('err.required') }]}>
              <Select options={SIZE_CLASSES.map((s) => ({ value: s, label: tEnum('size', s) }))} data-testid="change-size" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="legal_rep" label={t('ent.legalRep')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={100} data-testid="change-legal-rep" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="actual_controller" label={t('ent.actualController')} extra={t('ent.actualControllerHint')}>
              <Input maxLength={100} allowClear data-testid="change-actual-controller" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="shareholders" label={t('ent.shareholders')} extra={t('ent.shareholdersHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} data-testid="change-shareholders" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="evidence" label={t('chg.evidence')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={1000} placeholder={t('chg.evidencePh')} data-testid="change-evidence" />
            </Form.Item>
          </Col>
        </Row>
        <div style={{ marginBottom: 16 }} data-testid="change-preview" data-count={changes.length}>
          {changes.length > 0 ? (
            <>
              <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>{t('chg.preview', { n: changes.length })}</Typography.Text>
              <FieldChangeTable changes={changes} testid="change-preview-table" />
            </>
          ) : (
            <Typography.Text type="secondary">{t('chg.noChange')}</Typography.Text>
          )}
        </div>
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={busy} disabled={changes.length === 0} data-testid="change-submit">
          {t('chg.submit')}
        </Button>
      </Form>
    </>
  );
}
