import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceAlert } from '@luot/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeBackup } from '../src/ops/backup.js';
import { opsConfigFromEnv, startOperations, type Operations } from '../src/ops/index.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * A failed nightly backup is a staff alert from "Máy chủ / Server", not only a log line: a real
 * server and SQLite file, the real nightly job on a manual clock, a real backup folder that is
 * missing and then appears; alerts read over HTTP as the admin dashboard reads them.
 */
const TZ_OFFSET = '+07:00'; // the demo center's Asia/Ho_Chi_Minh
const clock = manualClock(Date.parse(`2026-03-04T01:00:00${TZ_OFFSET}`));
let s: TestServer;
let ops: Operations;
let root: string;
let stick: string;
beforeAll(async () => {
  s = await startTestServer({ clock });
  root = tempDataDir();
  stick = join(root, 'stick');
  const config = opsConfigFromEnv({ LUOT_DATA_DIR: s.dataDir, LUOT_BACKUP_DIR: stick, LUOT_BACKUP_AT: '02:00', LUOT_DISCOVERY_PORT: 'off', LUOT_RETENTION_DAYS: '0' });
  ops = await startOperations({ db: s.db, repos: s.server.ctx.repos, clock, logger: pino({ level: 'silent' }), config, tickMs: 3_600_000, alerts: s.server.ctx.alerts });
});
afterAll(async () => {
  await ops.stop();
  await s.close();
  rmSync(root, { recursive: true, force: true });
});

// Signed in afresh each time: the manual clock moves past a sign-in's 16 hours.
const backupAlerts = async () =>
  ((await s.api('GET', '/alerts', { token: await s.login('admin') })).body as DeviceAlert[]).filter((a) => a.code.startsWith('backup_'));

describe('backup alerts for staff', () => {
  it('the stick missing at the nightly time raises the alert; a backup once it is back clears it; the status says so', async () => {
    expect(ops.status()).toMatchObject({ backupDir: stick, lastBackup: null, lastBackupError: null });
    clock.set(Date.parse(`2026-03-04T02:01:00${TZ_OFFSET}`));
    expect(await ops.tick()).toBe(true);
    const [alert, ...more] = await backupAlerts();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ deviceId: 0, deviceName: 'Máy chủ / Server', code: 'backup_folder_missing', active: true });
    expect(alert!.messageVi).toContain(`không thấy thư mục sao lưu ${stick}`);
    expect(alert!.message).toContain(`the backup folder ${stick} is missing`);
    expect(ops.status().lastBackupError?.message).toContain('does not exist');

    // A device cannot clear (or raise) the server's own code.
    const forged = await s.api('POST', '/alerts', { token: s.kioskToken, body: { code: 'backup_folder_missing', message: 'x', messageVi: 'x', active: false } });
    expect(forged.status).toBe(400);
    expect(await backupAlerts()).toHaveLength(1);

    // Plugged back in; the hourly retry takes the backup and the alert is over.
    mkdirSync(stick);
    clock.advance(30 * 60_000);
    expect(await ops.tick()).toBe(false); // not an hour yet
    clock.advance(31 * 60_000);
    expect(await ops.tick()).toBe(true);
    expect(await backupAlerts()).toEqual([]);
    const st = ops.status();
    expect(st.lastBackupError).toBeNull();
    expect(st.lastBackup?.file).toMatch(new RegExp(`^${stick}/luot-2026-03-04-\\d{6}\\.sqlite$`));
  });

  it('a backup taken by hand (scripts/backup) after a failed night clears the alert at the next check', async () => {
    rmSync(stick, { recursive: true, force: true });
    clock.set(Date.parse(`2026-03-05T02:05:00${TZ_OFFSET}`));
    expect(await ops.tick()).toBe(true);
    expect((await backupAlerts()).map((a) => a.code)).toEqual(['backup_folder_missing']);

    mkdirSync(stick);
    clock.advance(10 * 60_000);
    const byHand = await takeBackup(s.db, { dir: stick, keep: 14, timeZone: 'Asia/Ho_Chi_Minh', now: clock.now() });
    clock.advance(60 * 60_000);
    // Today's backup is there: the job does not take another, and the alert is over.
    expect(await ops.tick()).toBe(false);
    expect(await backupAlerts()).toEqual([]);
    expect(ops.status().lastBackup?.file).toBe(byHand.file);
  });
});
