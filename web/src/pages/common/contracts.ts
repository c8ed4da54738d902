// Contracts between an enterprise and a supplier, as the contract pages and the claim forms use
// them: what is left to claim, which contracts a claim may name, who the other party can be, and
// the body a registration sends.
import type { Contract, ContractInput, ProductKind, Role } from '../../api/types';

/** What is left to claim of a contract (its amount less the invoices claimed against it). */
export function contractLeft(c: Pick<Contract, 'amount_fen' | 'claimed_fen'>): number {
  return Math.max(0, c.amount_fen - c.claimed_fen);
}

/**
 * Whether a claim could still name the contract: something is left, and (unless the program allows
 * instalments) it has not been claimed yet. The server decides the rest (a claim in another
 * program, the signing window).
 */
export function contractClaimable(c: Pick<Contract, 'amount_fen' | 'claimed_fen' | 'claim_count'>, instalments: boolean): boolean {
  return contractLeft(c) > 0 && (instalments || c.claim_count === 0);
}

/** The contracts a claim between these parties for this kind may name (an absent criterion matches all). */
export function contractsFor<C extends Pick<Contract, 'enterprise_id' | 'supplier_id' | 'kind'>>(
  list: C[],
  m: { enterpriseId?: string | null; supplierId?: string | null; kind?: ProductKind | string | null },
): C[] {
  return list.filter(
    (c) =>
      (!m.enterpriseId || String(c.enterprise_id) === String(m.enterpriseId)) &&
      (!m.supplierId || String(c.supplier_id) === String(m.supplierId)) &&
      (!m.kind || c.kind === m.kind),
  );
}

/** A contract number: letters, digits and - _ / . ( ) (full-width brackets too), 1 to 64 of them. */
export const CONTRACT_NUMBER_RE = /^[\p{L}\p{N}\-_/.()（）]{1,64}$/u;

export interface PartyOption {
  value: string;
  label: string;
}

/**
 * Distinct parties by id with their names, sorted by name: the suppliers of the products an
 * enterprise can see, or the enterprises a supplier has redeemed for or contracted with (a
 * supplier may not search the enterprise registry).
 */
export function partyOptions(rows: { id: string | null | undefined; name: string | null | undefined }[]): PartyOption[] {
  const seen = new Map<string, string>();
  for (const r of rows) {
    if (!r.id) continue;
    const id = String(r.id);
    if (!seen.has(id) || (!seen.get(id) && r.name)) seen.set(id, r.name ?? '');
  }
  return [...seen.entries()]
    .map(([value, name]) => ({ value, label: name || value }))
    .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN') || a.value.localeCompare(b.value));
}

/** Whether typed text is an enterprise id as the server issues them (`ent_…`). */
export function looksLikeEnterpriseId(s: string): boolean {
  return /^ent_[A-Za-z0-9]{4,64}$/.test(s.trim());
}

export interface ContractValues {
  enterprise_id?: string;
  supplier_id?: string;
  contract_number: string;
  kind: ProductKind;
  subject: string;
  /** YYYY-MM-DD */
  signed_on: string;
  amount_fen: number;
}

/**
 * The body of POST /contracts: an enterprise user names the supplier (its own enterprise is
 * implied), a supplier user the enterprise, an administrator both.
 */
export function contractBody(v: ContractValues, role: Role): ContractInput {
  const body: ContractInput = {
    contract_number: v.contract_number.trim(),
    kind: v.kind,
    subject: v.subject.trim(),
    signed_on: v.signed_on,
    amount_fen: v.amount_fen,
  };
  if (role === 'supplier' || role === 'admin') body.enterprise_id = v.enterprise_id;
  if (role === 'enterprise' || role === 'admin') body.supplier_id = v.supplier_id;
  return body;
}

/** The roles that may register a contract (the auditor reads, a reviewer sees none). */
export function mayRegisterContract(role: string | undefined): boolean {
  return role === 'enterprise' || role === 'supplier' || role === 'admin';
}
