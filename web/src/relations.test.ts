import { describe, expect, it } from 'vitest';
import { conflictText, relationText, relationsText } from './relations';
import { zh } from './i18n/zh';
import { en } from './i18n/en';
import type { MsgKey } from './i18n/zh';

const tr = (dict: Record<string, string>) => (key: MsgKey, vars?: Record<string, string | number>) =>
  Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), dict[key] ?? key);

describe('relations', () => {
  it('turns every sentence the server writes into Chinese', () => {
    const t = tr(zh as Record<string, string>);
    expect(relationText('shared legal representative 赵六', t)).toBe('共同的法定代表人：赵六');
    expect(relationText('shared shareholder 孙八', t)).toContain('孙八');
    expect(relationText('legal representative 赵六 of one party is a shareholder of the other', t)).toContain('赵六');
    expect(relationText('shared actual controller 孙建国', t)).toContain('孙建国');
    expect(relationText('actual controller 孙建国 of one party is the legal representative or a shareholder of the other', t)).toContain('孙建国');
    expect(relationText("王五 is the supplier's actual controller", t)).toContain('王五');
    const dated = relationText('shared shareholder 赵六 (registered file in force until 2026-06-01)', t);
    expect(dated).toContain('2026-06-01');
    expect(dated).not.toMatch(/[A-Za-z]{3,}/);
    for (const s of [
      'shared shareholder 孙八',
      'legal representative 赵六 of one party is a shareholder of the other',
      'shared actual controller 孙建国',
      'actual controller 孙建国 of one party is the legal representative or a shareholder of the other',
      "王五 is the supplier's actual controller",
    ])
      expect(relationText(s, t)).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('keeps English in English and unknown sentences as sent', () => {
    const t = tr(en as Record<string, string>);
    expect(relationText('shared shareholder 孙八', t)).toBe('Shared shareholder: 孙八');
    expect(relationText('something new', t)).toBe('something new');
    expect(relationsText('shared shareholder 甲; shared legal representative 乙', t, ' · ')).toBe('Shared shareholder: 甲 · Shared legal representative: 乙');
    expect(relationsText(null, t, '；')).toBe('');
  });

  it('says each reviewer finding by its code, in Chinese and English, never the English text in zh', () => {
    const zhT = tr(zh as Record<string, string>);
    const enT = tr(en as Record<string, string>);
    const c = { code: 'reviewer_is_shareholder', subject: '王评审', text: 'the reviewer 王评审 is a shareholder of the enterprise' };
    expect(conflictText(c, zhT)).toBe('审核人王评审是该企业的股东');
    expect(conflictText(c, enT)).toContain('shareholder');
    for (const code of ['reviewer_is_legal_rep', 'reviewer_is_controller', 'declared_link', 'dishonest', 'unknown_code']) {
      const s = conflictText({ code, subject: '甲', text: 'English' }, zhT);
      expect(s).not.toMatch(/[A-Za-z]/);
    }
  });
});
