import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The desk's call-back list comes from the server (GET /counters/:id/no-shows), so a reload or a
 * reconnect does not lose a citizen who turns up late: today's no-shows of the counter's services,
 * newest first, while the center's call-back window (30 min in the demo) still allows the call.
 */
const clock = manualClock(Date.parse('2026-11-23T08:00:00+07:00'));
let s: TestServer;
let canbo1: string;
beforeAll(async () => {
  s = await startTestServer({ clock });
  canbo1 = await s.login('canbo1');
});
afterAll(() => s.close());

const LAND = 1;
const CERT = 3;
const act = (counter: number, action: string, body?: unknown) => s.api('POST', `/counters/${counter}/${action}`, { token: canbo1, body });
const noShows = async (counter: number) => {
  const r = await s.api('GET', `/counters/${counter}/no-shows`, { token: canbo1 });
  expect(r.status).toBe(200);
  return (r.body as { number: string; status: string }[]).map((t) => t.number);
};

/** Issues a ticket of `serviceId`, calls it at `counter` and marks it a no-show; its number. */
async function noShowAt(counter: number, serviceId: number): Promise<string> {
  const issued = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId } });
  expect(issued.status).toBe(201);
  const called = await act(counter, 'call', { ticketId: issued.body.id });
  expect(called.status).toBe(200);
  expect((await act(counter, 'no-show', { expectTicketId: issued.body.id })).status).toBe(200);
  clock.advance(60_000);
  return issued.body.number as string;
}

describe("the desk's call-back list", () => {
  it("lists today's no-shows of the counter's services, newest first, until the window closes; a call back takes one off", async () => {
    expect((await act(1, 'open')).status).toBe(200);
    expect((await act(3, 'open')).status).toBe(200);
    const first = await noShowAt(1, LAND);
    const second = await noShowAt(1, LAND);
    const cert = await noShowAt(3, CERT);

    // Counter 1 serves land and civil status: the certification no-show is not its to call back.
    expect(await noShows(1)).toEqual([second, first]);
    // Counter 3 serves certification and land: all three, newest first.
    expect(await noShows(3)).toEqual([cert, second, first]);

    // The first was marked 3 minutes ago; 28 more and it is past the 30-minute window.
    clock.advance(28 * 60_000);
    expect(await noShows(1)).toEqual([second]);
    expect((await act(1, 'call', { ticketId: (await s.api('GET', '/counters/1/no-shows', { token: canbo1 })).body[0].id })).status).toBe(200);
    expect(await noShows(1)).toEqual([]);
  });

  it('refuses a token-less caller and an unknown counter with a clear error', async () => {
    expect((await s.api('GET', '/counters/1/no-shows')).status).toBe(401);
    const unknown = await s.api('GET', '/counters/999/no-shows', { token: canbo1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: expect.any(String), messageVi: expect.any(String) });
  });
});
