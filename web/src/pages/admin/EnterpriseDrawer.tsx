// One enterprise's file as the administrator sees it: the registered file, its history (历次变更),
// its change requests, and — for an administrator — a form that corrects the file directly.
import { EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Form, Input, Row, Select, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { INDUSTRY_SECTIONS, SIZE_CLASSES, type Enterprise, type EnterpriseChangeRequest } from '../../api/types';
import { DateText, ErrorState, StatusTag } from '../../components/common';
import { FieldChangeList } from '../../components/FieldChanges';
import { FileHistory } from '../../components/FileHistory';
import { applyServerFieldError } from '../../components/formErrors';
import { ServerTable } from '../../components/ServerTable';
import { formatDateTime, industryLabel } from '../../format';
import { useAsync, useCities, useCityName } from '../../hooks';
import { useT } from '../../i18n';
import { CHANGE_STATUS_COLORS, registeredOf } from '../enterprise/changeRequest';
import { enterprisePatchBody, type EnterpriseDraft } from './partyFile';

export function EnterpriseDrawer({ id, canEdit, onClose, onSaved }: { id: string | null; canEdit: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useT();
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState(false);
  useEffect(() => setEditing(false), [id]);
  const { data, error, loading, reload } = useAsync(
    (s) => (id ? api.get<Enterprise>(`/enterprises/${id}`, undefined, s) : Promise.resolve(undefined)),
    [id, reloadKey],
  );

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={Math.min(960, typeof window === 'undefined' ? 960 : window.innerWidth)}
      title={data?.name ?? t('entAdmin.drawer')}
      destroyOnHidden
      data-testid="enterprise-drawer"
      extra={
        canEdit && data && !editing ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="enterprise-edit">
            {t('common.edit')}
          </Button>
        ) : undefined
      }
    >
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : data ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {editing ? (
            <EditForm
              enterprise={data}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setReloadKey((k) => k + 1);
                onSaved();
              }}
            />
          ) : (
            <FileCard enterprise={data} />
          )}
          <Card size="small" title={t('hist.title')}>
            <FileHistory enterprise={data} reloadKey={reloadKey} />
          </Card>
          <ChangeRequestsCard enterprise={data} />
        </Space>
      ) : null}
    </Drawer>
  );
}

function FileCard({ enterprise: e }: { enterprise: Enterprise }) {
  const { t, tEnum, lang } = useT();
  const cityName = useCityName(lang);
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} data-testid="enterprise-file">
      <Descriptions.Item label={t('ent.name')} span={2}>{e.name}</Descriptions.Item>
      <Descriptions.Item label={t('ent.uscc')}><span className="mono">{e.uscc}</span></Descriptions.Item>
      <Descriptions.Item label={t('common.id')}><span className="mono">{e.id}</span></Descriptions.Item>
      <Descriptions.Item label={t('ent.legalRep')}>{e.legal_rep || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('ent.actualController')}>{e.actual_controller || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('ent.shareholders')} span={2}>{e.shareholders?.join(lang === 'zh' ? '、' : ', ') || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('ent.industry')}>{industryLabel(tEnum, e.industry)}</Descriptions.Item>
      <Descriptions.Item label={t('ent.size')}>{tEnum('size', e.size_class)}</Descriptions.Item>
      <Descriptions.Item label={t('common.city')}>{cityName(e.city_code)}</Descriptions.Item>
      <Descriptions.Item label={t('ent.pilot')}>{e.pilot_zone ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>}</Descriptions.Item>
      <Descriptions.Item label={t('ent.credit')}>
        <span data-testid="enterprise-credit" data-dishonest={String(e.dishonest)}>
          {e.dishonest ? <Tag color="error">{t('ent.creditListed')}</Tag> : <Tag color="success">{t('ent.creditOk')}</Tag>}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('common.createdAt')}><DateText d={e.created_at} /></Descriptions.Item>
    </Descriptions>
  );
}

type Values = { [K in keyof EnterpriseDraft]: NonNullable<EnterpriseDraft[K]> };
const FIELDS = ['name', 'city_code', 'industry', 'size_class', 'legal_rep', 'actual_controller', 'shareholders', 'pilot_zone'];

/** The administrator's correction of the file: only the changed fields are sent (PATCH, one key per submission). */
function EditForm({ enterprise, onCancel, onSaved }: { enterprise: Enterprise; onCancel: () => void; onSaved: () => void }) {
  const { t, tErr, tEnum, lang } = useT();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [form] = Form.useForm<Values>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const initial: Values = { ...registeredOf(enterprise), name: enterprise.name, pilot_zone: enterprise.pilot_zone };
  const draft = Form.useWatch([], form) as EnterpriseDraft | undefined;
  const body = draft ? enterprisePatchBody(enterprise, draft) : null;

  const onFinish = async (v: Values) => {
    const b = enterprisePatchBody(enterprise, v);
    if (!b) return;
    setBusy(true);
    setFormError(null);
    try {
      await submission.patch<Enterprise>(`/enterprises/${enterprise.id}`, b);
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('entAdmin.editTitle')}>
      <Alert type="info" showIcon message={t('entAdmin.editHint')} style={{ marginBottom: 16 }} data-testid="enterprise-edit-hint" />
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="enterprise-edit-error" /> : null}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={onFinish} data-testid="enterprise-form">
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="name" label={t('ent.name')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={200} data-testid="enterprise-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="city_code" label={t('common.city')} rules={[{ required: true, message: t('err.required') }]}>
              <Select showSearch optionFilterProp="label" options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industry" label={t('ent.industry')} rules={[{ required: true, message: t('err.required') }]}>
              <Select showSearch optionFilterProp="label" options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: industryLabel(tEnum, s) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="size_class" label={t('ent.size')} rules={[{ required: true, message: t('err.required') }]}>
              <Select options={SIZE_CLASSES.map((s) => ({ value: s, label: tEnum('size', s) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="legal_rep" label={t('ent.legalRep')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={100} data-testid="enterprise-legal-rep" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="actual_controller" label={t('ent.actualController')} extra={t('ent.actualControllerHint')}>
              <Input maxLength={100} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="pilot_zone" label={t('ent.pilot')} valuePropName="checked">
              <Switch data-testid="enterprise-pilot" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="shareholders" label={t('ent.shareholders')} extra={t('ent.shareholdersHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!body} data-testid="enterprise-save">
            {t('common.save')}
          </Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          {!body && <Typography.Text type="secondary">{t('entAdmin.noChange')}</Typography.Text>}
        </Space>
      </Form>
    </Card>
  );
}

function ChangeRequestsCard({ enterprise }: { enterprise: Enterprise }) {
  const { t, lang } = useT();
  const columns: ColumnsType<EnterpriseChangeRequest> = [
    { title: t('chg.requestedAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="crst" status={v} colors={CHANGE_STATUS_COLORS} /> },
    { title: t('chg.changes'), dataIndex: 'changes', render: (c: EnterpriseChangeRequest['changes']) => <FieldChangeList changes={c ?? []} /> },
    { title: t('chg.note'), dataIndex: 'decision_note', render: (v?: string | null) => v || '—' },
  ];
  return (
    <Card
      size="small"
      title={t('entAdmin.changeRequests')}
      extra={
        <Link to={`/admin/change-requests?enterprise_id=${encodeURIComponent(enterprise.id)}&status=`} data-testid="enterprise-change-requests-link">
          {t('entAdmin.openQueue')}
        </Link>
      }
    >
      <ServerTable urlKey={false} testid="table-enterprise-change-requests" path="/enterprise-change-requests" query={{ enterprise_id: enterprise.id }} columns={columns} pageSize={5} />
    </Card>
  );
}
