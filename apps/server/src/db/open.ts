import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens (and migrates) the center's database. The pragmas are chosen on purpose:
 * - WAL, so the TV's reads never wait for the kiosk's write;
 * - synchronous=FULL: in WAL mode NORMAL may lose the last transactions on a power cut, which
 *   would hand out a printed number again; FULL fsyncs the WAL at each commit (measured in
 *   docs/benchmarks.md);
 * - foreign_keys on, and a busy_timeout for the backup and report tools that open it too.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
