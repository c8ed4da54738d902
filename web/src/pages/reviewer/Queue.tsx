import { CheckOutlined, CloseOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Divider, Drawer, Form, Input, List, Select, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { APPLICATION_STATUSES, type Application, type ApplicationStatus, type Enterprise, type Id, type ReviewInput } from '../../api/types';
import { DateText, ErrorState, Money, PageHeader, StatusTag } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { ListSearch, numberColumn, RecordNo, ShortId } from '../../components/RecordNumber';
import { ServerTable } from '../../components/ServerTable';
import { fenToYuanInput, industryLabel, parseYuanToFen } from '../../format';
import { byId, useAsync, useCities, usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { ProgramRules } from '../enterprise/ProgramRules';
import { nextLevel, previousAmount } from './chain';
import { ReviewChainSteps } from './ReviewChain';
import { conflictText } from '../../relations';

export default function Queue() {
  const { t, tEnum } = useT();
  const { programs } = usePrograms();
  const progs = byId(programs);
  const [status, setStatus] = useState<ApplicationStatus | undefined>('submitted');
  const [programId, setProgramId] = useState<string | undefined>();
  const [awaitingLevel, setAwaitingLevel] = useState<number | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const [openId, setOpenId] = useState<Id | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

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
        <Button size="small" type="link" onClick={() => setOpenId(r.id)} data-testid={`review-open-${r.id}`}>
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
          <ListSearch placeholder={t('rec.searchApp')} onSearch={setQ} testid="review-search" />
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
        <ServerTable
          testid="table-review-queue"
          path="/applications" exportName="applications"
          query={{ q, status, program_id: programId, awaiting_level: awaitingLevel }}
          columns={columns}
          reloadKey={reloadKey}
          tableProps={{ onRow: (r) => ({ onDoubleClick: () => setOpenId(r.id) }) }}
        />
      </Card>
      <ReviewDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onDecided={() => {
          setReloadKey((k) => k + 1);
        }}
      />
    </div>
  );
}

function ReviewDrawer({ id, onClose, onDecided }: { id: Id | null; onClose: () => void; onDecided: () => void }) {
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
      onDecided();
      detail.reload();
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
    <Drawer open={id != null} onClose={onClose} width={720} title={app ? <span>{t('rev.title')} <RecordNo n={app.number} testid="review-number" /></span> : t('rev.title')} destroyOnClose data-testid="review-drawer">
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
