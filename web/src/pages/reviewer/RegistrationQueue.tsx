// 登记审核 (reviewers and administrators): the data resource registrations to decide — accept or
// return a submission, pass an accepted one to its public notice or reject it, register it once
// the notice is over and its objections are resolved (upheld or dismissed, with a note).
import { Alert, App, Button, Card, Input, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { REGISTRATION_STATUSES, type DataRegistration, type RegistrationObjection, type RegistrationStatus } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, NoticeTag, PageHeader } from '../../components/common';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { useT } from '../../i18n';
import { ReasonModal } from '../data/ReasonModal';
import { RegistrationDrawer, RegStatusTag } from '../data/RegistrationParts';

type Ask = { kind: 'return' | 'reject'; id: string } | { kind: 'uphold' | 'dismiss'; id: string } | null;

export default function RegistrationQueue() {
  const { t, tEnum, tErr } = useT();
  const { message } = App.useApp();
  const { user } = useAuth();
  // The auditor reads the queue; only reviewers and administrators decide.
  const readOnly = user?.role === 'auditor';
  const today = useToday();
  const submission = useSubmissionKey();
  const list = useListState({ defaults: { status: 'submitted' } });
  const status = list.get('status') as RegistrationStatus | undefined;
  const setStatus = (v: RegistrationStatus | null | undefined) => list.setFilter('status', v);
  const q = list.get('q');
  const setQ = (v: string) => list.setFilter('q', v.trim());
  const [reloadKey, setReloadKey] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [ask, setAsk] = useState<Ask>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = () => {
    message.success(t('dr.decided'));
    setReloadKey((k) => k + 1);
  };

  const act = async (r: DataRegistration, step: 'accept' | 'pass' | 'register') => {
    setBusy(step);
    setError(null);
    try {
      await submission.post(`/data-registrations/${encodeURIComponent(r.id)}/${step}`);
      done();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const columns: ColumnsType<DataRegistration> = [
    { title: t('dr.resourceName'), key: 'resource_name', sorter: true, render: (_, r) => <strong>{r.content.resource_name}</strong> },
    { title: t('dr.holder'), key: 'holder', render: (_, r) => r.content.rights.holding.name },
    { title: t('dr.kind'), dataIndex: 'kind', render: (v: string, r) => <span>{tEnum('regkind', v)}{r.original_code ? <Typography.Text type="secondary" className="mono"> · {r.original_code}</Typography.Text> : null}</span> },
    { title: t('dr.grade'), key: 'grade', render: (_, r) => tEnum('grade', r.content.grade) },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <RegStatusTag status={v} /> },
    {
      title: t('dr.noticeEnds'),
      dataIndex: 'notice_ends',
      render: (v: string | null, r) => (r.status === 'in_notice' ? <Space size={4}><DateText d={v} /><NoticeTag endsOn={v} today={today} /></Space> : <DateText d={v} />),
    },
    { title: t('dr.openObjections'), dataIndex: 'open_objections', align: 'right', render: (v: number) => (v > 0 ? <Tag color="error" data-testid="open-objections">{v}</Tag> : v) },
    { title: t('dr.appliedAt'), dataIndex: 'applied_at', key: 'applied_at', sorter: true, render: (v: string) => <DateText d={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) => (
        <Button size="small" type="link" onClick={() => setOpenId(r.id)} data-testid={`regq-open-${r.id}`}>
          {readOnly ? t('common.detail') : t('dr.review')}
        </Button>
      ),
    },
  ];

  const noticeRunning = (r: DataRegistration) => !!(r.notice_ends && today && today <= r.notice_ends);

  return (
    <div data-testid="page-review-registrations">
      <PageHeader title={t('dr.queueTitle')} sub={t('dr.queueSub')} extra={readOnly ? <Tag data-testid="read-only">{t('dr.readOnly')}</Tag> : undefined} />
      <Card>
        <Space className="filters" wrap>
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            options={REGISTRATION_STATUSES.map((s) => ({ value: s, label: tEnum('regst', s) }))}
            data-testid="regq-filter-status"
          />
          <Input.Search allowClear placeholder={t('dr.searchPh')} style={{ width: 280 }} defaultValue={q} onSearch={setQ} data-testid="regq-filter-q" />
        </Space>
        <ServerTable
          testid="table-registration-queue"
          path="/data-registrations"
          query={{ status, q: q || undefined }}
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ onRow: (r) => ({ onDoubleClick: () => setOpenId(r.id) }) }}
        />
      </Card>
      <RegistrationDrawer
        id={openId}
        reloadKey={reloadKey}
        onClose={() => {
          setOpenId(null);
          setError(null);
        }}
        extra={(r) => readOnly ? null : (
          <Card size="small" style={{ marginBottom: 16 }} data-testid="regq-actions">
            {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginBottom: 12 }} data-testid="regq-error" /> : null}
            {r.status === 'submitted' || r.status === 'accepted' ? (
              <Space wrap>
                {r.status === 'submitted' ? (
                  <Button type="primary" loading={busy === 'accept'} onClick={() => act(r, 'accept')} data-testid="regq-accept">{t('dr.accept')}</Button>
                ) : (
                  <Button type="primary" loading={busy === 'pass'} onClick={() => act(r, 'pass')} data-testid="regq-pass">{t('dr.pass')}</Button>
                )}
                <Button onClick={() => setAsk({ kind: 'return', id: r.id })} data-testid="regq-return">{t('dr.return')}</Button>
                {r.status === 'accepted' && <Button danger onClick={() => setAsk({ kind: 'reject', id: r.id })} data-testid="regq-reject">{t('dr.reject')}</Button>}
              </Space>
            ) : r.status === 'in_notice' ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text>
                  {t('dr.noticeUntil', { date: r.notice_ends ?? '—' })} <NoticeTag endsOn={r.notice_ends} today={today} />
                </Typography.Text>
                {r.open_objections > 0 ? <Alert type="warning" showIcon message={t('dr.objectionsToResolve', { n: r.open_objections })} /> : null}
                <Space wrap>
                  <Button type="primary" disabled={noticeRunning(r) || r.open_objections > 0} loading={busy === 'register'} onClick={() => act(r, 'register')} data-testid="regq-register">
                    {t('dr.register')}
                  </Button>
                  <Button danger onClick={() => setAsk({ kind: 'reject', id: r.id })} data-testid="regq-reject">{t('dr.reject')}</Button>
                </Space>
                {noticeRunning(r) ? <Typography.Text type="secondary">{t('dr.registerAfterNotice')}</Typography.Text> : null}
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('dr.nothingToDecide', { status: tEnum('regst', r.status) })}</Typography.Text>
            )}
          </Card>
        )}
        objectionActions={(o: RegistrationObjection) =>
          o.status === 'open' && !readOnly ? (
            <Space size={0}>
              <Button size="small" type="link" danger onClick={() => setAsk({ kind: 'uphold', id: o.id })} data-testid={`obj-uphold-${o.id}`}>{t('dr.uphold')}</Button>
              <Button size="small" type="link" onClick={() => setAsk({ kind: 'dismiss', id: o.id })} data-testid={`obj-dismiss-${o.id}`}>{t('dr.dismiss')}</Button>
            </Space>
          ) : null
        }
      />
      {ask && (ask.kind === 'return' || ask.kind === 'reject') ? (
        <ReasonModal
          open
          title={ask.kind === 'return' ? t('dr.return') : t('dr.reject')}
          path={`/data-registrations/${encodeURIComponent(ask.id)}/${ask.kind}`}
          label={t('dr.decisionReason')}
          hint={ask.kind === 'return' ? t('dr.returnHint') : t('dr.rejectHint')}
          danger={ask.kind === 'reject'}
          onClose={() => setAsk(null)}
          onDone={() => {
            setAsk(null);
            done();
          }}
          testid="regq-reason"
        />
      ) : ask ? (
        <ReasonModal
          open
          title={ask.kind === 'uphold' ? t('dr.uphold') : t('dr.dismiss')}
          path={`/data-registration-objections/${encodeURIComponent(ask.id)}/resolve`}
          label={t('dr.resolutionNote')}
          hint={ask.kind === 'uphold' ? t('dr.upholdHint') : t('dr.dismissHint')}
          body={(note) => ({ uphold: ask.kind === 'uphold', note })}
          danger={ask.kind === 'uphold'}
          onClose={() => setAsk(null)}
          onDone={() => {
            setAsk(null);
            done();
          }}
          testid="obj-resolve"
        />
      ) : null}
    </div>
  );
}
