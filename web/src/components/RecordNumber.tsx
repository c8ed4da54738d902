// The human-readable number of a record as the first thing a row or a title shows, the raw id in a
// short form that copies in full, and the search box of a list by number or name (`q`).
import { Input, Typography } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { searchTerm, shortId } from './recordNumber';

/** A record's number (SD-AP-2026-000123), unbroken; a dash when the server gave none. */
export function RecordNo({ n, testid = 'record-number', strong }: { n: string | null | undefined; testid?: string; strong?: boolean }) {
  if (!n) return <>—</>;
  return (
    <span className="mono" style={{ whiteSpace: 'nowrap', fontWeight: strong ? 600 : undefined }} data-testid={testid} data-number={n}>
      {n}
    </span>
  );
}

/** An id, its first 8 characters shown; the copy button copies all of it. */
export function ShortId({ id, testid }: { id: string | number | null | undefined; testid?: string }) {
  if (id === null || id === undefined || id === '') return <>—</>;
  const full = String(id);
  return (
    <Typography.Text className="mono" copyable={{ text: full }} title={full} style={{ whiteSpace: 'nowrap' }} data-testid={testid} data-id={full}>
      <code>{shortId(full)}</code>
    </Typography.Text>
  );
}

/** The first column of a list of numbered records: the number, sortable (`sort=number`). */
export function numberColumn<T extends { number?: string | null }>(title: string, render?: (n: string | null | undefined, r: T) => React.ReactNode): ColumnType<T> {
  return {
    title,
    dataIndex: 'number',
    key: 'number',
    sorter: true,
    render: (v: string | null | undefined, r: T) => (render ? render(v, r) : <RecordNo n={v} />),
  };
}

/**
 * The search box of a list: Enter or the button sends the trimmed text (the list's `q`); clearing
 * the box shows the whole list again. `value` is the term the list applies (from the URL): the box
 * shows it, and again when back/forward changes it.
 */
export function ListSearch({ placeholder, onSearch, testid, width = 300, value }: { placeholder: string; onSearch: (q: string | undefined) => void; testid: string; width?: number; value?: string }) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  return (
    <Input.Search
      allowClear
      placeholder={placeholder}
      style={{ width }}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        if (!e.target.value) onSearch(undefined);
      }}
      onSearch={(v) => onSearch(searchTerm(v))}
      data-testid={testid}
    />
  );
}
