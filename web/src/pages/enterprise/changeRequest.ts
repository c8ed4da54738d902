// A change request to an enterprise's registered file (企业信息变更申请): which fields the form
// changed, and the body it sends. Only fields whose value differs from the file — as the server
// would store it (text trimmed, the industry section upper-case, blank shareholders dropped) — go
// into the request: the server refuses a request that changes nothing (400 no_change), and a field
// sent unchanged would only blur what the administrator is asked to approve.
import type { Enterprise, EnterpriseChangeInput, FieldChange } from '../../api/types';
import type { MsgKey } from '../../i18n';

/** The registered fields an enterprise changes by request, in the order the server lists a diff. */
export const REGISTERED_FIELDS = ['industry', 'size_class', 'legal_rep', 'actual_controller', 'city_code', 'shareholders'] as const;
export type RegisteredField = (typeof REGISTERED_FIELDS)[number];
export type RegisteredFile = Pick<Enterprise, RegisteredField>;
/** What the change form holds: a field may be missing or cleared while the user edits. */
export type RegisteredDraft = { [K in RegisteredField]?: RegisteredFile[K] | null };

/** The label of a field of a change request (FieldChange.field); undefined for a field the UI does not know. */
export const FIELD_LABELS: Record<RegisteredField, MsgKey> = {
  industry: 'ent.industry',
  size_class: 'ent.size',
  legal_rep: 'ent.legalRep',
  actual_controller: 'ent.actualController',
  city_code: 'common.city',
  shareholders: 'ent.shareholders',
};

export function isRegisteredField(f: string): f is RegisteredField {
  return (REGISTERED_FIELDS as readonly string[]).includes(f);
}

/** The registered fields of a file. */
export function registeredOf(e: Enterprise): RegisteredFile {
  return {
    industry: e.industry,
    size_class: e.size_class,
    legal_rep: e.legal_rep,
    // Blank when the file declares none (older files may not carry the field at all).
    actual_controller: e.actual_controller ?? '',
    city_code: e.city_code,
    shareholders: [...(e.shareholders ?? [])],
  };
}

function normalizeText(v: unknown): string {
  return typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v).trim();
}

function normalizeList(v: unknown): string[] {
  return (Array.isArray(v) ? v : []).map(normalizeText).filter((s) => s !== '');
}

/** A field's value as the server stores it. */
export function normalizeField<K extends RegisteredField>(field: K, v: unknown): RegisteredFile[K] {
  if (field === 'shareholders') return normalizeList(v) as RegisteredFile[K];
  const s = normalizeText(v);
  return (field === 'industry' ? s.toUpperCase() : s) as RegisteredFile[K];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of `draft` that differ from `file`, normalized. A field the draft does not hold
 * (undefined) is left as it is; the order of shareholders counts, as it does on the server.
 */
export function changedFields(file: RegisteredFile, draft: RegisteredDraft): Partial<RegisteredFile> {
  const out: Partial<Record<RegisteredField, unknown>> = {};
  for (const f of REGISTERED_FIELDS) {
    if (draft[f] === undefined) continue;
    const after = normalizeField(f, draft[f]);
    if (!same(after, normalizeField(f, file[f]))) out[f] = after;
  }
  return out as Partial<RegisteredFile>;
}

/** The body of POST /enterprises/{id}/change-requests, or null when the draft changes nothing. */
export function changeRequestBody(file: RegisteredFile, draft: RegisteredDraft, evidence: string): EnterpriseChangeInput | null {
  const changes = changedFields(file, draft);
  if (Object.keys(changes).length === 0) return null;
  return { ...changes, evidence: evidence.trim() };
}

/** The before/after rows the server will record for the draft (shareholders joined by "、", as it does). */
export function previewChanges(file: RegisteredFile, draft: RegisteredDraft): FieldChange[] {
  const changes = changedFields(file, draft);
  const show = (f: RegisteredField, v: unknown) => (f === 'shareholders' ? normalizeList(v).join('、') : normalizeText(v));
  return REGISTERED_FIELDS.filter((f) => f in changes).map((f) => ({ field: f, before: show(f, file[f]), after: show(f, changes[f]) }));
}

/** Tag colours of a change request's status (an approved request is done, a rejected one refused). */
export const CHANGE_STATUS_COLORS: Record<string, string> = { pending: 'processing', approved: 'success', rejected: 'error' };
