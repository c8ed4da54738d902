import { Alert, Button, Card, Col, Descriptions, Form, Input, Result, Row, Select } from 'antd';
import { HoldReasonText } from '../../components/HoldReason';
import { hasHold } from '../../components/holdReason';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, fetchAll } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Contract, Redemption, RedemptionPreview, Voucher } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { Money, PageHeader, StatusTag } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { RecordNo, ShortId } from '../../components/RecordNumber';
import { applyServerFieldError } from '../../components/formErrors';
import { isAfterToday } from '../../dates';
import { formatFen, parseYuanToFen } from '../../format';
import { useAsync, usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { contractLeft, contractsFor } from '../common/contracts';
import { claimBody, claimRules } from '../common/modes';
import { RedemptionPreviewModal } from '../common/RedemptionPreviewModal';

interface Values {
  voucher_id: string;
  product_id: string;
  invoice_number: string;
  invoice_amount_fen: string;
  invoice_date: Dayjs;
  contract_id?: string;
  delivery_proof?: string;
}

const FIELDS = ['voucher_id', 'product_id', 'invoice_number', 'invoice_amount_fen', 'invoice_date', 'contract_id', 'delivery_proof'];

const VOUCHER_LOOKUP_DELAY_MS = 400;

export default function Redeem() {
  const { t, tErr, tEnum, lang } = useT();
  const { user } = useAuth();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [done, setDone] = useState<Redemption | null>(null);
  // The redemption to confirm: what would be sent and the server's preview of it.
  const [pending, setPending] = useState<{ body: ReturnType<typeof claimBody>; preview: RedemptionPreview } | null>(null);
  const submission = useSubmissionKey();
  const today = useToday();
  // The invoice date defaults to the platform's today, and may not be later (the server refuses a
  // future invoice); set once the date is known unless one has been picked meanwhile.
  useEffect(() => {
    if (today && !done && !form.getFieldValue('invoice_date')) form.setFieldsValue({ invoice_date: dayjs(today) });
  }, [today, done, form]);
  const products = useAsync(
    () => (user?.supplier_id == null ? Promise.resolve([]) : fetchAll(api, '/products', { supplier_id: String(user.supplier_id) })),
    [user?.supplier_id],
  );
  const mine = (products.data ?? []).filter((p) => user?.supplier_id == null || String(p.supplier_id) === String(user.supplier_id));
  const { programs } = usePrograms();
  const contracts = useAsync(() => fetchAll(api, '/contracts', undefined, 10).catch(() => [] as Contract[]), [done]);

  // The voucher, once the supplier may see it (it has redeemed from it before): its enterprise and
  // program then tell which contracts fit and whether the program lets the supplier redeem at all.
  // A voucher the supplier has not been paid from yet is "not found" to it; then the programs whose
  // selected list holds the product decide.
  const voucherId = (Form.useWatch('voucher_id', form) ?? '').trim();
  const productId = Form.useWatch('product_id', form);
  const [voucher, setVoucher] = useState<Voucher | null>(null);
  useEffect(() => {
    setVoucher(null);
    if (!voucherId) return;
    const ac = new AbortController();
    const h = setTimeout(() => {
      api.get<Voucher>(`/vouchers/${encodeURIComponent(voucherId)}`, undefined, ac.signal).then(
        (v) => !ac.signal.aborted && setVoucher(v),
        () => undefined,
      );
    }, VOUCHER_LOOKUP_DELAY_MS);
    return () => {
      clearTimeout(h);
      ac.abort();
    };
  }, [voucherId]);
  const product = mine.find((p) => String(p.id) === String(productId));
  const candidates = useMemo(() => {
    if (voucher) return programs.filter((p) => String(p.id) === String(voucher.program_id));
    if (product) return programs.filter((p) => (product.eligible_programs ?? []).map(String).includes(String(p.id)));
    return [];
  }, [voucher, product, programs]);
  const rules = claimRules(candidates);
  const blocked = rules.mode === 'enterprise_reimbursed';
  const fitting = useMemo(
    () => contractsFor(contracts.data ?? [], { enterpriseId: voucher?.enterprise_id, kind: product?.kind }),
    [contracts.data, voucher?.enterprise_id, product?.kind],
  );
  useEffect(() => {
    // A contract chosen for another enterprise or kind no longer fits.
    const chosen = form.getFieldValue('contract_id');
    if (chosen && contracts.data && !fitting.some((c) => String(c.id) === String(chosen))) form.setFieldsValue({ contract_id: undefined });
  }, [fitting, contracts.data, form]);

  const onFinish = async (v: Values) => {
    setBusy(true);
    setFormError(null);
    try {
      const body = claimBody({
        voucher_id: v.voucher_id,
        product_id: mine.find((p) => String(p.id) === String(v.product_id))?.id ?? v.product_id,
        invoice_number: v.invoice_number,
        invoice_amount_fen: parseYuanToFen(v.invoice_amount_fen)!,
        invoice_date: v.invoice_date.format('YYYY-MM-DD'),
        contract_id: v.contract_id,
        delivery_proof: v.delivery_proof,
      });
      // First what it would do (nothing written; refused as the redemption would be), to confirm.
      const preview = await api.post<RedemptionPreview>('/redemptions/preview', body);
      setPending({ body, preview });
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setFormError(null);
    try {
      // One Idempotency-Key per submission: a retry with the same values reuses it (no double
      // subsidy if the first answer was lost); new values or the next invoice get a fresh one.
      const r = await submission.post<Redemption>('/redemptions', pending.body);
      setPending(null);
      setDone(r);
    } catch (e) {
      setPending(null);
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div data-testid="page-sup-redeem">
        <Result
          status="success"
          title={<span data-testid="redeem-done">{t('redeem.done')}</span>}
          subTitle={t('redeem.result', { subsidy: formatFen(done.subsidy_fen, lang), pays: formatFen(done.enterprise_pays_fen, lang) })}
          extra={[
            <Button type="primary" key="again" onClick={() => { setDone(null); form.resetFields(); }} data-testid="redeem-again">
              {t('redeem.title')}
            </Button>,
            <Link key="list" to="/sup/redemptions"><Button>{t('nav.sup.redemptions')}</Button></Link>,
          ]}
        >
          <Descriptions bordered size="small" column={1} style={{ maxWidth: 520, margin: '0 auto' }}>
            <Descriptions.Item label={t('rec.number')}><RecordNo n={done.number} testid="redeem-number" /></Descriptions.Item>
            <Descriptions.Item label={t('rec.id')}><ShortId id={done.id} /></Descriptions.Item>
            <Descriptions.Item label={t('r.invoice')}><span className="mono">{done.invoice_number}</span></Descriptions.Item>
            <Descriptions.Item label={t('r.invoiceAmount')}><Money fen={done.invoice_amount_fen} /></Descriptions.Item>
            <Descriptions.Item label={t('r.subsidy')}><span data-testid="redeem-subsidy" data-fen={done.subsidy_fen}><Money fen={done.subsidy_fen} strong /></span></Descriptions.Item>
            <Descriptions.Item label={t('r.entPays')}><Money fen={done.enterprise_pays_fen} /></Descriptions.Item>
            {done.contract_id && (
              <Descriptions.Item label={t('r.contract')}>
                <span className="mono">{(contracts.data ?? []).find((c) => String(c.id) === String(done.contract_id))?.contract_number ?? String(done.contract_id)}</span>
              </Descriptions.Item>
            )}
            {done.delivery_proof && <Descriptions.Item label={t('r.deliveryProof')}>{done.delivery_proof}</Descriptions.Item>}
            <Descriptions.Item label={t('common.status')}><StatusTag prefix="rst" status={done.status} /></Descriptions.Item>
            {hasHold(done) && (
              <Descriptions.Item label={t('r.holdReason')}><HoldReasonText redemption={done} /></Descriptions.Item>
            )}
          </Descriptions>
          {done.status === 'held' && (
            <Alert type="warning" showIcon message={t('redeem.held')} style={{ maxWidth: 520, margin: '16px auto 0', textAlign: 'left' }} data-testid="redeem-held" />
          )}
        </Result>
      </div>
    );
  }

  return (
    <div data-testid="page-sup-redeem">
      <PageHeader title={t('redeem.title')} sub={t('redeem.sub')} />
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card>
            {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="redeem-error" /> : null}
            <Form form={form} layout="vertical" onFinish={onFinish} data-testid="redeem-form">
              <Form.Item name="voucher_id" label={t('redeem.voucherId')} rules={[{ required: true, message: t('err.required') }]}>
                <Input className="mono" data-testid="redeem-voucher" />
              </Form.Item>
              <Form.Item name="product_id" label={t('redeem.product')} rules={[{ required: true, message: t('err.required') }]}>
                <Select
                  data-testid="redeem-product"
                  loading={products.loading}
                  showSearch
                  optionFilterProp="label"
                  options={mine.map((p) => ({ value: String(p.id), label: `${p.name} · ${tEnum('pk', p.kind)}` }))}
                />
              </Form.Item>
              <Form.Item
                name="invoice_number"
                label={t('redeem.invoiceNumber')}
                rules={[{ required: true, message: t('err.required') }]}
              >
                <Input className="mono" maxLength={32} inputMode="numeric" data-testid="redeem-invoice-number" />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="invoice_amount_fen"
                    label={t('redeem.invoiceAmount')}
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
                    <Input prefix="¥" inputMode="decimal" data-testid="redeem-amount" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="invoice_date" label={t('redeem.invoiceDate')} rules={[{ required: true, message: t('err.required') }]}>
                    <DatePicker
                      style={{ width: '100%' }}
                      format="YYYY-MM-DD"
                      disabledDate={(d) => isAfterToday(d.format('YYYY-MM-DD'), today)}
                      data-testid="redeem-date"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="contract_id"
                label={t('redeem.contract')}
                extra={rules.contractRequired ? t('redeem.contractNeeded') : t('redeem.contractHint')}
                rules={rules.contractRequired ? [{ required: true, message: t('err.contract_required') }] : []}
              >
                <Select
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('redeem.contractPh')}
                  loading={contracts.loading}
                  notFoundContent={t('redeem.noContracts')}
                  options={fitting.map((c) => ({
                    value: String(c.id),
                    label: t('redeem.contractOption', { number: c.contract_number, party: c.enterprise_name, left: formatFen(contractLeft(c), lang) }),
                    disabled: contractLeft(c) <= 0,
                  }))}
                  data-testid="redeem-contract"
                />
              </Form.Item>
              <Form.Item
                name="delivery_proof"
                label={t('redeem.deliveryProof')}
                extra={rules.deliveryProofRequired ? t('redeem.deliveryNeeded') : t('redeem.deliveryProofHint')}
                rules={rules.deliveryProofRequired ? [{ required: true, whitespace: true, message: t('err.required') }] : []}
              >
                <Input maxLength={200} placeholder={t('redeem.deliveryProofPh')} data-testid="redeem-delivery-proof" />
              </Form.Item>
              {blocked && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  message={voucher ? t('redeem.reimbursedVoucher') : t('redeem.reimbursedProduct')}
                  data-testid="redeem-mode-blocked"
                />
              )}
              <Button type="primary" htmlType="submit" loading={busy} disabled={blocked} data-testid="redeem-submit">
                {t('redeem.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
      <RedemptionPreviewModal preview={pending?.preview ?? null} busy={busy} onConfirm={confirm} onCancel={() => setPending(null)} />
    </div>
  );
}
