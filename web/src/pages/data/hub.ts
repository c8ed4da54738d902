// The authorization hub's rules the forms follow (the server decides; these only shape the form).
import type { AuthorizationLevel, DataClass } from '../../api/types';

/**
 * The level an authorization's parent must be: a sub-domain is under an overall authorization, a
 * public-data scenario under a sub-domain; an overall authorization and a personal or
 * legal-person scenario (on the subjects' own consent) have none.
 */
export function parentLevelOf(level: AuthorizationLevel, dataClass: DataClass): AuthorizationLevel | null {
  if (level === 'sub_domain') return 'overall';
  if (level === 'scenario' && dataClass === 'public') return 'sub_domain';
  return null;
}

/** What a check must name besides the fields: a resource code for public data, a subject otherwise. */
export function checkNeeds(dataClass: DataClass): 'resource' | 'subject' {
  return dataClass === 'public' ? 'resource' : 'subject';
}

/** The subject kind a scenario's consents are given by. */
export function subjectKindOf(dataClass: DataClass): 'natural_person' | 'legal_person' | null {
  if (dataClass === 'personal') return 'natural_person';
  if (dataClass === 'legal_person') return 'legal_person';
  return null;
}

/** The lines of a disclosure that are filled in (an empty row of the form is left out). */
export function filledLines(lines: ({ name?: string; description?: string } | undefined)[] | undefined): { name: string; description: string }[] {
  return (lines ?? [])
    .filter((l): l is { name?: string; description?: string } => !!l && !!(l.name ?? '').trim())
    .map((l) => ({ name: l.name!.trim(), description: (l.description ?? '').trim() }));
}
