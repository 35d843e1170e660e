import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBackups } from '../src/ops/backup.js';
import { checkDatabase } from '../src/ops/check.js';
import { opsConfigFromEnv } from '../src/ops/config.js';
import { startOperations } from '../src/ops/index.js';
import { daysBefore, purgeOldTickets } from '../src/ops/retention.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

const TZ = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => Date.parse(iso);
const clock = manualClock(at('2024-11-18T09:00:00+07:00'));
let s: TestServer;
const ids: Record<'old' | 'recent' | 'today', string[]> = { old: [], recent: [], today: [] };

const issue = async (serviceId: number) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId } });
  expect(r.status).toBe(201);
  clock.advance(60_000);
  return r.body.id as string;
};
const act = async (token: string, action: string) => {
  const r = await s.api('POST', `/counters/1/${action}`, { token });
  expect(r.status).toBe(200);
  clock.advance(60_000);
};
const count = (sql: string, ...args: unknown[]) => (s.db.prepare(sql).get(...args) as { n: number }).n;

beforeAll(async () => {
  s = await startTestServer({ clock });
  // Two years ago: three tickets, two called (calls and events), one left waiting.
  for (let i = 0; i < 3; i++) ids.old.push(await issue(1));
  const officer = await s.login('canbo1');
  await act(officer, 'open');
  await act(officer, 'call-next');
  await act(officer, 'complete');
  await act(officer, 'call-next');
  await act(officer, 'complete');
  // Last Friday, and today (Monday).
  clock.set(at('2026-11-20T09:00:00+07:00'));
  for (let i = 0; i < 2; i++) ids.recent.push(await issue(2));
  clock.set(at('2026-11-23T09:00:00+07:00'));
  ids.today.push(await issue(3));
});
afterAll(() => s.close());

describe('retention', () => {
  it('computes calendar days', () => {
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(daysBefore('2026-11-23', 730)).toBe('2024-11-23');
  });

  it('keeps a day exactly at the limit, deletes the day before it with its events and calls', () => {
    const now = clock.now();
    const eventsBefore = count(`SELECT count(*) AS n FROM ticket_events WHERE ticket_id IN (${ids.old.map(() => '?').join(',')})`, ...ids.old);
    expect(eventsBefore).toBeGreaterThanOrEqual(5);
    expect(count(`SELECT count(*) AS n FROM calls WHERE ticket_id IN (?, ?, ?)`, ...ids.old)).toBe(2);
    const lastSeq = s.server.ctx.repos.events.lastSeq();
    // A citizen rated the first old ticket, and one of last Friday.
    const rate = s.db.prepare(`INSERT INTO ratings (ticket_id, counter_id, score, at) VALUES (?, 1, 4, ?)`);
    rate.run(ids.old[0], at('2024-11-18T10:00:00+07:00'));
    rate.run(ids.recent[0], at('2026-11-20T10:00:00+07:00'));

    // With a province link that has not acknowledged their events yet, the old tickets stay.
    const firstOldSeq = count(`SELECT min(seq) AS n FROM ticket_events WHERE ticket_id = ?`, ids.old[0]);
    expect(purgeOldTickets(s.db, { retentionDays: 734, timeZone: TZ, now, provinceAckSeq: firstOldSeq - 1 }).tickets).toBe(0);
    expect(count(`SELECT count(*) AS n FROM ticket_events WHERE seq >= ?`, firstOldSeq)).toBeGreaterThanOrEqual(eventsBefore);
    // 2024-11-18 is 735 days before 2026-11-23.
    expect(purgeOldTickets(s.db, { retentionDays: 735, timeZone: TZ, now }).tickets).toBe(0);
    const r = purgeOldTickets(s.db, { retentionDays: 734, timeZone: TZ, now, batchSize: 2 });
    expect(r).toMatchObject({ cutoffDay: '2024-11-19', tickets: 3, calls: 2, ratings: 1, sequences: 1 });
    expect(count(`SELECT count(*) AS n FROM ratings`)).toBe(1);
    expect(r.events).toBeGreaterThanOrEqual(eventsBefore);
    expect(count(`SELECT count(*) AS n FROM tickets WHERE business_day < '2024-11-19'`)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM ticket_events WHERE at < ?`, at('2024-11-19T00:00:00+07:00'))).toBe(0);
    expect(count(`SELECT count(*) AS n FROM tickets`)).toBe(3);
    expect(checkDatabase(s.db).ok).toBe(true);
    // The event seq clients follow never goes back.
    expect(s.server.ctx.repos.events.lastSeq()).toBe(lastSeq);
  });

  it('never touches today, even with the shortest period', async () => {
    // A restore skipped 3..5 on Friday (numbers handed out after its backup): it goes with the day.
    s.db.prepare(`UPDATE day_sequences SET last_seq = 5 WHERE business_day = '2026-11-20' AND service_id = 2`).run();
    s.db.prepare(`INSERT INTO numbering_gaps (business_day, service_id, first_seq, last_seq, reason, at) VALUES ('2026-11-20', 2, 3, 5, 'restore_carried', 0)`).run();
    expect(checkDatabase(s.db).ok).toBe(true);
    const r = purgeOldTickets(s.db, { retentionDays: 1, timeZone: TZ, now: clock.now() });
    expect(r.cutoffDay).toBe('2026-11-22');
    expect(r).toMatchObject({ tickets: 2, ratings: 1 });
    expect((await s.api('GET', `/tickets/${ids.today[0]}`)).status).toBe(200);
    for (const id of ids.recent) expect((await s.api('GET', `/tickets/${id}`)).status).toBe(404);
    expect(count(`SELECT count(*) AS n FROM numbering_gaps`)).toBe(0);
    expect(() => purgeOldTickets(s.db, { retentionDays: 0, timeZone: TZ, now: clock.now() })).toThrow();
    // The queue carries on: the next ticket today follows the one before.
    const before = s.server.ctx.repos.events.lastSeq();
    await issue(3);
    expect(s.server.ctx.repos.events.lastSeq()).toBe(before + 1);
    expect(checkDatabase(s.db).ok).toBe(true);
  });
});

describe('the daily job (backup, then retention) on an injected clock', () => {
  it('runs once a day at LUOT_BACKUP_AT, catches up after the PC was off, survives a restart, retries a missing stick', async () => {
    const backupDir = join(tempDataDir(), 'usb');
    mkdirSync(backupDir);
    const config = opsConfigFromEnv({ LUOT_DATA_DIR: s.dataDir, LUOT_BACKUP_DIR: backupDir, LUOT_BACKUP_KEEP: '2', LUOT_DISCOVERY_PORT: 'off', LUOT_LOG_FILE: 'off' });
    const opsClock = manualClock(at('2026-11-24T01:59:00+07:00'));
    const deps = { db: s.db, repos: s.server.ctx.repos, clock: opsClock, logger: pino({ level: 'silent' }), config, tickMs: 3_600_000 };
    let ops = await startOperations(deps);
    try {
      expect(await ops.tick()).toBe(false);
      opsClock.set(at('2026-11-24T02:00:00+07:00'));
      expect(await ops.tick()).toBe(true);
      expect(listBackups(backupDir).map((f) => f.slice(backupDir.length + 1))).toEqual(['luot-2026-11-24-020000.sqlite']);
      expect(ops.status().lastRetention).toMatchObject({ cutoffDay: '2024-11-24' });
      opsClock.advance(60_000);
      expect(await ops.tick()).toBe(false);

      // The PC was off at 02:00 the next night: the backup happens when it is on again.
      opsClock.set(at('2026-11-25T01:00:00+07:00'));
      expect(await ops.tick()).toBe(false);
      opsClock.set(at('2026-11-25T07:45:00+07:00'));
      expect(await ops.tick()).toBe(true);
      expect(listBackups(backupDir)).toHaveLength(2);

      // A restart the same day does not take another one.
      await ops.stop();
      opsClock.set(at('2026-11-25T10:00:00+07:00'));
      ops = await startOperations(deps);
      expect(await ops.tick()).toBe(false);

      // The stick is missing the next night: the error is kept, and it is tried again an hour later.
      rmSync(backupDir, { recursive: true });
      opsClock.set(at('2026-11-26T02:00:00+07:00'));
      expect(await ops.tick()).toBe(true);
      expect(ops.status().lastBackupError?.message).toMatch(/USB stick/);
      opsClock.advance(30 * 60_000);
      expect(await ops.tick()).toBe(false);
      mkdirSync(backupDir);
      opsClock.advance(31 * 60_000);
      expect(await ops.tick()).toBe(true);
      expect(ops.status().lastBackupError).toBeNull();
      expect(listBackups(backupDir).map((f) => f.slice(backupDir.length + 1))).toEqual(['luot-2026-11-26-030100.sqlite']);
      // And a manual backup through the same module.
      expect((await ops.backupNow()).file).toMatch(/luot-2026-11-26-030100-2\.sqlite$/);
    } finally {
      await ops.stop();
      rmSync(join(backupDir, '..'), { recursive: true, force: true });
    }
  });
});
