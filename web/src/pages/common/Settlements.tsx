import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Select, Space, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api, fetchAll } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Settlement, SettlementInput, Supplier } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, Money, PageHeader } from '../../components/common';
import { formatDateTime, formatFen } from '../../format';
import { applyServerFieldError } from '../../components/formErrors';
import { ListSearch, numberColumn } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { StatementLinks } from '../../components/Statements';
import { UserName } from '../../components/UserName';
import { previousMonth } from '../../dates';
import { byId, useAsync } from '../../hooks';
import { useT } from '../../i18n';

/** Supplier: my payouts and statements (CSV and XLSX, headers in the interface language). Admin: settlement runs. Auditor: read-only. */
export default function Settlements() {
  const { t, tErr, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const isAdmin = user?.role === 'admin';
  const [reloadKey, setReloadKey] = useState(0);
  const list = useListState();
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [form] = Form.useForm<{ supplier_id: string; period: string }>();
  const submission = useSubmissionKey();
  const suppliers = useAsync(() => (user?.role === 'supplier' ? Promise.resolve([] as Supplier[]) : fetchAll(api, '/suppliers')), [user?.role]);
  const supMap = byId(suppliers.data ?? []);
  // The period defaults to the month before the platform's today, once that is known, unless one
  // has been typed meanwhile.
  const today = useToday();
  useEffect(() => {
    if (isAdmin && today && !form.isFieldTouched('period')) form.setFieldsValue({ period: previousMonth(today) });
  }, [isAdmin, today, form]);

  const run = async (v: { supplier_id: string; period: string }) => {
    setBusy(true);
    setFormError(null);
    try {
      const sid = (suppliers.data ?? []).find((s) => String(s.id) === v.supplier_id)?.id ?? v.supplier_id;
      const body: SettlementInput = { supplier_id: sid, period: v.period };
      const done = await submission.post<Settlement>('/settlements', body);
      message.success(
        done.receivable_offset_fen > 0
          ? t('st.runDoneOffset', { paid: formatFen(done.paid_fen, lang), offset: formatFen(done.receivable_offset_fen, lang) })
          : t('st.runDonePaid', { paid: formatFen(done.paid_fen, lang) }),
      );
      setReloadKey((k) => k + 1);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['supplier_id', 'period'])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<Settlement> = [
    numberColumn<Settlement>(t('rec.number')),
    { title: t('st.period'), dataIndex: 'period', key: 'period', sorter: true },
    ...(user?.role === 'supplier' ? [] : [{ title: t('st.supplier'), dataIndex: 'supplier_id', render: (v: unknown, r: Settlement) => r.supplier_name ?? supMap.get(String(v))?.name ?? String(v) }]),
    { title: t('st.amount'), key: 'total_fen', sorter: true, align: 'right', render: (_, r) => <Money fen={r.total_fen} /> },
    {
      title: <Tooltip title={t('st.offsetHint')}>{t('st.offset')}</Tooltip>,
      key: 'receivable_offset_fen',
      align: 'right',
      render: (_, r) =>
        r.receivable_offset_fen > 0 ? (
          <Typography.Text type="warning">
            <Money fen={r.receivable_offset_fen} testid="settlement-offset" />
          </Typography.Text>
        ) : (
          <Money fen={0} testid="settlement-offset" />
        ),
    },
    { title: t('st.paid'), key: 'paid_fen', align: 'right', render: (_, r) => <Money fen={r.paid_fen} strong testid="settlement-paid" /> },
    { title: t('st.count'), key: 'count', align: 'right', render: (_, r) => r.item_count },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v?: string) => <DateText d={v} /> },
    {
      title: t('st.statement'),
      key: 'statement',
      render: (_, r) => <StatementLinks run={`/settlements/${r.id}`} name={`statement-${r.supplier_id}-${r.period}`} />,
    },
  ];

  return (
    <div data-testid="page-settlements">
      <PageHeader title={isAdmin ? t('nav.admin.settlements') : t('st.title')} />
      {isAdmin && (
        <Card style={{ marginBottom: 16 }} title={t('st.run')}>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} /> : null}
          <Form form={form} layout="inline" onFinish={run} initialValues={{ period: today ? previousMonth(today) : undefined }} data-testid="settlement-form">
            <Form.Item name="supplier_id" label={t('st.supplier')} rules={[{ required: true, message: t('err.required') }]}>
              <Select
                style={{ width: 260 }}
                showSearch
                optionFilterProp="label"
                loading={suppliers.loading}
                options={(suppliers.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
                data-testid="settlement-supplier"
              />
            </Form.Item>
            <Form.Item
              name="period"
              label={t('st.period')}
              extra={t('st.periodHint')}
              rules={[{ required: true, message: t('err.required') }, { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: t('st.periodHint') }]}
            >
              <Input style={{ width: 120 }} data-testid="settlement-period" />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={busy} data-testid="settlement-run">
                {t('st.run')}
              </Button>
            </Space>
          </Form>
        </Card>
      )}
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchSettlement')} onSearch={setQ} value={q} testid="settlements-search" />
        </Space>
        <ServerTable
          testid="table-settlements"
          path="/settlements" exportName="settlements"
          query={{ q }}
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ expandable: { expandedRowRender: (r) => <SettlementDetail s={r} lang={lang} /> } }}
        />
      </Card>
    </div>
  );
}

/** One settlement run: what was payable, what was kept to recover earlier clawbacks, what was paid. */
function SettlementDetail({ s, lang }: { s: Settlement; lang: 'zh' | 'en' }) {
  const { t } = useT();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered data-testid="settlement-detail">
      <Descriptions.Item label={t('st.amount')}>
        <Money fen={s.total_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('st.offset')}>
        <Money fen={s.receivable_offset_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('st.paid')}>
        <Money fen={s.paid_fen} strong />
      </Descriptions.Item>
      <Descriptions.Item label={t('st.count')}>{s.item_count}</Descriptions.Item>
      <Descriptions.Item label={t('st.createdBy')}>
        <UserName id={s.created_by} />
      </Descriptions.Item>
      <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(s.created_at, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('st.note')} span={3}>
        {s.receivable_offset_fen > 0 ? t('st.offsetHint') : t('st.noOffset')}
      </Descriptions.Item>
    </Descriptions>
  );
}
