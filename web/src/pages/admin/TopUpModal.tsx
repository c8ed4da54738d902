// 追加拨款: a further appropriation to a funding source, with the document that appropriates it.
// Two steps: the amount and the document, then a confirmation of what the source holds before and
// after; the POST carries one Idempotency-Key per submission (a retry of the same values reuses it).
import { Alert, App, Button, Descriptions, Form, Input, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import type { FundingSource, TopUpInput } from '../../api/types';
import { Money } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { formatFen, parseYuanToFen } from '../../format';
import { invalidate } from '../../hooks';
import { useT } from '../../i18n';
import { topUpBody, topUpPreview } from './funding';

interface Values {
  amount_fen: string;
  document: string;
}

export function TopUpModal({ source, onClose, onDone }: { source: FundingSource | null; onClose: () => void; onDone: (s: FundingSource) => void }) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<TopUpInput | null>(null);
  useEffect(() => {
    if (source) {
      form.resetFields();
      setFormError(null);
      setConfirming(null);
    }
  }, [source, form]);

  const next = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body = topUpBody(v.amount_fen, v.document);
    if (body) {
      setFormError(null);
      setConfirming(body);
    }
  };

  const send = async () => {
    if (!source || !confirming) return;
    setBusy(true);
    setFormError(null);
    try {
      const after = await submission.post<FundingSource>(`/funding-sources/${source.id}/top-ups`, confirming);
      invalidate('funding');
      message.success(t('fs.topUpDone', { amount: formatFen(confirming.amount_fen, lang), name: after.name }));
      onDone(after);
    } catch (e) {
      // A field error (amount_fen, document) goes back to the form, next to its field.
      if (applyServerFieldError(form, e, tErr(e), ['amount_fen', 'document'])) setConfirming(null);
      else setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const preview = source && confirming ? topUpPreview(source, confirming.amount_fen) : null;
  const footer = confirming
    ? [
        <Button key="back" onClick={() => setConfirming(null)} disabled={busy} data-testid="topup-back">
          {t('fs.topUpBack')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={send} data-testid="topup-confirm">
          {t('fs.topUpConfirm')}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="next" type="primary" onClick={next} data-testid="topup-next">
          {t('fs.topUpNext')}
        </Button>,
      ];

  return (
    <Modal open={!!source} title={source ? t('fs.topUpTitle', { name: source.name }) : ''} onCancel={onClose} footer={footer} width={560} destroyOnHidden data-testid="topup-modal">
      {source && (
        <>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="topup-error" /> : null}
          <div style={{ display: confirming ? 'none' : undefined }}>
            <Typography.Paragraph type="secondary">{t('fs.topUpHint')}</Typography.Paragraph>
            <Form form={form} layout="vertical" data-testid="topup-form">
              <Form.Item
                name="amount_fen"
                label={`${t('fs.topUpAmount')}（${t('common.yuan')}）`}
                rules={[
                  { required: true, message: t('err.required') },
                  {
                    validator: (_, v: string) => {
                      if (!v) return Promise.resolve();
                      const fen = parseYuanToFen(v);
                      if (fen === null) return Promise.reject(new Error(t('common.moneyInvalid')));
                      if (fen <= 0) return Promise.reject(new Error(t('common.moneyPositive')));
                      return Promise.resolve();
                    },
                  },
                ]}
              >
                <Input prefix="¥" inputMode="decimal" data-testid="topup-amount" />
              </Form.Item>
              <Form.Item name="document" label={t('fs.topUpDocument')} extra={t('fs.topUpDocumentHint')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
                <Input maxLength={500} placeholder={t('fs.topUpDocumentPh')} data-testid="topup-document" />
              </Form.Item>
            </Form>
          </div>
          {confirming && preview && (
            <div data-testid="topup-preview" data-amount={confirming.amount_fen} data-after-appropriated={preview.appropriatedAfter} data-after-available={preview.availableAfter}>
              <Alert type="info" showIcon message={t('fs.topUpCheck')} style={{ marginBottom: 12 }} />
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label={t('fs.topUpAmount')}>
                  <Money fen={confirming.amount_fen} strong />
                </Descriptions.Item>
                <Descriptions.Item label={t('fs.topUpDocument')}>{confirming.document}</Descriptions.Item>
                <Descriptions.Item label={t('fs.appropriated')}>
                  <Space size={6} wrap>
                    <Money fen={preview.appropriatedBefore} />→<Money fen={preview.appropriatedAfter} strong testid="topup-after-appropriated" />
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('fs.available')}>
                  <Space size={6} wrap>
                    <Money fen={preview.availableBefore} />→<Money fen={preview.availableAfter} strong testid="topup-after-available" />
                  </Space>
                </Descriptions.Item>
              </Descriptions>
            </div>
          )}
        </>
      )}
    </Modal>
  );
}
