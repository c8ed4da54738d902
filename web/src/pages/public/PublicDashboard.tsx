import { Card, Col, Row, Skeleton, Statistic, Tooltip, Typography } from 'antd';
import { api } from '../../api/client';
import { useToday } from '../../clock';
import type { Dashboard } from '../../api/types';
import { Chart } from '../../components/Chart';
import { EmptyState, ErrorState } from '../../components/common';
import { formatDate, formatFen, formatNumber } from '../../format';
import { useAsync } from '../../hooks';
import { useT, type MsgKey } from '../../i18n';
import { byCityOption, byMonthOption, byTypePieOption } from './charts';

const MONEY_TOTALS: { key: keyof Dashboard['totals']; label: MsgKey }[] = [
  { key: 'budget_fen', label: 'dash.budget' },
  { key: 'granted_fen', label: 'dash.granted' },
  { key: 'spent_fen', label: 'dash.spent' },
  { key: 'settled_fen', label: 'dash.settled' },
];

export default function PublicDashboard() {
  const { t, lang, tEnum } = useT();
  const { data, error, loading, reload } = useAsync((s) => api.get<Dashboard>('/public/dashboard', undefined, s), []);
  const today = useToday();
  const asOf = today && (
    <span data-testid="dash-as-of" data-today={today}>
      {t('dash.asOf', { date: formatDate(today, lang) })}
    </span>
  );

  return (
    <div data-testid="page-public-dashboard">
      <div className="hero">
        <h1>{t('dash.title')}</h1>
        <div className="sub">{t('app.subtitle')} · {t('dash.sub')}</div>
        {asOf && <div className="as-of">{asOf}</div>}
      </div>
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : data ? (
        <>
          <Row gutter={[16, 16]} align="stretch">
            {MONEY_TOTALS.map((m) => (
              <Col xs={24} sm={12} lg={6} key={m.key}>
                <Card className="stat-card">
                  <Statistic
                    title={t(m.label)}
                    value={formatFen(data.totals[m.key], lang)}
                    valueStyle={{ fontSize: 24 }}
                    valueRender={(node) => <span data-testid={`dash-total-${m.key.replace('_fen', '')}`} data-fen={data.totals[m.key]}>{node}</span>}
                  />
                </Card>
              </Col>
            ))}
            <Col xs={12} lg={6}>
              <Card className="stat-card" size="small">
                <Statistic title={t('dash.reserved')} value={formatFen(data.totals.reserved_fen, lang)} valueStyle={{ fontSize: 18 }} />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card className="stat-card" size="small">
                <Statistic title={t('dash.released')} value={formatFen(data.totals.released_fen, lang)} valueStyle={{ fontSize: 18 }} />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card className="stat-card" size="small">
                <Statistic
                  title={
                    <Tooltip title={t('dash.beneficiariesHint')}>
                      <span>{t('dash.beneficiaries')}</span>
                    </Tooltip>
                  }
                  value={formatNumber(data.totals.beneficiaries, lang)}
                  valueStyle={{ fontSize: 18 }}
                  valueRender={(n) => <span data-testid="dash-total-beneficiaries" data-count={data.totals.beneficiaries}>{n}</span>}
                />
                <Tooltip title={t('dash.registeredHint')}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="dash-registered">
                    {t('dash.registered')}{' '}
                    <span data-testid="dash-total-enterprises" data-count={data.totals.enterprises}>{formatNumber(data.totals.enterprises, lang)}</span>
                  </Typography.Text>
                </Tooltip>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card className="stat-card" size="small">
                <Statistic
                  title={t('dash.vouchers')}
                  value={formatNumber(data.totals.vouchers, lang)}
                  valueStyle={{ fontSize: 18 }}
                  valueRender={(n) => <span data-testid="dash-total-vouchers">{n}</span>}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={16}>
              <Card title={t('dash.byCity')}>
                {data.by_city.length ? <Chart label={t('dash.byCity')} option={byCityOption(data, lang, t)} height={340} testid="chart-by-city" /> : <EmptyState description={t('dash.noData')} />}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('dash.byType')}>
                {data.by_voucher_type.some((v) => v.granted_fen > 0) ? (
                  <Chart label={t('dash.byType')} option={byTypePieOption(data, lang, tEnum)} height={340} testid="chart-by-type" />
                ) : (
                  <EmptyState description={t('dash.noData')} />
                )}
              </Card>
            </Col>
            <Col xs={24}>
              <Card title={t('dash.byMonth')}>
                {data.by_month.length ? <Chart label={t('dash.byMonth')} option={byMonthOption(data, lang, t)} height={300} testid="chart-by-month" /> : <EmptyState description={t('dash.noData')} />}
              </Card>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            {t('dash.sub')}
          </Typography.Paragraph>
        </>
      ) : null}
    </div>
  );
}
