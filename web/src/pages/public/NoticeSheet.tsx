// 公示单 (/public/notices/:id): one grant notice as a printable sheet — its text, the grants
// published with it (enterprises, USCCs, amounts), its period, how to object, who issued it, and a
// QR code to this very page, where the notice can be read online and objected to. The print
// stylesheet (styles.css, @media print) leaves the sheet alone, without the menu and the buttons.
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Result, Skeleton, Space } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { Notice } from '../../api/types';
import { CertificateFoot } from '../../components/CertificateFoot';
import { ErrorState } from '../../components/common';
import { formatDate, formatFen } from '../../format';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { noticeSheet, noticeUrl } from './noticeSheet';

export default function NoticeSheet() {
  const { t, tEnum, lang } = useT();
  const { id = '' } = useParams();
  // The server answers every notice under way (no paging parameters).
  const d = useAsync((s) => api.get<Notice[] | { items: Notice[] }>('/public/notices', undefined, s).then(normalizeArray<Notice>), []);
  if (d.error) return <ErrorState error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const sheet = noticeSheet(d.data, id);
  if (!sheet) {
    return (
      <Result
        status="404"
        title={<h1 className="inline-h1" data-testid="notice-sheet-none">{t('pns.none')}</h1>}
        subTitle={t('pns.noneSub')}
        extra={<Link to="/public/notices"><Button type="primary">{t('pns.back')}</Button></Link>}
      />
    );
  }
  const { notice, batch, totalFen } = sheet;
  const url = noticeUrl(typeof window === 'undefined' ? '' : window.location.origin, notice.application_id);
  const date = (x: string) => formatDate(x, lang);
  return (
    <div data-testid="page-notice-sheet">
      <Space className="no-print" style={{ marginBottom: 16 }} wrap>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="notice-sheet-print">
          {t('dr.print')}
        </Button>
        <Link to="/public/notices" data-testid="notice-sheet-back">{t('pns.back')}</Link>
      </Space>
      <div className="certificate notice-sheet" data-testid="notice-sheet" data-id={notice.application_id}>
        <h1 className="notice-sheet-title">{t('pns.title', { program: notice.program_name })}</h1>
        <p className="notice-sheet-body">{t('pns.body', { program: notice.program_name })}</p>
        <p data-testid="notice-sheet-period">
          <strong>{t('pns.period')}{lang === 'zh' ? '：' : ': '}</strong>
          {t('pns.periodValue', { from: date(notice.approved_on), until: date(notice.notice_ends_on) })}
        </p>
        <table className="certificate-table notice-sheet-table" data-testid="notice-sheet-list">
          <thead>
            <tr>
              <th>{t('pns.no')}</th>
              <th>{t('notice.enterprise')}</th>
              <th>{t('ent.uscc')}</th>
              <th>{t('v.type')}</th>
              <th style={{ textAlign: 'right' }}>{t('notice.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {batch.map((n, i) => (
              <tr key={n.application_id} data-row-key={n.application_id} className={n.application_id === notice.application_id ? 'notice-sheet-this' : undefined}>
                <td>{i + 1}</td>
                <td><strong>{n.enterprise_name}</strong></td>
                <td className="mono">{n.uscc}</td>
                <td>{tEnum('vt', n.voucher_type)}</td>
                <td style={{ textAlign: 'right' }} data-fen={n.amount_fen}>{formatFen(n.amount_fen, lang)}</td>
              </tr>
            ))}
            <tr>
              <th colSpan={4}>{t('pns.total', { n: batch.length })}</th>
              <td style={{ textAlign: 'right' }} data-testid="notice-sheet-total" data-fen={totalFen}><strong>{formatFen(totalFen, lang)}</strong></td>
            </tr>
          </tbody>
        </table>
        <h2 className="notice-sheet-h2">{t('pns.objectTitle')}</h2>
        <p data-testid="notice-sheet-object">{t('pns.object')}</p>
        <p className="notice-sheet-date">{t('pns.issuedOn', { date: date(notice.approved_on) })}</p>
        <CertificateFoot issuer={t('pns.issuer')} scan={t('pns.scan')} url={url} qrTestId="notice-sheet-qr" />
      </div>
    </div>
  );
}
