import { Card, Col, Row, Skeleton, Typography } from 'antd';
import { api } from '../../api/client';
import type { Dashboard } from '../../api/types';
import { Chart } from '../../components/Chart';
import { EmptyState, ErrorState, PageHeader } from '../../components/common';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { byCityOption, byTypeBarOption } from '../public/charts';
import { UsageBlock } from '../common/UsageSummary';

export default function Stats() {
  const { t, lang, tEnum } = useT();
  const dash = useAsync((s) => api.get<Dashboard>('/public/dashboard', undefined, s), []);
  const d = dash.data;
  return (
    <div data-testid="page-admin-stats">
      <PageHeader title={t('stats.title')} />
      {dash.error ? (
        <ErrorState error={dash.error} onRetry={dash.reload} />
      ) : !d ? (
        <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Card title={t('stats.byCity')}>
              {d.by_city.some((c) => c.spent_fen > 0) ? <Chart testid="chart-redeemed-by-city" label={t('stats.byCity')} option={byCityOption(d, lang, t, ['spent'])} /> : <EmptyState description={t('dash.noData')} />}
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title={t('stats.byType')}>
              {d.by_voucher_type.length ? (
                <Chart testid="chart-redeemed-by-type" label={t('stats.byType')} option={byTypeBarOption(d, lang, t, tEnum, ['budget', 'granted', 'spent'])} />
              ) : (
                <EmptyState description={t('dash.noData')} />
              )}
            </Card>
          </Col>
        </Row>
      )}
      <div style={{ marginTop: 16 }}>
        <Typography.Title level={5}>{t('stats.usageByHub')}</Typography.Title>
        <UsageBlock compact />
      </div>
    </div>
  );
}
