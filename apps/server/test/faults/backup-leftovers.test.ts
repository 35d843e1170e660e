import { execFile } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/open.js';
import { createRepos } from '../../src/db/repos.js';
import { listBackups, takeBackup } from '../../src/ops/backup.js';
import { opsConfigFromEnv } from '../../src/ops/config.js';
import { startOperations } from '../../src/ops/index.js';
import { tempDataDir } from '../helpers/test-server.js';

/**
 * A backup killed in the middle of its copy (a real SIGKILL, at the step the test names) leaves
 * its `.partial` and `.partial-journal` on the stick; the next backup, and the next start of the
 * server, remove them. The killed backup runs the built code (`pnpm exec tsc -b`).
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
const backupJs = fileURLToPath(new URL('../../dist/src/ops/backup.js', import.meta.url));
const openJs = fileURLToPath(new URL('../../dist/src/db/open.js', import.meta.url));

/** Runs the built takeBackup in its own process, a few pages per step, killed at `crashAt`. */
function killedBackup(dbFile: string, dir: string, crashAt: string): Promise<NodeJS.Signals | null> {
  const script = join(dir, '..', `backup-${Date.now()}.mjs`);
  writeFileSync(
    script,
    `import { openDatabase } from ${JSON.stringify(openJs)};
     import { takeBackup } from ${JSON.stringify(backupJs)};
     const db = openDatabase(${JSON.stringify(dbFile)});
     await takeBackup(db, { dir: ${JSON.stringify(dir)}, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now(), pagesPerStep: 4 });`,
  );
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [script], { env: { ...process.env, LUOT_TEST_CRASH_AT: crashAt } });
    child.once('exit', (_code, signal) => {
      rmSync(script, { force: true });
      resolve(signal);
    });
  });
}

function bigDatabase(): string {
  const file = join(tmp(), 'luot.sqlite');
  const db = openDatabase(file);
  const insert = db.prepare(`INSERT INTO audit_log (at, action, detail) VALUES (1, 'pad', ?)`);
  for (let i = 0; i < 300; i++) insert.run(JSON.stringify({ pad: 'x'.repeat(900) }));
  db.close();
  return file;
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('.partial')).sort();

describe('a killed backup', () => {
  it('leaves a .partial and its journal, which the next backup removes', async () => {
    const dbFile = bigDatabase();
    const stick = tmp();
    expect(await killedBackup(dbFile, stick, 'backup-step')).toBe('SIGKILL');
    const left = leftovers(stick);
    expect(left.some((f) => f.endsWith('.partial-journal'))).toBe(true);
    expect(left.some((f) => f.endsWith('.partial'))).toBe(true);
    expect(listBackups(stick)).toEqual([]);

    const db = openDatabase(dbFile);
    try {
      const r = await takeBackup(db, { dir: stick, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() + 1000 });
      expect(leftovers(stick)).toEqual([]);
      expect(listBackups(stick)).toEqual([r.file]);
    } finally {
      db.close();
    }
  });

  it('killed after its check but before its rename leaves no backup-looking file; the server start cleans up', async () => {
    const dbFile = bigDatabase();
    const stick = tmp();
    expect(await killedBackup(dbFile, stick, 'backup-verified')).toBe('SIGKILL');
    expect(await killedBackup(dbFile, stick, 'backup-step')).toBe('SIGKILL');
    expect(leftovers(stick).length).toBeGreaterThanOrEqual(2);
    expect(listBackups(stick)).toEqual([]);

    const db = openDatabase(dbFile);
    const ops = await startOperations({
      db,
      repos: createRepos(db),
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      config: { ...opsConfigFromEnv({ LUOT_DATA_DIR: join(dbFile, '..'), LUOT_BACKUP_DIR: stick, LUOT_DISCOVERY_PORT: 'off', LUOT_LOG_FILE: 'off' }) },
    });
    try {
      expect(leftovers(stick)).toEqual([]);
    } finally {
      await ops.stop();
      db.close();
    }
  });
});
