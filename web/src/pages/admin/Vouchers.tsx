// Every voucher the platform issued, for administrators: face value, balance, the second milestone
// still held and the acceptance check. A voucher awaiting its check gets it recorded here; the
// submission is confirmed with what the chosen rating does to the money.
import { AuditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { VOUCHER_STATUSES, VOUCHER_TYPES, type Voucher, type VoucherStatus, type VoucherType } from '../../api/types';
import { useToday } from '../../clock';
import { DateText, Money, PageHeader, StatusTag } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { ListSearch, numberColumn, ShortId } from '../../components/RecordNumber';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { formatFen } from '../../format';
import { usePrograms } from '../../hooks';
import { useT } from '../../i18n';
import { acceptanceEffectKey, type AcceptanceRatingValue } from '../reviewer/chain';
import { ACCEPTANCE_RATINGS, acceptanceBody, acceptanceConfirmKey, acceptanceDue, acceptanceOutcome } from './acceptance';

const RATING_COLOR: Record<AcceptanceRatingValue, string> = { excellent: 'green', pass: 'blue', fail: 'red' };

export function RatingTag({ rating }: { rating: AcceptanceRatingValue | null | undefined }) {
  const { t } = useT();
  if (!rating) return null;
  return (
    <Tag color={RATING_COLOR[rating]} data-testid="voucher-acceptance" data-rating={rating}>
      {rating === 'excellent' ? t('acc.excellent') : rating === 'pass' ? t('acc.pass') : t('acc.fail')}
    </Tag>
  );
}

export default function Vouchers() {
  const { t, tEnum } = useT();
  const { programs } = usePrograms();
  const list = useListState();
  const programId = list.get('program_id');
  const setProgramId = (v: string | null | undefined) => list.setFilter('program_id', v);
  const status = list.get('status') as VoucherStatus | undefined;
  const setStatus = (v: VoucherStatus | null | undefined) => list.setFilter('status', v);
  const type = list.get('voucher_type') as VoucherType | undefined;
  const setType = (v: VoucherType | null | undefined) => list.setFilter('voucher_type', v);
  const q = list.get('q');
  const setQ = (v: string | null | undefined) => list.setFilter('q', v);
  const [checking, setChecking] = useState<Voucher | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  const columns: ColumnsType<Voucher> = [
    numberColumn<Voucher>(t('rec.number')),
    // Names held to a width, in full on hover: the money and the status stay on screen.
    { title: t('app.enterprise'), dataIndex: 'enterprise_name', render: (v: string, r) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 200 }}>{v || String(r.enterprise_id)}</Typography.Text> },
    { title: t('app.program'), dataIndex: 'program_name', render: (v: string, r) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 180 }}>{v || String(r.program_id)}</Typography.Text> },
    { title: t('v.face'), dataIndex: 'face_value_fen', key: 'face_value_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('v.balance'), dataIndex: 'balance_fen', key: 'balance_fen', sorter: true, align: 'right', render: (v: number) => <Money fen={v} strong /> },
    { title: t('common.status'), dataIndex: 'status', key: 'status', sorter: true, render: (v: string) => <StatusTag prefix="vst" status={v} /> },
    { title: t('v.type'), dataIndex: 'voucher_type', render: (v: string) => <Tag color="blue">{tEnum('vt', v)}</Tag> },
    { title: t('v.held'), dataIndex: 'held_fen', align: 'right', render: (v: number) => (v > 0 ? <span data-testid="voucher-held" data-fen={v}><Money fen={v} /></span> : '—') },
    {
      title: t('acc.rating'),
      dataIndex: 'acceptance',
      render: (v: AcceptanceRatingValue | null | undefined, r) =>
        v ? (
          <Tooltip
            title={
              <div data-testid="voucher-acceptance-record">
                <div><b>{t('acc.panel')}</b> {r.acceptance_panel}</div>
                <div><b>{t('acc.checkedOn')}</b> {r.acceptance_checked_on}</div>
                <div><b>{t('acc.reportRef')}</b> {r.acceptance_report_ref}</div>
              </div>
            }
          >
            <span><RatingTag rating={v} /></span>
          </Tooltip>
        ) : r.held_fen > 0 ? (
          <Tag>{t('acc.none')}</Tag>
        ) : (
          '—'
        ),
    },
    { title: t('v.validUntil'), dataIndex: 'valid_until', key: 'valid_until', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('av.issuedAt'), dataIndex: 'issued_at', key: 'issued_at', sorter: true, render: (v: string) => <DateText d={v} /> },
    { title: t('rec.id'), dataIndex: 'id', render: (v) => <ShortId id={String(v)} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) =>
        acceptanceDue(r) ? (
          <Button size="small" type="link" icon={<AuditOutlined />} onClick={() => setChecking(r)} data-testid={`voucher-accept-${r.id}`}>
            {t('acc.check')}
          </Button>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div data-testid="page-admin-vouchers">
      <PageHeader title={t('nav.admin.vouchers')} sub={t('av.sub')} />
      <Card>
        <Space className="filters" wrap>
          <ListSearch placeholder={t('rec.searchVoucher')} onSearch={setQ} value={q} testid="vouchers-search" />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('rev.filterProgram')}
            style={{ width: 300 }}
            value={programId}
            onChange={setProgramId}
            options={programs.map((p) => ({ value: String(p.id), label: p.name }))}
            data-testid="vouchers-filter-program"
          />
          <Select
            allowClear
            placeholder={t('rev.filterStatus')}
            style={{ width: 180 }}
            value={status}
            onChange={setStatus}
            options={VOUCHER_STATUSES.map((s) => ({ value: s, label: tEnum('vst', s) }))}
            data-testid="vouchers-filter-status"
          />
          <Select
            allowClear
            placeholder={t('v.type')}
            style={{ width: 160 }}
            value={type}
            onChange={setType}
            options={VOUCHER_TYPES.map((v) => ({ value: v, label: tEnum('vt', v) }))}
            data-testid="vouchers-filter-type"
          />
        </Space>
        <ServerTable testid="table-admin-vouchers" path="/vouchers" exportName="vouchers" query={{ q, program_id: programId, status, voucher_type: type }} columns={columns} reloadKey={reloadKey} />
      </Card>
      <AcceptanceModal voucher={checking} onClose={() => setChecking(null)} onDone={() => { setChecking(null); setReloadKey((k) => k + 1); }} />
    </div>
  );
}

interface AcceptanceValues {
  rating: AcceptanceRatingValue;
  panel: string;
  checked_on: Dayjs;
  report_ref: string;
}

const ACCEPTANCE_FIELDS = ['rating', 'panel', 'checked_on', 'report_ref'];

export function AcceptanceModal({ voucher, onClose, onDone }: { voucher: Voucher | null; onClose: () => void; onDone: (v: Voucher) => void }) {
  const { t, tErr, lang } = useT();
  const { message, modal } = App.useApp();
  const today = useToday();
  const [form] = Form.useForm<AcceptanceValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const rating = Form.useWatch('rating', form);

  useEffect(() => {
    if (voucher) {
      form.resetFields();
      if (today) form.setFieldsValue({ checked_on: dayjs(today) });
      setFormError(null);
    }
    // The platform's today only fills the date of a form just opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [voucher, form]);

  const ratingLabel = (r: AcceptanceRatingValue) => (r === 'excellent' ? t('acc.excellent') : r === 'pass' ? t('acc.pass') : t('acc.fail'));
  const effect = (r: AcceptanceRatingValue, v: Voucher) => t(acceptanceConfirmKey(r), { held: formatFen(v.held_fen, lang) });

  const send = async (v: Voucher, values: AcceptanceValues) => {
    setBusy(true);
    setFormError(null);
    try {
      const body = acceptanceBody({ ...values, checked_on: values.checked_on.format('YYYY-MM-DD') });
      const after = await submission.post<Voucher>(`/vouchers/${v.id}/acceptance`, body);
      message.success(t('acc.done', { rating: ratingLabel(body.rating) }));
      onDone(after);
    } catch (e) {
      // A field error (rating, panel, checked_on, report_ref) goes next to its field; others above the form.
      if (!applyServerFieldError(form, e, tErr(e), ACCEPTANCE_FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!voucher) return;
    let values: AcceptanceValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const v = voucher;
    const outcome = acceptanceOutcome(v, values.rating);
    modal.confirm({
      title: t('acc.confirmTitle', { rating: ratingLabel(values.rating) }),
      width: 520,
      okText: t('acc.confirmOk'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: values.rating === 'fail', ...({ 'data-testid': 'acceptance-confirm-ok' } as object) },
      content: (
        <div data-testid="acceptance-confirm" data-rating={values.rating}>
          <Typography.Paragraph strong={values.rating === 'fail'} type={values.rating === 'fail' ? 'danger' : undefined} data-testid="acceptance-effect">
            {effect(values.rating, v)}
          </Typography.Paragraph>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('v.face')}>
              <Space size={6} wrap>
                <Money fen={v.face_value_fen} />→<Money fen={outcome.faceAfterFen} strong />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <Space size={6} wrap>
                <StatusTag prefix="vst" status={v.status} />→<StatusTag prefix="vst" status={outcome.status} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('acc.panel')}>{values.panel.trim()}</Descriptions.Item>
            <Descriptions.Item label={t('acc.checkedOn')}>
              <DateText d={values.checked_on.format('YYYY-MM-DD')} />
            </Descriptions.Item>
            <Descriptions.Item label={t('acc.reportRef')}>{values.report_ref.trim()}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('acc.irreversible')}
          </Typography.Paragraph>
        </div>
      ),
      onOk: () => send(v, values),
    });
  };

  return (
    <Modal
      open={!!voucher}
      title={voucher ? t('acc.title', { id: voucher.number || String(voucher.id) }) : ''}
      onCancel={onClose}
      width={600}
      destroyOnHidden
      data-testid="acceptance-modal"
      footer={[
        <Button key="cancel" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger={rating === 'fail'} loading={busy} onClick={submit} data-testid="acceptance-submit">
          {t('acc.submit')}
        </Button>,
      ]}
    >
      {voucher && (
        <>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="acceptance-error" /> : null}
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('app.enterprise')}>{voucher.enterprise_name}</Descriptions.Item>
            <Descriptions.Item label={t('app.program')}>{voucher.program_name}</Descriptions.Item>
            <Descriptions.Item label={t('v.face')}>
              <Money fen={voucher.face_value_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('v.held')}>
              <Money fen={voucher.held_fen} strong />
            </Descriptions.Item>
          </Descriptions>
          <Form form={form} layout="vertical" data-testid="acceptance-form">
            <Form.Item name="rating" label={t('acc.rating')} rules={[{ required: true, message: t('err.required') }]}>
              <Radio.Group data-testid="acceptance-rating">
                <Space direction="vertical">
                  {ACCEPTANCE_RATINGS.map((r) => (
                    <Radio key={r} value={r} data-testid={`acceptance-rating-${r}`}>
                      <Typography.Text strong>{ratingLabel(r)}</Typography.Text>
                      <Typography.Text type={r === 'fail' ? 'danger' : 'secondary'} style={{ marginLeft: 8 }}>
                        {t(acceptanceEffectKey(r), { amount: formatFen(voucher.held_fen, lang) })}
                      </Typography.Text>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item name="panel" label={t('acc.panel')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={500} placeholder={t('acc.panelPh')} data-testid="acceptance-panel" />
            </Form.Item>
            <Form.Item name="checked_on" label={t('acc.checkedOn')} rules={[{ required: true, message: t('err.required') }]}>
              <DatePicker
                style={{ width: '100%' }}
                format="YYYY-MM-DD"
                disabledDate={(d) => !!today && d.isAfter(dayjs(today), 'day')}
                data-testid="acceptance-checked-on"
              />
            </Form.Item>
            <Form.Item name="report_ref" label={t('acc.reportRef')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input maxLength={200} placeholder={t('acc.reportRefPh')} data-testid="acceptance-report-ref" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
