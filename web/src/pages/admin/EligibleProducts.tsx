import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, fetchAll } from '../../api/client';
import type { Product, Program, VoucherType } from '../../api/types';
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
  const remove = async (p: Product) => {
    try {
      await api.del(`/programs/${program.id}/eligible-products/${p.id}`);
      list.reload();
    } catch (e) {
      message.error(tErr(e));
    }
  };

  return (
    <div data-testid="eligible-products">
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
                    <Popconfirm title={t('prog.removeProduct')} onConfirm={() => remove(r)}>
                      <Button size="small" type="link" danger icon={<DeleteOutlined />} />
                    </Popconfirm>
                  ),
                }]),
          ]}
        />
      )}
    </div>
  );
}
