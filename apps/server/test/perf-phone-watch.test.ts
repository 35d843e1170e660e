import type { PublicTicket } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Phones watching their tickets (issue 14): their statuses are computed for a whole service at
 * once, after the action has answered, and only changed statuses are sent. What a phone shows
 * must still be exactly what GET /tickets/:id says after every kind of change: issue (normal and
 * priority), call-next, a chosen call, recall, transfer, cancel, no-show, a counter opening.
 */
const clock = manualClock(Date.parse('2026-11-23T08:00:00+07:00'));
let s: TestServer;
const token: Record<string, string> = {};
const LAND = 1;
const CIVIL = 2;
const CERT = 3;

interface Phone {
  id: string;
  socket: Socket;
  statuses: PublicTicket[];
}
const phones: Phone[] = [];

function watch(ticketId: string): Promise<Phone> {
  const socket = io(s.url, { auth: { ticketId }, transports: ['websocket'], reconnection: false });
  const phone: Phone = { id: ticketId, socket, statuses: [] };
  phones.push(phone);
  return new Promise((resolve) => {
    socket.on('ticket:status', (t: PublicTicket) => {
      phone.statuses.push(t);
      if (phone.statuses.length === 1) resolve(phone);
    });
  });
}

const issue = async (serviceId: number, priority = false) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, priority } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; number: string };
};
const post = async (who: string, path: string, body?: unknown) => {
  const r = await s.api('POST', path, { token: token[who] ?? s.adminToken, ...(body !== undefined ? { body } : {}) });
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};

/** Every phone's last status equals what the HTTP API says of its ticket now. */
async function phonesAgree(step: string) {
  const truth = new Map<string, PublicTicket>();
  for (const p of phones) truth.set(p.id, (await s.api('GET', `/tickets/${p.id}`)).body as PublicTicket);
  for (const end = Date.now() + 5000; ; ) {
    const wrong = phones.filter((p) => JSON.stringify(p.statuses.at(-1)) !== JSON.stringify(truth.get(p.id)));
    if (wrong.length === 0) return;
    if (Date.now() > end) {
      const p = wrong[0]!;
      expect(p.statuses.at(-1), `${step}: phone of ${p.id}`).toEqual(truth.get(p.id));
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  s = await startTestServer({ clock });
  for (const u of ['canbo1', 'canbo2', 'canbo3']) token[u] = await s.login(u);
});
afterAll(async () => {
  for (const p of phones) p.socket.close();
  await s.close();
});

describe('phones watching their tickets', () => {
  it('show what GET /tickets/:id says after issue, call, recall, transfer, cancel, no-show and counters opening', async () => {
    const land: { id: string; number: string }[] = [];
    const civil: { id: string; number: string }[] = [];
    const cert: { id: string; number: string }[] = [];
    for (let i = 0; i < 6; i++) land.push(await issue(LAND));
    for (let i = 0; i < 5; i++) civil.push(await issue(CIVIL));
    for (let i = 0; i < 4; i++) cert.push(await issue(CERT));
    // Phones on tickets near the head and at the back of each queue, two on the same ticket.
    for (const t of [land[1]!, land[4]!, land[5]!, civil[0]!, civil[3]!, cert[2]!, cert[3]!, land[4]!]) await watch(t.id);
    await phonesAgree('connected');

    await post('canbo1', '/counters/1/open');
    await phonesAgree('counter 1 opens (land, civil status: estimates move)');
    await post('canbo2', '/counters/2/open');
    await post('canbo3', '/counters/3/open');
    await phonesAgree('counters 2 and 3 open');

    await issue(LAND, true);
    await phonesAgree('a priority land ticket goes ahead of every normal one');
    await issue(CERT);
    await phonesAgree('a normal certification ticket joins at the back');

    clock.advance(60_000);
    await post('canbo1', '/counters/1/call-next');
    await phonesAgree('counter 1 calls the priority land ticket');
    clock.advance(90_000);
    await post('canbo1', '/counters/1/call-next');
    await phonesAgree('counter 1 completes it and calls the next land ticket');
    await post('canbo1', '/counters/1/call-next');
    await phonesAgree('counter 1 calls a watched land ticket');
    await post('canbo1', '/counters/1/recall');
    await phonesAgree('recall');
    expect(phones.find((p) => p.id === land[1]!.id)!.statuses.at(-1)).toMatchObject({ status: 'called', counterNumber: 1, calls: 2 });

    await post('canbo1', '/counters/1/transfer', { serviceId: CERT });
    await phonesAgree('the watched land ticket is transferred to certification');
    expect(phones.find((p) => p.id === land[1]!.id)!.statuses.at(-1)).toMatchObject({ status: 'waiting', serviceId: CERT });

    await post('canbo2', '/counters/2/call', { ticketId: civil[3]!.id });
    await phonesAgree('counter 2 calls a watched civil-status ticket out of turn');
    await post('canbo2', '/counters/2/no-show');
    await phonesAgree('no-show');

    await post('canbo3', `/tickets/${cert[2]!.id}/cancel`, {});
    await phonesAgree('a watched certification ticket is cancelled');
    await post('canbo3', '/counters/3/call-next');
    clock.advance(120_000);
    await post('canbo3', '/counters/3/complete');
    await phonesAgree('counter 3 serves a certification ticket (the estimate moves)');

    // Both phones of one ticket got the same statuses.
    const twins = phones.filter((p) => p.id === land[4]!.id);
    expect(twins).toHaveLength(2);
    expect(twins[0]!.statuses.at(-1)).toEqual(twins[1]!.statuses.at(-1));
  });

  it('forty phones of one service (more than one turn of sends) each get their new place after a call', async () => {
    const mine: { id: string }[] = [];
    for (let i = 0; i < 40; i++) mine.push(await issue(CERT));
    const forty = [];
    for (const t of mine) forty.push(await watch(t.id));
    await phonesAgree('forty phones watching');
    const before = new Map(forty.map((p) => [p.id, p.statuses.at(-1)!.ahead]));
    await post('canbo3', '/counters/3/call-next');
    await phonesAgree('a call moves all forty');
    for (const p of forty) expect(p.statuses.at(-1)!.ahead).toBe(before.get(p.id)! - 1);
  });

  it('sends a phone nothing when an event leaves its status as it was', async () => {
    const mine = await issue(CIVIL);
    const p = await watch(mine.id);
    await phonesAgree('watching');
    const before = p.statuses.length;
    // Tickets issued behind it change nothing it shows (its place, its estimate, now serving).
    await issue(CIVIL);
    await issue(CIVIL);
    // A call in its service does: the phone's next status is that one, with nothing in between.
    const ahead = p.statuses.at(-1)!.ahead;
    await post('canbo2', '/counters/2/call-next');
    await phonesAgree('a call in its service');
    const seen = p.statuses.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((t) => t.ahead < ahead)).toBe(true);
  });
});
