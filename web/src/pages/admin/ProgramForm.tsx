import { ArrowDownOutlined, ArrowUpOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Divider, Form, Input, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { INDUSTRY_SECTIONS, REDEMPTION_MODES, SIZE_CLASSES, VOUCHER_TYPES, type Program, type ProgramInput, type ProgramPatch } from '../../api/types';
import { useToday } from '../../clock';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError, fieldPath } from '../../components/formErrors';
import { yearOf } from '../../dates';
import { bpsToPercentInput, fenToYuanInput, formatBps, formatFen, industryLabel, parsePercentToBps, parseYuanToFen } from '../../format';
import { invalidate, useCities, useFundingSources } from '../../hooks';
import { useT, type MsgKey } from '../../i18n';
import {
  bonusOverflows, contractWindowReversed, duplicateLevelNames, milestoneSplit, policyBody, policyToValues, REVIEW_LEVEL_NAME_MAX, REVIEW_LEVELS_MAX, REVIEW_SCOPES, SPLIT_WINDOW_MAX, SPLIT_WINDOW_MIN,
  splitMissing, type PolicyValues, type ReviewLevelValues,
} from './policy';

interface Values {
  name: string;
  voucher_type: string;
  year: number;
  rate_bps: string;
  face_value_cap_fen: string;
  enterprise_year_cap_fen: string;
  budget_fen: string;
  apply_from: Dayjs;
  apply_until: Dayjs;
  valid_from: Dayjs;
  valid_until: Dayjs;
  notice_days: number;
  eligible_cities: string[];
  eligible_sizes: string[];
  eligible_industries: string[];
  funding: { source_id?: string; share_bps?: string }[];
  policy: PolicyValues;
}

const FIELDS = [
  'name', 'voucher_type', 'year', 'rate_bps', 'face_value_cap_fen', 'enterprise_year_cap_fen', 'budget_fen', 'apply_from',
  'apply_until', 'valid_from', 'valid_until', 'notice_days', 'eligible_cities', 'eligible_sizes', 'eligible_industries', 'policy',
];

const D = (s?: string) => (s ? dayjs(s) : undefined);

/** A date field of the policy holds its YYYY-MM-DD text (empty = no bound); the picker shows it as a date. */
const policyDate = {
  getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : ''),
};

const DEFAULT_DATE_FIELDS = ['year', 'apply_from', 'apply_until', 'valid_from', 'valid_until'] as const;

/** A new program's year and dates: applications and validity from the platform's today to the end of its year. */
function newProgramDates(today: string | null): Pick<Partial<Values>, (typeof DEFAULT_DATE_FIELDS)[number]> {
  if (!today) return {};
  const y = yearOf(today);
  return { year: y, apply_from: dayjs(today), apply_until: dayjs(`${y}-12-31`), valid_from: dayjs(today), valid_until: dayjs(`${y}-12-31`) };
}

function toValues(p: Program | undefined, today: string | null): Partial<Values> {
  if (!p) {
    return {
      voucher_type: 'compute',
      ...newProgramDates(today),
      notice_days: 7,
      eligible_cities: [],
      eligible_sizes: [],
      eligible_industries: [],
      funding: [{ source_id: undefined, share_bps: '100' }],
      policy: policyToValues(null),
    };
  }
  return {
    name: p.name,
    voucher_type: p.voucher_type,
    year: p.year,
    rate_bps: bpsToPercentInput(p.rate_bps),
    face_value_cap_fen: fenToYuanInput(p.face_value_cap_fen),
    enterprise_year_cap_fen: fenToYuanInput(p.enterprise_year_cap_fen),
    budget_fen: fenToYuanInput(p.budget_fen),
    apply_from: D(p.apply_from),
    apply_until: D(p.apply_until),
    valid_from: D(p.valid_from),
    valid_until: D(p.valid_until),
    notice_days: p.notice_days,
    eligible_cities: p.eligible_cities ?? [],
    eligible_sizes: p.eligible_sizes ?? [],
    eligible_industries: p.eligible_industries ?? [],
    funding: (p.funding ?? []).map((f) => ({ source_id: String(f.source_id), share_bps: bpsToPercentInput(f.share_bps) })),
    policy: policyToValues(p.policy),
  };
}

export function sharesTotal(funding: Values['funding'] | undefined): number | null {
  let sum = 0;
  for (const f of funding ?? []) {
    const b = parsePercentToBps(f?.share_bps ?? '');
    if (b === null) return null;
    sum += b;
  }
  return sum;
}

export function ProgramForm({ program, onSaved }: { program?: Program; onSaved: (p: Program) => void }) {
  const { t, tErr, tEnum, lang } = useT();
  const { cities } = useCities();
  const { sources } = useFundingSources();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [fundingError, setFundingError] = useState<string | null>(null);
  const [chainError, setChainError] = useState<string | null>(null);
  // One Idempotency-Key per submission (PATCH /programs/{id} requires one): Save pressed again after
  // a 503 or a lost answer, with the same values, reuses it; changed values or the next edit do not.
  const submission = useSubmissionKey();
  const funding = Form.useWatch('funding', form);
  const total = sharesTotal(funding);
  const faceCap = Form.useWatch('face_value_cap_fen', form);
  const firstMilestone = Form.useWatch(['policy', 'first_milestone_fen'], form);
  const split = milestoneSplit(parseYuanToFen(faceCap ?? ''), parseYuanToFen(firstMilestone ?? ''));
  const today = useToday();
  const todayRef = useRef(today);
  todayRef.current = today;

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toValues(program, todayRef.current) as Values);
    setFormError(null);
    setFundingError(null);
    setChainError(null);
  }, [program, form]);

  // A new program opened before the platform's date was known gets its default dates when it is,
  // unless they have been typed meanwhile.
  useEffect(() => {
    if (program || !today || form.isFieldsTouched([...DEFAULT_DATE_FIELDS])) return;
    if (DEFAULT_DATE_FIELDS.some((k) => form.getFieldValue(k) != null)) return;
    form.setFieldsValue(newProgramDates(today));
  }, [program, today, form]);

  const money = (required = true) => [
    ...(required ? [{ required: true, message: t('err.required') }] : []),
    {
      validator: (_: unknown, v: string) => {
        if (!v) return Promise.resolve();
        const fen = parseYuanToFen(v);
        if (fen === null) return Promise.reject(new Error(t('common.moneyInvalid')));
        if (fen <= 0) return Promise.reject(new Error(t('common.moneyPositive')));
        return Promise.resolve();
      },
    },
  ];

  const onFinish = async (v: Values) => {
    setBusy(true);
    setFormError(null);
    setFundingError(null);
    setChainError(null);
    const body: ProgramInput = {
      name: v.name.trim(),
      voucher_type: v.voucher_type as ProgramInput['voucher_type'],
      year: Number(v.year),
      rate_bps: parsePercentToBps(v.rate_bps)!,
      face_value_cap_fen: parseYuanToFen(v.face_value_cap_fen)!,
      enterprise_year_cap_fen: parseYuanToFen(v.enterprise_year_cap_fen)!,
      budget_fen: parseYuanToFen(v.budget_fen)!,
      apply_from: v.apply_from.format('YYYY-MM-DD'),
      apply_until: v.apply_until.format('YYYY-MM-DD'),
      valid_from: v.valid_from.format('YYYY-MM-DD'),
      valid_until: v.valid_until.format('YYYY-MM-DD'),
      notice_days: Number(v.notice_days),
      eligible_cities: v.eligible_cities ?? [],
      eligible_sizes: (v.eligible_sizes ?? []) as ProgramInput['eligible_sizes'],
      eligible_industries: v.eligible_industries ?? [],
      funding: (v.funding ?? []).map((f) => ({ source_id: sources.find((s) => String(s.id) === String(f.source_id))?.id ?? String(f.source_id), share_bps: parsePercentToBps(f.share_bps)! })),
      // The whole policy every time: PATCH replaces it, so an emptied rule is turned off.
      policy: policyBody(v.policy),
    };
    try {
      // The voucher type and year of an existing program cannot change (PATCH does not take them).
      const { voucher_type: _vt, year: _y, ...patch } = body;
      void _vt;
      void _y;
      const edit: ProgramPatch = patch;
      const saved = program ? await submission.patch<Program>(`/programs/${program.id}`, edit) : await submission.post<Program>('/programs', body);
      invalidate('programs');
      onSaved(saved);
    } catch (e) {
      const msg = tErr(e);
      if (e instanceof ApiError && e.field && fieldPath(e.field)[0] === 'funding') {
        const path = fieldPath(e.field);
        if (path.length >= 3 && form.getFieldInstance(path) !== undefined) form.setFields([{ name: path as never, errors: [msg] }]);
        else setFundingError(msg);
      } else if (e instanceof ApiError && e.field && fieldPath(e.field)[0] === 'policy' && fieldPath(e.field)[1] === 'review_levels') {
        // A level's name goes next to it; the chain as a whole (too long, locked midway) under the list.
        const path = fieldPath(e.field);
        if (path.length >= 4 && form.getFieldInstance(path) !== undefined) form.setFields([{ name: path as never, errors: [msg] }]);
        else setChainError(msg);
        try {
          form.scrollToField(['policy', 'review_levels']);
        } catch {
          /* the list has no single field to scroll to */
        }
      } else if (e instanceof ApiError && e.code === 'shares_not_100') {
        setFundingError(msg);
      } else if (e instanceof ApiError && e.field === 'policy.pilot_bonus_bps' && e.code === 'rate_over_100') {
        // The bonus is checked against the rate: say so, not just "over 100%".
        form.setFields([{ name: ['policy', 'pilot_bonus_bps'], errors: [t('policy.bonusOver100')] }]);
        form.scrollToField(['policy', 'pilot_bonus_bps']);
      } else if (e instanceof ApiError && e.field === 'policy') {
        // The policy as a whole (not one of its fields): no single field to mark.
        setFormError(e);
      } else if (!applyServerFieldError(form, e, msg, FIELDS)) {
        setFormError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const req = [{ required: true, message: t('err.required') }];

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} data-testid="program-form" scrollToFirstError>
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="program-error" /> : null}
      <Divider orientation="left" plain>{t('prog.section.basic')}</Divider>
      <Row gutter={16}>
        <Col span={24}>
          <Form.Item name="name" label={t('prog.name')} rules={req}>
            <Input maxLength={200} data-testid="prog-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="voucher_type" label={t('prog.type')} rules={req}>
            <Select disabled={!!program} options={VOUCHER_TYPES.map((v) => ({ value: v, label: tEnum('vt', v) }))} data-testid="prog-type" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="year" label={t('common.year')} rules={req}>
            <InputNumber disabled={!!program} min={2020} max={2100} style={{ width: '100%' }} data-testid="prog-year" />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>{t('prog.section.money')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="rate_bps"
            label={t('prog.rate')}
            rules={[
              ...req,
              {
                validator: (_, v) => {
                  if (!v) return Promise.resolve();
                  const b = parsePercentToBps(v);
                  if (b === null) return Promise.reject(new Error(t('common.percentInvalid')));
                  if (b > 10000) return Promise.reject(new Error(t('err.rate_over_100')));
                  return Promise.resolve();
                },
              },
            ]}
          >
            <Input suffix="%" inputMode="decimal" data-testid="prog-rate" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="budget_fen" label={t('prog.budget')} rules={money()}>
            <Input prefix="¥" inputMode="decimal" data-testid="prog-budget" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="face_value_cap_fen" label={t('prog.faceCap')} rules={money()}>
            <Input prefix="¥" inputMode="decimal" data-testid="prog-face-cap" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="enterprise_year_cap_fen" label={t('prog.yearCap')} rules={money()}>
            <Input prefix="¥" inputMode="decimal" data-testid="prog-year-cap" />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>{t('prog.funding')}</Divider>
      <Form.List
        name="funding"
        rules={[
          {
            validator: async (_, list: Values['funding']) => {
              const s = sharesTotal(list);
              if (!list || list.length === 0 || s !== 10000) throw new Error(t('prog.sharesMust100'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <div data-testid="prog-funding">
            {fields.map((f, i) => (
              <Space key={f.key} align="baseline" style={{ display: 'flex' }} wrap>
                <Form.Item name={[f.name, 'source_id']} rules={req} style={{ minWidth: 320 }}>
                  <Select
                    placeholder={t('prog.source')}
                    showSearch
                    optionFilterProp="label"
                    options={sources.map((s) => ({ value: String(s.id), label: `${s.name} · ${tEnum('level', s.level)}` }))}
                    data-testid={`prog-funding-source-${i}`}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'share_bps']}
                  rules={[...req, { validator: (_, v) => (!v || parsePercentToBps(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('common.percentInvalid')))) }]}
                >
                  <Input suffix="%" placeholder={t('prog.share')} style={{ width: 140 }} data-testid={`prog-funding-share-${i}`} />
                </Form.Item>
                {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} data-testid={`prog-funding-remove-${i}`} />}
              </Space>
            ))}
            <Space>
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ share_bps: '' })} data-testid="prog-add-source">
                {t('prog.addSource')}
              </Button>
              <Typography.Text type={total === 10000 ? 'success' : 'danger'} data-testid="prog-shares-sum">
                {t('prog.sharesSum', { sum: total === null ? '—' : formatBps(total, lang) })}
              </Typography.Text>
            </Space>
            <div data-testid="prog-funding-errors">
              <Form.ErrorList errors={[...errors, ...(fundingError ? [fundingError] : [])]} />
            </div>
          </div>
        )}
      </Form.List>
      <Divider orientation="left" plain>{t('prog.section.dates')}</Divider>
      <Row gutter={16}>
        {(['apply_from', 'apply_until', 'valid_from', 'valid_until'] as const).map((k) => (
          <Col xs={12} md={6} key={k}>
            <Form.Item name={k} label={t(k === 'apply_from' ? 'prog.applyFrom' : k === 'apply_until' ? 'prog.applyUntil' : k === 'valid_from' ? 'prog.validFrom' : 'prog.validUntil')} rules={req}>
              <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" data-testid={`prog-${k.replace('_', '-')}`} />
            </Form.Item>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Form.Item name="notice_days" label={t('prog.noticeDays')} rules={req}>
            <InputNumber min={0} max={365} style={{ width: '100%' }} data-testid="prog-notice-days" />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>{t('policy.section')}</Divider>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('policy.sectionHint')}
      </Typography.Paragraph>
      <Row gutter={16} data-testid="prog-policy">
        <Col xs={24} md={12}>
          <Form.Item
            name={['policy', 'pilot_bonus_bps']}
            label={t('policy.pilotBonusField')}
            extra={t('policy.pilotBonusHint')}
            dependencies={['rate_bps']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: string) => {
                  if (!v) return Promise.resolve();
                  const b = parsePercentToBps(v);
                  if (b === null) return Promise.reject(new Error(t('common.percentInvalid')));
                  if (bonusOverflows(parsePercentToBps(getFieldValue('rate_bps')), b)) return Promise.reject(new Error(t('policy.bonusOver100')));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <Input suffix="%" inputMode="decimal" placeholder={t('policy.none')} data-testid="prog-pilot-bonus" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'supplier_cap_fen']} label={t('policy.supplierCapField')} extra={t('policy.supplierCapHint')} rules={money(false)}>
            <Input prefix="¥" inputMode="decimal" placeholder={t('apply.unrestricted')} data-testid="prog-supplier-cap" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'group_year_cap_fen']} label={t('policy.groupCapField')} extra={t('policy.groupCapHint')} rules={money(false)}>
            <Input prefix="¥" inputMode="decimal" placeholder={t('apply.unrestricted')} data-testid="prog-group-cap" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'type_year_cap_fen']} label={t('policy.typeCapField')} extra={t('policy.typeCapHint')} rules={money(false)}>
            <Input prefix="¥" inputMode="decimal" placeholder={t('apply.unrestricted')} data-testid="prog-type-cap" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'min_invoice_fen']} label={t('policy.minInvoiceField')} extra={t('policy.minInvoiceHint')} rules={money(false)}>
            <Input prefix="¥" inputMode="decimal" placeholder={t('apply.unrestricted')} data-testid="prog-min-invoice" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name={['policy', 'split_window_days']}
            label={t('policy.splitDays')}
            dependencies={[['policy', 'split_threshold_fen']]}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: number | null) => {
                  if (v !== null && v !== undefined && (!Number.isInteger(v) || v < SPLIT_WINDOW_MIN || v > SPLIT_WINDOW_MAX))
                    return Promise.reject(new Error(t('policy.splitDaysRange', { max: SPLIT_WINDOW_MAX })));
                  return splitMissing(getFieldValue('policy')) === 'split_window_days' ? Promise.reject(new Error(t('policy.splitBoth'))) : Promise.resolve();
                },
              }),
            ]}
          >
            <InputNumber min={SPLIT_WINDOW_MIN} max={SPLIT_WINDOW_MAX} precision={0} addonAfter={t('policy.daysUnit')} placeholder={t('policy.none')} style={{ width: '100%' }} data-testid="prog-split-days" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name={['policy', 'split_threshold_fen']}
            label={t('policy.splitThreshold')}
            dependencies={[['policy', 'split_window_days']]}
            rules={[
              ...money(false),
              ({ getFieldValue }) => ({
                validator: () => (splitMissing(getFieldValue('policy')) === 'split_threshold_fen' ? Promise.reject(new Error(t('policy.splitBoth'))) : Promise.resolve()),
              }),
            ]}
          >
            <Input prefix="¥" inputMode="decimal" placeholder={t('policy.none')} data-testid="prog-split-threshold" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('policy.splitHint')}
          </Typography.Paragraph>
        </Col>
      </Row>
      <Divider orientation="left" plain>{t('policy.modeSection')}</Divider>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('policy.modeSectionHint')}
      </Typography.Paragraph>
      <Form.Item name={['policy', 'redemption_mode']} label={t('policy.mode')} extra={t('policy.modeLockedHint')} rules={req}>
        <Radio.Group data-testid="prog-mode" style={{ width: '100%' }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {REDEMPTION_MODES.map((m) => (
              <Radio key={m} value={m} data-testid={`prog-mode-${m}`}>
                <Typography.Text strong>{tEnum('mode', m)}</Typography.Text>
                <div className="mode-hint" style={{ whiteSpace: 'normal', color: 'rgba(0,0,0,0.55)' }}>
                  {t(`policy.modeHint.${m}` as MsgKey)}
                </div>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Row gutter={16} data-testid="prog-contract-rules">
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'contract_required']} label={t('policy.contractRequired')} extra={t('policy.contractRequiredHint')} valuePropName="checked">
            <Switch data-testid="prog-contract-required" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'instalments_allowed']} label={t('policy.instalments')} extra={t('policy.instalmentsHint')} valuePropName="checked">
            <Switch data-testid="prog-instalments" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'contract_from']} label={t('policy.contractFrom')} {...policyDate}>
            <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" placeholder={t('apply.unrestricted')} data-testid="prog-contract-from" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name={['policy', 'contract_until']}
            label={t('policy.contractUntil')}
            dependencies={[['policy', 'contract_from']]}
            {...policyDate}
            rules={[
              ({ getFieldValue }) => ({
                validator: () => (contractWindowReversed(getFieldValue('policy')) ? Promise.reject(new Error(t('err.before_start'))) : Promise.resolve()),
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" placeholder={t('apply.unrestricted')} data-testid="prog-contract-until" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('policy.contractWindowHint')}
          </Typography.Paragraph>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'delivery_proof_required']} label={t('policy.deliveryProof')} extra={t('policy.deliveryProofHint')} valuePropName="checked">
            <Switch data-testid="prog-delivery-proof" />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>{t('chain.section')}</Divider>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('chain.sectionHint')}
      </Typography.Paragraph>
      <Form.List
        name={['policy', 'review_levels']}
        rules={[
          {
            validator: async (_, list: ReviewLevelValues[] | undefined) => {
              if ((list?.length ?? 0) > REVIEW_LEVELS_MAX) throw new Error(t('chain.max', { max: REVIEW_LEVELS_MAX }));
              const dup = duplicateLevelNames(list);
              if (dup.length) throw new Error(t('chain.duplicate', { names: dup.join('、') }));
            },
          },
        ]}
      >
        {(fields, { add, remove, move }, { errors }) => (
          <div data-testid="prog-chain" data-levels={fields.length}>
            <Typography.Text strong>{t('chain.levels')}</Typography.Text>
            {fields.length === 0 && (
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }} data-testid="prog-chain-none">
                {t('chain.none')}
              </Typography.Paragraph>
            )}
            <div style={{ marginTop: 8 }}>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }} wrap data-testid={`prog-chain-level-${i}`}>
                  <Typography.Text type="secondary" style={{ display: 'inline-block', width: 56 }}>
                    {t('chain.levelN', { n: i + 1 })}
                  </Typography.Text>
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ required: true, whitespace: true, message: t('chain.nameRequired') }]}
                    style={{ minWidth: 260 }}
                  >
                    <Input maxLength={REVIEW_LEVEL_NAME_MAX} placeholder={t('chain.levelNamePh')} aria-label={t('chain.levelName')} data-testid={`prog-chain-name-${i}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'scope']} rules={[{ required: true, message: t('err.required') }]}>
                    <Select
                      style={{ width: 200 }}
                      aria-label={t('chain.scope')}
                      options={REVIEW_SCOPES.map((sc) => ({ value: sc, label: sc === 'city' ? t('chain.scope.city') : t('chain.scope.province') }))}
                      data-testid={`prog-chain-scope-${i}`}
                    />
                  </Form.Item>
                  <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} title={t('chain.moveUp')} aria-label={t('chain.moveUp')} data-testid={`prog-chain-up-${i}`} />
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowDownOutlined />}
                    disabled={i === fields.length - 1}
                    onClick={() => move(i, i + 1)}
                    title={t('chain.moveDown')}
                    aria-label={t('chain.moveDown')}
                    data-testid={`prog-chain-down-${i}`}
                  />
                  <Button size="small" type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} title={t('chain.remove')} aria-label={t('chain.remove')} data-testid={`prog-chain-remove-${i}`} />
                </Space>
              ))}
            </div>
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              disabled={fields.length >= REVIEW_LEVELS_MAX}
              onClick={() => add({ name: '', scope: fields.length === 0 ? 'city' : 'province' })}
              data-testid="prog-chain-add"
            >
              {t('chain.addLevel')}
            </Button>
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              {t('chain.scopeHint', { max: REVIEW_LEVELS_MAX })}
            </Typography.Paragraph>
            {program && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('chain.lockedHint')}</Typography.Paragraph>}
            <div data-testid="prog-chain-errors">
              <Form.ErrorList errors={[...errors, ...(chainError ? [chainError] : [])]} />
            </div>
          </div>
        )}
      </Form.List>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} md={12}>
          <Form.Item name={['policy', 'first_milestone_fen']} label={t('chain.firstMilestone')} extra={t('chain.firstMilestoneHint')} rules={money(false)}>
            <Input prefix="¥" inputMode="decimal" placeholder={t('chain.milestoneNone')} data-testid="prog-first-milestone" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          {split && (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 30 }}
              data-testid="prog-milestone-split"
              data-at-issue={split.atIssueFen}
              data-held={split.heldFen}
              message={
                split.heldFen > 0
                  ? t('chain.milestoneSplit', { face: formatFen(parseYuanToFen(faceCap)!, lang), first: formatFen(split.atIssueFen, lang), held: formatFen(split.heldFen, lang) })
                  : t('chain.milestoneWhole', { face: formatFen(parseYuanToFen(faceCap)!, lang) })
              }
            />
          )}
        </Col>
      </Row>
      <Divider orientation="left" plain>{t('prog.section.elig')}</Divider>
      <Form.Item name="eligible_cities" label={t('prog.cities')}>
        <Select mode="multiple" allowClear optionFilterProp="label" options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))} data-testid="prog-cities" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="eligible_sizes" label={t('prog.sizes')}>
            <Select mode="multiple" allowClear options={SIZE_CLASSES.map((s) => ({ value: s, label: tEnum('size', s) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="eligible_industries" label={t('prog.industries')}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: industryLabel(tEnum, s) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="prog-submit">
        {program ? t('common.save') : t('common.create')}
      </Button>
    </Form>
  );
}
