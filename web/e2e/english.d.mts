// Types of e2e/english.mjs, for its unit test (src/englishText.test.ts).
export const ALLOWED_WORDS: Set<string>;
export const ALLOWED_CODES: Set<string>;
export const UI_ACRONYMS: Set<string>;
export function classifyToken(tok: string): 'word' | 'key' | 'code' | null;
export function englishFragments(text: string, allowedPhrases?: string[]): string[];
