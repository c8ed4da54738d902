// An administrator's decisions on a redemption: release a held one (a suspected split purchase
// checked and found in order: it becomes payable and the next settlement pays it), or claw one back
// (the subsidy returns to the funding sources in the shares that funded the voucher, never to the
// voucher; a settled one leaves the supplier owing it, offset at its next settlement). Both ask why.
import { Alert, type ButtonProps, Descriptions, Form, Input, Modal } from 'antd';
import type { ClawbackInput, Redemption, ReasonInput } from '../../api/types';
import { DateText, Money, StatusTag } from '../../components/common';
import { HoldReasonText } from '../../components/HoldReason';
import { hasHold } from '../../components/holdReason';
import { reasonBody, useReasonSubmit } from '../../components/useReasonSubmit';
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
  const { form, busy, formError, submit: send } = useReasonSubmit<ReasonInput>({ target: redemption, resetKey: action, fields: ['reason'], staleCode: 'invalid_state', onStale });

  const release = action === 'release';
  const submit = async () => {
    if (!redemption) return;
    await send<Redemption>({
      path: `/redemptions/${redemption.id}/${release ? 'release' : 'clawback'}`,
      body: (v): ReasonInput | ClawbackInput => reasonBody(v),
      success: (r) => (release ? t('held.releaseDone') : t('held.clawbackDone', { amount: formatFen(r.subsidy_fen, lang) })),
      onDone,
    });
  };

  const prefix = release ? 'release' : 'clawback';
  return (
    <Modal
      open={!!redemption}
      title={redemption ? t(release ? 'held.releaseTitle' : 'held.clawbackTitle', { id: redemption.number || redemption.id }) : ''}
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
            {hasHold(redemption) && (
              <Descriptions.Item label={t('r.holdReason')} span={2}>
                <HoldReasonText redemption={redemption} />
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
