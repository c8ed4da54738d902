// Who did something: a user's display name, not their id. The server records `system` for what the
// platform did by itself (the demo's seed, scheduled jobs); that reads 系统 / System. When the user
// list cannot be read (reviewers may not) or the id is unknown, the id is shown as it is.
import { Tooltip } from 'antd';
import { useMemo } from 'react';
import { useAuth } from '../auth';
import { useUsers } from '../hooks';
import { useT } from '../i18n';

export const SYSTEM_ACTOR = 'system';

export function useUserLabel() {
  const { t } = useT();
  const { user } = useAuth();
  const { users } = useUsers(user?.role);
  const names = useMemo(() => new Map(users.map((u) => [String(u.id), u.display_name || u.username])), [users]);
  return (id: string | null | undefined): { text: string; known: boolean } => {
    if (!id) return { text: '—', known: true };
    if (id === SYSTEM_ACTOR) return { text: t('common.system'), known: true };
    const n = names.get(id);
    return n ? { text: n, known: true } : { text: id, known: false };
  };
}

export function UserName({ id }: { id: string | null | undefined }) {
  const label = useUserLabel();
  const { text, known } = label(id);
  if (!known) return <span className="mono" data-testid="user-name" data-user-id={id ?? undefined}>{text}</span>;
  return (
    <Tooltip title={id && id !== SYSTEM_ACTOR ? id : undefined}>
      <span data-testid="user-name" data-user-id={id ?? undefined}>{text}</span>
    </Tooltip>
  );
}
