import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrate.js';

export type Db = Database.Database;

/** What opening a database found and did: the start-up log line (main.ts) writes it out. */
export interface DatabaseOpened {
  file: string;
  /** PRAGMA user_version before the migrations, and after. */
  schemaBefore: number;
  schemaAfter: number;
  /** Migration files applied by this open (empty on an ordinary start). */
  migrationsApplied: string[];
  /** The SQLite library compiled into better-sqlite3 (sqlite_version()), and better-sqlite3's own. */
  sqliteVersion: string;
  betterSqlite3Version: string;
}

const betterSqlite3Version = (createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }).version;

// Kept beside the handle rather than returned, so every caller of openDatabase stays as it is.
const openings = new WeakMap<Db, DatabaseOpened>();

/** What openDatabase found and did for this handle (undefined for a handle it did not open). */
export function databaseOpened(db: Db): DatabaseOpened | undefined {
  return openings.get(db);
}

/** The database file failed SQLite's integrity check (or is not a database at all): never served. */
export class DatabaseDamagedError extends Error {
  constructor(
    readonly file: string,
    /** What quick_check said (first lines), or the error that stopped the open. */
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`database ${file} is damaged: ${problems.slice(0, 5).join('; ')}`, options);
    this.name = 'DatabaseDamagedError';
  }
}

/** The database was written by a newer Luot (a downgrade after an upgrade): refused, not guessed at. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly version: number,
    readonly latest: number,
  ) {
    super(`database schema version ${version} is newer than this Luot (${latest}); upgrade Luot instead`);
    this.name = 'DatabaseTooNewError';
  }
}

const DAMAGE = /^SQLITE_(CORRUPT|NOTADB)/;

export interface OpenOptions {
  /**
   * Run `PRAGMA quick_check` before using the file (default true). It reads every page but skips
   * the index cross-checks of integrity_check: about a second for hundreds of MB, once per start.
   */
  check?: boolean;
}

/**
 * Opens (and migrates) the center's database. The pragmas are chosen on purpose:
 * - WAL, so the TV's reads never wait for the kiosk's write;
 * - synchronous=FULL: in WAL mode NORMAL may lose the last transactions on a power cut, which
 *   would hand out a printed number again; FULL fsyncs the WAL at each commit (measured in
 *   docs/benchmarks.md);
 * - foreign_keys on, and a busy_timeout for the backup and report tools that open it too.
 * A damaged file (quick_check, or SQLite's "malformed"/"not a database" on the first reads)
 * throws DatabaseDamagedError before anything is migrated or served; one from a newer Luot
 * throws DatabaseTooNewError.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (opts.check !== false && file !== ':memory:') {
      const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
      if (problems.length) throw new DatabaseDamagedError(file, problems);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    const migrations = loadMigrations();
    const latest = migrations.at(-1)?.version ?? 0;
    if (version > latest) throw new DatabaseTooNewError(file, version, latest);
    const run = migrate(db, migrations);
    openings.set(db, {
      file,
      schemaBefore: run.from,
      schemaAfter: run.to,
      migrationsApplied: run.applied,
      sqliteVersion: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
      betterSqlite3Version,
    });
  } catch (err) {
    db.close();
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && DAMAGE.test(code)) throw new DatabaseDamagedError(file, [(err as Error).message], { cause: err });
    throw err;
  }
  return db;
}
