// 参加遴选: a supplier enters its model products or corpora into the year's selection round of
// their kind, during the call for entries, with the evidence the kind asks for (a model: the
// third-party evaluation report and evidence of deployment; a corpus: its record count, at least
// the round's minimum, and the data resource registration certificate where the round requires
// it). Its entries follow the round; their rank, mean score and outcome are shown once the
// ranking is published.
import { FormOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Form, Input, List, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { InputNumber } from '../../components/InputNumber';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { api, fetchAll } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import { SELECTION_KINDS, type Product, type SelectionEntry, type SelectionKind, type SelectionRound, type Supplier } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, EmptyState, ErrorState, PageHeader } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { formatDateTime, formatNumber } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { callState, entryBody, rankingPublic, type EntryFormValues } from '../common/selection';
import { CriteriaTable, EntryEvidence, OutcomeTag, RoundStatusTag, Score } from '../common/SelectionParts';

interface MyEntry {
  round: SelectionRound;
  entry: SelectionEntry;
}

const isSelectionKind = (k: string | null | undefined): k is SelectionKind => (SELECTION_KINDS as string[]).includes(k ?? '');

export default function SupplierSelection() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const today = useToday();
  const { message } = App.useApp();
  const supplierId = user?.supplier_id ?? null;
  const [entering, setEntering] = useState<SelectionRound | null>(null);

  const data = useAsync(async () => {
    if (!supplierId) return null;
    const [supplier, products, rounds] = await Promise.all([
      api.get<Supplier>(`/suppliers/${encodeURIComponent(supplierId)}`).catch(() => null),
      fetchAll(api, '/products', { supplier_id: supplierId }),
      fetchAll(api, '/selection-rounds'),
    ]);
    // The supplier's own entries, round by round (the server answers no one else's).
    const per = await Promise.all(rounds.map(async (round) => ({ round, entries: await fetchAll(api, `/selection-rounds/${encodeURIComponent(round.id)}/entries`) })));
    const mine: MyEntry[] = per.flatMap(({ round, entries }) => entries.map((entry) => ({ round, entry })));
    return { supplier, products: products.filter((p) => String(p.supplier_id) === String(supplierId)), rounds, mine };
  }, [supplierId]);

  const kinds = useMemo(() => {
    const k = new Set<SelectionKind>();
    for (const p of data.data?.products ?? []) if (isSelectionKind(p.kind)) k.add(p.kind);
    if (isSelectionKind(data.data?.supplier?.kind)) k.add(data.data!.supplier!.kind as SelectionKind);
    return k;
  }, [data.data]);

  if (!supplierId) return <Alert type="warning" showIcon message={t('sup.noBinding')} />;

  const openRounds = (data.data?.rounds ?? []).filter((r) => r.status === 'open' && kinds.has(r.kind as SelectionKind));
  const mine = data.data?.mine ?? [];

  const columns: ColumnsType<MyEntry> = [
    {
      title: t('sr.round'),
      key: 'round',
      render: (_, x) => (
        <Space direction="vertical" size={0}>
          <span>{x.round.name}</span>
          <RoundStatusTag status={x.round.status} />
        </Space>
      ),
    },
    { title: t('sr.product'), key: 'product', render: (_, x) => <strong data-testid="my-entry-product">{x.entry.product_name}</strong> },
    { title: t('sr.enteredAt'), key: 'entered_at', render: (_, x) => formatDateTime(x.entry.entered_at, lang) },
    { title: t('sr.evidence'), key: 'evidence', render: (_, x) => <EntryEvidence entry={x.entry} kind={x.round.kind} compact /> },
    {
      title: t('sr.rank'),
      key: 'rank',
      align: 'right',
      render: (_, x) => (rankingPublic(x.round.status) ? <strong data-testid="my-entry-rank">{x.entry.rank ?? '—'}</strong> : '—'),
    },
    {
      title: t('sr.mean'),
      key: 'mean',
      align: 'right',
      render: (_, x) => (rankingPublic(x.round.status) ? <Score hundredths={x.entry.mean_score} strong testid="my-entry-mean" /> : '—'),
    },
    {
      title: t('sr.outcome'),
      key: 'outcome',
      render: (_, x) =>
        rankingPublic(x.round.status) ? (
          <span data-testid="my-entry-outcome">
            <OutcomeTag outcome={x.entry.outcome} reason={x.entry.exclusion_reason} />
          </span>
        ) : (
          <Tooltip title={t('sr.outcomeLater')}>
            <Tag data-testid="my-entry-pending">{x.round.status === 'open' ? t('sr.underReview') : t('sr.awaitingPublication')}</Tag>
          </Tooltip>
        ),
    },
  ];

  return (
    <div data-testid="page-sup-selection">
      <PageHeader title={t('sr.supTitle')} sub={t('sr.supSub')} />
      {data.error ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      <Card title={t('sr.openRounds')} style={{ marginBottom: 16 }} loading={data.loading && !data.data} data-testid="open-rounds">
        {openRounds.length === 0 ? (
          <EmptyState description={kinds.size === 0 ? t('sr.noKinds') : t('sr.noOpenRounds')} />
        ) : (
          <List
            dataSource={openRounds}
            renderItem={(r) => {
              const s = callState(r, today);
              const entered = mine.filter((x) => x.round.id === r.id).length;
              return (
                <List.Item
                  data-testid="open-round"
                  data-round-id={r.id}
                  actions={[
                    <Button
                      key="enter"
                      type="primary"
                      icon={<FormOutlined />}
                      disabled={s !== 'open'}
                      onClick={() => setEntering(r)}
                      data-testid={`round-enter-${r.id}`}
                    >
                      {t('sr.enter')}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <strong>{r.name}</strong>
                        <Tag color="blue">{tEnum('pk', r.kind)}</Tag>
                        {s && <Tag color={s === 'open' ? 'success' : 'default'}>{t(`sr.call.${s}`)}</Tag>}
                        {entered > 0 && <Tag color="processing">{t('sr.enteredCount', { n: entered })}</Tag>}
                      </Space>
                    }
                    description={
                      <Space direction="vertical" size={0}>
                        <span>
                          {t('sr.callWindow')}：<DateText d={r.call_from} /> ~ <DateText d={r.call_until} /> · {t('sr.cap')} {r.cap} · {t('sr.passMark')} {r.pass_mark}
                        </span>
                        <span>{r.kind === 'model' ? t('sr.needsModel') : r.registration_required ? t('sr.needsCorpusReg', { n: formatNumber(r.min_records, lang, 0) }) : t('sr.needsCorpus', { n: formatNumber(r.min_records, lang, 0) })}</span>
                        <span>
                          {t('sr.criteria')}：{r.criteria.map((c) => `${c.name} ${c.weight}%`).join('、')}
                        </span>
                      </Space>
                    }
                  />
                </List.Item>
              );
            }}
          />
        )}
      </Card>
      <Card title={t('sr.myEntries')}>
        <div data-testid="table-my-entries">
          <Table<MyEntry>
            rowKey={(x) => x.entry.id}
            size="middle"
            loading={data.loading}
            columns={columns}
            dataSource={mine}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
            locale={{ emptyText: data.loading ? <div style={{ height: 80 }} /> : <EmptyState description={t('sr.noMyEntries')} /> }}
            scroll={{ x: 'max-content' }}
            expandable={{ fixed: 'left', expandedRowRender: (x) => <EntryEvidence entry={x.entry} kind={x.round.kind} /> }}
          />
        </div>
      </Card>
      <Drawer
        open={!!entering}
        onClose={() => setEntering(null)}
        width={Math.min(680, typeof window === 'undefined' ? 680 : window.innerWidth)}
        title={entering ? `${t('sr.enter')} · ${entering.name}` : ''}
        destroyOnClose
        data-testid="entry-drawer"
      >
        {entering && (
          <EntryForm
            key={entering.id}
            round={entering}
            products={(data.data?.products ?? []).filter((p) => p.kind === entering.kind)}
            entered={new Set(mine.filter((x) => x.round.id === entering.id).map((x) => String(x.entry.product_id)))}
            onSaved={(e) => {
              message.success(t('sr.entered', { product: e.product_name }));
              setEntering(null);
              data.reload();
            }}
          />
        )}
      </Drawer>
    </div>
  );
}

const FIELDS = ['product_id', 'evaluation_report', 'deployment_evidence', 'record_count', 'registration_ref', 'summary'];

/** The entry of one product with the evidence the round's kind asks for. */
function EntryForm({ round, products, entered, onSaved }: { round: SelectionRound; products: Product[]; entered: Set<string>; onSaved: (e: SelectionEntry) => void }) {
  const { t, tErr, lang } = useT();
  const [form] = Form.useForm<EntryFormValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const req = [{ required: true, whitespace: true, message: t('err.required') }];
  const model = round.kind === 'model';

  const onFinish = async (v: EntryFormValues) => {
    setBusy(true);
    setFormError(null);
    try {
      onSaved(await submission.post<SelectionEntry>(`/selection-rounds/${encodeURIComponent(round.id)}/entries`, entryBody(round.kind, v)));
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('sr.callWindow')}>
          <DateText d={round.call_from} /> ~ <DateText d={round.call_until} />
        </Descriptions.Item>
        <Descriptions.Item label={t('sr.requirements')}>
          {model ? t('sr.needsModel') : round.registration_required ? t('sr.needsCorpusReg', { n: formatNumber(round.min_records, lang, 0) }) : t('sr.needsCorpus', { n: formatNumber(round.min_records, lang, 0) })}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('sr.criteriaFor')}</Typography.Paragraph>
      <div style={{ marginBottom: 16 }}>
        <CriteriaTable criteria={round.criteria} testid="entry-criteria" />
      </div>
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="entry-error" /> : null}
      <Form form={form} layout="vertical" onFinish={onFinish} data-testid="entry-form">
        <Form.Item name="product_id" label={t('sr.product')} rules={[{ required: true, message: t('err.required') }]} extra={products.length === 0 ? t('sr.noProductsOfKind') : undefined}>
          <Select
            showSearch
            optionFilterProp="label"
            options={products.map((p) => ({
              value: String(p.id),
              label: p.name,
              disabled: p.suspended || entered.has(String(p.id)),
              title: p.suspended ? t('err.product_suspended') : entered.has(String(p.id)) ? t('err.duplicate_entry') : undefined,
            }))}
            data-testid="entry-product"
          />
        </Form.Item>
        {model ? (
          <>
            <Form.Item name="evaluation_report" label={t('sr.evaluationReport')} rules={req} extra={t('sr.evaluationReportHint')}>
              <Input maxLength={500} placeholder={t('sr.evaluationReportPh')} data-testid="entry-evaluation-report" />
            </Form.Item>
            <Form.Item name="deployment_evidence" label={t('sr.deployment')} rules={req} extra={t('sr.deploymentHint')}>
              <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('sr.deploymentPh')} data-testid="entry-deployment" />
            </Form.Item>
          </>
        ) : (
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="record_count"
                label={t('sr.recordCount')}
                rules={[
                  { required: true, message: t('err.required') },
                  {
                    validator: (_, v: number | null | undefined) =>
                      v === null || v === undefined || v >= round.min_records
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('sr.tooFewRecords', { n: formatNumber(round.min_records, lang, 0) }))),
                  },
                ]}
              >
                <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="entry-record-count" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="registration_ref"
                label={t('sr.registrationRef')}
                rules={round.registration_required ? req : []}
                extra={round.registration_required ? t('sr.registrationRefRequired') : t('sr.registrationRefOptional')}
              >
                <Input maxLength={200} placeholder={t('sr.registrationRefPh')} data-testid="entry-registration-ref" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Form.Item name="summary" label={t('sr.summary')}>
          <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('sr.summaryPh')} data-testid="entry-summary" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="entry-submit">
          {t('sr.submitEntry')}
        </Button>
      </Form>
    </>
  );
}
