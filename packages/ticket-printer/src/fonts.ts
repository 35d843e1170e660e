import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';

/** Family names we register the bundled fonts under; unique, so a system font never stands in. */
export const FONT_REGULAR = 'LuotTicketSans';
export const FONT_BOLD = 'LuotTicketSansBold';

/**
 * The package's `fonts/` folder. Found by walking up from this file to our package.json,
 * because this module runs from `src/` under vitest and from `dist/` once built, and the
 * fonts are not copied into either.
 */
export function fontsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@luot/ticket-printer') {
      return join(dir, 'fonts');
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('@luot/ticket-printer: cannot find the package folder holding fonts/');
    dir = parent;
  }
}

let registered = false;

/** Registers DejaVu Sans (regular and bold) once per process; idempotent. */
export function registerTicketFonts(dir: string = fontsDir()): void {
  if (registered) return;
  const ok =
    GlobalFonts.registerFromPath(join(dir, 'DejaVuSans.ttf'), FONT_REGULAR) !== null &&
    GlobalFonts.registerFromPath(join(dir, 'DejaVuSans-Bold.ttf'), FONT_BOLD) !== null;
  if (!ok) throw new Error(`@luot/ticket-printer: cannot load the DejaVu fonts from ${dir}`);
  registered = true;
}
