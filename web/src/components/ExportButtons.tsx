// A list's rows as a spreadsheet: the server answers `format=csv|xlsx` with every row the list's
// filters and sort select (not only the page on screen), headers in the interface language. A
// report asked by a POST (a what-if: its rules in the body) is downloaded the same way with `body`.
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import type { Query } from '../api/client';
import { useT } from '../i18n';
import { api } from '../api/client';
import { downloadFile, saveBlob } from './Statements';

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: ExportFormat[] = ['xlsx', 'csv'];

/** The query of an export: the list's filters and sort (no paging), the format and the language. */
export function exportQuery(query: Query | undefined, sort: string | undefined, format: ExportFormat, lang: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '' || k === 'page' || k === 'page_size') continue;
    out[k] = String(v);
  }
  if (sort) out.sort = sort;
  out.format = format;
  out.lang = lang;
  return out;
}

/** The file is named after the list. */
export function exportFileName(name: string, format: ExportFormat): string {
  return `${name}.${format}`;
}

/** The query of a POST report's export: the format and the language only (the rest is the body). */
export function reportExportQuery(format: ExportFormat, lang: string): Record<string, string> {
  return { format, lang };
}

export function ExportButtons({ path, query, sort, name, body, testid = 'list-export' }: { path: string; query?: Query; sort?: string; name: string; body?: unknown; testid?: string }) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const run = (f: ExportFormat) => {
    setBusy(f);
    const file = exportFileName(name, f);
    const done =
      body === undefined
        ? downloadFile(path, file, exportQuery(query, sort, f, lang))
        : api.postBlob(path, body, reportExportQuery(f, lang)).then((blob) => saveBlob(blob, file));
    done
      .catch((err) => message.error(tErr(err)))
      .finally(() => setBusy(null));
  };
  return (
    <Space size="small" data-testid={testid} style={{ marginBottom: 8 }}>
      {EXPORT_FORMATS.map((f) => (
        <Button key={f} size="small" icon={<DownloadOutlined />} loading={busy === f} onClick={() => run(f)} data-testid={`export-${f}`}>
          {t(f === 'xlsx' ? 'export.xlsx' : 'export.csv')}
        </Button>
      ))}
    </Space>
  );
}
