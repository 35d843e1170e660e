import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { takeBackup } from '../../src/ops/backup.js';
import { freePort, spawnServer, tempDataDir } from '../helpers/test-server.js';
import { get, post, runServerUntilExit } from './fault-helpers.js';

/**
 * Damaged pages in a real SQLite file: the server refuses to start, names the newest backup that
 * is good (not merely the newest), and the restore command; it never serves the damaged data.
 * Needs `pnpm exec tsc -b`.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};

/** Overwrites `pages` whole pages in the middle of the file with a pattern no page has. */
function damagePages(file: string, pages: number): void {
  const pageSize = 4096;
  const total = Math.floor(statSync(file).size / pageSize);
  const first = Math.floor(total / 2) - Math.floor(pages / 2);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pages * pageSize, 0xa5), 0, pages * pageSize, first * pageSize);
  } finally {
    closeSync(fd);
  }
}

const quickCheck = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (err) {
    return [(err as Error).message];
  } finally {
    db.close();
  }
};

describe('a database with damaged pages', () => {
  it('is refused at start with the newest good backup and the restore command; never served', async () => {
    const dataDir = tmp();
    const backupDir = tmp();
    const dbFile = join(dataDir, 'luot.sqlite');
    // A real center's database: the demo, 60 tickets issued through the API.
    const port = await freePort();
    const { child, url } = await spawnServer(dataDir, port);
    const admin = (await post(url, '/auth/login', null, { username: 'admin', password: 'admin-pass' })).body.token as string;
    const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'k' })).body.token as string;
    const services = (await get(url, '/services')).body as { id: number }[];
    for (let i = 0; i < 60; i++) expect((await post(url, '/tickets', kiosk, { serviceId: services[i % 3]!.id })).status).toBe(201);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    // Two nightly backups; the newer one is itself damaged (a stick going bad).
    const live = openDatabase(dbFile);
    const older = await takeBackup(live, { dir: backupDir, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.parse('2026-03-03T02:00:00+07:00') });
    const newer = await takeBackup(live, { dir: backupDir, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: Date.parse('2026-03-04T02:00:00+07:00') });
    live.close();
    damagePages(newer.file, 2);
    damagePages(dbFile, 3);
    expect(quickCheck(dbFile)).not.toEqual(['ok']);

    const r = await runServerUntilExit(dataDir, { port, env: { LUOT_BACKUP_DIR: backupDir } });
    expect(r.code).toBe(5);
    expect(r.ms).toBeLessThan(2000);
    expect(r.stderr).toContain(`The database ${dbFile} is damaged`);
    expect(r.stderr).toContain(`Cơ sở dữ liệu ${dbFile} bị hỏng`);
    expect(r.stderr).toContain(`Newest good backup: ${older.file}.`);
    expect(r.stderr).toMatch(new RegExp(`Restore it with: \\S*/scripts/restore ${older.file.replace(/[.]/g, '\\.')}`));
    expect(r.stderr).not.toContain(`Newest good backup: ${newer.file}`);
    // Never listened: nothing answered on the port while it ran.
    expect(r.stdout).not.toContain('is running');
  });

  it('is refused when the file is not a database at all, saying no good backup was found', async () => {
    const dataDir = tmp();
    mkdirSync(dataDir, { recursive: true });
    const fd = openSync(join(dataDir, 'luot.sqlite'), 'w');
    writeSync(fd, Buffer.alloc(16384, 0x42));
    closeSync(fd);
    const r = await runServerUntilExit(dataDir);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('is damaged');
    expect(r.stderr).toContain('No good backup found in (LUOT_BACKUP_DIR');
  });
});
