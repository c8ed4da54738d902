// 授权与同意 (enterprise, as data operator): the authorizations it operates under (in force or why
// not), the scenarios it defines (public data under one of its sub-domains, or personal /
// legal-person data on the subjects' consent) and revokes; the consents of its scenarios; a check
// of a use before it happens; and its annual disclosure.
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, fetchAll } from '../../api/client';
import type { DataAuthorization } from '../../api/types';
import { useAuth } from '../../auth';
import { ErrorState, PageHeader } from '../../components/common';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { AuthorizationForm } from '../data/AuthorizationForm';
import { AuthorizationTable } from '../data/AuthorizationParts';
import { ReasonModal } from '../data/ReasonModal';
import { cascadeCount } from '../data/registration';
import { ConsentsTab } from './ConsentsTab';
import { CheckForm, DisclosureForm } from './HubTools';

const TABS = ['authorizations', 'consents', 'check', 'disclosure'] as const;
type TabKey = (typeof TABS)[number];

export default function ConsentCentre() {
  const { t, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabKey) : 'authorizations';
  const [reloadKey, setReloadKey] = useState(0);
  const [defining, setDefining] = useState(false);
  const [revoking, setRevoking] = useState<DataAuthorization | null>(null);
  const all = useAsync(() => fetchAll(api, '/data-authorizations', {}), [reloadKey]);
  const items = useMemo(() => all.data ?? [], [all.data]);
  const mine = useMemo(() => items.filter((a) => !user?.enterprise_id || a.operator_id === user.enterprise_id), [items, user?.enterprise_id]);
  const scenarios = useMemo(() => mine.filter((a) => a.level === 'scenario'), [mine]);
  // As a legal-person subject the enterprise may consent to another operator's scenario too.
  const consentScenarios = useMemo(() => items.filter((a) => a.level === 'scenario'), [items]);

  return (
    <div data-testid="page-ent-consent">
      <PageHeader title={t('hub.entTitle')} sub={t('hub.entSub')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={[
            {
              key: 'authorizations',
              label: <span data-testid="hub-tab-authorizations">{t('hub.tabAuthorizations')}</span>,
              children: (
                <>
                  <div style={{ marginBottom: 12 }}>
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setDefining(true)} data-testid="scenario-new">
                      {t('hub.newScenario')}
                    </Button>
                  </div>
                  {all.error ? (
                    <ErrorState error={all.error} onRetry={all.reload} compact />
                  ) : (
                    <AuthorizationTable items={mine} loading={all.loading} canRevoke={(a) => a.level === 'scenario'} onRevoke={setRevoking} testid="table-my-authorizations" />
                  )}
                </>
              ),
            },
            { key: 'consents', label: <span data-testid="hub-tab-consents">{t('hub.tabConsents')}</span>, children: <ConsentsTab scenarios={consentScenarios} /> },
            { key: 'check', label: <span data-testid="hub-tab-check">{t('hub.tabCheck')}</span>, children: <CheckForm scenarios={scenarios} /> },
            { key: 'disclosure', label: <span data-testid="hub-tab-disclosure">{t('hub.tabDisclosure')}</span>, children: <DisclosureForm /> },
          ]}
        />
      </Card>
      <Drawer open={defining} onClose={() => setDefining(false)} width={Math.min(720, typeof window === 'undefined' ? 720 : window.innerWidth)} title={t('hub.newScenario')} destroyOnClose key={lang} data-testid="scenario-drawer">
        {defining && (
          <AuthorizationForm
            levels={['scenario']}
            operatorId={user?.enterprise_id}
            authorizations={mine}
            onSaved={(a) => {
              message.success(t('hub.created', { name: a.name }));
              setDefining(false);
              setReloadKey((k) => k + 1);
            }}
          />
        )}
      </Drawer>
      {revoking && (
        <ReasonModal
          open
          title={t('hub.revokeTitle', { name: revoking.name })}
          path={`/data-authorizations/${encodeURIComponent(revoking.id)}/revoke`}
          label={t('hub.revokeReason')}
          hint={cascadeCount(items, revoking.id) > 1 ? t('hub.cascade', { n: cascadeCount(items, revoking.id) - 1 }) : t('hub.scenarioRevokeHint')}
          danger
          onClose={() => setRevoking(null)}
          onDone={() => {
            message.success(t('hub.revoked'));
            setRevoking(null);
            setReloadKey((k) => k + 1);
          }}
          testid="auth-revoke"
        />
      )}
    </div>
  );
}
