// Human-readable numbers (Application, Voucher, Redemption, Settlement, Reimbursement `number`,
// e.g. SD-AP-2026-000123) are what people read and search; the raw id is demoted to a short form
// (its first 8 characters and an ellipsis) that copies in full.

/** The first 8 characters of an id and an ellipsis; an id of 8 characters or fewer as it is. */
export function shortId(id: string | number | null | undefined): string {
  if (id === null || id === undefined) return '';
  const s = String(id);
  return s.length > 8 ? `${s.slice(0, 8)}…` : s;
}

/** The search term a list sends as `q`: trimmed, and none when blank. */
export function searchTerm(v: string | null | undefined): string | undefined {
  const s = (v ?? '').trim();
  return s ? s : undefined;
}
