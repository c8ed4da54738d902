// A metered product's price with the unit it is per (issue 14 C: GPU-hours, card-hours, core-hours,
// 1k tokens, GB-months, GB transferred).
import { useT } from '../i18n';
import { Money } from './common';

export function UnitPrice({ fen, unit }: { fen: number | null | undefined; unit?: string | null }) {
  const { tEnum } = useT();
  if (fen == null) return <>—</>;
  return (
    <span>
      <Money fen={fen} />
      {unit ? <span style={{ color: 'rgba(0,0,0,0.45)' }}> / {tEnum('unit', unit)}</span> : null}
    </span>
  );
}
