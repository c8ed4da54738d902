// Every page of the menu has its icon (they live apart from routes.tsx, in the console frame's chunk).
import { describe, expect, it } from 'vitest';
import { PAGES } from '../routes';
import { MENU_ICONS } from './menuIcons';

describe('menu icons', () => {
  it('has an icon for every console page and none for a page that is not one', () => {
    for (const p of PAGES) expect(MENU_ICONS[p.path], p.path).toBeTruthy();
    const paths = new Set(PAGES.map((p) => p.path));
    expect(Object.keys(MENU_ICONS).filter((k) => !paths.has(k))).toEqual([]);
  });
});
