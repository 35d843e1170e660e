#!/usr/bin/env node
// Copies non-TypeScript assets (SQL migrations, fonts, sounds) next to the compiled output,
// because tsc only emits .js. Usage: copy-assets.mjs <from> <to> (relative to the cwd).
import { cpSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: copy-assets.mjs <from> <to>');
  process.exit(2);
}
if (existsSync(from)) cpSync(resolve(from), resolve(to), { recursive: true });
