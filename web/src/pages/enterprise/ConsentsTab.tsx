// The consents tab of 授权与同意: the consents of the enterprise's scenarios (natural persons'
// consents it records as operator, and its own as a legal-person subject), their revocation and
// their receipts (a JSON file after ISO/IEC TS 27560).
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { ConsentInput, ConsentReceipt, DataAuthorization, DataConsent } from '../../api/types';
import { Codes, DateText } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { subjectKindOf } from '../data/hub';
import { ReasonModal } from '../data/ReasonModal';
import { paren, receiptFileName } from '../data/registration';

function saveJson(data: unknown, filename: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function ConsentsTab({ scenarios }: { scenarios: DataAuthorization[] }) {
  const { t, tEnum, tErr, lang } = useT();
  const { message } = App.useApp();
  const list = useListState();
  const scenarioId = list.get('scenario_id');
  const setScenarioId = (v: string | null | undefined) => list.setFilter('scenario_id', v);
  const [reloadKey, setReloadKey] = useState(0);
  const [recording, setRecording] = useState(false);
  const [revoking, setRevoking] = useState<DataConsent | null>(null);
  const consentScenarios = scenarios.filter((s) => s.data_class !== 'public');

  const receipt = async (c: DataConsent) => {
    try {
      const r = await api.get<ConsentReceipt>(`/data-consents/${encodeURIComponent(c.id)}/receipt`);
      saveJson(r, receiptFileName(r));
    } catch (e) {
      message.error(tErr(e));
    }
  };

  const columns: ColumnsType<DataConsent> = [
    { title: t('hub.scenario'), dataIndex: 'scenario_name', render: (v: string) => <strong>{v}</strong> },
    { title: t('hub.subject'), key: 'subject', render: (_, c) => <span>{tEnum('subj', c.subject_kind)} · <span className="mono">{c.subject_id}</span></span> },
    { title: t('hub.fields'), dataIndex: 'fields', render: (v: string[]) => <Codes codes={v} /> },
    { title: t('hub.grantedAt'), dataIndex: 'granted_at', key: 'granted_at', sorter: true, render: (v: string) => formatDateTime(v, lang) },
    { title: t('hub.expiresAt'), dataIndex: 'expires_at', key: 'expires_at', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('hub.useCount'), dataIndex: 'use_count', align: 'right' },
    {
      title: t('common.status'),
      key: 'state',
      render: (_, c) => (c.revoked_at ? <Tag data-testid="consent-state" data-state="revoked">{t('hub.consentRevoked')}</Tag> : <Tag color="success" data-testid="consent-state" data-state="active">{t('hub.consentActive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, c) => (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => receipt(c)} data-testid={`consent-receipt-${c.id}`}>{t('hub.receipt')}</Button>
          {!c.revoked_at && (
            <Button size="small" type="link" danger onClick={() => setRevoking(c)} data-testid={`consent-revoke-${c.id}`}>{t('hub.revoke')}</Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="hub-consents">
      <Space className="filters" wrap>
        <Select allowClear placeholder={t('hub.scenario')} style={{ width: 280 }} value={scenarioId} onChange={setScenarioId} options={consentScenarios.map((s) => ({ value: s.id, label: s.name }))} data-testid="consent-filter-scenario" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="consent-new">{t('hub.newConsent')}</Button>
      </Space>
      <ServerTable testid="table-consents" path="/data-consents" query={{ scenario_id: scenarioId }} columns={columns} reloadKey={reloadKey} />
      {recording && (
        <ConsentModal
          scenarios={consentScenarios}
          onClose={() => setRecording(false)}
          onDone={() => {
            message.success(t('hub.consentRecorded'));
            setRecording(false);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {revoking && (
        <ReasonModal
          open
          title={t('hub.revokeConsent')}
          path={`/data-consents/${encodeURIComponent(revoking.id)}/revoke`}
          label={t('hub.revokeReason')}
          hint={t('hub.revokeConsentHint')}
          required={false}
          danger
          onClose={() => setRevoking(null)}
          onDone={() => {
            message.success(t('hub.revoked'));
            setRevoking(null);
            setReloadKey((k) => k + 1);
          }}
          testid="consent-revoke"
        />
      )}
    </div>
  );
}

type ConsentValues = { scenario_id: string; subject_id?: string; fields?: string[]; expires: Dayjs };

function ConsentModal({ scenarios, onClose, onDone }: { scenarios: DataAuthorization[]; onClose: () => void; onDone: () => void }) {
  const { t, tEnum, tErr, lang } = useT();
  const [form] = Form.useForm<ConsentValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const scenarioId = Form.useWatch('scenario_id', form);
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const kind = scenario ? subjectKindOf(scenario.data_class) : null;
  const ok = async () => {
    let v: ConsentValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: ConsentInput = {
      scenario_id: v.scenario_id,
      subject_kind: kind ?? 'natural_person',
      subject_id: v.subject_id?.trim() || null,
      fields: v.fields?.length ? v.fields : null,
      expires_at: v.expires.format('YYYY-MM-DD'),
    };
    setBusy(true);
    setError(null);
    try {
      await submission.post('/data-consents', body);
      onDone();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['scenario_id', 'subject_id', 'fields'])) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('hub.newConsent')} onCancel={onClose} onOk={ok} confirmLoading={busy} okButtonProps={{ ...({ 'data-testid': 'consent-ok' } as object) }} destroyOnClose data-testid="consent-modal">
      <Form form={form} layout="vertical">
        <Form.Item name="scenario_id" label={t('hub.scenario')} rules={[{ required: true, message: t('err.required') }]} extra={t('hub.consentScenarioHint')}>
          <Select options={scenarios.map((s) => ({ value: s.id, label: `${s.name}${paren(lang, tEnum('dclass', s.data_class))}`, disabled: !s.in_force }))} onChange={() => form.setFieldValue('fields', undefined)} data-testid="consent-scenario" />
        </Form.Item>
        {kind && (
          <Form.Item
            name="subject_id"
            label={`${t('hub.subject')}${paren(lang, tEnum('subj', kind))}`}
            rules={kind === 'natural_person' ? [{ required: true, whitespace: true, message: t('err.required') }] : []}
            extra={kind === 'natural_person' ? t('hub.subjectPersonHint') : t('hub.subjectSelfHint')}
          >
            <Input maxLength={100} data-testid="consent-subject" />
          </Form.Item>
        )}
        <Form.Item name="fields" label={t('hub.fields')} extra={t('hub.consentFieldsHint')}>
          <Select mode="multiple" options={(scenario?.fields ?? []).map((f) => ({ value: f, label: f }))} data-testid="consent-fields" />
        </Form.Item>
        <Form.Item name="expires" label={t('hub.expiresAt')} rules={[{ required: true, message: t('err.required') }]}>
          <DatePicker data-testid="consent-expires" />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon message={tErr(error)} data-testid="consent-error" /> : null}
    </Modal>
  );
}
