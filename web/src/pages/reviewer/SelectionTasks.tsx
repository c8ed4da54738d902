// 评审任务: an expert's entries across the selection rounds whose panel they sit on — only those
// assigned to them. While the panel sits the expert scores each criterion 0–100 (the weighted
// total is Σ weight × score, shown as it is typed), may correct the sheet, or recuses with a
// reason (a sheet already given is withdrawn); an expert recused by the registered file sees why.
// Sheets are sealed: no one else sees them until the panel closes.
import { EditOutlined, EyeOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Card, Descriptions, Divider, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { api, ApiError, fetchAll, isApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Criterion, ReasonInput, SelectionEntry, SelectionRound } from '../../api/types';
import { useAuth } from '../../auth';
import { EmptyState, ErrorState, PageHeader } from '../../components/common';
import { reasonBody, useReasonSubmit } from '../../components/useReasonSubmit';
import { formatDateTime } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { ownAssignment, partialTotal, scoreBody, scoreFieldCriterion, scoresByKey, taskState, weightedTotal, type TaskState } from '../common/selection';
import { EntryEvidence, RoundStatusTag, Score } from '../common/SelectionParts';
import { relationsText } from '../../relations';

interface Task {
  key: string;
  round: SelectionRound;
  entry: SelectionEntry;
  state: TaskState | null;
}

const TASK_COLORS: Record<TaskState, string> = { to_score: 'processing', scored: 'success', recused: 'default' };

export default function SelectionTasks() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const [roundId, setRoundId] = useState<string | undefined>();
  const [state, setState] = useState<TaskState | undefined>();
  const [scoring, setScoring] = useState<Task | null>(null);
  const [recusing, setRecusing] = useState<Task | null>(null);

  // Every round, then in each the entries assigned to this expert (the server answers no others).
  const tasks = useAsync(async () => {
    const rounds = await fetchAll(api, '/selection-rounds');
    const per = await Promise.all(rounds.map(async (round) => ({ round, entries: await fetchAll(api, `/selection-rounds/${encodeURIComponent(round.id)}/entries`) })));
    const out: Task[] = [];
    for (const { round, entries } of per)
      for (const entry of entries) out.push({ key: `${round.id}/${entry.id}`, round, entry, state: taskState(ownAssignment(entry, user?.id)) });
    return out;
  }, [user?.id]);

  const all = tasks.data ?? [];
  const rounds = useMemo(() => {
    const m = new Map<string, SelectionRound>();
    for (const x of all) m.set(x.round.id, x.round);
    return [...m.values()];
  }, [all]);
  const shown = all.filter((x) => (!roundId || x.round.id === roundId) && (!state || x.state === state));
  const toScore = all.filter((x) => x.state === 'to_score' && x.round.status === 'open').length;

  const columns: ColumnsType<Task> = [
    {
      title: t('sr.round'),
      key: 'round',
      render: (_, x) => (
        <Space direction="vertical" size={0}>
          <span>{x.round.name}</span>
          <Space size={4}>
            <Tag color="blue">{tEnum('pk', x.round.kind)}</Tag>
            <RoundStatusTag status={x.round.status} />
          </Space>
        </Space>
      ),
    },
    { title: t('sr.product'), key: 'product', render: (_, x) => <strong data-testid="task-product">{x.entry.product_name}</strong> },
    { title: t('sel.supplier'), key: 'supplier', render: (_, x) => x.entry.supplier_name },
    { title: t('sr.evidence'), key: 'evidence', render: (_, x) => <EntryEvidence entry={x.entry} kind={x.round.kind} compact /> },
    {
      title: t('sr.myStatus'),
      key: 'state',
      render: (_, x) => {
        const a = ownAssignment(x.entry, user?.id);
        if (!x.state) return '—';
        const tag = (
          <Tag color={TASK_COLORS[x.state]} icon={x.state === 'recused' ? <StopOutlined /> : undefined} data-testid="task-state" data-state={x.state}>
            {t(`sr.task.${x.state}`)}
          </Tag>
        );
        return x.state === 'recused' ? (
          <Space direction="vertical" size={0} style={{ maxWidth: 280 }}>
            {tag}
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="task-recusal-reason">
              {relationsText(a?.recusal_reason, t, '; ')}
            </Typography.Text>
          </Space>
        ) : (
          tag
        );
      },
    },
    { title: t('sr.myTotal'), key: 'total', align: 'right', render: (_, x) => <Score hundredths={ownAssignment(x.entry, user?.id)?.total} strong testid="task-total" /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, x) => {
        const open = x.round.status === 'open';
        if (x.state === 'recused') return null;
        return (
          <Space size={0}>
            <Button
              size="small"
              type="link"
              icon={open ? <EditOutlined /> : <EyeOutlined />}
              onClick={() => setScoring(x)}
              data-testid={`task-score-${x.entry.id}`}
            >
              {open ? (x.state === 'scored' ? t('sr.rescore') : t('sr.score')) : t('sr.viewSheet')}
            </Button>
            {open && (
              <Button size="small" type="link" danger icon={<StopOutlined />} onClick={() => setRecusing(x)} data-testid={`task-recuse-${x.entry.id}`}>
                {t('sr.recuse')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <div data-testid="page-review-selection">
      <PageHeader title={t('sr.tasksTitle')} sub={t('sr.tasksSub')} extra={<Tag color={toScore > 0 ? 'processing' : 'default'} data-testid="tasks-to-score" data-count={toScore}>{t('sr.toScoreCount', { n: toScore })}</Tag>} />
      <Card>
        <Space className="filters" wrap>
          <Select
            allowClear
            placeholder={t('sr.round')}
            style={{ width: 300 }}
            value={roundId}
            onChange={setRoundId}
            options={rounds.map((r) => ({ value: r.id, label: r.name }))}
            data-testid="tasks-filter-round"
          />
          <Select
            allowClear
            placeholder={t('sr.myStatus')}
            style={{ width: 160 }}
            value={state}
            onChange={setState}
            options={(['to_score', 'scored', 'recused'] as const).map((s) => ({ value: s, label: t(`sr.task.${s}`) }))}
            data-testid="tasks-filter-state"
          />
        </Space>
        {tasks.error ? (
          <ErrorState error={tasks.error} onRetry={tasks.reload} compact />
        ) : (
          <div data-testid="table-tasks">
            <Table<Task>
              rowKey="key"
              size="middle"
              loading={tasks.loading}
              columns={columns}
              dataSource={shown}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
              locale={{ emptyText: tasks.loading ? <div style={{ height: 80 }} /> : <EmptyState description={roundId || state ? t('common.noMatch') : t('sr.noTasks')} /> }}
              scroll={{ x: 'max-content' }}
            />
          </div>
        )}
      </Card>
      <ScoreDrawer
        task={scoring}
        userId={user?.id}
        onClose={() => setScoring(null)}
        onScored={() => {
          setScoring(null);
          tasks.reload();
        }}
        onStale={tasks.reload}
      />
      <RecuseModal
        task={recusing}
        onClose={() => setRecusing(null)}
        onRecused={() => {
          setRecusing(null);
          tasks.reload();
        }}
        onStale={tasks.reload}
      />
    </div>
  );
}

interface ScoreValues {
  scores: Record<string, number | null>;
  comment?: string;
}

/** The score sheet: one whole score 0–100 per criterion, the weights and the weighted total as it is typed. */
function ScoreDrawer({ task, userId, onClose, onScored, onStale }: { task: Task | null; userId?: string; onClose: () => void; onScored: () => void; onStale: () => void }) {
  const { t } = useT();
  const mine = task ? ownAssignment(task.entry, userId) : null;
  const editable = task?.round.status === 'open' && mine?.status === 'assigned';
  return (
    <Drawer
      open={!!task}
      onClose={onClose}
      width={Math.min(760, typeof window === 'undefined' ? 760 : window.innerWidth)}
      title={task ? `${editable ? t('sr.scoreTitle') : t('sr.viewSheet')} · ${task.entry.product_name}` : ''}
      destroyOnClose
      data-testid="score-drawer"
    >
      {task && <ScoreSheet key={task.key} task={task} userId={userId} onScored={onScored} onStale={onStale} />}
    </Drawer>
  );
}

function ScoreSheet({ task, userId, onScored, onStale }: { task: Task; userId?: string; onScored: () => void; onStale: () => void }) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  const mine = ownAssignment(task.entry, userId);
  // A fresh form per entry, filled with the expert's own sheet where there is one.
  const [form] = Form.useForm<ScoreValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const scores = Form.useWatch('scores', form) ?? {};
  const criteria: Criterion[] = task.round.criteria;
  const editable = task.round.status === 'open' && mine?.status === 'assigned';
  const total = weightedTotal(criteria, scores);

  const onFinish = async (v: ScoreValues) => {
    setBusy(true);
    setFormError(null);
    try {
      await submission.post<SelectionEntry>(`/selection-entries/${encodeURIComponent(task.entry.id)}/scores`, scoreBody(criteria, v.scores ?? {}, v.comment));
      message.success(t('sr.scored'));
      onScored();
    } catch (e) {
      const key = e instanceof ApiError ? scoreFieldCriterion(e.field, criteria) : null;
      if (key) form.setFields([{ name: ['scores', key], errors: [tErr(e)] }]);
      else if (e instanceof ApiError && e.field === 'comment') form.setFields([{ name: 'comment', errors: [tErr(e)] }]);
      else setFormError(e);
      if (isApiError(e) && (e.code === 'panel_closed' || e.code === 'must_recuse')) onStale();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('sr.round')} span={2}>
          {task.round.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('sr.product')}>{task.entry.product_name}</Descriptions.Item>
        <Descriptions.Item label={t('sel.supplier')}>{task.entry.supplier_name}</Descriptions.Item>
        {mine?.scored_at && (
          <Descriptions.Item label={t('sr.scoredAt')} span={2}>
            {formatDateTime(mine.scored_at, lang)}
          </Descriptions.Item>
        )}
      </Descriptions>
      <EntryEvidence entry={task.entry} kind={task.round.kind} />
      <Divider orientation="left" plain>
        {t('sr.sheet')}
      </Divider>
      {editable ? <Alert type="info" showIcon message={t('sr.sheetSealedHint')} style={{ marginBottom: 12 }} /> : null}
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 12 }} data-testid="score-error" /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={!editable}
        initialValues={{ scores: scoresByKey(mine?.scores), comment: mine?.comment ?? '' }}
        data-testid="score-form"
      >
        <Table<Criterion>
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={criteria}
          columns={[
            { title: t('sr.criterionName'), dataIndex: 'name' },
            { title: t('sr.weight'), dataIndex: 'weight', align: 'right', render: (v: number) => `${v}%` },
            {
              title: t('sr.scoreField'),
              key: 'score',
              render: (_, c, i) => (
                <Form.Item
                  name={['scores', c.key]}
                  rules={[
                    { required: true, message: t('err.required') },
                    { type: 'integer', min: 0, max: 100, message: t('err.score_out_of_range') },
                  ]}
                  style={{ marginBottom: 0 }}
                >
                  <InputNumber min={0} max={100} precision={0} style={{ width: 110 }} data-testid={`score-input-${i}`} data-criterion={c.key} />
                </Form.Item>
              ),
            },
            {
              title: t('sr.weighted'),
              key: 'weighted',
              align: 'right',
              render: (_, c) => {
                const s = scores[c.key];
                return typeof s === 'number' ? <Score hundredths={c.weight * s} /> : '—';
              },
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <strong>{t('sr.weightedTotal')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <span data-testid="score-total" data-total={total ?? undefined}>
                  {total === null ? (
                    <Typography.Text type="secondary">
                      <Score hundredths={partialTotal(criteria, scores)} /> …
                    </Typography.Text>
                  ) : (
                    <Score hundredths={total} strong />
                  )}
                </span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
        <Form.Item name="comment" label={t('sr.comment')} style={{ marginTop: 16 }}>
          <Input.TextArea rows={3} maxLength={4000} showCount data-testid="score-comment" />
        </Form.Item>
        {editable && (
          <Button type="primary" htmlType="submit" loading={busy} data-testid="score-submit">
            {mine?.scored ? t('sr.rescore') : t('sr.submitScore')}
          </Button>
        )}
      </Form>
    </>
  );
}

/** 回避: the expert declares a relation with the supplier; a sheet already given is withdrawn. */
function RecuseModal({ task, onClose, onRecused, onStale }: { task: Task | null; onClose: () => void; onRecused: () => void; onStale: () => void }) {
  const { t, tErr } = useT();
  const { form, busy, formError, submit } = useReasonSubmit<ReasonInput>({ target: task, fields: ['reason'], staleCode: 'panel_closed', onStale });
  const recuse = async () => {
    if (!task) return;
    await submit<SelectionEntry>({
      path: `/selection-entries/${encodeURIComponent(task.entry.id)}/recuse`,
      body: reasonBody,
      success: () => t('sr.recused'),
      onDone: onRecused,
    });
  };
  return (
    <Modal
      open={!!task}
      title={task ? t('sr.recuseTitle', { product: task.entry.product_name }) : ''}
      onCancel={onClose}
      onOk={recuse}
      okText={t('sr.recuse')}
      okButtonProps={{ danger: true, 'data-testid': 'recuse-confirm' } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="recuse-modal"
    >
      {task && (
        <>
          <Alert type="warning" showIcon message={t('sr.recuseWhat')} style={{ marginBottom: 16 }} />
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="recuse-error" /> : null}
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('sr.recuseReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('sr.recuseReasonPh')} data-testid="recuse-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
