// 用量签名密钥: a compute supplier's Ed25519 keys for signing its usage (GET/POST
// /suppliers/{id}/usage-keys). A supplier user opens its own (/sup/usage-keys); administrators,
// reviewers and auditors a supplier's from the supplier list or its drawer
// (/admin/suppliers/:id/usage-keys). The page shows the live key (its fingerprint first, what a
// person compares), the retired ones, what signing means and how to sign (the exact bytes, the
// headers, the CLI helpers), and — for the supplier itself and administrators — the form that
// registers a key, or rotates the live one: a supplier signs the hand-over with the live key (the
// bytes to sign shown, filled in), an administrator rotates without. Registering makes unsigned
// usage be refused, so it is confirmed first. The server's errors go next to the field they name.
import { DownloadOutlined, KeyOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, isApiError } from '../../api/client';
import { useSubmissionKey } from '../../api/submission';
import type { Supplier } from '../../api/types';
import { useAuth } from '../../auth';
import { ErrorState, PageHeader } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { formatDateTime } from '../../format';
import { usePhone } from '../../screen';
import { normalizeArray, useAsync } from '../../hooks';
import { useT, type MsgKey } from '../../i18n';
import {
  BATCH_PREFIX, cleanHex, fingerprintOf, hexProblem, isPublicKeyHex, KEY_ID_HEADER, keyBody, liveKey, PUBLIC_KEY_HEX, registrant, retiredKeys, rotationMessage,
  SIGNATURE_HEADER, SIGNATURE_HEX, type UsageKey,
} from './usageKey';
import { CodeList, WithCodes } from './UsageKeyParts';

interface FormValues {
  public_key: string;
  rotation_signature?: string;
}

export default function UsageKeys() {
  const { id: routeId } = useParams();
  const { t, tErr, tEnum, lang } = useT();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const submission = useSubmissionKey();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const phone = usePhone();

  const isSupplier = user?.role === 'supplier';
  const isAdmin = user?.role === 'admin';
  const supplierId = (isSupplier ? user?.supplier_id : routeId) ?? null;
  const path = supplierId ? `/suppliers/${encodeURIComponent(supplierId)}` : null;
  const supplier = useAsync((s) => (path ? api.get<Supplier>(path, undefined, s) : Promise.resolve(undefined)), [path]);
  const keys = useAsync((s) => (path ? api.get<UsageKey[]>(`${path}/usage-keys`, undefined, s).then(normalizeArray<UsageKey>) : Promise.resolve([] as UsageKey[])), [path]);
  const live = liveKey(keys.data);
  const retired = retiredKeys(keys.data);
  // Unknown while the supplier loads: the form waits for it rather than offer what may be refused.
  const compute = supplier.data?.kind === 'compute';
  const mayRegister = !!supplierId && (isAdmin || isSupplier) && compute && !keys.error;
  // A supplier hands over with the live key's signature; an administrator rotates without one.
  const signsRotation = !!live && isSupplier;
  const shownFields = signsRotation ? ['public_key', 'rotation_signature'] : ['public_key'];

  const typedKey = Form.useWatch('public_key', form) ?? '';
  const toSign = supplierId && isPublicKeyHex(typedKey) ? rotationMessage(supplierId, typedKey) : null;
  const name = supplier.data?.name ?? supplierId ?? '';

  const hexRule = (n: number) => ({
    validator: (_: unknown, v: string | undefined) => {
      const p = hexProblem(v, n);
      if (!p) return Promise.resolve();
      const text = p === 'required' ? t('err.required') : p === 'chars' ? t('uk.hexChars') : t('uk.hexLength', { n, got: cleanHex(v).length });
      return Promise.reject(new Error(text));
    },
  });

  /** The text of a refusal: a rotation signature that does not verify says so (the code speaks of batches). */
  const errorText = (e: unknown) => (isApiError(e) && e.field === 'rotation_signature' && e.code === 'signature_invalid' ? t('uk.rotationInvalid') : tErr(e));

  const send = async (v: FormValues) => {
    if (!path) return;
    setBusy(true);
    setFormError(null);
    try {
      await submission.post<UsageKey>(`${path}/usage-keys`, keyBody(v, signsRotation));
      message.success(t(live ? 'uk.rotated' : 'uk.registered'));
      form.resetFields();
    } catch (e) {
      if (!applyServerFieldError(form, e, errorText(e), shownFields)) setFormError(e);
    } finally {
      setBusy(false);
      // A refusal may come of keys changed since the page loaded (a rotation now needs a signature).
      keys.reload();
    }
  };

  const confirm = async (v: FormValues) => {
    const key = cleanHex(v.public_key);
    const fp = await fingerprintOf(key);
    modal.confirm({
      title: t(live ? 'uk.confirmRotate' : 'uk.confirmRegister'),
      width: 600,
      icon: <SafetyCertificateOutlined />,
      content: (
        <div data-testid="usage-key-confirm-what">
          <Typography.Paragraph>{live ? t('uk.confirmRotateWhat', { fp: live.fingerprint }) : t('uk.confirmRegisterWhat', { name })}</Typography.Paragraph>
          <Descriptions size="small" column={1} bordered layout={phone ? 'vertical' : 'horizontal'}>
            {fp ? (
              <Descriptions.Item label={t('uk.confirmFingerprint')}>
                <span className="mono usage-key-fp-small" data-testid="usage-key-confirm-fingerprint"><code>{fp}</code></span>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('uk.confirmKey')}>
              <span className="mono break-all" data-testid="usage-key-confirm-key"><code>{key}</code></span>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('uk.confirmCompare')}</Typography.Paragraph>
        </div>
      ),
      okText: t(live ? 'uk.submitRotate' : 'uk.submitRegister'),
      okButtonProps: { 'data-testid': 'usage-key-confirm' } as ButtonProps,
      cancelButtonProps: { 'data-testid': 'usage-key-cancel' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: () => send(v),
    });
  };

  const who = (label: string) => {
    const r = registrant(label);
    return r.role ? `${tEnum('role', r.role)} ${r.username}` : r.username === 'system' ? t('common.system') : r.username;
  };

  const history: ColumnsType<UsageKey> = [
    { title: t('uk.fingerprint'), dataIndex: 'fingerprint', render: (v: string) => <span className="mono"><code>{v}</code></span> },
    {
      title: t('uk.publicKey'),
      dataIndex: 'public_key',
      // The key shortened (its ends), copied whole; the fingerprint beside it is what a person compares.
      render: (v: string) => (
        <Typography.Text copyable={{ text: v }}>
          <span className="mono" title={v} data-id={v}><code>{`${v.slice(0, 12)}…${v.slice(-8)}`}</code></span>
        </Typography.Text>
      ),
    },
    { title: t('uk.registeredAt'), dataIndex: 'registered_at', render: (v: string) => formatDateTime(v, lang) },
    { title: t('uk.registeredBy'), dataIndex: 'registered_by', render: (v: string) => who(v) },
    { title: t('uk.retiredAt'), dataIndex: 'retired_at', render: (v: string) => formatDateTime(v, lang) },
  ];

  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const sid = supplierId ?? '{supplier_id}';
  const sendExample = [
    'K=$(uuidgen)',
    `SIG=$(quan usage sign --key hub.key --supplier-id ${sid} --idempotency-key "$K" batch.json)`,
    `curl -X POST ${origin}/api/v1/usage \\`,
    '  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
    `  -H "Idempotency-Key: $K" -H "${SIGNATURE_HEADER}: $SIG" \\`,
    '  --data-binary @batch.json',
  ].join('\n');

  const downloadToSign = (text: string) => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `usage-key-rotation-${supplierId}.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const header = (
    <PageHeader
      title={t('uk.title')}
      sub={isSupplier ? t('uk.subSupplier') : t('uk.subStaff', { name })}
      extra={
        isSupplier ? undefined : (
          <>
            {isAdmin ? null : <Tag data-testid="read-only">{t('supAdmin.readOnly')}</Tag>}
            <Link to="/admin/suppliers" data-testid="usage-keys-back">
              <Button>{t('uk.back')}</Button>
            </Link>
          </>
        )
      }
    />
  );

  if (isSupplier && !supplierId) {
    return (
      <div data-testid="page-usage-keys">
        {header}
        <Alert type="warning" showIcon message={t('sup.noBinding')} />
      </div>
    );
  }

  const liveCard = (
    <Card
      title={<><KeyOutlined /> {t('uk.live')}</>}
      extra={keys.data ? <Tag color={live ? 'success' : 'default'} data-testid="usage-key-signing" data-on={String(!!live)}>{t(live ? 'uk.signingOn' : 'uk.signingOff')}</Tag> : null}
      data-testid="usage-key-live-card"
    >
      {keys.error ? (
        <ErrorState error={keys.error} onRetry={keys.reload} compact />
      ) : !keys.data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : live ? (
        <div data-testid="usage-key-live" data-key-id={live.id} data-fingerprint={live.fingerprint}>
          <Typography.Text type="secondary">{t('uk.fingerprint')}</Typography.Text>
          <div className="usage-key-fp">
            <Typography.Text copyable={{ text: live.fingerprint }} data-testid="usage-key-fingerprint">
              <span className="mono"><code>{live.fingerprint}</code></span>
            </Typography.Text>
          </div>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('uk.fingerprintHint')}</Typography.Paragraph>
          <Descriptions size="small" bordered column={1} layout={phone ? 'vertical' : 'horizontal'} labelStyle={phone ? undefined : { width: 120, whiteSpace: 'nowrap' }}>
            <Descriptions.Item label={t('uk.publicKey')}>
              <Typography.Text copyable={{ text: live.public_key }} data-testid="usage-key-public-key" data-key={live.public_key}>
                <span className="mono break-all"><code>{live.public_key}</code></span>
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('uk.keyId')}>
              <Typography.Text copyable={{ text: live.id }}>
                <span className="mono"><code>{live.id}</code></span>
              </Typography.Text>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <WithCodes text={t('uk.keyIdHint')} codes={{ keyid: KEY_ID_HEADER }} />
                </Typography.Text>
              </div>
            </Descriptions.Item>
            <Descriptions.Item label={t('uk.registeredAt')}>{formatDateTime(live.registered_at, lang)}</Descriptions.Item>
            <Descriptions.Item label={t('uk.registeredBy')}>{who(live.registered_by)}</Descriptions.Item>
          </Descriptions>
        </div>
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          data-testid="usage-key-none"
          description={
            <>
              <Typography.Text strong>{t('uk.noneLive')}</Typography.Text>
              <div><Typography.Text type="secondary">{t('uk.noneLiveHint')}</Typography.Text></div>
            </>
          }
        />
      )}
    </Card>
  );

  const formCard = mayRegister && keys.data ? (
    <Card title={t(live ? 'uk.rotate' : 'uk.register')} data-testid="usage-key-form-card" data-mode={live ? 'rotate' : 'register'}>
      <Alert
        type={live ? 'info' : 'warning'}
        showIcon
        style={{ marginBottom: 16 }}
        message={live ? t(signsRotation ? 'uk.rotateHintSupplier' : 'uk.rotateHintAdmin') : t('uk.registerHint')}
        data-testid="usage-key-form-hint"
      />
      {formError ? <Alert type="error" showIcon message={errorText(formError)} style={{ marginBottom: 16 }} data-testid="usage-key-error" /> : null}
      <Form<FormValues> form={form} layout="vertical" onFinish={confirm} data-testid="usage-key-form">
        <Form.Item
          name="public_key"
          label={t(live ? 'uk.newPublicKey' : 'uk.publicKey')}
          rules={[hexRule(PUBLIC_KEY_HEX)]}
          extra={<WithCodes text={t('uk.publicKeyExtra')} codes={{ cmd: 'quan usage keygen' }} />}
        >
          <Input.TextArea className="mono" autoSize={{ minRows: 2, maxRows: 4 }} spellCheck={false} autoComplete="off" placeholder={t('uk.publicKeyPlaceholder')} data-testid="usage-key-public" />
        </Form.Item>
        {signsRotation && live ? (
          <>
            <div className="usage-key-to-sign">
              <Typography.Text strong>{t('uk.toSign')}</Typography.Text>
              {toSign ? (
                <>
                  <pre className="code-block" data-testid="usage-key-to-sign"><code>{toSign}</code></pre>
                  <Space wrap style={{ marginBottom: 16 }}>
                    <Typography.Text copyable={{ text: toSign }} type="secondary" data-testid="usage-key-to-sign-copy">{t('uk.copyToSign')}</Typography.Text>
                    <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadToSign(toSign)} data-testid="usage-key-to-sign-download">
                      {t('uk.downloadToSign')}
                    </Button>
                  </Space>
                </>
              ) : (
                <div className="code-block code-block-waiting" data-testid="usage-key-to-sign-waiting">{t('uk.toSignWaiting')}</div>
              )}
            </div>
            <Form.Item
              name="rotation_signature"
              label={t('uk.rotationSignature')}
              rules={[hexRule(SIGNATURE_HEX)]}
              extra={<WithCodes text={t('uk.rotationSignatureExtra')} codes={{ fp: <span className="mono"><code>{live.fingerprint}</code></span> }} />}
            >
              <Input.TextArea className="mono" autoSize={{ minRows: 3, maxRows: 5 }} spellCheck={false} autoComplete="off" placeholder={t('uk.rotationSignaturePlaceholder')} data-testid="usage-key-signature" />
            </Form.Item>
          </>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} icon={<KeyOutlined />} data-testid="usage-key-submit">
          {t(live ? 'uk.submitRotate' : 'uk.submitRegister')}
        </Button>
      </Form>
    </Card>
  ) : null;

  const howCard = (
    <Card title={t('uk.how')} data-testid="usage-key-how">
      <Typography>
        <Typography.Paragraph>{t('uk.howWhat')}</Typography.Paragraph>
        <Typography.Paragraph>{t('uk.howMessage')}</Typography.Paragraph>
        <pre className="code-block" data-testid="usage-key-batch-format">
          <code>{[BATCH_PREFIX, sid, `{${t('uk.phIdempotencyKey')}}`, `{${t('uk.phBodySha')}}`].join('\n')}</code>
        </pre>
        <Typography.Paragraph>
          <WithCodes text={t('uk.howHeaders')} codes={{ sig: SIGNATURE_HEADER, idem: 'Idempotency-Key', endpoint: 'POST /api/v1/usage', keyid: KEY_ID_HEADER }} />
        </Typography.Paragraph>
        <Typography.Title level={2} style={{ fontSize: 15, marginTop: 8 }}>{t('uk.howCli')}</Typography.Title>
        {(
          [
            ['uk.cliKeygen', 'quan usage keygen --out hub.key'],
            ['uk.cliSign', `quan usage sign --key hub.key --supplier-id ${sid} --idempotency-key K batch.json`],
            ['uk.cliVerify', 'quan usage verify --db …'],
          ] as [MsgKey, string][]
        ).map(([k, cmd]) => (
          <div key={k}>
            <Typography.Text type="secondary">{t(k)}</Typography.Text>
            <pre className="code-block"><code>{cmd}</code></pre>
          </div>
        ))}
        <Typography.Text type="secondary">{t('uk.howSend')}</Typography.Text>
        <pre className="code-block" data-testid="usage-key-send-example"><code>{sendExample}</code></pre>
        <Typography.Paragraph>
          <WithCodes
            text={t('uk.howStream')}
            codes={{ flag: 'quan serve --usage-stream nats://…', subject: `quan.usage.${sid}`, headers: <CodeList codes={['Idempotency-Key', SIGNATURE_HEADER, 'Quan-Reply']} /> }}
          />
        </Typography.Paragraph>
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          <WithCodes text={t('uk.howBrowser')} codes={{ cmd: 'quan usage sign' }} />
        </Typography.Paragraph>
      </Typography>
    </Card>
  );

  return (
    <div data-testid="page-usage-keys" data-supplier-id={supplierId ?? undefined}>
      {header}
      {supplier.error ? <ErrorState error={supplier.error} onRetry={supplier.reload} compact /> : null}
      {supplier.data ? (
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
          {!isSupplier ? <Descriptions.Item label={t('common.name')}>{supplier.data.name}</Descriptions.Item> : null}
          <Descriptions.Item label={t('uk.supplierId')}>
            <Typography.Text copyable={{ text: supplier.data.id }}>
              <span className="mono"><code>{supplier.data.id}</code></span>
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      ) : null}
      {supplier.data && !compute ? (
        // Not a compute supplier: no metered usage, no keys (the server refuses one); nothing else to show.
        <Alert type="info" showIcon message={t('uk.notCompute')} data-testid="usage-key-not-compute" />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={13}>
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              {liveCard}
              {formCard}
            </Space>
          </Col>
          <Col xs={24} xl={11}>
            {howCard}
          </Col>
          <Col xs={24}>
            <Card title={t('uk.history')} data-testid="usage-key-history">
              <Typography.Paragraph type="secondary">{t('uk.historyHint')}</Typography.Paragraph>
              <div data-testid="table-usage-keys-retired">
                <Table<UsageKey>
                  rowKey="id"
                  size="small"
                  columns={history}
                  dataSource={retired}
                  loading={keys.loading}
                  scroll={{ x: 'max-content' }}
                  pagination={retired.length > 10 ? { pageSize: 10 } : false}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('uk.historyNone')} /> }}
                />
              </div>
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
