// An administrator's decisions on a redemption: release a held one (a suspected split purchase
// checked and found in order: it becomes payable and the next settlement pays it), or claw one back
// (the subsidy returns to the funding sources in the shares that funded the voucher, never to the
// voucher; a settled one leaves the supplier owing it, offset at its next settlement). Both ask why.
import { Alert, App, type ButtonProps, Descriptions, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { ClawbackInput, Redemption, ReasonInput } from '../../api/types';
import { DateText, Money, StatusTag } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { HoldReasonText } from '../../components/HoldReason';
import { formatFen } from '../../format';
import { useT } from '../../i18n';

export type RedemptionAction = 'release' | 'clawback';

export function RedemptionActionModal({
  redemption,
  action,
  onClose,
  onDone,
  onStale,
}: {
  redemption: Redemption | null;
  action: RedemptionAction;
  onClose: () => void;
  onDone: (r: Redemption) => void;
  /** The redemption changed meanwhile (the server answers invalid_state): reload the list. */
  onStale: () => void;
}) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReasonInput>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  useEffect(() => {
    if (redemption) {
      form.resetFields();
      setFormError(null);
    }
  }, [redemption, action, form]);

  const release = action === 'release';
  const submit = async () => {
    if (!redemption) return;
    let v: ReasonInput;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const body: ReasonInput | ClawbackInput = { reason: v.reason.trim() };
      const r = await submission.post<Redemption>(`/redemptions/${redemption.id}/${release ? 'release' : 'clawback'}`, body);
      message.success(release ? t('held.releaseDone') : t('held.clawbackDone', { amount: formatFen(r.subsidy_fen, lang) }));
      onDone(r);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['reason'])) setFormError(e);
      if (isApiError(e) && e.code === 'invalid_state') onStale();
    } finally {
      setBusy(false);
    }
  };

  const prefix = release ? 'release' : 'clawback';
  return (
    <Modal
      open={!!redemption}
      title={redemption ? t(release ? 'held.releaseTitle' : 'held.clawbackTitle', { id: redemption.id }) : ''}
      onCancel={onClose}
      onOk={submit}
      okText={t(release ? 'held.releaseConfirm' : 'held.clawbackConfirm')}
      okButtonProps={{ danger: !release, 'data-testid': `${prefix}-confirm` } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      width={600}
      destroyOnHidden
      data-testid={`${prefix}-modal`}
    >
      {redemption && (
        <>
          <Alert
            type={release ? 'info' : 'warning'}
            showIcon
            message={release ? t('held.releaseWarn') : t('held.clawbackWarn', { amount: formatFen(redemption.subsidy_fen, lang) })}
            description={!release && redemption.status === 'settled' ? t('held.clawbackSettled') : undefined}
            style={{ marginBottom: 16 }}
            data-testid={`${prefix}-warn`}
          />
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('r.invoice')} span={2}>
              <span className="mono">{redemption.invoice_number}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('app.enterprise')}>{redemption.enterprise_name}</Descriptions.Item>
            <Descriptions.Item label={t('sel.supplier')}>{redemption.supplier_name}</Descriptions.Item>
            <Descriptions.Item label={t('r.invoiceDate')}>
              <DateText d={redemption.invoice_date} />
            </Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <StatusTag prefix="rst" status={redemption.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('r.invoiceAmount')}>
              <Money fen={redemption.invoice_amount_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('r.subsidy')}>
              <Money fen={redemption.subsidy_fen} strong />
            </Descriptions.Item>
            {redemption.hold_reason && (
              <Descriptions.Item label={t('r.holdReason')} span={2}>
                <HoldReasonText text={redemption.hold_reason} />
              </Descriptions.Item>
            )}
          </Descriptions>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid={`${prefix}-error`} /> : null}
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t(release ? 'held.releaseReason' : 'held.clawbackReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t(release ? 'held.releaseReasonPh' : 'held.clawbackReasonPh')} data-testid={`${prefix}-reason`} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
