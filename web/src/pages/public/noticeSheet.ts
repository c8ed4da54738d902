// 公示单 (/public/notices/:id): the printable public notice of a grant. A notice is published per
// approved application; the notices of one program approved on the same day with the same period
// went out together, so the sheet lists them all (the one asked for among them).
import type { Notice } from '../../api/types';

/** The absolute address of a notice's public page, as the printed sheet's QR code encodes it. */
export function noticeUrl(origin: string, applicationId: string): string {
  return `${origin.replace(/\/+$/, '')}/public/notices/${encodeURIComponent(applicationId)}`;
}

export interface NoticeSheet {
  /** The notice asked for. */
  notice: Notice;
  /** The notices published with it (it included): same program, day of approval and end of period. */
  batch: Notice[];
  /** Their proposed amounts, added up (fen). */
  totalFen: number;
}

/** The sheet of notice `id` among the notices under way, or null when it is none of them. */
export function noticeSheet(all: readonly Notice[], id: string): NoticeSheet | null {
  const notice = all.find((n) => n.application_id === id);
  if (!notice) return null;
  const batch = all
    .filter((n) => n.program_name === notice.program_name && n.approved_on === notice.approved_on && n.notice_ends_on === notice.notice_ends_on)
    .sort((a, b) => a.enterprise_name.localeCompare(b.enterprise_name, 'zh-CN') || a.application_id.localeCompare(b.application_id));
  return { notice, batch, totalFen: batch.reduce((s, n) => s + n.amount_fen, 0) };
}
