// 登记核验 (public, /verify/:code): how a registration code stands today — valid, changed,
// cancelled, expired or not registered — in big words, with its certificate, whether the
// certificate matches the digest recorded in the audit chain, and the code that replaced it.
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Input, Skeleton, Space, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { RegistrationVerification, Standing } from '../../api/types';
import { DateText, ErrorState, PageHeader } from '../../components/common';
import { formatNumber } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { normalizeCode, standingTone } from '../data/registration';
import { RightsDescriptions } from '../data/RegistrationParts';

const ICONS: Record<string, React.ReactNode> = {
  success: <CheckCircleFilled />,
  warning: <ExclamationCircleFilled />,
  error: <CloseCircleFilled />,
  secondary: <ExclamationCircleFilled />,
};

export default function Verify() {
  const { t, tEnum, lang } = useT();
  const { code = '' } = useParams();
  const nav = useNavigate();
  const d = useAsync(
    (s) =>
      code
        ? api.get<RegistrationVerification>(`/public/registrations/${encodeURIComponent(code)}`, undefined, s).catch((e) => {
            if (e instanceof ApiError && e.status === 404) return { code, standing: 'not_registered' as Standing, digest_matches: false, checked_on: '' } as RegistrationVerification;
            throw e;
          })
        : Promise.resolve(null),
    [code],
  );
  const v = d.data;
  const tone = v ? standingTone(v.standing) : 'secondary';
  const cert = v?.certificate ?? null;

  return (
    <div data-testid="page-verify">
      <PageHeader title={t('nav.verify')} sub={t('dr.verifySub')} />
      <Card style={{ marginBottom: 16 }}>
        <Input.Search
          key={code}
          defaultValue={code}
          placeholder={t('dr.verifyPh')}
          enterButton={t('dr.verify')}
          size="large"
          style={{ maxWidth: 520 }}
          onSearch={(x) => x.trim() && nav(`/verify/${encodeURIComponent(normalizeCode(x))}`)}
          data-testid="verify-input"
        />
      </Card>
      {!code ? null : d.error ? (
        <ErrorState error={d.error} onRetry={d.reload} />
      ) : !v ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Card data-testid="verify-result" data-standing={v.standing}>
          <div className={`verify-standing verify-${tone}`} data-testid="verify-standing">
            <span className="verify-icon">{ICONS[tone]}</span>
            <span>{tEnum('standing', v.standing)}</span>
          </div>
          <Typography.Paragraph style={{ textAlign: 'center' }}>
            <span className="mono" data-testid="verify-code">{v.code}</span>
            {v.checked_on ? <Typography.Text type="secondary"> · {t('dr.checkedOn', { date: v.checked_on })}</Typography.Text> : null}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ textAlign: 'center' }} type="secondary">{t(`dr.standingSays.${v.standing}` as 'dr.standingSays.valid')}</Typography.Paragraph>
          {v.successor_code ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="verify-successor"
              message={
                <span>
                  {t('dr.successorIs')} <Link to={`/verify/${encodeURIComponent(v.successor_code)}`} className="mono">{v.successor_code}</Link>
                </span>
              }
            />
          ) : null}
          {cert ? (
            <>
              <Alert
                type={v.digest_matches ? 'success' : 'error'}
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="verify-digest"
                data-matches={v.digest_matches}
                message={v.digest_matches ? t('dr.digestMatches') : t('dr.digestMismatch')}
                description={v.recorded_digest ? <span className="mono" style={{ wordBreak: 'break-all' }}>{v.recorded_digest}</span> : undefined}
              />
              <Descriptions bordered size="small" column={2} title={<Space><SafetyCertificateOutlined />{t('dr.certificate')}</Space>} data-testid="verify-certificate">
                <Descriptions.Item label={t('dr.resourceName')} span={2}><strong>{cert.resource_name}</strong></Descriptions.Item>
                <Descriptions.Item label={t('dr.kind')}>{tEnum('regkind', cert.kind)}</Descriptions.Item>
                <Descriptions.Item label={t('dr.originalCode')}>{cert.original_code ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('dr.category')}>{cert.category}</Descriptions.Item>
                <Descriptions.Item label={t('dr.grade')}>{tEnum('grade', cert.grade)}</Descriptions.Item>
                <Descriptions.Item label={t('dr.recordCount')}>{formatNumber(cert.record_count, lang, 0)}</Descriptions.Item>
                <Descriptions.Item label={t('dr.registeredOn')}><DateText d={cert.registered_on} /></Descriptions.Item>
                <Descriptions.Item label={t('dr.validPeriod')} span={2}>
                  <DateText d={cert.valid_from} /> ~ <DateText d={cert.valid_until} />
                </Descriptions.Item>
              </Descriptions>
              <div style={{ marginTop: 16 }}>
                <RightsDescriptions rights={cert.rights} />
              </div>
              <div style={{ marginTop: 16 }}>
                <Link to={`/certificate/${encodeURIComponent(v.code)}`} data-testid="verify-open-certificate">
                  <Button icon={<SafetyCertificateOutlined />}>{t('dr.openCertificate')}</Button>
                </Link>
              </div>
            </>
          ) : null}
        </Card>
      )}
    </div>
  );
}
