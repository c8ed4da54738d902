// The public check of a voucher by its number (/verify-voucher/:number), which the QR code of the
// voucher certificate opens.

/** The absolute address of a voucher's verification page, as the certificate's QR code encodes it. */
export function voucherVerifyUrl(origin: string, number: string): string {
  return `${origin.replace(/\/+$/, '')}/verify-voucher/${encodeURIComponent(number)}`;
}

/** A voucher number as typed by a person: trimmed, upper case. */
export function normalizeVoucherNumber(s: string): string {
  return s.trim().toUpperCase();
}

/** The colour a voucher's status is shown in: valid green, ended grey, cancelled red. */
export function voucherTone(status: string | null | undefined): 'success' | 'secondary' | 'error' {
  return status === 'active' ? 'success' : status === 'cancelled' ? 'error' : 'secondary';
}
