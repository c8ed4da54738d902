import { Alert, Button, Card, Col, Empty, Form, Input, List, Result, Row, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSubmissionKey } from '../../api/submission';
import type { Application, ApplicationInput, Program } from '../../api/types';
import { DateText, ErrorState, Money, PageHeader, Pct, StatusTag } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { useToday } from '../../clock';
import { isApplyOpen, programPhase } from '../../dates';
import { formatDate, parseYuanToFen } from '../../format';
import { usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { ProgramRules } from './ProgramRules';
import { isClosed } from '../admin/policy';

interface Values {
  program_id: string;
  amount_fen: string;
  plan: string;
}

export default function Apply() {
  const { t, tErr, tEnum, lang } = useT();
  const { programs, error, loading, reload } = usePrograms();
  const today = useToday();
  // Until the platform's date is known no program is marked closed.
  const isOpen = (p: Program) => today === null || isApplyOpen(p, today);
  const [form] = Form.useForm<Values>();
  const [selected, setSelected] = useState<Program | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [done, setDone] = useState<Application | null>(null);
  const submission = useSubmissionKey();

  const onFinish = async (v: Values) => {
    if (!selected) return;
    setBusy(true);
    setFormError(null);
    const amount = parseYuanToFen(v.amount_fen)!;
    try {
      const body: ApplicationInput = { program_id: selected.id, amount_fen: amount, plan: v.plan };
      // One key per submission: pressing submit again after a lost answer or a 503 cannot create a
      // second application; changed values or a new application after success get a fresh key.
      const app = await submission.post<Application>('/applications', body);
      setDone(app);
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ['amount_fen', 'plan'])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Result
        status="success"
        title={<span data-testid="apply-done" data-app-id={String(done.id)}>{t('apply.done', { id: done.number || String(done.id) })}</span>}
        subTitle={selected?.name}
        extra={[
          <Link to="/ent/applications" key="mine">
            <Button type="primary">{t('apply.viewMine')}</Button>
          </Link>,
          <Button key="again" onClick={() => { setDone(null); form.resetFields(); }}>
            {t('apply.title')}
          </Button>,
        ]}
      />
    );
  }

  // A closed program takes no more applications (the server answers program_closed): not offered.
  const sorted = programs.filter((p) => !isClosed(p)).sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)));

  return (
    <div data-testid="page-ent-apply">
      <PageHeader title={t('apply.title')} />
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card title={t('apply.pickProgram')} styles={{ body: { padding: 0 } }}>
            {error ? (
              <div style={{ padding: 16 }}><ErrorState error={error} onRetry={reload} compact /></div>
            ) : loading ? (
              <div style={{ padding: 16 }}><Skeleton active /></div>
            ) : sorted.length === 0 ? (
              <Empty style={{ padding: 24 }} description={t('apply.noPrograms')} />
            ) : (
              <List
                data-testid="program-picker"
                dataSource={sorted}
                renderItem={(p) => {
                  const open = isOpen(p);
                  const active = selected && String(selected.id) === String(p.id);
                  return (
                    <List.Item
                      data-testid={`program-option-${p.id}`}
                      data-program-name={p.name}
                      data-open={today === null ? undefined : String(open)}
                      onClick={() => { setSelected(p); form.setFieldsValue({ program_id: String(p.id) }); }}
                      style={{ cursor: 'pointer', padding: '12px 16px', background: active ? 'var(--quan-primary-bg)' : undefined, borderLeft: active ? '3px solid var(--quan-primary)' : '3px solid transparent', opacity: open ? 1 : 0.55 }}
                    >
                      <List.Item.Meta
                        title={
                          <span>
                            {p.name} <Tag color="blue">{tEnum('vt', p.voucher_type)}</Tag>
                            {today !== null && <StatusTag prefix="prst" status={programPhase(p, today)} />}
                          </span>
                        }
                        description={
                          <span>
                            <Pct bps={p.rate_bps} /> · {t('apply.faceCap')} <Money fen={p.face_value_cap_fen} /> ·{' '}
                            {t('apply.applyWindow')} <DateText d={p.apply_until} />
                          </span>
                        }
                      />
                    </List.Item>
                  );
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {!selected ? (
            <Card><Empty description={t('apply.pickProgram')} /></Card>
          ) : (
            <Card title={selected.name}>
              <Typography.Title level={5}>{t('apply.rules')}</Typography.Title>
              <ProgramRules p={selected} />
              {!isOpen(selected) && (
                <Alert type="warning" showIcon style={{ marginTop: 16 }} message={t('apply.notOpen', { today: formatDate(today, lang) })} data-testid="apply-not-open" />
              )}
              <Form form={form} layout="vertical" onFinish={onFinish} style={{ marginTop: 24 }} data-testid="apply-form">
                {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="apply-error" /> : null}
                <Form.Item name="program_id" hidden><Input /></Form.Item>
                <Form.Item
                  name="amount_fen"
                  label={t('apply.amount')}
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
                  <Input prefix="¥" inputMode="decimal" data-testid="apply-amount" style={{ maxWidth: 280 }} />
                </Form.Item>
                <Form.Item name="plan" label={t('apply.plan')} rules={[{ required: true, message: t('err.required') }]}>
                  <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('apply.planPh')} data-testid="apply-plan" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="apply-submit">
                  {t('apply.submit')}
                </Button>
              </Form>
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
