// Where the bench finds the BUILT server (run `pnpm build` first) and its dependencies.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverDir = join(repoRoot, 'apps', 'server');
export const distDir = join(serverDir, 'dist', 'src');

if (!existsSync(join(distDir, 'server.js')) || !existsSync(join(distDir, 'db', 'migrations'))) {
  console.error(`The built server is missing (${distDir}): run \`pnpm build\` first.`);
  process.exit(2);
}

/** Resolves packages the way apps/server does (better-sqlite3 is its dependency, not the root's). */
export const requireFromServer = createRequire(join(serverDir, 'package.json'));
