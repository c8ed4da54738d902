// Two small tools of 授权与同意: a check ("may we use these fields of this subject, or of this
// resource, for this scenario now?": yes, or no with the rule in words) and the annual disclosure
// of the operator's products and fees.
import { CheckCircleFilled, CloseCircleFilled, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { CheckDecision, CheckInput, DataAuthorization, DataDisclosure, DisclosureInput } from '../../api/types';
import { useToday } from '../../clock';
import { applyServerFieldError } from '../../components/formErrors';
import { useT } from '../../i18n';
import { checkNeeds, filledLines, subjectKindOf } from '../data/hub';
import { paren } from '../data/registration';

type CheckValues = { scenario_id: string; fields: string[]; resource?: string; subject_id?: string };

export function CheckForm({ scenarios }: { scenarios: DataAuthorization[] }) {
  const { t, tEnum, tErr, lang } = useT();
  const [form] = Form.useForm<CheckValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [decision, setDecision] = useState<CheckDecision | null>(null);
  const scenarioId = Form.useWatch('scenario_id', form);
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const needs = scenario ? checkNeeds(scenario.data_class) : null;
  const req = [{ required: true, message: t('err.required') }];

  const check = async () => {
    let v: CheckValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: CheckInput = {
      scenario_id: v.scenario_id,
      fields: v.fields,
      resource: needs === 'resource' ? v.resource ?? null : null,
      subject_kind: needs === 'subject' && scenario ? subjectKindOf(scenario.data_class) : null,
      subject_id: needs === 'subject' ? v.subject_id?.trim() || null : null,
    };
    setBusy(true);
    setError(null);
    setDecision(null);
    try {
      setDecision(await submission.post<CheckDecision>('/data-check', body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="hub-check" style={{ maxWidth: 720 }}>
      <Typography.Paragraph type="secondary">{t('hub.checkSub')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onValuesChange={() => setDecision(null)}>
        <Form.Item name="scenario_id" label={t('hub.scenario')} rules={req}>
          <Select options={scenarios.map((s) => ({ value: s.id, label: `${s.name}${paren(lang, tEnum('dclass', s.data_class))}` }))} onChange={() => form.setFieldsValue({ fields: [], resource: undefined })} data-testid="check-scenario" />
        </Form.Item>
        <Form.Item name="fields" label={t('hub.fields')} rules={req} extra={t('hub.checkFieldsHint')}>
          <Select mode="tags" options={(scenario?.fields ?? []).map((f) => ({ value: f, label: f }))} data-testid="check-fields" />
        </Form.Item>
        {needs === 'resource' && (
          <Form.Item name="resource" label={t('hub.resource')} rules={req}>
            <Select showSearch options={(scenario?.resources ?? []).map((r) => ({ value: r, label: r }))} data-testid="check-resource" />
          </Form.Item>
        )}
        {needs === 'subject' && scenario && (
          <Form.Item name="subject_id" label={`${t('hub.subject')}${paren(lang, tEnum('subj', subjectKindOf(scenario.data_class)))}`} rules={scenario.data_class === 'personal' ? req : []}>
            <Input maxLength={100} data-testid="check-subject" />
          </Form.Item>
        )}
        <Button type="primary" loading={busy} onClick={check} data-testid="check-submit">{t('hub.check')}</Button>
      </Form>
      {error ? <Alert type="error" showIcon style={{ marginTop: 16 }} message={tErr(error)} data-testid="check-error" /> : null}
      {decision ? (
        <Alert
          style={{ marginTop: 16 }}
          type={decision.allowed ? 'success' : 'error'}
          showIcon
          icon={decision.allowed ? <CheckCircleFilled /> : <CloseCircleFilled />}
          data-testid="check-result"
          data-allowed={decision.allowed}
          data-code={decision.code}
          message={<strong>{decision.allowed ? t('hub.allowed') : t('hub.refused')}</strong>}
          // The rule's words by its code (err.<code>), the server's reason where there are none.
          description={
            <>
              <div>{decision.allowed ? t('hub.allowedBy') : tErr(new ApiError(200, decision.code, decision.reason))}</div>
              {decision.consent_id ? <Typography.Text type="secondary">{t('hub.byConsent', { id: decision.consent_id })}</Typography.Text> : null}
            </>
          }
        />
      ) : null}
    </div>
  );
}

type Line = { name?: string; description?: string };
type DisclosureValues = { year: number; products: Line[]; fees: Line[] };

export function DisclosureForm() {
  const { t, tErr } = useT();
  const { message } = App.useApp();
  const today = useToday();
  const [form] = Form.useForm<DisclosureValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [published, setPublished] = useState<DataDisclosure | null>(null);

  const publish = async () => {
    let v: DisclosureValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: DisclosureInput = { year: v.year, products: filledLines(v.products), fees: filledLines(v.fees) };
    setBusy(true);
    setError(null);
    try {
      const d = await submission.post<DataDisclosure>('/data-disclosures', body);
      setPublished(d);
      message.success(t('hub.published'));
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['products', 'fees', 'year'])) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const lines = (name: 'products' | 'fees', label: string) => (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div data-testid={`disclosure-${name}`}>
          <Typography.Text strong>{label}</Typography.Text>
          {fields.map((f) => (
            <Row key={f.key} gutter={8} style={{ marginTop: 8 }}>
              <Col span={8}>
                <Form.Item name={[f.name, 'name']} style={{ marginBottom: 0 }}>
                  <Input placeholder={t('common.name')} maxLength={200} />
                </Form.Item>
              </Col>
              <Col span={14}>
                <Form.Item
                  name={[f.name, 'description']}
                  style={{ marginBottom: 0 }}
                  dependencies={[[name, f.name, 'name']]}
                  rules={[
                    ({ getFieldValue }) => ({
                      // A line with a name needs its description (the server requires both).
                      validator: (_, v?: string) => ((getFieldValue([name, f.name, 'name']) ?? '').trim() && !(v ?? '').trim() ? Promise.reject(new Error(t('err.required'))) : Promise.resolve()),
                    }),
                  ]}
                >
                  <Input placeholder={t('hub.lineDescription')} maxLength={1000} />
                </Form.Item>
              </Col>
              <Col span={2}>
                <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('hub.removeLine')} />
              </Col>
            </Row>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ marginTop: 8, marginBottom: 16 }} data-testid={`disclosure-add-${name}`}>
            {t('hub.addLine')}
          </Button>
        </div>
      )}
    </Form.List>
  );

  return (
    <div data-testid="hub-disclosure" style={{ maxWidth: 820 }}>
      <Typography.Paragraph type="secondary">{t('hub.disclosureHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ year: today ? Number(today.slice(0, 4)) : undefined, products: [{}], fees: [{}] }}>
        <Form.Item name="year" label={t('common.year')} rules={[{ required: true, message: t('err.required') }]}>
          <InputNumber min={2000} max={2100} precision={0} data-testid="disclosure-year-input" />
        </Form.Item>
        {lines('products', t('hub.products'))}
        {lines('fees', t('hub.fees'))}
        <Space>
          <Button type="primary" loading={busy} onClick={publish} data-testid="disclosure-publish">{t('hub.publish')}</Button>
          {published ? <Link to="/public/disclosures">{t('hub.viewPublic')}</Link> : null}
        </Space>
      </Form>
      {error ? <Alert type="error" showIcon style={{ marginTop: 16 }} message={tErr(error)} data-testid="disclosure-error" /> : null}
    </div>
  );
}
