import type { PublicTicket } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
let officer: string;
beforeAll(async () => {
  s = await startTestServer();
  officer = await s.login('canbo1');
  await s.api('POST', '/counters/1/open', { token: officer });
});
afterAll(() => s.close());

function phone(ticketId: string) {
  const socket: Socket = io(s.url, { auth: { ticketId }, transports: ['websocket'], reconnection: false });
  const statuses: PublicTicket[] = [];
  const other: string[] = [];
  socket.on('ticket:status', (t: PublicTicket) => statuses.push(t));
  socket.onAny((event: string) => event !== 'ticket:status' && other.push(event));
  const until = async (pred: (t: PublicTicket) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const last = statuses.at(-1);
      if (last && pred(last)) return last;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`phone never saw it; last: ${JSON.stringify(statuses.at(-1))}`);
  };
  return { socket, statuses, other, until };
}

describe("a citizen's phone watching its ticket", () => {
  it('sees its position fall, then "come to counter 1", and nothing of anyone else', async () => {
    const issue = async () => (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } })).body;
    const first = await issue();
    const mine = await issue();
    const p = phone(mine.id);
    const initial = await p.until((t) => t.ahead === 1);
    expect(initial).toMatchObject({ number: mine.number, status: 'waiting', serviceName: { vi: 'Đất đai' } });
    expect(initial.nowServing).toBeUndefined();

    await s.api('POST', '/counters/1/call-next', { token: officer });
    const moved = await p.until((t) => t.ahead === 0);
    expect(moved.nowServing).toBe(first.number);

    await s.api('POST', '/counters/1/call-next', { token: officer });
    const called = await p.until((t) => t.status === 'called');
    expect(called).toMatchObject({ counterNumber: 1, nowServing: mine.number, calls: 1 });
    // A recall reaches the phone too, so it can buzz again.
    await s.api('POST', '/counters/1/recall', { token: officer });
    await p.until((t) => t.calls === 2);

    // Other citizens' tickets are never sent to this phone, nor the queue.
    await issue();
    await new Promise((r) => setTimeout(r, 100));
    expect(p.other).toEqual([]);
    expect(JSON.stringify(p.statuses)).not.toContain(first.id);
    p.socket.close();
  });

  it('refuses a phone with a made-up ticket id', async () => {
    const socket = io(s.url, { auth: { ticketId: 'AAAAAAAAAAAAAAAAAAAAAA' }, transports: ['websocket'], reconnection: false });
    const err = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.on('connect_error', resolve));
    expect(err.data?.code).toBe('UNAUTHORIZED');
    socket.close();
  });

  it('cannot act on counters', async () => {
    const t = (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 2 } })).body;
    const p = phone(t.id);
    await p.until(() => true);
    const answered = await p.socket
      .timeout(300)
      .emitWithAck('counter:call-next', { counterId: 1 })
      .then(() => 'answered', () => 'ignored');
    expect(answered).toBe('ignored');
    expect((await s.api('GET', `/tickets/${t.id}`)).body.status).toBe('waiting');
    p.socket.close();
  });
});
