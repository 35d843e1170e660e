import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBackups, takeBackup } from '../src/ops/backup.js';
import { checkDatabase } from '../src/ops/check.js';
import { opsConfigFromEnv } from '../src/ops/config.js';
import { startOperations } from '../src/ops/index.js';
import { purgeCheckIns } from '../src/ops/retention.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * How long the server keeps what a check-in gave it (docs/privacy.md): the name (with year of
 * birth and sex) until the end of the business day, removed when the day rolls over at local
 * midnight and by the nightly job as a backstop; the keyed hash of the number for
 * returningVisitorDays, then deleted. On an injected clock, with the real server and SQLite file;
 * "gone" is checked in the database file's bytes too (secure delete, the WAL emptied).
 */
const TZ = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => Date.parse(iso);
const clock = manualClock(at('2026-11-23T09:00:00+07:00'));
let s: TestServer;

const THO = { idNumber: '001050012345', fullName: 'Nguyễn Văn Thọ', dateOfBirth: '1950-03-15', sex: 'male' } as const;
const NGOC = { idNumber: '079190004567', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-07-02', sex: 'female' } as const;

const issue = async (serviceId: number, checkIn: object) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, checkIn } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  clock.advance(60_000);
  return r.body as { id: string };
};
const count = (sql: string, ...args: unknown[]) => (s.db.prepare(sql).get(...args) as { n: number }).n;
const names = () => count('SELECT count(*) AS n FROM checkin_citizens');
const visitDays = () => (s.db.prepare('SELECT business_day AS d FROM checkin_visits ORDER BY business_day').all() as { d: string }[]).map((r) => r.d);
/** The database file as it is on disk, its write-ahead log copied in first. */
const fileBytes = () => {
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(join(s.dataDir, 'luot.sqlite'));
};
/** Signed in afresh: the injected clock moves days, and sessions expire. */
const settings = async (body: object) => {
  const r = await s.api('PATCH', '/admin/settings', { token: await s.login('admin'), body });
  expect(r.status).toBe(200);
};
/** The minute timer of the real server, after the clock moved. */
const minuteLater = (iso: string) => {
  clock.set(at(iso));
  s.server.tick();
};

beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

describe('names end with their business day', () => {
  it('at local midnight the day rollover deletes every name, leaving no trace in the file; the hashes stay', async () => {
    const officer = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: officer });
    await issue(1, THO);
    await issue(2, NGOC);
    await s.api('POST', '/counters/1/call-next', { token: officer });
    expect((await s.api('GET', '/counters/1/citizen', { token: officer })).body.citizen.fullName).toBe(THO.fullName);
    expect(names()).toBe(2);
    expect(fileBytes().includes(Buffer.from(THO.fullName))).toBe(true);

    minuteLater('2026-11-23T23:59:00+07:00');
    expect(names()).toBe(2);
    minuteLater('2026-11-24T00:00:30+07:00');
    expect(names()).toBe(0);
    expect(visitDays()).toEqual(['2026-11-23', '2026-11-23']);
    expect((await s.api('GET', '/counters/1/citizen', { token: officer })).body).toEqual({ citizen: null });
    // Deleted, not just unlinked: the bytes of the names are gone from the database file.
    const file = fileBytes();
    for (const text of [THO.fullName, NGOC.fullName, 'Bích Ngọc']) expect(file.includes(Buffer.from(text)), text).toBe(false);
    expect(checkDatabase(s.db).ok).toBe(true);
  });

  it('the 02:00 backup, taken after the rollover, holds no name', async () => {
    await issue(1, THO);
    minuteLater('2026-11-25T00:00:30+07:00');
    const dir = join(tempDataDir(), 'usb');
    mkdirSync(dir);
    clock.set(at('2026-11-25T02:00:00+07:00'));
    const r = await takeBackup(s.db, { dir, keep: 3, timeZone: TZ, now: clock.now() });
    expect(listBackups(dir)).toEqual([r.file]);
    const copy = readFileSync(r.file);
    expect(copy.includes(Buffer.from(THO.fullName))).toBe(false);
    expect(copy.includes(Buffer.from(THO.idNumber))).toBe(false);
  });

  it('checkInNameDays keeps a name that many days after its day, then the rollover deletes it', async () => {
    await settings({ checkInNameDays: 1 });
    clock.set(at('2026-11-25T09:00:00+07:00'));
    await issue(3, NGOC);
    minuteLater('2026-11-26T00:00:30+07:00');
    expect(names()).toBe(1);
    minuteLater('2026-11-27T00:00:30+07:00');
    expect(names()).toBe(0);
    await settings({ checkInNameDays: 0 });
  });

  it('the nightly job deletes names the rollover did not reach (a setting made shorter during the day)', async () => {
    await settings({ checkInNameDays: 5 });
    clock.set(at('2026-11-27T09:00:00+07:00'));
    await issue(1, NGOC);
    minuteLater('2026-11-28T00:00:30+07:00');
    expect(names()).toBe(1);
    clock.set(at('2026-11-28T10:00:00+07:00'));
    await settings({ checkInNameDays: 0 });
    expect(names()).toBe(1);

    const config = opsConfigFromEnv({ LUOT_DATA_DIR: s.dataDir, LUOT_DISCOVERY_PORT: 'off', LUOT_LOG_FILE: 'off' });
    const ops = await startOperations({ db: s.db, repos: s.server.ctx.repos, clock, logger: pino({ level: 'silent' }), config, tickMs: 3_600_000 });
    try {
      await ops.runDaily();
      expect(names()).toBe(0);
      expect(ops.status().lastRetention).toMatchObject({ checkInNames: 1, checkInVisits: 0 });
    } finally {
      await ops.stop();
    }
    expect(fileBytes().includes(Buffer.from(NGOC.fullName))).toBe(false);
  });
});

describe('keyed hashes end after returningVisitorDays', () => {
  it('counts visits within the period, and the rollover and the nightly job delete the older ones', async () => {
    let officer = await s.login('canbo3');
    expect((await s.api('POST', '/counters/3/open', { token: officer })).status).toBe(200);
    // 2026-11-23 (two: land and civil status), 11-24, 11-25, 11-27 (certification) and 11-28 so far.
    expect(visitDays()).toEqual(['2026-11-23', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27']);
    // 30 days after the first visit: Tho's earlier land visits (11-23, 11-24) are still counted.
    clock.set(at('2026-12-23T09:00:00+07:00'));
    await issue(1, THO);
    officer = await s.login('canbo3');
    expect((await s.api('POST', '/counters/3/call-next', { token: officer })).status).toBe(200);
    expect((await s.api('GET', '/counters/3/citizen', { token: officer })).body.citizen).toMatchObject({ fullName: THO.fullName, visits: 3, visitDays: 30 });
    await s.api('POST', '/counters/3/complete', { token: officer });

    // The next day the first day is past the 30: the rollover deletes it.
    minuteLater('2026-12-24T00:00:30+07:00');
    expect(visitDays()).toEqual(['2026-11-24', '2026-11-25', '2026-11-27', '2026-12-23']);
    clock.set(at('2026-12-24T09:00:00+07:00'));
    await issue(1, THO);
    officer = await s.login('canbo3');
    expect((await s.api('POST', '/counters/3/call-next', { token: officer })).status).toBe(200);
    expect((await s.api('GET', '/counters/3/citizen', { token: officer })).body.citizen).toMatchObject({ visits: 3 });

    // The nightly job on its own (a period made shorter): everything before the new cutoff goes.
    const r = purgeCheckIns(s.db, { now: clock.now(), timeZone: TZ, nameDays: 0, visitorDays: 20, batchSize: 2 });
    expect(r).toMatchObject({ visitsCutoffDay: '2026-12-04', visits: 3 });
    expect(visitDays()).toEqual(['2026-12-23', '2026-12-24']);
    // The shortest period is one day back; today's are never touched, even by a period of 0.
    expect(purgeCheckIns(s.db, { now: clock.now(), timeZone: TZ, nameDays: 0, visitorDays: 0 })).toMatchObject({ visitsCutoffDay: '2026-12-23', visits: 0 });
    expect(visitDays()).toEqual(['2026-12-23', '2026-12-24']);
    expect(names()).toBe(1);
    expect(checkDatabase(s.db).ok).toBe(true);
  });

  it('a clock set back does not keep anything longer: the later business day reached counts', async () => {
    clock.set(at('2026-12-20T09:00:00+07:00'));
    const r = purgeCheckIns(s.db, { now: clock.now(), timeZone: TZ, nameDays: 0, visitorDays: 30 });
    expect(r.namesCutoffDay).toBe('2026-12-24');
  });
});

// Last: it leaves a name in the live database, which the tests above count.
describe('backups', () => {
  it('a backup taken by hand during the day holds no name either (the live database keeps it)', async () => {
    await issue(1, NGOC);
    expect(names()).toBeGreaterThan(0);
    const dir = join(tempDataDir(), 'usb-day');
    mkdirSync(dir);
    const r = await takeBackup(s.db, { dir, keep: 3, timeZone: TZ, now: clock.now() });
    const copy = readFileSync(r.file);
    expect(copy.includes(Buffer.from(NGOC.fullName))).toBe(false);
    expect(copy.includes(Buffer.from(NGOC.idNumber))).toBe(false);
    expect(names()).toBeGreaterThan(0);
    expect(fileBytes().includes(Buffer.from(NGOC.fullName))).toBe(true);
  });
});
