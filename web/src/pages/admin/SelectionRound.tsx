// One selection round, as the administrator runs it (the auditor reads): where it is, its rules
// and criteria, the panel of reviewer experts, the entries with their evidence, score sheets in
// and due, the experts assigned (an expert related to the supplier by the registered file is
// recorded as recused, with the reason), the ranking once the panel has closed, and the
// objections during the notice. Closing the panel, publishing and taking effect are each
// confirmed with what they do.
import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, FlagOutlined, LockOutlined, SendOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Skeleton,
  Space,
  Steps,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, fetchAll, isApiError } from '../../api/client';
import type { Assignment, SelectionEntry, SelectionObjection, SelectionRound as Round } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, EmptyState, ErrorState, NoticeTag, PageHeader, StatusTag } from '../../components/common';
import { useReasonSubmit } from '../../components/useReasonSubmit';
import { formatDateTime, formatNumber } from '../../format';
import { useAsync, useUsers } from '../../hooks';
import { useT } from '../../i18n';
import { callState, nextAction, panelReadiness, ROUND_STEPS, roundStep, type RoundAction } from '../common/selection';
import { AssignmentTags, CriteriaTable, EntryEvidence, OBJECTION_COLORS, OutcomeTag, RoundStatusTag, Score } from '../common/SelectionParts';
import { relationsText } from '../../relations';

export default function SelectionRound() {
  const { id = '' } = useParams();
  const { t, tEnum, tErr, lang } = useT();
  const { user } = useAuth();
  const isAdmin = user?.role === 'admin';
  const today = useToday();
  const { message, modal } = App.useApp();
  const round = useAsync((s) => api.get<Round>(`/selection-rounds/${encodeURIComponent(id)}`, undefined, s), [id]);
  const entries = useAsync(() => fetchAll(api, `/selection-rounds/${encodeURIComponent(id)}/entries`), [id]);
  const objections = useAsync((s) => api.get<SelectionObjection[]>(`/selection-rounds/${encodeURIComponent(id)}/objections`, undefined, s), [id]);
  const { users } = useUsers(user?.role);
  const [expert, setExpert] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const [assigning, setAssigning] = useState<SelectionEntry | null>(null);
  const [resolving, setResolving] = useState<{ objection: SelectionObjection; uphold: boolean } | null>(null);

  const r = round.data;
  const list = entries.data ?? [];
  const reloadAll = () => {
    round.reload();
    entries.reload();
    objections.reload();
  };

  const reviewers = useMemo(() => {
    const on = new Set((r?.experts ?? []).map((x) => String(x.user_id)));
    return users.filter((u) => u.role === 'reviewer' && !on.has(String(u.id)));
  }, [users, r?.experts]);

  if (round.error) return <ErrorState error={round.error} onRetry={round.reload} />;
  if (!r) return <Skeleton active paragraph={{ rows: 12 }} />;

  const open = r.status === 'open';
  const readiness = panelReadiness(r, list, today);
  const call = callState(r, today);
  const action = isAdmin ? nextAction(r.status) : null;
  const ranked = r.status !== 'open';

  const addExpert = async () => {
    if (!expert) return;
    setAdding(true);
    try {
      await api.post<Round>(`/selection-rounds/${encodeURIComponent(r.id)}/experts`, { user_id: expert });
      message.success(t('sr.expertAdded'));
      setExpert(undefined);
      round.reload();
    } catch (e) {
      message.error(tErr(e));
      if (isApiError(e) && e.code === 'panel_closed') reloadAll();
    } finally {
      setAdding(false);
    }
  };

  /** The confirmation of a round step: what it does, and (closing the panel) what still keeps it from closing. */
  const confirmStep = (a: RoundAction) => {
    const what =
      a === 'close-panel'
        ? t('sr.closePanelWhat')
        : a === 'publish'
          ? t('sr.publishWhat', { days: r.notice_days })
          : t('sr.takeEffectWhat', { year: r.year, kind: tEnum('pk', r.kind) });
    const blockers: string[] = [];
    if (a === 'close-panel') {
      if (readiness.callOpen) blockers.push(t('sr.blockCallOpen', { date: r.call_until }));
      if (readiness.unassigned > 0) blockers.push(t('sr.blockUnassigned', { n: readiness.unassigned }));
      if (readiness.sheetsMissing > 0) blockers.push(t('sr.blockSheets', { n: readiness.sheetsMissing }));
    }
    if (a === 'take-effect') {
      const openObjections = (objections.data ?? []).filter((o) => o.status === 'open').length;
      if (r.notice_ends_on && today && today <= r.notice_ends_on) blockers.push(t('sr.blockNotice', { date: r.notice_ends_on }));
      if (openObjections > 0) blockers.push(t('sr.blockObjections', { n: openObjections }));
    }
    modal.confirm({
      title: t(`sr.confirm.${a}`),
      width: 560,
      content: (
        <div data-testid="round-action-what">
          <Typography.Paragraph>{what}</Typography.Paragraph>
          {blockers.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={t('sr.blockersTitle')}
              description={<ul style={{ margin: 0, paddingLeft: 18 }}>{blockers.map((b) => <li key={b}>{b}</li>)}</ul>}
              data-testid="round-action-blockers"
            />
          )}
        </div>
      ),
      okText: t(`sr.action.${a}`),
      okButtonProps: { 'data-testid': 'round-action-confirm' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.post<Round>(`/selection-rounds/${encodeURIComponent(r.id)}/${a}`);
          message.success(t(`sr.done.${a}`));
        } catch (e) {
          message.error(tErr(e));
        }
        reloadAll();
      },
    });
  };

  const entryColumns: ColumnsType<SelectionEntry> = [
    ...(ranked
      ? [
          {
            title: t('sr.rank'),
            dataIndex: 'rank',
            width: 70,
            sorter: (a: SelectionEntry, b: SelectionEntry) => (a.rank ?? 1e9) - (b.rank ?? 1e9),
            defaultSortOrder: 'ascend' as const,
            render: (v: number | null) => <strong data-testid="entry-rank">{v ?? '—'}</strong>,
          },
        ]
      : []),
    {
      title: t('sr.product'),
      dataIndex: 'product_name',
      render: (v: string, e) => (
        <Space direction="vertical" size={0}>
          <strong data-testid="entry-product">{v}</strong>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('sr.enteredAt')} {formatDateTime(e.entered_at, lang)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('sel.supplier'), dataIndex: 'supplier_name' },
    { title: t('sr.evidence'), key: 'evidence', render: (_, e) => <EntryEvidence entry={e} kind={r.kind} compact /> },
    {
      title: <Tooltip title={t('sr.sheetsHint')}>{t('sr.sheets')}</Tooltip>,
      key: 'sheets',
      align: 'right',
      render: (_, e) => (
        <Typography.Text type={e.sheets_due === 0 ? 'danger' : e.sheets_in < e.sheets_due ? 'warning' : undefined} data-testid="entry-sheets" data-in={e.sheets_in} data-due={e.sheets_due}>
          {e.sheets_in}/{e.sheets_due}
        </Typography.Text>
      ),
    },
    ...(ranked
      ? [
          { title: t('sr.mean'), dataIndex: 'mean_score', align: 'right' as const, render: (v: number | null) => <Score hundredths={v} strong testid="entry-mean" /> },
          { title: t('sr.outcome'), dataIndex: 'outcome', render: (v: string | null, e: SelectionEntry) => <OutcomeTag outcome={v} reason={e.exclusion_reason} /> },
        ]
      : []),
    { title: t('sr.assignments'), key: 'assignments', render: (_, e) => <AssignmentTags assignments={e.assignments} /> },
    ...(isAdmin && open
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, e: SelectionEntry) => (
              <Button size="small" type="link" icon={<UserAddOutlined />} onClick={() => setAssigning(e)} disabled={r.experts.length === 0} data-testid={`entry-assign-${e.id}`}>
                {t('sr.assign')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const objectionColumns: ColumnsType<SelectionObjection> = [
    { title: t('sr.product'), dataIndex: 'product_name', render: (v: string) => <strong>{v}</strong> },
    { title: t('sr.objectionReason'), dataIndex: 'reason', width: 320, render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> },
    { title: t('sr.filedBy'), dataIndex: 'filed_by', render: (v: string) => <span className="mono">{v}</span> },
    { title: t('sr.filedAt'), dataIndex: 'created_at', render: (v: string) => formatDateTime(v, lang) },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="sobj" status={v} colors={OBJECTION_COLORS} /> },
    { title: t('sr.resolutionNote'), dataIndex: 'resolution_note', render: (v: string | null, o) => (v ? <Tooltip title={o.resolved_at ? formatDateTime(o.resolved_at, lang) : undefined}>{v}</Tooltip> : '—') },
    ...(isAdmin && r.status === 'published'
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, o: SelectionObjection) =>
              o.status === 'open' ? (
                <Space size={4}>
                  <Button size="small" danger icon={<CheckOutlined />} onClick={() => setResolving({ objection: o, uphold: true })} data-testid={`objection-uphold-${o.id}`}>
                    {t('sr.uphold')}
                  </Button>
                  <Button size="small" icon={<CloseOutlined />} onClick={() => setResolving({ objection: o, uphold: false })} data-testid={`objection-dismiss-${o.id}`}>
                    {t('sr.dismiss')}
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  const actionIcon = { 'close-panel': <LockOutlined />, publish: <SendOutlined />, 'take-effect': <FlagOutlined /> } as const;

  return (
    <div data-testid="page-admin-selection-round" data-round-id={r.id} data-status={r.status}>
      <PageHeader
        title={
          <Space>
            <span data-testid="round-title">{r.name}</span>
            <RoundStatusTag status={r.status} />
          </Space>
        }
        sub={`${tEnum('pk', r.kind)} · ${r.year} · ${t('sr.batchN', { n: r.batch })}`}
        extra={
          <>
            <Link to="/admin/selection" data-testid="round-back">
              <Button icon={<ArrowLeftOutlined />}>{t('sr.backToList')}</Button>
            </Link>
            {action && (
              <Button type="primary" icon={actionIcon[action]} onClick={() => confirmStep(action)} data-testid={`round-${action}`}>
                {t(`sr.action.${action}`)}
              </Button>
            )}
            {!isAdmin && <Tag data-testid="read-only">{t('sr.readOnly')}</Tag>}
          </>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={roundStep(r.status)}
          status={r.status === 'effective' ? 'finish' : 'process'}
          items={ROUND_STEPS.map((s) => ({ title: tEnum('srst', s), description: t(`sr.stepHint.${s}`) }))}
          data-testid="round-steps"
          data-current={roundStep(r.status)}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('sr.rules')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="round-rules">
              <Descriptions.Item label={t('sr.callWindow')}>
                <DateText d={r.call_from} /> ~ <DateText d={r.call_until} />
                {call && open ? <Tag style={{ marginLeft: 8 }} color={call === 'open' ? 'success' : 'default'}>{t(`sr.call.${call}`)}</Tag> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('sr.cap')}>{r.cap}</Descriptions.Item>
              <Descriptions.Item label={t('sr.passMark')}>{r.pass_mark}</Descriptions.Item>
              <Descriptions.Item label={t('sr.noticeDays')}>{t('common.days', { n: r.notice_days })}</Descriptions.Item>
              {r.kind === 'corpus' && (
                <>
                  <Descriptions.Item label={t('sr.minRecords')}>{formatNumber(r.min_records, lang, 0)}</Descriptions.Item>
                  <Descriptions.Item label={t('sr.registrationRequired')}>{r.registration_required ? t('common.yes') : t('common.no')}</Descriptions.Item>
                </>
              )}
              <Descriptions.Item label={t('sr.entryCount')}>{r.entry_count}</Descriptions.Item>
              <Descriptions.Item label={t('sr.selectedCount')}>{r.selected_count}</Descriptions.Item>
              <Descriptions.Item label={t('sr.publishedOn')}>
                <DateText d={r.published_on} />
              </Descriptions.Item>
              <Descriptions.Item label={t('sr.noticeEndsOn')}>
                <DateText d={r.notice_ends_on} /> {r.status === 'published' ? <NoticeTag endsOn={r.notice_ends_on} today={today} /> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('sr.effectiveOn')}>
                <DateText d={r.effective_on} />
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('sr.criteria')} style={{ marginBottom: 16 }}>
            <CriteriaTable criteria={r.criteria} />
          </Card>
          <Card title={t('sr.panel')} style={{ marginBottom: 16 }} data-testid="round-panel">
            {r.experts.length === 0 ? (
              <Typography.Text type="secondary">{t('sr.noExperts')}</Typography.Text>
            ) : (
              <Space size={[4, 8]} wrap>
                {r.experts.map((x) => (
                  <Tag key={String(x.user_id)} color="blue" data-testid="panel-expert" data-user-id={x.user_id}>
                    {x.display_name}
                  </Tag>
                ))}
              </Space>
            )}
            {isAdmin && open && (
              <Space style={{ marginTop: 12, display: 'flex' }} wrap>
                <Select
                  style={{ width: 260 }}
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('sr.addExpertPh')}
                  value={expert}
                  onChange={setExpert}
                  options={reviewers.map((u) => ({ value: String(u.id), label: `${u.display_name || u.username} · ${u.username}` }))}
                  notFoundContent={t('sr.noReviewers')}
                  data-testid="panel-add-select"
                />
                <Button icon={<UserAddOutlined />} onClick={addExpert} loading={adding} disabled={!expert} data-testid="panel-add">
                  {t('sr.addExpert')}
                </Button>
              </Space>
            )}
            {open && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
                {t('sr.sealedHint')}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
      </Row>
      <Card
        title={t('sr.entries')}
        style={{ marginBottom: 16 }}
        extra={
          open && isAdmin ? (
            <Space size={4} data-testid="round-readiness" data-ready={readiness.ready}>
              {readiness.ready ? (
                <Tag color="success">{t('sr.readyToClose')}</Tag>
              ) : (
                <>
                  {readiness.unassigned > 0 && <Tag color="error">{t('sr.blockUnassigned', { n: readiness.unassigned })}</Tag>}
                  {readiness.sheetsMissing > 0 && <Tag color="warning">{t('sr.blockSheets', { n: readiness.sheetsMissing })}</Tag>}
                  {readiness.callOpen && <Tag>{t('sr.call.open')}</Tag>}
                </>
              )}
            </Space>
          ) : undefined
        }
      >
        {entries.error ? (
          <ErrorState error={entries.error} onRetry={entries.reload} compact />
        ) : (
          <div data-testid="table-round-entries">
            <Table<SelectionEntry>
              rowKey="id"
              size="middle"
              loading={entries.loading}
              columns={entryColumns}
              dataSource={list}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
              locale={{ emptyText: entries.loading ? <div style={{ height: 80 }} /> : <EmptyState description={t('sr.noEntries')} /> }}
              scroll={{ x: 'max-content' }}
              expandable={{ fixed: 'left', expandedRowRender: (e) => <EntryDetail entry={e} round={r} /> }}
            />
          </div>
        )}
      </Card>
      <Card title={t('sr.objections')} data-testid="round-objections">
        {objections.error ? (
          <ErrorState error={objections.error} onRetry={objections.reload} compact />
        ) : (
          <div data-testid="table-round-objections">
            <Table<SelectionObjection>
              rowKey="id"
              size="middle"
              loading={objections.loading}
              columns={objectionColumns}
              dataSource={objections.data ?? []}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: objections.loading ? <div style={{ height: 80 }} /> : <EmptyState description={t('sr.noObjections')} /> }}
              scroll={{ x: 'max-content' }}
            />
          </div>
        )}
      </Card>
      {isAdmin && (
        <AssignModal
          round={r}
          entry={assigning}
          onClose={() => setAssigning(null)}
          onAssigned={() => {
            setAssigning(null);
            entries.reload();
          }}
        />
      )}
      {isAdmin && (
        <ResolveModal
          target={resolving}
          onClose={() => setResolving(null)}
          onResolved={() => {
            setResolving(null);
            reloadAll();
          }}
          onStale={reloadAll}
        />
      )}
    </div>
  );
}

/** An entry in full: its summary and evidence, and each expert's sheet where it may be seen (after the panel closes). */
function EntryDetail({ entry, round }: { entry: SelectionEntry; round: Round }) {
  const { t, tEnum, lang } = useT();
  const names = new Map(round.criteria.map((c) => [c.key, c.name]));
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="entry-detail">
      <EntryEvidence entry={entry} kind={round.kind} />
      <Table<Assignment>
        size="small"
        rowKey="expert_id"
        pagination={false}
        dataSource={entry.assignments}
        locale={{ emptyText: <EmptyState description={t('sr.noAssignments')} /> }}
        data-testid="entry-sheets-table"
        columns={[
          { title: t('sr.expert'), dataIndex: 'expert_name' },
          { title: t('common.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'recused' ? 'default' : 'blue'}>{tEnum('sasg', v)}</Tag> },
          { title: t('sr.recusalReason'), dataIndex: 'recusal_reason', render: (v: string | null) => (v ? relationsText(v, t, lang === 'zh' ? '；' : '; ') : '—') },
          {
            title: t('sr.sheet'),
            key: 'scores',
            render: (_, a) =>
              a.scores ? (
                <Space size={[4, 4]} wrap>
                  {a.scores.map((s) => (
                    <Tag key={s.criterion}>
                      {names.get(s.criterion) ?? s.criterion} {s.score}
                    </Tag>
                  ))}
                </Space>
              ) : a.status === 'recused' ? (
                '—'
              ) : a.scored ? (
                <Typography.Text type="secondary">
                  <LockOutlined /> {t('sr.sealed')}
                </Typography.Text>
              ) : (
                <Typography.Text type="warning">{t('sr.sheetDue')}</Typography.Text>
              ),
          },
          { title: t('sr.total'), dataIndex: 'total', align: 'right', render: (v: number | null) => <Score hundredths={v} /> },
          { title: t('sr.comment'), dataIndex: 'comment', render: (v: string | null) => v ?? '—' },
          { title: t('sr.scoredAt'), dataIndex: 'scored_at', render: (v: string | null) => (v ? formatDateTime(v, lang) : '—') },
        ]}
      />
    </Space>
  );
}

/** Assign an entry to a panel expert; one related to the supplier by the registered file is recorded as recused. */
function AssignModal({ round, entry, onClose, onAssigned }: { round: Round; entry: SelectionEntry | null; onClose: () => void; onAssigned: () => void }) {
  const { t, tErr } = useT();
  const { message, modal } = App.useApp();
  const [expertId, setExpertId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const taken = new Set((entry?.assignments ?? []).map((a) => String(a.expert_id)));
  const options = round.experts.filter((x) => !taken.has(String(x.user_id))).map((x) => ({ value: String(x.user_id), label: x.display_name }));

  const assign = async () => {
    if (!entry || !expertId) return;
    setBusy(true);
    setError(null);
    try {
      const after = await api.post<SelectionEntry>(`/selection-rounds/${encodeURIComponent(round.id)}/assignments`, { entry_id: entry.id, expert_id: expertId });
      const a = after.assignments.find((x) => String(x.expert_id) === expertId);
      if (a?.status === 'recused') {
        modal.warning({
          title: t('sr.assignedRecused', { name: a.expert_name }),
          content: <span data-testid="assign-recusal-reason">{relationsText(a.recusal_reason, t, '; ')}</span>,
        });
      } else {
        message.success(t('sr.assigned', { name: a?.expert_name ?? expertId }));
      }
      setExpertId(undefined);
      onAssigned();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!entry}
      title={entry ? t('sr.assignTitle', { product: entry.product_name }) : ''}
      onCancel={() => {
        setError(null);
        setExpertId(undefined);
        onClose();
      }}
      onOk={assign}
      okText={t('sr.assign')}
      okButtonProps={{ disabled: !expertId, 'data-testid': 'assign-confirm' } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="assign-modal"
    >
      {entry && (
        <>
          <Alert type="info" showIcon message={t('sr.assignWhat')} style={{ marginBottom: 16 }} />
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('sr.product')}>{entry.product_name}</Descriptions.Item>
            <Descriptions.Item label={t('sel.supplier')}>{entry.supplier_name}</Descriptions.Item>
            <Descriptions.Item label={t('sr.assignments')}>
              <AssignmentTags assignments={entry.assignments} />
            </Descriptions.Item>
          </Descriptions>
          {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginBottom: 12 }} data-testid="assign-error" /> : null}
          <Select
            style={{ width: '100%' }}
            placeholder={t('sr.expert')}
            value={expertId}
            onChange={setExpertId}
            options={options}
            notFoundContent={t('sr.allAssigned')}
            data-testid="assign-expert"
          />
        </>
      )}
    </Modal>
  );
}

/** Uphold an objection (the entry is excluded, the first reserve moves up with a notice of its own; a note is required) or dismiss it. */
function ResolveModal({
  target,
  onClose,
  onResolved,
  onStale,
}: {
  target: { objection: SelectionObjection; uphold: boolean } | null;
  onClose: () => void;
  onResolved: () => void;
  onStale: () => void;
}) {
  const { t, tErr } = useT();
  const { form, busy, formError, submit } = useReasonSubmit<{ note?: string }>({ target, fields: ['note'], staleCode: 'already_resolved', onStale });
  const uphold = !!target?.uphold;
  const resolve = async () => {
    if (!target) return;
    await submit<SelectionObjection>({
      path: `/selection-objections/${encodeURIComponent(target.objection.id)}/resolve`,
      body: (v) => ({ uphold, ...(v.note?.trim() ? { note: v.note.trim() } : {}) }),
      success: () => (uphold ? t('sr.upheld') : t('sr.dismissed')),
      onDone: onResolved,
    });
  };
  const o = target?.objection;
  return (
    <Modal
      open={!!target}
      title={uphold ? t('sr.upholdTitle') : t('sr.dismissTitle')}
      onCancel={onClose}
      onOk={resolve}
      okText={uphold ? t('sr.uphold') : t('sr.dismiss')}
      okButtonProps={{ danger: uphold, 'data-testid': 'objection-resolve-confirm' } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      width={600}
      destroyOnHidden
      data-testid="objection-resolve-modal"
    >
      {o && (
        <>
          <Alert type={uphold ? 'warning' : 'info'} showIcon message={uphold ? t('sr.upholdWhat') : t('sr.dismissWhat')} style={{ marginBottom: 16 }} />
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('sr.product')}>{o.product_name}</Descriptions.Item>
            <Descriptions.Item label={t('sr.objectionReason')}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{o.reason}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('sr.filedBy')}>
              <span className="mono">{o.filed_by}</span>
            </Descriptions.Item>
          </Descriptions>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="objection-resolve-error" /> : null}
          <Form form={form} layout="vertical">
            <Form.Item
              name="note"
              label={uphold ? t('sr.upholdNote') : t('sr.dismissNote')}
              rules={uphold ? [{ required: true, whitespace: true, message: t('sr.upholdNoteRequired') }] : []}
            >
              <Input.TextArea rows={3} maxLength={2000} data-testid="objection-resolve-note" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
