// The field changes of an enterprise change request (before → after), labelled and shown in the
// chosen language: the size class by its name, the city by its name, an empty value as a dash.
import { ArrowRightOutlined } from '@ant-design/icons';
import { Table, Typography } from 'antd';
import type { FieldChange } from '../api/types';
import { industryLabel } from '../format';
import { useCities } from '../hooks';
import { useT } from '../i18n';
import { FIELD_LABELS, isRegisteredField } from '../pages/enterprise/changeRequest';

function useFieldText() {
  const { t, tEnum, lang } = useT();
  const { cities } = useCities();
  const label = (field: string) => (isRegisteredField(field) ? t(FIELD_LABELS[field]) : field);
  const value = (field: string, v: string) => {
    if (!v) return '—';
    if (field === 'size_class') return tEnum('size', v);
    if (field === 'industry') return industryLabel(tEnum, v);
    if (field === 'city_code') {
      const c = cities.find((x) => x.code === v);
      if (!c) return v;
      return lang === 'zh' ? `${c.name_zh}（${v}）` : `${c.name_en} (${v})`;
    }
    return v;
  };
  return { label, value, colon: lang === 'zh' ? '：' : ': ' };
}

/** A table of field / before / after (the enterprise's pending request, the decision modal). */
export function FieldChangeTable({ changes, testid }: { changes: FieldChange[]; testid?: string }) {
  const { t } = useT();
  const { label, value } = useFieldText();
  return (
    <div data-testid={testid}>
      <Table<FieldChange>
        size="small"
        bordered
        pagination={false}
        rowKey="field"
        dataSource={changes}
        onRow={(r) => ({ 'data-field': r.field }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('chg.field'), dataIndex: 'field', width: 140, render: (f: string) => <strong>{label(f)}</strong> },
          { title: t('chg.before'), dataIndex: 'before', render: (v: string, r) => <Typography.Text type="secondary" data-testid="change-before">{value(r.field, v)}</Typography.Text> },
          { title: t('chg.after'), dataIndex: 'after', render: (v: string, r) => <Typography.Text strong data-testid="change-after">{value(r.field, v)}</Typography.Text> },
        ]}
      />
    </div>
  );
}

/** One line per field, for a table cell: 法定代表人：张三 → 李四. */
export function FieldChangeList({ changes }: { changes: FieldChange[] }) {
  const { label, value, colon } = useFieldText();
  if (changes.length === 0) return <span>—</span>;
  return (
    <div data-testid="change-list">
      {changes.map((c) => (
        <div key={c.field} data-field={c.field} style={{ maxWidth: 460 }}>
          <Typography.Text type="secondary">
            {label(c.field)}
            {colon}
          </Typography.Text>
          {/* Before → after as one piece: in a narrow cell it moves below the label whole. */}
          <span style={{ display: 'inline-block' }}>
            <Typography.Text delete type="secondary">{value(c.field, c.before)}</Typography.Text>
            <ArrowRightOutlined style={{ margin: '0 6px', fontSize: 11, color: '#8c8c8c' }} />
            <Typography.Text strong>{value(c.field, c.after)}</Typography.Text>
          </span>
        </div>
      ))}
    </div>
  );
}
