import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Progress, Row, Segmented, Space, Statistic, Table, Typography, Upload } from 'antd';
import { Fragment, useMemo, useRef, useState } from 'react';
import { api, isApiError } from '../../api/client';
import { createSubmissionKey, type SubmissionKey } from '../../api/submission';
import { USAGE_REASONS, type UsageBatchResult, type UsageInput, type UsageResult } from '../../api/types';
import { useAuth } from '../../auth';
import { Money, PageHeader, StatusTag } from '../../components/common';
import { normalizeArray, useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { liveKey, type UsageKey } from './usageKey';
import { SignedUsageNotice } from './UsageKeyParts';
import { parseUsageFile, USAGE_CSV_HEADER, USAGE_UNIT_BASES, type ParseError, type ParseResult } from './usageFile';

// Batches of 1,000 records: well under the server's 10,000 limit, and small enough that the
// progress bar moves. Each batch is a submission with its own idempotency key, kept when the same
// batch is sent again after a failure (a 503 or a lost answer) and fresh once it went through or
// its records differ; the server also de-duplicates by supplier + record_id.
const BATCH = 1000;

/**
 * Refusals of a whole batch for its signature (quan_domain::usage_signature): every later batch of
 * the file would be refused the same way, so the upload stops at the first.
 */
const SIGNATURE_CODES = ['signature_missing', 'signature_invalid', 'signature_malformed', 'signature_key_retired', 'signature_key_unknown'];

/** A row of the result table: the server's answer, or a line the browser could not read. */
type Row = UsageResult & { line?: number };

/** Column names of the file format, set as code (what they are, and what the zh walk of e2e/run.mjs leaves alone). */
const FORMAT_CODES = new Map([['header', USAGE_CSV_HEADER], ['gpu', 'gpu_seconds'], ['qty', 'quantity'], ['voucher', 'voucher_id']]);

/** `text` with each `{name}` of FORMAT_CODES shown as code. */
function withCodes(text: string) {
  return text.split(/\{(\w+)\}/).map((part, i) =>
    i % 2 && FORMAT_CODES.has(part) ? (
      <code key={i} className="mono break-all">{FORMAT_CODES.get(part)}</code>
    ) : (
      <Fragment key={i}>{i % 2 ? `{${part}}` : part}</Fragment>
    ),
  );
}

export default function UsageUpload() {
  const { t, tErr, tEnum } = useT();
  const [file, setFile] = useState<{ name: string; parsed: ParseResult } | null>(null);
  const [results, setResults] = useState<Row[]>([]);
  const [summaries, setSummaries] = useState<string[]>([]);
  const [sent, setSent] = useState(0);
  const [busy, setBusy] = useState(false);
  const [batchErrors, setBatchErrors] = useState<string[]>([]);
  const [filter, setFilter] = useState<string>('all');
  const batchKeys = useRef<SubmissionKey[]>([]);
  // A supplier with a live usage key signs every batch, which the browser cannot: the page says so
  // and does not send. Should the keys not load (an older server), the server stays the judge and
  // a refusal reads as signature_missing's text.
  const { user } = useAuth();
  const sid = user?.supplier_id;
  const keys = useAsync(
    (s) => (sid ? api.get<UsageKey[]>(`/suppliers/${encodeURIComponent(sid)}/usage-keys`, undefined, s).then(normalizeArray<UsageKey>).catch(() => [] as UsageKey[]) : Promise.resolve([] as UsageKey[])),
    [sid],
  );
  const live = liveKey(keys.data);

  /** A line the browser could not read, in the reader's language (ParseError.msg is the CLI's English). */
  const parseErrorText = (e: ParseError) => {
    const p = e.problem;
    switch (p.kind) {
      case 'notJson':
        return t('upload.perr.notJson', { detail: p.detail });
      case 'missingColumn':
      case 'missingField':
        return t(`upload.perr.${p.kind}` as const, { fields: [...p.fields, ...(p.measure ? [t('upload.perr.measure')] : [])].join(t('upload.perr.sep')) });
      case 'notWhole':
        return t('upload.perr.notWhole', { field: p.field, value: p.value });
      default:
        return t(`upload.perr.${p.kind}` as const);
    }
  };
  // What `quantity` counts, per billing unit: "GPU-hour, card-hour, CPU core-hour in seconds; …".
  const unitBases = USAGE_UNIT_BASES.map((b) =>
    t('upload.unitBase', { units: b.units.map((u) => tEnum('unit', u)).join(t('upload.unitSep')), base: t(`upload.base.${b.base}` as const) }),
  ).join(t('upload.baseSep'));

  const total = file?.parsed.records.length ?? 0;
  const counts = useMemo(() => {
    const c = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const r of results) if (r.status in c) c[r.status as keyof typeof c]++;
    return c;
  }, [results]);

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setSent(0);
    setBatchErrors([]);
    setSummaries([]);
    // Lines that could not be read are reported first, as the CLI does.
    setResults(file.parsed.errors.map((e) => ({ record_id: e.record_id, status: 'rejected', reason: 'invalid_record', message: parseErrorText(e), line: e.line })));
    const recs: UsageInput[] = file.parsed.records;
    for (let i = 0; i < recs.length; i += BATCH) {
      const batch = recs.slice(i, i + BATCH);
      const n = i / BATCH;
      const submission = (batchKeys.current[n] ??= createSubmissionKey());
      try {
        const r = await submission.post<UsageBatchResult>('/usage', batch);
        setResults((prev) => [...prev, ...r.results]);
        setSummaries((prev) => [...prev, t('upload.batchSummary', { id: r.batch_id, a: r.accepted, d: r.duplicates, r: r.rejected })]);
      } catch (e) {
        setBatchErrors((prev) => [...prev, t('upload.batchFailed', { n: n + 1, msg: tErr(e) })]);
        setResults((prev) => [...prev, ...batch.map((b) => ({ record_id: b.record_id, status: 'rejected' as const, message: tErr(e) }))]);
        if (isApiError(e) && SIGNATURE_CODES.includes(e.code)) {
          if (i + BATCH < recs.length) setBatchErrors((prev) => [...prev, t('upload.signatureStopped')]);
          keys.reload();
          setSent(Math.min(i + BATCH, recs.length));
          break;
        }
      }
      setSent(Math.min(i + BATCH, recs.length));
    }
    setBusy(false);
  };

  const shown = filter === 'all' ? results : results.filter((r) => r.status === filter);

  return (
    <div data-testid="page-sup-usage">
      <PageHeader title={t('upload.title')} sub={t('upload.sub')} />
      {live ? <SignedUsageNotice live={live} /> : null}
      <Card>
        <Upload.Dragger
          disabled={!!live}
          accept=".csv,.ndjson,.jsonl,.json,text/csv"
          multiple={false}
          showUploadList={false}
          beforeUpload={async (f) => {
            const text = await f.text();
            setFile({ name: f.name, parsed: parseUsageFile(text, f.name) });
            setResults([]);
            setSummaries([]);
            setSent(0);
            setBatchErrors([]);
            return false;
          }}
          data-testid="usage-file"
        >
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">{t('upload.drop')}</p>
          <div data-testid="upload-format">
            <p className="ant-upload-hint">{withCodes(t('upload.format'))}</p>
            <p className="ant-upload-hint" data-testid="upload-format-gpu">{withCodes(t('upload.formatGpu'))}</p>
            <p className="ant-upload-hint" data-testid="upload-format-quantity">{withCodes(t('upload.formatQty', { bases: unitBases }))}</p>
          </div>
        </Upload.Dragger>
        {file && (
          <Space direction="vertical" style={{ width: '100%', marginTop: 16 }}>
            <Typography.Text>
              <strong>{file.name}</strong> · {t('upload.parsed', { n: total })}
            </Typography.Text>
            {file.parsed.errors.slice(0, 5).map((e) => (
              <Alert key={e.line} type="warning" showIcon message={t('upload.parseError', { line: e.line, msg: parseErrorText(e) })} />
            ))}
            {total === 0 ? (
              <Alert type="info" showIcon message={t('upload.empty')} />
            ) : (
              <Button type="primary" onClick={send} loading={busy} disabled={!!live} data-testid="usage-send">{t('upload.send')}</Button>
            )}
            {(busy || sent > 0) && (
              <div>
                <Typography.Text type="secondary">{t('upload.progress')}</Typography.Text>
                <Progress percent={total ? Math.round((sent / total) * 100) : 0} status={busy ? 'active' : batchErrors.length ? 'exception' : 'success'} data-testid="usage-progress" />
              </div>
            )}
            {batchErrors.map((m) => <Alert key={m} type="error" showIcon message={m} />)}
            {summaries.map((m) => <Typography.Text key={m} type="secondary" data-testid="usage-batch-summary">{m}</Typography.Text>)}
          </Space>
        )}
      </Card>
      {results.length > 0 && (
        <Card style={{ marginTop: 16 }}>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={8}><Statistic title={t('upload.accepted')} value={counts.accepted} valueStyle={{ color: '#389e0d' }} /></Col>
            <Col span={8}><Statistic title={t('upload.duplicate')} value={counts.duplicate} valueStyle={{ color: '#d48806' }} /></Col>
            <Col span={8}><Statistic title={t('upload.rejected')} value={counts.rejected} valueStyle={{ color: '#cf1322' }} /></Col>
          </Row>
          <Segmented
            value={filter}
            onChange={(v) => setFilter(String(v))}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'accepted', label: t('upload.accepted') },
              { value: 'duplicate', label: t('upload.duplicate') },
              { value: 'rejected', label: t('upload.rejected') },
            ]}
            style={{ marginBottom: 12 }}
            aria-label={t('a11y.filterOutcome')}
          />
          <div data-testid="table-usage-results">
            <Table<Row>
              size="small"
              rowKey={(r, i) => `${r.record_id}-${i}`}
              dataSource={shown}
              pagination={{ pageSize: 50, showTotal: (n) => t('common.total', { n }) }}
              columns={[
                { title: t('upload.recordId'), dataIndex: 'record_id', render: (v: string) => <span className="mono">{v}</span> },
                { title: t('upload.result'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="upload" status={v} /> },
                { title: t('upload.amount'), dataIndex: 'amount_fen', align: 'right', render: (v?: number) => (v == null ? '—' : <Money fen={v} />) },
                { title: t('upload.subsidy'), dataIndex: 'subsidy_fen', align: 'right', render: (v?: number) => (v == null ? '—' : <Money fen={v} />) },
                { title: t('upload.voucher'), dataIndex: 'voucher_id', render: (v?: string) => (v ? <span className="mono">{v}</span> : '—') },
                {
                  title: t('upload.reason'),
                  render: (_, r) => {
                    const where = r.line ? `${t('upload.line', { line: r.line })} · ` : '';
                    if (!r.reason) return r.message ? where + r.message : '';
                    const known = (USAGE_REASONS as readonly string[]).includes(r.reason);
                    // The translated reason first; the server's message adds the detail (which field, which value).
                    return (
                      <span title={r.message ?? undefined}>
                        {where}
                        {known ? tEnum('usageReason', r.reason) : r.reason}
                        {r.message && <Typography.Text type="secondary"> — {r.message}</Typography.Text>}
                      </span>
                    );
                  },
                },
              ]}
            />
          </div>
        </Card>
      )}
    </div>
  );
}
