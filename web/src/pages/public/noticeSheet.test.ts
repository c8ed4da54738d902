import { describe, expect, it } from 'vitest';
import type { Notice } from '../../api/types';
import { noticeSheet, noticeUrl } from './noticeSheet';

const n = (id: string, over: Partial<Notice> = {}): Notice => ({
  application_id: id, amount_fen: 100_00, approved_on: '2026-03-01', notice_ends_on: '2026-03-08', city_code: '370100',
  enterprise_name: `企业${id}`, program_name: '算力券 2026', uscc: '91370100MA3C8X1234', voucher_type: 'compute', ...over,
});

describe('noticeSheet', () => {
  it('lists the notices published together with the one asked for, and their total', () => {
    const all = [n('b', { enterprise_name: '乙公司', amount_fen: 300_00 }), n('a', { enterprise_name: '甲公司' }), n('c', { approved_on: '2026-03-02' }), n('d', { program_name: '模型券' })];
    const s = noticeSheet(all, 'b')!;
    expect(s.notice.application_id).toBe('b');
    expect(s.batch.map((x) => x.application_id).sort()).toEqual(['a', 'b']);
    expect(s.totalFen).toBe(400_00);
  });
  it('is null for a notice not under way', () => {
    expect(noticeSheet([n('a')], 'zz')).toBeNull();
  });
  it('addresses the notice page', () => {
    expect(noticeUrl('http://x.cn/', 'app_1 2')).toBe('http://x.cn/public/notices/app_1%202');
  });
});
