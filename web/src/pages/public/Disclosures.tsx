// 授权运营年度披露 (public): each operator's annual disclosure — the data it was authorized for,
// its products and fees — for a year.
import { Card, Collapse, Descriptions, List, Skeleton, Space, Tag, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import { useState } from 'react';
import { api } from '../../api/client';
import type { DataDisclosure } from '../../api/types';
import { useToday } from '../../clock';
import { Codes, DateText, EmptyState, ErrorState, PageHeader } from '../../components/common';
import { formatDateTime } from '../../format';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';

export default function Disclosures() {
  const { t, tEnum, lang } = useT();
  const today = useToday();
  const [year, setYear] = useState<number | null>(null);
  const y = year ?? (today ? Number(today.slice(0, 4)) : null);
  const d = useAsync((s) => (y ? api.get<DataDisclosure[] | { items: DataDisclosure[] }>('/public/data-disclosures', { year: y }, s).then(normalizeArray<DataDisclosure>) : Promise.resolve(null)), [y]);
  const rows = d.data ?? [];
  const lines = (items: DataDisclosure['products'], testid: string) => (
    <List size="small" bordered dataSource={items} data-testid={testid} locale={{ emptyText: t('common.none') }} renderItem={(i) => <List.Item><strong>{i.name}</strong>：{i.description}</List.Item>} />
  );
  return (
    <div data-testid="page-public-disclosures">
      <PageHeader
        title={t('nav.disclosures')}
        sub={t('hub.disclosureSub')}
        extra={<InputNumber min={2000} max={2100} precision={0} value={y} onChange={(v) => setYear(typeof v === 'number' ? v : null)} addonBefore={t('common.year')} data-testid="disclosure-year" />}
      />
      {d.error ? (
        <ErrorState error={d.error} onRetry={d.reload} />
      ) : !d.data ? (
        <Skeleton active />
      ) : rows.length === 0 ? (
        <Card><EmptyState /></Card>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          {rows.map((r) => (
            <Card key={`${r.operator_id}-${r.year}`} title={<span data-testid="disclosure-operator">{r.operator_name}</span>} extra={<Typography.Text type="secondary">{t('hub.publishedAt', { at: formatDateTime(r.published_at, lang) })}</Typography.Text>} data-testid="disclosure-card">
              <Collapse
                defaultActiveKey={['auth', 'products', 'fees']}
                ghost
                items={[
                  {
                    key: 'auth',
                    label: t('hub.authorizedData', { n: r.authorizations.length }),
                    children: (
                      <List
                        size="small"
                        dataSource={r.authorizations}
                        renderItem={(a) => (
                          <List.Item>
                            <Descriptions size="small" column={3} title={<Space>{a.name}<Tag>{tEnum('alevel', a.level)}</Tag><Tag color="blue">{tEnum('dclass', a.data_class)}</Tag></Space>}>
                              <Descriptions.Item label={t('hub.purpose')}>{a.purpose}</Descriptions.Item>
                              <Descriptions.Item label={t('hub.fields')}><Codes codes={a.fields} /></Descriptions.Item>
                              <Descriptions.Item label={t('hub.period')}><DateText d={a.valid_from} /> ~ <DateText d={a.valid_until} /></Descriptions.Item>
                            </Descriptions>
                          </List.Item>
                        )}
                      />
                    ),
                  },
                  { key: 'products', label: t('hub.products'), children: lines(r.products, 'disclosure-products') },
                  { key: 'fees', label: t('hub.fees'), children: lines(r.fees, 'disclosure-fees') },
                ]}
              />
            </Card>
          ))}
        </Space>
      )}
    </div>
  );
}
