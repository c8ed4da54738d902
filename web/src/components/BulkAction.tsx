// The dialog of a bulk action: it asks first (how many rows, their total amount, and whatever the
// action needs, e.g. one reason for all), then sends the rows one by one with a progress bar, and
// ends with each row's outcome (done, or refused with the server's reason in the user's language).
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Button, List, Modal, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../i18n';
import { type BulkOutcome, bulkCounts, bulkTotal, runBulk } from './bulk';
import { Money } from './common';

export interface BulkActionProps<T> {
  open: boolean;
  title: React.ReactNode;
  /** The rows acted on (only rows that can take the action). */
  rows: T[];
  rowKey: (row: T) => string;
  /** What names a row in the lists (its number). */
  rowLabel: (row: T) => React.ReactNode;
  /** The amount a row moves (fen), summed in the confirmation. */
  amount?: (row: T) => number | null | undefined;
  /** What the action needs before it starts (a reason), shown under the summary. */
  children?: React.ReactNode;
  okText: React.ReactNode;
  danger?: boolean;
  /** Checks what `children` asks for; false keeps the dialog open without starting. */
  validate?: () => Promise<boolean>;
  /** Acts on one row; a rejection is that row's refusal. */
  act: (row: T) => Promise<unknown>;
  /** The dialog closes; `ran` when at least one row was sent (the list should reload). */
  onClose: (ran: boolean) => void;
  testid: string;
}

export function BulkAction<T>({ open, title, rows, rowKey, rowLabel, amount, children, okText, danger, validate, act, onClose, testid }: BulkActionProps<T>) {
  const { t, tErr } = useT();
  const [phase, setPhase] = useState<'confirm' | 'running' | 'done'>('confirm');
  const [outcomes, setOutcomes] = useState<BulkOutcome[]>([]);
  useEffect(() => {
    if (open) {
      setPhase('confirm');
      setOutcomes([]);
    }
  }, [open]);

  const start = async () => {
    if (validate && !(await validate())) return;
    setPhase('running');
    setOutcomes([]);
    await runBulk(rows, rowKey, act, setOutcomes);
    setPhase('done');
  };
  const close = () => {
    if (phase === 'running') return;
    onClose(phase === 'done');
  };

  const byKey = new Map(outcomes.map((o) => [o.key, o]));
  const counts = bulkCounts(outcomes);
  const percent = rows.length ? Math.round((outcomes.length / rows.length) * 100) : 0;
  const footer =
    phase === 'confirm' ? (
      <Space>
        <Button onClick={close} data-testid={`${testid}-cancel`}>{t('common.cancel')}</Button>
        <Button type="primary" danger={danger} onClick={start} disabled={rows.length === 0} data-testid={`${testid}-ok`}>{okText}</Button>
      </Space>
    ) : (
      <Button type="primary" onClick={close} disabled={phase === 'running'} data-testid={`${testid}-close`}>{t('common.close')}</Button>
    );

  return (
    <Modal open={open} title={title} onCancel={close} footer={footer} closable={phase !== 'running'} maskClosable={false} destroyOnClose width={620}>
      <div data-testid={testid} data-phase={phase}>
      {phase === 'confirm' ? (
        <Alert
          type={danger ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid={`${testid}-summary`}
          data-count={rows.length}
          message={
            <span>
              {t('bulk.summary', { n: rows.length })}
              {amount ? <> {t('bulk.total')} <Money fen={bulkTotal(rows, amount)} strong testid={`${testid}-total`} /></> : null}
            </span>
          }
        />
      ) : (
        <div style={{ marginBottom: 12 }}>
          <Progress percent={percent} status={phase === 'running' ? 'active' : counts.refused ? 'exception' : 'success'} data-testid={`${testid}-progress`} />
          {phase === 'done' ? (
            <Typography.Text data-testid={`${testid}-done`} data-ok={counts.ok} data-refused={counts.refused}>
              {t('bulk.done', { ok: counts.ok, refused: counts.refused })}
            </Typography.Text>
          ) : null}
        </div>
      )}
      {phase === 'confirm' ? children : null}
      <List
        size="small"
        bordered
        style={{ maxHeight: 320, overflow: 'auto' }}
        dataSource={rows}
        renderItem={(r) => {
          const k = rowKey(r);
          const o = byKey.get(k);
          return (
            <List.Item data-testid={`${testid}-row`} data-key={k} data-state={o ? (o.ok ? 'ok' : 'refused') : 'waiting'}>
              <Space wrap>
                {rowLabel(r)}
                {amount ? <Money fen={amount(r)} /> : null}
              </Space>
              {o ? (
                o.ok ? (
                  <Tag color="success" icon={<CheckCircleFilled />}>{t('bulk.ok')}</Tag>
                ) : (
                  <Space size={4} align="start" style={{ maxWidth: 320 }}>
                    <Tag color="error" icon={<CloseCircleFilled />}>{t('bulk.refused')}</Tag>
                    <Typography.Text type="danger" data-testid={`${testid}-reason`}>{tErr(o.error)}</Typography.Text>
                  </Space>
                )
              ) : phase === 'running' ? (
                <Tag>{t('bulk.waiting')}</Tag>
              ) : null}
            </List.Item>
          );
        }}
      />
      </div>
    </Modal>
  );
}
