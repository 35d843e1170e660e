import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupStatus } from '@luot/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_FILE, takeBackup } from '../src/ops/backup.js';
import { opsConfigFromEnv, startOperations, type Operations } from '../src/ops/index.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * GET /api/v1/admin/backups, the admin dashboard's backup card: a real server and SQLite file,
 * the operations started and handed to the server as main.ts does, a real backup folder that gets
 * a backup, loses the stick and gets it back; read over HTTP as the admin page reads it.
 */
const TZ_OFFSET = '+07:00'; // the demo center's Asia/Ho_Chi_Minh
const clock = manualClock(Date.parse(`2026-03-04T01:00:00${TZ_OFFSET}`));
let s: TestServer;
let ops: Operations | null = null;
let root: string;
let stick: string;
let admin: string;
beforeAll(async () => {
  s = await startTestServer({ clock });
  root = tempDataDir();
  stick = join(root, 'stick');
  mkdirSync(stick);
  admin = await s.login('admin');
});
afterAll(async () => {
  await ops?.stop();
  await s.close();
  rmSync(root, { recursive: true, force: true });
});

const read = async (): Promise<BackupStatus> => {
  const r = await s.api('GET', '/admin/backups', { token: admin });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as BackupStatus;
};

describe('GET /admin/backups', () => {
  it('without the operations (a server built without main.ts): no folder, nothing backed up, the default time', async () => {
    expect(await read()).toEqual({ folder: null, folderPresent: false, keep: 14, at: '02:00', lastBackup: null, lastError: null });
    const officer = await s.api('GET', '/admin/backups', { token: await s.login('canbo1') });
    expect(officer.status).toBe(403);
  });

  it('before a backup, after one, after a hand-made one, with the stick pulled out, after a failure, and back', async () => {
    const config = opsConfigFromEnv({ LUOT_DATA_DIR: s.dataDir, LUOT_BACKUP_DIR: stick, LUOT_BACKUP_AT: '02:30', LUOT_BACKUP_KEEP: '5', LUOT_DISCOVERY_PORT: 'off', LUOT_RETENTION_DAYS: '0' });
    const started = await startOperations({ db: s.db, repos: s.server.ctx.repos, clock, logger: pino({ level: 'silent' }), config, tickMs: 3_600_000, alerts: s.server.ctx.alerts });
    ops = started;
    s.server.useBackupStatus(() => started.backupStatus());

    // Set, the folder there, nothing taken yet.
    expect(await read()).toEqual({ folder: stick, folderPresent: true, keep: 5, at: '02:30', lastBackup: null, lastError: null });

    // The server's own backup: its time (the center's offset), the file's name only, its size.
    const taken = await started.backupNow();
    const first = await read();
    expect(first.lastError).toBeNull();
    expect(first.lastBackup).toEqual({ at: `2026-03-04T01:00:00.000${TZ_OFFSET}`, file: taken.file.slice(stick.length + 1), bytes: statSync(taken.file).size });
    expect(first.lastBackup!.file).toMatch(BACKUP_FILE);

    // A backup taken by hand (scripts/backup does the same) is newer: shown, with its file's time.
    const byHand = await takeBackup(s.db, { dir: stick, keep: 5, timeZone: 'Asia/Ho_Chi_Minh', now: clock.now() + 3_600_000 });
    const second = await read();
    expect(second.lastBackup).toEqual({ at: expect.any(String), file: byHand.file.slice(stick.length + 1), bytes: statSync(byHand.file).size });
    expect(Date.parse(second.lastBackup!.at)).toBe(Math.floor(statSync(byHand.file).mtimeMs));

    // The stick pulled out: seen at once, before any attempt fails.
    rmSync(stick, { recursive: true });
    const pulled = await read();
    expect(pulled).toMatchObject({ folder: stick, folderPresent: false, lastError: null });
    expect(pulled.lastBackup?.file).toBe(first.lastBackup!.file); // the server's own record stays

    // The attempt fails: the error with its time and the reason.
    clock.advance(60_000);
    await expect(started.backupNow()).rejects.toThrow();
    const failed = await read();
    expect(failed.folderPresent).toBe(false);
    expect(failed.lastError).toEqual({ at: `2026-03-04T01:01:00.000${TZ_OFFSET}`, message: expect.stringContaining('does not exist') });

    // Plugged back in and a backup succeeds: the error is gone, the new backup shown.
    mkdirSync(stick);
    clock.advance(60_000);
    const again = await started.backupNow();
    const back = await read();
    expect(back).toMatchObject({ folderPresent: true, lastError: null, lastBackup: { at: `2026-03-04T01:02:00.000${TZ_OFFSET}`, file: again.file.slice(stick.length + 1) } });
  });
});
