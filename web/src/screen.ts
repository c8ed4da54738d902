// The screen's size class: below antd's `md` (768 px) is a phone. The layouts move their menus into
// a drawer there, and tables let every column scroll (a fixed column would fill the screen).
import { Grid } from 'antd';

/** Whether the screen is narrower than antd's `md` (a phone). */
export function usePhone(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measure `md` is undefined: the desktop layout until known.
  return screens.md === false;
}
