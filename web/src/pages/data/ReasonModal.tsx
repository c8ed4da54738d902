// A modal asking for a reason (or a note) before a POST: a return, a rejection, a revocation, an
// objection or its resolution. The body is `{reason}` unless `body` builds another.
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { useT } from '../../i18n';

export function ReasonModal({
  open,
  title,
  path,
  label,
  hint,
  required = true,
  danger,
  body = (reason) => ({ reason }),
  onClose,
  onDone,
  testid = 'reason-modal',
}: {
  open: boolean;
  title: ReactNode;
  path: string;
  label: string;
  hint?: ReactNode;
  required?: boolean;
  danger?: boolean;
  body?: (reason: string) => unknown;
  onClose: () => void;
  onDone: () => void;
  testid?: string;
}) {
  const { t, tErr } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ok = async () => {
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await submission.post(path, body((v.reason ?? '').trim()));
      form.resetFields();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={ok}
      confirmLoading={busy}
      okButtonProps={{ ...({ danger, 'data-testid': `${testid}-ok` } as object) }}
      cancelButtonProps={{ ...({ 'data-testid': `${testid}-cancel` } as object) }}
      destroyOnClose
      data-testid={testid}
    >
      {hint ? <div style={{ marginBottom: 12 }}>{typeof hint === 'string' ? <Typography.Text type="secondary">{hint}</Typography.Text> : hint}</div> : null}
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={label} rules={required ? [{ required: true, whitespace: true, message: t('err.required') }] : []}>
          <Input.TextArea rows={3} maxLength={2000} data-testid={`${testid}-input`} />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon message={tErr(error)} data-testid={`${testid}-error`} /> : null}
    </Modal>
  );
}
