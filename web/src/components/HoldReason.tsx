import { Typography } from 'antd';
import { formatFen } from '../format';
import { useT } from '../i18n';
import { parseHoldReason } from './holdReason';

/** Why a redemption is (or was) held, in the chosen language; the release note below it. */
export function HoldReasonText({ text, compact }: { text: string | null | undefined; compact?: boolean }) {
  const { t, lang } = useT();
  const r = parseHoldReason(text);
  if (!r) return <span>—</span>;
  let main: string | null = null;
  if (r.hold?.kind === 'split') {
    const h = r.hold;
    main = t(compact ? 'hold.splitShort' : 'hold.split', {
      days: h.windowDays,
      n: h.earlierCount,
      earlier: formatFen(h.earlierFen, lang),
      threshold: formatFen(h.thresholdFen, lang),
    });
  } else if (r.hold) {
    main = lang === 'zh' ? t('hold.generic') : r.hold.text;
  }
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
