// An enterprise's claim for reimbursement (申请报销) on a voucher of a program where it pays the
// supplier in full and is reimbursed the subsidy: the contract, the product bought, the invoice,
// proof of payment in full (and of delivery, where the program asks for it). A second step shows
// what it sends and the subsidy it can expect before anything is sent; the subsidy is paid in the
// next reimbursement run.
import { Alert, Button, Col, Descriptions, Drawer, Form, Input, Result, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, fetchAll, isApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { PRODUCT_KIND_OF, type Contract, type Enterprise, type Product, type Program, type Redemption, type RedemptionPreview, type Voucher } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { Money, StatusTag } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { HoldReasonText } from '../../components/HoldReason';
import { hasHold } from '../../components/holdReason';
import { isAfterToday } from '../../dates';
import { fenToYuanInput, formatBps, formatFen, parseYuanToFen } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { previewHold } from '../common/redemptionPreview';
import { RecordNo, ShortId } from '../../components/RecordNumber';
import { contractClaimable, contractLeft, contractsFor } from '../common/contracts';
import { claimBody, claimRate, quoteSubsidy, type ClaimValues } from '../common/modes';

interface Values {
  contract_id?: string;
  product_id: string;
  invoice_number: string;
  invoice_amount_fen: string;
  invoice_date: Dayjs;
  payment_proof: string;
  delivery_proof?: string;
}

const FIELDS = ['contract_id', 'product_id', 'invoice_number', 'invoice_amount_fen', 'invoice_date', 'payment_proof', 'delivery_proof'];

type Step = 'form' | 'confirm' | 'done';

export function ClaimReimbursement({ voucher, program, onClose, onDone }: { voucher: Voucher | null; program: Program | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  return (
    <Drawer
      open={voucher !== null}
      onClose={onClose}
      width={Math.min(720, typeof window === 'undefined' ? 720 : window.innerWidth)}
      title={t('claim.title')}
      destroyOnClose
      data-testid="claim-drawer"
    >
      {voucher && program && <ClaimForm voucher={voucher} program={program} onClose={onClose} onDone={onDone} />}
    </Drawer>
  );
}

function ClaimForm({ voucher, program, onClose, onDone }: { voucher: Voucher; program: Program; onClose: () => void; onDone: () => void }) {
  const { t, tErr, tEnum, lang } = useT();
  const { user } = useAuth();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState<Step>('form');
  const [review, setReview] = useState<ClaimValues | null>(null);
  // The server's preview of the claim (nothing written): what the confirmation shows.
  const [preview, setPreview] = useState<RedemptionPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [done, setDone] = useState<Redemption | null>(null);
  const submission = useSubmissionKey();
  const today = useToday();
  const policy = program.policy ?? {};
  const kind = PRODUCT_KIND_OF[voucher.voucher_type];

  const file = useAsync(
    () => (user?.enterprise_id ? api.get<Enterprise>(`/enterprises/${encodeURIComponent(String(user.enterprise_id))}`).catch(() => null) : Promise.resolve(null)),
    [user?.enterprise_id],
  );
  const contracts = useAsync(() => fetchAll(api, '/contracts', undefined, 10), []);
  const products = useAsync(() => fetchAll(api, `/programs/${encodeURIComponent(String(program.id))}/eligible-products`), [program.id]);
  const mine = useMemo(() => contractsFor(contracts.data ?? [], { enterpriseId: voucher.enterprise_id, kind }), [contracts.data, voucher.enterprise_id, kind]);

  const contractId = Form.useWatch('contract_id', form);
  const contract: Contract | undefined = mine.find((c) => String(c.id) === String(contractId));
  const offered: Product[] = (products.data ?? []).filter((p) => p.kind === kind && (!contract || String(p.supplier_id) === String(contract.supplier_id)));
  const rate = claimRate(program, !!file.data?.pilot_zone);

  // The invoice date defaults to the platform's today (a claim follows the payment).
  useEffect(() => {
    if (today && !form.getFieldValue('invoice_date')) form.setFieldsValue({ invoice_date: dayjs(today) });
  }, [today, form]);

  const onContract = (id: string | undefined) => {
    const c = mine.find((x) => String(x.id) === String(id));
    if (!c) return;
    const product = form.getFieldValue('product_id');
    const fits = (products.data ?? []).some((p) => String(p.id) === String(product) && String(p.supplier_id) === String(c.supplier_id));
    if (product && !fits) form.setFieldsValue({ product_id: undefined });
    if (!form.getFieldValue('invoice_amount_fen') && contractLeft(c) > 0) form.setFieldsValue({ invoice_amount_fen: fenToYuanInput(contractLeft(c)) });
  };

  const next = async () => {
    setFormError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const claim: ClaimValues = {
      voucher_id: String(voucher.id),
      product_id: v.product_id,
      invoice_number: v.invoice_number,
      invoice_amount_fen: parseYuanToFen(v.invoice_amount_fen)!,
      invoice_date: v.invoice_date.format('YYYY-MM-DD'),
      contract_id: v.contract_id,
      payment_proof: v.payment_proof,
      delivery_proof: v.delivery_proof,
    };
    // What the claim would do, by the server's rules (refused as the claim would be): the
    // confirmation shows it; only its Confirm sends the claim.
    setBusy(true);
    try {
      const p = await api.post<RedemptionPreview>('/redemptions/preview', claimBody(claim));
      setReview(claim);
      setPreview(p);
      setStep('confirm');
    } catch (e) {
      if (!(isApiError(e) && applyServerFieldError(form, e, tErr(e), FIELDS))) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!review) return;
    setBusy(true);
    setFormError(null);
    try {
      // One Idempotency-Key per submission: a retry with the same values reuses it (no double
      // subsidy if the first answer was lost).
      const r = await submission.post<Redemption>('/redemptions', claimBody(review));
      setDone(r);
      setStep('done');
      onDone();
    } catch (e) {
      setStep('form');
      if (!(isApiError(e) && applyServerFieldError(form, e, tErr(e), FIELDS))) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  if (step === 'done' && done) {
    return (
      <Result
        status="success"
        title={<span data-testid="claim-done">{t('claim.done')}</span>}
        subTitle={t('claim.result', { subsidy: formatFen(done.subsidy_fen, lang) })}
        extra={[
          <Button type="primary" key="close" onClick={onClose} data-testid="claim-close">
            {t('common.close')}
          </Button>,
          <Link key="list" to="/ent/redemptions">
            <Button>{t('claim.toList')}</Button>
          </Link>,
        ]}
      >
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('rec.number')}>
            <RecordNo n={done.number} testid="claim-number" />
          </Descriptions.Item>
          <Descriptions.Item label={t('rec.id')}>
            <ShortId id={done.id} testid="claim-id" />
          </Descriptions.Item>
          <Descriptions.Item label={t('r.invoice')}>
            <span className="mono">{done.invoice_number}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('r.invoiceAmount')}>
            <Money fen={done.invoice_amount_fen} />
          </Descriptions.Item>
          <Descriptions.Item label={t('r.subsidy')}>
            <span data-testid="claim-subsidy" data-fen={done.subsidy_fen}>
              <Money fen={done.subsidy_fen} strong />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('r.payee')}>
            <span data-testid="claim-payee" data-payee={done.payee}>{tEnum('payee', done.payee)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('common.status')}>
            <StatusTag prefix="rst" status={done.status} />
          </Descriptions.Item>
          {hasHold(done) && (
            <Descriptions.Item label={t('r.holdReason')}>
              <HoldReasonText redemption={done} />
            </Descriptions.Item>
          )}
        </Descriptions>
        {done.status === 'held' && <Alert type="warning" showIcon message={t('claim.held')} style={{ marginTop: 16, textAlign: 'left' }} />}
      </Result>
    );
  }

  const quote = review ? quoteSubsidy(review.invoice_amount_fen, rate, voucher.balance_fen) : null;
  const reviewedProduct = review ? (products.data ?? []).find((p) => String(p.id) === String(review.product_id)) : undefined;
  const reviewedContract = review?.contract_id ? mine.find((c) => String(c.id) === String(review.contract_id)) : undefined;

  return (
    <div data-testid="claim-panel">
      <Typography.Paragraph type="secondary">
        {program.name} · {t('claim.voucher', { id: voucher.number || String(voucher.id), balance: formatFen(voucher.balance_fen, lang) })}
      </Typography.Paragraph>
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="claim-error" /> : null}
      <div style={{ display: step === 'form' ? undefined : 'none' }}>
        <Form form={form} layout="vertical" data-testid="claim-form" onFinish={next}>
          <Form.Item
            name="contract_id"
            label={t('claim.contract')}
            extra={t('claim.contractHint')}
            rules={policy.contract_required ? [{ required: true, message: t('err.contract_required') }] : []}
          >
            <Select
              allowClear={!policy.contract_required}
              showSearch
              optionFilterProp="label"
              loading={contracts.loading}
              notFoundContent={<span data-testid="claim-no-contracts">{t('claim.noContracts')}</span>}
              options={mine.map((c) => ({
                value: String(c.id),
                label: t('claim.contractOption', { number: c.contract_number, party: c.supplier_name, left: formatFen(contractLeft(c), lang) }),
                disabled: !contractClaimable(c, !!policy.instalments_allowed),
              }))}
              onChange={onContract}
              data-testid="claim-contract"
            />
          </Form.Item>
          <Form.Item name="product_id" label={t('claim.product')} extra={t('claim.productHint')} rules={[{ required: true, message: t('err.required') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={products.loading}
              options={offered.map((p) => ({ value: String(p.id), label: `${p.name} · ${p.supplier_name}` }))}
              data-testid="claim-product"
            />
          </Form.Item>
          <Form.Item name="invoice_number" label={t('redeem.invoiceNumber')} rules={[{ required: true, message: t('err.required') }]}>
            <Input className="mono" maxLength={32} inputMode="numeric" data-testid="claim-invoice-number" />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="invoice_amount_fen"
                label={t('redeem.invoiceAmount')}
                dependencies={['contract_id']}
                rules={[
                  { required: true, message: t('err.required') },
                  {
                    validator: (_, v: string) => {
                      if (!v) return Promise.resolve();
                      const fen = parseYuanToFen(v);
                      if (fen === null) return Promise.reject(new Error(t('common.moneyInvalid')));
                      if (fen <= 0) return Promise.reject(new Error(t('common.moneyPositive')));
                      const c = mine.find((x) => String(x.id) === String(form.getFieldValue('contract_id')));
                      if (c && fen > contractLeft(c)) return Promise.reject(new Error(t('claim.overContract', { amount: formatFen(contractLeft(c), lang) })));
                      return Promise.resolve();
                    },
                  },
                ]}
              >
                <Input prefix="¥" inputMode="decimal" data-testid="claim-amount" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="invoice_date"
                label={t('redeem.invoiceDate')}
                dependencies={['contract_id']}
                rules={[
                  { required: true, message: t('err.required') },
                  {
                    validator: (_, d: Dayjs | undefined) => {
                      const c = mine.find((x) => String(x.id) === String(form.getFieldValue('contract_id')));
                      if (d && c && d.format('YYYY-MM-DD') < c.signed_on) return Promise.reject(new Error(t('claim.beforeContract', { date: c.signed_on })));
                      return Promise.resolve();
                    },
                  },
                ]}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  format="YYYY-MM-DD"
                  disabledDate={(d) => {
                    const s = d.format('YYYY-MM-DD');
                    return isAfterToday(s, today) || s < voucher.valid_from || s > voucher.valid_until;
                  }}
                  data-testid="claim-date"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="payment_proof"
            label={t('claim.paymentProof')}
            extra={t('claim.paymentProofHint')}
            rules={[{ required: true, whitespace: true, message: t('err.required') }]}
          >
            <Input maxLength={200} placeholder={t('claim.paymentProofPh')} data-testid="claim-payment-proof" />
          </Form.Item>
          <Form.Item
            name="delivery_proof"
            label={t('redeem.deliveryProof')}
            extra={policy.delivery_proof_required ? t('redeem.deliveryNeeded') : t('redeem.deliveryProofHint')}
            rules={policy.delivery_proof_required ? [{ required: true, whitespace: true, message: t('err.required') }] : []}
          >
            <Input maxLength={200} placeholder={t('redeem.deliveryProofPh')} data-testid="claim-delivery-proof" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="claim-next">
            {t('claim.next')}
          </Button>
        </Form>
      </div>
      {step === 'confirm' && review && quote && preview && (
        <div data-testid="claim-confirm">
          <Typography.Title level={5}>{t('claim.confirmTitle')}</Typography.Title>
          <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('rp.holder')}>
              <span data-testid="claim-confirm-holder">{preview.enterprise_name}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('app.program')}>{preview.program_name}</Descriptions.Item>
            <Descriptions.Item label={t('claim.contract')}>
              {reviewedContract ? (
                <span className="mono" data-testid="claim-confirm-contract">
                  {reviewedContract.contract_number} · {reviewedContract.supplier_name}
                </span>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('claim.product')}>{reviewedProduct ? `${reviewedProduct.name} · ${reviewedProduct.supplier_name}` : review.product_id}</Descriptions.Item>
            <Descriptions.Item label={t('r.invoice')}>
              <span className="mono">{review.invoice_number.trim()}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('r.invoiceAmount')}>
              <Money fen={review.invoice_amount_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('r.invoiceDate')}>{review.invoice_date}</Descriptions.Item>
            <Descriptions.Item label={t('claim.paymentProof')}>{review.payment_proof?.trim()}</Descriptions.Item>
            <Descriptions.Item label={t('redeem.deliveryProof')}>{review.delivery_proof?.trim() || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('claim.expected')}>
              <Space direction="vertical" size={0}>
                <span data-testid="claim-expected" data-fen={preview.subsidy_fen} data-rate={rate}>
                  <Money fen={preview.subsidy_fen} strong />
                </span>
                <Typography.Text type="secondary">
                  {t('claim.expectedRate', { rate: formatBps(rate, lang) })}
                  {quote.capped_by === 'voucher_balance' ? `${lang === 'zh' ? '，' : ', '}${t('claim.cappedBalance', { balance: formatFen(voucher.balance_fen, lang) })}` : ''}
                </Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('claim.entBears')}>
              <span data-testid="claim-confirm-own" data-fen={preview.enterprise_pays_fen}>
                <Money fen={preview.enterprise_pays_fen} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('rp.balanceNow')}>
              <Money fen={preview.balance_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('rp.balanceAfter')}>
              <Money fen={preview.balance_after_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('r.payee')}>
              <span data-testid="claim-confirm-payee" data-payee={preview.payee}>{tEnum('payee', preview.payee)}</span>
            </Descriptions.Item>
          </Descriptions>
          {previewHold(preview) && (
            <Alert type="warning" showIcon message={t('rp.held')} description={<HoldReasonText redemption={previewHold(preview)!} />} style={{ marginBottom: 16 }} data-testid="claim-confirm-hold" />
          )}
          <Alert type="info" showIcon message={t('claim.expectedNote')} style={{ marginBottom: 16 }} />
          <Space>
            <Button onClick={() => setStep('form')} data-testid="claim-back">
              {t('claim.back')}
            </Button>
            <Button type="primary" loading={busy} onClick={submit} data-testid="claim-submit">
              {t('claim.confirm')}
            </Button>
          </Space>
        </div>
      )}
    </div>
  );
}
