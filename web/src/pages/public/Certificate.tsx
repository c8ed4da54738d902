// 数据资源登记证书 (public, /certificate/:code): the printable certificate of a registration — its
// code, resource, the three rights and their holders, dates and digest — with a QR code that opens
// its verification page. The print stylesheet (styles.css, @media print) keeps the certificate
// alone on an A4 page.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Skeleton, Space } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { RegistrationVerification } from '../../api/types';
import { CertificateFoot } from '../../components/CertificateFoot';
import { ErrorState } from '../../components/common';
import { formatDate, formatNumber } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { paren, RIGHTS, verifyUrl } from '../data/registration';

export default function Certificate() {
  const { t, tEnum, lang } = useT();
  const { code = '' } = useParams();
  const d = useAsync((s) => api.get<RegistrationVerification>(`/public/registrations/${encodeURIComponent(code)}`, undefined, s), [code]);
  const url = verifyUrl(typeof window === 'undefined' ? '' : window.location.origin, code);

  if (d.error) return <ErrorState error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const v = d.data;
  const c = v.certificate;
  if (!c) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="certificate-none"
        message={t('dr.noCertificate', { standing: tEnum('standing', v.standing) })}
        action={<Link to={`/verify/${encodeURIComponent(code)}`}>{t('dr.verify')}</Link>}
      />
    );
  }
  const date = (x: string) => formatDate(x, lang);
  return (
    <div data-testid="page-certificate">
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="certificate-print">
          {t('dr.print')}
        </Button>
        <Link to={`/verify/${encodeURIComponent(code)}`}>{t('dr.verify')}</Link>
        {v.standing !== 'valid' ? <Alert type="warning" showIcon message={t('dr.certificateNotValid', { standing: tEnum('standing', v.standing) })} /> : null}
      </Space>
      <div className="certificate" data-testid="certificate">
        <h1 className="certificate-title">{t('dr.certTitle')}</h1>
        <div className="certificate-sub">{t('dr.certSub')}</div>
        <div className="certificate-code">
          {t('dr.code')}：<span className="mono" data-testid="certificate-code">{c.code}</span>
        </div>
        <table className="certificate-table">
          <tbody>
            <tr><th>{t('dr.resourceName')}</th><td colSpan={3}><strong>{c.resource_name}</strong></td></tr>
            <tr><th>{t('dr.kind')}</th><td>{tEnum('regkind', c.kind)}{c.original_code ? paren(lang, c.original_code) : ''}</td><th>{t('dr.category')}</th><td>{c.category}</td></tr>
            <tr><th>{t('dr.grade')}</th><td>{tEnum('grade', c.grade)}</td><th>{t('dr.recordCount')}</th><td>{formatNumber(c.record_count, lang, 0)}</td></tr>
            {RIGHTS.map((r) => (
              <tr key={r} data-testid={`certificate-right-${r}`}>
                <th>{tEnum('right', r)}</th>
                <td colSpan={3}>{c.rights[r].name}{paren(lang, tEnum('holder', c.rights[r].party_kind))}</td>
              </tr>
            ))}
            <tr><th>{t('dr.registeredOn')}</th><td>{date(c.registered_on)}</td><th>{t('dr.validPeriod')}</th><td>{date(c.valid_from)} ~ {date(c.valid_until)}</td></tr>
            <tr><th>{t('dr.digest')}</th><td colSpan={3} className="mono" style={{ wordBreak: 'break-all' }} data-testid="certificate-digest">{v.recorded_digest ?? '—'}</td></tr>
          </tbody>
        </table>
        <CertificateFoot issuer={t('dr.certIssuer')} scan={t('dr.certScan')} url={url} qrTestId="certificate-qr" />
      </div>
    </div>
  );
}
