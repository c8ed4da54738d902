import { ExclamationCircleOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { useAuth } from '../../auth';
import type { Notice } from '../../api/types';
import { DateText, EmptyState, ErrorState, Money, NoticeTag, PageHeader } from '../../components/common';
import { useToday } from '../../clock';
import { ShortId } from '../../components/RecordNumber';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';

export default function PublicNotices() {
  const { t, tEnum, tErr } = useT();
  const today = useToday();
  const { user } = useAuth();
  const nav = useNavigate();
  const { message } = App.useApp();
  const submission = useSubmissionKey();
  const [form] = Form.useForm<{ reason: string }>();
  const [objecting, setObjecting] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  // Objections are filed in a real name: signed out, the button leads to the login page and back.
  const object = (n: Notice) => (user ? setObjecting(n) : nav(`/login?next=${encodeURIComponent('/public/notices')}`));
  const submitObjection = async () => {
    // A missing reason is shown on the field; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      await submission.post(`/applications/${encodeURIComponent(objecting!.application_id)}/objections`, { reason: v.reason.trim() });
      message.success(t('pn.filed'));
      setObjecting(null);
    } catch (e) {
      message.error(tErr(e));
    } finally {
      setBusy(false);
    }
  };
  const { data, error, loading, reload } = useAsync(
    // The server answers every notice under way (no paging parameters).
    (s) => api.get<Notice[] | { items: Notice[] }>('/public/notices', undefined, s).then(normalizeArray<Notice>),
    [],
  );
  const columns: ColumnsType<Notice> = [
    { title: t('rec.id'), dataIndex: 'application_id', render: (v: string) => <ShortId id={v} /> },
    { title: t('notice.enterprise'), dataIndex: 'enterprise_name', render: (v: string) => <strong>{v}</strong> },
    { title: t('notice.program'), dataIndex: 'program_name' },
    { title: t('v.type'), dataIndex: 'voucher_type', render: (v: string) => <Tag color="blue">{tEnum('vt', v)}</Tag> },
    { title: t('notice.amount'), dataIndex: 'amount_fen', align: 'right', render: (v: number) => <Money fen={v} strong />, sorter: (a, b) => a.amount_fen - b.amount_fen },
    {
      title: t('notice.endsOn'),
      dataIndex: 'notice_ends_on',
      sorter: (a, b) => a.notice_ends_on.localeCompare(b.notice_ends_on),
      defaultSortOrder: 'ascend',
      render: (v: string) => (
        <span>
          <DateText d={v} /> <NoticeTag endsOn={v} today={today} />
        </span>
      ),
    },
    {
      title: t('common.actions'),
      key: 'object',
      render: (_, r) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<ExclamationCircleOutlined />}
            onClick={() => object(r)}
            title={user ? undefined : t('pn.signInToObject')}
            data-testid={`notice-object-${r.application_id}`}
          >
            {t('pn.object')}
          </Button>
          {/* The notice's own page: a printable sheet with a QR code back to it. */}
          <Button size="small" icon={<PrinterOutlined />} onClick={() => nav(`/public/notices/${encodeURIComponent(r.application_id)}`)} data-testid={`notice-sheet-${r.application_id}`}>
            {t('pns.print')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <div data-testid="page-public-notices">
      <PageHeader title={t('notice.title')} sub={t('notice.sub')} />
      <Card>
        {error ? (
          <ErrorState error={error} onRetry={reload} compact />
        ) : (
          <div data-testid="table-notices">
          <Table<Notice>
            rowKey="application_id"
            loading={loading}
            columns={columns}
            dataSource={data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
            locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <EmptyState /> }}
            scroll={{ x: 'max-content' }}
          />
          </div>
        )}
      </Card>
      <Modal
        open={!!objecting}
        title={t('pn.objectTitle')}
        onCancel={() => setObjecting(null)}
        onOk={submitObjection}
        okText={t('common.submit')}
        confirmLoading={busy}
        destroyOnClose
        data-testid="notice-object-modal"
      >
        {objecting ? (
          <Typography.Paragraph strong data-testid="notice-object-target">
            {t('pn.objectOn', { enterprise: objecting.enterprise_name, program: objecting.program_name })}
          </Typography.Paragraph>
        ) : null}
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('pn.realName', { name: user?.display_name || user?.username || '' })} />
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('pn.reason')} rules={[{ required: true, whitespace: true, message: t('err.required') }, { max: 2000 }]}>
            <Input.TextArea rows={5} maxLength={2000} showCount placeholder={t('pn.reasonPh')} data-testid="notice-object-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
