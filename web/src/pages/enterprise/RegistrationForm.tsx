// The application form of a data resource registration: an initial one, a change, correction,
// renewal or cancellation of a registered one (prefilled), or a resubmission of a returned one.
// The three rights default to the applicant itself; a switch names other parties.
import { Alert, Button, Col, Divider, Form, Input, Row, Select, Switch, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import { useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { DATA_GRADES, HOLDER_KINDS, UPDATE_CYCLES, type DataRegistration, type RegistrationInput, type RegistrationKind, type RightHolderInput } from '../../api/types';
import { applyServerFieldError } from '../../components/formErrors';
import { useT } from '../../i18n';
import { RIGHTS, sameHolder } from '../data/registration';

type Values = RegistrationInput & { others: boolean };

const FIELDS = ['kind', 'original_code', 'reason', 'resource_name', 'description', 'category', 'grade', 'source', 'update_cycle', 'record_count', 'size_bytes', 'format', 'security_measures', 'usage_permissions', ...RIGHTS];

export function RegistrationForm({
  initial,
  resubmitId,
  self: me,
  onSaved,
}: {
  /** Prefilled values (a follow-up or a resubmission); none for a new initial registration. */
  initial?: RegistrationInput;
  /** Resubmits this returned registration instead of applying anew. */
  resubmitId?: string;
  /** The applicant (an enterprise, or a supplier registering its corpora): the default holder of the three rights. */
  self: RightHolderInput;
  onSaved: (r: DataRegistration) => void;
}) {
  const { t, tEnum, tErr } = useT();
  const [form] = Form.useForm<Values>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const kind: RegistrationKind = (initial?.kind as RegistrationKind | undefined) ?? 'initial';
  const allMine = !initial || RIGHTS.every((r) => sameHolder(initial[r], me));
  const others = Form.useWatch('others', form);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const { others: named, ...rest } = v;
    const rights = Object.fromEntries(RIGHTS.map((r) => [r, named ? { ...rest[r], party_id: rest[r].party_id || null } : me])) as Record<(typeof RIGHTS)[number], RightHolderInput>;
    const body: RegistrationInput = {
      ...rest,
      ...rights,
      kind,
      original_code: kind === 'initial' ? null : initial?.original_code ?? null,
      reason: rest.reason || null,
    };
    setBusy(true);
    setError(null);
    try {
      const r = await submission.post<DataRegistration>(resubmitId ? `/data-registrations/${encodeURIComponent(resubmitId)}/resubmit` : '/data-registrations', body);
      onSaved(r);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const req = [{ required: true, message: t('err.required') }];
  const text = (name: keyof RegistrationInput, label: string, area = false) => (
    <Form.Item name={name} label={label} rules={req}>
      {area ? <Input.TextArea rows={2} maxLength={2000} data-testid={`reg-${name}`} /> : <Input maxLength={200} data-testid={`reg-${name}`} />}
    </Form.Item>
  );

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      data-testid="registration-form"
      initialValues={{
        grade: 'general',
        update_cycle: 'monthly',
        record_count: 0,
        size_bytes: 0,
        ...initial,
        holding: initial?.holding ?? me,
        processing: initial?.processing ?? me,
        operation: initial?.operation ?? me,
        others: !allMine,
      }}
    >
      {kind !== 'initial' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="reg-follow-up"
          message={t('dr.followUpOf', { kind: tEnum('regkind', kind), code: initial?.original_code ?? '—' })}
          description={kind === 'cancellation' ? t('dr.cancellationHint') : undefined}
        />
      )}
      {kind !== 'initial' && (
        <Form.Item name="reason" label={t('dr.reason')} rules={kind === 'renewal' ? [] : req}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="reg-reason" />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col span={12}>{text('resource_name', t('dr.resourceName'))}</Col>
        <Col span={12}>
          <Form.Item name="category" label={t('dr.category')} rules={req} extra={t('dr.categoryHint')}>
            <Input maxLength={100} data-testid="reg-category" />
          </Form.Item>
        </Col>
      </Row>
      {text('description', t('dr.description'), true)}
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="grade" label={t('dr.grade')} rules={req}>
            <Select options={DATA_GRADES.map((g) => ({ value: g, label: tEnum('grade', g) }))} data-testid="reg-grade" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="update_cycle" label={t('dr.updateCycle')} rules={req}>
            <Select options={UPDATE_CYCLES.map((c) => ({ value: c, label: tEnum('cycle', c) }))} data-testid="reg-cycle" />
          </Form.Item>
        </Col>
        <Col span={8}>{text('format', t('dr.format'))}</Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>{text('source', t('dr.source'))}</Col>
        <Col span={8}>
          <Form.Item name="record_count" label={t('dr.recordCount')} rules={req}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="reg-records" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="size_bytes" label={t('dr.sizeBytes')} rules={req}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="reg-size" />
          </Form.Item>
        </Col>
      </Row>
      {text('security_measures', t('dr.securityMeasures'), true)}
      {text('usage_permissions', t('dr.usagePermissions'), true)}
      <Divider orientation="left">{t('dr.rights')}</Divider>
      <Form.Item name="others" valuePropName="checked" label={t('dr.othersHold')} extra={others ? t('dr.othersHint') : t('dr.allMine', { name: me.name })}>
        <Switch data-testid="reg-others" />
      </Form.Item>
      {others &&
        RIGHTS.map((r) => (
          <div key={r} data-testid={`reg-right-${r}`}>
            <Typography.Text strong>{tEnum('right', r)}</Typography.Text>
            <Row gutter={12} style={{ marginTop: 8 }}>
              <Col span={6}>
                <Form.Item name={[r, 'party_kind']} label={t('dr.partyKind')} rules={req}>
                  <Select options={HOLDER_KINDS.map((k) => ({ value: k, label: tEnum('holder', k) }))} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name={[r, 'party_id']} label={t('dr.partyId')} extra={t('dr.partyIdHint')}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item name={[r, 'name']} label={t('dr.partyName')} rules={req}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
            </Row>
          </div>
        ))}
      {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginBottom: 16 }} data-testid="reg-error" /> : null}
      <Button type="primary" loading={busy} onClick={submit} data-testid="reg-submit">
        {resubmitId ? t('dr.resubmit') : t('dr.apply')}
      </Button>
    </Form>
  );
}
