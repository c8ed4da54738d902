import { Card, Col, Row, Select, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../api/client';
import type { EnterpriseUsage, HubUsage, ProductUsage, UsageFigures, UsageSummary as Summary } from '../../api/types';
import { Chart } from '../../components/Chart';
import { ErrorState, Money, PageHeader } from '../../components/common';
import { formatNumber } from '../../format';
import { useAsync, usePrograms } from '../../hooks';
import { useT } from '../../i18n';

// The hub view of GET /usage/summary: GPU-hours and subsidy today / this month / program to date,
// per hub city, per product and per enterprise. The server scopes it to what the caller may see
// (an enterprise its own usage, a supplier its own products), so one view serves every role.

export function useUsageSummary(programId?: string) {
  return useAsync((s) => api.get<Summary>('/usage/summary', programId ? { program_id: programId } : undefined, s), [programId]);
}

function useFigureColumns<T extends UsageFigures>(): ColumnsType<T> {
  const { t, lang } = useT();
  const num = (v: number) => formatNumber(v, lang);
  return [
    { title: t('usage.records'), dataIndex: 'records', align: 'right', render: num, sorter: (a, b) => a.records - b.records },
    { title: t('usage.gpuHoursToday'), dataIndex: 'gpu_hours_today', align: 'right', render: num },
    { title: t('usage.subsidyToday'), dataIndex: 'subsidy_today_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('usage.gpuHoursMonth'), dataIndex: 'gpu_hours_month', align: 'right', render: num },
    { title: t('usage.subsidyMonth'), dataIndex: 'subsidy_month_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('usage.gpuHoursProgram'), dataIndex: 'gpu_hours_program', align: 'right', render: num, sorter: (a, b) => a.gpu_hours_program - b.gpu_hours_program },
    {
      title: t('usage.subsidyProgram'),
      dataIndex: 'subsidy_program_fen',
      align: 'right',
      render: (v: number) => <Money fen={v} />,
      sorter: (a, b) => a.subsidy_program_fen - b.subsidy_program_fen,
      defaultSortOrder: 'descend',
    },
  ];
}

function Totals({ f, today, month }: { f: UsageFigures; today: string; month: string }) {
  const { t, lang } = useT();
  const hours = (v: number) => formatNumber(v, lang);
  return (
    <Card size="small" extra={<Typography.Text type="secondary">{t('usage.asOf', { today, month })}</Typography.Text>} title={t('usage.title')}>
      <Row gutter={[16, 16]} data-testid="usage-totals">
        <Col xs={12} md={4}><Statistic title={t('usage.records')} value={f.records} formatter={(v) => formatNumber(Number(v), lang)} /></Col>
        <Col xs={12} md={4}><Statistic title={t('usage.gpuHoursToday')} value={hours(f.gpu_hours_today)} /></Col>
        <Col xs={12} md={4}><Statistic title={t('usage.gpuHoursMonth')} value={hours(f.gpu_hours_month)} /></Col>
        <Col xs={12} md={4}><Statistic title={t('usage.gpuHoursProgram')} value={hours(f.gpu_hours_program)} /></Col>
        <Col xs={12} md={4}><Statistic title={t('usage.subsidyProgram')} valueRender={() => <Money fen={f.subsidy_program_fen} testid="usage-total-subsidy" />} /></Col>
        <Col xs={12} md={4}><Statistic title={t('usage.amountProgram')} valueRender={() => <Money fen={f.amount_program_fen} />} /></Col>
      </Row>
    </Card>
  );
}

export function UsageView({ data, compact }: { data: Summary; compact?: boolean }) {
  const { t, lang } = useT();
  const figures = useFigureColumns<HubUsage>();
  const productFigures = useFigureColumns<ProductUsage>();
  const enterpriseFigures = useFigureColumns<EnterpriseUsage>();
  const hubName = (h: HubUsage) => (lang === 'zh' ? h.name_zh : h.name_en);
  const hubs = data.by_hub;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Totals f={data.totals} today={data.today} month={data.month} />
      </Col>
      <Col xs={24}>
        <Card title={t('usage.byHub')} size="small">
          <Chart
            height={260}
            testid="usage-chart-by_hub"
            label={t('usage.byHub')}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
              xAxis: { type: 'category', data: hubs.map(hubName) },
              yAxis: { type: 'value', name: t('usage.gpuHours') },
              series: [
                { type: 'bar', name: t('usage.month'), barMaxWidth: 28, data: hubs.map((h) => Math.round(h.gpu_hours_month * 100) / 100) },
                { type: 'bar', name: t('usage.program'), barMaxWidth: 28, data: hubs.map((h) => Math.round(h.gpu_hours_program * 100) / 100) },
              ],
            }}
          />
          <div data-testid="table-usage-hubs">
            <Table<HubUsage>
              size="small"
              rowKey="city_code"
              pagination={false}
              dataSource={hubs}
              scroll={{ x: 900 }}
              columns={[
                {
                  title: t('usage.hub'),
                  render: (_, h) => (
                    <span>
                      {hubName(h)} {h.compute_hub && <Tag color="blue">{t('usage.computeHub')}</Tag>}
                    </span>
                  ),
                },
                ...figures,
              ]}
            />
          </div>
        </Card>
      </Col>
      {!compact && (
        <>
          <Col xs={24}>
            <Card title={t('usage.byProduct')} size="small">
              <Table<ProductUsage>
                size="small"
                rowKey="product_id"
                dataSource={data.by_product}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                scroll={{ x: 900 }}
                columns={[{ title: t('usage.product'), dataIndex: 'product_name' }, ...productFigures]}
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card title={t('usage.byEnterprise')} size="small">
              <Table<EnterpriseUsage>
                size="small"
                rowKey="enterprise_id"
                dataSource={data.by_enterprise}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                scroll={{ x: 900 }}
                columns={[{ title: t('usage.enterprise'), dataIndex: 'enterprise_name' }, ...enterpriseFigures]}
              />
            </Card>
          </Col>
        </>
      )}
    </Row>
  );
}

export function UsageEmpty() {
  const { t } = useT();
  return (
    <Card>
      <Typography.Paragraph data-testid="usage-empty" style={{ textAlign: 'center', margin: 24 }}>
        <strong>{t('usage.notYet')}</strong>
        <br />
        <Typography.Text type="secondary">{t('usage.notYetSub')}</Typography.Text>
      </Typography.Paragraph>
    </Card>
  );
}

/** The usage block with its loading, error and empty states; `compact` leaves out the product and enterprise tables. */
export function UsageBlock({ programId, compact }: { programId?: string; compact?: boolean }) {
  const { data, error, loading, reload } = useUsageSummary(programId);
  if (error) return <ErrorState error={error} onRetry={reload} compact={compact} />;
  if (loading || !data) return <Card><Skeleton active /></Card>;
  if (data.totals.records === 0) return <UsageEmpty />;
  return <UsageView data={data} compact={compact} />;
}

export default function UsagePage() {
  const { t } = useT();
  const programs = usePrograms();
  const [programId, setProgramId] = useState<string | undefined>();
  const computePrograms = programs.programs.filter((p) => p.voucher_type === 'compute');
  return (
    <div data-testid="page-usage">
      <PageHeader
        title={t('usage.title')}
        extra={
          <Select
            allowClear
            style={{ minWidth: 260 }}
            placeholder={t('usage.program')}
            value={programId}
            onChange={(v) => setProgramId(v)}
            options={computePrograms.map((p) => ({ value: p.id, label: `${p.year} · ${p.name}` }))}
          />
        }
      />
      <UsageBlock programId={programId} />
    </div>
  );
}
