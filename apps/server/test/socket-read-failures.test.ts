import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ClientToServerEvents, PublicTicket, ServerToClientEvents, Snapshot } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * When the day's state cannot be read (here: a table the snapshot and the phone's status read is
 * taken away by another connection to the same file, a stand-in for a damaged or unreadable
 * database), no socket handler may throw: the process stays up, a sync is answered with
 * STORAGE_ERROR, a new screen is dropped like a lost network and comes back by itself once the
 * data can be read again.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
let other: Database.Database;
beforeAll(async () => {
  s = await startTestServer({ clock });
  other = new Database(join(s.dataDir, 'luot.sqlite'));
});
afterAll(async () => {
  other.close();
  await s.close();
});

const breakCalls = () => other.exec('ALTER TABLE calls RENAME TO calls_away');
const repairCalls = () => other.exec('ALTER TABLE calls_away RENAME TO calls');

async function waitFor(pred: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a snapshot or ticket status that cannot be read', () => {
  it('queue:sync answers STORAGE_ERROR, a new screen is dropped and reconnects by itself, the server stays up', async () => {
    const tv = new QueueClient(s.url, s.displayToken);
    await tv.connected();
    const ticket = (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } })).body as { id: string };
    const phoneStatus: PublicTicket[] = [];
    const phone: Socket<ServerToClientEvents, ClientToServerEvents> = io(s.url, { auth: { ticketId: ticket.id }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
    phone.on('ticket:status', (t) => phoneStatus.push(t));
    await waitFor(() => phoneStatus.length === 1, 5000, 'the phone sees its ticket');

    breakCalls();
    clock.advance(60_000); // the next minute: no cached snapshot to answer from
    try {
      const sync = await tv.socket.emitWithAck('queue:sync');
      expect(sync).toEqual({ ok: false, error: { code: 'STORAGE_ERROR', message: expect.stringMatching(/\S/), messageVi: expect.stringMatching(/\S/) } });

      // A screen connecting now gets no snapshot; it is dropped as by a network loss, so it retries.
      const late: Socket<ServerToClientEvents, ClientToServerEvents> = io(s.url, { auth: { token: s.displayToken }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
      const reasons: string[] = [];
      const snapshots: Snapshot[] = [];
      late.on('disconnect', (r) => reasons.push(r));
      late.on('queue:snapshot', (x) => snapshots.push(x));
      try {
        await waitFor(() => reasons.length > 0, 5000, 'the new screen is dropped');
        expect(reasons[0]).toBe('transport close');
        expect(snapshots).toEqual([]);
        expect(late.active).toBe(true);

        // A kiosk keeps issuing meanwhile (the phone's status push fails and is only logged).
        const more = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
        expect(more.status).toBe(201);
        expect((await s.api('GET', '/health')).status).toBe(200);

        repairCalls();
        await waitFor(() => snapshots.length === 1 && late.connected, 5000, 'the new screen is back with a snapshot');
        // A TV's snapshot counts the waiting per service (no list, issue 14): both land tickets.
        expect(snapshots[0]!.services.find((x) => x.id === 1)?.waiting).toBe(2);
        const again = await tv.socket.emitWithAck('queue:sync');
        expect(again.ok).toBe(true);
      } finally {
        late.close();
      }
    } finally {
      if (other.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'calls_away'`).get()) repairCalls();
      phone.close();
      tv.close();
    }
  });

  it("a citizen's phone whose ticket cannot be read is dropped and comes back by itself", async () => {
    const ticket = (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 2 } })).body as { id: string };
    breakCalls();
    const statuses: PublicTicket[] = [];
    const reasons: string[] = [];
    const phone: Socket<ServerToClientEvents, ClientToServerEvents> = io(s.url, { auth: { ticketId: ticket.id }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
    phone.on('ticket:status', (t) => statuses.push(t));
    phone.on('disconnect', (r) => reasons.push(r));
    try {
      await waitFor(() => reasons.length > 0, 5000, 'the phone is dropped');
      expect(reasons[0]).toBe('transport close');
      expect(statuses).toEqual([]);
      repairCalls();
      await waitFor(() => statuses.length > 0, 5000, 'the phone sees its ticket');
      expect(statuses[0]).toMatchObject({ id: ticket.id, status: 'waiting' });
    } finally {
      if (other.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'calls_away'`).get()) repairCalls();
      phone.close();
    }
  });
});
