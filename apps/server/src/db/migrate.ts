import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** `NNNN-name.sql`: four digits (the version), then lower-case words joined by '-'. */
const MIGRATION_FILE = /^(\d{4})-[a-z0-9-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The migrations folder (or a given list) breaks the numbering: two files with one version, a
 * missing version, or a `.sql` file that is not named like a migration. Refused before anything
 * runs: with two `0004-*.sql` both would run on a new database but only one on an old one, and a
 * gap would hide a migration that never got committed.
 */
export class MigrationOrderError extends Error {
  constructor(
    readonly where: string,
    readonly problems: string[],
  ) {
    super(`migrations in ${where} are refused: ${problems.join('; ')}`);
    this.name = 'MigrationOrderError';
  }
}

/** One migration threw; the whole run was rolled back, so the database is still at `from`. */
export class MigrationFailedError extends Error {
  /** SQLite's code (SQLITE_FULL, SQLITE_IOERR...), kept so the start guards still see a full disk. */
  readonly code: string | undefined;

  constructor(
    readonly migration: string,
    readonly from: number,
    cause: unknown,
  ) {
    super(`migration ${migration} failed: ${(cause as Error).message}; nothing was applied, the database stays at schema version ${from}`, { cause });
    this.name = 'MigrationFailedError';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * What is wrong with the numbering of `migrations`, in words that name the files: each version
 * from 1 to the last exactly once. Empty when it is right.
 */
export function migrationOrderProblems(migrations: readonly Migration[]): string[] {
  const byVersion = new Map<number, string[]>();
  for (const m of migrations) byVersion.set(m.version, [...(byVersion.get(m.version) ?? []), m.name]);
  const versions = [...byVersion.keys()].sort((a, b) => a - b);
  const last = versions.at(-1) ?? 0;
  const nameOf = (v: number) => byVersion.get(v)?.join(', ') ?? '';
  const problems: string[] = [];
  for (const v of versions) {
    const names = byVersion.get(v) ?? [];
    if (names.length > 1) {
      problems.push(`version ${pad(v)} is used by ${names.length} files, ${names.join(' and ')}: keep one and renumber the others from ${pad(last + 1)}, the next free version`);
    }
  }
  let expected = 1;
  for (const v of versions) {
    if (v < 1) {
      problems.push(`${nameOf(v)}: versions start at 0001`);
      continue;
    }
    if (v > expected) {
      const missing = v - 1 === expected ? `version ${pad(expected)} is missing` : `versions ${pad(expected)} to ${pad(v - 1)} are missing`;
      const before = versions.filter((x) => x >= 1 && x < expected).at(-1);
      problems.push(`${missing} (${before === undefined ? 'before' : `between ${nameOf(before)} and`} ${nameOf(v)})`);
    }
    expected = v + 1;
  }
  return problems;
}

const pad = (v: number) => String(v).padStart(4, '0');

/**
 * Reads the migration files in version order. Refuses (MigrationOrderError) a folder whose
 * numbering is broken, and a `.sql` file that is not named NNNN-name.sql (it would be skipped
 * in silence otherwise).
 */
export function loadMigrations(dir: string = migrationsDir): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.sql'))
    .sort();
  const misnamed = files.filter((f) => !MIGRATION_FILE.test(f));
  const migrations = files
    .filter((f) => MIGRATION_FILE.test(f))
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
  const problems = [
    ...misnamed.map((f) => `${f} is not named NNNN-name.sql (four digits, then lower-case words joined by '-')`),
    ...migrationOrderProblems(migrations),
  ];
  if (problems.length) throw new MigrationOrderError(dir, problems);
  return migrations;
}

export interface MigrationRun {
  /** The schema version found (PRAGMA user_version). */
  from: number;
  /** The schema version left: the newest migration's, or `from` when nothing was pending. */
  to: number;
  /** The files applied now, in order. */
  applied: string[];
}

/**
 * Brings the schema to the newest version: ALL pending migrations in ONE transaction, which also
 * sets `PRAGMA user_version`. A failure anywhere leaves the database exactly at its old version
 * (never half-way through an upgrade that a downgrade could not read either). A database written
 * by a newer Luot is refused rather than guessed at.
 *
 * The transaction is IMMEDIATE and reads the version again inside it, so two processes opening
 * the same file at once (server and a tool) cannot both apply the same migration.
 */
export function migrate(db: Database.Database, migrations: Migration[] = loadMigrations()): MigrationRun {
  const problems = migrationOrderProblems(migrations);
  if (problems.length) throw new MigrationOrderError('the given list', problems);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const latest = sorted.at(-1)?.version ?? 0;
  const versionNow = () => db.pragma('user_version', { simple: true }) as number;

  // Nothing pending (every start but the first after an upgrade): no write lock taken.
  const seen = versionNow();
  if (seen === latest) return { from: seen, to: seen, applied: [] };

  return db
    .transaction((): MigrationRun => {
      const from = versionNow();
      if (from > latest) throw new Error(`database schema version ${from} is newer than this Luot (${latest}); upgrade Luot instead`);
      const pending = sorted.filter((m) => m.version > from);
      for (const m of pending) {
        try {
          db.exec(m.sql);
        } catch (err) {
          throw new MigrationFailedError(m.name, from, err);
        }
      }
      if (pending.length) db.pragma(`user_version = ${latest}`);
      return { from, to: pending.length ? latest : from, applied: pending.map((m) => m.name) };
    })
    .immediate();
}
