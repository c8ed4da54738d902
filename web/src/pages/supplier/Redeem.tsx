import { Alert, Button, Card, Col, Descriptions, Form, Input, Result, Row, Select } from 'antd';
import { HoldReasonText } from '../../components/HoldReason';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, fetchAll } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Redemption, RedemptionInput } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { Money, PageHeader, StatusTag } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { isAfterToday } from '../../dates';
import { formatFen, parseYuanToFen } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';

interface Values {
  voucher_id: string;
  product_id: string;
  invoice_number: string;
  invoice_amount_fen: string;
  invoice_date: Dayjs;
}

const FIELDS = ['voucher_id', 'product_id', 'invoice_number', 'invoice_amount_fen', 'invoice_date'];

export default function Redeem() {
  const { t, tErr, tEnum, lang } = useT();
  const { user } = useAuth();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [done, setDone] = useState<Redemption | null>(null);
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

  const onFinish = async (v: Values) => {
    setBusy(true);
    setFormError(null);
    try {
      const body: RedemptionInput = {
        voucher_id: v.voucher_id.trim(),
        product_id: mine.find((p) => String(p.id) === String(v.product_id))?.id ?? v.product_id,
        invoice_number: v.invoice_number.trim(),
        invoice_amount_fen: parseYuanToFen(v.invoice_amount_fen)!,
        invoice_date: v.invoice_date.format('YYYY-MM-DD'),
      };
      // One Idempotency-Key per submission: a retry with the same values reuses it (no double
      // subsidy if the first answer was lost); new values or the next invoice get a fresh one.
      const r = await submission.post<Redemption>('/redemptions', body);
      setDone(r);
    } catch (e) {
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
            <Descriptions.Item label={t('common.id')}>{String(done.id)}</Descriptions.Item>
            <Descriptions.Item label={t('r.invoice')}><span className="mono">{done.invoice_number}</span></Descriptions.Item>
            <Descriptions.Item label={t('r.invoiceAmount')}><Money fen={done.invoice_amount_fen} /></Descriptions.Item>
            <Descriptions.Item label={t('r.subsidy')}><span data-testid="redeem-subsidy" data-fen={done.subsidy_fen}><Money fen={done.subsidy_fen} strong /></span></Descriptions.Item>
            <Descriptions.Item label={t('r.entPays')}><Money fen={done.enterprise_pays_fen} /></Descriptions.Item>
            <Descriptions.Item label={t('common.status')}><StatusTag prefix="rst" status={done.status} /></Descriptions.Item>
            {done.hold_reason && (
              <Descriptions.Item label={t('r.holdReason')}><HoldReasonText text={done.hold_reason} /></Descriptions.Item>
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
              <Button type="primary" htmlType="submit" loading={busy} data-testid="redeem-submit">
                {t('redeem.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
