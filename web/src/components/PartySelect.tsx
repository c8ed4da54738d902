// Pick an enterprise or a supplier by name and get its id. Enterprises are searched on the server
// (GET /enterprises?q=, name or USCC contains); suppliers are few and GET /suppliers takes no text
// search, so their whole list is loaded once and filtered here.
import { Select, Spin } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { api, fetchAll, type Query } from '../api/client';
import type { ListQuery } from '../api/lists';
import type { Enterprise, PartyKind } from '../api/types';
import { useAsync } from '../hooks';

export interface PartySelectProps {
  kind: PartyKind;
  value?: string | null;
  onChange?: (id: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  testid?: string;
  /** Passed by Form.Item. */
  id?: string;
}

const SEARCH_DELAY_MS = 300;

export function PartySelect({ kind, value, onChange, placeholder, allowClear, style, testid, id }: PartySelectProps) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  // Labels of parties once seen, so a chosen one keeps its name when the next search misses it.
  const [known, setKnown] = useState<Record<string, string>>({});
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(h);
  }, [text]);
  useEffect(() => setText(''), [kind]);

  const enterprises = useAsync(
    (signal) => {
      if (kind !== 'enterprise') return Promise.resolve([] as Enterprise[]);
      const query: ListQuery<'/enterprises'> = { q: q || undefined, page_size: 20, sort: 'name' };
      return api.list<Enterprise>('/enterprises', query as Query, signal).then((p) => p.items);
    },
    [kind, q],
  );
  const suppliers = useAsync(() => (kind === 'supplier' ? fetchAll(api, '/suppliers') : Promise.resolve([])), [kind]);

  const options = useMemo(() => {
    const rows =
      kind === 'enterprise'
        ? (enterprises.data ?? []).map((e) => ({ value: String(e.id), label: `${e.name} · ${e.uscc}` }))
        : (suppliers.data ?? [])
            .map((s) => ({ value: String(s.id), label: `${s.name} · ${s.id}` }))
            .filter((o) => !text.trim() || o.label.toLowerCase().includes(text.trim().toLowerCase()));
    if (value && !rows.some((o) => o.value === value) && known[value]) rows.unshift({ value, label: known[value] });
    return rows;
  }, [kind, enterprises.data, suppliers.data, text, value, known]);

  useEffect(() => {
    const add: Record<string, string> = {};
    for (const o of options) if (!known[o.value]) add[o.value] = o.label;
    if (Object.keys(add).length) setKnown((k) => ({ ...k, ...add }));
  }, [options, known]);

  const loading = kind === 'enterprise' ? enterprises.loading : suppliers.loading;
  return (
    <Select
      id={id}
      showSearch
      allowClear={allowClear}
      filterOption={false}
      value={value ?? undefined}
      onChange={(v: string | undefined) => {
        setText('');
        onChange?.(v);
      }}
      onSearch={setText}
      searchValue={text}
      onOpenChange={(open) => {
        if (!open) setText('');
      }}
      placeholder={placeholder}
      style={style}
      options={options}
      loading={loading}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      data-testid={testid}
      data-kind={kind}
    />
  );
}
