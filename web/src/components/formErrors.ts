import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/** "funding[1].share_bps" → ["funding", 1, "share_bps"] */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part))) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return out;
}

/**
 * Put a server validation error next to its field. `known` lists the form's top-level field names
 * (the form uses the API's field names). Returns true when the error was placed on a field.
 */
export function applyServerFieldError(form: FormInstance, err: unknown, message: string, known: string[]): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const path = fieldPath(err.field);
  if (path.length === 0 || !known.includes(String(path[0]))) return false;
  // A nested path whose field is not a registered item (e.g. funding[1]) falls back to the top-level name.
  const target = form.getFieldInstance(path) !== undefined || path.length === 1 ? path : [path[0]];
  form.setFields([{ name: target, errors: [message] }]);
  try {
    form.scrollToField(target);
  } catch {
    /* ignore */
  }
  return true;
}
