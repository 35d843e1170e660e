import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { takeBackup } from '../src/ops/backup.js';
import { restoreBackup } from '../src/ops/restore.js';
import { ensureIdentity, moveEpochOnAfterRestore, readIdentity, setEpoch } from '../src/province/identity.js';
import { tempDataDir } from './helpers/test-server.js';

/**
 * A center database's identity towards the province (docs/province.md): a stable centerUid and an
 * epoch that only a restore (or the shipper, when it finds the database went back) moves on.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshDb() {
  const dir = tempDataDir();
  dirs.push(dir);
  return { dir, db: openDatabase(join(dir, 'luot.sqlite')) };
}

describe('center identity', () => {
  it('is created once (uuid v4, epoch 1) and stays', () => {
    const { db } = freshDb();
    expect(readIdentity(db)).toBeNull();
    const id = ensureIdentity(db);
    expect(id.centerUid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.epoch).toBe(1);
    expect(ensureIdentity(db)).toEqual(id);
    setEpoch(db, 3);
    setEpoch(db, 2); // never back
    expect(readIdentity(db)).toEqual({ centerUid: id.centerUid, epoch: 3 });
    db.close();
  });

  it('a restored copy keeps the uid and takes an epoch past both its own and the replaced one', () => {
    const backup = freshDb().db;
    const live = freshDb().db;
    // A backup from before the center ever shipped: the replaced database's uid is carried.
    const liveId = ensureIdentity(live);
    setEpoch(live, 4);
    expect(moveEpochOnAfterRestore(backup, readIdentity(live))).toEqual({ centerUid: liveId.centerUid, epoch: 5 });
    // Neither ever shipped: nothing to do.
    const a = freshDb().db;
    expect(moveEpochOnAfterRestore(a, null)).toBeNull();
    expect(readIdentity(a)).toBeNull();
    for (const d of [backup, live, a]) d.close();
  });

  it('the restore tool moves the epoch on', async () => {
    const { dir, db } = freshDb();
    const id = ensureIdentity(db);
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const now = Date.parse('2026-11-20T09:00:00+07:00');
    const b = await takeBackup(db, { dir: backups, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now });
    db.close();
    await restoreBackup({ backupFile: b.file, dataDir: dir, port: 0, now: now + 60_000, timeZone: 'Asia/Ho_Chi_Minh' });
    const restored = openDatabase(join(dir, 'luot.sqlite'));
    expect(readIdentity(restored)).toEqual({ centerUid: id.centerUid, epoch: 2 });
    restored.close();
    // Restored again from the same backup: past the epoch of the database it replaces.
    await restoreBackup({ backupFile: b.file, dataDir: dir, port: 0, now: now + 120_000, timeZone: 'Asia/Ho_Chi_Minh' });
    const again = openDatabase(join(dir, 'luot.sqlite'));
    expect(readIdentity(again)).toEqual({ centerUid: id.centerUid, epoch: 3 });
    again.close();
  });
});

describe('province settings (LUOT_PROVINCE_URL, LUOT_PROVINCE_KEY)', () => {
  it('both or neither, a real address, a real key', async () => {
    const { provinceConfigFromEnv } = await import('../src/province/config.js');
    const key = 'A'.repeat(43);
    expect(provinceConfigFromEnv({})).toBeNull();
    expect(provinceConfigFromEnv({ LUOT_PROVINCE_URL: 'https://tinh.example.vn/luot/', LUOT_PROVINCE_KEY: key })).toEqual({ url: 'https://tinh.example.vn/luot', key });
    expect(() => provinceConfigFromEnv({ LUOT_PROVINCE_URL: 'https://tinh.example.vn' })).toThrow(/go together/);
    expect(() => provinceConfigFromEnv({ LUOT_PROVINCE_KEY: key })).toThrow(/go together/);
    expect(() => provinceConfigFromEnv({ LUOT_PROVINCE_URL: 'ftp://x', LUOT_PROVINCE_KEY: key })).toThrow(/http/);
    expect(() => provinceConfigFromEnv({ LUOT_PROVINCE_URL: 'https://u:p@x.vn', LUOT_PROVINCE_KEY: key })).toThrow(/user or password/);
    expect(() => provinceConfigFromEnv({ LUOT_PROVINCE_URL: 'https://x.vn', LUOT_PROVINCE_KEY: 'short' })).toThrow(/LUOT_PROVINCE_KEY/);
  });
});
