import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { checkDatabase, type DatabaseCheck } from './check.js';
import { fsyncDir, fsyncFile, stamp } from './files.js';

export class RestoreError extends Error {}

/**
 * Whether some process has the database open (the server, a backup command). In WAL mode every
 * open connection holds a shared lock on the file, so an exclusive lock is refused while one
 * exists; this works on Linux and Windows and cannot go stale after a crash, unlike a pid file.
 */
export function isDatabaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const probe = new Database(file, { fileMustExist: true });
  try {
    probe.pragma('busy_timeout = 0');
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') || (err as { code?: string }).code?.startsWith('SQLITE_LOCKED')) return true;
    throw err;
  } finally {
    probe.close();
  }
}

/** Whether a Luot server answers /api/v1/health on this port of this machine. */
export async function serverAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  if (!port) return false;
  try {
    const res = await fetch(`http://${host}:${port}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    return res.ok && body?.status === 'ok';
  } catch {
    return false;
  }
}

/** Opens a backup read-only and checks it: SQLite integrity, the queue's consistency, the schema version. */
export function verifyBackup(file: string): DatabaseCheck & { latest: number } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new RestoreError(`backup file not found: ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new RestoreError(`cannot open ${file} as a database: ${(err as Error).message}`);
  }
  try {
    const latest = loadMigrations().at(-1)?.version ?? 0;
    let check: DatabaseCheck;
    try {
      check = checkDatabase(db);
    } catch (err) {
      throw new RestoreError(`${file} is not a readable SQLite database: ${(err as Error).message}`);
    }
    if (check.integrity.length) throw new RestoreError(`backup is damaged (integrity_check): ${check.integrity.slice(0, 5).join('; ')}`);
    if (check.schemaVersion > latest) {
      throw new RestoreError(`backup has schema version ${check.schemaVersion}, newer than this Luot (${latest}): upgrade Luot first`);
    }
    if (check.problems.length) throw new RestoreError(`backup is not a consistent Luot database: ${check.problems.slice(0, 5).join('; ')}`);
    return { ...check, latest };
  } finally {
    db.close();
  }
}

export interface RestoreOptions {
  backupFile: string;
  dataDir: string;
  /** The server's HTTP port, to refuse while it answers (0 = skip that check). */
  port: number;
  now: number;
  /** Time zone for the name of the folder the replaced database is kept in (local time of the machine by default). */
  timeZone?: string;
}

export interface RestoreResult {
  dbFile: string;
  /** Where the database that was replaced now lies (null if there was none). */
  keptAside: string | null;
  schemaBefore: number;
  schemaAfter: number;
  tickets: number;
}

/**
 * Replaces the server's database with a backup:
 * 1. verifies the backup (integrity_check, consistency, schema not newer than the code);
 * 2. refuses while the server runs (the database is open, or /health answers on the port);
 * 3. copies the backup next to the database and checks the copy;
 * 4. moves the current database (with its -wal and -shm) into <dataDir>/replaced/, never
 *    deleting it, then moves the copy into place;
 * 5. opens it as the server will (migrations run, so an older backup is upgraded) and checks it.
 * On a failure in 4 or 5 the previous database is put back.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const verified = verifyBackup(opts.backupFile);
  const dbFile = join(opts.dataDir, 'luot.sqlite');
  if (await serverAnswers(opts.port)) throw new RestoreError(`a Luot server answers on port ${opts.port}: stop the service first`);
  if (isDatabaseInUse(dbFile)) throw new RestoreError(`${dbFile} is open in another process (the server?): stop the service first`);

  mkdirSync(opts.dataDir, { recursive: true });
  const incoming = join(opts.dataDir, 'luot.sqlite.restoring');
  rmSync(incoming, { force: true });
  rmSync(`${incoming}-journal`, { force: true });
  copyFileSync(opts.backupFile, incoming);
  fsyncFile(incoming);
  {
    const copy = new Database(incoming);
    try {
      copy.pragma('journal_mode = DELETE');
      const c = checkDatabase(copy);
      if (!c.ok) throw new RestoreError(`the copy of the backup failed its check: ${[...c.integrity, ...c.problems].join('; ')}`);
    } finally {
      copy.close();
    }
  }

  // Set the current database aside, whole: the WAL may hold the last transactions.
  const moved: [string, string][] = [];
  let keptAside: string | null = null;
  if (existsSync(dbFile)) {
    const tz = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const asideDir = join(opts.dataDir, 'replaced');
    mkdirSync(asideDir, { recursive: true });
    let base = join(asideDir, `luot-before-restore-${stamp(opts.now, tz)}`);
    for (let i = 2; existsSync(`${base}.sqlite`); i++) base = join(asideDir, `luot-before-restore-${stamp(opts.now, tz)}-${i}`);
    keptAside = `${base}.sqlite`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (!existsSync(dbFile + suffix)) continue;
      renameSync(dbFile + suffix, keptAside + suffix);
      moved.push([dbFile + suffix, keptAside + suffix]);
    }
    fsyncDir(asideDir);
  }
  try {
    renameSync(incoming, dbFile);
    fsyncDir(opts.dataDir);
    const db = openDatabase(dbFile);
    try {
      const c = checkDatabase(db);
      if (!c.ok) throw new RestoreError(`restored database failed its check after migration: ${[...c.integrity, ...c.problems].join('; ')}`);
      const tickets = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets').get()!.n;
      db.pragma('wal_checkpoint(TRUNCATE)');
      return { dbFile, keptAside, schemaBefore: verified.schemaVersion, schemaAfter: c.schemaVersion, tickets };
    } finally {
      db.close();
    }
  } catch (err) {
    // Put the previous database back exactly as it was.
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    for (const [from, to] of moved.reverse()) renameSync(to, from);
    throw err;
  }
}
