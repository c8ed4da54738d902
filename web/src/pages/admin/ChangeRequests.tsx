// 信息变更审核: change requests to enterprises' registered files. Pending requests first (the
// default filter); an administrator approves (the changed fields are written to the file) or
// rejects with a reason, each confirmed in a modal that shows what changes; reviewers and
// auditors read.
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { CHANGE_REQUEST_STATUSES, type ChangeRequestStatus, type EnterpriseChangeRequest } from '../../api/types';
import { useAuth } from '../../auth';
import { PageHeader, StatusTag } from '../../components/common';
import { FieldChangeList, FieldChangeTable } from '../../components/FieldChanges';
import { PartySelect } from '../../components/PartySelect';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useReasonSubmit } from '../../components/useReasonSubmit';
import { UserName } from '../../components/UserName';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { CHANGE_STATUS_COLORS } from '../enterprise/changeRequest';
import { decisionBody } from './integrity';

type Decision = 'approve' | 'reject';

export default function ChangeRequests() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const canDecide = user?.role === 'admin';
  // The filters live in the URL (pending requests by default). Opened from an enterprise's file
  // (?enterprise_id=…&status=): that enterprise's requests, whatever their status.
  const list = useListState({ defaults: { status: 'pending' } });
  const status = list.get('status') as ChangeRequestStatus | undefined;
  const setStatus = (v: ChangeRequestStatus | null | undefined) => list.setFilter('status', v);
  const enterpriseId = list.get('enterprise_id');
  const setEnterpriseId = (v: string | null | undefined) => list.setFilter('enterprise_id', v);
  const [deciding, setDeciding] = useState<{ request: EnterpriseChangeRequest; decision: Decision } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey((k) => k + 1);
  const time = (v?: string | null) => (v ? <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span> : '—');

  const columns: ColumnsType<EnterpriseChangeRequest> = [
    {
      title: t('chg.enterprise'),
      dataIndex: 'enterprise_name',
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          <strong>{v || r.enterprise_id}</strong>
          <Typography.Text type="secondary" className="mono">{r.enterprise_id}</Typography.Text>
        </Space>
      ),
    },
    { title: t('common.status'), dataIndex: 'status', key: 'status', sorter: true, render: (v: string) => <StatusTag prefix="crst" status={v} colors={CHANGE_STATUS_COLORS} /> },
    { title: t('chg.changes'), dataIndex: 'changes', render: (c: EnterpriseChangeRequest['changes']) => (
        <div style={{ maxWidth: 220 }}>
          <FieldChangeList changes={c ?? []} />
        </div>
      ),
    },
    { title: t('chg.evidence'), dataIndex: 'evidence', render: (v: string) => <Typography.Paragraph style={{ maxWidth: 180, marginBottom: 0 }} ellipsis={{ rows: 2, tooltip: v }} data-testid="change-evidence">{v}</Typography.Paragraph> },
    // When and by whom, one below the other.
    {
      title: t('chg.requestedAt'),
      dataIndex: 'created_at',
      key: 'created_at',
      sorter: true,
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          {time(v)}
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="change-requested-by">
            <UserName id={r.requested_by} />
          </Typography.Text>
        </Space>
      ),
    },
    // Nothing is decided in the pending queue (the default filter): no empty column there.
    ...(status === 'pending'
      ? []
      : [
          {
            title: t('chg.note'),
            dataIndex: 'decision_note',
            render: (v: string | null | undefined, r: EnterpriseChangeRequest) =>
              r.status === 'pending' ? (
                '—'
              ) : (
                <Space direction="vertical" size={0} style={{ maxWidth: 200 }}>
                  <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 2, tooltip: v || undefined }}>
                    {v || '—'}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <UserName id={r.decided_by} />
                  </Typography.Text>
                  {r.decided_at && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {formatDateTime(r.decided_at, lang)}
                    </Typography.Text>
                  )}
                </Space>
              ),
          },
        ]),
    // Only pending requests are decided: no empty actions column when the filter shows none.
    ...(canDecide && (status === undefined || status === 'pending')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: EnterpriseChangeRequest) =>
              r.status === 'pending' ? (
                <Space size={4}>
                  <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setDeciding({ request: r, decision: 'approve' })} data-testid={`change-approve-${r.id}`}>
                    {t('chg.approve')}
                  </Button>
                  <Button size="small" danger icon={<CloseOutlined />} onClick={() => setDeciding({ request: r, decision: 'reject' })} data-testid={`change-reject-${r.id}`}>
                    {t('chg.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-admin-change-requests">
      <PageHeader title={t('chg.queueTitle')} sub={t('chg.queueSub')} extra={canDecide ? undefined : <Tag data-testid="read-only">{t('chg.readOnly')}</Tag>} />
      <Card>
        <Space className="filters" wrap>
          <Select
            allowClear
            placeholder={t('chg.filterStatus')}
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            options={CHANGE_REQUEST_STATUSES.map((s) => ({ value: s, label: tEnum('crst', s) }))}
            data-testid="change-filter-status"
          />
          <PartySelect kind="enterprise" allowClear value={enterpriseId} onChange={setEnterpriseId} placeholder={t('chg.filterEnterprise')} style={{ width: 340 }} testid="change-filter-enterprise" />
        </Space>
        <ServerTable
          testid="table-change-requests"
          path="/enterprise-change-requests"
          query={{ status, enterprise_id: enterpriseId }}
          columns={columns}
          reloadKey={reloadKey}
          emptyText={status || enterpriseId ? t('common.noMatch') : undefined}
        />
      </Card>
      {canDecide && (
        <DecideModal
          target={deciding}
          onClose={() => setDeciding(null)}
          onDecided={() => {
            setDeciding(null);
            reload();
          }}
          onStale={reload}
        />
      )}
    </div>
  );
}

function DecideModal({
  target,
  onClose,
  onDecided,
  onStale,
}: {
  target: { request: EnterpriseChangeRequest; decision: Decision } | null;
  onClose: () => void;
  onDecided: () => void;
  onStale: () => void;
}) {
  const { t, tErr, lang } = useT();
  const { form, busy, formError, submit } = useReasonSubmit<{ note?: string }>({ target, fields: ['note'], staleCode: 'already_decided', onStale });

  const reject = target?.decision === 'reject';
  const decide = async () => {
    if (!target) return;
    await submit<EnterpriseChangeRequest>({
      path: `/enterprise-change-requests/${target.request.id}/decide`,
      body: (v) => decisionBody(target.decision, v.note),
      success: () => (reject ? t('chg.rejected') : t('chg.approved')),
      onDone: onDecided,
    });
  };

  const r = target?.request;
  return (
    <Modal
      open={!!target}
      title={reject ? t('chg.rejectTitle') : t('chg.approveTitle')}
      onCancel={onClose}
      onOk={decide}
      okText={reject ? t('chg.reject') : t('chg.approve')}
      okButtonProps={{ danger: reject, 'data-testid': 'change-decide-confirm' } as React.ComponentProps<typeof Button>}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      width={640}
      destroyOnHidden
      data-testid="change-decide-modal"
    >
      {r && (
        <>
          <Alert
            type={reject ? 'warning' : 'info'}
            showIcon
            message={reject ? t('chg.rejectConfirm') : t('chg.approveConfirm', { name: r.enterprise_name || r.enterprise_id })}
            style={{ marginBottom: 16 }}
          />
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('chg.enterprise')}>
              {r.enterprise_name} · <span className="mono">{r.enterprise_id}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('chg.evidence')}>{r.evidence}</Descriptions.Item>
            <Descriptions.Item label={t('chg.requestedAt')}>
              {formatDateTime(r.created_at, lang)} · <span className="mono">{r.requested_by}</span>
            </Descriptions.Item>
          </Descriptions>
          <FieldChangeTable changes={r.changes ?? []} testid="change-decide-table" />
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginTop: 16 }} data-testid="change-decide-error" /> : null}
          <Form form={form} layout="vertical" style={{ marginTop: 16 }}>
            <Form.Item
              name="note"
              label={reject ? t('chg.rejectNote') : t('chg.approveNote')}
              rules={reject ? [{ required: true, whitespace: true, message: t('err.required') }] : []}
            >
              <Input.TextArea rows={3} maxLength={2000} data-testid="change-decide-note" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
