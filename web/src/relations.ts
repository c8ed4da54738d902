// The server states a relation between two parties (affiliation, an expert's or a reviewer's
// recusal) in fixed English sentences (quan_domain::related_parties, related_files,
// related_since, expert_conflicts). They are turned into the UI's language here; a sentence
// this does not know is shown as sent.
import type { MsgKey } from './i18n/zh';

type T = (key: MsgKey, vars?: Record<string, string | number>) => string;

const PATTERNS: Array<[RegExp, MsgKey]> = [
  [/^shared legal representative (.+)$/, 'rel.sharedRep'],
  [/^shared shareholder (.+)$/, 'rel.sharedShareholder'],
  [/^legal representative (.+) of one party is a shareholder of the other$/, 'rel.repIsShareholder'],
  [/^shared actual controller (.+)$/, 'rel.sharedController'],
  [/^actual controller (.+) of one party is the legal representative or a shareholder of the other$/, 'rel.controllerIsRep'],
  [/^(.+) is the supplier's actual controller$/, 'rel.expertIsController'],
];

/** One relation sentence in the UI's language. */
export function relationText(sentence: string, t: T): string {
  let s = sentence.trim();
  let until: string | null = null;
  const m = /^(.*) \(registered file in force until (\d{4}-\d{2}-\d{2})\)$/.exec(s);
  if (m) {
    s = m[1];
    until = m[2];
  }
  let out = s;
  for (const [re, key] of PATTERNS) {
    const hit = re.exec(s);
    if (hit) {
      out = t(key, { name: hit[1] });
      break;
    }
  }
  return until ? t('rel.until', { text: out, date: until }) : out;
}

/** A list of relations as the server joins them ("; "), each in the UI's language. */
export function relationsText(joined: string | null | undefined, t: T, sep: string): string {
  if (!joined) return '';
  return joined
    .split(/;\s+/)
    .map((r) => relationText(r, t))
    .join(sep);
}

/** What the reader must know of an applicant (Application.conflicts), in the UI's language. */
export interface ConflictFinding {
  code: string;
  subject?: string | null;
  text: string;
}
const CONFLICT_KEYS: Record<string, MsgKey> = {
  reviewer_is_legal_rep: 'conflict.reviewer_is_legal_rep',
  reviewer_is_shareholder: 'conflict.reviewer_is_shareholder',
  reviewer_is_controller: 'conflict.reviewer_is_controller',
  declared_link: 'conflict.declared_link',
  dishonest: 'conflict.dishonest',
};
export function conflictText(c: ConflictFinding, t: T): string {
  return t(CONFLICT_KEYS[c.code] ?? 'conflict.other', { name: c.subject ?? '' });
}
