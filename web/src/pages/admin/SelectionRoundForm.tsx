// A new selection round (遴选轮次): the year and kind (one round per year and kind), how many
// products it selects at most, the call for entries, the public notice after publication, the
// least mean score to be selected, for corpora the least number of records and whether the data
// resource registration certificate is required, and the weighted criteria the panel scores on
// (weights summing to 100, checked here before the server does).
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Divider, Form, Input, Radio, Row, Space, Switch, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { SELECTION_KINDS, type SelectionKind, type SelectionRound } from '../../api/types';
import { useToday } from '../../clock';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError, fieldPath } from '../../components/formErrors';
import { yearOf } from '../../dates';
import { useT, type MsgKey } from '../../i18n';
import { CRITERION_KEY_RE, criteriaProblem, roundBody, weightsSum, WEIGHTS_TOTAL } from '../common/selection';

interface Values {
  name: string;
  kind: SelectionKind;
  year: number;
  batch: number;
  cap: number;
  call_from: Dayjs;
  call_until: Dayjs;
  notice_days: number;
  pass_mark: number;
  min_records?: number | null;
  registration_required?: boolean;
  criteria: { key: string; name: string; weight: number }[];
}

const FIELDS = ['name', 'kind', 'year', 'batch', 'cap', 'call_from', 'call_until', 'notice_days', 'pass_mark', 'min_records', 'registration_required'];

/** The selected count of a round by default: 30 models, 10 corpora a year (the province's rules). */
const DEFAULT_CAP: Record<SelectionKind, number> = { model: 30, corpus: 10 };
const DEFAULT_MIN_RECORDS = 100_000;

/** A starting set of criteria per kind (the administrator edits them). */
const DEFAULT_CRITERIA: Record<SelectionKind, { key: string; name: MsgKey; weight: number }[]> = {
  model: [
    { key: 'technical_quality', name: 'sr.crit.technical', weight: 40 },
    { key: 'application', name: 'sr.crit.application', weight: 35 },
    { key: 'security', name: 'sr.crit.security', weight: 25 },
  ],
  corpus: [
    { key: 'data_quality', name: 'sr.crit.dataQuality', weight: 40 },
    { key: 'scale', name: 'sr.crit.scale', weight: 30 },
    { key: 'compliance', name: 'sr.crit.compliance', weight: 30 },
  ],
};

export function SelectionRoundForm({ onSaved }: { onSaved: (r: SelectionRound) => void }) {
  const { t, tErr, tEnum } = useT();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [criteriaError, setCriteriaError] = useState<string | null>(null);
  const submission = useSubmissionKey();
  const today = useToday();
  const kind = Form.useWatch('kind', form) ?? 'model';
  const criteria = Form.useWatch('criteria', form);
  const sum = weightsSum(criteria);

  const defaults = (k: SelectionKind) => DEFAULT_CRITERIA[k].map((c) => ({ key: c.key, name: t(c.name), weight: c.weight }));

  // The year defaults to the platform's, once it is known, unless one was typed meanwhile.
  useEffect(() => {
    if (today && !form.isFieldTouched('year')) form.setFieldsValue({ year: yearOf(today) });
  }, [today, form]);

  /** A change of kind brings that kind's defaults for the fields not touched yet. */
  const onValuesChange = (changed: Partial<Values>) => {
    if (!changed.kind) return;
    const k = changed.kind;
    const next: Partial<Values> = {};
    if (!form.isFieldTouched('cap')) next.cap = DEFAULT_CAP[k];
    if (!form.isFieldTouched('criteria')) next.criteria = defaults(k);
    if (k === 'corpus' && form.getFieldValue('min_records') == null) next.min_records = DEFAULT_MIN_RECORDS;
    form.setFieldsValue(next);
  };

  const onFinish = async (v: Values) => {
    setBusy(true);
    setFormError(null);
    setCriteriaError(null);
    try {
      const body = roundBody({ ...v, call_from: v.call_from.format('YYYY-MM-DD'), call_until: v.call_until.format('YYYY-MM-DD') });
      onSaved(await submission.post<SelectionRound>('/selection-rounds', body));
    } catch (e) {
      const msg = tErr(e);
      if (e instanceof ApiError && e.field && fieldPath(e.field)[0] === 'criteria') {
        const path = fieldPath(e.field);
        if (path.length >= 3 && form.getFieldInstance(path) !== undefined) form.setFields([{ name: path as never, errors: [msg] }]);
        else setCriteriaError(msg);
      } else if (e instanceof ApiError && e.code === 'weights_sum') {
        setCriteriaError(msg);
      } else if (e instanceof ApiError && e.code === 'duplicate_round') {
        // One round per year, batch and kind: the batch (or the year) is what to change.
        const name = e.field === 'year' ? 'year' : 'batch';
        form.setFields([{ name, errors: [msg] }]);
        form.scrollToField(name);
      } else if (!applyServerFieldError(form, e, msg, FIELDS)) {
        setFormError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const req = [{ required: true, message: t('err.required') }];

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={onFinish}
      onValuesChange={onValuesChange}
      scrollToFirstError
      data-testid="round-form"
      initialValues={{
        kind: 'model',
        year: today ? yearOf(today) : undefined,
        batch: 1,
        cap: DEFAULT_CAP.model,
        notice_days: 7,
        pass_mark: 60,
        min_records: DEFAULT_MIN_RECORDS,
        registration_required: true,
        criteria: defaults('model'),
      }}
    >
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="round-error" /> : null}
      <Row gutter={16}>
        <Col span={24}>
          <Form.Item name="name" label={t('sr.name')} rules={[...req, { whitespace: true, message: t('err.required') }]}>
            <Input maxLength={200} placeholder={t('sr.namePh')} data-testid="round-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('sr.kind')} rules={req} extra={t('sr.kindHint')}>
            <Radio.Group optionType="button" buttonStyle="solid" options={SELECTION_KINDS.map((k) => ({ value: k, label: tEnum('pk', k) }))} data-testid="round-kind" />
          </Form.Item>
        </Col>
        <Col xs={8} md={4}>
          <Form.Item name="year" label={t('common.year')} rules={req}>
            <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} data-testid="round-year" />
          </Form.Item>
        </Col>
        <Col xs={8} md={4}>
          <Form.Item name="batch" label={t('sr.batch')} rules={req} tooltip={t('sr.batchHint')}>
            <InputNumber min={1} max={12} precision={0} style={{ width: '100%' }} data-testid="round-batch" />
          </Form.Item>
        </Col>
        <Col xs={8} md={4}>
          <Form.Item name="cap" label={t('sr.cap')} rules={req} tooltip={t('sr.capHint')}>
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} data-testid="round-cap" />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>
        {t('sr.section.dates')}
      </Divider>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Form.Item name="call_from" label={t('sr.callFrom')} rules={req}>
            <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" data-testid="round-call-from" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name="call_until"
            label={t('sr.callUntil')}
            dependencies={['call_from']}
            rules={[
              ...req,
              ({ getFieldValue }) => ({
                validator: (_, v: Dayjs | undefined) => {
                  const from: Dayjs | undefined = getFieldValue('call_from');
                  return !v || !from || !v.isBefore(from, 'day') ? Promise.resolve() : Promise.reject(new Error(t('err.invalid_window')));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" data-testid="round-call-until" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="notice_days" label={t('sr.noticeDays')} rules={req} tooltip={t('sr.noticeDaysHint')}>
            <InputNumber min={0} max={30} precision={0} style={{ width: '100%' }} data-testid="round-notice-days" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="pass_mark" label={t('sr.passMark')} rules={req} tooltip={t('sr.passMarkHint')}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} data-testid="round-pass-mark" />
          </Form.Item>
        </Col>
      </Row>
      {kind === 'corpus' && (
        <>
          <Divider orientation="left" plain>
            {t('sr.section.corpus')}
          </Divider>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="min_records" label={t('sr.minRecords')} rules={req} extra={t('sr.minRecordsHint')}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="round-min-records" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="registration_required" label={t('sr.registrationRequired')} valuePropName="checked" extra={t('sr.registrationRequiredHint')}>
                <Switch data-testid="round-registration-required" />
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
      <Divider orientation="left" plain>
        {t('sr.criteria')}
      </Divider>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('sr.criteriaHint')}
      </Typography.Paragraph>
      <Form.List
        name="criteria"
        rules={[
          {
            validator: async (_, list: Values['criteria']) => {
              const p = criteriaProblem(list);
              if (p === 'empty' || p === 'too_many') throw new Error(t('sr.criteriaCount'));
              if (p === 'duplicate_key') throw new Error(t('sr.criteriaDuplicate'));
              if (p === 'weights_sum') throw new Error(t('err.weights_sum'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <div data-testid="round-criteria-editor">
            {fields.map((f, i) => (
              <Space key={f.key} align="baseline" style={{ display: 'flex' }} wrap>
                <Form.Item name={[f.name, 'name']} rules={[...req, { whitespace: true, message: t('err.required') }]} style={{ minWidth: 220 }}>
                  <Input maxLength={100} placeholder={t('sr.criterionName')} data-testid={`round-criterion-name-${i}`} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'key']}
                  rules={[...req, { pattern: CRITERION_KEY_RE, message: t('sr.criterionKeyInvalid') }]}
                  style={{ minWidth: 200 }}
                >
                  <Input maxLength={64} className="mono" placeholder={t('sr.criterionKey')} data-testid={`round-criterion-key-${i}`} />
                </Form.Item>
                <Form.Item name={[f.name, 'weight']} rules={req}>
                  <InputNumber min={1} max={100} precision={0} addonAfter="%" placeholder={t('sr.weight')} style={{ width: 130 }} data-testid={`round-criterion-weight-${i}`} />
                </Form.Item>
                {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} data-testid={`round-criterion-remove-${i}`} />}
              </Space>
            ))}
            <Space>
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', name: '', weight: undefined })} disabled={fields.length >= 20} data-testid="round-criterion-add">
                {t('sr.addCriterion')}
              </Button>
              <Typography.Text type={sum === WEIGHTS_TOTAL ? 'success' : 'danger'} data-testid="round-weights-sum" data-sum={sum}>
                {t('sr.weightsSum', { sum })}
              </Typography.Text>
            </Space>
            <div data-testid="round-criteria-errors">
              <Form.ErrorList errors={[...errors, ...(criteriaError ? [criteriaError] : [])]} />
            </div>
          </div>
        )}
      </Form.List>
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }} data-testid="round-submit">
        {t('sr.create')}
      </Button>
    </Form>
  );
}
