import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IN_KEY_FILE } from '../src/checkin/key.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * Issue 16 on the server: a kiosk sends the four fields of an ID card with its ticket request;
 * the server checks them again with its own day, decides priority by age itself, keeps the name
 * with the ticket and only a keyed hash of the number. Real server, real SQLite file, real HTTP.
 * Every person here is invented; the numbers follow the real layout so the checks run.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;

// Born 1950: 76 on the test day, priority from 60.
const THO = { idNumber: '001050012345', fullName: 'Nguyễn Văn Thọ', dateOfBirth: '1950-03-15', sex: 'male' } as const;
// Born 1990: 36, a normal ticket.
const NGOC = { idNumber: '079190004567', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-07-02', sex: 'female' } as const;

type Body = Record<string, unknown>;
const issue = (body: Body, opts: { key?: string; token?: string } = {}) =>
  fetch(`${s.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? s.kioskToken}`, ...(opts.key ? { 'idempotency-key': opts.key } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const count = (sql: string, ...args: unknown[]) => (s.db.prepare(sql).get(...args) as { n: number }).n;
const citizenOf = (ticketId: string) =>
  s.db.prepare('SELECT business_day, service_id, full_name, year_of_birth, sex, length(id_hash) AS hash_len FROM checkin_citizens WHERE ticket_id = ?').get(ticketId);

beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

describe('issuing with an ID-card check-in', () => {
  it('has no key file before the first check-in, and a normal tap works exactly as before', async () => {
    expect(existsSync(join(s.dataDir, CHECK_IN_KEY_FILE))).toBe(false);
    const r = await issue({ serviceId: 1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ number: '1001', priority: false, status: 'waiting' });
    expect(count('SELECT count(*) AS n FROM checkin_citizens')).toBe(0);
    expect(existsSync(join(s.dataDir, CHECK_IN_KEY_FILE))).toBe(false);
  });

  it('born 1950: a priority ticket without a tap on "Ưu tiên"; born 1990: a normal one', async () => {
    const old = await issue({ serviceId: 1, checkIn: THO });
    expect(old.status).toBe(201);
    expect(old.body.priority).toBe(true);
    const young = await issue({ serviceId: 1, checkIn: NGOC });
    expect(young.status).toBe(201);
    expect(young.body.priority).toBe(false);
    // What the server holds, not what it answered.
    const prio = (id: string) => (s.db.prepare('SELECT priority FROM tickets WHERE id = ?').get(id) as { priority: number }).priority;
    expect(prio(old.body.id)).toBe(1);
    expect(prio(young.body.id)).toBe(0);
    // The priority ticket goes before the earlier normal one (1001), as a tapped priority does.
    expect(old.body.ahead).toBe(0);
    expect(citizenOf(old.body.id)).toEqual({ business_day: '2026-11-23', service_id: 1, full_name: 'Nguyễn Văn Thọ', year_of_birth: 1950, sex: 'male', hash_len: 32 });
    expect(citizenOf(young.body.id)).toMatchObject({ full_name: 'Trần Thị Bích Ngọc', year_of_birth: 1990, sex: 'female' });
    // The answer carries no person.
    expect(JSON.stringify([old.body, young.body])).not.toMatch(/Thọ|Ngọc|001050012345|079190004567/);
  });

  it('a tap on "Ưu tiên" with a card of someone young still counts (age is one reason of several)', async () => {
    const r = await issue({ serviceId: 2, priority: true, checkIn: NGOC });
    expect(r.status).toBe(201);
    expect(r.body.priority).toBe(true);
  });

  it('decides age with its own day: the 60th birthday is the day priority starts', async () => {
    // Born 23 Nov 1966: 60 today. Born 24 Nov 1966: 59 until tomorrow.
    const sixty = { idNumber: '038066001122', fullName: 'Lê Văn Sáu', dateOfBirth: '1966-11-23', sex: 'male' };
    const almost = { idNumber: '038066003344', fullName: 'Lê Văn Bảy', dateOfBirth: '1966-11-24', sex: 'male' };
    expect((await issue({ serviceId: 3, checkIn: sixty })).body.priority).toBe(true);
    expect((await issue({ serviceId: 3, checkIn: almost })).body.priority).toBe(false);
    // The admin's threshold is the server's: 70 makes the same card a normal ticket.
    expect((await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { priorityAge: 70 } })).status).toBe(200);
    expect((await issue({ serviceId: 3, checkIn: sixty })).body.priority).toBe(false);
    expect((await issue({ serviceId: 3, checkIn: THO })).body.priority).toBe(true);
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { priorityAge: 60 } });
  });

  it('keeps only a keyed hash of the number: the center key file (32 bytes, 0600), never the number', async () => {
    const keyFile = join(s.dataDir, CHECK_IN_KEY_FILE);
    const key = readFileSync(keyFile);
    expect(key).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const hashes = (s.db.prepare('SELECT id_hash FROM checkin_visits').all() as { id_hash: Buffer }[]).map((r) => r.id_hash.toString('hex'));
    const keyed = createHmac('sha256', key).update('luot:cccd-id:').update(THO.idNumber).digest('hex');
    expect(hashes).toContain(keyed);
    // Not a plain hash, which anyone could reverse by trying every number.
    expect(hashes).not.toContain(createHash('sha256').update(THO.idNumber).digest('hex'));
    // The number is nowhere in the database file, nor in its write-ahead log; nor is the key.
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(join(s.dataDir, 'luot.sqlite'));
    for (const id of [THO.idNumber, NGOC.idNumber]) expect(file.includes(Buffer.from(id))).toBe(false);
    expect(file.includes(key)).toBe(false);
    // The names are kept for the day, by design (see checkin-retention.test.ts for their end).
    expect(file.includes(Buffer.from(THO.fullName))).toBe(true);
  });

  it('refuses a bad check-in with the rule it broke and never the values; no ticket, no number taken', async () => {
    const before = count('SELECT count(*) AS n FROM tickets');
    const lastLand = count('SELECT max(seq) AS n FROM tickets WHERE issue_service_id = 1');
    const cases: [Body, string][] = [
      [{ ...THO, dateOfBirth: '1950-02-30' }, 'bad_date'],
      [{ ...THO, dateOfBirth: '2030-01-01', idNumber: '001230012345' }, 'bad_date'],
      [{ ...THO, dateOfBirth: '1951-03-15' }, 'id_mismatch'],
      [{ ...THO, sex: 'female' }, 'id_mismatch'],
      [{ ...THO, idNumber: '999050012345' }, 'bad_id'],
      [{ ...THO, idNumber: '00105001234' }, 'bad_id'],
      [{ ...THO, fullName: 'https://example.vn/x' }, 'bad_name'],
      [{ ...THO, fullName: '' }, 'bad_name'],
    ];
    for (const [checkIn, reason] of cases) {
      const r = await issue({ serviceId: 1, checkIn });
      expect(r.status, JSON.stringify(checkIn)).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'checkIn', message: reason }] });
      expect(JSON.stringify(r.body)).not.toMatch(/Thọ|0010500|99905/);
    }
    // The raw scan, the address or any other field: refused by the shape (only the four fields travel).
    for (const extra of [{ address: 'Số 1 phố Huế' }, { raw: '001050012345||Nguyễn Văn Thọ|15031950|Nam|x|01012020' }, { oldIdNumber: '012345678' }]) {
      const r = await issue({ serviceId: 1, checkIn: { ...THO, ...extra } });
      expect(r.status).toBe(400);
      expect(r.body.error.issues[0].path).toMatch(/^checkIn/);
      expect(JSON.stringify(r.body)).not.toMatch(/Thọ|Huế|001050012345/);
    }
    for (const checkIn of ['001050012345||Nguyễn Văn Thọ|15031950|Nam|x|01012020', null, { ...THO, sex: 'Nam' }, { ...THO, fullName: 'x'.repeat(201) }]) {
      const r = await issue({ serviceId: 1, checkIn });
      expect(r.status).toBe(400);
      expect(r.body.error.issues[0].path).toMatch(/^checkIn/);
      expect(JSON.stringify(r.body)).not.toContain('Thọ');
    }
    expect(count('SELECT count(*) AS n FROM tickets')).toBe(before);
    // Nor a number taken from the day's sequence.
    expect((await issue({ serviceId: 1 })).body.number).toBe(`1${String(lastLand + 1).padStart(3, '0')}`);
  });

  it('Idempotency-Key: the same key and card gives the same ticket once; the same key with another card is refused', async () => {
    const a = await issue({ serviceId: 2, checkIn: THO }, { key: 'tap-cccd-0001' });
    const again = await Promise.all([1, 2, 3].map(() => issue({ serviceId: 2, checkIn: THO }, { key: 'tap-cccd-0001' })));
    for (const r of again) expect(r.body).toMatchObject({ id: a.body.id, number: a.body.number, priority: true });
    expect(count('SELECT count(*) AS n FROM checkin_citizens WHERE ticket_id = ?', a.body.id)).toBe(1);
    const visits = count('SELECT count(*) AS n FROM checkin_visits WHERE service_id = 2');
    const other = await issue({ serviceId: 2, checkIn: NGOC }, { key: 'tap-cccd-0001' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bare = await issue({ serviceId: 2 }, { key: 'tap-cccd-0001' });
    expect(bare.status).toBe(422);
    expect(count('SELECT count(*) AS n FROM checkin_visits WHERE service_id = 2')).toBe(visits);
    // The stored fingerprint holds a keyed tag of the card, neither its name nor its number.
    const request = (s.db.prepare(`SELECT request FROM issue_keys WHERE key = 'tap-cccd-0001'`).get() as { request: string }).request;
    expect(request).toMatch(/^2:0:[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(other.body)).not.toMatch(/Thọ|Ngọc|001050012345/);
  });

  it('switched off: check-in data is refused with a clear reason (a misconfigured kiosk is noticed); a tap works', async () => {
    expect((await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled: false } })).status).toBe(200);
    const before = count('SELECT count(*) AS n FROM tickets');
    const r = await issue({ serviceId: 1, checkIn: THO });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'checkIn', message: 'check_in_off' }] });
    // Even a retry of a key used while it was on: the kiosk must learn it is off.
    expect((await issue({ serviceId: 2, checkIn: THO }, { key: 'tap-cccd-0001' })).status).toBe(400);
    expect(count('SELECT count(*) AS n FROM tickets')).toBe(before);
    expect((await issue({ serviceId: 1 })).status).toBe(201);
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled: true } });
  });
});

describe('a database in a new data directory', () => {
  it('gets its own key: the same card hashes differently at another center', async () => {
    const dir = tempDataDir();
    const other = await startTestServer({ clock, dataDir: dir });
    try {
      const r = await fetch(`${other.url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${other.kioskToken}` },
        body: JSON.stringify({ serviceId: 1, checkIn: THO }),
      });
      expect(r.status).toBe(201);
      const theirs = other.db.prepare('SELECT hex(id_hash) AS h FROM checkin_visits').get() as { h: string };
      const ours = s.db.prepare('SELECT hex(id_hash) AS h FROM checkin_visits').all() as { h: string }[];
      expect(ours.map((x) => x.h)).not.toContain(theirs.h);
      expect(readFileSync(join(dir, CHECK_IN_KEY_FILE)).equals(readFileSync(join(s.dataDir, CHECK_IN_KEY_FILE)))).toBe(false);
    } finally {
      await other.close({ keepData: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
