import { CheckCircleOutlined, ExclamationCircleOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Card, Form, Input, Modal, Popconfirm, Radio, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { createSubmissionKey, useSubmissionKey } from '../../api/submission';
import type { Application, ApplicationStatus, Objection, Voucher } from '../../api/types';
import { BulkAction } from '../../components/BulkAction';
import { DateText, Money, NoticeTag, PageHeader, StatusTag } from '../../components/common';
import { ListSearch, numberColumn, RecordNo, ShortId } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useToday } from '../../clock';
import { noticeBlocksIssue } from '../../dates';
import { byId, usePrograms } from '../../hooks';
import { useT } from '../../i18n';

export default function Notices() {
  const { t, tErr } = useT();
  const today = useToday();
  const { message } = App.useApp();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const list = useListState({ defaults: { status: 'approved' } });
  const status = list.get('status') as ApplicationStatus | undefined;
  const setStatus = (v: ApplicationStatus | null | undefined) => list.setFilter('status', v);
  const [reloadKey, setReloadKey] = useState(0);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const [objecting, setObjecting] = useState<Application | null>(null);
  const [resolving, setResolving] = useState<{ app: Application; objection: Objection } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const submission = useSubmissionKey();
  const reload = () => setReloadKey((k) => k + 1);
  // Issuing many at once: only approved applications whose notice has ended with no open objection.
  const [selected, setSelected] = useState<Application[]>([]);
  const [bulkIssuing, setBulkIssuing] = useState(false);
  const issuable = (r: Application) => r.status === 'approved' && !noticeBlocksIssue(r.notice_ends_on, today) && !(r.objections ?? []).some((o) => o.status === 'open');

  const issue = async (a: Application) => {
    try {
      const r = await submission.post<Voucher>(`/applications/${a.id}/issue`, {});
      message.success(t('an.issued', { id: String(r?.number || r?.id || '') }));
      reload();
    } catch (e) {
      message.error(tErr(e));
    }
  };

  // The modal's form shows what is missing under its field; a failed validation is no error.
  const validated = async (): Promise<Record<string, string> | null> => {
    try {
      return await form.validateFields();
    } catch {
      return null;
    }
  };

  const submitObjection = async () => {
    const v = await validated();
    if (!v) return;
    setBusy(true);
    try {
      await submission.post(`/applications/${objecting!.id}/objections`, { reason: v.reason });
      message.success(t('an.objected'));
      setObjecting(null);
      reload();
    } catch (e) {
      message.error(tErr(e));
    } finally {
      setBusy(false);
    }
  };

  const submitResolve = async () => {
    const v = await validated();
    if (!v) return;
    setBusy(true);
    try {
      await submission.post(`/objections/${resolving!.objection.id}/resolve`, { uphold: v.uphold === 'uphold', note: v.note ?? '' });
      message.success(t('an.resolved'));
      setResolving(null);
      reload();
    } catch (e) {
      message.error(tErr(e));
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<Application> = [
    numberColumn<Application>(t('rec.number')),
    { title: t('app.enterprise'), dataIndex: 'enterprise_id', render: (v, r) => r.enterprise_name ?? v },
    { title: t('app.program'), dataIndex: 'program_id', render: (v, r) => r.program_name ?? progs.get(String(v))?.name ?? v },
    { title: t('app.approved'), dataIndex: 'approved_fen', align: 'right', render: (v: number | null, r) => <Money fen={v ?? r.amount_fen} strong /> },
    {
      title: t('app.noticeEnds'),
      dataIndex: 'notice_ends_on',
      key: 'notice_ends_on',
      sorter: true,
      render: (v: string | null, r) => {
        if (!v) return '—';
        return <span><DateText d={v} /> {r.status === 'approved' && <NoticeTag endsOn={v} today={today} />}</span>;
      },
    },
    {
      title: t('app.objections'),
      dataIndex: 'objections',
      render: (o: Objection[] | undefined) => (o && o.length ? <Tag color="error" icon={<ExclamationCircleOutlined />} data-testid="notice-objections" data-count={o.length}>{o.length}</Tag> : '—'),
    },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="appst" status={v} /> },
    { title: t('app.voucher'), dataIndex: 'voucher_id', render: (v) => (v == null ? '—' : <ShortId id={String(v)} />) },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) =>
        r.status !== 'approved' ? null : (
          <Space size={4}>
            <Popconfirm title={t('an.issue')} description={t('an.sub')} onConfirm={() => issue(r)} okButtonProps={{ 'data-testid': 'issue-confirm' } as ButtonProps}>
              <Tooltip title={noticeBlocksIssue(r.notice_ends_on, today) ? t('an.noticeRunning') : undefined}>
                <Button size="small" type="primary" icon={<CheckCircleOutlined />} data-testid={`issue-${r.id}`}>{t('an.issue')}</Button>
              </Tooltip>
            </Popconfirm>
            <Button size="small" onClick={() => { form.resetFields(); setObjecting(r); }} data-testid={`object-${r.id}`}>{t('an.object')}</Button>
            {/* While the notice runs, its public sheet can be printed (it lists the notices under way only). */}
            {r.notice_ends_on && today && r.notice_ends_on >= today ? (
              <Button size="small" icon={<PrinterOutlined />} href={`/public/notices/${encodeURIComponent(String(r.id))}`} target="_blank" data-testid={`notice-sheet-${r.id}`}>{t('pns.print')}</Button>
            ) : null}
            {(r.objections ?? []).filter((o) => o.status === 'open').map((o, i, open) => (
              <Button key={String(o.id)} size="small" danger onClick={() => { form.resetFields(); setResolving({ app: r, objection: o }); }} data-testid={`resolve-${o.id}`}>
                {t('an.resolve')}{open.length > 1 ? ` ${i + 1}` : ''}
              </Button>
            ))}
          </Space>
        ),
    },
  ];

  return (
    <div data-testid="page-admin-notices">
      <PageHeader title={t('an.title')} sub={t('an.sub')} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchApp')} onSearch={setQ} value={q} testid="notices-search" />
          <Segmented<ApplicationStatus>
            value={status}
            onChange={setStatus}
            options={(['approved', 'issued', 'revoked'] as const).map((s) => ({ value: s, label: t(`appst.${s}`) }))}
            aria-label={t('a11y.filterStatus')}
            data-testid="notices-status"
          />
        </Space>
        {status === 'approved' ? (
          <Space wrap style={{ marginBottom: 12 }} data-testid="notices-bulk-bar">
            <Tooltip title={t('bulk.onlyEligible')}>
              <Button type="primary" icon={<CheckCircleOutlined />} disabled={!selected.length} onClick={() => setBulkIssuing(true)} data-testid="notices-bulk-issue">
                {t('an.bulkIssue')}
              </Button>
            </Tooltip>
            {selected.length ? (
              <>
                <span data-testid="notices-selected" data-count={selected.length}>{t('bulk.selected', { n: selected.length })}</span>
                <Button type="link" onClick={() => setSelected([])}>{t('bulk.clear')}</Button>
              </>
            ) : null}
          </Space>
        ) : null}
        <ServerTable
          testid="table-admin-notices"
          path="/applications"
          exportName="notices"
          query={{ q, status }}
          columns={columns}
          reloadKey={reloadKey}
          onLoaded={(p) => setSelected((s) => s.filter((x) => p.items.some((r) => r.id === x.id && issuable(r))))}
          tableProps={
            status === 'approved'
              ? {
                  rowSelection: {
                    selectedRowKeys: selected.map((r) => r.id),
                    onChange: (_keys, picked) => setSelected(picked.filter(issuable)),
                    getCheckboxProps: (r) => ({ disabled: !issuable(r) }),
                  },
                }
              : undefined
          }
        />
      </Card>
      <BulkAction<Application>
        open={bulkIssuing}
        testid="notices-bulk"
        title={t('an.bulkIssueTitle', { n: selected.length })}
        rows={selected}
        rowKey={(r) => String(r.id)}
        rowLabel={(r) => <span><RecordNo n={r.number} /> {r.enterprise_name ?? ''}</span>}
        amount={(r) => r.approved_fen ?? r.amount_fen}
        okText={t('an.issue')}
        act={(r) => createSubmissionKey().post<Voucher>(`/applications/${r.id}/issue`, {})}
        onClose={(ran) => {
          setBulkIssuing(false);
          if (ran) {
            setSelected([]);
            reload();
          }
        }}
      >
        <Typography.Paragraph type="secondary">{t('an.bulkIssueNote')}</Typography.Paragraph>
      </BulkAction>
      <Modal open={!!objecting} title={<span>{t('an.object')} <RecordNo n={objecting?.number} /></span>} onCancel={() => setObjecting(null)} onOk={submitObjection} confirmLoading={busy} destroyOnClose>
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('an.objectReason')} rules={[{ required: true, message: t('err.required') }]}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={!!resolving} title={t('an.resolve')} onCancel={() => setResolving(null)} onOk={submitResolve} confirmLoading={busy} destroyOnClose>
        <p>{resolving?.objection.reason}</p>
        <Form form={form} layout="vertical" initialValues={{ uphold: 'dismiss' }}>
          <Form.Item name="uphold">
            <Radio.Group>
              <Radio value="uphold">{t('an.uphold')}</Radio>
              <Radio value="dismiss">{t('an.dismiss')}</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="note" label={t('an.note')} rules={[{ required: true, message: t('err.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
