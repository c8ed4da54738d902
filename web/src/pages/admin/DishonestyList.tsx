// 失信名单: the dishonesty list. Administrators add entries (a party, why, on what authority, from
// and until when) and lift them with a reason; reviewers and auditors read it. Every money path of
// the server refuses a party whose entry is in force on the platform's today.
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Radio, Segmented, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useSubmissionKey } from '../../api/submission';
import { PARTY_KINDS, type DishonestyEntry, type PartyKind, type ReasonInput } from '../../api/types';
import { useAuth } from '../../auth';
import { useToday } from '../../clock';
import { DateText, PageHeader } from '../../components/common';
import { DatePicker } from '../../components/DatePicker';
import { applyServerFieldError } from '../../components/formErrors';
import { PartySelect } from '../../components/PartySelect';
import { useListState } from '../../components/useListState';
import { ServerTable } from '../../components/ServerTable';
import { reasonBody, useReasonSubmit } from '../../components/useReasonSubmit';
import { UserName } from '../../components/UserName';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { dishonestyBody, entryState, inForceParam, mayLift, untilBeforeFrom, type EntryState, type InForceFilter } from './integrity';

const STATE_COLORS: Record<EntryState, string> = { in_force: 'error', lifted: 'default', expired: 'default', upcoming: 'warning', inactive: 'default' };

export default function DishonestyList() {
  const { t, tEnum } = useT();
  const { user } = useAuth();
  const today = useToday();
  const canEdit = user?.role === 'admin';
  const list = useListState({ defaults: { in_force: 'all' } });
  const inForce = (list.get('in_force') ?? 'all') as InForceFilter;
  const setInForce = (v: InForceFilter) => list.setFilter('in_force', v);
  const kind = list.get('party_kind') as PartyKind | undefined;
  const setKind = (v: PartyKind | null | undefined) => list.setFilter('party_kind', v);
  const partyId = list.get('party_id');
  const setPartyId = (v: string | undefined) => list.setFilter('party_id', v);
  const [partyDraft, setPartyDraft] = useState(partyId ?? '');
  const [adding, setAdding] = useState(false);
  const [lifting, setLifting] = useState<DishonestyEntry | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey((k) => k + 1);

  const columns: ColumnsType<DishonestyEntry> = [
    {
      title: t('dis.party'),
      dataIndex: 'party_id',
      key: 'party_id',
      sorter: true,
      render: (_: string, r) => (
        <Space direction="vertical" size={0}>
          <Space size={4}>
            <Tag color={r.party_kind === 'supplier' ? 'purple' : 'blue'}>{tEnum('party', r.party_kind)}</Tag>
            <strong data-testid="dis-party-name">{r.party_name ?? r.party_id}</strong>
          </Space>
          <Typography.Text type="secondary" className="mono">{r.party_id}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('common.status'),
      key: 'state',
      render: (_: unknown, r) => {
        const s = entryState(r, today);
        return (
          <Tag color={STATE_COLORS[s]} data-testid="dis-state" data-state={s}>
            {t(`dis.state.${s}`)}
          </Tag>
        );
      },
    },
    {
      title: t('dis.period'),
      dataIndex: 'listed_from',
      key: 'listed_from',
      sorter: true,
      render: (_: string, r) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <DateText d={r.listed_from} /> ~ {r.listed_until ? <DateText d={r.listed_until} /> : t('dis.openEnded')}
        </span>
      ),
    },
    // The reason with its authority below it; who listed it and when are in the expanded row.
    {
      title: `${t('dis.reason')} / ${t('dis.source')}`,
      dataIndex: 'reason',
      render: (v: string, r) => (
        <div style={{ maxWidth: 300 }}>
          <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 2, tooltip: v }}>
            {v}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 300 }} ellipsis={{ tooltip: r.source }} data-testid="dis-source-text">
            {r.source}
          </Typography.Text>
        </div>
      ),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: DishonestyEntry) =>
              mayLift(r) ? (
                <Button size="small" type="link" danger icon={<StopOutlined />} onClick={() => setLifting(r)} data-testid={`dis-lift-${r.id}`}>
                  {t('dis.lift')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-admin-dishonesty">
      <PageHeader
        title={t('dis.title')}
        sub={t('dis.sub')}
        extra={
          canEdit ? (
            <Button type="primary" danger icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="dis-new">
              {t('dis.new')}
            </Button>
          ) : (
            <Tag data-testid="read-only">{t('dis.readOnly')}</Tag>
          )
        }
      />
      <Card>
        <Space className="filters" wrap>
          <Segmented<InForceFilter>
            value={inForce}
            onChange={setInForce}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'in_force', label: t('dis.filter.inForce') },
              { value: 'not_in_force', label: t('dis.filter.notInForce') },
            ]}
            aria-label={t('a11y.filterInForce')}
            data-testid="dis-filter-in-force"
          />
          <Select
            allowClear
            placeholder={t('dis.partyKind')}
            style={{ width: 140 }}
            value={kind}
            onChange={setKind}
            options={PARTY_KINDS.map((k) => ({ value: k, label: tEnum('party', k) }))}
            data-testid="dis-filter-kind"
          />
          <Input.Search
            allowClear
            placeholder={t('dis.filterParty')}
            style={{ width: 260 }}
            value={partyDraft}
            onChange={(e) => {
              setPartyDraft(e.target.value);
              if (!e.target.value) setPartyId(undefined);
            }}
            onSearch={(v) => setPartyId(v.trim() || undefined)}
            enterButton
            data-testid="dis-filter-party"
          />
        </Space>
        <ServerTable
          testid="table-dishonesty"
          path="/dishonesty-list"
          query={{ in_force: inForceParam(inForce), party_kind: kind, party_id: partyId }}
          columns={columns}
          reloadKey={reloadKey}
          emptyText={inForce !== 'all' || kind || partyId ? t('common.noMatch') : undefined}
          tableProps={{
            expandable: {
              expandedRowRender: (r) => <EntryDetail entry={r} />,
            },
          }}
        />
      </Card>
      {canEdit && (
        <AddEntryDrawer
          open={adding}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            reload();
          }}
        />
      )}
      {canEdit && (
        <LiftModal
          entry={lifting}
          onClose={() => setLifting(null)}
          onLifted={() => {
            setLifting(null);
            reload();
          }}
          onStale={reload}
        />
      )}
    </div>
  );
}

function EntryDetail({ entry }: { entry: DishonestyEntry }) {
  const { t, lang } = useT();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} data-testid="dis-detail">
      <Descriptions.Item label={t('dis.reason')} span={2}>
        <span style={{ whiteSpace: 'pre-wrap' }}>{entry.reason}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('dis.source')} span={2}>{entry.source}</Descriptions.Item>
      <Descriptions.Item label={t('dis.listedBy')}>
        <UserName id={entry.listed_by} />
      </Descriptions.Item>
      <Descriptions.Item label={t('dis.listedAt')}>{formatDateTime(entry.created_at, lang)}</Descriptions.Item>
      {entry.lifted_at && (
        <>
          <Descriptions.Item label={t('dis.liftedBy')}>
            <UserName id={entry.lifted_by} />
          </Descriptions.Item>
          <Descriptions.Item label={t('dis.liftedAt')}>{formatDateTime(entry.lifted_at, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('dis.liftReason')} span={2}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{entry.lift_reason ?? '—'}</span>
          </Descriptions.Item>
        </>
      )}
    </Descriptions>
  );
}

interface AddValues {
  party_kind: PartyKind;
  party_id: string;
  reason: string;
  source: string;
  listed_from?: Dayjs | null;
  listed_until?: Dayjs | null;
}
const ADD_FIELDS = ['party_kind', 'party_id', 'reason', 'source', 'listed_from', 'listed_until'];
const ymd = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);

function AddEntryDrawer({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: () => void }) {
  const { t, tErr, tEnum } = useT();
  const { message } = App.useApp();
  const today = useToday();
  const [form] = Form.useForm<AddValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const kind = Form.useWatch('party_kind', form) ?? 'enterprise';
  // The first day defaults to the platform's today once that is known, unless one was picked.
  useEffect(() => {
    if (open && today && !form.isFieldTouched('listed_from') && !form.getFieldValue('listed_from')) form.setFieldsValue({ listed_from: dayjs(today) });
  }, [open, today, form]);

  const onFinish = async (v: AddValues) => {
    setBusy(true);
    setFormError(null);
    try {
      const body = dishonestyBody({ ...v, listed_from: ymd(v.listed_from), listed_until: ymd(v.listed_until) });
      await submission.post<DishonestyEntry>('/dishonesty-list', body);
      message.success(t('dis.created'));
      form.resetFields();
      onAdded();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), ADD_FIELDS)) setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={open} onClose={onClose} title={t('dis.new')} width={520} destroyOnHidden data-testid="dis-drawer">
      {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="dis-error" /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ party_kind: 'enterprise' }}
        onValuesChange={(changed: Partial<AddValues>) => {
          if ('party_kind' in changed) form.setFieldsValue({ party_id: undefined });
        }}
        data-testid="dis-form"
      >
        <Form.Item name="party_kind" label={t('dis.partyKind')} rules={[{ required: true, message: t('err.required') }]}>
          <Radio.Group optionType="button" options={PARTY_KINDS.map((k) => ({ value: k, label: tEnum('party', k) }))} data-testid="dis-kind" />
        </Form.Item>
        <Form.Item name="party_id" label={t('dis.party')} rules={[{ required: true, message: t('err.required') }]}>
          <PartySelect kind={kind} placeholder={kind === 'enterprise' ? t('dis.partyPick') : t('dis.partyPickSupplier')} testid="dis-party" />
        </Form.Item>
        <Form.Item name="reason" label={t('dis.reason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('dis.reasonPh')} data-testid="dis-reason" />
        </Form.Item>
        <Form.Item name="source" label={t('dis.source')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
          <Input maxLength={500} placeholder={t('dis.sourcePh')} data-testid="dis-source" />
        </Form.Item>
        <Space size={16} wrap align="start">
          <Form.Item name="listed_from" label={t('dis.from')} extra={t('dis.fromHint')}>
            <DatePicker style={{ width: 200 }} data-testid="dis-from" />
          </Form.Item>
          <Form.Item
            name="listed_until"
            label={t('dis.until')}
            extra={t('dis.untilHint')}
            dependencies={['listed_from']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v?: Dayjs | null) =>
                  untilBeforeFrom(ymd(getFieldValue('listed_from')) ?? today, ymd(v)) ? Promise.reject(new Error(t('err.before_start'))) : Promise.resolve(),
              }),
            ]}
          >
            <DatePicker style={{ width: 200 }} data-testid="dis-until" />
          </Form.Item>
        </Space>
        <div>
          <Button type="primary" danger htmlType="submit" loading={busy} data-testid="dis-submit">
            {t('dis.new')}
          </Button>
        </div>
      </Form>
    </Drawer>
  );
}

function LiftModal({ entry, onClose, onLifted, onStale }: { entry: DishonestyEntry | null; onClose: () => void; onLifted: () => void; onStale: () => void }) {
  const { t, tErr, tEnum } = useT();
  const { form, busy, formError, submit } = useReasonSubmit<ReasonInput>({ target: entry, fields: ['reason'], staleCode: 'already_lifted', onStale });

  const lift = async () => {
    if (!entry) return;
    await submit<DishonestyEntry>({ path: `/dishonesty-list/${entry.id}/lift`, body: reasonBody, success: () => t('dis.lifted'), onDone: onLifted });
  };

  const name = entry ? (entry.party_name ?? entry.party_id) : '';
  return (
    <Modal
      open={!!entry}
      title={t('dis.liftTitle', { name })}
      onCancel={onClose}
      onOk={lift}
      okText={t('dis.liftConfirm')}
      okButtonProps={{ danger: true, 'data-testid': 'dis-lift-confirm' } as React.ComponentProps<typeof Button>}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="dis-lift-modal"
    >
      {entry && (
        <>
          <Alert type="warning" showIcon message={t('dis.liftWarn')} style={{ marginBottom: 16 }} />
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('dis.party')}>
              {tEnum('party', entry.party_kind)} · {name} · <span className="mono">{entry.party_id}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('dis.reason')}>{entry.reason}</Descriptions.Item>
            <Descriptions.Item label={t('dis.source')}>{entry.source}</Descriptions.Item>
          </Descriptions>
          {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} data-testid="dis-lift-error" /> : null}
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('dis.liftReason')} rules={[{ required: true, whitespace: true, message: t('err.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('dis.liftReasonPh')} data-testid="dis-lift-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
