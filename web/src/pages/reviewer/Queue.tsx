import { CheckOutlined, CloseOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Divider, Drawer, Form, Input, List, Select, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { createSubmissionKey, useSubmissionKey } from '../../api/submission';
import { APPLICATION_STATUSES, type Application, type ApplicationStatus, type Enterprise, type Id, type ReviewInput } from '../../api/types';
import { DateText, ErrorState, Money, PageHeader, StatusTag } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { BulkAction } from '../../components/BulkAction';
import { nextRowKey } from '../../components/bulk';
import { ListSearch, numberColumn, RecordNo, ShortId } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { fenToYuanInput, industryLabel, parseYuanToFen } from '../../format';
import { byId, useAsync, useCities, usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { ProgramRules } from '../enterprise/ProgramRules';
import { nextLevel, previousAmount } from './chain';
import { ReviewChainSteps } from './ReviewChain';
import { EnterpriseRecord } from './EnterpriseRecord';
import { conflictText } from '../../relations';

export default function Queue() {
  const { t, tEnum } = useT();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const list = useListState({ defaults: { status: 'submitted' } });
  const status = list.get('status') as ApplicationStatus | undefined;
  const setStatus = (v: ApplicationStatus | null | undefined) => list.setFilter('status', v);
  const programId = list.get('program_id');
  const setProgramId = (v: string | null | undefined) => list.setFilter('program_id', v);
  const awaitingLevel = list.num('awaiting_level');
  const setAwaitingLevel = (v: number | null | undefined) => list.setFilter('awaiting_level', v);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const [openId, setOpenId] = useState<Id | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  // The rows of the page shown (the drawer's "next"), the ones ticked and the bulk action asked.
  const [rows, setRows] = useState<Application[]>([]);
  const [selected, setSelected] = useState<Application[]>([]);
  const [bulk, setBulk] = useState<'approve' | 'reject' | null>(null);
  const [bulkForm] = Form.useForm<{ reason: string }>();
  const bulkReason = useRef('');
  const ids = rows.map((r) => String(r.id));
  // Where the open application stood in the page, for the one after it once it has left the queue.
  const openIndex = useRef(-1);
  const open = (id: Id) => {
    openIndex.current = ids.indexOf(String(id));
    setOpenId(id);
  };
  const nextId = openId == null ? null : nextRowKey(ids, String(openId), openIndex.current);
  const decidable = (r: Application) => r.status === 'submitted';
  /** One row's decision, as the drawer sends it: its own Idempotency-Key, the level it decides. */
  const decideRow = (r: Application, decision: 'approve' | 'reject', reason?: string) => {
    const level = nextLevel(r);
    const base: ReviewInput = decision === 'approve' ? { decision, amount_fen: previousAmount(r) ?? r.amount_fen } : { decision, reason: reason ?? '' };
    return createSubmissionKey().post(`/applications/${r.id}/review`, level != null ? { ...base, level } : base);
  };

  const columns: ColumnsType<Application> = [
    numberColumn<Application>(t('rec.number')),
    { title: t('app.enterprise'), dataIndex: 'enterprise_id', render: (v, r) => r.enterprise_name ?? v },
    { title: t('app.program'), dataIndex: 'program_id', render: (v, r) => r.program_name ?? progs.get(String(v))?.name ?? v },
    { title: t('app.amount'), dataIndex: 'amount_fen', key: 'amount_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('app.approved'), dataIndex: 'approved_fen', align: 'right', render: (v: number | null) => (v == null ? '—' : <Money fen={v} />) },
    {
      title: t('app.conflicts'),
      dataIndex: 'conflicts',
      render: (v: Application['conflicts'] | undefined) =>
        v && v.length ? (
          <Tooltip title={<ul style={{ margin: 0, paddingLeft: 18 }}>{v.map((c, i) => <li key={i}>{conflictText(c, t)}</li>)}</ul>}>
            <Tag color="error" icon={<WarningOutlined />} data-testid="conflict-flag" data-codes={v.map((c) => c.code).join(' ')}>{v.length}</Tag>
          </Tooltip>
        ) : (
          <Tag>{t('common.none')}</Tag>
        ),
    },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="appst" status={v} /> },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <DateText d={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) => (
        <Button size="small" type="link" onClick={() => open(r.id)} data-testid={`review-open-${r.id}`}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="page-review-queue">
      <PageHeader title={t('rev.title')} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchApp')} onSearch={setQ} value={q} testid="review-search" />
          <Select
            allowClear
            placeholder={t('rev.filterStatus')}
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            options={APPLICATION_STATUSES.map((s) => ({ value: s, label: tEnum('appst', s) }))}
            data-testid="filter-status"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('rev.filterProgram')}
            style={{ width: 280 }}
            value={programId}
            onChange={setProgramId}
            options={programs.map((p) => ({ value: String(p.id), label: p.name }))}
            data-testid="filter-program"
          />
          <Select
            allowClear
            placeholder={t('rev.filterLevel')}
            style={{ width: 160 }}
            value={awaitingLevel}
            onChange={setAwaitingLevel}
            options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: t('rev.awaitingLevel', { n }) }))}
            data-testid="filter-level"
          />
        </Space>
        <Space wrap style={{ marginBottom: 12 }} data-testid="review-bulk-bar">
          <Typography.Text type="secondary" data-testid="review-selected" data-count={selected.length}>
            {selected.length ? t('bulk.selected', { n: selected.length }) : t('bulk.onlyEligible')}
          </Typography.Text>
          <Button icon={<CheckOutlined />} disabled={!selected.length} onClick={() => setBulk('approve')} data-testid="review-bulk-approve">
            {t('rev.bulkApprove')}
          </Button>
          <Button danger icon={<CloseOutlined />} disabled={!selected.length} onClick={() => { bulkForm.resetFields(); setBulk('reject'); }} data-testid="review-bulk-reject">
            {t('rev.bulkReject')}
          </Button>
          {selected.length ? <Button type="link" onClick={() => setSelected([])}>{t('bulk.clear')}</Button> : null}
        </Space>
        <ServerTable
          testid="table-review-queue"
          path="/applications" exportName="applications"
          query={{ q, status, program_id: programId, awaiting_level: awaitingLevel }}
          columns={columns}
          reloadKey={reloadKey}
          onLoaded={(p) => {
            setRows(p.items);
            setSelected((s) => s.filter((x) => p.items.some((r) => r.id === x.id && decidable(r))));
          }}
          tableProps={{
            onRow: (r) => ({ onDoubleClick: () => open(r.id) }),
            rowSelection: {
              selectedRowKeys: selected.map((r) => r.id),
              onChange: (_keys, picked) => setSelected(picked.filter(decidable)),
              getCheckboxProps: (r) => ({ disabled: !decidable(r) }),
            },
          }}
        />
      </Card>
      <BulkAction<Application>
        open={bulk != null}
        testid="review-bulk"
        title={bulk === 'reject' ? t('rev.bulkRejectTitle', { n: selected.length }) : t('rev.bulkApproveTitle', { n: selected.length })}
        rows={selected}
        rowKey={(r) => String(r.id)}
        rowLabel={(r) => <span><RecordNo n={r.number} /> {r.enterprise_name ?? ''}</span>}
        amount={bulk === 'approve' ? (r) => previousAmount(r) ?? r.amount_fen : undefined}
        okText={bulk === 'reject' ? t('rev.reject') : t('rev.approve')}
        danger={bulk === 'reject'}
        validate={
          bulk === 'reject'
            ? () =>
                bulkForm.validateFields().then(
                  (v) => {
                    bulkReason.current = v.reason.trim();
                    return true;
                  },
                  () => false,
                )
            : undefined
        }
        act={(r) => decideRow(r, bulk ?? 'approve', bulkReason.current)}
        onClose={(ran) => {
          setBulk(null);
          if (ran) {
            setSelected([]);
            setReloadKey((k) => k + 1);
          }
        }}
      >
        {bulk === 'reject' ? (
          <Form form={bulkForm} layout="vertical">
            <Form.Item name="reason" label={t('rev.bulkRejectReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="review-bulk-reason" />
            </Form.Item>
          </Form>
        ) : (
          <Typography.Paragraph type="secondary">{t('rev.bulkApproveNote')}</Typography.Paragraph>
        )}
      </BulkAction>
      <ReviewDrawer
        id={openId}
        nextId={nextId}
        onNext={() => nextId && open(nextId)}
        onClose={() => setOpenId(null)}
        onDecided={() => {
          setReloadKey((k) => k + 1);
          // The next application of the page opens in the same drawer.
          if (nextId) open(nextId);
        }}
      />
    </div>
  );
}

function ReviewDrawer({ id, nextId, onNext, onClose, onDecided }: { id: Id | null; nextId: Id | null; onNext: () => void; onClose: () => void; onDecided: () => void }) {
  const { t, tErr, tEnum, lang } = useT();
  const { message } = App.useApp();
  const { programs } = usePrograms();
  const { cities } = useCities();
  const [tab, setTab] = useState<'approve' | 'reject'>('approve');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [form] = Form.useForm<{ amount_fen: string; reason: string }>();
  const submission = useSubmissionKey();

  const detail = useAsync(
    async (s) => {
      if (id == null) return null;
      const app = await api.get<Application>(`/applications/${id}`, undefined, s);
      const ent = await api.get<Enterprise>(`/enterprises/${app.enterprise_id}`, undefined, s).catch(() => null);
      form.setFieldsValue({ amount_fen: fenToYuanInput(previousAmount(app) ?? app.amount_fen), reason: '' });
      setFormError(null);
      return { app, ent };
    },
    [id],
  );
  const app = detail.data?.app;
  const ent = detail.data?.ent;
  const program = app ? programs.find((p) => String(p.id) === String(app.program_id)) : undefined;

  const decide = async (decision: 'approve' | 'reject') => {
    if (!app) return;
    try {
      await form.validateFields(decision === 'approve' ? ['amount_fen'] : ['reason']);
    } catch {
      return;
    }
    const v = form.getFieldsValue();
    setBusy(true);
    setFormError(null);
    try {
      const level = nextLevel(app);
      const base: ReviewInput = decision === 'approve' ? { decision, amount_fen: parseYuanToFen(v.amount_fen)!, reason: v.reason || undefined } : { decision, reason: v.reason };
      const body: ReviewInput = level != null ? { ...base, level } : base;
      await submission.post(`/applications/${app.id}/review`, body);
      message.success(t('rev.decisionDone'));
      // Without a next application the drawer shows this one as decided.
      if (!nextId) detail.reload();
      onDecided();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['amount_fen', 'reason'])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const cityName = (code?: string) => {
    const c = cities.find((x) => x.code === code);
    return c ? (lang === 'zh' ? c.name_zh : c.name_en) : code;
  };

  return (
    <Drawer open={id != null} onClose={onClose} width={720} title={app ? <span>{t('rev.title')} <RecordNo n={app.number} testid="review-number" /></span> : t('rev.title')}
      extra={
        <Tooltip title={nextId ? undefined : t('rev.noNext')}>
          <Button icon={<RightOutlined />} iconPosition="end" disabled={!nextId} onClick={onNext} data-testid="review-next">
            {t('rev.next')}
          </Button>
        </Tooltip>
      }
      destroyOnClose data-testid="review-drawer">
      {detail.error ? (
        <ErrorState error={detail.error} onRetry={detail.reload} />
      ) : detail.loading || !app ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <div data-testid="review-detail">
          {app.conflicts?.length ? (
            <Alert
              type="error"
              showIcon
              icon={<WarningOutlined />}
              style={{ marginBottom: 16 }}
              message={<strong>{t('app.conflictsWarn', { n: app.conflicts.length })}</strong>}
              description={<ul style={{ margin: 0, paddingLeft: 18 }}>{app.conflicts.map((c, i) => <li key={i} data-code={c.code}>{conflictText(c, t)}</li>)}</ul>}
              data-testid="review-conflicts"
            />
          ) : (
            <Alert type="success" showIcon message={t('app.noConflicts')} style={{ marginBottom: 16 }} />
          )}
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('common.status')}><StatusTag prefix="appst" status={app.status} /></Descriptions.Item>
            <Descriptions.Item label={t('common.createdAt')}><DateText d={app.created_at} /></Descriptions.Item>
            <Descriptions.Item label={t('app.program')}>{app.program_name}</Descriptions.Item>
            <Descriptions.Item label={t('rec.id')}><ShortId id={app.id} /></Descriptions.Item>
            <Descriptions.Item label={t('app.amount')}><Money fen={app.amount_fen} strong /></Descriptions.Item>
            <Descriptions.Item label={t('app.approved')}>{app.approved_fen == null ? '—' : <Money fen={app.approved_fen} />}</Descriptions.Item>
            <Descriptions.Item label={t('app.plan')} span={2}>
              <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{app.plan}</Typography.Paragraph>
            </Descriptions.Item>
            {app.reason && <Descriptions.Item label={t('app.reason')} span={2}>{app.reason}</Descriptions.Item>}
            {app.notice_ends_on && <Descriptions.Item label={t('app.noticeEnds')} span={2}><DateText d={app.notice_ends_on} /></Descriptions.Item>}
          </Descriptions>
          {app.review_chain?.length > 0 && (
            <>
              <Divider orientation="left">{t('rev.chain')}</Divider>
              <ReviewChainSteps app={app} />
            </>
          )}
          <Divider orientation="left">{t('rev.enterpriseInfo')}</Divider>
          {ent ? (
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('ent.name')}>{ent.name}</Descriptions.Item>
              <Descriptions.Item label={t('ent.uscc')}><span className="mono">{ent.uscc}</span></Descriptions.Item>
              <Descriptions.Item label={t('common.city')}>{cityName(ent.city_code)}</Descriptions.Item>
              <Descriptions.Item label={t('ent.industry')}>{industryLabel(tEnum, ent.industry)}</Descriptions.Item>
              <Descriptions.Item label={t('ent.size')}>{tEnum('size', ent.size_class)}</Descriptions.Item>
              <Descriptions.Item label={t('ent.pilot')}>{ent.pilot_zone ? t('common.yes') : t('common.no')}</Descriptions.Item>
              <Descriptions.Item label={t('ent.legalRep')}>{ent.legal_rep}</Descriptions.Item>
              <Descriptions.Item label={t('ent.actualController')}>{ent.actual_controller || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ent.shareholders')}>{ent.shareholders?.join('、') || '—'}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Text type="secondary">#{String(app.enterprise_id)}</Typography.Text>
          )}
          {/* The applicant's record: its registered file's versions, earlier applications and vouchers. */}
          {ent ? <EnterpriseRecord enterprise={ent} currentApp={app.id} /> : null}
          {program && (
            <>
              <Divider orientation="left">{program.name}</Divider>
              <ProgramRules p={program} />
            </>
          )}
          {app.objections && app.objections.length > 0 && (
            <>
              <Divider orientation="left">{t('app.objections')}</Divider>
              <List size="small" bordered dataSource={app.objections} renderItem={(o) => <List.Item>{o.reason}</List.Item>} />
            </>
          )}
          {app.status === 'submitted' ? (
            <>
              <Divider />
              {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="review-error" /> : null}
              {nextLevel(app) != null && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 16 }}
                  data-testid="review-level"
                  message={t('rev.levelDeciding', { n: nextLevel(app)!, name: app.review_chain[nextLevel(app)! - 1].name })}
                />
              )}
              <Tabs
                activeKey={tab}
                onChange={(k) => setTab(k as 'approve' | 'reject')}
                items={[
                  { key: 'approve', label: <span data-testid="review-tab-approve">{t('rev.approve')}</span> },
                  { key: 'reject', label: <span data-testid="review-tab-reject">{t('rev.reject')}</span> },
                ]}
              />
              <Form form={form} layout="vertical">
                {tab === 'approve' ? (
                  <Form.Item
                    name="amount_fen"
                    label={t('rev.approveAmount')}
                    rules={[
                      { required: true, message: t('err.required') },
                      {
                        validator: (_, v) => {
                          if (!v) return Promise.resolve();
                          const fen = parseYuanToFen(v);
                          if (fen === null) return Promise.reject(new Error(t('common.moneyInvalid')));
                          if (fen <= 0) return Promise.reject(new Error(t('common.moneyPositive')));
                          return Promise.resolve();
                        },
                      },
                    ]}
                  >
                    <Input prefix="¥" inputMode="decimal" style={{ maxWidth: 260 }} data-testid="review-amount" />
                  </Form.Item>
                ) : null}
                <Form.Item name="reason" label={t('rev.rejectReason')} rules={tab === 'reject' ? [{ required: true, message: t('err.required') }] : []}>
                  <Input.TextArea rows={3} maxLength={2000} data-testid="review-reason" />
                </Form.Item>
                {tab === 'approve' ? (
                  <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => decide('approve')} data-testid="review-approve">
                    {t('rev.approve')}
                  </Button>
                ) : (
                  <Button danger type="primary" icon={<CloseOutlined />} loading={busy} onClick={() => decide('reject')} data-testid="review-reject">
                    {t('rev.reject')}
                  </Button>
                )}
              </Form>
            </>
          ) : (
            <Alert style={{ marginTop: 16 }} type="info" showIcon message={`${t('rev.decided')}: ${tEnum('appst', app.status)}`} />
          )}
        </div>
      )}
    </Drawer>
  );
}
