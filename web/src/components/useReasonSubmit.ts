// The submission of a "reason" modal (lift a dishonesty entry, close a program, release or claw
// back a redemption, decide a change request): the form is reset each time the modal opens for a
// target; confirming validates it, posts the body with one idempotency key per submission, toasts
// and hands the result on; a server error lands next to its field or above the form, and the code
// that says the target changed meanwhile (already decided, already closed…) reloads the list.
import { App, Form } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../api/client';
import { useSubmissionKey } from '../api/submission';
import type { ReasonInput } from '../api/types';
import { useT } from '../i18n';
import { applyServerFieldError } from './formErrors';

/** The body of a reason: what the user wrote, trimmed as the server stores it. */
export function reasonBody(v: ReasonInput): ReasonInput {
  return { reason: v.reason.trim() };
}

export interface ReasonSubmitOptions {
  /** What the modal is open for (null/undefined when closed); the form resets whenever it or `resetKey` changes. */
  target: unknown;
  resetKey?: unknown;
  /** The form's fields a server error may name. */
  fields: string[];
  /** The error code that means the target changed meanwhile, and the reload it calls for. */
  staleCode: string;
  onStale: () => void;
}

export interface ReasonSubmission<V, R> {
  path: string;
  body: (v: V) => unknown;
  /** The success toast. */
  success: (r: R) => string;
  onDone: (r: R) => void;
}

export function useReasonSubmit<V extends object>({ target, resetKey, fields, staleCode, onStale }: ReasonSubmitOptions) {
  const { tErr } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  useEffect(() => {
    if (target) {
      form.resetFields();
      setFormError(null);
    }
  }, [target, resetKey, form]);

  const submit = async <R>({ path, body, success, onDone }: ReasonSubmission<V, R>) => {
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const r = await submission.post<R>(path, body(v));
      message.success(success(r));
      onDone(r);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), fields)) setFormError(e);
      if (isApiError(e) && e.code === staleCode) onStale();
    } finally {
      setBusy(false);
    }
  };

  return { form, busy, formError, submit };
}
