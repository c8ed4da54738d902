// 要素券核验 (public, /verify-voucher/:number): whether the platform issued a voucher of this number
// and how it stands — valid, expired or cancelled — in big words, with its holder, program, face
// value and validity; "no such voucher" for a number it never issued. The QR code of the voucher
// certificate (/ent/vouchers/:id/certificate) opens this page.
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Card, Descriptions, Input, Skeleton, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { VoucherVerification } from '../../api/types';
import { DateText, ErrorState, Money, PageHeader } from '../../components/common';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { normalizeVoucherNumber, voucherTone } from './voucherVerify';

const ICONS: Record<string, React.ReactNode> = {
  success: <CheckCircleFilled />,
  error: <CloseCircleFilled />,
  secondary: <ExclamationCircleFilled />,
};

export default function VerifyVoucher() {
  const { t, tEnum } = useT();
  const { number = '' } = useParams();
  const nav = useNavigate();
  // `null`: no number asked; `'missing'`: the platform issued none of this number.
  const d = useAsync<VoucherVerification | 'missing' | null>(
    (s) =>
      number
        ? api.get<VoucherVerification>(`/public/vouchers/${encodeURIComponent(number)}`, undefined, s).catch((e) => {
            if (e instanceof ApiError && e.status === 404) return 'missing' as const;
            throw e;
          })
        : Promise.resolve(null),
    [number],
  );
  const v = d.data;

  return (
    <div data-testid="page-verify-voucher">
      <PageHeader title={t('nav.verifyVoucher')} sub={t('vv.sub')} />
      <Card style={{ marginBottom: 16 }}>
        <Input.Search
          key={number}
          defaultValue={number}
          placeholder={t('vv.ph')}
          enterButton={t('vv.verify')}
          size="large"
          style={{ maxWidth: 520 }}
          aria-label={t('vv.number')}
          onSearch={(x) => x.trim() && nav(`/verify-voucher/${encodeURIComponent(normalizeVoucherNumber(x))}`)}
          data-testid="verify-voucher-input"
        />
      </Card>
      {!number ? null : d.error ? (
        <ErrorState error={d.error} onRetry={d.reload} />
      ) : d.loading || v === undefined ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : v === 'missing' || v === null ? (
        <Card data-testid="verify-voucher-none">
          <div className="verify-standing verify-error">
            <span className="verify-icon">{ICONS.error}</span>
            <span>{t('vv.notFound')}</span>
          </div>
          <Typography.Paragraph style={{ textAlign: 'center' }} type="secondary">
            {t('vv.notFoundSays', { number })}
          </Typography.Paragraph>
        </Card>
      ) : (
        <Card data-testid="verify-voucher-result" data-status={v.status}>
          <div className={`verify-standing verify-${voucherTone(v.status)}`} data-testid="verify-voucher-status">
            <span className="verify-icon">{ICONS[voucherTone(v.status)]}</span>
            <span>{tEnum('vst', v.status)}</span>
          </div>
          <Typography.Paragraph style={{ textAlign: 'center' }}>
            <span className="mono" data-testid="verify-voucher-number">{v.number}</span>
          </Typography.Paragraph>
          <Typography.Paragraph style={{ textAlign: 'center' }} type="secondary">
            {t(`vv.says.${v.status}` as 'vv.says.active')}
          </Typography.Paragraph>
          <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }}>
            <Descriptions.Item label={t('vv.holder')} span={2}>
              <strong data-testid="verify-voucher-holder">{v.holder_name}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('app.program')} span={2}>{v.program_name}</Descriptions.Item>
            <Descriptions.Item label={t('v.type')}>{tEnum('vt', v.voucher_type)}</Descriptions.Item>
            <Descriptions.Item label={t('v.face')}><Money fen={v.face_value_fen} strong /></Descriptions.Item>
            <Descriptions.Item label={t('vv.validity')}>
              <DateText d={v.valid_from} /> ~ <DateText d={v.valid_until} />
            </Descriptions.Item>
            <Descriptions.Item label={t('vv.issuedOn')}><DateText d={v.issued_on} /></Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </div>
  );
}
