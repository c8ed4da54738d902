// The files of enterprises and suppliers as the administrator sees them: an enterprise's file
// history turned into "in force from … until …" rows, and the bodies of PATCH /enterprises/{id}
// and PATCH /suppliers/{id}, which send only what the form changed.
import type { Enterprise, EnterprisePatch, FileVersion, Supplier, SupplierPatch } from '../../api/types';
import { changedFields, normalizeField, REGISTERED_FIELDS, registeredOf, type RegisteredDraft, type RegisteredField, type RegisteredFile } from '../enterprise/changeRequest';

/** One version of the registered file and the days it was in force. */
export interface HistoryRow {
  key: string;
  /** The version's number in the history; null for the file in force now. */
  seq: number | null;
  /** The day it took effect (YYYY-MM-DD); null when not known (the first version, before registration was dated). */
  from: string | null;
  /** The day a change replaced it; null for the file in force now. */
  until: string | null;
  file: RegisteredFile;
  /** The fields in which this version differs from the one before it (none for the oldest). */
  changed: RegisteredField[];
}

function fileOf(v: FileVersion): RegisteredFile {
  return {
    industry: v.industry,
    size_class: v.size_class,
    legal_rep: v.legal_rep,
    actual_controller: v.actual_controller ?? '',
    city_code: v.city_code,
    shareholders: [...(v.shareholders ?? [])],
  };
}

function differing(a: RegisteredFile, b: RegisteredFile): RegisteredField[] {
  return REGISTERED_FIELDS.filter((f) => JSON.stringify(normalizeField(f, a[f])) !== JSON.stringify(normalizeField(f, b[f])));
}

/**
 * The file in force now, then each earlier version, newest first: a version was in force from the
 * day the one before it was replaced (the oldest from `registeredOn`, when given) until its own
 * `superseded_on`. The versions are ordered by `seq` whatever order they come in.
 */
export function historyRows(current: RegisteredFile, versions: FileVersion[], registeredOn?: string | null): HistoryRow[] {
  const older = [...versions].sort((a, b) => b.seq - a.seq);
  const files = [current, ...older.map(fileOf)];
  const firstDay = registeredOn ? registeredOn.slice(0, 10) : null;
  return files.map((file, i) => {
    const prev = files[i + 1];
    const v = i === 0 ? null : older[i - 1];
    return {
      key: v ? `v${v.seq}` : 'current',
      seq: v ? v.seq : null,
      from: older[i]?.superseded_on ?? firstDay,
      until: v ? v.superseded_on : null,
      file,
      changed: prev ? differing(file, prev) : [],
    };
  });
}

/** What the administrator's enterprise form holds. */
export type EnterpriseDraft = RegisteredDraft & { name?: string | null; pilot_zone?: boolean | null };

/** PATCH /enterprises/{id}: the fields that differ from the file, normalized; null when none does. */
export function enterprisePatchBody(before: Enterprise, draft: EnterpriseDraft): EnterprisePatch | null {
  const body: EnterprisePatch = { ...changedFields(registeredOf(before), draft) };
  const name = typeof draft.name === 'string' ? draft.name.trim() : undefined;
  if (name !== undefined && name !== before.name.trim()) body.name = name;
  if (typeof draft.pilot_zone === 'boolean' && draft.pilot_zone !== before.pilot_zone) body.pilot_zone = draft.pilot_zone;
  return Object.keys(body).length ? body : null;
}

/** What the supplier form holds. */
export interface SupplierDraft {
  name?: string | null;
  city_code?: string | null;
  legal_rep?: string | null;
  actual_controller?: string | null;
  shareholders?: string[] | null;
  suspended?: boolean | null;
  suspend_reason?: string | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown) => (Array.isArray(v) ? v.map(text).filter((s) => s !== '') : []);

/**
 * PATCH /suppliers/{id}: the changed fields; null when nothing changed. Suspending sends the
 * reason with it (the server requires one); a new reason of a supplier already suspended is sent
 * with `suspended: true`, since the server reads the reason only alongside the flag; lifting sends
 * `suspended: false` alone (the server clears the reason).
 */
export function supplierPatchBody(before: Supplier, draft: SupplierDraft): SupplierPatch | null {
  const body: SupplierPatch = {};
  for (const f of ['name', 'city_code', 'legal_rep', 'actual_controller'] as const) {
    if (draft[f] === undefined) continue;
    const v = text(draft[f]);
    if (v !== text(before[f] ?? '')) body[f] = v;
  }
  if (draft.shareholders !== undefined) {
    const v = list(draft.shareholders);
    if (JSON.stringify(v) !== JSON.stringify(list(before.shareholders))) body.shareholders = v;
  }
  if (typeof draft.suspended === 'boolean') {
    const reason = text(draft.suspend_reason);
    if (draft.suspended && (!before.suspended || reason !== text(before.suspend_reason))) {
      body.suspended = true;
      body.suspend_reason = reason;
    } else if (!draft.suspended && before.suspended) {
      body.suspended = false;
    }
  }
  return Object.keys(body).length ? body : null;
}
