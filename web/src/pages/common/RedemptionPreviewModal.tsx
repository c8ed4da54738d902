// The confirmation before a redemption: the server's preview of it (nothing written yet). Only
// Confirm makes the redemption; Cancel changes nothing.
import { Alert, Descriptions, Modal, Tag } from 'antd';
import type { RedemptionPreview } from '../../api/types';
import { Money } from '../../components/common';
import { HoldReasonText } from '../../components/HoldReason';
import { useT } from '../../i18n';
import { previewHold, previewRows } from './redemptionPreview';

export function RedemptionPreviewModal({
  preview,
  busy,
  onConfirm,
  onCancel,
  testid = 'redeem-preview',
}: {
  preview: RedemptionPreview | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testid?: string;
}) {
  const { t, tEnum } = useT();
  const held = preview ? previewHold(preview) : null;
  return (
    <Modal
      open={!!preview}
      title={t('rp.title')}
      width={560}
      onCancel={busy ? undefined : onCancel}
      onOk={onConfirm}
      okText={t('rp.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      cancelButtonProps={{ disabled: busy, ...({ 'data-testid': `${testid}-cancel` } as object) }}
      okButtonProps={{ ...({ 'data-testid': `${testid}-confirm` } as object) }}
      maskClosable={false}
      destroyOnHidden
    >
      {preview && (
        <div data-testid={testid} data-payee={preview.payee} data-held={String(!!held)}>
          <Descriptions bordered size="small" column={1} style={{ marginBottom: held ? 16 : 0 }}>
            {previewRows(preview).map((row) => (
              <Descriptions.Item key={row.key} label={t(row.label)}>
                {row.kind === 'text' ? (
                  <span data-testid={`${testid}-${row.key}`}>{row.text}</span>
                ) : row.kind === 'money' ? (
                  <span data-testid={`${testid}-${row.key}`} data-fen={row.fen}>
                    <Money fen={row.fen} strong={row.strong} />
                  </span>
                ) : (
                  <Tag color={row.payee === 'enterprise' ? 'purple' : 'blue'} data-testid={`${testid}-payee`} data-payee={row.payee}>
                    {tEnum('payee', row.payee)}
                  </Tag>
                )}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {held && (
            <Alert
              type="warning"
              showIcon
              message={t('rp.held')}
              description={<HoldReasonText redemption={held} />}
              data-testid={`${testid}-hold`}
            />
          )}
        </div>
      )}
    </Modal>
  );
}
