// 关闭项目: an administrator closes a program once nothing can draw on its budget any more (every
// voucher expired, no application under review or in notice). The modal shows what goes back to
// the funding sources (the program's available budget, per source) and asks why, for the record.
import { Alert, type ButtonProps, Descriptions, Form, Input, Modal, Table, Typography } from 'antd';
import { api } from '../../api/client';
import type { BudgetView, Program, ReasonInput, Voucher } from '../../api/types';
import { Money, Pct } from '../../components/common';
import { reasonBody, useReasonSubmit } from '../../components/useReasonSubmit';
import { formatFen } from '../../format';
import { invalidate, useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { closePreview } from './policy';

export function CloseProgramModal({ program, onClose, onClosed, onStale }: { program: Program | null; onClose: () => void; onClosed: (p: Program) => void; onStale: () => void }) {
  const { t, tErr, lang } = useT();
  const { form, busy, formError, submit } = useReasonSubmit<ReasonInput>({ target: program, fields: ['reason'], staleCode: 'already_closed', onStale });
  const budget = useAsync((s) => (program ? api.get<BudgetView>(`/programs/${program.id}/budget`, undefined, s) : Promise.resolve(null)), [program?.id]);
  // Vouchers still active keep the program open (the server refuses with program_has_active_vouchers): say so before.
  const active = useAsync(
    (s) => (program ? api.list<Voucher>('/vouchers', { program_id: program.id, status: 'active', page: 1, page_size: 1 }, s).then((p) => p.total) : Promise.resolve(0)),
    [program?.id],
  );

  const preview = program ? closePreview(program, budget.data?.sources) : null;

  const close = async () => {
    if (!program) return;
    await submit<Program>({
      path: `/programs/${program.id}/close`,
      body: reasonBody,
      success: (closed) => t('prog.closeDone', { amount: formatFen(closed.released_fen ?? 0, lang) }),
      onDone: (closed) => {
        invalidate('programs');
        invalidate('funding');
        onClosed(closed);
      },
    });
  };

  return (
    <Modal
      open={!!program}
      title={program ? t('prog.closeTitle', { name: program.name }) : ''}
      onCancel={onClose}
      onOk={close}
      okText={t('prog.closeConfirm')}
      okButtonProps={{ danger: true, 'data-testid': 'program-close-confirm' } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      width={620}
      destroyOnHidden
      data-testid="program-close-modal"
    >
      {program && preview && (
        <>
          <Alert type="warning" showIcon message={t('prog.closeWarn')} style={{ marginBottom: 16 }} />
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('apply.budget')}>
              <Money fen={program.budget_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('prog.closeRelease')}>
              <Money fen={preview.releaseFen} strong testid="program-close-release" />
            </Descriptions.Item>
            {preview.reservedFen > 0 && (
              <Descriptions.Item label={t('budget.reserved')}>
                <Money fen={preview.reservedFen} />
              </Descriptions.Item>
            )}
          </Descriptions>
          {preview.bySource.length > 0 && (
            <div data-testid="program-close-sources" style={{ marginBottom: 12 }}>
              <Table
                size="small"
                rowKey="source_id"
                pagination={false}
                dataSource={preview.bySource}
                columns={[
                  { title: t('prog.source'), dataIndex: 'source_name' },
                  { title: t('prog.share'), dataIndex: 'share_bps', align: 'right', render: (v: number) => <Pct bps={v} /> },
                  { title: t('prog.closeReleaseToSource'), dataIndex: 'release_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
                ]}
              />
            </div>
          )}
          {(active.data ?? 0) > 0 && (
            <Alert type="warning" showIcon message={t('prog.closeActiveVouchers', { n: active.data ?? 0 })} style={{ marginBottom: 12 }} data-testid="program-close-active" data-count={active.data} />
          )}
          {preview.reservedFen > 0 && (
            <Alert type="warning" showIcon message={t('err.program_has_open_applications')} style={{ marginBottom: 12 }} data-testid="program-close-reserved" />
          )}
          <Typography.Paragraph type="secondary">{t('prog.closeRule')}</Typography.Paragraph>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="program-close-error" /> : null}
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('prog.closeReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('prog.closeReasonPh')} data-testid="program-close-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
