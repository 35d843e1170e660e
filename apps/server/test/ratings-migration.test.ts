import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate.js';

/**
 * Migration 0008 on a database written before issue 15: ratings keep their meaning (4 levels,
 * already history, so no alert), and the report sums of days whose tickets are still there are
 * dropped to be summed again, while days whose tickets retention deleted keep theirs.
 */
const dir = mkdtempSync(join(tmpdir(), 'luot-ratings-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0008', () => {
  it('keeps old ratings on the 4-level scale, seen, and drops only the report sums it can rebuild', () => {
    const db = new Database(join(dir, 'luot.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations().filter((m) => m.version < 8));
    db.prepare(`INSERT INTO services (id, code, name_vi, name_en, prefix) VALUES (1, 'land', 'Đất đai', 'Land', '1')`).run();
    db.prepare(`INSERT INTO counters (id, number, name) VALUES (1, 1, 'Quầy 1')`).run();
    db.prepare(`INSERT INTO devices (id, kind, name, created_at) VALUES (1, 'display', 'Máy đánh giá', 0)`).run();
    const ticket = db.prepare(
      `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, completed_at, counter_id) VALUES (?, '2026-11-20', 1, 1, ?, ?, 0, 'done', 1, 1, 2, 1)`,
    );
    ticket.run('A'.repeat(22), 1, '1001');
    ticket.run('B'.repeat(22), 2, '1002');
    db.prepare(`INSERT INTO ratings (ticket_id, counter_id, device_id, score, at) VALUES (?, 1, 1, 1, 100), (?, 1, NULL, 4, 200)`).run('A'.repeat(22), 'B'.repeat(22));
    const sums = db.prepare(
      `INSERT INTO report_daily (business_day, scope, key, issued, served, no_show, cancelled, open, ratings, waits, services, arrivals) VALUES (?, 'total', 0, 2, 2, 0, 0, 0, '[1,0,0,1]', x'', x'', x'')`,
    );
    sums.run('2026-11-20'); // its tickets are here: summed again
    sums.run('2024-01-05'); // its tickets are gone: the only record left
    migrate(db);

    expect(db.prepare('SELECT ticket_id, scale, score, source, reason, seen_at FROM ratings ORDER BY id').all()).toEqual([
      { ticket_id: 'A'.repeat(22), scale: 4, score: 1, source: 'tablet', reason: null, seen_at: 100 },
      { ticket_id: 'B'.repeat(22), scale: 4, score: 4, source: 'admin', reason: null, seen_at: 200 },
    ]);
    expect(db.prepare('SELECT business_day, format FROM report_daily').all()).toEqual([{ business_day: '2024-01-05', format: 1 }]);
    // The new checks hold: a score must be on its scale; one rating per ticket.
    expect(() => db.prepare(`INSERT INTO ratings (ticket_id, scale, score, at) VALUES (?, 3, 4, 1)`).run('C'.repeat(22))).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO ratings (ticket_id, scale, score, at) VALUES (?, 3, 3, 1)`).run('A'.repeat(22))).toThrow(/UNIQUE/);
    // The dashboard's unseen query reads its partial index.
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM ratings WHERE seen_at IS NULL AND score <= CASE scale WHEN 5 THEN 2 ELSE 1 END ORDER BY at DESC LIMIT 50`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('ratings_unseen');
    db.prepare(`UPDATE tickets SET dossier_code = 'H29-1' WHERE id = ?`).run('A'.repeat(22));
    expect(() => db.prepare(`UPDATE tickets SET dossier_code = '' WHERE id = ?`).run('B'.repeat(22))).toThrow(/CHECK/);
    db.close();
  });
});
