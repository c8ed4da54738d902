// Reimbursement runs (报销支付): in a program where the enterprise pays in full and is reimbursed,
// an administrator pays an enterprise, month by month, every claim of it still payable and
// invoiced up to the month's end — first keeping what it owes back after clawbacks — with a
// statement in CSV and XLSX. The enterprise sees its own runs; the auditor reads them all.
import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Modal, Space, Spin, Tag, Tooltip, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, fetchAll } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Enterprise, Reimbursement, ReimbursementInput } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, Money, PageHeader } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { PartySelect } from '../../components/PartySelect';
import { ListSearch, numberColumn } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { StatementLinks } from '../../components/Statements';
import { UserName } from '../../components/UserName';
import { previousMonth } from '../../dates';
import { formatDateTime, formatFen, type Lang } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { monthOf, reimbursementDue } from './modes';

interface RunValues {
  enterprise_id: string;
  period: Dayjs;
}

export default function Reimbursements() {
  const { t, lang } = useT();
  const { user } = useAuth();
  const isAdmin = user?.role === 'admin';
  const staff = isAdmin || user?.role === 'auditor';
  const [reloadKey, setReloadKey] = useState(0);
  const list = useListState();
  const enterpriseId = list.get('enterprise_id');
  const setEnterpriseId = (v: string | null | undefined) => list.setFilter('enterprise_id', v);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const [confirming, setConfirming] = useState<ReimbursementInput | null>(null);
  const [form] = Form.useForm<RunValues>();
  const today = useToday();
  // The period defaults to the month before the platform's today, once that is known, unless one
  // has been picked meanwhile.
  useEffect(() => {
    if (isAdmin && today && !form.isFieldTouched('period')) form.setFieldsValue({ period: dayjs(`${previousMonth(today)}-01`) });
  }, [isAdmin, today, form]);

  const columns: ColumnsType<Reimbursement> = [
    numberColumn<Reimbursement>(t('rec.number')),
    { title: t('rb.period'), dataIndex: 'period', key: 'period', sorter: true },
    ...(user?.role === 'enterprise' ? [] : [{ title: t('rb.enterprise'), dataIndex: 'enterprise_name', render: (v: string, r: Reimbursement) => v || String(r.enterprise_id) }]),
    { title: t('rb.total'), dataIndex: 'total_fen', key: 'total_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} /> },
    {
      title: <Tooltip title={t('rb.offsetHint')}>{t('rb.offset')}</Tooltip>,
      key: 'receivable_offset_fen',
      align: 'right',
      render: (_, r) =>
        r.receivable_offset_fen > 0 ? (
          <Typography.Text type="warning">
            <Money fen={r.receivable_offset_fen} testid="reimbursement-offset" />
          </Typography.Text>
        ) : (
          <Money fen={0} testid="reimbursement-offset" />
        ),
    },
    { title: t('rb.paid'), key: 'paid_fen', align: 'right', render: (_, r) => <Money fen={r.paid_fen} strong testid="reimbursement-paid" /> },
    { title: t('rb.count'), dataIndex: 'item_count', align: 'right' },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v?: string) => <DateText d={v} /> },
    {
      title: t('rb.statement'),
      key: 'statement',
      fixed: 'right' as const,
      render: (_, r) => <StatementLinks run={`/reimbursements/${r.id}`} name={`reimbursement-${r.enterprise_id}-${r.period}`} />,
    },
  ];

  return (
    <div data-testid="page-reimbursements">
      <PageHeader
        title={staff ? t('rb.adminTitle') : t('rb.title')}
        sub={t('rb.sub')}
        extra={user?.role === 'auditor' ? <Tag data-testid="read-only">{t('rb.readOnly')}</Tag> : undefined}
      />
      {isAdmin && (
        <Card style={{ marginBottom: 16 }} title={t('rb.run')}>
          <Form
            form={form}
            layout="inline"
            onFinish={(v) => setConfirming({ enterprise_id: v.enterprise_id, period: v.period.format('YYYY-MM') })}
            data-testid="reimbursement-form"
          >
            <Form.Item name="enterprise_id" label={t('rb.enterprise')} rules={[{ required: true, message: t('err.required') }]}>
              <PartySelect kind="enterprise" style={{ width: 320 }} testid="reimbursement-enterprise" />
            </Form.Item>
            <Form.Item name="period" label={t('rb.period')} tooltip={t('rb.periodHint')} rules={[{ required: true, message: t('err.required') }]}>
              <DatePicker
                picker="month"
                format="YYYY-MM"
                style={{ width: 140 }}
                disabledDate={(d) => !!today && d.format('YYYY-MM') > monthOf(today)}
                data-testid="reimbursement-period"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} data-testid="reimbursement-run">
              {t('rb.run')}
            </Button>
          </Form>
        </Card>
      )}
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchReimbursement')} onSearch={setQ} value={q} testid="reimbursements-search" />
          {staff && (
            <PartySelect kind="enterprise" allowClear placeholder={t('rb.enterprise')} style={{ width: 320 }} value={enterpriseId} onChange={setEnterpriseId} testid="reimbursement-filter-enterprise" />
          )}
        </Space>
        <ServerTable
          testid="table-reimbursements"
          path="/reimbursements" exportName="reimbursements"
          query={{ q, enterprise_id: enterpriseId }}
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ expandable: { expandedRowRender: (r) => <ReimbursementDetail r={r} lang={lang} /> } }}
        />
      </Card>
      {isAdmin && (
        <RunConfirm
          input={confirming}
          onClose={() => setConfirming(null)}
          onDone={() => {
            setConfirming(null);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </div>
  );
}

/** The confirmation of a run: whom it pays, for which month, what is due now, and what the run does. */
function RunConfirm({ input, onClose, onDone }: { input: ReimbursementInput | null; onClose: () => void; onDone: () => void }) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setError(null), [input]);
  const facts = useAsync(async () => {
    if (!input) return null;
    const [enterprise, payable] = await Promise.all([
      api.get<Enterprise>(`/enterprises/${encodeURIComponent(input.enterprise_id)}`).catch(() => null),
      fetchAll(api, '/redemptions', { enterprise_id: input.enterprise_id, status: 'payable' }),
    ]);
    return { name: enterprise?.name ?? input.enterprise_id, due: reimbursementDue(payable, input.period) };
  }, [input?.enterprise_id, input?.period]);
  const name = facts.data?.name ?? input?.enterprise_id ?? '';

  const run = async () => {
    if (!input) return;
    setBusy(true);
    setError(null);
    try {
      const done = await submission.post<Reimbursement>('/reimbursements', input);
      message.success(
        done.receivable_offset_fen > 0
          ? t('rb.runDoneOffset', { paid: formatFen(done.paid_fen, lang), offset: formatFen(done.receivable_offset_fen, lang) })
          : t('rb.runDonePaid', { paid: formatFen(done.paid_fen, lang) }),
      );
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={input !== null}
      onCancel={onClose}
      title={t('rb.confirmTitle')}
      okText={t('rb.confirm')}
      okButtonProps={{ 'data-testid': 'reimbursement-confirm', disabled: facts.loading } as ButtonProps}
      onOk={run}
      confirmLoading={busy}
      destroyOnClose
      data-testid="reimbursement-confirm-modal"
    >
      {input && (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('rb.enterprise')}>
              <span data-testid="reimbursement-confirm-enterprise">{name}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('rb.period')}>{input.period}</Descriptions.Item>
            <Descriptions.Item label={t('rb.due')}>
              {facts.loading ? (
                <Space>
                  <Spin size="small" />
                  {t('rb.dueLoading')}
                </Space>
              ) : facts.data ? (
                <span data-testid="reimbursement-due" data-count={facts.data.due.count} data-fen={facts.data.due.total_fen}>
                  {facts.data.due.count > 0 ? (
                    t('rb.dueCount', { n: facts.data.due.count, amount: formatFen(facts.data.due.total_fen, lang) })
                  ) : (
                    <Typography.Text type="warning">{t('rb.dueNone')}</Typography.Text>
                  )}
                </span>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </Descriptions>
          <Alert type="info" showIcon message={t('rb.confirmWhat', { enterprise: name, period: input.period })} data-testid="reimbursement-confirm-what" />
          {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginTop: 16 }} data-testid="reimbursement-error" /> : null}
        </>
      )}
    </Modal>
  );
}

/** One run: what was reimbursable, what was kept back, what was paid, by whom. */
function ReimbursementDetail({ r, lang }: { r: Reimbursement; lang: Lang }) {
  const { t } = useT();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered data-testid="reimbursement-detail">
      <Descriptions.Item label={t('rb.total')}>
        <Money fen={r.total_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('rb.offset')}>
        <Money fen={r.receivable_offset_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('rb.paid')}>
        <Money fen={r.paid_fen} strong />
      </Descriptions.Item>
      <Descriptions.Item label={t('rb.count')}>{r.item_count}</Descriptions.Item>
      <Descriptions.Item label={t('st.createdBy')}>
        <UserName id={r.created_by} />
      </Descriptions.Item>
      <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(r.created_at, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('st.note')} span={3}>
        {r.receivable_offset_fen > 0 ? t('rb.offsetHint') : t('rb.noOffset')}
      </Descriptions.Item>
    </Descriptions>
  );
}
