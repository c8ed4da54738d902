// The two redemption modes as the claim forms and the reimbursement page reckon with them: the
// subsidy a claim can expect, which mode (and which rules) a claim falls under, the body a claim
// sends, and what a reimbursement run would pay.
import { redemptionMode, type Program, type Redemption, type RedemptionInput, type RedemptionMode } from '../../api/types';
import { pilotRate } from '../admin/policy';

export interface SubsidyQuote {
  subsidy_fen: number;
  /** What the enterprise bears itself: the invoice less the subsidy. */
  own_fen: number;
  /** Set when the voucher's balance, not the rate, limits the subsidy. */
  capped_by: 'voucher_balance' | null;
}

/**
 * The subsidy a claim can expect, as the server reckons it: rate × invoice amount rounded down to
 * the fen, at most the voucher's balance. The server also applies the enterprise's yearly cap and
 * a cap per supplier, which the claim form does not know, so this is what it can expect at most.
 */
export function quoteSubsidy(invoiceFen: number, rateBps: number, balanceFen: number): SubsidyQuote {
  const amount = Math.max(0, Math.trunc(invoiceFen));
  const byRate = Number((BigInt(amount) * BigInt(Math.max(0, Math.min(10000, Math.trunc(rateBps))))) / 10000n);
  const balance = Math.max(0, Math.trunc(balanceFen));
  const subsidy = Math.min(byRate, balance);
  return { subsidy_fen: subsidy, own_fen: amount - subsidy, capped_by: balance < byRate ? 'voucher_balance' : null };
}

/** The rate a claim gets: the program's, plus its pilot-zone bonus for an enterprise in a pilot zone. */
export function claimRate(p: Pick<Program, 'rate_bps' | 'policy'>, pilotZone: boolean): number {
  return pilotZone ? pilotRate(p.rate_bps, p.policy?.pilot_bonus_bps) : p.rate_bps;
}

/** What a claim under some programs must meet: who claims, whether a contract and proof of delivery are needed. */
export interface ClaimRules {
  /** The mode of every program, or null when they differ (or there is none). */
  mode: RedemptionMode | null;
  /** True only when every program requires it. */
  contractRequired: boolean;
  deliveryProofRequired: boolean;
  instalmentsAllowed: boolean;
}

/**
 * The rules a claim falls under when it may belong to any of `programs` (a supplier who cannot see
 * the voucher knows only the programs whose selected list holds the product): a rule holds only if
 * it holds in each of them.
 */
export function claimRules(programs: Pick<Program, 'policy'>[]): ClaimRules {
  if (programs.length === 0) return { mode: null, contractRequired: false, deliveryProofRequired: false, instalmentsAllowed: false };
  const modes = new Set(programs.map((p) => redemptionMode(p)));
  const all = (f: (p: Pick<Program, 'policy'>) => boolean) => programs.every(f);
  return {
    mode: modes.size === 1 ? [...modes][0] : null,
    contractRequired: all((p) => !!p.policy?.contract_required),
    deliveryProofRequired: all((p) => !!p.policy?.delivery_proof_required),
    instalmentsAllowed: all((p) => !!p.policy?.instalments_allowed),
  };
}

export interface ClaimValues {
  voucher_id: string;
  product_id: string;
  invoice_number: string;
  invoice_amount_fen: number;
  /** YYYY-MM-DD */
  invoice_date: string;
  contract_id?: string | null;
  payment_proof?: string | null;
  delivery_proof?: string | null;
}

const text = (s: string | null | undefined) => {
  const v = (s ?? '').trim();
  return v === '' ? undefined : v;
};

/** The body of POST /redemptions; an empty contract or proof is left out. */
export function claimBody(v: ClaimValues): RedemptionInput {
  const body: RedemptionInput = {
    voucher_id: v.voucher_id.trim(),
    product_id: v.product_id,
    invoice_number: v.invoice_number.trim(),
    invoice_amount_fen: v.invoice_amount_fen,
    invoice_date: v.invoice_date,
  };
  const contract = text(v.contract_id);
  const payment = text(v.payment_proof);
  const delivery = text(v.delivery_proof);
  if (contract) body.contract_id = contract;
  if (payment) body.payment_proof = payment;
  if (delivery) body.delivery_proof = delivery;
  return body;
}

/**
 * What a reimbursement run for `period` (YYYY-MM) would pay the enterprise before any offset:
 * its claims still payable to it and invoiced up to the end of that month.
 */
export function reimbursementDue(rows: Pick<Redemption, 'payee' | 'status' | 'invoice_date' | 'subsidy_fen'>[], period: string): { count: number; total_fen: number } {
  let count = 0;
  let total = 0;
  for (const r of rows) {
    if (r.payee !== 'enterprise' || r.status !== 'payable' || r.invoice_date.slice(0, 7) > period) continue;
    count += 1;
    total += r.subsidy_fen;
  }
  return { count, total_fen: total };
}

/** YYYY-MM of a YYYY-MM-DD date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}
