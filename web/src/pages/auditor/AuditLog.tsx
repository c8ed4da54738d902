import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AuditEntry, AuditVerify } from '../../api/types';
import { DateText, PageHeader } from '../../components/common';
import { ServerTable } from '../../components/ServerTable';
import { useT } from '../../i18n';

const short = (h?: string) => (h ? `${h.slice(0, 10)}…` : '—');
const json = (v: unknown) => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
};

export default function AuditLog() {
  const { t, tErr } = useT();
  const [verifying, setVerifying] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; data?: AuditVerify; error?: unknown } | null>(null);
  const [entity, setEntity] = useState<string>();
  const [action, setAction] = useState<string>();

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
    { title: t('audit.seq'), key: 'seq', sorter: true, width: 80, render: (_, r) => r.seq ?? r.id },
    { title: t('audit.at'), key: 'at', render: (_, r) => <DateText d={r.at ?? r.created_at} /> },
    { title: t('audit.actor'), key: 'actor', render: (_, r) => r.actor ?? r.actor_id ?? '—' },
    { title: t('audit.action'), dataIndex: 'action', render: (v?: string) => <Typography.Text code>{v ?? '—'}</Typography.Text> },
    { title: t('audit.entity'), key: 'entity', render: (_, r) => <span className="mono">{r.object ?? `${r.entity ?? r.entity_type ?? ''}${r.entity_id != null ? ` #${r.entity_id}` : ''}`}</span> },
    { title: t('audit.hash'), dataIndex: 'hash', render: (v?: string) => <Typography.Text className="mono" copyable={v ? { text: v } : false}>{short(v)}</Typography.Text> },
  ];

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
          message={result.ok ? t('audit.ok', { n: result.data?.records ?? result.data?.count ?? result.data?.entries ?? '—' }) : t('audit.bad')}
          description={
            result.error ? tErr(result.error) : (
              <span className="mono">
                {result.data?.head ? `head ${result.data.head}` : ''}
                {(result.data?.first_broken_seq ?? result.data?.first_bad) != null ? ` · first broken #${result.data?.first_broken_seq ?? result.data?.first_bad}` : ''}
                {(result.data?.reason ?? result.data?.message) ? ` · ${result.data?.reason ?? result.data?.message}` : ''}
              </span>
            )
          }
        />
      )}
      <Card>
        <Space className="filters" wrap>
          <Input.Search allowClear placeholder={t('audit.entity')} style={{ width: 200 }} onSearch={(v) => setEntity(v || undefined)} />
          <Input.Search allowClear placeholder={t('audit.action')} style={{ width: 200 }} onSearch={(v) => setAction(v || undefined)} />
        </Space>
        <ServerTable<AuditEntry>
          testid="table-audit"
          path="/audit"
          query={{ entity, action }}
          rowKey={(r) => String(r.seq ?? r.id ?? r.hash)}
          columns={columns}
          pageSize={50}
          tableProps={{
            expandable: {
              expandedRowRender: (r) => (
                <Space align="start" wrap>
                  <div><Typography.Text type="secondary">before</Typography.Text><pre className="mono" style={{ margin: 0 }}>{json(r.before)}</pre></div>
                  <div><Typography.Text type="secondary">after</Typography.Text><pre className="mono" style={{ margin: 0 }}>{json(r.after)}</pre></div>
                  <div><Typography.Text type="secondary">prev_hash</Typography.Text><pre className="mono" style={{ margin: 0 }}>{r.prev_hash ?? ''}</pre><Typography.Text type="secondary">hash</Typography.Text><pre className="mono" style={{ margin: 0 }}>{r.hash ?? ''}</pre></div>
                </Space>
              ),
            },
          }}
        />
      </Card>
    </div>
  );
}
