import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { BackupError, hasBackupSince, listBackups, pruneBackups, takeBackup } from '../src/ops/backup.js';
import { checkDatabase } from '../src/ops/check.js';
import { restoreBackup } from '../src/ops/restore.js';
import { ADMIN_PASSWORD, freePort, spawnServer, startTestServer, tempDataDir } from './helpers/test-server.js';

const run = promisify(execFile);
const cli = (name: string) => fileURLToPath(new URL(`../dist/src/cli/${name}.js`, import.meta.url));
const dirs: string[] = [];
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function post(url: string, path: string, token: string | null, body: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Kiosks issuing tickets as fast as they can until stopped; returns the acknowledged tickets. */
function issueBurst(url: string, kiosk: string, workers = 4) {
  const acknowledged: { id: string; number: string }[] = [];
  let stop = false;
  const all = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const r = await post(url, '/tickets', kiosk, { serviceId: ((w + i) % 3) + 1 });
      if (r.status === 201) acknowledged.push(r.body);
    }
  });
  return {
    acknowledged,
    async stop() {
      stop = true;
      await Promise.all(all);
    },
  };
}

describe('nightly backup (in the server process)', () => {
  it('taken while tickets are being issued, restores to a consistent database', async () => {
    const s = await startTestServer();
    const backupDir = tmp();
    try {
      const burst = issueBurst(s.url, s.kioskToken);
      while (burst.acknowledged.length < 100) await new Promise((r) => setTimeout(r, 5));
      const before = burst.acknowledged.length;
      // One page per step: the kiosks' transactions land between the steps of the copy.
      const r = await takeBackup(s.db, { dir: backupDir, keep: 14, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now(), pagesPerStep: 1 });
      const duringOrAfter = burst.acknowledged.length;
      await burst.stop();
      expect(duringOrAfter).toBeGreaterThan(before); // tickets were issued while the copy ran
      expect(r.tickets).toBeGreaterThanOrEqual(before);
      expect(r.file).toMatch(/luot-\d{4}-\d{2}-\d{2}-\d{6}\.sqlite$/);
      expect(readdirSync(backupDir)).toEqual([r.file.slice(backupDir.length + 1)]); // no .partial, no -wal

      // Restore it into a fresh data dir and check what a server would open (no current database
      // there: the operator says no number needs skipping).
      const dataDir = tmp();
      const restored = await restoreBackup({ backupFile: r.file, dataDir, port: 0, now: Date.now(), skipNumbers: 0 });
      expect(restored.keptAside).toBeNull();
      const db = openDatabase(join(dataDir, 'luot.sqlite'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const check = checkDatabase(db);
        expect(check).toMatchObject({ ok: true, problems: [], integrity: [] });
        // Every ticket acknowledged before the backup started is in it, with its number.
        const byId = db.prepare<[string], { number: string }>('SELECT number FROM tickets WHERE id = ?');
        for (const t of burst.acknowledged.slice(0, before)) expect(byId.get(t.id)?.number).toBe(t.number);
        // Every ticket in the backup has its events, and each day's sequence row matches.
        const orphans = db.prepare(`SELECT count(*) AS n FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id)`).get() as { n: number };
        expect(orphans.n).toBe(0);
        const seqs = db
          .prepare(`SELECT d.last_seq, max(t.seq) AS m, count(*) AS n FROM tickets t JOIN day_sequences d ON d.business_day = t.business_day AND d.service_id = t.issue_service_id GROUP BY t.business_day, t.issue_service_id`)
          .all() as { last_seq: number; m: number; n: number }[];
        expect(seqs.length).toBe(3);
        for (const q of seqs) expect([q.last_seq, q.n]).toEqual([q.m, q.m]);
      } finally {
        db.close();
      }
    } finally {
      await s.close();
    }
  });

  it('keeps the last N copies, named by local date and time', async () => {
    const s = await startTestServer();
    const dir = tmp();
    try {
      const day = Date.parse('2026-03-04T02:00:00+07:00');
      const files: string[] = [];
      for (let i = 0; i < 5; i++) files.push((await takeBackup(s.db, { dir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: day + i * 86_400_000 })).file);
      expect(files[0]).toMatch(/luot-2026-03-04-020000\.sqlite$/);
      expect(listBackups(dir)).toEqual(files.slice(2));
      // Two in the same second do not overwrite each other.
      const again = await takeBackup(s.db, { dir, keep: 10, timeZone: 'Asia/Ho_Chi_Minh', now: day + 4 * 86_400_000 });
      expect(again.file).toMatch(/luot-2026-03-08-020000-2\.sqlite$/);
      expect(listBackups(dir).at(-1)).toBe(again.file);
      expect(hasBackupSince(dir, '2026-03-08', '02:00')).toBe(true);
      expect(hasBackupSince(dir, '2026-03-08', '02:01')).toBe(false);
      expect(hasBackupSince(dir, '2026-03-09', '02:00')).toBe(false);
      // Other files in the folder are never touched.
      writeFileSync(join(dir, 'photos.zip'), 'x');
      pruneBackups(dir, 1);
      expect(readdirSync(dir).sort()).toEqual(['luot-2026-03-08-020000-2.sqlite', 'photos.zip']);
    } finally {
      await s.close();
    }
  });

  it('never deletes the backup just taken, even when the clock was set back and its name sorts first', async () => {
    const s = await startTestServer();
    const dir = tmp();
    try {
      const day = Date.parse('2026-03-04T02:00:00+07:00');
      const older = [];
      for (let i = 1; i <= 3; i++) older.push((await takeBackup(s.db, { dir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: day + i * 86_400_000 })).file);
      // The PC's clock is set a week back: tonight's backup is named before the others.
      const tonight = await takeBackup(s.db, { dir, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: day - 7 * 86_400_000 });
      expect(tonight.file).toMatch(/luot-2026-02-25-020000\.sqlite$/);
      expect(listBackups(dir)).toContain(tonight.file);
      expect(listBackups(dir)).toHaveLength(3);
      // The oldest of the others made room.
      expect(tonight.deleted).toEqual([older[0]]);
    } finally {
      await s.close();
    }
  });

  it('refuses a missing folder instead of creating it (the USB stick is not plugged in)', async () => {
    const s = await startTestServer();
    try {
      const missing = join(tmp(), 'usb');
      await expect(takeBackup(s.db, { dir: missing, keep: 3, timeZone: 'Asia/Ho_Chi_Minh', now: Date.now() })).rejects.toBeInstanceOf(BackupError);
      expect(existsSync(missing)).toBe(false);
    } finally {
      await s.close();
    }
  });
});

describe('backup and restore commands against the running server (built dist/)', () => {
  it('backs up during a burst, refuses to restore while the server runs, restores once stopped, and the server carries on from the backup', async () => {
    const dataDir = tmp();
    const backupDir = tmp();
    const port = await freePort();
    const env = { ...process.env, LUOT_DATA_DIR: dataDir, LUOT_BACKUP_DIR: backupDir, PORT: String(port) };
    let { child, url } = await spawnServer(dataDir, port);
    try {
      const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
      const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'ops kiosk' })).body.token as string;
      const burst = issueBurst(url, kiosk);
      while (burst.acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
      const before = burst.acknowledged.length;
      const out = await run(process.execPath, [cli('backup')], { env });
      await burst.stop();
      expect(out.stdout).toMatch(/backup done/);
      const [file] = listBackups(backupDir);
      expect(file).toBeDefined();
      const copy = new Database(file!, { readonly: true });
      const inBackup = new Set((copy.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id));
      expect(checkDatabase(copy).ok).toBe(true);
      const backupLastSeq = new Map(
        (copy.prepare('SELECT business_day, service_id, last_seq FROM day_sequences').all() as { business_day: string; service_id: number; last_seq: number }[]).map((r) => [
          `${r.business_day}/${r.service_id}`,
          r.last_seq,
        ]),
      );
      copy.close();
      for (const t of burst.acknowledged.slice(0, before)) expect(inBackup.has(t.id)).toBe(true);
      const after = burst.acknowledged.filter((t) => !inBackup.has(t.id));
      expect(after.length).toBeGreaterThan(0); // issued after the backup: gone after the restore

      // While the server runs: refused, nothing touched.
      const refused = await run(process.execPath, [cli('restore'), file!], { env }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(refused?.code).toBe(3);
      expect(refused?.stderr).toMatch(/stop the service first/);
      expect(existsSync(join(dataDir, 'replaced'))).toBe(false);

      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      const ok = await run(process.execPath, [cli('restore'), file!], { env });
      expect(ok.stdout).toMatch(/restore done/);
      const aside = readdirSync(join(dataDir, 'replaced'));
      expect(aside.some((f) => /^luot-before-restore-.*\.sqlite$/.test(f))).toBe(true);

      ({ child, url } = await spawnServer(dataDir, port));
      for (const t of burst.acknowledged.slice(0, 20)) {
        const r = await fetch(`${url}/api/v1/tickets/${t.id}`);
        expect(r.status).toBe(200);
        expect(((await r.json()) as { number: string }).number).toBe(t.number);
      }
      expect((await fetch(`${url}/api/v1/tickets/${after[0]!.id}`)).status).toBe(404);
      // Numbering carries on after the last number the replaced database had handed out (the
      // tickets issued after the backup are on paper in citizens' hands): never a number twice.
      const next = await post(url, '/tickets', kiosk, { serviceId: 1 });
      expect(next.status).toBe(201);
      const live = new Database(join(dataDir, 'luot.sqlite'), { readonly: true });
      const seqOf = live.prepare<[string], { seq: number; business_day: string }>('SELECT seq, business_day FROM tickets WHERE id = ?').get(next.body.id)!;
      live.close();
      const replaced = new Database(join(dataDir, 'replaced', aside.find((f) => f.endsWith('.sqlite'))!), { readonly: true });
      const handedOut = replaced.prepare<[string], { last_seq: number }>('SELECT last_seq FROM day_sequences WHERE business_day = ? AND service_id = 1').get(seqOf.business_day)!.last_seq;
      replaced.close();
      expect(handedOut).toBeGreaterThan(backupLastSeq.get(`${seqOf.business_day}/1`)!);
      expect(seqOf.seq).toBe(handedOut + 1);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('the backup command explains a missing folder', async () => {
    const dataDir = tmp();
    mkdirSync(dataDir, { recursive: true });
    openDatabase(join(dataDir, 'luot.sqlite')).close();
    const env = { ...process.env, LUOT_DATA_DIR: dataDir, LUOT_BACKUP_DIR: join(dataDir, 'no-stick') };
    const e = await run(process.execPath, [cli('backup')], { env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(e?.code).toBe(1);
    expect(e?.stderr).toMatch(/USB stick/);
  });
});
