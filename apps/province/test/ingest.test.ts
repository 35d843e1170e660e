import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpProvince } from './helpers/dump.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { startProvince, type TestProvince } from './helpers/province.js';

/**
 * The province's ingest endpoint, driven over HTTP with hand-made batches: what it accepts, what
 * it refuses (and that a refusal changes nothing at all), and that re-sent batches count once.
 * Real centers shipping to it are in shipping.test.ts.
 */
let pgs: TestPostgres;
let p: TestProvince;
beforeAll(async () => {
  pgs = await startPostgres();
  p = await startProvince(pgs);
});
afterAll(async () => {
  await p?.stop();
  await pgs?.stop();
});

const T0 = Date.parse('2026-11-20T08:00:00+07:00');
const iso = (min: number) => new Date(T0 + min * 60_000).toISOString();

function ticket(id: string, o: Partial<Record<string, unknown>> = {}) {
  return {
    id,
    number: '1001',
    serviceId: 1,
    issueServiceId: 1,
    priority: false,
    status: 'waiting',
    businessDay: '2026-11-20',
    issuedAt: iso(0),
    calledAt: null,
    completedAt: null,
    counterId: null,
    officerId: null,
    ...o,
  };
}

function batch(centerUid: string, fromSeq: number, toSeq: number, o: Partial<Record<string, unknown>> = {}) {
  const events = [];
  for (let seq = fromSeq; seq <= toSeq; seq++) {
    events.push({ seq, at: iso(seq), type: 'ticket:issued', action: 'issue', ticketId: `T${seq}`, ticket: ticket(`T${seq}`, { number: String(1000 + seq), issuedAt: iso(seq) }) });
  }
  return {
    centerUid,
    epoch: 1,
    fromSeq,
    toSeq,
    sentAt: iso(toSeq),
    events,
    ratings: [],
    services: [{ id: 1, code: 'land', nameVi: 'Đất đai', nameEn: 'Land records', targetWaitMinutes: 15 }],
    counters: [{ id: 1, number: 1, name: 'Quầy 1' }],
    now: { at: iso(toSeq), businessDay: '2026-11-20', timeZone: 'Asia/Ho_Chi_Minh', waiting: toSeq - fromSeq + 1, openCounters: 1, longestWaitSeconds: 60, lastSeq: toSeq },
    ...o,
  };
}

const ingest = (key: string | null, body: unknown) => p.api('POST', '/api/v1/ingest', { token: key, body });
const count = async (sql: string, params: unknown[] = []) => Number((await p.pool.query(sql, params)).rows[0].n);

describe('province admin API', () => {
  it('registers a center and shows its key once; the key is stored hashed', async () => {
    expect((await p.api('POST', '/api/v1/admin/centers', { token: null, body: { code: 'x', name: 'X' } })).status).toBe(401);
    expect((await p.api('POST', '/api/v1/admin/centers', { token: 'wrong-token', body: { code: 'x', name: 'X' } })).status).toBe(401);
    const r = await p.api('POST', '/api/v1/admin/centers', { body: { code: 'dong-kinh', name: 'Phường Đông Kinh' } });
    expect(r.status).toBe(201);
    expect(r.body.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = await p.api('GET', '/api/v1/admin/centers');
    const c = list.body.centers.find((x: any) => x.code === 'dong-kinh');
    expect(c).toMatchObject({ name: 'Phường Đông Kinh', revoked: false, centerUid: null });
    expect(JSON.stringify(list.body)).not.toContain(r.body.key);
    const stored = (await p.pool.query('SELECT key_hash FROM centers WHERE id = $1', [r.body.id])).rows[0].key_hash;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(r.body.key);

    const again = await p.api('POST', '/api/v1/admin/centers', { body: { code: 'dong-kinh', name: 'Another' } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CENTER_CODE_TAKEN', messageVi: expect.any(String) });
    const bad = await p.api('POST', '/api/v1/admin/centers', { body: { code: 'has space', name: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
  });
});

describe('ingest', () => {
  it('stores a batch, answers the ackSeq, and a re-sent or duplicated batch counts once', async () => {
    const { key } = await p.register('c-dup');
    const uid = randomUUID();
    const first = await ingest(key, batch(uid, 1, 3));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ centerUid: uid, epoch: 1, ackSeq: 3 });
    const state = await p.api('GET', '/api/v1/ingest/state', { token: key });
    expect(state.body).toEqual({ centerUid: uid, epoch: 1, ackSeq: 3 });

    const before = await dumpProvince(p.pool);
    // The same batch again, and twice at once (a retried request racing the original).
    const again = await Promise.all([ingest(key, batch(uid, 1, 3)), ingest(key, batch(uid, 1, 3)), ingest(key, batch(uid, 2, 3))]);
    for (const r of again) expect(r.body).toEqual({ centerUid: uid, epoch: 1, ackSeq: 3 });
    const after = await dumpProvince(p.pool);
    expect(after.events).toEqual(before.events);
    expect(after.tickets).toEqual(before.tickets);
    expect(await count(`SELECT count(*) AS n FROM tickets t JOIN centers c ON c.id = t.center_id WHERE c.code = 'c-dup'`)).toBe(3);

    // Overlapping batches, sent at once: each event once, ackSeq the furthest.
    const [a, b] = await Promise.all([ingest(key, batch(uid, 2, 6)), ingest(key, batch(uid, 4, 8))]);
    expect([a.status, b.status].sort()).toEqual([200, 200].sort());
    expect((await p.api('GET', '/api/v1/ingest/state', { token: key })).body.ackSeq).toBe(8);
    expect(await count(`SELECT count(*) AS n FROM events e JOIN centers c ON c.id = e.center_id WHERE c.code = 'c-dup'`)).toBe(8);
  });

  it('keeps per ticket the fact of the highest (epoch, seq), whatever order batches come in', async () => {
    const { key } = await p.register('c-order');
    const uid = randomUUID();
    const called = ticket('X', { status: 'called', calledAt: iso(5), counterId: 1, officerId: 7 });
    const done = ticket('X', { status: 'done', calledAt: iso(5), completedAt: iso(9), counterId: 1, officerId: 7 });
    const ev = (seq: number, t: object) => ({ seq, at: iso(seq), type: 'ticket:updated', action: 'x', ticketId: 'X', ticket: t });
    expect((await ingest(key, batch(uid, 1, 2, { events: [ev(1, ticket('X')), ev(2, done)] }))).status).toBe(200);
    // A late copy of an older fact (seq 1) and an older epoch never win over seq 2.
    expect((await ingest(key, batch(uid, 1, 1, { events: [ev(1, called)] }))).body.ackSeq).toBe(2);
    const row = (await p.pool.query(`SELECT status, last_seq FROM tickets WHERE ticket_id = 'X'`)).rows[0];
    expect(row).toEqual({ status: 'done', last_seq: '2' });
    // A new epoch (the center restored from a backup) says the ticket was only called: it wins.
    const r = await ingest(key, batch(uid, 1, 1, { epoch: 2, events: [ev(1, called)] }));
    expect(r.body).toEqual({ centerUid: uid, epoch: 2, ackSeq: 1 });
    expect((await p.pool.query(`SELECT status, last_epoch FROM tickets WHERE ticket_id = 'X'`)).rows[0]).toEqual({ status: 'called', last_epoch: 2 });
    expect((await p.api('GET', '/api/v1/ingest/state', { token: key })).body).toEqual({ centerUid: uid, epoch: 2, ackSeq: 1 });
  });

  it('accepts a range whose early rows the center no longer holds (retention): the range is what counts', async () => {
    const { key } = await p.register('c-retention');
    const uid = randomUUID();
    const b = batch(uid, 1, 10);
    b.events = b.events.filter((e) => e.seq > 7);
    expect((await ingest(key, b)).body.ackSeq).toBe(10);
  });

  it('refuses bad batches with a clear error, and a refused batch changes nothing', async () => {
    const { id, key } = await p.register('c-refuse');
    const uid = randomUUID();
    expect((await ingest(key, batch(uid, 1, 2))).status).toBe(200);
    const other = await p.register('c-other');
    const before = await dumpProvince(p.pool);

    const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      ['no key', () => ingest(null, batch(uid, 3, 3)), 401, 'UNAUTHORIZED'],
      ['unknown key', () => ingest('x'.repeat(43), batch(uid, 3, 3)), 401, 'UNAUTHORIZED'],
      ['malformed JSON', () => p.api('POST', '/api/v1/ingest', { token: key, rawBody: '{"centerUid":' }), 400, 'INVALID_INPUT'],
      ['missing fields', () => ingest(key, { centerUid: uid, epoch: 1 }), 400, 'INVALID_INPUT'],
      ['a name smuggled into a ticket', () => ingest(key, batch(uid, 3, 3, { events: [{ ...batch(uid, 3, 3).events[0], ticket: { ...ticket('T3'), citizenName: 'Nguyễn Văn A' } }] })), 400, 'INVALID_INPUT'],
      ['events out of order', () => ingest(key, batch(uid, 3, 4, { events: [...batch(uid, 3, 4).events].reverse() })), 400, 'INVALID_INPUT'],
      ['an event outside the range', () => ingest(key, batch(uid, 3, 3, { events: batch(uid, 3, 4).events })), 400, 'INVALID_INPUT'],
      ['toSeq before fromSeq', () => ingest(key, batch(uid, 3, 3, { toSeq: 2 })), 400, 'INVALID_INPUT'],
      ['more than 500 events', () => ingest(key, batch(uid, 3, 503)), 413, 'PAYLOAD_TOO_LARGE'],
      ['a body over 1 MiB', () => ingest(key, batch(uid, 3, 3, { services: [{ id: 1, code: 'land', nameVi: 'x'.repeat(1_100_000), nameEn: '', targetWaitMinutes: null }] })), 413, 'PAYLOAD_TOO_LARGE'],
      ['a gap after the ackSeq', () => ingest(key, batch(uid, 5, 6)), 409, 'SEQ_GAP'],
      ['another center database with the same key', () => ingest(key, batch(randomUUID(), 3, 3)), 409, 'CENTER_MISMATCH'],
      ['a uid already bound to another center', () => ingest(other.key, batch(uid, 1, 1)), 409, 'CENTER_MISMATCH'],
    ];
    for (const [what, send, status, code] of cases) {
      const r = await send();
      expect({ what, status: r.status, code: r.body?.error?.code }).toEqual({ what, status, code });
      expect(r.body.error.message, what).toEqual(expect.any(String));
      expect(r.body.error.messageVi, what).toEqual(expect.any(String));
    }
    const gap = await ingest(key, batch(uid, 5, 6));
    expect(gap.body.error.ackSeq).toBe(2);

    // Revoked: the key stops working at once.
    expect((await p.api('POST', `/api/v1/admin/centers/${id}/revoke`)).status).toBe(200);
    const revoked = await ingest(key, batch(uid, 3, 3));
    expect(revoked.status).toBe(401);
    expect((await p.api('GET', '/api/v1/ingest/state', { token: key })).status).toBe(401);

    const after = await dumpProvince(p.pool);
    after.centers = (after.centers ?? []).map((c: any) => (c.id === id ? { ...c, revoked: false, revoked_at: null } : c));
    expect(after).toEqual(before);
  });

  it('a re-bound key takes another center database; a new key replaces the old one', async () => {
    const { id, key } = await p.register('c-rebind');
    const uid = randomUUID();
    expect((await ingest(key, batch(uid, 1, 1))).status).toBe(200);
    const newUid = randomUUID();
    expect((await ingest(key, batch(newUid, 1, 1))).status).toBe(409);
    await p.api('POST', `/api/v1/admin/centers/${id}/rebind`);
    expect((await ingest(key, batch(newUid, 1, 1))).status).toBe(200);
    const fresh = await p.api('POST', `/api/v1/admin/centers/${id}/key`);
    expect(fresh.body.key).not.toBe(key);
    expect((await ingest(key, batch(newUid, 2, 2))).status).toBe(401);
    expect((await ingest(fresh.body.key, batch(newUid, 2, 2))).status).toBe(200);
  });

  it('answers 503 DATABASE_UNAVAILABLE while PostgreSQL cannot be reached', async () => {
    const { key } = await p.register('c-down');
    // A province whose pool points at a port where no PostgreSQL listens.
    const { createProvinceServer } = await import('../src/server.js');
    const { createPool } = await import('../src/db/pool.js');
    const dead = createPool(`postgres://postgres:test@127.0.0.1:1/none`, 1);
    dead.removeAllListeners('error');
    dead.on('error', () => undefined);
    const s = await createProvinceServer({ pool: dead });
    const r = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}` }, payload: batch(randomUUID(), 1, 1) });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe('DATABASE_UNAVAILABLE');
    await s.close();
    await dead.end();
  });
});
