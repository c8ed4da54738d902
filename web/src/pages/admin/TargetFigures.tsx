// 指标填报: an administrator enters a policy target's figure with its source document and the day
// it is true of (POST /policy-targets/{id}/figures; audited); the figures entered so far, newest
// first (GET …/figures). Reached from the targets list (/public/targets). A target the platform
// computes from its own records takes none: the server refuses it (computed_target), and the page
// says so before and at the form, in the UI language. Auditors read the history.
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, EmptyState, ErrorState, PageHeader } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { formatDateTime } from '../../format';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { formatFigure, verdictColor } from '../public/targets';
import { afterToday, FIGURE_FIELDS, figureBody, figureValueProblem, newestFirst, type TargetFigure, type TargetStatus } from './targetFigure';

interface FormValues {
  value: string;
  as_of: Dayjs;
  source: string;
}

export default function TargetFigures() {
  const { id = '' } = useParams();
  const { t, tEnum, tErr, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const today = useToday();
  const [form] = Form.useForm<FormValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const isAdmin = user?.role === 'admin';

  const targets = useAsync((s) => api.get<TargetStatus[]>('/public/policy-targets', undefined, s).then(normalizeArray<TargetStatus>), []);
  const history = useAsync((s) => api.get<TargetFigure[]>(`/policy-targets/${encodeURIComponent(id)}/figures`, undefined, s).then(normalizeArray<TargetFigure>), [id]);
  const target = targets.data?.find((x) => x.id === id);
  const computed = target?.source === 'platform';
  const unit = target?.unit ?? '';
  const unitLabel = unit === 'percent' ? '%' : unit === 'EFLOPS' ? 'EFLOPS' : unit ? tEnum('tg.unit', unit) : '';

  const onFinish = async (v: FormValues) => {
    setBusy(true);
    setFormError(null);
    try {
      await submission.post(`/policy-targets/${encodeURIComponent(id)}/figures`, figureBody({ value: v.value, as_of: v.as_of.format('YYYY-MM-DD'), source: v.source }));
      message.success(t('tf.saved'));
      form.resetFields(['value', 'source']);
      history.reload();
      targets.reload();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), [...FIGURE_FIELDS])) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const title = target ? tEnum('tg.name', target.id) : t('nav.targetFigures');
  return (
    <div data-testid="page-admin-target-figures">
      <PageHeader
        title={title}
        sub={t('tf.sub')}
        extra={
          <Link to="/public/targets" data-testid="target-figures-back">
            <Button>{t('tf.back')}</Button>
          </Link>
        }
      />
      {targets.error ? <ErrorState error={targets.error} onRetry={targets.reload} /> : null}
      {!targets.loading && !targets.error && !target ? <Alert type="warning" showIcon message={t('tf.unknown', { id })} style={{ marginBottom: 16 }} /> : null}
      {target && (
        <Card style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('tg.goal')}>{formatFigure(target.target, target.unit, lang, tEnum)}</Descriptions.Item>
            <Descriptions.Item label={t('tg.figure')}>
              <span data-testid="target-current-figure">{target.figure == null ? '—' : formatFigure(target.figure, target.unit, lang, tEnum)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('tg.verdict')}>
              <Tag color={verdictColor(target.progress.verdict)}>{tEnum('tg.verdict', target.progress.verdict)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('tg.source')}>{computed ? t('tg.platform') : target.source_document ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('tg.asOf')}>{target.as_of ? <DateText d={target.as_of} /> : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('tg.deadline')}>{target.deadline ? <DateText d={target.deadline} /> : '—'}</Descriptions.Item>
          </Descriptions>
          {computed && (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="target-computed-note"
              message={t('err.computed_target')}
              description={tEnum('tg.method', target.id)}
            />
          )}
        </Card>
      )}
      <Row gutter={[16, 16]}>
        {isAdmin && (
          <Col xs={24} lg={10}>
            <Card title={t('tf.enter')}>
              {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="target-figure-error" /> : null}
              <Form<FormValues> form={form} layout="vertical" onFinish={onFinish} initialValues={{ as_of: today ? dayjs(today) : undefined }} data-testid="target-figure-form">
                <Form.Item
                  name="value"
                  label={t('tf.value')}
                  required
                  rules={[
                    {
                      validator: (_, v) => {
                        const p = figureValueProblem(v);
                        return p ? Promise.reject(new Error(t(p === 'required' ? 'err.required' : 'tf.valueInvalid'))) : Promise.resolve();
                      },
                    },
                  ]}
                >
                  {/* Always a suffix: an input gaining one when the target loads is remounted, losing what was typed. */}
                  <Input inputMode="decimal" suffix={<span>{unitLabel}</span>} data-testid="target-figure-value" />
                </Form.Item>
                <Form.Item
                  name="as_of"
                  label={t('tf.asOf')}
                  extra={t('tf.asOfHint')}
                  rules={[
                    { required: true, message: t('err.required') },
                    { validator: (_, v?: Dayjs) => (v && afterToday(v.format('YYYY-MM-DD'), today) ? Promise.reject(new Error(t('tf.future'))) : Promise.resolve()) },
                  ]}
                >
                  <DatePicker style={{ width: '100%' }} id="figure_as_of" />
                </Form.Item>
                <Form.Item name="source" label={t('tf.source')} extra={t('tf.sourceHint')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
                  <Input.TextArea rows={2} maxLength={500} data-testid="target-figure-source" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="target-figure-submit">
                  {t('common.submit')}
                </Button>
              </Form>
            </Card>
          </Col>
        )}
        <Col xs={24} lg={isAdmin ? 14 : 24}>
          <Card title={t('tf.history')}>
            {history.error ? (
              <ErrorState error={history.error} onRetry={history.reload} compact />
            ) : (
              <div data-testid="table-target-figures">
                <Table<TargetFigure>
                  rowKey="id"
                  size="small"
                  loading={history.loading}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={newestFirst(history.data ?? [])}
                  locale={{ emptyText: <EmptyState description={t('tf.none')} /> }}
                  columns={[
                    { title: t('tf.value'), dataIndex: 'value', align: 'right', render: (v: number) => (target ? formatFigure(v, target.unit, lang, tEnum) : v) },
                    { title: t('tf.asOf'), dataIndex: 'as_of', render: (d: string) => <DateText d={d} /> },
                    { title: t('tf.source'), dataIndex: 'source', render: (s: string) => <Typography.Text>{s}</Typography.Text> },
                    { title: t('tf.enteredBy'), dataIndex: 'entered_by' },
                    { title: t('tf.enteredAt'), dataIndex: 'entered_at', render: (v: string) => formatDateTime(v, lang) },
                  ]}
                />
              </div>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
