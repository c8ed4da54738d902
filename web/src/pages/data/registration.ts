// Data resource registration (数据资源登记) and the authorization hub (授权运营): the pure parts of
// their pages — colours of statuses and standings, a follow-up registration prefilled from a
// registered one, the verification link of a certificate, a consent receipt's file name, the tree
// of authorizations and the reason an authorization is not in force.
import type {
  DataAuthorization,
  DataRegistration,
  RegistrationInput,
  RegistrationKind,
  RegistrationStatus,
  RightHolderInput,
  Standing,
} from '../../api/types';

export const STANDING_COLORS: Record<Standing, string> = {
  valid: 'success',
  changed: 'warning',
  cancelled: 'error',
  expired: 'default',
  not_registered: 'default',
};

export const REG_STATUS_COLORS: Record<RegistrationStatus, string> = {
  submitted: 'processing',
  accepted: 'cyan',
  returned: 'warning',
  in_notice: 'gold',
  registered: 'success',
  rejected: 'error',
  superseded: 'default',
  cancelled: 'default',
  expired: 'default',
};

/** The colour of a standing's big word on the verification page. */
export function standingTone(s: Standing): 'success' | 'warning' | 'error' | 'secondary' {
  if (s === 'valid') return 'success';
  if (s === 'changed') return 'warning';
  if (s === 'cancelled') return 'error';
  return 'secondary';
}

export const RIGHTS = ['holding', 'processing', 'operation'] as const;
export type Right = (typeof RIGHTS)[number];

/** Kinds a registered, valid registration may be followed by. */
export const FOLLOW_UP_KINDS: Exclude<RegistrationKind, 'initial'>[] = ['change', 'correction', 'renewal', 'cancellation'];

/** Whether a registration may be changed, corrected, renewed or cancelled: registered and valid, with a code. */
export function canFollowUp(r: Pick<DataRegistration, 'status' | 'standing' | 'code'>): boolean {
  return r.status === 'registered' && r.standing === 'valid' && !!r.code;
}

/** The applicant itself (an enterprise, or a supplier holding its corpora) as the holder of a right. */
export function selfHolder(partyId: string | null | undefined, name: string, kind: 'enterprise' | 'supplier' = 'enterprise'): RightHolderInput {
  return { party_kind: kind, party_id: partyId ?? null, name };
}

/** Whether the three rights are all held by one party (the form's "all ourselves" switch). */
export function sameHolder(a: RightHolderInput, b: RightHolderInput): boolean {
  return a.party_kind === b.party_kind && (a.party_id ?? null) === (b.party_id ?? null) && a.name === b.name;
}

/**
 * The input of a registration from an existing one: a resubmission (same kind and original) or,
 * with `kind`, a change, correction, renewal or cancellation of a registered one (its code as the
 * original, its content prefilled).
 */
export function inputFromRegistration(r: DataRegistration, kind?: RegistrationKind): RegistrationInput {
  const c = r.content;
  const h = (x: RightHolderInput): RightHolderInput => ({ party_kind: x.party_kind, party_id: x.party_id ?? null, name: x.name });
  const followUp = kind !== undefined;
  return {
    kind: followUp ? kind : r.kind,
    original_code: followUp ? r.code ?? null : r.original_code ?? null,
    reason: followUp ? null : r.reason ?? null,
    resource_name: c.resource_name,
    description: c.description,
    category: c.category,
    grade: c.grade,
    source: c.source,
    update_cycle: c.update_cycle,
    record_count: c.record_count,
    size_bytes: c.size_bytes,
    format: c.format,
    security_measures: c.security_measures,
    usage_permissions: c.usage_permissions,
    holding: h(c.rights.holding),
    processing: h(c.rights.processing),
    operation: h(c.rights.operation),
  };
}

/** The address a certificate's QR code points to. */
export function verifyUrl(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/verify/${encodeURIComponent(code)}`;
}

/** A registration code as typed by a person: trimmed, upper case. */
export function normalizeCode(s: string): string {
  return s.trim().toUpperCase();
}

/** The file a consent receipt is saved as. */
export function receiptFileName(r: { consent_receipt_id: string; scenario_name?: string }): string {
  const id = r.consent_receipt_id.replace(/[^A-Za-z0-9_-]+/g, '_');
  return `consent-receipt-${id}.json`;
}

/** "a, b；c\nd" → ['a','b','c','d']: the fields, recipients or codes typed in one box. */
export function splitList(s: string | null | undefined): string[] {
  return (s ?? '')
    .split(/[\s,，;；、]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/**
 * Why an authorization is not in force, as the code of its words (err.<code>): the server says
 * "authorization <id> was revoked" (itself, or an ancestor: the cascade), "… has not started", "…
 * ended on …".
 */
export function notInForceCode(a: Pick<DataAuthorization, 'id' | 'in_force' | 'not_in_force_reason'>): string | null {
  if (a.in_force) return null;
  const r = a.not_in_force_reason ?? '';
  if (/revoked/i.test(r)) {
    const hit = /authorization (\S+) was revoked/i.exec(r);
    return hit && hit[1] !== a.id ? 'parent_revoked' : 'authorization_revoked';
  }
  if (/not (yet )?start|before|begins/i.test(r)) return 'authorization_not_started';
  if (/end|expir|until/i.test(r)) return 'authorization_ended';
  return null;
}

export type AuthorizationNode = DataAuthorization & { children?: AuthorizationNode[] };

/** The authorizations as a tree by parent (an authorization whose parent is not among them is a root). */
export function authorizationTree(items: DataAuthorization[]): AuthorizationNode[] {
  const nodes = new Map<string, AuthorizationNode>(items.map((a) => [a.id, { ...a }]));
  const roots: AuthorizationNode[] = [];
  for (const a of items) {
    const n = nodes.get(a.id)!;
    const parent = a.parent_id ? nodes.get(a.parent_id) : undefined;
    if (parent) (parent.children ??= []).push(n);
    else roots.push(n);
  }
  return roots;
}

/** How many authorizations a revocation of `id` ends with it (itself and all below it). */
export function cascadeCount(items: DataAuthorization[], id: string): number {
  let n = 1;
  for (const a of items) if (a.parent_id === id) n += cascadeCount(items, a.id);
  return n;
}

/** A note in brackets after a name: "（企业 · ent_…）" in Chinese, " (Enterprise · ent_…)" in English. */
export function paren(lang: string, s: string): string {
  return lang === 'zh' ? `（${s}）` : ` (${s})`;
}
