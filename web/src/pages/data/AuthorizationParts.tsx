// Shared parts of the authorization pages: whether an authorization is in force (and why not, in
// words), and the authorizations as a tree table with their scope and period.
import { Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import type { DataAuthorization } from '../../api/types';
import { Codes, DateText } from '../../components/common';
import { useT, type MsgKey } from '../../i18n';
import { authorizationTree, notInForceCode, type AuthorizationNode } from './registration';

export function InForceTag({ a }: { a: DataAuthorization }) {
  const { t } = useT();
  if (a.in_force) return <Tag color="success" data-testid="in-force" data-in-force="true">{t('hub.inForce')}</Tag>;
  const code = notInForceCode(a);
  return (
    <Space direction="vertical" size={0}>
      <Tag color="default" data-testid="in-force" data-in-force="false">{t('hub.notInForce')}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="not-in-force-reason">
        {code ? t(`err.${code}` as MsgKey) : a.not_in_force_reason}
        {a.revoke_reason ? ` · ${a.revoke_reason}` : ''}
      </Typography.Text>
    </Space>
  );
}

const listText = (xs: string[]) => (xs.length ? xs.join('、') : '—');

export function AuthorizationTable({
  items,
  loading,
  tree = true,
  canRevoke,
  onRevoke,
  testid = 'table-authorizations',
}: {
  items: DataAuthorization[];
  loading?: boolean;
  tree?: boolean;
  canRevoke?: (a: DataAuthorization) => boolean;
  onRevoke?: (a: DataAuthorization) => void;
  testid?: string;
}) {
  const { t, tEnum } = useT();
  const rows = useMemo(() => (tree ? authorizationTree(items) : items), [items, tree]);
  const byId = useMemo(() => new Map(items.map((a) => [a.id, a])), [items]);
  const columns: ColumnsType<AuthorizationNode> = [
    { title: t('common.name'), dataIndex: 'name', render: (v: string) => <strong>{v}</strong> },
    { title: t('hub.level'), dataIndex: 'level', render: (v: string) => <Tag color={v === 'overall' ? 'purple' : v === 'sub_domain' ? 'blue' : 'cyan'}>{tEnum('alevel', v)}</Tag> },
    { title: t('hub.dataClass'), dataIndex: 'data_class', render: (v: string) => tEnum('dclass', v) },
    ...(tree ? [] : [{ title: t('hub.parent'), dataIndex: 'parent_id', render: (v: string | null) => (v ? byId.get(v)?.name ?? v : '—') }]),
    { title: t('hub.operator'), dataIndex: 'operator_name' },
    {
      title: t('hub.fields'),
      dataIndex: 'fields',
      render: (v: string[], a) => (
        <Tooltip title={a.resources.length ? `${t('hub.resources')}：${listText(a.resources)}` : undefined}>
          <span><Codes codes={v} /></span>
        </Tooltip>
      ),
    },
    { title: t('hub.period'), key: 'period', render: (_, a) => <span><DateText d={a.valid_from} /> ~ <DateText d={a.valid_until} /></span> },
    { title: t('hub.inForceCol'), key: 'in_force', render: (_, a) => <InForceTag a={a} /> },
    ...(onRevoke
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, a: DataAuthorization) =>
              !a.revoked_at && (canRevoke?.(a) ?? true) ? (
                <Button size="small" type="link" danger onClick={() => onRevoke(a)} data-testid={`auth-revoke-${a.id}`}>
                  {t('hub.revoke')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Table<AuthorizationNode>
      // Remounted once the rows are in, so that the tree opens fully (defaultExpandAllRows is read on mount).
      key={rows.length}
      data-testid={testid}
      size="middle"
      rowKey="id"
      loading={loading}
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
      expandable={tree ? { defaultExpandAllRows: true } : undefined}
    />
  );
}
