import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offContract, QueueClient } from './helpers/queue-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Each counter action on a citizen says which ticket the page believes the counter is serving
 * (expectTicketId, null for none). A double key press, a second tab or a retried request is
 * refused with 409 STALE_REQUEST instead of calling or completing a second citizen.
 */
let s: TestServer;
let officer: string;
let counterId = 0;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const officers = ['canbo1', 'canbo2', 'canbo3', 'canbo4'];
// Each test gets a counter of its own and an empty queue, so none depends on another's leftovers.
beforeEach(async () => {
  for (const t of s.server.ctx.queue.snapshot().waiting) {
    expect((await s.api('POST', `/tickets/${t.id}/cancel`, { token: s.adminToken, body: {} })).status).toBe(200);
  }
  counterId++;
  officer = await s.login(officers[counterId - 1]!);
  expect((await s.api('POST', `/counters/${counterId}/open`, { token: officer })).status).toBe(200);
});

const act = (action: string, body?: unknown) => s.api('POST', `/counters/${counterId}/${action}`, { token: officer, ...(body !== undefined ? { body } : {}) });
const issue = async () => (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: counterServices()[0]! } })).body as { id: string; number: string };
const counterServices = () => (s.db.prepare('SELECT service_id FROM counter_services WHERE counter_id = ? ORDER BY position').all(counterId) as { service_id: number }[]).map((r) => r.service_id);
const ticketStatus = (id: string) => (s.db.prepare('SELECT status FROM tickets WHERE id = ?').get(id) as { status: string }).status;
const eventsFor = (id: string, action: string) => (s.db.prepare('SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ? AND action = ?').get(id, action) as { n: number }).n;
const current = () => (s.db.prepare('SELECT current_ticket_id AS id FROM counters WHERE id = ?').get(counterId) as { id: string | null }).id;
const lastSeq = () => s.server.ctx.repos.events.lastSeq();
const expectStale = (r: { status: number; body: any }) => {
  expect(r.status).toBe(409);
  expect(r.body.error).toMatchObject({ code: 'STALE_REQUEST', message: expect.stringMatching(/\S/), messageVi: expect.stringMatching(/\S/) });
};

describe('expectTicketId on counter actions (HTTP)', () => {
  it('two parallel call-next with the same expectation: exactly one calls, the other is 409, nobody is completed twice', async () => {
    const [a, b, c] = [await issue(), await issue(), await issue()];
    // Nobody served yet: both presses expect none.
    const first = await Promise.all([act('call-next', { expectTicketId: null }), act('call-next', { expectTicketId: null })]);
    expect(first.map((r) => r.status).sort()).toEqual([200, 409]);
    expectStale(first.find((r) => r.status === 409)!);
    expect(first.find((r) => r.status === 200)!.body.ticket.id).toBe(a.id);
    expect(current()).toBe(a.id);
    expect([ticketStatus(b.id), ticketStatus(c.id)]).toEqual(['waiting', 'waiting']);

    // Serving A: both presses expect A. One completes A and calls B; the other changes nothing.
    const second = await Promise.all([act('call-next', { expectTicketId: a.id }), act('call-next', { expectTicketId: a.id })]);
    expect(second.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(second.find((r) => r.status === 200)!.body.ticket.id).toBe(b.id);
    expect(ticketStatus(a.id)).toBe('done');
    expect(eventsFor(a.id, 'complete')).toBe(1);
    expect(ticketStatus(b.id)).toBe('called');
    expect(ticketStatus(c.id)).toBe('waiting');
    expect(eventsFor(b.id, 'call')).toBe(1);
  });

  it('complete, no-show, recall, transfer and call with a stale expectTicketId are refused and change nothing', async () => {
    const [a, b, waiting] = [await issue(), await issue(), await issue()];
    expect((await act('call-next', { expectTicketId: null })).body.ticket.id).toBe(a.id);
    // The page still believes it serves nobody, or serves B: both stale.
    const seq = lastSeq();
    for (const stale of [null, b.id]) {
      expectStale(await act('complete', { expectTicketId: stale }));
      expectStale(await act('no-show', { expectTicketId: stale }));
      expectStale(await act('recall', { expectTicketId: stale }));
      expectStale(await act('transfer', { serviceId: counterServices()[1]!, expectTicketId: stale }));
      expectStale(await act('call', { ticketId: waiting.id, expectTicketId: stale }));
      expectStale(await act('call-next', { expectTicketId: stale }));
    }
    expect(lastSeq()).toBe(seq);
    expect(current()).toBe(a.id);
    expect([ticketStatus(a.id), ticketStatus(b.id), ticketStatus(waiting.id)]).toEqual(['called', 'waiting', 'waiting']);

    // The right expectation works, and the same request sent again (a retry) is then stale.
    expect((await act('recall', { expectTicketId: a.id })).status).toBe(200);
    expect((await act('complete', { expectTicketId: a.id })).body.ticket).toMatchObject({ id: a.id, status: 'done' });
    expectStale(await act('complete', { expectTicketId: a.id }));
    expect(eventsFor(a.id, 'complete')).toBe(1);
    expect((await act('call', { ticketId: waiting.id, expectTicketId: null })).body.ticket.id).toBe(waiting.id);
    expect((await act('transfer', { serviceId: counterServices()[1]!, expectTicketId: waiting.id })).body.ticket).toMatchObject({ id: waiting.id, status: 'waiting' });
    expectStale(await act('no-show', { expectTicketId: waiting.id }));
  });

  it('without expectTicketId (no body, or an empty one) the actions behave as before; a malformed one is 400', async () => {
    const a = await issue();
    const r = await s.api('POST', `/counters/${counterId}/call-next`, { token: officer });
    expect(r.status).toBe(200);
    expect(r.body.ticket.id).toBe(a.id);
    expect((await act('recall', {})).status).toBe(200);
    const bad = await act('complete', { expectTicketId: 'not a ticket!' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    expect((await act('complete', { expectTicketId: a.id, extra: 1 })).status).toBe(400);
    expect(ticketStatus(a.id)).toBe('called');
    expect((await act('no-show')).body.ticket).toMatchObject({ id: a.id, status: 'no_show' });
  });
});

describe('expectTicketId on counter actions (socket)', () => {
  it('two tabs of one counter press call-next at once: one call, one STALE_REQUEST ack', async () => {
    const [a, b] = [await issue(), await issue()];
    const tabs = [new QueueClient(s.url, officer), new QueueClient(s.url, officer)];
    await Promise.all(tabs.map((t) => t.connected()));
    try {
      const acks = await Promise.all(tabs.map((t) => t.socket.emitWithAck('counter:call-next', { counterId, expectTicketId: null })));
      const ok = acks.filter((x) => x.ok);
      const refused = acks.filter((x) => !x.ok);
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ ok: false, error: { code: 'STALE_REQUEST' } });
      expect(ok[0]).toMatchObject({ ok: true, data: { ticket: { id: a.id } } });
      expect(ticketStatus(b.id)).toBe('waiting');

      const seq = lastSeq();
      const stale = await tabs[1]!.socket.emitWithAck('counter:complete', { counterId, expectTicketId: b.id });
      expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_REQUEST' } });
      const staleCall = await tabs[1]!.socket.emitWithAck('counter:call', { counterId, ticketId: b.id, expectTicketId: null });
      expect(staleCall).toMatchObject({ ok: false, error: { code: 'STALE_REQUEST' } });
      expect(lastSeq()).toBe(seq);
      const done = await tabs[0]!.socket.emitWithAck('counter:complete', { counterId, expectTicketId: a.id });
      expect(done).toMatchObject({ ok: true, data: { ticket: { id: a.id, status: 'done' } } });
      const bad = await offContract(tabs[0]!.socket).emitWithAck('counter:recall', { counterId, expectTicketId: 42 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      tabs.forEach((t) => t.close());
    }
  });
});
