import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Input, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { AuditEntry, AuditVerify } from '../../api/types';
import { PageHeader } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { ServerTable } from '../../components/ServerTable';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';

const short = (h?: string) => (h ? `${h.slice(0, 10)}…` : '—');
/** `before` and `after` are JSON texts ("null" when there was no object before). */
const json = (v: unknown) => {
  if (v === undefined || v === null || v === 'null') return '';
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
};

/** The actions the server records, by area; the action filter takes an area or one action. */
export const AUDIT_ACTIONS: Record<string, string[]> = {
  application: ['submit', 'approve', 'reject'],
  objection: ['file', 'uphold', 'dismiss'],
  voucher: ['issue', 'expire'],
  redemption: ['create', 'release', 'clawback'],
  usage: ['ingest'],
  settlement: ['run'],
  program: ['create', 'update', 'list_product', 'delist_product', 'close'],
  funding_source: ['create', 'top_up'],
  enterprise: ['create', 'update'],
  enterprise_change: ['submit', 'decide'],
  dishonesty: ['add', 'lift'],
  supplier: ['create'],
  product: ['create'],
  user: ['create', 'password_change'],
};

/** The filters GET /audit honours, kept in the page's URL query. */
export const AUDIT_FILTERS = ['object', 'action', 'actor', 'from', 'to'] as const;
export type AuditFilters = Partial<Record<(typeof AUDIT_FILTERS)[number], string>>;

export function filtersFromParams(p: URLSearchParams): AuditFilters {
  const f: AuditFilters = {};
  for (const k of AUDIT_FILTERS) {
    const v = p.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

export default function AuditLog() {
  const { t, tErr, lang } = useT();
  const [verifying, setVerifying] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; data?: AuditVerify; error?: unknown } | null>(null);
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => filtersFromParams(params), [params]);
  // What is typed but not applied yet; the URL holds what the table shows.
  const [draft, setDraft] = useState<AuditFilters>(applied);
  useEffect(() => setDraft(applied), [applied]);

  const apply = (f: AuditFilters) => {
    // New filters show their first page; the table's sort and page size stay.
    const next = new URLSearchParams();
    for (const k of ['sort', 'page_size']) {
      const v = params.get(k);
      if (v) next.set(k, v);
    }
    for (const k of AUDIT_FILTERS) {
      const v = f[k]?.trim();
      if (v) next.set(k, v);
    }
    setParams(next);
  };
  const set = (k: keyof AuditFilters, v: string | undefined) => setDraft((d) => ({ ...d, [k]: v || undefined }));

  const actionOptions = useMemo(() => {
    const q = (draft.action ?? '').toLowerCase();
    return Object.entries(AUDIT_ACTIONS)
      .map(([area, acts]) => ({
        label: area,
        options: [area, ...acts.map((a) => `${area}.${a}`)].filter((v) => v.includes(q)).map((v) => ({ value: v, label: <span className="mono">{v}</span> })),
      }))
      .filter((g) => g.options.length > 0);
  }, [draft.action]);

  const verify = async () => {
    setVerifying(true);
    try {
      const r = await api.get<AuditVerify>('/audit/verify');
      setResult({ ok: !!r?.ok, data: r });
    } catch (e) {
      setResult({ ok: false, error: e });
    } finally {
      setVerifying(false);
    }
  };

  const columns: ColumnsType<AuditEntry> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', sorter: true, width: 80 },
    { title: t('audit.at'), dataIndex: 'at', key: 'at', sorter: true, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span> },
    {
      title: t('audit.actor'),
      dataIndex: 'actor',
      // "role:username"; the platform's own actions (scheduled issuing and expiry, the demo's seeding)
      // are by "admin:system", said as 系统 / System.
      render: (v: string) =>
        v === 'system' || v === 'admin:system' ? (
          <span data-testid="audit-actor" data-actor={v}>{t('audit.system')}</span>
        ) : v ? (
          <code className="mono" data-testid="audit-actor" data-actor={v}>{v}</code>
        ) : (
          '—'
        ),
    },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', sorter: true, render: (v: string) => <Typography.Text code data-testid="audit-action">{v || '—'}</Typography.Text> },
    {
      title: t('audit.object'),
      dataIndex: 'object',
      render: (v: string) =>
        v ? (
          <Typography.Link className="mono" title={t('audit.filterByObject')} onClick={() => apply({ ...applied, object: v })} data-testid="audit-object">
            <code>{v}</code>
          </Typography.Link>
        ) : (
          '—'
        ),
    },
    { title: t('audit.hash'), dataIndex: 'hash', render: (v?: string) => <Typography.Text className="mono" copyable={v ? { text: v } : false}>{short(v)}</Typography.Text> },
  ];

  const active = Object.keys(applied).length > 0;

  return (
    <div data-testid="page-audit">
      <PageHeader
        title={t('audit.title')}
        sub={t('audit.sub')}
        extra={<Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={verify} data-testid="audit-verify">{t('audit.verify')}</Button>}
      />
      {result && (
        <Alert
          style={{ marginBottom: 16 }}
          type={result.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-verify-result"
          data-ok={String(result.ok)}
          message={result.ok ? t('audit.ok', { n: result.data?.records ?? '—' }) : t('audit.bad')}
          description={
            result.error ? tErr(result.error) : result.data?.first_broken_seq != null || result.data?.reason ? (
              <span className="mono">
                {result.data?.first_broken_seq != null ? t('audit.firstBroken', { seq: result.data.first_broken_seq }) : ''}
                {result.data?.reason ? ` · ${result.data.reason}` : ''}
              </span>
            ) : undefined
          }
        />
      )}
      <Card>
        <Space className="filters" wrap data-testid="audit-filters">
          <Input
            allowClear
            placeholder={t('audit.filter.object')}
            style={{ width: 220 }}
            value={draft.object ?? ''}
            onChange={(e) => set('object', e.target.value)}
            onPressEnter={() => apply(draft)}
            data-testid="audit-filter-object"
          />
          <span data-testid="audit-filter-action">
          <AutoComplete
            allowClear
            placeholder={t('audit.filter.action')}
            style={{ width: 220 }}
            value={draft.action ?? ''}
            options={actionOptions}
            onChange={(v: string) => set('action', v)}
            onSelect={(v: string) => apply({ ...draft, action: v })}
            onClear={() => apply({ ...draft, action: undefined })}
            onInputKeyDown={(e) => {
              if (e.key === 'Enter') apply(draft);
            }}
          />
          </span>
          <Input
            allowClear
            placeholder={t('audit.filter.actor')}
            style={{ width: 170 }}
            value={draft.actor ?? ''}
            onChange={(e) => set('actor', e.target.value)}
            onPressEnter={() => apply(draft)}
            data-testid="audit-filter-actor"
          />
          <span data-testid="audit-filter-range">
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            placeholder={[t('audit.filter.from'), t('audit.filter.to')]}
            value={[draft.from ? dayjs(draft.from) : null, draft.to ? dayjs(draft.to) : null]}
            onChange={(r) => {
              const next = { ...draft, from: r?.[0]?.format('YYYY-MM-DD') || undefined, to: r?.[1]?.format('YYYY-MM-DD') || undefined };
              setDraft(next);
              apply(next);
            }}
          />
          </span>
          <Button type="primary" icon={<SearchOutlined />} onClick={() => apply(draft)} data-testid="audit-filter-apply">
            {t('common.search')}
          </Button>
          <Button disabled={!active && Object.values(draft).every((v) => !v)} onClick={() => apply({})} data-testid="audit-filter-reset">
            {t('common.reset')}
          </Button>
        </Space>
        <ServerTable
          testid="table-audit"
          path="/audit"
          query={applied}
          rowKey={(r) => String(r.seq)}
          columns={columns}
          pageSize={50}
          emptyText={active ? t('audit.noMatch') : undefined}
          tableProps={{
            expandable: {
              expandedRowRender: (r) => (
                <Space align="start" wrap>
                  <div><Typography.Text type="secondary">{t('audit.before')}</Typography.Text><pre className="mono" style={{ margin: 0 }}>{json(r.before) || '—'}</pre></div>
                  <div><Typography.Text type="secondary">{t('audit.after')}</Typography.Text><pre className="mono" style={{ margin: 0 }}>{json(r.after) || '—'}</pre></div>
                  <div><Typography.Text type="secondary">{t('audit.prevHash')}</Typography.Text><pre className="mono" style={{ margin: 0 }}>{r.prev_hash}</pre><Typography.Text type="secondary">{t('audit.hash')}</Typography.Text><pre className="mono" style={{ margin: 0 }}>{r.hash}</pre></div>
                </Space>
              ),
            },
          }}
        />
      </Card>
    </div>
  );
}
