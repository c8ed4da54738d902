// Pieces the selection pages share: a round's state, an entry's outcome, a score, the criteria
// with their weights, an entry's evidence, the assignments of an entry (with recusals and their
// reasons), and the objection a signed-in user files against a selected entry during the notice.
import { CheckCircleOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, type ButtonProps, Descriptions, Form, Input, Modal, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { Assignment, Criterion, ObjectionInput, SelectionEntry, SelectionObjection } from '../../api/types';
import { DateText, NoticeTag, StatusTag } from '../../components/common';
import { reasonBody, useReasonSubmit } from '../../components/useReasonSubmit';
import { useToday } from '../../clock';
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import { formatScore } from './selection';

export const ROUND_STATUS_COLORS: Record<string, string> = { open: 'processing', panel_closed: 'purple', published: 'gold', effective: 'success' };
export const OUTCOME_COLORS: Record<string, string> = { selected: 'success', reserve: 'gold', below_pass_mark: 'default', excluded: 'error' };
export const OBJECTION_COLORS: Record<string, string> = { open: 'processing', upheld: 'error', dismissed: 'default' };

export function RoundStatusTag({ status }: { status: string | null | undefined }) {
  return <StatusTag prefix="srst" status={status} colors={ROUND_STATUS_COLORS} />;
}

/** An entry's outcome; an excluded one says why (the upheld objection's note). */
export function OutcomeTag({ outcome, reason }: { outcome: string | null | undefined; reason?: string | null }) {
  const tag = <StatusTag prefix="sout" status={outcome} colors={OUTCOME_COLORS} />;
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

/** A score in hundredths of a point, shown with two decimals ("95.00"). */
export function Score({ hundredths, testid, strong }: { hundredths: number | null | undefined; testid?: string; strong?: boolean }) {
  return (
    <span
      className="score"
      data-testid={testid}
      data-score={hundredths ?? undefined}
      style={{ fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 600 : undefined, whiteSpace: 'nowrap' }}
    >
      {formatScore(hundredths)}
    </span>
  );
}

/** The round's criteria and their weights. */
export function CriteriaTable({ criteria, testid = 'round-criteria' }: { criteria: Criterion[]; testid?: string }) {
  const { t } = useT();
  return (
    <Table<Criterion>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={criteria}
      data-testid={testid}
      columns={[
        { title: t('sr.criterionName'), dataIndex: 'name' },
        { title: t('sr.criterionKey'), dataIndex: 'key', render: (v: string) => <code className="mono">{v}</code> },
        { title: t('sr.weight'), dataIndex: 'weight', align: 'right', render: (v: number) => `${v}%` },
      ]}
    />
  );
}

/** What an entry brought: for a model the evaluation report and the deployment; for a corpus its records and registration. */
export function EntryEvidence({ entry, kind, compact }: { entry: SelectionEntry; kind: string; compact?: boolean }) {
  const { t, lang } = useT();
  if (compact) {
    return kind === 'model' ? (
      <Space direction="vertical" size={0} style={{ maxWidth: 320 }} data-testid="entry-evidence">
        <Typography.Text ellipsis={{ tooltip: entry.evaluation_report }}>
          <Typography.Text type="secondary">{t('sr.evaluationReport')}：</Typography.Text>
          {entry.evaluation_report || '—'}
        </Typography.Text>
        <Typography.Text ellipsis={{ tooltip: entry.deployment_evidence }}>
          <Typography.Text type="secondary">{t('sr.deployment')}：</Typography.Text>
          {entry.deployment_evidence || '—'}
        </Typography.Text>
      </Space>
    ) : (
      <Space direction="vertical" size={0} style={{ maxWidth: 320 }} data-testid="entry-evidence">
        <span>
          <Typography.Text type="secondary">{t('sr.recordCount')}：</Typography.Text>
          {formatNumber(entry.record_count, lang, 0)}
        </span>
        <Typography.Text ellipsis={{ tooltip: entry.registration_ref }}>
          <Typography.Text type="secondary">{t('sr.registrationRef')}：</Typography.Text>
          {entry.registration_ref || '—'}
        </Typography.Text>
      </Space>
    );
  }
  return (
    <Descriptions size="small" column={1} bordered data-testid="entry-evidence">
      {kind === 'model' ? (
        <>
          <Descriptions.Item label={t('sr.evaluationReport')}>{entry.evaluation_report || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('sr.deployment')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{entry.deployment_evidence || '—'}</span>
          </Descriptions.Item>
        </>
      ) : (
        <>
          <Descriptions.Item label={t('sr.recordCount')}>{formatNumber(entry.record_count, lang, 0)}</Descriptions.Item>
          <Descriptions.Item label={t('sr.registrationRef')}>{entry.registration_ref || '—'}</Descriptions.Item>
        </>
      )}
      <Descriptions.Item label={t('sr.summary')}>
        <span style={{ whiteSpace: 'pre-wrap' }}>{entry.summary || '—'}</span>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The experts on an entry: scored or not, and recused with the reason (from the registered file, or declared). */
export function AssignmentTags({ assignments }: { assignments: Assignment[] }) {
  const { t } = useT();
  if (assignments.length === 0) return <Typography.Text type="secondary">{t('sr.noAssignments')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap style={{ maxWidth: 360 }} data-testid="entry-assignments">
      {assignments.map((a) =>
        a.status === 'recused' ? (
          <Tooltip key={String(a.expert_id)} title={`${t('sr.recusalReason')}：${a.recusal_reason || '—'}`}>
            <Tag icon={<StopOutlined />} color="default" data-testid="assignment-recused" data-expert={a.expert_id}>
              {a.expert_name} · {t('sasg.recused')}
            </Tag>
          </Tooltip>
        ) : (
          <Tag
            key={String(a.expert_id)}
            icon={a.scored ? <CheckCircleOutlined /> : undefined}
            color={a.scored ? 'success' : 'processing'}
            data-testid="assignment-assigned"
            data-expert={a.expert_id}
            data-scored={a.scored}
          >
            {a.expert_name}
            {a.total !== null && a.total !== undefined ? ` · ${formatScore(a.total)}` : a.scored ? ` · ${t('sr.sheetIn')}` : ` · ${t('sr.sheetDue')}`}
          </Tag>
        ),
      )}
    </Space>
  );
}

/** The selected entry an objection is filed against, with the round's notice. */
export interface ObjectionTarget {
  entry_id: string;
  product_name: string;
  supplier_name?: string;
  round_name: string;
  notice_ends_on?: string | null;
}

/**
 * 提出异议: any signed-in user objects to a selected entry of a published round during its notice,
 * with a reason; an administrator then upholds (the entry is excluded) or dismisses it.
 */
export function ObjectionModal({ target, onClose, onFiled }: { target: ObjectionTarget | null; onClose: () => void; onFiled: (o: SelectionObjection) => void }) {
  const { t, tErr } = useT();
  const today = useToday();
  const { form, busy, formError, submit } = useReasonSubmit<ObjectionInput>({ target, fields: ['reason'], staleCode: 'notice_closed', onStale: () => {} });
  const file = async () => {
    if (!target) return;
    await submit<SelectionObjection>({
      path: `/selection-entries/${encodeURIComponent(target.entry_id)}/objections`,
      body: reasonBody,
      success: () => t('sr.objectionFiled'),
      onDone: onFiled,
    });
  };
  return (
    <Modal
      open={!!target}
      title={t('sr.objectTitle')}
      onCancel={onClose}
      onOk={file}
      okText={t('sr.objectSubmit')}
      okButtonProps={{ 'data-testid': 'objection-submit' } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      width={580}
      destroyOnHidden
      data-testid="objection-modal"
    >
      {target && (
        <>
          <Alert type="info" showIcon message={t('sr.objectWhat')} style={{ marginBottom: 16 }} />
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('sr.product')}>{target.product_name}</Descriptions.Item>
            {target.supplier_name && <Descriptions.Item label={t('sel.supplier')}>{target.supplier_name}</Descriptions.Item>}
            <Descriptions.Item label={t('sr.round')}>{target.round_name}</Descriptions.Item>
            <Descriptions.Item label={t('sr.noticeEndsOn')}>
              <DateText d={target.notice_ends_on} /> <NoticeTag endsOn={target.notice_ends_on} today={today} />
            </Descriptions.Item>
          </Descriptions>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="objection-error" /> : null}
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('sr.objectReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('sr.objectReasonPh')} data-testid="objection-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
