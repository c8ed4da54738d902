import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Card, Form, Input, Modal, Popconfirm, Radio, Segmented, Space, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import type { Application, ApplicationStatus, Objection, Voucher } from '../../api/types';
import { DateText, Money, NoticeTag, PageHeader, StatusTag } from '../../components/common';
import { ListSearch, numberColumn, RecordNo, ShortId } from '../../components/RecordNumber';
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
  const [status, setStatus] = useState<ApplicationStatus>('approved');
  const [reloadKey, setReloadKey] = useState(0);
  const [q, setQ] = useState<string | undefined>();
  const [objecting, setObjecting] = useState<Application | null>(null);
  const [resolving, setResolving] = useState<{ app: Application; objection: Objection } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const submission = useSubmissionKey();
  const reload = () => setReloadKey((k) => k + 1);

  const issue = async (a: Application) => {
    try {
      const r = await submission.post<Voucher>(`/applications/${a.id}/issue`, {});
      message.success(t('an.issued', { id: String(r?.number || r?.id || '') }));
      reload();
    } catch (e) {
      message.error(tErr(e));
    }
  };

  const submitObjection = async () => {
    const v = await form.validateFields();
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
    const v = await form.validateFields();
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
          <ListSearch placeholder={t('rec.searchApp')} onSearch={setQ} testid="notices-search" />
          <Segmented<ApplicationStatus>
            value={status}
            onChange={setStatus}
            options={(['approved', 'issued', 'revoked'] as const).map((s) => ({ value: s, label: t(`appst.${s}`) }))}
            data-testid="notices-status"
          />
        </Space>
        <ServerTable testid="table-admin-notices" path="/applications" exportName="notices" query={{ q, status }} columns={columns} reloadKey={reloadKey} />
      </Card>
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
