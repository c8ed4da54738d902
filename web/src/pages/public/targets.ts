// Figures of the policy targets as the public page shows them: money in 亿元 (¥100 million) or
// yuan, percent with one decimal, compute in EFLOPS with two, counts whole, with the unit's words.
import type { Lang } from '../../format';

type TEnum = (prefix: string, value: string) => string;

/** A target's figure (or goal) in `unit`, for people. */
export function formatFigure(value: number, unit: string, lang: Lang, tEnum: TEnum): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  const n = (v: number, digits: number) => v.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  if (unit === 'CNY') {
    // 亿元 from ¥100 million up (the budget, the pilot zone's output); yuan below.
    return value >= 1e8 ? `${n(value / 1e8, 2)} ${tEnum('tg.unit', 'CNY_100m')}` : `${n(value, 2)} ${tEnum('tg.unit', 'CNY')}`;
  }
  if (unit === 'percent') return `${n(value, 1)}%`;
  if (unit === 'EFLOPS') return `${n(value, 2)} EFLOPS`;
  return `${n(value, 0)} ${tEnum('tg.unit', unit)}`;
}

/** The tag colour of a standing. */
export function verdictColor(v: string): string {
  return v === 'met' ? 'green' : v === 'on_track' ? 'blue' : v === 'at_risk' ? 'red' : 'default';
}
