import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('4 counters calling next at once', () => {
  it('never gives one ticket to two counters, over HTTP and socket alike', async () => {
    const services = (await s.api('GET', '/services')).body as { id: number }[];
    const issued = await Promise.all(
      Array.from({ length: 500 }, (_, i) => s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: services[i % 3]!.id, priority: i % 11 === 0 } })),
    );
    expect(issued.every((r) => r.status === 201)).toBe(true);

    const counters = (await s.api('GET', '/counters', { token: s.adminToken })).body as { id: number; number: number }[];
    const officers = await Promise.all([1, 2, 3, 4].map((i) => s.login(`canbo${i}`)));
    for (const [i, c] of counters.entries()) {
      expect((await s.api('POST', `/counters/${c.id}/open`, { token: officers[i] })).status).toBe(200);
    }
    // Counters 1 and 2 press "next" over HTTP, counters 3 and 4 over the socket.
    const sockets = [2, 3].map((i) => new QueueClient(s.url, officers[i]!));
    await Promise.all(sockets.map((c) => c.connected()));

    const calledBy = new Map<string, number>();
    const duplicates: string[] = [];
    const record = (ticketId: string, counterId: number) => {
      if (calledBy.has(ticketId)) duplicates.push(ticketId);
      calledBy.set(ticketId, counterId);
    };
    const httpLoop = async (counterId: number, token: string) => {
      for (;;) {
        const r = await s.api('POST', `/counters/${counterId}/call-next`, { token });
        expect(r.status).toBe(200);
        if (!r.body.ticket) return;
        record(r.body.ticket.id, counterId);
      }
    };
    const socketLoop = async (counterId: number, client: QueueClient) => {
      for (;;) {
        const res = await client.socket.emitWithAck('counter:call-next', { counterId });
        if (!res.ok) throw new Error(JSON.stringify(res.error));
        if (!res.data.ticket) return;
        record(res.data.ticket.id, counterId);
      }
    };
    await Promise.all([
      httpLoop(counters[0]!.id, officers[0]!),
      httpLoop(counters[1]!.id, officers[1]!),
      socketLoop(counters[2]!.id, sockets[0]!),
      socketLoop(counters[3]!.id, sockets[1]!),
    ]);
    sockets.forEach((c) => c.close());

    expect(duplicates).toEqual([]);
    expect(calledBy.size).toBe(500);
    // Every counter did real work, and only for services it serves.
    const perCounter = new Map<number, number>();
    for (const c of calledBy.values()) perCounter.set(c, (perCounter.get(c) ?? 0) + 1);
    expect([...perCounter.keys()].sort()).toEqual(counters.map((c) => c.id).sort());

    // Each ticket ended "done": the next press completes the one being served, and the last press,
    // finding nobody waiting, completes the last citizen and leaves the counter free.
    const statuses = await Promise.all([...calledBy.keys()].map((id) => s.api('GET', `/tickets/${id}`)));
    const byStatus = statuses.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.body.status]: (acc[r.body.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ done: 500 });
    const after = (await s.api('GET', '/counters', { token: s.adminToken })).body as { currentTicket?: unknown }[];
    expect(after.every((c) => c.currentTicket === undefined)).toBe(true);
  });
});
