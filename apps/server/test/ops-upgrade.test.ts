import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { createRepos } from '../src/db/repos.js';
import { checkDatabase } from '../src/ops/check.js';
import { tempDataDir } from './helpers/test-server.js';

const dir = tempDataDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrades keep the data', () => {
  it('a database created at schema v1 opens with the current code, with its rows', () => {
    const file = join(dir, 'v1.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, loadMigrations().slice(0, 1));
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.exec(`
      INSERT INTO settings (key, value) VALUES ('center', '{"centerName":"UBND xã Hòa Bình","timeZone":"Asia/Ho_Chi_Minh"}');
      INSERT INTO services (id, code, name_vi, name_en, prefix) VALUES (1, 'land', 'Đất đai', 'Land', 'A');
      INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1, 'admin', 'x', 'admin', 1);
      INSERT INTO counters (id, number, name) VALUES (1, 1, 'Quầy 1');
      INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES ('2025-06-02', 1, 2);
      INSERT INTO tickets (id, business_day, service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, counter_id, officer_id, issue_service_id)
        VALUES ('t1', '2025-06-02', 1, 1, 'A001', 0, 'done', 1000, 1000, 2000, 3000, 1, 1, 1),
               ('t2', '2025-06-02', 1, 2, 'A002', 1, 'cancelled', 1500, 1500, NULL, NULL, NULL, NULL, 1);
      INSERT INTO ticket_events (at, type, action, ticket_id, payload) VALUES
        (1000, 'ticket:issued', 'issue', 't1', '{}'), (1500, 'ticket:issued', 'issue', 't2', '{}'),
        (2000, 'ticket:called', 'call', 't1', '{}'), (3000, 'ticket:updated', 'complete', 't1', '{}');
      INSERT INTO calls (ticket_id, counter_id, at, recall) VALUES ('t1', 1, 2000, 0);
    `);
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
      expect(checkDatabase(db)).toMatchObject({ ok: true });
      const repos = createRepos(db);
      expect(repos.settings.center().centerName).toBe('UBND xã Hòa Bình');
      expect(repos.events.lastSeq()).toBe(4);
      expect(db.prepare(`SELECT id, number, status FROM tickets ORDER BY id`).all()).toEqual([
        { id: 't1', number: 'A001', status: 'done' },
        { id: 't2', number: 'A002', status: 'cancelled' },
      ]);
      expect(db.prepare(`SELECT count(*) AS n FROM calls`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    // Opening again is a no-op (migrations already applied).
    openDatabase(file).close();
  });

  it('a database from a newer Luot is refused, untouched', () => {
    const file = join(dir, 'newer.sqlite');
    const db = openDatabase(file);
    const newer = loadMigrations().at(-1)!.version + 1;
    db.pragma(`user_version = ${newer}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this Luot/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(newer);
    check.close();
  });
});
