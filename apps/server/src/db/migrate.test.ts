import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MigrationFailedError, MigrationOrderError, migrationOrderProblems } from './migrate.js';
import { databaseOpened, openDatabase } from './open.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'luot-migrate-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A migrations folder holding exactly `files` (name → SQL). */
function migrationsFolder(files: Record<string, string>): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const table = (name: string) => `CREATE TABLE ${name} (x INTEGER) STRICT;`;
const userVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;
const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('migration numbering', () => {
  it('refuses two files with one version, naming both', () => {
    const dir = migrationsFolder({
      '0001-a.sql': table('a'),
      '0002-b.sql': table('b'),
      '0003-c.sql': table('c'),
      '0004-keys.sql': table('keys'),
      '0004-printers.sql': table('printers'),
    });
    let error: unknown;
    try {
      loadMigrations(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MigrationOrderError);
    expect((error as Error).message).toContain(dir);
    expect((error as MigrationOrderError).problems).toEqual([
      'version 0004 is used by 2 files, 0004-keys.sql and 0004-printers.sql: keep one and renumber the others from 0005, the next free version',
    ]);
  });

  it('refuses a gap, naming the files on either side', () => {
    const dir = migrationsFolder({ '0001-a.sql': table('a'), '0002-b.sql': table('b'), '0004-d.sql': table('d') });
    expect(() => loadMigrations(dir)).toThrow(MigrationOrderError);
    expect(() => loadMigrations(dir)).toThrow('version 0003 is missing (between 0002-b.sql and 0004-d.sql)');

    const late = migrationsFolder({ '0003-c.sql': table('c'), '0004-d.sql': table('d') });
    expect(() => loadMigrations(late)).toThrow('versions 0001 to 0002 are missing (before 0003-c.sql)');
  });

  it('refuses a .sql file not named like a migration instead of skipping it', () => {
    const dir = migrationsFolder({ '0001-a.sql': table('a'), '0002_Printers.sql': table('p') });
    expect(() => loadMigrations(dir)).toThrow("0002_Printers.sql is not named NNNN-name.sql (four digits, then lower-case words joined by '-')");
  });

  it('migrate refuses a broken list before touching the database', () => {
    const db = new Database(':memory:');
    const list = [
      { version: 1, name: '0001-a.sql', sql: table('a') },
      { version: 1, name: '0001-b.sql', sql: table('b') },
    ];
    expect(() => migrate(db, list)).toThrow(/version 0001 is used by 2 files, 0001-a.sql and 0001-b.sql/);
    expect(userVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    expect(() => migrate(db, [{ version: 2, name: '0002-b.sql', sql: table('b') }])).toThrow(/version 0001 is missing/);
    expect(tables(db)).toEqual([]);
  });

  it('the real migrations folder passes the check: each version from 1 once', () => {
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(10);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrationOrderProblems(migrations)).toEqual([]);
    // Every .sql file in the folder is one of them (none skipped).
    const folder = new URL('./migrations/', import.meta.url);
    expect(readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()).toEqual(migrations.map((m) => m.name));
  });
});

describe('pending migrations run in one transaction', () => {
  it('a failure in the middle of three pending leaves the database at its old version, none of them applied', () => {
    const dir = migrationsFolder({
      '0001-a.sql': table('a'),
      '0002-b.sql': table('b'),
      // Its first statement succeeds; the second fails.
      '0003-c.sql': `${table('c')} INSERT INTO nowhere VALUES (1);`,
      '0004-d.sql': table('d'),
    });
    const file = join(tempDir(), 'luot.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    const all = loadMigrations(dir);
    expect(migrate(db, all.slice(0, 1))).toEqual({ from: 0, to: 1, applied: ['0001-a.sql'] });
    db.prepare('INSERT INTO a VALUES (7)').run();

    let error: unknown;
    try {
      migrate(db, all);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).migration).toBe('0003-c.sql');
    expect((error as Error).message).toMatch(/^migration 0003-c.sql failed: no such table: nowhere; nothing was applied, the database stays at schema version 1$/);
    expect((error as MigrationFailedError).code).toBe('SQLITE_ERROR');
    db.close();

    // Read back from the file by a fresh connection: only what was committed before.
    const again = new Database(file, { readonly: true });
    expect(userVersion(again)).toBe(1);
    expect(tables(again)).toEqual(['a']);
    expect(again.prepare('SELECT x FROM a').all()).toEqual([{ x: 7 }]);
    again.close();
  });

  it('applies all pending ones and sets the newest version once; a second run does nothing', () => {
    const dir = migrationsFolder({ '0001-a.sql': table('a'), '0002-b.sql': table('b'), '0003-c.sql': table('c') });
    const db = new Database(':memory:');
    expect(migrate(db, loadMigrations(dir))).toEqual({ from: 0, to: 3, applied: ['0001-a.sql', '0002-b.sql', '0003-c.sql'] });
    expect(userVersion(db)).toBe(3);
    expect(tables(db)).toEqual(['a', 'b', 'c']);
    expect(migrate(db, loadMigrations(dir))).toEqual({ from: 3, to: 3, applied: [] });
  });

  it('refuses a database newer than the list, untouched', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 5');
    expect(() => migrate(db, [{ version: 1, name: '0001-a.sql', sql: table('a') }])).toThrow(/schema version 5 is newer than this Luot \(1\)/);
    expect(userVersion(db)).toBe(5);
    expect(tables(db)).toEqual([]);
  });
});

describe('what opening reports for the start-up log', () => {
  it('schema before and after, the migrations applied, SQLite and better-sqlite3 versions', () => {
    const file = join(tempDir(), 'luot.sqlite');
    const latest = loadMigrations().at(-1)!.version;
    const old = new Database(file);
    migrate(old, loadMigrations().slice(0, 2));
    old.close();

    const db = openDatabase(file);
    const betterSqlite3 = (createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }).version;
    const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    expect(sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(databaseOpened(db)).toEqual({
      file,
      schemaBefore: 2,
      schemaAfter: latest,
      migrationsApplied: loadMigrations()
        .slice(2)
        .map((m) => m.name),
      sqliteVersion: sqlite,
      betterSqlite3Version: betterSqlite3,
    });
    db.close();

    const reopened = openDatabase(file);
    expect(databaseOpened(reopened)).toMatchObject({ schemaBefore: latest, schemaAfter: latest, migrationsApplied: [] });
    reopened.close();
    expect(databaseOpened(new Database(':memory:'))).toBeUndefined();
  });
});
