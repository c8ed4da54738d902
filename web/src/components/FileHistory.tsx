// 历次变更: the versions of an enterprise's registered file (GET /enterprises/{id}/history), the
// one in force now first, each with the days it was in force and the fields it changed. Shown to
// the administrator (the enterprise drawer) and to the enterprise itself (its file page).
import { Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { api } from '../api/client';
import type { Enterprise, FileVersion } from '../api/types';
import { formatDate, industryLabel } from '../format';
import { useAsync, useCityName } from '../hooks';
import { useT } from '../i18n';
import { registeredOf, type RegisteredField } from '../pages/enterprise/changeRequest';
import { historyRows, type HistoryRow } from '../pages/admin/partyFile';
import { ErrorState } from './common';

export function FileHistory({ enterprise, reloadKey = 0, testid = 'file-history' }: { enterprise: Enterprise; reloadKey?: number; testid?: string }) {
  const { t, tEnum, lang } = useT();
  const cityName = useCityName(lang);
  const { data, error, loading, reload } = useAsync((s) => api.get<FileVersion[]>(`/enterprises/${enterprise.id}/history`, undefined, s), [enterprise.id, reloadKey]);
  if (error) return <ErrorState error={error} onRetry={reload} compact />;
  const rows = historyRows(registeredOf(enterprise), data ?? [], enterprise.created_at);
  const sep = lang === 'zh' ? '、' : ', ';

  /** A cell, marked when this version changed the field. */
  const cell = (field: RegisteredField, show: (r: HistoryRow) => ReactNode) => (_: unknown, r: HistoryRow) => {
    const changed = r.changed.includes(field);
    return (
      <span data-changed={changed ? field : undefined} style={changed ? { fontWeight: 600, color: '#d46b08' } : undefined}>
        {show(r)}
      </span>
    );
  };
  const columns: ColumnsType<HistoryRow> = [
    {
      title: t('hist.period'),
      key: 'period',
      render: (_: unknown, r) => (
        <div style={{ whiteSpace: 'nowrap' }} data-testid="file-history-period">
          {r.seq === null ? <Tag color="success">{t('hist.current')}</Tag> : <Tag>{t('hist.version', { n: r.seq })}</Tag>}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.until
                ? t('hist.inForceUntil', { from: r.from ? formatDate(r.from, lang) : t('hist.registration'), until: formatDate(r.until, lang) })
                : t('hist.inForceSince', { from: r.from ? formatDate(r.from, lang) : t('hist.registration') })}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('ent.legalRep'), key: 'legal_rep', render: cell('legal_rep', (r) => r.file.legal_rep || '—') },
    { title: t('ent.actualController'), key: 'actual_controller', render: cell('actual_controller', (r) => r.file.actual_controller || '—') },
    { title: t('ent.shareholders'), key: 'shareholders', render: cell('shareholders', (r) => r.file.shareholders.join(sep) || '—') },
    { title: t('ent.industry'), key: 'industry', render: cell('industry', (r) => industryLabel(tEnum, r.file.industry)) },
    { title: t('ent.size'), key: 'size_class', render: cell('size_class', (r) => tEnum('size', r.file.size_class)) },
    { title: t('common.city'), key: 'city_code', render: cell('city_code', (r) => cityName(r.file.city_code)) },
  ];

  return (
    <div data-testid={testid} data-versions={data ? data.length : undefined}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {data && data.length === 0 ? t('hist.none') : t('hist.hint')}
      </Typography.Paragraph>
      <Table<HistoryRow>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ 'data-seq': r.seq ?? 'current' }) as React.HTMLAttributes<HTMLElement>}
      />
    </div>
  );
}
