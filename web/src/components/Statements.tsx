// A run's statement (a supplier's settlement or an enterprise's reimbursement) in CSV and XLSX. A
// plain link could not carry the bearer token, so the file is fetched with it (api.blob) and handed
// to the browser as a download. The statement's headers follow the interface language (?lang=).
import { DownloadOutlined } from '@ant-design/icons';
import { App, Space, Tooltip } from 'antd';
import { api } from '../api/client';
import type { Lang } from '../format';
import { useT } from '../i18n';

export type StatementFormat = 'csv' | 'xlsx';
export const STATEMENT_FORMATS: StatementFormat[] = ['csv', 'xlsx'];

/** `/settlements/st_1` + xlsx → `/settlements/st_1/statement.xlsx`. */
export function statementPath(run: string, format: StatementFormat): string {
  return `${run.replace(/\/+$/, '')}/statement.${format}`;
}

/** The query a statement is asked with: the interface language, so the headers read in it. */
export function statementQuery(lang: Lang): { lang: Lang } {
  return { lang };
}

/** Fetch with the token and save under `filename`. */
export async function downloadFile(path: string, filename: string, query?: Record<string, string>): Promise<void> {
  saveBlob(await api.blob(path, query), filename);
}

/** Hand a fetched file to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/**
 * Links to a run's statement in both formats. `run` is the run's path (`/settlements/{id}`,
 * `/reimbursements/{id}`), `name` the file name without its extension.
 */
export function StatementLinks({ run, name }: { run: string; name: string }) {
  const { t, tErr, lang } = useT();
  const { message } = App.useApp();
  return (
    <Tooltip title={t('st.statementLang')}>
      <Space size="middle" data-testid="statement-links">
        {STATEMENT_FORMATS.map((f) => (
          <a
            key={f}
            href={api.url(statementPath(run, f), statementQuery(lang))}
            data-testid={f === 'csv' ? 'statement-link' : 'statement-xlsx'}
            data-format={f}
            onClick={(e) => {
              e.preventDefault();
              downloadFile(statementPath(run, f), `${name}.${f}`, statementQuery(lang)).catch((err) => message.error(tErr(err)));
            }}
          >
            <DownloadOutlined /> {f.toUpperCase()}
          </a>
        ))}
      </Space>
    </Tooltip>
  );
}
