import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable, QueueClient } from './helpers/queue-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
let officer: string;
beforeAll(async () => {
  s = await startTestServer();
  officer = await s.login('canbo4');
  await s.api('POST', '/counters/4/open', { token: officer });
});
afterAll(() => s.close());

const serverState = () => comparable(s.server.ctx.queue.snapshot());

async function someActivity(n: number) {
  for (let i = 0; i < n; i++) {
    await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: (i % 3) + 1, priority: i % 4 === 0 } });
    if (i % 3 === 2) await s.api('POST', '/counters/4/call-next', { token: officer });
  }
  await s.api('POST', '/counters/4/recall', { token: officer });
  await s.api('POST', '/counters/4/transfer', { token: officer, body: { serviceId: 2 } });
  await s.api('POST', '/counters/4/call-next', { token: officer });
  await s.api('POST', '/counters/4/no-show', { token: officer });
}

describe('a client that misses events', () => {
  it('follows every event and agrees with the server', async () => {
    // A staff screen: its state holds the waiting list too (a TV's has none, issue 14).
    const tv = new QueueClient(s.url, officer);
    await tv.connected();
    await someActivity(9);
    const target = s.server.ctx.repos.events.lastSeq();
    await tv.until((st) => st.seq === target);
    expect(tv.gaps).toBe(0);
    expect(comparable(tv.state!)).toEqual(serverState());
    tv.close();
  });

  it('after a disconnect, reconnects and ends with the same state as the server', async () => {
    // A staff screen: its state holds the waiting list too (a TV's has none, issue 14).
    const tv = new QueueClient(s.url, officer);
    await tv.connected();
    tv.socket.disconnect();
    await someActivity(7);
    tv.socket.connect();
    const target = s.server.ctx.repos.events.lastSeq();
    await tv.until((st) => st.seq === target);
    expect(comparable(tv.state!)).toEqual(serverState());
    expect(tv.snapshots).toBe(2);
    tv.close();
  });

  it('when an event is lost in transit, detects the gap, resyncs and agrees with the server', async () => {
    // A staff screen: its state holds the waiting list too (a TV's has none, issue 14).
    const tv = new QueueClient(s.url, officer);
    await tv.connected();
    tv.dropNext = 2;
    await someActivity(5);
    const target = s.server.ctx.repos.events.lastSeq();
    await tv.until((st) => st.seq === target);
    expect(tv.gaps).toBeGreaterThan(0);
    expect(comparable(tv.state!)).toEqual(serverState());
    tv.close();
  });
});
