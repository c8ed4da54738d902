// 授权运营 (administrators; auditors read): the hub's authorizations as a tree — overall
// authorizations of public data to an operator, their sub-domains, the operators' scenarios — or by
// level with their parent. The administrator creates overall and sub-domain authorizations and
// revokes any; a revocation ends everything under it too (the cascade).
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Segmented, Select, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { api, fetchAll } from '../../api/client';
import { AUTHORIZATION_LEVELS, type AuthorizationLevel, type DataAuthorization } from '../../api/types';
import { useAuth } from '../../auth';
import { ErrorState, PageHeader } from '../../components/common';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { AuthorizationForm } from '../data/AuthorizationForm';
import { AuthorizationTable } from '../data/AuthorizationParts';
import { ReasonModal } from '../data/ReasonModal';
import { cascadeCount } from '../data/registration';

export default function Authorizations() {
  const { t, tEnum, lang } = useT();
  const { user } = useAuth();
  const isAdmin = user?.role === 'admin';
  const { message } = App.useApp();
  const [view, setView] = useState<'tree' | 'level'>('tree');
  const [level, setLevel] = useState<AuthorizationLevel | undefined>();
  const [reloadKey, setReloadKey] = useState(0);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<DataAuthorization | null>(null);
  const all = useAsync(() => fetchAll(api, '/data-authorizations', {}), [reloadKey]);
  const items = useMemo(() => all.data ?? [], [all.data]);
  const shown = view === 'level' && level ? items.filter((a) => a.level === level) : items;
  const below = revoking ? cascadeCount(items, revoking.id) - 1 : 0;

  return (
    <div data-testid="page-admin-authorizations">
      <PageHeader
        title={t('hub.adminTitle')}
        sub={t('hub.adminSub')}
        extra={
          isAdmin ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="auth-new">
              {t('hub.newAuthorization')}
            </Button>
          ) : (
            <Tag data-testid="read-only">{t('hub.readOnly')}</Tag>
          )
        }
      />
      <Card>
        <Space className="filters" wrap>
          <Segmented
            value={view}
            onChange={(v) => setView(v as 'tree' | 'level')}
            options={[
              { value: 'tree', label: t('hub.viewTree') },
              { value: 'level', label: t('hub.viewLevel') },
            ]}
            aria-label={t('a11y.viewMode')}
            data-testid="auth-view"
          />
          {view === 'level' && (
            <Select
              allowClear
              placeholder={t('hub.level')}
              style={{ width: 160 }}
              value={level}
              onChange={setLevel}
              options={AUTHORIZATION_LEVELS.map((l) => ({ value: l, label: tEnum('alevel', l) }))}
              data-testid="auth-filter-level"
            />
          )}
        </Space>
        {all.error ? (
          <ErrorState error={all.error} onRetry={all.reload} compact />
        ) : (
          <AuthorizationTable items={shown} loading={all.loading} tree={view === 'tree'} onRevoke={isAdmin ? setRevoking : undefined} />
        )}
      </Card>
      {isAdmin && (
        <Drawer open={creating} onClose={() => setCreating(false)} width={Math.min(720, typeof window === 'undefined' ? 720 : window.innerWidth)} title={t('hub.newAuthorization')} destroyOnClose key={lang} data-testid="auth-drawer">
          {creating && (
            <AuthorizationForm
              levels={['overall', 'sub_domain']}
              authorizations={items}
              onSaved={(a) => {
                message.success(t('hub.created', { name: a.name }));
                setCreating(false);
                setReloadKey((k) => k + 1);
              }}
            />
          )}
        </Drawer>
      )}
      {revoking && (
        <ReasonModal
          open
          title={t('hub.revokeTitle', { name: revoking.name })}
          path={`/data-authorizations/${encodeURIComponent(revoking.id)}/revoke`}
          label={t('hub.revokeReason')}
          hint={<Alert type="warning" showIcon message={below > 0 ? t('hub.cascade', { n: below }) : t('hub.cascadeNone')} data-testid="auth-cascade" />}
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
