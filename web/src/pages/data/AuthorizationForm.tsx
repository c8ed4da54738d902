// An authorization of the hub as requested: an overall or sub-domain authorization (the
// administrator, for an operator), or a scenario (the operator itself: public data under one of its
// sub-domains, or personal / legal-person data on the subjects' own consent, without a parent).
import { Alert, Button, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { DATA_CLASSES, type AuthorizationInput, type AuthorizationLevel, type DataAuthorization, type DataClass } from '../../api/types';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { PartySelect } from '../../components/PartySelect';
import { useT } from '../../i18n';
import { parentLevelOf } from './hub';
import { paren } from './registration';

type Values = Omit<AuthorizationInput, 'valid_from' | 'valid_until'> & { period: [Dayjs, Dayjs] };

const FIELDS = ['level', 'name', 'operator_id', 'parent_id', 'data_class', 'authority', 'purpose', 'fields', 'resources', 'recipients', 'valid_from', 'valid_until'];

export function AuthorizationForm({
  levels,
  operatorId,
  authorizations,
  onSaved,
}: {
  levels: AuthorizationLevel[];
  /** The operator (an enterprise defining its own scenario); else the administrator picks one. */
  operatorId?: string | null;
  /** The authorizations a new one may be under. */
  authorizations: DataAuthorization[];
  onSaved: (a: DataAuthorization) => void;
}) {
  const { t, tEnum, tErr, lang } = useT();
  const [form] = Form.useForm<Values>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const level = (Form.useWatch('level', form) ?? levels[0]) as AuthorizationLevel;
  const dataClass = (Form.useWatch('data_class', form) ?? 'public') as DataClass;
  const parentId: string | undefined = Form.useWatch('parent_id', form) ?? undefined;
  const parentLevel = parentLevelOf(level, dataClass);
  const parents = authorizations.filter((a) => a.level === parentLevel && a.in_force);
  const parent = authorizations.find((a) => a.id === parentId);
  const req = [{ required: true, message: t('err.required') }];

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const { period, ...rest } = v;
    const body: AuthorizationInput = {
      ...rest,
      level,
      data_class: level === 'scenario' ? dataClass : 'public',
      parent_id: parentLevel ? rest.parent_id ?? null : null,
      operator_id: operatorId ?? rest.operator_id,
      authority: rest.authority || null,
      fields: rest.fields ?? [],
      resources: rest.resources ?? [],
      recipients: rest.recipients ?? [],
      valid_from: period[0].format('YYYY-MM-DD'),
      valid_until: period[1].format('YYYY-MM-DD'),
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(await submission.post<DataAuthorization>('/data-authorizations', body));
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const tags = (options: string[] | undefined, testid: string) => (
    <Select mode="tags" tokenSeparators={[',', '，', ' ']} options={(options ?? []).map((x) => ({ value: x, label: x }))} data-testid={testid} />
  );

  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ level: levels[0], data_class: 'public' }} data-testid="authorization-form">
      <Form.Item name="level" label={t('hub.level')} rules={req}>
        <Select options={levels.map((l) => ({ value: l, label: tEnum('alevel', l) }))} onChange={() => form.setFieldValue('parent_id', undefined)} data-testid="auth-level" />
      </Form.Item>
      {level === 'scenario' && (
        <Form.Item name="data_class" label={t('hub.dataClass')} rules={req} extra={t(`hub.classHint.${dataClass}` as 'hub.classHint.public')}>
          <Select options={DATA_CLASSES.map((c) => ({ value: c, label: tEnum('dclass', c) }))} onChange={() => form.setFieldValue('parent_id', undefined)} data-testid="auth-class" />
        </Form.Item>
      )}
      {parentLevel && (
        <Form.Item name="parent_id" label={t('hub.parent')} rules={req} extra={parents.length ? t('hub.parentHint') : t('hub.noParent', { level: tEnum('alevel', parentLevel) })}>
          <Select options={parents.map((a) => ({ value: a.id, label: `${a.name}${paren(lang, a.operator_name)}` }))} data-testid="auth-parent" />
        </Form.Item>
      )}
      {!operatorId && (
        <Form.Item name="operator_id" label={t('hub.operator')} rules={req}>
          <PartySelect kind="enterprise" testid="auth-operator" />
        </Form.Item>
      )}
      <Form.Item name="name" label={t(`hub.nameOf.${level}` as 'hub.nameOf.overall')} rules={req}>
        <Input maxLength={200} data-testid="auth-name" />
      </Form.Item>
      <Form.Item name="authority" label={t('hub.authority')}>
        <Input maxLength={200} data-testid="auth-authority" />
      </Form.Item>
      <Form.Item name="purpose" label={t('hub.purpose')} rules={req}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="auth-purpose" />
      </Form.Item>
      <Form.Item name="fields" label={t('hub.fields')} rules={req} extra={t('hub.fieldsHint')}>
        {tags(parent?.fields, 'auth-fields')}
      </Form.Item>
      {dataClass === 'public' && (
        <Form.Item name="resources" label={t('hub.resources')} extra={t('hub.resourcesHint')}>
          {tags(parent?.resources, 'auth-resources')}
        </Form.Item>
      )}
      {level === 'scenario' && (
        <Form.Item name="recipients" label={t('hub.recipients')}>
          {tags(undefined, 'auth-recipients')}
        </Form.Item>
      )}
      <Form.Item name="period" label={t('hub.period')} rules={req} extra={parent ? t('hub.withinParent', { from: parent.valid_from, until: parent.valid_until }) : undefined}>
        <DatePicker.RangePicker data-testid="auth-period" />
      </Form.Item>
      {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginBottom: 16 }} data-testid="auth-error" /> : null}
      <Button type="primary" loading={busy} onClick={submit} data-testid="auth-submit">
        {t('common.create')}
      </Button>
    </Form>
  );
}
