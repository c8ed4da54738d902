import { Typography } from 'antd';
import { formatFen, type Lang } from '../format';
import { useT, type MsgKey } from '../i18n';
import { readHold, type HeldFields, type OtherHold, type SplitHold } from './holdReason';

type T = (key: MsgKey, vars?: Record<string, string | number>) => string;

function splitText(h: SplitHold, compact: boolean | undefined, t: T, lang: Lang): string {
  return t(compact ? 'hold.splitShort' : 'hold.split', {
    days: h.windowDays,
    n: h.earlierCount,
    earlier: formatFen(h.earlierFen, lang),
    threshold: formatFen(h.thresholdFen, lang),
  });
}

/** A hold the UI cannot read: a generic text in Chinese, the server's sentence in English. */
function otherText(h: OtherHold, t: T, lang: Lang): string {
  const generic = t(h.code ? 'hold.unknown' : 'hold.generic');
  return lang === 'zh' ? generic : h.text ?? generic;
}

/**
 * Why a redemption is (or was) held, in the chosen language; the release note below it. Reads the
 * redemption's `hold` and `release_note`, or for an old row its `hold_reason` sentence.
 */
export function HoldReasonText({ redemption, compact }: { redemption: HeldFields; compact?: boolean }) {
  const { t, lang } = useT();
  const r = readHold(redemption);
  if (!r) return <span>—</span>;
  const main = r.hold ? (r.hold.kind === 'split' ? splitText(r.hold, compact, t, lang) : otherText(r.hold, t, lang)) : null;
  return (
    <span data-testid="hold-reason" data-kind={r.hold?.kind ?? 'none'} style={{ whiteSpace: compact ? undefined : 'pre-wrap' }}>
      {main}
      {r.releasedNote && (
        <Typography.Text type="success" style={{ display: 'block' }} data-testid="hold-released-note">
          {t('hold.released', { note: r.releasedNote })}
        </Typography.Text>
      )}
    </span>
  );
}
