import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { takeBackup } from '../src/ops/backup.js';
import { checkDatabase } from '../src/ops/check.js';
import { lockDataDir } from '../src/ops/data-dir-lock.js';
import { isDatabaseInUse, RestoreError, restoreBackup, verifyBackup } from '../src/ops/restore.js';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

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
    // No current database (a new machine): the operator says how many of today's numbers to skip.
    await expect(restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now() })).rejects.toThrow(/no current database.*--skip-numbers/);
    const r = await restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now(), skipNumbers: 0 });
    expect(r.schemaBefore).toBe(1);
    expect(r.schemaAfter).toBe(loadMigrations().at(-1)!.version);
  });
});

describe('numbering after a restore', () => {
  /** A real server on dataDir issues n tickets for each of the three demo services. */
  async function issueEach(s: TestServer, n: number): Promise<{ number: string; serviceId: number }[]> {
    const services = (await s.api('GET', '/services')).body as { id: number }[];
    const out: { number: string; serviceId: number }[] = [];
    for (let i = 0; i < n; i++) {
      for (const svc of services) {
        const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: svc.id } });
        expect(r.status).toBe(201);
        out.push({ number: r.body.number, serviceId: svc.id });
      }
    }
    return out;
  }
  const seqOf = (n: string) => Number(n.slice(-3));

  it('carries today\'s last numbers from the current database: never a number already handed out', async () => {
    const dataDir = tmp();
    const backupDir = tmp();
    let s = await startTestServer({ dataDir });
    await issueEach(s, 3);
    const { file } = await takeBackup(s.db, { dir: backupDir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() });
    const afterBackup = await issueEach(s, 4); // on paper in citizens' hands, not in the backup
    await s.close({ keepData: true });

    const r = await restoreBackup({ backupFile: file, dataDir, port: 0, now: Date.now() });
    expect(r.numbering.source).toBe('carried');
    expect(r.numbering.gaps).toHaveLength(3);
    for (const g of r.numbering.gaps) expect([g.firstSeq, g.lastSeq]).toEqual([4, 7]);

    s = await startTestServer({ dataDir });
    try {
      const next = await issueEach(s, 1);
      for (const t of next) {
        const handedOut = afterBackup.filter((a) => a.serviceId === t.serviceId).map((a) => seqOf(a.number));
        expect(seqOf(t.number)).toBe(Math.max(...handedOut) + 1);
      }
      // The skipped range is on record, so the file stays consistent for the next backup.
      expect(checkDatabase(s.db)).toMatchObject({ ok: true, problems: [] });
      const backupAgain = await takeBackup(s.db, { dir: backupDir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() + 5000 });
      expect(verifyBackup(backupAgain.file).ok).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('with the current database unreadable, refuses to guess, and skips ahead by --skip-numbers', async () => {
    const dataDir = tmp();
    const backupDir = tmp();
    let s = await startTestServer({ dataDir });
    await issueEach(s, 2);
    const { file } = await takeBackup(s.db, { dir: backupDir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() });
    await s.close({ keepData: true });
    writeFileSync(join(dataDir, 'luot.sqlite'), Buffer.alloc(16384, 0x42)); // destroyed
    rmSync(join(dataDir, 'luot.sqlite-wal'), { force: true });

    await expect(restoreBackup({ backupFile: file, dataDir, port: 0, now: Date.now() })).rejects.toThrow(/cannot be read.*--skip-numbers/);
    const r = await restoreBackup({ backupFile: file, dataDir, port: 0, now: Date.now(), skipNumbers: 50 });
    expect(r.numbering.source).toBe('skipped');
    expect(r.numbering.gaps.map((g) => [g.firstSeq, g.lastSeq])).toEqual([
      [3, 52],
      [3, 52],
      [3, 52],
    ]);
    // The destroyed file is kept aside, as it was.
    expect(readdirSync(join(dataDir, 'replaced')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);

    s = await startTestServer({ dataDir });
    try {
      for (const t of await issueEach(s, 1)) expect(seqOf(t.number)).toBe(53);
      expect(checkDatabase(s.db).ok).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('refuses while another process holds the data directory (a server starting up), touching nothing', async () => {
    const dataDir = tmp();
    makeDb(join(dataDir, 'luot.sqlite'), 2, 'current');
    const backup = join(tmp(), 'b.sqlite');
    makeDb(backup, 1, 'backup');
    const lock = lockDataDir(dataDir);
    try {
      await expect(restoreBackup({ backupFile: backup, dataDir, port: 0, now: Date.now() })).rejects.toThrow(/Another Luot process.*stop the service first/);
    } finally {
      lock.release();
    }
    expect(marker(join(dataDir, 'luot.sqlite'))).toBe('current');
    expect(existsSync(join(dataDir, 'replaced'))).toBe(false);
  });
});
