import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { takeBackup } from '../src/ops/backup.js';
import { isDatabaseInUse, RestoreError, restoreBackup, verifyBackup } from '../src/ops/restore.js';
import { tempDataDir } from './helpers/test-server.js';

const dirs: string[] = [];
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A small database with one service and `n` tickets issued the way the queue does it. */
function makeDb(file: string, n: number, marker: string): void {
  const db = openDatabase(file);
  db.exec(`INSERT OR IGNORE INTO services (id, code, name_vi, name_en, prefix) VALUES (1, 'land', 'Đất đai', 'Land', 'A')`);
  db.prepare(`INSERT INTO settings (key, value) VALUES ('marker', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(marker));
  for (let i = 1; i <= n; i++) {
    const id = `${marker}-${i}`;
    db.prepare(`INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES ('2026-03-04', 1, 1) ON CONFLICT DO UPDATE SET last_seq = last_seq + 1`).run();
    db.prepare(
      `INSERT INTO tickets (id, business_day, service_id, seq, number, priority, status, issued_at, queued_at, issue_service_id)
       VALUES (?, '2026-03-04', 1, ?, ?, 0, 'waiting', 1, 1, 1)`,
    ).run(id, i, `A${String(i).padStart(3, '0')}`);
    db.prepare(`INSERT INTO ticket_events (at, type, action, ticket_id, payload) VALUES (1, 'ticket:issued', 'issue', ?, '{}')`).run(id);
  }
  db.close();
}
const marker = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return JSON.parse((db.prepare(`SELECT value FROM settings WHERE key = 'marker'`).get() as { value: string }).value) as string;
  } finally {
    db.close();
  }
};

describe('restore', () => {
  it('swaps in the backup and keeps the replaced database, WAL included, aside', async () => {
    const dataDir = tmp();
    const dbFile = join(dataDir, 'luot.sqlite');
    makeDb(dbFile, 3, 'old');
    const backupDir = tmp();
    makeDb(join(backupDir, 'src.sqlite'), 5, 'backup');
    const live = new Database(join(backupDir, 'src.sqlite'));
    const { file } = await takeBackup(live, { dir: backupDir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() });
    live.close();

    // The current database has a transaction only in its WAL (as after a crash).
    const cur = new Database(dbFile);
    cur.pragma('wal_autocheckpoint = 0');
    cur.prepare(`UPDATE settings SET value = '"old-in-wal"' WHERE key = 'marker'`).run();
    copyFileSync(dbFile, join(dataDir, 'snap.sqlite'));
    copyFileSync(`${dbFile}-wal`, join(dataDir, 'snap.sqlite-wal'));
    cur.close(); // (closing checkpoints; restore the crash state from the snapshot)
    rmSync(dbFile);
    copyFileSync(join(dataDir, 'snap.sqlite'), dbFile);
    copyFileSync(join(dataDir, 'snap.sqlite-wal'), `${dbFile}-wal`);
    rmSync(join(dataDir, 'snap.sqlite'));
    rmSync(join(dataDir, 'snap.sqlite-wal'));

    const r = await restoreBackup({ backupFile: file, dataDir, port: 0, now: Date.parse('2026-03-05T09:30:00+07:00'), timeZone: 'Asia/Ho_Chi_Minh' });
    expect(r.tickets).toBe(5);
    expect(r.keptAside).toBe(join(dataDir, 'replaced', 'luot-before-restore-2026-03-05-093000.sqlite'));
    expect(marker(dbFile)).toBe('backup');
    // The replaced database opens with its last (WAL-only) transaction.
    expect(marker(r.keptAside!)).toBe('old-in-wal');
    expect(readdirSync(dataDir).filter((f) => f.includes('restoring'))).toEqual([]);

    // A second restore in the same second keeps the first one's leftover too.
    const again = await restoreBackup({ backupFile: file, dataDir, port: 0, now: Date.parse('2026-03-05T09:30:00+07:00'), timeZone: 'Asia/Ho_Chi_Minh' });
    expect(again.keptAside).toMatch(/luot-before-restore-2026-03-05-093000-2\.sqlite$/);
    expect(existsSync(r.keptAside!)).toBe(true);
  });

  it('refuses while the database is open (the server runs), touching nothing', async () => {
    const dataDir = tmp();
    const dbFile = join(dataDir, 'luot.sqlite');
    makeDb(dbFile, 2, 'current');
    const backup = join(tmp(), 'b.sqlite');
    makeDb(backup, 1, 'backup');
    const server = openDatabase(dbFile);
    try {
      expect(isDatabaseInUse(dbFile)).toBe(true);
      await expect(restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now() })).rejects.toThrow(/stop the service/);
      expect(existsSync(join(dataDir, 'replaced'))).toBe(false);
    } finally {
      server.close();
    }
    expect(isDatabaseInUse(dbFile)).toBe(false);
    expect(marker(dbFile)).toBe('current');
  });

  it('refuses a backup written by a newer Luot', () => {
    const file = join(tmp(), 'newer.sqlite');
    makeDb(file, 1, 'x');
    const db = new Database(file);
    db.pragma(`user_version = ${(loadMigrations().at(-1)?.version ?? 0) + 1}`);
    db.close();
    expect(() => verifyBackup(file)).toThrow(/newer than this Luot/);
  });

  it('refuses a damaged or foreign file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'junk.sqlite'), Buffer.alloc(8192, 7));
    expect(() => verifyBackup(join(dir, 'junk.sqlite'))).toThrow(RestoreError);
    const other = new Database(join(dir, 'other.sqlite'));
    other.exec('CREATE TABLE x (a)');
    other.close();
    expect(() => verifyBackup(join(dir, 'other.sqlite'))).toThrow(/not a consistent Luot database/);
    expect(() => verifyBackup(join(dir, 'missing.sqlite'))).toThrow(/not found/);

    // A ticket whose events are missing, and a sequence out of step.
    const broken = join(dir, 'broken.sqlite');
    makeDb(broken, 3, 'b');
    const db = new Database(broken);
    db.exec(`DELETE FROM ticket_events WHERE ticket_id = 'b-2'; UPDATE day_sequences SET last_seq = 7`);
    db.close();
    expect(() => verifyBackup(broken)).toThrow(/1 ticket\(s\) without any event.*sequence row 7/);
  });

  it('upgrades an older backup on restore (schema v1 -> current)', async () => {
    const backup = join(tmp(), 'v1.sqlite');
    const db = new Database(backup);
    migrate(db, loadMigrations().slice(0, 1));
    db.close();
    const dataDir = tmp();
    const r = await restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now() });
    expect(r.schemaBefore).toBe(1);
    expect(r.schemaAfter).toBe(loadMigrations().at(-1)!.version);
  });
});
