// Parts shared by the usage signing keys page and the usage upload page.
import { Alert } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useT } from '../../i18n';
import type { UsageKey } from './usageKey';

/**
 * A translated text whose `{name}` markers are codes (a header, a command, an endpoint): each is
 * set in a <code> (a string) or given as it is (a node); markers without a code stay as written.
 */
export function WithCodes({ text, codes }: { text: string; codes: Record<string, ReactNode> }) {
  return (
    <>
      {text.split(/(\{\w+\})/).map((part, i) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1];
        if (name && name in codes) {
          const c = codes[name];
          return <Fragment key={i}>{typeof c === 'string' ? <code>{c}</code> : c}</Fragment>;
        }
        return <Fragment key={i}>{part}</Fragment>;
      })}
    </>
  );
}

/** Codes as one phrase: each in a <code>, joined by 、 in Chinese and ", " in English. */
export function CodeList({ codes }: { codes: readonly string[] }) {
  const { lang } = useT();
  return (
    <>
      {codes.map((c, i) => (
        <Fragment key={c}>
          {i ? (lang === 'zh' ? '、' : ', ') : ''}
          <code>{c}</code>
        </Fragment>
      ))}
    </>
  );
}

/**
 * On the usage upload page of a supplier that signs: batches must carry the live key's signature,
 * which the browser cannot make, so the page does not send; where they go instead.
 */
export function SignedUsageNotice({ live }: { live: UsageKey }) {
  const { t } = useT();
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="usage-signed-notice"
      data-fingerprint={live.fingerprint}
      message={<WithCodes text={t('upload.signedTitle')} codes={{ fp: <span className="mono"><code>{live.fingerprint}</code></span> }} />}
      description={
        <>
          <WithCodes text={t('upload.signedBody')} codes={{ cmd: 'quan usage sign' }} />{' '}
          <Link to="/sup/usage-keys" data-testid="usage-signed-how">{t('upload.signedLink')}</Link>
        </>
      }
    />
  );
}
