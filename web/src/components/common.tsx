import { Alert, Button, Empty, Result, Space, Tag, Typography } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { noticeState } from '../dates';
import { formatBps, formatDate, formatFen } from '../format';
import { useT } from '../i18n';

/**
 * Codes shown as they are typed (data-field names such as clinic.id, criterion codes, ids): each in
 * a <code>, joined by 、; a dash when there is none.
 */
export function Codes({ codes, testid }: { codes: readonly string[] | null | undefined; testid?: string }) {
  if (!codes?.length) return <>—</>;
  return (
    <span className="mono" data-testid={testid}>
      {codes.map((c, i) => (
        <Fragment key={`${i}-${c}`}>
          {i ? '、' : ''}
          <code>{c}</code>
        </Fragment>
      ))}
    </span>
  );
}

export function Money({ fen, strong, testid }: { fen: number | null | undefined; strong?: boolean; testid?: string }) {
  const { lang } = useT();
  const s = formatFen(fen, lang);
  return (
    <span className="money" data-testid={testid} data-fen={fen ?? undefined} style={{ fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 600 : undefined }}>
      {s}
    </span>
  );
}

export function Pct({ bps }: { bps: number | null | undefined }) {
  const { lang } = useT();
  return <span>{formatBps(bps, lang)}</span>;
}

export function DateText({ d }: { d: string | null | undefined }) {
  const { lang } = useT();
  return <span style={{ whiteSpace: 'nowrap' }}>{formatDate(d, lang)}</span>;
}

export function PageHeader({ title, sub, extra }: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        {/* The page's one h1, at the size of an h3 (the console's headings stay compact). */}
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24, lineHeight: 1.3333 }}>
          {title}
        </Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}

const STATUS_COLORS: Record<string, string> = {
  submitted: 'processing',
  approved: 'gold',
  rejected: 'error',
  revoked: 'default',
  issued: 'success',
  active: 'success',
  expired: 'default',
  held: 'warning',
  payable: 'processing',
  settled: 'success',
  clawed_back: 'error',
  accepted: 'success',
  duplicate: 'warning',
  open: 'processing',
  upcoming: 'default',
  closed: 'default',
};

/** A status as a tag; `colors` overrides the shared colours where a word means another thing (an approved change request is done, not in notice). */
export function StatusTag({ prefix, status, colors }: { prefix: string; status: string | null | undefined; colors?: Record<string, string> }) {
  const { tEnum } = useT();
  if (!status) return <span>—</span>;
  return (
    <Tag color={colors?.[status] ?? STATUS_COLORS[status] ?? 'default'} data-status={status}>
      {tEnum(prefix, status)}
    </Tag>
  );
}

/** A designed error state: translated message, the server's detail, and a retry button. */
export function ErrorState({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t, tErr } = useT();
  const detail = error instanceof ApiError && error.message && error.message !== tErr(error) ? error.message : undefined;
  const retry = onRetry && (
    <Button size="small" onClick={onRetry}>
      {t('common.retry')}
    </Button>
  );
  if (compact) {
    return <Alert type="error" showIcon message={tErr(error)} description={detail} action={retry} data-testid="error-state" />;
  }
  return (
    <Result
      status={error instanceof ApiError && error.status === 403 ? '403' : 'warning'}
      title={t('common.loadFailed')}
      subTitle={
        <>
          {tErr(error)}
          {detail && <div style={{ fontSize: 12, opacity: 0.7 }}>{detail}</div>}
        </>
      }
      extra={retry}
      data-testid="error-state"
    />
  );
}

export function EmptyState({ description }: { description?: ReactNode }) {
  const { t } = useT();
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description ?? t('common.empty')} data-testid="empty-state" />;
}

/** Days left of a notice (its last day included) or "ended", against the platform's today; nothing until that is known. */
export function NoticeTag({ endsOn, today }: { endsOn: string | null | undefined; today: string | null }) {
  const { t } = useT();
  const s = noticeState(endsOn, today);
  if (!s) return null;
  if (s.kind === 'ended') return <Tag data-testid="notice-state" data-state="ended">{t('notice.ended')}</Tag>;
  return (
    <Tag color="gold" data-testid="notice-state" data-state="running" data-days-left={s.daysLeft}>
      {s.daysLeft === 0 ? t('notice.lastDay') : s.daysLeft === 1 ? t('notice.oneDayLeft') : t('notice.daysLeft', { n: s.daysLeft })}
    </Tag>
  );
}
