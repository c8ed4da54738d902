// Contracts between enterprises and suppliers (合同登记). An enterprise sees and registers its own
// (naming the supplier), a supplier its own (naming the enterprise), an administrator all (naming
// both); the auditor reads. Each contract shows what was claimed against it: in a program that
// requires a contract every claim names one, once or (where the program allows) in instalments up
// to its amount.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Drawer, Form, Input, Progress, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, fetchAll, isApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { PRODUCT_KINDS, type Contract, type ProductKind, type Role } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, Money, PageHeader } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { PartySelect } from '../../components/PartySelect';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { isAfterToday } from '../../dates';
import { parseYuanToFen } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { contractBody, contractLeft, CONTRACT_NUMBER_RE, looksLikeEnterpriseId, mayRegisterContract, partyOptions, type PartyOption } from './contracts';

export default function Contracts() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const role = user?.role;
  const staff = role === 'admin' || role === 'auditor';
  const canRegister = mayRegisterContract(role);
  const list = useListState();
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const enterpriseId = list.get('enterprise_id');
  const setEnterpriseId = (v: string | null | undefined) => list.setFilter('enterprise_id', v);
  const supplierId = list.get('supplier_id');
  const setSupplierId = (v: string | null | undefined) => list.setFilter('supplier_id', v);
  const [open, setOpen] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const { message } = App.useApp();

  const columns: ColumnsType<Contract> = [
    {
      title: t('ctr.number'),
      dataIndex: 'contract_number',
      key: 'contract_number',
      sorter: true,
      render: (v: string) => (
        <Typography.Text className="mono" copyable data-testid="contract-row-number">
          {v}
        </Typography.Text>
      ),
    },
    { title: t('ctr.kind'), dataIndex: 'kind', render: (v: string) => <Tag color="blue">{tEnum('pk', v)}</Tag> },
    { title: t('ctr.subject'), dataIndex: 'subject', ellipsis: true, width: 240, render: (v: string) => <Tooltip title={v}>{v}</Tooltip> },
    ...(role === 'enterprise' ? [] : [{ title: t('ctr.enterprise'), dataIndex: 'enterprise_name', render: (v: string, r: Contract) => v || String(r.enterprise_id) }]),
    ...(role === 'supplier' ? [] : [{ title: t('ctr.supplier'), dataIndex: 'supplier_name', render: (v: string, r: Contract) => v || String(r.supplier_id) }]),
    { title: t('ctr.signedOn'), dataIndex: 'signed_on', key: 'signed_on', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('ctr.amount'), dataIndex: 'amount_fen', key: 'amount_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} strong testid="contract-amount" /> },
    {
      title: <Tooltip title={t('ctr.claimedHint')}>{t('ctr.claimed')}</Tooltip>,
      key: 'claimed',
      align: 'right',
      render: (_, r) => (
        <Space direction="vertical" size={0} style={{ minWidth: 140 }}>
          <Money fen={r.claimed_fen} testid="contract-claimed" />
          <Progress percent={r.amount_fen > 0 ? Math.min(100, Math.round((r.claimed_fen / r.amount_fen) * 100)) : 0} size="small" showInfo={false} />
        </Space>
      ),
    },
    { title: t('ctr.claimCount'), dataIndex: 'claim_count', align: 'right', render: (v: number) => <span data-testid="contract-claim-count">{v}</span> },
    {
      title: t('ctr.remaining'),
      key: 'remaining',
      align: 'right',
      render: (_, r) => (contractLeft(r) > 0 ? <Money fen={contractLeft(r)} /> : <Tag data-testid="contract-full">{t('ctr.fullyClaimed')}</Tag>),
    },
    { title: t('common.createdAt'), dataIndex: 'created_at', key: 'created_at', sorter: true, render: (v: string) => <DateText d={v} /> },
  ];

  return (
    <div data-testid="page-contracts">
      <PageHeader
        title={staff ? t('ctr.adminTitle') : t('ctr.title')}
        sub={t('ctr.sub')}
        extra={
          canRegister ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="contract-new">
              {t('ctr.new')}
            </Button>
          ) : (
            <Tag data-testid="read-only">{t('ctr.readOnly')}</Tag>
          )
        }
      />
      <Card>
        <Space className="filters" wrap>
          <Input.Search allowClear placeholder={t('ctr.search')} style={{ width: 280 }} defaultValue={q} onSearch={(v) => setQ(v.trim() || undefined)} data-testid="contract-search" />
          {staff && (
            <>
              <PartySelect kind="enterprise" allowClear placeholder={t('ctr.enterprise')} style={{ width: 280 }} value={enterpriseId} onChange={setEnterpriseId} testid="contract-filter-enterprise" />
              <PartySelect kind="supplier" allowClear placeholder={t('ctr.supplier')} style={{ width: 280 }} value={supplierId} onChange={setSupplierId} testid="contract-filter-supplier" />
            </>
          )}
        </Space>
        <ServerTable testid="table-contracts" path="/contracts" query={{ q, enterprise_id: enterpriseId, supplier_id: supplierId }} columns={columns} reloadKey={reloadKey} />
      </Card>
      {canRegister && role && (
        <Drawer open={open} onClose={() => setOpen(false)} width={Math.min(640, typeof window === 'undefined' ? 640 : window.innerWidth)} title={t('ctr.new')} destroyOnClose data-testid="contract-drawer">
          {open && (
            <ContractForm
              role={role as Role}
              onSaved={(c) => {
                message.success(`${t('ctr.created')}：${c.contract_number}`);
                setOpen(false);
                setReloadKey((k) => k + 1);
              }}
            />
          )}
        </Drawer>
      )}
    </div>
  );
}

interface FormValues {
  enterprise_id?: string;
  supplier_id?: string;
  contract_number: string;
  kind: ProductKind;
  subject: string;
  signed_on: Dayjs;
  amount: string;
}

const FIELDS = ['enterprise_id', 'supplier_id', 'contract_number', 'kind', 'subject', 'signed_on', 'amount_fen'];

/** Register a contract: the other party by name, what is bought, when it was signed, for how much. */
export function ContractForm({ role, onSaved }: { role: Role; onSaved: (c: Contract) => void }) {
  const { t, tErr, tEnum } = useT();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const submission = useSubmissionKey();
  const today = useToday();
  const kind = Form.useWatch('kind', form);
  const req = [{ required: true, message: t('err.required') }];

  const onFinish = async (v: FormValues) => {
    setBusy(true);
    setFormError(null);
    try {
      const body = contractBody({ ...v, signed_on: v.signed_on.format('YYYY-MM-DD'), amount_fen: parseYuanToFen(v.amount)!, enterprise_id: v.enterprise_id?.trim() }, role);
      onSaved(await submission.post<Contract>('/contracts', body));
    } catch (e) {
      // The server names the amount `amount_fen`; the form holds it in yuan as `amount`.
      if (isApiError(e) && e.field === 'amount_fen') form.setFields([{ name: 'amount', errors: [tErr(e)] }]);
      else if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} data-testid="contract-form">
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="contract-error" /> : null}
      {(role === 'supplier' || role === 'admin') && (
        <Form.Item name="enterprise_id" label={t('ctr.enterprise')} rules={req} extra={role === 'supplier' ? t('ctr.enterpriseHint') : undefined}>
          {role === 'admin' ? <PartySelect kind="enterprise" testid="contract-enterprise" /> : <KnownEnterpriseSelect testid="contract-enterprise" />}
        </Form.Item>
      )}
      {(role === 'enterprise' || role === 'admin') && (
        <Form.Item name="supplier_id" label={t('ctr.supplier')} rules={req} extra={role === 'enterprise' ? t('ctr.supplierHint') : undefined}>
          {role === 'admin' ? <PartySelect kind="supplier" testid="contract-supplier" /> : <ProductSupplierSelect kind={kind} testid="contract-supplier" />}
        </Form.Item>
      )}
      <Form.Item
        name="contract_number"
        label={t('ctr.number')}
        extra={t('ctr.numberHint')}
        rules={[...req, { validator: (_, v: string) => (!v || CONTRACT_NUMBER_RE.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('ctr.numberInvalid')))) }]}
      >
        <Input className="mono" maxLength={64} data-testid="contract-number" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('ctr.kind')} extra={t('ctr.kindHint')} rules={req}>
            <Select options={PRODUCT_KINDS.map((k) => ({ value: k, label: tEnum('pk', k) }))} data-testid="contract-kind" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="signed_on" label={t('ctr.signedOn')} rules={req}>
            <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={(d) => isAfterToday(d.format('YYYY-MM-DD'), today)} data-testid="contract-signed-on" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="subject" label={t('ctr.subject')} rules={req}>
        <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('ctr.subjectPh')} data-testid="contract-subject" />
      </Form.Item>
      <Form.Item
        name="amount"
        label={t('ctr.amountField')}
        rules={[
          ...req,
          {
            validator: (_, v: string) => {
              if (!v) return Promise.resolve();
              const fen = parseYuanToFen(v);
              if (fen === null) return Promise.reject(new Error(t('common.moneyInvalid')));
              if (fen <= 0) return Promise.reject(new Error(t('common.moneyPositive')));
              return Promise.resolve();
            },
          },
        ]}
      >
        <Input prefix="¥" inputMode="decimal" data-testid="contract-amount-input" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="contract-submit">
        {t('ctr.new')}
      </Button>
    </Form>
  );
}

interface SelectProps {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  testid?: string;
}

/**
 * For an enterprise: the suppliers of the products it can see (it may not list the supplier
 * registry), by name; with a kind chosen, only suppliers with products of that kind.
 */
function ProductSupplierSelect({ value, onChange, id, testid, kind }: SelectProps & { kind?: string }) {
  const { t } = useT();
  const products = useAsync(() => fetchAll(api, '/products'), []);
  const options = useMemo(
    () => partyOptions((products.data ?? []).filter((p) => !kind || p.kind === kind).map((p) => ({ id: String(p.supplier_id), name: p.supplier_name }))),
    [products.data, kind],
  );
  return (
    <Select
      id={id}
      showSearch
      optionFilterProp="label"
      value={value}
      onChange={onChange}
      loading={products.loading}
      options={options}
      placeholder={t('ctr.supplier')}
      data-testid={testid}
    />
  );
}

/**
 * For a supplier: the enterprises it has redeemed for or contracted with, by name (a supplier may
 * not search the enterprise registry), or an enterprise id the enterprise gave it.
 */
function KnownEnterpriseSelect({ value, onChange, id, testid }: SelectProps) {
  const { t } = useT();
  const [text, setText] = useState('');
  const known = useAsync(async () => {
    const [redemptions, contracts] = await Promise.all([fetchAll(api, '/redemptions', undefined, 10), fetchAll(api, '/contracts', undefined, 10)]);
    return partyOptions([...contracts, ...redemptions].map((r) => ({ id: String(r.enterprise_id), name: r.enterprise_name })));
  }, []);
  const options = useMemo(() => {
    const list: PartyOption[] = [...(known.data ?? [])];
    const typed = text.trim();
    if (looksLikeEnterpriseId(typed) && !list.some((o) => o.value === typed)) list.unshift({ value: typed, label: t('ctr.useEnterpriseId', { id: typed }) });
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: value });
    return list;
  }, [known.data, text, value, t]);
  return (
    <Select
      id={id}
      showSearch
      searchValue={text}
      onSearch={setText}
      filterOption={(input, o) => String(o?.label ?? '').toLowerCase().includes(input.trim().toLowerCase()) || String(o?.value ?? '') === input.trim()}
      value={value}
      onChange={(v: string | undefined) => {
        setText('');
        onChange?.(v);
      }}
      loading={known.loading}
      options={options}
      placeholder={t('ctr.enterprise')}
      data-testid={testid}
    />
  );
}
