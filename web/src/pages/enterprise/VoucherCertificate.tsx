// 券凭证 (/ent/vouchers/:id/certificate): the holder's printable certificate of a voucher — number,
// holder, program, type, face value, validity and issue date — with a QR code that opens the
// voucher's public verification page (/verify-voucher/:number). The print stylesheet (styles.css,
// @media print) leaves the certificate alone on an A4 page, without the menu and the buttons.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Skeleton, Space } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { Voucher, VoucherVerification } from '../../api/types';
import { CertificateFoot } from '../../components/CertificateFoot';
import { ErrorState } from '../../components/common';
import { formatDate, formatFen } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { voucherVerifyUrl } from '../public/voucherVerify';

export default function VoucherCertificate() {
  const { t, tEnum, lang } = useT();
  const { id = '' } = useParams();
  const d = useAsync(async (s) => {
    const v = await api.get<Voucher>(`/vouchers/${encodeURIComponent(id)}`, undefined, s);
    // What the QR code's page will show (its issue date is the platform's day of issue).
    const pub = v.number ? await api.get<VoucherVerification>(`/public/vouchers/${encodeURIComponent(v.number)}`, undefined, s).catch(() => null) : null;
    return { v, pub };
  }, [id]);
  const number = d.data?.v.number ?? '';
  const url = number ? voucherVerifyUrl(typeof window === 'undefined' ? '' : window.location.origin, number) : '';

  if (d.error) return <ErrorState error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const { v, pub } = d.data;
  const date = (x: string | null | undefined) => formatDate(x, lang);
  const issuedOn = pub?.issued_on ?? (v.issued_at ? v.issued_at.slice(0, 10) : null);
  return (
    <div data-testid="page-voucher-certificate">
      <Space className="no-print" style={{ marginBottom: 16 }} wrap>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="voucher-certificate-print">
          {t('dr.print')}
        </Button>
        <Link to="/ent/vouchers">{t('nav.ent.vouchers')}</Link>
        {number ? <Link to={`/verify-voucher/${encodeURIComponent(number)}`} data-testid="voucher-certificate-verify">{t('vv.openVerify')}</Link> : null}
        {v.status !== 'active' ? <Alert type="warning" showIcon message={t('vv.notActive', { status: tEnum('vst', v.status) })} /> : null}
      </Space>
      <div className="certificate" data-testid="voucher-certificate">
        <h1 className={lang === 'en' ? 'certificate-title certificate-title-en' : 'certificate-title'}>{t('vv.certTitle')}</h1>
        <div className="certificate-sub">{t('vv.certSub')}</div>
        <div className="certificate-code">
          {t('vv.number')}{lang === 'zh' ? '：' : ': '}<span className="mono" data-testid="voucher-certificate-number">{number || '—'}</span>
        </div>
        <table className="certificate-table">
          <tbody>
            <tr><th>{t('vv.holder')}</th><td colSpan={3}><strong data-testid="voucher-certificate-holder">{pub?.holder_name ?? v.enterprise_name}</strong></td></tr>
            <tr><th>{t('app.program')}</th><td colSpan={3}>{v.program_name}</td></tr>
            <tr><th>{t('v.type')}</th><td>{tEnum('vt', v.voucher_type)}</td><th>{t('v.face')}</th><td data-testid="voucher-certificate-face"><strong>{formatFen(v.face_value_fen, lang)}</strong></td></tr>
            <tr><th>{t('vv.validity')}</th><td>{date(v.valid_from)} ~ {date(v.valid_until)}</td><th>{t('vv.issuedOn')}</th><td>{date(issuedOn)}</td></tr>
            <tr><th>{t('common.status')}</th><td colSpan={3}>{tEnum('vst', v.status)}</td></tr>
          </tbody>
        </table>
        <CertificateFoot issuer={t('vv.certIssuer')} scan={t('vv.certScan')} url={url} qrTestId="voucher-certificate-qr" />
      </div>
    </div>
  );
}
