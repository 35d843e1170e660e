import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate.js';
import { DatabaseDamagedError, DatabaseTooNewError, openDatabase } from './open.js';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'luot-db-'));
  dirs.push(d);
  return join(d, 'luot.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openDatabase', () => {
  it('sets the durability pragmas a power cut needs', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
    db.close();
  });

  it('is idempotent: reopening does not re-run migrations', () => {
    const file = tempFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect((db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'tickets'`).get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('refuses a database written by a newer Luot', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this Luot/);
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
  });

  it('refuses a file whose pages are damaged (quick_check) and one that is not a database', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare(`INSERT INTO services (code, name_vi, name_en, prefix) VALUES ('x', 'X', 'X', '1')`).run();
    const insert = db.prepare(`INSERT INTO audit_log (at, action, detail) VALUES (1, 'pad', ?)`);
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(800));
    db.close();
    const pages = statSync(file).size / 4096;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(2 * 4096, 0xa5), 0, 2 * 4096, Math.floor(pages / 2) * 4096);
    closeSync(fd);
    expect(() => openDatabase(file)).toThrow(DatabaseDamagedError);

    const junk = tempFile();
    writeFileSync(junk, Buffer.alloc(8192, 0x42));
    expect(() => openDatabase(junk)).toThrow(DatabaseDamagedError);
    // Opening without the check is still possible (the restore reads what it can from such a file).
    expect(() => openDatabase(tempFile(), { check: false }).close()).not.toThrow();
  });

  it('rolls a failed migration back whole, leaving the version unchanged', () => {
    const db = new Database(':memory:');
    const good = { version: 1, name: '0001-a.sql', sql: 'CREATE TABLE a (x INTEGER) STRICT;' };
    const bad = { version: 2, name: '0002-b.sql', sql: 'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nope VALUES (1);' };
    expect(() => migrate(db, [good, bad])).toThrow();
    // All pending migrations run in one transaction: the good one goes too.
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'a'`).get()).toBeUndefined();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
  });

  it('stores tickets in STRICT tables and refuses a repeated number within a day', () => {
    const db = openDatabase(tempFile());
    db.prepare(`INSERT INTO services (code, name_vi, name_en, prefix) VALUES ('x', 'X', 'X', '1')`).run();
    const insert = db.prepare(
      `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at)
       VALUES (?, '2026-11-23', 1, 1, 1, '1001', 0, 'waiting', 0, 0)`,
    );
    insert.run('aaaaaaaaaaaaaaaaaaaaaa');
    expect(() => insert.run('bbbbbbbbbbbbbbbbbbbbbb')).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE tickets SET priority = 'yes'`).run()).toThrow();
    db.close();
  });
});
