// What the confirmation before a redemption shows, from the server's preview (POST
// /redemptions/preview, the same facts and rules as the redemption, nothing written): who holds
// the voucher, the program, the invoice, the balance now, what the voucher pays, the enterprise's
// share, the balance after and who is paid; and whether the payment would be held for review.
import type { RedemptionPreview } from '../../api/types';
import type { MsgKey } from '../../i18n';

export type PreviewRow =
  | { key: 'holder' | 'program'; label: MsgKey; kind: 'text'; text: string }
  | { key: 'invoice' | 'balance' | 'subsidy' | 'entPays' | 'balanceAfter'; label: MsgKey; kind: 'money'; fen: number; strong?: boolean }
  | { key: 'payee'; label: MsgKey; kind: 'payee'; payee: string };

/** The rows of the confirmation, in the order they are read. */
export function previewRows(p: RedemptionPreview): PreviewRow[] {
  return [
    { key: 'holder', label: 'rp.holder', kind: 'text', text: p.enterprise_name },
    { key: 'program', label: 'app.program', kind: 'text', text: p.program_name },
    { key: 'invoice', label: 'r.invoiceAmount', kind: 'money', fen: p.invoice_amount_fen },
    { key: 'balance', label: 'rp.balanceNow', kind: 'money', fen: p.balance_fen },
    { key: 'subsidy', label: 'rp.subsidy', kind: 'money', fen: p.subsidy_fen, strong: true },
    { key: 'entPays', label: 'rp.entPays', kind: 'money', fen: p.enterprise_pays_fen },
    { key: 'balanceAfter', label: 'rp.balanceAfter', kind: 'money', fen: p.balance_after_fen },
    { key: 'payee', label: 'r.payee', kind: 'payee', payee: p.payee },
  ];
}

/** The preview's hold as the fields a redemption carries it in (for HoldReasonText); null when none. */
export function previewHold(p: RedemptionPreview): { hold: NonNullable<RedemptionPreview['hold']>; release_note: null; hold_reason: null } | null {
  return p.hold ? { hold: p.hold, release_note: null, hold_reason: null } : null;
}
