// Shared parts of the registration pages: status and standing tags, the three rights, a
// registration's content, history and objections, and the drawer that loads one.
import { App, Button, Descriptions, Drawer, Empty, Skeleton, Table, Tag, Timeline, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client';
import type { DataRegistration, RegistrationObjection, RightHolderInput, Standing } from '../../api/types';
import { DateText, ErrorState } from '../../components/common';
import { formatDateTime, formatNumber } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { ReasonModal } from './ReasonModal';
import { paren, REG_STATUS_COLORS, RIGHTS, STANDING_COLORS } from './registration';

export function RegStatusTag({ status }: { status: string | null | undefined }) {
  const { tEnum } = useT();
  if (!status) return <span>—</span>;
  return (
    <Tag color={REG_STATUS_COLORS[status as keyof typeof REG_STATUS_COLORS] ?? 'default'} data-status={status}>
      {tEnum('regst', status)}
    </Tag>
  );
}

export function StandingTag({ standing }: { standing: Standing | null | undefined }) {
  const { tEnum } = useT();
  if (!standing) return <span>—</span>;
  return (
    <Tag color={STANDING_COLORS[standing] ?? 'default'} data-standing={standing} data-testid="standing-tag">
      {tEnum('standing', standing)}
    </Tag>
  );
}

export function HolderText({ h }: { h: RightHolderInput }) {
  const { tEnum, lang } = useT();
  return (
    <span>
      {h.name}
      <Typography.Text type="secondary">{paren(lang, `${tEnum('holder', h.party_kind)}${h.party_id ? ` · ${h.party_id}` : ''}`)}</Typography.Text>
    </span>
  );
}

export function RightsDescriptions({ rights, column = 1 }: { rights: Record<(typeof RIGHTS)[number], RightHolderInput>; column?: number }) {
  const { tEnum } = useT();
  return (
    <Descriptions size="small" bordered column={column} data-testid="rights">
      {RIGHTS.map((r) => (
        <Descriptions.Item key={r} label={tEnum('right', r)}>
          <HolderText h={rights[r]} />
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

/** A registration's content, history and objections (the holder's and the reviewers' detail). */
export function RegistrationDetail({ r, objectionActions }: { r: DataRegistration; objectionActions?: (o: RegistrationObjection) => ReactNode }) {
  const { t, tEnum, lang } = useT();
  const c = r.content;
  return (
    <div data-testid="registration-detail">
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('dr.code')}>{r.code ? <span className="mono">{r.code}</span> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <RegStatusTag status={r.status} /> <StandingTag standing={r.standing} />
        </Descriptions.Item>
        <Descriptions.Item label={t('dr.kind')}>{tEnum('regkind', r.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('dr.originalCode')}>{r.original_code ? <span className="mono">{r.original_code}</span> : '—'}</Descriptions.Item>
        {r.reason ? <Descriptions.Item label={t('dr.reason')} span={2}>{r.reason}</Descriptions.Item> : null}
        {r.last_reason ? (
          <Descriptions.Item label={t('dr.lastReason')} span={2}>
            <Typography.Text type="danger" data-testid="last-reason">{r.last_reason}</Typography.Text>
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('dr.resourceName')} span={2}><strong>{c.resource_name}</strong></Descriptions.Item>
        <Descriptions.Item label={t('dr.description')} span={2}>{c.description}</Descriptions.Item>
        <Descriptions.Item label={t('dr.category')}>{c.category}</Descriptions.Item>
        <Descriptions.Item label={t('dr.grade')}>{tEnum('grade', c.grade)}</Descriptions.Item>
        <Descriptions.Item label={t('dr.source')}>{c.source}</Descriptions.Item>
        <Descriptions.Item label={t('dr.updateCycle')}>{tEnum('cycle', c.update_cycle)}</Descriptions.Item>
        <Descriptions.Item label={t('dr.recordCount')}>{formatNumber(c.record_count, lang, 0)}</Descriptions.Item>
        <Descriptions.Item label={t('dr.sizeBytes')}>{formatNumber(c.size_bytes, lang, 0)}</Descriptions.Item>
        <Descriptions.Item label={t('dr.format')}>{c.format}</Descriptions.Item>
        <Descriptions.Item label={t('dr.noticeEnds')}><DateText d={r.notice_ends} /></Descriptions.Item>
        <Descriptions.Item label={t('dr.securityMeasures')} span={2}>{c.security_measures}</Descriptions.Item>
        <Descriptions.Item label={t('dr.usagePermissions')} span={2}>{c.usage_permissions}</Descriptions.Item>
        <Descriptions.Item label={t('dr.validPeriod')} span={2}>
          {r.valid_from ? (
            <>
              <DateText d={r.valid_from} /> ~ <DateText d={r.valid_until} />
            </>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        {r.successor_code ? <Descriptions.Item label={t('dr.successor')} span={2}><span className="mono">{r.successor_code}</span></Descriptions.Item> : null}
        {r.certificate_digest ? <Descriptions.Item label={t('dr.digest')} span={2}><span className="mono" style={{ wordBreak: 'break-all' }}>{r.certificate_digest}</span></Descriptions.Item> : null}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('dr.rights')}</Typography.Title>
      <RightsDescriptions rights={c.rights} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('dr.history')}</Typography.Title>
      {r.events.length ? (
        <Timeline
          data-testid="registration-events"
          items={r.events.map((e) => ({
            children: (
              <div>
                <strong>{tEnum('regstep', e.step)}</strong> → <RegStatusTag status={e.status} />
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{formatDateTime(e.at, lang)} · {e.actor}</Typography.Text>
                {e.reason ? <div>{e.reason}</div> : null}
              </div>
            ),
          }))}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('dr.objections')}</Typography.Title>
      <Table<RegistrationObjection>
        size="small"
        rowKey="id"
        pagination={false}
        data-testid="registration-objections"
        dataSource={r.objections}
        columns={[
          { title: t('dr.objReason'), dataIndex: 'reason' },
          { title: t('dr.objFiledAt'), dataIndex: 'filed_at', render: (v: string) => formatDateTime(v, lang) },
          { title: t('common.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'open' ? 'processing' : v === 'upheld' ? 'error' : 'default'}>{tEnum('regobj', v)}</Tag> },
          { title: t('dr.objResolution'), dataIndex: 'resolution', render: (v: string | null) => v ?? '—' },
          ...(objectionActions ? [{ title: t('common.actions'), key: 'a', render: (_: unknown, o: RegistrationObjection) => objectionActions(o) }] : []),
        ]}
      />
    </div>
  );
}

/** A drawer that loads one registration; `children` renders the actions below its detail. */
export function RegistrationDrawer({
  id,
  reloadKey = 0,
  onClose,
  extra,
  objectionActions,
}: {
  id: string | null;
  reloadKey?: number;
  onClose: () => void;
  extra?: (r: DataRegistration, reload: () => void) => ReactNode;
  objectionActions?: (o: RegistrationObjection, r: DataRegistration, reload: () => void) => ReactNode;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [objecting, setObjecting] = useState(false);
  const d = useAsync((s) => (id ? api.get<DataRegistration>(`/data-registrations/${encodeURIComponent(id)}`, undefined, s) : Promise.resolve(null)), [id, reloadKey]);
  const r = d.data;
  return (
    <Drawer open={id != null} onClose={onClose} width={Math.min(820, typeof window === 'undefined' ? 820 : window.innerWidth)} title={r ? r.content.resource_name : t('dr.detail')} destroyOnClose data-testid="registration-drawer">
      {d.error ? (
        <ErrorState error={d.error} onRetry={d.reload} />
      ) : !r ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <>
          {extra?.(r, d.reload)}
          <RegistrationDetail r={r} objectionActions={objectionActions ? (o) => objectionActions(o, r, d.reload) : undefined} />
          {r.status === 'in_notice' && (
            // Anyone signed in may object while the public notice runs.
            <Button style={{ marginTop: 12 }} onClick={() => setObjecting(true)} data-testid="reg-object">
              {t('dr.object')}
            </Button>
          )}
          {objecting && (
            <ReasonModal
              open
              title={t('dr.object')}
              path={`/data-registrations/${encodeURIComponent(r.id)}/objections`}
              label={t('dr.objReason')}
              hint={t('dr.objectHint', { date: r.notice_ends ?? '—' })}
              onClose={() => setObjecting(false)}
              onDone={() => {
                message.success(t('dr.objected'));
                setObjecting(false);
                d.reload();
              }}
              testid="reg-object"
            />
          )}
        </>
      )}
    </Drawer>
  );
}
