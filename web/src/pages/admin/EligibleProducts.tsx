import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Descriptions, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, fetchAll, isApiError } from '../../api/client';
import type { Product, Program, ReasonInput, VoucherType } from '../../api/types';
import { EmptyState, ErrorState } from '../../components/common';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';

const KIND_FOR: Record<VoucherType, string> = { compute: 'compute', model: 'model', corpus: 'corpus', innovation: 'innovation_service' };
/** The product kind a program's vouchers are spent on (the document types voucher_type as a string). */
const kindFor = (vt: string): string | undefined => KIND_FOR[vt as VoucherType];

/** The selected list of one program: products a voucher of this program may be spent on. */
export function EligibleProducts({ program, readOnly }: { program: Program; readOnly?: boolean }) {
  const { t, tEnum, tErr } = useT();
  const { message } = App.useApp();
  const [adding, setAdding] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<Product | null>(null);
  const list = useAsync(() => fetchAll(api, `/programs/${program.id}/eligible-products`), [program.id]);
  const all = useAsync(() => (readOnly ? Promise.resolve([]) : fetchAll(api, '/products', { kind: kindFor(program.voucher_type) })), [program.id, readOnly]);
  const listed = new Set((list.data ?? []).map((p) => String(p.id)));
  const candidates = (all.data ?? []).filter((p) => !listed.has(String(p.id)) && p.kind === kindFor(program.voucher_type));

  const add = async () => {
    if (!adding) return;
    setBusy(true);
    try {
      const product = candidates.find((p) => String(p.id) === adding);
      await api.post(`/programs/${program.id}/eligible-products`, { product_id: product?.id ?? adding });
      message.success(t('common.saved'));
      setAdding(undefined);
      list.reload();
    } catch (e) {
      message.error(tErr(e));
    } finally {
      setBusy(false);
    }
  };

  const fromSelection = program.voucher_type === 'model' || program.voucher_type === 'corpus';

  return (
    <div data-testid="eligible-products">
      {fromSelection && <Alert type="info" showIcon message={t('prog.listFromSelection')} style={{ marginBottom: 12 }} data-testid="eligible-from-selection" />}
      {!readOnly && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Select
            style={{ width: 360 }}
            showSearch
            optionFilterProp="label"
            placeholder={t('prog.addProduct')}
            value={adding}
            onChange={setAdding}
            loading={all.loading}
            options={candidates.map((p) => ({ value: String(p.id), label: `${p.name} · ${p.supplier_name ?? p.supplier_id}` }))}
            data-testid="eligible-add-select"
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={add} loading={busy} disabled={!adding} data-testid="eligible-add">
            {t('prog.addProduct')}
          </Button>
        </Space>
      )}
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} compact />
      ) : (
        <Table<Product>
          size="small"
          rowKey="id"
          loading={list.loading}
          dataSource={list.data ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('sel.supplier'), dataIndex: 'supplier_name', render: (v, r) => v ?? r.supplier_id },
            { title: t('sel.kind'), dataIndex: 'kind', render: (v: string) => <Tag>{tEnum('pk', v)}</Tag> },
            ...(readOnly
              ? []
              : [{
                  title: t('common.actions'),
                  key: 'a',
                  render: (_: unknown, r: Product) => (
                    <Button
                      size="small"
                      type="link"
                      danger
                      icon={<DeleteOutlined />}
                      title={t('prog.removeProduct')}
                      onClick={() => setRemoving(r)}
                      data-testid={`eligible-remove-${r.id}`}
                    />
                  ),
                }]),
          ]}
        />
      )}
      <DelistModal
        program={program}
        product={removing}
        onClose={() => setRemoving(null)}
        onRemoved={() => {
          setRemoving(null);
          list.reload();
        }}
      />
    </div>
  );
}

/**
 * Taking a product off a program's list is a recorded decision: it asks why (the server requires a
 * reason on a model or corpus program, whose list is the year's selection) and sends it with the
 * DELETE.
 */
function DelistModal({ program, product, onClose, onRemoved }: { program: Program; product: Product | null; onClose: () => void; onRemoved: () => void }) {
  const { t, tErr } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReasonInput>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (product) {
      form.resetFields();
      setError(null);
    }
  }, [product, form]);
  const selected = program.voucher_type === 'model' || program.voucher_type === 'corpus';

  const remove = async () => {
    if (!product) return;
    let v: ReasonInput;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.del(`/programs/${encodeURIComponent(program.id)}/eligible-products/${encodeURIComponent(product.id)}`, { reason: v.reason.trim() });
      message.success(t('prog.productRemoved', { name: product.name }));
      onRemoved();
    } catch (e) {
      if (isApiError(e) && e.field === 'reason') form.setFields([{ name: 'reason', errors: [tErr(e)] }]);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!product}
      title={t('prog.removeProduct')}
      onCancel={onClose}
      onOk={remove}
      okText={t('prog.removeConfirm')}
      okButtonProps={{ danger: true, 'data-testid': 'eligible-remove-confirm' } as ButtonProps}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="eligible-remove-modal"
    >
      {product && (
        <>
          <Alert type="warning" showIcon message={selected ? t('prog.removeSelectedWarn') : t('prog.removeWarn')} style={{ marginBottom: 16 }} />
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('prog.name')}>{program.name}</Descriptions.Item>
            <Descriptions.Item label={t('common.name')}>{product.name}</Descriptions.Item>
            <Descriptions.Item label={t('sel.supplier')}>{product.supplier_name ?? product.supplier_id}</Descriptions.Item>
          </Descriptions>
          {error ? <Alert type="error" showIcon message={tErr(error)} style={{ marginBottom: 16 }} data-testid="eligible-remove-error" /> : null}
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('prog.removeReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('prog.removeReasonPh')} data-testid="eligible-remove-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
