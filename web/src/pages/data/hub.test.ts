import { describe, expect, it } from 'vitest';
import { checkNeeds, filledLines, parentLevelOf, subjectKindOf } from './hub';

describe('hub form rules', () => {
  it('puts each level under the right parent', () => {
    expect(parentLevelOf('overall', 'public')).toBeNull();
    expect(parentLevelOf('sub_domain', 'public')).toBe('overall');
    expect(parentLevelOf('scenario', 'public')).toBe('sub_domain');
    expect(parentLevelOf('scenario', 'personal')).toBeNull();
    expect(parentLevelOf('scenario', 'legal_person')).toBeNull();
  });
  it('asks a check for a resource or a subject', () => {
    expect(checkNeeds('public')).toBe('resource');
    expect(checkNeeds('personal')).toBe('subject');
    expect(subjectKindOf('personal')).toBe('natural_person');
    expect(subjectKindOf('legal_person')).toBe('legal_person');
    expect(subjectKindOf('public')).toBeNull();
  });
  it('keeps the filled lines of a disclosure', () => {
    expect(filledLines([{ name: ' A ', description: ' d ' }, { name: '' }, undefined, { name: 'B' }])).toEqual([
      { name: 'A', description: 'd' },
      { name: 'B', description: '' },
    ]);
    expect(filledLines(undefined)).toEqual([]);
  });
});
